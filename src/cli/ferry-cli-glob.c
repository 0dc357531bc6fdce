// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-glob.c — wildcards matched with fnmatch() against local and remote listings. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-glob.h"

#include "ferry-task.h"

#include <fnmatch.h>
#include <glib/gi18n.h>
#include <string.h>

gboolean
ferry_cli_glob_has_magic (const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '*' || *p == '?' || *p == '[')
        return TRUE;
    }
  return FALSE;
}

gboolean
ferry_cli_glob_match (const char *pattern,
                      const char *name)
{
  return fnmatch (pattern, name, FNM_PERIOD) == 0;
}

gboolean
ferry_cli_glob_split (const char  *word,
                      char       **folder,
                      char       **pattern,
                      GError     **error)
{
  const char *slash = strrchr (word, '/');
  g_autofree char *dir = NULL;

  if (slash == NULL)
    {
      *folder = NULL;
      *pattern = g_strdup (word);
      return TRUE;
    }
  dir = slash == word ? g_strdup ("/") : g_strndup (word, slash - word);
  if (ferry_cli_glob_has_magic (dir))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: wildcards work in the last part of a path only (try cd %s first)"),
                   word, dir);
      return FALSE;
    }
  *folder = g_steal_pointer (&dir);
  *pattern = g_strdup (slash + 1);
  return TRUE;
}

static char *
join (const char *folder,
      const char *name)
{
  if (folder == NULL)
    return g_strdup (name);
  return ferry_vpath_join (folder, name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GStrv
ferry_cli_glob_local (const char  *word,
                      GError     **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!ferry_cli_glob_split (word, &folder, &pattern, error))
    return NULL;
  dir = g_dir_open (folder != NULL ? folder : ".", 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (ferry_cli_glob_match (pattern, name))
      g_ptr_array_add (matches, join (folder, name));
  if (matches->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("cannot upload %s: no local file matches (lls shows what is here)"), word);
      return NULL;
    }
  g_ptr_array_sort (matches, compare_strings);
  g_ptr_array_add (matches, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&matches), FALSE);
}

typedef struct {
  char     *word;
  char     *folder;
  char     *pattern;
  gboolean  only_files;
} GlobRemote;

static void
glob_remote_free (GlobRemote *glob)
{
  g_free (glob->word);
  g_free (glob->folder);
  g_free (glob->pattern);
  g_free (glob);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const FerryEntry *x = *(FerryEntry * const *) a;
  const FerryEntry *y = *(FerryEntry * const *) b;

  return strcmp (x->name, y->name);
}

static void
on_glob_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GlobRemote *glob = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) matches = NULL;
  GError *error = NULL;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);
      FerryEntry *match;

      if (entry->type != FERRY_ENTRY_FILE && entry->type != FERRY_ENTRY_DIRECTORY
          && entry->type != FERRY_ENTRY_SYMLINK)
        continue;
      if (glob->only_files && entry->type == FERRY_ENTRY_DIRECTORY)
        continue;
      /* A name with a slash would escape the folder the pattern named. */
      if (strchr (entry->name, '/') != NULL || !ferry_cli_glob_match (glob->pattern, entry->name))
        continue;
      match = ferry_entry_copy (entry);
      g_free (match->name);
      match->name = join (glob->folder, entry->name);
      g_ptr_array_add (matches, match);
    }
  if (matches->len == 0)
    {
      /* The caller's line names the pattern: "cannot download *.jpg: …". */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               glob->only_files
                               ? _("no remote file matches (ls shows what is there)")
                               : _("nothing on the server matches (ls shows what is there)"));
      return;
    }
  g_ptr_array_sort (matches, compare_entries);
  g_task_return_pointer (task, g_steal_pointer (&matches), (GDestroyNotify) g_ptr_array_unref);
}

void
ferry_cli_glob_remote_async (FerryClient         *client,
                             const char          *word,
                             gboolean             only_files,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GlobRemote *glob = g_new0 (GlobRemote, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_glob_remote_async));
  g_task_set_task_data (task, glob, (GDestroyNotify) glob_remote_free);
  glob->word = g_strdup (word);
  glob->only_files = only_files;
  if (!ferry_cli_glob_split (word, &glob->folder, &glob->pattern, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ferry_client_list_async (client, glob->folder, cancellable, on_glob_listed,
                           g_object_ref (task));
}

GPtrArray *
ferry_cli_glob_remote_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_glob_remote_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
