// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery-row.h — the connect page's row for a server found on the LAN. */
#pragma once

#include <gtk/gtk.h>

#include "ferry-discovery.h"

G_BEGIN_DECLS

/* A row showing server's name, host and whether it needs a login; asks discovery for the
 * details (resolving) as it is made, that is as it is shown. */
GtkWidget            *ferry_discovery_row_new        (FerryDiscovery       *discovery,
                                                      FerryDiscoveryServer *server);
FerryDiscoveryServer *ferry_discovery_row_get_server (GtkWidget            *row);

/* The URL to open for a resolved server: "ftp://198.51.100.1:2121/", with the TXT's user
 * name when it gives one, ftps-implicit:// for _ftps._tcp. */
char                 *ferry_discovery_row_url        (FerryDiscoveryServer *server);

G_END_DECLS
