// SPDX-License-Identifier: GPL-3.0-or-later
/* test-lan-share.c — Share a Folder driven through its real window on host A of the LAN lab,
 * while test_lan_share.py plays the other machine (curl, lftp, avahi-browse, zbarimg on
 * host B). They talk in lines: this program says READY/SEEN/STOPPED on stdout, the script
 * answers CLIENT <address>, STOP, NEXT and QUIT on stdin.
 *
 *   FERRY_TEST_SHARE_FOLDER  the folder to share
 *   FERRY_TEST_QR_PNG        where to save the QR code the window shows
 *   FERRY_TEST_SCREENSHOTS   (optional) where sharing.png goes */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <glib-unix.h>
#include <unistd.h>

#include "ferry-app-test-utils.h"
#include "ferry-share-window.h"

static GString *input;

static const char *
env_or_skip (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_printerr ("%s is not set; run this through test_lan_share.py\n", name);
      skip ();
    }
  return value;
}

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

/* stdin as a main loop source: what the script says wakes the loop that waits for it. */
static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     data)
{
  char buffer[256];
  ssize_t got;

  while ((got = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (input, buffer, got);
  return got != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;   /* 0: EOF */
}

static gboolean
line_waiting (gpointer data)
{
  return strchr (input->str, '\n') != NULL;
}

/* The next line the script sends (waits up to a minute, the main loop running). */
static char *
hear (void)
{
  char *end;
  char *line;

  if (!ferry_test_wait_for (line_waiting, NULL, 60000))
    fail_msg ("nothing from test_lan_share.py");
  end = strchr (input->str, '\n');
  line = g_strndup (input->str, end - input->str);
  g_string_erase (input, 0, end - input->str + 1);
  return line;
}

static gboolean
share_in_state (gpointer data)
{
  FerryShareWindow *window = data;
  FerryShare *share = ferry_share_window_get_share (window);
  gpointer wanted = g_object_get_data (G_OBJECT (window), "wanted-state");

  return share != NULL
         && ferry_share_get_state (share) == (FerryShareState) GPOINTER_TO_INT (wanted);
}

static void
wait_state (FerryShareWindow *window,
            FerryShareState   state)
{
  FerryShare *share;

  g_object_set_data (G_OBJECT (window), "wanted-state", GINT_TO_POINTER (state));
  if (ferry_test_wait_for (share_in_state, window, 20000))
    return;
  share = ferry_share_window_get_share (window);
  fail_msg ("the share is in state %d, not %d: %s",
            share != NULL ? (int) ferry_share_get_state (share) : -1, state,
            share != NULL && ferry_share_get_error (share) != NULL
            ? ferry_share_get_error (share)->message : "no error");
}

typedef struct {
  FerryShareWindow *window;
  const char       *peer;
} ClientLookup;

static gboolean
client_listed (gpointer data)
{
  ClientLookup *lookup = data;
  GListModel *clients = ferry_share_get_clients (ferry_share_window_get_share (lookup->window));

  for (guint i = 0; i < g_list_model_get_n_items (clients); i++)
    {
      g_autoptr(GtkStringObject) row = g_list_model_get_item (clients, i);

      if (strstr (gtk_string_object_get_string (row), lookup->peer) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_share_a_folder (void **state)
{
  g_autoptr(GFile) folder = g_file_new_for_path (env_or_skip ("FERRY_TEST_SHARE_FOLDER"));
  const char *qr_png = env_or_skip ("FERRY_TEST_QR_PNG");
  FerryShareWindow *window = FERRY_SHARE_WINDOW (ferry_share_window_new (NULL));
  FerryShareWindow *again;
  FerryShare *share;
  g_autofree char *url = NULL;
  g_autofree char *command = NULL;
  ClientLookup lookup = { window, NULL };

  input = g_string_new (NULL);
  g_unix_set_fd_nonblocking (STDIN_FILENO, TRUE, NULL);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_stdin, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 900);
  gtk_window_present (GTK_WINDOW (window));

  /* Anyone can download. */
  ferry_share_window_set_folder (window, folder);
  assert_false (ferry_share_window_get_password_mode (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "share.start", NULL);
  wait_state (window, FERRY_SHARE_RUNNING);
  share = ferry_share_window_get_share (window);
  url = ferry_share_window_get_ip_url (window);
  assert_true (gdk_texture_save_to_png (ferry_share_window_get_qr_texture (window), qr_png));
  say ("READY anonymous %s %d", url, (int) ferry_share_get_pid (share));

  /* Who is connected: the script holds a session open from host B. */
  command = hear ();
  assert_true (g_str_has_prefix (command, "CLIENT "));
  lookup.peer = command + strlen ("CLIENT ");
  if (!ferry_test_wait_for (client_listed, &lookup, 15000))
    fail_msg ("%s is not among the connected clients", lookup.peer);
  ferry_test_screenshot (GTK_WIDGET (window), "sharing");
  say ("SEEN %s", lookup.peer);
  g_clear_pointer (&command, g_free);

  command = hear ();
  assert_string_equal (command, "STOP");
  gtk_widget_activate_action (GTK_WIDGET (window), "share.stop", NULL);
  wait_state (window, FERRY_SHARE_STOPPED);
  assert_int_equal (ferry_share_get_pid (share), 0);
  say ("STOPPED");
  g_clear_pointer (&command, g_free);

  /* Once the other host saw it go (the same name again at once would look like it stayed). */
  command = hear ();
  assert_string_equal (command, "NEXT");
  g_clear_pointer (&command, g_free);

  /* People with the password can upload too. */
  ferry_share_window_set_password_mode (window, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "share.start", NULL);
  wait_state (window, FERRY_SHARE_RUNNING);
  share = ferry_share_window_get_share (window);
  g_clear_pointer (&url, g_free);
  url = ferry_share_window_get_ip_url (window);
  assert_non_null (strstr (url, FERRY_SHARE_USER "@"));
  say ("READY password %s %s %d", url, ferry_share_get_password (share),
       (int) ferry_share_get_pid (share));

  /* The choice is remembered for the folder. */
  again = FERRY_SHARE_WINDOW (ferry_share_window_new (NULL));
  ferry_share_window_set_folder (again, folder);
  assert_true (ferry_share_window_get_password_mode (again));
  gtk_window_destroy (GTK_WINDOW (again));

  /* The app goes away without stopping: its ferryd must not stay behind. */
  command = hear ();
  assert_string_equal (command, "QUIT");
  say ("BYE");
  _exit (0);
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_share_a_folder),
  };

  ferry_test_init (&argc, &argv);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
