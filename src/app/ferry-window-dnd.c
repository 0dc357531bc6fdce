// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-dnd.c — drag and drop.
 *
 * In: files and folders dropped from the file manager onto the file list upload into the
 * folder shown (folders recursively), with a highlight while something hovers over the
 * list. Drags that start in the list itself are refused: they would upload files onto
 * themselves.
 *
 * Out: dragging rows to the desktop or a file manager downloads them into a fresh folder in
 * the cache, and FerryDragProvider hands the drop target the local files once the
 * downloads are done (the target waits for the data). ferry-drag-cache.c cleans up. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-drag-cache.h"
#include "ferry-drag-provider.h"
#include "ferry-window-private.h"

static gboolean
on_drop_accept (GtkDropTarget *target,
                GdkDrop       *drop,
                FerryWindow   *self)
{
  return gdk_drop_get_drag (drop) == NULL &&
         gdk_content_formats_contain_gtype (gdk_drop_get_formats (drop), GDK_TYPE_FILE_LIST);
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               FerryWindow   *self)
{
  if (!ferry_window_is_connected (self))
    return 0;

  ferry_file_list_set_drop_highlight (self->file_list, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               FerryWindow   *self)
{
  ferry_file_list_set_drop_highlight (self->file_list, FALSE);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         FerryWindow   *self)
{
  GSList *files;

  ferry_file_list_set_drop_highlight (self->file_list, FALSE);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || !ferry_window_is_connected (self))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  _ferry_window_upload_files (self, files);
  g_slist_free (files);

  return TRUE;
}

/* Downloads files (FerryRemoteFile) into a new folder in the cache and returns what a drag
 * offers for them. The provider keeps the folder for on_drag_finished(). */
GdkContentProvider *
_ferry_window_drag_files (FerryWindow *self,
                         GPtrArray   *files)
{
  g_autoptr(GPtrArray) downloads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  if (files->len == 0 || !ferry_window_is_connected (self))
    return NULL;

  folder = ferry_drag_cache_new_folder (&error);
  if (folder == NULL)
    {
      _ferry_window_show_toast (self, error->message);
      return NULL;
    }

  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);
      FerryTransfer *transfer = _ferry_window_download (self, ferry_remote_file_get_path (file),
                                                       ferry_remote_file_is_folder (file),
                                                       folder);
      if (transfer != NULL)
        g_ptr_array_add (downloads, g_object_ref (transfer));
    }

  if (downloads->len == 0)
    {
      ferry_drag_cache_remove_later (folder, 0);
      return NULL;
    }

  return ferry_drag_provider_new (downloads, folder);
}

/* The drop target has the files: once it has had time to copy them, the cache folder
 * goes. (A drag that ends without a drop leaves it to the start-up clean-up: its downloads
 * may still be writing there.) */
static void
on_drag_finished (GdkDrag *drag)
{
  GdkContentProvider *content = gdk_drag_get_content (drag);
  GFile *folder = FERRY_IS_DRAG_PROVIDER (content)
                  ? ferry_drag_provider_get_folder (FERRY_DRAG_PROVIDER (content)) : NULL;

  if (folder != NULL)
    ferry_drag_cache_remove_later (folder, FERRY_DRAG_CACHE_GRACE_SECONDS);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 FerryWindow   *self)
{
  g_autoptr(GPtrArray) files = ferry_file_list_get_files_at (self->file_list, x, y);

  if (files == NULL)
    return NULL;

  return _ferry_window_drag_files (self, files);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               FerryWindow   *self)
{
  g_autoptr(GPtrArray) files = ferry_file_list_get_selected_files (self->file_list);
  g_autoptr(GIcon) icon = NULL;
  g_autoptr(GtkIconPaintable) paintable = NULL;

  g_signal_connect (drag, "dnd-finished", G_CALLBACK (on_drag_finished), NULL);

  if (files->len == 0)
    return;

  icon = ferry_remote_file_get_icon (g_ptr_array_index (files, 0));
  paintable = gtk_icon_theme_lookup_by_gicon (gtk_icon_theme_get_for_display (
                                                gtk_widget_get_display (GTK_WIDGET (self))),
                                              icon, 32,
                                              gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                              gtk_widget_get_direction (GTK_WIDGET (self)), 0);
  gtk_drag_source_set_icon (source, GDK_PAINTABLE (paintable), 0, 0);
}

void
_ferry_window_dnd_init (FerryWindow *self)
{
  self->drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (self->drag_source, GDK_ACTION_COPY);
  g_signal_connect (self->drag_source, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (self->drag_source, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self->file_list),
                             GTK_EVENT_CONTROLLER (self->drag_source));

  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "accept", G_CALLBACK (on_drop_accept), self);
  g_signal_connect (self->drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (self->drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->file_list),
                             GTK_EVENT_CONTROLLER (self->drop_target));
}
