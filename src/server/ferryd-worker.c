// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker.c — the session process: one client, session, exit. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <sys/prctl.h>
#include <unistd.h>

#include "ferryd-handoff.h"
#include "ferryd-session.h"
#include "ferryd-worker.h"

int
ferryd_worker_serve (int                 channel_fd,
                     const FerrydConfig *config,
                     FerrydUsers        *users)
{
  g_autoptr(GError) error = NULL;
  char peer[FERRYD_HANDOFF_PEER_MAX];
  guint64 token = 0;
  int client_fd;

  prctl (PR_SET_NAME, FERRYD_WORKER_IDLE_NAME, 0, 0, 0);

  client_fd = ferryd_handoff_receive (channel_fd, &token, peer, &error);
  close (channel_fd);
  if (client_fd < 0)
    {
      if (error == NULL)
        return 0;   /* retired before any client came */
      g_warning ("%s", error->message);
      return 1;
    }

  prctl (PR_SET_NAME, FERRYD_WORKER_SESSION_NAME, 0, 0, 0);
  g_debug ("session process %d serves %s", (int) getpid (), peer);
  return ferryd_session_run_for (client_fd, peer, config, users);
}
