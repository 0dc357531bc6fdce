// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-list-format.h — LIST lines: the server formats Unix "ls -l" lines; the client parses
 * Unix and Windows/DOS (IIS) styles as a fallback for servers without MLSD (vsftpd). */
#pragma once

#include <glib.h>
#include "ferry-entry.h"

G_BEGIN_DECLS

/* Appends "-rw-r--r--    1 ftp      ftp          1234 Nov 27 06:15 name\r\n".
 * Entries modified within six months of now (seconds, UTC) show the time, older ones and
 * future ones the year, as ls does. Owner and group are always "ftp" (uid/gid are not the
 * client's business). A mode of 0 shows 0644 (0755 for folders); a symlink with a target
 * shows "name -> target"; FERRY_ENTRY_OTHER shows '?'. No heap allocation besides the
 * growth of out. The name is written as it is: see ferry_name_is_listable(). */
void        ferry_list_append_unix_line (GString          *out,
                                         const FerryEntry *entry,
                                         gint64            now);

/* Parses one LIST line of either style (a trailing CR/LF is tolerated). Unix lines
 * without a year are placed in the twelve months up to now (+1 day tolerance); the name
 * is everything after the single space that follows the date, byte-exact ("a -> b" is
 * split for symlinks only). DOS lines: "MM-DD-YY[YY]  HH:MM[AM|PM]  <DIR>|size  name";
 * two-digit years below 70 are 20xx. Times are taken as UTC. Device files and other
 * special types have no size. Returns NULL with *error for lines that are not entries
 * (e.g. "total 12") or malformed ones (_MALFORMED), and for impossible dates, years before
 * 1000 or sizes over G_MAXINT64 (_OUT_OF_RANGE): the caller skips those. */
FerryEntry *ferry_list_parse_line (const char *line, gint64 now, GError **error);

G_END_DECLS
