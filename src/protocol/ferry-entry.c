// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-entry.c — one entry of a remote folder listing. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-entry.h"

FerryEntry *
ferry_entry_new (const char     *name,
                 FerryEntryType  type)
{
  FerryEntry *entry = g_new0 (FerryEntry, 1);

  entry->name = g_strdup (name);
  entry->type = type;
  entry->size = FERRY_ENTRY_UNKNOWN;
  entry->modified = FERRY_ENTRY_UNKNOWN;
  return entry;
}

FerryEntry *
ferry_entry_copy (const FerryEntry *entry)
{
  FerryEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new (FerryEntry, 1);
  *copy = *entry;
  copy->name = g_strdup (entry->name);
  copy->perm = g_strdup (entry->perm);
  copy->link_target = g_strdup (entry->link_target);
  return copy;
}

void
ferry_entry_free (FerryEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->name);
  g_free (entry->perm);
  g_free (entry->link_target);
  g_free (entry);
}
