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

G_END_DECLS
