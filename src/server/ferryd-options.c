// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-options.c — GOptionContext for ferryd; every setting is also a config-file key. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferryd-options.h"

/* The settings: long name = config-file key. Their values are collected as text and go
 * into the overrides key file, so the command line and the config file share one set of
 * checks (ferryd_config_apply_key_file). */
typedef struct {
  const char *name;
  char        short_name;
  gboolean    is_flag;
  const char *description;
  const char *arg_description;
} Setting;

static const Setting settings[] = {
  { "root", 'r', FALSE, N_("Folder to serve (default: the current folder)"), N_("DIR") },
  { "port", 'p', FALSE, N_("TCP port to listen on (default: 2121; 0 picks a free one)"),
    N_("N") },
  { "bind", 'b', FALSE, N_("Address to listen on (default: every address)"), N_("ADDR") },
  { "write", 'w', TRUE, N_("Allow upload, mkdir, rename and delete"), NULL },
  { "anonymous", 0, TRUE, N_("Allow anonymous logins as well as the users file"), NULL },
  { "users", 'u', FALSE, N_("Users file: only these users log in (see --add-user)"),
    N_("FILE") },
  { "tls-cert", 0, FALSE, N_("PEM certificate for AUTH TLS"), N_("FILE") },
  { "tls-key", 0, FALSE, N_("PEM private key for AUTH TLS"), N_("FILE") },
  { "require-tls", 0, TRUE, N_("Refuse logins before AUTH TLS"), NULL },
  { "tls-min-version", 0, FALSE,
    N_("Lowest TLS version accepted: 1.0, 1.1, 1.2 or 1.3 (default: 1.2)"), N_("VERSION") },
  { "tls-allow-no-reuse", 0, TRUE,
    N_("Accept protected data connections that do not resume the control connection’s TLS "
       "session (old clients; weakens the defence against data connection theft)"), NULL },
  { "max-clients", 0, FALSE, N_("Sessions at once (default: 200)"), N_("N") },
  { "max-per-ip", 0, FALSE, N_("Sessions at once from one address (default: 50)"), N_("N") },
  { "max-login-failures", 0, FALSE,
    N_("Ban an address after N failed logins within --ban-window (default: 10; 0: never)"),
    N_("N") },
  { "ban-window", 0, FALSE,
    N_("Seconds over which failed logins count (default: 600)"), N_("S") },
  { "ban-time", 0, FALSE,
    N_("Seconds a banned address gets 421 (default: 600)"), N_("S") },
  { "idle-timeout", 0, FALSE, N_("Close a silent session after S seconds (default: 300)"),
    N_("S") },
  { "data-timeout", 0, FALSE,
    N_("End a data connection that makes no progress for S seconds (default: 60)"), N_("S") },
  { "hash-max-size", 0, FALSE,
    N_("Largest file HASH computes a checksum of, in bytes (default: 8 GiB; 0: no limit)"),
    N_("BYTES") },
  { "bulk-after", 0, FALSE,
    N_("After N MiB a transfer gives way: its session lowers its CPU, disk and network "
       "priority until it ends, so logins and listings do not wait (default: 2; 0: never)"),
    N_("N") },
  { "passive-ports", 0, FALSE, N_("Ports for passive data connections"), N_("A-B") },
  { "passive-address", 0, FALSE, N_("IPv4 address announced in PASV replies (behind NAT)"),
    N_("IP") },
  { "proxy-protocol", 0, TRUE,
    N_("Read the PROXY protocol header (v1 or v2) that the --proxy-from load balancers send "
       "on control and passive data connections"), NULL },
  { "proxy-from", 0, FALSE,
    N_("The load balancers that send a PROXY header (comma-separated)"),
    N_("ADDR[/PREFIX],…") },
  { "show-hidden", 0, TRUE, N_("List and serve dot-files"), NULL },
  { "run-as", 0, FALSE,
    N_("User to serve as when started as root (default: the owner of the folder)"),
    N_("USER") },
  { "verbose", 'v', TRUE, N_("Log debugging messages too"), NULL },
  { "name", 0, FALSE,
    N_("Name announced on the LAN (default: “FOLDER on HOST”)"), N_("NAME") },
  { "xferlog", 0, FALSE,
    N_("Log every transfer to FILE, one line each in the xferlog format of wu-ftpd, vsftpd "
       "and ProFTPD (reopened on SIGHUP, for logrotate)"), N_("FILE") },
  { "status-fd", 0, FALSE,
    N_("Write what clients do as JSON lines to descriptor FD (for programs running ferryd)"),
    N_("FD") },
};

typedef struct {
  char     *text;
  gboolean  given;
} SettingValue;

FerrydOptions *
ferryd_options_parse (int      *argc,
                      char   ***argv,
                      GError  **error)
{
  g_autoptr(FerrydOptions) options = g_new0 (FerrydOptions, 1);
  g_autoptr(GOptionContext) context = NULL;
  SettingValue values[G_N_ELEMENTS (settings)] = { { NULL, FALSE } };
  GOptionEntry setting_entries[G_N_ELEMENTS (settings) + 1] = { { NULL } };
  GOptionGroup *group;
  gboolean parsed;
  gboolean no_announce = FALSE;
  const GOptionEntry other_entries[] = {
    { "no-announce", 0, 0, G_OPTION_ARG_NONE, &no_announce,
      N_("Do not announce the server on the LAN (DNS-SD through Avahi)"), NULL },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config_file,
      N_("Read settings from FILE (group [ferryd]); the command line wins"), N_("FILE") },
    { "add-user", 0, 0, G_OPTION_ARG_STRING, &options->add_user,
      N_("Ask for a password for NAME and store it in the --users file, then exit"),
      N_("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  options->overrides = g_key_file_new ();
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    setting_entries[i] = (GOptionEntry) {
      settings[i].name, settings[i].short_name, 0,
      settings[i].is_flag ? G_OPTION_ARG_NONE : G_OPTION_ARG_STRING,
      settings[i].is_flag ? (gpointer) &values[i].given : (gpointer) &values[i].text,
      settings[i].description, settings[i].arg_description,
    };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Serve a folder over FTP, one process per client."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  group = g_option_group_new ("ferryd", _("ferryd options"), _("Show ferryd options"),
                              NULL, NULL);
  g_option_group_add_entries (group, setting_entries);
  g_option_group_add_entries (group, other_entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);

  parsed = g_option_context_parse (context, argc, argv, error);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      if (parsed && (values[i].given || values[i].text != NULL))
        g_key_file_set_string (options->overrides, FERRYD_CONFIG_GROUP, settings[i].name,
                               values[i].text != NULL ? values[i].text : "true");
      g_free (values[i].text);
    }
  if (!parsed)
    return NULL;
  /* The config file's key is "announce=false"; on the command line the negative reads better. */
  if (no_announce)
    g_key_file_set_string (options->overrides, FERRYD_CONFIG_GROUP, "announce", "false");

  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s” (the folder goes after --root)"), (*argv)[1]);
      return NULL;
    }

  return g_steal_pointer (&options);
}

void
ferryd_options_free (FerrydOptions *options)
{
  if (options == NULL)
    return;

  g_clear_pointer (&options->overrides, g_key_file_unref);
  g_free (options->config_file);
  g_free (options->add_user);
  g_free (options);
}

FerrydConfig *
ferryd_options_load_config (const FerrydOptions  *options,
                            GError              **error)
{
  g_autoptr(FerrydConfig) config = ferryd_config_new_defaults ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gboolean anonymous_given;

  if (options->config_file != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!g_key_file_load_from_file (file, options->config_file, G_KEY_FILE_NONE,
                                      &local_error))
        {
          g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE,
                       _("cannot read the config file “%s”: %s"),
                       options->config_file, local_error->message);
          return NULL;
        }
      if (!g_key_file_has_group (file, FERRYD_CONFIG_GROUP))
        {
          g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE,
                       _("the config file “%s” has no [%s] group"),
                       options->config_file, FERRYD_CONFIG_GROUP);
          return NULL;
        }
      if (!ferryd_config_apply_key_file (config, file, options->config_file, error))
        return NULL;
      config->config_file = g_strdup (options->config_file);
    }

  if (!ferryd_config_apply_key_file (config, options->overrides, _("command line"), error))
    return NULL;

  /* Anonymous is the default only without a users file; with one, only when asked for. */
  anonymous_given =
    g_key_file_has_key (options->overrides, FERRYD_CONFIG_GROUP, "anonymous", NULL)
    || g_key_file_has_key (file, FERRYD_CONFIG_GROUP, "anonymous", NULL);
  if (config->users_file != NULL && !anonymous_given)
    config->anonymous_enabled = FALSE;

  if (!ferryd_config_resolve (config, error))
    return NULL;

  return g_steal_pointer (&config);
}
