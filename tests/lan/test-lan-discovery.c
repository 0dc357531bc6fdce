// SPDX-License-Identifier: GPL-3.0-or-later
/* test-lan-discovery.c — a real FerryWindow on host B of the LAN lab finds the ferryd
 * servers of host A on its connect page, live, and connects with one click.
 *
 * test_lan_app.py runs it in host B's network namespace, under Xvfb and a private session
 * bus, with host B's system bus (and avahi-daemon), and:
 *   FERRY_TEST_OPEN_NAME    an anonymous ferryd on host A, announced under this name
 *   FERRY_TEST_OPEN_FILE    a file in its folder
 *   FERRY_TEST_TLS_NAME     (optional) an _ftps._tcp service on host A (a NAS's FTPS)
 *   FERRY_TEST_LOGIN_NAME   (optional) a ferryd on host A with a users file (TXT u=)
 *   FERRY_TEST_LATE_FERRYD  (optional) a command starting one more ferryd on host A,
 *                           announced as "Late arrival": this program starts and stops it
 * test_lan_share.py runs it with the first two only, for a folder the app shares.
 *   FERRY_TEST_NO_AVAHI     (alone) the system bus has no Avahi: the list says so
 *   FERRY_TEST_SCREENSHOTS  (optional) where connect-discovered.png goes */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "ferry-app-test-utils.h"
#include "ferry-discovery-row.h"
#include "ferry-window-private.h"

#define LATE_NAME "Late arrival"

typedef struct {
  FerryWindow *window;
} Fixture;

static const char *
env_or_skip (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_printerr ("%s is not set; run this through test_lan_app.py\n", name);
      skip ();
    }
  return value;
}

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 860);
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

typedef struct {
  FerryWindow *window;
  const char  *name;
} Lookup;

static FerryDiscoveryServer *
discovered (FerryWindow *window,
            const char  *name)
{
  GListModel *model = ferry_connect_page_get_discovered (window->connect_page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FerryDiscoveryServer) server = g_list_model_get_item (model, i);

      if (g_str_equal (ferry_discovery_server_get_name (server), name))
        return server;   /* the model keeps its own reference */
    }
  return NULL;
}

static gboolean
is_listed (gpointer data)
{
  Lookup *lookup = data;

  return discovered (lookup->window, lookup->name) != NULL;
}

static gboolean
is_gone (gpointer data)
{
  return !is_listed (data);
}

static gboolean
is_resolved (gpointer data)
{
  Lookup *lookup = data;
  FerryDiscoveryServer *server = discovered (lookup->window, lookup->name);

  return server != NULL
         && ferry_discovery_server_get_state (server) == FERRY_DISCOVERY_SERVER_RESOLVED;
}

/* The row on screen for the server called name. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *name)
{
  FerryDiscoveryServer *server;

  if (GTK_IS_LIST_BOX_ROW (widget)
      && (server = ferry_discovery_row_get_server (widget)) != NULL
      && g_str_equal (ferry_discovery_server_get_name (server), name))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

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
shows_file (FerryWindow *window,
            const char  *name)
{
  GListModel *model = ferry_file_list_get_model (window->file_list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (model, i);

      if (g_str_equal (ferry_remote_file_get_name (file), name))
        return TRUE;
    }
  return FALSE;
}

/* The one that wants a login: the form asks for it, nothing is tried. */
static void
test_login_row (Fixture *fixture,
                Lookup  *login)
{
  GtkWidget *row;

  assert_true (ferry_test_wait_for (is_listed, login, 15000));
  assert_true (ferry_test_wait_for (is_resolved, login, 15000));
  assert_true (ferry_discovery_server_get_login_needed (discovered (fixture->window,
                                                                    login->name)));
  ferry_test_screenshot (GTK_WIDGET (fixture->window), "connect-discovered");

  row = find_row (GTK_WIDGET (fixture->window), login->name);
  assert_non_null (row);
  gtk_widget_activate (row);
  assert_true (ferry_test_wait_for (connect_page_has_error, fixture->window, 15000));
  assert_non_null (strstr (ferry_connect_page_get_error (fixture->window->connect_page),
                           "needs a login"));
  assert_false (ferry_connect_page_get_anonymous (fixture->window->connect_page));
  assert_null (fixture->window->current_path);
}

static void
test_click_lists_its_files (void **state)
{
  Fixture *fixture = *state;
  Lookup open = { fixture->window, env_or_skip ("FERRY_TEST_OPEN_NAME") };
  Lookup login = { fixture->window, g_getenv ("FERRY_TEST_LOGIN_NAME") };
  const char *file = env_or_skip ("FERRY_TEST_OPEN_FILE");
  FerryDiscoveryServer *server;
  GtkWidget *row;
  gint64 listed;

  assert_true (ferry_test_wait_for (is_listed, &open, 15000));
  listed = g_get_monotonic_time ();

  /* Rows on screen are looked up (not every announcement on the LAN): where and how. */
  assert_true (ferry_test_wait_for (is_resolved, &open, 15000));
  g_print ("# “%s”: listed -> resolved %.2f s\n", open.name,
           (g_get_monotonic_time () - listed) / 1e6);
  server = discovered (fixture->window, open.name);
  assert_string_equal (ferry_discovery_server_get_host (server), "host-a.local");
  assert_false (ferry_discovery_server_get_login_needed (server));

  if (login.name != NULL)
    test_login_row (fixture, &login);

  /* FTPS announced as _ftps._tcp: listed too, opened with TLS from the first byte. */
  if (g_getenv ("FERRY_TEST_TLS_NAME") != NULL)
    {
      Lookup tls = { fixture->window, g_getenv ("FERRY_TEST_TLS_NAME") };
      g_autofree char *tls_url = NULL;

      assert_true (ferry_test_wait_for (is_resolved, &tls, 15000));
      g_print ("# “%s” (nothing listens): listed -> resolved %.2f s\n", tls.name,
               (g_get_monotonic_time () - listed) / 1e6);
      server = discovered (fixture->window, tls.name);
      assert_true (ferry_discovery_server_get_tls (server));
      assert_int_equal (ferry_discovery_server_get_port (server), 990);
      tls_url = ferry_discovery_row_url (server);
      assert_string_equal (tls_url, "ftps-implicit://198.51.100.1:990/");
    }

  /* The anonymous one: one click, and its files. */
  row = find_row (GTK_WIDGET (fixture->window), open.name);
  assert_non_null (row);
  gtk_widget_activate (row);
  if (!ferry_test_wait_for (window_is_browsing, fixture->window, 20000))
    fail_msg ("not browsing after a click on “%s”: %s", open.name,
              ferry_connect_page_get_error (fixture->window->connect_page)
              ? ferry_connect_page_get_error (fixture->window->connect_page) : "no error");
  assert_true (shows_file (fixture->window, file));
}

static void
test_appears_and_disappears_live (void **state)
{
  Fixture *fixture = *state;
  Lookup late = { fixture->window, LATE_NAME };
  const char *command = env_or_skip ("FERRY_TEST_LATE_FERRYD");
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started, listed, stopped, gone;
  GPid pid;
  int status;

  assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
  assert_false (is_listed (&late));

  started = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH
                      | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    fail_msg ("cannot start ferryd: %s", error->message);
  assert_true (ferry_test_wait_for (is_listed, &late, 10000));
  listed = g_get_monotonic_time ();

  kill (pid, SIGTERM);
  stopped = g_get_monotonic_time ();
  assert_true (ferry_test_wait_for (is_gone, &late, 10000));
  gone = g_get_monotonic_time ();
  assert_int_equal (waitpid (pid, &status, 0), pid);

  g_print ("# in the app on the other host: ferryd start -> listed %.2f s, "
           "SIGTERM -> gone %.2f s\n",
           (listed - started) / 1e6, (gone - stopped) / 1e6);
}

/* A visible label with text containing needle, below widget. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, needle))
      return TRUE;
  return FALSE;
}

static void
test_without_avahi (void **state)
{
  Fixture *fixture = *state;

  env_or_skip ("FERRY_TEST_NO_AVAHI");
  ferry_test_spin (1500);
  assert_int_equal (g_list_model_get_n_items (
                      ferry_connect_page_get_discovered (fixture->window->connect_page)), 0);
  assert_true (shows_label (GTK_WIDGET (fixture->window), "No servers found on this network"));
  assert_true (shows_label (GTK_WIDGET (fixture->window), "Avahi"));
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_click_lists_its_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_appears_and_disappears_live, setup, teardown),
    cmocka_unit_test_setup_teardown (test_without_avahi, setup, teardown),
  };

  ferry_test_init (&argc, &argv);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
