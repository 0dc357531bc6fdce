// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-local.c — the commands on this machine's side: lcd, lpwd, lls and
 * !COMMAND (a shell command, or a shell). */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
ferry_cli_command_lcd (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  const char *path = invocation->n_args > 0 ? invocation->args[0] : g_get_home_dir ();
  g_autofree char *expanded = NULL;

  /* "lcd ~/Downloads" as a shell would read it. */
  if (g_str_has_prefix (path, "~/") || g_str_equal (path, "~"))
    path = expanded = g_build_filename (g_get_home_dir (), path + 1, NULL);
  if (g_chdir (path) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("cannot change the local folder to %s: %s (lls shows what "
                                 "is here)"), path, g_strerror (saved_errno));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ferry_cli_command_lpwd (FerryCliContext          *context,
                        const FerryCliInvocation *invocation,
                        GTask                    *task)
{
  g_autofree char *here = g_get_current_dir ();
  g_autofree char *line = g_strdup_printf ("%s\n", here);

  ferry_cli_print_text (line);
  g_task_return_boolean (task, TRUE);
}

/* Running a program with the terminal ---------------------------------------------------- */

static void
on_program_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  const char *what = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (process, result, &error))
    {
      /* Ctrl+C reached the program too (same terminal); make sure it is gone. */
      g_subprocess_force_exit (process);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled: %s"), what);
      return;
    }
  if (g_subprocess_get_if_signaled (process))
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("%s: stopped by signal %d"), what,
                               g_subprocess_get_term_sig (process));
      return;
    }
  if (g_subprocess_get_exit_status (process) != 0)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("%s: ended with exit status %d"), what,
                               g_subprocess_get_exit_status (process));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_program (GTask              *task,
             const char * const *argv,
             const char         *what)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  /* The program's output must follow what ferry-cli printed before it. */
  fflush (stdout);
  fflush (stderr);
  /* A script's stdin holds its next commands: the program must not read them. */
  process = g_subprocess_newv (argv, isatty (STDIN_FILENO) ? G_SUBPROCESS_FLAGS_STDIN_INHERIT
                                                          : G_SUBPROCESS_FLAGS_NONE, &error);
  if (process == NULL)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("cannot run %s: %s"), argv[0], error->message);
      return;
    }
  g_task_set_task_data (task, g_strdup (what), g_free);
  g_subprocess_wait_async (process, g_task_get_cancellable (task), on_program_done,
                           g_object_ref (task));
}

void
ferry_cli_command_lls (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, "ls");
  g_strv_builder_addv (builder, (const char **) invocation->args);
  argv = g_strv_builder_end (builder);
  run_program (task, (const char * const *) argv, "lls");
}

void
ferry_cli_command_shell (FerryCliContext          *context,
                         const FerryCliInvocation *invocation,
                         GTask                    *task)
{
  const char *line = invocation->n_args > 0 ? invocation->args[0] : "";

  if (line[strspn (line, " \t")] == '\0')
    {
      const char *shell = g_getenv ("SHELL");
      const char * const argv[] = { shell != NULL && *shell != '\0' ? shell : "/bin/sh", NULL };

      run_program (task, argv, "!");
      return;
    }
  {
    const char * const argv[] = { "/bin/sh", "-c", line, NULL };
    g_autofree char *what = g_strconcat ("!", line, NULL);

    run_program (task, argv, what);
  }
}
