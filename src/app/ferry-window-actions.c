// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-actions.c — what the user can do with files: download, upload, new folder,
 * rename, delete, and the transfer actions. Every one is an action installed on the window's
 * class (gtk_widget_class_install_action), so the menus, the shortcuts and the tests drive
 * the same code; _ferry_window_sync_file_actions() enables them from the window's state.
 *
 *   win.download  (s)    a remote path, absolute or relative to the folder shown, into the
 *                        download folder preference (XDG Downloads when unset); a folder
 *                        of the folder shown downloads with everything beneath it
 *   win.download-to (ss) (remote path, local folder): the same into that local folder
 *   win.download-selected, win.download-selected-to   the selected rows (the latter asks
 *                        for a folder)
 *   win.upload    (s)    a local path (file or folder): uploads it into the folder shown
 *   win.upload-files     asks for files to upload
 *   win.upload-folder    asks for a folder to upload
 *   win.new-folder, win.rename, win.delete, win.open-selected
 *   win.show-progress, win.cancel-all, win.retry-failed (every failed transfer again),
 *   win.show-failed (the progress dialog at the first failed transfer)
 *   win.open-local (s), win.show-local (s)   a downloaded file's URI: open it, or show it
 *                        in the file manager (the toast buttons)
 *   win.open-with, win.edit-upload (s), win.edit-ignore (s)   editing a remote file in a
 *                        local application (ferry-window-edit.c)
 */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-file-chooser.h"
#include "ferry-launcher.h"
#include "ferry-name-dialog.h"
#include "ferry-remote-delete.h"
#include "ferry-settings.h"
#include "ferry-window-private.h"

/* Is remote_path a folder? Only the folder shown is known without asking the server. */
static gboolean
remote_path_is_folder (FerryWindow *self,
                       const char  *remote_path)
{
  g_autofree char *parent = ferry_vpath_dirname (remote_path);
  g_autofree char *name = ferry_vpath_basename (remote_path);
  FerryRemoteFile *file;

  if (g_strcmp0 (parent, self->current_path) != 0)
    return FALSE;

  file = ferry_file_list_lookup (self->file_list, name);
  return file != NULL && ferry_remote_file_is_folder (file);
}

static char *
absolute_remote_path (FerryWindow *self,
                      const char  *path)
{
  g_autofree char *joined = NULL;

  if (path[0] == '/')
    return ferry_vpath_resolve ("/", path, NULL);

  joined = _ferry_window_remote_child (self, path);
  return ferry_vpath_resolve ("/", joined, NULL);
}

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autofree char *path = absolute_remote_path (self, g_variant_get_string (parameter, NULL));

  if (path == NULL)
    return;

  _ferry_window_download (self, path, remote_path_is_folder (self, path), NULL);
}

static void
download_to_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  const char *remote;
  const char *local;
  g_autofree char *path = NULL;
  g_autoptr(GFile) folder = NULL;

  g_variant_get (parameter, "(&s&s)", &remote, &local);
  path = absolute_remote_path (self, remote);
  if (path == NULL)
    return;

  folder = g_file_new_for_commandline_arg (local);
  _ferry_window_download (self, path, remote_path_is_folder (self, path), folder);
}

static void
download_files (FerryWindow *self,
                GPtrArray   *files,
                GFile       *folder)
{
  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);

      _ferry_window_download (self, ferry_remote_file_get_path (file),
                             ferry_remote_file_is_folder (file), folder);
    }
}

static void
download_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);

  download_files (self, files, NULL);
}

typedef struct {
  FerryWindow *self;
  GPtrArray   *files;   /* FerryRemoteFile to download, or NULL for an upload */
} ChooserData;

static ChooserData *
chooser_data_new (FerryWindow *self,
                  GPtrArray   *files)
{
  ChooserData *data = g_new0 (ChooserData, 1);

  data->self = g_object_ref (self);
  data->files = files ? g_ptr_array_ref (files) : NULL;
  return data;
}

static void
chooser_data_free (ChooserData *data)
{
  g_object_unref (data->self);
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChooserData, chooser_data_free)

static void
on_download_folder_chosen (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(ChooserData) data = user_data;
  g_autoptr(GListModel) chosen = ferry_file_chooser_choose_finish (result, NULL);
  g_autoptr(GFile) folder = NULL;

  if (chosen == NULL || g_list_model_get_n_items (chosen) == 0)
    return;

  folder = g_list_model_get_item (chosen, 0);
  download_files (data->self, data->files, folder);
}

static void
download_selected_to_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);

  if (files->len == 0)
    return;

  ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FOLDER,
                                   _("Download To"), _("_Download Here"), NULL,
                                   on_download_folder_chosen, chooser_data_new (self, files));
}

static void
open_selected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);

  if (files->len == 1 && ferry_remote_file_is_folder (g_ptr_array_index (files, 0)))
    _ferry_window_load_folder (self, ferry_remote_file_get_path (g_ptr_array_index (files, 0)),
                              TRUE);
}

/* Uploads ------------------------------------------------------------------------------ */

static void
on_upload_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ChooserData) data = user_data;
  g_autoptr(GListModel) chosen = ferry_file_chooser_choose_finish (result, NULL);
  g_autoslist(GFile) files = NULL;
  guint n_items;

  if (chosen == NULL)
    return;

  n_items = g_list_model_get_n_items (chosen);
  for (guint i = n_items; i > 0; i--)
    files = g_slist_prepend (files, g_list_model_get_item (chosen, i - 1));

  _ferry_window_upload_files (data->self, files);
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) file = NULL;
  GSList files = { NULL, NULL };

  if (path[0] == '\0')
    return;

  file = g_file_new_for_commandline_arg (path);
  files.data = file;
  _ferry_window_upload_files (self, &files);
}

static void
upload_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FILES,
                                   _("Upload Files"), _("_Upload"), NULL,
                                   on_upload_chosen, chooser_data_new (self, NULL));
}

static void
upload_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FOLDER,
                                   _("Upload a Folder"), _("_Upload"), NULL,
                                   on_upload_chosen, chooser_data_new (self, NULL));
}

/* Asking for a name (new folder, rename) ----------------------------------------------- */

typedef void (*NameChosenFunc) (FerryWindow *self,
                                const char  *name,
                                gpointer     data);

typedef struct {
  FerryWindow   *self;
  NameChosenFunc func;
  gpointer       data;
  GDestroyNotify destroy;
} NameRequest;

static void
name_request_free (gpointer  user_data,
                   GClosure *closure)
{
  NameRequest *request = user_data;

  if (request->destroy != NULL)
    request->destroy (request->data);
  g_object_unref (request->self);
  g_free (request);
}

static void
on_name_response (FerryNameDialog *dialog,
                  const char      *response,
                  NameRequest     *request)
{
  if (g_strcmp0 (response, FERRY_NAME_RESPONSE_ACCEPT) == 0)
    request->func (request->self, ferry_name_dialog_get_name (dialog), request->data);
}

/* data is freed with destroy when the dialog goes. */
static void
ask_for_name (FerryWindow    *self,
              const char     *heading,
              const char     *initial,
              const char     *accept_label,
              NameChosenFunc  func,
              gpointer        data,
              GDestroyNotify  destroy)
{
  GtkWidget *dialog = ferry_name_dialog_new (GTK_WINDOW (self), heading, initial, accept_label);
  NameRequest *request = g_new0 (NameRequest, 1);

  request->self = g_object_ref (self);
  request->func = func;
  request->data = data;
  request->destroy = destroy;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_name_response), request,
                         name_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  FerryWindow *self;
  char        *name;
} NamedOperation;

static NamedOperation *
named_operation_new (FerryWindow *self,
                     const char  *name)
{
  NamedOperation *op = g_new0 (NamedOperation, 1);

  op->self = g_object_ref (self);
  op->name = g_strdup (name);
  return op;
}

static void
named_operation_free (NamedOperation *op)
{
  g_object_unref (op->self);
  g_free (op->name);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NamedOperation, named_operation_free)

static void
on_mkdir_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(NamedOperation) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_mkdir_finish (FERRY_CLIENT (source), result, &error))
    {
      g_autofree char *what = g_strdup_printf (_("Could not create “%s”"), op->name);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ferry_window_show_error_toast (op->self, what, error);
      return;
    }

  _ferry_window_refresh (op->self);
}

static void
create_folder (FerryWindow *self,
               const char  *name,
               gpointer     data)
{
  g_autofree char *path = _ferry_window_remote_child (self, name);

  ferry_client_mkdir_async (self->client, path, self->cancellable, on_mkdir_done,
                            named_operation_new (self, name));
}

static void
new_folder_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ask_for_name (self, _("New Folder"), NULL, _("C_reate"), create_folder, NULL, NULL);
}

typedef struct {
  FerryWindow *self;
  char        *from;
  char        *to;
} RenameRequest;

static RenameRequest *
rename_request_new (FerryWindow *self,
                    const char  *from,
                    const char  *to)
{
  RenameRequest *request = g_new0 (RenameRequest, 1);

  request->self = g_object_ref (self);
  request->from = g_strdup (from);
  request->to = g_strdup (to);
  return request;
}

static void
rename_request_free (RenameRequest *request)
{
  g_object_unref (request->self);
  g_free (request->from);
  g_free (request->to);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RenameRequest, rename_request_free)

static void
rename_request_closure_free (gpointer  data,
                             GClosure *closure)
{
  rename_request_free (data);
}

static void
rename_failed (RenameRequest *request,
               const GError  *error)
{
  g_autofree char *name = ferry_vpath_basename (request->from);
  g_autofree char *what = g_strdup_printf (_("Could not rename “%s”"), name);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _ferry_window_show_error_toast (request->self, what, error);
}

static void
on_rename_replaced (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RenameRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_rename_finish (FERRY_CLIENT (source), result, &error))
    rename_failed (request, error);
  _ferry_window_refresh (request->self);
}

static void
on_replace_response (AdwMessageDialog *dialog,
                     const char       *response,
                     RenameRequest    *request)
{
  FerryWindow *self = request->self;

  if (g_strcmp0 (response, "replace") != 0 || self->client == NULL)
    return;

  ferry_client_rename_async (self->client, request->from, request->to, self->cancellable,
                             on_rename_replaced,
                             rename_request_new (self, request->from, request->to));
}

/* The new name is taken: ask, as Files does, instead of replacing what is there. */
static void
ask_replace (RenameRequest *request)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *name = ferry_vpath_basename (request->to);
  g_autofree char *heading = g_strdup_printf (_("Replace “%s”?"), name);
  AdwMessageDialog *dialog;

  builder = gtk_builder_new_from_resource ("/io/github/ferryftp/Ferry/ferry-replace-dialog.ui");
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (request->self));
  adw_message_dialog_set_heading (dialog, heading);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_replace_response),
                         rename_request_new (request->self, request->from, request->to),
                         rename_request_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_rename_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RenameRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_rename_no_replace_finish (FERRY_CLIENT (source), result, &error))
    {
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS))
        ask_replace (request);
      else
        rename_failed (request, error);
      return;
    }

  _ferry_window_refresh (request->self);
}

static void
rename_file (FerryWindow *self,
             const char  *name,
             gpointer     data)
{
  FerryRemoteFile *file = data;
  g_autofree char *parent = ferry_vpath_dirname (ferry_remote_file_get_path (file));
  g_autofree char *target = g_build_path ("/", parent, name, NULL);

  ferry_client_rename_no_replace_async (self->client, ferry_remote_file_get_path (file), target,
                                        self->cancellable, on_rename_done,
                                        rename_request_new (self, ferry_remote_file_get_path (file),
                                                            target));
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);
  FerryRemoteFile *file;
  g_autofree char *heading = NULL;
  g_autofree char *shown = NULL;

  if (files->len != 1)
    return;

  file = g_ptr_array_index (files, 0);
  shown = ferry_remote_file_get_display_name (file);
  heading = g_strdup_printf (_("Rename “%s”"), shown);
  ask_for_name (self, heading, ferry_remote_file_get_name (file), _("_Rename"),
                rename_file, g_object_ref (file), g_object_unref);
}

/* Deleting ----------------------------------------------------------------------------- */

typedef struct {
  FerryWindow *self;
  guint        pending;
} DeleteBatch;

typedef struct {
  DeleteBatch     *batch;
  FerryRemoteFile *file;
} DeleteItem;

static void
on_delete_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DeleteItem *item = user_data;
  DeleteBatch *batch = item->batch;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ferry_remote_delete_finish (result, &error);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *shown = ferry_remote_file_get_display_name (item->file);
      g_autofree char *what = g_strdup_printf (_("Could not delete “%s”"), shown);
      _ferry_window_show_error_toast (batch->self, what, error);
    }

  if (--batch->pending == 0)
    {
      _ferry_window_refresh (batch->self);
      g_object_unref (batch->self);
      g_free (batch);
    }

  g_object_unref (item->file);
  g_free (item);
}

static void
delete_files (FerryWindow *self,
              GPtrArray   *files)
{
  DeleteBatch *batch;

  if (files->len == 0)
    return;

  batch = g_new0 (DeleteBatch, 1);
  batch->self = g_object_ref (self);
  batch->pending = files->len;

  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);
      DeleteItem *item = g_new0 (DeleteItem, 1);

      item->batch = batch;
      item->file = g_object_ref (file);
      ferry_remote_delete_async (self->client, ferry_remote_file_get_path (file),
                                 ferry_remote_file_is_folder (file), self->cancellable,
                                 on_delete_done, item);
    }
}

typedef struct {
  FerryWindow *self;
  GPtrArray   *files;
} DeleteRequest;

static void
delete_request_free (gpointer  user_data,
                     GClosure *closure)
{
  DeleteRequest *request = user_data;

  g_object_unref (request->self);
  g_ptr_array_unref (request->files);
  g_free (request);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteRequest    *request)
{
  if (g_strcmp0 (response, "delete") == 0)
    delete_files (request->self, request->files);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);
  g_autoptr(GtkBuilder) builder = NULL;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  DeleteRequest *request;

  if (files->len == 0)
    return;

  if (!g_settings_get_boolean (self->settings, "confirm-delete"))
    {
      delete_files (self, files);
      return;
    }

  if (files->len == 1)
    {
      g_autofree char *shown = ferry_remote_file_get_display_name (g_ptr_array_index (files, 0));

      heading = g_strdup_printf (_("Delete “%s”?"), shown);
    }
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u item?",
                                            "Delete %u items?", files->len),
                               files->len);

  builder = gtk_builder_new_from_resource ("/io/github/ferryftp/Ferry/ferry-delete-dialog.ui");
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_heading (dialog, heading);

  request = g_new0 (DeleteRequest, 1);
  request->self = g_object_ref (self);
  request->files = g_ptr_array_ref (files);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response), request,
                         delete_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Transfers ---------------------------------------------------------------------------- */

static void
show_progress_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _ferry_window_show_progress (FERRY_WINDOW (widget));
}

static void
show_failed_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _ferry_window_show_failed (FERRY_WINDOW (widget));
}

static void
cancel_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->queue != NULL)
    ferry_transfer_queue_cancel_all (self->queue);
}

static void
retry_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  guint n_items;

  if (self->queue == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_FAILED)
        ferry_transfer_queue_retry (self->queue, transfer);
    }
}

/* A local file handed to another application, for saying what went wrong. */
typedef struct {
  FerryWindow *self;
  char        *name;
} Launch;

static Launch *
launch_new (GtkWidget *widget,
            GFile     *file)
{
  Launch *launch = g_new0 (Launch, 1);

  launch->self = g_object_ref (FERRY_WINDOW (widget));
  launch->name = g_file_get_basename (file);
  return launch;
}

static void
launch_free (Launch *launch)
{
  g_object_unref (launch->self);
  g_free (launch->name);
  g_free (launch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Launch, launch_free)

static void
on_local_opened (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Launch) launch = user_data;
  g_autoptr(GError) error = NULL;

  /* No application for it, or it would not start: say so, with GIO's reason. */
  if (!ferry_launcher_open_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *what = g_strdup_printf (_("Could not open “%s”"), launch->name);

      _ferry_window_show_error_toast (launch->self, what, error);
    }
}

static void
open_local_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  ferry_launcher_open_async (GTK_WINDOW (widget), file, NULL, on_local_opened,
                             launch_new (widget, file));
}

static void
on_local_shown (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Launch) launch = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_launcher_show_in_folder_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *what = g_strdup_printf (_("Could not show “%s” in its folder"),
                                               launch->name);

      _ferry_window_show_error_toast (launch->self, what, error);
    }
}

static void
show_local_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  ferry_launcher_show_in_folder_async (GTK_WINDOW (widget), file, NULL, on_local_shown,
                                       launch_new (widget, file));
}

/* Enables what the window's state and the selection allow. */
void
_ferry_window_sync_file_actions (FerryWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GPtrArray) selected = ferry_file_list_get_selected_files (self->file_list);
  gboolean browsing = self->browsing;
  gboolean one = selected->len == 1;
  gboolean one_folder = one && ferry_remote_file_is_folder (g_ptr_array_index (selected, 0));

  gtk_widget_action_set_enabled (widget, "win.download", browsing);
  gtk_widget_action_set_enabled (widget, "win.download-to", browsing);
  gtk_widget_action_set_enabled (widget, "win.upload", browsing);
  gtk_widget_action_set_enabled (widget, "win.upload-files", browsing);
  gtk_widget_action_set_enabled (widget, "win.upload-folder", browsing);
  gtk_widget_action_set_enabled (widget, "win.new-folder", browsing);
  gtk_widget_action_set_enabled (widget, "win.open-selected", browsing && one_folder);
  gtk_widget_action_set_enabled (widget, "win.download-selected", browsing && selected->len > 0);
  gtk_widget_action_set_enabled (widget, "win.download-selected-to",
                                 browsing && selected->len > 0);
  gtk_widget_action_set_enabled (widget, "win.rename", browsing && one);
  gtk_widget_action_set_enabled (widget, "win.delete", browsing && selected->len > 0);
  _ferry_window_sync_edit_actions (self, one && !one_folder);
}

void
_ferry_window_class_add_file_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.download", "s", download_action);
  gtk_widget_class_install_action (widget_class, "win.download-to", "(ss)", download_to_action);
  gtk_widget_class_install_action (widget_class, "win.download-selected", NULL,
                                   download_selected_action);
  gtk_widget_class_install_action (widget_class, "win.download-selected-to", NULL,
                                   download_selected_to_action);
  gtk_widget_class_install_action (widget_class, "win.open-selected", NULL, open_selected_action);
  gtk_widget_class_install_action (widget_class, "win.upload", "s", upload_action);
  gtk_widget_class_install_action (widget_class, "win.upload-files", NULL, upload_files_action);
  gtk_widget_class_install_action (widget_class, "win.upload-folder", NULL, upload_folder_action);
  gtk_widget_class_install_action (widget_class, "win.new-folder", NULL, new_folder_action);
  gtk_widget_class_install_action (widget_class, "win.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.show-progress", NULL, show_progress_action);
  gtk_widget_class_install_action (widget_class, "win.show-failed", NULL, show_failed_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-all", NULL, cancel_all_action);
  gtk_widget_class_install_action (widget_class, "win.retry-failed", NULL, retry_failed_action);
  gtk_widget_class_install_action (widget_class, "win.open-local", "s", open_local_action);
  gtk_widget_class_install_action (widget_class, "win.show-local", "s", show_local_action);
  _ferry_window_class_add_edit_actions (widget_class);
}
