// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-zygote.c — the session zygote. GLib does not support fork() without exec() once a
 * process may have threads; the listener has GIO's, so it never forks. The zygote is a
 * fresh exec of the session program, which links GLib only and never starts a thread: it
 * reads the configuration, drops nothing (the listener already runs unprivileged), and
 * then only forks, reaps and reports. Before every fork it checks that it is still
 * single-threaded, and aborts loudly if not. Forked session processes start with everything
 * loaded and share the zygote's pages until they write to them: no exec, no dynamic linking
 * on a session start. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* signalfd */
#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ferryd-handoff.h"
#include "ferryd-jail.h"
#include "ferryd-log.h"
#include "ferryd-tls-loader.h"
#include "ferryd-tls.h"
#include "ferryd-users.h"
#include "ferryd-worker.h"
#include "ferryd-worker-files.h"
#include "ferryd-xferlog.h"
#include "ferryd-zygote.h"

/* LeakSanitizer stops the process with ptrace, which a non-dumpable process refuses. */
#if defined(__SANITIZE_ADDRESS__)
# define UNDER_LEAK_SANITIZER 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_LEAK_SANITIZER 1
# endif
#endif

/* Idle children that died without serving anyone, in a row, before the zygote stops
 * replacing them at once and waits a second between forks. */
#define IDLE_FAILURES_BEFORE_BACKOFF 3

typedef struct {
  pid_t    pid;
  int      channel_fd;   /* our end of its socket pair; -1 once it has a client */
  gboolean busy;
} Child;

typedef struct {
  FerrydConfig *config;
  FerrydUsers  *users;
  GHashTable   *children;       /* pid → Child */
  GQueue        idle;           /* Child, oldest first */
  int           signal_fd;
  int           stat_fd;        /* /proc/self/stat, for the thread count before each fork */
  gboolean      retired;        /* the listener closed its end: no more clients */
  gboolean      ready_sent;
  guint         idle_failures;
  int           forked_channel; /* in a forked child: its channel; -1 in the zygote */
} Zygote;

guint
ferryd_zygote_count_threads (int stat_fd)
{
  char buffer[1024];
  const char *field;
  ssize_t length;

  /* From offset 0, procfs writes the file anew; no open and path walk per fork. */
  length = pread (stat_fd, buffer, sizeof buffer - 1, 0);
  if (length <= 0)
    return 0;
  buffer[length] = '\0';

  /* proc(5): field 2 (comm) may hold spaces and parentheses; count from its last ')'.
   * num_threads is field 20, the 18th after it. */
  field = strrchr (buffer, ')');
  for (int i = 0; field != NULL && i < 18; i++)
    field = strchr (field + 1, ' ');
  return field != NULL ? (guint) strtoul (field + 1, NULL, 10) : 0;
}

static void
assert_single_threaded (Zygote *zygote)
{
  guint threads = ferryd_zygote_count_threads (zygote->stat_fd);

  if (threads != 1)
    g_error ("the session zygote has %u threads: forking it now would be unsafe (GLib "
             "supports fork only in a single-threaded process); this is a bug in ferryd",
             threads);
}

static void
report (FerrydReportKind kind,
        pid_t            pid,
        guint64          token,
        int              wait_status)
{
  FerrydReport message = { .kind = kind, .pid = pid, .token = token,
                           .wait_status = wait_status };
  g_autoptr(GError) error = NULL;

  /* A listener that is gone cannot be told; its sessions still finish. */
  if (!ferryd_report_send (FERRYD_WORKER_CHANNEL_FD, &message, &error))
    g_debug ("%s", error->message);
}

static void
close_channel (Zygote *zygote,
               Child  *child)
{
  GList *link = g_queue_find (&zygote->idle, child);

  if (link != NULL)
    g_queue_delete_link (&zygote->idle, link);
  if (child->channel_fd >= 0)
    close (child->channel_fd);
  child->channel_fd = -1;
}

/* In a freshly forked child: let go of everything that is the zygote's. The table of
 * children is only read here, not freed: freeing would write to the zygote's heap pages
 * (a copy-on-write fault each) only to tidy memory the session's exit frees anyway. ASan
 * builds free it on their way out, for LeakSanitizer. */
static void
become_child (Zygote *zygote,
              int     channel_fd)
{
  GHashTableIter iter;
  gpointer value;
  sigset_t signals;

  g_hash_table_iter_init (&iter, zygote->children);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Child *child = value;
      if (child->channel_fd >= 0)
        close (child->channel_fd);
    }
  close (zygote->signal_fd);
  zygote->signal_fd = -1;
  close (zygote->stat_fd);
  zygote->stat_fd = -1;
  close (FERRYD_WORKER_CHANNEL_FD);

  sigemptyset (&signals);
  sigprocmask (SIG_SETMASK, &signals, NULL);
  zygote->forked_channel = channel_fd;
}

/* Returns TRUE in the zygote, FALSE in the new child (which must return to main). */
static gboolean
fork_idle_child (Zygote *zygote)
{
  int pair[2];
  pid_t pid;
  Child *child;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
    {
      g_warning (_("cannot prepare a session process: %s"), g_strerror (errno));
      return TRUE;
    }

  assert_single_threaded (zygote);
  pid = fork ();
  if (pid < 0)
    {
      g_warning (_("cannot start a session process: %s"), g_strerror (errno));
      close (pair[0]);
      close (pair[1]);
      return TRUE;
    }
  if (pid == 0)
    {
      close (pair[0]);
      become_child (zygote, pair[1]);
      return FALSE;
    }

  close (pair[1]);
  child = g_new0 (Child, 1);
  child->pid = pid;
  child->channel_fd = pair[0];
  g_hash_table_insert (zygote->children, GINT_TO_POINTER (pid), child);
  g_queue_push_tail (&zygote->idle, child);
  return TRUE;
}

static void
describe_idle_end (Zygote *zygote,
                   Child  *child,
                   int     wait_status)
{
  if (zygote->retired || child->channel_fd < 0)
    return;   /* it was told to go */
  zygote->idle_failures++;
  g_warning (_("an idle session process (%d) ended before serving anyone (wait status %d)"),
             (int) child->pid, wait_status);
}

static void
reap_children (Zygote *zygote)
{
  struct signalfd_siginfo info;
  int wait_status;
  pid_t pid;

  while (read (zygote->signal_fd, &info, sizeof info) == sizeof info)
    ;

  while ((pid = waitpid (-1, &wait_status, WNOHANG)) > 0)
    {
      Child *child = g_hash_table_lookup (zygote->children, GINT_TO_POINTER (pid));

      if (child == NULL)
        continue;
      if (child->busy)
        report (FERRYD_REPORT_ENDED, pid, 0, wait_status);
      else
        describe_idle_end (zygote, child, wait_status);
      close_channel (zygote, child);
      g_hash_table_remove (zygote->children, GINT_TO_POINTER (pid));
    }
}

static void
retire (Zygote *zygote)
{
  zygote->retired = TRUE;
  /* Idle children see their channel close and exit without serving anyone. */
  while (zygote->idle.head != NULL)
    close_channel (zygote, zygote->idle.head->data);
}

/* One client from the listener to the oldest idle child. Returns FALSE in a child forked
 * because none was idle. */
static gboolean
hand_over_one (Zygote *zygote)
{
  g_autoptr(GError) error = NULL;
  char peer[FERRYD_HANDOFF_PEER_MAX];
  guint64 token = 0;
  int client_fd;

  client_fd = ferryd_handoff_receive (FERRYD_WORKER_CHANNEL_FD, &token, peer, &error);
  if (client_fd < 0)
    {
      if (error != NULL)
        g_warning ("%s", error->message);
      retire (zygote);
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GError) send_error = NULL;
      Child *child;

      if (zygote->idle.head == NULL)
        {
          if (!fork_idle_child (zygote))
            {
              close (client_fd);
              return FALSE;
            }
          if (zygote->idle.head == NULL)
            {
              /* A fresh socket's send buffer is empty: this neither blocks nor comes out
               * short. */
              if (send (client_fd, FERRYD_UNAVAILABLE_REPLY, strlen (FERRYD_UNAVAILABLE_REPLY),
                        MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
                g_debug ("cannot tell %s: %s", peer, g_strerror (errno));
              report (FERRYD_REPORT_REFUSED, 0, token, 0);
              break;
            }
        }

      child = zygote->idle.head->data;
      /* Tell the listener which process serves the client before that process can answer
       * it: were the zygote killed between the two, the listener must still know the
       * session's pid, to count it and reap it. */
      report (FERRYD_REPORT_SERVING, child->pid, token, 0);
      if (!ferryd_handoff_send (child->channel_fd, client_fd, token, peer, &send_error))
        {
          /* It died while idle; its end is reaped and reported as a failed start, and the
           * next SERVING report for this token names its successor. */
          g_debug ("idle session process %d: %s", (int) child->pid, send_error->message);
          g_queue_pop_head (&zygote->idle);
          continue;
        }
      close_channel (zygote, child);
      child->busy = TRUE;
      zygote->idle_failures = 0;
      break;
    }

  close (client_fd);
  return TRUE;
}

/* The zygote's loop. Returns FALSE in a forked child, TRUE when the zygote is done. */
static gboolean
serve (Zygote *zygote)
{
  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = zygote->signal_fd, .events = POLLIN },
        { .fd = zygote->retired ? -1 : FERRYD_WORKER_CHANNEL_FD, .events = POLLIN },
      };
      gboolean short_of_idle = !zygote->retired
                               && zygote->idle.length < FERRYD_ZYGOTE_IDLE_CHILDREN;
      int timeout = -1;

      if (zygote->retired && g_hash_table_size (zygote->children) == 0)
        return TRUE;

      if (short_of_idle)
        timeout = zygote->idle_failures >= IDLE_FAILURES_BEFORE_BACKOFF ? 1000 : 0;
      else if (!zygote->ready_sent && !zygote->retired)
        {
          report (FERRYD_REPORT_READY, 0, 0, 0);
          zygote->ready_sent = TRUE;
        }

      /* Clients and ended children first; replacements are forked when nothing waits. */
      if (poll (fds, G_N_ELEMENTS (fds), timeout) < 0)
        {
          if (errno != EINTR)
            g_error ("the session zygote cannot wait: %s", g_strerror (errno));
          continue;
        }

      if (fds[0].revents != 0)
        reap_children (zygote);
      if (fds[1].revents != 0 && !zygote->retired)
        {
          if (!hand_over_one (zygote))
            return FALSE;
        }
      else if (fds[0].revents == 0 && short_of_idle)
        {
          if (!fork_idle_child (zygote))
            return FALSE;
        }
    }
}

static gboolean
started_by_listener (void)
{
  struct stat st;

  return fstat (FERRYD_WORKER_CHANNEL_FD, &st) == 0 && S_ISSOCK (st.st_mode)
         && fstat (FERRYD_WORKER_CONFIG_FD, &st) == 0;
}

static gboolean
load (Zygote  *zygote,
      GError **error)
{
  zygote->config = ferryd_worker_files_read_config (error);
  if (zygote->config == NULL)
    return FALSE;
  close (FERRYD_WORKER_CONFIG_FD);
  ferryd_log_set_verbose (zygote->config->verbose);

  /* Sessions then log in without opening and resolving the root themselves. A folder that
   * cannot be opened now is not fatal: each login says so, as it would without this. A
   * root replaced under the same name is served from the next zygote on (SIGHUP, or at
   * most FERRYD_ZYGOTE_SESSIONS_BEFORE_REEXEC sessions later). */
  {
    g_autoptr(GError) root_error = NULL;

    if (!ferryd_jail_preopen (zygote->config->root, &root_error))
      g_debug ("%s", root_error->message);
  }

  if (zygote->config->users_file != NULL)
    {
      zygote->users = ferryd_users_load (zygote->config->users_file,
                                         zygote->config->write_enabled, error);
      if (zygote->users == NULL)
        return FALSE;
      close (FERRYD_WORKER_USERS_FD);
    }
  return TRUE;
}

static gboolean
prepare_forking (Zygote  *zygote,
                 GError **error)
{
  sigset_t signals;

  zygote->stat_fd = open ("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (zygote->stat_fd < 0 || ferryd_zygote_count_threads (zygote->stat_fd) == 0)
    {
      int saved_errno = zygote->stat_fd < 0 ? errno : EIO;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot count this process's threads in /proc/self/stat: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }

  sigemptyset (&signals);
  sigaddset (&signals, SIGCHLD);
  sigprocmask (SIG_BLOCK, &signals, NULL);
  zygote->signal_fd = signalfd (-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (zygote->signal_fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot watch session processes: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
zygote_clear (Zygote *zygote)
{
  g_clear_pointer (&zygote->children, g_hash_table_unref);
  g_queue_clear (&zygote->idle);
  g_clear_pointer (&zygote->users, ferryd_users_free);
  g_clear_pointer (&zygote->config, ferryd_config_free);
  ferryd_jail_forget_preopened ();
  if (zygote->signal_fd >= 0)
    close (zygote->signal_fd);
  if (zygote->stat_fd >= 0)
    close (zygote->stat_fd);
}

int
ferryd_zygote_main (void)
{
  Zygote zygote = { .signal_fd = -1, .stat_fd = -1, .forked_channel = -1 };
  g_autoptr(GError) error = NULL;
  int status;

  /* First: started through /proc/self/fd/N, the kernel named this process "N". */
  prctl (PR_SET_NAME, FERRYD_ZYGOTE_NAME, 0, 0, 0);
  if (!started_by_listener ())
    {
      /* No locale here (see ferryd-zygote-main.c): not translated. */
      g_printerr ("ferryd-zygote: this program is started by ferryd, not by hand\n");
      return 2;
    }

  /* The listener exec'd us through this descriptor; nothing here needs it again (the
   * next zygote is the listener's to start). */
  close (FERRYD_WORKER_PROGRAM_FD);
  if (fcntl (FERRYD_WORKER_TLS_MODULE_FD, F_SETFD, FD_CLOEXEC) == 0)
    ferryd_tls_loader_use_fd (FERRYD_WORKER_TLS_MODULE_FD);
  if (fcntl (FERRYD_WORKER_LOGIN_FAILED_FD, F_SETFD, FD_CLOEXEC) == 0)
    ferryd_report_use_login_failed_fd (FERRYD_WORKER_LOGIN_FAILED_FD);

  zygote.children = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_queue_init (&zygote.idle);
  if (!load (&zygote, &error) || !prepare_forking (&zygote, &error))
    {
      g_warning ("the session zygote cannot start: %s", error->message);
      zygote_clear (&zygote);
      return 1;
    }
  for (int fd = FERRYD_WORKER_CERT_FD; fd <= FERRYD_WORKER_KEY_FD; fd++)
    fcntl (fd, F_SETFD, FD_CLOEXEC);
  /* The listener placed the transfer log only when it has one open (ferryd-worker-files.c). */
  if (zygote.config->xferlog_file != NULL
      && fcntl (FERRYD_WORKER_XFERLOG_FD, F_SETFD, FD_CLOEXEC) == 0)
    ferryd_xferlog_use_fd (FERRYD_WORKER_XFERLOG_FD);
  /* Before the first fork: every session inherits the secret of its TLS ticket keys. */
  ferryd_tls_prepare_ticket_secret ();

  /* A client that vanishes mid-transfer must give EPIPE, not kill the session silently;
   * a listener that vanished must not kill the zygote before its sessions end. */
  signal (SIGPIPE, SIG_IGN);
#ifndef UNDER_LEAK_SANITIZER
  /* Sessions (which inherit this) run as one user: none may ptrace or read the memory of
   * another, nor dump a core with a client's password in it. */
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif

  if (serve (&zygote))
    {
      zygote_clear (&zygote);
      return 0;
    }

  /* A forked session process: the configuration is all it keeps. */
  status = ferryd_worker_serve (zygote.forked_channel, zygote.config, zygote.users);
#ifndef UNDER_LEAK_SANITIZER
  /* Nothing of a session is left to flush (its log lines are written whole, its files
   * closed); exit handlers and library destructors would only fault in pages to tidy up
   * memory the kernel frees anyway: about 6% of a short session's CPU. */
  _exit (status);
#else
  zygote_clear (&zygote);
  return status;
#endif
}
