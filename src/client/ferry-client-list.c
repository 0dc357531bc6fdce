// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-list.c — folder listings: MLSD, or LIST parsed line by line. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

#define LIST_READ_SIZE   (64 * 1024)
#define LIST_LINE_MAX    (64 * 1024)   /* one entry line; longer is hostile */
#define LIST_ENTRIES_MAX 1000000       /* keeps a never-ending listing from eating memory */
#define LIST_BYTES_MAX   FERRY_CLIENT_LISTING_BYTES_MAX

typedef struct {
  char       *path;
  gboolean    mlsd;
  char       *command;
  GIOStream  *data;
  guint8     *buffer;
  GString    *line;
  GPtrArray  *entries;
  gsize       bytes;        /* what the entries take, counted against LIST_BYTES_MAX */
  gint64      now;
  gboolean    got_final;    /* the server answered 2xx without a 1xx first */
  GError     *error;        /* the first failure, reported after the session is in step */
} ListState;

static void
list_state_free (ListState *state)
{
  g_free (state->path);
  g_free (state->command);
  g_clear_object (&state->data);
  g_free (state->buffer);
  g_string_free (state->line, TRUE);
  g_clear_pointer (&state->entries, g_ptr_array_unref);
  g_clear_error (&state->error);
  g_free (state);
}

static void
list_return (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);

  _ferry_client_release (self);
  if (state->error != NULL)
    g_task_return_error (task, g_steal_pointer (&state->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&state->entries),
                           (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
list_aborted (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;

  _ferry_client_abort_finish (FERRY_CLIENT (source), result, NULL);
  list_return (task);
}

/* Ends the listing with error: closes the data channel and gets the session back in step. */
static void
list_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);

  g_clear_error (&state->error);
  state->error = error;
  if (state->data != NULL)
    {
      g_io_stream_close_async (state->data, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&state->data);
    }
  /* Not the listing's cancellable: a cancel may be why it stops, and ABOR must still go. */
  if (ferry_client_is_connected (self))
    _ferry_client_abort_async (self, NULL, list_aborted, task);
  else
    list_return (task);
}

gsize
ferry_client_entry_bytes (const FerryEntry *entry)
{
  /* Each allocation costs about 16 bytes of bookkeeping in malloc, plus the array slot. */
  gsize bytes = sizeof (FerryEntry) + sizeof (gpointer) + 16;

  bytes += strlen (entry->name) + 1 + 16;
  if (entry->perm != NULL)
    bytes += strlen (entry->perm) + 1 + 16;
  if (entry->link_target != NULL)
    bytes += strlen (entry->link_target) + 1 + 16;
  return bytes;
}

static gboolean
list_take_line (ListState *state, const char *line, GError **error)
{
  g_autoptr(FerryEntry) entry = NULL;

  if (line[0] == '\0')
    return TRUE;
  if (state->mlsd)
    entry = ferry_mlsx_parse_line (line, NULL);
  else
    entry = ferry_list_parse_line (line, state->now, NULL);
  /* Lines that are not entries ("total 12", junk) are skipped, as every client does. */
  if (entry == NULL)
    return TRUE;
  if (entry->type == FERRY_ENTRY_CURRENT_DIR || entry->type == FERRY_ENTRY_PARENT_DIR
      || g_str_equal (entry->name, ".") || g_str_equal (entry->name, ".."))
    return TRUE;
  state->bytes += ferry_client_entry_bytes (entry);
  if (state->bytes > LIST_BYTES_MAX)
    {
      g_autofree char *limit = g_format_size_full (LIST_BYTES_MAX, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                   _("The folder listing is larger than the limit of %s (%u entries read); "
                     "Ferry stopped reading it"), limit, state->entries->len);
      return FALSE;
    }
  if (state->entries->len >= LIST_ENTRIES_MAX)
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                   _("The folder listing has more than %d entries; Ferry stopped reading it"),
                   LIST_ENTRIES_MAX);
      return FALSE;
    }
  g_ptr_array_add (state->entries, g_steal_pointer (&entry));
  return TRUE;
}

static gboolean
list_feed (ListState *state, const guint8 *data, gsize len, GError **error)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n')
        {
          if (state->line->len > 0 && state->line->str[state->line->len - 1] == '\r')
            g_string_truncate (state->line, state->line->len - 1);
          if (!list_take_line (state, state->line->str, error))
            return FALSE;
          g_string_truncate (state->line, 0);
          continue;
        }
      if (state->line->len >= LIST_LINE_MAX)
        {
          g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                       _("A line of the folder listing is longer than %d bytes"),
                       LIST_LINE_MAX);
          return FALSE;
        }
      /* A NUL would silently cut the name short and name another file: it is kept
       * visible as "\0", which no download saves (a backslash is never a safe name). */
      if (data[i] == '\0')
        g_string_append (state->line, "\\0");
      else
        g_string_append_c (state->line, data[i]);
    }
  return TRUE;
}

/* Some servers (IIS among them) answer LIST on an empty folder with "550 No files found".
 * Only a folder known to exist may turn such a reply into an empty listing. */
static gboolean
reply_says_no_files (const FerryReply *reply)
{
  g_autofree char *lower = NULL;

  if (reply->code != FERRY_REPLY_FILE_BUSY && reply->code != FERRY_REPLY_FILE_UNAVAILABLE)
    return FALSE;
  lower = g_ascii_strdown (reply->text, -1);
  return strstr (lower, "no files") != NULL || strstr (lower, "no such file") != NULL
         || strstr (lower, "not found") != NULL || strstr (lower, "empty") != NULL;
}

static void
list_cwd_restored (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  ListState *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (FERRY_CLIENT (source), result, &error);
  if (reply == NULL)
    state->error = error;
  else if (FERRY_REPLY_CLASS (reply->code) != 2)
    state->error = _ferry_client_reply_error (reply, "CWD");
  list_return (task);
}

static void
list_folder_probed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  ListState *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  g_autofree char *back = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_clear_error (&state->error);
      state->error = error;
      list_return (task);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) != 2)
    {
      list_return (task);   /* the folder really is not there: keep LIST's error */
      return;
    }
  /* The folder exists, so "no files" means empty; go back where the session was. */
  g_clear_error (&state->error);
  back = g_strconcat ("CWD ", ferry_client_get_current_directory (self), NULL);
  _ferry_client_command_async (self, back, g_task_get_cancellable (task), list_cwd_restored,
                               task);
}

/* LIST or MLSD was refused with reply. */
static void
list_refused (GTask *task, const FerryReply *reply)
{
  FerryClient *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);
  const char *cwd = ferry_client_get_current_directory (self);
  g_autofree char *probe = NULL;

  g_clear_error (&state->error);
  state->error = _ferry_client_reply_error (reply, state->command);
  if (state->mlsd || !reply_says_no_files (reply))
    {
      list_return (task);
      return;
    }
  if (state->path == NULL || g_strcmp0 (state->path, cwd) == 0 || g_str_equal (state->path, "."))
    {
      g_clear_error (&state->error);   /* the session is in that folder: it exists */
      list_return (task);
      return;
    }
  if (cwd == NULL)
    {
      list_return (task);   /* no way back after probing with CWD */
      return;
    }
  probe = g_strconcat ("CWD ", state->path, NULL);
  _ferry_client_command_async (self, probe, g_task_get_cancellable (task), list_folder_probed,
                               task);
}

static void
list_final_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  ListState *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    state->error = error;
  else if (FERRY_REPLY_CLASS (reply->code) != 2)
    {
      list_refused (task, reply);
      return;
    }
  list_return (task);
}

static void list_read_more (GTask *task);

static void
list_data_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_clear_object (&state->data);
  if (state->line->len > 0)
    list_take_line (state, state->line->str, &state->error);
  if (state->got_final)
    list_return (task);
  else
    _ferry_client_read_reply_async (self, g_task_get_cancellable (task), list_final_read, task);
}

static void
list_data_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  ListState *state = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = ferry_timed_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      list_fail (task, error);
      return;
    }
  if (n == 0)
    {
      g_io_stream_close_async (state->data, G_PRIORITY_DEFAULT, NULL, list_data_closed, task);
      return;
    }
  if (!list_feed (state, state->buffer, n, &error))
    {
      list_fail (task, error);
      return;
    }
  list_read_more (task);
}

static void
list_read_more (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);

  ferry_timed_read_async (g_io_stream_get_input_stream (state->data), state->buffer,
                          LIST_READ_SIZE, ferry_client_get_data_timeout (self),
                          g_task_get_cancellable (task), list_data_read, task);
}

static void
list_command_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  ListState *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      list_fail (task, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) == 2)
    state->got_final = TRUE;
  else if (FERRY_REPLY_CLASS (reply->code) != 1)
    {
      g_clear_object (&state->data);
      list_refused (task, reply);
      return;
    }
  list_read_more (task);
}

static void
list_data_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  ListState *state = g_task_get_task_data (task);
  GError *error = NULL;

  state->data = _ferry_client_open_data_finish (self, result, &error);
  if (state->data == NULL)
    {
      state->error = error;
      list_return (task);
      return;
    }
  _ferry_client_command_async (self, state->command, g_task_get_cancellable (task),
                               list_command_replied, task);
}

static void
list_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  ListState *state = g_task_get_task_data (task);
  const char *verb;

  if (!_ferry_client_acquired_for (self, result, task))
    return;
  state->mlsd = ferry_client_has_mlsd (self);
  verb = state->mlsd ? "MLSD" : "LIST";
  state->command = state->path != NULL ? g_strconcat (verb, " ", state->path, NULL)
                                       : g_strdup (verb);
  _ferry_client_open_data_async (self, g_task_get_cancellable (task), list_data_opened, task);
}

void
ferry_client_list_async (FerryClient         *self,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListState *state;

  g_return_if_fail (FERRY_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_list_async));
  state = g_new0 (ListState, 1);
  state->path = g_strdup (path);
  state->buffer = g_malloc (LIST_READ_SIZE);
  state->line = g_string_new (NULL);
  state->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  state->now = g_get_real_time () / G_USEC_PER_SEC;
  g_task_set_task_data (task, state, (GDestroyNotify) list_state_free);
  _ferry_client_acquire_async (self, cancellable, list_acquired, g_steal_pointer (&task));
}

GPtrArray *
ferry_client_list_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_list_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
