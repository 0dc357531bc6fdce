// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-operations.c — the one-reply commands: pwd/cwd, size, mdtm, mkdir, rmdir,
 * delete and rename, run as short command sequences. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

/* Command sequences ----------------------------------------------------------------------- */

/* Runs the commands in order on the acquired connection; each but the last must get a 2xx
 * or 3xx reply, the last a 2xx. Returns the last reply. */
typedef struct {
  GStrv commands;
  guint next;
} Sequence;

static void
sequence_free (Sequence *sequence)
{
  g_strfreev (sequence->commands);
  g_free (sequence);
}

static void sequence_send_next (GTask *task);

static void
sequence_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Sequence *sequence = g_task_get_task_data (task);
  const char *command = sequence->commands[sequence->next];
  gboolean last = sequence->commands[sequence->next + 1] == NULL;
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply != NULL && FERRY_REPLY_CLASS (reply->code) != 2
      && (last || FERRY_REPLY_CLASS (reply->code) != 3))
    error = _ferry_client_reply_error (reply, command);
  if (error == NULL && !last)
    {
      sequence->next++;
      sequence_send_next (g_steal_pointer (&task));
      return;
    }

  /* Done, well or not: the connection goes back before the caller hears. */
  _ferry_client_release (self);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) ferry_reply_free);
}

static void
sequence_send_next (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  Sequence *sequence = g_task_get_task_data (task);

  _ferry_client_command_async (self, sequence->commands[sequence->next],
                               g_task_get_cancellable (task), sequence_replied, task);
}

static void
sequence_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;

  if (!_ferry_client_acquired_for (FERRY_CLIENT (source), result, task))
    return;
  sequence_send_next (task);
}

/* Takes ownership of commands (NULL-terminated, at least one). */
static void
run_sequence (FerryClient         *self,
              GStrv                commands,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Sequence *sequence = g_new0 (Sequence, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (run_sequence));
  sequence->commands = commands;
  g_task_set_task_data (task, sequence, (GDestroyNotify) sequence_free);
  _ferry_client_acquire_async (self, cancellable, sequence_acquired, g_steal_pointer (&task));
}

static FerryReply *
run_sequence_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, FERRY_TASK_TAG (run_sequence)), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GStrv
commands (const char *first, ...) G_GNUC_NULL_TERMINATED;

static GStrv
commands (const char *first, ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *c = first; c != NULL; c = va_arg (args, const char *))
    g_strv_builder_add (builder, c);
  va_end (args);
  return g_strv_builder_end (builder);
}

/* A task for a public operation that runs one sequence and converts its last reply. */
typedef gboolean (*ReplyConverter) (FerryClient *self, GTask *task, FerryReply *reply);

static void
operation_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  ReplyConverter *convert = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = run_sequence_finish (result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    (*convert) (FERRY_CLIENT (source), task, reply);
}

/* source_tag: the public _async function, which its _finish checks. */
static void
run_operation (FerryClient         *self,
               gpointer             source_tag,
               GStrv                command_lines,
               ReplyConverter       convert,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReplyConverter *slot = g_new (ReplyConverter, 1);

  g_task_set_source_tag (task, source_tag);
  *slot = convert;
  g_task_set_task_data (task, slot, g_free);
  run_sequence (self, command_lines, cancellable, operation_done, g_steal_pointer (&task));
}

static gboolean
convert_success (FerryClient *self, GTask *task, FerryReply *reply)
{
  g_task_return_boolean (task, TRUE);
  return TRUE;
}

/* "257 "/a ""b""" is current directory" → /a "b" (RFC 959 doubles quotes inside). */
char *
_ferry_client_parse_pwd (const char *text)
{
  GString *path;
  const char *p = strchr (text, '"');

  if (p == NULL)
    return NULL;
  path = g_string_new (NULL);
  for (p++; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          if (p[1] != '"')
            return g_string_free (path, FALSE);
          p++;
        }
      g_string_append_c (path, *p);
    }
  g_string_free (path, TRUE);
  return NULL;
}

static gboolean
convert_pwd (FerryClient *self, GTask *task, FerryReply *reply)
{
  g_autofree char *path = _ferry_client_parse_pwd (reply->text);

  if (path == NULL || path[0] != '/')
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server named its current folder in a form Ferry "
                                 "does not understand: %s"), reply->text);
      return FALSE;
    }
  _ferry_client_set_current_directory (self, path);
  g_task_return_pointer (task, g_strdup (path), g_free);
  return TRUE;
}

/* Simple operations ----------------------------------------------------------------------- */

void
ferry_client_change_directory_async (FerryClient         *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *cwd = g_strconcat ("CWD ", path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, FERRY_TASK_TAG (ferry_client_change_directory_async),
                 commands (cwd, "PWD", NULL), convert_pwd, cancellable, callback, user_data);
}

char *
ferry_client_change_directory_finish (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged
                          (result, FERRY_TASK_TAG (ferry_client_change_directory_async)), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
convert_size (FerryClient *self, GTask *task, FerryReply *reply)
{
  guint64 size = 0;

  if (!g_ascii_string_to_unsigned (g_strstrip (reply->text), 10, 0, G_MAXINT64, &size, NULL))
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server gave a size that is not a number: %s"),
                               reply->text);
      return FALSE;
    }
  g_task_return_int (task, (gssize) size);
  return TRUE;
}

void
ferry_client_size_async (FerryClient         *self,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *line = g_strconcat ("SIZE ", path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, FERRY_TASK_TAG (ferry_client_size_async), commands (line, NULL),
                 convert_size, cancellable, callback, user_data);
}

gint64
ferry_client_size_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_size_async)),
                        -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
convert_mdtm (FerryClient *self, GTask *task, FerryReply *reply)
{
  g_autoptr(GError) error = NULL;
  gint64 seconds = 0;

  if (!ferry_time_parse (g_strstrip (reply->text), &seconds, &error))
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server gave a time Ferry does not understand: %s"),
                               error->message);
      return FALSE;
    }
  g_task_return_pointer (task, g_date_time_new_from_unix_utc (seconds),
                         (GDestroyNotify) g_date_time_unref);
  return TRUE;
}

void
ferry_client_mdtm_async (FerryClient         *self,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *line = g_strconcat ("MDTM ", path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, FERRY_TASK_TAG (ferry_client_mdtm_async), commands (line, NULL),
                 convert_mdtm, cancellable, callback, user_data);
}

GDateTime *
ferry_client_mdtm_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_mdtm_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ferry_client_set_modified_async (FerryClient         *self,
                                 const char          *path,
                                 gint64               seconds,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);
  g_autofree char *stamp = NULL;
  g_autofree char *line = NULL;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (time != NULL);

  stamp = g_date_time_format (time, "%Y%m%d%H%M%S");
  line = g_strdup_printf ("MFMT %s %s", stamp, path);
  run_operation (self, FERRY_TASK_TAG (ferry_client_set_modified_async), commands (line, NULL),
                 convert_success, cancellable, callback, user_data);
}

gboolean
ferry_client_set_modified_finish (FerryClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                          FERRY_TASK_TAG (ferry_client_set_modified_async)), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

#define DEFINE_SIMPLE_OPERATION(name, VERB)                                              \
  void                                                                                   \
  ferry_client_##name##_async (FerryClient         *self,                               \
                               const char          *path,                               \
                               GCancellable        *cancellable,                        \
                               GAsyncReadyCallback  callback,                           \
                               gpointer             user_data)                          \
  {                                                                                      \
    g_autofree char *line = g_strconcat (VERB " ", path, NULL);                          \
                                                                                         \
    g_return_if_fail (FERRY_IS_CLIENT (self));                                           \
    run_operation (self, FERRY_TASK_TAG (ferry_client_##name##_async),                   \
                   commands (line, NULL), convert_success,                               \
                   cancellable, callback, user_data);                                    \
  }                                                                                      \
  gboolean                                                                               \
  ferry_client_##name##_finish (FerryClient   *self,                                    \
                                GAsyncResult  *result,                                  \
                                GError       **error)                                   \
  {                                                                                      \
    g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);                                \
    g_return_val_if_fail (g_task_is_valid (result, self), FALSE);                        \
    g_return_val_if_fail (g_async_result_is_tagged (result,                              \
                            FERRY_TASK_TAG (ferry_client_##name##_async)), FALSE);       \
                                                                                         \
    return g_task_propagate_boolean (G_TASK (result), error);                            \
  }

DEFINE_SIMPLE_OPERATION (mkdir, "MKD")
DEFINE_SIMPLE_OPERATION (rmdir, "RMD")
DEFINE_SIMPLE_OPERATION (delete, "DELE")

void
ferry_client_rename_async (FerryClient         *self,
                           const char          *from_path,
                           const char          *to_path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *from = g_strconcat ("RNFR ", from_path, NULL);
  g_autofree char *to = g_strconcat ("RNTO ", to_path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, FERRY_TASK_TAG (ferry_client_rename_async), commands (from, to, NULL),
                 convert_success, cancellable, callback, user_data);
}

gboolean
ferry_client_rename_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_rename_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
