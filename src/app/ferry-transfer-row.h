// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-row.h — one transfer in the progress dialog. */
#pragma once

#include <gtk/gtk.h>

#include "ferry-transfer-queue.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_ROW (ferry_transfer_row_get_type ())

G_DECLARE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, FERRY, TRANSFER_ROW, GtkListBoxRow)

GtkWidget     *ferry_transfer_row_new          (FerryTransfer      *transfer,
                                                FerryTransferQueue *queue);
FerryTransfer *ferry_transfer_row_get_transfer (FerryTransferRow   *self);
const char    *ferry_transfer_row_get_status   (FerryTransferRow   *self);
/* What the row says about entries left out for their names (escaped), "" when none. */
const char    *ferry_transfer_row_get_skipped_text (FerryTransferRow *self);

char          *ferry_format_progress           (gint64              done,
                                                gint64              total,
                                                double              rate,
                                                gint64              eta);

G_END_DECLS
