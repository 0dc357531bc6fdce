// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-server.c — the listening parent's life: start, serve, reload, shut down. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ferryd-listener.h"
#include "ferryd-log.h"
#include "ferryd-paths.h"
#include "ferryd-privileges.h"
#include "ferryd-programs.h"
#include "ferryd-server.h"
#include "ferryd-worker-files.h"
#include "ferryd-worker-pool.h"
#include "ferryd-xferlog.h"

typedef struct {
  const FerrydOptions *options;
  FerrydConfig        *config;
  FerrydListener      *listener;
  FerrydWorkerPool    *pool;
  GMainLoop           *loop;
  guint                shutdown_timer;
  gboolean             stopping;
  int                  xferlog_fd;   /* --xferlog as last opened; -1: none */
} Server;

static gboolean
quit_when_empty (gpointer user_data)
{
  Server *server = user_data;

  g_clear_handle_id (&server->shutdown_timer, g_source_remove);
  g_main_loop_quit (server->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
kill_sessions (gpointer user_data)
{
  Server *server = user_data;

  server->shutdown_timer = 0;
  g_message (_("killing the session processes that are still running"));
  ferryd_worker_pool_signal_all (server->pool, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
end_sessions (gpointer user_data)
{
  Server *server = user_data;

  g_clear_handle_id (&server->shutdown_timer, g_source_remove);
  ferryd_worker_pool_signal_all (server->pool, SIGTERM);
  server->shutdown_timer = g_timeout_add_seconds (FERRYD_SHUTDOWN_KILL_SECONDS,
                                                  kill_sessions, server);
  return G_SOURCE_REMOVE;
}

/* SIGTERM/SIGINT: no new clients; sessions get a grace period. A second signal ends them. */
static gboolean
on_stop_signal (gpointer user_data)
{
  Server *server = user_data;

  if (server->stopping)
    {
      end_sessions (server);
      return G_SOURCE_CONTINUE;
    }

  server->stopping = TRUE;
  g_message (_("shutting down: %u sessions get %d seconds to finish"),
             ferryd_worker_pool_count_sessions (server->pool), FERRYD_SHUTDOWN_GRACE_SECONDS);
  ferryd_listener_stop (server->listener);
  server->shutdown_timer = g_timeout_add_seconds (FERRYD_SHUTDOWN_GRACE_SECONDS,
                                                  end_sessions, server);
  ferryd_worker_pool_drain (server->pool, quit_when_empty, server);
  return G_SOURCE_CONTINUE;
}

static void
warn_if_changed (const char *what,
                 const char *old_value,
                 const char *new_value)
{
  if (g_strcmp0 (old_value, new_value) != 0)
    g_warning (_("%s changed in the configuration: that takes a restart of ferryd"), what);
}

/* The transfer log opened anew (logrotate renamed it and made a new one), for new sessions;
 * if that fails, a copy of the descriptor open before, so that no line is lost. Having
 * dropped root, ferryd opens it as the user it serves as. */
static int
reopen_xferlog (Server             *server,
                const FerrydConfig *config)
{
  g_autoptr(GError) error = NULL;
  int fd;

  if (config->xferlog_file == NULL)
    return -1;
  fd = ferryd_xferlog_open (config->xferlog_file, &error);
  if (fd >= 0)
    return fd;
  if (server->xferlog_fd < 0)
    {
      g_warning (_("%s; new sessions log no transfers"), error->message);
      return -1;
    }
  g_warning (_("%s; sessions go on writing to the transfer log opened before"), error->message);
  return fcntl (server->xferlog_fd, F_DUPFD_CLOEXEC, 3);
}

/* SIGHUP: new sessions start with the configuration as it is now; running ones keep theirs. */
static gboolean
on_reload_signal (gpointer user_data)
{
  Server *server = user_data;
  g_autoptr(FerrydConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  FerrydWorkerFiles *files;
  int xferlog_fd = -1;

  if (server->stopping)
    return G_SOURCE_CONTINUE;

  config = ferryd_options_load_config (server->options, &error);
  if (config != NULL)
    xferlog_fd = reopen_xferlog (server, config);
  files = config != NULL ? ferryd_worker_files_new (config, xferlog_fd, &error) : NULL;
  if (files == NULL)
    {
      if (xferlog_fd >= 0)
        close (xferlog_fd);
      g_warning (_("reload failed, the previous configuration stays: %s"), error->message);
      return G_SOURCE_CONTINUE;
    }
  if (server->xferlog_fd >= 0)
    close (server->xferlog_fd);
  server->xferlog_fd = xferlog_fd;

  if (config->port != server->config->port)
    g_warning (_("%s changed in the configuration: that takes a restart of ferryd"), "port");
  warn_if_changed ("bind", server->config->bind_address, config->bind_address);
  warn_if_changed ("run-as", server->config->run_as, config->run_as);

  ferryd_log_set_verbose (config->verbose);
  ferryd_listener_set_limits (server->listener, config->max_clients, config->max_per_ip);
  ferryd_listener_set_proxy (server->listener, config);
  ferryd_listener_set_ban (server->listener, config);
  ferryd_worker_pool_set_files (server->pool, files);
  ferryd_config_free (server->config);
  server->config = g_steal_pointer (&config);
  g_message (_("configuration reloaded; new sessions use it"));
  return G_SOURCE_CONTINUE;
}

static int
fail_to_start (GError *error)
{
  g_printerr ("ferryd: %s\n", error->message);
  return 2;
}

/* After the drop: the user we serve as must be able to enter and list the folder. */
static gboolean
check_root_usable (const FerrydConfig  *config,
                   GError             **error)
{
  if (g_access (config->root, R_OK | X_OK) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_ROOT,
                   _("cannot serve “%s” as user %u: %s"), config->root, (guint) geteuid (),
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
print_start_line (Server *server)
{
  g_autofree char *url = ferryd_listener_get_url (server->listener);
  g_autofree char *host = NULL;
  const char *where;

  if (server->config->bind_address != NULL)
    where = host = ferryd_listener_get_host (server->listener);
  else
    where = _("every address");

  printf (server->config->write_enabled
          ? _("Serving %s read-write on %s port %u — connect with %s\n")
          : _("Serving %s read-only on %s port %u — connect with %s\n"),
          server->config->root, where, ferryd_listener_get_port (server->listener), url);
  fflush (stdout);
}

/* The TLS module, opened now for the same reason as the session program; -1 if it cannot
 * be. Not fatal: plain sessions still work, and a session asked for TLS refuses it (431)
 * and logs why, looking for the module by path (as one would after a reload that turns
 * TLS on). */
static int
open_tls_module (const FerrydConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = ferryd_programs_open (FERRYD_TLS_MODULE_FILE, FERRYD_MODULE_DIR, R_OK, &path,
                                 &error);

  if (fd < 0 && config->tls_cert_file != NULL)
    g_warning (_("TLS is configured, but sessions cannot have it: %s"), error->message);
  else if (fd < 0)
    g_debug ("%s", error->message);
  return fd;
}

/* A program that runs ferryd (the app's Share a Folder) may ask for a signal when it dies
 * (PR_SET_PDEATHSIG); the kernel forgets that request when credentials change, so it is
 * made again after the drop, and a parent that died meanwhile ends ferryd at once. */
static gboolean
drop_privileges_keeping_parent_death (const FerrydConfig  *config,
                                      GError             **error)
{
  int parent_death_signal = 0;
  pid_t parent = getppid ();

  prctl (PR_GET_PDEATHSIG, &parent_death_signal);
  if (!ferryd_privileges_drop (config, error))
    return FALSE;
  if (parent_death_signal != 0)
    {
      prctl (PR_SET_PDEATHSIG, parent_death_signal);
      if (getppid () != parent)
        raise (parent_death_signal);
    }
  return TRUE;
}

int
ferryd_server_run (const FerrydOptions *options)
{
  Server server = { .options = options, .xferlog_fd = -1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *zygote_program = NULL;
  FerrydWorkerFiles *files;
  int program_fd;
  int tls_module_fd = -1;
  guint signal_ids[3];

  /* Opened, not only found, while we may still be root: exec'd and loaded later through
   * these descriptors, they need not be reachable by the user we drop to (ferryd built
   * in a clone inside /root, or in a 0700 home folder). */
  program_fd = ferryd_programs_open (FERRYD_ZYGOTE_PROGRAM, FERRYD_LIBEXEC_DIR, X_OK,
                                     &zygote_program, &error);
  if (program_fd < 0)
    return fail_to_start (error);
  server.config = ferryd_options_load_config (options, &error);
  if (server.config == NULL)
    {
      close (program_fd);
      return fail_to_start (error);
    }
  ferryd_log_set_verbose (server.config->verbose);
  tls_module_fd = open_tls_module (server.config);

  /* Read what session processes need while we may still be root, then bind, then drop.
   * The transfer log too: it may be root's (0640 in /var/log). */
  if (server.config->xferlog_file != NULL)
    server.xferlog_fd = ferryd_xferlog_open (server.config->xferlog_file, &error);
  files = error == NULL ? ferryd_worker_files_new (server.config, server.xferlog_fd, &error)
                        : NULL;
  if (files == NULL)
    {
      if (server.xferlog_fd >= 0)
        close (server.xferlog_fd);
      close (program_fd);
      if (tls_module_fd >= 0)
        close (tls_module_fd);
      ferryd_config_free (server.config);
      return fail_to_start (error);
    }
  server.listener = ferryd_listener_new (server.config, &error);
  if (server.listener == NULL || !drop_privileges_keeping_parent_death (server.config, &error)
      || !check_root_usable (server.config, &error))
    {
      g_clear_pointer (&server.listener, ferryd_listener_free);
      ferryd_worker_files_free (files);
      if (server.xferlog_fd >= 0)
        close (server.xferlog_fd);
      close (program_fd);
      if (tls_module_fd >= 0)
        close (tls_module_fd);
      ferryd_config_free (server.config);
      return fail_to_start (error);
    }

  /* Serving means a session program that runs: say so only once the first zygote is
   * ready, and otherwise why it is not. */
  server.pool = ferryd_worker_pool_new (files, program_fd, zygote_program, tls_module_fd,
                                        &error);
  if (server.pool == NULL || !ferryd_worker_pool_wait_ready (server.pool, &error))
    {
      g_clear_pointer (&server.pool, ferryd_worker_pool_free);
      ferryd_listener_free (server.listener);
      ferryd_config_free (server.config);
      if (server.xferlog_fd >= 0)
        close (server.xferlog_fd);
      return fail_to_start (error);
    }

  server.loop = g_main_loop_new (NULL, FALSE);
  ferryd_listener_start (server.listener, server.pool);
  signal_ids[0] = g_unix_signal_add (SIGTERM, on_stop_signal, &server);
  signal_ids[1] = g_unix_signal_add (SIGINT, on_stop_signal, &server);
  signal_ids[2] = g_unix_signal_add (SIGHUP, on_reload_signal, &server);

  print_start_line (&server);
  g_main_loop_run (server.loop);

  for (guint i = 0; i < G_N_ELEMENTS (signal_ids); i++)
    g_source_remove (signal_ids[i]);
  g_clear_handle_id (&server.shutdown_timer, g_source_remove);
  ferryd_listener_free (server.listener);
  ferryd_worker_pool_free (server.pool);
  g_main_loop_unref (server.loop);
  ferryd_config_free (server.config);
  if (server.xferlog_fd >= 0)
    close (server.xferlog_fd);
  g_message (_("stopped"));
  return 0;
}
