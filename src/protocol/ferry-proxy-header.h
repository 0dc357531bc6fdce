// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-proxy-header.h — the PROXY protocol header (v1 text and v2 binary, HAProxy's
 * proxy-protocol.txt) a TCP load balancer sends before the client's first byte. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* v1 is at most 107 bytes; v2 is 16 bytes and then its address block, which this parser
 * takes up to this size (TLVs included) and refuses above. */
#define FERRY_PROXY_V1_MAX        107
#define FERRY_PROXY_V2_BLOCK_MAX  2048
#define FERRY_PROXY_HEADER_MAX    (16 + FERRY_PROXY_V2_BLOCK_MAX)

typedef enum {
  FERRY_PROXY_LOCAL,   /* LOCAL, UNKNOWN or UNSPEC: the connection's own addresses stand */
  FERRY_PROXY_INET,    /* TCP over IPv4 */
  FERRY_PROXY_INET6,   /* TCP over IPv6 */
} FerryProxyFamily;

typedef struct {
  guint             version;          /* 1 or 2 */
  gsize             length;           /* bytes of the header, its CRLF or TLVs included */
  FerryProxyFamily  family;
  guint8            source[16];       /* network order; 4 bytes used for FERRY_PROXY_INET */
  guint8            destination[16];
  guint16           source_port;
  guint16           destination_port;
  char              source_host[48];  /* numeric text of source; "" for FERRY_PROXY_LOCAL */
} FerryProxyHeader;

typedef enum {
  FERRY_PROXY_HEADER_MORE,       /* a valid beginning: read *wanted more bytes */
  FERRY_PROXY_HEADER_COMPLETE,   /* header filled in; its length bytes are the header */
  FERRY_PROXY_HEADER_INVALID,    /* not a PROXY header, or a broken one: error set */
} FerryProxyHeaderStatus;

/* Parses the bytes read so far from a connection. With MORE, *wanted is how many more
 * bytes can be read without reading past the header's end (so that the client's own first
 * bytes stay in the socket); it is never 0 and the total never passes
 * FERRY_PROXY_HEADER_MAX. Bytes after a complete header are left alone. */
FerryProxyHeaderStatus ferry_proxy_header_parse (const guint8      *data,
                                                 gsize              length,
                                                 gsize             *wanted,
                                                 FerryProxyHeader  *header,
                                                 GError           **error);

G_END_DECLS
