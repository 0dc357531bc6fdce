// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker.h — a session process: forked by the zygote ahead of time, it waits for one
 * client, serves it with ferryd_session_run, and exits. */
#pragma once

#include <glib.h>
#include "ferryd-config.h"
#include "ferryd-users.h"

G_BEGIN_DECLS

/* Process names (comm) that tell idle and busy session processes apart in ps and /proc. */
#define FERRYD_WORKER_IDLE_NAME    "ferryd-idle"
#define FERRYD_WORKER_SESSION_NAME "ferryd-session"

/* The body of a freshly forked session process: waits on channel_fd (its end of the
 * zygote's socket pair) for one client and serves it. Returns the process exit status:
 * 0 also when the zygote closed the channel without a client (retired). */
int ferryd_worker_serve (int                 channel_fd,
                         const FerrydConfig *config,
                         FerrydUsers        *users);

G_END_DECLS
