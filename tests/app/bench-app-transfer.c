// SPDX-License-Identifier: GPL-3.0-or-later
/* bench-app-transfer.c — bench/run's "app" row: one big download and one big upload through
 * a real FerryWindow, driven by its actions (win.connect, win.download-to, win.upload), with
 * the main loop's longest stall measured meanwhile.
 *
 *   bench-app-transfer URL REMOTE_FILE LOCAL_FOLDER UPLOAD_FILE SERVER_ROOT
 *
 * URL is ftp://user:password@host:port/ with write access; REMOTE_FILE is downloaded into
 * LOCAL_FOLDER, then UPLOAD_FILE is uploaded into the server's root folder (SERVER_ROOT on
 * this machine, to check its size). Prints one line per direction:
 *   download BYTES SECONDS STALL_MS
 *   upload BYTES SECONDS STALL_MS
 * Folders work too (the folder batch row): REMOTE_FILE and UPLOAD_FILE are then folders,
 * BYTES is printed as 0 and the caller counts the files it finds. 
 * SECONDS runs from the action to the queue's last transfer ending; STALL_MS is the largest
 * delay of a 10 ms GLib timeout over the whole transfer: how long the window could not draw
 * or react. bench/ferrybench/appbig.py runs it under Xvfb (tests/app/ferryapptest.py). */
#define G_LOG_DOMAIN "ferry-bench"

#include "ferry-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "ferry-app-test-utils.h"
#include "ferry-window-private.h"

typedef struct {
  gint64 last;
  gint64 worst;
} Stalls;

static gboolean
tick (gpointer data)
{
  Stalls *stalls = data;
  gint64 now = g_get_monotonic_time ();

  stalls->worst = MAX (stalls->worst, now - stalls->last - 10 * G_TIME_SPAN_MILLISECOND);
  stalls->last = now;
  return G_SOURCE_CONTINUE;
}

/* Browsing, and done animating into the browse page: the crossfade from the connect page
 * redraws the whole window each frame (50–90 ms a frame with the cairo renderer on a busy
 * machine), which is the page change's cost, not the transfer's. */
static gboolean
window_is_browsing (gpointer data)
{
  FerryWindow *window = data;

  return window->current_path != NULL && !window->loading &&
         g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "browse") == 0 &&
         !gtk_stack_get_transition_running (window->main_stack);
}

typedef struct {
  FerryWindow *window;
  guint        items;   /* the queue's length once this transfer is in it */
} QueueWait;

static gboolean
queue_is_done (gpointer data)
{
  QueueWait *wait = data;
  FerryWindow *window = wait->window;

  return window->queue != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (window->queue)) >= wait->items &&
         ferry_transfer_queue_get_n_active (window->queue) == 0;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : -1;
}

/* Runs the action, waits for the queue to be idle with `items` entries; returns seconds. */
static double
timed_transfer (FerryWindow *window,
                guint        items,
                const char  *action,
                GVariant    *parameter,
                Stalls      *stalls)
{
  QueueWait wait = { window, items };
  gint64 started = g_get_monotonic_time ();
  guint id;

  stalls->last = started;
  stalls->worst = 0;
  id = g_timeout_add (10, tick, stalls);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), action, parameter);
  if (!ferry_test_wait_for (queue_is_done, &wait, 3600 * 1000))
    {
      g_printerr ("bench-app-transfer: %s did not end within an hour\n", action);
      exit (1);
    }
  g_source_remove (id);
  return (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  FerryWindow *window;
  g_autofree char *remote_name = NULL;
  g_autofree char *downloaded = NULL;
  g_autofree char *uploaded = NULL;
  g_autofree char *upload_name = NULL;
  g_autofree char *served = NULL;
  Stalls stalls = { 0, 0 };
  double seconds;
  goffset expected;

  if (argc != 6)
    {
      g_printerr ("usage: %s URL REMOTE_FILE LOCAL_FOLDER UPLOAD_FILE SERVER_ROOT\n", argv[0]);
      return 2;
    }

  ferry_test_init (&argc, &argv);
  window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 840);
  gtk_window_present (GTK_WINDOW (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s", argv[1]);
  if (!ferry_test_wait_for (window_is_browsing, window, 60000))
    {
      g_printerr ("bench-app-transfer: not browsing %s after 60 s\n", argv[1]);
      return 1;
    }

  remote_name = g_path_get_basename (argv[2]);
  downloaded = g_build_filename (argv[3], remote_name, NULL);
  served = g_build_filename (argv[5], argv[2], NULL);
  expected = file_size (served);
  seconds = timed_transfer (window, 1, "win.download-to",
                            g_variant_new ("(ss)", argv[2], argv[3]), &stalls);
  if (g_file_test (served, G_FILE_TEST_IS_DIR))
    expected = 0;
  else if (file_size (downloaded) != expected)
    {
      g_printerr ("bench-app-transfer: %s has %" G_GOFFSET_FORMAT " bytes, want %"
                  G_GOFFSET_FORMAT "\n", downloaded, file_size (downloaded), expected);
      return 1;
    }
  g_print ("download %" G_GOFFSET_FORMAT " %.3f %.1f\n", expected, seconds,
           stalls.worst / 1000.0);
  if (expected > 0)
    g_unlink (downloaded);

  upload_name = g_path_get_basename (argv[4]);
  uploaded = g_build_filename (argv[5], upload_name, NULL);
  expected = g_file_test (argv[4], G_FILE_TEST_IS_DIR) ? 0 : file_size (argv[4]);
  seconds = timed_transfer (window, 2, "win.upload", g_variant_new_string (argv[4]), &stalls);
  if (expected > 0 && file_size (uploaded) != expected)
    {
      g_printerr ("bench-app-transfer: the upload landed with %" G_GOFFSET_FORMAT
                  " bytes, want %" G_GOFFSET_FORMAT "\n", file_size (uploaded), expected);
      return 1;
    }
  g_print ("upload %" G_GOFFSET_FORMAT " %.3f %.1f\n", expected, seconds,
           stalls.worst / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));
  ferry_test_spin (50);
  return 0;
}
