// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-preferences-window.h — download folder, parallel transfers, confirm before delete. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FERRY_TYPE_PREFERENCES_WINDOW (ferry_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window, FERRY, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *ferry_preferences_window_new (GtkWindow *parent);

G_END_DECLS
