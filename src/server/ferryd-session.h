// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-session.h — one FTP session, run in its own process (see DESIGN.md, the fork model).
 * The listener hands over the accepted control socket; the session owns it from then on. */
#pragma once

#include <glib.h>
#include "ferryd-config.h"
#include "ferryd-users.h"

G_BEGIN_DECLS

/* Serves one client on control_fd until QUIT, a time-out, too many failed logins or a
 * broken connection; closes control_fd. users may be NULL (anonymous only). Returns the
 * process exit status for the session process (0 on an orderly end). */
int ferryd_session_run (int                 control_fd,
                        const FerrydConfig *config,
                        FerrydUsers        *users);

/* The same, for a client the listener names (the exit status also says how many logins
 * failed that could not be reported as they happened: FERRYD_EXIT_LOGIN_FAILURES_BASE in
 * ferryd-handoff.h): peer is its "IP port N" text; with
 * --proxy-protocol that is the real client behind the load balancer, whose address the
 * session then uses everywhere (logs, PASV and PORT checks). */
int ferryd_session_run_for (int                 control_fd,
                            const char         *peer,
                            const FerrydConfig *config,
                            FerrydUsers        *users);

G_END_DECLS
