// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-drag-cache.c — the folders that dragged-out files are downloaded into.
 *
 * Each drag gets a fresh folder under $XDG_CACHE_HOME/ferry/drag/. A drop hands the drop
 * target (a file manager) the files in it; once the drop is done and the target has had
 * time to copy them, the folder goes. Folders of drags that never ended in a drop, or of a
 * run that quit before removing them, go at the next start-up once they are a day old.
 * Deleting runs in a worker thread: a dragged folder can hold many files. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ferry-drag-cache.h"

char *
ferry_drag_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "ferry", "drag", NULL);
}

GFile *
ferry_drag_cache_new_folder (GError **error)
{
  g_autofree char *parent = ferry_drag_cache_dir ();
  g_autofree char *template = g_build_filename (parent, "XXXXXX", NULL);

  if (g_mkdir_with_parents (parent, 0700) != 0 || g_mkdtemp (template) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make a folder for the dragged files in %s: %s"),
                   parent, g_strerror (saved_errno));
      return NULL;
    }

  return g_file_new_for_path (template);
}

/* Removes file and, for a folder, all it holds; symbolic links are removed, not followed. */
static gboolean
delete_recursively (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  while (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        break;
      if (!delete_recursively (child, cancellable, error))
        return FALSE;
    }

  return g_file_delete (file, cancellable, error);
}

static void
prune_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GTimeSpan max_age = *(GTimeSpan *) task_data;
  g_autofree char *path = ferry_drag_cache_dir ();
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  guint removed = 0;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  if (children == NULL)
    {
      /* No cache folder yet: nothing to clean. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_int (task, 0);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (;;)
    {
      GFileInfo *info;
      GFile *child;
      gint64 modified;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (info == NULL)
        break;

      modified = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
                 * G_USEC_PER_SEC;
      if (now - modified < max_age)
        continue;

      /* One entry that cannot go must not keep the others. */
      if (delete_recursively (child, cancellable, &error))
        removed++;
      else
        {
          g_debug ("Could not remove %s: %s", g_file_peek_path (child), error->message);
          g_clear_error (&error);
        }
    }

  g_task_return_int (task, removed);
}

/* Removes what is in the drag cache and was last changed max_age ago or earlier. */
void
ferry_drag_cache_prune_async (GTimeSpan            max_age,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_drag_cache_prune_async));

  g_task_set_task_data (task, g_memdup2 (&max_age, sizeof max_age), g_free);
  g_task_run_in_thread (task, prune_in_thread);
}

/* The number of entries removed. */
guint
ferry_drag_cache_prune_finish (GAsyncResult  *result,
                               GError       **error)
{
  gssize removed;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_drag_cache_prune_async)),
                        0);

  removed = g_task_propagate_int (G_TASK (result), error);
  return removed > 0 ? (guint) removed : 0;
}

static void
remove_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!delete_recursively (task_data, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_debug ("Could not remove %s: %s", g_file_peek_path (task_data), error->message);
  g_task_return_boolean (task, TRUE);
}

static gboolean
on_grace_over (gpointer data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, FERRY_TASK_TAG (on_grace_over));
  g_task_set_task_data (task, g_object_ref (data), g_object_unref);
  g_task_run_in_thread (task, remove_in_thread);
  return G_SOURCE_REMOVE;
}

/* Removes folder (a drag's) after seconds; 0: at the next main-loop iteration. */
void
ferry_drag_cache_remove_later (GFile *folder,
                               guint  seconds)
{
  g_return_if_fail (G_IS_FILE (folder));

  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT_IDLE, seconds, on_grace_over,
                              g_object_ref (folder), g_object_unref);
}
