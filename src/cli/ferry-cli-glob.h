// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-glob.h — wildcards (*, ?, […]) in the prompt's names, matched on the client
 * against a listing: a pattern is never sent to the server. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

/* TRUE when word has a wildcard (an unescaped *, ? or [). */
gboolean   ferry_cli_glob_has_magic     (const char  *word);

/* TRUE when name matches pattern as a shell would: a leading "." only by a leading ".". */
gboolean   ferry_cli_glob_match         (const char  *pattern,
                                         const char  *name);

/* Splits "a/b/x*.jpg" into folder ("a/b", NULL for none) and pattern ("x*.jpg"). Wildcards
 * in the folder part are refused (G_IO_ERROR_INVALID_ARGUMENT). */
gboolean   ferry_cli_glob_split         (const char  *word,
                                         char       **folder,
                                         char       **pattern,
                                         GError     **error);

/* The local names matching word, sorted ("dir/name" when word names a folder); an error
 * line ("cannot upload …") when nothing matches. */
GStrv      ferry_cli_glob_local         (const char  *word,
                                         GError     **error);

/* The remote entries matching word, from a listing of its folder: a GPtrArray of
 * FerryEntry whose names are the paths to use ("a/b/x.jpg"), sorted; an error when
 * nothing matches. Only_files leaves folders out. */
void       ferry_cli_glob_remote_async  (FerryClient         *client,
                                         const char          *word,
                                         gboolean             only_files,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray *ferry_cli_glob_remote_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
