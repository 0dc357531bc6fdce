// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-drag-provider.c — remote files dragged out of the list, delivered as local files.
 *
 * When a drag starts, the window downloads the dragged files into a fresh folder in the
 * cache and hands this provider the downloads. It offers a file list (text/uri-list and
 * every other format GDK can serialize a GdkFileList to, the portal's included), but only
 * answers the drop target's request once every download has finished: the file manager
 * waits for the data instead of copying a file that is not there yet. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include <glib/gi18n.h>

#include "ferry-client-error.h"
#include "ferry-drag-provider.h"

struct _FerryDragProvider
{
  GdkContentProvider  parent_instance;

  GPtrArray          *downloads;   /* FerryTransfer */
  GPtrArray          *waiting;     /* GTask of write requests that wait for the downloads */
  GFile              *folder;      /* the drag cache folder the downloads go to */
};

G_DEFINE_FINAL_TYPE (FerryDragProvider, ferry_drag_provider, GDK_TYPE_CONTENT_PROVIDER)

typedef struct {
  char          *mime_type;
  GOutputStream *stream;
  int            io_priority;
} WriteRequest;

static void
write_request_free (WriteRequest *request)
{
  g_free (request->mime_type);
  g_object_unref (request->stream);
  g_free (request);
}

static gboolean
all_finished (FerryDragProvider *self)
{
  for (guint i = 0; i < self->downloads->len; i++)
    if (!ferry_transfer_is_finished (g_ptr_array_index (self->downloads, i)))
      return FALSE;

  return TRUE;
}

/* The downloaded files, or NULL with an error naming the first download that failed. */
static GdkFileList *
ferry_drag_provider_get_files (FerryDragProvider  *self,
                               GError            **error)
{
  g_autoslist(GFile) files = NULL;

  for (guint i = self->downloads->len; i > 0; i--)
    {
      FerryTransfer *transfer = g_ptr_array_index (self->downloads, i - 1);

      if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_DONE)
        {
          const GError *failure = ferry_transfer_get_error (transfer);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not download “%s”: %s"),
                       ferry_transfer_get_name (transfer),
                       failure ? failure->message : _("the download was cancelled"));
          return NULL;
        }

      files = g_slist_prepend (files, g_object_ref (ferry_transfer_get_local_file (transfer)));
    }

  return gdk_file_list_new_from_list (files);
}

static void
on_serialized (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!gdk_content_serialize_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Writes the file list in the format the request asked for, with GDK's own serializers. */
static void
deliver (FerryDragProvider *self,
         GTask             *task)
{
  WriteRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GdkFileList *files;

  files = ferry_drag_provider_get_files (self, &error);
  if (files == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, files);
  gdk_content_serialize_async (request->stream, request->mime_type, &value,
                               request->io_priority, g_task_get_cancellable (task),
                               on_serialized, g_object_ref (task));
}

static void
on_download_state_changed (FerryDragProvider *self)
{
  g_autoptr(GPtrArray) waiting = NULL;

  if (!all_finished (self) || self->waiting->len == 0)
    return;

  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    deliver (self, g_ptr_array_index (waiting, i));
}

static GdkContentFormats *
ferry_drag_provider_ref_formats (GdkContentProvider *provider)
{
  GdkContentFormats *formats = gdk_content_formats_new_for_gtype (GDK_TYPE_FILE_LIST);

  return gdk_content_formats_union_serialize_mime_types (formats);
}

static void
ferry_drag_provider_write_mime_type_async (GdkContentProvider  *provider,
                                           const char          *mime_type,
                                           GOutputStream       *stream,
                                           int                  io_priority,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  FerryDragProvider *self = FERRY_DRAG_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_drag_provider_write_mime_type_async));
  WriteRequest *request = g_new0 (WriteRequest, 1);

  request->mime_type = g_strdup (mime_type);
  request->stream = g_object_ref (stream);
  request->io_priority = io_priority;
  g_task_set_task_data (task, request, (GDestroyNotify) write_request_free);

  if (all_finished (self))
    deliver (self, task);
  else
    g_ptr_array_add (self->waiting, g_steal_pointer (&task));
}

static gboolean
ferry_drag_provider_write_mime_type_finish (GdkContentProvider  *provider,
                                            GAsyncResult        *result,
                                            GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (
                          result, FERRY_TASK_TAG (ferry_drag_provider_write_mime_type_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* In-process readers cannot wait; they get the files once they are there. */
static gboolean
ferry_drag_provider_get_value (GdkContentProvider  *provider,
                               GValue              *value,
                               GError             **error)
{
  FerryDragProvider *self = FERRY_DRAG_PROVIDER (provider);
  GdkFileList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return GDK_CONTENT_PROVIDER_CLASS (ferry_drag_provider_parent_class)->get_value (provider,
                                                                                     value, error);

  if (!all_finished (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The files are still downloading"));
      return FALSE;
    }

  files = ferry_drag_provider_get_files (self, error);
  if (files == NULL)
    return FALSE;

  g_value_take_boxed (value, files);
  return TRUE;
}

static void
ferry_drag_provider_dispose (GObject *object)
{
  FerryDragProvider *self = FERRY_DRAG_PROVIDER (object);

  if (self->downloads != NULL)
    for (guint i = 0; i < self->downloads->len; i++)
      g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->downloads, i), self);

  /* A drag that ends without a drop answers nobody. */
  if (self->waiting != NULL)
    for (guint i = 0; i < self->waiting->len; i++)
      g_task_return_new_error (g_ptr_array_index (self->waiting, i), G_IO_ERROR,
                               G_IO_ERROR_CANCELLED, "%s", _("The drag ended"));

  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->downloads, g_ptr_array_unref);
  g_clear_object (&self->folder);

  G_OBJECT_CLASS (ferry_drag_provider_parent_class)->dispose (object);
}

static void
ferry_drag_provider_class_init (FerryDragProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GdkContentProviderClass *provider_class = GDK_CONTENT_PROVIDER_CLASS (klass);

  object_class->dispose = ferry_drag_provider_dispose;
  provider_class->ref_formats = ferry_drag_provider_ref_formats;
  provider_class->write_mime_type_async = ferry_drag_provider_write_mime_type_async;
  provider_class->write_mime_type_finish = ferry_drag_provider_write_mime_type_finish;
  provider_class->get_value = ferry_drag_provider_get_value;
}

static void
ferry_drag_provider_init (FerryDragProvider *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/* downloads: FerryTransfer downloads already queued; the provider keeps a reference. */
/* folder: the drag cache folder the downloads write to, removed once the drop is done. */
GdkContentProvider *
ferry_drag_provider_new (GPtrArray *downloads,
                         GFile     *folder)
{
  FerryDragProvider *self;

  g_return_val_if_fail (downloads != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  self = g_object_new (FERRY_TYPE_DRAG_PROVIDER, NULL);
  self->downloads = g_ptr_array_ref (downloads);
  self->folder = g_object_ref (folder);
  for (guint i = 0; i < downloads->len; i++)
    g_signal_connect_object (g_ptr_array_index (downloads, i), "notify::state",
                             G_CALLBACK (on_download_state_changed), self, G_CONNECT_SWAPPED);

  return GDK_CONTENT_PROVIDER (self);
}

GFile *
ferry_drag_provider_get_folder (FerryDragProvider *self)
{
  g_return_val_if_fail (FERRY_IS_DRAG_PROVIDER (self), NULL);

  return self->folder;
}
