// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-data-pump.h — moving a plain data connection's bytes in one worker thread.
 *
 * A regular file is not pollable, so GIO's async file writes hop to its thread pool for every
 * chunk (tens of thousands of futex calls and context switches per GiB). A pump instead runs
 * the whole transfer of one file in one worker thread with blocking system calls: recv(2)
 * into a large buffer and write(2) for downloads, sendfile(2) for uploads. Progress reaches
 * the transfer in the caller's main context at most ~10 times a second; the cancellable is
 * honoured between chunks and while waiting; a stall longer than the data time-out fails
 * with FERRY_CLIENT_ERROR_TIMED_OUT. TLS data channels are not pumped (they stay on the async
 * path). Internal to the engine.
 */
#pragma once

#include <gio/gio.h>

#include "ferry-digest.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

/* Whether data is a plain socket connection a pump can drive. */
gboolean ferry_data_pump_can_drive      (GIOStream *data);

/* Receives until the server closes the data connection, writing to file_fd at its current
 * position. limit: the most bytes to accept (-1: no limit); more than that stops the pump
 * and sets *overflowed at finish. file_label names the local file in errors. digest (taken;
 * NULL: none) is fed every byte written, and its hex result is given at finish. close_file:
 * file_fd is the pump's, closed in its worker when the bytes are in (or it failed); a failed
 * close fails the download. */
void     ferry_data_pump_download_async (GIOStream           *data,
                                         int                  file_fd,
                                         const char          *file_label,
                                         gint64               limit,
                                         FerryDigest         *digest,
                                         gboolean             close_file,
                                         guint                timeout_ms,
                                         FerryTransfer       *transfer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);

/* Sends file_fd from its current position to its end. */
void     ferry_data_pump_upload_async   (GIOStream           *data,
                                         int                  file_fd,
                                         const char          *file_label,
                                         guint                timeout_ms,
                                         FerryTransfer       *transfer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);

/* Returns the bytes moved (all of them already added to the transfer), or -1 with error.
 * overflowed (may be NULL) tells whether a download stopped at its limit; digest (may be
 * NULL) gets the hex checksum of a download that was given a digest and ended at the
 * server's end of data (NULL otherwise: after an overflow, say). */
gint64   ferry_data_pump_finish         (GAsyncResult  *result,
                                         gboolean      *overflowed,
                                         char         **digest,
                                         GError       **error);

G_END_DECLS
