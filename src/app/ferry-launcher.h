// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-launcher.h — open a downloaded file, or show it in the file manager. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     ferry_launcher_open_async            (GtkWindow            *parent,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean ferry_launcher_open_finish           (GAsyncResult         *result,
                                               GError              **error);
void     ferry_launcher_show_in_folder_async  (GtkWindow            *parent,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean ferry_launcher_show_in_folder_finish (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
