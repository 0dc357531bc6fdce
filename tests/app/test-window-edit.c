// SPDX-License-Identifier: GPL-3.0-or-later
/* test-window-edit.c — "Open With…" on a remote file (issue 17 item 9), through a real
 * FerryWindow, the real GtkAppChooserDialog and a real server.
 *
 * test_window_edit.py starts pyftpdlib or ferryd and runs this under Xvfb and a private
 * D-Bus session with:
 *   FERRY_TEST_URL    ftp://…@127.0.0.1:PORT/ with write access
 *   FERRY_TEST_ROOT   the server's folder, to check what arrives byte for byte
 *   FERRY_TEST_MARKS  where the test editor leaves a mark once it has saved
 * and XDG_DATA_HOME/applications holding ferry-test-MODE.desktop: a script that saves the
 * file it is given the way MODE says (append, twice, rename, backup). The server's folder
 * holds notes.txt, docs/report.bin (every byte value), plan.txt, todo.txt, draft.txt,
 * letter.txt and memo.txt; each case edits its own. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gdesktopappinfo.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "ferry-app-test-utils.h"
#include "ferry-window-private.h"

typedef struct {
  FerryWindow *window;
} Fixture;

static const char *
env_or_skip (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_printerr ("%s is not set; run this through test_window_edit.py\n", name);
      skip ();
    }
  return value;
}

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 960, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  *state = fixture;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fixture = *state;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ferry_test_spin (50);
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
is_disconnected (gpointer data)
{
  FerryWindow *window = data;

  return window->client == NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "connect") == 0;
}

static GtkWindow *
find_toplevel (FerryWindow *window,
               GType        type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      /* An answered dialog may stay on screen a moment (libadwaita 1.2). */
      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          g_object_get_data (G_OBJECT (toplevel), "ferry-test-answered") == NULL)
        return toplevel;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (data, ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static gboolean
app_chooser_shown (gpointer data)
{
  return find_toplevel (data, GTK_TYPE_APP_CHOOSER_DIALOG) != NULL;
}
G_GNUC_END_IGNORE_DEPRECATIONS

static AdwMessageDialog *
wait_for_message_dialog (FerryWindow *window)
{
  if (!ferry_test_wait_for (message_dialog_shown, window, 10000))
    fail_msg ("no question asked within 10 s");
  return ADW_MESSAGE_DIALOG (find_toplevel (window, ADW_TYPE_MESSAGE_DIALOG));
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_set_data (G_OBJECT (dialog), "ferry-test-answered", GINT_TO_POINTER (TRUE));
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static gboolean
editor_has_saved (gpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (data, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) != NULL;
}

typedef struct {
  FerryEditSession *session;
  FerryEditState    state;
} StateWait;

static gboolean
session_in_state (gpointer data)
{
  StateWait *wait = data;

  return ferry_edit_session_get_state (wait->session) == wait->state;
}

static void
wait_for_state (FerryEditSession *session,
                FerryEditState    state)
{
  StateWait wait = { session, state };

  if (!ferry_test_wait_for (session_in_state, &wait, 20000))
    fail_msg ("the edit of %s is in state %d, not %d, after 20 s",
              ferry_edit_session_get_remote_path (session),
              ferry_edit_session_get_state (session), state);
}

typedef struct {
  char *path;
  GBytes *bytes;
} SameBytes;

static gboolean
file_has_bytes (gpointer data)
{
  SameBytes *same = data;
  g_autoptr(GBytes) now = ferry_test_read_file (same->path);

  return now != NULL && g_bytes_equal (now, same->bytes);
}

/* Helpers ------------------------------------------------------------------------------- */

static char *
server_file (const char *remote_path)
{
  return g_build_filename (env_or_skip ("FERRY_TEST_ROOT"), remote_path, NULL);
}

static GBytes *
read_server_file (const char *remote_path)
{
  g_autofree char *path = server_file (remote_path);
  GBytes *bytes = ferry_test_read_file (path);

  if (bytes == NULL)
    fail_msg ("%s is not on the server", remote_path);
  return bytes;
}

/* Waits until the server's copy of remote_path holds exactly expected. */
static void
wait_for_server_bytes (const char *remote_path,
                       GBytes     *expected)
{
  SameBytes same = { server_file (remote_path), expected };
  gboolean arrived = ferry_test_wait_for (file_has_bytes, &same, 20000);

  g_free (same.path);
  if (!arrived)
    fail_msg ("%s on the server does not hold the edited bytes after 20 s", remote_path);
}

static GBytes *
read_local_copy (FerryEditSession *session)
{
  GBytes *bytes = ferry_test_read_file (g_file_peek_path (ferry_edit_session_get_file (session)));

  assert_non_null (bytes);
  return bytes;
}

/* An append as the server's other users make it: in place, the owner unchanged. */
static void
change_on_server (const char *remote_path,
                  const char *line)
{
  g_autofree char *path = server_file (remote_path);
  FILE *file = fopen (path, "ab");

  assert_non_null (file);
  assert_int_equal (fputs (line, file) >= 0, TRUE);
  assert_int_equal (fclose (file), 0);
}

static void
connect_window (FerryWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s",
                              env_or_skip ("FERRY_TEST_URL"));
  if (!ferry_test_wait_for (window_is_browsing, window, 20000))
    fail_msg ("not browsing after 20 s");
}

typedef struct {
  GAppInfo   *app;
  const char *content_type;
} DefaultApp;

/* GIO reads mimeapps.list again when its file monitor says it changed. */
static gboolean
is_default_app (gpointer data)
{
  DefaultApp *wanted = data;
  g_autoptr(GAppInfo) app = g_app_info_get_default_for_type (wanted->content_type, FALSE);

  return app != NULL && g_app_info_equal (app, wanted->app);
}

typedef struct {
  FerryWindow *window;
  const char  *name;
} Listed;

static gboolean
name_is_listed (gpointer data)
{
  Listed *listed = data;

  return window_is_browsing (listed->window) &&
         ferry_file_list_lookup (listed->window->file_list, listed->name) != NULL;
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static GtkTreeView *
find_tree_view (GtkWidget *widget)
{
  if (GTK_IS_TREE_VIEW (widget))
    return GTK_TREE_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkTreeView *found = find_tree_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks app's row in the chooser's list, as a user would pick it. */
static void
pick_in_chooser (GtkWindow *chooser,
                 GAppInfo  *app)
{
  GtkTreeView *view = find_tree_view (GTK_WIDGET (chooser));
  GtkTreeModel *model;
  GtkTreeIter iter;
  int app_column = -1;

  assert_non_null (view);
  model = gtk_tree_view_get_model (view);
  for (int i = 0; i < gtk_tree_model_get_n_columns (model); i++)
    if (g_type_is_a (gtk_tree_model_get_column_type (model, i), G_TYPE_APP_INFO))
      app_column = i;
  assert_true (app_column >= 0);

  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autoptr(GAppInfo) row_app = NULL;

      gtk_tree_model_get (model, &iter, app_column, &row_app, -1);
      if (row_app != NULL && g_app_info_equal (row_app, app))
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (view), &iter);
          return;
        }
    }
  fail_msg ("the chooser does not list %s", g_app_info_get_id (app));
}

G_GNUC_END_IGNORE_DEPRECATIONS

/* Opens remote_path with the test editor ferry-test-MODE through Open With… and the
 * application chooser, and waits until the editor has saved. */
static FerryEditSession *
open_with_editor (FerryWindow *window,
                  const char  *remote_path,
                  const char  *mode)
{
  const char *marks = env_or_skip ("FERRY_TEST_MARKS");
  g_autofree char *desktop_id = g_strdup_printf ("ferry-test-%s.desktop", mode);
  g_autoptr(GDesktopAppInfo) editor = g_desktop_app_info_new (desktop_id);
  g_autofree char *folder = ferry_vpath_dirname (remote_path);
  g_autofree char *name = ferry_vpath_basename (remote_path);
  g_autofree char *content_type = g_content_type_guess (name, NULL, 0, NULL);
  g_autoptr(GAppInfo) chosen = NULL;
  g_autoptr(GError) error = NULL;
  Listed listed = { window, name };
  GtkWindow *chooser;
  FerryEditSession *session;

  assert_non_null (editor);
  /* As a user who picked it once with "Set as default" would have it. */
  if (!g_app_info_set_as_default_for_type (G_APP_INFO (editor), content_type, &error))
    fail_msg ("could not make %s the default for %s: %s", desktop_id, content_type,
              error->message);
  {
    DefaultApp wanted = { G_APP_INFO (editor), content_type };

    if (!ferry_test_wait_for (is_default_app, &wanted, 10000))
      fail_msg ("%s is not the default for %s after 10 s", desktop_id, content_type);
  }
  ferry_test_rm_rf (marks);
  assert_int_equal (g_mkdir (marks, 0700), 0);

  if (g_strcmp0 (window->current_path, folder) != 0)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-folder", "s", folder);
  if (!ferry_test_wait_for (name_is_listed, &listed, 20000))
    fail_msg ("%s is not listed", remote_path);
  ferry_file_list_select_name (window->file_list, name);
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-with", NULL));

  if (!ferry_test_wait_for (app_chooser_shown, window, 10000))
    fail_msg ("Open With… showed no application chooser");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  chooser = find_toplevel (window, GTK_TYPE_APP_CHOOSER_DIALOG);
  pick_in_chooser (chooser, G_APP_INFO (editor));
  chosen = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (chooser));
  if (chosen == NULL || !g_app_info_equal (chosen, G_APP_INFO (editor)))
    fail_msg ("the chooser has %s, not %s, after picking it",
              chosen ? g_app_info_get_id (chosen) : "nothing", desktop_id);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_OK);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (!ferry_test_wait_for (editor_has_saved, (gpointer) marks, 30000))
    fail_msg ("the editor did not run on %s within 30 s", remote_path);
  session = _ferry_window_edit_lookup (window, remote_path);
  assert_non_null (session);
  return session;
}

typedef struct {
  FerryWindow *window;
  guint        toasts_before;
  const char  *title;
} OfferWait;

static gboolean
offer_shown (gpointer data)
{
  OfferWait *wait = data;

  return wait->window->n_toasts > wait->toasts_before &&
         g_strcmp0 (wait->window->last_toast, wait->title) == 0;
}

/* Waits for a new upload offer for session (toasts_before: the count before the save). */
static void
wait_for_offer (FerryWindow      *window,
                FerryEditSession *session,
                guint             toasts_before)
{
  g_autofree char *title = g_strdup_printf ("“%s” was changed",
                                            ferry_edit_session_get_name (session));
  OfferWait wait = { window, toasts_before, title };

  if (!ferry_test_wait_for (offer_shown, &wait, 20000))
    fail_msg ("no offer to upload %s after 20 s (the last toast says “%s”)",
              ferry_edit_session_get_name (session),
              window->last_toast ? window->last_toast : "");
  assert_int_equal (ferry_edit_session_get_state (session), FERRY_EDIT_CHANGED);
}

static void
upload_edit (FerryWindow      *window,
             FerryEditSession *session)
{
  const char *local = g_file_peek_path (ferry_edit_session_get_file (session));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-upload", "s", local);
}

/* The queue's transfers that upload to remote_path. */
static guint
count_uploads_to (FerryWindow *window,
                  const char  *remote_path)
{
  GListModel *queue = G_LIST_MODEL (window->queue);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (queue, i);

      if (ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_UPLOAD &&
          g_strcmp0 (ferry_transfer_get_remote_path (transfer), remote_path) == 0)
        n++;
    }
  return n;
}

/* Tests --------------------------------------------------------------------------------- */

/* A save offers the upload; nothing reaches the server before the user accepts; accepted,
 * the server has the saved bytes, through the queue (the progress dialog's model). The copy
 * is in a private folder under the cache, which goes on disconnecting. */
static void
test_save_offers_upload (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autoptr(GBytes) original = read_server_file ("notes.txt");
  g_autoptr(GBytes) edited = NULL;
  g_autofree char *cache_dir = ferry_edit_session_cache_dir ();
  g_autoptr(GFile) cache = g_file_new_for_path (cache_dir);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GBytes) now = NULL;
  FerryEditSession *session;
  guint toasts;
  gint64 saved_at;
  GStatBuf st;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/notes.txt", "append");
  saved_at = g_get_monotonic_time ();
  folder = g_object_ref (ferry_edit_session_get_folder (session));
  wait_for_offer (window, session, toasts);
  g_printerr ("# the offer came %" G_GINT64_FORMAT " ms after the editor had saved\n",
              (g_get_monotonic_time () - saved_at) / 1000);
  ferry_test_screenshot (GTK_WIDGET (window), "edit-offer");

  assert_true (g_file_has_parent (folder, cache));
  assert_int_equal (g_stat (g_file_peek_path (folder), &st), 0);
  assert_int_equal (st.st_mode & 0777, 0700);
  assert_int_equal (g_stat (cache_dir, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0700);

  /* Offered, not done. */
  edited = read_local_copy (session);
  assert_int_equal (g_bytes_get_size (edited),
                    g_bytes_get_size (original) + strlen ("a line from the editor\n"));
  now = read_server_file ("notes.txt");
  assert_true (g_bytes_equal (now, original));
  assert_int_equal (count_uploads_to (window, "/notes.txt"), 0);

  upload_edit (window, session);
  wait_for_server_bytes ("notes.txt", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);
  assert_int_equal (count_uploads_to (window, "/notes.txt"), 1);

  /* Nothing unsaved: disconnecting asks nothing and the copy goes. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  assert_true (ferry_test_wait_for (is_disconnected, window, 10000));
  assert_false (g_file_query_exists (folder, NULL));
}

/* Every byte value survives the round trip; vim's way of saving (the old file renamed to a
 * backup, a new one written) is seen. */
static void
test_backup_save_is_byte_exact (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autoptr(GBytes) original = read_server_file ("docs/report.bin");
  g_autoptr(GBytes) edited = NULL;
  FerryEditSession *session;
  guint toasts;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/docs/report.bin", "backup");
  wait_for_offer (window, session, toasts);
  edited = read_local_copy (session);
  assert_int_equal (memcmp (g_bytes_get_data (edited, NULL), g_bytes_get_data (original, NULL),
                            g_bytes_get_size (original)), 0);
  assert_true (g_bytes_get_size (edited) > g_bytes_get_size (original));

  upload_edit (window, session);
  wait_for_server_bytes ("docs/report.bin", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);
}

/* gedit's way: a new file renamed over the old one. */
static void
test_rename_save_is_seen (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GFile) folder = NULL;
  FerryEditSession *session;
  guint toasts;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/todo.txt", "rename");
  wait_for_offer (window, session, toasts);
  edited = read_local_copy (session);
  upload_edit (window, session);
  wait_for_server_bytes ("todo.txt", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);

  /* Quitting (FerryApplication's shutdown) ends the edits: this one is on the server, so
   * its copy goes. */
  folder = g_object_ref (ferry_edit_session_get_folder (session));
  ferry_window_end_edits (window);
  assert_null (_ferry_window_edit_lookup (window, "/todo.txt"));
  assert_false (g_file_query_exists (folder, NULL));
}

/* Two saves in a row make one offer, and the upload carries both. */
static void
test_two_quick_saves_make_one_offer (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autoptr(GBytes) edited = NULL;
  FerryEditSession *session;
  guint toasts;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/plan.txt", "twice");
  wait_for_offer (window, session, toasts);
  /* Well past the time a burst of events takes to settle. */
  ferry_test_spin (1500);
  assert_int_equal (window->n_toasts - toasts, 1);

  edited = read_local_copy (session);
  assert_non_null (g_strstr_len (g_bytes_get_data (edited, NULL), g_bytes_get_size (edited),
                                 "first save\nsecond save\n"));
  upload_edit (window, session);
  wait_for_server_bytes ("plan.txt", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);
}

/* Ignore leaves the server alone. Disconnecting then asks, Cancel stays, and leaving keeps
 * the edited copy and says where. */
static void
test_ignore_leaves_server_untouched (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autoptr(GBytes) original = read_server_file ("draft.txt");
  g_autoptr(GBytes) now = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) file = NULL;
  FerryEditSession *session;
  guint toasts;
  AdwMessageDialog *dialog;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/draft.txt", "append");
  wait_for_offer (window, session, toasts);
  edited = read_local_copy (session);
  folder = g_object_ref (ferry_edit_session_get_folder (session));
  file = g_object_ref (ferry_edit_session_get_file (session));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-ignore", "s",
                              g_file_peek_path (file));
  ferry_test_spin (1000);
  now = read_server_file ("draft.txt");
  assert_true (g_bytes_equal (now, original));
  assert_int_equal (count_uploads_to (window, "/draft.txt"), 0);
  assert_int_equal (ferry_edit_session_get_state (session), FERRY_EDIT_CHANGED);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  dialog = wait_for_message_dialog (window);
  assert_non_null (strstr (adw_message_dialog_get_heading (dialog), "draft.txt"));
  respond (dialog, "cancel");
  ferry_test_spin (300);
  assert_true (window_is_browsing (window));
  assert_ptr_equal (_ferry_window_edit_lookup (window, "/draft.txt"), session);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL);
  respond (wait_for_message_dialog (window), "leave");
  assert_true (ferry_test_wait_for (is_disconnected, window, 10000));
  g_clear_pointer (&now, g_bytes_unref);
  now = ferry_test_read_file (g_file_peek_path (file));
  assert_non_null (now);
  assert_true (g_bytes_equal (now, edited));
  assert_non_null (strstr (window->last_toast, "were not uploaded"));
  g_clear_pointer (&now, g_bytes_unref);
  now = read_server_file ("draft.txt");
  assert_true (g_bytes_equal (now, original));

  ferry_test_rm_rf (g_file_peek_path (folder));
}

/* Someone changed the server's copy after it was opened: the upload asks. Cancel leaves
 * both as they are, Keep Both uploads beside it ("letter (1).txt") and the edits go on
 * there, Overwrite replaces it. */
static void
test_changed_on_server_asks (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GBytes) theirs = NULL;
  g_autoptr(GBytes) now = NULL;
  FerryEditSession *session;
  guint toasts;
  AdwMessageDialog *dialog;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/letter.txt", "append");
  wait_for_offer (window, session, toasts);
  change_on_server ("letter.txt", "a line from someone else\n");
  theirs = read_server_file ("letter.txt");

  /* Cancel */
  upload_edit (window, session);
  dialog = wait_for_message_dialog (window);
  assert_string_equal (adw_message_dialog_get_heading (dialog),
                       "“letter.txt” was changed on the server");
  respond (dialog, "cancel");
  ferry_test_spin (500);
  now = read_server_file ("letter.txt");
  assert_true (g_bytes_equal (now, theirs));
  assert_int_equal (count_uploads_to (window, "/letter.txt"), 0);

  /* Keep Both, after the next save */
  toasts = window->n_toasts;
  open_with_editor (window, "/letter.txt", "append");
  assert_ptr_equal (_ferry_window_edit_lookup (window, "/letter.txt"), session);
  wait_for_offer (window, session, toasts);
  edited = read_local_copy (session);
  upload_edit (window, session);
  respond (wait_for_message_dialog (window), "keep-both");
  wait_for_server_bytes ("letter (1).txt", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);
  g_clear_pointer (&now, g_bytes_unref);
  now = read_server_file ("letter.txt");
  assert_true (g_bytes_equal (now, theirs));
  assert_string_equal (ferry_edit_session_get_remote_path (session), "/letter (1).txt");

  /* Overwrite: someone changes "letter (1).txt" too. */
  change_on_server ("letter (1).txt", "another line from someone else\n");
  toasts = window->n_toasts;
  open_with_editor (window, "/letter (1).txt", "append");
  wait_for_offer (window, session, toasts);
  g_clear_pointer (&edited, g_bytes_unref);
  edited = read_local_copy (session);
  upload_edit (window, session);
  respond (wait_for_message_dialog (window), "overwrite");
  wait_for_server_bytes ("letter (1).txt", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);
}

/* Deleted on the server meanwhile: the upload asks, and Upload puts it back. */
static void
test_deleted_on_server_asks (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autofree char *path = server_file ("memo.txt");
  g_autoptr(GBytes) edited = NULL;
  FerryEditSession *session;
  AdwMessageDialog *dialog;
  guint toasts;

  connect_window (window);
  toasts = window->n_toasts;
  session = open_with_editor (window, "/memo.txt", "append");
  wait_for_offer (window, session, toasts);
  edited = read_local_copy (session);
  assert_int_equal (g_unlink (path), 0);

  upload_edit (window, session);
  dialog = wait_for_message_dialog (window);
  assert_string_equal (adw_message_dialog_get_heading (dialog),
                       "“memo.txt” was deleted on the server");
  respond (dialog, "overwrite");
  wait_for_server_bytes ("memo.txt", edited);
  wait_for_state (session, FERRY_EDIT_SAVED);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_save_offers_upload, setup, teardown),
    cmocka_unit_test_setup_teardown (test_backup_save_is_byte_exact, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rename_save_is_seen, setup, teardown),
    cmocka_unit_test_setup_teardown (test_two_quick_saves_make_one_offer, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ignore_leaves_server_untouched, setup, teardown),
    cmocka_unit_test_setup_teardown (test_changed_on_server_asks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_deleted_on_server_asks, setup, teardown),
  };

  ferry_test_init (&argc, &argv);
  if (g_getenv ("FERRY_TEST_ONLY") != NULL)
    cmocka_set_test_filter (g_getenv ("FERRY_TEST_ONLY"));
  return cmocka_run_group_tests (tests, NULL, NULL);
}
