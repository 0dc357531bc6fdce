// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-harness.h — what the session and client fuzz targets both need around the code
 * under test: a silent log, and emptying the scratch folder between inputs. */
#pragma once

#include <ftw.h>
#include <glib.h>
#include <stdio.h>

static GLogWriterOutput
fuzz_discard_log (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  (void) log_level;
  (void) fields;
  (void) n_fields;
  (void) user_data;
  return G_LOG_WRITER_HANDLED;
}

static int
fuzz_remove_entry (const char        *path,
                   const struct stat *st,
                   int                type,
                   struct FTW        *ftw)
{
  (void) st;
  (void) type;
  if (ftw->level > 0)
    remove (path);
  return 0;
}

/* Removes everything below folder (not the folder itself), never following symlinks. */
static inline void
fuzz_empty_folder (const char *folder)
{
  nftw (folder, fuzz_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
