// SPDX-License-Identifier: GPL-3.0-or-later
/* test-window-usability.c — issue 17 items 10, 12 and 13 through a real FerryWindow:
 * narrow windows, the connect page at its default size, large folders, breadcrumbs,
 * Ctrl+F, Open failures, URL paths and the password prompt.
 *
 * test_window_usability.py starts the server (ferryd, then pyftpdlib) and runs this under
 * Xvfb and a private D-Bus session, with:
 *   FERRY_TEST_HOSTPORT   127.0.0.1:PORT of a server with the user ann (FERRY_TEST_PASSWORD)
 *   FERRY_TEST_DEEP       a folder five levels deep
 *   FERRY_TEST_BIG_FILES  how many files big/ holds (file-0000.txt…)
 *   FERRY_TEST_SCREENSHOTS (optional) where the narrow screenshots go
 * Nothing in the private session's keyring: a login without a password is asked for. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ferry-app-test-utils.h"
#include "ferry-recent-row.h"
#include "ferry-settings.h"
#include "ferry-window-private.h"

/* What HIG's adaptive guidelines call the narrowest phone. */
#define NARROW_WIDTH  360
#define NARROW_HEIGHT 640

typedef struct {
  FerryWindow *window;
  char        *local;
} Fixture;

static const char *
env_or_skip (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_printerr ("%s is not set; run this through test_window_usability.py\n", name);
      skip ();
    }
  return value;
}

static char *
login_url (const char *path)
{
  return g_strdup_printf ("ftp://%s:%s@%s%s", env_or_skip ("FERRY_TEST_USER"),
                          env_or_skip ("FERRY_TEST_PASSWORD"), env_or_skip ("FERRY_TEST_HOSTPORT"),
                          path);
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = ferry_settings_new ();

  g_settings_reset (settings, "recent-servers");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

/* A window at the size GSettings gives it (900×640 by default), as the app opens it. */
static int
setup_default_size (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->window = g_object_new (FERRY_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->local = ferry_test_make_tmpdir ("usability-test");
  *state = fixture;
  return 0;
}

static int
setup (void **state)
{
  reset_settings ();
  return setup_default_size (state);
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
  reset_settings ();
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

  return !window->connecting && ferry_connect_page_get_error (window->connect_page) != NULL;
}

typedef struct {
  GtkWidget *widget;
  int        max_width;
} WidthAtMost;

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* Helpers ------------------------------------------------------------------------------- */

static void
open_folder (FerryWindow *window,
             const char  *path)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-folder", "s", path);
  ferry_test_spin (20);
  if (!ferry_test_wait_for (window_is_browsing, window, 20000))
    fail_msg ("%s did not open", path);
  assert_string_equal (window->current_path, path);
}

static void
connect_window (FerryWindow *window,
                const char  *path)
{
  g_autofree char *url = login_url (path);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s", url);
  if (!ferry_test_wait_for (window_is_browsing, window, 20000))
    fail_msg ("not browsing after 20 s: page %s, error “%s”",
              gtk_stack_get_visible_child_name (window->main_stack),
              ferry_connect_page_get_error (window->connect_page)
              ? ferry_connect_page_get_error (window->connect_page) : "");
}

typedef gboolean (*WidgetTest) (GtkWidget *widget, gconstpointer data);

/* The first widget under root (root included) that test accepts, depth first. */
static GtkWidget *
find_widget (GtkWidget    *root,
             WidgetTest    test,
             gconstpointer data)
{
  if (test (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, test, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A button (or split button) for action that the user can see: mapped, with a size. */
static gboolean
is_shown_actionable (GtkWidget    *widget,
                     gconstpointer action)
{
  const char *name = NULL;

  if (GTK_IS_ACTIONABLE (widget))
    name = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));
  else if (ADW_IS_SPLIT_BUTTON (widget))
    name = gtk_actionable_get_action_name (GTK_ACTIONABLE (widget));
  return g_strcmp0 (name, action) == 0 && gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

static gboolean
is_of_type (GtkWidget    *widget,
            gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* widget's box in window coordinates. */
static graphene_rect_t
bounds_in_window (GtkWidget   *widget,
                  FerryWindow *window)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds))
    fail_msg ("%s has no bounds in the window", G_OBJECT_TYPE_NAME (widget));
  return bounds;
}

/* Fails unless widget lies wholly inside the part of the window that is on screen. */
static void
assert_in_view (GtkWidget   *widget,
                FerryWindow *window,
                const char  *what)
{
  graphene_rect_t bounds = bounds_in_window (widget, window);
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (!gtk_widget_get_mapped (widget) || bounds.size.width <= 0 || bounds.size.height <= 0 ||
      bounds.origin.x < 0 || bounds.origin.y < 0 ||
      bounds.origin.x + bounds.size.width > width ||
      bounds.origin.y + bounds.size.height > height)
    fail_msg ("%s is not in view: %.0f,%.0f %.0f×%.0f in a %d×%d window", what,
              bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
              width, height);
}

/* The crumb of the folder shown (the one in bold). */
static GtkWidget *
current_crumb (FerryWindow *window)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window->breadcrumbs));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && gtk_widget_has_css_class (child, "heading"))
      return child;
  return NULL;
}

/* The folders the breadcrumbs lead to, in order. */
static char *
crumb_targets (FerryWindow *window)
{
  g_autoptr(GString) out = g_string_new ("");

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (window->breadcrumbs));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GVariant *target;

      if (!GTK_IS_ACTIONABLE (child) || !gtk_widget_get_visible (child))
        continue;
      target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (child));
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, g_variant_get_string (target, NULL));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What asks for the width: every visible widget of 40 px or more, as a tree, for the
 * message of a failure. */
static void
print_widths (GtkWidget *widget,
              int        depth)
{
  int minimum = 0, natural = 0;

  if (!gtk_widget_get_visible (widget) || depth > 14)
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  if (minimum < 40)
    return;
  g_printerr ("# %*s%s %s: min %d, natural %d\n", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
              gtk_widget_get_css_name (widget), minimum, natural);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    print_widths (child, depth + 1);
}

static gboolean
surface_is_at_most (gpointer data)
{
  WidthAtMost *check = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (check->widget));

  return surface != NULL && gdk_surface_get_width (surface) <= check->max_width;
}

/* Makes the window width × height as a user dragging its edge would: the window cannot
 * get narrower than what its layout needs at each step, so ask again while it shrinks. */
static void
resize (FerryWindow *window,
        int          width,
        int          height)
{
  WidthAtMost check = { GTK_WIDGET (window), width };
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  for (int i = 0; i < 5 && !surface_is_at_most (&check); i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      ferry_test_wait_for (surface_is_at_most, &check, 2000);
      /* The narrow layout follows the new width within a frame or two. */
      ferry_test_spin (200);
    }
  if (!surface_is_at_most (&check))
    {
      int minimum = 0;
      gboolean compact = FALSE;

      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                          NULL, NULL, NULL);
      print_widths (GTK_WIDGET (window), 0);
      g_object_get (window->file_list, "compact", &compact, NULL);
      fail_msg ("asked for %d px, the window stays %d px wide (it needs %d px; narrow "
                "layout %d, compact list %d)", width, gdk_surface_get_width (surface),
                minimum, window->narrow, compact);
    }
}

static int
minimum_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* Item 10: narrow windows ----------------------------------------------------------------- */

/* At 360 px the browse view still fits: the window needs no more, the path of a deep
 * folder stays on screen (ending with the folder shown), and Upload, New Folder and
 * Reload are still buttons the user can see. Wide again, the header bar has them back. */
static void
test_narrow_browse_view_keeps_the_path (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  const char *deep = env_or_skip ("FERRY_TEST_DEEP");
  const char *actions[] = { "win.upload-files", "win.new-folder", "win.refresh",
                            "win.go-up", "win.go-back" };
  GtkWidget *crumb;
  graphene_rect_t crumb_box, scroller_box;
  int minimum;

  connect_window (window, "/");
  open_folder (window, "/photos");
  open_folder (window, deep);

  resize (window, NARROW_WIDTH, NARROW_HEIGHT);
  minimum = minimum_width (GTK_WIDGET (window));
  if (minimum > NARROW_WIDTH)
    fail_msg ("the browse view needs %d px, more than %d", minimum, NARROW_WIDTH);
  assert_int_equal (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))),
                    NARROW_WIDTH);

  /* The folder shown is named on screen, not scrolled or squeezed away. */
  crumb = current_crumb (window);
  assert_non_null (crumb);
  assert_true (ferry_test_wait_for (widget_is_mapped, crumb, 5000));
  assert_in_view (crumb, window, "the current folder's crumb");
  crumb_box = bounds_in_window (crumb, window);
  scroller_box = bounds_in_window (GTK_WIDGET (window->breadcrumbs_scroller), window);
  if (scroller_box.size.width < 48)
    fail_msg ("the path has %.0f px", scroller_box.size.width);
  /* Its end is visible inside the scrolled path (a few pixels of slack for padding). */
  if (crumb_box.origin.x + crumb_box.size.width >
      scroller_box.origin.x + scroller_box.size.width + 2 ||
      crumb_box.origin.x + 8 > scroller_box.origin.x + scroller_box.size.width)
    fail_msg ("the current folder's crumb (%.0f…%.0f) is outside the path (%.0f…%.0f)",
              crumb_box.origin.x, crumb_box.origin.x + crumb_box.size.width,
              scroller_box.origin.x, scroller_box.origin.x + scroller_box.size.width);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *button = find_widget (GTK_WIDGET (window), is_shown_actionable, actions[i]);

      if (button == NULL)
        fail_msg ("no button for %s at %d px", actions[i], NARROW_WIDTH);
      assert_in_view (button, window, actions[i]);
    }

  /* The file list: names still readable, no column pushed off the side. */
  assert_in_view (ferry_file_list_get_view (window->file_list), window, "the file list");
  ferry_test_screenshot (GTK_WIDGET (window), "narrow-browse");

  /* Wide again: the header bar holds the buttons as before. */
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 700);
  assert_true (ferry_test_wait_for (widget_is_mapped, window->new_folder_button, 10000));
  assert_in_view (window->upload_button, window, "Upload in the header bar");
}

/* The connect page at the size a first start opens (GSettings' 900×640): Connect and the
 * recent servers are on screen without scrolling; at 360×640 the page still fits the
 * width and scrolls to them. */
static void
test_connect_page_fits_the_default_size (void **state)
{
  Fixture *fixture;
  FerryWindow *window;
  GtkWidget *connect, *recent, *scroller;
  g_autoptr(GSettings) settings = ferry_settings_new ();
  GtkAdjustment *adjustment;
  int minimum;

  reset_settings ();
  ferry_settings_add_recent_server (settings, "files.example.org", 21, "ann", TRUE);
  ferry_settings_add_recent_server (settings, "nas.local", 2121, "", FALSE);
  ferry_settings_add_recent_server (settings, "192.0.2.7", 21, "backup", FALSE);
  setup_default_size (state);
  fixture = *state;
  window = fixture->window;

  connect = find_widget (GTK_WIDGET (window->connect_page), is_shown_actionable, "page.connect");
  if (connect == NULL)
    {
      /* Disabled (nothing typed) it is still drawn: look for it by action alone. */
      ferry_connect_page_fill (window->connect_page, "example.org", NULL, NULL, FALSE);
      assert_true (ferry_test_wait_for (widget_is_mapped, window->connect_page, 5000));
      connect = find_widget (GTK_WIDGET (window->connect_page), is_shown_actionable,
                             "page.connect");
    }
  assert_non_null (connect);
  recent = find_widget (GTK_WIDGET (window->connect_page), is_of_type,
                        GSIZE_TO_POINTER (FERRY_TYPE_RECENT_ROW));
  assert_non_null (recent);
  assert_true (ferry_test_wait_for (widget_is_mapped, recent, 5000));
  g_printerr ("# default size %d×%d\n", gtk_widget_get_width (GTK_WIDGET (window)),
              gtk_widget_get_height (GTK_WIDGET (window)));
  assert_in_view (connect, window, "Connect");
  assert_in_view (recent, window, "the first recent server");
  ferry_test_screenshot (GTK_WIDGET (window), "connect-default-size");

  resize (window, NARROW_WIDTH, NARROW_HEIGHT);
  minimum = minimum_width (GTK_WIDGET (window));
  if (minimum > NARROW_WIDTH)
    fail_msg ("the connect page needs %d px, more than %d", minimum, NARROW_WIDTH);
  assert_in_view (connect, window, "Connect at 360×640");
  /* The rest can be scrolled to. */
  scroller = gtk_widget_get_ancestor (recent, GTK_TYPE_SCROLLED_WINDOW);
  assert_non_null (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  assert_true (gtk_adjustment_get_upper (adjustment) >= gtk_adjustment_get_page_size (adjustment));
  ferry_test_screenshot (GTK_WIDGET (window), "narrow-connect");
}

/* Item 12: browsing ---------------------------------------------------------------------- */

static GtkAdjustment *
list_vadjustment (FerryWindow *window)
{
  GtkWidget *view = ferry_file_list_get_view (window->file_list);

  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
}

static gboolean
list_is_scrolled_down (gpointer data)
{
  return gtk_adjustment_get_value (list_vadjustment (data)) > 1000;
}

/* The rows on screen start with the first one, and stay so for a few frames (the list
 * scrolls to a focus row asynchronously when it does). */
static void
assert_list_at_top (FerryWindow *window,
                    const char  *when)
{
  GtkAdjustment *adjustment = list_vadjustment (window);

  for (int i = 0; i < 10; i++)
    {
      ferry_test_spin (50);
      if (gtk_adjustment_get_value (adjustment) != 0)
        fail_msg ("%s: the list is scrolled to %.0f of %.0f px, not at the top", when,
                  gtk_adjustment_get_value (adjustment), gtk_adjustment_get_upper (adjustment));
    }
}

static void
select_and_open (FerryWindow *window,
                 const char  *name)
{
  g_autofree char *path = _ferry_window_remote_child (window, name);

  ferry_file_list_select_name (window->file_list, name);
  gtk_widget_grab_focus (ferry_file_list_get_view (window->file_list));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-selected", NULL);
  ferry_test_spin (20);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  assert_string_equal (window->current_path, path);
}

/* A folder of 2,000 files opens at its first row: from the parent (the row opened had the
 * keyboard focus), and again after it was left scrolled down. */
static void
test_large_folder_opens_at_the_top (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  GtkAdjustment *adjustment;
  GListModel *model;

  connect_window (window, "/");
  select_and_open (window, "big");
  model = ferry_file_list_get_model (window->file_list);
  assert_int_equal (g_list_model_get_n_items (model),
                    atoi (env_or_skip ("FERRY_TEST_BIG_FILES")));
  assert_list_at_top (window, "opened from its parent");

  /* Scrolled far down, keyboard focus on a row there, then up and back in. */
  adjustment = list_vadjustment (window);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * 0.6);
  assert_true (ferry_test_wait_for (list_is_scrolled_down, window, 5000));
  ferry_file_list_select_name (window->file_list, "file-1334.txt");
  ferry_test_spin (200);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-up", NULL);
  ferry_test_spin (20);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  select_and_open (window, "big");
  assert_list_at_top (window, "opened again after scrolling down");
}

/* Going up from /a/b/c to /a keeps "b" and "c" as crumbs (GNOME Files does), and they lead
 * back down; going elsewhere drops them. */
static void
test_breadcrumbs_keep_deeper_crumbs (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  const char *deep = env_or_skip ("FERRY_TEST_DEEP");
  g_autofree char *parent = g_path_get_dirname (deep);
  g_autofree char *grandparent = g_path_get_dirname (parent);
  g_autofree char *targets = NULL;
  GtkWidget *crumb;

  connect_window (window, "/");
  open_folder (window, deep);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-up", NULL);
  ferry_test_spin (20);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-up", NULL);
  ferry_test_spin (20);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  assert_string_equal (window->current_path, grandparent);

  /* "/" then every folder down to deep, the one shown in bold. */
  targets = crumb_targets (window);
  assert_non_null (strstr (targets, parent));
  if (!g_str_has_suffix (targets, deep))
    fail_msg ("the crumbs lead to “%s”, not down to %s", targets, deep);
  crumb = current_crumb (window);
  assert_non_null (crumb);
  assert_string_equal (g_variant_get_string (
    gtk_actionable_get_action_target_value (GTK_ACTIONABLE (crumb)), NULL), grandparent);

  /* The deepest crumb leads back down. */
  for (GtkWidget *child = gtk_widget_get_last_child (GTK_WIDGET (window->breadcrumbs));
       child != NULL; child = gtk_widget_get_prev_sibling (child))
    if (GTK_IS_BUTTON (child))
      {
        g_signal_emit_by_name (child, "clicked");
        break;
      }
  ferry_test_spin (20);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  assert_string_equal (window->current_path, deep);

  /* Elsewhere: the old branch goes. */
  open_folder (window, "/photos");
  g_free (targets);
  targets = crumb_targets (window);
  assert_null (strstr (targets, "Backups"));
  assert_true (g_str_has_suffix (targets, "/photos"));
}

static gboolean
focus_in_search_entry (gpointer data)
{
  FerryWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  /* Mapped too: an entry takes typing only once it is realized (its input method). */
  return focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (window->file_list)) &&
         gtk_widget_get_mapped (focus);
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static gboolean
only_notes_listed (gpointer data)
{
  GListModel *model = ferry_file_list_get_model (data);
  g_autoptr(FerryRemoteFile) file = NULL;

  if (g_list_model_get_n_items (model) != 1)
    return FALSE;
  file = g_list_model_get_item (model, 0);
  return g_strcmp0 (ferry_remote_file_get_name (file), "notes.txt") == 0;
}

static gboolean
print_key (GtkEventControllerKey *controller,
           guint                  keyval,
           guint                  keycode,
           GdkModifierType        state,
           gpointer               data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (gtk_event_controller_get_widget (
                                           GTK_EVENT_CONTROLLER (controller))));

  g_printerr ("# key %s, state %x, focus %s in %s, text “%s”\n", gdk_keyval_name (keyval),
              state, focus ? G_OBJECT_TYPE_NAME (focus) : "none",
              focus && gtk_widget_get_parent (focus)
              ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)) : "-",
              GTK_IS_EDITABLE (focus) ? gtk_editable_get_text (GTK_EDITABLE (focus)) : "");
  return FALSE;
}

/* Presses keys ("ctrl+f", "n") through the X server, as a keyboard would. */
static void
xdotool_key (const char *keys)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "xdotool", "key", "--delay", "30", keys, NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error) || !g_spawn_check_wait_status (status, &error))
    fail_msg ("xdotool key %s: %s", keys, error->message);
}

/* Ctrl+F from the header bar (the keyboard on a breadcrumb) opens the filter, and typing
 * filters. Real key presses, through the X server. */
static void
test_ctrl_f_from_anywhere (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  GtkWidget *crumb;

  if (xdotool_path == NULL)
    {
      g_printerr ("# xdotool is not installed\n");
      skip ();
    }

  connect_window (window, "/");
  open_folder (window, "/photos");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-up", NULL);
  ferry_test_spin (20);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  if (!ferry_test_wait_for (window_is_active, window, 5000))
    {
      /* Without a window manager nobody gives the window the keyboard: ask X. */
      gtk_window_present (GTK_WINDOW (window));
      if (!ferry_test_wait_for (window_is_active, window, 5000))
        fail_msg ("the window never got the keyboard");
    }

  if (g_getenv ("FERRY_TEST_DEBUG_KEYS") != NULL)
    {
      GtkEventController *keys = gtk_event_controller_key_new ();

      gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
      g_signal_connect (keys, "key-pressed", G_CALLBACK (print_key), NULL);
      gtk_widget_add_controller (GTK_WIDGET (window), keys);
    }
  /* The keyboard on a breadcrumb in the header bar, far from the list. */
  crumb = current_crumb (window);
  assert_non_null (crumb);
  assert_true (gtk_widget_grab_focus (crumb));
  assert_true (gtk_widget_has_focus (crumb));
  xdotool_key ("ctrl+f");
  if (!ferry_test_wait_for (focus_in_search_entry, window, 5000))
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      fail_msg ("Ctrl+F on a breadcrumb left the keyboard on %s",
                focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");
    }
  for (const char *c = "notes"; *c != '\0'; c++)
    {
      char key[2] = { *c, '\0' };

      xdotool_key (key);
    }
  if (!ferry_test_wait_for (only_notes_listed, window->file_list, 5000))
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      fail_msg ("typed “notes”: %u rows shown, the keyboard in %s holding “%s”",
                g_list_model_get_n_items (ferry_file_list_get_model (window->file_list)),
                focus ? G_OBJECT_TYPE_NAME (focus) : "nothing",
                GTK_IS_EDITABLE (focus) ? gtk_editable_get_text (GTK_EDITABLE (focus)) : "");
    }
}

static gboolean
toast_count_above (gpointer data)
{
  gpointer *pair = data;
  FerryWindow *window = pair[0];

  return window->n_toasts > GPOINTER_TO_UINT (pair[1]);
}

/* Runs action on the file's URI and returns the toast it showed. */
static char *
toast_after (FerryWindow *window,
             const char  *action,
             GFile       *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  gpointer pair[2] = { window, GUINT_TO_POINTER (window->n_toasts) };

  gtk_widget_activate_action (GTK_WIDGET (window), action, "s", uri);
  if (!ferry_test_wait_for (toast_count_above, pair, 20000))
    fail_msg ("%s said nothing", action);
  return g_strdup (window->last_toast);
}

/* Open and Show in Folder on a system with no application for the file and no file
 * manager say so in a toast, with GIO's reason, instead of nothing. */
static void
test_open_without_an_app_says_why (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autofree char *path = g_build_filename (fixture->local, "data.ferry-unknown", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *toast = NULL;
  const char *prefix;

  /* What the test is about: nothing here handles either (a desktop would). */
  {
    g_autoptr(GAppInfo) for_data = g_app_info_get_default_for_type ("application/octet-stream",
                                                                    FALSE);
    g_autoptr(GAppInfo) for_folders = g_app_info_get_default_for_type ("inode/directory", FALSE);

    if (for_data != NULL || for_folders != NULL)
      {
        g_printerr ("# this system has %s for unknown files and %s for folders\n",
                    for_data ? g_app_info_get_id (for_data) : "nothing",
                    for_folders ? g_app_info_get_id (for_folders) : "nothing");
        skip ();
      }
  }
  assert_true (g_file_set_contents (path, "\x01\x02\x03\x04 not a known type", -1, NULL));

  toast = toast_after (window, "win.open-local", file);
  g_printerr ("# Open: %s\n", toast);
  prefix = "Could not open “data.ferry-unknown”: ";
  if (!g_str_has_prefix (toast, prefix) || strlen (toast) <= strlen (prefix) + 4)
    fail_msg ("Open said “%s”", toast);

  g_free (toast);
  toast = toast_after (window, "win.show-local", file);
  g_printerr ("# Show in Folder: %s\n", toast);
  prefix = "Could not show “data.ferry-unknown” in its folder: ";
  if (!g_str_has_prefix (toast, prefix) || strlen (toast) <= strlen (prefix) + 4)
    fail_msg ("Show in Folder said “%s”", toast);
}

/* Item 13: the password prompt ----------------------------------------------------------- */

static gboolean
is_password_row (GtkWidget    *widget,
                 gconstpointer data)
{
  return ADW_IS_PASSWORD_ENTRY_ROW (widget);
}

static GtkWidget *
password_row (FerryWindow *window)
{
  GtkWidget *row = find_widget (GTK_WIDGET (window->connect_page), is_password_row, NULL);

  assert_non_null (row);
  return row;
}

static gboolean
focus_in_password (gpointer data)
{
  FerryWindow *window = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == password_row (window) ||
                           gtk_widget_is_ancestor (focus, password_row (window)));
}

/* Waits for the prompt and checks it: the keyboard in Password, which is empty. */
static void
assert_password_prompt (FerryWindow *window)
{
  const char *in_field;

  if (!ferry_test_wait_for (connect_page_has_error, window, 20000))
    fail_msg ("no prompt: page %s", gtk_stack_get_visible_child_name (window->main_stack));
  assert_string_equal (ferry_connect_page_get_error (window->connect_page), "Enter the password");
  in_field = ferry_connect_page_get_password (window->connect_page);
  if (in_field[0] != '\0')
    fail_msg ("the page asks for the password while the field holds “%s”", in_field);
  if (!ferry_test_wait_for (focus_in_password, window, 5000))
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      fail_msg ("the keyboard is on %s, not in Password",
                focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");
    }
}

/* ftp://ann@host/photos with no password stored: the page asks, the user types it, and
 * the window opens /photos, not the home folder. */
static void
test_url_path_survives_the_password_prompt (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  g_autofree char *url = g_strdup_printf ("ftp://%s@%s/photos", env_or_skip ("FERRY_TEST_USER"),
                                          env_or_skip ("FERRY_TEST_HOSTPORT"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s", url);
  assert_password_prompt (window);

  ferry_connect_page_set_password (window->connect_page, env_or_skip ("FERRY_TEST_PASSWORD"));
  gtk_widget_activate_action (GTK_WIDGET (window->connect_page), "page.connect", NULL);
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
  assert_string_equal (window->current_path, "/photos");
}

static GtkWidget *
first_recent_row (FerryWindow *window)
{
  GtkWidget *row = find_widget (GTK_WIDGET (window->connect_page), is_of_type,
                                GSIZE_TO_POINTER (FERRY_TYPE_RECENT_ROW));

  assert_non_null (row);
  return row;
}

/* A recent server whose password is not in the keyring: clicked while the form holds
 * another server's password, the page asks for this one with an empty field (it does not
 * send the other password, nor claim to need one it shows). Clicked with this server's
 * password typed in, it connects with it. */
static void
test_recent_server_prompt_matches_the_field (void **state)
{
  Fixture *fixture = *state;
  FerryWindow *window = fixture->window;
  const char *hostport = env_or_skip ("FERRY_TEST_HOSTPORT");
  const char *user = env_or_skip ("FERRY_TEST_USER");
  g_autoptr(GSettings) settings = ferry_settings_new ();
  g_auto(GStrv) host_port = g_strsplit (hostport, ":", 2);

  ferry_settings_add_recent_server (settings, host_port[0], (guint16) atoi (host_port[1]),
                                    user, FALSE);
  ferry_connect_page_fill (window->connect_page, "other.example.org", "bob", "bobs-secret",
                           FALSE);
  assert_true (ferry_test_wait_for (widget_is_mapped, first_recent_row (window), 5000));
  gtk_widget_activate (first_recent_row (window));
  assert_password_prompt (window);

  /* The password typed for this very server is used, not asked again. */
  ferry_connect_page_fill (window->connect_page, hostport, user,
                           env_or_skip ("FERRY_TEST_PASSWORD"), FALSE);
  gtk_widget_activate (first_recent_row (window));
  assert_true (ferry_test_wait_for (window_is_browsing, window, 20000));
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_narrow_browse_view_keeps_the_path, setup, teardown),
    cmocka_unit_test_teardown (test_connect_page_fits_the_default_size, teardown),
    cmocka_unit_test_setup_teardown (test_large_folder_opens_at_the_top, setup, teardown),
    cmocka_unit_test_setup_teardown (test_breadcrumbs_keep_deeper_crumbs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ctrl_f_from_anywhere, setup, teardown),
    cmocka_unit_test_setup_teardown (test_open_without_an_app_says_why, setup, teardown),
    cmocka_unit_test_setup_teardown (test_url_path_survives_the_password_prompt, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_recent_server_prompt_matches_the_field, setup,
                                     teardown),
  };

  ferry_test_init (&argc, &argv);
  if (g_getenv ("FERRY_TEST_ONLY") != NULL)
    cmocka_set_test_filter (g_getenv ("FERRY_TEST_ONLY"));
  return cmocka_run_group_tests (tests, NULL, NULL);
}
