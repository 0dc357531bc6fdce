// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-bulk.c — a transfer past --bulk-after gives way to logins and listings
 * (ferryd-bulk.h says what changes and why each step can be undone). */
#define _GNU_SOURCE   /* SCHED_BATCH */
#define G_LOG_DOMAIN "ferryd-transfer"

#include "ferry-config.h"

#include "ferryd-bulk.h"

#include <errno.h>
#include <linux/ioprio.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BULK_IO_LEVEL       7       /* the lowest best-effort level */
#define TC_PRIO_BULK        2       /* linux/pkt_sched.h; 0–6 need no privilege */
#define TC_PRIO_INTERACTIVE 6

/* Sets the traffic class of fd's packets (IPv4 TOS, IPv6 traffic class) and its queueing
 * priority; failures only leave the default. */
static void
mark_socket (int fd,
             int tos,
             int priority)
{
  struct sockaddr_storage address;
  socklen_t len = sizeof address;

  if (fd < 0 || getsockname (fd, (struct sockaddr *) &address, &len) != 0)
    return;
  /* An IPv6 socket may carry IPv4 (mapped addresses): both are set on it. */
  if (address.ss_family == AF_INET6)
    setsockopt (fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
  if (address.ss_family == AF_INET || address.ss_family == AF_INET6)
    setsockopt (fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
  /* After IP_TOS, which sets the priority from the TOS on IPv4 only. */
  setsockopt (fd, SOL_SOCKET, SO_PRIORITY, &priority, sizeof priority);
}

void
ferryd_bulk_mark_control (int control_fd)
{
  mark_socket (control_fd, IPTOS_LOWDELAY, TC_PRIO_INTERACTIVE);
}

void
ferryd_bulk_begin (FerrydBulk *bulk,
                   guint       after_mib,
                   int         data_fd)
{
  *bulk = (FerrydBulk) {
    .after = (guint64) after_mib << 20,
    .data_fd = data_fd,
    .ioprio = -1,
  };
}

gboolean
ferryd_bulk_expected (const FerrydBulk *bulk,
                      goffset           size)
{
  return bulk->after > 0 && (size < 0 || (guint64) size > bulk->after);
}

typedef struct
{
  FerrydBulk    *bulk;
  FerrydBulkJob  job;
  gpointer       job_data;
} Run;

static gpointer
run_in_thread (gpointer data)
{
  Run *run = data;

  run->bulk->own_thread = TRUE;
  run->job (run->job_data);
  return NULL;
}

void
ferryd_bulk_run (FerrydBulk   *bulk,
                 FerrydBulkJob job,
                 gpointer      job_data)
{
  g_autoptr(GError) error = NULL;
  Run run = { bulk, job, job_data };
  GThread *thread;

  /* The main thread only waits: the session's state is the job's alone until the join. */
  thread = g_thread_try_new (FERRYD_BULK_THREAD_NAME, run_in_thread, &run, &error);
  if (thread == NULL)
    {
      g_debug ("a bulk transfer runs in the session's thread: %s", error->message);
      job (job_data);
      return;
    }
  g_thread_join (thread);
}

/* In the thread that moves the bytes. */
static void
demote (FerrydBulk *bulk)
{
  struct sched_param param = { 0 };
  int ioprio;

  bulk->demoted = TRUE;
  /* PRIO_PROCESS 0 is the calling thread on Linux: only the transfer's own, which ends
   * with it (it could not be undone). */
  if (bulk->own_thread)
    {
      int nice;

      errno = 0;
      nice = getpriority (PRIO_PROCESS, 0);
      if (errno == 0)
        setpriority (PRIO_PROCESS, 0, MIN (nice + FERRYD_BULK_NICE, 19));
    }
  /* SCHED_BATCH ↔ SCHED_OTHER needs no privilege; any other policy an administrator chose
   * is left alone. */
  if (sched_getscheduler (0) == SCHED_OTHER)
    bulk->batch = sched_setscheduler (0, SCHED_BATCH, &param) == 0;
  /* Best-effort levels and "none" can be set back without privilege; real-time could not,
   * idle is lower already. */
  ioprio = (int) syscall (SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
  if (ioprio >= 0
      && (IOPRIO_PRIO_CLASS (ioprio) == IOPRIO_CLASS_NONE
          || IOPRIO_PRIO_CLASS (ioprio) == IOPRIO_CLASS_BE)
      && syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
                  IOPRIO_PRIO_VALUE (IOPRIO_CLASS_BE, BULK_IO_LEVEL)) == 0)
    bulk->ioprio = ioprio;
  mark_socket (bulk->data_fd, IPTOS_THROUGHPUT, TC_PRIO_BULK);
  g_debug ("a transfer past %" G_GUINT64_FORMAT " MiB gives way to other sessions%s",
           bulk->after >> 20, bulk->own_thread ? "" : " (in the session's thread: nice stays)");
}

void
ferryd_bulk_progress (FerrydBulk *bulk,
                      goffset     bytes)
{
  if (bulk->after > 0 && !bulk->demoted && (guint64) bytes >= bulk->after)
    demote (bulk);
}

void
ferryd_bulk_end (FerrydBulk *bulk)
{
  struct sched_param param = { 0 };

  /* A thread of its own took its priorities with it. */
  if (bulk->demoted && !bulk->own_thread)
    {
      if (bulk->batch)
        sched_setscheduler (0, SCHED_OTHER, &param);
      if (bulk->ioprio >= 0)
        syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, bulk->ioprio);
    }
  bulk->demoted = bulk->own_thread = bulk->batch = FALSE;
  bulk->ioprio = -1;
}
