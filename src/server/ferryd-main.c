/* ferryd-main.c — ferryd's entry point: the server, --add-user, or a session process. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ferryd-add-user.h"
#include "ferryd-log.h"
#include "ferryd-options.h"
#include "ferryd-server.h"
#include "ferryd-zygote.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(FerrydOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  ferryd_log_init ();

  /* The session zygote skips option parsing and locale set-up: every session process is
   * forked from it, and they must start fast and stay small while idle. */
  if (argc == 2 && strcmp (argv[1], FERRYD_ZYGOTE_ARGUMENT) == 0)
    return ferryd_zygote_main ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  options = ferryd_options_parse (&argc, &argv, &error);
  if (options == NULL)
    {
      g_printerr ("ferryd: %s\n", error->message);
      return 2;
    }

  if (options->version)
    {
      printf ("ferryd %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (options->add_user != NULL)
    return ferryd_add_user_run (options);

  return ferryd_server_run (options);
}
