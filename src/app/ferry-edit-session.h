// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-edit-session.h — one remote file being edited in a local application: its private
 * copy in the cache, the watch on it, and whether the server has what was saved. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  FERRY_EDIT_OPENING,     /* the server's copy is being downloaded */
  FERRY_EDIT_SAVED,       /* the local copy is what was last downloaded or uploaded */
  FERRY_EDIT_CHANGED,     /* saved locally with changes the server does not have */
  FERRY_EDIT_UPLOADING,   /* those changes are on their way to the server */
  FERRY_EDIT_ENDED,       /* no longer watched */
} FerryEditState;

#define FERRY_TYPE_EDIT_SESSION (ferry_edit_session_get_type ())

G_DECLARE_FINAL_TYPE (FerryEditSession, ferry_edit_session, FERRY, EDIT_SESSION, GObject)

/* The folder under the user's cache folder that holds one folder per edited file. */
char             *ferry_edit_session_cache_dir        (void);

/* Makes the private folder (mode 0700) for remote_path on the server named server_key
 * ("ftp://user@host:port"). */
FerryEditSession *ferry_edit_session_new              (const char       *server_key,
                                                       const char       *remote_path,
                                                       GError          **error);

const char       *ferry_edit_session_get_remote_path  (FerryEditSession *self);
/* After "Keep Both" the edits live on under the new name. */
void              ferry_edit_session_set_remote_path  (FerryEditSession *self,
                                                       const char       *remote_path);
/* The remote base name, as the local copy is named. */
const char       *ferry_edit_session_get_name         (FerryEditSession *self);
GFile            *ferry_edit_session_get_folder       (FerryEditSession *self);
GFile            *ferry_edit_session_get_file         (FerryEditSession *self);
FerryEditState    ferry_edit_session_get_state        (FerryEditSession *self);
/* Changed or uploading: the server does not have what was saved locally. */
gboolean          ferry_edit_session_has_unsaved_changes (FerryEditSession *self);

/* The server's copy as it was downloaded or uploaded: size in bytes and modification
 * time in seconds since the epoch, -1 where the server did not say. */
void              ferry_edit_session_set_server_stamp (FerryEditSession *self,
                                                       gint64            size,
                                                       gint64            modified);
/* Whether the server's copy, now size and modified (-1: not known), differs from the
 * stamp. Only what both sides know is compared. */
gboolean          ferry_edit_session_server_changed   (FerryEditSession *self,
                                                       gint64            size,
                                                       gint64            modified);

/* Once downloaded: remembers the local copy's checksum (in a worker thread), then watches
 * its folder. Saves then emit "changed" (no arguments) once per new content, after the
 * burst of events an editor's save makes has settled; "state-changed" follows the state. */
void              ferry_edit_session_watch_async      (FerryEditSession    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          ferry_edit_session_watch_finish     (FerryEditSession *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* The upload of the local copy starts, and how it ended. */
void              ferry_edit_session_upload_started   (FerryEditSession *self);
void              ferry_edit_session_upload_finished  (FerryEditSession *self,
                                                       gboolean          uploaded);

/* Stops watching. The folder goes unless it holds changes the server does not have:
 * returns TRUE when it was kept. */
gboolean          ferry_edit_session_end              (FerryEditSession *self);

G_END_DECLS
