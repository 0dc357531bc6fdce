// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery-server.h — one FTP server announced on the LAN (DNS-SD), as browsed and,
 * once asked for, resolved. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_DISCOVERY_SERVER (ferry_discovery_server_get_type ())

G_DECLARE_FINAL_TYPE (FerryDiscoveryServer, ferry_discovery_server, FERRY, DISCOVERY_SERVER,
                      GObject)

typedef enum {
  FERRY_DISCOVERY_SERVER_UNRESOLVED,
  FERRY_DISCOVERY_SERVER_RESOLVING,
  FERRY_DISCOVERY_SERVER_RESOLVED,
  FERRY_DISCOVERY_SERVER_FAILED,
} FerryDiscoveryServerState;

FerryDiscoveryServer *ferry_discovery_server_new (const char *name,
                                                  const char *service_type,
                                                  const char *domain,
                                                  int         interface_index,
                                                  int         protocol);

const char *ferry_discovery_server_get_name         (FerryDiscoveryServer *self);
const char *ferry_discovery_server_get_service_type (FerryDiscoveryServer *self);
const char *ferry_discovery_server_get_domain       (FerryDiscoveryServer *self);
int         ferry_discovery_server_get_interface    (FerryDiscoveryServer *self);
int         ferry_discovery_server_get_protocol     (FerryDiscoveryServer *self);
/* _ftps._tcp: TLS from the first byte */
gboolean    ferry_discovery_server_get_tls          (FerryDiscoveryServer *self);

FerryDiscoveryServerState ferry_discovery_server_get_state (FerryDiscoveryServer *self);
/* After resolving: "nas.local", "198.51.100.1", 2121, the TXT's u= (NULL: none, "": a login
 * is needed with an unknown user name) and path= ("/" when absent). */
const char *ferry_discovery_server_get_host         (FerryDiscoveryServer *self);
const char *ferry_discovery_server_get_address      (FerryDiscoveryServer *self);
guint16     ferry_discovery_server_get_port         (FerryDiscoveryServer *self);
const char *ferry_discovery_server_get_user         (FerryDiscoveryServer *self);
const char *ferry_discovery_server_get_path         (FerryDiscoveryServer *self);
gboolean    ferry_discovery_server_get_login_needed (FerryDiscoveryServer *self);

/* Which instance (interface, protocol) pairs carry it: a server seen on two interfaces is
 * one row. Returns the number left. */
guint       ferry_discovery_server_add_instance     (FerryDiscoveryServer *self,
                                                     int                   interface_index,
                                                     int                   protocol);
guint       ferry_discovery_server_remove_instance  (FerryDiscoveryServer *self,
                                                     int                   interface_index,
                                                     int                   protocol);

void        ferry_discovery_server_set_resolving    (FerryDiscoveryServer *self);
void        ferry_discovery_server_set_failed       (FerryDiscoveryServer *self);
/* txt: the TXT strings ("path=/", "u=") */
void        ferry_discovery_server_set_resolved     (FerryDiscoveryServer *self,
                                                     const char           *host,
                                                     const char           *address,
                                                     guint16               port,
                                                     const char * const   *txt);

G_END_DECLS
