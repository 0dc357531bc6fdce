// SPDX-License-Identifier: GPL-3.0-or-later
/* test-config.c — ferryd's settings: defaults, config-file keys, the command line winning,
 * and the checks on bad values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "ferryd-announce.h"
#include "ferryd-config.h"
#include "ferryd-options.h"

typedef struct {
  char *folder;        /* a temporary folder to serve */
  char *config_path;   /* a config file inside it */
} Fixture;

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->folder = g_dir_make_tmp ("ferryd-config-XXXXXX", NULL);
  assert_non_null (fixture->folder);
  fixture->config_path = g_build_filename (fixture->folder, "ferryd.conf", NULL);
  *state = fixture;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fixture = *state;

  g_unlink (fixture->config_path);
  g_rmdir (fixture->folder);
  g_free (fixture->config_path);
  g_free (fixture->folder);
  g_free (fixture);
  return 0;
}

static void
write_config (Fixture    *fixture,
              const char *text)
{
  assert_true (g_file_set_contents (fixture->config_path, text, -1, NULL));
}

/* Parses argv (NULL-terminated, without the program name) and loads the configuration. */
static FerrydConfig *
load (GError **error,
      ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(FerrydOptions) options = NULL;
  va_list ap;
  char **argv;
  int argc;
  FerrydConfig *config;

  g_ptr_array_add (args, g_strdup ("ferryd"));
  va_start (ap, error);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);

  /* g_option_context_parse rearranges argv: hand it a copy that it may reorder. */
  argc = args->len;
  argv = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    argv[i] = g_ptr_array_index (args, i);

  options = ferryd_options_parse (&argc, &argv, error);
  config = options != NULL ? ferryd_options_load_config (options, error) : NULL;
  g_free (argv);
  return config;
}

static void
test_defaults (void **state)
{
  g_autoptr(FerrydConfig) config = ferryd_config_new_defaults ();

  assert_int_equal (config->port, 2121);
  assert_true (config->anonymous_enabled);
  assert_false (config->write_enabled);
  assert_false (config->show_hidden);
  assert_int_equal (config->max_clients, 200);
  assert_int_equal (config->max_per_ip, 50);
  assert_int_equal (config->idle_timeout, 300);
  assert_null (config->root);
  assert_null (config->users_file);
}

static void
test_root_defaults_to_current_folder (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = g_get_current_dir ();
  g_autofree char *expected = realpath (fixture->folder, NULL);
  g_autoptr(FerrydConfig) config = NULL;

  assert_int_equal (g_chdir (fixture->folder), 0);
  config = load (&error, NULL);
  assert_int_equal (g_chdir (saved), 0);

  assert_null (error);
  assert_non_null (config);
  assert_string_equal (config->root, expected);
}

static void
test_config_file_keys (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) config = NULL;
  g_autofree char *text = g_strdup_printf (
    "# comments are fine\n"
    "[ferryd]\n"
    "root=%s\n"
    "port=2200\n"
    "bind=127.0.0.1\n"
    "write=true\n"
    "anonymous=false\n"
    "show-hidden=true\n"
    "max-clients=7\n"
    "max-per-ip=3\n"
    "idle-timeout=42\n"
    "passive-ports=50000-50100\n"
    "passive-address=192.0.2.7\n"
    "run-as=nobody\n"
    "verbose=true\n", fixture->folder);

  write_config (fixture, text);
  config = load (&error, "--config", fixture->config_path, NULL);
  assert_null (error);
  assert_non_null (config);

  assert_int_equal (config->port, 2200);
  assert_string_equal (config->bind_address, "127.0.0.1");
  assert_true (config->write_enabled);
  assert_false (config->anonymous_enabled);
  assert_true (config->show_hidden);
  assert_int_equal (config->max_clients, 7);
  assert_int_equal (config->max_per_ip, 3);
  assert_int_equal (config->idle_timeout, 42);
  assert_int_equal (config->passive_port_min, 50000);
  assert_int_equal (config->passive_port_max, 50100);
  assert_string_equal (config->passive_address, "192.0.2.7");
  assert_string_equal (config->run_as, "nobody");
  assert_true (config->verbose);
  assert_string_equal (config->config_file, fixture->config_path);
}

static void
test_command_line_wins (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) config = NULL;
  g_autofree char *text = g_strdup_printf ("[ferryd]\nroot=/nonexistent\nport=2200\n"
                                           "max-clients=7\nbind=127.0.0.2\n");

  write_config (fixture, text);
  config = load (&error, "--config", fixture->config_path, "--root", fixture->folder,
                 "--port", "0", "--max-clients", "9", "--bind", "::1", "--write", NULL);
  assert_null (error);
  assert_non_null (config);
  assert_int_equal (config->port, 0);
  assert_int_equal (config->max_clients, 9);
  assert_string_equal (config->bind_address, "::1");
  assert_true (config->write_enabled);
  /* what the command line did not mention still comes from the file */
  assert_int_equal (config->max_per_ip, 50);
}

static void
test_bad_values_are_refused (void **state)
{
  Fixture *fixture = *state;
  const char *bad[][2] = {
    { "--port", "65536" },
    { "--port", "http" },
    { "--max-clients", "0" },
    { "--max-per-ip", "-1" },
    { "--idle-timeout", "soon" },
    { "--passive-ports", "50100-50000" },
    { "--passive-ports", "80-90" },
    { "--passive-address", "::1" },
    { "--bind", "localhost:21" },
    { "--name", "a name much longer than one DNS label can carry, sixty-three bytes" },
    { "--tls-min-version", "1.4" },
    { "--data-timeout", "86401" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FerrydConfig) config = load (&error, "--root", fixture->folder,
                                             bad[i][0], bad[i][1], NULL);
      assert_null (config);
      assert_non_null (error);
      assert_true (g_error_matches (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID));
      /* the message names the setting so the user knows what to fix */
      assert_non_null (strstr (error->message, bad[i][0] + 2));
    }
}

static void
test_unknown_key_and_missing_group (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(FerrydConfig) config = NULL;
  g_autoptr(FerrydConfig) config2 = NULL;

  write_config (fixture, "[ferryd]\nprot=21\n");
  config = load (&error, "--config", fixture->config_path, "--root", fixture->folder, NULL);
  assert_null (config);
  assert_true (g_error_matches (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID));
  assert_non_null (strstr (error->message, "prot"));

  write_config (fixture, "[server]\nport=21\n");
  config2 = load (&error2, "--config", fixture->config_path, "--root", fixture->folder, NULL);
  assert_null (config2);
  assert_true (g_error_matches (error2, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE));
}

static void
test_missing_root (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) config = load (&error, "--root", "/nonexistent/ferry", NULL);

  assert_null (config);
  assert_true (g_error_matches (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_ROOT));
}

static void
test_tls_needs_both_files (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(FerrydConfig) config = NULL;
  g_autoptr(FerrydConfig) config2 = NULL;

  config = load (&error, "--root", fixture->folder, "--tls-cert", fixture->config_path, NULL);
  assert_null (config);
  assert_true (g_error_matches (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID));

  config2 = load (&error2, "--root", fixture->folder, "--require-tls", NULL);
  assert_null (config2);
  assert_true (g_error_matches (error2, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID));
}

static void
test_round_trip_through_key_file (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) config = NULL;
  g_autoptr(FerrydConfig) copy = ferryd_config_new_defaults ();
  g_autoptr(GKeyFile) key_file = NULL;

  write_config (fixture, "");
  config = load (&error, "--root", fixture->folder, "--write", "--passive-ports",
                 "40000-40010", "--max-per-ip", "5", "--users", fixture->config_path,
                 "--show-hidden", "--no-announce", "--data-timeout", "7", "--name", "Shared",
                 "--passive-address", "192.0.2.9", NULL);
  assert_non_null (config);

  key_file = ferryd_config_to_key_file (config);
  assert_true (ferryd_config_apply_key_file (copy, key_file, "test", &error));
  assert_string_equal (copy->root, config->root);
  assert_string_equal (copy->users_file, config->users_file);
  assert_true (copy->write_enabled);
  assert_int_equal (copy->passive_port_min, 40000);
  assert_int_equal (copy->passive_port_max, 40010);
  assert_int_equal (copy->max_per_ip, 5);
  assert_int_equal (copy->port, config->port);
  /* Every setting comes back, whichever way ferryd-config.c stores it. */
  assert_true (copy->show_hidden);
  assert_false (copy->announce);
  assert_false (copy->anonymous_enabled);
  assert_int_equal (copy->data_timeout, 7);
  assert_int_equal (copy->idle_timeout, FERRYD_DEFAULT_IDLE_TIMEOUT);
  assert_int_equal (copy->max_clients, FERRYD_DEFAULT_MAX_CLIENTS);
  assert_string_equal (copy->name, "Shared");
  assert_string_equal (copy->passive_address, "192.0.2.9");
  assert_null (copy->tls_cert_file);
  assert_true (copy->hash_max_size == config->hash_max_size);
}

static void
test_users_file_turns_anonymous_off_unless_asked (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) plain = NULL;
  g_autoptr(FerrydConfig) with_users = NULL;
  g_autoptr(FerrydConfig) with_both = NULL;

  write_config (fixture, "");
  plain = load (&error, "--root", fixture->folder, NULL);
  with_users = load (&error, "--root", fixture->folder, "--users", fixture->config_path, NULL);
  with_both = load (&error, "--root", fixture->folder, "--users", fixture->config_path,
                    "--anonymous", NULL);
  assert_null (error);
  assert_true (plain->anonymous_enabled);
  assert_false (with_users->anonymous_enabled);
  assert_true (with_both->anonymous_enabled);
}

/* The LAN announcement: on by default, off with --no-announce or announce=false; the name
 * from either place, the command line winning. */
static void
test_announce_settings (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) plain = load (&error, "--root", fixture->folder, NULL);
  g_autoptr(FerrydConfig) quiet = NULL;
  g_autoptr(FerrydConfig) from_file = NULL;
  g_autoptr(FerrydConfig) overridden = NULL;

  assert_non_null (plain);
  assert_true (plain->announce);
  assert_null (plain->name);

  quiet = load (&error, "--root", fixture->folder, "--no-announce", NULL);
  assert_non_null (quiet);
  assert_false (quiet->announce);

  write_config (fixture, "[ferryd]\nannounce=false\nname=Photos upstairs\n");
  from_file = load (&error, "--root", fixture->folder, "--config", fixture->config_path, NULL);
  assert_non_null (from_file);
  assert_false (from_file->announce);
  assert_string_equal (from_file->name, "Photos upstairs");

  overridden = load (&error, "--root", fixture->folder, "--config", fixture->config_path,
                     "--name", "Kitchen", NULL);
  assert_non_null (overridden);
  assert_string_equal (overridden->name, "Kitchen");
}

static void
test_default_announced_name (void **state)
{
  g_autofree char *plain = ferryd_announce_default_name ("/srv/photos", "nas");
  g_autofree char *top = ferryd_announce_default_name ("/", "nas");
  g_autofree char *cut = ferryd_announce_default_name ("/srv/ééééééééééééééééééééééééééééééé",
                                                       "host");

  assert_string_equal (plain, "photos on nas");
  assert_string_equal (top, "ftp on nas");
  /* 63 bytes at most, cut between characters */
  assert_true (strlen (cut) <= 63);
  assert_true (g_utf8_validate (cut, -1, NULL));
}

static void
test_stray_argument (void **state)
{
  Fixture *fixture = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydConfig) config = load (&error, fixture->folder, NULL);

  assert_null (config);
  assert_non_null (error);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_defaults),
    cmocka_unit_test_setup_teardown (test_root_defaults_to_current_folder, setup, teardown),
    cmocka_unit_test_setup_teardown (test_config_file_keys, setup, teardown),
    cmocka_unit_test_setup_teardown (test_command_line_wins, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_values_are_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unknown_key_and_missing_group, setup, teardown),
    cmocka_unit_test (test_missing_root),
    cmocka_unit_test_setup_teardown (test_tls_needs_both_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_round_trip_through_key_file, setup, teardown),
    cmocka_unit_test_setup_teardown (test_users_file_turns_anonymous_off_unless_asked,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (test_stray_argument, setup, teardown),
    cmocka_unit_test_setup_teardown (test_announce_settings, setup, teardown),
    cmocka_unit_test (test_default_announced_name),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
