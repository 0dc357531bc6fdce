// SPDX-License-Identifier: GPL-3.0-or-later
/* test-lan-keep-sharing.c — "Keep Sharing" in a real FerryApplication (the class `ferry`
 * runs, registered on the session bus) on host A of the LAN lab, while
 * test_lan_keep_sharing.py plays host B and the desktop (curl, gapplication, `ferry` run
 * again). They talk in lines: this program says READY, KEPT, WINDOWS and EXITED on stdout;
 * the script answers CLOSE and WINDOWS on stdin.
 *
 *   FERRY_TEST_SHARE_FOLDER  the folder to share */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ferry-app-test-utils.h"
#include "ferry-application.h"
#include "ferry-share-window.h"
#include "ferry-window.h"

static GString *input;
static GApplication *app;

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static G_NORETURN void
fail (const char *message)
{
  say ("FAILED %s", message);
  _exit (1);
}

static FerryShareWindow *
find_share_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (FERRY_IS_SHARE_WINDOW (l->data))
      return l->data;
  return NULL;
}

static guint
count_visible_ferry_windows (void)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (FERRY_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      n++;
  return n;
}

static gboolean
share_running (gpointer data)
{
  FerryShareWindow *window = find_share_window ();

  return window != NULL && ferry_share_window_get_share (window) != NULL
         && ferry_share_get_state (ferry_share_window_get_share (window)) == FERRY_SHARE_RUNNING;
}

/* The button of the open message dialog whose label is label: what a click would press. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                           label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
dialog_button (const char *label)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        GtkWidget *button = find_button (l->data, label);

        if (button != NULL)
          return button;
      }
  return NULL;
}

static gboolean
keep_button_shown (gpointer data)
{
  return dialog_button (_("_Keep Sharing")) != NULL;
}

static gboolean
only_sharing_in_background (gpointer data)
{
  FerryShareWindow *window = find_share_window ();

  return count_visible_ferry_windows () == 0 && window != NULL
         && !gtk_widget_get_visible (GTK_WIDGET (window));
}

/* The user closes the sharing window, answers Keep Sharing, then closes the main window. */
static void
close_and_keep_sharing (void)
{
  FerryShareWindow *window = find_share_window ();
  g_autoptr(GList) windows = NULL;

  if (window == NULL)
    fail ("no sharing window");
  gtk_window_close (GTK_WINDOW (window));
  if (!ferry_test_wait_for (keep_button_shown, NULL, 10000))
    fail ("closing the sharing window did not ask");
  g_signal_emit_by_name (dialog_button (_("_Keep Sharing")), "clicked");

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *l = windows; l != NULL; l = l->next)
    if (FERRY_IS_WINDOW (l->data))
      gtk_window_close (l->data);
  if (!ferry_test_wait_for (only_sharing_in_background, NULL, 10000))
    fail ("the windows did not close");
  if (!share_running (NULL))
    fail ("the share stopped");
  say ("KEPT %d", (int) ferry_share_get_pid (ferry_share_window_get_share (window)));
}

static void
say_windows (void)
{
  FerryShareWindow *window = find_share_window ();
  FerryShare *share = window != NULL ? ferry_share_window_get_share (window) : NULL;

  /* WINDOWS <visible main windows> <sharing window visible> <share state> */
  say ("WINDOWS %u %d %d", count_visible_ferry_windows (),
       window != NULL ? gtk_widget_get_visible (GTK_WIDGET (window)) : -1,
       share != NULL ? (int) ferry_share_get_state (share) : -1);
}

static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     data)
{
  char buffer[256];
  ssize_t got;
  char *end;

  while ((got = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (input, buffer, got);
  while ((end = strchr (input->str, '\n')) != NULL)
    {
      g_autofree char *line = g_strndup (input->str, end - input->str);

      g_string_erase (input, 0, end - input->str + 1);
      if (g_str_equal (line, "CLOSE"))
        close_and_keep_sharing ();
      else if (g_str_equal (line, "WINDOWS"))
        say_windows ();
      else
        fail (line);
    }
  if (got == 0)
    _exit (0);   /* the script is gone: so is this app, and its ferryd with it */
  return G_SOURCE_CONTINUE;
}

/* Once the first window is up: Share a Folder from its menu, Start. */
static gboolean
start_sharing (gpointer data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (g_getenv ("FERRY_TEST_SHARE_FOLDER"));
  GtkWindow *main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  FerryShareWindow *window;
  g_autofree char *url = NULL;

  gtk_widget_activate_action (GTK_WIDGET (main_window), "win.share-folder", NULL);
  window = find_share_window ();
  if (window == NULL)
    fail ("Share a Folder opened no window");
  ferry_share_window_set_folder (window, folder);
  gtk_widget_activate_action (GTK_WIDGET (window), "share.start", NULL);
  if (!ferry_test_wait_for (share_running, NULL, 20000))
    fail ("the share did not start");
  url = ferry_share_window_get_ip_url (window);
  say ("READY %s %d %s", url, (int) ferry_share_get_pid (ferry_share_window_get_share (window)),
       g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *application)
{
  static gboolean started;

  if (!started)
    g_idle_add (start_sharing, NULL);
  started = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FerryApplication) application = NULL;
  int status;

  if (g_getenv ("FERRY_TEST_SHARE_FOLDER") == NULL)
    {
      g_printerr ("FERRY_TEST_SHARE_FOLDER is not set; run this through "
                  "test_lan_keep_sharing.py\n");
      return 77;
    }
  ferry_test_init (&argc, &argv);
  input = g_string_new (NULL);
  g_unix_set_fd_nonblocking (STDIN_FILENO, TRUE, NULL);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_stdin, NULL);

  application = ferry_application_new ();
  app = G_APPLICATION (application);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (app, 1, argv);
  say ("EXITED %d", status);
  return status;
}
