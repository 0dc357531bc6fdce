// SPDX-License-Identifier: GPL-3.0-or-later
/* test-file-list.c — the remote folder view with 100,000 entries: it must load in one go,
 * keep folders first, hide dot-files, filter as the user types, and scroll with only the
 * visible rows built. Prints the times it measured. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ferry-app-test-utils.h"
#include "ferry-file-list.h"

#define N_ENTRIES 100000

static GPtrArray *
make_entries (guint n)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = NULL;
      FerryEntry *entry;

      if (i % 1000 == 0)
        name = g_strdup_printf ("folder-%06u", i);
      else if (i % 97 == 0)
        name = g_strdup_printf (".hidden-%06u", i);
      else
        name = g_strdup_printf ("file-%06u.dat", i);

      entry = ferry_entry_new (name, i % 1000 == 0 ? FERRY_ENTRY_DIRECTORY : FERRY_ENTRY_FILE);
      entry->size = (gint64) i * 1024;
      entry->modified = 1700000000 + i;
      g_ptr_array_add (entries, entry);
    }

  return entries;
}

static guint
expected_visible (guint n)
{
  guint visible = 0;

  for (guint i = 0; i < n; i++)
    if (i % 1000 == 0 || i % 97 != 0)
      visible++;

  return visible;
}

typedef struct {
  GtkWidget *window;
  GtkWidget *list;
} Fixture;

static int
setup (void **state)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->window = gtk_window_new ();
  fixture->list = ferry_file_list_new ();
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->list);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  gtk_window_present (GTK_WINDOW (fixture->window));
  ferry_test_spin (100);
  *state = fixture;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *fixture = *state;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ferry_test_spin (20);
  g_free (fixture);
  return 0;
}

static guint
count_descendants (GtkWidget *widget)
{
  guint count = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_descendants (child);

  return count;
}

static void
test_hundred_thousand_entries (void **state)
{
  Fixture *fixture = *state;
  FerryFileList *list = FERRY_FILE_LIST (fixture->list);
  g_autoptr(GPtrArray) entries = make_entries (N_ENTRIES);
  GListModel *model = ferry_file_list_get_model (list);
  GtkAdjustment *adjustment;
  GtkWidget *scroller;
  gint64 load_start, loaded, drawn, scroll_start, scrolled;
  g_autoptr(FerryRemoteFile) first = NULL;
  g_autoptr(FerryRemoteFile) last_folder = NULL;
  g_autoptr(FerryRemoteFile) first_file = NULL;
  guint widgets;

  load_start = g_get_monotonic_time ();
  ferry_file_list_set_entries (list, "/", entries);
  loaded = g_get_monotonic_time ();
  ferry_test_spin (50);
  drawn = g_get_monotonic_time ();

  assert_int_equal (g_list_model_get_n_items (model), expected_visible (N_ENTRIES));

  /* Folders first, then names in order. */
  first = g_list_model_get_item (model, 0);
  last_folder = g_list_model_get_item (model, N_ENTRIES / 1000 - 1);
  first_file = g_list_model_get_item (model, N_ENTRIES / 1000);
  assert_string_equal (ferry_remote_file_get_name (first), "folder-000000");
  assert_true (ferry_remote_file_is_folder (last_folder));
  assert_false (ferry_remote_file_is_folder (first_file));
  assert_string_equal (ferry_remote_file_get_name (first_file), "file-000001.dat");

  /* Only the visible rows have widgets. */
  widgets = count_descendants (fixture->list);
  g_print ("# widgets in the list: %u\n", widgets);
  /* GTK keeps a couple of hundred rows around the visible ones, never all 100,000. */
  assert_true (widgets < 5000);

  /* Scroll through the whole list in 50 jumps; each must draw quickly. */
  scroller = gtk_widget_get_ancestor (ferry_file_list_get_view (list), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  scroll_start = g_get_monotonic_time ();
  for (guint i = 1; i <= 50; i++)
    {
      gtk_adjustment_set_value (adjustment,
                                (gtk_adjustment_get_upper (adjustment) -
                                 gtk_adjustment_get_page_size (adjustment)) * i / 50.0);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      ferry_test_spin (16);
    }
  scrolled = g_get_monotonic_time ();
  g_print ("# loaded %u entries in %.1f ms, first frame after %.1f ms, "
           "50 scroll jumps in %.1f ms (%.1f ms each, 16 ms of it waiting for a frame)\n",
           N_ENTRIES, (loaded - load_start) / 1000.0, (drawn - loaded) / 1000.0,
           (scrolled - scroll_start) / 1000.0, (scrolled - scroll_start) / 1000.0 / 50);
  assert_true (count_descendants (fixture->list) < 5000);
}

static void
test_filter_as_you_type (void **state)
{
  Fixture *fixture = *state;
  FerryFileList *list = FERRY_FILE_LIST (fixture->list);
  g_autoptr(GPtrArray) entries = make_entries (N_ENTRIES);
  GListModel *model = ferry_file_list_get_model (list);
  GtkWidget *entry;

  ferry_file_list_set_entries (list, "/", entries);
  gtk_widget_activate_action (fixture->list, "list.filter", NULL);
  entry = gtk_root_get_focus (GTK_ROOT (fixture->window));
  assert_non_null (entry);
  entry = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY);
  assert_non_null (entry);

  gtk_editable_set_text (GTK_EDITABLE (entry), "FILE-0999");
  g_signal_emit_by_name (entry, "search-changed");
  ferry_test_spin (50);

  /* file-099900 … file-099999 minus the hidden ones; case does not matter. */
  assert_true (g_list_model_get_n_items (model) > 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (model, i);
      assert_non_null (strstr (ferry_remote_file_get_name (file), "file-0999"));
    }

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  ferry_test_spin (50);
  assert_int_equal (g_list_model_get_n_items (model), expected_visible (N_ENTRIES));
}

static void
test_empty_folder_page (void **state)
{
  Fixture *fixture = *state;
  FerryFileList *list = FERRY_FILE_LIST (fixture->list);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);

  g_ptr_array_add (entries, ferry_entry_new (".only-hidden", FERRY_ENTRY_FILE));
  ferry_file_list_set_entries (list, "/empty", entries);
  assert_int_equal (g_list_model_get_n_items (ferry_file_list_get_model (list)), 0);
  assert_false (gtk_widget_get_mapped (ferry_file_list_get_view (list)));
}

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

/* Names the server chose are shown escaped: no terminal-style controls, no bidirectional
 * override turning "txt.exe" around, no bytes that are not UTF-8 in a label. */
static void
test_names_are_shown_escaped (void **state)
{
  Fixture *fixture = *state;
  FerryFileList *list = FERRY_FILE_LIST (fixture->list);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_entry_free);
  g_autoptr(GString) labels = g_string_new (NULL);
  static const char *names[] = { "title\x1b]0;pwned\x07.txt", "csi\xc2\x9b" "2J.txt",
                                 "photo\xe2\x80\xaegpj.exe", "raw\x9b" "1m.txt", "plain.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (entries, ferry_entry_new (names[i], FERRY_ENTRY_FILE));
  ferry_file_list_set_entries (list, "/", entries);
  ferry_test_spin (200);
  collect_labels (ferry_file_list_get_view (list), labels);

  assert_true (g_utf8_validate (labels->str, -1, NULL));
  assert_null (strchr (labels->str, 0x1b));
  assert_null (strchr (labels->str, 0x07));
  assert_null (strstr (labels->str, "\xc2\x9b"));
  assert_null (strstr (labels->str, "\xe2\x80\xae"));
  assert_non_null (strstr (labels->str, "title\\x1B]0;pwned\\x07.txt"));
  assert_non_null (strstr (labels->str, "csi\\u009B2J.txt"));
  assert_non_null (strstr (labels->str, "photo\\u202Egpj.exe"));
  assert_non_null (strstr (labels->str, "raw\\x9B1m.txt"));
  assert_non_null (strstr (labels->str, "plain.txt"));
}

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_hundred_thousand_entries, setup, teardown),
    cmocka_unit_test_setup_teardown (test_filter_as_you_type, setup, teardown),
    cmocka_unit_test_setup_teardown (test_empty_folder_page, setup, teardown),
    cmocka_unit_test_setup_teardown (test_names_are_shown_escaped, setup, teardown),
  };

  ferry_test_init (&argc, &argv);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
