// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-recent-row.h — one recent server on the connect page, with its Forget button. */
#pragma once

#include <adwaita.h>

#include "ferry-settings.h"

G_BEGIN_DECLS

#define FERRY_TYPE_RECENT_ROW (ferry_recent_row_get_type ())

G_DECLARE_FINAL_TYPE (FerryRecentRow, ferry_recent_row, FERRY, RECENT_ROW, AdwActionRow)

GtkWidget               *ferry_recent_row_new        (FerryRecentServer *server);
const FerryRecentServer *ferry_recent_row_get_server (FerryRecentRow    *self);

G_END_DECLS
