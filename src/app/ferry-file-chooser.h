// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-file-chooser.h — pick local files or a folder with the portal-friendly chooser of
 * the running GTK (GtkFileDialog from 4.10, GtkFileChooserNative before). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  FERRY_CHOOSE_FILES,    /* one or more files to open */
  FERRY_CHOOSE_FOLDER,   /* one folder */
} FerryChooseMode;

void        ferry_file_chooser_choose_async  (GtkWindow          *parent,
                                              FerryChooseMode     mode,
                                              const char         *title,
                                              const char         *accept_label,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
GListModel *ferry_file_chooser_choose_finish (GAsyncResult       *result,
                                              GError            **error);

G_END_DECLS
