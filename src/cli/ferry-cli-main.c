// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-main.c — ferry-cli: the prompt on a URL, or one-shot ls/get/put for scripts. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "ferry-cli-certificate.h"
#include "ferry-cli-escape.h"
#include "ferry-cli-login.h"
#include "ferry-cli-oneshot.h"
#include "ferry-cli-options.h"
#include "ferry-cli-shell.h"

/* One line: the message may quote the server's replies and names. */
static void
print_error (const GError *error)
{
  g_autofree char *message = ferry_cli_escape (error->message);

  fprintf (stderr, "ferry-cli: %s\n", message);
}

typedef struct {
  GMainLoop             *loop;
  const FerryCliOptions *options;
  const FerryCliTarget  *target;
  int                    status;
} Program;

static void
fail (Program      *program,
      const GError *error)
{
  /* The prompt prints its own errors as they happen; scripts read this one line. */
  print_error (error);
  program->status = 1;
}

static void
on_shell_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Program *program = user_data;

  if (!ferry_cli_shell_run_finish (FERRY_CLI_SHELL (source), result, NULL))
    program->status = 1;
  g_main_loop_quit (program->loop);
}

static void
on_oneshot_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Program *program = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_cli_oneshot_run_finish (result, &error))
    fail (program, error);
  g_main_loop_quit (program->loop);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Program *program = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryClient) client = ferry_cli_open_finish (result, &error);

  if (client == NULL)
    {
      fail (program, error);
      g_main_loop_quit (program->loop);
      return;
    }

  ferry_client_set_require_verification (client, program->options->verify);
  if (program->options->mode == FERRY_CLI_MODE_PROMPT)
    {
      g_autoptr(FerryCliShell) shell = ferry_cli_shell_new (client, program->target->url->path,
                                                            program->options->quiet);

      ferry_cli_shell_run_async (shell, NULL, on_shell_done, program);
      return;
    }
  ferry_cli_oneshot_run_async (client, program->options, program->target->url->path, NULL,
                               on_oneshot_done, program);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) args = g_strdupv (argv);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCliOptions) options = NULL;
  g_autoptr(FerryCliTarget) target = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Program program = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ferry-cli");

  options = ferry_cli_options_parse (&args, &error);
  if (options == NULL)
    {
      print_error (error);
      return FERRY_CLI_EXIT_USAGE;
    }
  if (options->version)
    {
      printf ("ferry-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* Needs no server, and no password. */
  if (options->mode == FERRY_CLI_MODE_FORGET_CERTIFICATE)
    return ferry_cli_certificate_forget (options->url);

  target = ferry_cli_target_new (options, &error);
  if (target == NULL)
    {
      print_error (error);
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_INVALID_URL))
        return FERRY_CLI_EXIT_USAGE;
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  program.loop = loop;
  program.options = options;
  program.target = target;
  ferry_cli_open_async (target, NULL, on_opened, &program);
  g_main_loop_run (loop);

  return program.status;
}
