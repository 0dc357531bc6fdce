// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-stream.c — RETR handed to the caller piece by piece as it arrives, with no
 * local file: what ferry-cli's cat shows while the server is still sending. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

#define STREAM_READ_SIZE (64 * 1024)

typedef struct {
  char                 *command;
  GIOStream            *data;
  guint8               *buffer;
  FerryClientChunkFunc  on_chunk;
  gpointer              chunk_data;
  gint64                received;
  gboolean              got_final;   /* the server answered 2xx without a 1xx first */
  GError               *error;       /* the first failure, reported once the session is in step */
} StreamState;

static void
stream_state_free (StreamState *state)
{
  g_free (state->command);
  g_clear_object (&state->data);
  g_free (state->buffer);
  g_clear_error (&state->error);
  g_free (state);
}

static void
stream_return (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  StreamState *state = g_task_get_task_data (task);

  _ferry_client_release (self);
  if (state->error != NULL)
    g_task_return_error (task, g_steal_pointer (&state->error));
  else
    g_task_return_int (task, state->received);
  g_object_unref (task);
}

static void
stream_aborted (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;

  _ferry_client_abort_finish (FERRY_CLIENT (source), result, NULL);
  stream_return (task);
}

/* Ends with error: closes the data channel and gets the session back in step (ABOR). */
static void
stream_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);
  StreamState *state = g_task_get_task_data (task);

  g_clear_error (&state->error);
  state->error = error;
  if (state->data != NULL)
    {
      g_io_stream_close_async (state->data, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&state->data);
    }
  /* Not the task's cancellable: a cancel may be why it stops, and ABOR must still go. */
  if (ferry_client_is_connected (self))
    _ferry_client_abort_async (self, NULL, stream_aborted, task);
  else
    stream_return (task);
}

static void
stream_final_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  StreamState *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_read_reply_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    state->error = error;
  else if (FERRY_REPLY_CLASS (reply->code) != 2)
    state->error = _ferry_client_reply_error (reply, state->command);
  stream_return (task);
}

static void
stream_data_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  StreamState *state = g_task_get_task_data (task);

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_clear_object (&state->data);
  if (state->got_final)
    stream_return (task);
  else
    /* Every byte arrived: the reply (bounded by the reply time-out) keeps the session in
     * step, whatever happens to the caller's cancellable now. */
    _ferry_client_read_reply_async (self, NULL, stream_final_read, task);
}

static void stream_read_more (GTask *task);

static void
stream_data_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  StreamState *state = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = ferry_timed_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      stream_fail (task, error);
      return;
    }
  if (n == 0)
    {
      g_io_stream_close_async (state->data, G_PRIORITY_DEFAULT, NULL, stream_data_closed,
                               task);
      return;
    }
  state->received += n;
  state->on_chunk (state->buffer, (gsize) n, state->chunk_data);
  stream_read_more (task);
}

static void
stream_read_more (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  StreamState *state = g_task_get_task_data (task);

  ferry_timed_read_async (g_io_stream_get_input_stream (state->data), state->buffer,
                          STREAM_READ_SIZE, ferry_client_get_data_timeout (self),
                          g_task_get_cancellable (task), stream_data_read, task);
}

static void
stream_command_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  StreamState *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      stream_fail (task, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) == 2)
    state->got_final = TRUE;
  else if (FERRY_REPLY_CLASS (reply->code) != 1)
    {
      /* Refused: no data will come and nothing is owed. */
      g_clear_object (&state->data);
      state->error = _ferry_client_reply_error (reply, state->command);
      stream_return (task);
      return;
    }
  stream_read_more (task);
}

static void
stream_data_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  StreamState *state = g_task_get_task_data (task);
  GError *error = NULL;

  state->data = _ferry_client_open_data_finish (self, result, &error);
  if (state->data == NULL)
    {
      state->error = error;
      stream_return (task);
      return;
    }
  _ferry_client_command_async (self, state->command, g_task_get_cancellable (task),
                               stream_command_replied, task);
}

static void
stream_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);

  if (!_ferry_client_acquired_for (self, result, task))
    return;
  _ferry_client_open_data_async (self, g_task_get_cancellable (task), stream_data_opened, task);
}

void
ferry_client_read_file_async (FerryClient          *self,
                              const char           *path,
                              FerryClientChunkFunc  on_chunk,
                              gpointer              chunk_data,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  StreamState *state;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (on_chunk != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_read_file_async));
  state = g_new0 (StreamState, 1);
  state->command = g_strconcat ("RETR ", path, NULL);
  state->buffer = g_malloc (STREAM_READ_SIZE);
  state->on_chunk = on_chunk;
  state->chunk_data = chunk_data;
  g_task_set_task_data (task, state, (GDestroyNotify) stream_state_free);
  _ferry_client_acquire_async (self, cancellable, stream_acquired, g_steal_pointer (&task));
}

gint64
ferry_client_read_file_finish (FerryClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_read_file_async)),
                        -1);

  return g_task_propagate_int (G_TASK (result), error);
}
