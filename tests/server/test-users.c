// SPDX-License-Identifier: GPL-3.0-or-later
/* test-users.c — the users file: yescrypt hashes, authentication, per-user settings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ferryd-users.h"

typedef struct {
  char *folder;
  char *path;
} Fixture;

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->folder = g_dir_make_tmp ("ferryd-users-XXXXXX", NULL);
  assert_non_null (fixture->folder);
  fixture->path = g_build_filename (fixture->folder, "users", NULL);
  *state = fixture;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fixture = *state;

  g_unlink (fixture->path);
  g_rmdir (fixture->folder);
  g_free (fixture->path);
  g_free (fixture->folder);
  g_free (fixture);
  return 0;
}

static void
test_hash_is_yescrypt_and_salted (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = ferryd_users_hash_password ("correct horse", &error);
  g_autofree char *second = ferryd_users_hash_password ("correct horse", &error);

  assert_null (error);
  assert_true (g_str_has_prefix (first, "$y$"));
  assert_null (strstr (first, "correct horse"));
  assert_string_not_equal (first, second);
}

static void
test_add_user_then_authenticate (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydUsers) users = NULL;
  g_autoptr(FerrydUser) alice = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  assert_true (ferryd_users_file_set_password (fixture->path, "alice", "s3cret", FALSE, &error));
  assert_true (ferryd_users_file_set_password (fixture->path, "bob", "hunter2", FALSE, &error));
  assert_null (error);

  /* never the password itself, and only the owner may read the hashes */
  assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  assert_null (strstr (contents, "s3cret"));
  assert_non_null (strstr (contents, "password=$y$"));
  assert_int_equal (g_stat (fixture->path, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0600);

  users = ferryd_users_load (fixture->path, FALSE, &error);
  assert_non_null (users);

  alice = ferryd_users_authenticate (users, "alice", "s3cret");
  assert_non_null (alice);
  assert_string_equal (alice->name, "alice");
  assert_false (alice->anonymous);
  assert_false (alice->write_enabled);
  assert_null (alice->root);

  assert_null (ferryd_users_authenticate (users, "alice", "s3cret "));
  assert_null (ferryd_users_authenticate (users, "alice", ""));
  assert_null (ferryd_users_authenticate (users, "alice", "hunter2"));
  assert_null (ferryd_users_authenticate (users, "mallory", "s3cret"));
  assert_null (ferryd_users_authenticate (users, "", "s3cret"));
  assert_null (ferryd_users_authenticate (NULL, "alice", "s3cret"));
}

static void
test_changing_a_password_keeps_the_rest (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydUsers) users = NULL;
  g_autoptr(FerrydUser) carol = NULL;
  g_autoptr(FerrydUser) dave = NULL;

  assert_true (g_file_set_contents (fixture->path,
                                    "# Ferry users\n"
                                    "[carol]\npassword=$y$j9T$x$y\nroot=/srv/carol\nwrite=true\n"
                                    "[dave]\npassword=!locked\n", -1, NULL));
  assert_true (ferryd_users_file_set_password (fixture->path, "carol", "new one", FALSE, &error));

  users = ferryd_users_load (fixture->path, FALSE, &error);
  assert_non_null (users);
  carol = ferryd_users_authenticate (users, "carol", "new one");
  assert_non_null (carol);
  assert_string_equal (carol->root, "/srv/carol");
  assert_true (carol->write_enabled);

  /* a locked hash never matches */
  dave = ferryd_users_authenticate (users, "dave", "!locked");
  assert_null (dave);
}

static void
test_default_write_applies (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydUsers) users = NULL;
  g_autoptr(FerrydUser) erin = NULL;

  assert_true (ferryd_users_file_set_password (fixture->path, "erin", "pw", FALSE, &error));
  users = ferryd_users_load (fixture->path, TRUE, &error);
  erin = ferryd_users_authenticate (users, "erin", "pw");
  assert_non_null (erin);
  assert_true (erin->write_enabled);
}

static void
test_bad_files_and_names (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;
  g_autoptr(GError) error4 = NULL;
  g_autoptr(FerrydUsers) users = NULL;
  g_autoptr(FerrydUsers) missing = NULL;

  assert_true (g_file_set_contents (fixture->path, "[frank]\nroot=/srv\n", -1, NULL));
  users = ferryd_users_load (fixture->path, FALSE, &error);
  assert_null (users);
  assert_true (g_error_matches (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID));
  assert_non_null (strstr (error->message, "frank"));

  missing = ferryd_users_load ("/nonexistent/users", FALSE, &error2);
  assert_null (missing);
  assert_non_null (error2);

  assert_false (ferryd_users_file_set_password (fixture->path, "bad name", "pw", FALSE, &error3));
  assert_false (ferryd_users_file_set_password (fixture->path, "grace", "", FALSE, &error4));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_hash_is_yescrypt_and_salted),
    cmocka_unit_test_setup_teardown (test_add_user_then_authenticate, setup, teardown),
    cmocka_unit_test_setup_teardown (test_changing_a_password_keeps_the_rest, setup, teardown),
    cmocka_unit_test_setup_teardown (test_default_write_applies, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_files_and_names, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
