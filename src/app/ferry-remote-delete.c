// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-remote-delete.c — delete a remote file, or a remote folder with all it holds.
 *
 * FTP's RMD only removes empty folders, so a folder is emptied first: a stack of paths is
 * worked off one command at a time (DELE for files, MLSD/LIST then RMD for folders). The
 * first failure stops the walk and is reported with the server's words. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include "ferry-remote-delete.h"

typedef struct {
  char     *path;
  gboolean  is_folder;
  gboolean  emptied;   /* its content is already on the stack above it */
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->path);
  g_free (pending);
}

static void
push (GPtrArray  *stack,
      const char *path,
      gboolean    is_folder)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->path = g_strdup (path);
  pending->is_folder = is_folder;
  g_ptr_array_add (stack, pending);
}

static void delete_next (GTask *task);

static void
on_step_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *stack = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Pending *top = g_ptr_array_index (stack, stack->len - 1);
  gboolean ok;

  if (top->is_folder)
    ok = ferry_client_rmdir_finish (FERRY_CLIENT (source), result, &error);
  else
    ok = ferry_client_delete_finish (FERRY_CLIENT (source), result, &error);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_remove_index (stack, stack->len - 1);
  delete_next (g_steal_pointer (&task));
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *stack = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  Pending *top = g_ptr_array_index (stack, stack->len - 1);
  g_autofree char *folder = g_strdup (top->path);

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  top->emptied = TRUE;
  for (guint i = 0; i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *child = NULL;

      if (entry->type == FERRY_ENTRY_CURRENT_DIR || entry->type == FERRY_ENTRY_PARENT_DIR ||
          g_strcmp0 (entry->name, ".") == 0 || g_strcmp0 (entry->name, "..") == 0)
        continue;

      child = g_build_path ("/", folder, entry->name, NULL);
      push (stack, child, entry->type == FERRY_ENTRY_DIRECTORY);
    }

  delete_next (g_steal_pointer (&task));
}

static void
delete_next (GTask *task)
{
  FerryClient *client = g_task_get_source_object (task);
  GPtrArray *stack = g_task_get_task_data (task);
  Pending *top;

  if (stack->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  top = g_ptr_array_index (stack, stack->len - 1);
  if (!top->is_folder)
    ferry_client_delete_async (client, top->path, g_task_get_cancellable (task),
                               on_step_done, task);
  else if (!top->emptied)
    ferry_client_list_async (client, top->path, g_task_get_cancellable (task),
                             on_listed, task);
  else
    ferry_client_rmdir_async (client, top->path, g_task_get_cancellable (task),
                              on_step_done, task);
}

void
ferry_remote_delete_async (FerryClient         *client,
                           const char          *path,
                           gboolean             is_folder,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  GPtrArray *stack;

  g_return_if_fail (FERRY_IS_CLIENT (client));
  g_return_if_fail (path != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_remote_delete_async));
  stack = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  push (stack, path, is_folder);
  g_task_set_task_data (task, stack, (GDestroyNotify) g_ptr_array_unref);

  delete_next (task);
}

gboolean
ferry_remote_delete_finish (GAsyncResult  *result,
                            GError       **error)
{
  /* The task's source is the client, which the caller does not pass back. */
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_remote_delete_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
