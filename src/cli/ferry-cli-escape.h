// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-escape.h — making text from a server safe to print on a terminal.
 *
 * File names, reply texts and folder paths come from the server (or from whoever uploaded
 * the file): an ESC sequence in one could retitle the terminal, clear the screen or forge
 * output (CVE-2019-6109 in OpenSSH's scp/sftp). Everything ferry-cli prints that a server
 * could have chosen goes through these functions, which are ferry_display_text() of the
 * protocol core (the app shows names with it too). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* text with every character a terminal acts on written as an escape: C0 controls (line
 * breaks included), DEL and bytes that are not UTF-8 as "\xNN"; C1 controls (U+0080–U+009F)
 * and the characters that reorder or break lines (U+2028, U+2029, bidirectional overrides
 * and isolates) as "\uNNNN". Printable text, other languages included, is unchanged. */
char *ferry_cli_escape       (const char *text);

/* The same, for several lines of output: keeps "\n" and escapes the rest. */
char *ferry_cli_escape_lines (const char *text);

/* TRUE when text has nothing ferry_cli_escape() would change. */
gboolean ferry_cli_is_printable (const char *text);

G_END_DECLS
