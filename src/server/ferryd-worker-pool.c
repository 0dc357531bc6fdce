// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker-pool.c — the listener's side of the session zygotes: it starts one
 * (posix_spawn of the session program through the descriptor opened at start, see
 * ferryd-programs.h: the listener has GIO threads and never forks), hands it each accepted
 * client over SOCK_SEQPACKET with SCM_RIGHTS, and learns from its reports which process
 * serves which client and when it ended. A zygote is replaced after
 * FERRYD_ZYGOTE_SESSIONS_BEFORE_REEXEC sessions, on SIGHUP, and when it dies; the listener
 * is the reaper of orphaned session processes, so a dead zygote loses no session. When
 * the channel to the zygote is full, clients wait here (and the listener stops accepting)
 * until it has room again: a burst is served late rather than refused. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* posix_spawn_file_actions_addclosefrom_np */
#include "ferry-config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ferryd-error.h"
#include "ferryd-handoff.h"
#include "ferryd-programs.h"
#include "ferryd-worker-pool.h"
#include "ferryd-zygote.h"

/* Zygotes that ended before being ready (or could not be started), in a row, before
 * restarts wait: 1 s, then twice as long each time, up to MAX_BACKOFF_SECONDS. */
#define STARTUP_FAILURES_BEFORE_BACKOFF 3
#define MAX_BACKOFF_SECONDS 32
/* How long ferryd waits at start for its first zygote to be ready. */
#define FIRST_START_TIMEOUT_SECONDS 60
/* A hand-over refused for too many descriptors in flight (ETOOMANYREFS) is not signalled by
 * poll: it is retried after this many milliseconds. */
#define CONGESTION_RETRY_MS 5
#define CHANNEL_FD_FLOOR 16

typedef struct _Zygote Zygote;

struct _Zygote {
  FerrydWorkerPool *pool;
  GPid              pid;
  int               channel_fd;
  guint             channel_source;
  guint             writable_source;   /* waiting for room to hand the pending clients over */
  guint             watch_id;
  guint             handed_over;
  gboolean          ready;
  gboolean          retired;     /* its end of the channel is shut: no more clients */
};

typedef struct {
  FerrydWorkerPool *pool;
  guint64           token;
  char             *peer_ip;
  char             *peer_text;     /* "IP port", for the session's log lines */
  GPid              pid;           /* 0 until the zygote reports which process serves it */
  Zygote           *zygote;        /* NULL while pending, and once orphaned (then we reap it) */
  int               pending_fd;    /* the client, until a zygote took it; -1 after */
  guint             orphan_watch;
} Session;

struct _FerrydWorkerPool {
  FerrydWorkerFiles *files;
  int                program_fd;       /* the session program, opened at start */
  char              *program_path;     /* where it was, for messages */
  int                tls_module_fd;    /* the TLS module, opened at start; -1: none */
  int                login_failed_fds[2];  /* datagrams from sessions: ours, theirs */
  guint              login_failed_source;
  Zygote            *current;      /* receives the clients */
  Zygote            *successor;    /* started, takes over once ready */
  GList             *zygotes;      /* every zygote not yet reaped */
  GHashTable        *sessions;     /* token → Session */
  GHashTable        *by_pid;       /* pid → Session, once reported */
  GHashTable        *strays;       /* pid → child watch id: adopted idle processes */
  GHashTable        *per_ip;       /* peer IP → sessions (GUINT_TO_POINTER) */
  char             **zygote_environ;
  GQueue             pending;      /* Session, waiting for room in the zygote's channel */
  guint              retry_id;     /* after CONGESTION_RETRY_MS */
  FerrydLoginFailedFunc login_failed;  /* a session's failed logins, for the ban */
  gpointer           login_failed_data;
  GSourceFunc        when_flowing; /* called once pending empties again */
  gpointer           when_flowing_data;
  GError            *first_start_error;   /* while waiting for the first zygote */
  gboolean           first_start;
  guint64            next_token;
  guint              restart_id;
  guint              empty_check_id;
  guint              startup_failures;
  gboolean           draining;
  GSourceFunc        when_empty;
  gpointer           when_empty_data;
};

static void start_current (FerrydWorkerPool *pool);
static guint flush_pending (FerrydWorkerPool *pool);
static gboolean read_reports (Zygote *zygote);
static void take_login_failures (FerrydWorkerPool *pool);

static void
count_peer (FerrydWorkerPool *pool,
            const char       *peer_ip,
            int               change)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (pool->per_ip, peer_ip)) + change;

  if (count == 0)
    g_hash_table_remove (pool->per_ip, peer_ip);
  else
    g_hash_table_replace (pool->per_ip, g_strdup (peer_ip), GUINT_TO_POINTER (count));
}

static void
session_free (gpointer data)
{
  Session *session = data;

  g_clear_handle_id (&session->orphan_watch, g_source_remove);
  if (session->pending_fd >= 0)
    close (session->pending_fd);
  g_free (session->peer_ip);
  g_free (session->peer_text);
  g_free (session);
}

static void
check_empty (FerrydWorkerPool *pool)
{
  GSourceFunc when_empty = pool->when_empty;

  if (!pool->draining || when_empty == NULL || pool->zygotes != NULL
      || g_hash_table_size (pool->sessions) > 0 || g_hash_table_size (pool->strays) > 0)
    return;
  pool->when_empty = NULL;
  when_empty (pool->when_empty_data);
}

static void
session_end (Session *session)
{
  FerrydWorkerPool *pool = session->pool;

  count_peer (pool, session->peer_ip, -1);
  if (session->pending_fd >= 0)
    g_queue_remove (&pool->pending, session);
  if (session->pid > 0)
    g_hash_table_remove (pool->by_pid, GINT_TO_POINTER (session->pid));
  g_hash_table_remove (pool->sessions, &session->token);
  check_empty (pool);
}

/* The number of failed logins a session's exit status reports; 0 for none. */
static guint
login_failures_of (int wait_status)
{
  int code = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 0;

  if (code > FERRYD_EXIT_LOGIN_FAILURES_BASE
      && code <= FERRYD_EXIT_LOGIN_FAILURES_BASE + FERRYD_MAX_LOGIN_FAILURES)
    return (guint) (code - FERRYD_EXIT_LOGIN_FAILURES_BASE);
  return 0;
}

static void
describe_end (Session *session,
              int      wait_status)
{
  if (login_failures_of (wait_status) > 0)
    g_debug ("session process %d for %s ended after %u failed logins", (int) session->pid,
             session->peer_ip, login_failures_of (wait_status));
  else if (WIFSIGNALED (wait_status))
    g_message (_("session process %d for %s was ended by signal %d (%s)"), (int) session->pid,
               session->peer_ip, WTERMSIG (wait_status), g_strsignal (WTERMSIG (wait_status)));
  else if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) != 0)
    g_debug ("session process %d for %s exited with status %d", (int) session->pid,
             session->peer_ip, WEXITSTATUS (wait_status));
  else
    g_debug ("session process %d for %s ended", (int) session->pid, session->peer_ip);
}

static void
retire (Zygote *zygote)
{
  if (zygote->retired)
    return;
  zygote->retired = TRUE;
  /* The zygote reads the end of the stream after the clients already sent, and keeps
   * reporting on its half until its last session ended. */
  shutdown (zygote->channel_fd, SHUT_WR);
}

static void
take_report (Zygote             *zygote,
             const FerrydReport *report)
{
  FerrydWorkerPool *pool = zygote->pool;
  Session *session;

  switch (report->kind)
    {
    case FERRYD_REPORT_READY:
      zygote->ready = TRUE;
      if (pool->startup_failures > 0 && !pool->first_start)
        g_message (_("the session program %s started again; serving clients"),
                   pool->program_path);
      pool->startup_failures = 0;
      if (zygote == pool->successor)
        {
          if (pool->current != NULL)
            retire (pool->current);
          pool->current = g_steal_pointer (&pool->successor);
        }
      flush_pending (pool);
      break;

    case FERRYD_REPORT_SERVING:
      session = g_hash_table_lookup (pool->sessions, &report->token);
      if (session == NULL || report->pid <= 0)
        break;
      /* A second report for one client: the first process died before taking it. */
      if (session->pid > 0 && session->pid != report->pid)
        g_hash_table_remove (pool->by_pid, GINT_TO_POINTER (session->pid));
      session->pid = report->pid;
      g_hash_table_insert (pool->by_pid, GINT_TO_POINTER (session->pid), session);
      break;

    case FERRYD_REPORT_REFUSED:
      session = g_hash_table_lookup (pool->sessions, &report->token);
      if (session != NULL)
        {
          g_message (_("%s was closed unserved: no session process could start"),
                     session->peer_ip);
          session_end (session);
        }
      break;

    case FERRYD_REPORT_ENDED:
      /* What it reported before it ended counts under its client, not under nobody. */
      take_login_failures (pool);
      session = g_hash_table_lookup (pool->by_pid, GINT_TO_POINTER (report->pid));
      if (session != NULL)
        {
          guint failures = login_failures_of (report->wait_status);

          describe_end (session, report->wait_status);
          if (failures > 0 && pool->login_failed != NULL)
            pool->login_failed (session->peer_ip, failures, pool->login_failed_data);
          session_end (session);
        }
      break;

    default:
      g_warning ("the session zygote %d sent an unknown report (%u)", (int) zygote->pid,
                 report->kind);
    }
}

/* A failed login, as it happened, charged to the real address of the client that pid
 * serves. */
static void
count_login_failure (FerrydWorkerPool *pool,
                     pid_t             pid)
{
  Session *session = g_hash_table_lookup (pool->by_pid, GINT_TO_POINTER (pid));

  if (session == NULL)
    {
      /* The zygote's SERVING report may still wait in its channel. */
      for (GList *l = pool->zygotes; l != NULL; l = l->next)
        read_reports (l->data);
      session = g_hash_table_lookup (pool->by_pid, GINT_TO_POINTER (pid));
    }
  if (session == NULL)
    g_debug ("a failed login from process %d, which serves no client", (int) pid);
  else if (pool->login_failed != NULL)
    pool->login_failed (session->peer_ip, 1, pool->login_failed_data);
}

static void
take_login_failures (FerrydWorkerPool *pool)
{
  pid_t pid;

  if (pool->login_failed_fds[0] < 0)
    return;
  while ((pid = ferryd_report_receive_login_failure (pool->login_failed_fds[0])) != 0)
    if (pid > 0)
      count_login_failure (pool, pid);
}

static gboolean
on_login_failures (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  take_login_failures (user_data);
  return G_SOURCE_CONTINUE;
}

/* FALSE once the channel has nothing more to say. */
static gboolean
read_reports (Zygote *zygote)
{
  FerrydReport report;
  int got;

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      got = ferryd_report_receive (zygote->channel_fd, &report, &error);
      if (got > 0)
        {
          take_report (zygote, &report);
          continue;
        }
      if (error != NULL)
        g_warning ("%s", error->message);
      return got == 0 && error == NULL;
    }
}

static gboolean
on_reports (int          fd,
            GIOCondition condition,
            gpointer     user_data)
{
  Zygote *zygote = user_data;

  if (read_reports (zygote) && (condition & (G_IO_HUP | G_IO_ERR)) == 0)
    return G_SOURCE_CONTINUE;
  if ((condition & (G_IO_HUP | G_IO_ERR)) == 0)
    return G_SOURCE_CONTINUE;   /* would block; more comes later */
  zygote->channel_source = 0;   /* closed: the end is handled when the zygote is reaped */
  return G_SOURCE_REMOVE;
}

static void
orphan_exited (GPid     pid,
               int      wait_status,
               gpointer user_data)
{
  Session *session = user_data;

  session->orphan_watch = 0;
  describe_end (session, wait_status);
  session_end (session);
}

static void
stray_exited (GPid     pid,
              int      wait_status,
              gpointer user_data)
{
  FerrydWorkerPool *pool = user_data;

  g_hash_table_remove (pool->strays, GINT_TO_POINTER (pid));
  check_empty (pool);
}

static gboolean
is_zygote (FerrydWorkerPool *pool,
           GPid              pid)
{
  for (GList *l = pool->zygotes; l != NULL; l = l->next)
    if (((Zygote *) l->data)->pid == pid)
      return TRUE;
  return FALSE;
}

/* The idle processes of a zygote that died are ours now (we are the subreaper); they exit
 * by themselves, and we reap them. */
static void
adopt_strays (FerrydWorkerPool *pool)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/children", tid);
      g_autofree char *text = NULL;
      g_auto(GStrv) pids = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      pids = g_strsplit_set (g_strstrip (text), " ", -1);
      for (guint i = 0; pids[i] != NULL; i++)
        {
          GPid pid = (GPid) strtol (pids[i], NULL, 10);

          if (pid <= 0 || is_zygote (pool, pid)
              || g_hash_table_contains (pool->by_pid, GINT_TO_POINTER (pid))
              || g_hash_table_contains (pool->strays, GINT_TO_POINTER (pid)))
            continue;
          g_hash_table_insert (pool->strays, GINT_TO_POINTER (pid),
                               GUINT_TO_POINTER (g_child_watch_add (pid, stray_exited, pool)));
        }
    }
}

static gboolean
restart_after_backoff (gpointer user_data)
{
  FerrydWorkerPool *pool = user_data;

  pool->restart_id = 0;
  if (pool->current == NULL && !pool->draining)
    start_current (pool);
  return G_SOURCE_REMOVE;
}

/* Clients that no zygote can take now: told so (rather than left waiting for one that may
 * take minutes to come back), and closed. */
static void
refuse_pending (FerrydWorkerPool *pool,
                const char       *why)
{
  Session *session;

  while ((session = g_queue_peek_head (&pool->pending)) != NULL)
    {
      /* A fresh socket's send buffer is empty: this neither blocks nor comes out short. */
      if (send (session->pending_fd, FERRYD_UNAVAILABLE_REPLY,
                strlen (FERRYD_UNAVAILABLE_REPLY), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        g_debug ("cannot tell %s: %s", session->peer_ip, g_strerror (errno));
      g_message (_("%s was closed unserved: %s"), session->peer_text, why);
      session_end (session);
    }
}

/* After a zygote could not start or ended before it was ready: at once the first times
 * (a crash, a reload racing an upgrade), then backing off, so that a program that cannot
 * run is not restarted in a loop. */
static void
restart_current (FerrydWorkerPool *pool)
{
  guint failures_over = pool->startup_failures - STARTUP_FAILURES_BEFORE_BACKOFF;
  guint delay;

  if (pool->startup_failures < STARTUP_FAILURES_BEFORE_BACKOFF)
    {
      start_current (pool);
      return;
    }
  delay = failures_over >= 5 ? MAX_BACKOFF_SECONDS : MIN (1u << failures_over,
                                                          MAX_BACKOFF_SECONDS);
  g_warning (_("the session program %s failed to start %u times in a row; trying again in "
               "%u s (until then, clients are told the service is not available)"),
             pool->program_path, pool->startup_failures, delay);
  refuse_pending (pool, _("the session program cannot start"));
  pool->restart_id = g_timeout_add_seconds (delay, restart_after_backoff, pool);
}

static void
zygote_free (Zygote *zygote)
{
  g_clear_handle_id (&zygote->channel_source, g_source_remove);
  g_clear_handle_id (&zygote->writable_source, g_source_remove);
  g_clear_handle_id (&zygote->watch_id, g_source_remove);
  if (zygote->channel_fd >= 0)
    close (zygote->channel_fd);
  g_free (zygote);
}

static void
zygote_exited (GPid     pid,
               int      wait_status,
               gpointer user_data)
{
  Zygote *zygote = user_data;
  FerrydWorkerPool *pool = zygote->pool;
  gboolean failed = !WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0;
  GHashTableIter iter;
  gpointer value;
  GList *ended = NULL;

  zygote->watch_id = 0;
  read_reports (zygote);
  pool->zygotes = g_list_remove (pool->zygotes, zygote);
  if (pool->current == zygote)
    pool->current = NULL;
  if (pool->successor == zygote)
    pool->successor = NULL;

  if (failed && pool->first_start && !zygote->ready)
    {
      g_set_error (&pool->first_start_error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   WIFEXITED (wait_status)
                   ? _("the session program %s exited with status %d before it was ready")
                   : _("the session program %s was ended by signal %d before it was ready"),
                   pool->program_path, WIFEXITED (wait_status) ? WEXITSTATUS (wait_status)
                                                               : WTERMSIG (wait_status));
    }
  else if (failed)
    {
      g_warning (_("the session zygote %d ended unexpectedly (wait status %d); starting "
                   "another, its sessions go on"), (int) pid, wait_status);
      if (!zygote->ready)
        pool->startup_failures++;
    }

  g_hash_table_iter_init (&iter, pool->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Session *session = value;

      if (session->zygote != zygote)
        continue;
      session->zygote = NULL;
      if (session->pid > 0)
        session->orphan_watch = g_child_watch_add (session->pid, orphan_exited, session);
      else
        ended = g_list_prepend (ended, session);   /* its client went with the zygote */
    }
  g_list_free_full (ended, (GDestroyNotify) session_end);
  if (failed)
    adopt_strays (pool);
  zygote_free (zygote);

  if (pool->draining)
    {
      check_empty (pool);
      return;
    }
  if (pool->first_start_error != NULL)
    return;   /* ferryd_worker_pool_wait_ready reports it, and ferryd exits */
  if (pool->current == NULL && pool->successor != NULL)
    pool->current = g_steal_pointer (&pool->successor);
  if (pool->current == NULL && pool->restart_id == 0)
    restart_current (pool);
  else
    flush_pending (pool);
}

static Zygote *
start_zygote (FerrydWorkerPool  *pool,
              GError           **error)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t no_signals;
  char *argv[] = { (char *) FERRYD_ZYGOTE_PROGRAM, NULL };
  g_autofree char *program = ferryd_programs_fd_path (FERRYD_WORKER_PROGRAM_FD);
  int pair[2];
  int parent_end;
  int child_end;
  pid_t pid;
  int status;
  Zygote *zygote;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot start the session program %s: %s"), pool->program_path,
                   g_strerror (saved_errno));
      return NULL;
    }
  /* Both ends above the numbers the child's descriptors are placed on, so that no dup2
   * of posix_spawn overwrites a source still to be placed, and none is a no-op that would
   * leave close-on-exec set. */
  status = 0;
  parent_end = fcntl (pair[0], F_DUPFD_CLOEXEC, CHANNEL_FD_FLOOR);
  if (parent_end < 0)
    status = errno;
  child_end = fcntl (pair[1], F_DUPFD_CLOEXEC, CHANNEL_FD_FLOOR);
  if (child_end < 0)
    status = errno;
  close (pair[0]);
  close (pair[1]);

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, child_end, FERRYD_WORKER_CHANNEL_FD);
  for (int slot = FERRYD_WORKER_CONFIG_FD; slot < FERRYD_WORKER_FIRST_FREE_FD; slot++)
    if (pool->files->fds[slot] >= 0)
      posix_spawn_file_actions_adddup2 (&actions, pool->files->fds[slot], slot);
  /* Exec'd and loaded through descriptors opened while ferryd could still reach them (the
   * zygote closes the program's at once). Both are above CHANNEL_FD_FLOOR too. */
  if (pool->tls_module_fd >= 0)
    posix_spawn_file_actions_adddup2 (&actions, pool->tls_module_fd,
                                      FERRYD_WORKER_TLS_MODULE_FD);
  if (pool->login_failed_fds[1] >= 0)
    posix_spawn_file_actions_adddup2 (&actions, pool->login_failed_fds[1],
                                      FERRYD_WORKER_LOGIN_FAILED_FD);
  posix_spawn_file_actions_adddup2 (&actions, pool->program_fd, FERRYD_WORKER_PROGRAM_FD);
  posix_spawn_file_actions_addclosefrom_np (&actions, FERRYD_WORKER_FIRST_FREE_FD);

  sigemptyset (&no_signals);
  posix_spawnattr_init (&attributes);
  posix_spawnattr_setsigmask (&attributes, &no_signals);
  posix_spawnattr_setflags (&attributes, POSIX_SPAWN_SETSIGMASK);

  if (status == 0)
    status = posix_spawn (&pid, program, &actions, &attributes, argv, pool->zygote_environ);
  posix_spawnattr_destroy (&attributes);
  posix_spawn_file_actions_destroy (&actions);
  if (child_end >= 0)
    close (child_end);

  if (status != 0)
    {
      if (parent_end >= 0)
        close (parent_end);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (status),
                   _("cannot start the session program %s: %s"), pool->program_path,
                   g_strerror (status));
      return NULL;
    }

  zygote = g_new0 (Zygote, 1);
  zygote->pool = pool;
  zygote->pid = pid;
  zygote->channel_fd = parent_end;
  zygote->channel_source = g_unix_fd_add (parent_end, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                          on_reports, zygote);
  zygote->watch_id = g_child_watch_add (pid, zygote_exited, zygote);
  pool->zygotes = g_list_prepend (pool->zygotes, zygote);
  return zygote;
}

static void
start_current (FerrydWorkerPool *pool)
{
  g_autoptr(GError) error = NULL;

  pool->current = start_zygote (pool, &error);
  if (pool->current == NULL)
    {
      g_warning ("%s", error->message);
      pool->startup_failures++;
      restart_current (pool);
      return;
    }
  flush_pending (pool);
}

static gboolean on_writable (int fd, GIOCondition condition, gpointer user_data);

static gboolean
retry_flush (gpointer user_data)
{
  FerrydWorkerPool *pool = user_data;

  pool->retry_id = 0;
  flush_pending (pool);
  return G_SOURCE_REMOVE;
}

static gboolean
on_writable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Zygote *zygote = user_data;
  FerrydWorkerPool *pool = zygote->pool;

  zygote->writable_source = 0;
  /* Still full although poll said there was room: the kernel's limit on descriptors in
   * flight, which poll does not report; try again shortly rather than spin. */
  if (flush_pending (pool) == 0 && zygote == pool->current && zygote->writable_source != 0
      && pool->retry_id == 0)
    {
      g_clear_handle_id (&zygote->writable_source, g_source_remove);
      pool->retry_id = g_timeout_add (CONGESTION_RETRY_MS, retry_flush, pool);
    }
  return G_SOURCE_REMOVE;
}

/* Starts a zygote after a few sessions (so that the switch costs no client a wait). */
static void
count_hand_over (FerrydWorkerPool *pool,
                 Zygote           *zygote)
{
  if (++zygote->handed_over >= FERRYD_ZYGOTE_SESSIONS_BEFORE_REEXEC
      && pool->successor == NULL && zygote->ready && zygote == pool->current)
    {
      g_autoptr(GError) start_error = NULL;

      pool->successor = start_zygote (pool, &start_error);
      if (pool->successor == NULL)
        g_warning ("%s", start_error->message);
    }
}

/* Hands the waiting clients to the current zygote, oldest first, as far as its channel
 * has room; watches for more room when it is full; tells the listener when none wait. */
static guint
flush_pending (FerrydWorkerPool *pool)
{
  Zygote *zygote = pool->current;
  Session *session;
  guint sent = 0;

  while ((session = g_queue_peek_head (&pool->pending)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (zygote == NULL || zygote->retired)
        return sent;   /* the next zygote takes them: start_current and READY call us again */
      if (zygote->writable_source != 0 || pool->retry_id != 0)
        return sent;   /* already waiting for room */
      if (!ferryd_handoff_send (zygote->channel_fd, session->pending_fd, session->token,
                                session->peer_text, &error))
        {
          if (g_error_matches (error, FERRYD_ERROR, FERRYD_ERROR_WOULD_BLOCK))
            zygote->writable_source = g_unix_fd_add (zygote->channel_fd, G_IO_OUT,
                                                     on_writable, zygote);
          else
            g_debug ("%s", error->message);   /* it died: its end brings the next one */
          return sent;
        }
      g_queue_pop_head (&pool->pending);
      close (session->pending_fd);
      session->pending_fd = -1;
      session->zygote = zygote;
      count_hand_over (pool, zygote);
      sent++;
    }

  if (pool->when_flowing != NULL)
    pool->when_flowing (pool->when_flowing_data);
  return sent;
}

/* fd moved above CHANNEL_FD_FLOOR (close-on-exec), for the same reason as the channel's
 * ends (see start_zygote); -1 stays -1. */
static int
raise_fd (int       fd,
          GError  **error)
{
  int high_fd;

  if (fd < 0 || fd >= CHANNEL_FD_FLOOR)
    return fd;
  high_fd = fcntl (fd, F_DUPFD_CLOEXEC, CHANNEL_FD_FLOOR);
  if (high_fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot prepare the session program: %s"), g_strerror (saved_errno));
    }
  close (fd);
  return high_fd;
}

/* The datagram socket sessions report failed logins on (ferryd-handoff.h): the kernel
 * names the sending process (SO_PASSCRED), so each failure counts at once under its
 * client's real address, not when the session ends. */
static gboolean
open_login_failed_socket (FerrydWorkerPool  *pool,
                          GError           **error)
{
  int pair[2];
  int on = 1;

  if (socketpair (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair) != 0
      || setsockopt (pair[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot prepare the session program: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  pool->login_failed_fds[0] = pair[0];
  pool->login_failed_fds[1] = raise_fd (pair[1], error);
  if (pool->login_failed_fds[1] < 0)
    return FALSE;
  pool->login_failed_source = g_unix_fd_add (pair[0], G_IO_IN, on_login_failures, pool);
  return TRUE;
}

FerrydWorkerPool *
ferryd_worker_pool_new (FerrydWorkerFiles  *files,
                        int                 program_fd,
                        const char         *program_path,
                        int                 tls_module_fd,
                        GError            **error)
{
  g_autoptr(FerrydWorkerPool) pool = g_new0 (FerrydWorkerPool, 1);

  pool->files = files;
  pool->program_fd = -1;
  pool->login_failed_fds[0] = pool->login_failed_fds[1] = -1;
  pool->program_path = g_strdup (program_path);
  pool->tls_module_fd = raise_fd (tls_module_fd, NULL);
  g_queue_init (&pool->pending);
  pool->sessions = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, session_free);
  pool->by_pid = g_hash_table_new (NULL, NULL);
  pool->strays = g_hash_table_new (NULL, NULL);
  pool->per_ip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Every symbol bound once in the zygote: lazily bound, each session process would look
   * its symbols up again and write its own copy of every library's GOT page. */
  pool->zygote_environ = g_environ_setenv (g_get_environ (), "LD_BIND_NOW", "1", TRUE);

  /* Sessions of a zygote that died become our children rather than init's: we reap them
   * and keep counting them. */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
    g_warning ("cannot adopt orphaned session processes: %s", g_strerror (errno));

  pool->program_fd = raise_fd (program_fd, error);
  if (pool->program_fd < 0)
    return NULL;
  if (!open_login_failed_socket (pool, error))
    return NULL;
  pool->first_start = TRUE;
  pool->current = start_zygote (pool, error);
  if (pool->current == NULL)
    return NULL;
  return g_steal_pointer (&pool);
}

static gboolean
first_start_timed_out (gpointer user_data)
{
  FerrydWorkerPool *pool = user_data;

  if (pool->first_start_error == NULL)
    g_set_error (&pool->first_start_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 _("the session program %s was not ready after %d seconds"),
                 pool->program_path, FIRST_START_TIMEOUT_SECONDS);
  return G_SOURCE_REMOVE;
}

gboolean
ferryd_worker_pool_wait_ready (FerrydWorkerPool  *pool,
                               GError           **error)
{
  guint timeout_id = g_timeout_add_seconds (FIRST_START_TIMEOUT_SECONDS,
                                            first_start_timed_out, pool);

  while (pool->first_start_error == NULL && pool->current != NULL && !pool->current->ready)
    g_main_context_iteration (NULL, TRUE);
  if (pool->first_start_error == NULL)
    g_source_remove (timeout_id);

  pool->first_start = FALSE;
  if (pool->first_start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&pool->first_start_error));
      return FALSE;
    }
  return TRUE;
}

void
ferryd_worker_pool_free (FerrydWorkerPool *pool)
{
  GHashTableIter iter;
  gpointer value;

  if (pool == NULL)
    return;

  g_clear_handle_id (&pool->restart_id, g_source_remove);
  g_clear_handle_id (&pool->empty_check_id, g_source_remove);
  g_clear_handle_id (&pool->retry_id, g_source_remove);
  g_clear_handle_id (&pool->login_failed_source, g_source_remove);
  g_list_free_full (g_steal_pointer (&pool->zygotes), (GDestroyNotify) zygote_free);
  g_hash_table_iter_init (&iter, pool->strays);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_source_remove (GPOINTER_TO_UINT (value));
  g_queue_clear (&pool->pending);
  g_clear_pointer (&pool->strays, g_hash_table_unref);
  g_clear_pointer (&pool->by_pid, g_hash_table_unref);
  g_clear_pointer (&pool->sessions, g_hash_table_unref);
  g_clear_pointer (&pool->per_ip, g_hash_table_unref);
  g_clear_pointer (&pool->files, ferryd_worker_files_free);
  g_clear_error (&pool->first_start_error);
  g_strfreev (pool->zygote_environ);
  if (pool->program_fd >= 0)
    close (pool->program_fd);
  if (pool->tls_module_fd >= 0)
    close (pool->tls_module_fd);
  for (int i = 0; i < 2; i++)
    if (pool->login_failed_fds[i] >= 0)
      close (pool->login_failed_fds[i]);
  g_free (pool->program_path);
  g_free (pool);
}

void
ferryd_worker_pool_set_files (FerrydWorkerPool  *pool,
                              FerrydWorkerFiles *files)
{
  ferryd_worker_files_free (pool->files);
  pool->files = files;
  pool->startup_failures = 0;
  if (pool->draining)
    return;

  /* New clients go to a zygote with the new configuration at once (they wait in its
   * channel while it starts); the old ones finish their sessions and exit. */
  for (GList *l = pool->zygotes; l != NULL; l = l->next)
    retire (l->data);
  pool->current = NULL;
  pool->successor = NULL;
  g_clear_handle_id (&pool->restart_id, g_source_remove);
  start_current (pool);
}

void
ferryd_worker_pool_set_flowing_func (FerrydWorkerPool *pool,
                                     GSourceFunc       when_flowing,
                                     gpointer          user_data)
{
  pool->when_flowing = when_flowing;
  pool->when_flowing_data = user_data;
}

void
ferryd_worker_pool_set_login_failed_func (FerrydWorkerPool      *pool,
                                          FerrydLoginFailedFunc  func,
                                          gpointer               user_data)
{
  pool->login_failed = func;
  pool->login_failed_data = user_data;
}

gboolean
ferryd_worker_pool_is_backed_up (FerrydWorkerPool *pool)
{
  return pool->pending.length > 0;
}

gboolean
ferryd_worker_pool_hand_over (FerrydWorkerPool  *pool,
                              int                client_fd,
                              const char        *peer_ip,
                              const char        *peer_text,
                              GError           **error)
{
  Zygote *zygote = pool->current;
  Session *session;
  int own_fd;

  /* No zygote (restarts are backing off), or one that may never be ready: say so now
   * rather than let the client wait in a channel that could close under it. */
  if (zygote == NULL || (pool->startup_failures > 0 && !zygote->ready))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("the session program keeps failing to start; see the messages above"));
      return FALSE;
    }
  own_fd = fcntl (client_fd, F_DUPFD_CLOEXEC, CHANNEL_FD_FLOOR);
  if (own_fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot keep the client: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  session = g_new0 (Session, 1);
  session->pool = pool;
  session->token = ++pool->next_token;
  session->peer_ip = g_strdup (peer_ip);
  session->peer_text = g_strdup (peer_text);
  session->pending_fd = own_fd;
  g_hash_table_insert (pool->sessions, &session->token, session);
  count_peer (pool, peer_ip, +1);

  /* Behind those already waiting; most often none wait and it goes at once. */
  g_queue_push_tail (&pool->pending, session);
  flush_pending (pool);
  return TRUE;
}

guint
ferryd_worker_pool_count_sessions (FerrydWorkerPool *pool)
{
  return g_hash_table_size (pool->sessions);
}

guint
ferryd_worker_pool_count_from (FerrydWorkerPool *pool,
                               const char       *peer_ip)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (pool->per_ip, peer_ip));
}

static gboolean
call_when_empty (gpointer user_data)
{
  FerrydWorkerPool *pool = user_data;

  pool->empty_check_id = 0;
  check_empty (pool);
  return G_SOURCE_REMOVE;
}

void
ferryd_worker_pool_drain (FerrydWorkerPool *pool,
                          GSourceFunc       when_empty,
                          gpointer          user_data)
{
  pool->draining = TRUE;
  pool->when_empty = when_empty;
  pool->when_empty_data = user_data;
  g_clear_handle_id (&pool->restart_id, g_source_remove);
  g_clear_handle_id (&pool->retry_id, g_source_remove);
  pool->current = NULL;
  pool->successor = NULL;
  refuse_pending (pool, _("ferryd is shutting down"));

  for (GList *l = pool->zygotes; l != NULL; l = l->next)
    retire (l->data);
  pool->empty_check_id = g_idle_add (call_when_empty, pool);
}

void
ferryd_worker_pool_signal_all (FerrydWorkerPool *pool,
                               int               signal_number)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, pool->by_pid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Session *session = value;
      kill (session->pid, signal_number);
    }
}
