// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-server.h — the listening parent from start line to exit: bind, drop privileges,
 * session processes, SIGHUP reload, SIGTERM shutdown. */
#pragma once

#include <glib.h>
#include "ferryd-options.h"

G_BEGIN_DECLS

/* Sessions get this long to finish after SIGTERM, then SIGTERM, then SIGKILL. */
#define FERRYD_SHUTDOWN_GRACE_SECONDS 3
#define FERRYD_SHUTDOWN_KILL_SECONDS  2

/* Runs the server; returns the exit status: 0 after SIGTERM, 2 when it could not start
 * (the reason is printed as one line "ferryd: …" on stderr). */
int ferryd_server_run (const FerrydOptions *options);

G_END_DECLS
