// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-conflict-dialog.h — a name clash: Replace, Keep Both or Skip, with "apply to all". */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FERRY_TYPE_CONFLICT_DIALOG (ferry_conflict_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryConflictDialog, ferry_conflict_dialog, FERRY, CONFLICT_DIALOG,
                      AdwMessageDialog)

/* Response ids of the dialog. */
#define FERRY_CONFLICT_RESPONSE_REPLACE   "replace"
#define FERRY_CONFLICT_RESPONSE_KEEP_BOTH "keep-both"
#define FERRY_CONFLICT_RESPONSE_SKIP      "skip"

GtkWidget *ferry_conflict_dialog_new              (GtkWindow           *parent,
                                                   const char          *name,
                                                   gboolean             on_server,
                                                   guint                n_remaining);
gboolean   ferry_conflict_dialog_get_apply_to_all (FerryConflictDialog *self);

G_END_DECLS
