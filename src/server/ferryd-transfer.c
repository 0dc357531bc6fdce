// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-transfer.c — RETR, STOR and APPE: the steps of a download and of an upload.
 *
 * The jobs behind them are in files of their own (ferryd-transfer-private.h lists them):
 * moving the bytes, the upload's atomic commit, telling an ended upload from a dead client,
 * and the replies. */
#define G_LOG_DOMAIN "ferryd-transfer"

#include <inttypes.h>
#include "ferry-config.h"

#include "ferryd-status.h"
#include "ferryd-transfer-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

void
ferryd_session_cmd_retr (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(FerrydChannel) data = NULL;
  g_autofree char *vpath = NULL;
  g_autofree char *preliminary = NULL;
  FerrydTransferResult result = { 0 };
  FerrydTransferOutcome outcome;
  goffset offset = self->rest_offset;
  gint64 start = g_get_monotonic_time ();
  struct stat st;
  GString *status;
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
                            _("Restart offset %" PRId64 " is past the end of the file (%"
                              PRId64 " bytes)."),
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

  status = ferryd_session_status_begin (self, "transfer-start");
  if (status != NULL)
    {
      ferryd_status_add_string (status, "direction", "download");
      ferryd_status_add_string (status, "path", vpath);
      ferryd_status_add_number (status, "size", st.st_size);
      ferryd_session_status_send (self, status);
    }
  ferryd_bulk_begin (&self->bulk, self->config->bulk_after, ferryd_channel_get_fd (data));
  outcome = ferryd_transfer_send (self, data, fd, offset, st.st_size, &result);
  close (fd);

  if (outcome == FERRYD_TRANSFER_OK)
    ferryd_channel_close (g_steal_pointer (&data), self->config->data_timeout);
  g_clear_pointer (&data, ferryd_channel_free);
  ferryd_bulk_end (&self->bulk);
  ferryd_transfer_reply (self, outcome, &result, FALSE);
  ferryd_transfer_log_end (self, "RETR", vpath, &result, start, outcome);
}

/* The file an upload replaces, opened through the jail (a symlink leading out is not read
 * from) into *old_fd, -1 when there is none; *keep becomes the bytes of it the upload keeps
 * (APPE: all). Replies and returns FALSE when it cannot be replaced. */
static gboolean
open_replaced_file (FerrydSession *self,
                    const char    *vpath,
                    gboolean       append,
                    int           *old_fd,
                    struct stat   *st,
                    goffset       *keep)
{
  gboolean exists;

  *old_fd = ferryd_jail_open (self->jail, vpath, O_RDONLY | O_NONBLOCK, 0);
  exists = *old_fd >= 0 && fstat (*old_fd, st) == 0;
  if (!exists)
    {
      if (*old_fd >= 0)
        close (*old_fd);
      *old_fd = -1;
      st->st_size = 0;
    }
  if (exists && !S_ISREG (st->st_mode))
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("%s exists and is not a plain file."), vpath);
      return FALSE;
    }
  if (append)
    *keep = st->st_size;
  if (*keep > st->st_size)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_RESTART,
                            _("Restart offset %" PRId64 " is past the end of the file."),
                            (gint64) *keep);
      return FALSE;
    }
  return TRUE;
}

/* Before the data connection: the file an upload writes into, and whether that is the file
 * itself (*in_place: an append under its lock) or a hidden temp file. -1 after a reply. */
static int
open_upload_target (FerrydSession *self,
                    const char    *vpath,
                    int            dir_fd,
                    gboolean       append,
                    goffset        keep,
                    gboolean      *in_place,
                    int           *old_fd)
{
  FerrydTransferResult result = { 0 };
  struct stat st;
  int temp_fd;

  *in_place = FALSE;
  *old_fd = -1;
  /* Appends cost what they add, and concurrent ones all land: in place when possible. */
  if (append || keep > 0)
    {
      gboolean busy;
      int fd = ferryd_upload_open_append (self, vpath, append, keep, &busy);

      if (fd >= 0)
        {
          *in_place = TRUE;
          return fd;
        }
      if (busy)
        {
          ferryd_session_reply (self, FERRY_REPLY_FILE_BUSY,
                                _("%s is being appended to by another client: try again later."),
                                vpath);
          return -1;
        }
    }

  if (!open_replaced_file (self, vpath, append, old_fd, &st, &keep))
    return -1;
  temp_fd = ferryd_upload_create_temp (self, dir_fd, *old_fd >= 0 ? &st : NULL);
  if (temp_fd < 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("Cannot create the file: %s"), ferryd_jail_describe_errno (errno));
      return -1;
    }
  if (keep > 0 && !ferryd_upload_copy_prefix (*old_fd, temp_fd, keep))
    {
      result.file_errno = errno;
      close (temp_fd);
      ferryd_session_discard_upload (self);
      ferryd_transfer_reply (self, FERRYD_TRANSFER_FILE_FAILED, &result, TRUE);
      return -1;
    }
  return temp_fd;
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
  FerrydTransferResult result = { 0 };
  FerrydTransferOutcome outcome;
  goffset keep = self->rest_offset;
  gint64 start = g_get_monotonic_time ();
  GString *status;
  gboolean in_place;
  int dir_fd, old_fd, file_fd;

  self->rest_offset = 0;
  dir_fd = ferryd_session_open_parent (self, command->arg, &vpath, &name);
  if (dir_fd < 0)
    return;

  file_fd = open_upload_target (self, vpath, dir_fd, append, keep, &in_place, &old_fd);
  if (file_fd < 0)
    goto out;

  preliminary = g_strdup_printf (_("Opening %s mode data connection for %s."),
                                 self->ascii ? "ASCII" : "BINARY", vpath);
  data = ferryd_session_start_data (self, preliminary);
  if (data == NULL)
    {
      if (in_place)
        ferryd_session_discard_append (self);
      else
        {
          close (file_fd);
          ferryd_session_discard_upload (self);
        }
      goto out;
    }

  status = ferryd_session_status_begin (self, "transfer-start");
  if (status != NULL)
    {
      ferryd_status_add_string (status, "direction", "upload");
      ferryd_status_add_string (status, "path", vpath);
      ferryd_session_status_send (self, status);
    }
  ferryd_bulk_begin (&self->bulk, self->config->bulk_after, ferryd_channel_get_fd (data));
  outcome = ferryd_transfer_receive (self, data, file_fd, &result);
  if (in_place)
    outcome = ferryd_upload_commit_append (self, outcome, &result);
  else
    outcome = ferryd_upload_commit (self, file_fd, name, outcome, &result);
  ferryd_bulk_end (&self->bulk);
  if (self->quit)
    ferryd_session_step_aside ();

  g_clear_pointer (&data, ferryd_channel_free);
  ferryd_transfer_reply (self, outcome, &result, TRUE);
  ferryd_transfer_log_end (self, append ? "APPE" : "STOR", vpath, &result, start, outcome);

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
