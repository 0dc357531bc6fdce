// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-complete.c — what Tab offers: command names, remote names from a cache of
 * folder listings (one per folder, dropped when a command changes that folder), local
 * names for the commands that take local paths. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-complete.h"

#include <string.h>

/* How long Tab may wait for a listing before it offers nothing. */
#define LISTING_WAIT_USEC (5 * G_USEC_PER_SEC)

/* One prompt per program: the cache and the client are the program's. */
static FerryClient *completion_client;
static GHashTable  *listings;   /* absolute folder → GPtrArray of FerryEntry */

void
ferry_cli_complete_set_client (FerryClient *client)
{
  completion_client = client;
}

void
ferry_cli_complete_forget (const char *folder)
{
  g_autofree char *key = NULL;

  if (listings == NULL || folder == NULL)
    return;
  key = g_strdup (folder);
  while (strlen (key) > 1 && g_str_has_suffix (key, "/"))
    key[strlen (key) - 1] = '\0';
  g_hash_table_remove (listings, key);
}

void
ferry_cli_complete_forget_all (void)
{
  if (listings != NULL)
    g_hash_table_remove_all (listings);
}

/* Which argument (1: the first name after the options) of which command is local; the
 * other paths are remote. reverse: mirror -R, from local to remote. */
static gboolean
argument_is_local (const char *command,
                   guint       word_index,
                   gboolean    reverse)
{
  if (g_str_equal (command, "lcd") || g_str_equal (command, "lls")
      || g_str_equal (command, "mput") || g_str_equal (command, "!"))
    return TRUE;
  if (g_str_equal (command, "put"))
    return word_index == 1;
  if (g_str_equal (command, "get") || g_str_equal (command, "reget"))
    return word_index == 2;
  if (g_str_equal (command, "mirror"))
    return reverse ? word_index == 1 : word_index == 2;
  return FALSE;
}

static gboolean
argument_is_path (const char *command)
{
  static const char * const no_paths[] = { "help", "quit", "exit", "bye", "open", "close",
                                           "pwd", "lpwd", NULL };

  return !g_strv_contains (no_paths, command);
}

typedef struct {
  GPtrArray *entries;
  gboolean   done;
} Waiting;

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiting *waiting = user_data;

  waiting->entries = ferry_client_list_finish (FERRY_CLIENT (source), result, NULL);
  waiting->done = TRUE;
}

/* The cached listing of folder (absolute), listed now when missing. Tab is pressed at an
 * idle prompt, so the main loop runs here until the reply (the terminal's own source is
 * the one dispatching, and GLib does not dispatch it again meanwhile). */
static GPtrArray *
listing_of (const char *folder)
{
  GPtrArray *entries;
  g_autoptr(GCancellable) cancellable = NULL;
  Waiting waiting = { 0 };
  gint64 deadline;

  if (completion_client == NULL || !ferry_client_is_logged_in (completion_client))
    return NULL;
  if (listings == NULL)
    listings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_ptr_array_unref);
  entries = g_hash_table_lookup (listings, folder);
  if (entries != NULL)
    return entries;

  cancellable = g_cancellable_new ();
  ferry_client_list_async (completion_client, folder, cancellable, on_listed, &waiting);
  deadline = g_get_monotonic_time () + LISTING_WAIT_USEC;
  while (!waiting.done)
    {
      if (g_get_monotonic_time () > deadline)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (NULL, TRUE);
    }
  if (waiting.entries == NULL)
    return NULL;
  g_hash_table_insert (listings, g_strdup (folder), waiting.entries);
  return waiting.entries;
}

static void
add_remote_candidates (GPtrArray  *out,
                       const char *word)
{
  const char *slash = strrchr (word, '/');
  g_autofree char *typed_folder = slash != NULL ? g_strndup (word, slash - word + 1)
                                                : g_strdup ("");
  const char *prefix = slash != NULL ? slash + 1 : word;
  const char *here = completion_client != NULL
    ? ferry_client_get_current_directory (completion_client) : NULL;
  g_autofree char *folder = NULL;
  GPtrArray *entries;

  if (here == NULL)
    return;
  if (typed_folder[0] == '/')
    folder = g_strdup (typed_folder);
  else
    folder = ferry_vpath_join (here, typed_folder);
  while (strlen (folder) > 1 && g_str_has_suffix (folder, "/"))
    folder[strlen (folder) - 1] = '\0';

  entries = listing_of (folder);
  if (entries == NULL)
    return;
  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);

      /* Dot-files only when asked for with a ".". */
      if (!g_str_has_prefix (entry->name, prefix) || strchr (entry->name, '/') != NULL
          || (entry->name[0] == '.' && prefix[0] != '.'))
        continue;
      g_ptr_array_add (out, g_strconcat (typed_folder, entry->name,
                                         entry->type == FERRY_ENTRY_DIRECTORY ? "/" : "",
                                         NULL));
    }
}

static void
add_local_candidates (GPtrArray  *out,
                      const char *word)
{
  const char *slash = strrchr (word, '/');
  g_autofree char *typed_folder = slash != NULL ? g_strndup (word, slash - word + 1)
                                                : g_strdup ("");
  const char *prefix = slash != NULL ? slash + 1 : word;
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_str_has_prefix (typed_folder, "~/"))
    folder = g_build_filename (g_get_home_dir (), typed_folder + 2, NULL);
  else
    folder = g_strdup (*typed_folder != '\0' ? typed_folder : ".");
  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, prefix) || (name[0] == '.' && prefix[0] != '.'))
        continue;
      path = g_build_filename (folder, name, NULL);
      g_ptr_array_add (out, g_strconcat (typed_folder, name,
                                         g_file_test (path, G_FILE_TEST_IS_DIR) ? "/" : "",
                                         NULL));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GStrv
ferry_cli_complete_candidates (const char * const *before,
                               const char         *word,
                               const char * const *command_names)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  const char *command = before != NULL ? before[0] : NULL;
  guint word_index = 0;
  gboolean reverse = FALSE;

  /* Options ("-r", "-P 4") are not names. */
  for (guint i = 1; command != NULL && before[i] != NULL; i++)
    {
      if (g_str_equal (before[i], "-P"))
        i += before[i + 1] != NULL;
      else if (before[i][0] == '-')
        reverse |= strchr (before[i], 'R') != NULL && before[i][1] != '-';
      else
        word_index++;
    }
  if (command != NULL)
    word_index++;

  if (word_index == 0)
    {
      for (guint i = 0; command_names != NULL && command_names[i] != NULL; i++)
        if (g_str_has_prefix (command_names[i], word))
          g_ptr_array_add (out, g_strdup (command_names[i]));
    }
  else if (command != NULL && argument_is_path (command))
    {
      /* mirror -R: the source is local, the target remote. */
      if (argument_is_local (command, word_index, reverse))
        add_local_candidates (out, word);
      else
        add_remote_candidates (out, word);
    }
  g_ptr_array_sort (out, compare_strings);
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}
