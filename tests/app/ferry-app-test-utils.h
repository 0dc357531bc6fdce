// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-app-test-utils.h — shared helpers for the GTK tests: spin the main loop until a
 * condition holds, read files, save screenshots. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*FerryTestCondition) (gpointer data);

void      ferry_test_init          (int *argc, char ***argv);
gboolean  ferry_test_wait_for      (FerryTestCondition condition,
                                    gpointer           data,
                                    guint              timeout_ms);
void      ferry_test_spin          (guint              ms);
GBytes   *ferry_test_read_file     (const char        *path);
void      ferry_test_screenshot    (GtkWidget         *widget,
                                    const char        *name);
char     *ferry_test_make_tmpdir   (const char        *name);
void      ferry_test_rm_rf         (const char        *path);

G_END_DECLS
