// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-connect.c — connecting (TCP, implicit TLS or AUTH TLS, the greeting) and
 * disconnecting (QUIT). */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

/* Connecting ------------------------------------------------------------------------------ */

typedef struct {
  FerryDeadline *deadline;
} ConnectState;

static void
connect_state_free (ConnectState *state)
{
  g_clear_pointer (&state->deadline, ferry_deadline_free);
  g_free (state);
}

static void
connect_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);

  _ferry_client_close_control (self);
  g_clear_pointer (&self->welcome, g_free);
  self->busy = FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
  _ferry_client_grant_next (self);
}

static void
connect_succeed (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);

  g_object_notify (G_OBJECT (self), "connected");
  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  _ferry_client_grant_next (self);
}

static void read_greeting (GTask *task);

static void
auth_tls_handshaken (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  ConnectState *state = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      if (error->domain == G_TLS_ERROR)
        error = _ferry_client_tls_error (self, error);
      else
        error = ferry_deadline_translate (state->deadline, error, _("setting up encryption"));
      connect_fail (task, error);
      return;
    }
  if (!_ferry_client_check_tls_version (self, G_TLS_CONNECTION (source), &error)
      || !_ferry_client_check_resumed_certificate (self, G_TLS_CONNECTION (source), &error))
    {
      connect_fail (task, error);
      return;
    }
  g_set_object (&self->peer_certificate,
                g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (source)));
  self->protect_data = TRUE;

  if (self->welcome == NULL)
    read_greeting (task);          /* implicit TLS: the greeting comes encrypted */
  else
    connect_succeed (task);
}

static void
start_tls (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  ConnectState *state = g_task_get_task_data (task);
  GError *error = NULL;
  GIOStream *tls;

  tls = _ferry_client_wrap_tls (self, G_IO_STREAM (self->socket), FALSE, &error);
  if (tls == NULL)
    {
      connect_fail (task, error);
      return;
    }
  g_clear_object (&self->control);
  self->control = tls;
  ferry_deadline_arm (state->deadline);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    ferry_deadline_get_cancellable (state->deadline),
                                    auth_tls_handshaken, task);
}

static void
auth_tls_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, error);
      return;
    }
  if (reply->code != FERRY_REPLY_AUTH_OK)
    {
      connect_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                                       _("%s does not offer encryption (%u %s)"),
                                       self->host, reply->code, reply->text));
      return;
    }
  self->features |= FERRY_CLIENT_FEATURE_AUTH_TLS;
  start_tls (task);
}

static void
greeting_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, error);
      return;
    }
  if (reply->code == FERRY_REPLY_READY_SOON)
    {
      read_greeting (task);   /* "service ready in nnn minutes": the 220 follows */
      return;
    }
  if (reply->code != FERRY_REPLY_SERVICE_READY)
    {
      connect_fail (task, g_error_new (FERRY_CLIENT_ERROR,
                                       reply->code == FERRY_REPLY_SERVICE_CLOSING
                                       ? FERRY_CLIENT_ERROR_CONNECTION_REFUSED
                                       : FERRY_CLIENT_ERROR_PROTOCOL,
                                       _("%s did not greet as an FTP server does (%u %s)"),
                                       self->host, reply->code, reply->text));
      return;
    }
  self->owed = 0;
  self->welcome = g_strdup (reply->text);

  if (self->tls_mode == FERRY_TLS_MODE_EXPLICIT)
    _ferry_client_command_async (self, "AUTH TLS", g_task_get_cancellable (task),
                                 auth_tls_replied, task);
  else
    connect_succeed (task);
}

static void
read_greeting (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);

  self->owed = 1;
  _ferry_client_read_reply_async (self, g_task_get_cancellable (task), greeting_read, task);
}

/* Takes error; says which host and port could not be reached and why, in plain words. */
static GError *
connect_error (FerryClient *self, FerryDeadline *deadline, GError *error)
{
  g_autofree char *what = g_strdup_printf (_("connecting to %s port %u"), self->host,
                                           self->port);
  GError *translated = ferry_deadline_translate (deadline, g_error_copy (error), what);
  GError *worded = NULL;

  switch (translated->domain == FERRY_CLIENT_ERROR ? translated->code : -1)
    {
    case FERRY_CLIENT_ERROR_CONNECTION_REFUSED:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not connect to %s port %u: connection refused"),
                            self->host, self->port);
      break;
    case FERRY_CLIENT_ERROR_HOST_NOT_FOUND:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not find the host %s (%s)"), self->host, error->message);
      break;
    case FERRY_CLIENT_ERROR_TIMED_OUT:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not connect to %s port %u: no answer within %u s"),
                            self->host, self->port, (self->connect_timeout + 999) / 1000);
      break;
    case FERRY_CLIENT_ERROR_CONNECTION_LOST:
    case FERRY_CLIENT_ERROR_FAILED:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not connect to %s port %u: %s"),
                            self->host, self->port, error->message);
      break;
    default:
      break;
    }
  g_error_free (error);
  if (worded == NULL)
    return translated;
  g_error_free (translated);
  return worded;
}

static void
socket_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  ConnectState *state = g_task_get_task_data (task);
  g_autoptr(GSocketAddress) remote = NULL;
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      connect_fail (task, connect_error (self, state->deadline, error));
      return;
    }
  self->socket = connection;
  self->control = g_object_ref (G_IO_STREAM (connection));
  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      self->peer_address =
        g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
      if (g_inet_address_get_family (self->peer_address) == G_SOCKET_FAMILY_IPV6)
        self->peer_scope_id =
          g_inet_socket_address_get_scope_id (G_INET_SOCKET_ADDRESS (remote));
    }

  if (self->tls_mode == FERRY_TLS_MODE_IMPLICIT)
    start_tls (task);
  else
    read_greeting (task);
}

void
ferry_client_connect_async (FerryClient         *self,
                            const char          *host,
                            guint16              port,
                            FerryTlsMode         tls_mode,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GTask) task = NULL;
  ConnectState *state;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (host != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_connect_async));
  if (self->control != NULL || self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Already connected; disconnect first"));
      return;
    }

  self->busy = TRUE;
  port = port != 0 ? port : FERRY_URL_DEFAULT_PORT;
  if (self->host != NULL && (g_strcmp0 (self->host, host) != 0 || self->port != port))
    g_clear_object (&self->accepted_certificate);   /* "once" was for the other server */
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
  self->tls_mode = tls_mode;
  self->features = FERRY_CLIENT_FEATURE_NONE;
  self->hash_algorithm = -1;
  self->hash_selected = FALSE;
  self->epsv_refused = FALSE;
  self->protect_data = FALSE;
  g_clear_pointer (&self->welcome, g_free);
  g_clear_object (&self->peer_certificate);

  state = g_new0 (ConnectState, 1);
  state->deadline = ferry_deadline_new (self->connect_timeout, cancellable);
  g_task_set_task_data (task, state, (GDestroyNotify) connect_state_free);
  ferry_deadline_arm (state->deadline);

  address = g_network_address_new (self->host, self->port);
  g_socket_client_connect_async (self->socket_client, address,
                                 ferry_deadline_get_cancellable (state->deadline),
                                 socket_connected, g_steal_pointer (&task));
}

gboolean
ferry_client_connect_finish (FerryClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_connect_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Disconnecting --------------------------------------------------------------------------- */

static void
quit_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  _ferry_client_lose_connection (self);
  _ferry_client_release (self);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
quit_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);

  if (!_ferry_client_acquire_finish (self, result, NULL))
    {
      /* Already closed: nothing to say goodbye to. */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  _ferry_client_command_async (self, "QUIT", g_task_get_cancellable (task), quit_replied, task);
}

void
ferry_client_disconnect_async (FerryClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_disconnect_async));
  _ferry_client_acquire_async (self, cancellable, quit_acquired, g_steal_pointer (&task));
}

gboolean
ferry_client_disconnect_finish (FerryClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_disconnect_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
