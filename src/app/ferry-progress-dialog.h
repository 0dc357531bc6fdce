// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-progress-dialog.h — every transfer with its progress, and the overall progress. */
#pragma once

#include <adwaita.h>

#include "ferry-transfer-queue.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PROGRESS_DIALOG (ferry_progress_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryProgressDialog, ferry_progress_dialog, FERRY, PROGRESS_DIALOG, AdwWindow)

FerryProgressDialog *ferry_progress_dialog_new       (GtkWindow           *parent);
void                 ferry_progress_dialog_set_queue (FerryProgressDialog *self,
                                                      FerryTransferQueue  *queue);
GtkListBox          *ferry_progress_dialog_get_list  (FerryProgressDialog *self);
gboolean             ferry_progress_dialog_show_first_failed (FerryProgressDialog *self);

G_END_DECLS
