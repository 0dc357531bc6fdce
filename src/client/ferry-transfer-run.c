// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-run.c — running a FerryTransfer on one connection: the run's life, and its
 * plan (made by ferry-transfer-plan.c) carried out item by item, each file by
 * ferry-transfer-file.c. */
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

void
_ferry_plan_item_free (PlanItem *item)
{
  g_free (item->remote_path);
  g_free (item->local_dir);
  g_free (item->name);
  g_clear_object (&item->local_file);
  g_free (item);
}

static void
close_current_file (Run *run)
{
  /* An empty .part resumes nothing: a download that failed before its first byte (a data
   * connection refused, say) leaves no file behind. */
  if (run->file_out != NULL && run->part_name != NULL && run->dir_fd >= 0 &&
      ferry_local_folder_regular_size (run->dir_fd, run->part_name) == 0)
    unlinkat (run->dir_fd, run->part_name, 0);
  if (run->file_out != NULL)
    g_output_stream_close (run->file_out, NULL, NULL);
  g_clear_object (&run->file_out);
  if (run->file_in != NULL)
    g_input_stream_close (run->file_in, NULL, NULL);
  g_clear_object (&run->file_in);
  if (run->data != NULL)
    g_io_stream_close_async (run->data, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&run->data);
  if (run->dir_fd >= 0)
    close (run->dir_fd);
  run->dir_fd = -1;
  g_clear_pointer (&run->final_name, g_free);
  g_clear_pointer (&run->part_name, g_free);
  g_clear_pointer (&run->remote_target, g_free);
  g_clear_pointer (&run->command, g_free);
  run->got_final = FALSE;
  run->received = 0;
  run->offset = 0;
  run->attempt = 0;
  run->part_checked = FALSE;
  run->file_closed = FALSE;
  g_clear_pointer (&run->received_digest, g_free);
}

static void
run_free (Run *run)
{
  close_current_file (run);
  if (run->root_fd >= 0)
    close (run->root_fd);
  g_queue_clear_full (&run->walk, (GDestroyNotify) _ferry_plan_item_free);
  g_clear_pointer (&run->plan, g_ptr_array_unref);
  g_clear_object (&run->transfer);
  g_clear_object (&run->client);
  g_free (run->buffer);
  g_clear_error (&run->error);
  g_free (run);
}

/* A cancelled download takes what it received with it, unless asked to keep it for a
 * resume; a failed one keeps it for Retry. */
static void
remove_cancelled_part (Run *run, const GError *error)
{
  if (error == NULL || run->part_name == NULL || run->dir_fd < 0
      || ferry_transfer_get_direction (run->transfer) != FERRY_TRANSFER_DOWNLOAD
      || ferry_transfer_get_keep_partial (run->transfer))
    return;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (unlinkat (run->dir_fd, run->part_name, 0) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s after the download was cancelled: %s",
               run->part_name, g_strerror (errno));
}

void
_ferry_run_complete (GTask *task, GError *error)
{
  Run *run = g_task_get_task_data (task);

  if (run->holding)
    {
      run->holding = FALSE;
      _ferry_client_release (run->client);
    }
  remove_cancelled_part (run, error);
  close_current_file (run);
  _ferry_transfer_finish (run->transfer, error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
run_aborted (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);

  _ferry_client_abort_finish (FERRY_CLIENT (source), result, NULL);
  _ferry_run_complete (task, g_steal_pointer (&run->error));
}

/* Fails the transfer; while a data command runs, ABOR first so the session stays usable. */
void
_ferry_run_fail (GTask *task, GError *error)
{
  Run *run = g_task_get_task_data (task);

  g_clear_error (&run->error);
  run->error = error;
  if (run->data != NULL)
    {
      g_io_stream_close_async (run->data, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&run->data);
    }
  if (run->holding && run->command != NULL && ferry_client_is_connected (run->client))
    {
      /* Not the run's cancellable: a cancel may be why it stops, and ABOR must still go. */
      _ferry_client_abort_async (run->client, NULL, run_aborted, task);
      return;
    }
  _ferry_run_complete (task, g_steal_pointer (&run->error));
}

void
_ferry_run_item_done (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (run->holding)
    {
      run->holding = FALSE;
      _ferry_client_release (run->client);
    }
  /* Done (or skipped) once: a later run of the same folder, past a question about
   * another file, does not ask about this one again. */
  if (ferry_transfer_get_is_folder (run->transfer) && run->item != NULL && !run->item->is_dir)
    ferry_transfer_set_path_policy (run->transfer, run->item->remote_path, FERRY_CONFLICT_SKIP);
  close_current_file (run);
  _ferry_run_next_item (task);
}

static void
mkdir_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A folder below that already exists is fine (the upload merges into the folder it
   * asked about); real problems show up on the STOR. */
  if (!ferry_client_mkdir_finish (FERRY_CLIENT (source), result, &error)
      && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || !ferry_client_is_connected (run->client)))
    {
      _ferry_run_complete (task, g_steal_pointer (&error));
      return;
    }
  /* The folder being uploaded is there already: merge into it only when told to. */
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS)
      && run->item == g_ptr_array_index (run->plan, 0))
    {
      switch (_ferry_transfer_policy_for (run->transfer, run->item->remote_path))
        {
        case FERRY_CONFLICT_ERROR:
          _ferry_transfer_set_conflict (run->transfer, run->item->remote_path,
                                        run->item->local_file, TRUE);
          _ferry_run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
                                                  _("A folder “%s” already exists on the "
                                                    "server"), run->item->remote_path));
          return;
        case FERRY_CONFLICT_SKIP:
          _ferry_run_complete (task, NULL);
          return;
        case FERRY_CONFLICT_REPLACE:
        case FERRY_CONFLICT_KEEP_BOTH:
        case FERRY_CONFLICT_MERGE:
        default:
          break;
        }
    }
  _ferry_run_item_done (task);
}

/* Running the plan ------------------------------------------------------------------------- */

void
_ferry_run_next_item (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  gboolean download = ferry_transfer_get_direction (run->transfer) == FERRY_TRANSFER_DOWNLOAD;

  /* Everything done: a cancel that came after the last byte changes nothing. */
  if (run->next >= run->plan->len)
    {
      _ferry_run_complete (task, NULL);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      /* g_task_return_error_if_cancelled() returned the task: just record the state. */
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("Operation was cancelled"));
      _ferry_transfer_finish (run->transfer, cancelled);
      g_object_unref (task);
      return;
    }
  run->item = g_ptr_array_index (run->plan, run->next++);
  _ferry_transfer_set_current_path (run->transfer, run->item->remote_path);

  if (run->item->is_dir)
    {
      if (download)
        {
          GError *error = NULL;
          g_autofree char *path = g_build_path ("/", run->item->local_dir, run->item->name, NULL);
          int fd = ferry_local_folder_open_path (run->root_fd, path, &error);

          if (fd < 0)
            {
              _ferry_run_complete (task, error);
              return;
            }
          close (fd);
          _ferry_run_next_item (task);
        }
      else
        ferry_client_mkdir_async (run->client, run->item->remote_path, run_cancellable (task),
                                  mkdir_done, task);
      return;
    }

  if (download)
    _ferry_run_download_file (task);
  else
    _ferry_run_upload_file (task);
}

void
ferry_client_run_transfer_async (FerryClient         *self,
                                 FerryTransfer       *transfer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_run_transfer_async));
  /* Report what really happened: a cancel that lands after the last byte changes nothing. */
  g_task_set_check_cancellable (task, FALSE);
  if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_RUNNING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The transfer is already running"));
      return;
    }

  run = g_new0 (Run, 1);
  run->client = g_object_ref (self);
  run->transfer = g_object_ref (transfer);
  run->plan = g_ptr_array_new_with_free_func ((GDestroyNotify) _ferry_plan_item_free);
  run->root_fd = -1;
  run->dir_fd = -1;
  run->buffer = g_malloc (TRANSFER_BUFFER_SIZE);
  g_queue_init (&run->walk);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  _ferry_transfer_begin (transfer);
  if (ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD)
    _ferry_run_plan_download (g_steal_pointer (&task));
  else
    _ferry_run_plan_upload (g_steal_pointer (&task));
}

gboolean
ferry_client_run_transfer_finish (FerryClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_run_transfer_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

