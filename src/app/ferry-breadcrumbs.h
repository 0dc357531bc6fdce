// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-breadcrumbs.h — the path bar's crumbs, which keep the deeper folders after going up. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void ferry_breadcrumbs_init (GtkScrolledWindow *scroller,
                             GtkBox            *crumbs);
void ferry_breadcrumbs_show (GtkBox            *crumbs,
                             const char        *host,
                             const char        *path,
                             char             **branch);

G_END_DECLS
