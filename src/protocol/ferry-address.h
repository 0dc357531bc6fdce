// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-address.h — data-connection addresses: PASV/EPSV replies and PORT/EPRT arguments
 * (RFC 959, RFC 2428). Port 0 and ports above 65535 are errors everywhere. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FERRY_ADDRESS_IPV4 = 1,   /* RFC 2428 protocol numbers */
  FERRY_ADDRESS_IPV6 = 2,
} FerryAddressFamily;

typedef struct {
  FerryAddressFamily family;
  char               host[48];   /* numeric address text, NUL-terminated ("127.0.0.1", "::1") */
  guint16            port;       /* 1–65535 */
} FerryHostPort;

/* The text of a 229 reply, e.g. "Entering Extended Passive Mode (|||6446|)".
 * Any delimiter character allowed by RFC 2428 (33–126) is accepted. */
gboolean ferry_parse_epsv_reply (const char *text, guint16 *port, GError **error);

/* The text of a 227 reply, e.g. "Entering Passive Mode (127,0,0,1,25,47)" — the
 * parentheses may be missing, as some servers send. */
gboolean ferry_parse_pasv_reply (const char *text, FerryHostPort *out, GError **error);

/* "h1,h2,h3,h4,p1,p2", exactly (no spaces). Errors: _MALFORMED for the grammar,
 * _OUT_OF_RANGE for a number over 255 or port 0. The caller checks the host against the
 * control connection's peer and refuses privileged ports. */
gboolean ferry_parse_port_argument (const char *arg, FerryHostPort *out, GError **error);

/* "|1|132.235.1.2|6275|" or "|2|::1|5282|" (any delimiter 33–126 but digits). The host
 * must be a numeric address of the given family (no zone index); out->host is its
 * canonical text ("1080::8:800:200c:417a"), so it can be compared with the peer address.
 * _OUT_OF_RANGE for family other than 1/2, port 0 or over 65535. */
gboolean ferry_parse_eprt_argument (const char *arg, FerryHostPort *out, GError **error);

/* Reply texts for the server, without code: "Entering Extended Passive Mode (|||6446|)" and
 * "Entering Passive Mode (127,0,0,1,25,47)". host must be IPv4 dotted quad for PASV. */
char    *ferry_format_epsv_reply (guint16 port);
char    *ferry_format_pasv_reply (const char *ipv4_host, guint16 port);

/* Arguments for the client: "h1,h2,h3,h4,p1,p2" and "|1|host|port|"/"|2|host|port|". */
char    *ferry_format_port_argument (const char *ipv4_host, guint16 port);
char    *ferry_format_eprt_argument (const FerryHostPort *address);

G_END_DECLS
