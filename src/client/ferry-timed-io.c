// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-client-error.h"
#include "ferry-task.h"
#include "ferry-timed-io.h"

struct _FerryDeadline {
  GCancellable *inner;          /* cancelled by the caller's cancellable or by the deadline */
  GCancellable *outer;
  gulong        outer_handler;
  GSource      *deadline;
  guint         timeout_ms;
  gboolean      timed_out;
};

void
ferry_deadline_free (FerryDeadline *op)
{
  if (op->deadline != NULL)
    {
      g_source_destroy (op->deadline);
      g_source_unref (op->deadline);
    }
  if (op->outer != NULL)
    {
      g_cancellable_disconnect (op->outer, op->outer_handler);
      g_object_unref (op->outer);
    }
  g_clear_object (&op->inner);
  g_free (op);
}

static void
outer_cancelled (GCancellable *outer, gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
deadline_reached (gpointer data)
{
  FerryDeadline *op = data;

  op->timed_out = TRUE;
  g_cancellable_cancel (op->inner);
  return G_SOURCE_REMOVE;
}

FerryDeadline *
ferry_deadline_new (guint timeout_ms, GCancellable *cancellable)
{
  FerryDeadline *op = g_new0 (FerryDeadline, 1);

  op->inner = g_cancellable_new ();
  op->timeout_ms = timeout_ms;
  if (cancellable != NULL)
    {
      op->outer = g_object_ref (cancellable);
      /* The inner cancellable is kept alive by op, which outlives this connection. */
      op->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled),
                                                 op->inner, NULL);
    }
  return op;
}

void
ferry_deadline_arm (FerryDeadline *op)
{
  if (op->deadline != NULL)
    {
      g_source_destroy (op->deadline);
      g_clear_pointer (&op->deadline, g_source_unref);
    }
  if (op->timeout_ms == 0)
    return;
  op->deadline = g_timeout_source_new (op->timeout_ms);
  g_source_set_callback (op->deadline, deadline_reached, op, NULL);
  g_source_set_static_name (op->deadline, "[ferry] stall time-out");
  g_source_attach (op->deadline, g_main_context_get_thread_default ());
}

/* Replaces a cancellation caused by the deadline with TIMED_OUT. */
GError *
ferry_deadline_translate (FerryDeadline *op, GError *error, const char *what)
{
  GError *translated;

  if (op->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && (op->outer == NULL || !g_cancellable_is_cancelled (op->outer)))
    {
      translated = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT,
                                _("The server stopped responding while %s (nothing for %u s)"),
                                what, (op->timeout_ms + 999) / 1000);
      g_error_free (error);
      return translated;
    }
  translated = ferry_client_error_from_io (error, what);
  g_error_free (error);
  return translated;
}

GCancellable *
ferry_deadline_get_cancellable (FerryDeadline *op)
{
  return op->inner;
}

/* Reading ------------------------------------------------------------------------------ */

static void
read_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  FerryDeadline *op = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    g_task_return_error (task, ferry_deadline_translate (op, error, _("receiving data")));
  else
    g_task_return_int (task, n);
}

void
ferry_timed_read_async (GInputStream        *stream,
                        void                *buffer,
                        gsize                count,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  FerryDeadline *op = ferry_deadline_new (timeout_ms, cancellable);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_timed_read_async));
  g_task_set_task_data (task, op, (GDestroyNotify) ferry_deadline_free);
  ferry_deadline_arm (op);
  g_input_stream_read_async (stream, buffer, count, G_PRIORITY_DEFAULT, op->inner,
                             read_done, g_steal_pointer (&task));
}

gssize
ferry_timed_read_finish (GInputStream  *stream,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), -1);
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_timed_read_async)),
                        -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Writing ------------------------------------------------------------------------------ */

typedef struct {
  FerryDeadline    *op;
  const char *buffer;
  gsize       remaining;
} WriteAll;

static void
write_all_free (WriteAll *write_all)
{
  ferry_deadline_free (write_all->op);
  g_free (write_all);
}

static void write_next (GTask *task);

static void
write_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  WriteAll *w = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_output_stream_write_finish (G_OUTPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      g_task_return_error (task, ferry_deadline_translate (w->op, error, _("sending data")));
      g_object_unref (task);
      return;
    }
  w->buffer += n;
  w->remaining -= n;
  if (w->remaining == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  write_next (task);
}

static void
write_next (GTask *task)
{
  WriteAll *w = g_task_get_task_data (task);

  ferry_deadline_arm (w->op);
  g_output_stream_write_async (G_OUTPUT_STREAM (g_task_get_source_object (task)),
                               w->buffer, w->remaining, G_PRIORITY_DEFAULT, w->op->inner,
                               write_done, task);
}

void
ferry_timed_write_all_async (GOutputStream       *stream,
                             const void          *buffer,
                             gsize                count,
                             guint                timeout_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  WriteAll *w = g_new0 (WriteAll, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_timed_write_all_async));
  w->op = ferry_deadline_new (timeout_ms, cancellable);
  w->buffer = buffer;
  w->remaining = count;
  g_task_set_task_data (task, w, (GDestroyNotify) write_all_free);
  if (count == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  write_next (g_steal_pointer (&task));
}

gboolean
ferry_timed_write_all_finish (GOutputStream  *stream,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_timed_write_all_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GError *
ferry_client_error_from_io (const GError *error, const char *what)
{
  FerryClientError code = FERRY_CLIENT_ERROR_FAILED;

  if (error->domain == FERRY_CLIENT_ERROR
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
          code = FERRY_CLIENT_ERROR_CONNECTION_REFUSED;
          break;
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_HOST_UNREACHABLE:
          code = FERRY_CLIENT_ERROR_HOST_NOT_FOUND;
          break;
        case G_IO_ERROR_TIMED_OUT:
          code = FERRY_CLIENT_ERROR_TIMED_OUT;
          break;
        case G_IO_ERROR_NO_SPACE:
          code = FERRY_CLIENT_ERROR_DISK_FULL;
          break;
        case G_IO_ERROR_NOT_FOUND:
          code = FERRY_CLIENT_ERROR_NOT_FOUND;
          break;
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_READ_ONLY:
          code = FERRY_CLIENT_ERROR_PERMISSION_DENIED;
          break;
        case G_IO_ERROR_EXISTS:
          code = FERRY_CLIENT_ERROR_EXISTS;
          break;
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
          code = FERRY_CLIENT_ERROR_CONNECTION_LOST;
          break;
        default:
          break;
        }
    }
  else if (error->domain == G_RESOLVER_ERROR)
    code = FERRY_CLIENT_ERROR_HOST_NOT_FOUND;
  else if (error->domain == G_TLS_ERROR)
    code = error->code == G_TLS_ERROR_BAD_CERTIFICATE
           ? FERRY_CLIENT_ERROR_TLS_UNTRUSTED : FERRY_CLIENT_ERROR_PROTOCOL;

  /* what is a phrase like "receiving data"; GIO's own text stays in brackets. */
  switch (code)
    {
    case FERRY_CLIENT_ERROR_CONNECTION_LOST:
      return g_error_new (FERRY_CLIENT_ERROR, code,
                          _("The connection to the server broke while %s (%s)"),
                          what, error->message);
    case FERRY_CLIENT_ERROR_TIMED_OUT:
      return g_error_new (FERRY_CLIENT_ERROR, code,
                          _("The server stopped responding while %s (%s)"),
                          what, error->message);
    case FERRY_CLIENT_ERROR_DISK_FULL:
      return g_error_new (FERRY_CLIENT_ERROR, code, _("The disk is full (while %s: %s)"),
                          what, error->message);
    default:
      return g_error_new (FERRY_CLIENT_ERROR, code, _("Failed while %s: %s"),
                          what, error->message);
    }
}
