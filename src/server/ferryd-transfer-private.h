// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-transfer-private.h — what the files behind RETR, STOR and APPE share.
 *
 * ferryd-transfer.c         the three verbs: the steps of a download and of an upload
 * ferryd-transfer-bytes.c   moving the bytes: sendfile, splice, or a buffer (TYPE A, TLS)
 * ferryd-upload-commit.c    an upload's hidden temp file, renamed into place only when whole
 * ferryd-upload-append.c    APPE in place under a lock, truncated back unless it completed
 * ferryd-client-gone.c      did an upload's data connection end, or did its client die?
 * ferryd-transfer-reply.c   the replies and log lines (--xferlog too) for how a transfer ended */
#pragma once

#include <sys/stat.h>

#include "ferryd-session-private.h"

G_BEGIN_DECLS

typedef enum {
  FERRYD_TRANSFER_OK,
  FERRYD_TRANSFER_ABORTED,      /* ABOR, or the client left */
  FERRYD_TRANSFER_DATA_FAILED,  /* the data connection broke or timed out */
  FERRYD_TRANSFER_FILE_FAILED,  /* reading or writing the file failed: see file_errno */
  FERRYD_TRANSFER_SHORT,        /* an upload ended before the size ALLO announced */
} FerrydTransferOutcome;

typedef struct
{
  goffset bytes;       /* on the data connection */
  int     file_errno;  /* for FERRYD_TRANSFER_FILE_FAILED */
} FerrydTransferResult;

/* ferryd-transfer-bytes.c: file_fd from offset to its size (at open) onto data. */
FerrydTransferOutcome ferryd_transfer_send    (FerrydSession        *session,
                                               FerrydChannel        *data,
                                               int                   file_fd,
                                               goffset               offset,
                                               goffset               size,
                                               FerrydTransferResult *result);
/* ferryd-transfer-bytes.c: data into file_fd until the client ends it. */
FerrydTransferOutcome ferryd_transfer_receive (FerrydSession        *session,
                                               FerrydChannel        *data,
                                               int                   file_fd,
                                               FerrydTransferResult *result);

/* ferryd-upload-commit.c: creates ".ferry-upload-XXXXXX" in dir_fd with O_EXCL (never
 * through a symlink), with the permissions of the file it will replace (NULL: none), and
 * remembers it in the session, so that every way out removes it
 * (ferryd_session_discard_upload). -1 with errno set on failure. */
int                   ferryd_upload_create_temp (FerrydSession     *session,
                                                 int                dir_fd,
                                                 const struct stat *replaced);
/* ferryd-upload-commit.c: copies the first len bytes of from_fd into to_fd (REST+STOR and
 * APPE keep them). FALSE with errno set on failure. */
gboolean              ferryd_upload_copy_prefix (int            from_fd,
                                                 int            to_fd,
                                                 goffset        len);
/* ferryd-upload-commit.c: closes temp_fd and, when outcome is FERRYD_TRANSFER_OK, renames
 * the temp file over name; then removes what is left of it. Returns the outcome, turned
 * into FERRYD_TRANSFER_FILE_FAILED (result->file_errno set) when the close or the rename
 * failed. */
FerrydTransferOutcome ferryd_upload_commit      (FerrydSession        *session,
                                                 int                   temp_fd,
                                                 const char           *name,
                                                 FerrydTransferOutcome outcome,
                                                 FerrydTransferResult *result);

/* ferryd-upload-append.c: opens vpath to append in place (APPE; REST+STOR when rest is
 * the file's size), under an exclusive lock that concurrent appends wait for (at most
 * data-timeout seconds: then *busy), positioned at the end, and remembers the size before
 * so that every way out but success truncates back to it. -1 when the file cannot be
 * appended to in place (missing, not a plain file, not writable, REST elsewhere): the
 * caller copies it into a temp file instead. */
int                   ferryd_upload_open_append   (FerrydSession *session,
                                                   const char    *vpath,
                                                   gboolean       append,
                                                   goffset        rest,
                                                   gboolean      *busy);
/* ferryd-upload-append.c: ends the append: kept on FERRYD_TRANSFER_OK, truncated back
 * otherwise; returns the outcome (FERRYD_TRANSFER_FILE_FAILED when the close failed). */
FerrydTransferOutcome ferryd_upload_commit_append (FerrydSession        *session,
                                                   FerrydTransferOutcome outcome,
                                                   FerrydTransferResult *result);

/* ferryd-client-gone.c: an upload's data connection reached its end. FERRYD_TRANSFER_OK
 * when the upload is whole; _SHORT or _ABORTED (session->quit set) when the client gave up
 * or died. */
FerrydTransferOutcome ferryd_upload_ended       (FerrydSession              *session,
                                                 const FerrydTransferResult *result);
/* ferryd-client-gone.c: the rest of a session whose client is gone runs at the lowest
 * priority. */
void                  ferryd_session_step_aside (void);

/* ferryd-transfer-reply.c */
void                  ferryd_transfer_reply        (FerrydSession              *session,
                                                    FerrydTransferOutcome       outcome,
                                                    const FerrydTransferResult *result,
                                                    gboolean                    upload);
const char           *ferryd_transfer_outcome_text (FerrydTransferOutcome outcome);
/* ferryd-transfer-reply.c: the log line of a transfer that started (verb: RETR, STOR or
 * APPE), and its line in the transfer log (--xferlog). */
void                  ferryd_transfer_log_end      (FerrydSession              *session,
                                                    const char                 *verb,
                                                    const char                 *vpath,
                                                    const FerrydTransferResult *result,
                                                    gint64                      start_usec,
                                                    FerrydTransferOutcome       outcome);

G_END_DECLS
