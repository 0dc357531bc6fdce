// SPDX-License-Identifier: GPL-3.0-or-later
/* session-test-util.c — see session-test-util.h */
#include "session-test-util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ferryd-session.h"

SessionTest *
session_test_new (void)
{
  SessionTest *test = g_new0 (SessionTest, 1);
  g_autoptr(GError) error = NULL;

  test->root = g_dir_make_tmp ("ferry-session-XXXXXX", &error);
  assert_non_null (test->root);
  test->config = ferryd_config_new_defaults ();
  test->config->root = g_strdup (test->root);
  test->config->anonymous_enabled = TRUE;
  test->config->idle_timeout = 20;
  test->config->data_timeout = 10;
  test->input = g_string_new (NULL);
  test->fd = -1;
  return test;
}

void
session_test_start (SessionTest *test)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int server_fd;

  assert_true (listener >= 0);
  assert_int_equal (bind (listener, (struct sockaddr *) &addr, sizeof addr), 0);
  assert_int_equal (listen (listener, 1), 0);
  assert_int_equal (getsockname (listener, (struct sockaddr *) &addr, &len), 0);

  test->fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_int_equal (connect (test->fd, (struct sockaddr *) &addr, sizeof addr), 0);
  server_fd = accept (listener, NULL, NULL);
  assert_true (server_fd >= 0);
  close (listener);

  test->child = fork ();
  assert_true (test->child >= 0);
  if (test->child == 0)
    {
      close (test->fd);
      /* exit(), not _exit(): sanitizers check the session's memory at the end. */
      exit (ferryd_session_run (server_fd, test->config, NULL));
    }
  close (server_fd);
}

void
session_test_start_socketpair (SessionTest *test)
{
  int fds[2];

  assert_int_equal (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  test->fd = fds[0];
  test->child = fork ();
  assert_true (test->child >= 0);
  if (test->child == 0)
    {
      close (fds[0]);
      exit (ferryd_session_run (fds[1], test->config, NULL));
    }
  close (fds[1]);
}

void
session_test_free (SessionTest *test)
{
  int status = 0;

  if (test->fd >= 0)
    close (test->fd);
  if (test->child > 0)
    {
      assert_int_equal (waitpid (test->child, &status, 0), test->child);
      assert_true (WIFEXITED (status));
      assert_int_equal (WEXITSTATUS (status), 0);
    }
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", test->root);

    assert_int_equal (system (command), 0);
  }
  ferryd_config_free (test->config);
  g_string_free (test->input, TRUE);
  g_free (test->last_text);
  g_free (test->root);
  g_free (test);
}

void
session_test_write_file (SessionTest *test,
                         const char  *name,
                         const char  *contents)
{
  g_autofree char *path = g_build_filename (test->root, name, NULL);

  assert_true (g_file_set_contents (path, contents, -1, NULL));
}

char *
session_test_read_file (SessionTest *test,
                        const char  *name)
{
  g_autofree char *path = g_build_filename (test->root, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

/* Reads more bytes; FALSE at the end of the stream. Fails the test after 10 s. */
static gboolean
read_more (SessionTest *test)
{
  struct pollfd pfd = { .fd = test->fd, .events = POLLIN };
  char buffer[4096];
  gssize n;

  assert_int_equal (poll (&pfd, 1, 10000), 1);
  n = read (test->fd, buffer, sizeof buffer);
  if (n <= 0)
    return FALSE;
  g_string_append_len (test->input, buffer, n);
  return TRUE;
}

guint
session_test_reply (SessionTest *test)
{
  for (;;)
    {
      char *newline;

      while ((newline = strstr (test->input->str, "\r\n")) != NULL)
        {
          gsize line_len = (gsize) (newline - test->input->str);
          g_autofree char *line = g_strndup (test->input->str, line_len);

          g_string_erase (test->input, 0, (gssize) line_len + 2);
          /* The last line of a reply: three digits and a space. */
          if (line_len >= 4 && g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1])
              && g_ascii_isdigit (line[2]) && line[3] == ' ')
            {
              g_free (test->last_text);
              test->last_text = g_strdup (line + 4);
              return (guint) g_ascii_strtoull (line, NULL, 10);
            }
        }
      if (!read_more (test))
        fail_msg ("the server closed the connection instead of replying");
    }
}

guint
session_test_command (SessionTest *test,
                      const char  *line)
{
  g_autofree char *with_crlf = g_strconcat (line, "\r\n", NULL);
  gsize len = strlen (with_crlf);

  assert_int_equal (write (test->fd, with_crlf, len), (gssize) len);
  return session_test_reply (test);
}

gboolean
session_test_closed (SessionTest *test)
{
  while (read_more (test))
    ;
  return TRUE;
}

int
session_test_open_data (SessionTest *test)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  const char *bar;
  int fd;

  assert_int_equal (session_test_command (test, "EPSV"), 229);
  bar = strstr (test->last_text, "(|||");
  assert_non_null (bar);
  addr.sin_port = htons ((guint16) g_ascii_strtoull (bar + 4, NULL, 10));
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_int_equal (connect (fd, (struct sockaddr *) &addr, sizeof addr), 0);
  return fd;
}

void
session_test_login (SessionTest *test)
{
  assert_int_equal (session_test_command (test, "USER anonymous"), 331);
  assert_int_equal (session_test_command (test, "PASS guest@example.org"), 230);
}
