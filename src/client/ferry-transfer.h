// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer.h — one download or upload, of a file or of a whole folder.
 *
 * A FerryTransfer describes what to move and reports how it goes; it is run either by
 * ferry_client_run_transfer_async() on one connection or by a FerryTransferQueue. Its
 * properties change on the main context that runs it, and progress ("bytes-done", "rate",
 * "eta") is notified at most about ten times a second.
 *
 * Downloads write NAME.part in the chosen local folder and rename it to NAME when complete;
 * an existing NAME.part is resumed with REST. Names from the server are checked with
 * ferry_name_is_safe_local() and files are created beneath the local folder only, never
 * through a symbolic link already in it. A folder transfer recurses and is one transfer
 * whose "total" is the sum of its files.
 */
#pragma once

#include <gio/gio.h>

#include "ferry-client-enums.h"

G_BEGIN_DECLS

typedef enum {
  FERRY_TRANSFER_DOWNLOAD,
  FERRY_TRANSFER_UPLOAD,
} FerryTransferDirection;

typedef enum {
  FERRY_TRANSFER_QUEUED,
  FERRY_TRANSFER_RUNNING,
  FERRY_TRANSFER_DONE,
  FERRY_TRANSFER_FAILED,      /* "error" says why */
  FERRY_TRANSFER_CANCELLED,
} FerryTransferState;

/* What to do when the target (local file for a download, remote file for an upload)
 * already exists. A NAME.part left by an interrupted download is not a conflict: it is
 * resumed. */
typedef enum {
  FERRY_CONFLICT_ERROR,       /* fail with FERRY_CLIENT_ERROR_EXISTS (the default) */
  FERRY_CONFLICT_REPLACE,     /* overwrite it */
  FERRY_CONFLICT_KEEP_BOTH,   /* use a free name "name (1).ext", "name (2).ext", … */
  FERRY_CONFLICT_SKIP,        /* leave it, count the transfer as done */
  FERRY_CONFLICT_MERGE,       /* a folder: copy into it; each file in both follows the
                                 transfer's policy (ERROR: asks about each one) */
} FerryConflictPolicy;

#define FERRY_TYPE_TRANSFER (ferry_transfer_get_type ())
G_DECLARE_FINAL_TYPE (FerryTransfer, ferry_transfer, FERRY, TRANSFER, GObject)

/* Downloads remote_path (absolute, or relative to the client's current folder) into
 * local_folder as local_name (NULL: the remote base name; either must be a safe local
 * name). is_folder: remote_path is a folder, download it and everything beneath it. */
FerryTransfer          *ferry_transfer_new_download      (const char *remote_path,
                                                          gboolean    is_folder,
                                                          GFile      *local_folder,
                                                          const char *local_name);

/* Uploads local_file (a regular file, or a folder, which recurses) to remote_path, the full
 * remote name it gets (absolute, or relative to the client's current folder). Touches no
 * file system: whether local_file is a folder ("is-folder") is known once the run started. */
FerryTransfer          *ferry_transfer_new_upload        (GFile      *local_file,
                                                          const char *remote_path);

FerryTransferDirection  ferry_transfer_get_direction     (FerryTransfer *self);
const char             *ferry_transfer_get_remote_path   (FerryTransfer *self);
gboolean                ferry_transfer_get_is_folder     (FerryTransfer *self);
/* Download: the final local file (folder/name); upload: the source. For a download with
 * FERRY_CONFLICT_KEEP_BOTH this changes to the name actually used. */
GFile                  *ferry_transfer_get_local_file    (FerryTransfer *self);
/* The chosen local folder of a download; NULL for an upload. */
GFile                  *ferry_transfer_get_local_folder  (FerryTransfer *self);
/* The display name: the base name of the file or folder being moved. */
const char             *ferry_transfer_get_name          (FerryTransfer *self);
/* Inside a folder transfer: the remote path of the file moving now; else NULL. */
const char             *ferry_transfer_get_current_path  (FerryTransfer *self);

FerryTransferState      ferry_transfer_get_state         (FerryTransfer *self);
gint64                  ferry_transfer_get_bytes_done    (FerryTransfer *self);
/* Total bytes, or -1 while unknown (before SIZE or the folder walk). */
gint64                  ferry_transfer_get_total         (FerryTransfer *self);
/* Smoothed bytes per second; 0 when not running. */
double                  ferry_transfer_get_rate          (FerryTransfer *self);
/* Seconds left, or -1 when unknown. */
gint64                  ferry_transfer_get_eta           (FerryTransfer *self);
/* The estimate behind "eta", for anyone showing progress: seconds until total bytes are
 * done at bytes_per_second, rounded; -1 without a rate, or when total is unknown (-1) or
 * already passed. */
gint64                  ferry_transfer_estimate_eta      (gint64         done,
                                                          gint64         total,
                                                          double         bytes_per_second);
/* Why it failed (FERRY_TRANSFER_FAILED), else NULL. */
const GError           *ferry_transfer_get_error         (FerryTransfer *self);
/* The remote paths of the entries a folder download left out because their names cannot
 * be saved safely ("../x", a backslash, control characters…), in the order found; the
 * rest of the folder still downloads. "n-skipped" (guint) is notified as it grows, and
 * the signal "item-skipped" (const char *remote_path, const char *reason) tells each one
 * as it is found. Emptied when the transfer runs again. */
const GPtrArray        *ferry_transfer_get_skipped       (FerryTransfer *self);
/* TRUE when done, failed or cancelled. */
gboolean                ferry_transfer_is_finished       (FerryTransfer *self);

/* A file download whose size the caller already knows (from a folder listing): the run
 * skips its SIZE command, one round trip per file of a folder moved file by file. Set
 * before the transfer starts; -1 (the default) asks the server. */
void                    ferry_transfer_set_known_size    (FerryTransfer *self,
                                                          gint64         size);

/* Checksums: after each file, Ferry asks the server for its HASH (where FEAT offers it) and
 * compares it with the local file's; a mismatch fails the transfer, and a download then
 * keeps its NAME.part name. "n-verified" (guint) counts the files that matched (0 when the
 * server offers no HASH; see also the client's "require-verification"). */
guint                   ferry_transfer_get_n_verified      (FerryTransfer *self);

/* A cancelled download removes what it received (NAME.part), as GNOME Files and browsers do;
 * with "keep-partial" TRUE it stays, and a later download of the same file resumes it
 * (REST). A download that failed (connection lost, a refusal) always keeps it for Retry.
 * May be set while the transfer runs, up to the moment it is cancelled. */
gboolean                ferry_transfer_get_keep_partial  (FerryTransfer *self);
void                    ferry_transfer_set_keep_partial  (FerryTransfer *self,
                                                          gboolean       keep);

FerryConflictPolicy     ferry_transfer_get_conflict_policy (FerryTransfer       *self);
/* Set before the transfer starts. */
void                    ferry_transfer_set_conflict_policy (FerryTransfer       *self,
                                                            FerryConflictPolicy  policy);
/* The answer for one file or folder of the transfer (its remote path), before the
 * transfer's own policy: how a folder transfer that failed with FERRY_CLIENT_ERROR_EXISTS
 * goes on past the clash when it runs again. Files that a run already moved are
 * remembered the same way (SKIP), so that a second run does not ask about them. */
void                    ferry_transfer_set_path_policy     (FerryTransfer       *self,
                                                            const char          *remote_path,
                                                            FerryConflictPolicy  policy);
/* After a failure with FERRY_CLIENT_ERROR_EXISTS: the remote path of the file or folder
 * that clashes, its local counterpart (download: the file already there; upload: the
 * source) and whether it is a folder. NULL otherwise. */
const char             *ferry_transfer_get_conflict_path   (FerryTransfer       *self);
GFile                  *ferry_transfer_get_conflict_local  (FerryTransfer       *self);
gboolean                ferry_transfer_get_conflict_is_folder (FerryTransfer    *self);

G_END_DECLS
