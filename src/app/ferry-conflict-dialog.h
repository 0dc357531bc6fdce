// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-conflict-dialog.h — a name clash: Replace, Keep Both or Skip for a file (with the
 * sizes and dates of both), Merge, Skip or Cancel for a folder. */
#pragma once

#include <adwaita.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONFLICT_DIALOG (ferry_conflict_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryConflictDialog, ferry_conflict_dialog, FERRY, CONFLICT_DIALOG,
                      AdwMessageDialog)

/* Response ids of the dialog. */
#define FERRY_CONFLICT_RESPONSE_REPLACE   "replace"
#define FERRY_CONFLICT_RESPONSE_KEEP_BOTH "keep-both"
#define FERRY_CONFLICT_RESPONSE_SKIP      "skip"
#define FERRY_CONFLICT_RESPONSE_MERGE     "merge"     /* folders */
#define FERRY_CONFLICT_RESPONSE_CANCEL    "cancel"    /* folders: and every clash waiting */

GtkWidget *ferry_conflict_dialog_new              (GtkWindow           *parent,
                                                   const char          *name,
                                                   gboolean             on_server,
                                                   guint                n_remaining);
GtkWidget *ferry_conflict_dialog_new_folder       (GtkWindow           *parent,
                                                   const char          *name,
                                                   gboolean             on_server);
/* The facts of both files: sizes (-1: unknown) and modification times (NULL: unknown) of
 * the file already there and of the one that would replace it. */
void       ferry_conflict_dialog_set_facts        (FerryConflictDialog *self,
                                                   gint64               existing_size,
                                                   GDateTime           *existing_modified,
                                                   gint64               incoming_size,
                                                   GDateTime           *incoming_modified);
/* Looks the facts up: the local file on disk, the remote one with SIZE and MDTM on
 * client; the labels fill in as the answers come. */
void       ferry_conflict_dialog_load_facts       (FerryConflictDialog *self,
                                                   FerryClient         *client,
                                                   const char          *remote_path,
                                                   GFile               *local_file);
gboolean   ferry_conflict_dialog_get_apply_to_all (FerryConflictDialog *self);

G_END_DECLS
