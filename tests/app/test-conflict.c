// SPDX-License-Identifier: GPL-3.0-or-later
/* test-conflict.c — name clashes through a real FerryWindow against a real ferryd (issue 17
 * item 11): the file dialog shows the sizes and dates of both files, read from its labels;
 * a folder offers Merge, Skip and Cancel, and each answer does on disk and on the server
 * what it says, checked byte for byte.
 *
 * test_conflict.py starts ferryd --write and runs this under Xvfb with FERRY_TEST_URL
 * (ftp://user:password@127.0.0.1:PORT/) and FERRY_TEST_ROOT (the served folder), which
 * holds notes.txt, photos/{a,b,c}.txt and docs/{x,w}.txt. With FERRY_TEST_SCREENSHOTS set,
 * conflict.png and conflict-folder.png show the two dialogs there. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <utime.h>

#include "ferry-app-test-utils.h"
#include "ferry-conflict-dialog.h"
#include "ferry-window-private.h"

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
      g_printerr ("%s is not set; run this through test_conflict.py\n", name);
      skip ();
    }

  return value;
}

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->local = ferry_test_make_tmpdir ("conflict-test");
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

static gboolean
window_is_browsing (gpointer data)
{
  FerryWindow *window = data;

  return window->current_path != NULL && !window->loading &&
         g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "browse") == 0;
}

static gboolean
conflict_dialog_shown (gpointer data)
{
  FerryWindow *window = data;

  return window->conflict_dialog != NULL && gtk_widget_get_mapped (window->conflict_dialog);
}

static gboolean
queue_is_idle (gpointer data)
{
  FerryWindow *window = data;

  return window->queue != NULL && window->conflict_dialog == NULL &&
         g_queue_is_empty (&window->conflicts) &&
         ferry_transfer_queue_get_n_active (window->queue) == 0;
}

static void
connect_window (FerryWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s",
                              env_or_skip ("FERRY_TEST_URL"));
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
}

static void
collect_mnemonics (GtkWidget *widget,
                   GArray    *keys)
{
  /* libadwaita keeps a row and a column of the response buttons: one is on screen. */
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget))
      && gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));

      for (guint i = 0; i < keys->len; i++)
        if (g_array_index (keys, guint, i) == key)
          fail_msg ("Alt+%s twice in the dialog", gdk_keyval_name (key));
      g_array_append_val (keys, key);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, keys);
}

/* The dialog the window asks with now; waits for it. Its Alt+letters differ. */
static AdwMessageDialog *
next_dialog (FerryWindow *window)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!ferry_test_wait_for (conflict_dialog_shown, window, 20000))
    fail_msg ("no conflict dialog after 20 s");
  collect_mnemonics (window->conflict_dialog, keys);
  assert_true (keys->len >= 3);
  return ADW_MESSAGE_DIALOG (window->conflict_dialog);
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

typedef struct {
  GtkWidget  *dialog;
  const char *expected[2];
} LabelsShow;

static gboolean
labels_show (gpointer data)
{
  LabelsShow *wanted = data;
  g_autoptr(GString) text = g_string_new ("");

  collect_labels (wanted->dialog, text);
  for (guint i = 0; i < G_N_ELEMENTS (wanted->expected); i++)
    if (strstr (text->str, wanted->expected[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* "900 bytes, modified <the locale's date and time>", as a person reads it. */
static char *
facts_text (const char *path)
{
  GStatBuf st;
  g_autofree char *size = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *date = NULL;

  assert_int_equal (g_stat (path, &st), 0);
  size = g_format_size ((guint64) st.st_size);
  modified = g_date_time_new_from_unix_local (st.st_mtime);
  date = g_date_time_format (modified, "%x %X");
  return g_strdup_printf ("%s, modified %s", size, date);
}

static void
assert_file_is (const char *path,
                const char *expected_path_or_null,
                const char *expected_text)
{
  g_autoptr(GBytes) actual = ferry_test_read_file (path);

  if (actual == NULL)
    fail_msg ("%s does not exist", path);
  if (expected_path_or_null != NULL)
    {
      g_autoptr(GBytes) expected = ferry_test_read_file (expected_path_or_null);

      assert_non_null (expected);
      if (!g_bytes_equal (expected, actual))
        fail_msg ("%s differs from %s", path, expected_path_or_null);
    }
  else
    {
      assert_int_equal (g_bytes_get_size (actual), strlen (expected_text));
      assert_memory_equal (g_bytes_get_data (actual, NULL), expected_text, strlen (expected_text));
    }
}

static void
write_text (const char *path,
            const char *text)
{
  assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* An old local notes.txt: the dialog gives both files' sizes and dates, and says the
 * server's copy is the newer and larger one. Skip leaves the local file alone. */
static void
test_file_dialog_shows_sizes_and_dates (void **state)
{
  Fixture *fixture = *state;
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *remote = g_build_filename (root, "notes.txt", NULL);
  g_autofree char *local = g_build_filename (fixture->local, "notes.txt", NULL);
  g_autoptr(GDateTime) old = g_date_time_new_utc (2020, 1, 2, 12, 0, 0);
  g_autofree char *local_facts = NULL;
  g_autofree char *remote_facts = NULL;
  g_autofree char *remote_hinted = NULL;
  AdwMessageDialog *dialog;
  LabelsShow wanted;

  write_text (local, "mine\n");
  assert_int_equal (g_utime (local, &(struct utimbuf) { g_date_time_to_unix (old),
                                                        g_date_time_to_unix (old) }), 0);
  local_facts = facts_text (local);
  remote_facts = facts_text (remote);
  remote_hinted = g_strdup_printf ("On the server: %s (newer, larger)", remote_facts);

  connect_window (fixture->window);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/notes.txt", fixture->local);
  dialog = next_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Replace “notes.txt”?");
  assert_true (adw_message_dialog_has_response (dialog, FERRY_CONFLICT_RESPONSE_KEEP_BOTH));

  wanted.dialog = GTK_WIDGET (dialog);
  wanted.expected[0] = remote_hinted;
  wanted.expected[1] = local_facts;
  if (!ferry_test_wait_for (labels_show, &wanted, 20000))
    {
      g_autoptr(GString) text = g_string_new ("");

      collect_labels (GTK_WIDGET (dialog), text);
      fail_msg ("the dialog says:\n%s\nnot “%s” and “%s”", text->str, remote_hinted,
                local_facts);
    }
  ferry_test_screenshot (GTK_WIDGET (dialog), "conflict");

  adw_message_dialog_response (dialog, FERRY_CONFLICT_RESPONSE_SKIP);
  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
  assert_file_is (local, NULL, "mine\n");
}

/* A folder that is here already: Merge, then Replace for a.txt and Keep Both for c.txt.
 * b.txt arrives, a.txt is the server's, c.txt is kept beside "c (1).txt", z.txt (only
 * here) stays. */
static void
test_folder_download_merges_and_asks_per_file (void **state)
{
  Fixture *fixture = *state;
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *photos = g_build_filename (fixture->local, "photos", NULL);
  g_autofree char *a = g_build_filename (photos, "a.txt", NULL);
  g_autofree char *b = g_build_filename (photos, "b.txt", NULL);
  g_autofree char *c = g_build_filename (photos, "c.txt", NULL);
  g_autofree char *c_kept = g_build_filename (photos, "c (1).txt", NULL);
  g_autofree char *z = g_build_filename (photos, "z.txt", NULL);
  g_autofree char *server_a = g_build_filename (root, "photos", "a.txt", NULL);
  g_autofree char *server_b = g_build_filename (root, "photos", "b.txt", NULL);
  g_autofree char *server_c = g_build_filename (root, "photos", "c.txt", NULL);
  AdwMessageDialog *dialog;
  guint asked = 0;

  assert_int_equal (g_mkdir (photos, 0755), 0);
  write_text (a, "local a\n");
  write_text (c, "local c\n");
  write_text (z, "only here\n");

  connect_window (fixture->window);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                              "/photos", fixture->local);
  dialog = next_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Merge Folder “photos”?");
  assert_true (adw_message_dialog_has_response (dialog, FERRY_CONFLICT_RESPONSE_MERGE));
  assert_true (adw_message_dialog_has_response (dialog, FERRY_CONFLICT_RESPONSE_SKIP));
  assert_true (adw_message_dialog_has_response (dialog, FERRY_CONFLICT_RESPONSE_CANCEL));
  assert_false (adw_message_dialog_has_response (dialog, FERRY_CONFLICT_RESPONSE_REPLACE));
  /* Nothing is copied while the question is open. */
  assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  ferry_test_screenshot (GTK_WIDGET (dialog), "conflict-folder");
  adw_message_dialog_response (dialog, FERRY_CONFLICT_RESPONSE_MERGE);

  /* Then one question per file in both, in the order the folder is copied. */
  while (asked < 2)
    {
      const char *heading;

      dialog = next_dialog (fixture->window);
      heading = adw_message_dialog_get_heading (dialog);
      if (g_strcmp0 (heading, "Replace “a.txt”?") == 0)
        adw_message_dialog_response (dialog, FERRY_CONFLICT_RESPONSE_REPLACE);
      else if (g_strcmp0 (heading, "Replace “c.txt”?") == 0)
        adw_message_dialog_response (dialog, FERRY_CONFLICT_RESPONSE_KEEP_BOTH);
      else
        fail_msg ("asked “%s”", heading);
      asked++;
      ferry_test_spin (50);
    }

  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
  assert_null (fixture->window->conflict_dialog);
  assert_file_is (a, server_a, NULL);
  assert_file_is (b, server_b, NULL);
  assert_file_is (c, NULL, "local c\n");
  assert_file_is (c_kept, server_c, NULL);
  assert_file_is (z, NULL, "only here\n");
}

/* Skip leaves the folder as it was; Cancel too, and asks nothing more. */
static void
test_folder_skip_and_cancel_change_nothing (void **state)
{
  Fixture *fixture = *state;
  g_autofree char *photos = g_build_filename (fixture->local, "photos", NULL);
  g_autofree char *a = g_build_filename (photos, "a.txt", NULL);
  g_autofree char *b = g_build_filename (photos, "b.txt", NULL);
  const char *answers[] = { FERRY_CONFLICT_RESPONSE_SKIP, FERRY_CONFLICT_RESPONSE_CANCEL };

  assert_int_equal (g_mkdir (photos, 0755), 0);
  write_text (a, "local a\n");
  connect_window (fixture->window);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.download-to", "(ss)",
                                  "/photos", fixture->local);
      adw_message_dialog_response (next_dialog (fixture->window), answers[i]);
      assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
      ferry_test_spin (200);
      assert_null (fixture->window->conflict_dialog);
      assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
      assert_file_is (a, NULL, "local a\n");
    }
}

/* Uploading a folder the server has: Merge, then Skip with "apply to all" for the first
 * file in both. y.txt arrives byte for byte; x.txt and w.txt on the server stay theirs. */
static void
test_folder_upload_merges_and_skip_applies_to_all (void **state)
{
  Fixture *fixture = *state;
  const char *root = env_or_skip ("FERRY_TEST_ROOT");
  g_autofree char *docs = g_build_filename (fixture->local, "docs", NULL);
  g_autofree char *x = g_build_filename (docs, "x.txt", NULL);
  g_autofree char *y = g_build_filename (docs, "y.txt", NULL);
  g_autofree char *w = g_build_filename (docs, "w.txt", NULL);
  g_autofree char *server_x = g_build_filename (root, "docs", "x.txt", NULL);
  g_autofree char *server_y = g_build_filename (root, "docs", "y.txt", NULL);
  g_autofree char *server_w = g_build_filename (root, "docs", "w.txt", NULL);
  g_autoptr(GBytes) x_before = ferry_test_read_file (server_x);
  g_autoptr(GBytes) w_before = ferry_test_read_file (server_w);
  g_autoptr(GBytes) x_after = NULL;
  g_autoptr(GBytes) w_after = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (docs);
  GSList *files = NULL;
  AdwMessageDialog *dialog;

  assert_non_null (x_before);
  assert_int_equal (g_mkdir (docs, 0755), 0);
  write_text (x, "local x, not wanted there\n");
  write_text (y, "local y\n");
  write_text (w, "local w, not wanted there\n");

  connect_window (fixture->window);
  files = g_slist_prepend (files, folder);
  _ferry_window_upload_files (fixture->window, files);
  g_slist_free (files);

  dialog = next_dialog (fixture->window);
  assert_string_equal (adw_message_dialog_get_heading (dialog), "Merge Folder “docs”?");
  adw_message_dialog_response (dialog, FERRY_CONFLICT_RESPONSE_MERGE);

  dialog = next_dialog (fixture->window);
  assert_true (g_str_has_prefix (adw_message_dialog_get_heading (dialog), "Replace “"));
  assert_true (ferry_conflict_dialog_get_apply_to_all (FERRY_CONFLICT_DIALOG (dialog)) == FALSE);
  {
    /* The check box a person ticks. */
    GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
    GtkWidget *check = gtk_widget_get_last_child (extra);

    assert_true (GTK_IS_CHECK_BUTTON (check));
    assert_true (gtk_widget_get_visible (check));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  }
  adw_message_dialog_response (dialog, FERRY_CONFLICT_RESPONSE_SKIP);

  assert_true (ferry_test_wait_for (queue_is_idle, fixture->window, 20000));
  assert_null (fixture->window->conflict_dialog);
  assert_file_is (server_y, y, NULL);
  x_after = ferry_test_read_file (server_x);
  w_after = ferry_test_read_file (server_w);
  assert_true (g_bytes_equal (x_before, x_after));
  assert_true (g_bytes_equal (w_before, w_after));
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_file_dialog_shows_sizes_and_dates, setup, teardown),
    cmocka_unit_test_setup_teardown (test_folder_download_merges_and_asks_per_file, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_folder_skip_and_cancel_change_nothing, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_folder_upload_merges_and_skip_applies_to_all, setup,
                                     teardown),
  };

  ferry_test_init (&argc, &argv);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
