// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-open-with.c — pick an application for a file, and open the file in it to edit.
 *
 * Outside a sandbox: GtkAppChooserDialog (deprecated in GTK 4.10, with no replacement but
 * the portal) lists the applications for the file's type, the usual one first, and the
 * chosen one is launched on the file. In a Flatpak the dialog would see only the sandbox:
 * the OpenURI portal's OpenFile asks the user instead ("ask"), and "writable" lets the
 * application on the host save to the file. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixfdlist.h>

#include "ferry-open-with.h"

gboolean
ferry_open_with_portal_asks (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* Choosing ----------------------------------------------------------------------------- */

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
on_app_chosen (GtkDialog *dialog,
               int        response,
               GTask     *task)
{
  GAppInfo *app = NULL;

  if (response == GTK_RESPONSE_OK)
    app = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));
  g_signal_handlers_disconnect_by_data (dialog, task);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_task_return_pointer (task, app, g_object_unref);
  g_object_unref (task);
}

void
ferry_open_with_choose_async (GtkWindow           *parent,
                              const char          *name,
                              const char          *shown,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *content_type = g_content_type_guess (name, NULL, 0, NULL);
  g_autofree char *heading = g_strdup_printf (_("Choose an application to edit “%s”"), shown);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GtkWidget *dialog;
  GtkWidget *chooser;

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_open_with_choose_async));

  dialog = gtk_app_chooser_dialog_new_for_content_type (parent,
                                                        GTK_DIALOG_MODAL |
                                                        GTK_DIALOG_DESTROY_WITH_PARENT,
                                                        content_type);
  gtk_app_chooser_dialog_set_heading (GTK_APP_CHOOSER_DIALOG (dialog), heading);
  /* The usual application too, first, as Files lists it. */
  chooser = gtk_app_chooser_dialog_get_widget (GTK_APP_CHOOSER_DIALOG (dialog));
  gtk_app_chooser_widget_set_show_default (GTK_APP_CHOOSER_WIDGET (chooser), TRUE);

  g_signal_connect (dialog, "response", G_CALLBACK (on_app_chosen), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

G_GNUC_END_IGNORE_DEPRECATIONS

GAppInfo *
ferry_open_with_choose_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_open_with_choose_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Launching ---------------------------------------------------------------------------- */

static void
on_portal_opened (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                           result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
launch_with_portal (GFile *file,
                    GTask *task)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  GError *error = NULL;
  GVariantBuilder options;
  int fd;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* Read-write: the portal exports the file writable only from such a descriptor. */
  fd = g_open (g_file_peek_path (file), O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s", g_strerror (saved_errno));
      g_object_unref (task);
      return;
    }
  fds = g_unix_fd_list_new_from_array (&fd, 1);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "ask", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&options, "{sv}", "writable", g_variant_new_boolean (TRUE));
  g_dbus_connection_call_with_unix_fd_list (bus, "org.freedesktop.portal.Desktop",
                                            "/org/freedesktop/portal/desktop",
                                            "org.freedesktop.portal.OpenURI", "OpenFile",
                                            g_variant_new ("(sha{sv})", "", 0, &options),
                                            G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                            fds, g_task_get_cancellable (task),
                                            on_portal_opened, task);
}

void
ferry_open_with_launch_async (GtkWindow           *parent,
                              GFile               *file,
                              GAppInfo            *app,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GdkAppLaunchContext) context = NULL;
  GList files = { file, NULL, NULL };
  GError *error = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_open_with_launch_async));

  if (app == NULL)
    {
      launch_with_portal (file, g_steal_pointer (&task));
      return;
    }

  if (parent != NULL)
    context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));
  if (!g_app_info_launch (app, &files, G_APP_LAUNCH_CONTEXT (context), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
ferry_open_with_launch_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_open_with_launch_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
