// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-complete.h — Tab completion at the prompt: command names, remote paths (from a
 * cache of folder listings, forgotten when a command changes the folder) and local paths. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

/* The client whose folders complete (NULL: none, e.g. after close). Borrowed. */
void ferry_cli_complete_set_client (FerryClient *client);

/* A command changed remote folder (absolute path): list it again next time. */
void ferry_cli_complete_forget     (const char  *folder);

/* Forget every folder (after open/close, or a change to a whole tree). */
void ferry_cli_complete_forget_all (void);

/* The candidates for word (unquoted), typed after the words before it (none: word is the
 * command name): sorted, folders end in "/". Blocks on a listing when the folder is not
 * cached yet (the prompt is idle then), at most a few seconds. */
GStrv ferry_cli_complete_candidates (const char * const *before,
                                     const char         *word,
                                     const char * const *command_names);

G_END_DECLS
