// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-error.h — the error domain of the client engine.
 *
 * Every failure the engine reports is a GError in FERRY_CLIENT_ERROR with a code a UI can act
 * on and a message a person understands (for FERRY_CLIENT_ERROR_FAILED it keeps the server's
 * own reply text). Cancellation is reported as G_IO_ERROR / G_IO_ERROR_CANCELLED, never in
 * this domain.
 */
#pragma once

#include <glib.h>

#include "ferry-client-enums.h"   /* FERRY_TYPE_CLIENT_ERROR names the codes */

G_BEGIN_DECLS

#define FERRY_CLIENT_ERROR (ferry_client_error_quark ())

typedef enum {
  FERRY_CLIENT_ERROR_FAILED,              /* the server refused; the message quotes its reply */
  FERRY_CLIENT_ERROR_NOT_FOUND,           /* no such remote (or local) file or folder */
  FERRY_CLIENT_ERROR_PERMISSION_DENIED,   /* the server or the local system does not allow it */
  FERRY_CLIENT_ERROR_LOGIN_FAILED,        /* wrong user name or password */
  FERRY_CLIENT_ERROR_CONNECTION_REFUSED,  /* nothing listens at host:port */
  FERRY_CLIENT_ERROR_HOST_NOT_FOUND,      /* the host name does not resolve */
  FERRY_CLIENT_ERROR_CONNECTION_LOST,     /* the connection closed or broke mid-session */
  FERRY_CLIENT_ERROR_TIMED_OUT,           /* connect, reply or data stalled past its time-out */
  FERRY_CLIENT_ERROR_DISK_FULL,           /* local disk full, or the server said 452/552 */
  FERRY_CLIENT_ERROR_TLS_UNTRUSTED,       /* the certificate was not accepted; see
                                             ferry_client_get_peer_certificate() */
  FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,     /* the server does not offer TLS, or no TLS backend */
  FERRY_CLIENT_ERROR_EXISTS,              /* the target exists and the conflict policy is ERROR */
  FERRY_CLIENT_ERROR_UNSAFE_NAME,         /* a name from the server that must not become a
                                             local file ("..", "a/b", control characters…) */
  FERRY_CLIENT_ERROR_PROTOCOL,            /* a malformed, oversized or hostile reply or stream */
  FERRY_CLIENT_ERROR_INVALID_URL,         /* ferry_url_parse() could not make sense of the text */
  FERRY_CLIENT_ERROR_NOT_CONNECTED,       /* an operation on a client that is not connected
                                             (or not logged in) */
  FERRY_CLIENT_ERROR_TLS_CHANGED,         /* the certificate differs from the one remembered
                                             for host:port: possibly an attack; see
                                             ferry_client_get_pinned_fingerprint() */
  FERRY_CLIENT_ERROR_DATA_CONNECTION,     /* the data connection could not be opened (425,
                                             refused) or broke: worth trying again */
  FERRY_CLIENT_ERROR_VERIFY_FAILED,       /* the server's checksum (HASH) differs from the
                                             local file's, or it cannot check one */
} FerryClientError;

GQuark ferry_client_error_quark (void);

G_END_DECLS
