// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-file-list.c — the remote folder as a sortable, filterable column view.
 *
 * The model chain is GListStore → GtkFilterListModel (type to filter) → GtkSortListModel
 * (folders first, then the clicked column) → GtkMultiSelection. A listing is spliced into
 * the store in one call, so 100,000 entries cost one items-changed emission, and cells are
 * only created for the visible rows (GtkBuilderListItemFactory from ferry-file-*-cell.ui).
 * Dot-files are in the store; a filter hides them unless "show-hidden" is set. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-file-cell.h"
#include "ferry-file-list.h"

struct _FerryFileList
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *modified_column;   /* owned: it leaves the view when compact */
  GMenuModel         *context_menu;

  GListStore         *store;
  GtkStringFilter    *filter;
  GtkCustomFilter    *hidden_filter;   /* dot-files, unless show_hidden */
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkMultiSelection  *selection;
  GtkWidget          *popover;

  char               *folder;
  gboolean            show_hidden;
  gboolean            compact;         /* a narrow window: no Modified column */

  /* The row to bring into view once the rows are laid out (GTK_INVALID_LIST_POSITION:
   * none), and the tick callback that waits for that. */
  guint               scroll_to;
  guint               scroll_tick;
  gboolean            scroll_laid_out;
};

G_DEFINE_FINAL_TYPE (FerryFileList, ferry_file_list, GTK_TYPE_WIDGET)

enum {
  FILE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_SHOW_HIDDEN,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_shown (gpointer item,
          gpointer user_data)
{
  FerryFileList *self = user_data;

  return self->show_hidden || ferry_remote_file_get_name (item)[0] != '.';
}

static void
ferry_file_list_update_page (FerryFileList *self)
{
  const char *page;

  guint n_shown = 0;

  /* "Empty" when nothing would show without a search (dot-files hidden count as none). */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)) && n_shown == 0; i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      n_shown += is_shown (file, self);
    }

  if (n_shown == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    page = "no-match";
  else
    page = "list";

  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_search_changed (FerryFileList  *self,
                   GtkSearchEntry *entry)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
  if (self->folder != NULL)
    ferry_file_list_update_page (self);
}

/* Enter in the filter opens the first match, as in Files. */
static void
on_search_activate (FerryFileList  *self,
                    GtkSearchEntry *entry)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  file = g_list_model_get_item (G_LIST_MODEL (self->sorted), 0);
  if (file != NULL)
    g_signal_emit (self, signals[FILE_ACTIVATED], 0, file);
}

static void
on_stop_search (FerryFileList  *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
on_view_activate (FerryFileList *self,
                  guint          position,
                  GtkColumnView *view)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  file = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (file != NULL)
    g_signal_emit (self, signals[FILE_ACTIVATED], 0, file);
}

/* The row under (x, y) in the list's coordinates, or G_MAXUINT. */
static guint
ferry_file_list_position_at (FerryFileList *self,
                             double         x,
                             double         y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  for (; picked != NULL && picked != GTK_WIDGET (self); picked = gtk_widget_get_parent (picked))
    {
      GtkListItem *item;

      if (!FERRY_IS_FILE_CELL (picked))
        continue;

      item = ferry_file_cell_get_list_item (FERRY_FILE_CELL (picked));
      if (item != NULL)
        return gtk_list_item_get_position (item);
    }

  return G_MAXUINT;
}

static void
on_secondary_click (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    FerryFileList   *self)
{
  guint position = ferry_file_list_position_at (self, x, y);

  /* Right-clicking an unselected row selects just that row, as in Files. */
  if (position != G_MAXUINT &&
      !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  else if (position == G_MAXUINT)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  ferry_file_list_popup_menu (self, x, y);
}

/* Menu key and Shift+F10: the menu opens at the focused row. */
static gboolean
on_menu_shortcut (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  FerryFileList *self = FERRY_FILE_LIST (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  graphene_point_t point = GRAPHENE_POINT_INIT (0, 0);

  if (focus != NULL && gtk_widget_is_ancestor (focus, widget))
    {
      graphene_point_t origin = GRAPHENE_POINT_INIT (gtk_widget_get_width (focus) / 2.f,
                                                     gtk_widget_get_height (focus) / 2.f);
      if (!gtk_widget_compute_point (focus, widget, &origin, &point))
        point = GRAPHENE_POINT_INIT (0, 0);
    }

  ferry_file_list_popup_menu (self, point.x, point.y);
  return TRUE;
}

static void
filter_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryFileList *self = FERRY_FILE_LIST (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
ferry_file_list_dispose (GObject *object)
{
  FerryFileList *self = FERRY_FILE_LIST (object);

  if (self->scroll_tick != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->scroll_tick);
  self->scroll_tick = 0;
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ferry_file_list_parent_class)->dispose (object);
}

static void
ferry_file_list_finalize (GObject *object)
{
  FerryFileList *self = FERRY_FILE_LIST (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_object (&self->modified_column);
  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (ferry_file_list_parent_class)->finalize (object);
}

static void
ferry_file_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryFileList *self = FERRY_FILE_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, self->show_hidden);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_file_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryFileList *self = FERRY_FILE_LIST (object);

  switch (prop_id)
    {
    case PROP_SHOW_HIDDEN:
      ferry_file_list_set_show_hidden (self, g_value_get_boolean (value));
      break;
    case PROP_COMPACT:
      ferry_file_list_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_file_list_class_init (FerryFileListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_file_list_dispose;
  object_class->finalize = ferry_file_list_finalize;
  object_class->get_property = ferry_file_list_get_property;
  object_class->set_property = ferry_file_list_set_property;

  /* Whether dot-files (when the server lists them) are shown. */
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* For a narrow window: the Modified column goes, Name and Size stay. */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Named in the cells' .ui resources. */
  g_type_ensure (FERRY_TYPE_FILE_CELL);
  g_type_ensure (FERRY_TYPE_REMOTE_FILE);

  /* The user opened a row: a folder to enter or a file to download. */
  signals[FILE_ACTIVATED] =
    g_signal_new ("file-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FERRY_TYPE_REMOTE_FILE);

  g_type_ensure (FERRY_TYPE_REMOTE_FILE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-file-list.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, box);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, view);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, name_column);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, modified_column);
  gtk_widget_class_bind_template_child (widget_class, FerryFileList, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_view_activate);

  gtk_widget_class_install_action (widget_class, "list.filter", NULL, filter_action);

  /* Shortcuts that act on the selection only apply while the list has the focus. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, on_menu_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, on_menu_shortcut, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename", NULL);
  /* The menu shows the last binding of an action: "Delete", not "KP Delete". */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "list.filter",
                                       NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ferry-file-list");
}

static void
ferry_file_list_init (FerryFileList *self)
{
  g_autoptr(GtkMultiSorter) sorter = gtk_multi_sorter_new ();
  GtkNumericSorter *folders_first;
  GtkGesture *click;
  GtkSorter *column_sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->scroll_to = GTK_INVALID_LIST_POSITION;
  g_object_ref (self->modified_column);   /* out of the view when compact */
  self->store = g_list_store_new (FERRY_TYPE_REMOTE_FILE);

  self->filter = gtk_string_filter_new (gtk_property_expression_new (FERRY_TYPE_REMOTE_FILE,
                                                                     NULL, "name"));
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  self->hidden_filter = gtk_custom_filter_new (is_shown, self, NULL);
  {
    GtkEveryFilter *every = gtk_every_filter_new ();

    /* The multi filter owns both; self keeps borrowed pointers, as for the model chain. */
    gtk_multi_filter_append (GTK_MULTI_FILTER (every), GTK_FILTER (self->hidden_filter));
    gtk_multi_filter_append (GTK_MULTI_FILTER (every), GTK_FILTER (self->filter));
    self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                GTK_FILTER (every));
  }

  folders_first = gtk_numeric_sorter_new (gtk_property_expression_new (FERRY_TYPE_REMOTE_FILE,
                                                                       NULL, "is-folder"));
  gtk_numeric_sorter_set_sort_order (folders_first, GTK_SORT_DESCENDING);
  gtk_multi_sorter_append (sorter, GTK_SORTER (folders_first));
  column_sorter = gtk_column_view_get_sorter (self->view);
  gtk_multi_sorter_append (sorter, g_object_ref (column_sorter));

  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered),
                                          GTK_SORTER (g_steal_pointer (&sorter)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->sorted));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->view, self->name_column, GTK_SORT_ASCENDING);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
ferry_file_list_new (void)
{
  return g_object_new (FERRY_TYPE_FILE_LIST, NULL);
}

void
ferry_file_list_set_loading (FerryFileList *self)
{
  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

/* The list can only scroll to a row once the rows of the new listing are laid out: before
 * that GTK 4.8 ignores the request ("failed to scroll to given position"), and a value set
 * on the adjustment is turned into a row of the old listing's layout, which left a large
 * folder opened at a random row. So wait until the view was mapped and laid out once. */
static gboolean
scroll_when_laid_out (GtkWidget     *view,
                      GdkFrameClock *clock,
                      gpointer       user_data)
{
  FerryFileList *self = user_data;
  guint position = self->scroll_to;

  if (!gtk_widget_get_mapped (view) || gtk_widget_get_height (view) == 0)
    {
      self->scroll_laid_out = FALSE;
      return G_SOURCE_CONTINUE;
    }
  /* This frame lays the rows out; the next one can scroll. */
  if (!self->scroll_laid_out)
    {
      self->scroll_laid_out = TRUE;
      return G_SOURCE_CONTINUE;
    }

  self->scroll_tick = 0;
  self->scroll_to = GTK_INVALID_LIST_POSITION;
  if (position < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    {
      if (position == 0)
        gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)), 0);
      gtk_widget_activate_action (view, "list.scroll-to-item", "u", position);
    }
  return G_SOURCE_REMOVE;
}

/* Brings row position into view as soon as it can (see above); a later call wins. */
static void
ferry_file_list_scroll_to (FerryFileList *self,
                           guint          position)
{
  self->scroll_to = position;
  self->scroll_laid_out = FALSE;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->view),
                                                      scroll_when_laid_out, self, NULL);
}

/* Shows entries (a GPtrArray of FerryEntry, which is stolen from) as the content of folder.
 * Dot-files and the "." and ".." entries of MLSD are left out. */
void
ferry_file_list_set_entries (FerryFileList *self,
                             const char    *folder,
                             GPtrArray     *entries)
{
  g_autoptr(GPtrArray) files = NULL;
  gboolean same_folder;

  g_return_if_fail (FERRY_IS_FILE_LIST (self));
  g_return_if_fail (folder != NULL);
  g_return_if_fail (entries != NULL);

  files = g_ptr_array_new_full (entries->len, g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);

      if (entry == NULL || entry->name == NULL ||
          g_strcmp0 (entry->name, ".") == 0 || g_strcmp0 (entry->name, "..") == 0 ||
          entry->type == FERRY_ENTRY_CURRENT_DIR || entry->type == FERRY_ENTRY_PARENT_DIR)
        continue;

      g_ptr_array_add (files, ferry_remote_file_new (g_steal_pointer (&entries->pdata[i]),
                                                     folder));
    }

  same_folder = g_strcmp0 (self->folder, folder) == 0;
  g_free (self->folder);
  self->folder = g_strdup (folder);

  /* A new folder starts unfiltered; a refresh keeps the filter the user typed. */
  if (!same_folder)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
    }

  /* Another folder: empty the view first, so that it keeps no row of the old listing
   * as its scroll anchor (it showed a large folder at that row's position). */
  if (!same_folder)
    g_list_store_remove_all (self->store);
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       files->pdata, files->len);
  ferry_file_list_update_page (self);

  /* A new folder opens at its first row; a refresh stays where the user was. */
  if (!same_folder)
    ferry_file_list_scroll_to (self, 0);
}

void
ferry_file_list_clear (FerryFileList *self)
{
  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  g_list_store_remove_all (self->store);
  g_clear_pointer (&self->folder, g_free);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

const char *
ferry_file_list_get_folder (FerryFileList *self)
{
  g_return_val_if_fail (FERRY_IS_FILE_LIST (self), NULL);
  return self->folder;
}

/* The rows as shown: filtered and sorted. */
GListModel *
ferry_file_list_get_model (FerryFileList *self)
{
  g_return_val_if_fail (FERRY_IS_FILE_LIST (self), NULL);
  return G_LIST_MODEL (self->selection);
}

GtkWidget *
ferry_file_list_get_view (FerryFileList *self)
{
  g_return_val_if_fail (FERRY_IS_FILE_LIST (self), NULL);
  return GTK_WIDGET (self->view);
}

/* A new array of the selected FerryRemoteFile rows, in display order. */
GPtrArray *
ferry_file_list_get_selected_files (FerryFileList *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GPtrArray *files;
  guint position;

  g_return_val_if_fail (FERRY_IS_FILE_LIST (self), NULL);

  files = g_ptr_array_new_with_free_func (g_object_unref);
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (files, g_list_model_get_item (G_LIST_MODEL (self->selection), position));

  return files;
}

/* For a drag starting at (x, y): the row there joins the selection as a click would (alone
 * when it was not selected), and the selection is returned. NULL when no row is there. */
GPtrArray *
ferry_file_list_get_files_at (FerryFileList *self,
                              double         x,
                              double         y)
{
  guint position;

  g_return_val_if_fail (FERRY_IS_FILE_LIST (self), NULL);

  position = ferry_file_list_position_at (self, x, y);
  if (position == G_MAXUINT)
    return NULL;

  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  return ferry_file_list_get_selected_files (self);
}

/* The row called name in the current folder, shown or filtered out; NULL when none. */
FerryRemoteFile *
ferry_file_list_lookup (FerryFileList *self,
                        const char    *name)
{
  guint n_items;

  g_return_val_if_fail (FERRY_IS_FILE_LIST (self), NULL);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (ferry_remote_file_get_name (file), name) == 0)
        return file;
    }

  return NULL;
}

void
ferry_file_list_select_name (FerryFileList *self,
                             const char    *name)
{
  guint n_items;

  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_strcmp0 (ferry_remote_file_get_name (file), name) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          /* And in view: GTK 4.8 has no gtk_column_view_scroll_to() yet. */
          ferry_file_list_scroll_to (self, i);
          return;
        }
    }
}

void
ferry_file_list_popup_menu (FerryFileList *self,
                            double         x,
                            double         y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (self->context_menu);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

/* The drop target lives in ferry-window-dnd.c; the list only draws the highlight. */
void
ferry_file_list_set_drop_highlight (FerryFileList *self,
                                    gboolean       highlight)
{
  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  if (highlight)
    gtk_widget_add_css_class (GTK_WIDGET (self), "drop-highlight");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "drop-highlight");
}

void
ferry_file_list_set_show_hidden (FerryFileList *self,
                                 gboolean       show_hidden)
{
  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  show_hidden = !!show_hidden;
  if (self->show_hidden == show_hidden)
    return;

  self->show_hidden = show_hidden;
  gtk_filter_changed (GTK_FILTER (self->hidden_filter),
                      show_hidden ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_MORE_STRICT);
  if (self->folder != NULL)
    ferry_file_list_update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HIDDEN]);
}

void
ferry_file_list_set_compact (FerryFileList *self,
                             gboolean       compact)
{
  g_return_if_fail (FERRY_IS_FILE_LIST (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  /* Out of the view, not just hidden: GTK 4.8 still counts a hidden column's fixed width
   * in the view's minimum width. It is the last column; self keeps a reference. */
  if (compact)
    gtk_column_view_remove_column (self->view, self->modified_column);
  else
    gtk_column_view_append_column (self->view, self->modified_column);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}
