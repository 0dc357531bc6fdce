/* ferry-cli-commands.c — the table of prompt commands and what each one does. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands.h"
#include "ferry-cli-format.h"
#include "ferry-cli-transfer.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (ferry-cli-error-quark, ferry_cli_error)

/* A command's words after its name, with its one-letter options taken out. */
typedef struct {
  GStrv    args;
  guint    n_args;
  gboolean recursive;   /* -r */
  gboolean all;         /* -a */
} Invocation;

typedef void (*CommandFunc) (FerryCliContext  *context,
                             const Invocation *invocation,
                             GTask            *task);

typedef struct {
  const char  *name;
  const char  *usage;      /* translatable */
  const char  *summary;    /* translatable */
  const char  *options;    /* the one-letter options it takes */
  guint        min_args;
  guint        max_args;
  CommandFunc  run;
} Command;

static void
print_text (const char *text)
{
  fputs (text, stdout);
  fflush (stdout);
}

/* The error to show: what was attempted, then the engine's reason ("… (550 …)"). */
static void
return_failure (GTask      *task,
                GError     *error,
                const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled: %s"), what);
      g_error_free (error);
      return;
    }
  g_prefix_error (&error, "%s: ", what);
  g_task_return_error (task, error);
}

static GQuark
invocation_quark (void)
{
  return g_quark_from_static_string ("ferry-cli-invocation");
}

/* The command's words, kept on the task (its task data belongs to the handler). */
static const Invocation *
task_invocation (GTask *task)
{
  return g_object_get_qdata (G_OBJECT (task), invocation_quark ());
}

/* "dir/" + base name of local: a target named as a folder gets the source's name. */
static char *
remote_target_for (const char *target,
                   const char *local)
{
  g_autofree char *base = g_path_get_basename (local);

  if (target == NULL)
    return g_steal_pointer (&base);
  if (g_str_has_suffix (target, "/"))
    return g_strconcat (target, base, NULL);
  return g_strdup (target);
}

/* ls ------------------------------------------------------------------------------------ */

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Invocation *invocation = task_invocation (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) out = NULL;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      const char *path = invocation->n_args > 0
        ? invocation->args[0]
        : ferry_client_get_current_directory (FERRY_CLIENT (source));

      g_autofree char *what = g_strdup_printf (_("cannot list %s"), path);

      return_failure (task, g_steal_pointer (&error), what);
      return;
    }
  out = g_string_new (NULL);
  ferry_cli_format_listing (out, entries, invocation->all);
  print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

static void
run_ls (FerryCliContext  *context,
        const Invocation *invocation,
        GTask            *task)
{
  ferry_client_list_async (context->client, invocation->n_args > 0 ? invocation->args[0] : NULL,
                           g_task_get_cancellable (task), on_listed, g_object_ref (task));
}

/* cd, pwd ------------------------------------------------------------------------------- */

static void
on_changed_directory (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;

  now = ferry_client_change_directory_finish (FERRY_CLIENT (source), result, &error);
  if (now == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("cannot change to %s"),
                                               (const char *) g_task_get_task_data (task));

      return_failure (task, g_steal_pointer (&error), what);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_cd (FerryCliContext  *context,
        const Invocation *invocation,
        GTask            *task)
{
  const char *path = invocation->n_args > 0 ? invocation->args[0] : context->home;

  g_task_set_task_data (task, g_strdup (path), g_free);
  ferry_client_change_directory_async (context->client, path, g_task_get_cancellable (task),
                                       on_changed_directory, g_object_ref (task));
}

static void
run_pwd (FerryCliContext  *context,
         const Invocation *invocation,
         GTask            *task)
{
  g_autofree char *line = g_strdup_printf ("%s\n",
                                           ferry_client_get_current_directory (context->client));

  print_text (line);
  g_task_return_boolean (task, TRUE);
}

/* get, put ------------------------------------------------------------------------------ */

typedef struct {
  FerryTransfer *transfer;
  char          *subject;     /* what the error line names */
  gboolean       download;
} TransferCommand;

static void
transfer_command_free (TransferCommand *command)
{
  g_clear_object (&command->transfer);
  g_free (command->subject);
  g_free (command);
}

static void
on_transferred (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferCommand *command = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;

  if (ferry_cli_transfer_run_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (command->download && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Cancelled the download of %s; get it again to resume"),
                               command->subject);
      return;
    }
  what = command->download ? g_strdup_printf (_("cannot download %s"), command->subject)
                           : g_strdup_printf (_("cannot upload %s"), command->subject);
  return_failure (task, g_steal_pointer (&error), what);
}

static void
start_transfer (FerryCliContext *context,
                GTask           *task,
                FerryTransfer   *transfer,
                const char      *subject,
                gboolean         download)
{
  TransferCommand *command = g_new0 (TransferCommand, 1);

  /* Like other FTP clients, get and put replace a file of the same name. A NAME.part left by
   * an interrupted download is still resumed. */
  ferry_transfer_set_conflict_policy (transfer, FERRY_CONFLICT_REPLACE);
  command->transfer = g_object_ref (transfer);
  command->subject = g_strdup (subject);
  command->download = download;
  g_task_set_task_data (task, command, (GDestroyNotify) transfer_command_free);

  ferry_cli_transfer_run_async (context->client, transfer, context->progress,
                                g_task_get_cancellable (task), on_transferred,
                                g_object_ref (task));
}

static void
run_get (FerryCliContext  *context,
         const Invocation *invocation,
         GTask            *task)
{
  const char *remote = invocation->args[0];
  const char *local = invocation->n_args > 1 ? invocation->args[1] : NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;

  if (local == NULL)
    folder = g_file_new_for_path (".");
  else if (g_file_test (local, G_FILE_TEST_IS_DIR))
    folder = g_file_new_for_path (local);
  else
    {
      g_autofree char *parent = g_path_get_dirname (local);

      folder = g_file_new_for_path (parent);
      name = g_path_get_basename (local);
    }

  transfer = ferry_transfer_new_download (remote, invocation->recursive, folder, name);
  start_transfer (context, task, transfer, remote, TRUE);
}

static void
run_put (FerryCliContext  *context,
         const Invocation *invocation,
         GTask            *task)
{
  const char *local = invocation->args[0];
  g_autofree char *remote = remote_target_for (invocation->n_args > 1 ? invocation->args[1] : NULL,
                                               local);
  g_autoptr(GFile) file = g_file_new_for_path (local);
  g_autoptr(FerryTransfer) transfer = NULL;
  GFileType type;

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type == G_FILE_TYPE_UNKNOWN)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("cannot upload %s: no such file or folder"), local);
      return;
    }
  if (type == G_FILE_TYPE_DIRECTORY && !invocation->recursive)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                               _("cannot upload %s: it is a folder (use put -r)"), local);
      return;
    }

  transfer = ferry_transfer_new_upload (file, remote);
  start_transfer (context, task, transfer, local, FALSE);
}

/* mkdir, rm, rmdir, mv ------------------------------------------------------------------ */

typedef gboolean (*FinishFunc) (FerryClient *client, GAsyncResult *result, GError **error);

typedef struct {
  FinishFunc  finish;
  char       *what;     /* "cannot delete x", for the error line */
} SimpleCommand;

static void
simple_command_free (SimpleCommand *command)
{
  g_free (command->what);
  g_free (command);
}

static void
on_simple_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SimpleCommand *command = g_task_get_task_data (task);
  GError *error = NULL;

  if (command->finish (FERRY_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    return_failure (task, error, command->what);
}

/* Takes what (the formatted "cannot … x"). */
static void
prepare_simple (GTask      *task,
                FinishFunc  finish,
                char       *what)
{
  SimpleCommand *command = g_new0 (SimpleCommand, 1);

  command->finish = finish;
  command->what = what;
  g_task_set_task_data (task, command, (GDestroyNotify) simple_command_free);
}

static void
run_mkdir (FerryCliContext  *context,
           const Invocation *invocation,
           GTask            *task)
{
  prepare_simple (task, ferry_client_mkdir_finish,
                  g_strdup_printf (_("cannot create folder %s"), invocation->args[0]));
  ferry_client_mkdir_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                            on_simple_done, g_object_ref (task));
}

static void
run_rm (FerryCliContext  *context,
        const Invocation *invocation,
        GTask            *task)
{
  prepare_simple (task, ferry_client_delete_finish,
                  g_strdup_printf (_("cannot delete %s"), invocation->args[0]));
  ferry_client_delete_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                             on_simple_done, g_object_ref (task));
}

static void
run_rmdir (FerryCliContext  *context,
           const Invocation *invocation,
           GTask            *task)
{
  prepare_simple (task, ferry_client_rmdir_finish,
                  g_strdup_printf (_("cannot remove folder %s"), invocation->args[0]));
  ferry_client_rmdir_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                            on_simple_done, g_object_ref (task));
}

static void
run_mv (FerryCliContext  *context,
        const Invocation *invocation,
        GTask            *task)
{
  const char *from = invocation->args[0];
  g_autofree char *to = remote_target_for (invocation->args[1], from);

  prepare_simple (task, ferry_client_rename_finish,
                  g_strdup_printf (_("cannot rename %s to %s"), from, to));
  ferry_client_rename_async (context->client, from, to, g_task_get_cancellable (task),
                             on_simple_done, g_object_ref (task));
}

/* lcd, lpwd ----------------------------------------------------------------------------- */

static void
run_lcd (FerryCliContext  *context,
         const Invocation *invocation,
         GTask            *task)
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
run_lpwd (FerryCliContext  *context,
          const Invocation *invocation,
          GTask            *task)
{
  g_autofree char *here = g_get_current_dir ();
  g_autofree char *line = g_strdup_printf ("%s\n", here);

  print_text (line);
  g_task_return_boolean (task, TRUE);
}

/* help, quit ---------------------------------------------------------------------------- */

static void run_help (FerryCliContext *context, const Invocation *invocation, GTask *task);

static void
run_quit (FerryCliContext  *context,
          const Invocation *invocation,
          GTask            *task)
{
  g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_QUIT, _("Goodbye"));
}

static const Command commands[] = {
  { "ls",    N_("ls [-a] [PATH]"),         N_("List a remote folder (-a: dot-files too)"), "a", 0, 1, run_ls },
  { "cd",    N_("cd [PATH]"),              N_("Change the remote folder (alone: back to the start)"), "", 0, 1, run_cd },
  { "pwd",   N_("pwd"),                    N_("Show the remote folder"), "", 0, 0, run_pwd },
  { "get",   N_("get [-r] NAME [LOCAL]"),  N_("Download a file (a folder with -r)"), "r", 1, 2, run_get },
  { "put",   N_("put [-r] LOCAL [NAME]"),  N_("Upload a file (a folder with -r)"), "r", 1, 2, run_put },
  { "mkdir", N_("mkdir PATH"),             N_("Create a remote folder"), "", 1, 1, run_mkdir },
  { "rm",    N_("rm PATH"),                N_("Delete a remote file"), "", 1, 1, run_rm },
  { "rmdir", N_("rmdir PATH"),             N_("Remove an empty remote folder"), "", 1, 1, run_rmdir },
  { "mv",    N_("mv FROM TO"),             N_("Rename or move a remote file or folder"), "", 2, 2, run_mv },
  { "lcd",   N_("lcd [PATH]"),             N_("Change the local folder (alone: home)"), "", 0, 1, run_lcd },
  { "lpwd",  N_("lpwd"),                   N_("Show the local folder"), "", 0, 0, run_lpwd },
  { "help",  N_("help [COMMAND]"),         N_("List the commands, or explain one"), "", 0, 1, run_help },
  { "quit",  N_("quit"),                   N_("Close the session (also Ctrl+D)"), "", 0, 0, run_quit },
  { "exit",  N_("exit"),                   N_("Close the session, as quit does"), "", 0, 0, run_quit },
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
run_help (FerryCliContext  *context,
          const Invocation *invocation,
          GTask            *task)
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
  print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

/* Running a command line ----------------------------------------------------------------- */

static void
invocation_free (Invocation *invocation)
{
  g_strfreev (invocation->args);
  g_free (invocation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Invocation, invocation_free)

/* Takes "-r", "-a", "-ra" before the first other word ("--" ends them). */
static Invocation *
parse_invocation (const Command       *command,
                  const char * const  *argv,
                  GError             **error)
{
  g_autoptr(Invocation) invocation = g_new0 (Invocation, 1);
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
  g_autoptr(Invocation) invocation = NULL;
  g_autoptr(GError) error = NULL;
  const Command *command;

  g_return_if_fail (argv != NULL && argv[0] != NULL);

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
  return g_task_propagate_boolean (G_TASK (result), error);
}
