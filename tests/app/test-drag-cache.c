// SPDX-License-Identifier: GPL-3.0-or-later
/* test-drag-cache.c — the folders that dragged-out files are downloaded into go again:
 * at start-up those older than a day, and after a drop the drop's own folder. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>

#include "ferry-app-test-utils.h"
#include "ferry-drag-cache.h"

typedef struct {
  gboolean done;
  guint    removed;
  GError  *error;
} Pruned;

static void
on_pruned (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pruned *pruned = user_data;

  pruned->removed = ferry_drag_cache_prune_finish (result, &pruned->error);
  pruned->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Pruned *) data)->done;
}

static gboolean
is_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

/* A drag folder holding a file and a sub-folder, last changed age ago. */
static GFile *
make_drag_folder (GTimeSpan age)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = ferry_drag_cache_new_folder (&error);
  g_autofree char *inner = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GFileInfo) info = g_file_info_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = NULL;

  assert_non_null (folder);
  inner = g_build_filename (g_file_peek_path (folder), "photos", NULL);
  file = g_build_filename (inner, "beach.jpg", NULL);
  assert_int_equal (g_mkdir (inner, 0700), 0);
  assert_true (g_file_set_contents (file, "\xff\xd8\xff", 3, NULL));

  when = g_date_time_add (now, -age);
  g_file_info_set_modification_date_time (info, when);
  assert_true (g_file_set_attributes_from_info (folder, info, G_FILE_QUERY_INFO_NONE,
                                                NULL, &error));
  return g_steal_pointer (&folder);
}

static void
test_prune_removes_only_old_folders (void **state)
{
  g_autoptr(GFile) old = make_drag_folder (2 * G_TIME_SPAN_DAY);
  g_autoptr(GFile) recent = make_drag_folder (G_TIME_SPAN_HOUR);
  Pruned pruned = { 0 };

  ferry_drag_cache_prune_async (FERRY_DRAG_CACHE_MAX_AGE, NULL, on_pruned, &pruned);
  assert_true (ferry_test_wait_for (is_done, &pruned, 10000));
  assert_null (pruned.error);
  assert_int_equal (pruned.removed, 1);
  assert_false (g_file_query_exists (old, NULL));
  assert_true (g_file_query_exists (recent, NULL));
}

static void
test_prune_without_a_cache_folder (void **state)
{
  g_autofree char *dir = ferry_drag_cache_dir ();
  Pruned pruned = { 0 };

  ferry_test_rm_rf (dir);
  ferry_drag_cache_prune_async (FERRY_DRAG_CACHE_MAX_AGE, NULL, on_pruned, &pruned);
  assert_true (ferry_test_wait_for (is_done, &pruned, 10000));
  assert_null (pruned.error);
  assert_int_equal (pruned.removed, 0);
}

static void
test_remove_later_removes_the_folder (void **state)
{
  g_autoptr(GFile) folder = make_drag_folder (0);
  g_autofree char *path = g_file_get_path (folder);

  ferry_drag_cache_remove_later (folder, 0);
  assert_true (ferry_test_wait_for (is_gone, path, 10000));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_prune_removes_only_old_folders),
    cmocka_unit_test (test_prune_without_a_cache_folder),
    cmocka_unit_test (test_remove_later_removes_the_folder),
  };
  g_autofree char *cache = ferry_test_make_tmpdir ("drag-cache-test");
  int failed;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  failed = cmocka_run_group_tests (tests, NULL, NULL);
  ferry_test_rm_rf (cache);
  return failed;
}
