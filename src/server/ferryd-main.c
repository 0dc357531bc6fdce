// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-main.c — ferryd's entry point: the server, or --add-user. (Sessions run in the
 * session program, ferryd-zygote-main.c.) */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "ferryd-add-user.h"
#include "ferryd-log.h"
#include "ferryd-options.h"
#include "ferryd-server.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(FerrydOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  ferryd_log_init ();
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
