// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-url.h — what a person types to name a server.
 *
 * Accepted forms:
 *   "host", "host:port", "192.0.2.1", "[::1]", "[::1]:2121",
 *   "ftp://[user[:password]@]host[:port][/path]"
 *   "ftps://…"          explicit TLS (AUTH TLS on the ordinary port, default 21)
 *   "ftps-implicit://…" implicit TLS (TLS from the first byte, default port 990)
 * User, password and path are percent-decoded ("%20" → " ", "%40" → "@"); a password may
 * also hold a plain '@' (the last '@' before the host counts), and an IPv6 literal a zone
 * ("[fe80::1%25eth0]" → host "fe80::1%eth0"). Without a scheme
 * the URL is plain ftp. The default port is 21 (990 for ftps-implicit).
 */
#pragma once

#include <glib-object.h>
#include "ferry-tls-mode.h"

G_BEGIN_DECLS

#define FERRY_URL_DEFAULT_PORT          21
#define FERRY_URL_DEFAULT_IMPLICIT_PORT 990

typedef struct {
  FerryTlsMode  tls_mode;
  char         *host;      /* without the brackets of an IPv6 literal; never NULL */
  guint16       port;      /* 1–65535 */
  char         *user;      /* decoded; NULL when the URL names none (anonymous) */
  char         *password;  /* decoded; NULL when the URL names none */
  char         *path;      /* decoded, starts with '/'; NULL when the URL names no path */
} FerryUrl;

#define FERRY_TYPE_URL (ferry_url_get_type ())
GType     ferry_url_get_type  (void);

/* Returns NULL with FERRY_CLIENT_ERROR_INVALID_URL and a message naming the problem
 * (empty host, bad port, unknown scheme, bad percent escape, NUL byte…). */
FerryUrl *ferry_url_parse     (const char *text, GError **error);
FerryUrl *ferry_url_copy      (const FerryUrl *url);
void      ferry_url_free      (FerryUrl *url);

/* "ftp://user@host:port/path" with user and path percent-encoded again; the password is
 * never included, so the result is safe to show and to log. The port is left out when it
 * is the default one. */
char     *ferry_url_to_string (const FerryUrl *url);

/* "host", "host:port", "[::1]" or "[::1]:2121": a server's address as a person types it,
 * with brackets around an IPv6 literal (a zone's '%' as "%25") and the port only when it
 * is not default_port. */
char     *ferry_url_format_address (const char *host,
                                    guint16     port,
                                    guint16     default_port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryUrl, ferry_url_free)

G_END_DECLS
