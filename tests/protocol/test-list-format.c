// SPDX-License-Identifier: GPL-3.0-or-later
/* test-list-format.c — LIST lines: the server's Unix format, and parsing what real servers
 * send (vsftpd, proftpd, pure-ftpd, busybox, IIS/DOS). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

#define NOV27 G_GINT64_CONSTANT (1795760100)   /* 2026-11-27 06:15:00 UTC, a Friday */
#define DAY G_GINT64_CONSTANT (86400)

static gint64
utc (gint year, gint month, gint day, gint hour, gint minute)
{
  FerryCivilTime civil = { year, month, day, hour, minute, 0 };
  gint64 t = 0;

  assert_true (ferry_time_from_civil (&civil, &t, NULL));
  return t;
}

static FerryEntry *
parse_ok (const char *line,
          gint64      now)
{
  g_autoptr(GError) error = NULL;
  FerryEntry *entry = ferry_list_parse_line (line, now, &error);

  if (error != NULL)
    fail_msg ("“%s”: %s", line, error->message);
  assert_non_null (entry);
  return entry;
}

static void
assert_refused (const char *line,
                gint64      now,
                gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryEntry) entry = ferry_list_parse_line (line, now, &error);

  if (entry != NULL)
    fail_msg ("“%s” parsed as “%s”", line, entry->name);
  assert_non_null (error);
  assert_true (error->domain == FERRY_PROTOCOL_ERROR);
  assert_int_equal (error->code, code);
}

static void
test_parse_vsftpd (void **state)
{
  g_autoptr(FerryEntry) file = parse_ok (
    "-rw-r--r--    1 1000     1000         1234 Nov 27 06:15 name with spaces", NOV27);
  g_autoptr(FerryEntry) old = parse_ok (
    "-rw-------    1 1000     1000            0 Mar 03  2019 old.txt", NOV27);
  g_autoptr(FerryEntry) dir = parse_ok (
    "drwxr-xr-x    2 1000     1000         4096 Nov 26 12:00 folder", NOV27);
  g_autoptr(FerryEntry) link = parse_ok (
    "lrwxrwxrwx    1 0        0               7 Nov 27 06:15 a -> b", NOV27);
  g_autoptr(FerryEntry) device = parse_ok (
    "crw-rw-rw-    1 0        0          1,   3 Nov 27 06:15 null", NOV27);
  g_autoptr(FerryEntry) crlf = parse_ok (
    "-rw-r--r--    1 1000     1000           12 Jan 05 23:59 x.bin\r\n", NOV27);

  assert_string_equal (file->name, "name with spaces");
  assert_int_equal (file->type, FERRY_ENTRY_FILE);
  assert_int_equal (file->size, 1234);
  assert_int_equal (file->modified, NOV27);
  assert_int_equal (file->mode, 0644);
  assert_null (file->link_target);

  assert_int_equal (old->modified, utc (2019, 3, 3, 0, 0));
  assert_int_equal (old->size, 0);
  assert_int_equal (old->mode, 0600);

  assert_int_equal (dir->type, FERRY_ENTRY_DIRECTORY);
  assert_int_equal (dir->modified, utc (2026, 11, 26, 12, 0));
  assert_int_equal (dir->mode, 0755);

  assert_int_equal (link->type, FERRY_ENTRY_SYMLINK);
  assert_string_equal (link->name, "a");
  assert_string_equal (link->link_target, "b");
  assert_int_equal (link->size, 7);

  assert_int_equal (device->type, FERRY_ENTRY_OTHER);
  assert_string_equal (device->name, "null");
  assert_int_equal (device->size, FERRY_ENTRY_UNKNOWN);

  assert_string_equal (crlf->name, "x.bin");
  assert_int_equal (crlf->modified, utc (2026, 1, 5, 23, 59));
}

/* Captured from pyftpdlib 1.5 (its own ls, three spaces before the link count). */
static void
test_parse_pyftpdlib (void **state)
{
  g_autoptr(FerryEntry) semi = parse_ok (
    "-rw-r--r--   1 root     root            1 Nov 27 07:57 a;b; c", NOV27);
  g_autoptr(FerryEntry) link = parse_ok (
    "lrwxrwxrwx   1 root     root           16 Nov 27 07:57 link -> name with spaces", NOV27);
  g_autoptr(FerryEntry) old = parse_ok (
    "-rw-r--r--   1 root     root            0 Mar 03  2019 old.txt", NOV27);

  assert_string_equal (semi->name, "a;b; c");
  assert_int_equal (semi->size, 1);
  /* 07:57 is after now (06:15) but within the day of tolerance: this year. */
  assert_int_equal (semi->modified, utc (2026, 11, 27, 7, 57));
  assert_string_equal (link->name, "link");
  assert_string_equal (link->link_target, "name with spaces");
  assert_int_equal (link->size, 16);
  assert_int_equal (old->modified, utc (2019, 3, 3, 0, 0));
}

static void
test_parse_other_unix_servers (void **state)
{
  /* proftpd / pure-ftpd with names for owner and group, busybox with padding. */
  g_autoptr(FerryEntry) proftpd = parse_ok (
    "-rw-r--r--   1 ftp      ftp        524288 Oct 14 09:03 image.iso", NOV27);
  g_autoptr(FerryEntry) pure = parse_ok (
    "drwxr-xr-x    3 joe        users            4096 Sep  1 17:40 My Documents", NOV27);
  g_autoptr(FerryEntry) busybox = parse_ok (
    "-rw-r--r--    1 root     root       123456 Jan  1  1970 epoch", NOV27);
  /* Without a group column, with an ACL marker, with set-id bits, lower-case month. */
  g_autoptr(FerryEntry) no_group = parse_ok (
    "-rw-r--r--   1 owner        99 Nov 27 06:15 solo", NOV27);
  g_autoptr(FerryEntry) acl = parse_ok (
    "-rw-r--r--+  1 u g 5 nov 27 06:15 acl", NOV27);
  g_autoptr(FerryEntry) setid = parse_ok (
    "-rwsr-Sr-t   1 u g 5 Nov 27 06:15 setid", NOV27);
  g_autoptr(FerryEntry) dot = parse_ok ("drwxr-xr-x 2 u g 4096 Nov 27 06:15 .", NOV27);
  g_autoptr(FerryEntry) dotdot = parse_ok ("drwxr-xr-x 2 u g 4096 Nov 27 06:15 ..", NOV27);
  g_autoptr(FerryEntry) pipe = parse_ok ("prw-r--r-- 1 u g 0 Nov 27 06:15 fifo", NOV27);
  g_autoptr(FerryEntry) block = parse_ok (
    "brw-rw----   1 root  disk   8,   0 Nov 27 06:15 sda", NOV27);
  g_autoptr(FerryEntry) one_digit_hour = parse_ok ("-rw-r--r-- 1 u g 5 Nov 27 6:15 h", NOV27);

  assert_int_equal (proftpd->size, 524288);
  assert_int_equal (proftpd->modified, utc (2026, 10, 14, 9, 3));
  assert_string_equal (pure->name, "My Documents");
  assert_int_equal (pure->modified, utc (2026, 9, 1, 17, 40));
  assert_int_equal (busybox->modified, 0);
  assert_int_equal (no_group->size, 99);
  assert_string_equal (no_group->name, "solo");
  assert_string_equal (acl->name, "acl");
  assert_int_equal (acl->modified, NOV27);
  assert_int_equal (setid->mode, 0745);
  assert_int_equal (dot->type, FERRY_ENTRY_CURRENT_DIR);
  assert_int_equal (dotdot->type, FERRY_ENTRY_PARENT_DIR);
  assert_int_equal (pipe->type, FERRY_ENTRY_OTHER);
  assert_int_equal (block->type, FERRY_ENTRY_OTHER);
  assert_int_equal (one_digit_hour->modified, NOV27);
}

static void
test_parse_names (void **state)
{
  g_autoptr(FerryEntry) lead = parse_ok ("-rw-r--r-- 1 u g 1 Nov 27 06:15  two  spaces ", NOV27);
  g_autoptr(FerryEntry) semi = parse_ok ("-rw-r--r-- 1 u g 1 Nov 27 06:15 a;b;c", NOV27);
  g_autoptr(FerryEntry) date_in_name = parse_ok (
    "-rw-r--r-- 1 u g 1 Nov 27 06:15 Nov 27 06:15 report", NOV27);
  g_autoptr(FerryEntry) arrow_in_file = parse_ok (
    "-rw-r--r-- 1 u g 1 Nov 27 06:15 a -> b", NOV27);
  g_autoptr(FerryEntry) arrows = parse_ok (
    "lrwxrwxrwx 1 u g 1 Nov 27 06:15 x -> y -> z", NOV27);
  g_autoptr(FerryEntry) link_spaces = parse_ok (
    "lrwxrwxrwx 1 u g 1 Nov 27 06:15 my link -> ../some target", NOV27);
  g_autoptr(FerryEntry) bad_utf8 = parse_ok ("-rw-r--r-- 1 u g 1 Nov 27 06:15 \xc3\x28\xff", NOV27);
  g_autoptr(FerryEntry) owner_spaces = parse_ok (
    "-rw-r--r-- 1 John Smith Domain Users 77 Nov 27 06:15 f", NOV27);

  assert_string_equal (lead->name, " two  spaces ");
  assert_string_equal (semi->name, "a;b;c");
  assert_string_equal (date_in_name->name, "Nov 27 06:15 report");
  assert_string_equal (arrow_in_file->name, "a -> b");
  assert_null (arrow_in_file->link_target);
  assert_string_equal (arrows->name, "x");
  assert_string_equal (arrows->link_target, "y -> z");
  assert_string_equal (link_spaces->name, "my link");
  assert_string_equal (link_spaces->link_target, "../some target");
  assert_string_equal (bad_utf8->name, "\xc3\x28\xff");
  assert_int_equal (owner_spaces->size, 77);
}

/* Lines without a year land in the twelve months up to now (+1 day). */
static void
test_parse_year_inference (void **state)
{
  g_autoptr(FerryEntry) tomorrow = parse_ok ("-rw-r--r-- 1 u g 1 Nov 28 06:15 a", NOV27);
  g_autoptr(FerryEntry) later = parse_ok ("-rw-r--r-- 1 u g 1 Nov 29 00:00 b", NOV27);
  g_autoptr(FerryEntry) december = parse_ok ("-rw-r--r-- 1 u g 1 Dec 31 23:59 c", NOV27);
  g_autoptr(FerryEntry) january = parse_ok ("-rw-r--r-- 1 u g 1 Jan 01 00:00 d", NOV27);
  g_autoptr(FerryEntry) leap = parse_ok ("-rw-r--r-- 1 u g 1 Feb 29 10:00 e",
                                         utc (2024, 3, 1, 0, 0));
  g_autoptr(FerryEntry) new_year = parse_ok ("-rw-r--r-- 1 u g 1 Dec 31 23:00 f",
                                             utc (2027, 1, 1, 0, 30));

  assert_int_equal (tomorrow->modified, utc (2026, 11, 28, 6, 15));
  assert_int_equal (later->modified, utc (2025, 11, 29, 0, 0));
  assert_int_equal (december->modified, utc (2025, 12, 31, 23, 59));
  assert_int_equal (january->modified, utc (2026, 1, 1, 0, 0));
  assert_int_equal (leap->modified, utc (2024, 2, 29, 10, 0));
  assert_int_equal (new_year->modified, utc (2026, 12, 31, 23, 0));
  /* A server clock a few hours ahead on New Year's Eve. */
  {
    g_autoptr(FerryEntry) ahead = parse_ok ("-rw-r--r-- 1 u g 1 Jan 01 06:00 g",
                                            utc (2026, 12, 31, 12, 0));

    assert_int_equal (ahead->modified, utc (2027, 1, 1, 6, 0));
  }
  /* Feb 29 of neither 2026 nor 2025. */
  assert_refused ("-rw-r--r-- 1 u g 1 Feb 29 10:00 e", NOV27, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE);
}

static void
test_parse_dos (void **state)
{
  g_autoptr(FerryEntry) folder = parse_ok (
    "11-27-26  06:15AM       <DIR>          folder", NOV27);
  g_autoptr(FerryEntry) file = parse_ok (
    "11-27-26  06:15PM             1234 file.txt", NOV27);
  g_autoptr(FerryEntry) four = parse_ok (
    "11-27-2026  12:00AM                5 midnight and spaces.txt", NOV27);
  g_autoptr(FerryEntry) noon = parse_ok ("01-02-1999  12:30PM  7 noon", NOV27);
  g_autoptr(FerryEntry) seventies = parse_ok ("01-01-70  01:00AM  0 old", NOV27);
  g_autoptr(FerryEntry) nineteen69 = parse_ok ("12-31-69  11:59PM  0 late", NOV27);
  g_autoptr(FerryEntry) h24 = parse_ok ("11-27-26  18:15  1234 x", NOV27);
  g_autoptr(FerryEntry) lower = parse_ok ("11-27-26  06:15pm  1 y\r\n", NOV27);
  g_autoptr(FerryEntry) dot = parse_ok ("11-27-26  06:15AM  <DIR>  .", NOV27);
  g_autoptr(FerryEntry) semi = parse_ok ("11-27-26  06:15AM  3 a;b c", NOV27);

  assert_int_equal (folder->type, FERRY_ENTRY_DIRECTORY);
  assert_string_equal (folder->name, "folder");
  assert_int_equal (folder->size, FERRY_ENTRY_UNKNOWN);
  assert_int_equal (folder->modified, NOV27);
  assert_int_equal (file->type, FERRY_ENTRY_FILE);
  assert_int_equal (file->size, 1234);
  assert_int_equal (file->modified, utc (2026, 11, 27, 18, 15));
  assert_string_equal (four->name, "midnight and spaces.txt");
  assert_int_equal (four->modified, utc (2026, 11, 27, 0, 0));
  assert_int_equal (noon->modified, utc (1999, 1, 2, 12, 30));
  assert_int_equal (seventies->modified, utc (1970, 1, 1, 1, 0));
  assert_int_equal (nineteen69->modified, utc (2069, 12, 31, 23, 59));
  assert_int_equal (h24->modified, utc (2026, 11, 27, 18, 15));
  assert_int_equal (lower->modified, utc (2026, 11, 27, 18, 15));
  assert_string_equal (lower->name, "y");
  assert_int_equal (dot->type, FERRY_ENTRY_CURRENT_DIR);
  assert_string_equal (semi->name, "a;b c");
}

static void
test_parse_refused (void **state)
{
  const gint M = FERRY_PROTOCOL_ERROR_MALFORMED, R = FERRY_PROTOCOL_ERROR_OUT_OF_RANGE;

  assert_refused ("", NOV27, M);
  assert_refused ("   ", NOV27, M);
  assert_refused ("\r\n", NOV27, M);
  assert_refused ("total 12", NOV27, M);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 27 06:15", NOV27, M);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 27 06:15 ", NOV27, M);
  assert_refused ("-rw-r--r-- 1 u g -1 Nov 27 06:15 neg", NOV27, M);
  assert_refused ("-rw-r--r-- 1 u g 1 Foo 27 06:15 x", NOV27, M);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 123 06:15 x", NOV27, M);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 27 0615 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 32 06:15 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 27 25:15 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 27 06:65 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 00 06:15 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 1 Nov 27  0999 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 9223372036854775808 Nov 27 06:15 x", NOV27, R);
  assert_refused ("-rw-r--r-- 1 u g 99999999999999999999999 Nov 27 06:15 x", NOV27, R);
  assert_refused ("xrw-r--r-- 1 u g 1 Nov 27 06:15 x", NOV27, M);
  assert_refused ("-rw-r--r-Q 1 u g 1 Nov 27 06:15 x", NOV27, M);
  assert_refused ("-rw-r-- 1 u g 1 Nov 27 06:15 x", NOV27, M);
  assert_refused ("Nov 27 06:15 x", NOV27, M);

  assert_refused ("11-27-26  06:15AM       <DIR>", NOV27, M);
  assert_refused ("11-27-26  06:15AM       <DIR>     ", NOV27, M);
  assert_refused ("11-27-26  06:15AM", NOV27, M);
  assert_refused ("11-27-26  06:15AM  -5 neg", NOV27, M);
  assert_refused ("11-27-26  06:15AM  <FILE> x", NOV27, M);
  assert_refused ("11-27-26  13:15PM  1 x", NOV27, M);
  assert_refused ("11-27-26  00:15AM  1 x", NOV27, M);
  assert_refused ("13-27-26  06:15AM  1 x", NOV27, R);
  assert_refused ("02-30-26  06:15AM  1 x", NOV27, R);
  assert_refused ("11-27-26  24:15  1 x", NOV27, R);
  assert_refused ("11-27-266  06:15AM  1 x", NOV27, M);
  assert_refused ("11-27-2  06:15AM  1 x", NOV27, M);
  assert_refused ("111-27-26  06:15AM  1 x", NOV27, M);
  assert_refused ("11-27-26 06:15AM 99999999999999999999 x", NOV27, R);
  assert_refused ("11.27.26  06:15AM  1 x", NOV27, M);
  assert_refused ("11-27-26", NOV27, M);
  assert_refused ("11-27-0001  06:15AM  1 x", NOV27, R);   /* found by fuzz-list-line */
  assert_refused ("1", NOV27, M);
}

static void
test_format (void **state)
{
  g_autoptr(GString) out = g_string_new (NULL);
  FerryEntry file = { .name = (char *) "name with spaces", .type = FERRY_ENTRY_FILE,
                      .size = 1234, .modified = NOV27, .mode = 0644 };
  FerryEntry old = { .name = (char *) "old.txt", .type = FERRY_ENTRY_FILE, .size = 0,
                     .modified = utc (2019, 3, 3, 10, 0), .mode = 0600 };
  FerryEntry dir = { .name = (char *) "folder", .type = FERRY_ENTRY_DIRECTORY,
                     .size = 4096, .modified = utc (2026, 11, 7, 9, 5) };
  FerryEntry link = { .name = (char *) "a", .type = FERRY_ENTRY_SYMLINK, .size = 1,
                      .modified = NOV27, .link_target = (char *) "b" };
  FerryEntry unknown = { .name = (char *) "u", .type = FERRY_ENTRY_OTHER,
                         .size = FERRY_ENTRY_UNKNOWN, .modified = FERRY_ENTRY_UNKNOWN };
  FerryEntry huge = { .name = (char *) "big", .type = FERRY_ENTRY_FILE, .size = G_MAXINT64,
                      .modified = NOV27 + DAY, .mode = 0444 };

  ferry_list_append_unix_line (out, &file, NOV27 + 60);
  assert_string_equal (out->str,
    "-rw-r--r--    1 ftp      ftp          1234 Nov 27 06:15 name with spaces\r\n");
  g_string_truncate (out, 0);
  ferry_list_append_unix_line (out, &old, NOV27);
  assert_string_equal (out->str,
    "-rw-------    1 ftp      ftp             0 Mar  3  2019 old.txt\r\n");
  g_string_truncate (out, 0);
  ferry_list_append_unix_line (out, &dir, NOV27);
  assert_string_equal (out->str,
    "drwxr-xr-x    1 ftp      ftp          4096 Nov  7 09:05 folder\r\n");
  g_string_truncate (out, 0);
  ferry_list_append_unix_line (out, &link, NOV27);
  assert_string_equal (out->str,
    "lrwxrwxrwx    1 ftp      ftp             1 Nov 27 06:15 a -> b\r\n");
  g_string_truncate (out, 0);
  ferry_list_append_unix_line (out, &unknown, NOV27);
  assert_string_equal (out->str,
    "?rw-r--r--    1 ftp      ftp             0 Jan  1  1970 u\r\n");
  g_string_truncate (out, 0);
  /* In the future: the year, as ls does. */
  ferry_list_append_unix_line (out, &huge, NOV27);
  assert_string_equal (out->str,
    "-r--r--r--    1 ftp      ftp      9223372036854775807 Nov 28  2026 big\r\n");
}

/* Formatter output parses back to the same entry (times to the minute or day shown). */
static void
test_round_trip (void **state)
{
  static const char *names[] = { "plain", "with  spaces", " lead", "trail ", "a;b",
                                 "\xc3\xa9t\xc3\xa9", "\xff", "Nov 27 06:15 x", "..." };
  static const FerryEntryType types[] = {
    FERRY_ENTRY_FILE, FERRY_ENTRY_DIRECTORY, FERRY_ENTRY_SYMLINK, FERRY_ENTRY_OTHER,
  };
  static const gint64 sizes[] = { FERRY_ENTRY_UNKNOWN, 0, 1, 99999999, G_MAXINT64 };
  static const gint64 ages[] = { 0, 59, 3600, DAY, 100 * DAY, 182 * DAY, 183 * DAY,
                                 365 * DAY, 3000 * DAY, -60, -DAY, -400 * DAY };
  static const guint32 modes[] = { 0, 0644, 0755, 0777, 0400, 0111, 0 };
  const gint64 nows[] = { NOV27, utc (2024, 2, 29, 23, 59), utc (2027, 1, 1, 0, 0) };

  for (gsize w = 0; w < G_N_ELEMENTS (nows); w++)
    for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
      for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
        for (gsize a = 0; a < G_N_ELEMENTS (ages); a++)
          {
            gint64 now = nows[w];
            FerryEntry entry = {
              .name = (char *) names[n], .type = types[t],
              .size = sizes[(n + a) % G_N_ELEMENTS (sizes)],
              .modified = now - ages[a] - 7,
              .mode = modes[(t + a) % G_N_ELEMENTS (modes)],
              .link_target = t == 2 && a % 2 ? (char *) "../target dir/x" : NULL,
            };
            g_autoptr(GString) out = g_string_new (NULL);
            g_autoptr(FerryEntry) parsed = NULL;
            /* ls's six months: 365.2425 / 2 days */
            gboolean recent = ages[a] + 7 < 15778476 && ages[a] + 7 >= 0;
            gint64 shown;

            ferry_list_append_unix_line (out, &entry, now);
            assert_true (g_str_has_suffix (out->str, "\r\n"));
            parsed = parse_ok (out->str, now);

            assert_string_equal (parsed->name, entry.name);
            assert_int_equal (parsed->type, entry.type);
            if (entry.type == FERRY_ENTRY_OTHER)
              assert_int_equal (parsed->size, FERRY_ENTRY_UNKNOWN);
            else
              assert_int_equal (parsed->size, MAX (entry.size, 0));
            if (entry.mode != 0)
              assert_int_equal (parsed->mode, entry.mode);
            if (entry.link_target != NULL)
              assert_string_equal (parsed->link_target, entry.link_target);
            else
              assert_null (parsed->link_target);

            /* Minutes for recent entries, days for the others. */
            shown = recent ? entry.modified - ((entry.modified % 60) + 60) % 60
                           : entry.modified - ((entry.modified % DAY) + DAY) % DAY;
            assert_int_equal (parsed->modified, shown);
          }
}

/* The server formats whole folders at once: 20,000 entries must stay far from anything a
 * client would notice (about 1.5 ms here; the bound only catches a quadratic mistake). */
static void
test_twenty_thousand_entries (void **state)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GString) mlsd = g_string_new (NULL);
  char name[64];
  gint64 start;
  guint lines = 0;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20000; i++)
    {
      FerryEntry entry = { .name = name, .type = i % 10 ? FERRY_ENTRY_FILE : FERRY_ENTRY_DIRECTORY,
                           .size = (gint64) i * 7919, .modified = NOV27 - (gint64) i * 3600,
                           .mode = 0644 };

      g_snprintf (name, sizeof name, "file %05u with a longer name.dat", i);
      ferry_list_append_unix_line (list, &entry, NOV27);
      ferry_mlsx_append_line (mlsd, &entry, FERRY_MLSX_FACTS_DEFAULT | FERRY_MLSX_FACT_UNIX_MODE);
    }
  assert_true (g_get_monotonic_time () - start < G_USEC_PER_SEC / 2);

  for (const char *p = list->str; (p = strstr (p, "\r\n")) != NULL; p += 2)
    lines++;
  assert_int_equal (lines, 20000);
  assert_true (g_str_has_suffix (list->str, "file 19999 with a longer name.dat\r\n"));
  assert_true (g_str_has_suffix (mlsd->str, "; file 19999 with a longer name.dat\r\n"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_vsftpd),
    cmocka_unit_test (test_parse_pyftpdlib),
    cmocka_unit_test (test_parse_other_unix_servers),
    cmocka_unit_test (test_parse_names),
    cmocka_unit_test (test_parse_year_inference),
    cmocka_unit_test (test_parse_dos),
    cmocka_unit_test (test_parse_refused),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_twenty_thousand_entries),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
