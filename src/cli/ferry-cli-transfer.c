// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-transfer.c — a transfer with the progress bar following its properties. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-transfer.h"
#include "ferry-cli-escape.h"

#include <glib/gi18n.h>
#include "ferry-task.h"

typedef struct {
  FerryTransfer    *transfer;
  FerryCliProgress *progress;    /* borrowed: the context owns it */
  gulong            notify_id;
  gulong            skipped_id;
} TransferRun;

static void
transfer_run_free (TransferRun *run)
{
  g_clear_signal_handler (&run->notify_id, run->transfer);
  g_clear_signal_handler (&run->skipped_id, run->transfer);
  g_clear_object (&run->transfer);
  g_free (run);
}

static void
on_transfer_notify (FerryTransfer *transfer,
                    GParamSpec    *pspec,
                    gpointer       user_data)
{
  TransferRun *run = user_data;

  ferry_cli_progress_update (run->progress,
                             ferry_transfer_get_bytes_done (transfer),
                             ferry_transfer_get_total (transfer),
                             ferry_transfer_get_rate (transfer));
}

/* One warning line per entry left out, as lftp and wget print them; the name is the
 * server's, so escaped. */
static void
on_item_skipped (FerryTransfer *transfer,
                 const char    *remote_path,
                 const char    *reason,
                 gpointer       user_data)
{
  TransferRun *run = user_data;
  g_autofree char *path = ferry_cli_escape (remote_path);
  g_autofree char *why = ferry_cli_escape (reason);
  /* Translators: a warning during a folder download: the remote name, then why. */
  g_autofree char *line = g_strdup_printf (_("ferry-cli: skipped “%s”: unsafe name (%s)"),
                                           path, why);

  ferry_cli_progress_print_above (run->progress, line);
}

/* "verified": the server's HASH of every file matched the local copy. */
static void
report_verified (FerryClient   *client,
                 TransferRun   *run)
{
  guint n = ferry_transfer_get_n_verified (run->transfer);
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  const char *algorithm;

  if (n == 0 || !ferry_client_get_hash_type (client, NULL, &algorithm))
    return;
  name = ferry_cli_escape (ferry_transfer_get_name (run->transfer));
  if (ferry_transfer_get_is_folder (run->transfer))
    /* Translators: after a folder transfer; %s: the folder, then an algorithm (SHA-256). */
    line = g_strdup_printf (ngettext ("ferry-cli: verified “%s”: the %s checksum of %u file "
                                      "matches the server’s",
                                      "ferry-cli: verified “%s”: the %s checksums of %u files "
                                      "match the server’s", n),
                            name, algorithm, n);
  else
    /* Translators: after a transfer; %s: the file, then an algorithm (SHA-256). */
    line = g_strdup_printf (_("ferry-cli: verified “%s”: its %s checksum matches the "
                              "server’s"), name, algorithm);
  ferry_cli_progress_print_info (run->progress, line);
}

static void
on_transfer_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean completed;

  completed = ferry_client_run_transfer_finish (FERRY_CLIENT (source), result, &error);
  g_clear_signal_handler (&run->notify_id, run->transfer);
  if (completed)
    on_transfer_notify (run->transfer, NULL, run);
  ferry_cli_progress_finish (run->progress, completed);

  if (!completed)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      report_verified (FERRY_CLIENT (source), run);
      g_task_return_boolean (task, TRUE);
    }
}

void
ferry_cli_transfer_run_async (FerryClient         *client,
                              FerryTransfer       *transfer,
                              FerryCliProgress    *progress,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  TransferRun *run = g_new0 (TransferRun, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_transfer_run_async));

  g_task_set_check_cancellable (task, FALSE);
  run->transfer = g_object_ref (transfer);
  run->progress = progress;
  g_task_set_task_data (task, run, (GDestroyNotify) transfer_run_free);

  /* Ctrl+C leaves NAME.part behind: running the same get again resumes it (as wget -c). */
  ferry_transfer_set_keep_partial (transfer, TRUE);
  ferry_cli_progress_start (progress, ferry_transfer_get_name (transfer));
  /* "bytes-done" is notified at most ten times a second; total and rate change with it. */
  run->notify_id = g_signal_connect (transfer, "notify::bytes-done",
                                     G_CALLBACK (on_transfer_notify), run);
  run->skipped_id = g_signal_connect (transfer, "item-skipped",
                                      G_CALLBACK (on_item_skipped), run);
  ferry_client_run_transfer_async (client, transfer, cancellable, on_transfer_done, task);
}

gboolean
ferry_cli_transfer_run_finish (GAsyncResult  *result,
                               GError       **error)
{
  /* The task's source is the client, which the caller does not pass back. */
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_transfer_run_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
