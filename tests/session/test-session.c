// SPDX-License-Identifier: GPL-3.0-or-later
/* test-session.c — ferryd's session state machine, driven over a real loopback connection
 * to a session process: login, replies in and out of sequence, limits, REST+STOR. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session-test-util.h"

static void
test_login_sequence (void **state)
{
  SessionTest *test = session_test_new ();

  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  assert_int_equal (session_test_command (test, "NOOP"), 200);
  assert_int_equal (session_test_command (test, "PWD"), 530);
  assert_int_equal (session_test_command (test, "LIST"), 530);
  assert_int_equal (session_test_command (test, "RETR x"), 530);
  assert_int_equal (session_test_command (test, "PASS nobody"), 503);
  assert_int_equal (session_test_command (test, "USER anonymous"), 331);
  assert_int_equal (session_test_command (test, "PASS guest@example.org"), 230);
  assert_int_equal (session_test_command (test, "PWD"), 257);
  assert_string_equal (test->last_text, "\"/\" is the current folder.");
  assert_int_equal (session_test_command (test, "USER someone"), 503);
  assert_int_equal (session_test_command (test, "SYST"), 215);
  /* Read-only by default: changes are refused before anything is touched. */
  assert_int_equal (session_test_command (test, "MKD new"), 550);
  assert_int_equal (session_test_command (test, "STOR new"), 550);
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  assert_true (session_test_closed (test));
  session_test_free (test);
}

static void
test_socketpair_session (void **state)
{
  SessionTest *test = session_test_new ();

  session_test_write_file (test, "f.txt", "12345");
  session_test_start_socketpair (test);
  assert_int_equal (session_test_reply (test), 220);
  session_test_login (test);
  assert_int_equal (session_test_command (test, "SIZE f.txt"), 213);
  assert_int_equal (session_test_command (test, "PASV"), 425);
  assert_int_equal (session_test_command (test, "EPRT |1|127.0.0.1|5000|"), 425);
  assert_int_equal (session_test_command (test, "RETR f.txt"), 425);
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

static void
test_unknown_and_out_of_sequence (void **state)
{
  SessionTest *test = session_test_new ();

  test->config->write_enabled = TRUE;
  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  assert_int_equal (session_test_command (test, "XYZZY"), 502);
  assert_int_equal (session_test_command (test, "SITE CHMOD 777 x"), 502);
  session_test_login (test);
  assert_int_equal (session_test_command (test, "RNTO b"), 503);
  assert_int_equal (session_test_command (test, "CWD"), 501);
  assert_int_equal (session_test_command (test, "TYPE E"), 504);
  assert_int_equal (session_test_command (test, "MODE B"), 504);
  assert_int_equal (session_test_command (test, "STRU R"), 504);
  assert_int_equal (session_test_command (test, "REST -5"), 501);
  assert_int_equal (session_test_command (test, "RETR missing.txt"), 550);
  assert_int_equal (session_test_command (test, "CWD /no/such/folder"), 550);
  assert_int_equal (session_test_command (test, "LIST"), 425);   /* no PASV/PORT yet */
  assert_int_equal (session_test_command (test, "AUTH TLS"), 502);   /* no certificate */
  assert_int_equal (session_test_command (test, "PBSZ 0"), 503);
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

static void
test_feat_lists_extensions (void **state)
{
  SessionTest *test = session_test_new ();
  const char *wanted[] = { " EPSV\r\n", " MDTM\r\n", " MLST ", " REST STREAM\r\n", " SIZE\r\n",
                           " UTF8\r\n", " TVFS\r\n" };

  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  assert_int_equal (write (test->fd, "FEAT\r\n", 6), 6);
  /* The multi-line body stays in input until the last line is taken: look before. */
  while (strstr (test->input->str, "211 ") == NULL)
    {
      char buffer[1024];
      gssize n = read (test->fd, buffer, sizeof buffer);

      assert_true (n > 0);
      g_string_append_len (test->input, buffer, n);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (wanted); i++)
    assert_non_null (strstr (test->input->str, wanted[i]));
  assert_null (strstr (test->input->str, "AUTH TLS"));
  assert_int_equal (session_test_reply (test), 211);
  assert_int_equal (session_test_command (test, "OPTS UTF8 ON"), 200);
  assert_int_equal (session_test_command (test, "OPTS MLST size;TYPE;bogus;"), 200);
  assert_string_equal (test->last_text, "MLST OPTS Type;Size;");
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

static void
test_overlong_line_closes (void **state)
{
  SessionTest *test = session_test_new ();
  g_autofree char *line = g_strnfill (5000, 'A');

  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  assert_int_equal (session_test_command (test, line), 500);
  assert_string_equal (test->last_text, "Command line too long.");
  assert_true (session_test_closed (test));
  session_test_free (test);
}

static void
test_failed_logins_close (void **state)
{
  SessionTest *test = session_test_new ();

  test->config->anonymous_enabled = FALSE;
  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  for (int i = 0; i < 3; i++)
    {
      gint64 start = g_get_monotonic_time ();

      assert_int_equal (session_test_command (test, "USER anonymous"), 331);
      assert_int_equal (session_test_command (test, "PASS guess"), 530);
      /* Each failure is answered only after the delay. */
      assert_true (g_get_monotonic_time () - start >= 900 * 1000);
    }
  assert_true (session_test_closed (test));
  session_test_free (test);
}

static void
test_idle_timeout (void **state)
{
  SessionTest *test = session_test_new ();

  test->config->idle_timeout = 1;
  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  assert_int_equal (session_test_reply (test), 421);
  assert_true (session_test_closed (test));
  session_test_free (test);
}

static void
send_upload (SessionTest *test,
             const char  *command,
             const char  *bytes)
{
  int data = session_test_open_data (test);

  assert_int_equal (session_test_command (test, command), 150);
  assert_int_equal (write (data, bytes, strlen (bytes)), (gssize) strlen (bytes));
  close (data);
  assert_int_equal (session_test_reply (test), 226);
}

static gboolean
root_has_temp_files (SessionTest *test)
{
  g_autoptr(GDir) dir = g_dir_open (test->root, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".ferry-upload-"))
      return TRUE;
  return FALSE;
}

static void
test_rest_then_stor (void **state)
{
  SessionTest *test = session_test_new ();
  g_autofree char *after_rest = NULL;
  g_autofree char *after_appe = NULL;
  g_autofree char *ascii = NULL;

  test->config->write_enabled = TRUE;
  session_test_write_file (test, "f.txt", "0123456789");
  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  session_test_login (test);
  assert_int_equal (session_test_command (test, "TYPE I"), 200);

  /* REST past the end is refused and the file stays. */
  assert_int_equal (session_test_command (test, "REST 11"), 350);
  assert_int_equal (session_test_command (test, "STOR f.txt"), 554);

  assert_int_equal (session_test_command (test, "REST 4"), 350);
  send_upload (test, "STOR f.txt", "XYZ");
  after_rest = session_test_read_file (test, "f.txt");
  assert_string_equal (after_rest, "0123XYZ");

  /* The offset was used up by STOR; APPE adds at the end. */
  send_upload (test, "APPE f.txt", "!!");
  after_appe = session_test_read_file (test, "f.txt");
  assert_string_equal (after_appe, "0123XYZ!!");

  assert_int_equal (session_test_command (test, "TYPE A"), 200);
  send_upload (test, "STOR text.txt", "one\r\ntwo\r\nlone\rcr\r\n");
  ascii = session_test_read_file (test, "text.txt");
  assert_string_equal (ascii, "one\ntwo\nlone\rcr\n");

  assert_false (root_has_temp_files (test));
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

static void
test_ascii_download (void **state)
{
  SessionTest *test = session_test_new ();
  char buffer[64] = "";
  gssize n, total = 0;
  int data;

  session_test_write_file (test, "lines.txt", "a\nb\n");
  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  session_test_login (test);
  assert_int_equal (session_test_command (test, "TYPE A"), 200);
  data = session_test_open_data (test);
  assert_int_equal (session_test_command (test, "RETR lines.txt"), 150);
  while ((n = read (data, buffer + total, sizeof buffer - 1 - (gsize) total)) > 0)
    total += n;
  close (data);
  assert_int_equal (session_test_reply (test), 226);
  assert_string_equal (buffer, "a\r\nb\r\n");
  assert_int_equal (session_test_command (test, "SIZE lines.txt"), 213);
  assert_string_equal (test->last_text, "4");
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

/* Runs a data command and returns everything that came over the data connection. */
static GString *
fetch (SessionTest *test,
       const char  *command)
{
  GString *received = g_string_new (NULL);
  char buffer[65536];
  gssize n;
  int data = session_test_open_data (test);

  assert_int_equal (session_test_command (test, command), 150);
  while ((n = read (data, buffer, sizeof buffer)) > 0)
    g_string_append_len (received, buffer, n);
  close (data);
  assert_int_equal (session_test_reply (test), 226);
  return received;
}

static void
test_listings_and_download (void **state)
{
  SessionTest *test = session_test_new ();
  g_autofree char *big = g_malloc (3 * 1024 * 1024 + 7);
  g_autoptr(GString) list = NULL;
  g_autoptr(GString) mlsd = NULL;
  g_autoptr(GString) nlst = NULL;
  g_autoptr(GString) retr = NULL;
  g_autoptr(GString) tail = NULL;
  g_autofree char *big_path = NULL;

  for (gsize i = 0; i < 3 * 1024 * 1024 + 7; i++)
    big[i] = (char) (i * 7 + i / 251);
  big_path = g_build_filename (test->root, "big.bin", NULL);
  assert_true (g_file_set_contents (big_path, big, 3 * 1024 * 1024 + 7, NULL));
  session_test_write_file (test, ".hidden", "h");
  session_test_write_file (test, "a b.txt", "ab");
  {
    g_autofree char *sub = g_build_filename (test->root, "sub", NULL);

    assert_int_equal (mkdir (sub, 0755), 0);
  }

  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  session_test_login (test);

  list = fetch (test, "LIST -la");
  assert_non_null (strstr (list->str, " a b.txt\r\n"));
  assert_non_null (strstr (list->str, " big.bin\r\n"));
  assert_true (list->str[0] == 'd' || strstr (list->str, "\r\nd") != NULL);
  assert_null (strstr (list->str, ".hidden"));

  mlsd = fetch (test, "MLSD /");
  assert_non_null (strstr (mlsd->str, "type=dir;"));
  assert_non_null (strstr (mlsd->str, "size=3145735;"));
  assert_non_null (strstr (mlsd->str, "; sub\r\n"));
  assert_null (strstr (mlsd->str, ".hidden"));

  nlst = fetch (test, "NLST");
  assert_non_null (strstr (nlst->str, "a b.txt\r\n"));
  assert_null (strstr (nlst->str, ".hidden"));

  assert_int_equal (session_test_command (test, "TYPE I"), 200);
  retr = fetch (test, "RETR big.bin");
  assert_int_equal (retr->len, 3 * 1024 * 1024 + 7);
  assert_memory_equal (retr->str, big, retr->len);

  assert_int_equal (session_test_command (test, "REST 3145730"), 350);
  tail = fetch (test, "RETR big.bin");
  assert_int_equal (tail->len, 5);
  assert_memory_equal (tail->str, big + 3145730, 5);

  assert_int_equal (session_test_command (test, "MLST big.bin"), 250);
  assert_int_equal (session_test_command (test, "STAT /sub"), 213);
  assert_int_equal (session_test_command (test, "STAT"), 211);
  assert_int_equal (session_test_command (test, "MLSD big.bin"), 501);
  assert_int_equal (session_test_command (test, "LIST .hidden"), 550);
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

static void
test_rename_and_folders (void **state)
{
  SessionTest *test = session_test_new ();
  g_autofree char *moved = NULL;

  test->config->write_enabled = TRUE;
  session_test_write_file (test, "a.txt", "A");
  session_test_start (test);
  assert_int_equal (session_test_reply (test), 220);
  session_test_login (test);
  assert_int_equal (session_test_command (test, "MKD sub"), 257);
  assert_string_equal (test->last_text, "\"/sub\" created.");
  assert_int_equal (session_test_command (test, "RNFR a.txt"), 350);
  assert_int_equal (session_test_command (test, "RNTO sub/b.txt"), 250);
  moved = session_test_read_file (test, "sub/b.txt");
  assert_string_equal (moved, "A");
  /* RNTO must follow RNFR at once. */
  assert_int_equal (session_test_command (test, "RNFR sub/b.txt"), 350);
  assert_int_equal (session_test_command (test, "NOOP"), 200);
  assert_int_equal (session_test_command (test, "RNTO c.txt"), 503);
  assert_int_equal (session_test_command (test, "CWD sub"), 250);
  assert_int_equal (session_test_command (test, "MKD .hidden"), 553);
  assert_int_equal (session_test_command (test, "RMD /sub"), 550);   /* not empty */
  assert_int_equal (session_test_command (test, "DELE b.txt"), 250);
  assert_int_equal (session_test_command (test, "CDUP"), 250);
  assert_int_equal (session_test_command (test, "RMD sub"), 250);
  assert_int_equal (session_test_command (test, "DELE /"), 550);
  assert_int_equal (session_test_command (test, "QUIT"), 221);
  session_test_free (test);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_login_sequence),
    cmocka_unit_test (test_socketpair_session),
    cmocka_unit_test (test_unknown_and_out_of_sequence),
    cmocka_unit_test (test_feat_lists_extensions),
    cmocka_unit_test (test_overlong_line_closes),
    cmocka_unit_test (test_failed_logins_close),
    cmocka_unit_test (test_idle_timeout),
    cmocka_unit_test (test_rest_then_stor),
    cmocka_unit_test (test_ascii_download),
    cmocka_unit_test (test_listings_and_download),
    cmocka_unit_test (test_rename_and_folders),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
