// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-display-text.h — text from a server, made safe to show a person.
 *
 * File names, reply texts and folder paths come from the server (or from whoever uploaded
 * the file): an ESC sequence in one could retitle a terminal, clear the screen or forge
 * output (CVE-2019-6109 in OpenSSH's scp/sftp); bidirectional overrides make a name read
 * as another; bytes that are not UTF-8 cannot go into a GTK label. ferry-cli and the app
 * show every such string through this one function. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* text with every character a terminal or a reader would be fooled by written as an
 * escape: C0 controls (line breaks too, unless keep_newlines), DEL and bytes that are not
 * UTF-8 as "\xNN"; C1 controls (U+0080–U+009F) and the characters that reorder or break
 * lines (U+2028, U+2029, bidirectional embeddings, overrides and isolates) as "\uNNNN".
 * Printable text, other scripts included, is unchanged. NULL gives "". */
char *ferry_display_text (const char *text,
                          gboolean    keep_newlines);

G_END_DECLS
