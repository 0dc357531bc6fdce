// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-transfer-reply.c — what ferryd says, and logs, about how a transfer ended. */
#define G_LOG_DOMAIN "ferryd-transfer"

#include <inttypes.h>
#include "ferry-config.h"

#include "ferryd-transfer-private.h"
#include "ferryd-xferlog.h"

#include <errno.h>
#include <glib/gi18n.h>

/* A failed upload's reply says the file was not changed: the upload commit guarantees it. */
static void
reply_file_failed (FerrydSession *self,
                   int            file_errno,
                   gboolean       upload)
{
  if (!upload)
    ferryd_session_reply (self, FERRY_REPLY_LOCAL_ERROR, _("Reading the file failed: %s"),
                          g_strerror (file_errno));
  else if (file_errno == ENOSPC)
    ferryd_session_reply (self, FERRY_REPLY_NO_SPACE,
                          _("Upload failed: %s The file was not changed."),
                          ferryd_jail_describe_errno (file_errno));
  else if (file_errno == EDQUOT || file_errno == EFBIG)
    ferryd_session_reply (self, FERRY_REPLY_EXCEEDED_STORAGE,
                          _("Upload failed: the file exceeds the space allowed (%s). "
                            "The file was not changed."),
                          g_strerror (file_errno));
  else
    ferryd_session_reply (self, FERRY_REPLY_LOCAL_ERROR,
                          _("Upload failed: %s The file was not changed."),
                          ferryd_jail_describe_errno (file_errno));
}

void
ferryd_transfer_reply (FerrydSession              *self,
                       FerrydTransferOutcome       outcome,
                       const FerrydTransferResult *result,
                       gboolean                    upload)
{
  switch (outcome)
    {
    case FERRYD_TRANSFER_OK:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("Transfer complete."));
      break;
    case FERRYD_TRANSFER_ABORTED:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("Connection closed; transfer aborted."));
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("Abort successful."));
      break;
    case FERRYD_TRANSFER_DATA_FAILED:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("The data connection failed; transfer aborted."));
      break;
    case FERRYD_TRANSFER_FILE_FAILED:
      reply_file_failed (self, result->file_errno, upload);
      break;
    case FERRYD_TRANSFER_SHORT:
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("The data connection closed after %" PRId64 " of the %" PRId64
                              " bytes announced by ALLO. The file was not changed."),
                            (gint64) result->bytes, (gint64) self->announced_size);
      break;
    default:
      g_assert_not_reached ();
    }
}

const char *
ferryd_transfer_outcome_text (FerrydTransferOutcome outcome)
{
  switch (outcome)
    {
    case FERRYD_TRANSFER_OK: return "ok";
    case FERRYD_TRANSFER_ABORTED: return "aborted";
    case FERRYD_TRANSFER_DATA_FAILED: return "data connection failed";
    case FERRYD_TRANSFER_FILE_FAILED: return "file error";
    case FERRYD_TRANSFER_SHORT: return "fewer bytes than announced";
    default: return "?";
    }
}

void
ferryd_transfer_log_end (FerrydSession              *self,
                         const char                 *verb,
                         const char                 *vpath,
                         const FerrydTransferResult *result,
                         gint64                      start_usec,
                         FerrydTransferOutcome       outcome)
{
  FerrydXferlogEntry entry = {
    .when = g_get_real_time () / G_USEC_PER_SEC,
    .duration_usec = g_get_monotonic_time () - start_usec,
    .remote_host = self->peer_host,   /* the real client's, behind a PROXY balancer too */
    .bytes = result->bytes,
    .path = vpath,
    .ascii = self->ascii,
    .upload = !g_str_equal (verb, "RETR"),
    .anonymous = self->user->anonymous,
    .user = self->user->anonymous ? self->anonymous_id : self->user->name,
    .complete = outcome == FERRYD_TRANSFER_OK,
  };

  ferryd_session_log_transfer (self, verb, vpath, result->bytes, start_usec,
                               ferryd_transfer_outcome_text (outcome));
  ferryd_xferlog_write (&entry);
}
