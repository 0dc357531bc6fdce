// SPDX-License-Identifier: GPL-3.0-or-later
/* test-cli-error.c — the reasons ferry-cli gives: words chosen by the engine's error code,
 * with the server's reply kept, and the engine's own message where it quotes no reply. */
#define G_LOG_DOMAIN "ferry-cli-test"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gio.h>

#include "ferry-cli-error.h"
#include "ferry-client-error.h"

static char *
reason_for (int         code,
            const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (FERRY_CLIENT_ERROR, code, message);

  return ferry_cli_error_reason (error);
}

static void
test_server_reply_is_found (void **state)
{
  g_autofree char *reply = NULL;

  reply = ferry_cli_error_server_reply ("SIZE a “b” c.txt: the server said “550 No such file.”");
  assert_string_equal (reply, "550 No such file.");
  assert_null (ferry_cli_error_server_reply ("Connection refused"));
  assert_null (ferry_cli_error_server_reply ("a name “not a reply”"));
  assert_null (ferry_cli_error_server_reply ("“”"));

  /* The engine's newer wording: the reply last, in brackets. */
  g_clear_pointer (&reply, g_free);
  reply = ferry_cli_error_server_reply ("“a (1).txt” does not exist on the server "
                                        "(550 No such file (really).)");
  assert_string_equal (reply, "550 No such file (really).");
  assert_null (ferry_cli_error_server_reply ("a (b)"));
}

static void
test_both_engine_wordings_read_the_same (void **state)
{
  g_autofree char *old = reason_for (FERRY_CLIENT_ERROR_NOT_FOUND,
                                     "SIZE a.txt: the server said “550 No such file.”");
  g_autofree char *new = reason_for (FERRY_CLIENT_ERROR_NOT_FOUND,
                                     "“a.txt” does not exist on the server (550 No such file.)");

  assert_string_equal (old, "no such file or folder on the server (550 No such file.)");
  assert_string_equal (new, old);
}

static void
test_missing_file_reads_as_words (void **state)
{
  g_autofree char *reason = reason_for (FERRY_CLIENT_ERROR_NOT_FOUND,
                                        "SIZE nothere.txt: the server said "
                                        "“550 No such file or folder.”");

  assert_string_equal (reason, "no such file or folder on the server "
                               "(550 No such file or folder.)");
}

static void
test_other_550_is_not_called_missing (void **state)
{
  /* The engine files every 550 it cannot place as NOT_FOUND. */
  g_autofree char *reason = reason_for (FERRY_CLIENT_ERROR_NOT_FOUND,
                                        "RMD docs: the server said “550 The folder is not "
                                        "empty.”");

  assert_string_equal (reason, "the server refused (550 The folder is not empty.)");
}

static void
test_codes_choose_the_words (void **state)
{
  g_autofree char *denied = reason_for (FERRY_CLIENT_ERROR_PERMISSION_DENIED,
                                        "STOR x: the server said “553 Not allowed.”");
  g_autofree char *exists = reason_for (FERRY_CLIENT_ERROR_EXISTS,
                                        "MKD docs: the server said “550 Already exists.”");
  g_autofree char *full = reason_for (FERRY_CLIENT_ERROR_DISK_FULL,
                                      "STOR x: the server said “552 Quota exceeded.”");

  assert_string_equal (denied, "the server does not allow it (553 Not allowed.)");
  assert_string_equal (exists, "something of that name is already there (550 Already exists.)");
  assert_string_equal (full, "the server has no room left (552 Quota exceeded.)");
}

static void
test_messages_without_reply_are_kept (void **state)
{
  g_autofree char *local = reason_for (FERRY_CLIENT_ERROR_DISK_FULL,
                                       "No space left on device");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                              "the server said “550 x”");
  g_autofree char *io_reason = ferry_cli_error_reason (io);

  assert_string_equal (local, "No space left on device");
  assert_string_equal (io_reason, "the server said “550 x”");
}

static void
test_connect_reasons (void **state)
{
  g_autoptr(GError) refused = g_error_new_literal (FERRY_CLIENT_ERROR,
                                                   FERRY_CLIENT_ERROR_CONNECTION_REFUSED, "x");
  g_autoptr(GError) tls = g_error_new_literal (FERRY_CLIENT_ERROR,
                                               FERRY_CLIENT_ERROR_TLS_UNAVAILABLE, "x");
  g_autofree char *refused_reason = ferry_cli_error_connect_reason (refused);
  g_autofree char *tls_reason = ferry_cli_error_connect_reason (tls);

  assert_non_null (strstr (refused_reason, "nothing answers there"));
  assert_null (tls_reason);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_server_reply_is_found),
    cmocka_unit_test (test_missing_file_reads_as_words),
    cmocka_unit_test (test_both_engine_wordings_read_the_same),
    cmocka_unit_test (test_other_550_is_not_called_missing),
    cmocka_unit_test (test_codes_choose_the_words),
    cmocka_unit_test (test_messages_without_reply_are_kept),
    cmocka_unit_test (test_connect_reasons),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
