// SPDX-License-Identifier: GPL-3.0-or-later
/* replay-main.c — runs a fuzz target over every file of the corpus folders (or files) given
 * as arguments, so that the test suite catches regressions without clang or libFuzzer. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "fuzz-target.h"

static gboolean
replay_file (const char *path,
             guint      *count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  (*count)++;
  return TRUE;
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
replay_dir (const char *path,
            guint      *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  /* A fixed order, so that a failure reproduces the same way. */
  g_ptr_array_sort (names, compare_paths);

  for (guint i = 0; i < names->len; i++)
    if (!replay_file (g_ptr_array_index (names, i), count))
      return FALSE;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS-FOLDER-OR-FILE…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      gboolean ok = g_file_test (argv[i], G_FILE_TEST_IS_DIR) ? replay_dir (argv[i], &count)
                                                               : replay_file (argv[i], &count);
      if (!ok)
        return 1;
    }

  /* An empty corpus would make the test pass without testing anything. */
  if (count == 0)
    {
      fprintf (stderr, "no inputs found in the corpus\n");
      return 1;
    }
  printf ("replayed %u inputs\n", count);
  return 0;
}
