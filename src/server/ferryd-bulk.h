// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-bulk.h — a transfer past --bulk-after gives way to logins and listings.
 *
 * Every session is a process of its own, so the kernel shares the CPU equally between a
 * session sending gigabytes and a newcomer's login. Past --bulk-after MiB a transfer gives
 * way until it ends: CPU (nice +10, SCHED_BATCH), disk (I/O class best-effort, level 7) and
 * network (its data connection marked IPTOS_THROUGHPUT, priority TC_PRIO_BULK, for the
 * machine's queueing discipline; control connections are marked IPTOS_LOWDELAY).
 *
 * A session serves as an unprivileged user, and such a process may raise its nice value
 * but never lower it again (without CAP_SYS_NICE or room in RLIMIT_NICE). Linux keeps the
 * nice value per thread, so a transfer that is expected to be bulk runs in a thread of its
 * own ("ferryd-bulk") that lowers only its own priority and ends with the transfer; the
 * session's main thread, which answers the control connection afterwards, never changes.
 * A transfer that crosses the threshold unexpectedly in the main thread (an upload larger
 * than its ALLO) changes only what can be undone: the policy, the I/O class, the mark. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRYD_BULK_NICE        10   /* added to the nice value of a bulk transfer's thread */
#define FERRYD_BULK_THREAD_NAME "ferryd-bulk"

typedef struct
{
  guint64  after;          /* bytes; 0: never */
  int      data_fd;        /* the transfer's data connection */
  gboolean own_thread;     /* the transfer runs in a thread that ends with it */
  gboolean demoted;
  gboolean batch;          /* the policy was SCHED_OTHER and is to come back */
  int      ioprio;         /* before; -1: not changed */
} FerrydBulk;

typedef void (*FerrydBulkJob) (gpointer job_data);

/* A transfer on data_fd begins: nothing changes yet. after_mib 0: it never will. */
void     ferryd_bulk_begin        (FerrydBulk   *bulk,
                                   guint         after_mib,
                                   int           data_fd);
/* Whether a transfer of size bytes (-1: not known) would pass the threshold. */
gboolean ferryd_bulk_expected     (const FerrydBulk *bulk,
                                   goffset           size);
/* Runs job (the whole transfer) in a thread of its own and waits for it; where no thread
 * can be made, in this one. */
void     ferryd_bulk_run          (FerrydBulk   *bulk,
                                   FerrydBulkJob job,
                                   gpointer      job_data);
/* The transfer has moved bytes so far: past the threshold it gives way. Cheap enough for
 * every chunk. */
void     ferryd_bulk_progress     (FerrydBulk   *bulk,
                                   goffset       bytes);
/* The transfer ended: the session's priorities are what they were before it. */
void     ferryd_bulk_end          (FerrydBulk   *bulk);

/* For the control connection of a session whose bulk transfers give way: IPTOS_LOWDELAY,
 * so that a priority queueing discipline sends replies before bulk data. */
void     ferryd_bulk_mark_control (int           control_fd);

G_END_DECLS
