// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-zygote.h — the session zygote: a process the listener starts (a fresh exec of the
 * session program, ferryd-zygote) that reads the configuration once, stays single-threaded,
 * and forks the session processes, keeping a few forked ahead of time and idle. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The zygote's process name (comm). */
#define FERRYD_ZYGOTE_NAME "ferryd-zygote"

/* Session processes forked ahead of time; handing a client over never waits for a fork. */
#define FERRYD_ZYGOTE_IDLE_CHILDREN 4

/* ASLR trade-off: forked session processes share the zygote's address-space layout, stack
 * canary and pointer-guard secret, where a fresh exec per session (the model before the
 * zygote) gave each its own. So the listener replaces the zygote with a freshly exec'd one
 * after this many sessions: what one session leaks (a pointer, the canary) tells an
 * attacker about at most this many others. Measured cost: a zygote's whole life (exec,
 * symbol binding, configuration, its idle forks, exit) is about 3.5 ms of CPU: 14 µs per
 * session over 256 sessions, under 3% of a session's CPU, and off the accept path. */
#define FERRYD_ZYGOTE_SESSIONS_BEFORE_REEXEC 256

/* main() of the zygote (and, after fork, of each session process); returns its exit status. */
int ferryd_zygote_main (void);

/* Threads in this process, read from stat_fd (this process's /proc/self/stat, opened once:
 * each read shows the count of that moment); 0 if it cannot be read. */
guint ferryd_zygote_count_threads (int stat_fd);

G_END_DECLS
