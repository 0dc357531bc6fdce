// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands.c — the table of prompt commands, parsing a command's words, the
 * local commands (lcd, lpwd, help, quit) and the helpers the other command files share. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"
#include "ferry-cli-error.h"
#include "ferry-cli-escape.h"
#include "ferry-task.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (ferry-cli-error-quark, ferry_cli_error)

typedef struct {
  const char             *name;
  const char             *usage;      /* translatable */
  const char             *summary;    /* translatable */
  const char             *options;    /* the one-letter options it takes */
  guint                   min_args;
  guint                   max_args;
  FerryCliCommandHandler *run;
} Command;

void
ferry_cli_print_text (const char *text)
{
  /* What is printed holds names and replies from the server. */
  g_autofree char *safe = ferry_cli_escape_lines (text);

  fputs (safe, stdout);
  fflush (stdout);
}

/* The error to show: what was attempted, then the engine's reason ("… (550 …)"). */
void
ferry_cli_return_failure (GTask      *task,
                          GError     *error,
                          const char *what)
{
  g_autofree char *reason = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled: %s"), what);
      g_error_free (error);
      return;
    }
  reason = ferry_cli_error_reason (error);
  g_task_return_new_error (task, error->domain, error->code, "%s: %s", what, reason);
  g_error_free (error);
}

static GQuark
invocation_quark (void)
{
  return g_quark_from_static_string ("ferry-cli-invocation");
}

/* The command's words, kept on the task (its task data belongs to the handler). */
const FerryCliInvocation *
ferry_cli_task_invocation (GTask *task)
{
  return g_object_get_qdata (G_OBJECT (task), invocation_quark ());
}

/* "dir/" + base name of local: a target named as a folder gets the source's name. */
char *
ferry_cli_remote_target_for (const char *target,
                             const char *local)
{
  g_autofree char *base = g_path_get_basename (local);

  if (target == NULL)
    return g_steal_pointer (&base);
  if (g_str_has_suffix (target, "/"))
    return g_strconcat (target, base, NULL);
  return g_strdup (target);
}

/* lcd, lpwd ----------------------------------------------------------------------------- */

static void
run_lcd (FerryCliContext          *context,
         const FerryCliInvocation *invocation,
         GTask                    *task)
{
  const char *path = invocation->n_args > 0 ? invocation->args[0] : g_get_home_dir ();

  if (g_chdir (path) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("cannot change the local folder to %s: %s"),
                               path, g_strerror (saved_errno));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_lpwd (FerryCliContext          *context,
          const FerryCliInvocation *invocation,
          GTask                    *task)
{
  g_autofree char *here = g_get_current_dir ();
  g_autofree char *line = g_strdup_printf ("%s\n", here);

  ferry_cli_print_text (line);
  g_task_return_boolean (task, TRUE);
}

/* help, quit ---------------------------------------------------------------------------- */

static FerryCliCommandHandler run_help;

static void
run_quit (FerryCliContext          *context,
          const FerryCliInvocation *invocation,
          GTask                    *task)
{
  g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_QUIT, _("Goodbye"));
}

static const Command commands[] = {
  { "ls", N_("ls [-a] [PATH]"), N_("List a remote folder (-a: dot-files too)"),
    "a", 0, 1, ferry_cli_command_ls },
  { "cd", N_("cd [PATH]"), N_("Change the remote folder (alone: back to the start)"),
    "", 0, 1, ferry_cli_command_cd },
  { "pwd", N_("pwd"), N_("Show the remote folder"),
    "", 0, 0, ferry_cli_command_pwd },
  { "get", N_("get [-r] NAME [LOCAL]"), N_("Download a file (a folder with -r)"),
    "r", 1, 2, ferry_cli_command_get },
  { "put", N_("put [-r] LOCAL [NAME]"), N_("Upload a file (a folder with -r)"),
    "r", 1, 2, ferry_cli_command_put },
  { "mkdir", N_("mkdir PATH"), N_("Create a remote folder"),
    "", 1, 1, ferry_cli_command_mkdir },
  { "rm", N_("rm PATH"), N_("Delete a remote file"),
    "", 1, 1, ferry_cli_command_rm },
  { "rmdir", N_("rmdir PATH"), N_("Remove an empty remote folder"),
    "", 1, 1, ferry_cli_command_rmdir },
  { "mv", N_("mv FROM TO"), N_("Rename or move a remote file or folder"),
    "", 2, 2, ferry_cli_command_mv },
  { "lcd", N_("lcd [PATH]"), N_("Change the local folder (alone: home)"),
    "", 0, 1, run_lcd },
  { "lpwd", N_("lpwd"), N_("Show the local folder"),
    "", 0, 0, run_lpwd },
  { "help", N_("help [COMMAND]"), N_("List the commands, or explain one"),
    "", 0, 1, run_help },
  { "quit", N_("quit"), N_("Close the session (also Ctrl+D)"),
    "", 0, 0, run_quit },
  { "exit", N_("exit"), N_("Close the session, as quit does"),
    "", 0, 0, run_quit },
};

const char * const *
ferry_cli_command_names (void)
{
  static const char *names[G_N_ELEMENTS (commands) + 1];

  if (names[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
      names[i] = commands[i].name;
  return names;
}

static const Command *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static void
append_help_line (GString       *out,
                  const Command *command)
{
  const char *usage = _(command->usage);
  glong width = g_utf8_strlen (usage, -1);

  g_string_append_printf (out, "  %s", usage);
  for (glong i = width; i < 24; i++)
    g_string_append_c (out, ' ');
  g_string_append_printf (out, "  %s\n", _(command->summary));
}

static void
run_help (FerryCliContext          *context,
          const FerryCliInvocation *invocation,
          GTask                    *task)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (invocation->n_args > 0)
    {
      const Command *command = find_command (invocation->args[0]);

      if (command == NULL)
        {
          g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                                   _("help: no command “%s”"), invocation->args[0]);
          return;
        }
      append_help_line (out, command);
    }
  else
    {
      g_string_append (out, _("Commands (names with spaces go in quotes):\n"));
      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        append_help_line (out, &commands[i]);
    }
  ferry_cli_print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

/* Running a command line ----------------------------------------------------------------- */

static void
invocation_free (FerryCliInvocation *invocation)
{
  g_strfreev (invocation->args);
  g_free (invocation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCliInvocation, invocation_free)

/* Takes "-r", "-a", "-ra" before the first other word ("--" ends them). */
static FerryCliInvocation *
parse_invocation (const Command       *command,
                  const char * const  *argv,
                  GError             **error)
{
  g_autoptr(FerryCliInvocation) invocation = g_new0 (FerryCliInvocation, 1);
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  gboolean options_done = FALSE;

  for (guint i = 1; argv[i] != NULL; i++)
    {
      const char *word = argv[i];

      if (!options_done && strcmp (word, "--") == 0)
        {
          options_done = TRUE;
          continue;
        }
      if (options_done || word[0] != '-' || word[1] == '\0')
        {
          options_done = TRUE;
          g_strv_builder_add (args, word);
          invocation->n_args++;
          continue;
        }
      for (const char *letter = word + 1; *letter != '\0'; letter++)
        {
          if (strchr (command->options, *letter) == NULL)
            {
              g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                           _("%s: no option -%c; usage: %s"), command->name, *letter,
                           _(command->usage));
              return NULL;
            }
          if (*letter == 'r')
            invocation->recursive = TRUE;
          else if (*letter == 'a')
            invocation->all = TRUE;
        }
    }

  if (invocation->n_args < command->min_args || invocation->n_args > command->max_args)
    {
      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE, _("usage: %s"),
                   _(command->usage));
      return NULL;
    }
  invocation->args = g_strv_builder_end (args);
  return g_steal_pointer (&invocation);
}

void
ferry_cli_command_run_async (FerryCliContext     *context,
                             const char * const  *argv,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(FerryCliInvocation) invocation = NULL;
  g_autoptr(GError) error = NULL;
  const Command *command;

  g_return_if_fail (argv != NULL && argv[0] != NULL);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_command_run_async));

  /* A cancelled command reports what was cancelled, not GTask's generic message. */
  g_task_set_check_cancellable (task, FALSE);
  command = find_command (argv[0]);
  if (command == NULL)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                               _("%s: unknown command (type “help” for the list)"), argv[0]);
      return;
    }
  invocation = parse_invocation (command, argv, &error);
  if (invocation == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The words live as long as the task; handlers use its task data for their own state. */
  g_object_set_qdata_full (G_OBJECT (task), invocation_quark (), invocation,
                           (GDestroyNotify) invocation_free);
  command->run (context, g_steal_pointer (&invocation), task);
}

gboolean
ferry_cli_command_run_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_command_run_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
