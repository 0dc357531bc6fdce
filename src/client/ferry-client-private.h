// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-private.h — the control-connection primitives that transfers and the queue
 * build on, and what the ferry-client-*.c files share. Internal to the engine. */
#pragma once

#include "ferry-client.h"
#include "ferry-task.h"
#include "ferry-timed-io.h"

G_BEGIN_DECLS

#define CONTROL_READ_SIZE (16 * 1024)

/* One concept per file: ferry-client.c (the object, properties, taking turns),
 * -reply.c (commands and replies), -refusal.c (refusals as errors), -keepalive.c, -tls.c,
 * -connect.c, -login.c, -operations.c (pwd/cwd/size/mdtm/mkdir/…), -data.c (data channels,
 * abort). Only those files touch the fields; everything else goes through functions. */
struct _FerryClient
{
  GObject              parent_instance;

  GSocketClient       *socket_client;
  GSocketConnection   *socket;          /* the TCP connection under any TLS */
  GIOStream           *control;         /* socket, or the TLS connection over it */
  GInetAddress        *peer_address;    /* where data connections go, whatever PASV says */
  guint32              peer_scope_id;   /* its interface, for a link-local IPv6 address */
  FerryReplyParser    *parser;
  guint8              *read_buffer;
  guint                owed;            /* final replies not read yet (abandoned commands) */

  char                *host;
  guint16              port;
  FerryTlsMode         tls_mode;
  char                *user;
  char                *password;
  char                *welcome;
  char                *cwd;
  FerryClientFeatures  features;
  int                  hash_algorithm;  /* HASH: the FerryDigestType used; -1: none */
  gboolean             hash_selected;   /* OPTS HASH named it in this session */
  gboolean             epsv_refused;
  gboolean             logged_in;
  gboolean             protect_data;
  GTlsCertificate     *peer_certificate;
  GTlsCertificate     *accepted_certificate;
  gboolean             certificate_judged;    /* this handshake ran accept-certificate */
                                              /* accepted once (not stored) this session */
  char                *pinned_fingerprint;    /* the trust store's, when the last handshake
                                                 presented another certificate */
  FerryTrustStore     *trust_store;

  guint                connect_timeout;
  guint                reply_timeout;
  guint                data_timeout;
  guint                keepalive_interval;
  gboolean             require_verification;
  guint                keepalive_id;

  gboolean             busy;
  GQueue               waiters;
};


/* Waits until no other operation uses the control connection and takes it; fails with
 * NOT_CONNECTED when the client is (or becomes) closed. Pair with _ferry_client_release(). */
void        _ferry_client_acquire_async      (FerryClient         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    _ferry_client_acquire_finish     (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);
/* The finish for callbacks that only go on once the connection is theirs: on failure the
 * error goes to task, task is unreffed and FALSE comes back. */
gboolean    _ferry_client_acquired_for       (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GTask         *task);
void        _ferry_client_release            (FerryClient *self);

/* Sends one command line (no CR/LF allowed in it) and reads the next reply, which may be
 * preliminary (1xx). Replies owed to earlier, abandoned commands are skipped first. A
 * broken, stalled or hostile connection is closed and reported. */
void        _ferry_client_command_async      (FerryClient         *self,
                                              const char          *line,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
FerryReply *_ferry_client_command_finish     (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* Reads the next reply (after a 1xx). */
void        _ferry_client_read_reply_async   (FerryClient         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
FerryReply *_ferry_client_read_reply_finish  (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* The error for a negative (4xx/5xx) or unexpected reply to command. */
GError     *_ferry_client_reply_error        (const FerryReply *reply,
                                              const char       *command);

/* EPSV (falling back to PASV) and a connection to the control host at the port the server
 * named; wrapped in TLS (resuming the control session) when the data channel is protected.
 * Call with the connection acquired. */
void        _ferry_client_open_data_async    (FerryClient         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GIOStream  *_ferry_client_open_data_finish   (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* After a data transfer was cut short: ABOR, then NOOP, reading replies until NOOP's, so
 * the session is in step again. Closes the connection when that fails. Callers pass no
 * cancellable when the transfer's own was what cut it short: the abort must still run. */
void        _ferry_client_abort_async        (FerryClient         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    _ferry_client_abort_finish       (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* Shared between the ferry-client-*.c files --------------------------------------------- */

/* Closes the control connection quietly (no notifications). */
void         _ferry_client_close_control         (FerryClient *self);
/* The connection broke or went out of step: close it, fail waiters, notify "connected". */
void         _ferry_client_lose_connection       (FerryClient *self);
void         _ferry_client_set_current_directory (FerryClient *self,
                                                  const char  *cwd);
/* Hands the control connection to the next waiter, or marks it free. */
void         _ferry_client_grant_next            (FerryClient *self);
/* (Re)starts the idle timer that sends NOOP. */
void         _ferry_client_schedule_keepalive    (FerryClient *self);
/* Wraps base in a client-side TLS connection (for_data: resume the control session). */
GIOStream   *_ferry_client_wrap_tls              (FerryClient  *self,
                                                  GIOStream    *base,
                                                  gboolean      for_data,
                                                  GError      **error);
/* FALSE (with error) when the handshake settled on a TLS version below 1.2. */
/* After a control handshake: a session resumed from an earlier connection showed no
 * certificate to accept-certificate; judges it now. FALSE (TLS_UNTRUSTED/CHANGED) when
 * nobody accepts it. */
gboolean     _ferry_client_check_resumed_certificate (FerryClient     *self,
                                                      GTlsConnection  *connection,
                                                      GError         **error);
gboolean     _ferry_client_check_tls_version     (FerryClient     *self,
                                                  GTlsConnection  *connection,
                                                  GError         **error);
/* Takes error (from a handshake); returns it in FERRY_CLIENT_ERROR terms. */
GError      *_ferry_client_tls_error             (FerryClient *self,
                                                  GError      *error);
/* A FEAT line ("HASH SHA-1;SHA-256*", upper-cased): picks the algorithm HASH uses
 * (ferry-client-hash.c). */
void         _ferry_client_parse_hash_feature    (FerryClient *self,
                                                  const char  *line);
/* The folder named in a 257 reply to PWD, or NULL. */
char        *_ferry_client_parse_pwd             (const char *text);

/* A new, unconnected client with the same time-outs and trust store. */
FerryClient *_ferry_client_new_like          (FerryClient *self);
/* The password used at login (for the queue's extra connections), or NULL. */
const char  *_ferry_client_get_password      (FerryClient *self);

G_END_DECLS
