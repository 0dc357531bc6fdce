// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-shell.c — the prompt loop. One command runs at a time; the next line is read
 * only when it finished, so a script fed on stdin runs in order. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-shell.h"
#include "ferry-cli-commands.h"
#include "ferry-cli-escape.h"
#include "ferry-cli-complete.h"
#include "ferry-cli-line-reader.h"
#include "ferry-cli-words.h"
#include "ferry-task.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

struct _FerryCliShell
{
  GObject             parent_instance;

  FerryCliContext     context;
  FerryCliLineReader *reader;
  char               *start_path;
  GTask              *run;              /* ferry_cli_shell_run_async() until the end */
  gulong              cancelled_id;     /* on the run's cancellable */
  GCancellable       *command;          /* the running command's, NULL when idle */
  guint               interrupt_source;
  guint               resize_source;
  gboolean            failed;           /* a command failed (matters for scripts) */
  gboolean            ending;           /* saying goodbye: ignore further lines */
  GError             *fatal;            /* why the session ended early */
};

G_DEFINE_FINAL_TYPE (FerryCliShell, ferry_cli_shell, G_TYPE_OBJECT)

static void read_next_line (FerryCliShell *self);

static void
print_error (const GError *error)
{
  /* One line: the message may quote the server's replies and names. */
  g_autofree char *message = ferry_cli_escape (error->message);

  fprintf (stderr, "%s\n", message);
  fflush (stderr);
}

static void
on_disconnected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FerryCliShell) self = user_data;
  g_autoptr(GTask) run = g_steal_pointer (&self->run);

  /* A goodbye that was not clean changes nothing for the person. */
  ferry_client_disconnect_finish (FERRY_CLIENT (source), result, NULL);

  g_clear_handle_id (&self->interrupt_source, g_source_remove);
  g_clear_handle_id (&self->resize_source, g_source_remove);
  g_cancellable_disconnect (g_task_get_cancellable (run), self->cancelled_id);
  self->cancelled_id = 0;

  if (self->fatal != NULL)
    g_task_return_error (run, g_steal_pointer (&self->fatal));
  else if (self->failed && !ferry_cli_line_reader_is_interactive (self->reader))
    g_task_return_new_error (run, FERRY_CLI_ERROR, FERRY_CLI_ERROR_SCRIPT_FAILED,
                             _("Some commands failed"));
  else
    g_task_return_boolean (run, TRUE);
}

static void
finish_session (FerryCliShell *self)
{
  if (self->ending)
    return;
  self->ending = TRUE;
  ferry_cli_line_reader_stop (self->reader);
  ferry_client_disconnect_async (self->context.client, NULL, on_disconnected,
                                 g_object_ref (self));
}

static gboolean
error_ends_session (const GError *error)
{
  return g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST)
      || g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED);
}

static void
on_command_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FerryCliShell) self = user_data;
  g_autoptr(GError) error = NULL;

  ferry_cli_command_run_finish (result, &error);
  g_clear_object (&self->command);

  if (g_error_matches (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_QUIT))
    {
      finish_session (self);
      return;
    }
  if (error != NULL)
    {
      print_error (error);
      self->failed = TRUE;
      if (error_ends_session (error) && self->fatal == NULL)
        self->fatal = g_steal_pointer (&error);
    }

  if (self->fatal != NULL)
    finish_session (self);
  else
    read_next_line (self);
}

static void
run_line (FerryCliShell *self,
          const char    *line)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = ferry_cli_split_words (line, &error);

  if (words == NULL)
    {
      print_error (error);
      self->failed = TRUE;
      read_next_line (self);
      return;
    }
  if (words[0] == NULL)
    {
      read_next_line (self);
      return;
    }

  self->command = g_cancellable_new ();
  ferry_cli_command_run_async (&self->context, (const char * const *) words, self->command,
                               on_command_done, g_object_ref (self));
}

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryCliShell) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = ferry_cli_line_reader_read_finish (self->reader, result, &error);
  if (self->ending)
    return;
  if (line == NULL)
    {
      /* End of input ends the session like quit; a read error ends it too. */
      if (error != NULL)
        {
          g_prefix_error_literal (&error, _("cannot read the commands: "));
          print_error (error);
          self->fatal = g_steal_pointer (&error);
        }
      finish_session (self);
      return;
    }
  run_line (self, line);
}

static void
read_next_line (FerryCliShell *self)
{
  g_autofree char *prompt = NULL;
  g_autofree char *folder = NULL;

  if (self->ending)
    return;
  /* After "close" there is no remote folder to show; the folder's name is the server's. */
  if (ferry_client_is_logged_in (self->context.client))
    {
      folder = ferry_cli_escape (ferry_client_get_current_directory (self->context.client));
      prompt = g_strdup_printf ("ftp:%s> ", folder);
    }
  else
    prompt = g_strdup ("ftp> ");

  /* No cancellable: the shell stops the reader itself when the session ends. */
  ferry_cli_line_reader_read_async (self->reader, prompt, NULL, on_line_read,
                                    g_object_ref (self));
}

/* Ends the session before its input did (why: the error it ends with): the running
 * command is cancelled first and the session ends when it did, else the goodbye starts. */
static void
end_early (FerryCliShell *self,
           GError        *why)
{
  if (self->fatal == NULL)
    {
      print_error (why);
      self->fatal = why;
    }
  else
    g_error_free (why);
  if (self->command != NULL)
    g_cancellable_cancel (self->command);
  else
    finish_session (self);
}

static gboolean
on_interrupt (gpointer user_data)
{
  FerryCliShell *self = user_data;

  if (ferry_cli_line_reader_is_interactive (self->reader))
    {
      /* A person: cancel what runs, or forget what was typed; the session goes on. */
      if (self->command != NULL)
        g_cancellable_cancel (self->command);
      else
        ferry_cli_line_reader_discard_line (self->reader);
      return G_SOURCE_CONTINUE;
    }

  /* A script from a pipe or file has no line to clear: Ctrl+C stops it. */
  end_early (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Interrupted")));
  return G_SOURCE_CONTINUE;
}

static gboolean
end_cancelled_run (gpointer user_data)
{
  FerryCliShell *self = user_data;

  if (self->run != NULL && !self->ending)
    end_early (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("The session was cancelled")));
  return G_SOURCE_REMOVE;
}

static void
on_run_cancelled (GCancellable  *cancellable,
                  FerryCliShell *self)
{
  /* May run in the cancelling thread: end the session from the loop. */
  g_idle_add_full (G_PRIORITY_DEFAULT, end_cancelled_run, g_object_ref (self), g_object_unref);
}

static gboolean
on_resize (gpointer user_data)
{
  FerryCliShell *self = user_data;

  ferry_cli_line_reader_resize (self->reader);
  return G_SOURCE_CONTINUE;
}

static void
on_start_folder (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FerryCliShell) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_cli_command_run_finish (result, &error))
    {
      print_error (error);
      self->fatal = g_steal_pointer (&error);
      finish_session (self);
      return;
    }
  g_free (self->context.home);
  self->context.home = g_strdup (ferry_client_get_current_directory (self->context.client));
  read_next_line (self);
}

void
ferry_cli_shell_run_async (FerryCliShell       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (FERRY_CLI_IS_SHELL (self));
  g_return_if_fail (self->run == NULL);

  self->run = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->run, FERRY_TASK_TAG (ferry_cli_shell_run_async));
  /* The session's own error says what ended it, not GTask's generic message. */
  g_task_set_check_cancellable (self->run, FALSE);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_run_cancelled),
                                                self, NULL);
  ferry_cli_complete_set_client (self->context.client);
  self->interrupt_source = g_unix_signal_add (SIGINT, on_interrupt, self);
  self->resize_source = g_unix_signal_add (SIGWINCH, on_resize, self);

  if (ferry_cli_line_reader_is_interactive (self->reader) && !self->context.quiet)
    {
      printf (_("Connected to %s. Type “help” for the commands.\n"),
              ferry_client_get_host (self->context.client));
      fflush (stdout);
    }

  if (self->start_path != NULL)
    {
      const char * const argv[] = { "cd", self->start_path, NULL };

      ferry_cli_command_run_async (&self->context, argv, NULL, on_start_folder,
                                   g_object_ref (self));
      return;
    }
  self->context.home = g_strdup (ferry_client_get_current_directory (self->context.client));
  read_next_line (self);
}

gboolean
ferry_cli_shell_run_finish (FerryCliShell  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (FERRY_CLI_IS_SHELL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged
                          (result, FERRY_TASK_TAG (ferry_cli_shell_run_async)), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ferry_cli_shell_dispose (GObject *object)
{
  FerryCliShell *self = FERRY_CLI_SHELL (object);

  g_clear_handle_id (&self->interrupt_source, g_source_remove);
  g_clear_handle_id (&self->resize_source, g_source_remove);
  g_clear_object (&self->reader);
  g_clear_object (&self->command);
  g_clear_object (&self->context.client);

  G_OBJECT_CLASS (ferry_cli_shell_parent_class)->dispose (object);
}

static void
ferry_cli_shell_finalize (GObject *object)
{
  FerryCliShell *self = FERRY_CLI_SHELL (object);

  g_clear_pointer (&self->context.progress, ferry_cli_progress_free);
  g_free (self->context.home);
  g_free (self->start_path);
  g_clear_error (&self->fatal);

  G_OBJECT_CLASS (ferry_cli_shell_parent_class)->finalize (object);
}

static void
ferry_cli_shell_class_init (FerryCliShellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_cli_shell_dispose;
  object_class->finalize = ferry_cli_shell_finalize;
}

static void
ferry_cli_shell_init (FerryCliShell *self)
{
  self->reader = ferry_cli_line_reader_new ();
  ferry_cli_line_reader_set_commands (self->reader, ferry_cli_command_names ());
}

FerryCliShell *
ferry_cli_shell_new (FerryClient *client,
                     const char  *start_path,
                     gboolean     quiet)
{
  FerryCliShell *self;

  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);

  self = g_object_new (FERRY_CLI_TYPE_SHELL, NULL);
  self->context.client = g_object_ref (client);
  self->context.progress = ferry_cli_progress_new (!quiet);
  self->context.quiet = quiet;
  self->start_path = g_strdup (start_path);
  return self;
}
