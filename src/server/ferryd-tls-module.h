// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-module.h — the interface of ferryd-tls.so, the loadable module that holds the
 * session's TLS (GnuTLS). The session program links GLib only, so that the many plain
 * sessions do not carry the TLS libraries; a session loads the module with dlopen() at its
 * first AUTH TLS (see ferryd-tls-loader.h).
 *
 * Errors cross as GError (the module and the session share libglib): a time-out is
 * FERRYD_ERROR_TIMED_OUT, as on plain channels. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The module's one exported symbol: its FerrydTlsModule. The number changes whenever the
 * struct does, so that a stale module is refused, not misused. */
#define FERRYD_TLS_MODULE_SYMBOL "ferryd_tls_module_v3"

/* The bytes of a session ticket key (GnuTLS: gnutls_session_ticket_key_generate). */
#define FERRYD_TLS_TICKET_KEY_SIZE 64

typedef struct _FerrydTlsCredentials FerrydTlsCredentials;
typedef struct _FerrydTlsStream      FerrydTlsStream;

typedef struct {
  /* The server's certificate and key, loaded once per session, with the lowest protocol
   * version accepted (10, 11, 12, 13 for TLS 1.0 … 1.3), the session ticket key
   * (FERRYD_TLS_TICKET_KEY_SIZE bytes, copied; NULL: a random one) and a session cache
   * of its own for TLS 1.2 resumption. */
  FerrydTlsCredentials *(*load_credentials) (const char    *cert_file,
                                             const char    *key_file,
                                             guint          min_version,
                                             const guint8  *ticket_key,
                                             GError       **error);
  void                  (*free_credentials) (FerrydTlsCredentials *credentials);

  /* Runs the server side of a handshake on fd (a connected socket, which the stream then
   * owns), waiting at most timeout seconds for each step. A control connection issues
   * session tickets and fills the session cache; a data connection (for_data) only resumes
   * from them. */
  FerrydTlsStream      *(*accept)           (FerrydTlsCredentials  *credentials,
                                             int                    fd,
                                             gboolean               for_data,
                                             guint                  timeout,
                                             GError               **error);

  /* TRUE when the handshake resumed a session that a control connection issued (a ticket
   * made with the ticket key, or a TLS 1.2 session of this process's cache) instead of
   * starting a new one. */
  gboolean              (*resumed)          (FerrydTlsStream *stream);
  /* "TLS1.3, resumed": for logs and STAT. */
  char                 *(*describe)         (FerrydTlsStream *stream);

  /* Up to len bytes; 0 at the end of the stream; -1 with error. */
  gssize                (*read)             (FerrydTlsStream  *stream,
                                             guint8           *buffer,
                                             gsize             len,
                                             guint             timeout,
                                             GError          **error);
  gboolean              (*write_all)        (FerrydTlsStream  *stream,
                                             const void       *data,
                                             gsize             len,
                                             guint             timeout,
                                             GError          **error);

  /* TRUE when a read would not block, counting bytes already decrypted (which poll(2)
   * does not see). Never waits. */
  gboolean              (*has_input)        (FerrydTlsStream *stream);

  /* Sends close_notify, waiting at most timeout seconds; errors are not interesting (the
   * peer may be gone). The stream stays to be freed. */
  void                  (*close)            (FerrydTlsStream *stream,
                                             guint            timeout);
  /* Frees the stream and closes its socket. */
  void                  (*free)             (FerrydTlsStream *stream);
} FerrydTlsModule;

G_END_DECLS
