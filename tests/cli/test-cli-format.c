// SPDX-License-Identifier: GPL-3.0-or-later
/* test-cli-format.c — ferry-cli's listing and progress lines, and its prompt word splitter. */
#define G_LOG_DOMAIN "ferry-cli-test"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ferry-cli-escape.h"
#include "ferry-cli-format.h"
#include "ferry-cli-words.h"

static FerryEntry *
make_entry (const char     *name,
            FerryEntryType  type,
            gint64          size,
            guint32         mode)
{
  FerryEntry *entry = ferry_entry_new (name, type);

  entry->size = size;
  entry->mode = mode;
  entry->modified = g_get_real_time () / G_USEC_PER_SEC - 3600;
  return entry;
}

static void
test_listing_sorts_hides_and_aligns (void **state)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  g_ptr_array_add (entries, make_entry ("zeta.txt", FERRY_ENTRY_FILE, 5, 0644));
  g_ptr_array_add (entries, make_entry (".secret", FERRY_ENTRY_FILE, 1, 0600));
  g_ptr_array_add (entries, make_entry ("docs", FERRY_ENTRY_DIRECTORY, 4096, 0755));
  g_ptr_array_add (entries, make_entry (".", FERRY_ENTRY_CURRENT_DIR, 0, 0755));

  ferry_cli_format_listing (out, entries, FALSE);
  lines = g_strsplit (out->str, "\n", -1);

  assert_int_equal (g_strv_length (lines), 3);   /* two lines and the empty tail */
  assert_true (g_str_has_prefix (lines[0], "drwxr-xr-x  4096  "));
  assert_true (g_str_has_suffix (lines[0], "  docs/"));
  /* The size column is right-aligned to the widest size. */
  assert_true (g_str_has_prefix (lines[1], "-rw-r--r--     5  "));
  assert_true (g_str_has_suffix (lines[1], "  zeta.txt"));
  assert_string_equal (lines[2], "");
  assert_null (strstr (out->str, ".secret"));
}

static void
test_listing_shows_hidden_and_unknowns (void **state)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GString) out = g_string_new (NULL);
  FerryEntry *link = make_entry ("latest", FERRY_ENTRY_SYMLINK, FERRY_ENTRY_UNKNOWN, 0);

  link->modified = FERRY_ENTRY_UNKNOWN;
  link->link_target = g_strdup ("v2");
  g_ptr_array_add (entries, link);
  g_ptr_array_add (entries, make_entry (".profile", FERRY_ENTRY_FILE, 12, 0644));

  ferry_cli_format_listing (out, entries, TRUE);

  assert_non_null (strstr (out->str, ".profile\n"));
  assert_non_null (strstr (out->str, "l            -  "));
  assert_non_null (strstr (out->str, "latest -> v2\n"));
}

static void
test_duration (void **state)
{
  g_autofree char *unknown = ferry_cli_format_duration (-1);
  g_autofree char *short_one = ferry_cli_format_duration (65);
  g_autofree char *long_one = ferry_cli_format_duration (3723);

  assert_string_equal (unknown, "--:--");
  assert_string_equal (short_one, "1:05");
  assert_string_equal (long_one, "1:02:03");
}

#define LONG_NAME "a very long file name that will not fit anywhere.iso"
/* "Photos of the summer holiday at the seaside in twenty twenty-five, the whole set.jpg" */
#define CHINESE_NAME "二零二五年夏天在海边度假时拍的全部照片二零二五年夏天在海边度假时拍的全部照片.jpg"

static void
test_display_width (void **state)
{
  assert_int_equal (ferry_cli_display_width ("abc"), 3);
  assert_int_equal (ferry_cli_display_width ("照片.jpg"), 8);
  assert_int_equal (ferry_cli_display_width ("e\u0301"), 1);
  assert_int_equal (ferry_cli_display_width (""), 0);
}

static void
test_progress_has_exact_width (void **state)
{
  const guint widths[] = { 20, 40, 59, 80, 200 };

  for (gsize i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autofree char *half = ferry_cli_format_progress ("file.bin", 500, 1000, 100.0, widths[i]);
      g_autofree char *unknown = ferry_cli_format_progress (LONG_NAME, 12345, -1, -1, widths[i]);
      g_autofree char *utf8 = ferry_cli_format_progress ("café ünïcödé.txt", 0, 0, 0, widths[i]);
      /* Two columns per character: the line is measured in columns, not characters. */
      g_autofree char *wide = ferry_cli_format_progress (CHINESE_NAME, 500, 1000, 100.0,
                                                         widths[i]);
      g_autofree char *combining = ferry_cli_format_progress ("cafe\u0301 e\u0301te\u0301.txt",
                                                              1, 2, 1.0, widths[i]);

      assert_int_equal (g_utf8_strlen (half, -1), widths[i]);
      assert_int_equal (g_utf8_strlen (unknown, -1), widths[i]);
      assert_int_equal (g_utf8_strlen (utf8, -1), widths[i]);
      assert_int_equal (ferry_cli_display_width (wide), widths[i]);
      assert_int_equal (ferry_cli_display_width (combining), widths[i]);
      assert_true (g_utf8_validate (wide, -1, NULL));
      assert_true (g_utf8_validate (unknown, -1, NULL));
      assert_non_null (strstr (half, " 50%"));
    }
}

static void
test_progress_figures (void **state)
{
  g_autofree char *line = ferry_cli_format_progress ("file.bin", 1000000, 2000000, 100000.0, 100);

  assert_true (g_str_has_prefix (line, "file.bin ["));
  assert_non_null (strstr (line, "=>"));
  assert_non_null (strstr (line, " 50% "));
  /* GLib separates number and unit with a no-break space. */
  assert_non_null (strstr (line, "1.0\u00a0MB"));
  assert_non_null (strstr (line, "100.0\u00a0kB/s"));
  assert_true (g_str_has_suffix (line, "0:10"));
}

static void
test_words (void **state)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) quoted = ferry_cli_split_words ("get \"my file.txt\" local\\ name", &error);
  g_auto(GStrv) blank = ferry_cli_split_words ("   ", &error);
  g_auto(GStrv) comment = ferry_cli_split_words ("# a comment", &error);
  g_auto(GStrv) broken = NULL;

  assert_null (error);
  assert_int_equal (g_strv_length (quoted), 3);
  assert_string_equal (quoted[1], "my file.txt");
  assert_string_equal (quoted[2], "local name");
  assert_int_equal (g_strv_length (blank), 0);
  assert_int_equal (g_strv_length (comment), 0);

  broken = ferry_cli_split_words ("get \"unclosed", &error);
  assert_null (broken);
  assert_non_null (error);
}

/* What a terminal would act on comes out as text; everything else is kept as it is. */
static void
test_escape (void **state)
{
  static const struct { const char *in, *out, *lines; } cases[] = {
    { "plain.txt", "plain.txt", "plain.txt" },
    { "中文 fichier é.txt", "中文 fichier é.txt", "中文 fichier é.txt" },
    { "t\x1b]0;x\x07", "t\\x1B]0;x\\x07", "t\\x1B]0;x\\x07" },
    { "a\bb\x7f", "a\\x08b\\x7F", "a\\x08b\\x7F" },
    { "csi\xc2\x9b" "2J", "csi\\u009B2J", "csi\\u009B2J" },
    { "raw\x9b" "2J", "raw\\x9B2J", "raw\\x9B2J" },
    { "two\nlines\r\t", "two\\x0Alines\\x0D\\x09", "two\nlines\\x0D\\x09" },
    { "rtl\xe2\x80\xaetxt.exe", "rtl\\u202Etxt.exe", "rtl\\u202Etxt.exe" },
    { "cut\xe4\xb8", "cut\\xE4\\xB8", "cut\\xE4\\xB8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *one = ferry_cli_escape (cases[i].in);
      g_autofree char *lines = ferry_cli_escape_lines (cases[i].in);

      assert_string_equal (one, cases[i].out);
      assert_string_equal (lines, cases[i].lines);
      assert_int_equal (ferry_cli_is_printable (cases[i].in), strcmp (one, cases[i].in) == 0);
    }
}

/* A listing never carries a server's control character to the terminal. */
static void
test_listing_escapes_names (void **state)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_ptr_array_add (entries, make_entry ("x\x1b[2J\nfake", FERRY_ENTRY_FILE, 1, 0644));
  ferry_cli_format_listing (out, entries, FALSE);
  assert_null (strchr (out->str, 0x1b));
  assert_non_null (strstr (out->str, "x\\x1B[2J\\x0Afake\n"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_listing_sorts_hides_and_aligns),
    cmocka_unit_test (test_listing_shows_hidden_and_unknowns),
    cmocka_unit_test (test_duration),
    cmocka_unit_test (test_display_width),
    cmocka_unit_test (test_progress_has_exact_width),
    cmocka_unit_test (test_progress_figures),
    cmocka_unit_test (test_words),
    cmocka_unit_test (test_escape),
    cmocka_unit_test (test_listing_escapes_names),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
