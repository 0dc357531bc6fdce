// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-transfer.c — get and put, with the progress bar. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"
#include "ferry-cli-transfer.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct {
  FerryTransfer *transfer;
  char          *subject;     /* what the error line names */
  gboolean       download;
} TransferCommand;

static void
transfer_command_free (TransferCommand *command)
{
  g_clear_object (&command->transfer);
  g_free (command->subject);
  g_free (command);
}

static void
on_transferred (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferCommand *command = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;

  if (ferry_cli_transfer_run_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (command->download)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("Cancelled the download of %s; get it again to resume"),
                                 command->subject);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("Cancelled the upload of %s"), command->subject);
      return;
    }
  what = command->download ? g_strdup_printf (_("cannot download %s"), command->subject)
                           : g_strdup_printf (_("cannot upload %s"), command->subject);
  ferry_cli_return_failure (task, g_steal_pointer (&error), what);
}

static void
start_transfer (FerryCliContext *context,
                GTask           *task,
                FerryTransfer   *transfer,
                const char      *subject,
                gboolean         download)
{
  TransferCommand *command = g_new0 (TransferCommand, 1);

  /* Like other FTP clients, get and put replace a file of the same name. A NAME.part left by
   * an interrupted download is still resumed. */
  ferry_transfer_set_conflict_policy (transfer, FERRY_CONFLICT_REPLACE);
  command->transfer = g_object_ref (transfer);
  command->subject = g_strdup (subject);
  command->download = download;
  g_task_set_task_data (task, command, (GDestroyNotify) transfer_command_free);

  ferry_cli_transfer_run_async (context->client, transfer, context->progress,
                                g_task_get_cancellable (task), on_transferred,
                                g_object_ref (task));
}

void
ferry_cli_command_get (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  g_autofree char *remote = g_strdup (invocation->args[0]);
  const char *local = invocation->n_args > 1 ? invocation->args[1] : NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;

  /* "get -r photos/" names the folder "photos", not an empty name inside it. */
  while (strlen (remote) > 1 && g_str_has_suffix (remote, "/"))
    remote[strlen (remote) - 1] = '\0';

  if (local == NULL)
    folder = g_file_new_for_path (".");
  else if (g_file_test (local, G_FILE_TEST_IS_DIR))
    folder = g_file_new_for_path (local);
  else
    {
      g_autofree char *parent = g_path_get_dirname (local);

      folder = g_file_new_for_path (parent);
      name = g_path_get_basename (local);
    }

  transfer = ferry_transfer_new_download (remote, invocation->recursive, folder, name);
  start_transfer (context, task, transfer, remote, TRUE);
}

void
ferry_cli_command_put (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  const char *local = invocation->args[0];
  const char *target = invocation->n_args > 1 ? invocation->args[1] : NULL;
  g_autofree char *remote = ferry_cli_remote_target_for (target, local);
  g_autoptr(GFile) file = g_file_new_for_path (local);
  g_autoptr(FerryTransfer) transfer = NULL;
  GFileType type;

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type == G_FILE_TYPE_UNKNOWN)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("cannot upload %s: no such file or folder"), local);
      return;
    }
  if (type == G_FILE_TYPE_DIRECTORY && !invocation->recursive)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                               _("cannot upload %s: it is a folder (use put -r)"), local);
      return;
    }

  transfer = ferry_transfer_new_upload (file, remote);
  start_transfer (context, task, transfer, local, FALSE);
}
