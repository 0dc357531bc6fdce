// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-background-portal.c — permission to go on running with no window open.
 *
 * Keep Sharing and Keep Running hide or close windows while work goes on. Outside a sandbox
 * the GApplication hold is enough; in a Flatpak the desktop may end an app that has no
 * window unless the Background portal allowed it, so we ask first, and the caller keeps its
 * window (and says why) when the answer is no. The portal answers through a Request object
 * (org.freedesktop.portal.Request::Response) whose path we know before calling, from our
 * unique name and a handle token, so that no answer can be missed. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-background-portal.h"
#include "ferry-task.h"

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT   "/org/freedesktop/portal/desktop"
#define BACKGROUND_IFACE "org.freedesktop.portal.Background"
#define REQUEST_IFACE   "org.freedesktop.portal.Request"

enum {
  RESPONSE_SUCCESS = 0,
  RESPONSE_CANCELLED = 1,
};

typedef struct {
  GtkWindow       *parent;   /* kept until the answer, for the caller */
  GDBusConnection *bus;
  char            *request_path;
  char            *reason;
  guint            response_id;
  gulong           cancelled_id;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->response_id);
  g_clear_object (&request->bus);
  g_clear_object (&request->parent);
  g_free (request->request_path);
  g_free (request->reason);
  g_free (request);
}

gboolean
ferry_background_portal_needed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS)
         || g_strcmp0 (g_getenv ("FERRY_USE_PORTAL"), "1") == 0;
}

static void
set_denied (GTask *task)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                           _("Ferry is not allowed to run in the background (see Settings ▸ "
                             "Apps ▸ Ferry), so this goes on only while the window is open."));
}

static void
on_response (GDBusConnection *bus,
             const char      *sender,
             const char      *path,
             const char      *interface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  guint32 response;
  gboolean allowed = FALSE;

  if (request->response_id == 0)
    return;   /* answered already */
  g_dbus_connection_signal_unsubscribe (bus, request->response_id);
  request->response_id = 0;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  if (response == RESPONSE_SUCCESS)
    g_variant_lookup (results, "background", "b", &allowed);
  g_debug ("Background portal: response %u, background %s", response,
           allowed ? "allowed" : "refused");

  if (allowed)
    g_task_return_boolean (task, TRUE);
  else if (response == RESPONSE_SUCCESS || response == RESPONSE_CANCELLED)
    set_denied (task);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                             _("The desktop could not say whether Ferry may run in the "
                               "background."));
  g_object_unref (task);   /* the subscription's reference */
}

static void
on_request_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (request->response_id != 0)
        {
          g_dbus_connection_signal_unsubscribe (request->bus, request->response_id);
          request->response_id = 0;
          g_object_unref (task);   /* the subscription's reference */
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_dbus_error_strip_remote_error (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Could not ask for permission to run in the background: %s"),
                               error->message);
      return;
    }
  g_variant_get (reply, "(&o)", &handle);
  /* A portal older than version 0.9 picks the path itself. */
  if (!g_str_equal (handle, request->request_path))
    g_warning ("The Background portal answered on %s, not %s", handle, request->request_path);
}

static void
send_request (GTask           *task,
              GDBusConnection *bus)
{
  Request *request = g_task_get_task_data (task);
  g_autofree char *sender = NULL;
  g_autofree char *token = g_strdup_printf ("ferry%u", g_random_int ());
  GVariantBuilder options;

  request->bus = g_object_ref (bus);
  /* ":1.42" → "1_42": the Request's path is …/request/SENDER/TOKEN. */
  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  request->request_path = g_strdup_printf (PORTAL_OBJECT "/request/%s/%s", sender, token);
  request->response_id =
    g_dbus_connection_signal_subscribe (bus, PORTAL_BUS_NAME, REQUEST_IFACE, "Response",
                                        request->request_path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_response,
                                        g_object_ref (task), NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (request->reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  /* No parent window handle (""): GTK 4.8 has no public call that exports one on X11 and
   * Wayland alike; the portal then asks in a dialog of its own. */
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT, BACKGROUND_IFACE,
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), on_request_sent, g_object_ref (task));
}

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  send_request (task, bus);
}

void
ferry_background_portal_request_async (GtkWindow           *parent,
                                       const char          *reason,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (reason != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_background_portal_request_async));
  request = g_new0 (Request, 1);
  request->parent = parent != NULL ? g_object_ref (parent) : NULL;
  request->reason = g_strdup (reason);
  g_task_set_task_data (task, request, request_free);

  if (!ferry_background_portal_needed ())
    {
      g_task_return_boolean (task, TRUE);   /* the GApplication hold is enough */
      return;
    }
  g_bus_get (G_BUS_TYPE_SESSION, cancellable, on_bus, g_steal_pointer (&task));
}

gboolean
ferry_background_portal_request_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (
                          result, FERRY_TASK_TAG (ferry_background_portal_request_async)),
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
