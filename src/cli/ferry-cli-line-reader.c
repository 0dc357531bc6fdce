// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-line-reader.c — prompt lines from a terminal (readline's callback interface on
 * a GSource for fd 0) or from a pipe (GDataInputStream). */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-line-reader.h"
#include "ferry-task.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ferry-cli-complete.h"
#include "ferry-cli-words.h"

#ifdef FERRY_CLI_HAVE_READLINE
# include <readline/readline.h>
# include <readline/history.h>
#endif

struct _FerryCliLineReader
{
  GObject           parent_instance;

  gboolean          interactive;
  GDataInputStream *lines;        /* plain reading (pipes, files, or no readline) */
  GTask            *pending;      /* the read in progress */
  gulong            cancelled_id; /* on the pending read's cancellable */
  GCancellable     *plain_read;   /* cancels the pending plain read */
#ifdef FERRY_CLI_HAVE_READLINE
  GSource          *terminal_source;
#endif
  char             *prompt;
  char             *history_file;   /* the prompt's history between sessions, or NULL */
  const char * const *commands;
};

G_DEFINE_FINAL_TYPE (FerryCliLineReader, ferry_cli_line_reader, G_TYPE_OBJECT)

/* The pending read, no longer watched for its cancellable. */
static GTask *
take_pending (FerryCliLineReader *self)
{
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (self->pending), self->cancelled_id);
  self->cancelled_id = 0;
  return g_steal_pointer (&self->pending);
}

static void
complete_read (FerryCliLineReader *self,
               char               *line)
{
  g_autoptr(GTask) task = take_pending (self);

  g_return_if_fail (task != NULL);
  g_task_return_pointer (task, line, g_free);
}

#ifdef FERRY_CLI_HAVE_READLINE

#define HISTORY_LINES 1000

/* readline's callback takes no user data; there is one reader per program. */
static FerryCliLineReader *terminal_reader;

/* The candidates of the completion in progress, handed to readline one by one. */
static GStrv completion_candidates;

static char *
next_candidate (const char *text,
                int         state)
{
  static guint index;

  if (state == 0)
    index = 0;
  if (completion_candidates == NULL || completion_candidates[index] == NULL)
    return NULL;
  return strdup (completion_candidates[index++]);   /* readline frees it with free() */
}

/* "my\ file" → "my file": the word as the prompt will read it. */
static char *
unescape_word (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* A character after a backslash does not end a word ("my\ file"). */
static int
char_is_quoted (char *line,
                int   index)
{
  int backslashes = 0;

  while (index - backslashes > 0 && line[index - backslashes - 1] == '\\')
    backslashes++;
  return backslashes % 2 == 1;
}

static char **
complete_words (const char *text,
                int         start,
                int         end)
{
  g_autofree char *before_text = g_strndup (rl_line_buffer, start);
  g_autofree char *word = unescape_word (text);
  g_auto(GStrv) before = NULL;
  gsize length = strlen (before_text);

  /* Never readline's own file names: the words before say what this one names. */
  rl_attempted_completion_over = 1;
  /* A word opened with a quote: the quote is readline's, not a word before. */
  if (length > 0 && strchr ("\"'", before_text[length - 1]) != NULL)
    before_text[length - 1] = '\0';
  before = ferry_cli_split_words (before_text, NULL);
  if (before == NULL || terminal_reader == NULL)
    return NULL;

  g_clear_pointer (&completion_candidates, g_strfreev);
  completion_candidates = ferry_cli_complete_candidates (before[0] != NULL
                                                         ? (const char * const *) before
                                                         : NULL,
                                                         word, terminal_reader->commands);
  /* Names are file names: readline quotes those with spaces. A folder takes no space after
   * it, so the next Tab goes on inside it. */
  rl_filename_completion_desired = before[0] != NULL;
  rl_completion_suppress_append = completion_candidates[0] != NULL
                                  && completion_candidates[1] == NULL
                                  && g_str_has_suffix (completion_candidates[0], "/");
  return rl_completion_matches (text, next_candidate);
}

static void
stop_terminal_reading (FerryCliLineReader *self)
{
  if (self->terminal_source == NULL)
    return;
  rl_callback_handler_remove ();
  g_source_destroy (self->terminal_source);
  g_clear_pointer (&self->terminal_source, g_source_unref);
  terminal_reader = NULL;
}

static void
on_readline_line (char *line)
{
  FerryCliLineReader *self = terminal_reader;

  stop_terminal_reading (self);
  if (line == NULL)
    {
      /* Ctrl+D: end the prompt's line so what follows starts on a fresh one. */
      fputc ('\n', rl_outstream);
      fflush (rl_outstream);
      complete_read (self, NULL);
      return;
    }
  if (line[strspn (line, " \t")] != '\0')
    add_history (line);
  complete_read (self, g_strdup (line));
  free (line);
}

static gboolean
on_terminal_readable (int          fd,
                      GIOCondition condition,
                      gpointer     user_data)
{
  rl_callback_read_char ();
  return G_SOURCE_CONTINUE;
}

static void
start_terminal_reading (FerryCliLineReader *self)
{
  terminal_reader = self;
  rl_callback_handler_install (self->prompt, on_readline_line);
  self->terminal_source = g_unix_fd_source_new (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->terminal_source, G_SOURCE_FUNC (on_terminal_readable),
                         NULL, NULL);
  g_source_attach (self->terminal_source, NULL);
}

#endif /* FERRY_CLI_HAVE_READLINE */

static void
on_plain_line (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryCliLineReader) self = user_data;
  g_autoptr(GError) error = NULL;
  char *line;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                               &length, &error);
  if (error != NULL)
    {
      g_autoptr(GTask) task = take_pending (self);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Scripts written on Windows end their lines in CR LF. */
  if (line != NULL && length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';
  complete_read (self, line);
}

#ifdef FERRY_CLI_HAVE_READLINE

/* Like a shell, the prompt remembers its lines in the user's state folder. */
static void
load_history (FerryCliLineReader *self)
{
  self->history_file = g_build_filename (g_get_user_state_dir (), "ferry", "history", NULL);
  using_history ();
  read_history (self->history_file);
}

static void
save_history (FerryCliLineReader *self)
{
  g_autofree char *folder = NULL;

  if (self->history_file == NULL)
    return;
  folder = g_path_get_dirname (self->history_file);
  if (g_mkdir_with_parents (folder, 0700) == 0 && write_history (self->history_file) == 0)
    history_truncate_file (self->history_file, HISTORY_LINES);
  g_clear_pointer (&self->history_file, g_free);
}

#endif /* FERRY_CLI_HAVE_READLINE */

static void
ferry_cli_line_reader_dispose (GObject *object)
{
  FerryCliLineReader *self = FERRY_CLI_LINE_READER (object);

#ifdef FERRY_CLI_HAVE_READLINE
  /* Gives the terminal its settings back if the program ends during a read. */
  stop_terminal_reading (self);
  save_history (self);
#endif
  g_clear_object (&self->plain_read);
  if (self->pending != NULL)
    g_object_unref (take_pending (self));
  g_clear_object (&self->lines);

  G_OBJECT_CLASS (ferry_cli_line_reader_parent_class)->dispose (object);
}

static void
ferry_cli_line_reader_finalize (GObject *object)
{
  FerryCliLineReader *self = FERRY_CLI_LINE_READER (object);

  g_free (self->prompt);
  g_free (self->history_file);

  G_OBJECT_CLASS (ferry_cli_line_reader_parent_class)->finalize (object);
}

static void
ferry_cli_line_reader_class_init (FerryCliLineReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_cli_line_reader_dispose;
  object_class->finalize = ferry_cli_line_reader_finalize;
}

static void
ferry_cli_line_reader_init (FerryCliLineReader *self)
{
  self->interactive = isatty (STDIN_FILENO);

#ifdef FERRY_CLI_HAVE_READLINE
  if (self->interactive)
    {
      /* GLib's unix signal sources own SIGINT and SIGWINCH. */
      rl_catch_signals = 0;
      rl_catch_sigwinch = 0;
      rl_readline_name = "ferry-cli";
      rl_attempted_completion_function = complete_words;
      rl_completer_word_break_characters = (char *) " \t\n";
      rl_completer_quote_characters = "\"'";
      rl_filename_quote_characters = " \t\n\\\"'*?[";
      rl_char_is_quoted_p = char_is_quoted;
      load_history (self);
      return;
    }
#endif
  {
    g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);

    self->lines = g_data_input_stream_new (input);
    g_data_input_stream_set_newline_type (self->lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
  }
}

FerryCliLineReader *
ferry_cli_line_reader_new (void)
{
  return g_object_new (FERRY_CLI_TYPE_LINE_READER, NULL);
}

gboolean
ferry_cli_line_reader_is_interactive (FerryCliLineReader *self)
{
  g_return_val_if_fail (FERRY_CLI_IS_LINE_READER (self), FALSE);

  return self->interactive;
}

static gboolean
stop_cancelled_read (gpointer user_data)
{
  FerryCliLineReader *self = user_data;

  /* The read may have ended meanwhile, and another begun. */
  if (self->pending != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->pending)))
    ferry_cli_line_reader_stop (self);
  return G_SOURCE_REMOVE;
}

static void
on_read_cancelled (GCancellable       *cancellable,
                   FerryCliLineReader *self)
{
  /* May run in the cancelling thread or inside a reader callback: stop from the loop. */
  g_idle_add_full (G_PRIORITY_DEFAULT, stop_cancelled_read, g_object_ref (self),
                   g_object_unref);
}

void
ferry_cli_line_reader_read_async (FerryCliLineReader  *self,
                                  const char          *prompt,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (FERRY_CLI_IS_LINE_READER (self));
  g_return_if_fail (self->pending == NULL);

  self->pending = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->pending, FERRY_TASK_TAG (ferry_cli_line_reader_read_async));
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_read_cancelled),
                                                self, NULL);
  g_free (self->prompt);
  self->prompt = g_strdup (prompt);

  if (self->lines == NULL)
    {
#ifdef FERRY_CLI_HAVE_READLINE
      start_terminal_reading (self);
#endif
      return;
    }

  if (self->interactive)
    {
      fputs (prompt, stdout);
      fflush (stdout);
    }
  g_clear_object (&self->plain_read);
  self->plain_read = g_cancellable_new ();
  g_data_input_stream_read_line_async (self->lines, G_PRIORITY_DEFAULT, self->plain_read,
                                       on_plain_line, g_object_ref (self));
}

char *
ferry_cli_line_reader_read_finish (FerryCliLineReader  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (FERRY_CLI_IS_LINE_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged
                          (result, FERRY_TASK_TAG (ferry_cli_line_reader_read_async)), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ferry_cli_line_reader_stop (FerryCliLineReader *self)
{
  g_return_if_fail (FERRY_CLI_IS_LINE_READER (self));

  if (self->pending == NULL)
    return;
  if (self->plain_read != NULL)
    {
      g_cancellable_cancel (self->plain_read);
      return;
    }
#ifdef FERRY_CLI_HAVE_READLINE
  stop_terminal_reading (self);
  {
    g_autoptr(GTask) task = take_pending (self);

    /* Never shown: the shell ignores lines once it is ending. */
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "prompt closed");
  }
#endif
}

void
ferry_cli_line_reader_set_commands (FerryCliLineReader *self,
                                    const char * const *commands)
{
  g_return_if_fail (FERRY_CLI_IS_LINE_READER (self));

  self->commands = commands;
}

void
ferry_cli_line_reader_discard_line (FerryCliLineReader *self)
{
  g_return_if_fail (FERRY_CLI_IS_LINE_READER (self));

  if (self->pending == NULL || !self->interactive)
    return;

#ifdef FERRY_CLI_HAVE_READLINE
  if (self->terminal_source != NULL)
    {
      rl_replace_line ("", 0);
      fputs ("^C\n", rl_outstream);
      rl_on_new_line ();
      rl_redisplay ();
      return;
    }
#endif
  /* Without readline the terminal driver already dropped the typed characters. */
  fputs ("\n", stdout);
  fputs (self->prompt, stdout);
  fflush (stdout);
}

void
ferry_cli_line_reader_resize (FerryCliLineReader *self)
{
  g_return_if_fail (FERRY_CLI_IS_LINE_READER (self));

#ifdef FERRY_CLI_HAVE_READLINE
  if (self->terminal_source != NULL)
    rl_resize_terminal ();
#endif
}
