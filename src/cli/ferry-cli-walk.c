// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-walk.c — breadth-first walks of remote folders (one LIST/MLSD per folder) and
 * of local folders. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-walk.h"
#include "ferry-cli-commands-private.h"

#include "ferry-task.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Deeper than any real tree; stops a server that answers every folder with another. */
#define WALK_DEPTH_MAX 64
#define WALK_ITEMS_MAX 1000000

void
ferry_cli_tree_item_free (FerryCliTreeItem *item)
{
  g_free (item->path);
  g_free (item);
}

char *
ferry_cli_path_join (const char *folder,
                     const char *name)
{
  if (folder == NULL || *folder == '\0')
    return g_strdup (name);
  return ferry_vpath_join (folder, name);
}

static FerryCliTreeItem *
tree_item_new (const char *path,
               gboolean    is_dir,
               gint64      size,
               gint64      modified)
{
  FerryCliTreeItem *item = g_new0 (FerryCliTreeItem, 1);

  item->path = g_strdup (path);
  item->is_dir = is_dir;
  item->size = is_dir ? -1 : size;
  item->modified = modified;
  return item;
}

static guint
path_depth (const char *path)
{
  guint depth = 1;

  for (const char *p = path; *p != '\0'; p++)
    depth += *p == '/';
  return depth;
}

/* Remote ------------------------------------------------------------------------------- */

typedef struct {
  char      *root;
  GPtrArray *items;     /* FerryCliTreeItem */
  GQueue     folders;   /* relative paths still to list ("" for the root) */
  char      *listing;   /* the folder being listed */
  guint      n_skipped; /* entries left out: names that cannot be saved safely */
  gsize      bytes;     /* what items and folders keep, against FERRY_CLIENT_TREE_BYTES_MAX */
} RemoteWalk;

static void
remote_walk_free (RemoteWalk *walk)
{
  g_free (walk->root);
  g_clear_pointer (&walk->items, g_ptr_array_unref);
  g_queue_clear_full (&walk->folders, g_free);
  g_free (walk->listing);
  g_free (walk);
}

static void list_next_folder (GTask *task);

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(FerryEntry * const *) a)->name, (*(FerryEntry * const *) b)->name);
}

static void
on_folder_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoteWalk *walk = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      /* The caller names the root; a folder beneath it is named here. */
      if (*walk->listing != '\0')
        g_prefix_error (&error, _("cannot list %s: "), walk->listing);
      g_task_return_error (task, error);
      return;
    }
  /* In name order, so what find prints does not depend on the server's order. */
  g_ptr_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *path = NULL;
      gboolean is_dir = entry->type == FERRY_ENTRY_DIRECTORY;

      if (entry->type != FERRY_ENTRY_FILE && !is_dir)
        continue;
      if (!ferry_name_is_safe_local (entry->name, NULL))
        {
          g_autofree char *shown = ferry_cli_escape (entry->name);

          fprintf (stderr, _("skipped “%s” in %s: not a name that can be saved safely\n"),
                   shown, *walk->listing != '\0' ? walk->listing : walk->root);
          walk->n_skipped++;
          continue;
        }
      if (walk->items->len >= WALK_ITEMS_MAX)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                   _("%s holds more than %d files and folders; "
                                     "work on a part of it"), walk->root, WALK_ITEMS_MAX);
          return;
        }
      path = ferry_cli_path_join (walk->listing, entry->name);
      /* Each listing is bounded; endless folders of long names must be too. */
      walk->bytes += (sizeof (FerryCliTreeItem) + 48 + strlen (path)) * (is_dir ? 2 : 1);
      if (walk->bytes > FERRY_CLIENT_TREE_BYTES_MAX)
        {
          g_autofree char *limit = g_format_size_full (FERRY_CLIENT_TREE_BYTES_MAX,
                                                       G_FORMAT_SIZE_IEC_UNITS);

          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                                   _("the names beneath %s take more than the limit of %s; "
                                     "work on a part of it"), walk->root, limit);
          return;
        }
      g_ptr_array_add (walk->items, tree_item_new (path, is_dir, entry->size, entry->modified));
      if (is_dir && path_depth (path) < WALK_DEPTH_MAX)
        g_queue_push_tail (&walk->folders, g_steal_pointer (&path));
    }
  list_next_folder (task);
}

static void
list_next_folder (GTask *task)
{
  RemoteWalk *walk = g_task_get_task_data (task);
  g_autofree char *remote = NULL;

  g_clear_pointer (&walk->listing, g_free);
  walk->listing = g_queue_pop_head (&walk->folders);
  if (walk->listing == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&walk->items),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  remote = ferry_cli_path_join (walk->root, walk->listing);
  ferry_client_list_async (FERRY_CLIENT (g_task_get_source_object (task)), remote,
                           g_task_get_cancellable (task), on_folder_listed,
                           g_object_ref (task));
}

void
ferry_cli_walk_remote_async (FerryClient         *client,
                             const char          *root,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  RemoteWalk *walk = g_new0 (RemoteWalk, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_walk_remote_async));
  walk->root = g_strdup (root);
  walk->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_cli_tree_item_free);
  g_queue_push_tail (&walk->folders, g_strdup (""));
  g_task_set_task_data (task, walk, (GDestroyNotify) remote_walk_free);
  list_next_folder (task);
}

GPtrArray *
ferry_cli_walk_remote_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL) || G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_walk_remote_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
ferry_cli_walk_remote_n_skipped (GAsyncResult *result)
{
  RemoteWalk *walk;

  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_walk_remote_async)), 0);
  walk = g_task_get_task_data (G_TASK (result));
  return walk->n_skipped;
}

/* Local -------------------------------------------------------------------------------- */

GPtrArray *
ferry_cli_walk_local (const char  *root,
                      GError     **error)
{
  g_autoptr(GPtrArray) items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_cli_tree_item_free);
  GQueue folders = G_QUEUE_INIT;

  g_queue_push_tail (&folders, g_strdup (""));
  while (!g_queue_is_empty (&folders))
    {
      g_autofree char *relative = g_queue_pop_head (&folders);
      g_autofree char *path = ferry_cli_path_join (root, relative);
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      dir = g_dir_open (*relative != '\0' ? path : root, 0, error);
      if (dir == NULL)
        {
          g_queue_clear_full (&folders, g_free);
          return NULL;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      for (guint i = 0; i < names->len; i++)
        {
          const char *child_name = g_ptr_array_index (names, i);
          g_autofree char *child = ferry_cli_path_join (path, child_name);
          g_autofree char *child_relative = ferry_cli_path_join (relative, child_name);
          GStatBuf st;

          if (g_lstat (child, &st) != 0)
            continue;
          if (S_ISDIR (st.st_mode))
            {
              g_ptr_array_add (items, tree_item_new (child_relative, TRUE, -1, st.st_mtime));
              if (path_depth (child_relative) < WALK_DEPTH_MAX)
                g_queue_push_tail (&folders, g_steal_pointer (&child_relative));
            }
          else if (S_ISREG (st.st_mode))
            g_ptr_array_add (items, tree_item_new (child_relative, FALSE, st.st_size,
                                                   st.st_mtime));
        }
    }
  return g_steal_pointer (&items);
}
