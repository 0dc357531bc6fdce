// SPDX-License-Identifier: GPL-3.0-or-later
/* test-background-portal.c — asking org.freedesktop.portal.Background before running with no
 * window: test_background_portal.py runs this next to fake_background_portal.py on a private
 * session bus. The portal logs each request (reason and all) as a JSON line, and answers
 * what the file FERRY_TEST_PORTAL_ANSWER says. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ferry-app-test-utils.h"
#include "ferry-background-portal.h"
#include "ferry-background-transfers.h"
#include "ferry-share-window.h"
#include "ferry-window-private.h"

static const char *
env_or_skip (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_printerr ("%s is not set; run this through test_background_portal.py\n", name);
      skip ();
    }
  return value;
}

static void
portal_will_answer (const char *answer)
{
  g_assert_true (g_file_set_contents (env_or_skip ("FERRY_TEST_PORTAL_ANSWER"), answer, -1,
                                      NULL));
}

/* The requests the portal has seen, as JSON objects. */
static GPtrArray *
portal_requests (void)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (env_or_skip ("FERRY_TEST_PORTAL_LOG"), &text, NULL, NULL))
    return requests;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        JsonNode *node = json_from_string (lines[i], NULL);

        g_assert_nonnull (node);
        g_ptr_array_add (requests, node);
      }
  return requests;
}

static const char *
request_reason (JsonNode *request)
{
  return json_object_get_string_member (json_node_get_object (request), "reason");
}

typedef struct {
  gboolean  done;
  gboolean  allowed;
  GError   *error;
} Answer;

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->allowed = ferry_background_portal_request_finish (result, &answer->error);
  answer->done = TRUE;
}

static gboolean
answered (gpointer data)
{
  return ((Answer *) data)->done;
}

static Answer
ask (const char *reason)
{
  Answer answer = { FALSE, FALSE, NULL };

  ferry_background_portal_request_async (NULL, reason, NULL, on_answer, &answer);
  if (!ferry_test_wait_for (answered, &answer, 20000))
    fail_msg ("no answer from the Background portal");
  return answer;
}

static void
test_asks_with_a_reason (void **state)
{
  g_autoptr(GPtrArray) before = portal_requests ();
  g_autoptr(GPtrArray) after = NULL;
  JsonObject *request;
  Answer answer;

  g_setenv ("FERRY_USE_PORTAL", "1", TRUE);
  portal_will_answer ("allow");
  answer = ask ("Ferry finishes two downloads");
  assert_true (answer.allowed);
  assert_null (answer.error);

  after = portal_requests ();
  assert_int_equal (after->len, before->len + 1);
  request = json_node_get_object (g_ptr_array_index (after, after->len - 1));
  assert_string_equal (json_object_get_string_member (request, "reason"),
                       "Ferry finishes two downloads");
  assert_false (json_object_get_boolean_member (request, "autostart"));
}

static void
test_refusal_is_an_error_to_show (void **state)
{
  const char *answers[] = { "deny", "cancel" };

  g_setenv ("FERRY_USE_PORTAL", "1", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      Answer answer;

      portal_will_answer (answers[i]);
      answer = ask ("Ferry keeps sharing");
      assert_false (answer.allowed);
      assert_true (g_error_matches (answer.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
      assert_non_null (strstr (answer.error->message, "background"));
      g_clear_error (&answer.error);
    }
}

static void
test_outside_a_sandbox_nothing_is_asked (void **state)
{
  g_autoptr(GPtrArray) before = portal_requests ();
  g_autoptr(GPtrArray) after = NULL;
  Answer answer;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    skip ();
  g_unsetenv ("FERRY_USE_PORTAL");
  portal_will_answer ("deny");
  answer = ask ("not asked");
  assert_true (answer.allowed);
  after = portal_requests ();
  assert_int_equal (after->len, before->len);
}

/* Share window ------------------------------------------------------------------------- */

static gboolean
share_running (gpointer data)
{
  FerryShare *share = ferry_share_window_get_share (data);

  return share != NULL && ferry_share_get_state (share) == FERRY_SHARE_RUNNING;
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             gboolean  (*match) (GtkWidget *, const char *),
             const char *text)
{
  if (match (widget, text))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                              label) == 0;
}

static gboolean
is_label_showing (GtkWidget  *widget,
                  const char *text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static GtkWidget *
keep_sharing_button (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        GtkWidget *button = find_widget (l->data, is_button_labelled, _("_Keep Sharing"));

        if (button != NULL)
          return button;
      }
  return NULL;
}

static gboolean
keep_sharing_asked (gpointer data)
{
  return keep_sharing_button () != NULL;
}

static gboolean
refusal_shown (gpointer data)
{
  return find_widget (data, is_label_showing, "not allowed to run in the background") != NULL;
}

static gboolean
window_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* Close, answer Keep Sharing as a click would. */
static void
close_and_keep (GtkWidget *window)
{
  gtk_window_close (GTK_WINDOW (window));
  if (!ferry_test_wait_for (keep_sharing_asked, NULL, 10000))
    fail_msg ("closing the sharing window did not ask");
  g_signal_emit_by_name (keep_sharing_button (), "clicked");
}

static void
test_keep_sharing_asks_the_portal (void **state)
{
  g_autoptr(GFile) folder = g_file_new_for_path (env_or_skip ("FERRY_TEST_SHARE_FOLDER"));
  GtkWidget *window = ferry_share_window_new (NULL);
  g_autoptr(GPtrArray) requests = NULL;
  FerryShare *share;
  g_autofree char *folder_name = g_file_get_basename (folder);

  g_setenv ("FERRY_USE_PORTAL", "1", TRUE);
  gtk_window_present (GTK_WINDOW (window));
  ferry_share_window_set_folder (FERRY_SHARE_WINDOW (window), folder);
  gtk_widget_activate_action (window, "share.start", NULL);
  if (!ferry_test_wait_for (share_running, window, 20000))
    fail_msg ("the share did not start");
  share = ferry_share_window_get_share (FERRY_SHARE_WINDOW (window));

  /* Refused: the window stays and says why; the share goes on. */
  portal_will_answer ("deny");
  close_and_keep (window);
  if (!ferry_test_wait_for (refusal_shown, window, 20000))
    fail_msg ("the refusal is not shown in the window");
  assert_true (gtk_widget_get_visible (window));
  assert_int_equal (ferry_share_get_state (share), FERRY_SHARE_RUNNING);
  requests = portal_requests ();
  assert_true (requests->len > 0);
  assert_non_null (strstr (request_reason (g_ptr_array_index (requests, requests->len - 1)),
                           folder_name));
  ferry_test_screenshot (window, "sharing-background-refused");

  /* Allowed: hidden, still sharing, and the refusal is gone. */
  portal_will_answer ("allow");
  close_and_keep (window);
  if (!ferry_test_wait_for (window_hidden, window, 20000))
    fail_msg ("the window did not hide once allowed");
  assert_int_equal (ferry_share_get_state (share), FERRY_SHARE_RUNNING);
  assert_false (refusal_shown (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Keep Running ------------------------------------------------------------------------- */

static gboolean
is_browsing (gpointer data)
{
  FerryWindow *window = data;

  return window->current_path != NULL && !window->loading
         && g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), "browse") == 0;
}

static gboolean
download_running (gpointer data)
{
  FerryWindow *window = data;
  g_autoptr(FerryTransfer) transfer = NULL;

  if (window->queue == NULL || g_list_model_get_n_items (G_LIST_MODEL (window->queue)) == 0)
    return FALSE;
  transfer = g_list_model_get_item (G_LIST_MODEL (window->queue), 0);
  return ferry_transfer_get_state (transfer) == FERRY_TRANSFER_RUNNING
         && ferry_transfer_get_bytes_done (transfer) > 0;
}

static AdwMessageDialog *
running_dialog (FerryWindow *window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data)
        && gtk_window_get_transient_for (l->data) == GTK_WINDOW (window)
        && g_object_get_data (l->data, "answered") == NULL)
      return l->data;
  return NULL;
}

static gboolean
running_dialog_shown (gpointer data)
{
  return running_dialog (data) != NULL;
}

static gboolean
refusal_toasted (gpointer data)
{
  FerryWindow *window = data;

  return window->last_toast != NULL
         && strstr (window->last_toast, "not allowed to run in the background") != NULL;
}

static gboolean
adopted_in_background (gpointer data)
{
  return ferry_background_transfers_get_n_queues () == 1;
}

static gboolean
is_toplevel (GtkWindow *window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  return g_list_find (toplevels, window) != NULL;
}

static void
close_and_keep_running (FerryWindow *window)
{
  AdwMessageDialog *dialog;

  gtk_window_close (GTK_WINDOW (window));
  if (!ferry_test_wait_for (running_dialog_shown, window, 10000))
    fail_msg ("closing with a download running did not ask");
  dialog = running_dialog (window);
  g_object_set_data (G_OBJECT (dialog), "answered", GINT_TO_POINTER (TRUE));
  adw_message_dialog_response (dialog, "keep");
}

static void
test_keep_running_asks_the_portal (void **state)
{
  const char *url = env_or_skip ("FERRY_TEST_SLOW_URL");
  g_autofree char *local = ferry_test_make_tmpdir ("keep-running");
  FerryWindow *window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  g_autoptr(FerryTransferQueue) queue = NULL;
  g_autoptr(GPtrArray) requests = NULL;

  g_setenv ("FERRY_USE_PORTAL", "1", TRUE);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s", url);
  if (!ferry_test_wait_for (is_browsing, window, 20000))
    fail_msg ("not browsing %s", url);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.download-to", "(ss)", "/slow.bin",
                              local);
  if (!ferry_test_wait_for (download_running, window, 20000))
    fail_msg ("the download did not start");
  queue = g_object_ref (window->queue);

  /* Refused: the window stays, says why, and the download goes on in it. */
  portal_will_answer ("deny");
  close_and_keep_running (window);
  if (!ferry_test_wait_for (refusal_toasted, window, 20000))
    fail_msg ("the refusal is not shown in the window");
  assert_non_null (window);
  assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  assert_int_equal (ferry_background_transfers_get_n_queues (), 0);
  assert_true (download_running (window));
  requests = portal_requests ();
  assert_non_null (strstr (request_reason (g_ptr_array_index (requests, requests->len - 1)),
                           "transfers"));

  /* Allowed: the window goes, the download runs on in the background. */
  portal_will_answer ("allow");
  close_and_keep_running (window);
  if (!ferry_test_wait_for (adopted_in_background, NULL, 20000))
    fail_msg ("the download was not kept running in the background");
  assert_true (window == NULL || !is_toplevel (GTK_WINDOW (window)));
  ferry_transfer_queue_cancel_all (queue);
  ferry_test_rm_rf (local);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_asks_with_a_reason),
    cmocka_unit_test (test_refusal_is_an_error_to_show),
    cmocka_unit_test (test_outside_a_sandbox_nothing_is_asked),
    cmocka_unit_test (test_keep_sharing_asks_the_portal),
    cmocka_unit_test (test_keep_running_asks_the_portal),
  };

  ferry_test_init (&argc, &argv);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
