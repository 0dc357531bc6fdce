// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-data.c — data connections (EPSV, falling back to PASV; always to the control
 * host, whatever the reply names) and getting back in step after an abort (ABOR). */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

/* Data connections ------------------------------------------------------------------------ */

typedef struct {
  FerryDeadline *deadline;
  gboolean       tried_pasv;
  GSocket       *socket;        /* connecting */
  GSource       *writable;      /* the connect's end */
} DataOpen;

static void
data_open_free (DataOpen *state)
{
  if (state->writable != NULL)
    {
      g_source_destroy (state->writable);
      g_source_unref (state->writable);
    }
  g_clear_object (&state->socket);
  g_clear_pointer (&state->deadline, ferry_deadline_free);
  g_free (state);
}

/* The connection is made (or failed: connection NULL and error set); takes both. */
static void
data_connected (GTask *task, GSocketConnection *connection_in, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);
  DataOpen *state = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = connection_in;

  if (connection == NULL)
    {
      GError *translated = ferry_deadline_translate (state->deadline, error,
                                                     _("opening the data connection"));

      /* Refused or reset here means the server's passive port, not the server: a later
       * try may well work (the transfer queue retries these). */
      if (g_error_matches (translated, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_REFUSED) ||
          g_error_matches (translated, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST))
        translated->code = FERRY_CLIENT_ERROR_DATA_CONNECTION;
      g_task_return_error (task, translated);
      g_object_unref (task);
      return;
    }
  if (self->protect_data)
    {
      GIOStream *tls = _ferry_client_wrap_tls (self, G_IO_STREAM (connection), TRUE, &error);

      if (tls == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, tls, g_object_unref);
    }
  else
    g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
  g_object_unref (task);
}

static gboolean
data_writable (GSocket *socket, GIOCondition condition, gpointer data)
{
  GTask *task = data;
  DataOpen *state = g_task_get_task_data (task);
  GCancellable *cancellable = ferry_deadline_get_cancellable (state->deadline);
  GError *error = NULL;

  g_clear_pointer (&state->writable, g_source_unref);   /* removed by returning */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error)
      || !g_socket_check_connect_result (socket, &error))
    data_connected (task, NULL, error);
  else
    data_connected (task, g_socket_connection_factory_create_connection (socket), NULL);
  return G_SOURCE_REMOVE;
}

/* A plain non-blocking connect to an address already known (the control connection's
 * peer): no resolver, proxy lookup or address enumeration, which GSocketClient would go
 * through for each of a folder's thousands of files. */
static void
data_connect (GTask *task, GSocketAddress *address)
{
  DataOpen *state = g_task_get_task_data (task);
  GCancellable *cancellable = ferry_deadline_get_cancellable (state->deadline);
  GError *error = NULL;

  g_clear_object (&state->socket);
  state->socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                G_SOCKET_PROTOCOL_TCP, &error);
  if (state->socket == NULL)
    {
      data_connected (task, NULL, error);
      return;
    }
  g_socket_set_blocking (state->socket, FALSE);
  if (g_socket_connect (state->socket, address, cancellable, &error))
    {
      data_connected (task, g_socket_connection_factory_create_connection (state->socket),
                      NULL);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      data_connected (task, NULL, error);
      return;
    }
  g_clear_error (&error);
  state->writable = g_socket_create_source (state->socket, G_IO_OUT, cancellable);
  g_source_set_callback (state->writable, G_SOURCE_FUNC (data_writable), task, NULL);
  g_source_set_static_name (state->writable, "[ferry] data connection");
  g_source_attach (state->writable, g_task_get_context (task));
}

static void data_send_passive (GTask *task);

/* PASV replies carry an IPv4 address and port: over IPv6, EPSV is the only passive mode, so
 * its refusal is final (and is reported as the EPSV refusal it is). */
static gboolean
control_is_ipv6 (FerryClient *self)
{
  return self->peer_address != NULL
         && g_inet_address_get_family (self->peer_address) == G_SOCKET_FAMILY_IPV6;
}

static void
passive_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  DataOpen *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GError *error = NULL;
  guint16 port = 0;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (!state->tried_pasv)
    {
      if (reply->code == FERRY_REPLY_EXTENDED_PASSIVE
          && ferry_parse_epsv_reply (reply->text, &port, NULL))
        ;
      else if ((FERRY_REPLY_CLASS (reply->code) == 5 || reply->code == FERRY_REPLY_EXTENDED_PASSIVE)
               && !control_is_ipv6 (self))
        {
          self->epsv_refused = TRUE;
          data_send_passive (task);
          return;
        }
      else
        {
          g_task_return_error (task, _ferry_client_reply_error (reply, "EPSV"));
          g_object_unref (task);
          return;
        }
    }
  else
    {
      FerryHostPort announced;

      if (reply->code != FERRY_REPLY_PASSIVE)
        {
          g_task_return_error (task, _ferry_client_reply_error (reply, "PASV"));
          g_object_unref (task);
          return;
        }
      if (!ferry_parse_pasv_reply (reply->text, &announced, &error))
        {
          g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                   _("The server's passive-mode reply is malformed: %s"),
                                   error->message);
          g_error_free (error);
          g_object_unref (task);
          return;
        }
      /* Only the port is used: the address inside a PASV reply may point anywhere (a NAT's
       * private address, or a third host in a bounce attack). */
      port = announced.port;
    }

  if (self->peer_address == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                               _("Not connected to a server"));
      g_object_unref (task);
      return;
    }
  /* The control connection's scope too: "fe80::1" alone names no interface. */
  address = g_object_new (G_TYPE_INET_SOCKET_ADDRESS, "address", self->peer_address,
                          "port", (guint) port, "scope-id", self->peer_scope_id, NULL);
  ferry_deadline_arm (state->deadline);
  data_connect (task, address);
}

static void
data_send_passive (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  DataOpen *state = g_task_get_task_data (task);

  state->tried_pasv = TRUE;
  _ferry_client_command_async (self, "PASV", g_task_get_cancellable (task),
                               passive_replied, task);
}

void
_ferry_client_open_data_async (FerryClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  DataOpen *state = g_new0 (DataOpen, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (_ferry_client_open_data_async));
  state->deadline = ferry_deadline_new (self->connect_timeout, cancellable);
  g_task_set_task_data (task, state, (GDestroyNotify) data_open_free);

  /* EPSV works for IPv6 and through NAT; PASV only when EPSV was refused. A PASV-only
   * server on IPv6 has no passive mode at all. */
  if (self->epsv_refused)
    data_send_passive (g_steal_pointer (&task));
  else
    _ferry_client_command_async (self, "EPSV", cancellable, passive_replied,
                                 g_steal_pointer (&task));
}

GIOStream *
_ferry_client_open_data_finish (FerryClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (_ferry_client_open_data_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Abort ----------------------------------------------------------------------------------- */

#define ABORT_MAX_REPLIES 8

typedef struct {
  guint replies;
} Abort;

static void abort_read_next (GTask *task);

static void
abort_reply_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Abort *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      _ferry_client_lose_connection (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* NOOP's 200 is the only 200 in this exchange: RETR/STOR/LIST end in 2xx/4xx/5xx other
   * than 200, ABOR in 225/226. */
  if (reply->code == FERRY_REPLY_OK)
    {
      self->owed = 0;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (++state->replies > ABORT_MAX_REPLIES)
    {
      _ferry_client_lose_connection (self);
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server did not get back in step after an abort"));
      g_object_unref (task);
      return;
    }
  abort_read_next (task);
}

static void
abort_read_next (GTask *task)
{
  _ferry_client_read_reply_async (g_task_get_source_object (task),
                                  g_task_get_cancellable (task), abort_reply_read, task);
}

static void
abort_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      _ferry_client_lose_connection (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  abort_read_next (task);
}

void
_ferry_client_abort_async (FerryClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  static const char abort_lines[] = "ABOR\r\nNOOP\r\n";
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (_ferry_client_abort_async));
  g_task_set_task_data (task, g_new0 (Abort, 1), g_free);
  if (self->control == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED,
                               _("Not connected to a server"));
      return;
    }
  ferry_timed_write_all_async (g_io_stream_get_output_stream (self->control),
                               abort_lines, sizeof abort_lines - 1, self->reply_timeout,
                               cancellable, abort_written, g_steal_pointer (&task));
}

gboolean
_ferry_client_abort_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (_ferry_client_abort_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
