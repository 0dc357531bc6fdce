// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-transfers.c — the window's side of transfers: starting downloads and
 * uploads, the progress indicator in the header bar, name clashes, and telling the user
 * when something finished.
 *
 * Transfers start with the conflict policy ERROR unless the user answered "apply to all"
 * before: the engine then fails a clash with FERRY_CLIENT_ERROR_EXISTS without touching
 * anything, the window asks (one dialog at a time) and retries with the answer. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-background-portal.h"
#include "ferry-background-transfers.h"
#include "ferry-conflict-dialog.h"
#include "ferry-settings.h"
#include "ferry-window-private.h"

static void ferry_window_ask_next_conflict (FerryWindow *self);

/* Counted only once everything has stopped, so a long list is not walked per progress step. */
static guint
count_failed (FerryTransferQueue *queue)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (queue));
  guint n_failed = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_FAILED)
        n_failed++;
    }
  return n_failed;
}

static void
update_progress_indicator (FerryWindow *self)
{
  gint64 total;
  gint64 done;
  g_autofree char *tooltip = NULL;
  guint n_failed;

  _ferry_window_sync_state (self);
  if (self->queue == NULL)
    return;

  total = ferry_transfer_queue_get_total (self->queue);
  done = ferry_transfer_queue_get_bytes_done (self->queue);

  if (ferry_transfer_queue_get_n_active (self->queue) > 0)
    {
      ferry_progress_icon_set_finished (self->progress_icon, FALSE, 0);
      ferry_progress_icon_set_fraction (self->progress_icon,
                                        total > 0 ? (double) done / (double) total : 0.0);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_button), _("Show Transfers"));
      return;
    }

  n_failed = count_failed (self->queue);
  ferry_progress_icon_set_fraction (self->progress_icon, 1.0);
  ferry_progress_icon_set_finished (self->progress_icon, TRUE, n_failed);
  if (n_failed > 0)
    tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Show Transfers — %u failed",
                                            "Show Transfers — %u failed", n_failed), n_failed);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_button),
                               tooltip != NULL ? tooltip : _("Show Transfers"));
}

static void
send_notification (FerryWindow *self,
                   const char  *title,
                   const char  *body)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL)
    return;

  notification = g_notification_new (title);
  /* Without a default action, clicking the notification raises the app. */
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "transfer-complete", notification);
}

/* A toast title with a button of its own beside it (an AdwToast has one button). */
static GtkWidget *
toast_title_with_button (const char *title,
                         const char *button_label,
                         const char *action,
                         GVariant   *target)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static void
toast_downloaded (FerryWindow   *self,
                  FerryTransfer *transfer)
{
  GFile *local = ferry_transfer_get_local_file (transfer);
  g_autofree char *uri = g_file_get_uri (local);
  g_autofree char *name = g_file_get_basename (local);
  g_autofree char *title = g_strdup_printf (_("Downloaded “%s”"), name);
  AdwToast *toast = adw_toast_new ("");

  /* Two buttons: the toast's own for Show in Folder, one in the title for Open. */
  adw_toast_set_custom_title (toast, toast_title_with_button (title, _("_Open"),
                                                             "win.open-local",
                                                             g_variant_new_string (uri)));
  adw_toast_set_button_label (toast, _("_Show in Folder"));
  adw_toast_set_action_name (toast, "win.show-local");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  _ferry_window_add_toast (self, toast, title);
}

/* One transfer ended alone: say which, with what can be done with it. */
static void
tell_one (FerryWindow   *self,
          FerryTransfer *transfer)
{
  gboolean download = ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD;
  g_autofree char *title = NULL;

  switch (ferry_transfer_get_state (transfer))
    {
    case FERRY_TRANSFER_DONE:
      /* An edited file's copy: the application opening it says enough. */
      if (download && _ferry_window_edit_owns (self, transfer))
        break;
      if (download && ferry_transfer_get_conflict_policy (transfer) != FERRY_CONFLICT_SKIP)
        toast_downloaded (self, transfer);
      else if (!download)
        {
          title = g_strdup_printf (_("Uploaded “%s”"), ferry_transfer_get_name (transfer));
          _ferry_window_show_toast (self, title);
        }
      if (!gtk_window_is_active (GTK_WINDOW (self)))
        {
          g_autofree char *body = g_strdup_printf (download ? _("“%s” was downloaded")
                                                            : _("“%s” was uploaded"),
                                                   ferry_transfer_get_name (transfer));
          send_notification (self, download ? _("Download Complete") : _("Upload Complete"),
                             body);
        }
      break;

    case FERRY_TRANSFER_FAILED:
      title = g_strdup_printf (download ? _("Could not download “%s”")
                                        : _("Could not upload “%s”"),
                               ferry_transfer_get_name (transfer));
      _ferry_window_show_error_toast (self, title, ferry_transfer_get_error (transfer));
      break;

    case FERRY_TRANSFER_CANCELLED:
    case FERRY_TRANSFER_QUEUED:
    case FERRY_TRANSFER_RUNNING:
    default:
      break;
    }
}

/* A batch ended: one toast for all of it, never one per file. */
static void
tell_batch (FerryWindow *self)
{
  guint n_ended = self->batch_done + self->batch_failed + self->batch_cancelled;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (n_ended == 1 && self->batch_last != NULL)
    {
      tell_one (self, self->batch_last);
      return;
    }
  if (self->batch_done + self->batch_failed == 0)
    return;   /* only cancelled: the user knows */

  if (self->batch_failed > 0)
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u transfers failed",
                                            "%u of %u transfers failed", n_ended),
                               self->batch_failed, n_ended);
      toast = adw_toast_new ("");
      /* Two buttons: Show (in the title) opens the list at the first failure, the toast's
       * own retries them all. */
      adw_toast_set_custom_title (toast, toast_title_with_button (title, _("_Show"),
                                                                 "win.show-failed", NULL));
      adw_toast_set_button_label (toast, _("_Retry All"));
      adw_toast_set_action_name (toast, "win.retry-failed");
      adw_toast_set_timeout (toast, 0);
    }
  else
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer finished",
                                            "%u transfers finished", self->batch_done),
                               self->batch_done);
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Show"));
      adw_toast_set_action_name (toast, "win.show-progress");
    }
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  _ferry_window_add_toast (self, toast, title);

  if (!gtk_window_is_active (GTK_WINDOW (self)))
    send_notification (self, self->batch_failed > 0 ? _("Some Transfers Failed")
                                                    : _("Transfers Complete"), title);
}

static gboolean
remote_parent_is_shown (FerryWindow   *self,
                        FerryTransfer *transfer)
{
  g_autofree char *parent = ferry_vpath_dirname (ferry_transfer_get_remote_path (transfer));

  return g_strcmp0 (parent, self->current_path) == 0;
}

static void
on_transfer_finished (FerryWindow        *self,
                      FerryTransfer      *transfer,
                      FerryTransferQueue *queue)
{
  gboolean download = ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD;
  const GError *error = ferry_transfer_get_error (transfer);

  switch (ferry_transfer_get_state (transfer))
    {
    case FERRY_TRANSFER_DONE:
      self->batch_done++;
      break;

    case FERRY_TRANSFER_FAILED:
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS))
        {
          g_queue_push_tail (&self->conflicts, g_object_ref (transfer));
          ferry_window_ask_next_conflict (self);
          update_progress_indicator (self);
          return;
        }
      self->batch_failed++;
      break;

    case FERRY_TRANSFER_CANCELLED:
      self->batch_cancelled++;
      break;

    case FERRY_TRANSFER_QUEUED:
    case FERRY_TRANSFER_RUNNING:
    default:
      break;
    }

  /* A finished or half-written upload: the folder shown may have changed. */
  if (!download && remote_parent_is_shown (self, transfer))
    self->batch_uploaded_here = TRUE;
  g_set_object (&self->batch_last, transfer);

  if (ferry_transfer_queue_get_n_active (queue) == 0)
    {
      tell_batch (self);
      if (self->batch_uploaded_here)
        _ferry_window_refresh (self);
      self->batch_done = self->batch_failed = self->batch_cancelled = 0;
      self->batch_uploaded_here = FALSE;
      g_clear_object (&self->batch_last);
    }

  update_progress_indicator (self);
}

/* Inside a folder transfer: the clash is with one of its files, not the folder itself. */
static gboolean
clash_is_inside (FerryTransfer *transfer)
{
  const char *path = ferry_transfer_get_conflict_path (transfer);

  return path != NULL && g_strcmp0 (path, ferry_transfer_get_remote_path (transfer)) != 0;
}

static void
on_conflict_response (FerryConflictDialog *dialog,
                      const char          *response,
                      FerryWindow         *self)
{
  g_autoptr(FerryTransfer) transfer = g_queue_pop_head (&self->conflicts);
  const char *path = transfer ? ferry_transfer_get_conflict_path (transfer) : NULL;
  FerryConflictPolicy policy;

  self->conflict_dialog = NULL;
  if (self->queue == NULL || transfer == NULL)
    return;

  /* Cancel: no more questions; whatever still waits for an answer stays as it is. */
  if (g_strcmp0 (response, FERRY_CONFLICT_RESPONSE_CANCEL) == 0)
    {
      g_queue_clear_full (&self->conflicts, g_object_unref);
      return;
    }

  /* Merge: into the folder that is there, asking about each file in both. */
  if (g_strcmp0 (response, FERRY_CONFLICT_RESPONSE_MERGE) == 0 && path != NULL)
    {
      ferry_transfer_set_path_policy (transfer, path, FERRY_CONFLICT_MERGE);
      ferry_transfer_queue_retry (self->queue, transfer);
      ferry_window_ask_next_conflict (self);
      return;
    }

  if (g_strcmp0 (response, FERRY_CONFLICT_RESPONSE_REPLACE) == 0)
    policy = FERRY_CONFLICT_REPLACE;
  else if (g_strcmp0 (response, FERRY_CONFLICT_RESPONSE_KEEP_BOTH) == 0)
    policy = FERRY_CONFLICT_KEEP_BOTH;
  else
    policy = FERRY_CONFLICT_SKIP;

  if (ferry_conflict_dialog_get_apply_to_all (dialog))
    self->conflict_policy = policy;

  if (clash_is_inside (transfer))
    {
      /* One file of a folder: the answer is for that file (or, applied to all, for the
       * rest of the folder too); the folder goes on either way. */
      ferry_transfer_set_path_policy (transfer, path, policy);
      if (ferry_conflict_dialog_get_apply_to_all (dialog))
        ferry_transfer_set_conflict_policy (transfer, policy);
      ferry_transfer_queue_retry (self->queue, transfer);
    }
  /* Skipping a file needs no second round trip: the transfer simply stays as it failed. */
  else if (policy != FERRY_CONFLICT_SKIP)
    {
      ferry_transfer_set_conflict_policy (transfer, policy);
      ferry_transfer_queue_retry (self->queue, transfer);
    }

  /* With "apply to all" the clashes already waiting get the same answer. */
  while (self->conflict_policy != FERRY_CONFLICT_ERROR && !g_queue_is_empty (&self->conflicts))
    {
      g_autoptr(FerryTransfer) next = g_queue_pop_head (&self->conflicts);

      if (self->conflict_policy != FERRY_CONFLICT_SKIP || clash_is_inside (next))
        {
          ferry_transfer_set_conflict_policy (next, self->conflict_policy);
          ferry_transfer_queue_retry (self->queue, next);
        }
    }

  ferry_window_ask_next_conflict (self);
}

static void
ferry_window_ask_next_conflict (FerryWindow *self)
{
  FerryTransfer *transfer;
  const char *path;
  g_autofree char *name = NULL;
  gboolean upload;

  if (self->conflict_dialog != NULL || g_queue_is_empty (&self->conflicts))
    return;

  transfer = g_queue_peek_head (&self->conflicts);
  path = ferry_transfer_get_conflict_path (transfer);
  name = path != NULL ? ferry_vpath_basename (path) : g_strdup (ferry_transfer_get_name (transfer));
  upload = ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_UPLOAD;
  if (ferry_transfer_get_conflict_is_folder (transfer))
    self->conflict_dialog = ferry_conflict_dialog_new_folder (GTK_WINDOW (self), name, upload);
  else
    {
      self->conflict_dialog =
        ferry_conflict_dialog_new (GTK_WINDOW (self), name, upload,
                                   g_queue_get_length (&self->conflicts) - 1 +
                                   ferry_transfer_queue_get_n_active (self->queue) +
                                   (clash_is_inside (transfer) ? 1 : 0));
      ferry_conflict_dialog_load_facts (FERRY_CONFLICT_DIALOG (self->conflict_dialog),
                                        self->client, path,
                                        ferry_transfer_get_conflict_local (transfer));
    }
  g_signal_connect_object (self->conflict_dialog, "response",
                           G_CALLBACK (on_conflict_response), self, 0);
  gtk_window_present (GTK_WINDOW (self->conflict_dialog));
}

static void
ferry_window_add_transfer (FerryWindow   *self,
                           FerryTransfer *transfer)
{
  ferry_transfer_set_conflict_policy (transfer, self->conflict_policy);
  ferry_transfer_queue_add (self->queue, transfer);
  update_progress_indicator (self);
}

/* Starts a download of remote_path into folder (NULL: the download folder preference).
 * Returns the transfer, owned by the queue, or NULL when not connected. */
FerryTransfer *
_ferry_window_download (FerryWindow *self,
                       const char  *remote_path,
                       gboolean     is_folder,
                       GFile       *folder)
{
  g_autoptr(GFile) destination = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;

  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);

  if (self->queue == NULL)
    return NULL;

  destination = folder ? g_object_ref (folder)
                       : ferry_settings_get_download_folder (self->settings);
  transfer = ferry_transfer_new_download (remote_path, is_folder, destination, NULL);
  ferry_window_add_transfer (self, transfer);

  return transfer;
}

/* Uploads each local file or folder (recursively) into the folder shown. */
void
_ferry_window_upload_files (FerryWindow *self,
                           GSList      *files)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (self->queue == NULL || self->current_path == NULL)
    return;

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *name = g_file_get_basename (l->data);
      g_autofree char *remote = NULL;
      g_autoptr(FerryTransfer) transfer = NULL;

      if (name == NULL || g_strcmp0 (name, "/") == 0)
        continue;

      remote = _ferry_window_remote_child (self, name);
      transfer = ferry_transfer_new_upload (l->data, remote);
      ferry_window_add_transfer (self, transfer);
    }
}

/* The progress dialog, scrolled to the first transfer that failed. */
void
_ferry_window_show_failed (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  _ferry_window_show_progress (self);
  ferry_progress_dialog_show_first_failed (self->progress_dialog);
}

void
_ferry_window_show_progress (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (self->progress_dialog == NULL)
    {
      self->progress_dialog = ferry_progress_dialog_new (GTK_WINDOW (self));
      g_object_add_weak_pointer (G_OBJECT (self->progress_dialog),
                                 (gpointer *) &self->progress_dialog);
      ferry_progress_dialog_set_queue (self->progress_dialog, self->queue);
    }

  gtk_window_present (GTK_WINDOW (self->progress_dialog));
}

static gboolean
same_server (const FerryUrl *a,
             const FerryUrl *b)
{
  return a != NULL && b != NULL && g_strcmp0 (a->host, b->host) == 0 && a->port == b->port &&
         g_strcmp0 (a->user, b->user) == 0 && a->tls_mode == b->tls_mode;
}

/* After logging in. The queue has connections of its own: on the same server (Reconnect)
 * it stays, with its finished and failed rows; for another server, what still runs goes on
 * in the background. */
void
_ferry_window_transfers_start (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (self->client != NULL);

  if (self->queue != NULL && same_server (self->queue_server, self->server))
    {
      update_progress_indicator (self);
      return;
    }

  if (_ferry_window_transfers_running (self))
    _ferry_window_transfers_detach (self);
  else
    _ferry_window_transfers_stop (self);

  self->queue = ferry_transfer_queue_new (self->client);
  self->queue_server = ferry_url_copy (self->server);
  g_settings_bind (self->settings, "parallel-transfers", self->queue, "max-parallel",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->queue, "transfer-finished",
                           G_CALLBACK (on_transfer_finished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::bytes-done",
                           G_CALLBACK (update_progress_indicator), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::n-active",
                           G_CALLBACK (update_progress_indicator), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "items-changed",
                           G_CALLBACK (update_progress_indicator), self, G_CONNECT_SWAPPED);

  if (self->progress_dialog != NULL)
    ferry_progress_dialog_set_queue (self->progress_dialog, self->queue);

  self->conflict_policy = FERRY_CONFLICT_ERROR;
  update_progress_indicator (self);
}

/* Lets go of the queue without touching its transfers. */
static FerryTransferQueue *
ferry_window_release_queue (FerryWindow *self)
{
  FerryTransferQueue *queue = g_steal_pointer (&self->queue);

  self->batch_done = self->batch_failed = self->batch_cancelled = 0;
  self->batch_uploaded_here = FALSE;
  g_clear_object (&self->batch_last);
  g_queue_clear_full (&self->conflicts, g_object_unref);
  if (self->conflict_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->conflict_dialog)));
  g_clear_pointer (&self->queue_server, ferry_url_free);

  if (queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (queue, self);
      g_settings_unbind (queue, "max-parallel");
    }

  if (self->progress_dialog != NULL)
    ferry_progress_dialog_set_queue (self->progress_dialog, NULL);

  update_progress_indicator (self);
  return queue;
}

/* Cancels every transfer and forgets the queue (disconnect, closing). */
void
_ferry_window_transfers_stop (FerryWindow *self)
{
  g_autoptr(FerryTransferQueue) queue = NULL;

  g_return_if_fail (FERRY_IS_WINDOW (self));

  queue = ferry_window_release_queue (self);
  if (queue != NULL)
    ferry_transfer_queue_cancel_all (queue);
}

/* Hands the queue to ferry-background-transfers.c: what runs goes on without the window. */
void
_ferry_window_transfers_detach (FerryWindow *self)
{
  g_autoptr(FerryTransferQueue) queue = NULL;

  g_return_if_fail (FERRY_IS_WINDOW (self));

  queue = ferry_window_release_queue (self);
  if (queue != NULL)
    ferry_background_transfers_adopt (queue);
}

gboolean
_ferry_window_transfers_running (FerryWindow *self)
{
  return self->queue != NULL && ferry_transfer_queue_get_n_active (self->queue) > 0;
}

typedef struct {
  FerryWindow           *self;
  FerryWindowRunningFunc then;
} RunningRequest;

static void
running_request_free (gpointer  data,
                      GClosure *closure)
{
  RunningRequest *request = data;

  g_object_unref (request->self);
  g_free (request);
}

/* Keep Running in a sandbox: only with the Background portal's leave; refused, the window
 * stays and says why (ferry-background-portal.c). */
static void
on_background_answer (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RunningRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (ferry_background_portal_request_finish (result, &error))
    request->then (request->self, TRUE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _ferry_window_show_toast (request->self, error->message);
  running_request_free (request, NULL);
}

static void
on_running_response (AdwMessageDialog *dialog,
                     const char       *response,
                     RunningRequest   *request)
{
  RunningRequest *copy;

  if (g_strcmp0 (response, "stop") == 0)
    request->then (request->self, FALSE);
  else if (g_strcmp0 (response, "keep") == 0 && !ferry_background_portal_needed ())
    request->then (request->self, TRUE);
  else if (g_strcmp0 (response, "keep") == 0)
    {
      copy = g_new0 (RunningRequest, 1);
      copy->self = g_object_ref (request->self);
      copy->then = request->then;
      ferry_background_portal_request_async (GTK_WINDOW (request->self),
                                             _("Ferry finishes the transfers you kept "
                                               "running"),
                                             NULL, on_background_answer, copy);
    }
}

/* Before leaving the server or closing: with transfers running, asks whether to stop them
 * or keep them running. */
void
_ferry_window_ask_running (FerryWindow           *self,
                           FerryWindowRunningFunc then)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  RunningRequest *request;
  guint n_active;

  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (!_ferry_window_transfers_running (self))
    {
      then (self, FALSE);
      return;
    }

  n_active = ferry_transfer_queue_get_n_active (self->queue);
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer is running",
                                          "%u transfers are running", n_active),
                             n_active);
  builder = gtk_builder_new_from_resource ("/io/github/ferryftp/Ferry/ferry-running-dialog.ui");
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_heading (dialog, heading);

  request = g_new0 (RunningRequest, 1);
  request->self = g_object_ref (self);
  request->then = then;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_running_response), request,
                         running_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
