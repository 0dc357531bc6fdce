// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-settings.c — the app's GSettings: download folder and recent servers.
 *
 * recent-servers is a(sqsb): host, port, user, tls; newest first, at most ten. Passwords
 * never go here; they live in the Secret Service (ferry-secrets.c). */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-settings.h"

void
ferry_recent_server_free (FerryRecentServer *server)
{
  if (server == NULL)
    return;

  g_free (server->host);
  g_free (server->user);
  g_free (server);
}

GSettings *
ferry_settings_new (void)
{
  return g_settings_new (APP_ID);
}

/* The folder downloads go to: the preference, or the XDG Downloads folder when it is empty,
 * or the home folder when there is no Downloads folder either. */
GFile *
ferry_settings_get_download_folder (GSettings *settings)
{
  g_autofree char *folder = g_settings_get_string (settings, "download-folder");
  const char *downloads;

  if (folder != NULL && folder[0] != '\0')
    return g_file_new_for_path (folder);

  downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  if (downloads != NULL)
    return g_file_new_for_path (downloads);

  return g_file_new_for_path (g_get_home_dir ());
}

GPtrArray *
ferry_settings_get_recent_servers (GSettings *settings)
{
  g_autoptr(GVariant) list = g_settings_get_value (settings, "recent-servers");
  GPtrArray *servers = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_recent_server_free);
  GVariantIter iter;
  const char *host;
  const char *user;
  guint16 port;
  gboolean tls;

  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "(&sq&sb)", &host, &port, &user, &tls))
    {
      FerryRecentServer *server = g_new0 (FerryRecentServer, 1);

      server->host = g_strdup (host);
      server->port = port;
      server->user = g_strdup (user);
      server->tls = tls;
      g_ptr_array_add (servers, server);
    }

  return servers;
}

static GVariant *
build_list (GSettings  *settings,
            const char *host,
            guint16     port,
            const char *user,
            gboolean    tls,
            gboolean    add_first)
{
  g_autoptr(GPtrArray) servers = ferry_settings_get_recent_servers (settings);
  GVariantBuilder builder;
  guint count = 0;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sqsb)"));
  if (add_first)
    {
      g_variant_builder_add (&builder, "(sqsb)", host, port, user, tls);
      count++;
    }

  for (guint i = 0; i < servers->len && count < FERRY_RECENT_SERVERS_MAX; i++)
    {
      FerryRecentServer *server = g_ptr_array_index (servers, i);

      if (g_strcmp0 (server->host, host) == 0 && server->port == port &&
          g_strcmp0 (server->user, user) == 0 && server->tls == tls)
        continue;

      g_variant_builder_add (&builder, "(sqsb)", server->host, server->port,
                             server->user, server->tls);
      count++;
    }

  return g_variant_builder_end (&builder);
}

/* Moves the server to the top of the list, adding it when new. */
void
ferry_settings_add_recent_server (GSettings  *settings,
                                  const char *host,
                                  guint16     port,
                                  const char *user,
                                  gboolean    tls)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (host != NULL);

  g_settings_set_value (settings, "recent-servers",
                        build_list (settings, host, port, user ? user : "", tls, TRUE));
}

void
ferry_settings_remove_recent_server (GSettings  *settings,
                                     const char *host,
                                     guint16     port,
                                     const char *user,
                                     gboolean    tls)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (host != NULL);

  g_settings_set_value (settings, "recent-servers",
                        build_list (settings, host, port, user ? user : "", tls, FALSE));
}
