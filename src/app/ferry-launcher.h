// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-launcher.h — open a downloaded file, or show it in the file manager. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ferry_launcher_open           (GtkWindow *parent,
                                    GFile     *file);
void ferry_launcher_show_in_folder (GtkWindow *parent,
                                    GFile     *file);

G_END_DECLS
