// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-progress-icon.h — a small pie showing the overall transfer progress, and once
 * everything has stopped, a check mark or (when something failed) an exclamation mark. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FERRY_TYPE_PROGRESS_ICON (ferry_progress_icon_get_type ())

G_DECLARE_FINAL_TYPE (FerryProgressIcon, ferry_progress_icon, FERRY, PROGRESS_ICON, GtkWidget)

GtkWidget *ferry_progress_icon_new          (void);
double     ferry_progress_icon_get_fraction (FerryProgressIcon *self);
void       ferry_progress_icon_set_fraction (FerryProgressIcon *self,
                                             double             fraction);
gboolean   ferry_progress_icon_get_finished (FerryProgressIcon *self);
guint      ferry_progress_icon_get_n_failed (FerryProgressIcon *self);
void       ferry_progress_icon_set_finished (FerryProgressIcon *self,
                                             gboolean           finished,
                                             guint              n_failed);

G_END_DECLS
