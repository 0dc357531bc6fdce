// SPDX-License-Identifier: GPL-3.0-or-later
/* test-vpath.c — virtual paths and untrusted names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

static void
assert_resolves (const char *cwd,
                 const char *path,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = ferry_vpath_resolve (cwd, path, &error);

  assert_null (error);
  assert_non_null (resolved);
  assert_string_equal (resolved, expected);
}

static void
test_resolve (void **state)
{
  assert_resolves ("/", "a/./b/../c", "/a/c");
  assert_resolves ("/", "", "/");
  assert_resolves ("/", NULL, "/");
  assert_resolves ("/home", NULL, "/home");
  assert_resolves ("/home", "", "/home");
  assert_resolves ("/", ".", "/");
  assert_resolves ("/", "..", "/");
  assert_resolves ("/", "/../..", "/");
  assert_resolves ("/a/b", "../../../../etc/passwd", "/etc/passwd");
  assert_resolves ("/a/b", "c", "/a/b/c");
  assert_resolves ("/a/b", "/c", "/c");
  assert_resolves ("/a/b", "c/", "/a/b/c");
  assert_resolves ("/a/b", "..", "/a");
  assert_resolves ("/a/b", "../..", "/");
  assert_resolves ("/a", "//x///y//", "/x/y");
  assert_resolves ("/", "...", "/...");
  assert_resolves ("/", "..a/a..", "/..a/a..");
  assert_resolves ("/", ".hidden/./.", "/.hidden");
  assert_resolves ("/", "name with spaces/ x ", "/name with spaces/ x ");
  assert_resolves ("/", "a;b/c\\d", "/a;b/c\\d");
  assert_resolves ("/", "\xc3\x28/\xff", "/\xc3\x28/\xff");
  assert_resolves ("/", "   ", "/   ");
  assert_resolves (NULL, "x", "/x");
  /* A cwd that is not normalised is normalised too. */
  assert_resolves ("/a/../b/", "c", "/b/c");
}

static void
test_resolve_length (void **state)
{
  g_autoptr(GString) path = g_string_new ("/");
  g_autoptr(GError) error = NULL;
  g_autofree char *fits = NULL, *too_long = NULL, *collapsed = NULL;

  while (path->len < FERRY_VPATH_MAX)
    g_string_append_c (path, 'a');
  fits = ferry_vpath_resolve ("/", path->str, NULL);
  assert_non_null (fits);
  assert_int_equal (strlen (fits), FERRY_VPATH_MAX);

  g_string_append_c (path, 'a');
  too_long = ferry_vpath_resolve ("/", path->str, &error);
  assert_null (too_long);
  assert_int_equal (error->code, FERRY_PROTOCOL_ERROR_INVALID_NAME);

  /* 10 MB of segments that cancel out are fine and take linear time. */
  g_string_assign (path, "");
  for (guint i = 0; i < 1000000; i++)
    g_string_append (path, "a/");
  for (guint i = 0; i < 1000000; i++)
    g_string_append (path, "../");
  g_string_append (path, "end");
  collapsed = ferry_vpath_resolve ("/x", path->str, NULL);
  assert_string_equal (collapsed, "/x/end");
}

static void
test_relative (void **state)
{
  assert_string_equal (ferry_vpath_relative ("/"), ".");
  assert_string_equal (ferry_vpath_relative ("/a/b"), "a/b");
  assert_string_equal (ferry_vpath_relative ("/a"), "a");
}

static void
test_basename_dirname (void **state)
{
  static const char *cases[][3] = {
    { "/", "/", "/" },
    { "/a", "a", "/" },
    { "/a/b", "b", "/a" },
    { "/a/b c/d;e", "d;e", "/a/b c" },
    { "/.hidden", ".hidden", "/" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *base = ferry_vpath_basename (cases[i][0]);
      g_autofree char *dir = ferry_vpath_dirname (cases[i][0]);

      assert_string_equal (base, cases[i][1]);
      assert_string_equal (dir, cases[i][2]);
    }
}

static void
test_join (void **state)
{
  static const struct { const char *folder, *name, *joined; } cases[] = {
    { "/", "a", "/a" },
    { "/pub", "a b.txt", "/pub/a b.txt" },
    { "/pub/", "x", "/pub/x" },
    { "/a", "..", "/a/.." },          /* kept as sent: a name is not a path to normalise */
    { "/a", ".hidden", "/a/.hidden" },
    { "relative", "x", "relative/x" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *joined = ferry_vpath_join (cases[i].folder, cases[i].name);

      assert_string_equal (joined, cases[i].joined);
    }
}

static void
test_hidden (void **state)
{
  assert_true (ferry_name_is_hidden (".bashrc"));
  assert_true (ferry_name_is_hidden ("."));
  assert_true (ferry_name_is_hidden (".."));
  assert_false (ferry_name_is_hidden ("a.txt"));
  assert_false (ferry_name_is_hidden (" .x"));
  assert_false (ferry_name_is_hidden (""));
}

static void
test_listable (void **state)
{
  assert_true (ferry_name_is_listable ("a b;c.txt"));
  assert_true (ferry_name_is_listable ("\xff\t"));
  assert_true (ferry_name_is_listable (""));
  assert_false (ferry_name_is_listable ("a\r\n226 fake"));
  assert_false (ferry_name_is_listable ("a\nb"));
  assert_false (ferry_name_is_listable ("trailing\r"));
}

static void
assert_unsafe (const char *name)
{
  g_autoptr(GError) error = NULL;

  assert_false (ferry_name_is_safe_local (name, &error));
  assert_non_null (error);
  assert_int_equal (error->code, FERRY_PROTOCOL_ERROR_INVALID_NAME);
  assert_true (strlen (error->message) > 10);
}

static void
test_safe_local (void **state)
{
  assert_true (ferry_name_is_safe_local ("report.pdf", NULL));
  assert_true (ferry_name_is_safe_local ("name with spaces ; and semicolons", NULL));
  assert_true (ferry_name_is_safe_local ("...", NULL));
  assert_true (ferry_name_is_safe_local (".hidden", NULL));
  assert_true (ferry_name_is_safe_local ("日本語.txt", NULL));
  assert_true (ferry_name_is_safe_local (" ", NULL));

  assert_unsafe ("");
  assert_unsafe (".");
  assert_unsafe ("..");
  assert_unsafe ("a/b");
  assert_unsafe ("/etc");
  assert_unsafe ("../x");
  assert_unsafe ("a\\b");
  assert_unsafe ("..\\..\\x");
  assert_unsafe ("a\nb");
  assert_unsafe ("a\rb");
  assert_unsafe ("tab\t");
  assert_unsafe ("\x01");
  assert_unsafe ("del\x7f");
  assert_unsafe ("\xc3\x28");
  assert_unsafe ("\xff");
  assert_unsafe ("\xed\xa0\x80");   /* a UTF-16 surrogate */
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_resolve),
    cmocka_unit_test (test_resolve_length),
    cmocka_unit_test (test_relative),
    cmocka_unit_test (test_basename_dirname),
    cmocka_unit_test (test_join),
    cmocka_unit_test (test_hidden),
    cmocka_unit_test (test_listable),
    cmocka_unit_test (test_safe_local),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
