// SPDX-License-Identifier: GPL-3.0-or-later
/* test-zygote.c — the zygote's single-thread check counts this process's threads, through
 * one /proc/self/stat descriptor opened beforehand. */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>
#include <glib.h>

#include "ferryd-zygote.h"

static gpointer
wait_for_release (gpointer user_data)
{
  GAsyncQueue *queue = user_data;

  g_async_queue_pop (queue);
  return NULL;
}

static void
test_counts_threads (void **state)
{
  g_autoptr(GAsyncQueue) queue = g_async_queue_new ();
  int stat_fd = open ("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  GThread *thread;

  assert_true (stat_fd >= 0);
  assert_int_equal (ferryd_zygote_count_threads (stat_fd), 1);

  thread = g_thread_new ("counted", wait_for_release, queue);
  assert_int_equal (ferryd_zygote_count_threads (stat_fd), 2);

  g_async_queue_push (queue, GINT_TO_POINTER (1));
  g_thread_join (thread);
  /* The kernel forgets a joined thread at once. */
  assert_int_equal (ferryd_zygote_count_threads (stat_fd), 1);
  close (stat_fd);
}

static void
test_unreadable_stat_counts_none (void **state)
{
  assert_int_equal (ferryd_zygote_count_threads (-1), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_counts_threads),
    cmocka_unit_test (test_unreadable_stat_counts_none),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
