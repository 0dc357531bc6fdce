// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-drag-cache.h — the folders in ~/.cache/ferry/drag/ that files dragged out of the
 * window are downloaded into, and their removal. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Entries older than this are left over from an earlier run and go at start-up. */
#define FERRY_DRAG_CACHE_MAX_AGE (G_TIME_SPAN_DAY)

/* After a drop, the file manager may still be copying from the folder. */
#define FERRY_DRAG_CACHE_GRACE_SECONDS 120

char     *ferry_drag_cache_dir                (void);
GFile    *ferry_drag_cache_new_folder         (GError       **error);
void      ferry_drag_cache_prune_async        (GTimeSpan      max_age,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
guint     ferry_drag_cache_prune_finish       (GAsyncResult  *result,
                                               GError       **error);
void      ferry_drag_cache_remove_later       (GFile         *folder,
                                               guint          seconds);

G_END_DECLS
