// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-actions.c — what the user can do with files: download, upload, new folder,
 * rename, delete, and the transfer actions. Every one is a GAction of the window, so the
 * menus, the shortcuts, the tests and D-Bus (org.gtk.Actions on the window's object path,
 * /io/github/ferryftp/Ferry/window/ID) all drive the same code.
 *
 *   win.download  (s)    a remote path, absolute or relative to the folder shown, into the
 *                        download folder preference (XDG Downloads when unset); a folder
 *                        of the folder shown downloads with everything beneath it
 *   win.download-to (ss) (remote path, local folder): the same into that local folder
 *   win.download-selected, win.download-selected-to   the selected rows (the latter asks
 *                        for a folder)
 *   win.upload    (s)    '' asks for files; a local path (file or folder) uploads it into
 *                        the folder shown
 *   win.upload-folder    asks for a folder to upload
 *   win.new-folder, win.rename, win.delete, win.open-selected
 *   win.show-progress, win.cancel-all
 *   win.open-local (s), win.show-local (s)   a downloaded file's URI: open it, or show it
 *                        in the file manager (the toast buttons)
 */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-file-chooser.h"
#include "ferry-launcher.h"
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

  joined = ferry_window_remote_child (self, path);
  return ferry_vpath_resolve ("/", joined, NULL);
}

static void
download_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  g_autofree char *path = absolute_remote_path (self, g_variant_get_string (parameter, NULL));

  if (path == NULL)
    return;

  ferry_window_download (self, path, remote_path_is_folder (self, path), NULL);
}

static void
download_to_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  const char *remote;
  const char *local;
  g_autofree char *path = NULL;
  g_autoptr(GFile) folder = NULL;

  g_variant_get (parameter, "(&s&s)", &remote, &local);
  path = absolute_remote_path (self, remote);
  if (path == NULL)
    return;

  folder = g_file_new_for_commandline_arg (local);
  ferry_window_download (self, path, remote_path_is_folder (self, path), folder);
}

static void
download_files (FerryWindow *self,
                GPtrArray   *files,
                GFile       *folder)
{
  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);

      ferry_window_download (self, ferry_remote_file_get_path (file),
                             ferry_remote_file_is_folder (file), folder);
    }
}

static void
download_selected_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
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
download_selected_to_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);

  if (files->len == 0)
    return;

  ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FOLDER,
                                   _("Download To"), _("_Download Here"), NULL,
                                   on_download_folder_chosen, chooser_data_new (self, files));
}

static void
open_selected_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);

  if (files->len == 1 && ferry_remote_file_is_folder (g_ptr_array_index (files, 0)))
    ferry_window_load_folder (self, ferry_remote_file_get_path (g_ptr_array_index (files, 0)),
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

  ferry_window_upload_files (data->self, files);
}

static void
upload_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) file = NULL;
  GSList files = { NULL, NULL };

  if (path[0] == '\0')
    {
      ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FILES,
                                       _("Upload Files"), _("_Upload"), NULL,
                                       on_upload_chosen, chooser_data_new (self, NULL));
      return;
    }

  file = g_file_new_for_commandline_arg (path);
  files.data = file;
  ferry_window_upload_files (self, &files);
}

static void
upload_folder_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);

  ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FOLDER,
                                   _("Upload a Folder"), _("_Upload"), NULL,
                                   on_upload_chosen, chooser_data_new (self, NULL));
}

/* Asking for a name (new folder, rename) ----------------------------------------------- */

typedef void (*NameChosenFunc) (FerryWindow *self,
                                const char  *name,
                                gpointer     data);

static gboolean
name_is_acceptable (const char *name,
                    const char *unchanged)
{
  return name[0] != '\0' && strchr (name, '/') == NULL &&
         g_strcmp0 (name, ".") != 0 && g_strcmp0 (name, "..") != 0 &&
         g_strcmp0 (name, unchanged) != 0;
}

static void
on_name_changed (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  const char *unchanged = g_object_get_data (G_OBJECT (dialog), "ferry-unchanged");

  adw_message_dialog_set_response_enabled (dialog, "accept",
                                           name_is_acceptable (gtk_editable_get_text (entry),
                                                               unchanged));
}

static void
on_name_entry_activate (GtkEntry         *entry,
                        AdwMessageDialog *dialog)
{
  const char *unchanged = g_object_get_data (G_OBJECT (dialog), "ferry-unchanged");

  if (name_is_acceptable (gtk_editable_get_text (GTK_EDITABLE (entry)), unchanged))
    adw_message_dialog_response (dialog, "accept");
}

typedef struct {
  NameChosenFunc func;
  gpointer       data;
  GDestroyNotify destroy;
} NameRequest;

static void
name_request_free (NameRequest *request)
{
  if (request->destroy != NULL)
    request->destroy (request->data);
  g_free (request);
}

static void
on_name_response (AdwMessageDialog *dialog,
                  const char       *response,
                  FerryWindow      *self)
{
  NameRequest *request = g_object_get_data (G_OBJECT (dialog), "ferry-request");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "accept") == 0)
    request->func (self, gtk_editable_get_text (entry), request->data);
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
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  GtkWidget *entry = gtk_entry_new ();
  NameRequest *request = g_new0 (NameRequest, 1);
  const char *dot;

  gtk_editable_set_text (GTK_EDITABLE (entry), initial ? initial : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "accept", accept_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "accept",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "accept");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "accept", FALSE);

  g_object_set_data_full (G_OBJECT (dialog), "ferry-unchanged", g_strdup (initial), g_free);
  request->func = func;
  request->data = data;
  request->destroy = destroy;
  g_object_set_data_full (G_OBJECT (dialog), "ferry-request", request,
                          (GDestroyNotify) name_request_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_name_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (on_name_entry_activate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_name_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  /* Select the name without its extension, as Files does. */
  gtk_widget_grab_focus (entry);
  dot = initial ? strrchr (initial, '.') : NULL;
  gtk_editable_select_region (GTK_EDITABLE (entry), 0,
                              dot && dot != initial ? (int) g_utf8_pointer_to_offset (initial, dot)
                                                    : -1);
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
        ferry_window_show_error_toast (op->self, what, error);
      return;
    }

  ferry_window_refresh (op->self);
}

static void
create_folder (FerryWindow *self,
               const char  *name,
               gpointer     data)
{
  g_autofree char *path = ferry_window_remote_child (self, name);

  ferry_client_mkdir_async (self->client, path, self->cancellable, on_mkdir_done,
                            named_operation_new (self, name));
}

static void
new_folder_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);

  ask_for_name (self, _("New Folder"), "", _("C_reate"), create_folder, NULL, NULL);
}

static void
on_rename_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NamedOperation) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_rename_finish (FERRY_CLIENT (source), result, &error))
    {
      g_autofree char *what = g_strdup_printf (_("Could not rename “%s”"), op->name);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ferry_window_show_error_toast (op->self, what, error);
      return;
    }

  ferry_window_refresh (op->self);
}

static void
rename_file (FerryWindow *self,
             const char  *name,
             gpointer     data)
{
  FerryRemoteFile *file = data;
  g_autofree char *parent = ferry_vpath_dirname (ferry_remote_file_get_path (file));
  g_autofree char *target = g_build_path ("/", parent, name, NULL);

  ferry_client_rename_async (self->client, ferry_remote_file_get_path (file), target,
                             self->cancellable, on_rename_done,
                             named_operation_new (self, ferry_remote_file_get_name (file)));
}

static void
rename_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);
  FerryRemoteFile *file;
  g_autofree char *heading = NULL;

  if (files->len != 1)
    return;

  file = g_ptr_array_index (files, 0);
  heading = g_strdup_printf (_("Rename “%s”"), ferry_remote_file_get_name (file));
  ask_for_name (self, heading, ferry_remote_file_get_name (file), _("_Rename"),
                rename_file, g_object_ref (file), g_object_unref);
}

/* Deleting ----------------------------------------------------------------------------- */

typedef struct {
  FerryWindow *self;
  guint        pending;
} DeleteBatch;

static void
on_delete_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FerryRemoteFile *file = user_data;
  DeleteBatch *batch = g_object_get_data (G_OBJECT (file), "ferry-delete-batch");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ferry_remote_delete_finish (result, &error);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *what = g_strdup_printf (_("Could not delete “%s”"),
                                               ferry_remote_file_get_name (file));
      ferry_window_show_error_toast (batch->self, what, error);
    }

  if (--batch->pending == 0)
    {
      ferry_window_refresh (batch->self);
      g_object_unref (batch->self);
      g_free (batch);
    }

  g_object_set_data (G_OBJECT (file), "ferry-delete-batch", NULL);
  g_object_unref (file);
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

      g_object_set_data (G_OBJECT (file), "ferry-delete-batch", batch);
      ferry_remote_delete_async (self->client, ferry_remote_file_get_path (file),
                                 ferry_remote_file_is_folder (file), self->cancellable,
                                 on_delete_done, g_object_ref (file));
    }
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    FerryWindow      *self)
{
  GPtrArray *files = g_object_get_data (G_OBJECT (dialog), "ferry-files");

  if (g_strcmp0 (response, "delete") == 0)
    delete_files (self, files);
}

static void
delete_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (files->len == 0)
    return;

  if (!g_settings_get_boolean (self->settings, "confirm-delete"))
    {
      delete_files (self, files);
      return;
    }

  if (files->len == 1)
    heading = g_strdup_printf (_("Delete “%s”?"),
                               ferry_remote_file_get_name (g_ptr_array_index (files, 0)));
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u item?",
                                            "Delete %u items?", files->len),
                               files->len);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Deleted items are gone from the server for good, folders with everything in them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ferry-files", g_ptr_array_ref (files),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Transfers ---------------------------------------------------------------------------- */

static void
show_progress_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ferry_window_show_progress (FERRY_WINDOW (user_data));
}

static void
cancel_all_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);

  if (self->queue != NULL)
    ferry_transfer_queue_cancel_all (self->queue);
}

static void
open_local_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  ferry_launcher_open (GTK_WINDOW (user_data), file);
}

static void
show_local_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  ferry_launcher_show_in_folder (GTK_WINDOW (user_data), file);
}

/* Window actions live in the window's GActionMap rather than in its class, because
 * GtkApplicationWindow exports only that map on D-Bus. */
static const GActionEntry file_actions[] = {
  { "download", download_action, "s", NULL, NULL, { 0 } },
  { "download-to", download_to_action, "(ss)", NULL, NULL, { 0 } },
  { "download-selected", download_selected_action, NULL, NULL, NULL, { 0 } },
  { "download-selected-to", download_selected_to_action, NULL, NULL, NULL, { 0 } },
  { "open-selected", open_selected_action, NULL, NULL, NULL, { 0 } },
  { "upload", upload_action, "s", NULL, NULL, { 0 } },
  { "upload-folder", upload_folder_action, NULL, NULL, NULL, { 0 } },
  { "new-folder", new_folder_action, NULL, NULL, NULL, { 0 } },
  { "rename", rename_action, NULL, NULL, NULL, { 0 } },
  { "delete", delete_action, NULL, NULL, NULL, { 0 } },
  { "show-progress", show_progress_action, NULL, NULL, NULL, { 0 } },
  { "cancel-all", cancel_all_action, NULL, NULL, NULL, { 0 } },
  { "open-local", open_local_action, "s", NULL, NULL, { 0 } },
  { "show-local", show_local_action, "s", NULL, NULL, { 0 } },
};

void
ferry_window_actions_init (FerryWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), file_actions,
                                   G_N_ELEMENTS (file_actions), self);
}
