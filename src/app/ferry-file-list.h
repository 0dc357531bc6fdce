// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-file-list.h — the remote folder as a sortable, filterable column view. */
#pragma once

#include <gtk/gtk.h>

#include "ferry-remote-file.h"

G_BEGIN_DECLS

#define FERRY_TYPE_FILE_LIST (ferry_file_list_get_type ())

G_DECLARE_FINAL_TYPE (FerryFileList, ferry_file_list, FERRY, FILE_LIST, GtkWidget)

GtkWidget  *ferry_file_list_new                (void);
void        ferry_file_list_set_loading        (FerryFileList *self);
void        ferry_file_list_set_entries        (FerryFileList *self,
                                                const char    *folder,
                                                GPtrArray     *entries);
void        ferry_file_list_clear              (FerryFileList *self);
const char *ferry_file_list_get_folder         (FerryFileList *self);
void        ferry_file_list_set_show_hidden    (FerryFileList *self,
                                                gboolean       show_hidden);
void        ferry_file_list_set_compact        (FerryFileList *self,
                                                gboolean       compact);
GListModel *ferry_file_list_get_model          (FerryFileList *self);
GtkWidget  *ferry_file_list_get_view           (FerryFileList *self);
GPtrArray  *ferry_file_list_get_selected_files (FerryFileList *self);
GPtrArray  *ferry_file_list_get_files_at       (FerryFileList *self,
                                                double         x,
                                                double         y);
FerryRemoteFile *ferry_file_list_lookup        (FerryFileList *self,
                                                const char    *name);
void        ferry_file_list_select_name        (FerryFileList *self,
                                                const char    *name);
void        ferry_file_list_popup_menu         (FerryFileList *self,
                                                double         x,
                                                double         y);
void        ferry_file_list_set_drop_highlight (FerryFileList *self,
                                                gboolean       highlight);

G_END_DECLS
