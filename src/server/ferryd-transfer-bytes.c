// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-transfer-bytes.c — moving a transfer's bytes between a file and the data connection.
 *
 * Binary mode over a plain connection goes through the kernel: sendfile(2) for downloads,
 * splice(2) socket → pipe → file for uploads. ASCII mode (the bytes change on the way) and
 * TLS (they are encrypted in this process) go through a 64 KiB buffer that exists only while
 * the transfer runs; ferry-type-a.h converts TYPE A line ends. Every loop also watches the
 * control connection for ABOR, STAT and a client that left. */
#define _GNU_SOURCE   /* pipe2, F_SETPIPE_SZ */
#define G_LOG_DOMAIN "ferryd-transfer"

#include "ferry-config.h"

#include "ferryd-transfer-private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define UPLOAD_PIPE_SIZE    (1024 * 1024)

/* ---- downloads ------------------------------------------------------------------------ */

/* Chunks for sendfile sized so that each takes about SENDFILE_CHUNK_USEC: large enough to
 * cost nothing on a fast link, small enough that ABOR waits little on a slow one. */
#define SENDFILE_CHUNK_MIN  (256 * 1024)
#define SENDFILE_CHUNK_MAX  (64 * 1024 * 1024)
#define SENDFILE_CHUNK_USEC (100 * 1000)

static FerrydTransferOutcome
send_with_sendfile (FerrydSession        *self,
                    FerrydChannel        *data,
                    int                  file_fd,
                    goffset              offset,
                    goffset              size,
                    FerrydTransferResult *result)
{
  gint64 timeout_usec = (gint64) self->config->data_timeout * G_USEC_PER_SEC;
  gint64 last_progress = g_get_monotonic_time ();
  gsize chunk = SENDFILE_CHUNK_MIN;

  while (offset < size)
    {
      g_autoptr(GError) error = NULL;
      gboolean aborted = FALSE;
      gsize count = (gsize) MIN ((goffset) chunk, size - offset);
      gssize n = ferryd_channel_sendfile (data, file_fd, &offset, count, &error);
      gint64 now = g_get_monotonic_time ();

      if (n < 0)
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          return FERRYD_TRANSFER_DATA_FAILED;
        }
      if (n == 0 && timeout_usec > 0 && now - last_progress > timeout_usec)
        {
          g_debug ("%s: the data connection made no progress for too long", self->peer_host);
          return FERRYD_TRANSFER_DATA_FAILED;
        }
      if (ferryd_session_poll_control (self, &aborted))
        return FERRYD_TRANSFER_ABORTED;
      if (n == 0)
        continue;

      result->bytes += n;
      ferryd_bulk_progress (&self->bulk, result->bytes);
      if (now - last_progress < SENDFILE_CHUNK_USEC / 2 && (gsize) n == count)
        chunk = MIN (chunk * 2, SENDFILE_CHUNK_MAX);
      else if (now - last_progress > SENDFILE_CHUNK_USEC * 2)
        chunk = MAX (chunk / 2, SENDFILE_CHUNK_MIN);
      last_progress = now;
    }
  return FERRYD_TRANSFER_OK;
}

static FerrydTransferOutcome
send_with_buffer (FerrydSession        *self,
                  FerrydChannel        *data,
                  int                  file_fd,
                  goffset              offset,
                  FerrydTransferResult *result)
{
  g_autofree guint8 *buffer = g_malloc (FERRYD_TRANSFER_BUFFER_SIZE);
  g_autofree guint8 *converted = self->ascii ? g_malloc (2 * FERRYD_TRANSFER_BUFFER_SIZE) : NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gboolean aborted = FALSE;
      gssize n = pread (file_fd, buffer, FERRYD_TRANSFER_BUFFER_SIZE, offset);
      const guint8 *out = buffer;
      gsize out_len;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          result->file_errno = errno;
          return FERRYD_TRANSFER_FILE_FAILED;
        }
      if (n == 0)
        return FERRYD_TRANSFER_OK;
      offset += n;

      out_len = (gsize) n;
      if (converted != NULL)
        {
          out_len = ferry_type_a_to_network (buffer, (gsize) n, converted);
          out = converted;
        }
      if (!ferryd_channel_write_all (data, out, out_len, self->config->data_timeout, &error))
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          return FERRYD_TRANSFER_DATA_FAILED;
        }
      result->bytes += (goffset) out_len;
      ferryd_bulk_progress (&self->bulk, result->bytes);
      if (ferryd_session_poll_control (self, &aborted))
        return FERRYD_TRANSFER_ABORTED;
    }
}

/* One transfer, for ferryd_bulk_run: a bulk one runs in a thread of its own. */
typedef struct
{
  FerrydSession        *self;
  FerrydChannel        *data;
  int                   file_fd;
  goffset               offset;
  goffset               size;
  FerrydTransferResult *result;
  FerrydTransferOutcome outcome;
} Transfer;

static void
send_now (gpointer data)
{
  Transfer *t = data;

  if (!t->self->ascii && !ferryd_channel_is_tls (t->data))
    t->outcome = send_with_sendfile (t->self, t->data, t->file_fd, t->offset, t->size,
                                     t->result);
  else
    t->outcome = send_with_buffer (t->self, t->data, t->file_fd, t->offset, t->result);
}

FerrydTransferOutcome
ferryd_transfer_send (FerrydSession        *self,
                      FerrydChannel        *data,
                      int                   file_fd,
                      goffset               offset,
                      goffset               size,
                      FerrydTransferResult *result)
{
  Transfer t = { self, data, file_fd, offset, size, result, FERRYD_TRANSFER_OK };

  if (ferryd_bulk_expected (&self->bulk, size - offset))
    ferryd_bulk_run (&self->bulk, send_now, &t);
  else
    send_now (&t);
  return t.outcome;
}

/* ---- uploads -------------------------------------------------------------------------- */

static gboolean
write_all_file (int           fd,
                const guint8 *data,
                gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Plain binary uploads: socket → pipe → file with splice(2), no copy through user space. */
static FerrydTransferOutcome
receive_with_splice (FerrydSession        *self,
                     FerrydChannel        *data,
                     int                  file_fd,
                     FerrydTransferResult *result)
{
  FerrydTransferOutcome outcome = FERRYD_TRANSFER_OK;
  guint rounds = 0;
  int pipe_fds[2];

  if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
    {
      result->file_errno = errno;
      return FERRYD_TRANSFER_FILE_FAILED;
    }
  /* Larger than the default 64 KiB: fewer round trips; the kernel may refuse, that is fine. */
  fcntl (pipe_fds[1], F_SETPIPE_SZ, UPLOAD_PIPE_SIZE);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gboolean aborted = FALSE;
      int file_errno = 0;
      gssize n = ferryd_channel_splice_to_file (data, pipe_fds, file_fd, UPLOAD_PIPE_SIZE,
                                                &file_errno, &error);

      if (n > 0)
        {
          result->bytes += n;
          ferryd_bulk_progress (&self->bulk, result->bytes);
          if (++rounds % 16 == 0 && ferryd_session_poll_control (self, &aborted))
            {
              outcome = FERRYD_TRANSFER_ABORTED;
              break;
            }
          continue;
        }
      if (n == 0)
        {
          outcome = ferryd_upload_ended (self, result);
          break;
        }
      if (file_errno != 0)
        {
          result->file_errno = file_errno;
          outcome = FERRYD_TRANSFER_FILE_FAILED;
          break;
        }
      if (!g_error_matches (error, FERRYD_ERROR, FERRYD_ERROR_WOULD_BLOCK))
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          outcome = FERRYD_TRANSFER_DATA_FAILED;
          break;
        }

      g_clear_error (&error);
      {
        FerrydWaitResult ready = ferryd_channel_wait (data, FALSE, self->control,
                                                      self->config->data_timeout, &error);

        if (ready == 0)
          {
            outcome = FERRYD_TRANSFER_DATA_FAILED;
            break;
          }
        if ((ready & FERRYD_WAIT_CONTROL) && ferryd_session_poll_control (self, &aborted))
          {
            outcome = FERRYD_TRANSFER_ABORTED;
            break;
          }
      }
    }

  close (pipe_fds[0]);
  close (pipe_fds[1]);
  return outcome;
}

/* ASCII mode and TLS: through a buffer. */
static FerrydTransferOutcome
receive_into (FerrydSession        *self,
              FerrydChannel        *data,
              int                  file_fd,
              FerrydTransferResult *result)
{
  g_autofree guint8 *buffer = g_malloc (FERRYD_TRANSFER_BUFFER_SIZE);
  gboolean pending_cr = FALSE;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gboolean aborted = FALSE;
      FerrydWaitResult ready;
      gssize n;

      ready = ferryd_channel_wait (data, FALSE, self->control, self->config->data_timeout, &error);
      if (ready == 0)
        return FERRYD_TRANSFER_DATA_FAILED;
      if ((ready & FERRYD_WAIT_CONTROL) && ferryd_session_poll_control (self, &aborted))
        return FERRYD_TRANSFER_ABORTED;
      if (!(ready & FERRYD_WAIT_DATA))
        continue;

      n = ferryd_channel_read (data, buffer, FERRYD_TRANSFER_BUFFER_SIZE,
                               self->config->data_timeout, &error);
      if (n < 0)
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          return FERRYD_TRANSFER_DATA_FAILED;
        }
      if (n == 0)
        {
          FerrydTransferOutcome ended = ferryd_upload_ended (self, result);

          if (ended != FERRYD_TRANSFER_OK)
            return ended;
          if (pending_cr && !write_all_file (file_fd, (const guint8 *) "\r", 1))
            {
              result->file_errno = errno;
              return FERRYD_TRANSFER_FILE_FAILED;
            }
          return FERRYD_TRANSFER_OK;
        }
      result->bytes += n;
      ferryd_bulk_progress (&self->bulk, result->bytes);

      if (self->ascii)
        {
          gboolean held = FALSE;
          gsize len = ferry_type_a_from_network (buffer, (gsize) n, &pending_cr, &held);

          if ((held && !write_all_file (file_fd, (const guint8 *) "\r", 1))
              || !write_all_file (file_fd, buffer, len))
            {
              result->file_errno = errno;
              return FERRYD_TRANSFER_FILE_FAILED;
            }
        }
      else if (!write_all_file (file_fd, buffer, (gsize) n))
        {
          result->file_errno = errno;
          return FERRYD_TRANSFER_FILE_FAILED;
        }
    }
}

static void
receive_now (gpointer data)
{
  Transfer *t = data;

  if (!t->self->ascii && !ferryd_channel_is_tls (t->data))
    t->outcome = receive_with_splice (t->self, t->data, t->file_fd, t->result);
  else
    t->outcome = receive_into (t->self, t->data, t->file_fd, t->result);
}

FerrydTransferOutcome
ferryd_transfer_receive (FerrydSession        *self,
                         FerrydChannel        *data,
                         int                   file_fd,
                         FerrydTransferResult *result)
{
  Transfer t = { self, data, file_fd, 0, -1, result, FERRYD_TRANSFER_OK };

  /* Without ALLO the size is not known: any upload may be bulk. */
  if (ferryd_bulk_expected (&self->bulk, self->announced_size))
    ferryd_bulk_run (&self->bulk, receive_now, &t);
  else
    receive_now (&t);
  return t.outcome;
}
