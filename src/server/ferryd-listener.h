// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-listener.h — the listening socket: accepts clients, enforces --max-clients and
 * --max-per-ip, and hands each client to a session process. */
#pragma once

#include <glib.h>
#include "ferry-reply-codes.h"
#include "ferryd-config.h"
#include "ferryd-worker-pool.h"

G_BEGIN_DECLS

/* Said to a new connection from an address banned for failed logins, before closing. */
#define FERRYD_BANNED_REPLY \
  G_STRINGIFY (FERRY_REPLY_SERVICE_CLOSING) \
  " Too many failed logins from your address, try again later.\r\n"

/* Said to a client past the limits, before closing. */
#define FERRYD_TOO_MANY_REPLY \
  G_STRINGIFY (FERRY_REPLY_SERVICE_CLOSING) " Too many connections, try again later.\r\n"

typedef struct _FerrydListener FerrydListener;

/* Binds config's address and port (so that privileges can be dropped right after); it
 * accepts nobody before ferryd_listener_start. */
FerrydListener *ferryd_listener_new   (const FerrydConfig  *config,
                                       GError             **error);
void            ferryd_listener_free  (FerrydListener *listener);

/* The URL clients connect to ("ftp://127.0.0.1:40123/"), with the port actually bound. */
char           *ferryd_listener_get_url  (FerrydListener *listener);
char           *ferryd_listener_get_host (FerrydListener *listener);
guint16         ferryd_listener_get_port (FerrydListener *listener);

void            ferryd_listener_start      (FerrydListener   *listener,
                                            FerrydWorkerPool *pool);
void            ferryd_listener_set_limits (FerrydListener   *listener,
                                            guint             max_clients,
                                            guint             max_per_ip);
/* --max-login-failures, --ban-window, --ban-time, at start and on reload (bans stay). */
void            ferryd_listener_set_ban    (FerrydListener     *listener,
                                            const FerrydConfig *config);
/* --proxy-protocol and --proxy-from, at start and on reload. */
void            ferryd_listener_set_proxy  (FerrydListener     *listener,
                                            const FerrydConfig *config);
/* Closes the listening sockets: new clients are refused by the kernel. */
void            ferryd_listener_stop       (FerrydListener   *listener);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydListener, ferryd_listener_free)

G_END_DECLS
