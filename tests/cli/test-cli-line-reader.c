// SPDX-License-Identifier: GPL-3.0-or-later
/* test-cli-line-reader.c — the prompt's line reader on a pipe: lines come in order, and a
 * read waiting for input ends at once when its cancellable is cancelled. */
#define G_LOG_DOMAIN "ferry-cli-test"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <unistd.h>

#include "ferry-cli-line-reader.h"

typedef struct {
  int       writer;     /* the other end of stdin */
  gboolean  done;
  char     *line;
  GError   *error;
} Read;

static int
setup_pipe (void **state)
{
  Read *read = g_new0 (Read, 1);
  int fds[2];

  assert_int_equal (pipe (fds), 0);
  assert_int_equal (dup2 (fds[0], STDIN_FILENO), STDIN_FILENO);
  close (fds[0]);
  read->writer = fds[1];
  *state = read;
  return 0;
}

static int
teardown_pipe (void **state)
{
  Read *read = *state;

  close (read->writer);
  g_free (read->line);
  g_clear_error (&read->error);
  g_free (read);
  return 0;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Read *read = user_data;

  read->line = ferry_cli_line_reader_read_finish (FERRY_CLI_LINE_READER (source), result,
                                                  &read->error);
  read->done = TRUE;
}

static void
wait_for (Read *read)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!read->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  assert_true (read->done);
}

static void
test_lines_in_order (void **state)
{
  Read *read = *state;
  g_autoptr(FerryCliLineReader) reader = ferry_cli_line_reader_new ();
  static const char input[] = "ls\r\ncd /a\n";

  assert_false (ferry_cli_line_reader_is_interactive (reader));
  assert_int_equal (write (read->writer, input, sizeof input - 1), sizeof input - 1);

  ferry_cli_line_reader_read_async (reader, "ftp> ", NULL, on_read, read);
  wait_for (read);
  assert_null (read->error);
  assert_string_equal (read->line, "ls");

  g_clear_pointer (&read->line, g_free);
  read->done = FALSE;
  ferry_cli_line_reader_read_async (reader, "ftp> ", NULL, on_read, read);
  wait_for (read);
  assert_string_equal (read->line, "cd /a");
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_ends_waiting_read (void **state)
{
  Read *read = *state;
  g_autoptr(FerryCliLineReader) reader = ferry_cli_line_reader_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* Nothing is ever written: only the cancel can end this read. */
  g_timeout_add (50, cancel_soon, cancellable);
  ferry_cli_line_reader_read_async (reader, "ftp> ", cancellable, on_read, read);
  wait_for (read);
  assert_null (read->line);
  assert_true (g_error_matches (read->error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  /* The reader is free for the next read, which a line ends as usual. */
  g_clear_error (&read->error);
  read->done = FALSE;
  assert_int_equal (write (read->writer, "pwd\n", 4), 4);
  ferry_cli_line_reader_read_async (reader, "ftp> ", NULL, on_read, read);
  wait_for (read);
  assert_null (read->error);
  assert_string_equal (read->line, "pwd");
}

static void
test_cancelled_before_the_read (void **state)
{
  Read *read = *state;
  g_autoptr(FerryCliLineReader) reader = ferry_cli_line_reader_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  ferry_cli_line_reader_read_async (reader, "ftp> ", cancellable, on_read, read);
  wait_for (read);
  assert_true (g_error_matches (read->error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_lines_in_order, setup_pipe, teardown_pipe),
    cmocka_unit_test_setup_teardown (test_cancel_ends_waiting_read, setup_pipe, teardown_pipe),
    cmocka_unit_test_setup_teardown (test_cancelled_before_the_read, setup_pipe, teardown_pipe),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
