// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-proxy.h — the PROXY protocol on ferryd's side: which peers are load balancers
 * (--proxy-from), and reading a header from one within a time bound. */
#pragma once

#include <glib.h>
#include <sys/socket.h>

#include "ferry-proxy-header.h"

G_BEGIN_DECLS

/* Seconds a balancer has to send its header after connecting. */
#define FERRYD_PROXY_HEADER_TIMEOUT 5

/* One --proxy-from entry. */
typedef struct {
  int     family;      /* AF_INET or AF_INET6 */
  guint8  bytes[16];
  guint   prefix;      /* bits that must match */
} FerrydProxyNet;

/* "ADDR[/PREFIX]" entries separated by commas, semicolons or spaces, as a GArray of
 * FerrydProxyNet (GLib only: the session side has no GIO); NULL with error when one cannot
 * be read. */
GArray    *ferryd_proxy_from_parse   (const char    *text,
                                      GError       **error);

/* Whether the address (IPv4-mapped IPv6 counts as IPv4) is one of the balancers. */
gboolean   ferryd_proxy_from_matches (GArray                        *nets,
                                      const struct sockaddr_storage *addr);

/* Reads a PROXY header from a blocking or non-blocking socket fd, never past its end,
 * waiting at most timeout_ms in all. */
gboolean   ferryd_proxy_read_header  (int                fd,
                                      int                timeout_ms,
                                      FerryProxyHeader  *header,
                                      GError           **error);

/* The header's source as a socket address (for FERRY_PROXY_INET and _INET6). */
void       ferryd_proxy_source_to_native (const FerryProxyHeader  *header,
                                          struct sockaddr_storage *addr);

G_END_DECLS
