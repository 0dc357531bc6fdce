// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-file-cell.c — one cell of the file list, knowing the list item it shows.
 *
 * The cells are built by GtkBuilderListItemFactory from ferry-file-*-cell.ui; each is a
 * FerryFileCell whose "list-item" is the GtkListItem around it, so a right-click can find
 * the row under the pointer (gtk_widget_pick, then up to the cell).
 *
 * Ctrl+click on GTK 4.8 (Debian 12): a GtkColumnView cell is a list item widget of its
 * own, with the same click gesture as its row, so a click selects twice, once from the
 * cell and once from the row. Plain and Shift clicks do not mind; Ctrl+click toggles,
 * and the second toggle undoes the first: the row is never added to the selection. The
 * cell's list item is made not selectable there, so only the row selects. GTK 4.10
 * rewrote the column view (the cells no longer select, and a cell that is not
 * selectable makes its whole row so): nothing to do from then on. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-file-cell.h"

struct _FerryFileCell
{
  GtkBox       parent_instance;

  GtkListItem *list_item;   /* weak: the list item owns the cell */
};

G_DEFINE_FINAL_TYPE (FerryFileCell, ferry_file_cell, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LIST_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_file_cell_dispose (GObject *object)
{
  FerryFileCell *self = FERRY_FILE_CELL (object);

  g_clear_weak_pointer (&self->list_item);

  G_OBJECT_CLASS (ferry_file_cell_parent_class)->dispose (object);
}

static void
ferry_file_cell_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryFileCell *self = FERRY_FILE_CELL (object);

  switch (prop_id)
    {
    case PROP_LIST_ITEM:
      g_value_set_object (value, self->list_item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_file_cell_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FerryFileCell *self = FERRY_FILE_CELL (object);

  switch (prop_id)
    {
    case PROP_LIST_ITEM:
      g_set_weak_pointer (&self->list_item, g_value_get_object (value));
      if (self->list_item != NULL && gtk_get_major_version () == 4 && gtk_get_minor_version () < 10)
        gtk_list_item_set_selectable (self->list_item, FALSE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_file_cell_class_init (FerryFileCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_file_cell_dispose;
  object_class->get_property = ferry_file_cell_get_property;
  object_class->set_property = ferry_file_cell_set_property;

  properties[PROP_LIST_ITEM] =
    g_param_spec_object ("list-item", NULL, NULL, GTK_TYPE_LIST_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_file_cell_init (FerryFileCell *self)
{
}

GtkListItem *
ferry_file_cell_get_list_item (FerryFileCell *self)
{
  g_return_val_if_fail (FERRY_IS_FILE_CELL (self), NULL);

  return self->list_item;
}
