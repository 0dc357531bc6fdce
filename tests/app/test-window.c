// SPDX-License-Identifier: GPL-3.0-or-later
/* test-window.c — drives a real FerryWindow against a real FTP server through its actions.
 *
 * test_window.py starts the server (pyftpdlib, and ferryd when built) on loopback and runs
 * this program under Xvfb and a private D-Bus session with:
 *   FERRY_TEST_URL          ftp://user:password@127.0.0.1:PORT/ (write access)
 *   FERRY_TEST_BAD_URL      the same with a wrong password
 *   FERRY_TEST_REFUSED_URL  a loopback port where nothing listens
 *   FERRY_TEST_ROOT         the server's folder, to check uploads byte for byte
 *   FERRY_TEST_TLS_URL      (optional) ftps:// to a server with a self-signed certificate
 *   FERRY_TEST_SERVER_HASH  (optional) set when the server offers HASH (downloads verified)
 *   FERRY_TEST_SERVER_PID   (optional) the server process; the last test stops it
 *   FERRY_TEST_SCREENSHOTS  (optional) where connect.png, browse.png, progress.png,
 *                           batch-summary.png and batch-failure.png go (data/screenshots'
 *                           browse.png comes from tools/screenshots, a demo share)
 *   FERRY_TEST_REFUSING_URL (optional) a folder where the server refuses some files:
 *                           FERRY_TEST_REFUSED_FILES of FERRY_TEST_REFUSING_FILES
 * The server's folder holds: report.bin (every byte value), notes.txt, photos/ (with
 * beach.jpg), .hidden, big.bin (a large sparse file, for cancelling) and DEEP_FOLDER. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferry-app-test-utils.h"
#include "ferry-client-private.h"
#include "ferry-background-transfers.h"
#include "ferry-conflict-dialog.h"
#include "ferry-transfer-row.h"
#include "ferry-window-private.h"

#define DEEP_FOLDER "/Backups/2019/projects/ferry-desktop-client/design-documents/reviews/" \
                    "second-round/attachments/screenshots/final-versions/approved"

typedef struct {
  FerryWindow *window;
  char        *local;    /* a scratch folder of ours */
} Fixture;

static const char *
env_or_skip (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_printerr ("%s is not set; run this through test_window.py\n", name);
      skip ();
    }

  return value;
}

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_boolean (settings, "confirm-delete", FALSE);
  fixture->window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 960, 840);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->local = ferry_test_make_tmpdir ("app-test");
  *state = fixture;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fixture = *state;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ferry_test_spin (50);
  ferry_test_rm_rf (fixture->local);
  g_free (fixture->local);
  g_free (fixture);
  return 0;
}

/* Conditions ---------------------------------------------------------------------------- */

static gboolean
window_is_browsing (gpointer data)
{
  FerryWindow *window = data;

  return window->current_path != NULL && !window->loading &&
         g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "browse") == 0;
}

static gboolean
connect_page_has_error (gpointer data)
{
  FerryWindow *window = data;

  return ferry_connect_page_get_error (window->connect_page) != NULL;
}

static gboolean
queue_is_idle (gpointer data)
{
  FerryWindow *window = data;

  return window->queue != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (window->queue)) > 0 &&
         ferry_transfer_queue_get_n_active (window->queue) == 0;
}

static gboolean
conflict_dialog_shown (gpointer data)
{
  FerryWindow *window = data;

  return window->conflict_dialog != NULL && gtk_widget_get_visible (window->conflict_dialog);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* Helpers ------------------------------------------------------------------------------- */

static void
connect_window (FerryWindow *window,
                const char  *url)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s", url);
  if (!ferry_test_wait_for (window_is_browsing, window, 20000))
    fail_msg ("not browsing after 20 s: page %s, path %s, error “%s”",
              gtk_stack_get_visible_child_name (window->main_stack),
              window->current_path ? window->current_path : "(none)",
              ferry_connect_page_get_error (window->connect_page)
              ? ferry_connect_page_get_error (window->connect_page) : "");
}

static GPtrArray *
shown_names (FerryWindow *window)
{
  GListModel *model = ferry_file_list_get_model (window->file_list);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (model, i);
      g_ptr_array_add (names, g_strdup (ferry_remote_file_get_name (file)));
    }

  return names;
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  return g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

static void
assert_same_file (const char *expected_path,
                  const char *actual_path)
{
  g_autoptr(GBytes) expected = ferry_test_read_file (expected_path);
  g_autoptr(GBytes) actual = ferry_test_read_file (actual_path);

  assert_non_null (expected);
  if (actual == NULL)
    fail_msg ("%s does not exist", actual_path);
  assert_true (g_bytes_equal (expected, actual));
}

static void
write_payload (const char *path,
               gsize       size)
{
  g_autofree guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) ((i * 7 + i / 256) & 0xff);
  assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
}

/* The message dialog the window shows now (new folder, rename, delete…), or NULL. */
static AdwMessageDialog *
find_message_dialog (FerryWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      /* A dialog that was answered may still be on screen for a moment. */
      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          g_object_get_data (G_OBJECT (toplevel), "ferry-test-answered") == NULL)
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_set_data (G_OBJECT (dialog), "ferry-test-answered", GINT_TO_POINTER (TRUE));
  adw_message_dialog_response (dialog, response);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog (data) != NULL;
}

typedef struct {
  FerryWindow *window;
  const char  *name;
  gboolean     present;
} ListedName;

static gboolean
name_listed_as_expected (gpointer data)
{
  ListedName *listed = data;
  g_autoptr(GPtrArray) names = NULL;

  if (!window_is_browsing (listed->window))
    return FALSE;

  names = shown_names (listed->window);
  return names_contain (names, listed->name) == listed->present;
}

/* Answers the open name dialog with name and waits until the list shows it. */
static void
answer_name_dialog (FerryWindow *window,
                    const char  *name)
{
  AdwMessageDialog *dialog;
  ListedName listed = { window, name, TRUE };

  assert_true (ferry_test_wait_for (message_dialog_shown, window, 5000));
  dialog = find_message_dialog (window);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), name);
  assert_true (adw_message_dialog_get_response_enabled (dialog, "accept"));
  respond (dialog, "accept");
  assert_true (ferry_test_wait_for (name_listed_as_expected, &listed, 10000));
}

/* Files this test made as root in the server's folder belong to the folder's owner, as if
 * the server had made them (ferryd serves as that owner). */
static void
make_writable_for_server (const char *path)
{
  GStatBuf folder_stat;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_stat (path, &folder_stat) != 0)
    return;

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (lchown (child, folder_stat.st_uid, folder_stat.st_gid) != 0)
        g_printerr ("# could not hand %s to the server: %s\n", child, g_strerror (errno));
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        make_writable_for_server (child);
    }
}

/* Tests --------------------------------------------------------------------------------- */

static void
test_connect_lists_files_without_dot_files (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(FerryUrl) parsed = ferry_url_parse (url, NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) recent = NULL;
  g_autofree char *printed = NULL;
  const char *host, *user;
  guint16 port;
  gboolean tls;

  /* The connect page as a person sees it, with two servers used before. */
  g_settings_set_value (settings, "recent-servers",
                        g_variant_new_parsed ("[('nas.local', @q 21, 'ann', false), "
                                              "('files.example.org', @q 2121, '', true)]"));
  ferry_connect_page_fill (fixture->window->connect_page, "nas.local", "ann", "password", FALSE);
  ferry_test_screenshot (GTK_WIDGET (fixture->window), "connect");

  connect_window (fixture->window, url);
  names = shown_names (fixture->window);

  /* The server is now the most recent one; no password went into GSettings. */
  recent = g_settings_get_value (settings, "recent-servers");
  g_variant_get_child (recent, 0, "(&sq&sb)", &host, &port, &user, &tls);
  assert_string_equal (host, parsed->host);
  assert_int_equal (port, parsed->port);
  assert_string_equal (user, parsed->user);
  assert_int_equal (g_variant_n_children (recent), 3);
  printed = g_variant_print (recent, FALSE);
  assert_null (strstr (printed, parsed->password));

  assert_true (names_contain (names, "report.bin"));
  assert_true (names_contain (names, "notes.txt"));
  assert_true (names_contain (names, "photos"));
  assert_false (names_contain (names, ".hidden"));
  /* Folders first, then files, each by name. */
  {
    GListModel *model = ferry_file_list_get_model (fixture->window->file_list);
    gboolean seen_file = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(FerryRemoteFile) file = g_list_model_get_item (model, i);

        if (!ferry_remote_file_is_folder (file))
          seen_file = TRUE;
        else
          assert_false (seen_file);
      }
  }

  ferry_test_screenshot (GTK_WIDGET (fixture->window), "browse");

  /* Into a folder and back up. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-folder", "s", "/photos");
  ferry_test_spin (100);
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 10000));
  assert_string_equal (fixture->window->current_path, "/photos");
  g_clear_pointer (&names, g_ptr_array_unref);
  names = shown_names (fixture->window);
  assert_true (names_contain (names, "beach.jpg"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.go-up", NULL);
  ferry_test_spin (100);
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 10000));
  assert_string_equal (fixture->window->current_path, "/");
}

static void
test_drop_uploads_files_and_folder (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *one = g_build_filename (fixture->local, "dropped-one.bin", NULL);
  g_autofree char *two = g_build_filename (fixture->local, "dropped two.txt", NULL);
  g_autofree char *folder = g_build_filename (fixture->local, "dropped-folder", NULL);
  g_autofree char *inner = g_build_filename (folder, "inner.bin", NULL);
  g_autofree char *remote_one = g_build_filename (root, "dropped-one.bin", NULL);
  g_autofree char *remote_two = g_build_filename (root, "dropped two.txt", NULL);
  g_autofree char *remote_folder = g_build_filename (root, "dropped-folder", NULL);
  g_autofree char *remote_inner = g_build_filename (remote_folder, "inner.bin", NULL);
  g_autoslist(GFile) files = NULL;
  g_autoptr(GPtrArray) names = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  write_payload (one, 300 * 1024 + 17);
  write_payload (two, 4096);
  g_mkdir (folder, 0755);
  write_payload (inner, 70000);

  connect_window (fixture->window, url);

  files = g_slist_prepend (files, g_file_new_for_path (folder));
  files = g_slist_prepend (files, g_file_new_for_path (two));
  files = g_slist_prepend (files, g_file_new_for_path (one));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));

  g_signal_emit_by_name (fixture->window->drop_target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  assert_true (accepted);

  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 30000));
  assert_same_file (one, remote_one);
  assert_same_file (two, remote_two);
  assert_same_file (inner, remote_inner);

  /* The list shows the uploads once the refresh after them is done. */
  ferry_test_spin (300);
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 10000));
  names = shown_names (fixture->window);
  assert_true (names_contain (names, "dropped-one.bin"));
  assert_true (names_contain (names, "dropped-folder"));

  g_unlink (remote_one);
  g_unlink (remote_two);
  g_unlink (remote_inner);
  g_rmdir (remote_folder);
}

static void
test_download_action_and_progress_dialog (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *expected = g_build_filename (root, "report.bin", NULL);
  g_autofree char *expected_notes = g_build_filename (root, "notes.txt", NULL);
  g_autofree char *downloaded = g_build_filename (fixture->local, "report.bin", NULL);
  g_autofree char *downloaded_notes = g_build_filename (fixture->local, "notes.txt", NULL);
  g_autofree char *partial = g_build_filename (fixture->local, "report.bin.part", NULL);
  g_autoptr(GHashTable) row_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkListBox *list;
  GtkWidget *row;

  connect_window (fixture->window, url);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/report.bin", fixture->local);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "notes.txt", fixture->local);
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 30000));
  assert_same_file (expected, downloaded);
  assert_same_file (expected_notes, downloaded_notes);
  /* All done: the header's button shows a check mark, no failure. */
  assert_true (ferry_progress_icon_get_finished (fixture->window->progress_icon));
  assert_int_equal (ferry_progress_icon_get_n_failed (fixture->window->progress_icon), 0);
  /* Nothing half-written is left behind. */
  assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-progress", NULL);
  assert_non_null (fixture->window->progress_dialog);
  assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window->progress_dialog)));

  list = ferry_progress_dialog_get_list (fixture->window->progress_dialog);
  for (row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (FERRY_IS_TRANSFER_ROW (row))
      {
        FerryTransfer *transfer = ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (row));

        g_hash_table_add (row_names, g_strdup (ferry_transfer_get_name (transfer)));
        assert_int_equal (ferry_transfer_get_state (transfer), FERRY_TRANSFER_DONE);
        assert_non_null (strstr (ferry_transfer_row_get_status (FERRY_TRANSFER_ROW (row)), "Done"));
        /* A server that offers HASH (ferryd) has each download checked, and the row says so. */
        if (g_getenv ("FERRY_TEST_SERVER_HASH") != NULL)
          {
            assert_int_equal (ferry_transfer_get_n_verified (transfer), 1);
            assert_non_null (strstr (ferry_transfer_row_get_status (FERRY_TRANSFER_ROW (row)),
                                     "verified"));
          }
        else
          assert_int_equal (ferry_transfer_get_n_verified (transfer), 0);
      }
  assert_int_equal (g_hash_table_size (row_names), 2);
  assert_true (g_hash_table_contains (row_names, "report.bin"));
  assert_true (g_hash_table_contains (row_names, "notes.txt"));

  /* The keyboard starts on a transfer, not on Cancel All. */
  ferry_test_spin (50);
  {
    GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (fixture->window->progress_dialog));

    assert_non_null (focus);
    assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (list)));
  }

  /* Closing the dialog only hides it; the button brings it back. */
  gtk_window_close (GTK_WINDOW (fixture->window->progress_dialog));
  ferry_test_spin (50);
  assert_non_null (fixture->window->progress_dialog);
  assert_true (gtk_widget_get_visible (fixture->window->progress_button));
}

static gboolean
transfer_is_running (gpointer data)
{
  FerryWindow *window = data;
  g_autoptr(FerryTransfer) transfer = NULL;

  if (window->queue == NULL || g_list_model_get_n_items (G_LIST_MODEL (window->queue)) == 0)
    return FALSE;

  transfer = g_list_model_get_item (G_LIST_MODEL (window->queue), 0);
  return ferry_transfer_get_state (transfer) == FERRY_TRANSFER_RUNNING &&
         ferry_transfer_get_bytes_done (transfer) > 0;
}

typedef struct {
  gint64 last;
  gint64 worst;
} LoopLatency;

static gboolean
measure_latency (gpointer data)
{
  LoopLatency *latency = data;
  gint64 now = g_get_monotonic_time ();

  latency->worst = MAX (latency->worst, now - latency->last - 10 * G_TIME_SPAN_MILLISECOND);
  latency->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
only_one_active (gpointer data)
{
  FerryWindow *window = data;

  return ferry_transfer_queue_get_n_active (window->queue) == 1 &&
         g_list_model_get_n_items (G_LIST_MODEL (window->queue)) == 3;
}

static void
test_cancel_stops_a_download (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  g_autofree char *target = g_build_filename (fixture->local, "big.bin", NULL);
  g_autoptr(FerryTransfer) transfer = NULL;

  connect_window (fixture->window, url);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/big.bin", fixture->local);
  assert_true (ferry_test_wait_for (transfer_is_running, fixture->window, 20000));

  /* The main loop stays responsive while gigabytes move: a 10 ms timer never waits long.
   * The bound is loose on purpose (shared, sanitized CI machines stall for their own
   * reasons); a transfer that blocked the loop would stall it for seconds. */
  {
    LoopLatency latency = { g_get_monotonic_time (), 0 };
    guint id = g_timeout_add (10, measure_latency, &latency);

    ferry_test_spin (1000);
    g_source_remove (id);
    g_print ("# longest main-loop stall during the download: %.1f ms\n",
             latency.worst / 1000.0);
    assert_true (latency.worst < 1500 * G_TIME_SPAN_MILLISECOND);
  }

  /* Small files beside it finish on the second connection meanwhile. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/presentation.pdf", fixture->local);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/budget-2026.ods", fixture->local);
  assert_true (ferry_test_wait_for (only_one_active, fixture->window, 20000));

  /* The progress dialog while bytes move: speed and time left. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-progress", NULL);
  ferry_test_screenshot (GTK_WIDGET (fixture->window->progress_dialog), "progress");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-all", NULL);
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));

  transfer = g_list_model_get_item (G_LIST_MODEL (fixture->window->queue), 0);
  assert_int_equal (ferry_transfer_get_state (transfer), FERRY_TRANSFER_CANCELLED);
  assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  assert_true (ferry_transfer_get_bytes_done (transfer) < ferry_transfer_get_total (transfer));

  /* The connection still browses after an ABOR. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  ferry_test_spin (50);
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 10000));
}

static void
on_drag_data_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GError **error = user_data;

  if (!gdk_content_provider_write_mime_type_finish (GDK_CONTENT_PROVIDER (source), result, error)
      && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no error given");
  g_object_set_data (source, "ferry-test-written", GINT_TO_POINTER (TRUE));
}

static gboolean
drag_data_written (gpointer data)
{
  return g_object_get_data (data, "ferry-test-written") != NULL;
}

static void
test_drag_out_delivers_downloaded_files (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *expected = g_build_filename (root, "report.bin", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GdkContentFormats) formats = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri_list = NULL;
  g_auto(GStrv) uris = NULL;
  g_autofree char *local = NULL;

  connect_window (fixture->window, url);
  ferry_file_list_select_name (fixture->window->file_list, "report.bin");
  files = ferry_file_list_get_selected_files (fixture->window->file_list);
  assert_int_equal (files->len, 1);

  provider = _ferry_window_drag_files (fixture->window, files);
  assert_non_null (provider);
  formats = gdk_content_provider_ref_formats (provider);
  assert_true (gdk_content_formats_contain_mime_type (formats, "text/uri-list"));

  /* What a file manager does on drop: ask for the URIs; they come once the file is there. */
  gdk_content_provider_write_mime_type_async (provider, "text/uri-list", stream,
                                              G_PRIORITY_DEFAULT, NULL,
                                              on_drag_data_written, &error);
  assert_true (ferry_test_wait_for (drag_data_written, provider, 30000));
  if (error != NULL)
    fail_msg ("the drop target got no data: %s", error->message);
  assert_true (g_output_stream_close (stream, NULL, NULL));
  uri_list = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                        g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  uris = g_uri_list_extract_uris (uri_list);
  assert_int_equal (g_strv_length (uris), 1);
  local = g_filename_from_uri (uris[0], NULL, NULL);
  assert_non_null (local);
  assert_true (g_str_has_prefix (local, g_get_user_cache_dir ()));
  assert_true (g_str_has_suffix (local, "/report.bin"));
  assert_same_file (expected, local);
}

static void
test_conflict_opens_dialog (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *existing = g_build_filename (fixture->local, "notes.txt", NULL);
  g_autofree char *kept = g_build_filename (fixture->local, "notes (1).txt", NULL);
  g_autofree char *expected = g_build_filename (root, "notes.txt", NULL);
  g_autoptr(GBytes) untouched = NULL;

  assert_true (g_file_set_contents (existing, "mine, do not overwrite\n", -1, NULL));

  connect_window (fixture->window, url);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/notes.txt", fixture->local);
  assert_true (ferry_test_wait_for (conflict_dialog_shown, fixture->window, 20000));
  assert_true (FERRY_IS_CONFLICT_DIALOG (fixture->window->conflict_dialog));

  /* Nothing is overwritten while the question is open. */
  untouched = ferry_test_read_file (existing);
  assert_int_equal (g_bytes_get_size (untouched), strlen ("mine, do not overwrite\n"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (fixture->window->conflict_dialog),
                               FERRY_CONFLICT_RESPONSE_KEEP_BOTH);
  assert_true (ferry_test_wait_for (file_exists, kept, 20000));
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
  assert_same_file (expected, kept);
  g_clear_pointer (&untouched, g_bytes_unref);
  untouched = ferry_test_read_file (existing);
  assert_int_equal (g_bytes_get_size (untouched), strlen ("mine, do not overwrite\n"));
}

static void
test_new_folder_rename_and_delete (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *created = g_build_filename (root, "Projects", NULL);
  g_autofree char *renamed = g_build_filename (root, "Archive", NULL);
  g_autofree char *inside = g_build_filename (renamed, "inside.txt", NULL);
  g_autofree char *nested = g_build_filename (renamed, "2025", NULL);
  g_autofree char *deeper = g_build_filename (nested, "deeper.txt", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  ListedName gone = { fixture->window, "Archive", FALSE };
  AdwMessageDialog *dialog;

  connect_window (fixture->window, url);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-folder", NULL);
  answer_name_dialog (fixture->window, "Projects");
  assert_true (g_file_test (created, G_FILE_TEST_IS_DIR));

  /* Rename acts on the selection, as F2 does. */
  ferry_file_list_select_name (fixture->window->file_list, "Projects");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.rename", NULL);
  answer_name_dialog (fixture->window, "Archive");
  assert_true (g_file_test (renamed, G_FILE_TEST_IS_DIR));
  assert_false (g_file_test (created, G_FILE_TEST_EXISTS));

  /* Delete asks first when the preference says so; Cancel keeps the folder. */
  g_settings_set_boolean (settings, "confirm-delete", TRUE);
  ferry_file_list_select_name (fixture->window->file_list, "Archive");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete", NULL);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 5000));
  dialog = find_message_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Delete “Archive”?");
  respond (dialog, "cancel");
  ferry_test_spin (300);
  assert_true (g_file_test (renamed, G_FILE_TEST_IS_DIR));

  /* A folder is deleted with what it holds (RMD alone refuses a full folder). */
  g_mkdir (nested, 0755);
  assert_true (g_file_set_contents (inside, "some content\n", -1, NULL));
  assert_true (g_file_set_contents (deeper, "more content\n", -1, NULL));
  make_writable_for_server (renamed);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete", NULL);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 5000));
  respond (find_message_dialog (fixture->window), "delete");
  assert_true (ferry_test_wait_for (name_listed_as_expected, &gone, 10000));
  assert_false (g_file_test (renamed, G_FILE_TEST_EXISTS));
}

/* Issue 16: the header bar follows the window's state properties (bound in the .ui), and
 * the actions follow the same state. */
static void
test_header_follows_window_state (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  FerryWindow *window = fixture->window;
  gboolean browsing = TRUE, can_go_up = TRUE;

  g_object_get (window, "browsing", &browsing, "can-go-up", &can_go_up, NULL);
  assert_false (browsing);
  assert_false (gtk_widget_get_visible (window->up_button));
  assert_false (gtk_widget_get_visible (window->refresh_button));
  assert_false (gtk_widget_get_visible (window->upload_button));

  connect_window (window, url);
  g_object_get (window, "browsing", &browsing, "can-go-up", &can_go_up, NULL);
  assert_true (browsing);
  assert_true (gtk_widget_get_visible (window->up_button));
  assert_true (gtk_widget_get_visible (window->refresh_button));
  assert_true (gtk_widget_get_visible (window->upload_button));
  /* At the top there is nothing to go up to: the action, and so the button, is off. */
  assert_false (can_go_up);
  assert_false (gtk_widget_get_sensitive (window->up_button));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-folder", "s", "/photos");
  assert_true (ferry_test_wait_for (window_is_browsing, window, 10000));
  assert_string_equal (window->current_path, "/photos");
  g_object_get (window, "can-go-up", &can_go_up, NULL);
  assert_true (can_go_up);
  assert_true (gtk_widget_get_sensitive (window->up_button));
  assert_true (gtk_widget_get_sensitive (window->back_button));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  g_object_get (window, "browsing", &browsing, NULL);
  assert_false (browsing);
  assert_false (gtk_widget_get_visible (window->up_button));
  assert_false (gtk_widget_get_visible (window->new_folder_button));
}

/* Does the window know action (prefix "win.") with this parameter type? */
static gboolean
window_has_action (FerryWindow        *window,
                   const char         *action,
                   const GVariantType *parameter_type)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (window);
  const GVariantType *map_type = NULL;
  gboolean enabled;
  const char *name;
  const GVariantType *type;
  const char *property;
  GType owner;

  /* GTK 4.8 writes every out argument: none may be NULL. */
  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &type, &property); i++)
    if (g_str_equal (name, action))
      return type == NULL ? parameter_type == NULL
                          : parameter_type != NULL && g_variant_type_equal (type, parameter_type);

  /* The few left in the GActionMap (exported on D-Bus). */
  if (g_str_has_prefix (action, "win.") &&
      g_action_group_query_action (G_ACTION_GROUP (window), action + 4, &enabled, &map_type,
                                   NULL, NULL, NULL))
    return map_type == NULL ? parameter_type == NULL
                            : parameter_type != NULL
                              && g_variant_type_equal (map_type, parameter_type);

  return FALSE;
}

/* Every item of every menu names an action the window has, with a target of its type. */
static void
assert_menu_items_resolve (FerryWindow *window,
                           GMenuModel  *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);

      if (section != NULL)
        assert_menu_items_resolve (window, section);
      if (submenu != NULL)
        assert_menu_items_resolve (window, submenu);
      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        continue;

      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      /* app.* and the shortcuts window belong to the application, not tested here. */
      if (g_str_has_prefix (action, "app.") || g_str_equal (action, "win.show-help-overlay"))
        continue;
      if (!window_has_action (window, action, target ? g_variant_get_type (target) : NULL))
        fail_msg ("menu item %d: %s (target %s) is not an action of the window", i, action,
                  target ? g_variant_get_type_string (target) : "none");
    }
}

static GtkWindow *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }

  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
file_chooser_gone (gpointer data)
{
  return find_file_chooser () == NULL;
}

/* Activates a menu item as a click on it does: its action with its target. */
static void
activate_menu_item (FerryWindow *window,
                    GMenuModel  *menu,
                    const char  *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          activate_menu_item (window, section, label);
          continue;
        }
      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) ||
          !g_str_equal (item_label, label) ||
          !g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        continue;

      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, target));
      return;
    }
}

/* Issue 17 item 3: every menu item names an action the window has, with a target of its
 * type. */
static void
test_menus_name_real_actions (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  GMenuModel *upload_menu =
    adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (window->upload_button));
  GMenuModel *main_menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (window->menu_button));
  GMenuModel *context_menu =
    G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window->file_list),
                                                 FERRY_TYPE_FILE_LIST, "context_menu"));

  assert_menu_items_resolve (window, main_menu);
  assert_menu_items_resolve (window, upload_menu);
  assert_menu_items_resolve (window, context_menu);
}

/* Issue 17 item 3: "Upload Files…" in the Upload menu asked to upload a file named ''
 * (its target was the two characters ''). Both items of the menu ask first. */
static void
test_upload_menu_asks_for_files (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  FerryWindow *window = fixture->window;
  GMenuModel *upload_menu =
    adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (window->upload_button));
  GtkWindow *chooser;

  /* The GTK file chooser loads libcloudproviders and other modules whose load-time
   * allocations LeakSanitizer reports with stacks too short to suppress. */
  if (g_strcmp0 (g_getenv ("FERRY_SANITIZE"), "none") != 0 && g_getenv ("FERRY_SANITIZE") != NULL)
    {
      g_printerr ("the file chooser is not opened in sanitizer builds; "
                  "the plain build runs this\n");
      skip ();
    }

  connect_window (window, url);

  /* Both Upload menu items ask first; nothing is queued before the user chose. */
  activate_menu_item (window, upload_menu, "Upload _Files…");
  assert_true (ferry_test_wait_for (file_chooser_shown, NULL, 5000));
  chooser = find_file_chooser ();
  assert_string_equal (gtk_window_get_title (chooser), "Upload Files");
  assert_int_equal (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)),
                    GTK_FILE_CHOOSER_ACTION_OPEN);
  assert_true (window->queue == NULL ||
               g_list_model_get_n_items (G_LIST_MODEL (window->queue)) == 0);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  assert_true (ferry_test_wait_for (file_chooser_gone, NULL, 5000));

  activate_menu_item (window, upload_menu, "Upload a F_older…");
  assert_true (ferry_test_wait_for (file_chooser_shown, NULL, 5000));
  chooser = find_file_chooser ();
  assert_int_equal (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)),
                    GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  assert_true (ferry_test_wait_for (file_chooser_gone, NULL, 5000));
  ferry_test_spin (200);
  assert_true (window->queue == NULL ||
               g_list_model_get_n_items (G_LIST_MODEL (window->queue)) == 0);
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog (data) == NULL;
}

/* Types name into the dialog shown and presses Enter in its entry. */
static void
enter_name (FerryWindow *window,
            const char  *name)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  assert_true (ferry_test_wait_for (message_dialog_shown, window, 5000));
  dialog = find_message_dialog (window);
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  g_signal_emit_by_name (entry, "activate");
}

/* Issue 17 item 4: Enter in the New Folder and Rename dialogs answers and closes them
 * (libadwaita 1.2 left them open, and a second press failed with 550). */
static void
test_name_dialogs_close_on_enter (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *created = g_build_filename (root, "Entered", NULL);
  g_autofree char *renamed = g_build_filename (root, "Entered Again", NULL);
  ListedName listed = { fixture->window, "Entered", TRUE };
  ListedName listed_renamed = { fixture->window, "Entered Again", TRUE };

  connect_window (fixture->window, url);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-folder", NULL);
  enter_name (fixture->window, "Entered");
  assert_true (ferry_test_wait_for (no_message_dialog, fixture->window, 2000));
  assert_true (ferry_test_wait_for (name_listed_as_expected, &listed, 10000));
  assert_true (g_file_test (created, G_FILE_TEST_IS_DIR));

  ferry_file_list_select_name (fixture->window->file_list, "Entered");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.rename", NULL);
  enter_name (fixture->window, "Entered Again");
  assert_true (ferry_test_wait_for (no_message_dialog, fixture->window, 2000));
  assert_true (ferry_test_wait_for (name_listed_as_expected, &listed_renamed, 10000));
  assert_true (g_file_test (renamed, G_FILE_TEST_IS_DIR));
  g_rmdir (renamed);
}

static gboolean
transfer_state_is (gpointer data)
{
  gpointer *args = data;

  return (int) ferry_transfer_get_state (args[0]) == GPOINTER_TO_INT (args[1]);
}

static gboolean
window_is_on_connect_page (gpointer data)
{
  FerryWindow *window = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "connect") == 0;
}

static gboolean
no_background_transfers (gpointer data)
{
  return ferry_background_transfers_get_n_queues () == 0;
}

/* Issue 17 item 1: with a transfer running, Disconnect and closing ask; Cancel and Keep
 * Running keep it, Stop Them stops it, and a window closed with Keep Running leaves it
 * going in the background. */
static void
test_running_transfers_are_not_killed (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  FerryWindow *window = fixture->window;
  g_autoptr(FerryTransfer) transfer = NULL;
  g_autoptr(FerryTransferQueue) queue = NULL;
  AdwMessageDialog *dialog;
  FerryWindow *second;
  gint64 bytes;
  gpointer cancelled[2];

  connect_window (window, url);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.download-to", "(ss)",
                              "/big.bin", fixture->local);
  assert_true (ferry_test_wait_for (transfer_is_running, window, 20000));
  transfer = g_list_model_get_item (G_LIST_MODEL (window->queue), 0);

  /* Disconnect asks; Cancel changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  assert_true (ferry_test_wait_for (message_dialog_shown, window, 5000));
  dialog = find_message_dialog (window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "1 transfer is running");
  respond (dialog, "cancel");
  ferry_test_spin (200);
  assert_true (window_is_browsing (window));
  assert_int_equal (ferry_transfer_get_state (transfer), FERRY_TRANSFER_RUNNING);

  /* Keep Running: the window leaves the server, the download goes on in it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  assert_true (ferry_test_wait_for (message_dialog_shown, window, 5000));
  respond (find_message_dialog (window), "keep");
  assert_true (ferry_test_wait_for (window_is_on_connect_page, window, 5000));
  bytes = ferry_transfer_get_bytes_done (transfer);
  ferry_test_spin (500);
  assert_int_equal (ferry_transfer_get_state (transfer), FERRY_TRANSFER_RUNNING);
  assert_true (ferry_transfer_get_bytes_done (transfer) > bytes);
  assert_true (gtk_widget_get_visible (window->progress_button));

  /* Closing asks too; Keep Running closes the window and leaves the download going. */
  queue = g_object_ref (window->queue);
  gtk_window_close (GTK_WINDOW (window));
  assert_true (ferry_test_wait_for (message_dialog_shown, window, 5000));
  assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  respond (find_message_dialog (window), "keep");
  ferry_test_spin (300);
  assert_int_equal (ferry_background_transfers_get_n_queues (), 1);
  bytes = ferry_transfer_get_bytes_done (transfer);
  ferry_test_spin (500);
  assert_int_equal (ferry_transfer_get_state (transfer), FERRY_TRANSFER_RUNNING);
  assert_true (ferry_transfer_get_bytes_done (transfer) > bytes);
  ferry_transfer_queue_cancel_all (queue);
  assert_true (ferry_test_wait_for (no_background_transfers, NULL, 20000));

  /* The fixture's window is gone: give teardown a fresh one. */
  fixture->window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));

  /* Stop Them stops the transfer and closes the window. */
  second = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (second));
  connect_window (second, url);
  gtk_widget_activate_action (GTK_WIDGET (second), "win.download-to", "(ss)",
                              "/big.bin", fixture->local);
  assert_true (ferry_test_wait_for (transfer_is_running, second, 20000));
  g_clear_object (&transfer);
  transfer = g_list_model_get_item (G_LIST_MODEL (second->queue), 0);
  gtk_window_close (GTK_WINDOW (second));
  assert_true (ferry_test_wait_for (message_dialog_shown, second, 5000));
  respond (find_message_dialog (second), "stop");
  cancelled[0] = transfer;
  cancelled[1] = GINT_TO_POINTER (FERRY_TRANSFER_CANCELLED);
  assert_true (ferry_test_wait_for (transfer_state_is, cancelled, 10000));
  assert_int_equal (ferry_background_transfers_get_n_queues (), 0);
}

/* Issue 17 item 1: Reconnect keeps the transfer list; a download whose .part is there
 * resumes it (REST) instead of starting a "name (2)". */
static void
test_reconnect_keeps_transfers_and_part_resumes (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *expected = g_build_filename (root, "report.bin", NULL);
  g_autofree char *part = g_build_filename (fixture->local, "report.bin.part", NULL);
  g_autofree char *downloaded = g_build_filename (fixture->local, "report.bin", NULL);
  g_autofree char *second_copy = g_build_filename (fixture->local, "report (2).bin", NULL);
  g_autoptr(GBytes) content = ferry_test_read_file (expected);
  FerryTransferQueue *queue;
  g_autoptr(FerryTransfer) first = NULL;
  g_autoptr(FerryTransfer) resumed = NULL;

  connect_window (fixture->window, url);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/notes.txt", fixture->local);
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
  queue = fixture->window->queue;
  first = g_list_model_get_item (G_LIST_MODEL (queue), 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reconnect", NULL);
  ferry_test_spin (100);
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 20000));
  assert_ptr_equal (fixture->window->queue, queue);
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (queue)), 1);
  assert_true (gtk_widget_get_visible (fixture->window->progress_button));

  /* Half of report.bin from an earlier, interrupted download. */
  assert_true (g_file_set_contents (part, g_bytes_get_data (content, NULL),
                                    (gssize) g_bytes_get_size (content) / 2, NULL));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/report.bin", fixture->local);
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
  resumed = g_list_model_get_item (G_LIST_MODEL (queue), 1);
  assert_int_equal (ferry_transfer_get_state (resumed), FERRY_TRANSFER_DONE);
  assert_same_file (expected, downloaded);
  assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  assert_false (g_file_test (second_copy, G_FILE_TEST_EXISTS));
}

/* Issue 17 item 2: renaming onto a name that is taken asks (Cancel keeps both), and only
 * Replace replaces — files and folders alike. */
static void
test_rename_onto_existing_name_asks (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *readme = g_build_filename (root, "README.md", NULL);
  g_autofree char *copy = g_build_filename (root, "README (1).md", NULL);
  g_autofree char *photos = g_build_filename (root, "photos", NULL);
  g_autofree char *music = g_build_filename (root, "Music", NULL);
  g_autoptr(GBytes) original = ferry_test_read_file (readme);
  g_autoptr(GBytes) after = NULL;
  ListedName copy_gone = { fixture->window, "README (1).md", FALSE };
  AdwMessageDialog *dialog;

  assert_non_null (original);
  assert_true (g_file_set_contents (copy, "the newer README\n", -1, NULL));
  make_writable_for_server (root);
  connect_window (fixture->window, url);

  ferry_file_list_select_name (fixture->window->file_list, "README (1).md");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.rename", NULL);
  enter_name (fixture->window, "README.md");
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 10000));
  dialog = find_message_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Replace “README.md”?");
  respond (dialog, "cancel");
  ferry_test_spin (300);
  after = ferry_test_read_file (readme);
  assert_true (g_bytes_equal (original, after));
  assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));

  /* A folder onto a folder: asked the same way, nothing merged or replaced. */
  ferry_file_list_select_name (fixture->window->file_list, "photos");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.rename", NULL);
  enter_name (fixture->window, "Music");
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 10000));
  dialog = find_message_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Replace “Music”?");
  respond (dialog, "cancel");
  ferry_test_spin (300);
  assert_true (g_file_test (photos, G_FILE_TEST_IS_DIR));
  assert_true (g_file_test (music, G_FILE_TEST_IS_DIR));

  /* Replace does what it says. */
  ferry_file_list_select_name (fixture->window->file_list, "README (1).md");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.rename", NULL);
  enter_name (fixture->window, "README.md");
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 10000));
  respond (find_message_dialog (fixture->window), "replace");
  assert_true (ferry_test_wait_for (name_listed_as_expected, &copy_gone, 10000));
  g_clear_pointer (&after, g_bytes_unref);
  after = ferry_test_read_file (readme);
  assert_int_equal (g_bytes_get_size (after), strlen ("the newer README\n"));

  /* The next tests (and the screenshots) want the share as it was. */
  assert_true (g_file_set_contents (readme, g_bytes_get_data (original, NULL),
                                    (gssize) g_bytes_get_size (original), NULL));
}

static gboolean
queue_is_done (gpointer data)
{
  FerryWindow *window = data;

  return window->queue != NULL && ferry_transfer_queue_get_n_active (window->queue) == 0;
}

/* Issue 17 item 5: a big batch from a server with three passive ports (test_window.py
 * runs this alone against such a ferryd). Every file arrives byte for byte, no .part is
 * left, and the toasts do not pile up one per file. */
static void
test_big_batch (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_BATCH_URL");
  const char *root = env_or_skip ("FERRY_TEST_BATCH_ROOT");
  guint n_files = (guint) g_ascii_strtoull (env_or_skip ("FERRY_TEST_BATCH_FILES"), NULL, 10);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GDir) dir = NULL;
  GListModel *model;
  guint n_done = 0, n_failed = 0, n_cancelled = 0, n_arrived = 0, n_parts = 0;
  gint64 start;
  const char *name;

  g_settings_set_string (settings, "download-folder", fixture->local);
  connect_window (fixture->window, url);
  model = ferry_file_list_get_model (fixture->window->file_list);
  assert_int_equal (g_list_model_get_n_items (model), n_files);

  start = g_get_monotonic_time ();
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (model));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-selected", NULL);
  assert_true (ferry_test_wait_for (queue_is_done, fixture->window, 900000));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->window->queue)); i++)
    {
      g_autoptr(FerryTransfer) transfer =
        g_list_model_get_item (G_LIST_MODEL (fixture->window->queue), i);

      switch (ferry_transfer_get_state (transfer))
        {
        case FERRY_TRANSFER_DONE: n_done++; break;
        case FERRY_TRANSFER_FAILED: n_failed++; break;
        case FERRY_TRANSFER_CANCELLED: n_cancelled++; break;
        case FERRY_TRANSFER_QUEUED:
        case FERRY_TRANSFER_RUNNING:
        default: break;
        }
    }

  dir = g_dir_open (fixture->local, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *local = g_build_filename (fixture->local, name, NULL);
      g_autofree char *remote = g_build_filename (root, name, NULL);

      if (g_str_has_suffix (name, ".part"))
        n_parts++;
      else
        {
          assert_same_file (remote, local);
          n_arrived++;
        }
    }

  g_print ("# batch of %u files over 3 passive ports: %u done, %u failed, %u cancelled, "
           "%u arrived, %u .part left, %.1f s\n", n_files, n_done, n_failed, n_cancelled,
           n_arrived, n_parts, (g_get_monotonic_time () - start) / 1e6);
  assert_int_equal (n_done, n_files);
  assert_int_equal (n_arrived, n_files);
  assert_int_equal (n_parts, 0);
  /* One toast for the batch, not one per file. */
  assert_int_equal (fixture->window->n_toasts, 1);
  {
    g_autofree char *summary = g_strdup_printf ("%u transfers finished", n_files);

    assert_string_equal (fixture->window->last_toast, summary);
  }
}

/* Issue 17 item 5: a batch with a failure ends in one toast that says how many failed,
 * the progress header counts finished and failed, a download that failed before its first
 * byte leaves no .part, and Retry All gets the rest once it can. */
static void
test_batch_summary_and_retry_all (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *late = g_build_filename (root, "late.txt", NULL);
  g_autofree char *late_local = g_build_filename (fixture->local, "late.txt", NULL);
  g_autofree char *late_part = g_build_filename (fixture->local, "late.txt.part", NULL);
  const char *header;

  connect_window (fixture->window, url);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/notes.txt", fixture->local);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/late.txt", fixture->local);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/report.bin", fixture->local);
  assert_true (ferry_test_wait_for (queue_is_done, fixture->window, 30000));

  assert_int_equal (fixture->window->n_toasts, 1);
  assert_string_equal (fixture->window->last_toast, "1 of 3 transfers failed");
  assert_false (g_file_test (late_part, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-progress", NULL);
  header = gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (
                                            GTK_WIDGET (fixture->window->progress_dialog),
                                            FERRY_TYPE_PROGRESS_DIALOG, "overall_label")));
  assert_string_equal (header, "1 failed, 2 finished");

  /* The file appears on the server; Retry All (the toast's button) gets it. */
  assert_true (g_file_set_contents (late, "late but here\n", -1, NULL));
  make_writable_for_server (root);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry-failed", NULL);
  assert_true (ferry_test_wait_for (queue_is_done, fixture->window, 30000));
  assert_same_file (late, late_local);
  assert_string_equal (fixture->window->last_toast, "Downloaded “late.txt”");
  g_unlink (late);
}

/* The progress dialog's row of a transfer (the dialog is open). */
static GtkWidget *
row_of_transfer (FerryWindow   *window,
                 FerryTransfer *transfer)
{
  GtkListBox *list = ferry_progress_dialog_get_list (window->progress_dialog);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (FERRY_IS_TRANSFER_ROW (row)
        && ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (row)) == transfer)
      return row;
  return NULL;
}

/* Clicks one of a transfer row's buttons (its template child). */
static void
click_row_button (GtkWidget  *row,
                  const char *name)
{
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (row, FERRY_TYPE_TRANSFER_ROW,
                                                                 name));

  assert_non_null (button);
  assert_true (gtk_widget_get_visible (button));
  gtk_widget_activate (button);
}

typedef struct {
  FerryTransfer *transfer;
  gint64         bytes;
} BytesWait;

static gboolean
transfer_passed (gpointer data)
{
  BytesWait *wait = data;

  return ferry_transfer_get_state (wait->transfer) == FERRY_TRANSFER_RUNNING &&
         ferry_transfer_get_bytes_done (wait->transfer) >= wait->bytes;
}

static void
wait_cancelled (FerryTransfer *transfer)
{
  gpointer cancelled[2] = { transfer, GINT_TO_POINTER (FERRY_TRANSFER_CANCELLED) };

  assert_true (ferry_test_wait_for (transfer_state_is, cancelled, 20000));
}

static goffset
size_of (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : -1;
}

/* Issue 17 item 5: Cancel (a row's button) deletes what a download received, as GNOME Files
 * and browsers do; Pause keeps it, and Resume continues it where it stopped (REST): the
 * kept bytes, overwritten here with a marker the server's file does not have, are still
 * the file's first bytes after more arrived. */
static void
test_cancel_deletes_partial_unless_paused (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  g_autofree char *part = g_build_filename (fixture->local, "big.bin.part", NULL);
  g_autofree char *target = g_build_filename (fixture->local, "big.bin", NULL);
  g_autofree char *marker = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(FerryTransfer) cancelled = NULL;
  g_autoptr(FerryTransfer) paused = NULL;
  BytesWait wait;
  GtkWidget *row;
  gsize length = 0;
  goffset kept;

  connect_window (fixture->window, url);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-progress", NULL);

  /* Cancel: nothing is left behind. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/big.bin", fixture->local);
  cancelled = g_list_model_get_item (G_LIST_MODEL (fixture->window->queue), 0);
  wait = (BytesWait) { cancelled, 256 * 1024 };
  assert_true (ferry_test_wait_for (transfer_passed, &wait, 20000));
  assert_true (g_file_test (part, G_FILE_TEST_EXISTS));
  row = row_of_transfer (fixture->window, cancelled);
  assert_non_null (row);
  click_row_button (row, "cancel_button");
  wait_cancelled (cancelled);
  assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  assert_string_equal (ferry_transfer_row_get_status (FERRY_TRANSFER_ROW (row)), "Cancelled");

  /* Pause: the partial file stays, and the row says so. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/big.bin", fixture->local);
  paused = g_list_model_get_item (G_LIST_MODEL (fixture->window->queue), 1);
  wait = (BytesWait) { paused, 256 * 1024 };
  assert_true (ferry_test_wait_for (transfer_passed, &wait, 20000));
  row = row_of_transfer (fixture->window, paused);
  assert_non_null (row);
  click_row_button (row, "pause_button");
  wait_cancelled (paused);
  kept = size_of (part);
  assert_true (kept >= 256 * 1024);
  assert_true (g_str_has_prefix (ferry_transfer_row_get_status (FERRY_TRANSFER_ROW (row)),
                                 "Paused"));
  assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  /* The server's big.bin is all zeros: a download that started over would write zeros. */
  marker = g_malloc ((gsize) kept);
  memset (marker, 'R', (gsize) kept);
  assert_true (g_file_set_contents (part, marker, (gssize) kept, NULL));

  /* Resume (the same row's Retry button): more arrives after the kept bytes. */
  click_row_button (row, "retry_button");
  wait = (BytesWait) { paused, kept + 256 * 1024 };
  assert_true (ferry_test_wait_for (transfer_passed, &wait, 20000));
  click_row_button (row, "pause_button");
  wait_cancelled (paused);
  assert_true (g_file_get_contents (part, &contents, &length, NULL));
  g_print ("# kept %" G_GOFFSET_FORMAT " bytes; after resuming, %" G_GSIZE_FORMAT "\n",
           kept, length);
  assert_true ((goffset) length > kept);
  assert_memory_equal (contents, marker, (size_t) kept);
  assert_int_equal (contents[kept], '\0');
}

static gboolean
window_has_toast_button (gpointer data)
{
  gpointer *args = data;

  return args[1] != NULL;
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
toast_button_appeared (gpointer data)
{
  gpointer *args = data;

  args[1] = find_action_button (GTK_WIDGET (FERRY_WINDOW (args[0])->toast_overlay),
                                "win.show-failed");
  return window_has_toast_button (data);
}

/* Whether the first failed row lies inside the visible part of the progress dialog's list,
 * and has the keyboard. */
static gboolean
first_failure_in_view (gpointer data)
{
  FerryWindow *window = data;
  GtkListBox *list;
  GtkWidget *scrolled;
  graphene_rect_t bounds;

  if (window->progress_dialog == NULL
      || !gtk_widget_get_mapped (GTK_WIDGET (window->progress_dialog)))
    return FALSE;
  list = ferry_progress_dialog_get_list (window->progress_dialog);
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      FerryTransfer *transfer;

      if (!FERRY_IS_TRANSFER_ROW (row))
        continue;
      transfer = ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (row));
      if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_FAILED)
        continue;
      return gtk_widget_compute_bounds (row, scrolled, &bounds)
             && bounds.origin.y >= 0
             && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled)
             && gtk_widget_has_focus (row);
    }
  return FALSE;
}

/* Issue 17 item 5: the batch toast "1 of 25 transfers failed" has Show beside Retry All; it
 * opens the progress dialog scrolled to the failed row, far below the first rows. */
static void
test_batch_toast_shows_the_failure (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  gpointer found[2] = { fixture->window, NULL };
  const guint n_files = 25, failing = 20;

  connect_window (fixture->window, url);
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *folder = g_strdup_printf ("%s/copy-%02u", fixture->local, i);

      assert_int_equal (g_mkdir (folder, 0755), 0);
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                                  i == failing ? "/not-there.txt" : "/notes.txt", folder);
    }
  assert_true (ferry_test_wait_for (queue_is_done, fixture->window, 60000));
  assert_string_equal (fixture->window->last_toast, "1 of 25 transfers failed");

  /* The toast's Show button, as a person clicks it. */
  assert_true (ferry_test_wait_for (toast_button_appeared, found, 10000));
  gtk_widget_activate (found[1]);
  assert_true (ferry_test_wait_for (first_failure_in_view, fixture->window, 10000));
  /* And it stays there (no late scrolling of the list, an animation, takes it away). */
  ferry_test_spin (500);
  assert_true (first_failure_in_view (fixture->window));
}

/* Issue 17 item 5: the server refuses two files of a folder downloaded whole (it may not
 * read them: 550). The batch ends in one toast that counts them, nothing of theirs is left
 * on disk, the others arrive, and Show opens the list at the first refused one.
 * test_window.py runs this alone; it takes the batch-summary and batch-failure shots. */
static void
test_batch_refused_by_the_server (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_REFUSING_URL");
  g_auto(GStrv) names = g_strsplit (env_or_skip ("FERRY_TEST_REFUSING_FILES"), ",", -1);
  g_auto(GStrv) refused = g_strsplit (env_or_skip ("FERRY_TEST_REFUSED_FILES"), ",", -1);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *summary = NULL;
  g_autofree char *counts = NULL;
  gpointer found[2] = { fixture->window, NULL };
  GListModel *queue;
  guint n_names = g_strv_length (names), n_refused = g_strv_length (refused), n_failed = 0;
  g_autofree char *tooltip = NULL;
  const char *header;

  g_settings_set_string (settings, "download-folder", fixture->local);
  connect_window (fixture->window, url);
  assert_int_equal (g_list_model_get_n_items (ferry_file_list_get_model (
                                                fixture->window->file_list)), n_names);
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (ferry_file_list_get_model (
                                                         fixture->window->file_list)));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-selected", NULL);
  assert_true (ferry_test_wait_for (queue_is_done, fixture->window, 60000));

  queue = G_LIST_MODEL (fixture->window->queue);
  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (queue, i);
      g_autofree char *name = g_path_get_basename (ferry_transfer_get_remote_path (transfer));
      g_autofree char *local = g_build_filename (fixture->local, name, NULL);
      g_autofree char *part = g_strconcat (local, ".part", NULL);
      gboolean is_refused = g_strv_contains ((const char * const *) refused, name);

      assert_int_equal (ferry_transfer_get_state (transfer),
                        is_refused ? FERRY_TRANSFER_FAILED : FERRY_TRANSFER_DONE);
      assert_int_equal (g_file_test (local, G_FILE_TEST_EXISTS), !is_refused);
      assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
      if (is_refused)
        {
          const GError *error = ferry_transfer_get_error (transfer);

          assert_non_null (error);
          g_print ("# %s: %s\n", name, error->message);
          assert_non_null (strstr (error->message, "550"));
          n_failed++;
        }
    }
  assert_int_equal (n_failed, n_refused);
  summary = g_strdup_printf ("%u of %u transfers failed", n_refused, n_names);
  assert_string_equal (fixture->window->last_toast, summary);
  assert_int_equal (fixture->window->n_toasts, 1);
  /* The header's button: a ring with "!" (not a full pie, a black dot), the count in its
   * tooltip. */
  assert_true (ferry_progress_icon_get_finished (fixture->window->progress_icon));
  assert_int_equal (ferry_progress_icon_get_n_failed (fixture->window->progress_icon), n_refused);
  tooltip = g_strdup_printf ("%u failed", n_refused);
  assert_non_null (strstr (gtk_widget_get_tooltip_text (fixture->window->progress_button),
                           tooltip));

  assert_true (ferry_test_wait_for (toast_button_appeared, found, 10000));
  ferry_test_screenshot (GTK_WIDGET (fixture->window), "batch-summary");
  gtk_widget_activate (found[1]);
  assert_true (ferry_test_wait_for (first_failure_in_view, fixture->window, 10000));
  header = gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (
                                            GTK_WIDGET (fixture->window->progress_dialog),
                                            FERRY_TYPE_PROGRESS_DIALOG, "overall_label")));
  counts = g_strdup_printf ("%u failed, %u finished", n_refused, n_names - n_refused);
  assert_string_equal (header, counts);
  ferry_test_screenshot (GTK_WIDGET (fixture->window->progress_dialog), "batch-failure");
}

/* Issue 17 item 7: Ctrl+H (win.show-hidden) shows the dot-files the server lists,
 * remembered in GSettings for the next window. */
static void
test_hidden_files_toggle (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  gboolean server_lists_them = g_getenv ("FERRY_TEST_LISTS_HIDDEN") != NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  FerryWindow *second;
  gboolean shown = FALSE;

  g_settings_set_boolean (settings, "show-hidden", FALSE);
  connect_window (fixture->window, url);
  before = shown_names (fixture->window);
  assert_false (names_contain (before, ".hidden"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-hidden", NULL);
  assert_true (g_settings_get_boolean (settings, "show-hidden"));
  after = shown_names (fixture->window);
  assert_int_equal (names_contain (after, ".hidden"), server_lists_them);
  assert_true (after->len >= before->len);

  /* A new window starts with the choice. */
  second = g_object_new (FERRY_TYPE_WINDOW, NULL);
  g_object_get (second, "show-hidden", &shown, NULL);
  assert_true (shown);
  gtk_window_destroy (GTK_WINDOW (second));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-hidden", NULL);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = shown_names (fixture->window);
  assert_false (names_contain (after, ".hidden"));
  assert_false (g_settings_get_boolean (settings, "show-hidden"));
}

static gboolean
window_is_connecting (gpointer data)
{
  gboolean connecting = FALSE;

  g_object_get (data, "connecting", &connecting, NULL);
  return connecting;
}

/* Issue 17 item 8: a server that accepts the connection and never says hello: Cancel (the
 * button and Escape run win.cancel-connect) stops at once, back on the form, no error. */
static void
test_cancel_while_connecting (void **state)
{
  Fixture *fixture = *state;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t len = sizeof addr;
  g_autofree char *url = NULL;
  gint64 start;
  int fd;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_STREAM, 0);
  assert_true (fd >= 0);
  assert_int_equal (bind (fd, (struct sockaddr *) &addr, sizeof addr), 0);
  assert_int_equal (listen (fd, 4), 0);   /* the kernel completes connects; nobody answers */
  assert_int_equal (getsockname (fd, (struct sockaddr *) &addr, &len), 0);
  url = g_strdup_printf ("ftp://127.0.0.1:%u/", ntohs (addr.sin_port));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (window_is_connecting (fixture->window));
  ferry_test_spin (500);
  assert_true (window_is_connecting (fixture->window));

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-connect", NULL);
  assert_false (window_is_connecting (fixture->window));
  ferry_test_spin (300);
  assert_true (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC);
  assert_false (window_is_connecting (fixture->window));
  assert_string_equal (gtk_stack_get_visible_child_name (fixture->window->main_stack), "connect");
  assert_null (ferry_connect_page_get_error (fixture->window->connect_page));
  assert_null (fixture->window->client);
  close (fd);
}

static gboolean
selection_is_photos (gpointer data)
{
  FerryWindow *window = data;
  g_autoptr(GPtrArray) selected = ferry_file_list_get_selected_files (window->file_list);

  return window_is_browsing (window) && g_strcmp0 (window->current_path, "/") == 0 &&
         selected->len == 1 &&
         g_strcmp0 (ferry_remote_file_get_name (g_ptr_array_index (selected, 0)), "photos") == 0;
}

/* Issue 17 item 12 (in part): going up selects the folder the user came from, as in
 * GNOME Files: Parent Folder and Back alike. */
static void
test_going_up_selects_where_you_came_from (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  FerryWindow *window = fixture->window;

  connect_window (window, url);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-folder", "s", "/photos");
  ferry_test_spin (50);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 10000));
  assert_string_equal (window->current_path, "/photos");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-up", NULL);
  assert_true (ferry_test_wait_for (selection_is_photos, window, 10000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-folder", "s", "/photos");
  ferry_test_spin (50);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  assert_true (ferry_test_wait_for (selection_is_photos, window, 10000));
}

static void
test_untrusted_certificate_asks (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_TLS_URL");
  g_autofree char *store = g_build_filename (g_get_user_config_dir (), "ferry",
                                             "trusted-certificates", NULL);
  AdwMessageDialog *dialog;
  const char *fingerprint;

  /* Cancel: an error in words, nothing remembered. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 20000));
  dialog = find_message_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Trust This Server?");
  fingerprint = gtk_label_get_text (GTK_LABEL (adw_message_dialog_get_extra_child (dialog)));
  /* SHA-256: 32 bytes as "AB:CD:…". */
  assert_int_equal (strlen (fingerprint), 32 * 3 - 1);
  assert_int_equal (fingerprint[2], ':');
  respond (dialog, "cancel");
  assert_true (ferry_test_wait_for (connect_page_has_error, fixture->window, 10000));
  assert_non_null (strstr (ferry_connect_page_get_error (fixture->window->connect_page),
                           "could not be verified"));
  assert_false (g_file_test (store, G_FILE_TEST_EXISTS));

  /* Trust Once: browsing, still nothing remembered. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 20000));
  respond (find_message_dialog (fixture->window), "once");
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 20000));
  assert_false (g_file_test (store, G_FILE_TEST_EXISTS));

  /* Always Trust: remembered, so the next connection asks nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.disconnect", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 20000));
  respond (find_message_dialog (fixture->window), "always");
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 20000));
  assert_true (g_file_test (store, G_FILE_TEST_EXISTS));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.disconnect", NULL);
  connect_window (fixture->window, url);
  assert_null (find_message_dialog (fixture->window));
}

/* Every label's text beneath widget, one per line. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* A certificate other than the one trusted always: the serious warning (not the first-visit
 * question), Cancel by default, and neither way on replaces the pin by accident. */
static void
test_changed_certificate_warns (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_TLS_URL");
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "ferry", NULL);
  g_autofree char *store = g_build_filename (folder, "trusted-certificates", NULL);
  /* What the store would hold had the server's earlier certificate been trusted always. */
  const char *old = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
  g_autoptr(FerryUrl) parsed = ferry_url_parse (url, NULL);
  g_autofree char *pin = g_strdup_printf ("[%s:%u]\nsha256=%s\n", parsed->host, parsed->port, old);
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autofree char *contents = NULL;
  AdwMessageDialog *dialog;

  assert_int_equal (g_mkdir_with_parents (folder, 0700), 0);
  assert_true (g_file_set_contents (store, pin, -1, NULL));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 20000));
  dialog = find_message_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog),
                       "The Server’s Certificate Has Changed");
  assert_string_equal (adw_message_dialog_get_default_response (dialog), "cancel");
  assert_string_equal (adw_message_dialog_get_close_response (dialog), "cancel");
  assert_int_equal (adw_message_dialog_get_response_appearance (dialog, "once"),
                    ADW_RESPONSE_DESTRUCTIVE);
  assert_int_equal (adw_message_dialog_get_response_appearance (dialog, "always"),
                    ADW_RESPONSE_DESTRUCTIVE);
  assert_string_equal (adw_message_dialog_get_response_label (dialog, "once"), "Connect _Anyway");
  /* Both fingerprints, the old one first. */
  collect_labels (adw_message_dialog_get_extra_child (dialog), labels);
  assert_non_null (strstr (labels->str, old));
  assert_int_equal (strlen (strstr (labels->str, old)) > strlen (old) + 32 * 3, TRUE);

  /* Cancel: an error in words, the pin untouched. */
  respond (dialog, "cancel");
  assert_true (ferry_test_wait_for (connect_page_has_error, fixture->window, 10000));
  assert_non_null (strstr (ferry_connect_page_get_error (fixture->window->connect_page),
                           "has changed"));
  assert_true (g_file_get_contents (store, &contents, NULL, NULL));
  assert_string_equal (contents, pin);
  g_clear_pointer (&contents, g_free);

  /* Connect Anyway: this time only; the pin is still the old one. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (message_dialog_shown, fixture->window, 20000));
  respond (find_message_dialog (fixture->window), "once");
  assert_true (ferry_test_wait_for (window_is_browsing, fixture->window, 20000));
  assert_true (g_file_get_contents (store, &contents, NULL, NULL));
  assert_non_null (strstr (contents, old));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.disconnect", NULL);
  assert_int_equal (g_unlink (store), 0);
}

static void
test_wrong_password_shows_error (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_BAD_URL");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (connect_page_has_error, fixture->window, 30000));
  assert_string_equal (ferry_connect_page_get_error (fixture->window->connect_page),
                       "Wrong user name or password");
  assert_string_equal (gtk_stack_get_visible_child_name (fixture->window->main_stack), "connect");
  /* The form keeps what was typed. */
  assert_non_null (strstr (ferry_connect_page_get_server (fixture->window->connect_page),
                           "127.0.0.1"));
  assert_false (ferry_window_is_connected (fixture->window));
}

static void
test_refused_connection_shows_error (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_REFUSED_URL");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", "s", url);
  assert_true (ferry_test_wait_for (connect_page_has_error, fixture->window, 30000));
  assert_non_null (strstr (ferry_connect_page_get_error (fixture->window->connect_page),
                           "does not accept connections"));
  /* What to check, not the socket's words. */
  assert_string_equal (ferry_connect_page_get_error_detail (fixture->window->connect_page),
                       "Check the port number, and that the FTP server is running.");
  assert_string_equal (gtk_stack_get_visible_child_name (fixture->window->main_stack), "connect");
  assert_false (ferry_window_is_connected (fixture->window));
}

static gboolean
breadcrumbs_show_the_end (gpointer data)
{
  FerryWindow *window = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (window->breadcrumbs_scroller);

  return gtk_adjustment_get_value (adjustment) > 0 &&
         G_APPROX_VALUE (gtk_adjustment_get_value (adjustment),
                         gtk_adjustment_get_upper (adjustment) -
                         gtk_adjustment_get_page_size (adjustment), 0.5);
}

/* The crumbs of a deep folder scroll inside the header bar, showing the folder itself;
 * they used to make the window wider than the screen. */
static void
test_deep_path_keeps_the_window_narrow (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  GtkWidget *window = GTK_WIDGET (fixture->window);
  int minimum = 0, natural = 0;

  connect_window (fixture->window, url);
  gtk_widget_activate_action (window, "win.open-folder", "s", DEEP_FOLDER);
  ferry_test_spin (100);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 10000));
  assert_string_equal (fixture->window->current_path, DEEP_FOLDER);

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  if (minimum > 640)
    fail_msg ("the window needs %d pixels for its path", minimum);
  assert_true (ferry_test_wait_for (breadcrumbs_show_the_end, fixture->window, 5000));
  ferry_test_screenshot (window, "deep-path");
}

static gboolean
connection_lost_shown (gpointer data)
{
  FerryWindow *window = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "lost") == 0;
}

static gboolean
window_is_reconnecting (gpointer data)
{
  gboolean reconnecting = FALSE;

  g_object_get (data, "reconnecting", &reconnecting, NULL);
  return reconnecting;
}

static gboolean
window_is_not_reconnecting (gpointer data)
{
  return !window_is_reconnecting (data);
}

/* Drops the window's control connection under it, as a broken network would. */
static void
drop_connection (FerryWindow *window)
{
  GSocket *socket = g_socket_connection_get_socket (window->client->socket);

  assert_true (g_socket_shutdown (socket, TRUE, TRUE, NULL));
}

/* Issue 17 item 6: after a drop the window reconnects by itself (visibly, on the
 * Reconnecting page) and comes back to the folder it showed; Cancel stops the tries and
 * leaves the Connection Lost page. */
static void
test_reconnects_by_itself (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  FerryWindow *window = fixture->window;
  g_autoptr(FerryClient) before = NULL;

  connect_window (window, url);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-folder", "s", "/photos");
  ferry_test_spin (50);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 10000));
  before = g_object_ref (window->client);   /* held: a new client cannot take its address */

  drop_connection (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  assert_true (ferry_test_wait_for (window_is_reconnecting, window, 10000));
  assert_true (connection_lost_shown (window));
  assert_string_equal (adw_status_page_get_title (window->lost_page), "Reconnecting…");
  assert_non_null (strstr (adw_status_page_get_description (window->lost_page), "(1 of 4)"));

  assert_true (ferry_test_wait_for (window_is_browsing, window, 15000));
  assert_false (window_is_reconnecting (window));
  assert_true (window->client != before);
  assert_string_equal (window->current_path, "/photos");

  /* Cancel: no more tries, the page that offers Reconnect. */
  drop_connection (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  assert_true (ferry_test_wait_for (window_is_reconnecting, window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-reconnecting", NULL);
  assert_false (window_is_reconnecting (window));
  assert_string_equal (adw_status_page_get_title (window->lost_page), "Connection Lost");
  ferry_test_spin (2500);
  assert_true (connection_lost_shown (window));
  assert_false (window_is_browsing (window));
}

/* A folder download leaves out each entry whose name cannot be saved safely, downloads the
 * rest, and its row in the progress dialog lists what it left out, escaped. */
static void
test_folder_download_skips_unsafe_names (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *remote = g_build_filename (root, "unsafe-names", NULL);
  g_autofree char *local = g_build_filename (fixture->local, "unsafe-names", NULL);
  g_autofree char *fine = g_build_filename (local, "fine.txt", NULL);
  g_autoptr(GFile) into = g_file_new_for_path (fixture->local);
  static const char *unsafe[] = { "bell\x07.txt", "a\\b.txt", "csi\xc2\x9b" "2J.txt" };
  FerryTransfer *transfer;
  const char *skipped = NULL;
  GtkListBox *list;

  assert_int_equal (g_mkdir_with_parents (remote, 0755), 0);
  {
    g_autofree char *path = g_build_filename (remote, "fine.txt", NULL);

    assert_true (g_file_set_contents (path, "fine\n", -1, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (unsafe); i++)
    {
      g_autofree char *path = g_build_filename (remote, unsafe[i], NULL);

      assert_true (g_file_set_contents (path, "unsafe\n", -1, NULL));
    }

  connect_window (fixture->window, url);
  transfer = _ferry_window_download (fixture->window, "/unsafe-names", TRUE, into);
  assert_non_null (transfer);
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 30000));
  assert_int_equal (ferry_transfer_get_state (transfer), FERRY_TRANSFER_DONE);
  assert_int_equal (ferry_transfer_get_skipped (transfer)->len, G_N_ELEMENTS (unsafe));
  assert_true (g_file_test (fine, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(GDir) dir = g_dir_open (local, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (dir) != NULL)
      n++;
    assert_int_equal (n, 1);
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-progress", NULL);
  list = ferry_progress_dialog_get_list (fixture->window->progress_dialog);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (FERRY_IS_TRANSFER_ROW (row)
        && ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (row)) == transfer)
      skipped = ferry_transfer_row_get_skipped_text (FERRY_TRANSFER_ROW (row));
  assert_non_null (skipped);
  assert_non_null (strstr (skipped, "3 items skipped: unsafe names"));
  assert_non_null (strstr (skipped, "/unsafe-names/bell\\x07.txt"));
  assert_non_null (strstr (skipped, "/unsafe-names/a\\b.txt"));
  assert_non_null (strstr (skipped, "/unsafe-names/csi\\u009B2J.txt"));
  assert_null (strchr (skipped, 0x07));

  gtk_window_close (GTK_WINDOW (fixture->window->progress_dialog));
  ferry_test_rm_rf (remote);
}

/* Last: it stops the server. */
static void
test_lost_connection_shows_status_page (void **state)
{
  Fixture *fixture = *state;
  const char *url = env_or_skip ("FERRY_TEST_URL");
  const char *pid = env_or_skip ("FERRY_TEST_SERVER_PID");

  connect_window (fixture->window, url);
  assert_int_equal (kill ((pid_t) g_ascii_strtoll (pid, NULL, 10), SIGTERM), 0);
  ferry_test_spin (300);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  assert_true (ferry_test_wait_for (connection_lost_shown, fixture->window, 20000));
  assert_non_null (strstr (adw_status_page_get_description (fixture->window->lost_page),
                           "was lost"));
  /* It tries by itself first (1 + 2 + 4 + 8 s), then gives up on the Connection Lost page. */
  assert_true (window_is_reconnecting (fixture->window));
  assert_true (ferry_test_wait_for (window_is_not_reconnecting, fixture->window, 60000));
  assert_string_equal (adw_status_page_get_title (fixture->window->lost_page), "Connection Lost");
  assert_true (connection_lost_shown (fixture->window));
  /* Reconnecting is offered, and fails in words while the server is gone. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reconnect", NULL);
  assert_true (ferry_test_wait_for (connect_page_has_error, fixture->window, 20000));
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_connect_lists_files_without_dot_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_deep_path_keeps_the_window_narrow, setup, teardown),
    cmocka_unit_test_setup_teardown (test_drop_uploads_files_and_folder, setup, teardown),
    cmocka_unit_test_setup_teardown (test_download_action_and_progress_dialog, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cancel_stops_a_download, setup, teardown),
    cmocka_unit_test_setup_teardown (test_drag_out_delivers_downloaded_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_conflict_opens_dialog, setup, teardown),
    cmocka_unit_test_setup_teardown (test_new_folder_rename_and_delete, setup, teardown),
    cmocka_unit_test_setup_teardown (test_header_follows_window_state, setup, teardown),
    cmocka_unit_test_setup_teardown (test_menus_name_real_actions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_upload_menu_asks_for_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_name_dialogs_close_on_enter, setup, teardown),
    cmocka_unit_test_setup_teardown (test_running_transfers_are_not_killed, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reconnect_keeps_transfers_and_part_resumes, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_rename_onto_existing_name_asks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_big_batch, setup, teardown),
    cmocka_unit_test_setup_teardown (test_batch_summary_and_retry_all, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cancel_deletes_partial_unless_paused, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_batch_toast_shows_the_failure, setup, teardown),
    cmocka_unit_test_setup_teardown (test_batch_refused_by_the_server, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hidden_files_toggle, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cancel_while_connecting, setup, teardown),
    cmocka_unit_test_setup_teardown (test_going_up_selects_where_you_came_from, setup, teardown),
    cmocka_unit_test_setup_teardown (test_untrusted_certificate_asks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_changed_certificate_warns, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_password_shows_error, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refused_connection_shows_error, setup, teardown),
    cmocka_unit_test_setup_teardown (test_folder_download_skips_unsafe_names, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reconnects_by_itself, setup, teardown),
    cmocka_unit_test_setup_teardown (test_lost_connection_shows_status_page, setup, teardown),
  };

  ferry_test_init (&argc, &argv);
  /* FERRY_TEST_ONLY=test_name (a cmocka pattern) runs just those, when working on one. */
  if (g_getenv ("FERRY_TEST_ONLY") != NULL)
    cmocka_set_test_filter (g_getenv ("FERRY_TEST_ONLY"));
  return cmocka_run_group_tests (tests, NULL, NULL);
}
