// SPDX-License-Identifier: GPL-3.0-or-later
/* test-transfer-eta.c — the time-left estimate the engine's "eta" and ferry-cli's progress
 * line share. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ferry-client.h"

static void
test_estimate (void **state)
{
  assert_int_equal (ferry_transfer_estimate_eta (0, 1000, 100.0), 10);
  assert_int_equal (ferry_transfer_estimate_eta (500, 1000, 100.0), 5);
  assert_int_equal (ferry_transfer_estimate_eta (0, 1000, 300.0), 3);    /* 3.33 → 3 */
  assert_int_equal (ferry_transfer_estimate_eta (0, 1000, 400.0), 3);    /* 2.5 → 3 */
  assert_int_equal (ferry_transfer_estimate_eta (1000, 1000, 100.0), 0);
  assert_int_equal (ferry_transfer_estimate_eta (0, G_GINT64_CONSTANT (1) << 40, 1.0),
                    G_GINT64_CONSTANT (1) << 40);
}

static void
test_unknown (void **state)
{
  assert_int_equal (ferry_transfer_estimate_eta (0, 1000, 0.0), -1);     /* no rate yet */
  assert_int_equal (ferry_transfer_estimate_eta (0, 1000, -5.0), -1);
  assert_int_equal (ferry_transfer_estimate_eta (10, -1, 100.0), -1);    /* size unknown */
  assert_int_equal (ferry_transfer_estimate_eta (1200, 1000, 100.0), -1); /* file grew */
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_estimate),
    cmocka_unit_test (test_unknown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
