// SPDX-License-Identifier: GPL-3.0-or-later
/* test-enums.c — the generated enum types keep the nicks that properties, the test driver
 * and saved settings use, and name every error code. */
#define G_LOG_DOMAIN "ferry-client-test"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ferry-client.h"
#include "ferry-transfer.h"

static void
assert_nick (GType type, int value, const char *nick)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  assert_non_null (found);
  assert_string_equal (found->value_nick, nick);
  assert_ptr_equal (g_enum_get_value_by_nick (klass, nick), found);
}

static void
test_transfer_nicks (void **state)
{
  assert_nick (FERRY_TYPE_TRANSFER_DIRECTION, FERRY_TRANSFER_DOWNLOAD, "download");
  assert_nick (FERRY_TYPE_TRANSFER_DIRECTION, FERRY_TRANSFER_UPLOAD, "upload");
  assert_nick (FERRY_TYPE_TRANSFER_STATE, FERRY_TRANSFER_QUEUED, "queued");
  assert_nick (FERRY_TYPE_TRANSFER_STATE, FERRY_TRANSFER_RUNNING, "running");
  assert_nick (FERRY_TYPE_TRANSFER_STATE, FERRY_TRANSFER_DONE, "done");
  assert_nick (FERRY_TYPE_TRANSFER_STATE, FERRY_TRANSFER_FAILED, "failed");
  assert_nick (FERRY_TYPE_TRANSFER_STATE, FERRY_TRANSFER_CANCELLED, "cancelled");
  assert_nick (FERRY_TYPE_CONFLICT_POLICY, FERRY_CONFLICT_ERROR, "error");
  assert_nick (FERRY_TYPE_CONFLICT_POLICY, FERRY_CONFLICT_REPLACE, "replace");
  assert_nick (FERRY_TYPE_CONFLICT_POLICY, FERRY_CONFLICT_KEEP_BOTH, "keep-both");
  assert_nick (FERRY_TYPE_CONFLICT_POLICY, FERRY_CONFLICT_SKIP, "skip");
  assert_nick (FERRY_TYPE_TLS_MODE, FERRY_TLS_MODE_NONE, "none");
  assert_nick (FERRY_TYPE_TLS_MODE, FERRY_TLS_MODE_EXPLICIT, "explicit");
  assert_nick (FERRY_TYPE_TLS_MODE, FERRY_TLS_MODE_IMPLICIT, "implicit");
}

static void
test_properties_use_the_types (void **state)
{
  g_autoptr(GFile) local = g_file_new_for_path ("/x");
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new_upload (local, "/x");
  GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (transfer), "state");

  assert_non_null (spec);
  assert_true (G_PARAM_SPEC_VALUE_TYPE (spec) == FERRY_TYPE_TRANSFER_STATE);
}

static void
test_every_error_code_is_named (void **state)
{
  g_autoptr(GEnumClass) codes = g_type_class_ref (FERRY_TYPE_CLIENT_ERROR);

  /* Codes are dense from FAILED to the last one: none is missing from the type. */
  assert_int_equal (codes->minimum, FERRY_CLIENT_ERROR_FAILED);
  assert_int_equal (codes->n_values, codes->maximum + 1);
  assert_nick (FERRY_TYPE_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED, "not-connected");
  assert_nick (FERRY_TYPE_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED, "tls-untrusted");
}

static void
test_features_are_flags (void **state)
{
  g_autoptr(GFlagsClass) features = g_type_class_ref (FERRY_TYPE_CLIENT_FEATURES);
  GFlagsValue *mlsd = g_flags_get_first_value (features, FERRY_CLIENT_FEATURE_MLSD);

  assert_true (G_TYPE_IS_FLAGS (FERRY_TYPE_CLIENT_FEATURES));
  assert_non_null (mlsd);
  assert_string_equal (mlsd->value_nick, "mlsd");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_transfer_nicks),
    cmocka_unit_test (test_properties_use_the_types),
    cmocka_unit_test (test_every_error_code_is_named),
    cmocka_unit_test (test_features_are_flags),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
