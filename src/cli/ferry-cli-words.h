// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-words.h — splits a prompt line into words, with shell quoting so names with
 * spaces work: get "my file.txt", put my\ file.txt. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns the words of line (an empty vector for a blank line or a "#" comment), or NULL
 * with an error for unbalanced quotes. */
GStrv ferry_cli_split_words (const char  *line,
                             GError     **error);

G_END_DECLS
