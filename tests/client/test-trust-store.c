// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for FerryTrustStore and the local-folder helpers (numbered names, refusing
 * symbolic links), without a network. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "ferry-client.h"
#include "ferry-local-folder.h"

/* A fresh self-signed certificate (NULL when openssl is missing: the test skips). */
static GTlsCertificate *
load_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ferry-cert-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *command = g_strdup_printf ("openssl req -x509 -newkey ec "
                                              "-pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                                              "-subj /CN=localhost -days 1 -keyout %s -out %s",
                                              key, cert);
  GTlsCertificate *certificate;
  int status = 0;

  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, NULL) || status != 0)
    return NULL;
  certificate = g_tls_certificate_new_from_file (cert, &error);
  g_unlink (key);
  g_unlink (cert);
  g_rmdir (dir);
  return certificate;
}

static void
test_trust_store_round_trip (void **state)
{
  g_autoptr(GTlsCertificate) certificate = load_certificate ();
  g_autofree char *dir = g_dir_make_tmp ("ferry-trust-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "trusted", NULL);
  g_autoptr(FerryTrustStore) store = ferry_trust_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  if (certificate == NULL)
    skip ();
  assert_false (ferry_trust_store_is_trusted (store, "h", 21, certificate));
  assert_true (ferry_trust_store_add (store, "h", 21, certificate, &error));
  assert_true (ferry_trust_store_is_trusted (store, "h", 21, certificate));
  /* Per host:port: another port or host is not trusted. */
  assert_false (ferry_trust_store_is_trusted (store, "h", 2121, certificate));
  assert_false (ferry_trust_store_is_trusted (store, "other", 21, certificate));

  fingerprint = ferry_certificate_fingerprint (certificate);
  assert_int_equal (strlen (fingerprint), 32 * 3 - 1);
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_non_null (strstr (contents, fingerprint));
  assert_int_equal (g_stat (path, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0600);

  g_unlink (path);
  g_autofree char *sub = g_path_get_dirname (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

/* Unknown, matches, changed: a different certificate for a remembered host:port is not
 * "unknown" (which a UI would ask about as a first visit) but CHANGED, with the old
 * fingerprint; forgetting makes it unknown again. */
static void
test_trust_store_states (void **state)
{
  g_autoptr(GTlsCertificate) first = load_certificate ();
  g_autoptr(GTlsCertificate) second = load_certificate ();
  g_autofree char *dir = g_dir_make_tmp ("ferry-trust-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trusted", NULL);
  g_autoptr(FerryTrustStore) store = ferry_trust_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *first_print = NULL;
  g_autofree char *pinned = NULL;
  g_autofree char *ipv6 = NULL;

  if (first == NULL || second == NULL)
    skip ();
  first_print = ferry_certificate_fingerprint (first);

  assert_int_equal (ferry_trust_store_lookup (store, "h", 21, first, &pinned), FERRY_TRUST_UNKNOWN);
  assert_null (pinned);
  assert_true (ferry_trust_store_add (store, "h", 21, first, &error));
  assert_true (ferry_trust_store_add (store, "other", 21, second, &error));
  assert_int_equal (ferry_trust_store_lookup (store, "h", 21, first, &pinned), FERRY_TRUST_MATCHES);
  assert_null (pinned);
  assert_int_equal (ferry_trust_store_lookup (store, "h", 21, second, &pinned),
                    FERRY_TRUST_CHANGED);
  assert_string_equal (pinned, first_print);
  assert_false (ferry_trust_store_is_trusted (store, "h", 21, second));
  g_clear_pointer (&pinned, g_free);
  /* Another port is another server. */
  assert_int_equal (ferry_trust_store_lookup (store, "h", 990, second, NULL), FERRY_TRUST_UNKNOWN);

  assert_true (ferry_trust_store_forget (store, "h", 21, &error));
  assert_int_equal (ferry_trust_store_lookup (store, "h", 21, second, &pinned),
                    FERRY_TRUST_UNKNOWN);
  /* The other host's pin is kept; forgetting twice says there is nothing. */
  assert_int_equal (ferry_trust_store_lookup (store, "other", 21, second, NULL),
                    FERRY_TRUST_MATCHES);
  assert_false (ferry_trust_store_forget (store, "h", 21, &error));
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));

  ipv6 = ferry_trust_store_name ("::1", 21);
  assert_string_equal (ipv6, "[::1]:21");

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_numbered_names (void **state)
{
  g_autofree char *a = ferry_numbered_name ("photo.jpg", 1);
  g_autofree char *b = ferry_numbered_name ("README", 2);
  g_autofree char *c = ferry_numbered_name (".bashrc", 3);

  assert_string_equal (a, "photo (1).jpg");
  assert_string_equal (b, "README (2)");
  assert_string_equal (c, ".bashrc (3)");
}

static void
test_local_folder_refuses_links (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("ferry-local-XXXXXX", NULL);
  g_autofree char *outside = g_dir_make_tmp ("ferry-outside-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autofree char *file_link = g_build_filename (dir, "f.part", NULL);
  g_autofree char *victim = g_build_filename (outside, "victim", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *free_name = NULL;
  int fd, child;

  assert_int_equal (symlink (outside, link), 0);
  assert_int_equal (symlink (victim, file_link), 0);
  fd = ferry_local_folder_open (folder, &error);
  assert_true (fd >= 0);

  child = ferry_local_folder_open_child (fd, "link", &error);
  assert_int_equal (child, -1);
  assert_non_null (error);
  g_clear_error (&error);

  child = ferry_local_folder_open_for_writing (fd, "f.part", FALSE, &error);
  assert_int_equal (child, -1);
  assert_true (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME));
  g_clear_error (&error);
  assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));

  child = ferry_local_folder_open_path (fd, "a/b", &error);
  assert_true (child >= 0);
  close (child);
  assert_true (ferry_local_folder_has_child (fd, "link"));
  assert_int_equal (ferry_local_folder_regular_size (fd, "link"), -1);

  free_name = ferry_local_folder_free_name (fd, "f");
  assert_string_equal (free_name, "f (1)");
  close (fd);

  g_unlink (link);
  g_unlink (file_link);
  g_autofree char *b = g_build_filename (dir, "a", "b", NULL);
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_rmdir (b);
  g_rmdir (a);
  g_rmdir (dir);
  g_rmdir (outside);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_trust_store_round_trip),
    cmocka_unit_test (test_trust_store_states),
    cmocka_unit_test (test_numbered_names),
    cmocka_unit_test (test_local_folder_refuses_links),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
