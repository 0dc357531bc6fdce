// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-launcher.c — open a downloaded file, or show it in the file manager.
 *
 * GtkFileLauncher (GTK 4.10) goes through the portal when sandboxed; before it, GIO's default
 * handler does. "Show in Folder" asks the file manager to select the file
 * (org.freedesktop.FileManager1.ShowItems) and falls back to opening the folder. A failure
 * comes back with GIO's reason ("Failed to find default application for content type…"),
 * for the window to say: silence would leave the user clicking again. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include "ferry-launcher.h"

#if GTK_CHECK_VERSION (4, 10, 0)

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_folder_opened (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!gtk_file_launcher_open_containing_folder_finish (GTK_FILE_LAUNCHER (source), result,
                                                         &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ferry_launcher_open_async (GtkWindow           *parent,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_launcher_open_async));
  gtk_file_launcher_launch (launcher, parent, cancellable, on_launched, task);
}

/* GtkFileLauncher already talks to FileManager1 (or the portal) itself. */
void
ferry_launcher_show_in_folder_async (GtkWindow           *parent,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_launcher_show_in_folder_async));
  gtk_file_launcher_open_containing_folder (launcher, parent, cancellable, on_folder_opened,
                                            task);
}

#else

static void
on_uri_launched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Opens file (or folder) with its default application; task gets the outcome. */
static void
launch_default (GtkWindow *parent,
                GFile     *file,
                GTask     *task)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (parent != NULL)
    context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context),
                                           g_task_get_cancellable (task), on_uri_launched, task);
}

void
ferry_launcher_open_async (GtkWindow           *parent,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_launcher_open_async));
  launch_default (parent, file, task);
}

typedef struct {
  GtkWindow *parent;   /* weak: the window may close meanwhile */
  GFile     *folder;
} ShowRequest;

static void
show_request_free (gpointer data)
{
  ShowRequest *request = data;

  g_clear_weak_pointer (&request->parent);
  g_clear_object (&request->folder);
  g_free (request);
}

static void
on_show_items_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ShowRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_debug ("No FileManager1 to select the file, opening its folder: %s", error->message);
  launch_default (request->parent, request->folder, g_steal_pointer (&task));
}

void
ferry_launcher_show_in_folder_async (GtkWindow           *parent,
                                     GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, NULL);
  g_autofree char *uri = g_file_get_uri (file);
  const char *uris[] = { uri, NULL };
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ShowRequest *request = g_new0 (ShowRequest, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_launcher_show_in_folder_async));
  g_set_weak_pointer (&request->parent, parent);
  request->folder = g_file_get_parent (file);
  if (request->folder == NULL)
    request->folder = g_object_ref (file);
  g_task_set_task_data (task, request, show_request_free);

  if (bus == NULL)
    {
      launch_default (parent, request->folder, task);
      return;
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL, G_DBUS_CALL_FLAGS_NONE, 5000, cancellable,
                          on_show_items_done, task);
}

#endif

gboolean
ferry_launcher_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_launcher_open_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ferry_launcher_show_in_folder_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (
                          result, FERRY_TASK_TAG (ferry_launcher_show_in_folder_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
