// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls.h — FTPS (RFC 4217): AUTH TLS on the control connection, PBSZ and PROT for the
 * data connections (which must resume the control session), with GnuTLS in the TLS module
 * (ferryd-tls-module.h), loaded only at the first AUTH TLS: plain sessions stay small. */
#pragma once

#include <glib.h>

#include "ferryd-io.h"
#include "ferryd-session-private.h"

G_BEGIN_DECLS

/* Runs the server side of a TLS handshake on channel with the session's certificate, then
 * switches channel to TLS. */
gboolean ferryd_tls_wrap (FerrydSession  *session,
                          FerrydChannel  *channel,
                          GError        **error);

/* Called by the session zygote before it forks sessions: a random secret they all inherit,
 * from which each derives its TLS session ticket key with the client's address. Sibling
 * connections of one client (a queue's parallel connections, which share one ticket cache
 * in GnuTLS/glib-networking clients) then resume each other's sessions, and no other
 * address's. Without it each session has a key of its own. */
void     ferryd_tls_prepare_ticket_secret (void);

G_END_DECLS
