/* ferry-client-private.h — the control-connection primitives that transfers and the queue
 * build on. Internal to the engine. */
#pragma once

#include "ferry-client.h"

G_BEGIN_DECLS

/* Waits until no other operation uses the control connection and takes it; fails with
 * NOT_CONNECTED when the client is (or becomes) closed. Pair with _ferry_client_release(). */
void        _ferry_client_acquire_async      (FerryClient         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    _ferry_client_acquire_finish     (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);
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
 * the session is in step again. Closes the connection when that fails. */
void        _ferry_client_abort_async        (FerryClient         *self,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    _ferry_client_abort_finish       (FerryClient   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* A new, unconnected client with the same time-outs and trust store. */
FerryClient *_ferry_client_new_like          (FerryClient *self);
/* The password used at login (for the queue's extra connections), or NULL. */
const char  *_ferry_client_get_password      (FerryClient *self);

G_END_DECLS
