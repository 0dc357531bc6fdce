// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-mlsx.h — MLSD/MLST fact lines (RFC 3659 §7):
 * "type=file;size=6;modify=20261127061500; name" */
#pragma once

#include <glib.h>
#include "ferry-entry.h"

G_BEGIN_DECLS

typedef enum {
  FERRY_MLSX_FACT_TYPE      = 1 << 0,
  FERRY_MLSX_FACT_SIZE      = 1 << 1,
  FERRY_MLSX_FACT_MODIFY    = 1 << 2,
  FERRY_MLSX_FACT_PERM      = 1 << 3,
  FERRY_MLSX_FACT_UNIX_MODE = 1 << 4,
} FerryMlsxFacts;

#define FERRY_MLSX_FACTS_DEFAULT \
  (FERRY_MLSX_FACT_TYPE | FERRY_MLSX_FACT_SIZE | FERRY_MLSX_FACT_MODIFY | FERRY_MLSX_FACT_PERM)

/* Parses one line (without CRLF; a trailing CR/LF is tolerated). Fact names are
 * case-insensitive, unknown facts ignored; the name after the first "; " is byte-exact and
 * may contain ';' and spaces. type=file/dir/cdir/pdir map to their entry types,
 * OS.unix=symlink and OS.unix=slink:… to FERRY_ENTRY_SYMLINK, anything else to _OTHER;
 * without a type fact an entry with a size is a file. Returns NULL with *error for a
 * malformed line (_MALFORMED) or a fact value that cannot be used (_OUT_OF_RANGE: negative
 * or overflowing size, impossible modify time, UNIX.mode over 07777). */
FerryEntry *ferry_mlsx_parse_line (const char *line, GError **error);

/* Appends "fact=value;…; name\r\n" for the server (MLSD). For MLST, the caller adds the
 * leading space that RFC 3659 requires. Facts the entry does not know are left out
 * (size < 0, modified unknown, perm NULL, mode 0). No heap allocation besides the growth of
 * out. The name is written as it is: see ferry_name_is_listable(). */
void        ferry_mlsx_append_line (GString          *out,
                                    const FerryEntry *entry,
                                    FerryMlsxFacts    facts);

/* "Type*;Size*;Modify*;Perm*;UNIX.mode;" — the FEAT line listing facts, '*' for enabled ones. */
char       *ferry_mlsx_format_feat (FerryMlsxFacts enabled);

/* Parses the argument of "OPTS MLST type;size;" into the enabled facts (unknown ignored). */
FerryMlsxFacts ferry_mlsx_parse_opts (const char *arg);

G_END_DECLS
