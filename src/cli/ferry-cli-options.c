// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-options.c — the command line of ferry-cli. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-config.h"
#include "ferry-cli-options.h"

#include <glib/gi18n.h>

void
ferry_cli_options_free (FerryCliOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->url);
  g_strfreev (options->local_paths);
  g_free (options->user);
  g_free (options);
}

static GOptionContext *
build_context (FerryCliOptions *options)
{
  const GOptionEntry entries[] = {
    { "recursive", 'r', 0, G_OPTION_ARG_NONE, &options->recursive,
      N_("Download or upload whole folders"), NULL },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &options->show_all,
      N_("List dot-files too (ls)"), NULL },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &options->tls,
      N_("Encrypt the connection (explicit FTPS, AUTH TLS)"), NULL },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &options->user,
      N_("Log in as NAME instead of anonymously"), N_("NAME") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet,
      N_("No progress bar and no informational messages"), NULL },
    { "parallel", 'P', 0, G_OPTION_ARG_INT, &options->parallel,
      N_("Move a folder's files over N connections at once (1–16, default 4)"), N_("N") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose,
      N_("A line for every file of a folder transfer"), NULL },
    { "reverse", 'R', 0, G_OPTION_ARG_NONE, &options->reverse,
      N_("mirror: make the remote folder like the local one"), NULL },
    { "delete", 0, 0, G_OPTION_ARG_NONE, &options->delete,
      N_("mirror: delete what the source no longer has"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &options->dry_run,
      N_("mirror: print what would change, change nothing"), NULL },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &options->verify,
      N_("Fail a transfer the server cannot check with HASH (checked whenever it can)"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *context;

  context = g_option_context_new (_("URL | ls URL | get URL [DEST] | put FILE… URL | "
                                    "mirror URL [LOCAL] | mirror -R LOCAL URL | "
                                    "forget-certificate HOST[:PORT]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("A terminal client for FTP servers. With a URL alone it opens a prompt\n"
      "(type “help” there); ls, get, put and mirror run one command and exit, for\n"
      "scripts and cron. mirror copies only what differs; its exit status is 0 only\n"
      "when the trees match.\n"
      "\n"
      "URL: ftp://[USER@]HOST[:PORT]/[PATH]   (ftps://… for explicit TLS)"));
  g_option_context_set_description (context,
    _("The password comes from the FERRY_PASSWORD environment variable, or ferry-cli\n"
      "asks for it on the terminal. A password written in the URL\n"
      "(ftp://USER:PASSWORD@HOST/) works but is discouraged: other users can see it\n"
      "in the process list and it stays in your shell history.\n"
      "\n"
      "Exit status: 0 on success, 1 when the command failed, 2 for a wrong command line."));
  return context;
}

static gboolean
take_operands (FerryCliOptions  *options,
               GStrv             operands,
               GError          **error)
{
  guint count = g_strv_length (operands);
  const char *command = count > 0 ? operands[0] : NULL;

  if (options->parallel < 0 || options->parallel > 16)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("-P takes a number of connections from 1 to 16"));
      return FALSE;
    }

  if (g_strcmp0 (command, "ls") == 0 && count == 2)
    {
      options->mode = FERRY_CLI_MODE_LS;
      options->url = g_strdup (operands[1]);
      options->local_paths = g_new0 (char *, 1);
      return TRUE;
    }
  if (g_strcmp0 (command, "get") == 0 && (count == 2 || count == 3))
    {
      options->mode = FERRY_CLI_MODE_GET;
      options->url = g_strdup (operands[1]);
      options->local_paths = g_strdupv (operands + 2);
      return TRUE;
    }
  if (g_strcmp0 (command, "put") == 0 && count >= 3)
    {
      options->mode = FERRY_CLI_MODE_PUT;
      options->url = g_strdup (operands[count - 1]);
      options->local_paths = g_new0 (char *, count - 1);
      for (guint i = 1; i < count - 1; i++)
        options->local_paths[i - 1] = g_strdup (operands[i]);
      return TRUE;
    }

  if (g_strcmp0 (command, "mirror") == 0 && (count == 2 || count == 3))
    {
      options->mode = FERRY_CLI_MODE_MIRROR;
      /* -R: the local folder comes first, as the source. */
      options->url = g_strdup (operands[options->reverse ? count - 1 : 1]);
      options->local_paths = g_new0 (char *, 2);
      if (count == 3)
        options->local_paths[0] = g_strdup (operands[options->reverse ? 1 : 2]);
      else if (options->reverse)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("mirror -R takes a local folder and a URL: "
                                 "ferry-cli mirror -R ~/site ftp://HOST/www"));
          return FALSE;
        }
      return TRUE;
    }
  if (g_strcmp0 (command, "forget-certificate") == 0 && count == 2)
    {
      options->mode = FERRY_CLI_MODE_FORGET_CERTIFICATE;
      options->url = g_strdup (operands[1]);
      options->local_paths = g_new0 (char *, 1);
      return TRUE;
    }
  if (g_strcmp0 (command, "forget-certificate") == 0)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("forget-certificate takes the server: "
                           "ferry-cli forget-certificate HOST[:PORT]"));
  else if (g_strcmp0 (command, "mirror") == 0)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("mirror takes a URL and a local folder: ferry-cli mirror "
                           "ftp://HOST/photos ~/photos (-R for the other way)"));
  else if (g_strcmp0 (command, "ls") == 0)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("ls takes one URL: ferry-cli ls ftp://HOST/PATH"));
  else if (g_strcmp0 (command, "get") == 0)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("get takes a URL and an optional destination: "
                           "ferry-cli get ftp://HOST/FILE [DEST]"));
  else if (g_strcmp0 (command, "put") == 0)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("put takes one or more files and a URL: "
                           "ferry-cli put FILE… ftp://HOST/FOLDER/"));
  else if (count == 1)
    {
      options->mode = FERRY_CLI_MODE_PROMPT;
      options->url = g_strdup (operands[0]);
      options->local_paths = g_new0 (char *, 1);
      return TRUE;
    }
  else if (count == 0)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("Missing URL: ferry-cli ftp://HOST/"));
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("Unknown command “%s”: use ls, get, put or mirror, or a URL alone for a prompt"),
                 command);
  return FALSE;
}

FerryCliOptions *
ferry_cli_options_parse (GStrv   *argv,
                         GError **error)
{
  g_autoptr(FerryCliOptions) options = g_new0 (FerryCliOptions, 1);
  g_autoptr(GOptionContext) context = build_context (options);

  if (!g_option_context_parse_strv (context, argv, error))
    return NULL;
  if (options->version)
    return g_steal_pointer (&options);

  /* (*argv)[0] is the program name. */
  if (!take_operands (options, *argv + 1, error))
    return NULL;
  return g_steal_pointer (&options);
}
