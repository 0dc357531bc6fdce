// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-plan.c — planning a transfer: SIZE for one file, a breadth-first walk of a
 * remote folder, or a walk of a local folder in a worker thread; names checked on the way. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <errno.h>
#include <gio/gfiledescriptorbased.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "ferry-client-private.h"
#include "ferry-data-pump.h"
#include "ferry-local-folder.h"
#include "ferry-timed-io.h"
#include "ferry-transfer-private.h"
#include "ferry-transfer-run-private.h"

#define WALK_DEPTH_MAX 64

gboolean
_ferry_run_check_local_name (const char *name, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (ferry_name_is_safe_local (name, &local_error))
    return TRUE;
  g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
               _("The server sent a name that cannot be saved safely: %s"),
               local_error->message);
  return FALSE;
}

static void
plan_ready (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  gint64 total = 0;
  gboolean known = TRUE;

  for (guint i = 0; i < run->plan->len; i++)
    {
      PlanItem *item = g_ptr_array_index (run->plan, i);

      if (item->is_dir)
        continue;
      if (item->size < 0)
        known = FALSE;
      else
        total += item->size;
    }
  _ferry_transfer_set_total (run->transfer, known ? total : -1);
  run->next = 0;
  _ferry_run_next_item (task);
}

/* Download planning: SIZE for a file, a breadth-first walk for a folder. */

static void walk_next_folder (GTask *task);

static void
walk_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  PlanItem *folder = g_queue_pop_head (&run->walk);
  g_autofree char *folder_local = NULL;
  GError *error = NULL;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      _ferry_plan_item_free (folder);
      _ferry_run_complete (task, error);
      return;
    }
  folder_local = folder->local_dir[0] == '\0' ? g_strdup (folder->name)
                 : g_strconcat (folder->local_dir, "/", folder->name, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);
      PlanItem *item;

      /* Links could loop or point out of the tree; devices and the like are not files. */
      if (entry->type != FERRY_ENTRY_FILE && entry->type != FERRY_ENTRY_DIRECTORY)
        continue;
      /* One unsafe name leaves out that entry, not the folder (as lftp and wget do). */
      if (!ferry_name_is_safe_local (entry->name, &error))
        {
          g_autofree char *remote = ferry_vpath_join (folder->remote_path, entry->name);

          _ferry_transfer_add_skipped (run->transfer, remote, error);
          g_clear_error (&error);
          continue;
        }
      item = g_new0 (PlanItem, 1);
      item->remote_path = ferry_vpath_join (folder->remote_path, entry->name);
      /* Each listing is bounded; endless folders of long names must be too. Each string
       * and the item cost about 16 bytes of malloc bookkeeping; a folder is kept twice (in
       * the plan and in the walk). */
      run->walk_bytes += (sizeof (PlanItem) + 64 + strlen (item->remote_path)
                          + strlen (folder_local) + strlen (entry->name))
                         * (entry->type == FERRY_ENTRY_DIRECTORY ? 2 : 1);
      if (run->walk_bytes > FERRY_CLIENT_TREE_BYTES_MAX)
        {
          g_autofree char *limit = g_format_size_full (FERRY_CLIENT_TREE_BYTES_MAX,
                                                       G_FORMAT_SIZE_IEC_UNITS);

          _ferry_plan_item_free (item);
          _ferry_plan_item_free (folder);
          _ferry_run_complete (task,
                               g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                            _("The names in this folder on the server take "
                                              "more than the limit of %s; Ferry stopped "
                                              "reading it (download a part of it)"), limit));
          return;
        }
      item->local_dir = g_strdup (folder_local);
      item->name = g_strdup (entry->name);
      item->size = entry->size;
      item->is_dir = entry->type == FERRY_ENTRY_DIRECTORY;
      item->depth = folder->depth + 1;
      g_ptr_array_add (run->plan, item);
      if (item->is_dir)
        {
          PlanItem *sub;

          if (item->depth > WALK_DEPTH_MAX)
            {
              _ferry_plan_item_free (folder);
              _ferry_run_complete (task,
                                   g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                                _("The folders on the server nest deeper "
                                                  "than %d levels"), WALK_DEPTH_MAX));
              return;
            }
          sub = g_new0 (PlanItem, 1);
          sub->remote_path = g_strdup (item->remote_path);
          sub->local_dir = g_strdup (item->local_dir);
          sub->name = g_strdup (item->name);
          sub->depth = item->depth;
          sub->is_dir = TRUE;
          g_queue_push_tail (&run->walk, sub);
        }
    }
  _ferry_plan_item_free (folder);
  walk_next_folder (task);
}

static void
walk_next_folder (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  PlanItem *folder = g_queue_peek_head (&run->walk);

  if (folder == NULL)
    {
      plan_ready (task);
      return;
    }
  ferry_client_list_async (run->client, folder->remote_path, run_cancellable (task),
                           walk_listed, task);
}

static void
single_size_known (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  PlanItem *item = g_ptr_array_index (run->plan, 0);
  g_autoptr(GError) error = NULL;

  item->size = ferry_client_size_finish (FERRY_CLIENT (source), result, &error);
  if (error != NULL)
    {
      /* A missing file fails here, clearly; a server without SIZE just gives no total. */
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_FOUND)
          || g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PERMISSION_DENIED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || !ferry_client_is_connected (run->client))
        {
          _ferry_run_complete (task, g_steal_pointer (&error));
          return;
        }
      item->size = -1;
    }
  plan_ready (task);
}

void
_ferry_run_plan_download (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  const char *local_name = _ferry_transfer_get_local_name (run->transfer);
  const char *remote_path = ferry_transfer_get_remote_path (run->transfer);
  g_autofree char *base = ferry_vpath_basename (remote_path);
  PlanItem *item = g_new0 (PlanItem, 1);
  GError *error = NULL;

  item->remote_path = g_strdup (remote_path);
  item->local_dir = g_strdup ("");
  item->name = g_strdup (local_name != NULL ? local_name : base);

  run->root_fd = ferry_local_folder_open (ferry_transfer_get_local_folder (run->transfer),
                                          &error);
  if (run->root_fd < 0 || !_ferry_run_check_local_name (item->name, &error))
    {
      _ferry_plan_item_free (item);
      _ferry_run_complete (task, error);
      return;
    }

  if (ferry_transfer_get_is_folder (run->transfer)
      && ferry_local_folder_has_child (run->root_fd, item->name))
    {
      /* The folder is here already: merge into it only when told to. */
      switch (_ferry_transfer_policy_for (run->transfer, item->remote_path))
        {
        case FERRY_CONFLICT_ERROR:
          {
            g_autoptr(GFile) local =
              g_file_get_child (ferry_transfer_get_local_folder (run->transfer), item->name);

            _ferry_transfer_set_conflict (run->transfer, item->remote_path, local, TRUE);
            error = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
                                 _("A folder “%s” already exists in the chosen folder"),
                                 item->name);
            _ferry_plan_item_free (item);
            _ferry_run_complete (task, error);
            return;
          }
        case FERRY_CONFLICT_SKIP:
          _ferry_plan_item_free (item);
          _ferry_run_complete (task, NULL);
          return;
        case FERRY_CONFLICT_REPLACE:
        case FERRY_CONFLICT_KEEP_BOTH:
        case FERRY_CONFLICT_MERGE:
        default:
          break;
        }
    }

  if (ferry_transfer_get_is_folder (run->transfer))
    {
      PlanItem *walk = g_new0 (PlanItem, 1);

      item->is_dir = TRUE;
      walk->remote_path = g_strdup (item->remote_path);
      walk->local_dir = g_strdup ("");
      walk->name = g_strdup (item->name);
      walk->is_dir = TRUE;
      g_ptr_array_add (run->plan, item);
      g_queue_push_tail (&run->walk, walk);
      walk_next_folder (task);
      return;
    }
  g_ptr_array_add (run->plan, item);
  if (_ferry_transfer_get_known_size (run->transfer) >= 0)
    {
      /* The caller listed the folder: SIZE would only repeat what the listing said. */
      item->size = _ferry_transfer_get_known_size (run->transfer);
      plan_ready (task);
      return;
    }
  ferry_client_size_async (run->client, item->remote_path, run_cancellable (task),
                           single_size_known, task);
}

/* Upload planning: the local walk runs in a worker thread (plain blocking file I/O). */

static void
walk_local (GFile *folder, const char *remote, guint depth, GPtrArray *plan,
            GCancellable *cancellable, GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  const char *attributes = G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE
                           "," G_FILE_ATTRIBUTE_STANDARD_SIZE;

  if (depth > WALK_DEPTH_MAX)
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_FAILED,
                   _("The local folders nest deeper than %d levels"), WALK_DEPTH_MAX);
      return;
    }
  children = g_file_enumerate_children (folder, attributes, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, error);
  if (children == NULL)
    return;
  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      PlanItem *item;
      GFileType type;

      if (!g_file_enumerator_iterate (children, &info, &child, cancellable, error))
        return;
      if (info == NULL)
        break;
      type = g_file_info_get_file_type (info);
      /* Links are not followed (they could loop or lead out of the folder). */
      if (type != G_FILE_TYPE_REGULAR && type != G_FILE_TYPE_DIRECTORY)
        continue;
      item = g_new0 (PlanItem, 1);
      item->remote_path = ferry_vpath_join (remote, g_file_info_get_name (info));
      item->local_file = g_object_ref (child);
      item->is_dir = type == G_FILE_TYPE_DIRECTORY;
      item->size = item->is_dir ? 0 : g_file_info_get_size (info);
      g_ptr_array_add (plan, item);
      if (item->is_dir)
        {
          walk_local (child, item->remote_path, depth + 1, plan, cancellable, error);
          if (error != NULL && *error != NULL)
            return;
        }
    }
}

static void
walk_local_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  PlanItem *root = data;
  g_autoptr(GPtrArray) plan = NULL;
  GError *error = NULL;

  plan = g_ptr_array_new_with_free_func ((GDestroyNotify) _ferry_plan_item_free);
  walk_local (root->local_file, root->remote_path, 1, plan, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&plan), (GDestroyNotify) g_ptr_array_unref);
}

static void
local_walk_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) found = NULL;
  GError *error = NULL;

  found = g_task_propagate_pointer (G_TASK (result), &error);
  if (found == NULL)
    {
      _ferry_run_complete (task, ferry_client_error_from_io (error, _("reading the local folder")));
      g_error_free (error);
      return;
    }
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (run->plan, g_steal_pointer (&g_ptr_array_index (found, i)));
  g_ptr_array_set_free_func (found, NULL);
  plan_ready (task);
}

static void
upload_local_known (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  PlanItem *item = g_ptr_array_index (run->plan, 0);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GTask) walk = NULL;
  GError *error = NULL;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL)
    {
      _ferry_run_complete (task, ferry_client_error_from_io (error, _("reading the local file")));
      g_error_free (error);
      return;
    }
  item->is_dir = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
  _ferry_transfer_set_is_folder (run->transfer, item->is_dir);
  if (!item->is_dir)
    {
      item->size = g_file_info_get_size (info);
      plan_ready (task);
      return;
    }

  walk = g_task_new (NULL, run_cancellable (task), local_walk_done, task);
  g_task_set_source_tag (walk, FERRY_TASK_TAG (upload_local_known));
  g_task_set_task_data (walk, item, NULL);
  g_task_run_in_thread (walk, walk_local_thread);
}

/* Even a stat may block on a gvfs mount: the local file is looked at asynchronously. */
void
_ferry_run_plan_upload (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GFile *local = ferry_transfer_get_local_file (run->transfer);
  PlanItem *item = g_new0 (PlanItem, 1);

  item->remote_path = g_strdup (ferry_transfer_get_remote_path (run->transfer));
  item->local_file = g_object_ref (local);
  g_ptr_array_add (run->plan, item);
  g_file_query_info_async (local, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, run_cancellable (task), upload_local_known, task);
}

