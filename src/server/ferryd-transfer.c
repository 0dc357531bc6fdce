// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-transfer.c — RETR, STOR and APPE.
 *
 * Downloads in binary mode over plain connections go through sendfile(2); ASCII mode and TLS
 * through a 64 KiB buffer that exists only while the transfer runs. Uploads are atomic: the
 * bytes go to a hidden temp file in the target folder, renamed over the final name only when
 * the data connection ended normally and the client is still there (or, after ALLO, all the
 * announced bytes came); otherwise the temp file goes and an existing file stays as it was. */
#define _GNU_SOURCE   /* copy_file_range, O_PATH */
#define G_LOG_DOMAIN "ferryd-transfer"

#include <inttypes.h>
#include "ferry-config.h"

#include "ferryd-session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/sendfile.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define UPLOAD_TEMP_PREFIX ".ferry-upload-"
#define UPLOAD_END_GRACE_MS     10
#define UPLOAD_END_GRACE_MAX_MS 100
#define UPLOAD_PIPE_SIZE    (1024 * 1024)

typedef enum {
  TRANSFER_OK,
  TRANSFER_ABORTED,      /* ABOR, or the client left */
  TRANSFER_DATA_FAILED,  /* the data connection broke or timed out */
  TRANSFER_FILE_FAILED,  /* reading or writing the file failed: see file_errno */
  TRANSFER_SHORT,        /* an upload ended before the size ALLO announced */
} TransferOutcome;

typedef struct
{
  goffset bytes;
  int     file_errno;
} TransferResult;

static void
reply_outcome (FerrydSession        *self,
               TransferOutcome       outcome,
               const TransferResult *result,
               gboolean              upload)
{
  switch (outcome)
    {
    case TRANSFER_OK:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("Transfer complete."));
      break;
    case TRANSFER_ABORTED:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("Connection closed; transfer aborted."));
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("Abort successful."));
      break;
    case TRANSFER_DATA_FAILED:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("The data connection failed; transfer aborted."));
      break;
    case TRANSFER_FILE_FAILED:
      if (upload && result->file_errno == ENOSPC)
        ferryd_session_reply (self, FERRY_REPLY_NO_SPACE,
                              _("Upload failed: %s The file was not changed."),
                              ferryd_jail_describe_errno (result->file_errno));
      else if (upload && (result->file_errno == EDQUOT || result->file_errno == EFBIG))
        ferryd_session_reply (self, FERRY_REPLY_EXCEEDED_STORAGE,
                              _("Upload failed: the file exceeds the space allowed (%s). The file was not changed."),
                              g_strerror (result->file_errno));
      else if (upload)
        ferryd_session_reply (self, FERRY_REPLY_LOCAL_ERROR,
                              _("Upload failed: %s The file was not changed."),
                              ferryd_jail_describe_errno (result->file_errno));
      else
        ferryd_session_reply (self, FERRY_REPLY_LOCAL_ERROR, _("Reading the file failed: %s"),
                              g_strerror (result->file_errno));
      break;
    case TRANSFER_SHORT:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("The data connection closed after %" PRId64 " of the %"
                                         PRId64 " bytes announced by ALLO. The file was not changed."),
                            (gint64) result->bytes, (gint64) self->announced_size);
      break;
    default:
      g_assert_not_reached ();
    }
}

static const char *
outcome_text (TransferOutcome outcome)
{
  switch (outcome)
    {
    case TRANSFER_OK: return "ok";
    case TRANSFER_ABORTED: return "aborted";
    case TRANSFER_DATA_FAILED: return "data connection failed";
    case TRANSFER_FILE_FAILED: return "file error";
    case TRANSFER_SHORT: return "fewer bytes than announced";
    default: return "?";
    }
}

/* ---- downloads ------------------------------------------------------------------------ */

/* Chunks for sendfile sized so that each takes about SENDFILE_CHUNK_USEC: large enough to
 * cost nothing on a fast link, small enough that ABOR waits little on a slow one. */
#define SENDFILE_CHUNK_MIN  (256 * 1024)
#define SENDFILE_CHUNK_MAX  (64 * 1024 * 1024)
#define SENDFILE_CHUNK_USEC (100 * 1000)

static TransferOutcome
send_with_sendfile (FerrydSession  *self,
                    FerrydChannel  *data,
                    int             file_fd,
                    goffset         offset,
                    goffset         size,
                    TransferResult *result)
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
          return TRANSFER_DATA_FAILED;
        }
      if (n == 0 && timeout_usec > 0 && now - last_progress > timeout_usec)
        {
          g_debug ("%s: the data connection made no progress for too long", self->peer_host);
          return TRANSFER_DATA_FAILED;
        }
      if (ferryd_session_poll_control (self, &aborted))
        return TRANSFER_ABORTED;
      if (n == 0)
        continue;

      result->bytes += n;
      if (now - last_progress < SENDFILE_CHUNK_USEC / 2 && (gsize) n == count)
        chunk = MIN (chunk * 2, SENDFILE_CHUNK_MAX);
      else if (now - last_progress > SENDFILE_CHUNK_USEC * 2)
        chunk = MAX (chunk / 2, SENDFILE_CHUNK_MIN);
      last_progress = now;
    }
  return TRANSFER_OK;
}

/* LF → CRLF for TYPE A. out must hold 2 × len bytes. */
static gsize
to_network_ascii (const guint8 *in,
                  gsize         len,
                  guint8       *out)
{
  gsize o = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (in[i] == '\n')
        out[o++] = '\r';
      out[o++] = in[i];
    }
  return o;
}

static TransferOutcome
send_with_buffer (FerrydSession  *self,
                  FerrydChannel  *data,
                  int             file_fd,
                  goffset         offset,
                  TransferResult *result)
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
          return TRANSFER_FILE_FAILED;
        }
      if (n == 0)
        return TRANSFER_OK;
      offset += n;

      out_len = (gsize) n;
      if (converted != NULL)
        {
          out_len = to_network_ascii (buffer, (gsize) n, converted);
          out = converted;
        }
      if (!ferryd_channel_write_all (data, out, out_len, self->config->data_timeout, &error))
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          return TRANSFER_DATA_FAILED;
        }
      result->bytes += (goffset) out_len;
      if (ferryd_session_poll_control (self, &aborted))
        return TRANSFER_ABORTED;
    }
}

void
ferryd_session_cmd_retr (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(FerrydChannel) data = NULL;
  g_autofree char *vpath = NULL;
  g_autofree char *preliminary = NULL;
  TransferResult result = { 0 };
  TransferOutcome outcome;
  goffset offset = self->rest_offset;
  gint64 start = g_get_monotonic_time ();
  struct stat st;
  int fd;

  self->rest_offset = 0;
  vpath = ferryd_session_resolve_path (self, command->arg);
  if (vpath == NULL)
    return;

  /* O_NONBLOCK: a FIFO placed in the root must not hang the session at open. */
  fd = ferryd_jail_open (self->jail, vpath, O_RDONLY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            "%s", ferryd_jail_describe_errno (errno));
      return;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("%s is not a plain file."), vpath);
      return;
    }
  if (offset > st.st_size)
    {
      close (fd);
      ferryd_session_reply (self, FERRY_REPLY_BAD_RESTART,
                            _("Restart offset %" PRId64 " is past the end of the file (%" PRId64 " bytes)."),
                            (gint64) offset, (gint64) st.st_size);
      return;
    }

  preliminary = g_strdup_printf (_("Opening %s mode data connection for %s (%" PRId64 " bytes)."),
                                 self->ascii ? "ASCII" : "BINARY", vpath, (gint64) st.st_size);
  data = ferryd_session_start_data (self, preliminary);
  if (data == NULL)
    {
      close (fd);
      return;
    }

  if (!self->ascii && !ferryd_channel_is_tls (data))
    outcome = send_with_sendfile (self, data, fd, offset, st.st_size, &result);
  else
    outcome = send_with_buffer (self, data, fd, offset, &result);
  close (fd);

  if (outcome == TRANSFER_OK)
    ferryd_channel_close (g_steal_pointer (&data), self->config->data_timeout);
  g_clear_pointer (&data, ferryd_channel_free);
  reply_outcome (self, outcome, &result, FALSE);
  ferryd_session_log_transfer (self, "RETR", vpath, result.bytes, start, outcome_text (outcome));
}

/* ---- uploads -------------------------------------------------------------------------- */

/* SIGTERM waits while the upload's temp file and the session's record of it change. */
static void
block_sigterm (gboolean block)
{
  sigset_t set;

  sigemptyset (&set);
  sigaddset (&set, SIGTERM);
  pthread_sigmask (block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void
ferryd_session_discard_upload (FerrydSession *self)
{
  block_sigterm (TRUE);
  if (self->upload_temp_name != NULL)
    unlinkat (self->upload_dir_fd, self->upload_temp_name, 0);
  g_clear_pointer (&self->upload_temp_name, g_free);
  if (self->upload_dir_fd >= 0)
    close (self->upload_dir_fd);
  self->upload_dir_fd = -1;
  ferryd_session_track_upload (self);
  block_sigterm (FALSE);
}

/* Creates ".ferry-upload-XXXXXX" in dir_fd with O_EXCL (never through a symlink) and
 * remembers it in the session so that every way out removes it. */
static int
create_temp (FerrydSession *self,
             int            dir_fd)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      char name[sizeof UPLOAD_TEMP_PREFIX + 6];
      int fd;

      memcpy (name, UPLOAD_TEMP_PREFIX, strlen (UPLOAD_TEMP_PREFIX));
      for (gsize i = 0; i < 6; i++)
        name[strlen (UPLOAD_TEMP_PREFIX) + i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
      name[sizeof name - 1] = '\0';

      block_sigterm (TRUE);
      fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd >= 0)
        {
          self->upload_dir_fd = dup (dir_fd);
          self->upload_temp_name = g_strdup (name);
          ferryd_session_track_upload (self);
          block_sigterm (FALSE);
          return fd;
        }
      block_sigterm (FALSE);
      if (errno != EEXIST)
        return -1;
    }
  return -1;
}

/* Copies the first len bytes of from_fd into to_fd (REST+STOR and APPE keep them). */
static gboolean
copy_prefix (int     from_fd,
             int     to_fd,
             goffset len)
{
  loff_t in = 0;

  while (in < len)
    {
      gssize n = copy_file_range (from_fd, &in, to_fd, NULL, (gsize) (len - in), 0);

      if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP))
        {
          off_t off = in;

          n = sendfile (to_fd, from_fd, &off, (gsize) (len - in));
          if (n > 0)
            in = off;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;   /* the file shrank meanwhile */
          return FALSE;
        }
    }
  return TRUE;
}

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

/* CRLF → LF for TYPE A, in place. A CR at the end of a chunk is held back in *pending_cr
 * until the next byte shows whether it starts a CRLF; *held says the caller must write a
 * lone CR from the previous chunk before this one. */
static gsize
from_network_ascii (guint8   *buffer,
                    gsize     len,
                    gboolean *pending_cr,
                    guint8   *held)
{
  gsize o = 0;

  *held = 0;
  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = buffer[i];

      if (*pending_cr)
        {
          *pending_cr = FALSE;
          /* A lone CR is data. At i > 0 a byte was dropped before it, so it fits. */
          if (byte != '\n')
            {
              if (i == 0)
                *held = 1;
              else
                buffer[o++] = '\r';
            }
        }
      if (byte == '\r')
        {
          *pending_cr = TRUE;
          continue;
        }
      buffer[o++] = byte;
    }
  return o;
}

/* Microseconds that runnable tasks have spent waiting for a CPU since boot (the "some"
 * total of Linux's pressure stall information), or -1 where the kernel does not count it. */
static gint64
cpu_wait_usec (void)
{
  char text[256];
  const char *total;
  gssize length;
  int fd = open ("/proc/pressure/cpu", O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return -1;
  length = read (fd, text, sizeof text - 1);
  close (fd);
  if (length <= 0)
    return -1;
  text[length] = '\0';
  total = strstr (text, "total=");   /* the first line is "some" */
  return total != NULL ? g_ascii_strtoll (total + strlen ("total="), NULL, 10) : -1;
}

/* A killed client's data connection ends like a finished one; only its control connection,
 * closed by the kernel a moment later, tells them apart. That moment is CPU time of the
 * dying process, not wall-clock time: the kernel releases a dead process's sockets one by
 * one, the last opened (the data connection) first, and a busy machine can keep it off the
 * CPU between the two for longer than a fixed grace period (a half upload was then
 * committed). So the grace period counts only time in which no runnable task waited for a
 * CPU, up to UPLOAD_END_GRACE_MAX_MS of wall-clock time; on an idle machine it stays
 * UPLOAD_END_GRACE_MS. */
static gboolean
client_vanished (FerrydSession *self)
{
  gint64 start = g_get_monotonic_time ();
  gint64 waited_at_start = cpu_wait_usec ();

  for (;;)
    {
      gint64 elapsed = g_get_monotonic_time () - start;
      gint64 waited = waited_at_start < 0 ? 0 : cpu_wait_usec () - waited_at_start;
      gint64 grace_left = UPLOAD_END_GRACE_MS * 1000 - (elapsed - CLAMP (waited, 0, elapsed));
      gint64 limit_left = UPLOAD_END_GRACE_MAX_MS * 1000 - elapsed;
      gint64 wait_usec = MIN (grace_left, limit_left);

      if (wait_usec <= 0)
        return FALSE;
      if (ferryd_channel_peer_gone (self->control, (int) ((wait_usec + 999) / 1000)))
        break;
    }
  self->quit = TRUE;
  return TRUE;
}

/* The data connection of an upload ended. After ALLO the byte count tells a finished upload
 * from a cut one at once: the announced size is complete, less is a client that died or gave
 * up. More breaks the announcement, so it is not trusted; nor in TYPE A, where the bytes on
 * the wire are not the file's. Otherwise the control connection decides (client_vanished). */
static TransferOutcome
upload_ended (FerrydSession        *self,
              const TransferResult *result)
{
  if (self->announced_size >= 0 && !self->ascii)
    {
      if (result->bytes == self->announced_size)
        return TRANSFER_OK;
      if (result->bytes < self->announced_size)
        return TRANSFER_SHORT;
    }
  return client_vanished (self) ? TRANSFER_ABORTED : TRANSFER_OK;
}

/* For a session whose client is gone and whose temp file is removed: what is left (a reply
 * nobody reads, the log line, the exit) runs at the lowest priority. A killed client with
 * many uploads wakes all their sessions at once, and those still in client_vanished need
 * the dying client to get a CPU: in ASan builds the exits of the others (LeakSanitizer
 * scans the heap) kept it off both cores for ~100 ms, longer than the grace period's cap. */
static void
step_aside (void)
{
  setpriority (PRIO_PROCESS, 0, 19);
}

/* Plain binary uploads: socket → pipe → file with splice(2), no copy through user space. */
static TransferOutcome
receive_with_splice (FerrydSession  *self,
                     FerrydChannel  *data,
                     int             file_fd,
                     TransferResult *result)
{
  TransferOutcome outcome = TRANSFER_OK;
  guint rounds = 0;
  int pipe_fds[2];

  if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
    {
      result->file_errno = errno;
      return TRANSFER_FILE_FAILED;
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
          if (++rounds % 16 == 0 && ferryd_session_poll_control (self, &aborted))
            {
              outcome = TRANSFER_ABORTED;
              break;
            }
          continue;
        }
      if (n == 0)
        {
          outcome = upload_ended (self, result);
          break;
        }
      if (file_errno != 0)
        {
          result->file_errno = file_errno;
          outcome = TRANSFER_FILE_FAILED;
          break;
        }
      if (!g_error_matches (error, FERRYD_ERROR, FERRYD_ERROR_WOULD_BLOCK))
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          outcome = TRANSFER_DATA_FAILED;
          break;
        }

      g_clear_error (&error);
      {
        FerrydWaitResult ready = ferryd_channel_wait (data, FALSE, self->control,
                                                      self->config->data_timeout, &error);

        if (ready == 0)
          {
            outcome = TRANSFER_DATA_FAILED;
            break;
          }
        if ((ready & FERRYD_WAIT_CONTROL) && ferryd_session_poll_control (self, &aborted))
          {
            outcome = TRANSFER_ABORTED;
            break;
          }
      }
    }

  close (pipe_fds[0]);
  close (pipe_fds[1]);
  return outcome;
}

/* ASCII mode and TLS: through a buffer. */
static TransferOutcome
receive_into (FerrydSession  *self,
              FerrydChannel  *data,
              int             file_fd,
              TransferResult *result)
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
        return TRANSFER_DATA_FAILED;
      if ((ready & FERRYD_WAIT_CONTROL) && ferryd_session_poll_control (self, &aborted))
        return TRANSFER_ABORTED;
      if (!(ready & FERRYD_WAIT_DATA))
        continue;

      n = ferryd_channel_read (data, buffer, FERRYD_TRANSFER_BUFFER_SIZE,
                               self->config->data_timeout, &error);
      if (n < 0)
        {
          g_debug ("%s: %s", self->peer_host, error->message);
          return TRANSFER_DATA_FAILED;
        }
      if (n == 0)
        {
          TransferOutcome ended = upload_ended (self, result);

          if (ended != TRANSFER_OK)
            return ended;
          if (pending_cr && !write_all_file (file_fd, (const guint8 *) "\r", 1))
            {
              result->file_errno = errno;
              return TRANSFER_FILE_FAILED;
            }
          return TRANSFER_OK;
        }
      result->bytes += n;

      if (self->ascii)
        {
          guint8 held = 0;
          gsize len = from_network_ascii (buffer, (gsize) n, &pending_cr, &held);

          if ((held && !write_all_file (file_fd, (const guint8 *) "\r", 1))
              || !write_all_file (file_fd, buffer, len))
            {
              result->file_errno = errno;
              return TRANSFER_FILE_FAILED;
            }
        }
      else if (!write_all_file (file_fd, buffer, (gsize) n))
        {
          result->file_errno = errno;
          return TRANSFER_FILE_FAILED;
        }
    }
}

static void
receive_file (FerrydSession *self,
              FerryCommand  *command,
              gboolean       append)
{
  g_autoptr(FerrydChannel) data = NULL;
  g_autofree char *vpath = NULL;
  g_autofree char *name = NULL;
  g_autofree char *preliminary = NULL;
  TransferResult result = { 0 };
  TransferOutcome outcome;
  goffset keep = self->rest_offset;
  gint64 start = g_get_monotonic_time ();
  struct stat st;
  gboolean exists;
  int dir_fd, old_fd, temp_fd;

  self->rest_offset = 0;
  dir_fd = ferryd_session_open_parent (self, command->arg, &vpath, &name);
  if (dir_fd < 0)
    return;

  /* The current file, through the jail: a symlink leading out is not read from. */
  old_fd = ferryd_jail_open (self->jail, vpath, O_RDONLY | O_NONBLOCK, 0);
  exists = old_fd >= 0 && fstat (old_fd, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("%s exists and is not a plain file."), vpath);
      goto out;
    }
  if (append)
    keep = exists ? st.st_size : 0;
  if (keep > (exists ? st.st_size : 0))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_RESTART,
                            _("Restart offset %" PRId64 " is past the end of the file."),
                            (gint64) keep);
      goto out;
    }

  temp_fd = create_temp (self, dir_fd);
  if (temp_fd < 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("Cannot create the file: %s"), ferryd_jail_describe_errno (errno));
      goto out;
    }
  if (exists)
    fchmod (temp_fd, st.st_mode & 0777);
  if (keep > 0 && !copy_prefix (old_fd, temp_fd, keep))
    {
      result.file_errno = errno;
      close (temp_fd);
      ferryd_session_discard_upload (self);
      reply_outcome (self, TRANSFER_FILE_FAILED, &result, TRUE);
      goto out;
    }

  preliminary = g_strdup_printf (_("Opening %s mode data connection for %s."),
                                 self->ascii ? "ASCII" : "BINARY", vpath);
  data = ferryd_session_start_data (self, preliminary);
  if (data == NULL)
    {
      close (temp_fd);
      ferryd_session_discard_upload (self);
      goto out;
    }

  if (!self->ascii && !ferryd_channel_is_tls (data))
    outcome = receive_with_splice (self, data, temp_fd, &result);
  else
    outcome = receive_into (self, data, temp_fd, &result);
  if (close (temp_fd) != 0 && outcome == TRANSFER_OK)
    {
      result.file_errno = errno;
      outcome = TRANSFER_FILE_FAILED;
    }
  block_sigterm (TRUE);
  if (outcome == TRANSFER_OK
      && renameat (self->upload_dir_fd, self->upload_temp_name, self->upload_dir_fd, name) != 0)
    {
      result.file_errno = errno;
      outcome = TRANSFER_FILE_FAILED;
    }
  if (outcome == TRANSFER_OK)
    g_clear_pointer (&self->upload_temp_name, g_free);
  ferryd_session_discard_upload (self);
  block_sigterm (FALSE);
  if (self->quit)
    step_aside ();

  g_clear_pointer (&data, ferryd_channel_free);
  reply_outcome (self, outcome, &result, TRUE);
  ferryd_session_log_transfer (self, append ? "APPE" : "STOR", vpath, result.bytes, start,
                               outcome_text (outcome));

out:
  if (old_fd >= 0)
    close (old_fd);
  close (dir_fd);
}

void
ferryd_session_cmd_stor (FerrydSession *self,
                         FerryCommand  *command)
{
  receive_file (self, command, FALSE);
}

void
ferryd_session_cmd_appe (FerrydSession *self,
                         FerryCommand  *command)
{
  receive_file (self, command, TRUE);
}
