/* ferryd-worker.c — the session process: configuration in, one client, session, exit. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ferryd-handoff.h"
#include "ferryd-log.h"
#include "ferryd-session.h"
#include "ferryd-users.h"
#include "ferryd-worker-files.h"
#include "ferryd-worker.h"

static gboolean
started_by_listener (void)
{
  struct stat st;

  return fstat (FERRYD_WORKER_CHANNEL_FD, &st) == 0 && S_ISSOCK (st.st_mode)
         && fstat (FERRYD_WORKER_CONFIG_FD, &st) == 0;
}

int
ferryd_worker_main (void)
{
  g_autoptr(FerrydConfig) config = NULL;
  g_autoptr(FerrydUsers) users = NULL;
  g_autoptr(GError) error = NULL;
  char peer[FERRYD_HANDOFF_PEER_MAX];
  int client_fd;

  if (!started_by_listener ())
    {
      g_printerr ("ferryd: %s\n", _("--session-worker is for ferryd's own use"));
      return 2;
    }

  /* Everything that can be done before a client arrives is done now, off the accept path. */
  config = ferryd_worker_files_read_config (&error);
  if (config == NULL)
    {
      g_warning ("session process cannot start: %s", error->message);
      return 1;
    }
  close (FERRYD_WORKER_CONFIG_FD);
  ferryd_log_set_verbose (config->verbose);

  if (config->users_file != NULL)
    {
      users = ferryd_users_load (config->users_file, config->write_enabled, &error);
      if (users == NULL)
        {
          g_warning ("session process cannot start: %s", error->message);
          return 1;
        }
      close (FERRYD_WORKER_USERS_FD);
    }
  for (int fd = FERRYD_WORKER_CERT_FD; fd <= FERRYD_WORKER_KEY_FD; fd++)
    fcntl (fd, F_SETFD, FD_CLOEXEC);

  /* A client that vanishes mid-transfer must give EPIPE, not kill the session silently. */
  signal (SIGPIPE, SIG_IGN);
  prctl (PR_SET_NAME, FERRYD_WORKER_IDLE_NAME, 0, 0, 0);

  client_fd = ferryd_handoff_receive (FERRYD_WORKER_CHANNEL_FD, peer, &error);
  close (FERRYD_WORKER_CHANNEL_FD);
  if (client_fd < 0)
    {
      if (error == NULL)
        return 0;   /* retired or shutting down before any client came */
      g_warning ("%s", error->message);
      return 1;
    }

  prctl (PR_SET_NAME, FERRYD_WORKER_SESSION_NAME, 0, 0, 0);
  g_debug ("session process %d serves %s", (int) getpid (), peer);
  return ferryd_session_run (client_fd, config, users);
}
