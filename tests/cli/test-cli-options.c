// SPDX-License-Identifier: GPL-3.0-or-later
/* test-cli-options.c — ferry-cli's command line: modes, operands and the errors. */
#define G_LOG_DOMAIN "ferry-cli-test"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ferry-cli-options.h"

static FerryCliOptions *
parse (const char  *command_line,
       GError     **error)
{
  g_auto(GStrv) argv = NULL;

  g_assert_true (g_shell_parse_argv (command_line, NULL, &argv, NULL));
  return ferry_cli_options_parse (&argv, error);
}

static void
test_prompt_mode (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCliOptions) options = NULL;

  options = parse ("ferry-cli --user alice --tls ftp://host/pub", &error);

  assert_null (error);
  assert_int_equal (options->mode, FERRY_CLI_MODE_PROMPT);
  assert_string_equal (options->url, "ftp://host/pub");
  assert_string_equal (options->user, "alice");
  assert_true (options->tls);
  assert_false (options->recursive);
  assert_int_equal (g_strv_length (options->local_paths), 0);
}

static void
test_one_shot_modes (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryCliOptions) ls = parse ("ferry-cli ls -a ftp://h/", &error);
  g_autoptr(FerryCliOptions) get = parse ("ferry-cli -r get ftp://h/dir out", &error);
  g_autoptr(FerryCliOptions) put = parse ("ferry-cli put -q a b 'c d' ftp://h/up/", &error);

  assert_null (error);
  assert_int_equal (ls->mode, FERRY_CLI_MODE_LS);
  assert_true (ls->show_all);
  assert_int_equal (get->mode, FERRY_CLI_MODE_GET);
  assert_true (get->recursive);
  assert_string_equal (get->url, "ftp://h/dir");
  assert_string_equal (get->local_paths[0], "out");
  assert_int_equal (put->mode, FERRY_CLI_MODE_PUT);
  assert_true (put->quiet);
  assert_string_equal (put->url, "ftp://h/up/");
  assert_int_equal (g_strv_length (put->local_paths), 3);
  assert_string_equal (put->local_paths[2], "c d");
}

static void
test_wrong_command_lines (void **state)
{
  const char *wrong[] = {
    "ferry-cli",
    "ferry-cli ls",
    "ferry-cli ls ftp://a/ ftp://b/",
    "ferry-cli get",
    "ferry-cli get ftp://a/x b c",
    "ferry-cli put ftp://a/",
    "ferry-cli fetch ftp://a/ b",
    "ferry-cli --no-such-option ftp://a/",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FerryCliOptions) options = parse (wrong[i], &error);

      assert_null (options);
      assert_non_null (error);
      assert_true (error->domain == G_OPTION_ERROR);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_prompt_mode),
    cmocka_unit_test (test_one_shot_modes),
    cmocka_unit_test (test_wrong_command_lines),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
