// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-walk.h — the files and folders beneath a remote or a local folder, for du,
 * find, get -r / put -r over several connections, and mirror. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

typedef struct {
  char     *path;       /* relative to the walk's root, "a/b/c"; never empty */
  gboolean  is_dir;
  gint64    size;       /* bytes, or -1 when unknown (always -1 for folders) */
  gint64    modified;   /* seconds since the epoch (UTC), or -1 when unknown */
} FerryCliTreeItem;

void              ferry_cli_tree_item_free     (FerryCliTreeItem *item);

/* Lists root and everything beneath it (breadth-first, folders before what they hold).
 * Names that could not be saved safely as local names ("..", names with "/") are skipped
 * with a line on stderr; links and special files are left out. The result is a GPtrArray
 * of FerryCliTreeItem. */
void       ferry_cli_walk_remote_async  (FerryClient         *client,
                                         const char          *root,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray *ferry_cli_walk_remote_finish (GAsyncResult        *result,
                                         GError             **error);
/* How many entries the walk left out because of their names (after it finished). */
guint      ferry_cli_walk_remote_n_skipped (GAsyncResult     *result);

/* The same for a local folder (symbolic links are not followed and left out). */
GPtrArray *ferry_cli_walk_local         (const char          *root,
                                         GError             **error);

/* "folder/name", or name when folder is "" or NULL. */
char      *ferry_cli_path_join          (const char          *folder,
                                         const char          *name);

G_END_DECLS
