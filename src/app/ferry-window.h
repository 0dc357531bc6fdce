// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window.h — one window browsing one server. */
#pragma once

#include <adwaita.h>

#include "ferry-application.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

FerryWindow *ferry_window_new          (FerryApplication *application);
gboolean     ferry_window_is_connected (FerryWindow      *self);
void         ferry_window_focus_default (FerryWindow     *self);
/* Quitting: ends the files being edited in other applications; copies with changes
 * that were not uploaded are kept, and a notification says where. */
void         ferry_window_end_edits    (FerryWindow      *self);

G_END_DECLS
