// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-a11y.c — every button's accessible name is its label, once, as a screen reader
 * should read it.
 *
 * GTK 4.8 (Debian 12) joins a widget's "label" accessible property and the names of the
 * widgets it is "labelled-by", and it fills both for a button with a mnemonic: the label
 * property gets the raw text ("_Upload") and the mnemonic label the shown text, so Orca
 * reads "_Upload Upload". A check button gets only the raw text; a button that shows
 * only an icon inside a libadwaita widget (the split button's arrow, the password row's
 * eye, the About window's Back) has no name at all, and GTK falls back to its type name
 * ("GtkMenuButton", "GtkImage"). No application can fix this in GTK itself, so Ferry repairs each
 * toplevel's buttons when it is mapped, and each button mapped later (dialog responses,
 * toasts), and again when a label changes. The repair gives the name from the widget's
 * own properties, which is right on later GTK versions too. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-a11y.h"

#define REPAIRED_KEY "ferry-a11y-repaired"

/* "_Save" -> "Save", "Save __As" -> "Save _As" (GtkLabel's use-underline rules). */
char *
ferry_a11y_strip_mnemonic (const char *label)
{
  GString *text;

  g_return_val_if_fail (label != NULL, NULL);

  text = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            p++;
          else if (p[1] != '\0')
            continue;
        }
      g_string_append_c (text, *p);
    }

  return g_string_free (text, FALSE);
}

static void
set_name (GtkWidget  *widget,
          const char *name)
{
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

/* The buttons GTK and libadwaita make inside their own widgets, which Ferry cannot name in
 * a .ui file. */
static gboolean
is_foreign_part (GtkWidget *widget)
{
  return ADW_IS_SPLIT_BUTTON (gtk_widget_get_parent (widget))
         || gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL
         || gtk_widget_get_ancestor (widget, ADW_TYPE_ABOUT_WINDOW) != NULL
         || gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static const char *
icon_name_of (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));

  return gtk_button_get_icon_name (GTK_BUTTON (widget));
}

/* What an icon-only button of GTK or libadwaita that has no tooltip does. */
static const char *
name_of_icon (const char *icon_name)
{
  if (g_strcmp0 (icon_name, "edit-find-symbolic") == 0)
    return _("Search");
  if (g_strcmp0 (icon_name, "go-previous-symbolic") == 0)
    return _("Back");

  return NULL;
}

static const char *
first_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = first_label_text (child);

      if (text != NULL && text[0] != '\0')
        return text;
    }

  return NULL;
}

/* A foreign button without a label: its tooltip, what its icon means or the text it
 * shows; nothing at all (hidden) when it shows nothing either, as the sections menu of a
 * shortcuts window with one section. */
static void
name_foreign_part (GtkWidget *widget)
{
  const char *name = gtk_widget_get_tooltip_text (widget);

  if (name == NULL)
    name = name_of_icon (icon_name_of (widget));
  if (name == NULL)
    name = first_label_text (widget);

  if (name != NULL)
    {
      set_name (widget, name);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN);
    }
  else
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

static void repair_widget (GtkWidget *widget);

static void
on_label_changed (GtkWidget *widget)
{
  repair_widget (widget);
}

static void
watch (GtkWidget  *widget,
       const char *first_property,
       ...)
{
  va_list args;

  if (g_object_get_data (G_OBJECT (widget), REPAIRED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), REPAIRED_KEY, GINT_TO_POINTER (TRUE));

  va_start (args, first_property);
  for (const char *property = first_property; property != NULL;
       property = va_arg (args, const char *))
    {
      g_autofree char *signal = g_strconcat ("notify::", property, NULL);

      g_signal_connect (widget, signal, G_CALLBACK (on_label_changed), NULL);
    }
  va_end (args);
}

static void
repair_widget (GtkWidget *widget)
{
  const char *label = NULL;
  gboolean use_underline = FALSE;

  if (GTK_IS_BUTTON (widget))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));
      use_underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
      watch (widget, "label", "use-underline", "tooltip-text", NULL);
    }
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      use_underline = gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
      watch (widget, "label", "use-underline", NULL);
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      use_underline = gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget));
      watch (widget, "label", "use-underline", "tooltip-text", NULL);
    }
  else
    return;

  if (label != NULL && use_underline)
    {
      g_autofree char *name = ferry_a11y_strip_mnemonic (label);

      set_name (widget, name);
    }
  else if (label != NULL && GTK_IS_MENU_BUTTON (widget))
    set_name (widget, label);
  else if (label == NULL && !GTK_IS_CHECK_BUTTON (widget) && is_foreign_part (widget))
    name_foreign_part (widget);
}

static void
repair_tree (GtkWidget *widget)
{
  repair_widget (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    repair_tree (child);
}

void
ferry_a11y_repair (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  repair_tree (widget);
}

/* A window when it maps: all of it, hidden stack pages included (GTK 4.8 shows those to
 * screen readers too). Any other widget: itself, for those added later. */
static gboolean
on_map (GSignalInvocationHint *hint,
        guint                  n_params,
        const GValue          *params,
        gpointer               data)
{
  GtkWidget *widget = g_value_get_object (&params[0]);

  if (GTK_IS_NATIVE (widget))
    repair_tree (widget);
  else
    repair_widget (widget);

  return TRUE;
}

void
ferry_a11y_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* The signal exists once the class does. */
      g_autoptr(GTypeClass) widget_class = g_type_class_ref (GTK_TYPE_WIDGET);
      guint signal_id = g_signal_lookup ("map", GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (signal_id, 0, on_map, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
