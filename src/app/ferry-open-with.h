// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-open-with.h — pick an application for a file, and open the file in it to edit. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* In a sandbox the desktop portal asks the user itself: no chooser then, and
 * ferry_open_with_launch_async() takes no application. */
gboolean  ferry_open_with_portal_asks      (void);

/* Asks for an application for a file named name (shown as shown) in GtkAppChooserDialog.
 * The finish returns the application (unref it), or NULL when the user cancelled. */
void      ferry_open_with_choose_async     (GtkWindow            *parent,
                                            const char           *name,
                                            const char           *shown,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GAppInfo *ferry_open_with_choose_finish    (GAsyncResult         *result,
                                            GError              **error);

/* Opens file in app, or with app NULL through the portal's OpenFile, which asks the user
 * and lets the application write to the file. */
void      ferry_open_with_launch_async     (GtkWindow            *parent,
                                            GFile                *file,
                                            GAppInfo             *app,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  ferry_open_with_launch_finish    (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
