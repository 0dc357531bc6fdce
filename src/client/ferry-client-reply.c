// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-reply.c — the control connection: sending a command line and reading its reply
 * (skipping replies owed to abandoned commands; a broken or hostile stream ends the session). */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

/* Replies --------------------------------------------------------------------------------- */

typedef struct {
  guint discard;   /* final replies of earlier commands to skip first */
  char *command;   /* for messages; "PASS ****" instead of the password */
} ReplyRead;

static void
reply_read_free (ReplyRead *state)
{
  g_free (state->command);
  g_free (state);
}

static void reply_step (GTask *task);

static void
reply_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);

  /* A cancelled read leaves the stream in step (the reply is still owed); anything else
   * leaves it in an unknown state, so the connection goes. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _ferry_client_lose_connection (self);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
reply_bytes_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n;

  n = ferry_timed_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT))
        {
          g_clear_error (&error);
          error = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT,
                               _("The server did not answer within %u seconds"),
                               (self->reply_timeout + 999) / 1000);
        }
      reply_fail (task, error);
      return;
    }
  if (n == 0)
    {
      reply_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                     _("The server closed the connection")));
      return;
    }
  if (self->parser == NULL)
    {
      reply_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                     _("The connection was closed")));
      return;
    }
  ferry_reply_parser_feed (self->parser, self->read_buffer, n);
  reply_step (task);
}

static void
reply_step (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  ReplyRead *state = g_task_get_task_data (task);
  FerryReply *reply = NULL;
  GError *error = NULL;

  if (self->control == NULL)
    {
      reply_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                     _("The connection was closed")));
      return;
    }

  while (ferry_reply_parser_next (self->parser, &reply, &error))
    {
      gboolean final = FERRY_REPLY_CLASS (reply->code) > 1;   /* 1xx precede the final reply */

      if (final && self->owed > 0)
        self->owed--;
      if (state->discard > 0)
        {
          if (final)
            state->discard--;
          ferry_reply_free (reply);
          continue;
        }
      if (reply->code == FERRY_REPLY_SERVICE_CLOSING)
        {
          GError *lost = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                      _("The server closed the session (%u %s)"),
                                      reply->code, reply->text);
          ferry_reply_free (reply);
          reply_fail (task, lost);
          return;
        }
      g_task_return_pointer (task, reply, (GDestroyNotify) ferry_reply_free);
      g_object_unref (task);
      return;
    }

  if (error != NULL)
    {
      GError *hostile = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                     _("The server sent a reply Ferry does not accept: %s"),
                                     error->message);
      g_error_free (error);
      reply_fail (task, hostile);
      return;
    }

  ferry_timed_read_async (g_io_stream_get_input_stream (self->control),
                          self->read_buffer, CONTROL_READ_SIZE, self->reply_timeout,
                          g_task_get_cancellable (task), reply_bytes_read, task);
}

static GTask *
reply_task_new (FerryClient         *self,
                gpointer             source_tag,
                const char          *command,
                guint                discard,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReplyRead *state = g_new0 (ReplyRead, 1);

  g_task_set_source_tag (task, source_tag);
  state->discard = discard;
  if (command != NULL && g_ascii_strncasecmp (command, "PASS ", 5) == 0)
    state->command = g_strdup ("PASS ****");
  else
    state->command = g_strdup (command);
  g_task_set_task_data (task, state, (GDestroyNotify) reply_read_free);
  return task;
}

void
_ferry_client_read_reply_async (FerryClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  reply_step (reply_task_new (self, FERRY_TASK_TAG (_ferry_client_read_reply_async), NULL, 0,
                              cancellable, callback, user_data));
}

FerryReply *
_ferry_client_read_reply_finish (FerryClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (_ferry_client_read_reply_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
command_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      reply_fail (task, error);
      return;
    }
  reply_step (task);
}

static void
send_line (GTask *task, const char *line)
{
  FerryClient *self = g_task_get_source_object (task);
  char *wire;

  if (strpbrk (line, "\r\n") != NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
                               _("A name with a line break cannot be sent to an FTP server"));
      g_object_unref (task);
      return;
    }
  if (self->control == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED,
                               _("Not connected to a server"));
      g_object_unref (task);
      return;
    }

  wire = g_strconcat (line, "\r\n", NULL);
  /* The buffer must live as long as the write: the task owns it. */
  g_object_set_data_full (G_OBJECT (task), "ferry-wire", wire, g_free);
  self->owed++;
  g_debug ("→ %s", ((ReplyRead *) g_task_get_task_data (task))->command);
  ferry_timed_write_all_async (g_io_stream_get_output_stream (self->control),
                               wire, strlen (wire), self->reply_timeout,
                               g_task_get_cancellable (task), command_written, task);
}

void
_ferry_client_command_async (FerryClient         *self,
                             const char          *line,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  send_line (reply_task_new (self, FERRY_TASK_TAG (_ferry_client_command_async), line,
                             self->owed, cancellable, callback, user_data),
             line);
}

FerryReply *
_ferry_client_command_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (_ferry_client_command_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
