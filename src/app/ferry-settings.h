// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-settings.h — the app's GSettings: download folder and recent servers. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_RECENT_SERVERS_MAX 10

typedef struct {
  char     *host;
  guint16   port;
  char     *user;   /* "" for anonymous */
  gboolean  tls;
} FerryRecentServer;

void       ferry_recent_server_free          (FerryRecentServer *server);

GSettings *ferry_settings_new                (void);
GFile     *ferry_settings_get_download_folder (GSettings *settings);
GPtrArray *ferry_settings_get_recent_servers (GSettings  *settings);
void       ferry_settings_add_recent_server  (GSettings  *settings,
                                              const char *host,
                                              guint16     port,
                                              const char *user,
                                              gboolean    tls);
void       ferry_settings_remove_recent_server (GSettings  *settings,
                                                const char *host,
                                                guint16     port,
                                                const char *user,
                                                gboolean    tls);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryRecentServer, ferry_recent_server_free)

G_END_DECLS
