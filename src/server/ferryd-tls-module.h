// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-module.h — the interface of ferryd-tls.so, the loadable module that holds the
 * session's TLS (GTlsServerConnection from GIO and glib-networking). The session program
 * links GLib only, so that the many plain sessions do not carry GIO's libraries; a session
 * loads the module with dlopen() at its first AUTH TLS (see ferryd-tls-loader.h).
 *
 * Errors cross as GError (the module and the session share libglib): a time-out is
 * FERRYD_ERROR_TIMED_OUT, as on plain channels. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The module's one exported symbol: its FerrydTlsModule. The number changes whenever the
 * struct does, so that a stale module is refused, not misused. */
#define FERRYD_TLS_MODULE_SYMBOL "ferryd_tls_module_v1"

typedef struct _FerrydTlsCredentials FerrydTlsCredentials;
typedef struct _FerrydTlsStream      FerrydTlsStream;

typedef struct {
  /* The server's certificate and key, loaded once per session. */
  FerrydTlsCredentials *(*load_credentials) (const char  *cert_file,
                                             const char  *key_file,
                                             GError     **error);
  void                  (*free_credentials) (FerrydTlsCredentials *credentials);

  /* Runs the server side of a handshake on fd (a connected socket, which the stream then
   * owns), waiting at most timeout seconds for each step. */
  FerrydTlsStream      *(*accept)           (FerrydTlsCredentials  *credentials,
                                             int                    fd,
                                             guint                  timeout,
                                             GError               **error);

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
