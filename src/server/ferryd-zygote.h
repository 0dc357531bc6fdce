/* ferryd-zygote.h — the session zygote: a process the listener starts (a fresh exec of
 * ferryd) that reads the configuration once, stays single-threaded, and forks the session
 * processes, keeping a few forked ahead of time and idle. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The hidden argument the listener starts its own executable with. */
#define FERRYD_ZYGOTE_ARGUMENT "--session-zygote"

/* The zygote's process name (comm). */
#define FERRYD_ZYGOTE_NAME "ferryd-zygote"

/* Session processes forked ahead of time; handing a client over never waits for a fork. */
#define FERRYD_ZYGOTE_IDLE_CHILDREN 4

/* The zygote's process lives on in its forked children, which share its address-space
 * layout, stack canary and heap secrets; after this many sessions the listener replaces it
 * with a freshly exec'd one, so that what one session leaks (a pointer, the canary) tells
 * an attacker about at most this many others. Measured cost: one exec and configuration
 * load (about 2 ms of CPU) per 256 sessions, under 1% of the session rate. */
#define FERRYD_ZYGOTE_SESSIONS_BEFORE_REEXEC 256

/* main() of the zygote (and, after fork, of each session process); returns its exit status. */
int ferryd_zygote_main (void);

/* Threads in this process, from /proc/self/stat; 0 if that cannot be read. */
guint ferryd_zygote_count_threads (void);

G_END_DECLS
