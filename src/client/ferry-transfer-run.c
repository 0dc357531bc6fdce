/* ferry-transfer-run.c — running a FerryTransfer on one connection: planning (SIZE, the
 * folder walk), then each file through its own data connection. */
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

#define TRANSFER_BUFFER_SIZE (256 * 1024)
#define WALK_DEPTH_MAX       64

typedef struct {
  char     *remote_path;
  char     *local_dir;     /* download: folder below the chosen one, "a/b" or "" */
  char     *name;          /* download: local name */
  GFile    *local_file;    /* upload: the source */
  gint64    size;          /* -1 when unknown */
  gboolean  is_dir;
  guint     depth;
} PlanItem;

static void
plan_item_free (PlanItem *item)
{
  g_free (item->remote_path);
  g_free (item->local_dir);
  g_free (item->name);
  g_clear_object (&item->local_file);
  g_free (item);
}

typedef struct {
  FerryClient   *client;
  FerryTransfer *transfer;
  GPtrArray     *plan;
  guint          next;
  GQueue         walk;           /* download: folders still to list (PlanItem *) */
  int            root_fd;

  /* The file moving now. */
  PlanItem      *item;
  int            dir_fd;
  char          *final_name;
  char          *part_name;
  char          *remote_target;  /* upload: the name after conflict handling */
  guint          attempt;        /* upload KEEP_BOTH: the number being probed */
  GOutputStream *file_out;
  GInputStream  *file_in;
  GIOStream     *data;
  guint8        *buffer;
  gsize          buffered;
  gint64         offset;
  gint64         received;
  gboolean       holding;        /* the control connection is acquired */
  gboolean       got_final;
  char          *command;
  gboolean       overflow;       /* the server sent past the size it announced */
  void         (*then) (GTask *task);          /* after the data channel closed cleanly */
  GError        *error;          /* the failure to report once the session is in step */
} Run;

static void
close_current_file (Run *run)
{
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
}

static void
run_free (Run *run)
{
  close_current_file (run);
  if (run->root_fd >= 0)
    close (run->root_fd);
  g_queue_clear_full (&run->walk, (GDestroyNotify) plan_item_free);
  g_clear_pointer (&run->plan, g_ptr_array_unref);
  g_clear_object (&run->transfer);
  g_clear_object (&run->client);
  g_free (run->buffer);
  g_clear_error (&run->error);
  g_free (run);
}

static GCancellable *
run_cancellable (GTask *task)
{
  return g_task_get_cancellable (task);
}

static void
run_complete (GTask *task, GError *error)
{
  Run *run = g_task_get_task_data (task);

  if (run->holding)
    {
      run->holding = FALSE;
      _ferry_client_release (run->client);
    }
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
  run_complete (task, g_steal_pointer (&run->error));
}

/* Fails the transfer; while a data command runs, ABOR first so the session stays usable. */
static void
run_fail (GTask *task, GError *error)
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
      _ferry_client_abort_async (run->client, run_aborted, task);
      return;
    }
  run_complete (task, g_steal_pointer (&run->error));
}

static void run_next_item (GTask *task);

static void
item_done (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (run->holding)
    {
      run->holding = FALSE;
      _ferry_client_release (run->client);
    }
  close_current_file (run);
  run_next_item (task);
}

static char *
join_remote (const char *folder, const char *name)
{
  if (g_str_has_suffix (folder, "/"))
    return g_strconcat (folder, name, NULL);
  return g_strconcat (folder, "/", name, NULL);
}

static gboolean
check_local_name (const char *name, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (ferry_name_is_safe_local (name, &local_error))
    return TRUE;
  g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
               _("The server sent a name that cannot be saved safely: %s"),
               local_error->message);
  return FALSE;
}

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
      run_complete (task, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) != 2)
    {
      GError *refused = _ferry_client_reply_error (reply, run->command);

      g_clear_pointer (&run->command, g_free);   /* the command is over: nothing to abort */
      run_complete (task, refused);
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
      run_fail (task, ferry_client_error_from_io (error, _("finishing the upload")));
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
    _ferry_client_read_reply_async (run->client, run_cancellable (task), final_reply_read, task);
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

static void
download_renamed (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_close (run->file_out, NULL, &error))
    {
      run_complete (task, ferry_client_error_from_io (error, _("saving the file")));
      g_error_free (error);
      return;
    }
  g_clear_object (&run->file_out);
  if (run->item->size >= 0 && run->offset + run->received < run->item->size)
    {
      run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                       _("The server ended “%s” after %" G_GINT64_FORMAT
                                         " of %" G_GINT64_FORMAT " bytes; retry to resume"),
                                       run->item->remote_path, run->offset + run->received,
                                       run->item->size));
      return;
    }
  if (!ferry_local_folder_rename (run->dir_fd, run->part_name, run->final_name, &error))
    {
      run_complete (task, error);
      return;
    }
  item_done (task);
}

static GError *
overflow_error (Run *run)
{
  return g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                      _("The server sent more than the %" G_GINT64_FORMAT " bytes it announced "
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
      run_fail (task, error);
      return;
    }
  run->received += run->buffered;
  _ferry_transfer_add_bytes (run->transfer, run->buffered);

  if (run->item->size >= 0 && run->offset + run->received >= run->item->size
      && run->overflow)
    {
      run_fail (task, overflow_error (run));
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
      run_fail (task, error);
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

  received = ferry_data_pump_finish (result, &overflowed, &error);
  if (received < 0)
    {
      run_fail (task, error);
      return;
    }
  run->received += received;
  if (overflowed)
    {
      run_fail (task, overflow_error (run));
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

  if (!ferry_data_pump_can_drive (run->data))
    {
      download_read_more (task);
      return;
    }
  ferry_data_pump_download_async (run->data, fd, run->part_name, limit,
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
      run_fail (task, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) == 2)
    run->got_final = TRUE;
  else if (FERRY_REPLY_CLASS (reply->code) != 1)
    {
      GError *refused = _ferry_client_reply_error (reply, run->command);

      g_clear_pointer (&run->command, g_free);
      run_fail (task, refused);
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
      run_fail (task, error);
      return;
    }
  if (reply->code != 350)
    {
      /* No resuming here: start over. */
      int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (run->file_out));

      if (ftruncate (fd, 0) != 0)
        {
          run_fail (task, ferry_local_folder_error (errno, run->part_name, _("write")));
          return;
        }
      _ferry_transfer_add_bytes (run->transfer, -run->offset);
      run->offset = 0;
    }
  send_transfer_command (task);
}

/* The data channel is open: the transfer command (after REST when resuming) goes out. */
static void
transfer_data_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->data = _ferry_client_open_data_finish (FERRY_CLIENT (source), result, &error);
  if (run->data == NULL)
    {
      run_complete (task, error);
      return;
    }
  if (ferry_transfer_get_direction (run->transfer) == FERRY_TRANSFER_UPLOAD)
    run->command = g_strconcat ("STOR ", run->remote_target, NULL);
  else
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
      run_complete (task, error);
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
download_file (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  FerryConflictPolicy policy = ferry_transfer_get_conflict_policy (run->transfer);
  GError *error = NULL;
  gint64 part_size;
  int fd;

  if (!check_local_name (run->item->name, &error))
    {
      run_complete (task, error);
      return;
    }
  run->dir_fd = ferry_local_folder_open_path (run->root_fd, run->item->local_dir, &error);
  if (run->dir_fd < 0)
    {
      run_complete (task, error);
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
          item_done (task);
          return;
        case FERRY_CONFLICT_KEEP_BOTH:
          g_free (run->final_name);
          run->final_name = ferry_local_folder_free_name (run->dir_fd, run->item->name);
          break;
        case FERRY_CONFLICT_REPLACE:
          break;
        case FERRY_CONFLICT_ERROR:
        default:
          run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
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
      run_complete (task, error);
      return;
    }
  run->file_out = g_unix_output_stream_new (fd, TRUE);
  if (run->offset > 0)
    _ferry_transfer_add_bytes (run->transfer, run->offset);

  if (run->item->size >= 0 && run->offset == run->item->size && run->offset > 0)
    {
      download_renamed (task);   /* the .part already holds everything */
      return;
    }
  acquire_and_open_data (task);
}

/* Uploads ---------------------------------------------------------------------------------- */

static void
upload_finished (GTask *task)
{
  item_done (task);
}

static void
upload_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      run_fail (task, error);
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
      run_fail (task, ferry_client_error_from_io (error, _("reading the local file")));
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

  if (ferry_data_pump_finish (result, NULL, &error) < 0)
    {
      run_fail (task, error);
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
      run_complete (task, ferry_client_error_from_io (error, _("opening the local file")));
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

  if (ferry_transfer_get_conflict_policy (run->transfer) == FERRY_CONFLICT_KEEP_BOTH
      && !ferry_transfer_get_is_folder (run->transfer))
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
      run_complete (task, g_steal_pointer (&error));
      return;
    }
  if (!exists)
    {
      upload_start_sending (task);
      return;
    }
  switch (ferry_transfer_get_conflict_policy (run->transfer))
    {
    case FERRY_CONFLICT_SKIP:
      if (run->item->size > 0)
        _ferry_transfer_add_bytes (run->transfer, run->item->size);
      item_done (task);
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
          run->remote_target = join_remote (folder, numbered);
        upload_probe (task);
        return;
      }
    case FERRY_CONFLICT_REPLACE:
      upload_start_sending (task);
      return;
    case FERRY_CONFLICT_ERROR:
    default:
      run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
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

static void
upload_file (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  run->remote_target = g_strdup (run->item->remote_path);
  if (ferry_transfer_get_conflict_policy (run->transfer) == FERRY_CONFLICT_REPLACE)
    upload_start_sending (task);
  else
    upload_probe (task);
}

static void
mkdir_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A folder that already exists is fine (merge); real problems show up on the STOR. */
  if (!ferry_client_mkdir_finish (FERRY_CLIENT (source), result, &error)
      && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || !ferry_client_is_connected (run->client)))
    {
      run_complete (task, g_steal_pointer (&error));
      return;
    }
  item_done (task);
}

/* Running the plan ------------------------------------------------------------------------- */

static void
run_next_item (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  gboolean download = ferry_transfer_get_direction (run->transfer) == FERRY_TRANSFER_DOWNLOAD;

  if (g_task_return_error_if_cancelled (task))
    {
      /* g_task_return_error_if_cancelled() returned the task: just record the state. */
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("Operation was cancelled"));
      _ferry_transfer_finish (run->transfer, cancelled);
      g_object_unref (task);
      return;
    }
  if (run->next >= run->plan->len)
    {
      run_complete (task, NULL);
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
              run_complete (task, error);
              return;
            }
          close (fd);
          run_next_item (task);
        }
      else
        ferry_client_mkdir_async (run->client, run->item->remote_path, run_cancellable (task),
                                  mkdir_done, task);
      return;
    }

  if (download)
    download_file (task);
  else
    upload_file (task);
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
  run_next_item (task);
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
      plan_item_free (folder);
      run_complete (task, error);
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
      if (!check_local_name (entry->name, &error))
        {
          plan_item_free (folder);
          run_complete (task, error);
          return;
        }
      item = g_new0 (PlanItem, 1);
      item->remote_path = join_remote (folder->remote_path, entry->name);
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
              plan_item_free (folder);
              run_complete (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                               _("The folders on the server nest deeper than "
                                                 "%d levels"), WALK_DEPTH_MAX));
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
  plan_item_free (folder);
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
          run_complete (task, g_steal_pointer (&error));
          return;
        }
      item->size = -1;
    }
  plan_ready (task);
}

static void
plan_download (GTask *task)
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
  if (run->root_fd < 0 || !check_local_name (item->name, &error))
    {
      plan_item_free (item);
      run_complete (task, error);
      return;
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
      item->remote_path = join_remote (remote, g_file_info_get_name (info));
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
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_item_free);
  GError *error = NULL;

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
      run_complete (task, ferry_client_error_from_io (error, _("reading the local folder")));
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
      run_complete (task, ferry_client_error_from_io (error, _("reading the local file")));
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
  g_task_set_task_data (walk, item, NULL);
  g_task_run_in_thread (walk, walk_local_thread);
}

/* Even a stat may block on a gvfs mount: the local file is looked at asynchronously. */
static void
plan_upload (GTask *task)
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

void
ferry_client_run_transfer_async (FerryClient         *self,
                                 FerryTransfer       *transfer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Run *run;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  task = g_task_new (self, cancellable, callback, user_data);
  /* Report what really happened: a cancel that lands after the last byte changes nothing. */
  g_task_set_check_cancellable (task, FALSE);
  if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_RUNNING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The transfer is already running"));
      g_object_unref (task);
      return;
    }

  run = g_new0 (Run, 1);
  run->client = g_object_ref (self);
  run->transfer = g_object_ref (transfer);
  run->plan = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_item_free);
  run->root_fd = -1;
  run->dir_fd = -1;
  run->buffer = g_malloc (TRANSFER_BUFFER_SIZE);
  g_queue_init (&run->walk);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  _ferry_transfer_begin (transfer);
  if (ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD)
    plan_download (task);
  else
    plan_upload (task);
}

gboolean
ferry_client_run_transfer_finish (FerryClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
