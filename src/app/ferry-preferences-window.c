// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-preferences-window.c — download folder, parallel transfers, confirm before delete.
 * Every row is bound to GSettings, so changes apply at once and there is no Apply button. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-file-chooser.h"
#include "ferry-preferences-window.h"
#include "ferry-settings.h"

struct _FerryPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *download_folder_row;
  GtkWidget            *reset_folder_button;
  GtkWidget            *choose_folder_button;
  GtkSpinButton        *parallel_spin;
  GtkSwitch            *confirm_delete_switch;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update_download_folder_row (FerryPreferencesWindow *self)
{
  g_autoptr(GFile) folder = ferry_settings_get_download_folder (self->settings);
  g_autofree char *custom = g_settings_get_string (self->settings, "download-folder");
  g_autofree char *display = g_file_get_parse_name (folder);

  adw_action_row_set_subtitle (self->download_folder_row, display);
  gtk_widget_set_visible (self->reset_folder_button, custom[0] != '\0');
}

static void
on_folder_chosen (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FerryPreferencesWindow) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  files = ferry_file_chooser_choose_finish (result, NULL);
  if (files == NULL || g_list_model_get_n_items (files) == 0)
    return;

  folder = g_list_model_get_item (files, 0);
  path = g_file_get_path (folder);
  if (path != NULL)
    g_settings_set_string (self->settings, "download-folder", path);
}

static void
on_choose_folder_clicked (FerryPreferencesWindow *self,
                          GtkButton              *button)
{
  ferry_file_chooser_choose_async (GTK_WINDOW (self), FERRY_CHOOSE_FOLDER,
                                   _("Download Folder"), _("_Select"), NULL,
                                   on_folder_chosen, g_object_ref (self));
}

static void
on_reset_folder_clicked (FerryPreferencesWindow *self,
                         GtkButton              *button)
{
  g_settings_reset (self->settings, "download-folder");
}

static void
ferry_preferences_window_dispose (GObject *object)
{
  FerryPreferencesWindow *self = FERRY_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_preferences_window_parent_class)->dispose (object);
}

static void
ferry_preferences_window_class_init (FerryPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/"
                                               "ferry-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, download_folder_row);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, reset_folder_button);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow,
                                        choose_folder_button);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, parallel_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow,
                                        confirm_delete_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_folder_clicked);
}

static void
ferry_preferences_window_init (FerryPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The row makes its button "labelled-by" its title; the button's own label says more
   * ("Choose a Download Folder"), and GTK 4.8 would read both. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->choose_folder_button),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  self->settings = ferry_settings_new ();
  g_settings_bind (self->settings, "parallel-transfers",
                   gtk_spin_button_get_adjustment (self->parallel_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "confirm-delete",
                   self->confirm_delete_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::download-folder",
                           G_CALLBACK (update_download_folder_row), self,
                           G_CONNECT_SWAPPED);
  update_download_folder_row (self);
}

GtkWidget *
ferry_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (FERRY_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
