// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-edit.c — "Open With…": edit a remote file in a local application.
 *
 * The user picks an application (ferry-open-with.c: GtkAppChooserDialog, or in a sandbox
 * the portal's OpenFile), the file is downloaded through the transfer queue into a private
 * copy (FerryEditSession) and opened. Each save with new content offers to upload it, in a
 * toast that stays until answered (Upload / Ignore): nothing goes to the server unasked.
 * Before uploading, the server's size and modification time (SIZE, MDTM) are compared with
 * those of the copy that was downloaded; when someone changed it meanwhile the user chooses
 * (Overwrite / Keep Both / Cancel). The upload goes through the queue like any other.
 * Leaving the server or closing the window ends the edits; edits with changes that were
 * not uploaded are asked about first, and their copies are kept.
 *
 *   win.open-with          the selected file: choose an application, then edit
 *   win.edit-upload (s)    the edited copy's local path: upload its changes
 *   win.edit-ignore (s)    the same: not now (the server stays as it is)
 */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-edit-session.h"
#include "ferry-open-with.h"
#include "ferry-window-private.h"

typedef struct {
  FerryWindow      *self;       /* unowned: the window holds the Edit */
  FerryEditSession *session;
  GAppInfo         *app;        /* NULL: the portal asks the user */
  FerryTransfer    *transfer;   /* the last download or upload, running or finished */
  AdwToast         *offer;      /* the upload offer on screen, or NULL */
  gint64            offered_at; /* when it was, in monotonic time */
  gboolean          checking;   /* asking the server whether its copy changed */
  gboolean          stamping;   /* uploaded; asking for the server's new size and time */
} Edit;

static void edit_withdraw_offer (Edit *edit);

static void
edit_free (Edit *edit)
{
  if (edit->transfer != NULL)
    g_signal_handlers_disconnect_by_data (edit->transfer, edit);
  g_clear_object (&edit->transfer);
  edit_withdraw_offer (edit);
  g_signal_handlers_disconnect_by_data (edit->session, edit);
  g_object_unref (edit->session);
  g_clear_object (&edit->app);
  g_free (edit);
}

static GPtrArray *
edits (FerryWindow *self)
{
  if (self->edits == NULL)
    self->edits = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_free);
  return self->edits;
}

static Edit *
find_by_session (FerryWindow      *self,
                 FerryEditSession *session)
{
  for (guint i = 0; self->edits != NULL && i < self->edits->len; i++)
    {
      Edit *edit = g_ptr_array_index (self->edits, i);

      if (edit->session == session)
        return edit;
    }
  return NULL;
}

static Edit *
find_by_local_path (FerryWindow *self,
                    const char  *path)
{
  for (guint i = 0; self->edits != NULL && i < self->edits->len; i++)
    {
      Edit *edit = g_ptr_array_index (self->edits, i);

      if (g_strcmp0 (g_file_peek_path (ferry_edit_session_get_file (edit->session)), path) == 0)
        return edit;
    }
  return NULL;
}

static Edit *
find_by_remote_path (FerryWindow *self,
                     const char  *remote_path)
{
  for (guint i = 0; self->edits != NULL && i < self->edits->len; i++)
    {
      Edit *edit = g_ptr_array_index (self->edits, i);

      if (g_strcmp0 (ferry_edit_session_get_remote_path (edit->session), remote_path) == 0)
        return edit;
    }
  return NULL;
}

/* Ends one edit that never got going (failed download): its folder goes. */
static void
edit_drop (Edit *edit)
{
  FerryWindow *self = edit->self;

  ferry_edit_session_end (edit->session);
  g_ptr_array_remove (self->edits, edit);
}

static void show_edit_error (FerryWindow  *self,
                             const GError *error,
                             const char   *format,
                             ...) G_GNUC_PRINTF (3, 4);

/* "Could not open “a.txt”: …", unless it was cancelled. */
static void
show_edit_error (FerryWindow  *self,
                 const GError *error,
                 const char   *format,
                 ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  _ferry_window_show_error_toast (self, what, error);
}

/* Asking the server about its copy ----------------------------------------------------- */

typedef void (*StampFunc) (FerryWindow  *self,
                           Edit         *edit,
                           gint64        size,
                           gint64        modified,
                           const GError *error);

typedef struct {
  FerryWindow      *self;
  FerryEditSession *session;
  StampFunc         then;
  gint64            size;
} StampQuery;

static void
stamp_query_free (StampQuery *query)
{
  g_object_unref (query->self);
  g_object_unref (query->session);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampQuery, stamp_query_free)

static gboolean
is_connection_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT);
}

static void
stamp_query_done (StampQuery   *query,
                  gint64        modified,
                  const GError *error)
{
  Edit *edit = find_by_session (query->self, query->session);

  /* Ended meanwhile (disconnected, window closed): nothing left to do. */
  if (edit == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  query->then (query->self, edit, query->size, modified, error);
}

static void
on_mdtm_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StampQuery) query = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) modified = NULL;

  modified = ferry_client_mdtm_finish (FERRY_CLIENT (source), result, &error);
  if (modified == NULL && !is_connection_error (error))
    {
      /* A server without MDTM: the size alone tells. */
      g_debug ("No modification time for %s: %s",
               ferry_edit_session_get_remote_path (query->session), error->message);
      g_clear_error (&error);
    }

  stamp_query_done (query, modified ? g_date_time_to_unix (modified) : -1, error);
}

static void
on_size_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StampQuery) query = user_data;
  g_autoptr(GError) error = NULL;
  FerryWindow *self = query->self;
  const char *path;

  query->size = ferry_client_size_finish (FERRY_CLIENT (source), result, &error);
  if (query->size < 0)
    {
      /* Gone, or the connection is: say so. Any other refusal of SIZE: not known. */
      if (is_connection_error (error) ||
          g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_FOUND))
        {
          stamp_query_done (query, -1, error);
          return;
        }
      g_debug ("No size for %s: %s", ferry_edit_session_get_remote_path (query->session),
               error->message);
    }

  if (self->client == NULL)
    {
      g_autoptr(GError) lost = g_error_new_literal (FERRY_CLIENT_ERROR,
                                                    FERRY_CLIENT_ERROR_NOT_CONNECTED,
                                                    _("Not connected to the server"));
      stamp_query_done (query, -1, lost);
      return;
    }
  path = ferry_edit_session_get_remote_path (query->session);
  ferry_client_mdtm_async (self->client, path, self->cancellable, on_mdtm_done,
                           g_steal_pointer (&query));
}

/* SIZE then MDTM of the edit's remote file, on the browsing connection. */
static void
query_stamp (FerryWindow *self,
             Edit        *edit,
             StampFunc    then)
{
  StampQuery *query;

  if (self->client == NULL || !ferry_client_is_logged_in (self->client))
    {
      g_autoptr(GError) error = g_error_new_literal (FERRY_CLIENT_ERROR,
                                                     FERRY_CLIENT_ERROR_NOT_CONNECTED,
                                                     _("Not connected to the server"));
      then (self, edit, -1, -1, error);
      return;
    }

  query = g_new0 (StampQuery, 1);
  query->self = g_object_ref (self);
  query->session = g_object_ref (edit->session);
  query->then = then;
  ferry_client_size_async (self->client, ferry_edit_session_get_remote_path (edit->session),
                           self->cancellable, on_size_done, query);
}

/* Opening in the application ----------------------------------------------------------- */

typedef struct {
  FerryWindow *self;
  char        *name;
  char        *app_name;    /* NULL: through the portal */
} LaunchRequest;

static void
launch_request_free (LaunchRequest *request)
{
  g_object_unref (request->self);
  g_free (request->name);
  g_free (request->app_name);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LaunchRequest, launch_request_free)

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LaunchRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (ferry_open_with_launch_finish (result, &error))
    return;

  if (request->app_name != NULL)
    show_edit_error (request->self, error, _("Could not open “%s” with %s"), request->name,
                     request->app_name);
  else
    show_edit_error (request->self, error, _("Could not open “%s”"), request->name);
}

static void
edit_launch (Edit *edit)
{
  LaunchRequest *request = g_new0 (LaunchRequest, 1);

  request->self = g_object_ref (edit->self);
  request->name = g_strdup (ferry_edit_session_get_name (edit->session));
  request->app_name = edit->app ? g_strdup (g_app_info_get_display_name (edit->app)) : NULL;
  ferry_open_with_launch_async (GTK_WINDOW (edit->self),
                                ferry_edit_session_get_file (edit->session), edit->app,
                                NULL, on_launched, request);
}

/* The upload offer --------------------------------------------------------------------- */

static void
on_offer_dismissed (AdwToast *toast,
                    Edit     *edit)
{
  g_signal_handlers_disconnect_by_data (toast, edit);
  g_clear_object (&edit->offer);
}

/* "report.odt was changed — Upload / Ignore", until answered. */
static void
edit_offer (Edit *edit)
{
  FerryWindow *self = edit->self;
  const char *path = g_file_peek_path (ferry_edit_session_get_file (edit->session));
  g_autofree char *title = NULL;
  GtkWidget *box, *label, *ignore;
  AdwToast *toast;

  if (edit->offer != NULL || edit->checking ||
      ferry_edit_session_get_state (edit->session) != FERRY_EDIT_CHANGED)
    return;

  title = g_strdup_printf (_("“%s” was changed"), ferry_edit_session_get_name (edit->session));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  label = gtk_label_new (title);
  ignore = gtk_button_new_with_mnemonic (_("_Ignore"));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (ignore, "flat");
  gtk_widget_set_valign (ignore, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (ignore), "win.edit-ignore");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (ignore), "s", path);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), ignore);

  toast = adw_toast_new ("");
  adw_toast_set_custom_title (toast, box);
  adw_toast_set_button_label (toast, _("_Upload"));
  adw_toast_set_action_name (toast, "win.edit-upload");
  adw_toast_set_action_target_value (toast, g_variant_new_string (path));
  /* Until answered. Normal priority: libadwaita 1.2 asserts when a high-priority toast
   * pushes aside one that is being dismissed. */
  adw_toast_set_timeout (toast, 0);
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_offer_dismissed), edit);
  edit->offer = g_object_ref (toast);
  edit->offered_at = g_get_monotonic_time ();
  _ferry_window_add_toast (self, toast, title);
}

static gboolean
dismiss_now (gpointer data)
{
  adw_toast_dismiss (data);
  return G_SOURCE_REMOVE;
}

/* libadwaita 1.2 frees a toast's record when its hide animation ends but leaves its show
 * animation (up to 500 ms) pointing at it: a toast dismissed while it is still sliding in
 * makes the overlay use freed memory. Offers withdrawn by the program (an upload from the
 * keyboard, an undo) wait out the slide. */
#define OFFER_SETTLE_US (1000 * G_TIME_SPAN_MILLISECOND)

static void
edit_withdraw_offer (Edit *edit)
{
  g_autoptr(AdwToast) offer = g_steal_pointer (&edit->offer);
  gint64 wait;

  if (offer == NULL)
    return;

  g_signal_handlers_disconnect_by_data (offer, edit);
  wait = edit->offered_at + OFFER_SETTLE_US - g_get_monotonic_time ();
  if (wait <= 0 || gtk_widget_in_destruction (GTK_WIDGET (edit->self)))
    adw_toast_dismiss (offer);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, wait / G_TIME_SPAN_MILLISECOND + 1, dismiss_now,
                        g_object_ref (offer), g_object_unref);
}

static void
on_session_changed (FerryEditSession *session,
                    Edit             *edit)
{
  edit_offer (edit);
}

static void
on_session_state_changed (FerryEditSession *session,
                          Edit             *edit)
{
  /* Saved back to what the server has: nothing to offer any more. */
  if (ferry_edit_session_get_state (session) == FERRY_EDIT_SAVED)
    edit_withdraw_offer (edit);
}

/* Uploading ---------------------------------------------------------------------------- */

static void
on_uploaded_stamp (FerryWindow  *self,
                   Edit         *edit,
                   gint64        size,
                   gint64        modified,
                   const GError *error)
{
  /* Without a stamp (or before it came) the next upload compares with the old one, and
   * may ask once too often: better than not asking. */
  if (error == NULL)
    ferry_edit_session_set_server_stamp (edit->session, size, modified);
  edit->stamping = FALSE;
  ferry_edit_session_upload_finished (edit->session, TRUE);
}

static void
on_upload_state (FerryTransfer *transfer,
                 GParamSpec    *pspec,
                 Edit          *edit)
{
  if (!ferry_transfer_is_finished (transfer))
    return;

  g_signal_handlers_disconnect_by_data (transfer, edit);
  if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_DONE)
    {
      /* "Keep Both" uploaded it under a new name: the edits go on there. */
      ferry_edit_session_set_remote_path (edit->session,
                                          ferry_transfer_get_remote_path (transfer));
      /* Saved once the server's new size and time are known, so that the next upload
       * compares with them. */
      edit->stamping = TRUE;
      query_stamp (edit->self, edit, on_uploaded_stamp);
    }
  else
    ferry_edit_session_upload_finished (edit->session, FALSE);
}

static void
edit_send (Edit                *edit,
           FerryConflictPolicy  policy)
{
  FerryWindow *self = edit->self;
  g_autoptr(FerryTransfer) transfer = NULL;

  if (self->queue == NULL)
    return;

  transfer = ferry_transfer_new_upload (ferry_edit_session_get_file (edit->session),
                                        ferry_edit_session_get_remote_path (edit->session));
  ferry_transfer_set_conflict_policy (transfer, policy);
  if (edit->transfer != NULL)
    g_signal_handlers_disconnect_by_data (edit->transfer, edit);
  g_set_object (&edit->transfer, transfer);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (on_upload_state), edit);
  ferry_edit_session_upload_started (edit->session);
  ferry_transfer_queue_add (self->queue, transfer);
}

typedef struct {
  FerryWindow      *self;
  FerryEditSession *session;
} ServerChangedRequest;

static void
server_changed_request_free (gpointer  data,
                             GClosure *closure)
{
  ServerChangedRequest *request = data;

  g_object_unref (request->self);
  g_object_unref (request->session);
  g_free (request);
}

static void
on_server_changed_response (AdwMessageDialog     *dialog,
                            const char           *response,
                            ServerChangedRequest *request)
{
  Edit *edit = find_by_session (request->self, request->session);

  if (edit == NULL)
    return;

  if (g_strcmp0 (response, "overwrite") == 0)
    edit_send (edit, FERRY_CONFLICT_REPLACE);
  else if (g_strcmp0 (response, "keep-both") == 0)
    edit_send (edit, FERRY_CONFLICT_KEEP_BOTH);
  /* Cancel: the changes stay here; the next save offers them again. */
}

/* Someone changed (or deleted) the server's copy since it was downloaded: ask. */
static void
ask_server_changed (Edit     *edit,
                    gboolean  deleted)
{
  FerryWindow *self = edit->self;
  const char *name = ferry_edit_session_get_name (edit->session);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  ServerChangedRequest *request;

  if (deleted)
    heading = g_strdup_printf (_("“%s” was deleted on the server"), name);
  else
    heading = g_strdup_printf (_("“%s” was changed on the server"), name);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  if (deleted)
    {
      adw_message_dialog_set_body (dialog, _("Someone deleted it after you opened it. Upload "
                                             "your version anyway?"));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                        "overwrite", _("_Upload"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "overwrite",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  else
    {
      adw_message_dialog_set_body (dialog, _("Someone changed the server’s copy after you "
                                             "opened it. Overwrite it with your version, or "
                                             "keep both: yours is then uploaded under a new "
                                             "name."));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                        "keep-both", _("_Keep Both"),
                                        "overwrite", _("_Overwrite"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "overwrite",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  request = g_new0 (ServerChangedRequest, 1);
  request->self = g_object_ref (self);
  request->session = g_object_ref (edit->session);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_server_changed_response), request,
                         server_changed_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_upload_stamp (FerryWindow  *self,
                 Edit         *edit,
                 gint64        size,
                 gint64        modified,
                 const GError *error)
{
  gboolean deleted = g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_FOUND);

  edit->checking = FALSE;
  if (error != NULL && !deleted)
    {
      show_edit_error (self, error, _("Could not upload “%s”"),
                       ferry_edit_session_get_name (edit->session));
      edit_offer (edit);
      return;
    }

  if (deleted || ferry_edit_session_server_changed (edit->session, size, modified))
    ask_server_changed (edit, deleted);
  else
    edit_send (edit, FERRY_CONFLICT_REPLACE);
}

static void
edit_upload_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  Edit *edit = find_by_local_path (self, g_variant_get_string (parameter, NULL));

  if (edit == NULL || edit->checking ||
      ferry_edit_session_get_state (edit->session) != FERRY_EDIT_CHANGED)
    return;

  edit_withdraw_offer (edit);
  edit->checking = TRUE;
  query_stamp (self, edit, on_upload_stamp);
}

static void
edit_ignore_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  Edit *edit = find_by_local_path (self, g_variant_get_string (parameter, NULL));

  /* The server keeps its copy; the next save with new content asks again. */
  if (edit != NULL)
    edit_withdraw_offer (edit);
}

/* Downloading -------------------------------------------------------------------------- */

static void
on_watching (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  FerryEditSession *session = FERRY_EDIT_SESSION (source);
  g_autoptr(GError) error = NULL;
  Edit *edit = find_by_session (self, session);

  if (edit == NULL)
    return;

  if (!ferry_edit_session_watch_finish (session, result, &error))
    {
      show_edit_error (self, error, _("Could not open “%s”"),
                       ferry_edit_session_get_name (session));
      edit_drop (edit);
      return;
    }

  edit_launch (edit);
}

static void
on_download_state (FerryTransfer *transfer,
                   GParamSpec    *pspec,
                   Edit          *edit)
{
  if (!ferry_transfer_is_finished (transfer))
    return;

  g_signal_handlers_disconnect_by_data (transfer, edit);
  /* Failed: the window's transfer toast says why. */
  if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_DONE)
    {
      edit_drop (edit);
      return;
    }

  ferry_edit_session_watch_async (edit->session, NULL, on_watching, g_object_ref (edit->self));
}

static void
on_open_stamp (FerryWindow  *self,
               Edit         *edit,
               gint64        size,
               gint64        modified,
               const GError *error)
{
  FerryTransfer *transfer;

  if (error != NULL)
    {
      show_edit_error (self, error, _("Could not open “%s”"),
                       ferry_edit_session_get_name (edit->session));
      edit_drop (edit);
      return;
    }

  ferry_edit_session_set_server_stamp (edit->session, size, modified);
  transfer = _ferry_window_download (self, ferry_edit_session_get_remote_path (edit->session),
                                     FALSE, ferry_edit_session_get_folder (edit->session));
  if (transfer == NULL)
    {
      edit_drop (edit);
      return;
    }

  g_set_object (&edit->transfer, transfer);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (on_download_state), edit);
}

/* "ftp://user@host:port": which server an edited copy came from. */
static char *
server_key (FerryWindow *self)
{
  g_autoptr(FerryUrl) url = ferry_url_copy (self->server);

  g_clear_pointer (&url->password, g_free);
  g_clear_pointer (&url->path, g_free);
  return ferry_url_to_string (url);
}

/* Edits remote_path with app (NULL: through the portal). A file already being edited is
 * opened again as it is here, not downloaded over the changes. */
static void
edit_open (FerryWindow *self,
           const char  *remote_path,
           GAppInfo    *app)
{
  g_autoptr(FerryEditSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  Edit *edit = find_by_remote_path (self, remote_path);

  if (edit != NULL)
    {
      g_set_object (&edit->app, app);
      if (ferry_edit_session_get_state (edit->session) != FERRY_EDIT_OPENING)
        edit_launch (edit);
      return;
    }

  if (self->server == NULL || self->queue == NULL)
    return;

  key = server_key (self);
  session = ferry_edit_session_new (key, remote_path, &error);
  if (session == NULL)
    {
      g_autofree char *name = ferry_vpath_basename (remote_path);

      show_edit_error (self, error, _("Could not open “%s”"), name);
      return;
    }

  edit = g_new0 (Edit, 1);
  edit->self = self;
  edit->session = g_steal_pointer (&session);
  edit->app = app ? g_object_ref (app) : NULL;
  g_signal_connect (edit->session, "changed", G_CALLBACK (on_session_changed), edit);
  g_signal_connect (edit->session, "state-changed", G_CALLBACK (on_session_state_changed), edit);
  g_ptr_array_add (edits (self), edit);

  query_stamp (self, edit, on_open_stamp);
}

/* Choosing the application ------------------------------------------------------------- */

typedef struct {
  FerryWindow *self;
  char        *remote_path;
} AppRequest;

static void
app_request_free (AppRequest *request)
{
  g_object_unref (request->self);
  g_free (request->remote_path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AppRequest, app_request_free)

static void
on_app_chosen (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AppRequest) request = user_data;
  g_autoptr(GAppInfo) app = ferry_open_with_choose_finish (result, NULL);

  if (app != NULL)
    edit_open (request->self, request->remote_path, app);
}

static void
open_with_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);
  g_autofree char *shown = NULL;
  FerryRemoteFile *file;
  AppRequest *request;

  if (files->len != 1 || ferry_remote_file_is_folder (g_ptr_array_index (files, 0)))
    return;

  file = g_ptr_array_index (files, 0);
  if (ferry_open_with_portal_asks ())
    {
      edit_open (self, ferry_remote_file_get_path (file), NULL);
      return;
    }

  request = g_new0 (AppRequest, 1);
  request->self = g_object_ref (self);
  request->remote_path = g_strdup (ferry_remote_file_get_path (file));
  shown = ferry_remote_file_get_display_name (file);
  ferry_open_with_choose_async (GTK_WINDOW (self), ferry_remote_file_get_name (file), shown,
                                NULL, on_app_chosen, request);
}

/* The window's side -------------------------------------------------------------------- */

/* The edit download's own toast would offer to show the private copy: the application
 * opening is the news. */
gboolean
_ferry_window_edit_owns (FerryWindow   *self,
                         FerryTransfer *transfer)
{
  for (guint i = 0; self->edits != NULL && i < self->edits->len; i++)
    if (((Edit *) g_ptr_array_index (self->edits, i))->transfer == transfer)
      return TRUE;
  return FALSE;
}

FerryEditSession *
_ferry_window_edit_lookup (FerryWindow *self,
                           const char  *remote_path)
{
  Edit *edit = find_by_remote_path (self, remote_path);

  return edit ? edit->session : NULL;
}

static guint
count_unsaved (FerryWindow *self,
               const char **name)
{
  guint n = 0;

  for (guint i = 0; self->edits != NULL && i < self->edits->len; i++)
    {
      Edit *edit = g_ptr_array_index (self->edits, i);

      if (!edit->stamping && ferry_edit_session_has_unsaved_changes (edit->session))
        {
          *name = ferry_edit_session_get_name (edit->session);
          n++;
        }
    }
  return n;
}

/* Ends every edit (disconnecting, another server, closing, quitting). Copies with changes
 * the server does not have are kept, and the user is told where: in a toast, or in a
 * notification when the window goes (notify). */
static void
end_all (FerryWindow *self,
         gboolean     notify)
{
  g_autofree char *dir = ferry_edit_session_cache_dir ();
  g_autofree char *message = NULL;
  const char *name = NULL;
  guint kept = 0;

  if (self->edits == NULL || self->edits->len == 0)
    return;

  for (guint i = 0; i < self->edits->len; i++)
    {
      Edit *edit = g_ptr_array_index (self->edits, i);

      /* Uploaded: only its new stamp was still to come. */
      if (edit->stamping)
        ferry_edit_session_upload_finished (edit->session, TRUE);
      if (ferry_edit_session_end (edit->session))
        {
          name = ferry_edit_session_get_name (edit->session);
          kept++;
        }
    }

  if (kept == 1)
    message = g_strdup_printf (_("The changes to “%s” were not uploaded. The edited copy is "
                                 "kept in %s."), name, dir);
  else if (kept > 1)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u edited file was not uploaded. The edited copies "
                                            "are kept in %s.",
                                            "%u edited files were not uploaded. The edited copies "
                                            "are kept in %s.", kept),
                               kept, dir);
  g_ptr_array_set_size (self->edits, 0);

  if (message == NULL)
    return;

  g_message ("%s", message);
  if (notify)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      g_autoptr(GNotification) notification = g_notification_new (_("Edits Not Uploaded"));

      g_notification_set_body (notification, message);
      if (app != NULL)
        g_application_send_notification (G_APPLICATION (app), "edits-kept", notification);
    }
  else
    {
      AdwToast *toast = adw_toast_new (message);

      /* Longer than most: it says where the user's work is. */
      adw_toast_set_timeout (toast, 15);
      _ferry_window_add_toast (self, toast, message);
    }
}

void
_ferry_window_edit_end_all (FerryWindow *self)
{
  end_all (self, gtk_widget_in_destruction (GTK_WIDGET (self)));
}

void
ferry_window_end_edits (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  end_all (self, TRUE);
}

void
_ferry_window_edit_dispose (FerryWindow *self)
{
  _ferry_window_edit_end_all (self);
  g_clear_pointer (&self->edits, g_ptr_array_unref);
}

typedef struct {
  FerryWindow    *self;
  FerryWindowFunc then;
} LeaveRequest;

static void
leave_request_free (gpointer  data,
                    GClosure *closure)
{
  LeaveRequest *request = data;

  g_object_unref (request->self);
  g_free (request);
}

static void
on_leave_response (AdwMessageDialog *dialog,
                   const char       *response,
                   LeaveRequest     *request)
{
  if (g_strcmp0 (response, "leave") == 0)
    request->then (request->self);
}

/* Before leaving the server (closing: the window): with edits whose changes were not
 * uploaded, asks first; then (self) runs when nothing is unsaved or the user leaves. */
void
_ferry_window_edit_ask_leave (FerryWindow    *self,
                              gboolean        closing,
                              FerryWindowFunc then)
{
  g_autofree char *dir = ferry_edit_session_cache_dir ();
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *name = NULL;
  AdwMessageDialog *dialog;
  LeaveRequest *request;
  guint n = count_unsaved (self, &name);

  if (n == 0)
    {
      then (self);
      return;
    }

  if (n == 1)
    heading = g_strdup_printf (_("The changes to “%s” were not uploaded"), name);
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u edited file was not uploaded",
                                            "%u edited files were not uploaded", n), n);
  body = g_strdup_printf (_("Ferry stops watching for changes when you leave. The edited "
                            "copies stay in %s."), dir);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "leave", closing ? _("C_lose Anyway")
                                                     : _("_Disconnect Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  request = g_new0 (LeaveRequest, 1);
  request->self = g_object_ref (self);
  request->then = then;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_leave_response), request,
                         leave_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_after_edits (FerryWindow *self)
{
  _ferry_window_edit_end_all (self);
  gtk_window_close (GTK_WINDOW (self));
}

/* From the window's close request: TRUE when it asked (and closes the window itself if
 * the user says so). */
gboolean
_ferry_window_edit_ask_close (FerryWindow *self)
{
  const char *name = NULL;

  if (count_unsaved (self, &name) == 0)
    return FALSE;

  _ferry_window_edit_ask_leave (self, TRUE, close_after_edits);
  return TRUE;
}

void
_ferry_window_sync_edit_actions (FerryWindow *self,
                                 gboolean     one_file)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-with",
                                 self->browsing && self->queue != NULL && one_file);
}

void
_ferry_window_class_add_edit_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-with", NULL, open_with_action);
  gtk_widget_class_install_action (widget_class, "win.edit-upload", "s", edit_upload_action);
  gtk_widget_class_install_action (widget_class, "win.edit-ignore", "s", edit_ignore_action);
}
