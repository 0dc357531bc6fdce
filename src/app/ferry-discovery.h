// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery.h — the FTP servers announced on the LAN (_ftp._tcp, _ftps._tcp), live, as
 * a GListModel of FerryDiscoveryServer; browsed through Avahi's D-Bus API. */
#pragma once

#include <gio/gio.h>

#include "ferry-discovery-server.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DISCOVERY (ferry_discovery_get_type ())

G_DECLARE_FINAL_TYPE (FerryDiscovery, ferry_discovery, FERRY, DISCOVERY, GObject)

#define FERRY_DISCOVERY_ERROR (ferry_discovery_error_quark ())

typedef enum {
  FERRY_DISCOVERY_ERROR_UNAVAILABLE,   /* no system bus, or no Avahi daemon on it */
  FERRY_DISCOVERY_ERROR_GONE,          /* the server stopped announcing itself */
  FERRY_DISCOVERY_ERROR_NOT_FOUND,     /* resolving found no address for it */
} FerryDiscoveryError;

GQuark          ferry_discovery_error_quark (void);

/* The process's browser (started on first use, on the system bus); a new reference. */
FerryDiscovery *ferry_discovery_get_default    (void);

/* FALSE while browsing cannot work (no Avahi); the "available" property follows it. */
gboolean        ferry_discovery_get_available  (FerryDiscovery *self);

/* Resolves server once in the background (its "state" property tells when done), a few at
 * a time: for the rows on screen. Does nothing when it is resolved or resolving. */
void            ferry_discovery_request_details (FerryDiscovery       *self,
                                                 FerryDiscoveryServer *server);

/* Resolves server afresh (the address may have changed since): for the row a person picked.
 * Its IPv4 and IPv6 addresses are tried (a TCP connection, closed at once); the first that
 * connects is kept. */
void            ferry_discovery_resolve_async  (FerryDiscovery       *self,
                                                FerryDiscoveryServer *server,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        ferry_discovery_resolve_finish (FerryDiscovery  *self,
                                                GAsyncResult    *result,
                                                GError         **error);

G_END_DECLS
