// SPDX-License-Identifier: GPL-3.0-or-later
/* test-xferlog.c — the transfer log's line: wu-ftpd's fields in order, names escaped into
 * one field each, the length bound, and opening the file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ferryd-config.h"
#include "ferryd-xferlog.h"

/* The line as text, and split on runs of spaces as analysers split it. */
static char *
format (const FerrydXferlogEntry *entry)
{
  char line[FERRYD_XFERLOG_LINE_MAX];
  gsize length = ferryd_xferlog_format (entry, line);

  assert_true (length <= FERRYD_XFERLOG_LINE_MAX);
  assert_int_equal (line[length - 1], '\n');
  assert_null (memchr (line, '\n', length - 1));
  return g_strndup (line, length);
}

static GStrv
fields_of (const char *line)
{
  g_autoptr(GRegex) spaces = g_regex_new (" +", 0, 0, NULL);
  g_autofree char *stripped = g_strstrip (g_strdup (line));

  return g_regex_split (spaces, stripped, 0);
}

static FerrydXferlogEntry
an_entry (void)
{
  return (FerrydXferlogEntry) {
    .when = 86400 * 2 + 3600 * 13 + 60 * 4 + 5,   /* Sat Jan  3 13:04:05 1970 UTC */
    .duration_usec = 2 * G_USEC_PER_SEC,
    .remote_host = "192.0.2.7",
    .bytes = 1048576,
    .path = "/pub/file.iso",
    .ascii = FALSE,
    .upload = FALSE,
    .anonymous = TRUE,
    .user = "guest@example.org",
    .complete = TRUE,
  };
}

static void
test_fields_in_order (void **state)
{
  FerrydXferlogEntry entry = an_entry ();
  g_autofree char *line = format (&entry);
  g_auto(GStrv) fields = fields_of (line);

  assert_string_equal (line, "Sat Jan  3 13:04:05 1970 2 192.0.2.7 1048576 /pub/file.iso "
                             "b _ o a guest@example.org ftp 0 * c\n");
  assert_int_equal (g_strv_length (fields), 18);   /* the date is five of them */

  entry.ascii = TRUE;
  entry.upload = TRUE;
  entry.anonymous = FALSE;
  entry.user = "alice";
  entry.complete = FALSE;
  entry.when += 86400 * 10;
  g_clear_pointer (&line, g_free);
  line = format (&entry);
  assert_string_equal (line, "Tue Jan 13 13:04:05 1970 2 192.0.2.7 1048576 /pub/file.iso "
                             "a _ i r alice ftp 0 * i\n");
}

static void
test_seconds_are_whole_and_at_least_one (void **state)
{
  const struct { gint64 usec; const char *seconds; } cases[] = {
    { 0, " 1 " }, { 400000, " 1 " }, { 1499999, " 1 " }, { 1500000, " 2 " },
    { 59 * G_USEC_PER_SEC + 700000, " 60 " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FerrydXferlogEntry entry = an_entry ();
      g_autofree char *line = NULL;

      entry.duration_usec = cases[i].usec;
      line = format (&entry);
      assert_non_null (strstr (line, cases[i].seconds));
      assert_true (g_str_has_prefix (strstr (line, "1970") + 4, cases[i].seconds));
    }
}

/* Whatever a client puts in a name stays one field on one line, and reads back. */
static void
test_names_are_one_field (void **state)
{
  FerrydXferlogEntry entry = an_entry ();
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;

  entry.path = "/a b\tc\nThu Jan  1 00:00:00 1970 1 6.6.6.6 1 /forged b _ o a x ftp 0 * c"
               "\x1b[2J\\\x85\xc2\xa0\xe2\x80\xa8\xe3\x80\x80\xff.txt";
  entry.user = "me and\nyou";
  line = format (&entry);
  fields = fields_of (line);
  assert_int_equal (g_strv_length (fields), 18);
  assert_string_equal (fields[8],
                       "/a\\x20b\\x09c\\x0AThu\\x20Jan\\x20\\x201\\x2000:00:00\\x201970\\x201"
                       "\\x206.6.6.6\\x201\\x20/forged\\x20b\\x20_\\x20o\\x20a\\x20x\\x20ftp"
                       "\\x200\\x20*\\x20c\\x1B[2J\\\\\\x85\\xC2\\xA0\\xE2\\x80\\xA8"
                       "\\xE3\\x80\\x80\\xFF.txt");
  assert_string_equal (fields[13], "me\\x20and\\x0Ayou");
}

static void
test_missing_anonymous_password_is_a_star (void **state)
{
  FerrydXferlogEntry entry = an_entry ();
  g_autofree char *empty = NULL;
  g_autofree char *missing = NULL;

  entry.user = "";
  empty = format (&entry);
  entry.user = NULL;
  missing = format (&entry);
  assert_non_null (strstr (empty, " b _ o a * ftp 0 * c\n"));
  assert_string_equal (empty, missing);
}

/* A name longer than a line holds is cut between escapes, marked, and the line still has
 * every field. */
static void
test_long_names_are_cut (void **state)
{
  g_autoptr(GString) path = g_string_new ("/");
  g_autoptr(GString) password = g_string_new (NULL);
  FerrydXferlogEntry entry = an_entry ();
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  const char *name;

  for (int i = 0; i < 1500; i++)
    g_string_append (path, i % 3 == 0 ? " " : "é");   /* 4-byte escapes and 2-byte UTF-8 */
  for (int i = 0; i < 4000; i++)
    g_string_append_c (password, 'p');
  entry.path = path->str;
  entry.user = password->str;
  line = format (&entry);
  fields = fields_of (line);

  assert_int_equal (g_strv_length (fields), 18);
  assert_true (strlen (line) <= FERRYD_XFERLOG_LINE_MAX);
  assert_true (strlen (line) > FERRYD_XFERLOG_LINE_MAX - 8);
  name = fields[8];
  assert_true (g_str_has_suffix (name, "\\..."));
  assert_true (g_utf8_validate (name, -1, NULL));
  /* Whole escapes and characters up to the mark. */
  for (const char *p = name + 1; !g_str_equal (p, "\\..."); )
    {
      if (g_str_has_prefix (p, "\\x20"))
        p += 4;
      else
        {
          assert_true (g_str_has_prefix (p, "é"));
          p += strlen ("é");
        }
    }
  assert_int_equal (strlen (fields[13]), FERRYD_XFERLOG_USER_MAX);
  assert_true (g_str_has_suffix (fields[13], "p\\..."));
}

static void
test_open_appends_and_creates_0640 (void **state)
{
  g_autofree char *folder = g_dir_make_tmp ("ferryd-xferlog-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "xferlog", NULL);
  g_autofree char *missing = g_build_filename (folder, "no", "such", "xferlog", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_umask = umask (0);
  struct stat st;
  int fd;

  fd = ferryd_xferlog_open (path, &error);
  umask (old_umask);
  assert_true (fd >= 0);
  assert_int_equal (fstat (fd, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0640);
  assert_int_equal (write (fd, "one\n", 4), 4);
  close (fd);
  fd = ferryd_xferlog_open (path, &error);
  assert_true (fd >= 0);
  assert_int_equal (lseek (fd, 0, SEEK_SET), 0);
  assert_int_equal (write (fd, "two\n", 4), 4);   /* appended, whatever the offset */
  close (fd);
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_string_equal (contents, "one\ntwo\n");

  assert_int_equal (ferryd_xferlog_open (missing, &error), -1);
  assert_true (g_error_matches (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE));
  assert_non_null (strstr (error->message, missing));
  assert_non_null (strstr (error->message, g_strerror (ENOENT)));

  g_unlink (path);
  g_rmdir (folder);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_fields_in_order),
    cmocka_unit_test (test_seconds_are_whole_and_at_least_one),
    cmocka_unit_test (test_names_are_one_field),
    cmocka_unit_test (test_missing_anonymous_password_is_a_star),
    cmocka_unit_test (test_long_names_are_cut),
    cmocka_unit_test (test_open_appends_and_creates_0640),
  };

  /* The dates above are UTC. */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
