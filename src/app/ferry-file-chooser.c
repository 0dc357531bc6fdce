// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-file-chooser.c — pick local files or a folder.
 *
 * GtkFileChooserNative is deprecated from GTK 4.10, where GtkFileDialog replaces it; the
 * Flatpak runtime is newer than Debian's 4.8, so both are compiled in by version. The result
 * is always a GListModel of GFile, or G_IO_ERROR_CANCELLED when the user backs out. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include <glib/gi18n.h>

#include "ferry-file-chooser.h"

#if GTK_CHECK_VERSION (4, 10, 0)

static void
on_dialog_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryChooseMode mode = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  GListModel *files = NULL;

  if (mode == FERRY_CHOOSE_FOLDER)
    {
      g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (source),
                                                                      result, &error);
      if (folder != NULL)
        {
          GListStore *store = g_list_store_new (G_TYPE_FILE);

          g_list_store_append (store, folder);
          files = G_LIST_MODEL (store);
        }
    }
  else
    files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, &error);

  if (files == NULL)
    {
      if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) ||
          g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                                 _("No file was chosen"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, files, g_object_unref);
}

void
ferry_file_chooser_choose_async (GtkWindow          *parent,
                                 FerryChooseMode     mode,
                                 const char         *title,
                                 const char         *accept_label,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_file_chooser_choose_async));

  g_task_set_task_data (task, GINT_TO_POINTER (mode), NULL);
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_accept_label (dialog, accept_label);
  gtk_file_dialog_set_modal (dialog, TRUE);

  if (mode == FERRY_CHOOSE_FOLDER)
    gtk_file_dialog_select_folder (dialog, parent, cancellable, on_dialog_done, task);
  else
    gtk_file_dialog_open_multiple (dialog, parent, cancellable, on_dialog_done, task);
}

#else

static void
on_native_response (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    g_task_return_pointer (task, gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native)),
                           g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("No file was chosen"));

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

void
ferry_file_chooser_choose_async (GtkWindow          *parent,
                                 FerryChooseMode     mode,
                                 const char         *title,
                                 const char         *accept_label,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  GtkFileChooserAction action = mode == FERRY_CHOOSE_FOLDER
                                ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                : GTK_FILE_CHOOSER_ACTION_OPEN;
  GtkFileChooserNative *native;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_file_chooser_choose_async));

  native = gtk_file_chooser_native_new (title, parent, action, accept_label, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), mode == FERRY_CHOOSE_FILES);
  g_signal_connect (native, "response", G_CALLBACK (on_native_response), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

#endif

GListModel *
ferry_file_chooser_choose_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_file_chooser_choose_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
