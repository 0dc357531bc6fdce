// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-module.c — ferryd-tls.so: TLS streams for the session, on GnuTLS directly (GIO's
 * GTlsServerConnection can neither set a protocol floor nor resume sessions). Loaded with
 * dlopen() by a session process at its first AUTH TLS; only the symbol
 * FERRYD_TLS_MODULE_SYMBOL is exported.
 *
 * Resumption (what FileZilla, vsftpd and ProFTPD rely on against data connection theft): only
 * control connections issue TLS 1.3 tickets and fill the TLS 1.2 session cache (which lives
 * in this session process) — a data connection issues no ticket and stores no session. The
 * ticket key comes from the session (ferryd-tls.c: one per client address), so a data
 * connection that resumed was opened by a holder of a control connection's session. */
#define G_LOG_DOMAIN "ferryd-tls"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <glib.h>
#include <glib-unix.h>
#include <gmodule.h>   /* G_MODULE_EXPORT only: nothing of GModule is linked */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "ferryd-error.h"
#include "ferryd-tls-module.h"

/* TLS 1.2 sessions the cache keeps (a control connection stores one per handshake). */
#define MAX_CACHED_SESSIONS 8

struct _FerrydTlsCredentials
{
  gnutls_certificate_credentials_t certificate;
  gnutls_priority_t                priority;
  gnutls_datum_t                   ticket_key;   /* TLS 1.3 (and 1.2 tickets off) */
  GHashTable                      *sessions;     /* TLS 1.2 session id → data, GBytes */
};

struct _FerrydTlsStream
{
  FerrydTlsCredentials *credentials;
  gnutls_session_t      session;
  int                   fd;
  gboolean              for_data;
};

static void
set_tls_error (GError     **error,
               int          code,
               const char  *doing)
{
  g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED, "%s: %s", doing, gnutls_strerror (code));
}

/* Waits until fd is ready in the direction GnuTLS last needed, at most timeout seconds. */
static gboolean
wait_ready (FerrydTlsStream  *stream,
            guint             timeout,
            GError          **error)
{
  struct pollfd pfd = {
    .fd = stream->fd,
    .events = gnutls_record_get_direction (stream->session) ? POLLOUT : POLLIN,
  };
  int n;

  do
    n = poll (&pfd, 1, timeout > 0 ? (int) MIN (timeout, G_MAXINT / 1000) * 1000 : -1);
  while (n < 0 && errno == EINTR);
  if (n == 0)
    {
      g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT,
                           "The TLS peer did not answer in time");
      return FALSE;
    }
  if (n < 0)
    {
      int saved_errno = errno;

      g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                   "TLS: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* The TLS 1.2 session cache (gnutls_db_*): only the control connection stores. */
static int
cache_store (void           *data,
             gnutls_datum_t  key,
             gnutls_datum_t  value)
{
  FerrydTlsStream *stream = data;
  GHashTable *sessions = stream->credentials->sessions;

  if (stream->for_data || g_hash_table_size (sessions) >= MAX_CACHED_SESSIONS)
    return -1;
  g_hash_table_replace (sessions, g_bytes_new (key.data, key.size),
                        g_bytes_new (value.data, value.size));
  return 0;
}

static gnutls_datum_t
cache_retrieve (void           *data,
                gnutls_datum_t  key)
{
  FerrydTlsStream *stream = data;
  g_autoptr(GBytes) wanted = g_bytes_new_static (key.data, key.size);
  GBytes *found = g_hash_table_lookup (stream->credentials->sessions, wanted);
  gnutls_datum_t value = { NULL, 0 };
  gsize size;
  const void *bytes;

  if (found == NULL)
    return value;
  bytes = g_bytes_get_data (found, &size);
  value.data = gnutls_malloc (size);
  if (value.data == NULL)
    return value;
  memcpy (value.data, bytes, size);
  value.size = (unsigned int) size;
  return value;
}

static int
cache_remove (void           *data,
              gnutls_datum_t  key)
{
  FerrydTlsStream *stream = data;
  g_autoptr(GBytes) wanted = g_bytes_new_static (key.data, key.size);

  return g_hash_table_remove (stream->credentials->sessions, wanted) ? 0 : -1;
}

/* The priority string appended to the system's defaults for a protocol floor of 1.minor. */
static const char *
floor_priority (guint min_version)
{
  switch (min_version)
    {
    case 10:
      return "+VERS-TLS1.1:+VERS-TLS1.0";
    case 11:
      return "-VERS-TLS1.0:+VERS-TLS1.1";
    case 13:
      return "-VERS-TLS1.2:-VERS-TLS1.1:-VERS-TLS1.0";
    default:
      return "-VERS-TLS1.1:-VERS-TLS1.0";
    }
}

static void
free_credentials (FerrydTlsCredentials *credentials)
{
  if (credentials == NULL)
    return;
  if (credentials->certificate != NULL)
    gnutls_certificate_free_credentials (credentials->certificate);
  if (credentials->priority != NULL)
    gnutls_priority_deinit (credentials->priority);
  if (credentials->ticket_key.data != NULL)
    {
      gnutls_memset (credentials->ticket_key.data, 0, credentials->ticket_key.size);
      gnutls_free (credentials->ticket_key.data);
    }
  g_clear_pointer (&credentials->sessions, g_hash_table_unref);
  g_free (credentials);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydTlsCredentials, free_credentials)

static FerrydTlsCredentials *
load_credentials (const char    *cert_file,
                  const char    *key_file,
                  guint          min_version,
                  const guint8  *ticket_key,
                  GError       **error)
{
  g_autoptr(FerrydTlsCredentials) credentials = g_new0 (FerrydTlsCredentials, 1);
  const char *bad = NULL;
  int ret;

  credentials->sessions = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                 (GDestroyNotify) g_bytes_unref,
                                                 (GDestroyNotify) g_bytes_unref);
  ret = gnutls_certificate_allocate_credentials (&credentials->certificate);
  if (ret >= 0)
    ret = gnutls_certificate_set_x509_key_file2 (credentials->certificate, cert_file, key_file,
                                                 GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret < 0)
    {
      g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED, "%s", gnutls_strerror (ret));
      return NULL;
    }
  ret = gnutls_priority_init2 (&credentials->priority, floor_priority (min_version), &bad,
                               GNUTLS_PRIORITY_INIT_DEF_APPEND);
  if (ret < 0)
    {
      set_tls_error (error, ret, "TLS priorities");
      return NULL;
    }
  if (ticket_key != NULL)
    {
      credentials->ticket_key.data = gnutls_malloc (FERRYD_TLS_TICKET_KEY_SIZE);
      ret = credentials->ticket_key.data != NULL ? 0 : GNUTLS_E_MEMORY_ERROR;
      if (ret == 0)
        {
          memcpy (credentials->ticket_key.data, ticket_key, FERRYD_TLS_TICKET_KEY_SIZE);
          credentials->ticket_key.size = FERRYD_TLS_TICKET_KEY_SIZE;
        }
    }
  else
    ret = gnutls_session_ticket_key_generate (&credentials->ticket_key);
  if (ret < 0)
    {
      set_tls_error (error, ret, "TLS session tickets");
      return NULL;
    }
  return g_steal_pointer (&credentials);
}

static void
stream_free (FerrydTlsStream *stream)
{
  if (stream == NULL)
    return;
  if (stream->session != NULL)
    gnutls_deinit (stream->session);
  if (stream->fd >= 0)
    close (stream->fd);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydTlsStream, stream_free)

static FerrydTlsStream *
stream_accept (FerrydTlsCredentials  *credentials,
               int                    fd,
               gboolean               for_data,
               guint                  timeout,
               GError               **error)
{
  g_autoptr(FerrydTlsStream) stream = g_new0 (FerrydTlsStream, 1);
  /* TLS 1.2 resumes through the session cache, whose stores this module controls; a data
   * connection hands out no TLS 1.3 ticket (a stranger's full handshake there earns none). */
  unsigned int flags = GNUTLS_SERVER | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS_TLS12
                       | (for_data ? GNUTLS_NO_AUTO_SEND_TICKET : 0);
  int ret;

  stream->credentials = credentials;
  stream->fd = fd;
  stream->for_data = for_data;
  ret = gnutls_init (&stream->session, flags);
  if (ret < 0)
    {
      stream->session = NULL;
      set_tls_error (error, ret, "Cannot start TLS");
      return NULL;
    }
  ret = gnutls_priority_set (stream->session, credentials->priority);
  if (ret >= 0)
    ret = gnutls_credentials_set (stream->session, GNUTLS_CRD_CERTIFICATE,
                                  credentials->certificate);
  if (ret >= 0)
    ret = gnutls_session_ticket_enable_server (stream->session, &credentials->ticket_key);
  if (ret < 0)
    {
      set_tls_error (error, ret, "Cannot start TLS");
      return NULL;
    }
  gnutls_db_set_ptr (stream->session, stream);
  gnutls_db_set_store_function (stream->session, cache_store);
  gnutls_db_set_retrieve_function (stream->session, cache_retrieve);
  gnutls_db_set_remove_function (stream->session, cache_remove);
  gnutls_transport_set_int (stream->session, fd);
  if (!g_unix_set_fd_nonblocking (fd, TRUE, NULL))
    {
      g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_FAILED, "Cannot start TLS");
      return NULL;
    }

  while ((ret = gnutls_handshake (stream->session)) < 0)
    {
      if (gnutls_error_is_fatal (ret))
        {
          /* Tell the peer why (a protocol version below the floor, say). */
          gnutls_alert_send_appropriate (stream->session, ret);
          set_tls_error (error, ret, "TLS handshake");
          return NULL;
        }
      if ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
          && !wait_ready (stream, timeout, error))
        return NULL;
    }
  return g_steal_pointer (&stream);
}

static gboolean
stream_resumed (FerrydTlsStream *stream)
{
  return gnutls_session_is_resumed (stream->session) != 0;
}

static char *
stream_describe (FerrydTlsStream *stream)
{
  return g_strdup_printf ("%s%s",
                          gnutls_protocol_get_name (gnutls_protocol_get_version (stream->session)),
                          stream_resumed (stream) ? ", resumed" : "");
}

static gssize
stream_read (FerrydTlsStream  *stream,
             guint8           *buffer,
             gsize             len,
             guint             timeout,
             GError          **error)
{
  for (;;)
    {
      gssize n = gnutls_record_recv (stream->session, buffer, len);

      if (n >= 0)
        return n;
      /* FTP ends an upload by closing the data connection; many clients skip close_notify. */
      if (n == GNUTLS_E_PREMATURE_TERMINATION)
        return 0;
      if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
        {
          if (!wait_ready (stream, timeout, error))
            return -1;
          continue;
        }
      if (!gnutls_error_is_fatal ((int) n))
        continue;   /* a warning alert, a refused renegotiation */
      set_tls_error (error, (int) n, "TLS");
      return -1;
    }
}

static gboolean
stream_write_all (FerrydTlsStream  *stream,
                  const void       *data,
                  gsize             len,
                  guint             timeout,
                  GError          **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = gnutls_record_send (stream->session, p, len);

      if (n >= 0)
        {
          p += n;
          len -= (gsize) n;
        }
      else if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
        {
          /* GnuTLS wants the same buffer again, which the loop passes. */
          if (!wait_ready (stream, timeout, error))
            return FALSE;
        }
      else
        {
          set_tls_error (error, (int) n, "TLS");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
stream_has_input (FerrydTlsStream *stream)
{
  struct pollfd pfd = { .fd = stream->fd, .events = POLLIN };

  return gnutls_record_check_pending (stream->session) > 0 || poll (&pfd, 1, 0) > 0;
}

static void
stream_close (FerrydTlsStream *stream,
              guint            timeout)
{
  int ret;

  while ((ret = gnutls_bye (stream->session, GNUTLS_SHUT_WR)) == GNUTLS_E_AGAIN
         || ret == GNUTLS_E_INTERRUPTED)
    if (!wait_ready (stream, timeout, NULL))
      return;
}

G_MODULE_EXPORT extern const FerrydTlsModule ferryd_tls_module_v3;

const FerrydTlsModule ferryd_tls_module_v3 = {
  .load_credentials = load_credentials,
  .free_credentials = free_credentials,
  .accept = stream_accept,
  .resumed = stream_resumed,
  .describe = stream_describe,
  .read = stream_read,
  .write_all = stream_write_all,
  .has_input = stream_has_input,
  .close = stream_close,
  .free = stream_free,
};
