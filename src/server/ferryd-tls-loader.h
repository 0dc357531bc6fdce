// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-loader.h — loads ferryd-tls.so (see ferryd-tls-module.h) into a session
 * process, once, on the first use of TLS. */
#pragma once

#include <glib.h>

#include "ferryd-tls-module.h"

G_BEGIN_DECLS

/* Load the module through fd (a descriptor the listener opened on it, see
 * ferryd-programs.h) instead of looking for it by path: the session's user may not be
 * able to reach the folder it is in. Called by the zygote before it forks. */
void                   ferryd_tls_loader_use_fd (int fd);

/* The module's functions; NULL with an error a person can act on (module missing, or not
 * the one this program was built with). Later calls return the first answer's module. */
const FerrydTlsModule *ferryd_tls_loader_get (GError **error);

G_END_DECLS
