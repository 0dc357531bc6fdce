// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-session.c — feeds arbitrary control-channel bytes to a real ferryd session.
 *
 * Each input runs one whole ferryd_session_run in a thread of this process (so libFuzzer
 * sees the session's coverage) on a loopback TCP connection: the harness writes the input
 * as the client, reads every reply, and plays the client's part of the data connections
 * the session offers (it connects to each PASV/EPSV port, sends a few bytes and reads what
 * comes). The served root is a small tree, rebuilt before every input, with write enabled
 * so that STOR, APPE, DELE, MKD, RMD and RNFR/RNTO run, and with a symlink to / that the
 * jail must never follow.
 *
 * Built with replay-main.c for the test suite, or with libFuzzer by run-fuzzer.sh session. */
#define G_LOG_DOMAIN "ferry-fuzz-session"
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferryd-config.h"
#include "ferryd-session.h"
#include "fuzz-harness.h"
#include "fuzz-target.h"

#define MAX_DATA_CONNECTIONS 8
#define INPUT_DEADLINE_USEC  (8 * G_USEC_PER_SEC)
/* After the whole input is sent, the client hangs up once the session has been quiet this
 * long: hanging up at once would abort every transfer the input started. */
#define QUIET_USEC           (15 * 1000)

/* A failed login waits FERRYD_LOGIN_FAILURE_DELAY seconds (tested in
 * tests/session/test_session_attacks.py); here the wait would only slow the fuzzer down to
 * a few inputs a second, so this build of the session does not sleep. */
void
g_usleep (gulong microseconds)
{
  (void) microseconds;
}

typedef struct
{
  int           fd;
  FerrydConfig *config;
} SessionThread;

static char *fuzz_root;
static FerrydConfig *fuzz_config;
/* FUZZ_SESSION_VERBOSE=1 prints every reply line, to see what an input does. */
static gboolean fuzz_verbose;

static void
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fuzz_root, name, NULL);

  FUZZ_CHECK (g_file_set_contents (path, contents, -1, NULL));
}

/* The same small tree before every input, so that an input replays the same way. */
static void
reset_root (void)
{
  g_autofree char *sub = g_build_filename (fuzz_root, "sub", NULL);
  g_autofree char *out = g_build_filename (fuzz_root, "out", NULL);
  g_autofree char *alias = g_build_filename (fuzz_root, "alias.txt", NULL);

  fuzz_empty_folder (fuzz_root);
  FUZZ_CHECK (g_mkdir (sub, 0755) == 0);
  write_file ("hello.txt", "Hello, Ferry!\r\nA second line.\n");
  write_file ("sub/inner.txt", "inner");
  write_file (".hidden", "not listed, not served");
  FUZZ_CHECK (symlink ("/", out) == 0);
  FUZZ_CHECK (symlink ("hello.txt", alias) == 0);
}

static void
remove_root (void)
{
  fuzz_empty_folder (fuzz_root);
  g_rmdir (fuzz_root);
}

static void
fuzz_init (void)
{
  g_autoptr(GError) error = NULL;

  fuzz_verbose = g_getenv ("FUZZ_SESSION_VERBOSE") != NULL;
  if (!fuzz_verbose)
    g_log_set_writer_func (fuzz_discard_log, NULL, NULL);
  fuzz_root = g_dir_make_tmp ("ferry-fuzz-session-XXXXXX", &error);
  FUZZ_CHECK (fuzz_root != NULL);
  atexit (remove_root);

  fuzz_config = ferryd_config_new_defaults ();
  fuzz_config->root = g_strdup (fuzz_root);
  fuzz_config->anonymous_enabled = TRUE;
  fuzz_config->write_enabled = TRUE;
  /* Short waits: the harness closes its side when the input ends, but a data connection
   * the session waits for may never come. */
  fuzz_config->idle_timeout = 2;
  fuzz_config->data_timeout = 1;
}

static gpointer
run_session (gpointer data)
{
  SessionThread *thread = data;

  return GINT_TO_POINTER (ferryd_session_run (thread->fd, thread->config, NULL));
}

/* connect(2) for the harness's own control connection. Thousands of inputs leave
 * thousands of loopback connections in TIME_WAIT, and on a machine busy with other
 * loopback tests the ephemeral ports can run out for a moment (EADDRNOTAVAIL): that is the
 * machine, not a finding, so wait for ports to free up (up to 10 s) before giving up. */
static void
connect_or_wait (int                     fd,
                 const struct sockaddr_in *addr)
{
  for (int attempt = 0; attempt < 1000; attempt++)
    {
      if (connect (fd, (const struct sockaddr *) addr, sizeof *addr) == 0)
        return;
      if (errno != EADDRNOTAVAIL && errno != EINTR)
        break;
      g_usleep (10 * 1000);
    }
  fprintf (stderr, "harness: connect to the session failed: %s\n", g_strerror (errno));
  abort ();
}

/* A loopback TCP connection: the session's end in *server_fd, the client's returned. */
static int
connect_pair (int *server_fd)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int client;

  FUZZ_CHECK (listener >= 0);
  FUZZ_CHECK (bind (listener, (struct sockaddr *) &addr, sizeof addr) == 0);
  FUZZ_CHECK (listen (listener, 1) == 0);
  FUZZ_CHECK (getsockname (listener, (struct sockaddr *) &addr, &len) == 0);
  client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  FUZZ_CHECK (client >= 0);
  connect_or_wait (client, &addr);
  *server_fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  FUZZ_CHECK (*server_fd >= 0);
  /* Closed at once, so that a PORT aimed at it finds nobody listening. */
  close (listener);
  return client;
}

/* The data port a 227 or 229 reply line offers, or 0. */
static guint16
offered_port (const char *line)
{
  const char *p;

  if (g_str_has_prefix (line, "229 ") && (p = strstr (line, "(|||")) != NULL)
    return (guint16) g_ascii_strtoull (p + 4, NULL, 10);
  if (g_str_has_prefix (line, "227 ") && (p = strchr (line, '(')) != NULL)
    {
      guint n[6];

      if (sscanf (p, "(%u,%u,%u,%u,%u,%u)", &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]) == 6
          && n[4] < 256 && n[5] < 256)
        return (guint16) (n[4] * 256 + n[5]);
    }
  return 0;
}

static int
connect_data (guint16 port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK),
                              .sin_port = htons (port) };
  static const char upload[] = "uploaded by the fuzzer\r\n";
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  FUZZ_CHECK (fd >= 0);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      close (fd);
      return -1;
    }
  /* What a STOR receives; a RETR or LIST just finds the connection half-closed. */
  if (send (fd, upload, sizeof upload - 1, MSG_NOSIGNAL) < 0)
    {
      close (fd);
      return -1;
    }
  shutdown (fd, SHUT_WR);
  FUZZ_CHECK (fcntl (fd, F_SETFL, O_NONBLOCK) == 0);
  return fd;
}

/* Takes the complete reply lines out of replies and connects to every data port offered. */
static void
scan_replies (GString *replies,
              int      data_fds[MAX_DATA_CONNECTIONS],
              guint   *n_data)
{
  char *newline;

  while ((newline = memchr (replies->str, '\n', replies->len)) != NULL)
    {
      gsize line_len = (gsize) (newline - replies->str);
      g_autofree char *line = g_strndup (replies->str, line_len);
      guint16 port = offered_port (line);

      /* A reply line never holds a bare CR or a NUL: file names cannot forge replies. */
      FUZZ_CHECK (strlen (line) == line_len);
      FUZZ_CHECK (line_len == 0 || strchr (line, '\r') == NULL || line[line_len - 1] == '\r');
      g_string_erase (replies, 0, (gssize) line_len + 1);
      if (fuzz_verbose)
        fprintf (stderr, "< %s\n", line);
      if (port != 0 && *n_data < MAX_DATA_CONNECTIONS)
        {
          int fd = connect_data (port);

          if (fd >= 0)
            data_fds[(*n_data)++] = fd;
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised;
  SessionThread session;
  g_autoptr(GString) replies = g_string_new (NULL);
  int data_fds[MAX_DATA_CONNECTIONS];
  guint n_data = 0;
  gsize written = 0;
  gboolean control_open = TRUE;
  gboolean hung_up = FALSE;
  gint64 last_activity = g_get_monotonic_time ();
  gint64 deadline = g_get_monotonic_time () + INPUT_DEADLINE_USEC;
  GThread *thread;
  int client;

  if (!initialised)
    {
      fuzz_init ();
      initialised = TRUE;
    }
  reset_root ();

  session.config = fuzz_config;
  client = connect_pair (&session.fd);
  FUZZ_CHECK (fcntl (client, F_SETFL, O_NONBLOCK) == 0);
  thread = g_thread_new ("fuzz-session", run_session, &session);

  while (control_open && g_get_monotonic_time () < deadline)
    {
      struct pollfd fds[1 + MAX_DATA_CONNECTIONS];
      guint n = 0;

      fds[n++] = (struct pollfd) { .fd = client,
                                   .events = POLLIN | (written < size ? POLLOUT : 0) };
      for (guint i = 0; i < n_data; i++)
        fds[n++] = (struct pollfd) { .fd = data_fds[i], .events = data_fds[i] >= 0 ? POLLIN : 0 };
      if (poll (fds, n, 5) < 0 && errno != EINTR)
        break;
      for (guint i = 0; i < n; i++)
        if (fds[i].revents != 0)
          last_activity = g_get_monotonic_time ();

      if (fds[0].revents & POLLOUT)
        {
          gssize sent = send (client, data + written, MIN (size - written, 4096), MSG_NOSIGNAL);

          if (sent > 0)
            written += (gsize) sent;
          else if (sent < 0 && errno != EAGAIN)
            written = size;
        }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          char buffer[8192];
          gssize got = recv (client, buffer, sizeof buffer, 0);

          if (got > 0)
            {
              g_string_append_len (replies, buffer, got);
              scan_replies (replies, data_fds, &n_data);
            }
          else if (got == 0 || errno != EAGAIN)
            control_open = FALSE;
        }
      for (guint i = 0; i < n_data; i++)
        if (data_fds[i] >= 0 && (fds[1 + i].revents & (POLLIN | POLLHUP | POLLERR)))
          {
            char buffer[8192];
            gssize got = recv (data_fds[i], buffer, sizeof buffer, 0);

            if (got == 0 || (got < 0 && errno != EAGAIN))
              {
                close (data_fds[i]);
                data_fds[i] = -1;
              }
          }
      /* The client has nothing more to say: the session sees the end of the stream. */
      if (!hung_up && written == size && g_get_monotonic_time () - last_activity > QUIET_USEC)
        {
          shutdown (client, SHUT_WR);
          hung_up = TRUE;
        }
    }

  /* Closing every socket ends a session still waiting on one of them. */
  close (client);
  for (guint i = 0; i < n_data; i++)
    if (data_fds[i] >= 0)
      close (data_fds[i]);
  FUZZ_CHECK (GPOINTER_TO_INT (g_thread_join (thread)) == 0);
  return 0;
}
