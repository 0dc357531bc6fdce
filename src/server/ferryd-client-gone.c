// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-client-gone.c — did an upload's data connection end, or did its client die?
 *
 * The problem: in stream mode the end of the data connection is the end of the file. A
 * client killed in the middle of an upload ends its data connection the same way, so a
 * half file would be committed under the real name. Only the control connection tells the
 * two apart: a finished client keeps it open for the 226; a dead one's is closed by the
 * kernel a moment after its data connection. So the session waits briefly for the control
 * connection to close before it commits (after ALLO the byte count decides at once).
 *
 * That moment is CPU time of the dying process, not wall-clock time: the kernel releases a
 * dead process's sockets one by one, the last opened (the data connection) first, and a
 * busy machine can keep it off the CPU between the two for longer than a fixed grace period.
 * The grace period therefore counts only time in which no runnable task waited for a CPU
 * (Linux's pressure stall information, /proc/pressure/cpu), and a session whose client is
 * gone lowers its own priority (setpriority) so that it does not delay the others' clients.
 *
 * What it cannot promise: it is a heuristic with a wall-clock cap (UPLOAD_END_GRACE_MAX_MS).
 * A dying client kept off the CPU longer than that, a kernel without PSI (then the grace
 * period is plain wall-clock time), a client that closes its data connection early on
 * purpose, or a network path that loses the control connection's FIN can still get a
 * partial upload committed. Clients that need certainty send ALLO with the size first
 * (Ferry's own engine does), or check SIZE afterwards.
 */
#define G_LOG_DOMAIN "ferryd-transfer"

#include "ferry-config.h"

#include "ferryd-transfer-private.h"

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define UPLOAD_END_GRACE_MS     10
#define UPLOAD_END_GRACE_MAX_MS 100

/* Microseconds that runnable tasks have spent waiting for a CPU since boot (the "some"
 * total of Linux's pressure stall information), or -1 where the kernel does not count it. */
static gint64
cpu_wait_usec (void)
{
  char text[256];
  const char *total;
  gssize length;
  int fd = open ("/proc/pressure/cpu", O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return -1;
  length = read (fd, text, sizeof text - 1);
  close (fd);
  if (length <= 0)
    return -1;
  text[length] = '\0';
  total = strstr (text, "total=");   /* the first line is "some" */
  return total != NULL ? g_ascii_strtoll (total + strlen ("total="), NULL, 10) : -1;
}

/* Waits up to UPLOAD_END_GRACE_MS of CPU-stall-free time, and at most
 * UPLOAD_END_GRACE_MAX_MS of wall-clock time, for the control connection to close; on an
 * idle machine the two are the same 10 ms. */
static gboolean
client_vanished (FerrydSession *self)
{
  gint64 start = g_get_monotonic_time ();
  gint64 waited_at_start = cpu_wait_usec ();

  for (;;)
    {
      gint64 elapsed = g_get_monotonic_time () - start;
      gint64 waited = waited_at_start < 0 ? 0 : cpu_wait_usec () - waited_at_start;
      gint64 grace_left = UPLOAD_END_GRACE_MS * 1000 - (elapsed - CLAMP (waited, 0, elapsed));
      gint64 limit_left = UPLOAD_END_GRACE_MAX_MS * 1000 - elapsed;
      gint64 wait_usec = MIN (grace_left, limit_left);

      if (wait_usec <= 0)
        return FALSE;
      if (ferryd_channel_peer_gone (self->control, (int) ((wait_usec + 999) / 1000)))
        break;
    }
  self->quit = TRUE;
  return TRUE;
}

/* After ALLO the byte count tells a finished upload from a cut one at once: the announced
 * size is complete, less is a client that died or gave up. More breaks the announcement, so
 * it is not trusted; nor in TYPE A, where the bytes on the wire are not the file's.
 * Otherwise the control connection decides (client_vanished). */
FerrydTransferOutcome
ferryd_upload_ended (FerrydSession              *self,
                     const FerrydTransferResult *result)
{
  if (self->announced_size >= 0 && !self->ascii)
    {
      if (result->bytes == self->announced_size)
        return FERRYD_TRANSFER_OK;
      if (result->bytes < self->announced_size)
        return FERRYD_TRANSFER_SHORT;
    }
  return client_vanished (self) ? FERRYD_TRANSFER_ABORTED : FERRYD_TRANSFER_OK;
}

/* For a session whose client is gone and whose temp file is removed: what is left (a reply
 * nobody reads, the log line, the exit) runs at the lowest priority. A killed client with
 * many uploads wakes all their sessions at once, and those still in client_vanished need
 * the dying client to get a CPU: in ASan builds the exits of the others (LeakSanitizer
 * scans the heap) kept it off both cores for ~100 ms, longer than the grace period's cap. */
void
ferryd_session_step_aside (void)
{
  setpriority (PRIO_PROCESS, 0, 19);
}
