/* ferry-window-dnd.c — drag and drop: files and folders dropped from the file manager onto
 * the file list upload into the folder shown (folders recursively), with a highlight while
 * something hovers over the list.
 *
 * Dragging a remote file out to the desktop is not offered: GTK 4.8 needs the local files
 * to exist when the drag starts (GdkFileList is delivered as text/uri-list right away), and
 * a remote file only exists once it has been downloaded. Download To… covers the need. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-window-private.h"

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
  ferry_window_upload_files (self, files);
  g_slist_free (files);

  return TRUE;
}

void
ferry_window_dnd_init (FerryWindow *self)
{
  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (self->drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->file_list),
                             GTK_EVENT_CONTROLLER (self->drop_target));
}
