// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-edit-session.c — one remote file being edited in a local application.
 *
 * The copy lives in $XDG_CACHE_HOME/ferry/edit/HASH/NAME, HASH naming the server and the
 * remote path; the folders are 0700, as the files may be private. The folder is watched, not
 * the file: editors save by writing in place (nano), by renaming a new file over it (gedit)
 * or by renaming the old one to a backup first (vim), and a watch on the file itself would
 * lose it at the first rename. Every event in the folder restarts a short timer; when the
 * burst is over the file is looked at, and only a content (SHA-256) other than what the
 * server has and than what was last reported counts as a change. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ferry-protocol.h"
#include "ferry-edit-session.h"

/* How long the folder must stay quiet before a save counts as finished. */
#define SETTLE_MS 300

struct _FerryEditSession
{
  GObject         parent_instance;

  char           *remote_path;
  char           *name;
  GFile          *folder;
  GFile          *file;
  FerryEditState  state;

  gint64          server_size;
  gint64          server_modified;

  char           *baseline;     /* checksum of what the server has */
  char           *current;      /* checksum of the local copy when last looked at */
  char           *reported;     /* the content last announced with "changed" */
  char           *uploading;    /* the content the running upload sends */

  GFileMonitor   *monitor;
  guint           settle_source;
  char           *last_seen;    /* size, times and inode when last looked at */
  GCancellable   *cancellable;  /* checksums running in a thread */
  gboolean        checking;
  gboolean        check_again;
};

G_DEFINE_FINAL_TYPE (FerryEditSession, ferry_edit_session, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
ferry_edit_session_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "ferry", "edit", NULL);
}

static void
set_state (FerryEditSession *self,
           FerryEditState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

/* Checksums ---------------------------------------------------------------------------- */

static void
checksum_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (64 * 1024);
  GError *error = NULL;
  gssize n;

  in = g_file_read (task_data, cancellable, &error);
  if (in == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 64 * 1024, cancellable,
                                   &error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_strdup (g_checksum_get_string (checksum)), g_free);
}

static void
checksum_async (FerryEditSession    *self,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (checksum_async));
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (task, checksum_in_thread);
}

static char *
checksum_finish (FerryEditSession  *self,
                 GAsyncResult      *result,
                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, FERRY_TASK_TAG (checksum_async)), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Watching ----------------------------------------------------------------------------- */

/* What changes when the file is written or replaced; NULL when it is not there (between
 * the two renames of a save). */
static char *
look_at_file (FerryEditSession *self)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                            G_FILE_ATTRIBUTE_TIME_CHANGED ","
                            G_FILE_ATTRIBUTE_TIME_CHANGED_USEC ","
                            G_FILE_ATTRIBUTE_UNIX_INODE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (info == NULL)
    return NULL;

  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT ".%u %" G_GUINT64_FORMAT
                          ".%u %" G_GUINT64_FORMAT,
                          g_file_info_get_size (info),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                          g_file_info_get_attribute_uint32 (info,
                                                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_CHANGED),
                          g_file_info_get_attribute_uint32 (info,
                                                            G_FILE_ATTRIBUTE_TIME_CHANGED_USEC),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE));
}

/* The content is now self->current: is it news? */
static void
judge_current (FerryEditSession *self)
{
  if (self->state == FERRY_EDIT_UPLOADING || self->state == FERRY_EDIT_ENDED ||
      self->state == FERRY_EDIT_OPENING)
    return;

  if (g_strcmp0 (self->current, self->baseline) == 0)
    {
      /* Saved back to what the server has (an undo): nothing to upload. */
      g_clear_pointer (&self->reported, g_free);
      set_state (self, FERRY_EDIT_SAVED);
      return;
    }

  set_state (self, FERRY_EDIT_CHANGED);
  if (g_strcmp0 (self->current, self->reported) != 0)
    {
      g_free (self->reported);
      self->reported = g_strdup (self->current);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
}

static void check_file (FerryEditSession *self);

static void
on_checksum_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FerryEditSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sum = checksum_finish (self, result, &error);

  self->checking = FALSE;
  if (sum == NULL)
    {
      /* Gone or unreadable in the middle of a save: the next event looks again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Could not read %s: %s", g_file_peek_path (self->file), error->message);
          g_clear_pointer (&self->last_seen, g_free);
        }
      return;
    }

  g_free (self->current);
  self->current = g_steal_pointer (&sum);
  judge_current (self);

  if (self->check_again)
    {
      self->check_again = FALSE;
      check_file (self);
    }
}

static void
check_file (FerryEditSession *self)
{
  g_autofree char *seen = NULL;

  if (self->state == FERRY_EDIT_ENDED)
    return;
  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }

  seen = look_at_file (self);
  if (seen == NULL || g_strcmp0 (seen, self->last_seen) == 0)
    return;

  g_free (self->last_seen);
  self->last_seen = g_steal_pointer (&seen);
  self->checking = TRUE;
  checksum_async (self, on_checksum_done, g_object_ref (self));
}

static gboolean
on_settled (gpointer data)
{
  FerryEditSession *self = data;

  self->settle_source = 0;
  check_file (self);
  return G_SOURCE_REMOVE;
}

static void
on_folder_changed (GFileMonitor      *monitor,
                   GFile             *file,
                   GFile             *other_file,
                   GFileMonitorEvent  event,
                   FerryEditSession  *self)
{
  /* Attribute changes (chmod, atime) do not change the content. */
  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
    return;

  g_clear_handle_id (&self->settle_source, g_source_remove);
  self->settle_source = g_timeout_add (SETTLE_MS, on_settled, self);
}

static void
on_baseline_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryEditSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *sum = checksum_finish (self, result, &error);

  if (sum == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->baseline = sum;
  self->current = g_strdup (sum);
  g_free (self->last_seen);
  self->last_seen = look_at_file (self);

  self->monitor = g_file_monitor_directory (self->folder, G_FILE_MONITOR_WATCH_MOVES, NULL,
                                            &error);
  if (self->monitor == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_folder_changed), self, 0);
  set_state (self, FERRY_EDIT_SAVED);
  /* Saved before the watch began (a fast editor): look once now. */
  check_file (self);
  g_task_return_boolean (task, TRUE);
}

void
ferry_edit_session_watch_async (FerryEditSession    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_EDIT_SESSION (self));
  g_return_if_fail (self->monitor == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_edit_session_watch_async));
  checksum_async (self, on_baseline_done, g_steal_pointer (&task));
}

gboolean
ferry_edit_session_watch_finish (FerryEditSession  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_edit_session_watch_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Uploading ---------------------------------------------------------------------------- */

void
ferry_edit_session_upload_started (FerryEditSession *self)
{
  g_return_if_fail (FERRY_IS_EDIT_SESSION (self));

  /* What was last looked at is what goes; a save during the upload is looked at again
   * when it is done. */
  g_free (self->uploading);
  self->uploading = g_strdup (self->current);
  set_state (self, FERRY_EDIT_UPLOADING);
}

void
ferry_edit_session_upload_finished (FerryEditSession *self,
                                    gboolean          uploaded)
{
  g_return_if_fail (FERRY_IS_EDIT_SESSION (self));

  if (self->state == FERRY_EDIT_ENDED)
    return;

  if (uploaded && self->uploading != NULL)
    {
      g_free (self->baseline);
      self->baseline = g_steal_pointer (&self->uploading);
      g_clear_pointer (&self->reported, g_free);
    }
  else if (!uploaded)
    /* Not on the server: announce it again, so the user can try again. */
    g_clear_pointer (&self->reported, g_free);
  g_clear_pointer (&self->uploading, g_free);

  self->state = FERRY_EDIT_SAVED;
  if (g_strcmp0 (self->current, self->baseline) != 0)
    judge_current (self);
  else
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

/* The server's copy -------------------------------------------------------------------- */

void
ferry_edit_session_set_server_stamp (FerryEditSession *self,
                                     gint64            size,
                                     gint64            modified)
{
  g_return_if_fail (FERRY_IS_EDIT_SESSION (self));

  self->server_size = size;
  self->server_modified = modified;
}

gboolean
ferry_edit_session_server_changed (FerryEditSession *self,
                                   gint64            size,
                                   gint64            modified)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), TRUE);

  if (size >= 0 && self->server_size >= 0 && size != self->server_size)
    return TRUE;
  if (modified >= 0 && self->server_modified >= 0 && modified != self->server_modified)
    return TRUE;
  return FALSE;
}

/* Ending ------------------------------------------------------------------------------- */

/* Removes file and what it holds, symbolic links as links. */
static gboolean
remove_recursively (GFile   *file,
                    GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, error))
        return FALSE;
      if (info == NULL)
        break;
      if (!remove_recursively (child, error))
        return FALSE;
    }

  return g_file_delete (file, NULL, error);
}

gboolean
ferry_edit_session_end (FerryEditSession *self)
{
  gboolean keep;

  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), FALSE);

  if (self->state == FERRY_EDIT_ENDED)
    return FALSE;

  keep = ferry_edit_session_has_unsaved_changes (self);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  set_state (self, FERRY_EDIT_ENDED);

  if (!keep)
    {
      g_autoptr(GError) error = NULL;

      if (!remove_recursively (self->folder, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Could not remove the edited copy in %s: %s",
                   g_file_peek_path (self->folder), error->message);
    }

  return keep;
}

/* Accessors ---------------------------------------------------------------------------- */

const char *
ferry_edit_session_get_remote_path (FerryEditSession *self)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), NULL);
  return self->remote_path;
}

void
ferry_edit_session_set_remote_path (FerryEditSession *self,
                                    const char       *remote_path)
{
  g_return_if_fail (FERRY_IS_EDIT_SESSION (self));
  g_return_if_fail (remote_path != NULL);

  if (self->remote_path != remote_path)
    {
      g_free (self->remote_path);
      self->remote_path = g_strdup (remote_path);
    }
}

const char *
ferry_edit_session_get_name (FerryEditSession *self)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), NULL);
  return self->name;
}

GFile *
ferry_edit_session_get_folder (FerryEditSession *self)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), NULL);
  return self->folder;
}

GFile *
ferry_edit_session_get_file (FerryEditSession *self)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), NULL);
  return self->file;
}

FerryEditState
ferry_edit_session_get_state (FerryEditSession *self)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), FERRY_EDIT_ENDED);
  return self->state;
}

gboolean
ferry_edit_session_has_unsaved_changes (FerryEditSession *self)
{
  g_return_val_if_fail (FERRY_IS_EDIT_SESSION (self), FALSE);
  return self->state == FERRY_EDIT_CHANGED || self->state == FERRY_EDIT_UPLOADING;
}

/* Creating ----------------------------------------------------------------------------- */

/* One folder per server and path; a second one (name-XXXXXX) when that is taken, by
 * another window or by changes kept from an earlier run that must not be overwritten. */
static char *
make_private_folder (const char  *server_key,
                     const char  *remote_path,
                     GError     **error)
{
  g_autofree char *parent = ferry_edit_session_cache_dir ();
  g_autofree char *key = g_strconcat (server_key, remote_path, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *path = NULL;
  int saved_errno;

  hash[16] = '\0';
  path = g_build_filename (parent, hash, NULL);
  if (g_mkdir_with_parents (parent, 0700) == 0)
    {
      if (g_mkdir (path, 0700) == 0)
        return g_steal_pointer (&path);

      if (errno == EEXIST)
        {
          g_autofree char *template = g_strconcat (path, "-XXXXXX", NULL);

          if (g_mkdtemp (template) != NULL)
            return g_steal_pointer (&template);
        }
    }

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not make a folder for the edited copy in %s: %s"),
               parent, g_strerror (saved_errno));
  return NULL;
}

FerryEditSession *
ferry_edit_session_new (const char  *server_key,
                        const char  *remote_path,
                        GError     **error)
{
  g_autoptr(FerryEditSession) self = NULL;
  g_autofree char *name = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (server_key != NULL, NULL);
  g_return_val_if_fail (remote_path != NULL, NULL);

  name = ferry_vpath_basename (remote_path);
  if (!ferry_name_is_safe_local (name, error))
    return NULL;

  folder = make_private_folder (server_key, remote_path, error);
  if (folder == NULL)
    return NULL;

  self = g_object_new (FERRY_TYPE_EDIT_SESSION, NULL);
  self->remote_path = g_strdup (remote_path);
  self->name = g_steal_pointer (&name);
  self->folder = g_file_new_for_path (folder);
  self->file = g_file_get_child (self->folder, self->name);
  return g_steal_pointer (&self);
}

static void
ferry_edit_session_dispose (GObject *object)
{
  FerryEditSession *self = FERRY_EDIT_SESSION (object);

  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  G_OBJECT_CLASS (ferry_edit_session_parent_class)->dispose (object);
}

static void
ferry_edit_session_finalize (GObject *object)
{
  FerryEditSession *self = FERRY_EDIT_SESSION (object);

  g_free (self->remote_path);
  g_free (self->name);
  g_clear_object (&self->folder);
  g_clear_object (&self->file);
  g_free (self->baseline);
  g_free (self->current);
  g_free (self->reported);
  g_free (self->uploading);
  g_free (self->last_seen);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_edit_session_parent_class)->finalize (object);
}

static void
ferry_edit_session_class_init (FerryEditSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_edit_session_dispose;
  object_class->finalize = ferry_edit_session_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ferry_edit_session_init (FerryEditSession *self)
{
  self->state = FERRY_EDIT_OPENING;
  self->server_size = -1;
  self->server_modified = -1;
  self->cancellable = g_cancellable_new ();
}
