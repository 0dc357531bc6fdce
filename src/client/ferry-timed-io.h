// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-timed-io.h — stream reads and writes that give up after a stall.
 *
 * Each call runs with its own deadline: when no progress is made within timeout_ms the
 * operation fails with FERRY_CLIENT_ERROR_TIMED_OUT (the stream is left to the caller to
 * close). The caller's cancellable still wins with G_IO_ERROR_CANCELLED. Internal to the
 * engine.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A time limit on one step: its cancellable is cancelled by the caller's cancellable or
 * when the time runs out (ferry_deadline_arm() starts or restarts the clock; 0 ms: none). */
typedef struct _FerryDeadline FerryDeadline;

FerryDeadline *ferry_deadline_new             (guint          timeout_ms,
                                               GCancellable  *cancellable);
void           ferry_deadline_arm             (FerryDeadline *deadline);
GCancellable  *ferry_deadline_get_cancellable (FerryDeadline *deadline);
/* Takes error; returns TIMED_OUT when the deadline caused a cancellation, else the error
 * through ferry_client_error_from_io(). */
GError        *ferry_deadline_translate       (FerryDeadline *deadline,
                                               GError        *error,
                                               const char    *what);
void           ferry_deadline_free            (FerryDeadline *deadline);

/* Reads at most count bytes; 0 means end of stream. */
void     ferry_timed_read_async       (GInputStream        *stream,
                                       void                *buffer,
                                       gsize                count,
                                       guint                timeout_ms,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gssize   ferry_timed_read_finish      (GInputStream  *stream,
                                       GAsyncResult  *result,
                                       GError       **error);

/* Writes all count bytes (buffer must stay valid until the callback). */
void     ferry_timed_write_all_async  (GOutputStream       *stream,
                                       const void          *buffer,
                                       gsize                count,
                                       guint                timeout_ms,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean ferry_timed_write_all_finish (GOutputStream *stream,
                                       GAsyncResult  *result,
                                       GError       **error);

/* Turns GIO's errors into the engine's: connection reset/closed → CONNECTION_LOST,
 * no space → DISK_FULL, refused → CONNECTION_REFUSED, … Cancellation and errors already
 * in FERRY_CLIENT_ERROR pass unchanged. what says what was going on ("reading the reply"). */
GError  *ferry_client_error_from_io   (const GError *error,
                                       const char   *what);

G_END_DECLS
