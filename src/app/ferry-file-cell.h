// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-file-cell.h — one cell of the file list, knowing the list item it shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FERRY_TYPE_FILE_CELL (ferry_file_cell_get_type ())

G_DECLARE_FINAL_TYPE (FerryFileCell, ferry_file_cell, FERRY, FILE_CELL, GtkBox)

GtkListItem *ferry_file_cell_get_list_item (FerryFileCell *self);

G_END_DECLS
