// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-module.c — ferryd-tls.so: TLS streams for the session, over GIO. Loaded with
 * dlopen() by a session process at its first AUTH TLS; only the symbol
 * FERRYD_TLS_MODULE_SYMBOL is exported. */
#define G_LOG_DOMAIN "ferryd-tls"

#include <gio/gio.h>
#include <unistd.h>

#include "ferryd-error.h"
#include "ferryd-tls-module.h"

struct _FerrydTlsCredentials
{
  GTlsCertificate *certificate;
};

struct _FerrydTlsStream
{
  GSocket   *socket;
  GIOStream *tls;   /* a GTlsServerConnection over socket */
};

/* The session tells time-outs apart from other failures (421 on an idle control
 * connection): they use its domain, as plain channels do. */
static gboolean
propagate (GError **error,
           GError  *local_error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT, local_error->message);
      g_error_free (local_error);
    }
  else
    g_propagate_error (error, local_error);
  return FALSE;
}

static FerrydTlsCredentials *
load_credentials (const char  *cert_file,
                  const char  *key_file,
                  GError     **error)
{
  GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert_file, key_file, error);
  FerrydTlsCredentials *credentials;

  if (certificate == NULL)
    return NULL;
  credentials = g_new0 (FerrydTlsCredentials, 1);
  credentials->certificate = certificate;
  return credentials;
}

static void
free_credentials (FerrydTlsCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_clear_object (&credentials->certificate);
  g_free (credentials);
}

static void
stream_free (FerrydTlsStream *stream)
{
  if (stream == NULL)
    return;
  g_clear_object (&stream->tls);
  if (stream->socket != NULL)
    g_socket_close (stream->socket, NULL);
  g_clear_object (&stream->socket);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydTlsStream, stream_free)

static FerrydTlsStream *
stream_accept (FerrydTlsCredentials  *credentials,
               int                    fd,
               guint                  timeout,
               GError               **error)
{
  g_autoptr(FerrydTlsStream) stream = g_new0 (FerrydTlsStream, 1);
  g_autoptr(GSocketConnection) connection = NULL;
  GError *local_error = NULL;

  stream->socket = g_socket_new_from_fd (fd, error);
  if (stream->socket == NULL)
    {
      close (fd);
      return NULL;
    }
  connection = g_socket_connection_factory_create_connection (stream->socket);
  stream->tls = g_tls_server_connection_new (G_IO_STREAM (connection),
                                             credentials->certificate, error);
  if (stream->tls == NULL)
    return NULL;

  /* FTP ends an upload by closing the data connection; many clients skip close_notify. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (stream->tls), FALSE);
  g_socket_set_timeout (stream->socket, timeout);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (stream->tls), NULL, &local_error))
    {
      propagate (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&stream);
}

static gssize
stream_read (FerrydTlsStream  *stream,
             guint8           *buffer,
             gsize             len,
             guint             timeout,
             GError          **error)
{
  GInputStream *input = g_io_stream_get_input_stream (stream->tls);
  GError *local_error = NULL;
  gssize n;

  g_socket_set_timeout (stream->socket, timeout);
  n = g_input_stream_read (input, buffer, len, NULL, &local_error);
  if (n < 0)
    propagate (error, local_error);
  return n;
}

static gboolean
stream_write_all (FerrydTlsStream  *stream,
                  const void       *data,
                  gsize             len,
                  guint             timeout,
                  GError          **error)
{
  GOutputStream *output = g_io_stream_get_output_stream (stream->tls);
  GError *local_error = NULL;

  g_socket_set_timeout (stream->socket, timeout);
  if (!g_output_stream_write_all (output, data, len, NULL, NULL, &local_error))
    return propagate (error, local_error);
  return TRUE;
}

static gboolean
stream_has_input (FerrydTlsStream *stream)
{
  GInputStream *input = g_io_stream_get_input_stream (stream->tls);

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input));
}

static void
stream_close (FerrydTlsStream *stream,
              guint            timeout)
{
  g_socket_set_timeout (stream->socket, timeout);
  g_io_stream_close (stream->tls, NULL, NULL);
}

G_MODULE_EXPORT extern const FerrydTlsModule ferryd_tls_module_v1;

const FerrydTlsModule ferryd_tls_module_v1 = {
  .load_credentials = load_credentials,
  .free_credentials = free_credentials,
  .accept = stream_accept,
  .read = stream_read,
  .write_all = stream_write_all,
  .has_input = stream_has_input,
  .close = stream_close,
  .free = stream_free,
};
