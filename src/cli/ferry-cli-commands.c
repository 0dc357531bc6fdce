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
  const char             *example;    /* translatable: a line to type */
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
  g_task_return_new_error (task, error->domain, error->code, "%s: %s%s", what, reason,
                           ferry_cli_error_hint (error));
  g_error_free (error);
}

const char *
ferry_cli_error_hint (const GError *error)
{
  /* What to do next, where the reason alone does not say it. */
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_FOUND))
    return _(" — ls shows what is there");
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PERMISSION_DENIED))
    return _(" — stat shows the permissions; log in as a user who may, or ask the "
             "server's administrator");
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_DISK_FULL))
    return _(" — free some space and run it again (a download resumes)");
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT))
    return _(" — run it again (a download resumes)");
  return "";
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

char *
ferry_cli_absolute_remote (FerryCliContext *context,
                           const char      *path)
{
  const char *here = ferry_client_get_current_directory (context->client);

  if (path == NULL || *path == '\0')
    return g_strdup (here != NULL ? here : "/");
  if (path[0] == '/' || here == NULL)
    return g_strdup (path);
  return ferry_vpath_join (here, path);
}

gboolean
ferry_cli_require_session (FerryCliContext *context,
                           GTask           *task)
{
  if (context->client != NULL && ferry_client_is_logged_in (context->client))
    return TRUE;
  g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                           _("not connected to a server: connect with open ftp://HOST/"));
  return FALSE;
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

/* Options: letters a (all), c (resume), f (force), l (long), n (dry run), r (recursive),
 * R (reverse), v (verbose), P (takes a number), D (--delete). NULL: the words are taken as
 * they are. */
static const Command commands[] = {
  { "ls", N_("ls [-a] [-l] [PATH|PATTERN]"), N_("List a remote folder (-a: dot-files too)"),
    N_("ls -l photos/*.jpg"), "al", 0, 1, ferry_cli_command_ls },
  { "dir", N_("dir [-a] [PATH|PATTERN]"), N_("List a remote folder, as ls -l does"),
    N_("dir photos"), "al", 0, 1, ferry_cli_command_ls },
  { "cd", N_("cd [PATH]"), N_("Change the remote folder (alone: back to the start)"),
    N_("cd photos/2024"), "", 0, 1, ferry_cli_command_cd },
  { "pwd", N_("pwd"), N_("Show the remote folder"),
    N_("pwd"), "", 0, 0, ferry_cli_command_pwd },
  { "get", N_("get [-r] [-c] [-v] [-P N] NAME|PATTERN [LOCAL]"),
    N_("Download files (a folder with -r, over N connections; -c: resume)"),
    N_("get *.jpg ~/Pictures/"), "rcvP", 1, 2, ferry_cli_command_get },
  { "reget", N_("reget [-r] [-v] [-P N] NAME [LOCAL]"),
    N_("Resume a download, keeping what is already here"),
    N_("reget big.iso"), "rvP", 1, 2, ferry_cli_command_get },
  { "mget", N_("mget [-r] [-c] PATTERN..."), N_("Download every file that matches"),
    N_("mget *.jpg *.png"), "rcvP", 1, G_MAXUINT, ferry_cli_command_get },
  { "put", N_("put [-r] [-v] [-P N] LOCAL|PATTERN [NAME]"),
    N_("Upload files (a folder with -r, over N connections)"),
    N_("put -r holiday/"), "rvP", 1, 2, ferry_cli_command_put },
  { "mput", N_("mput [-r] PATTERN..."), N_("Upload every local file that matches"),
    N_("mput *.txt notes/*.md"), "rvP", 1, G_MAXUINT, ferry_cli_command_put },
  { "cat", N_("cat FILE"), N_("Show a remote file on the terminal"),
    N_("cat README.txt"), "", 1, 1, ferry_cli_command_cat },
  { "mirror", N_("mirror [-R] [--delete] [--dry-run] [-v] [-P N] SOURCE [TARGET]"),
    N_("Make a local folder like a remote one (-R: the remote like the local)"),
    N_("mirror -R --delete ~/site www"), "RDnvP", 1, 2, ferry_cli_command_mirror },
  { "mkdir", N_("mkdir PATH"), N_("Create a remote folder"),
    N_("mkdir photos/2025"), "", 1, 1, ferry_cli_command_mkdir },
  { "rm", N_("rm PATH|PATTERN..."), N_("Delete remote files"),
    N_("rm *.tmp"), "", 1, G_MAXUINT, ferry_cli_command_rm },
  { "rmdir", N_("rmdir PATH"), N_("Remove an empty remote folder"),
    N_("rmdir old"), "", 1, 1, ferry_cli_command_rmdir },
  { "mv", N_("mv [-f] FROM TO"),
    N_("Rename or move a remote file or folder (never onto an existing name; -f: replace it)"),
    N_("mv draft.txt final.txt"), "f", 2, 2, ferry_cli_command_mv },
  { "stat", N_("stat PATH"), N_("Show a remote file's size, time and permissions"),
    N_("stat photos/cat.jpg"), "", 1, 1, ferry_cli_command_stat },
  { "du", N_("du [PATH]"), N_("Count the files and bytes beneath a remote folder"),
    N_("du photos"), "", 0, 1, ferry_cli_command_du },
  { "find", N_("find [PATH] [PATTERN]"), N_("List every file and folder beneath a remote folder"),
    N_("find photos *.jpg"), "", 0, 2, ferry_cli_command_find },
  { "open", N_("open URL"), N_("Connect to another server (closes this one)"),
    N_("open ftp://nas.local:2121/"), "", 1, 1, ferry_cli_command_open },
  { "close", N_("close"), N_("Disconnect, staying at the prompt"),
    N_("close"), "", 0, 0, ferry_cli_command_close },
  { "lcd", N_("lcd [PATH]"), N_("Change the local folder (alone: home)"),
    N_("lcd ~/Downloads"), "", 0, 1, ferry_cli_command_lcd },
  { "lpwd", N_("lpwd"), N_("Show the local folder"),
    N_("lpwd"), "", 0, 0, ferry_cli_command_lpwd },
  { "lls", N_("lls [ARGS]"), N_("List the local folder (runs ls)"),
    N_("lls -l"), NULL, 0, G_MAXUINT, ferry_cli_command_lls },
  { "!", N_("!COMMAND"), N_("Run a shell command on this machine (alone: a shell)"),
    N_("!df -h ."), NULL, 0, 1, ferry_cli_command_shell },
  { "help", N_("help [COMMAND]"), N_("List the commands, or explain one"),
    N_("help get"), "", 0, 1, run_help },
  { "quit", N_("quit"), N_("Close the session (also Ctrl+D)"),
    N_("quit"), "", 0, 0, run_quit },
  { "exit", N_("exit"), N_("Close the session, as quit does"),
    N_("exit"), "", 0, 0, run_quit },
  { "bye", N_("bye"), N_("Close the session, as quit does"),
    N_("bye"), "", 0, 0, run_quit },
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
  /* A long usage gets its summary on the next line, in the same column. */
  if (width > 24)
    {
      g_string_append_c (out, '\n');
      width = -2;
    }
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
      g_string_append_printf (out, _("  example: %s\n"), _(command->example));
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

/* Commands that work without a server. */
static gboolean
command_is_local (const Command *command)
{
  static const char * const local[] = {
    "lcd", "lpwd", "lls", "!", "help", "quit", "exit", "bye", "open", NULL
  };

  return g_strv_contains (local, command->name);
}

/* Running a command line ----------------------------------------------------------------- */

static void
invocation_free (FerryCliInvocation *invocation)
{
  g_strfreev (invocation->args);
  g_free (invocation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCliInvocation, invocation_free)

/* A usage error: what was wrong, the usage and an example, in one line. */
static void
set_usage_error (GError        **error,
                 const Command  *command,
                 const char     *problem)
{
  g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
               _("%s: %s; usage: %s (example: %s)"), command->name, problem,
               _(command->usage), _(command->example));
}

static gboolean
parse_parallel (const Command       *command,
                const char          *text,
                FerryCliInvocation  *invocation,
                GError             **error)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 16, &value, NULL))
    {
      set_usage_error (error, command, _("-P takes a number of connections from 1 to 16"));
      return FALSE;
    }
  invocation->parallel = value;
  return TRUE;
}

/* Takes "-r", "-a", "-ra", "-P 4", "-P4", "--delete", "--dry-run" before the first other
 * word ("--" ends them). */
static FerryCliInvocation *
parse_invocation (const Command       *command,
                  const char * const  *argv,
                  GError             **error)
{
  g_autoptr(FerryCliInvocation) invocation = g_new0 (FerryCliInvocation, 1);
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  gboolean options_done = command->options == NULL;

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
      if (word[1] == '-')
        {
          if (strcmp (word, "--delete") == 0 && strchr (command->options, 'D') != NULL)
            invocation->delete = TRUE;
          else if (strcmp (word, "--dry-run") == 0 && strchr (command->options, 'n') != NULL)
            invocation->dry_run = TRUE;
          else
            {
              g_autofree char *problem = g_strdup_printf (_("no option %s"), word);

              set_usage_error (error, command, problem);
              return NULL;
            }
          continue;
        }
      for (const char *letter = word + 1; *letter != '\0'; letter++)
        {
          if (strchr (command->options, *letter) == NULL || *letter == 'D')
            {
              g_autofree char *problem = g_strdup_printf (_("no option -%c"), *letter);

              set_usage_error (error, command, problem);
              return NULL;
            }
          switch (*letter)
            {
            case 'r': invocation->recursive = TRUE; break;
            case 'a': invocation->all = TRUE; break;
            case 'l': invocation->long_format = TRUE; break;
            case 'c': invocation->resume = TRUE; break;
            case 'f': invocation->force = TRUE; break;
            case 'v': invocation->verbose = TRUE; break;
            case 'R': invocation->reverse = TRUE; break;
            case 'n': invocation->dry_run = TRUE; break;
            case 'P':
              /* "-P4" or "-P 4". */
              if (!parse_parallel (command, letter[1] != '\0' ? letter + 1 : argv[++i],
                                   invocation, error))
                return NULL;
              letter = letter + strlen (letter) - 1;
              break;
            default: break;
            }
          if (argv[i] == NULL)
            break;
        }
      if (argv[i] == NULL)
        break;
    }

  if (invocation->n_args < command->min_args)
    {
      set_usage_error (error, command, _("missing a name"));
      return NULL;
    }
  if (invocation->n_args > command->max_args)
    {
      set_usage_error (error, command, _("too many names (put a name with spaces in quotes)"));
      return NULL;
    }
  invocation->args = g_strv_builder_end (args);
  invocation->name = command->name;
  if (strcmp (command->name, "reget") == 0)
    invocation->resume = TRUE;
  if (strcmp (command->name, "dir") == 0)
    invocation->long_format = TRUE;
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
      g_autofree char *shown = ferry_cli_escape (argv[0]);

      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                               _("%s: unknown command (type “help” for the list)"), shown);
      return;
    }
  invocation = parse_invocation (command, argv, &error);
  if (invocation == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!command_is_local (command) && !ferry_cli_require_session (context, task))
    return;

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
