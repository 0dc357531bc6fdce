/* ferryd-worker.h — a session process: started ahead of time by the listener, it waits for
 * one client, serves it with ferryd_session_run, and exits. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The hidden argument the listener starts its own executable with. */
#define FERRYD_WORKER_ARGUMENT "--session-worker"

/* Process names (comm) that tell idle and busy session processes apart in ps and /proc. */
#define FERRYD_WORKER_IDLE_NAME    "ferryd-idle"
#define FERRYD_WORKER_SESSION_NAME "ferryd-session"

/* main() of a session process; returns its exit status. */
int ferryd_worker_main (void);

G_END_DECLS
