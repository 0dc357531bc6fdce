// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-entry.h — one entry of a remote folder listing, as both the server formats it and
 * the client parses it (MLSD facts or LIST lines). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FERRY_ENTRY_FILE,
  FERRY_ENTRY_DIRECTORY,
  FERRY_ENTRY_SYMLINK,
  FERRY_ENTRY_OTHER,
  FERRY_ENTRY_CURRENT_DIR,   /* MLSD type=cdir: the listed folder itself */
  FERRY_ENTRY_PARENT_DIR,    /* MLSD type=pdir */
} FerryEntryType;

#define FERRY_ENTRY_UNKNOWN (-1)

typedef struct {
  char           *name;       /* owned; a stack entry used only for formatting may borrow */
  FerryEntryType  type;
  gint64          size;       /* bytes, or FERRY_ENTRY_UNKNOWN */
  gint64          modified;   /* seconds since the Unix epoch (UTC), or FERRY_ENTRY_UNKNOWN */
  guint32         mode;       /* Unix permission bits (0777 mask), 0 when unknown */
  char           *perm;       /* MLSx "perm" fact (e.g. "adfrw"), owned, NULL when unknown */
  char           *link_target;/* LIST "name -> target", owned, NULL when none */
} FerryEntry;

FerryEntry *ferry_entry_new  (const char *name, FerryEntryType type);
FerryEntry *ferry_entry_copy (const FerryEntry *entry);
void        ferry_entry_free (FerryEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryEntry, ferry_entry_free)

G_END_DECLS
