// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-file.c — one file through its own data connection: conflicts, .part and
 * REST, RETR/STOR, the bytes (pumped in a worker thread on plain connections, async over
 * TLS), the final reply. */
#define G_LOG_DOMAIN "ferry-client"

#include <inttypes.h>
#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gfiledescriptorbased.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-client-private.h"
#include "ferry-data-pump.h"
#include "ferry-local-folder.h"
#include "ferry-timed-io.h"
#include "ferry-transfer-private.h"
#include "ferry-transfer-run-private.h"

/* Largest download whose checksum the pump takes as the bytes arrive. */
#define SMALL_FILE_HASHED_ON_ARRIVAL (1024 * 1024)

/* Shared data-channel steps ---------------------------------------------------------------- */

typedef void (*DataStep) (GTask *task);

static void
final_reply_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;
  DataStep then = run->then;

  reply = _ferry_client_read_reply_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      _ferry_run_complete (task, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) != 2)
    {
      GError *refused = _ferry_client_reply_error (reply, run->command);

      g_clear_pointer (&run->command, g_free);   /* the command is over: nothing to abort */
      _ferry_run_complete (task, refused);
      return;
    }
  g_clear_pointer (&run->command, g_free);
  then (task);
}

static void
data_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  DataStep then = run->then;

  /* An upload's last bytes (and TLS close_notify) go out on close: its failure counts. */
  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error)
      && ferry_transfer_get_direction (run->transfer) == FERRY_TRANSFER_UPLOAD)
    {
      g_clear_object (&run->data);
      _ferry_run_fail (task, ferry_client_error_from_io (error, _("finishing the upload")));
      g_error_free (error);
      return;
    }
  g_clear_error (&error);
  g_clear_object (&run->data);
  if (run->got_final)
    {
      g_clear_pointer (&run->command, g_free);
      then (task);
    }
  else
    /* Every byte moved: a cancel now changes nothing, and the reply (bounded by the reply
     * time-out) keeps the session in step. */
    _ferry_client_read_reply_async (run->client, NULL, final_reply_read, task);
}

/* Closes the data channel, reads the transfer command's final reply, then calls then. */
static void
finish_data (GTask *task, DataStep then)
{
  Run *run = g_task_get_task_data (task);

  run->then = then;
  g_io_stream_close_async (run->data, G_PRIORITY_DEFAULT, run_cancellable (task),
                           data_closed, task);
}

/* Downloads -------------------------------------------------------------------------------- */

static void download_read_more (GTask *task);
static void upload_read_local (GTask *task);
static void upload_send (GTask *task);

/* The file is whole and checked: it takes its name. */
static void
download_commit (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_local_folder_rename (run->dir_fd, run->part_name, run->final_name, &error))
    {
      _ferry_run_complete (task, error);
      return;
    }
  _ferry_run_item_done (task);
}

/* NAME.part as it is for the checksum, or -1 (then nothing can be checked). */
static int
open_part_for_reading (Run *run)
{
  return openat (run->dir_fd, run->part_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

static void
close_part_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_output_stream_close (G_OUTPUT_STREAM (source), NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Every byte arrived and the file is closed: check the size and checksum, then name it. */
static void
download_check (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (run->item->size >= 0 && run->offset + run->received < run->item->size)
    {
      _ferry_run_complete (task,
                           g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                        _("The server ended “%s” after %" PRId64
                                          " of %" PRId64 " bytes; retry to resume"),
                                        run->item->remote_path, run->offset + run->received,
                                        run->item->size));
      return;
    }
  if (run->part_checked)
    download_commit (task);
  else if (run->received_digest != NULL)
    _ferry_run_verify_digest (task, g_steal_pointer (&run->received_digest),
                              run->item->remote_path, run->item->size, download_commit,
                              _ferry_run_complete);
  else
    _ferry_run_verify (task, open_part_for_reading (run), run->item->remote_path,
                       run->item->size, download_commit, _ferry_run_complete);
}

static void
download_part_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  g_return_if_fail (g_task_is_valid (result, source));
  g_return_if_fail (g_async_result_is_tagged (result, FERRY_TASK_TAG (close_part_in_thread)));

  g_clear_object (&run->file_out);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _ferry_run_complete (task, ferry_client_error_from_io (error, _("saving the file")));
      g_error_free (error);
      return;
    }
  download_check (task);
}

/* Closing a file the page cache holds much of may wait for the disk (ext4 flushes on close
 * after a truncate, NFS always does): in a worker thread, never on the main loop. The pump
 * closed it already in its own worker. */
static void
download_renamed (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) closing = NULL;

  if (run->file_closed)
    {
      g_clear_object (&run->file_out);
      download_check (task);
      return;
    }
  closing = g_task_new (run->file_out, NULL, download_part_closed, task);

  g_task_set_source_tag (closing, FERRY_TASK_TAG (close_part_in_thread));
  g_task_run_in_thread (closing, close_part_in_thread);
}

static GError *
overflow_error (Run *run)
{
  return g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                      _("The server sent more than the %" PRId64 " bytes it announced "
                        "for “%s”; Ferry stopped there"),
                      run->item->size, run->item->remote_path);
}

static void
download_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      _ferry_run_fail (task, error);
      return;
    }
  run->received += run->buffered;
  _ferry_transfer_add_bytes (run->transfer, run->buffered);

  if (run->item->size >= 0 && run->offset + run->received >= run->item->size
      && run->overflow)
    {
      _ferry_run_fail (task, overflow_error (run));
      return;
    }
  download_read_more (task);
}

static void
download_data_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = ferry_timed_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      _ferry_run_fail (task, error);
      return;
    }
  if (n == 0)
    {
      finish_data (task, download_renamed);
      return;
    }

  /* A server that keeps sending past the size it announced would fill the disk. */
  if (run->item->size >= 0 && run->offset + run->received + n > run->item->size)
    {
      n = run->item->size - run->offset - run->received;
      run->overflow = TRUE;
    }
  run->buffered = n;
  ferry_timed_write_all_async (run->file_out, run->buffer, n,
                               ferry_client_get_data_timeout (run->client),
                               run_cancellable (task), download_written, task);
}

static void
download_read_more (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  ferry_timed_read_async (g_io_stream_get_input_stream (run->data), run->buffer,
                          TRANSFER_BUFFER_SIZE, ferry_client_get_data_timeout (run->client),
                          run_cancellable (task), download_data_read, task);
}

static void
download_pumped (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  gboolean overflowed = FALSE;
  GError *error = NULL;
  gint64 received;

  received = ferry_data_pump_finish (result, &overflowed, &run->received_digest, &error);
  if (received < 0)
    {
      _ferry_run_fail (task, error);
      return;
    }
  run->received += received;
  if (overflowed)
    {
      _ferry_run_fail (task, overflow_error (run));
      return;
    }
  finish_data (task, download_renamed);
}

/* A plain data connection is pumped in a worker thread; TLS stays on async reads. */
static void
download_receive (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (run->file_out));
  gint64 limit = run->item->size >= 0 ? run->item->size - run->offset : -1;
  FerryDigestType type;
  FerryDigest *digest = NULL;

  if (!ferry_data_pump_can_drive (run->data))
    {
      download_read_more (task);
      return;
    }
  /* A small file from byte 0 is checksummed on the way in: for a folder of thousands, a
   * second worker thread reading each one back costs more than hashing a few kilobytes in
   * the pump. A larger one (or a resumed one) is read back after the last byte, in parallel
   * with the server's HASH, off the transfer's critical path (bb6e215). */
  g_clear_pointer (&run->received_digest, g_free);
  if (run->offset == 0 && limit >= 0 && limit <= SMALL_FILE_HASHED_ON_ARRIVAL
      && ferry_client_get_hash_type (run->client, &type, NULL))
    digest = ferry_digest_new (type);
  /* The pump closes the file when it is done, in its worker: the stream lets go of it. */
  g_unix_output_stream_set_close_fd (G_UNIX_OUTPUT_STREAM (run->file_out), FALSE);
  run->file_closed = TRUE;
  ferry_data_pump_download_async (run->data, fd, run->part_name, limit, digest, TRUE,
                                  ferry_client_get_data_timeout (run->client), run->transfer,
                                  run_cancellable (task), download_pumped, task);
}

static void
transfer_command_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;
  gboolean download = ferry_transfer_get_direction (run->transfer) == FERRY_TRANSFER_DOWNLOAD;

  reply = _ferry_client_command_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      _ferry_run_fail (task, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) == 2)
    run->got_final = TRUE;
  else if (FERRY_REPLY_CLASS (reply->code) != 1)
    {
      GError *refused = _ferry_client_reply_error (reply, run->command);

      g_clear_pointer (&run->command, g_free);
      _ferry_run_fail (task, refused);
      return;
    }
  if (download)
    download_receive (task);
  else
    upload_send (task);
}

static void
send_transfer_command (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  _ferry_client_command_async (run->client, run->command, run_cancellable (task),
                               transfer_command_replied, task);
}

static void
rest_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      _ferry_run_fail (task, error);
      return;
    }
  if (reply->code != FERRY_REPLY_PENDING_MORE)
    {
      /* No resuming here: start over. */
      int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (run->file_out));

      if (ftruncate (fd, 0) != 0)
        {
          _ferry_run_fail (task, ferry_local_folder_error (errno, run->part_name, _("write")));
          return;
        }
      _ferry_transfer_add_bytes (run->transfer, -run->offset);
      run->offset = 0;
    }
  send_transfer_command (task);
}

static void
allo_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  /* Any reply will do (202 or 500/502 from servers that ignore ALLO); a lost connection
   * (or 421) fails the upload as it would have at STOR. */
  reply = _ferry_client_command_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      _ferry_run_fail (task, error);
      return;
    }
  send_transfer_command (task);
}

/* The size of the local file an upload reads, or -1 when it is not a regular file. */
static gint64
upload_local_size (Run *run)
{
  struct stat st;

  if (!G_IS_FILE_DESCRIPTOR_BASED (run->file_in)
      || fstat (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (run->file_in)), &st) != 0
      || !S_ISREG (st.st_mode))
    return -1;
  return st.st_size;
}

/* The data channel is open: the transfer command (after REST when resuming) goes out. An
 * upload announces its size with ALLO first: a server that knows how many bytes to expect
 * (ferryd) can commit the file the moment they are in, instead of first waiting to see that
 * the client did not die mid-upload. */
static void
transfer_data_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->data = _ferry_client_open_data_finish (FERRY_CLIENT (source), result, &error);
  if (run->data == NULL)
    {
      _ferry_run_complete (task, error);
      return;
    }
  if (ferry_transfer_get_direction (run->transfer) == FERRY_TRANSFER_UPLOAD)
    {
      gint64 size = upload_local_size (run);

      run->command = g_strconcat ("STOR ", run->remote_target, NULL);
      if (size >= 0)
        {
          g_autofree char *allo = g_strdup_printf ("ALLO %" G_GINT64_FORMAT, size);

          _ferry_client_command_async (run->client, allo, run_cancellable (task), allo_replied,
                                       task);
          return;
        }
      send_transfer_command (task);
      return;
    }
  run->command = g_strconcat ("RETR ", run->item->remote_path, NULL);
  if (run->offset > 0)
    {
      g_autofree char *rest = g_strdup_printf ("REST %" G_GINT64_FORMAT, run->offset);

      _ferry_client_command_async (run->client, rest, run_cancellable (task), rest_replied, task);
    }
  else
    send_transfer_command (task);
}

static void
transfer_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_ferry_client_acquire_finish (FERRY_CLIENT (source), result, &error))
    {
      _ferry_run_complete (task, error);
      return;
    }
  run->holding = TRUE;
  run->overflow = FALSE;
  _ferry_client_open_data_async (run->client, run_cancellable (task), transfer_data_opened,
                                 task);
}

static void
acquire_and_open_data (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  _ferry_client_acquire_async (run->client, run_cancellable (task), transfer_acquired, task);
}

static void
download_whole_part_checked (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  run->part_checked = TRUE;
  download_renamed (task);
}

/* A whole .part left by an earlier try that does not match the server's copy: start over. */
static void
download_whole_part_differs (GTask *task, GError *error)
{
  Run *run = g_task_get_task_data (task);
  int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (run->file_out));

  if (!g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_VERIFY_FAILED))
    {
      _ferry_run_complete (task, error);
      return;
    }
  g_debug ("%s: %s; downloading it again", run->part_name, error->message);
  g_error_free (error);
  if (ftruncate (fd, 0) != 0 || lseek (fd, 0, SEEK_SET) != 0)
    {
      _ferry_run_complete (task, ferry_local_folder_error (errno, run->part_name, _("write")));
      return;
    }
  _ferry_transfer_add_bytes (run->transfer, -run->offset);
  run->offset = 0;
  acquire_and_open_data (task);
}

void
_ferry_run_download_file (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  FerryConflictPolicy policy = _ferry_transfer_policy_for (run->transfer,
                                                           run->item->remote_path);
  GError *error = NULL;
  gint64 part_size;
  int fd;

  if (!_ferry_run_check_local_name (run->item->name, &error))
    {
      _ferry_run_complete (task, error);
      return;
    }
  run->dir_fd = ferry_local_folder_open_path (run->root_fd, run->item->local_dir, &error);
  if (run->dir_fd < 0)
    {
      _ferry_run_complete (task, error);
      return;
    }

  run->final_name = g_strdup (run->item->name);
  if (ferry_local_folder_has_child (run->dir_fd, run->final_name))
    {
      switch (policy)
        {
        case FERRY_CONFLICT_SKIP:
          if (run->item->size > 0)
            _ferry_transfer_add_bytes (run->transfer, run->item->size);
          _ferry_run_item_done (task);
          return;
        case FERRY_CONFLICT_KEEP_BOTH:
          g_free (run->final_name);
          run->final_name = ferry_local_folder_free_name (run->dir_fd, run->item->name);
          break;
        case FERRY_CONFLICT_REPLACE:
          break;
        case FERRY_CONFLICT_ERROR:
        case FERRY_CONFLICT_MERGE:
        default:
          {
            g_autofree char *path = g_build_filename (run->item->local_dir, run->final_name,
                                                      NULL);
            g_autoptr(GFile) local = g_file_resolve_relative_path (
              ferry_transfer_get_local_folder (run->transfer), path);

            _ferry_transfer_set_conflict (run->transfer, run->item->remote_path, local, FALSE);
          }
          _ferry_run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
                                                  _("“%s” already exists in the chosen folder"),
                                                  run->final_name));
          return;
        }
    }
  if (run->item->local_dir[0] == '\0' && !ferry_transfer_get_is_folder (run->transfer))
    {
      g_autoptr(GFile) folder = g_object_ref (ferry_transfer_get_local_folder (run->transfer));
      g_autoptr(GFile) file = g_file_get_child (folder, run->final_name);

      _ferry_transfer_set_local_file (run->transfer, file);
    }

  run->part_name = g_strconcat (run->final_name, ".part", NULL);
  part_size = ferry_local_folder_regular_size (run->dir_fd, run->part_name);
  if (part_size > 0 && (run->item->size < 0 || part_size <= run->item->size))
    run->offset = part_size;

  fd = ferry_local_folder_open_for_writing (run->dir_fd, run->part_name, run->offset > 0, &error);
  if (fd < 0)
    {
      _ferry_run_complete (task, error);
      return;
    }
  run->file_out = g_unix_output_stream_new (fd, TRUE);
  if (run->offset > 0)
    _ferry_transfer_add_bytes (run->transfer, run->offset);

  if (run->item->size >= 0 && run->offset == run->item->size && run->offset > 0)
    {
      /* The .part already holds everything: name it if it matches the server's checksum. */
      _ferry_run_verify (task, open_part_for_reading (run), run->item->remote_path,
                         run->item->size, download_whole_part_checked,
                         download_whole_part_differs);
      return;
    }
  acquire_and_open_data (task);
}

/* Uploads ---------------------------------------------------------------------------------- */

static void
upload_verified (GTask *task)
{
  _ferry_run_item_done (task);
}

/* The server has the file (226): compare its checksum with the local file's. */
static void
upload_finished (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  int fd = -1;

  if (G_IS_FILE_DESCRIPTOR_BASED (run->file_in))
    fd = fcntl (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (run->file_in)),
                F_DUPFD_CLOEXEC, 0);
  _ferry_run_verify (task, fd, run->remote_target, upload_local_size (run), upload_verified,
                     _ferry_run_complete);
}

static void
upload_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      _ferry_run_fail (task, error);
      return;
    }
  _ferry_transfer_add_bytes (run->transfer, run->buffered);
  upload_read_local (task);
}

static void
upload_local_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      _ferry_run_fail (task, ferry_client_error_from_io (error, _("reading the local file")));
      g_error_free (error);
      return;
    }
  if (n == 0)
    {
      finish_data (task, upload_finished);
      return;
    }
  run->buffered = n;
  ferry_timed_write_all_async (g_io_stream_get_output_stream (run->data), run->buffer, n,
                               ferry_client_get_data_timeout (run->client),
                               run_cancellable (task), upload_written, task);
}

static void
upload_read_local (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_input_stream_read_async (run->file_in, run->buffer, TRANSFER_BUFFER_SIZE,
                             G_PRIORITY_DEFAULT, run_cancellable (task),
                             upload_local_read, task);
}

static void
upload_pumped (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (ferry_data_pump_finish (result, NULL, NULL, &error) < 0)
    {
      _ferry_run_fail (task, error);
      return;
    }
  finish_data (task, upload_finished);
}

/* A local file on a plain data connection goes out by sendfile(2) in a worker thread. */
static void
upload_send (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *label = NULL;
  int fd;

  if (!ferry_data_pump_can_drive (run->data) || !G_IS_FILE_DESCRIPTOR_BASED (run->file_in))
    {
      upload_read_local (task);
      return;
    }
  fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (run->file_in));
  label = g_file_get_parse_name (run->item->local_file);
  ferry_data_pump_upload_async (run->data, fd, label,
                                ferry_client_get_data_timeout (run->client), run->transfer,
                                run_cancellable (task), upload_pumped, task);
}

static void
upload_local_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  GFileInputStream *in;

  in = g_file_read_finish (G_FILE (source), result, &error);
  if (in == NULL)
    {
      _ferry_run_complete (task, ferry_client_error_from_io (error, _("opening the local file")));
      g_error_free (error);
      return;
    }
  run->file_in = G_INPUT_STREAM (in);
  acquire_and_open_data (task);
}

static void
upload_start_sending (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (_ferry_transfer_policy_for (run->transfer, run->item->remote_path)
      == FERRY_CONFLICT_KEEP_BOTH && !ferry_transfer_get_is_folder (run->transfer))
    _ferry_transfer_set_remote_path (run->transfer, run->remote_target);
  g_file_read_async (run->item->local_file, G_PRIORITY_DEFAULT, run_cancellable (task),
                     upload_local_opened, task);
}

static void upload_probe (GTask *task);

static void
upload_probed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean exists;

  exists = ferry_client_size_finish (FERRY_CLIENT (source), result, &error) >= 0;
  if (error != NULL && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                        || !ferry_client_is_connected (run->client)))
    {
      _ferry_run_complete (task, g_steal_pointer (&error));
      return;
    }
  if (!exists)
    {
      upload_start_sending (task);
      return;
    }
  switch (_ferry_transfer_policy_for (run->transfer, run->item->remote_path))
    {
    case FERRY_CONFLICT_SKIP:
      if (run->item->size > 0)
        _ferry_transfer_add_bytes (run->transfer, run->item->size);
      _ferry_run_item_done (task);
      return;
    case FERRY_CONFLICT_KEEP_BOTH:
      {
        g_autofree char *folder = ferry_vpath_dirname (run->item->remote_path);
        g_autofree char *base = ferry_vpath_basename (run->item->remote_path);
        g_autofree char *numbered = ferry_numbered_name (base, ++run->attempt);

        g_free (run->remote_target);
        if (strchr (run->item->remote_path, '/') == NULL)
          run->remote_target = g_steal_pointer (&numbered);
        else
          run->remote_target = ferry_vpath_join (folder, numbered);
        upload_probe (task);
        return;
      }
    case FERRY_CONFLICT_REPLACE:
      upload_start_sending (task);
      return;
    case FERRY_CONFLICT_ERROR:
    case FERRY_CONFLICT_MERGE:
    default:
      _ferry_transfer_set_conflict (run->transfer, run->item->remote_path,
                                    run->item->local_file, FALSE);
      _ferry_run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
                                              _("“%s” already exists on the server"),
                                              run->remote_target));
      return;
    }
}

static void
upload_probe (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  ferry_client_size_async (run->client, run->remote_target, run_cancellable (task),
                           upload_probed, task);
}

void
_ferry_run_upload_file (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  run->remote_target = g_strdup (run->item->remote_path);
  if (_ferry_transfer_policy_for (run->transfer, run->item->remote_path)
      == FERRY_CONFLICT_REPLACE)
    upload_start_sending (task);
  else
    upload_probe (task);
}

