// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-share-window.h — "Share a Folder": the setup, then the sharing page. */
#pragma once

#include <adwaita.h>

#include "ferry-share.h"

G_BEGIN_DECLS

#define FERRY_TYPE_SHARE_WINDOW (ferry_share_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryShareWindow, ferry_share_window, FERRY, SHARE_WINDOW, AdwWindow)

GtkWidget  *ferry_share_window_new               (GtkApplication   *application);
/* What the folder chooser does: the folder, and the choice remembered for it. */
void        ferry_share_window_set_folder        (FerryShareWindow *self,
                                                  GFile            *folder);
void        ferry_share_window_set_password_mode (FerryShareWindow *self,
                                                  gboolean          password_mode);
gboolean    ferry_share_window_get_password_mode (FerryShareWindow *self);

/* While sharing: the share, its two addresses and the QR code's texture (of the IP one). */
FerryShare *ferry_share_window_get_share         (FerryShareWindow *self);
char       *ferry_share_window_get_host_url      (FerryShareWindow *self);
char       *ferry_share_window_get_ip_url        (FerryShareWindow *self);
GdkTexture *ferry_share_window_get_qr_texture    (FerryShareWindow *self);

/* Stops sharing; a hidden window (Keep Sharing) then goes away. */
void        ferry_share_window_stop              (FerryShareWindow *self);
gboolean    ferry_share_window_is_sharing        (FerryShareWindow *self);

/* The app's share window, if one is open (shown or sharing in the background). */
FerryShareWindow *ferry_share_window_find        (GtkApplication   *application);

/* Installs "win.share-folder" on a window class: it shows the app's share window (the one
 * already sharing, if there is one). */
void        ferry_share_window_install_action    (GtkWidgetClass   *window_class);
/* Adds "app.stop-sharing" and "app.show-sharing" (the background notification's buttons,
 * and `gapplication action` for scripts). */
void        ferry_share_window_add_app_actions   (GtkApplication   *application);

G_END_DECLS
