// SPDX-License-Identifier: GPL-3.0-or-later
/* test-time.c — MDTM / "modify" timestamps and the UTC calendar helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

static void
assert_parses (const char *text,
               gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 seconds = 0;

  assert_true (ferry_time_parse (text, &seconds, &error));
  assert_null (error);
  assert_int_equal (seconds, expected);
}

static void
assert_refused (const char *text,
                gint        code)
{
  g_autoptr(GError) error = NULL;
  gint64 seconds = 12345;

  assert_false (ferry_time_parse (text, &seconds, &error));
  assert_non_null (error);
  assert_true (error->domain == FERRY_PROTOCOL_ERROR);
  assert_int_equal (error->code, code);
  assert_int_equal (seconds, 12345);
}

static void
test_parse (void **state)
{
  assert_parses ("19700101000000", 0);
  assert_parses ("20261127061500", G_GINT64_CONSTANT (1795760100));
  assert_parses ("20261127061500.123", G_GINT64_CONSTANT (1795760100));
  assert_parses ("20261127061500.1", G_GINT64_CONSTANT (1795760100));
  assert_parses ("20000229235959", G_GINT64_CONSTANT (951868799));
  assert_parses ("19691231235959", -1);
  assert_parses ("10000101000000", G_GINT64_CONSTANT (-30610224000));
  assert_parses ("99991231235959", G_GINT64_CONSTANT (253402300799));
  assert_parses ("20381231235959", G_GINT64_CONSTANT (2177452799));
  /* A leap second counts into the next minute. */
  assert_parses ("20161231235960", G_GINT64_CONSTANT (1483228800));
}

static void
test_refused (void **state)
{
  const gint M = FERRY_PROTOCOL_ERROR_MALFORMED, R = FERRY_PROTOCOL_ERROR_OUT_OF_RANGE;

  assert_refused ("", M);
  assert_refused ("   ", M);
  assert_refused ("2026112706150", M);
  assert_refused ("202611270615000", M);
  assert_refused ("20261127061500.", M);
  assert_refused ("20261127061500.12a", M);
  assert_refused ("20261127061500Z", M);
  assert_refused (" 20261127061500", M);
  assert_refused ("20261127061500 ", M);
  assert_refused ("2026-11-27 06:1", M);
  assert_refused ("-2026112706150", M);
  assert_refused ("+2026112706150", M);
  assert_refused ("2026112706150\xc3\xa9", M);
  assert_refused ("20261327061500", R);
  assert_refused ("20261100061500", R);
  assert_refused ("20260230061500", R);
  assert_refused ("20250229000000", R);
  assert_refused ("19000229000000", R);
  assert_refused ("20261132061500", R);
  assert_refused ("20261127241500", R);
  assert_refused ("20261127066000", R);
  assert_refused ("20261127061561", R);
  assert_refused ("09991231235959", R);
  assert_refused ("00000101000000", R);
}

static void
test_format (void **state)
{
  g_autofree char *epoch = ferry_time_format (0);
  g_autofree char *now = ferry_time_format (G_GINT64_CONSTANT (1795760100));
  g_autofree char *before = ferry_time_format (-1);
  g_autofree char *low = ferry_time_format (G_MININT64);
  g_autofree char *high = ferry_time_format (G_MAXINT64);
  g_autoptr(GString) out = g_string_new ("modify=");

  assert_string_equal (epoch, "19700101000000");
  assert_string_equal (now, "20261127061500");
  assert_string_equal (before, "19691231235959");
  assert_string_equal (low, "10000101000000");
  assert_string_equal (high, "99991231235959");
  ferry_time_append (out, 951868799);
  assert_string_equal (out->str, "modify=20000229235959");
}

/* Every day from year 1000 to 9999 (one sample second per day) survives format → parse, and
 * the civil helpers agree with each other. */
static void
test_round_trip (void **state)
{
  const gint64 first = G_GINT64_CONSTANT (-30610224000);
  const gint64 last = G_GINT64_CONSTANT (253402300799);

  for (gint64 t = first; t <= last; t += 86400 + 3607)
    {
      g_autofree char *text = ferry_time_format (t);
      FerryCivilTime civil;
      gint64 parsed = 0, rebuilt = 0;

      assert_int_equal (strlen (text), 14);
      assert_true (ferry_time_parse (text, &parsed, NULL));
      assert_int_equal (parsed, t);
      ferry_time_to_civil (t, &civil);
      assert_true (ferry_time_from_civil (&civil, &rebuilt, NULL));
      assert_int_equal (rebuilt, t);
    }
}

static void
test_civil (void **state)
{
  FerryCivilTime civil;
  FerryCivilTime feb30 = { 2024, 2, 30, 0, 0, 0 };
  FerryCivilTime feb29 = { 2024, 2, 29, 12, 0, 0 };
  FerryCivilTime year0 = { 0, 1, 1, 0, 0, 0 };
  FerryCivilTime year10000 = { 10000, 1, 1, 0, 0, 0 };
  FerryCivilTime negative = { 2024, 1, 1, -1, 0, 0 };
  g_autoptr(GError) error = NULL;
  gint64 t;

  ferry_time_to_civil (G_GINT64_CONSTANT (1795760100), &civil);
  assert_int_equal (civil.year, 2026);
  assert_int_equal (civil.month, 11);
  assert_int_equal (civil.day, 27);
  assert_int_equal (civil.hour, 6);
  assert_int_equal (civil.minute, 15);
  assert_int_equal (civil.second, 0);

  ferry_time_to_civil (-1, &civil);
  assert_int_equal (civil.year, 1969);
  assert_int_equal (civil.second, 59);

  ferry_time_to_civil (G_MININT64, &civil);
  assert_int_equal (civil.year, 1);
  ferry_time_to_civil (G_MAXINT64, &civil);
  assert_int_equal (civil.year, 9999);

  assert_true (ferry_time_from_civil (&feb29, &t, NULL));
  assert_int_equal (t, G_GINT64_CONSTANT (1709208000));
  assert_false (ferry_time_from_civil (&feb30, &t, &error));
  assert_int_equal (error->code, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE);
  assert_false (ferry_time_from_civil (&year0, &t, NULL));
  assert_false (ferry_time_from_civil (&year10000, &t, NULL));
  assert_false (ferry_time_from_civil (&negative, &t, NULL));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse),
    cmocka_unit_test (test_refused),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_civil),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
