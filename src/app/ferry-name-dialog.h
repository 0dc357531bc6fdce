// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-name-dialog.h — asks for a file or folder name (New Folder, Rename). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FERRY_TYPE_NAME_DIALOG (ferry_name_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryNameDialog, ferry_name_dialog, FERRY, NAME_DIALOG, AdwMessageDialog)

/* The response id of the accept button; "cancel" is the other. */
#define FERRY_NAME_RESPONSE_ACCEPT "accept"

GtkWidget  *ferry_name_dialog_new      (GtkWindow       *parent,
                                        const char      *heading,
                                        const char      *initial,
                                        const char      *accept_label);
const char *ferry_name_dialog_get_name (FerryNameDialog *self);

G_END_DECLS
