// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-add-user.c — adds or changes a user in the users file. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ferryd-add-user.h"
#include "ferryd-password-prompt.h"
#include "ferryd-users.h"

static char *
users_file_named (const FerrydOptions  *options,
                  GError              **error)
{
  char *path = g_key_file_get_string (options->overrides, FERRYD_CONFIG_GROUP, "users", NULL);

  if (path == NULL && options->config_file != NULL)
    {
      g_autoptr(GKeyFile) file = g_key_file_new ();

      if (!g_key_file_load_from_file (file, options->config_file, G_KEY_FILE_NONE, error))
        {
          g_prefix_error (error, _("cannot read the config file “%s”: "), options->config_file);
          return NULL;
        }
      path = g_key_file_get_string (file, FERRYD_CONFIG_GROUP, "users", NULL);
    }
  if (path == NULL || *path == '\0')
    {
      g_free (path);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--add-user needs the users file: give --users FILE"));
      return NULL;
    }
  return path;
}

int
ferryd_add_user_run (const FerrydOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = users_file_named (options, &error);
  char *password;
  gboolean grant_write;
  gboolean saved;

  if (path == NULL)
    {
      g_printerr ("ferryd: %s\n", error->message);
      return 2;
    }

  password = ferryd_password_prompt_twice (options->add_user, &error);
  if (password == NULL)
    {
      g_printerr ("ferryd: %s\n", error->message);
      return 1;
    }
  /* --write with --add-user: this user may upload, whatever the server's default. */
  grant_write = g_key_file_has_key (options->overrides, FERRYD_CONFIG_GROUP, "write", NULL);
  saved = ferryd_users_file_set_password (path, options->add_user, password, grant_write,
                                          &error);
  explicit_bzero (password, strlen (password));
  g_free (password);

  if (!saved)
    {
      g_printerr ("ferryd: %s\n", error->message);
      return 1;
    }
  g_printerr (_("ferryd: %s can now log in (password stored as a yescrypt hash in %s)\n"),
              options->add_user, path);
  if (grant_write)
    g_printerr (_("ferryd: %s may upload, rename and delete (write=true)\n"), options->add_user);
  return 0;
}
