/* ferryd-worker-pool.c — pre-started session processes (posix_spawn of our own executable,
 * so each one is a fresh exec with its own address-space layout), clients handed to them
 * over SOCK_SEQPACKET with SCM_RIGHTS, and every child reaped by a GLib child watch. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* posix_spawn_file_actions_addclosefrom_np */
#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "ferryd-handoff.h"
#include "ferryd-worker.h"
#include "ferryd-worker-pool.h"

extern char **environ;

/* Below this many failed starts in a row, replacements start at once; above, once a second. */
#define STARTUP_FAILURES_BEFORE_BACKOFF 3
#define HAND_OVER_ATTEMPTS 3
#define CHANNEL_FD_FLOOR 16

typedef struct {
  FerrydWorkerPool *pool;
  GPid              pid;
  int               channel_fd;   /* -1 once a client was handed over, or retired */
  char             *peer_ip;      /* busy: counted against this address */
  gboolean          busy;
  gboolean          retired;
  GList            *idle_link;
  guint             watch_id;
} Worker;

struct _FerrydWorkerPool {
  FerrydWorkerFiles *files;
  GHashTable        *workers;     /* pid → Worker */
  GQueue             idle;        /* Worker, oldest first */
  GHashTable        *per_ip;      /* peer IP → busy sessions (GUINT_TO_POINTER) */
  guint              busy_count;
  guint              refill_id;
  guint              startup_failures;
  gboolean           draining;
  GSourceFunc        when_empty;
  gpointer           when_empty_data;
};

static void schedule_refill (FerrydWorkerPool *pool,
                             guint             delay_seconds);

static void
worker_free (gpointer data)
{
  Worker *worker = data;

  if (worker->channel_fd >= 0)
    close (worker->channel_fd);
  g_clear_handle_id (&worker->watch_id, g_source_remove);
  g_free (worker->peer_ip);
  g_free (worker);
}

static void
close_channel (Worker *worker)
{
  if (worker->channel_fd >= 0)
    close (worker->channel_fd);
  worker->channel_fd = -1;
  if (worker->idle_link != NULL)
    {
      g_queue_delete_link (&worker->pool->idle, worker->idle_link);
      worker->idle_link = NULL;
    }
}

/* An idle process whose channel closes exits on its own, without serving anyone. */
static void
retire (Worker *worker)
{
  worker->retired = TRUE;
  close_channel (worker);
}

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
  pool->busy_count += change;
}

static void
describe_end (Worker *worker,
              int     wait_status)
{
  if (WIFSIGNALED (wait_status))
    g_message (_("session process %d for %s was ended by signal %d (%s)"), (int) worker->pid,
               worker->peer_ip, WTERMSIG (wait_status), g_strsignal (WTERMSIG (wait_status)));
  else if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) != 0)
    g_debug ("session process %d for %s exited with status %d", (int) worker->pid,
             worker->peer_ip, WEXITSTATUS (wait_status));
  else
    g_debug ("session process %d for %s ended", (int) worker->pid, worker->peer_ip);
}

static void
worker_exited (GPid     pid,
               int      wait_status,
               gpointer user_data)
{
  Worker *worker = user_data;
  FerrydWorkerPool *pool = worker->pool;

  worker->watch_id = 0;   /* the source is finished; do not remove it again */

  if (worker->busy)
    {
      describe_end (worker, wait_status);
      count_peer (pool, worker->peer_ip, -1);
    }
  else if (!worker->retired && !pool->draining)
    {
      pool->startup_failures++;
      g_warning (_("a session process (%d) ended before serving anyone (wait status %d)"),
                 (int) pid, wait_status);
    }

  close_channel (worker);
  g_hash_table_remove (pool->workers, GINT_TO_POINTER (pid));

  if (pool->draining)
    {
      if (g_hash_table_size (pool->workers) == 0 && pool->when_empty != NULL)
        {
          GSourceFunc when_empty = pool->when_empty;
          pool->when_empty = NULL;
          when_empty (pool->when_empty_data);
        }
      return;
    }

  schedule_refill (pool, pool->startup_failures >= STARTUP_FAILURES_BEFORE_BACKOFF ? 1 : 0);
}

static Worker *
spawn_worker (FerrydWorkerPool  *pool,
              GError           **error)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t no_signals;
  char *argv[] = { (char *) "ferryd", (char *) FERRYD_WORKER_ARGUMENT, NULL };
  int pair[2];
  int parent_end;
  int child_end;
  pid_t pid;
  int status;
  Worker *worker;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot start a session process: %s"), g_strerror (saved_errno));
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
  posix_spawn_file_actions_addclosefrom_np (&actions, FERRYD_WORKER_FIRST_FREE_FD);

  sigemptyset (&no_signals);
  posix_spawnattr_init (&attributes);
  posix_spawnattr_setsigmask (&attributes, &no_signals);
  posix_spawnattr_setflags (&attributes, POSIX_SPAWN_SETSIGMASK);

  if (status == 0)
    status = posix_spawn (&pid, "/proc/self/exe", &actions, &attributes, argv, environ);
  posix_spawnattr_destroy (&attributes);
  posix_spawn_file_actions_destroy (&actions);
  if (child_end >= 0)
    close (child_end);

  if (status != 0)
    {
      if (parent_end >= 0)
        close (parent_end);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (status),
                   _("cannot start a session process: %s"), g_strerror (status));
      return NULL;
    }

  worker = g_new0 (Worker, 1);
  worker->pool = pool;
  worker->pid = pid;
  worker->channel_fd = parent_end;
  worker->watch_id = g_child_watch_add (pid, worker_exited, worker);
  g_hash_table_insert (pool->workers, GINT_TO_POINTER (pid), worker);
  return worker;
}

static void
add_idle_worker (FerrydWorkerPool *pool)
{
  g_autoptr(GError) error = NULL;
  Worker *worker = spawn_worker (pool, &error);

  if (worker == NULL)
    {
      g_warning ("%s", error->message);
      schedule_refill (pool, 1);
      return;
    }
  g_queue_push_tail (&pool->idle, worker);
  worker->idle_link = pool->idle.tail;
}

static gboolean
refill (gpointer user_data)
{
  FerrydWorkerPool *pool = user_data;

  pool->refill_id = 0;
  if (pool->draining)
    return G_SOURCE_REMOVE;

  /* One process per main-loop turn, so accepting clients goes first. */
  if (pool->idle.length < FERRYD_IDLE_WORKERS)
    add_idle_worker (pool);
  if (pool->idle.length < FERRYD_IDLE_WORKERS && pool->refill_id == 0)
    schedule_refill (pool, 0);
  return G_SOURCE_REMOVE;
}

static void
schedule_refill (FerrydWorkerPool *pool,
                 guint             delay_seconds)
{
  if (pool->draining || pool->idle.length >= FERRYD_IDLE_WORKERS)
    return;
  if (delay_seconds > 0)
    {
      g_clear_handle_id (&pool->refill_id, g_source_remove);
      pool->refill_id = g_timeout_add_seconds (delay_seconds, refill, pool);
    }
  else if (pool->refill_id == 0)
    pool->refill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refill, pool, NULL);
}

FerrydWorkerPool *
ferryd_worker_pool_new (FerrydWorkerFiles *files)
{
  FerrydWorkerPool *pool = g_new0 (FerrydWorkerPool, 1);

  pool->files = files;
  pool->workers = g_hash_table_new_full (NULL, NULL, NULL, worker_free);
  pool->per_ip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&pool->idle);
  schedule_refill (pool, 0);
  return pool;
}

void
ferryd_worker_pool_free (FerrydWorkerPool *pool)
{
  if (pool == NULL)
    return;

  g_clear_handle_id (&pool->refill_id, g_source_remove);
  g_queue_clear (&pool->idle);
  g_clear_pointer (&pool->workers, g_hash_table_unref);
  g_clear_pointer (&pool->per_ip, g_hash_table_unref);
  g_clear_pointer (&pool->files, ferryd_worker_files_free);
  g_free (pool);
}

void
ferryd_worker_pool_set_files (FerrydWorkerPool  *pool,
                              FerrydWorkerFiles *files)
{
  ferryd_worker_files_free (pool->files);
  pool->files = files;
  pool->startup_failures = 0;

  while (pool->idle.head != NULL)
    retire (pool->idle.head->data);
  schedule_refill (pool, 0);
}

gboolean
ferryd_worker_pool_hand_over (FerrydWorkerPool  *pool,
                              int                client_fd,
                              const char        *peer_ip,
                              const char        *peer_text,
                              GError           **error)
{
  for (guint attempt = 0; attempt < HAND_OVER_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) send_error = NULL;
      Worker *worker;

      if (pool->idle.head != NULL)
        worker = pool->idle.head->data;
      else
        {
          worker = spawn_worker (pool, error);
          if (worker == NULL)
            return FALSE;
        }

      if (!ferryd_handoff_send (worker->channel_fd, client_fd, peer_text, &send_error))
        {
          /* That process died before its turn; its exit is reaped as a failed start. */
          g_debug ("session process %d: %s", (int) worker->pid, send_error->message);
          retire (worker);
          worker->retired = FALSE;
          continue;
        }

      close_channel (worker);
      worker->busy = TRUE;
      worker->peer_ip = g_strdup (peer_ip);
      count_peer (pool, peer_ip, +1);
      pool->startup_failures = 0;
      schedule_refill (pool, 0);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("session processes keep failing to start; see the messages above"));
  return FALSE;
}

guint
ferryd_worker_pool_count_sessions (FerrydWorkerPool *pool)
{
  return pool->busy_count;
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

  if (pool->when_empty != NULL)
    {
      GSourceFunc when_empty = pool->when_empty;
      pool->when_empty = NULL;
      when_empty (pool->when_empty_data);
    }
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
  g_clear_handle_id (&pool->refill_id, g_source_remove);

  while (pool->idle.head != NULL)
    retire (pool->idle.head->data);

  if (g_hash_table_size (pool->workers) == 0)
    g_idle_add (call_when_empty, pool);
}

void
ferryd_worker_pool_signal_all (FerrydWorkerPool *pool,
                               int               signal_number)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, pool->workers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Worker *worker = value;
      kill (worker->pid, signal_number);
    }
}
