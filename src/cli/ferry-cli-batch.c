// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-batch.c — a FerryTransferQueue of many files, watched: one progress line with
 * files, files/s, bytes and time left; failures printed as they happen. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-batch.h"
#include "ferry-cli-commands-private.h"
#include "ferry-cli-error.h"
#include "ferry-transfer-queue.h"

#include "ferry-task.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

/* Past this many failure lines, the rest are only counted. */
#define FAILURE_LINES_MAX 20

typedef struct {
  FerryTransferQueue   *queue;
  FerryCliProgress     *progress;     /* borrowed: the context owns it */
  FerryCliBatchOptions  options;
  char                 *label;
  char                 *base;
  guint                 n_transfers;
  guint                 n_done;
  guint                 n_failed;
  guint                 n_cancelled;
  gint64                started;      /* monotonic µs */
  guint                 tick;
  gulong                finished_id;
  gulong                cancelled_id;
  GCancellable         *cancellable;
  GError               *last_failure;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_handle_id (&batch->tick, g_source_remove);
  if (batch->cancellable != NULL)
    g_cancellable_disconnect (batch->cancellable, batch->cancelled_id);
  g_clear_object (&batch->cancellable);
  g_clear_signal_handler (&batch->finished_id, batch->queue);
  g_clear_object (&batch->queue);
  g_free (batch->label);
  g_free (batch->base);
  g_clear_error (&batch->last_failure);
  g_free (batch);
}

static void
draw_progress (Batch *batch)
{
  gint64 elapsed = g_get_monotonic_time () - batch->started;
  double seconds = MAX (elapsed, 1) / (double) G_USEC_PER_SEC;
  guint finished = batch->n_done + batch->n_failed + batch->n_cancelled;
  gint64 bytes = ferry_transfer_queue_get_bytes_done (batch->queue);

  ferry_cli_progress_set_files (batch->progress, finished, batch->n_transfers,
                                finished / seconds);
  ferry_cli_progress_update (batch->progress, bytes, batch->options.total_bytes,
                             bytes / seconds);
}

static gboolean
on_tick (gpointer user_data)
{
  draw_progress (user_data);
  return G_SOURCE_CONTINUE;
}

static const char *
shown_path (Batch         *batch,
            FerryTransfer *transfer)
{
  const char *path = ferry_transfer_get_remote_path (transfer);

  if (batch->base != NULL && g_str_has_prefix (path, batch->base)
      && path[strlen (batch->base)] == '/')
    return path + strlen (batch->base) + 1;
  return path;
}

static void
print_line (Batch      *batch,
            FILE       *stream,
            const char *line)
{
  /* Above the progress line, which is drawn again at the next tick. */
  ferry_cli_progress_clear_line (batch->progress);
  fputs (line, stream);
  fflush (stream);
}

static gboolean
return_result (gpointer user_data)
{
  GTask *task = user_data;
  Batch *batch = g_task_get_task_data (task);

  /* The last word on the progress line, then the result. */
  g_clear_handle_id (&batch->tick, g_source_remove);
  draw_progress (batch);
  ferry_cli_progress_finish (batch->progress, batch->n_failed == 0 && batch->n_cancelled == 0);
  if (batch->n_cancelled > 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("%u of %u files not moved"), batch->n_cancelled + batch->n_failed,
                             batch->n_transfers);
  else if (batch->n_failed > 0)
    g_task_return_new_error (task, batch->last_failure != NULL ? batch->last_failure->domain
                                                               : G_IO_ERROR,
                             batch->last_failure != NULL ? batch->last_failure->code : 0,
                             _("%u of %u files failed (see above); run the command again "
                               "to retry them"),
                             batch->n_failed, batch->n_transfers);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_transfer_finished (FerryTransferQueue *queue,
                      FerryTransfer      *transfer,
                      gpointer            user_data)
{
  GTask *task = user_data;
  Batch *batch = g_task_get_task_data (task);
  g_autofree char *shown = ferry_cli_escape (shown_path (batch, transfer));

  switch (ferry_transfer_get_state (transfer))
    {
    case FERRY_TRANSFER_DONE:
      batch->n_done++;
      if (batch->options.verbose)
        {
          g_autofree char *line = g_strdup_printf ("%s\n", shown);

          print_line (batch, stdout, line);
        }
      break;
    case FERRY_TRANSFER_FAILED:
      {
        const GError *error = ferry_transfer_get_error (transfer);
        g_autofree char *reason = error != NULL ? ferry_cli_error_reason (error) : g_strdup ("?");
        g_autofree char *line = NULL;

        batch->n_failed++;
        if (batch->n_failed <= FAILURE_LINES_MAX)
          {
            line = g_strdup_printf (ferry_transfer_get_direction (transfer)
                                    == FERRY_TRANSFER_DOWNLOAD
                                    ? _("cannot download %s: %s\n")
                                    : _("cannot upload %s: %s\n"), shown, reason);
            print_line (batch, stderr, line);
          }
        if (batch->last_failure == NULL && error != NULL)
          batch->last_failure = g_error_copy (error);
      }
      break;
    default:
      batch->n_cancelled++;
      break;
    }
  if (batch->options.file_done != NULL)
    batch->options.file_done (transfer, batch->options.file_done_data);

  if (batch->n_done + batch->n_failed + batch->n_cancelled < batch->n_transfers)
    return;

  /* All finished. The queue is still inside its signal: the result comes from an idle. */
  g_clear_signal_handler (&batch->finished_id, batch->queue);
  g_idle_add (return_result, task);
}

static gboolean
cancel_all_once (gpointer queue)
{
  ferry_transfer_queue_cancel_all (queue);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Batch *batch = user_data;

  /* In an idle: cancelling inside the cancellable's own signal would re-enter it. */
  g_idle_add_full (G_PRIORITY_HIGH, cancel_all_once, g_object_ref (batch->queue),
                   g_object_unref);
}

void
ferry_cli_batch_run_async (FerryClient                *client,
                           GPtrArray                  *transfers,
                           const FerryCliBatchOptions *options,
                           FerryCliProgress           *progress,
                           GCancellable               *cancellable,
                           GAsyncReadyCallback         callback,
                           gpointer                    user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Batch *batch = g_new0 (Batch, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_batch_run_async));
  g_task_set_check_cancellable (task, FALSE);
  batch->options = *options;
  batch->label = g_strdup (options->label);
  batch->base = g_strdup (options->base);
  batch->options.label = batch->label;
  batch->options.base = batch->base;
  batch->progress = progress;
  batch->n_transfers = transfers->len;
  batch->started = g_get_monotonic_time ();
  batch->queue = ferry_transfer_queue_new (client);
  ferry_transfer_queue_set_max_parallel (batch->queue, CLAMP (options->parallel, 1, 16));
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);

  if (transfers->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  ferry_cli_progress_start (progress, batch->label);
  batch->finished_id = g_signal_connect (batch->queue, "transfer-finished",
                                         G_CALLBACK (on_transfer_finished), task);
  batch->tick = g_timeout_add (100, on_tick, batch);
  if (cancellable != NULL)
    {
      batch->cancellable = g_object_ref (cancellable);
      batch->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   batch, NULL);
    }
  for (guint i = 0; i < transfers->len; i++)
    {
      FerryTransfer *transfer = g_ptr_array_index (transfers, i);

      /* As a single get: Ctrl+C keeps each NAME.part for the next run to resume. */
      ferry_transfer_set_keep_partial (transfer, TRUE);
      ferry_transfer_queue_add (batch->queue, transfer);
    }
}

gboolean
ferry_cli_batch_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_batch_run_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Remote folders ------------------------------------------------------------------------- */

typedef struct {
  GPtrArray *folders;
  guint      next;
} Mkdirs;

static void
mkdirs_free (Mkdirs *mkdirs)
{
  g_ptr_array_unref (mkdirs->folders);
  g_free (mkdirs);
}

static void mkdir_next (GTask *task);

static void
on_existing_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mkdirs *mkdirs = g_task_get_task_data (task);
  GError *mkdir_error = g_object_steal_data (G_OBJECT (task), "mkdir-error");
  g_autoptr(GPtrArray) entries = NULL;

  /* MKD refused, yet the folder lists: it was there already. */
  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, NULL);
  if (entries == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("cannot create folder %s"),
                                               (const char *) g_ptr_array_index (mkdirs->folders,
                                                                                 mkdirs->next - 1));

      ferry_cli_return_failure (task, mkdir_error, what);
      return;
    }
  g_error_free (mkdir_error);
  mkdir_next (task);
}

static void
on_mkdir_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mkdirs *mkdirs = g_task_get_task_data (task);
  GError *error = NULL;

  if (ferry_client_mkdir_finish (FERRY_CLIENT (source), result, &error))
    {
      mkdir_next (task);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST))
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "mkdir-error", error, (GDestroyNotify) g_error_free);
  ferry_client_list_async (FERRY_CLIENT (source), g_ptr_array_index (mkdirs->folders,
                                                                     mkdirs->next - 1),
                           g_task_get_cancellable (task), on_existing_checked,
                           g_object_ref (task));
}

static void
mkdir_next (GTask *task)
{
  Mkdirs *mkdirs = g_task_get_task_data (task);

  if (mkdirs->next >= mkdirs->folders->len)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  ferry_client_mkdir_async (FERRY_CLIENT (g_task_get_source_object (task)),
                            g_ptr_array_index (mkdirs->folders, mkdirs->next++),
                            g_task_get_cancellable (task), on_mkdir_done, g_object_ref (task));
}

void
ferry_cli_remote_mkdirs_async (FerryClient         *client,
                               GPtrArray           *folders,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  Mkdirs *mkdirs = g_new0 (Mkdirs, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_remote_mkdirs_async));
  mkdirs->folders = g_ptr_array_ref (folders);
  g_task_set_task_data (task, mkdirs, (GDestroyNotify) mkdirs_free);
  mkdir_next (task);
}

gboolean
ferry_cli_remote_mkdirs_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_remote_mkdirs_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
