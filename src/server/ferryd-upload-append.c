// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-upload-append.c — APPE (and REST+STOR at the end of a file) in place.
 *
 * Copying the old file into a temp file and renaming it over the original made every append
 * cost the whole file, and lost all but one of concurrent appends (each renamed its own
 * copy). Instead the bytes go at the end of the file itself, under an exclusive lock that
 * every ferryd session appending to it takes (flock: concurrent appends queue and all land),
 * and the size before is recorded: on any way out but success — an error, a full disk, a
 * client gone, ABOR, SIGTERM from the listener — the file is truncated back to it, so a
 * failed append leaves the file as it was. (A session killed with SIGKILL cannot undo:
 * the bytes it received stay, as with vsftpd.) */
#define G_LOG_DOMAIN "ferryd-transfer"

#include "ferry-config.h"

#include "ferryd-transfer-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often a session waiting for another's append looks again. */
#define LOCK_RETRY_USEC (10 * 1000)

static void
block_sigterm (gboolean block)
{
  sigset_t set;

  sigemptyset (&set);
  sigaddset (&set, SIGTERM);
  pthread_sigmask (block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* The exclusive lock, waiting at most timeout seconds for an append in progress. */
static gboolean
lock_exclusive (int   fd,
                guint timeout)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        return FALSE;
      if (g_get_monotonic_time () >= deadline)
        {
          errno = EBUSY;
          return FALSE;
        }
      g_usleep (LOCK_RETRY_USEC);
    }
  return TRUE;
}

int
ferryd_upload_open_append (FerrydSession *self,
                           const char    *vpath,
                           gboolean       append,
                           goffset        rest,
                           gboolean      *busy)
{
  struct stat st;
  int fd;

  *busy = FALSE;
  /* O_NONBLOCK: a FIFO must not hang the session (it is refused below); no O_APPEND, which
   * splice(2) refuses: the lock makes this session the only ferryd writer at the end. */
  fd = ferryd_jail_open (self->jail, vpath, O_WRONLY | O_NONBLOCK, 0);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return -1;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  if (!lock_exclusive (fd, self->config->data_timeout))
    {
      *busy = errno == EBUSY;
      close (fd);
      return -1;
    }
  /* The size now, with the lock held: what an append before this one left. */
  if (fstat (fd, &st) != 0 || (!append && rest != st.st_size)
      || lseek (fd, st.st_size, SEEK_SET) != st.st_size)
    {
      close (fd);
      return -1;
    }

  block_sigterm (TRUE);
  self->append_fd = fd;
  self->append_old_size = st.st_size;
  ferryd_session_track_upload (self);
  block_sigterm (FALSE);
  return fd;
}

void
ferryd_session_discard_append (FerrydSession *self)
{
  block_sigterm (TRUE);
  if (self->append_fd >= 0)
    {
      /* Nothing to do if it fails: the error that brought us here is what the client hears. */
      if (ftruncate (self->append_fd, self->append_old_size) != 0)
        g_debug ("%s: cannot undo a failed append: %s", self->peer_host, g_strerror (errno));
      close (self->append_fd);   /* and the lock goes with it */
    }
  self->append_fd = -1;
  ferryd_session_track_upload (self);
  block_sigterm (FALSE);
}

FerrydTransferOutcome
ferryd_upload_commit_append (FerrydSession        *self,
                             FerrydTransferOutcome outcome,
                             FerrydTransferResult *result)
{
  if (outcome == FERRYD_TRANSFER_OK)
    {
      int fd;

      block_sigterm (TRUE);
      fd = self->append_fd;
      self->append_fd = -1;
      ferryd_session_track_upload (self);
      block_sigterm (FALSE);
      /* close reports the write-back errors some file systems (NFS) keep until then. */
      if (close (fd) != 0)
        {
          result->file_errno = errno;
          outcome = FERRYD_TRANSFER_FILE_FAILED;
        }
      return outcome;
    }
  ferryd_session_discard_append (self);
  return outcome;
}
