// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-queue.h — runs transfers in the background, several at once.
 *
 * A GListModel of FerryTransfer, in the order they were added. It is created from a
 * logged-in FerryClient whose host, port, TLS mode, credentials, trust store and time-outs
 * it copies to open up to "max-parallel" connections of its own (default 2), so browsing
 * on the original client stays responsive. Connections are opened when needed and closed
 * when the queue has nothing to do.
 *
 * Properties: "max-parallel" (guint, 1–16), "n-active" (guint, read-only: queued + running),
 * "bytes-done" and "total" (gint64, read-only: over all unfinished and finished transfers
 * since the last clear), "rate" (double, bytes/s over the running ones). Signals:
 * "transfer-finished" (FerryTransfer *) when one is done, failed or cancelled.
 */
#pragma once

#include <gio/gio.h>
#include "ferry-client.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_QUEUE (ferry_transfer_queue_get_type ())
G_DECLARE_FINAL_TYPE (FerryTransferQueue, ferry_transfer_queue, FERRY, TRANSFER_QUEUE, GObject)

FerryTransferQueue *ferry_transfer_queue_new            (FerryClient *client);

guint    ferry_transfer_queue_get_max_parallel (FerryTransferQueue *self);
void     ferry_transfer_queue_set_max_parallel (FerryTransferQueue *self,
                                                guint               max_parallel);
guint    ferry_transfer_queue_get_n_active     (FerryTransferQueue *self);
gint64   ferry_transfer_queue_get_bytes_done   (FerryTransferQueue *self);
gint64   ferry_transfer_queue_get_total        (FerryTransferQueue *self);
double   ferry_transfer_queue_get_rate         (FerryTransferQueue *self);

/* Appends transfer (state QUEUED) and starts it when a slot is free. */
void     ferry_transfer_queue_add              (FerryTransferQueue *self,
                                                FerryTransfer      *transfer);
/* Cancels a queued or running transfer (ABOR on its connection). */
void     ferry_transfer_queue_cancel           (FerryTransferQueue *self,
                                                FerryTransfer      *transfer);
void     ferry_transfer_queue_cancel_all       (FerryTransferQueue *self);
/* Puts a failed or cancelled transfer back in the queue; a download resumes its .part. */
void     ferry_transfer_queue_retry            (FerryTransferQueue *self,
                                                FerryTransfer      *transfer);
/* Removes the transfers that are done, failed or cancelled. */
void     ferry_transfer_queue_clear_finished   (FerryTransferQueue *self);

G_END_DECLS
