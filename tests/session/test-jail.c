// SPDX-License-Identifier: GPL-3.0-or-later
/* test-jail.c — ferryd's jailed file system: whatever the path, only files beneath the root
 * open; symlinks leading out (to /etc, through "..", absolute ones) never do. */
#define _GNU_SOURCE   /* O_PATH */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ferry-vpath.h"
#include "ferryd-jail.h"

typedef struct
{
  char *root;      /* canonical path of the temp root */
  char *outside;   /* a sibling folder of the root with a secret in it */
} JailFixture;

static void
make_link (const char *target,
           const char *root,
           const char *name)
{
  g_autofree char *path = g_build_filename (root, name, NULL);

  assert_int_equal (symlink (target, path), 0);
}

static void
make_file (const char *root,
           const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (root, name, NULL);

  assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static int
setup (void **state)
{
  JailFixture *f = g_new0 (JailFixture, 1);
  g_autofree char *base = g_dir_make_tmp ("ferry-jail-XXXXXX", NULL);
  g_autofree char *real_base = realpath (base, NULL);
  g_autofree char *secret_link = NULL;

  f->root = g_build_filename (real_base, "root", NULL);
  f->outside = g_build_filename (real_base, "outside", NULL);
  assert_int_equal (g_mkdir (f->root, 0755), 0);
  assert_int_equal (g_mkdir (f->outside, 0755), 0);
  make_file (f->outside, "secret.txt", "secret");

  make_file (f->root, "a.txt", "a");
  make_file (f->root, ".hidden", "h");
  {
    g_autofree char *sub = g_build_filename (f->root, "sub", NULL);

    assert_int_equal (g_mkdir (sub, 0755), 0);
  }
  make_file (f->root, "sub/b.txt", "b");
  make_link (".hidden", f->root, "to-hidden");        /* visible name, hidden file */
  make_link ("/etc", f->root, "etc");                 /* out, absolute */
  make_link ("/", f->root, "slash");
  make_link ("../outside", f->root, "sibling");       /* out, relative */
  make_link ("sub", f->root, "inside");               /* stays inside */
  make_link ("../a.txt", f->root, "sub/up-a.txt");    /* up, but still inside */
  make_link ("../../outside/secret.txt", f->root, "sub/deep");
  secret_link = g_build_filename (f->root, "sub", NULL);
  make_link (secret_link, f->root, "absolute-inside"); /* absolute: refused even inside */
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  JailFixture *f = *state;
  g_autofree char *base = g_path_get_dirname (f->root);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", base);

  assert_int_equal (system (command), 0);
  g_free (f->root);
  g_free (f->outside);
  g_free (f);
  return 0;
}

/* Opens what a client would name (resolved against "/" as the server does) and checks the
 * descriptor, if any, lies beneath the root. Returns the fd's errno-style outcome. */
static int
client_open (FerrydJail  *jail,
             JailFixture *f,
             const char  *client_path)
{
  g_autofree char *vpath = ferry_vpath_resolve ("/", client_path, NULL);
  int fd, saved_errno;

  assert_non_null (vpath);
  fd = ferryd_jail_open (jail, vpath, O_RDONLY, 0);
  saved_errno = errno;
  if (fd >= 0)
    {
      g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
      g_autofree char *target = g_file_read_link (link, NULL);

      assert_non_null (target);
      assert_true (g_str_equal (target, f->root)
                   || (g_str_has_prefix (target, f->root) && target[strlen (f->root)] == '/'));
      close (fd);
      return 0;
    }
  return saved_errno;
}

static gboolean
have_openat2 (void)
{
  struct open_how how = { .flags = O_PATH, .resolve = RESOLVE_BENEATH };
  long fd = syscall (SYS_openat2, AT_FDCWD, ".", &how, sizeof how);

  if (fd >= 0)
    close ((int) fd);
  return fd >= 0 || errno != ENOSYS;
}

static void
test_paths_inside_open (void **state)
{
  JailFixture *f = *state;
  g_autoptr(FerrydJail) jail = ferryd_jail_new (f->root, FALSE, NULL);

  assert_non_null (jail);
  assert_int_equal (client_open (jail, f, "a.txt"), 0);
  assert_int_equal (client_open (jail, f, "/sub/b.txt"), 0);
  assert_int_equal (client_open (jail, f, "sub/../a.txt"), 0);
  assert_int_equal (client_open (jail, f, "/"), 0);
  /* Symlinks that stay inside are followed, where the kernel has openat2 (valgrind, for
   * one, does not: then the jail follows no symlink at all). */
  if (have_openat2 ())
    {
      assert_int_equal (client_open (jail, f, "inside/b.txt"), 0);
      assert_int_equal (client_open (jail, f, "sub/up-a.txt"), 0);
    }
}

static void
test_escapes_fail (void **state)
{
  JailFixture *f = *state;
  g_autoptr(FerrydJail) jail = ferryd_jail_new (f->root, FALSE, NULL);
  const char *attempts[] = {
    "../outside/secret.txt", "../../../../etc/passwd", "/etc/passwd", "etc/passwd", "etc",
    "slash/etc/passwd", "sibling/secret.txt", "sub/deep", "absolute-inside/b.txt",
    "/proc/self/root/etc/passwd", "..\\..\\etc\\passwd", "%2e%2e/%2e%2e/etc/passwd",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      int result = client_open (jail, f, attempts[i]);

      if (result == 0)
        fail_msg ("“%s” opened", attempts[i]);
    }
}

static void
test_raw_dot_dot_never_escapes (void **state)
{
  JailFixture *f = *state;
  /* Even a path that skipped normalisation, with dot-files shown, stays inside. */
  g_autoptr(FerrydJail) jail = ferryd_jail_new (f->root, TRUE, NULL);

  assert_true (ferryd_jail_open (jail, "/../outside/secret.txt", O_RDONLY, 0) < 0);
  assert_true (ferryd_jail_open (jail, "/sub/../../outside/secret.txt", O_RDONLY, 0) < 0);
  assert_true (ferryd_jail_open (jail, "relative", O_RDONLY, 0) < 0);
  assert_int_equal (errno, EINVAL);
}

static void
test_hidden_files (void **state)
{
  JailFixture *f = *state;
  g_autoptr(FerrydJail) hiding = ferryd_jail_new (f->root, FALSE, NULL);
  g_autoptr(FerrydJail) showing = ferryd_jail_new (f->root, TRUE, NULL);

  assert_int_equal (client_open (hiding, f, ".hidden"), ENOENT);
  assert_false (ferryd_jail_name_visible (hiding, ".hidden"));
  assert_false (ferryd_jail_path_visible (hiding, "/sub/.x/y"));
  assert_true (ferryd_jail_path_visible (hiding, "/sub/x.y"));
  assert_int_equal (client_open (showing, f, ".hidden"), 0);
  /* A visible symlink does not make a dot-file visible. */
  if (have_openat2 ())
    {
      assert_int_equal (client_open (hiding, f, "to-hidden"), ENOENT);
      assert_int_equal (client_open (showing, f, "to-hidden"), 0);
    }
}

static void
test_open_parent (void **state)
{
  JailFixture *f = *state;
  g_autoptr(FerrydJail) jail = ferryd_jail_new (f->root, FALSE, NULL);
  g_autofree char *name = NULL;
  int fd;

  assert_true (ferryd_jail_open_parent (jail, "/", &name) < 0);
  assert_int_equal (errno, EPERM);
  assert_true (ferryd_jail_open_parent (jail, "/etc/new-file", &name) < 0);
  assert_null (name);

  fd = ferryd_jail_open_parent (jail, "/sub/new-file", &name);
  assert_true (fd >= 0);
  assert_string_equal (name, "new-file");
  assert_int_equal (faccessat (fd, "b.txt", F_OK, 0), 0);
  close (fd);
}

static void
test_missing_root (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydJail) jail = ferryd_jail_new ("/nonexistent/ferry/root", FALSE, &error);

  assert_null (jail);
  assert_non_null (strstr (error->message, "/nonexistent/ferry/root"));
}

/* What the session zygote does: the root opened once, ahead of time, serves the first jail
 * on that root even after the path changed (proving no second open), and only that one. */
static void
test_preopened_root (void **state)
{
  JailFixture *f = *state;
  g_autofree char *moved = g_strconcat (f->root, ".moved", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydJail) jail = NULL;
  g_autoptr(FerrydJail) again = NULL;
  int fd;

  assert_true (ferryd_jail_preopen (f->root, &error));
  assert_int_equal (rename (f->root, moved), 0);

  jail = ferryd_jail_new (f->root, FALSE, &error);
  assert_non_null (jail);
  fd = ferryd_jail_open (jail, "/sub/b.txt", O_RDONLY, 0);
  assert_true (fd >= 0);
  close (fd);
  /* Paths through symlinks still open, and a dot-file behind a visible one does not. */
  fd = ferryd_jail_open (jail, "/inside/b.txt", O_RDONLY, 0);
  assert_true (fd >= 0);
  close (fd);
  if (have_openat2 ())
    {
      assert_true (ferryd_jail_open (jail, "/to-hidden", O_RDONLY, 0) < 0);
      assert_int_equal (errno, ENOENT);
    }

  /* Taken: the next jail opens the path itself, which is gone now. */
  again = ferryd_jail_new (f->root, FALSE, &error);
  assert_null (again);
  assert_int_equal (rename (moved, f->root), 0);
}

static void
test_preopened_root_other_jail (void **state)
{
  JailFixture *f = *state;
  g_autofree char *sub = g_build_filename (f->root, "sub", NULL);
  g_autofree char *moved = g_strconcat (f->root, ".moved", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrydJail) user_jail = NULL;
  g_autoptr(FerrydJail) root_jail = NULL;
  int fd;

  assert_true (ferryd_jail_preopen (f->root, &error));
  user_jail = ferryd_jail_new (sub, FALSE, &error);
  assert_non_null (user_jail);
  fd = ferryd_jail_open (user_jail, "/b.txt", O_RDONLY, 0);
  assert_true (fd >= 0);
  close (fd);

  /* A session jailed elsewhere does not keep the served root: it was closed. */
  assert_int_equal (rename (f->root, moved), 0);
  root_jail = ferryd_jail_new (f->root, FALSE, &error);
  assert_null (root_jail);
  assert_int_equal (rename (moved, f->root), 0);
}

static void
test_preopen_missing_root (void **state)
{
  g_autoptr(GError) error = NULL;

  assert_false (ferryd_jail_preopen ("/nonexistent/ferry/root", &error));
  assert_non_null (strstr (error->message, "/nonexistent/ferry/root"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_paths_inside_open, setup, teardown),
    cmocka_unit_test_setup_teardown (test_escapes_fail, setup, teardown),
    cmocka_unit_test_setup_teardown (test_raw_dot_dot_never_escapes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hidden_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_open_parent, setup, teardown),
    cmocka_unit_test (test_missing_root),
    cmocka_unit_test_setup_teardown (test_preopened_root, setup, teardown),
    cmocka_unit_test_setup_teardown (test_preopened_root_other_jail, setup, teardown),
    cmocka_unit_test (test_preopen_missing_root),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
