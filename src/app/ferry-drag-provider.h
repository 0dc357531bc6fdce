// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-drag-provider.h — remote files dragged out of the list, delivered as local files
 * once their downloads are done. */
#pragma once

#include <gtk/gtk.h>

#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DRAG_PROVIDER (ferry_drag_provider_get_type ())

G_DECLARE_FINAL_TYPE (FerryDragProvider, ferry_drag_provider, FERRY, DRAG_PROVIDER,
                      GdkContentProvider)

GdkContentProvider *ferry_drag_provider_new        (GPtrArray         *downloads,
                                                    GFile             *folder);
GFile              *ferry_drag_provider_get_folder (FerryDragProvider *self);

G_END_DECLS
