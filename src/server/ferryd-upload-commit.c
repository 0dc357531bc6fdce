// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-upload-commit.c — an upload becomes visible under its name only when it is whole.
 *
 * The bytes go to a hidden temp file in the target folder (so the rename stays on one file
 * system), renamed over the final name only when the transfer ended well; on any other way
 * out — an error, a full disk, a client gone, ABOR, SIGTERM from the listener — the temp
 * file goes and an existing file stays as it was. The session remembers the temp file so
 * that every one of those ways out can remove it. Appends at the end of a file go in place
 * instead (ferryd-upload-append.c). */
#define _GNU_SOURCE   /* copy_file_range */
#define G_LOG_DOMAIN "ferryd-transfer"

#include "ferry-config.h"

#include "ferryd-transfer-private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>   /* renameat */
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#define UPLOAD_TEMP_PREFIX ".ferry-upload-"

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

int
ferryd_upload_create_temp (FerrydSession     *self,
                           int                dir_fd,
                           const struct stat *replaced)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      char name[sizeof UPLOAD_TEMP_PREFIX + 6];
      int fd;

      memcpy (name, UPLOAD_TEMP_PREFIX, strlen (UPLOAD_TEMP_PREFIX));
      for (gsize i = 0; i < 6; i++)
        name[strlen (UPLOAD_TEMP_PREFIX) + i] =
          alphabet[g_random_int_range (0, sizeof alphabet - 1)];
      name[sizeof name - 1] = '\0';

      block_sigterm (TRUE);
      fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd >= 0)
        {
          if (replaced != NULL)
            fchmod (fd, replaced->st_mode & 0777);
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

gboolean
ferryd_upload_copy_prefix (int     from_fd,
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

FerrydTransferOutcome
ferryd_upload_commit (FerrydSession        *self,
                      int                   temp_fd,
                      const char           *name,
                      FerrydTransferOutcome outcome,
                      FerrydTransferResult *result)
{
  /* close reports the write-back errors some file systems (NFS) keep until then. */
  if (close (temp_fd) != 0 && outcome == FERRYD_TRANSFER_OK)
    {
      result->file_errno = errno;
      outcome = FERRYD_TRANSFER_FILE_FAILED;
    }
  block_sigterm (TRUE);
  if (outcome == FERRYD_TRANSFER_OK
      && renameat (self->upload_dir_fd, self->upload_temp_name, self->upload_dir_fd, name) != 0)
    {
      result->file_errno = errno;
      outcome = FERRYD_TRANSFER_FILE_FAILED;
    }
  if (outcome == FERRYD_TRANSFER_OK)
    g_clear_pointer (&self->upload_temp_name, g_free);   /* renamed: nothing to remove */
  ferryd_session_discard_upload (self);
  block_sigterm (FALSE);
  return outcome;
}
