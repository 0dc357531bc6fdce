/* ferry-list-format.h — LIST lines: the server formats Unix "ls -l" lines; the client parses
 * Unix and Windows/DOS (IIS) styles as a fallback for servers without MLSD (vsftpd). */
#pragma once

#include <glib.h>
#include "ferry-entry.h"

G_BEGIN_DECLS

/* Appends "-rw-r--r--    1 ftp      ftp          1234 Nov 27 06:15 name\r\n".
 * Entries modified within six months of now (seconds, UTC) show the time, older ones the
 * year, as ls does. Owner and group are always "ftp" (uid/gid are not the client's business). */
void        ferry_list_append_unix_line (GString          *out,
                                         const FerryEntry *entry,
                                         gint64            now);

/* Parses one LIST line of either style. Unix lines without a year are placed in the
 * twelve months up to now (+1 day tolerance). Returns NULL with *error for lines that are
 * not entries (e.g. "total 12") or malformed ones: the caller skips those. */
FerryEntry *ferry_list_parse_line (const char *line, gint64 now, GError **error);

G_END_DECLS
