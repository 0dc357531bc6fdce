// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-list-line.c — LIST lines (Unix and DOS) on arbitrary text.
 *
 * Invariants: a parsed entry has a non-empty name, a size that is unknown or ≥ 0, a mode
 * within 0777 and a time within years 1000–9999; formatting it as the server does parses
 * back to the same name, type, size, link target and mode, and to its time as shown
 * (minutes for recent entries, days for others). */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

#define SIX_MONTHS G_GINT64_CONSTANT (15778476)
#define DAY G_GINT64_CONSTANT (86400)

static const gint64 nows[] = {
  G_GINT64_CONSTANT (1795760100),   /* 2026-11-27 06:15 */
  G_GINT64_CONSTANT (1709251199),   /* 2024-02-29 23:59:59 */
  G_GINT64_CONSTANT (1798761600),   /* 2027-01-01 00:00 */
  G_GINT64_CONSTANT (0),
};

static gint64
floor_to (gint64 t,
          gint64 unit)
{
  return t - ((t % unit) + unit) % unit;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *text = g_strndup ((const char *) data, size);
  gint64 now = nows[size > 0 ? data[size - 1] % G_N_ELEMENTS (nows) : 0];
  GError *error = NULL;
  FerryEntry *entry = ferry_list_parse_line (text, now, &error);

  if (entry != NULL)
    {
      GString *out = g_string_new (NULL);
      FerryEntry *again;
      gint64 shown;

      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (entry->name != NULL && entry->name[0] != '\0');
      FUZZ_CHECK (entry->size == FERRY_ENTRY_UNKNOWN || entry->size >= 0);
      FUZZ_CHECK ((entry->mode & ~0777u) == 0);
      FUZZ_CHECK (entry->modified >= G_GINT64_CONSTANT (-30610224000) &&
                  entry->modified <= G_GINT64_CONSTANT (253402300799));
      FUZZ_CHECK (entry->link_target == NULL || entry->type == FERRY_ENTRY_SYMLINK);

      ferry_list_append_unix_line (out, entry, now);
      again = ferry_list_parse_line (out->str, now, &error);
      if (again == NULL)
        fprintf (stderr, "formatted “%s”: %s\n", out->str, error->message);
      FUZZ_CHECK (again != NULL);
      FUZZ_CHECK (strcmp (again->name, entry->name) == 0);
      FUZZ_CHECK (again->type == entry->type);
      FUZZ_CHECK (g_strcmp0 (again->link_target, entry->link_target) == 0);
      if (entry->type != FERRY_ENTRY_OTHER)
        FUZZ_CHECK (again->size == MAX (entry->size, 0));
      if (entry->mode != 0)
        FUZZ_CHECK (again->mode == entry->mode);

      if (entry->modified > now - SIX_MONTHS && entry->modified <= now)
        shown = floor_to (entry->modified, 60);
      else
        shown = floor_to (entry->modified, DAY);
      FUZZ_CHECK (again->modified == shown);

      ferry_entry_free (again);
      g_string_free (out, TRUE);
      ferry_entry_free (entry);
    }
  else
    {
      FUZZ_CHECK (error != NULL && error->domain == FERRY_PROTOCOL_ERROR);
      g_error_free (error);
    }

  g_free (text);
  return 0;
}
