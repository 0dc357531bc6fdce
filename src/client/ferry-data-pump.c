// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-data-pump.c — one worker thread per file moving a plain data connection's bytes with
 * blocking system calls; see ferry-data-pump.h for why. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferry-client-error.h"
#include "ferry-data-pump.h"
#include "ferry-digest.h"
#include "ferry-local-folder.h"
#include "ferry-timed-io.h"
#include "ferry-transfer-private.h"

/* Large enough that a loopback transfer needs few system calls; memory stays flat. */
#define PUMP_BUFFER_SIZE     (1024 * 1024)
/* What one write(2) to the file hands the kernel. The page cache sizes its folios by the
 * write: 1 MiB writes ask for high-order folios, and on a VM that gives free memory back to
 * its host (virtio-balloon free page reporting, as on the bench machine) each fresh one costs
 * host page faults — 256 MiB took 0.06–3 s of system time with 1 MiB writes, a steady 0.12 s
 * with 16 KiB ones (curl's size), measured with dd. */
#define WRITE_SLICE          (16 * 1024)
/* sendfile(2) in slices, so that a cancel is seen between them. */
#define SENDFILE_SLICE       (8 * 1024 * 1024)
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

/* Identifies the pump's tasks (ISO C forbids a function as the tag). */
static char pump_source_tag;

typedef struct {
  GSocket       *socket;
  int            file_fd;
  char          *file_label;
  gint64         limit;
  guint          timeout_ms;
  GMainContext  *context;
  FerryTransfer *transfer;
  FerryDigest   *digest;          /* download: the checksum of what was written, or NULL */
  char          *digest_hex;      /* its result, once the server closed the connection */

  /* Shared between the worker and the main context. */
  GMutex         lock;
  gint64         moved;
  gboolean       report_pending;

  gint64         reported;        /* main context only */
  gint64         last_report_us;  /* worker only */
  gboolean       overflowed;      /* written by the worker, read after it returned */
  gboolean       close_file;      /* download: file_fd is the pump's to close at the end */
} Pump;

static void
pump_clear (Pump *pump)
{
  g_clear_object (&pump->socket);
  g_free (pump->file_label);
  g_clear_pointer (&pump->context, g_main_context_unref);
  g_clear_object (&pump->transfer);
  g_clear_pointer (&pump->digest, ferry_digest_free);
  g_free (pump->digest_hex);
  g_mutex_clear (&pump->lock);
}

static void
pump_unref (gpointer pump)
{
  g_atomic_rc_box_release_full (pump, (GDestroyNotify) pump_clear);
}

static Pump *
pump_new (GIOStream *data, int file_fd, const char *file_label, guint timeout_ms,
          FerryTransfer *transfer)
{
  Pump *pump = g_atomic_rc_box_new0 (Pump);

  pump->socket = g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (data)));
  pump->file_fd = file_fd;
  pump->file_label = g_strdup (file_label);
  pump->limit = -1;
  pump->timeout_ms = timeout_ms;
  pump->context = g_main_context_ref_thread_default ();
  pump->transfer = g_object_ref (transfer);
  g_mutex_init (&pump->lock);
  return pump;
}

/* Main context: hands the bytes moved since the last report to the transfer. */
static gboolean
pump_report (gpointer data)
{
  Pump *pump = data;
  gint64 moved;

  g_mutex_lock (&pump->lock);
  moved = pump->moved;
  pump->report_pending = FALSE;
  g_mutex_unlock (&pump->lock);

  if (moved != pump->reported)
    _ferry_transfer_add_bytes (pump->transfer, moved - pump->reported);
  pump->reported = moved;
  return G_SOURCE_REMOVE;
}

/* Worker: counts bytes and wakes the main context at most every PROGRESS_INTERVAL_US. */
static void
pump_count (Pump *pump, gint64 bytes)
{
  gint64 now_us = g_get_monotonic_time ();
  gboolean report = FALSE;

  g_mutex_lock (&pump->lock);
  pump->moved += bytes;
  if (!pump->report_pending && now_us - pump->last_report_us >= PROGRESS_INTERVAL_US)
    {
      pump->report_pending = TRUE;
      pump->last_report_us = now_us;
      report = TRUE;
    }
  g_mutex_unlock (&pump->lock);

  if (report)
    g_main_context_invoke_full (pump->context, G_PRIORITY_DEFAULT, pump_report,
                                g_atomic_rc_box_acquire (pump), pump_unref);
}

static gint64
pump_total (Pump *pump)
{
  gint64 moved;

  g_mutex_lock (&pump->lock);
  moved = pump->moved;
  g_mutex_unlock (&pump->lock);
  return moved;
}

/* Waits until the socket is ready, the cancellable fires or the data time-out runs out. */
static gboolean
pump_wait (Pump *pump, GIOCondition condition, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 timeout_us = pump->timeout_ms > 0 ? (gint64) pump->timeout_ms * 1000 : -1;

  if (g_socket_condition_timed_wait (pump->socket, condition, timeout_us, cancellable,
                                     &local_error))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT,
                 condition == G_IO_IN
                 ? _("The server stopped sending the file (nothing for %u s)")
                 : _("The server stopped accepting the file (nothing for %u s)"),
                 (pump->timeout_ms + 999) / 1000);
  else
    g_propagate_error (error, ferry_client_error_from_io (local_error,
                                                          _("waiting for the server")));
  return FALSE;
}

static void
set_socket_error (int saved_errno, gboolean sending, GError **error)
{
  g_autoptr(GError) io_error = g_error_new_literal (G_IO_ERROR,
                                                    g_io_error_from_errno (saved_errno),
                                                    g_strerror (saved_errno));

  g_propagate_error (error, ferry_client_error_from_io (io_error,
                                                        sending ? _("sending the file")
                                                        : _("receiving the file")));
}

static gboolean
write_file (Pump *pump, const guint8 *buffer, gsize count, GError **error)
{
  while (count > 0)
    {
      gssize n = write (pump->file_fd, buffer, MIN (count, WRITE_SLICE));

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_propagate_error (error, ferry_local_folder_error (saved_errno, pump->file_label,
                                                              _("write")));
          return FALSE;
        }
      buffer += n;
      count -= n;
    }
  return TRUE;
}

static gboolean
send_socket (Pump *pump, const guint8 *buffer, gsize count, GCancellable *cancellable,
             GError **error)
{
  int fd = g_socket_get_fd (pump->socket);

  while (count > 0)
    {
      gssize n = send (fd, buffer, count, MSG_NOSIGNAL);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)
            {
              if (!pump_wait (pump, G_IO_OUT, cancellable, error))
                return FALSE;
              continue;
            }
          set_socket_error (saved_errno, TRUE, error);
          return FALSE;
        }
      buffer += n;
      count -= n;
    }
  return TRUE;
}

/* Receives until the end, the limit or a failure; FALSE with error on failure. */
static gboolean
download_loop (Pump *pump, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *buffer = g_malloc (PUMP_BUFFER_SIZE);
  int fd = g_socket_get_fd (pump->socket);
  gint64 total = 0;

  while (!g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      gssize n = recv (fd, buffer, PUMP_BUFFER_SIZE, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)
            {
              if (!pump_wait (pump, G_IO_IN, cancellable, error))
                return FALSE;
              continue;
            }
          set_socket_error (saved_errno, FALSE, error);
          return FALSE;
        }
      if (n == 0)
        {
          if (pump->digest != NULL)
            pump->digest_hex = ferry_digest_finish_hex (pump->digest);
          return TRUE;
        }
      /* A server that keeps sending past the size it announced would fill the disk. */
      if (pump->limit >= 0 && total + n > pump->limit)
        {
          n = pump->limit - total;
          pump->overflowed = TRUE;
        }
      if (!write_file (pump, buffer, n, error))
        return FALSE;
      /* Checksummed while still in the cache: no second read of the file for HASH. */
      if (pump->digest != NULL)
        ferry_digest_update (pump->digest, buffer, (gsize) n);
      total += n;
      pump_count (pump, n);
      if (pump->overflowed)
        return TRUE;
    }
  return FALSE;
}

static void
download_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Pump *pump = data;
  GError *error = NULL;
  gboolean ok = download_loop (pump, cancellable, &error);

  /* Closed here, in the worker, when the caller handed it over: a close may wait for the
   * disk, and a second thread just for it would cost a hand-over per file. */
  if (pump->close_file && close (pump->file_fd) != 0 && ok)
    {
      ok = FALSE;
      error = ferry_local_folder_error (errno, pump->file_label, _("write"));
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* For files sendfile(2) cannot read (some special files): a read/send copy. */
static void
upload_by_copy (Pump *pump, GTask *task, GCancellable *cancellable)
{
  g_autofree guint8 *buffer = g_malloc (PUMP_BUFFER_SIZE);
  GError *error = NULL;

  while (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      gssize n = read (pump->file_fd, buffer, PUMP_BUFFER_SIZE);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          error = ferry_local_folder_error (saved_errno, pump->file_label, _("read"));
          break;
        }
      if (n == 0)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      if (!send_socket (pump, buffer, n, cancellable, &error))
        break;
      pump_count (pump, n);
    }
  g_task_return_error (task, error);
}

static void
upload_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Pump *pump = data;
  int fd = g_socket_get_fd (pump->socket);
  gboolean sent_any = FALSE;
  GError *error = NULL;

  while (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      gssize n = sendfile (fd, pump->file_fd, NULL, SENDFILE_SLICE);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)
            {
              if (!pump_wait (pump, G_IO_OUT, cancellable, &error))
                break;
              continue;
            }
          if (!sent_any && (saved_errno == EINVAL || saved_errno == ENOSYS))
            {
              upload_by_copy (pump, task, cancellable);
              return;
            }
          set_socket_error (saved_errno, TRUE, &error);
          break;
        }
      if (n == 0)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      sent_any = TRUE;
      pump_count (pump, n);
    }
  g_task_return_error (task, error);
}

gboolean
ferry_data_pump_can_drive (GIOStream *data)
{
  return G_IS_SOCKET_CONNECTION (data);
}

static void
pump_start (Pump *pump, GTaskThreadFunc thread_func, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, &pump_source_tag);
  /* Report what really happened: a cancel after the last byte changes nothing. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, pump, pump_unref);
  g_task_run_in_thread (task, thread_func);
}

void
ferry_data_pump_download_async (GIOStream           *data,
                                int                  file_fd,
                                const char          *file_label,
                                gint64               limit,
                                FerryDigest         *digest,
                                gboolean             close_file,
                                guint                timeout_ms,
                                FerryTransfer       *transfer,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Pump *pump;

  g_return_if_fail (ferry_data_pump_can_drive (data));

  pump = pump_new (data, file_fd, file_label, timeout_ms, transfer);
  pump->limit = limit;
  pump->digest = digest;
  pump->close_file = close_file;
  /* A small file's bytes come with its finish, without a wake-up of the main context of
   * their own (a folder of thousands would pay one each); a larger one shows its first
   * bytes at once. */
  if (limit >= 0 && limit <= PUMP_BUFFER_SIZE)
    pump->last_report_us = g_get_monotonic_time ();
  pump_start (pump, download_thread, cancellable, callback, user_data);
}

void
ferry_data_pump_upload_async (GIOStream           *data,
                              int                  file_fd,
                              const char          *file_label,
                              guint                timeout_ms,
                              FerryTransfer       *transfer,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (ferry_data_pump_can_drive (data));

  pump_start (pump_new (data, file_fd, file_label, timeout_ms, transfer),
              upload_thread, cancellable, callback, user_data);
}

gint64
ferry_data_pump_finish (GAsyncResult  *result,
                        gboolean      *overflowed,
                        char         **digest,
                        GError       **error)
{
  Pump *pump;

  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &pump_source_tag, -1);

  /* Bytes written before a failure count too: a resume starts after them. */
  pump = g_task_get_task_data (G_TASK (result));
  pump_report (pump);
  if (overflowed != NULL)
    *overflowed = pump->overflowed;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return -1;
  if (digest != NULL)
    *digest = g_steal_pointer (&pump->digest_hex);
  return pump_total (pump);
}
