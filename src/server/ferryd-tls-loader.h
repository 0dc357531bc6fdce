// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-loader.h — loads ferryd-tls.so (see ferryd-tls-module.h) into a session
 * process, once, on the first use of TLS. */
#pragma once

#include <glib.h>

#include "ferryd-tls-module.h"

G_BEGIN_DECLS

/* The module's functions; NULL with an error a person can act on (module missing, or not
 * the one this program was built with). Later calls return the first answer's module. */
const FerrydTlsModule *ferryd_tls_loader_get (GError **error);

G_END_DECLS
