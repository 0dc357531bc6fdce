// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-client.c — feeds arbitrary server replies and listings to the client engine.
 *
 * The input is a fake server's part: control replies, then two NUL bytes, then what every
 * data connection sends (a listing or a file). A thread plays the server on loopback: it
 * sends the first reply (up to a line "NNN text") as the greeting and the next one after
 * each command line it receives (a 1xx reply together with the one after it). In the
 * replies, "@D" becomes the fake server's data port
 * and "@H" the PASV form of it (127,0,0,1,p1,p2), so that data connections can happen.
 * The engine runs a whole session: connect, login, list, SIZE, a folder download into a
 * sandbox, disconnect. Beyond sanitizer findings, it checks that nothing was ever written
 * outside the folder the download was given.
 *
 * Built with replay-main.c for the test suite, or with libFuzzer by run-fuzzer.sh client. */
#define G_LOG_DOMAIN "ferry-fuzz-client"
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferry-client.h"
#include "ferry-transfer.h"
#include "fuzz-harness.h"
#include "fuzz-target.h"

#define OPERATION_DEADLINE_USEC (2 * G_USEC_PER_SEC)
#define MAX_DATA_CONNECTIONS    16

typedef struct
{
  int            control_listener;
  int            data_listener;
  guint16        data_port;
  GPtrArray     *replies;       /* GBytes: greeting first, then one per command */
  GBytes        *data;          /* what each data connection sends */
  gint           stop;          /* atomic */
} FakeServer;

static char *sandbox;
static char *download_dir;
/* FUZZ_CLIENT_VERBOSE=1 prints the commands the engine sends and the engine's log. */
static gboolean verbose;

static void
remove_sandbox (void)
{
  fuzz_empty_folder (sandbox);
  g_rmdir (sandbox);
}

static int
listen_loopback (guint16 *port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

  FUZZ_CHECK (fd >= 0);
  FUZZ_CHECK (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0);
  FUZZ_CHECK (listen (fd, 8) == 0);
  FUZZ_CHECK (getsockname (fd, (struct sockaddr *) &addr, &len) == 0);
  *port = ntohs (addr.sin_port);
  return fd;
}

/* The replies with "@D" and "@H" filled in, cut after each final reply line. */
static GPtrArray *
split_replies (const guint8 *script,
               gsize         len,
               guint16       data_port)
{
  g_autoptr(GString) text = g_string_new_len ((const char *) script, (gssize) len);
  g_autofree char *port = g_strdup_printf ("%u", data_port);
  g_autofree char *pasv = g_strdup_printf ("127,0,0,1,%u,%u", data_port >> 8, data_port & 0xff);
  GPtrArray *replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize start = 0;

  g_string_replace (text, "@D", port, 0);
  g_string_replace (text, "@H", pasv, 0);
  for (gsize line = 0, i = 0; i < text->len; i++)
    {
      const char *l = text->str + line;

      if (text->str[i] != '\n')
        continue;
      /* The line that ends a reply: three digits and a space; a 1xx reply (150) goes
       * out together with the one that completes it (226). */
      if (i - line >= 4 && l[0] >= '2' && l[0] <= '9' && g_ascii_isdigit (l[1])
          && g_ascii_isdigit (l[2]) && l[3] == ' ')
        {
          g_ptr_array_add (replies, g_bytes_new (text->str + start, i + 1 - start));
          start = i + 1;
        }
      line = i + 1;
    }
  if (start < text->len)
    g_ptr_array_add (replies, g_bytes_new (text->str + start, text->len - start));
  return replies;
}

static void
send_all (int           fd,
          GBytes       *bytes)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (bytes, &len);

  while (len > 0)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLOUT };
      gssize n = send (fd, p, len, MSG_NOSIGNAL);

      if (n > 0)
        {
          p += n;
          len -= (gsize) n;
        }
      else if (n < 0 && errno == EAGAIN)
        {
          if (poll (&pfd, 1, 500) <= 0)
            return;
        }
      else
        return;
    }
}

/* The fake server: one control connection at a time, any number of data connections. */
static gpointer
serve (gpointer user_data)
{
  FakeServer *server = user_data;
  int control = -1;
  guint next_reply = 0;
  g_autoptr(GString) pending = g_string_new (NULL);

  while (!g_atomic_int_get (&server->stop))
    {
      struct pollfd fds[3] = {
        { .fd = server->control_listener, .events = POLLIN },
        { .fd = server->data_listener, .events = POLLIN },
        { .fd = control, .events = POLLIN },
      };

      if (poll (fds, control >= 0 ? 3 : 2, 20) <= 0)
        continue;
      if (fds[0].revents & POLLIN)
        {
          int fd = accept4 (server->control_listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

          if (fd >= 0)
            {
              if (control >= 0)
                close (control);
              control = fd;
              g_string_truncate (pending, 0);
              if (next_reply < server->replies->len)
                send_all (control, g_ptr_array_index (server->replies, next_reply++));
            }
        }
      if (fds[1].revents & POLLIN)
        {
          int fd = accept4 (server->data_listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

          if (fd >= 0)
            {
              send_all (fd, server->data);
              close (fd);
            }
        }
      if (control >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          char buffer[4096];
          gssize n = recv (control, buffer, sizeof buffer, 0);
          char *newline;

          if (n <= 0)
            {
              close (control);
              control = -1;
              continue;
            }
          g_string_append_len (pending, buffer, n);
          /* One reply per command line; out of replies, the server hangs up. */
          while ((newline = memchr (pending->str, '\n', pending->len)) != NULL)
            {
              if (verbose)
                fprintf (stderr, "> %.*s\n", (int) (newline - pending->str), pending->str);
              g_string_erase (pending, 0, newline - pending->str + 1);
              if (next_reply >= server->replies->len)
                {
                  close (control);
                  control = -1;
                  break;
                }
              send_all (control, g_ptr_array_index (server->replies, next_reply++));
            }
        }
    }
  if (control >= 0)
    close (control);
  return NULL;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  (void) source;
  wait->result = g_object_ref (result);
}

/* Iterates the main context until the operation ends; cancels it when it takes too long
 * (and still waits for its callback, which must not outlive this frame). */
static GAsyncResult *
wait_for (Wait         *wait,
          GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + OPERATION_DEADLINE_USEC;

  while (wait->result == NULL)
    {
      if (g_get_monotonic_time () > deadline && !g_cancellable_is_cancelled (cancellable))
        g_cancellable_cancel (cancellable);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return wait->result;
}

static void
run_client (guint16 port)
{
  g_autoptr(FerryClient) client = ferry_client_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (download_dir);
  g_autoptr(FerryTransfer) transfer = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  ferry_client_set_connect_timeout (client, 1000);
  ferry_client_set_reply_timeout (client, 150);
  ferry_client_set_data_timeout (client, 150);
  ferry_client_set_keepalive_interval (client, 0);

  ferry_client_connect_async (client, "127.0.0.1", port, FERRY_TLS_MODE_NONE, cancellable,
                              store_result, &wait);
  if (!ferry_client_connect_finish (client, wait_for (&wait, cancellable), &error))
    goto out;
  g_clear_object (&wait.result);

  ferry_client_login_async (client, NULL, NULL, cancellable, store_result, &wait);
  if (!ferry_client_login_finish (client, wait_for (&wait, cancellable), &error))
    goto out;
  g_clear_object (&wait.result);

  ferry_client_list_async (client, NULL, cancellable, store_result, &wait);
  entries = ferry_client_list_finish (client, wait_for (&wait, cancellable), NULL);
  g_clear_object (&wait.result);

  ferry_client_size_async (client, "f", cancellable, store_result, &wait);
  ferry_client_size_finish (client, wait_for (&wait, cancellable), NULL);
  g_clear_object (&wait.result);

  transfer = ferry_transfer_new_download ("/d", TRUE, folder, NULL);
  ferry_client_run_transfer_async (client, transfer, cancellable, store_result, &wait);
  ferry_client_run_transfer_finish (client, wait_for (&wait, cancellable), NULL);
  g_clear_object (&wait.result);

out:
  g_clear_object (&wait.result);
  g_cancellable_reset (cancellable);
  ferry_client_disconnect_async (client, cancellable, store_result, &wait);
  ferry_client_disconnect_finish (client, wait_for (&wait, cancellable), NULL);
  g_clear_object (&wait.result);
}

/* The download went into download_dir and nowhere else: the sandbox holds only it. */
static void
check_sandbox (void)
{
  g_autoptr(GDir) dir = g_dir_open (sandbox, 0, NULL);
  const char *name;

  FUZZ_CHECK (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    FUZZ_CHECK (g_str_equal (name, "downloads"));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised;
  const uint8_t *separator = memmem (data, size, "\0\0", 2);
  gsize script_len = separator != NULL ? (gsize) (separator - data) : size;
  FakeServer server = { 0 };
  guint16 control_port;
  GThread *thread;

  if (!initialised)
    {
      g_autoptr(GError) error = NULL;

      verbose = g_getenv ("FUZZ_CLIENT_VERBOSE") != NULL;
      if (!verbose)
        g_log_set_writer_func (fuzz_discard_log, NULL, NULL);
      sandbox = g_dir_make_tmp ("ferry-fuzz-client-XXXXXX", &error);
      FUZZ_CHECK (sandbox != NULL);
      download_dir = g_build_filename (sandbox, "downloads", NULL);
      atexit (remove_sandbox);
      initialised = TRUE;
    }
  fuzz_empty_folder (sandbox);
  FUZZ_CHECK (g_mkdir (download_dir, 0755) == 0);

  server.control_listener = listen_loopback (&control_port);
  server.data_listener = listen_loopback (&server.data_port);
  server.replies = split_replies (data, script_len, server.data_port);
  server.data = separator != NULL ? g_bytes_new (separator + 2, size - script_len - 2)
                                  : g_bytes_new (NULL, 0);
  thread = g_thread_new ("fake-server", serve, &server);

  run_client (control_port);

  g_atomic_int_set (&server.stop, 1);
  g_thread_join (thread);
  close (server.control_listener);
  close (server.data_listener);
  g_ptr_array_unref (server.replies);
  g_bytes_unref (server.data);

  check_sandbox ();
  return 0;
}
