// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-mlsx.c — MLSD fact lines on arbitrary text, and the OPTS MLST argument.
 *
 * Invariants: a parsed entry has a non-empty name without a trailing CR/LF, a size that is
 * unknown or ≥ 0, a mode within 0777; formatting it with every fact parses back to the
 * same entry; and FEAT/OPTS agree with each other. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

#define ALL_FACTS (FERRY_MLSX_FACTS_DEFAULT | FERRY_MLSX_FACT_UNIX_MODE)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *text = g_strndup ((const char *) data, size);
  GError *error = NULL;
  FerryEntry *entry = ferry_mlsx_parse_line (text, &error);
  FerryMlsxFacts facts = ferry_mlsx_parse_opts (text);
  char *feat = ferry_mlsx_format_feat (facts);
  char *bare = ferry_mlsx_format_feat (0);

  /* OPTS only knows the five facts; the bare FEAT names parse to all of them. */
  FUZZ_CHECK ((facts & ~ALL_FACTS) == 0);
  FUZZ_CHECK (ferry_mlsx_parse_opts (bare) == ALL_FACTS);
  /* One '*' per enabled fact. */
  FUZZ_CHECK (strlen (feat) == strlen (bare) + (gsize) __builtin_popcount (facts));

  if (entry != NULL)
    {
      GString *out = g_string_new (NULL);
      FerryEntry *again;
      gsize name_len = strlen (entry->name);

      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (name_len > 0);
      FUZZ_CHECK (entry->name[name_len - 1] != '\r' && entry->name[name_len - 1] != '\n');
      FUZZ_CHECK (entry->size == FERRY_ENTRY_UNKNOWN || entry->size >= 0);
      FUZZ_CHECK ((entry->mode & ~0777u) == 0);

      ferry_mlsx_append_line (out, entry, ALL_FACTS);
      FUZZ_CHECK (g_str_has_suffix (out->str, "\r\n"));
      again = ferry_mlsx_parse_line (out->str, &error);
      FUZZ_CHECK (again != NULL && error == NULL);
      FUZZ_CHECK (strcmp (again->name, entry->name) == 0);
      FUZZ_CHECK (again->type == entry->type);
      FUZZ_CHECK (again->size == entry->size);
      FUZZ_CHECK (again->modified == entry->modified);
      FUZZ_CHECK (again->mode == entry->mode);
      FUZZ_CHECK (g_strcmp0 (again->perm, entry->perm) == 0);
      ferry_entry_free (again);
      g_string_free (out, TRUE);
      ferry_entry_free (entry);
    }
  else
    {
      FUZZ_CHECK (error != NULL && error->domain == FERRY_PROTOCOL_ERROR);
      g_error_free (error);
    }

  g_free (feat);
  g_free (bare);
  g_free (text);
  return 0;
}
