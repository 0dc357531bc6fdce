// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-io.h — the one place where a session reads, writes and waits on its connections.
 *
 * A FerrydChannel is a connected socket (control or data), plain or wrapped in TLS. Every
 * wait has a time-out in seconds (0: none); a time-out is FERRYD_ERROR_TIMED_OUT. Sockets are
 * non-blocking underneath so that no call can hang past its time-out. */
#pragma once

#include <glib.h>

#include "ferryd-error.h"
#include "ferryd-tls-module.h"

G_BEGIN_DECLS

typedef struct _FerrydChannel FerrydChannel;

/* Takes ownership of fd (a connected stream socket). */
FerrydChannel *ferryd_channel_new        (int fd);
void           ferryd_channel_free       (FerrydChannel *channel);

int            ferryd_channel_get_fd     (FerrydChannel *channel);
gboolean       ferryd_channel_is_tls     (FerrydChannel *channel);

/* Hands the channel over to TLS: from now on all bytes go through tls (a stream of the TLS
 * module, built on a dup of this channel's fd). Takes tls. */
void           ferryd_channel_set_tls    (FerrydChannel         *channel,
                                          const FerrydTlsModule *module,
                                          FerrydTlsStream       *tls);

/* Reads up to len bytes, waiting at most timeout seconds. 0 means end of stream. */
gssize         ferryd_channel_read       (FerrydChannel *channel,
                                          guint8        *buffer,
                                          gsize          len,
                                          guint          timeout,
                                          GError       **error);

gboolean       ferryd_channel_write_all  (FerrydChannel *channel,
                                          const void    *data,
                                          gsize          len,
                                          guint          timeout,
                                          GError       **error);

/* Sends up to count bytes of file_fd from *offset with sendfile(2) (plain channels only),
 * advancing *offset. It waits in the kernel while the socket buffer is full (the fastest
 * way: no poll round trips), but never more than FERRYD_SENDFILE_WAIT_MS without progress,
 * so that the caller can look at the control connection. Returns the bytes sent, 0 when
 * none could be sent in that time, or -1 with error. */
#define FERRYD_SENDFILE_WAIT_MS 200

gssize         ferryd_channel_sendfile   (FerrydChannel *channel,
                                          int            file_fd,
                                          goffset       *offset,
                                          gsize          count,
                                          GError       **error);

/* Moves up to count bytes from the channel into file_fd (at its position) with splice(2)
 * through pipe_fds, never copying them through user space (plain channels only). Returns
 * the bytes moved, 0 at the end of the stream, or -1: with FERRYD_ERROR_WOULD_BLOCK when no
 * bytes are there yet, with *file_errno set when writing the file failed (ENOSPC, EFBIG…),
 * else with error for the connection. */
gssize         ferryd_channel_splice_to_file (FerrydChannel *channel,
                                              int            pipe_fds[2],
                                              int            file_fd,
                                              gsize          count,
                                              int           *file_errno,
                                              GError       **error);

/* TRUE when a read would not block: bytes (or the end) are there, including bytes TLS
 * already decrypted. Never waits. */
gboolean       ferryd_channel_has_input  (FerrydChannel *channel);

/* TRUE when the peer closes or resets its side within grace_ms milliseconds, as far as can
 * be seen without reading. Input does not end the wait. */
gboolean       ferryd_channel_peer_gone  (FerrydChannel *channel,
                                          int            grace_ms);

/* Orderly end: TLS close_notify when wrapped, then close(2). Errors are not interesting
 * here (the peer may be gone); the channel is freed. */
void           ferryd_channel_close      (FerrydChannel *channel,
                                          guint          timeout);

/* What a transfer loop waits for: the data channel ready in the direction it moves bytes,
 * or input on the control channel. */
typedef enum {
  FERRYD_WAIT_DATA    = 1 << 0,
  FERRYD_WAIT_CONTROL = 1 << 1,
} FerrydWaitResult;

/* Waits until data is ready (writable when for_write, else readable) or control has input.
 * Returns the ready set, or 0 with FERRYD_ERROR_TIMED_OUT after timeout seconds. */
FerrydWaitResult ferryd_channel_wait     (FerrydChannel *data,
                                          gboolean       for_write,
                                          FerrydChannel *control,
                                          guint          timeout,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydChannel, ferryd_channel_free)

G_END_DECLS
