// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-name-dialog.c — asks for a file or folder name (New Folder, Rename).
 *
 * The accept response is enabled only for a name the server can take as one path element
 * and that differs from the name it had. Enter in the entry answers and closes the dialog:
 * libadwaita 1.2's adw_message_dialog_response() emits the response but leaves the dialog
 * open, where a second press would send the request again. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-name-dialog.h"

struct _FerryNameDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *entry;
  char             *unchanged;   /* the name before renaming, or NULL */
  int               select_end;  /* where the selection of the initial name ends */
};

G_DEFINE_FINAL_TYPE (FerryNameDialog, ferry_name_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
ferry_name_dialog_is_acceptable (FerryNameDialog *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  return name[0] != '\0' && strchr (name, '/') == NULL &&
         g_strcmp0 (name, ".") != 0 && g_strcmp0 (name, "..") != 0 &&
         g_strcmp0 (name, self->unchanged) != 0;
}

static void
on_entry_changed (FerryNameDialog *self,
                  GtkEditable     *entry)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), FERRY_NAME_RESPONSE_ACCEPT,
                                           ferry_name_dialog_is_acceptable (self));
}

static void
on_entry_activate (FerryNameDialog *self,
                   GtkEntry        *entry)
{
  if (!ferry_name_dialog_is_acceptable (self))
    return;

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), FERRY_NAME_RESPONSE_ACCEPT);
  gtk_window_close (GTK_WINDOW (self));
}

static void
ferry_name_dialog_map (GtkWidget *widget)
{
  FerryNameDialog *self = FERRY_NAME_DIALOG (widget);

  GTK_WIDGET_CLASS (ferry_name_dialog_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, self->select_end);
}

static void
ferry_name_dialog_finalize (GObject *object)
{
  FerryNameDialog *self = FERRY_NAME_DIALOG (object);

  g_free (self->unchanged);

  G_OBJECT_CLASS (ferry_name_dialog_parent_class)->finalize (object);
}

static void
ferry_name_dialog_class_init (FerryNameDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ferry_name_dialog_finalize;
  widget_class->map = ferry_name_dialog_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-name-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryNameDialog, entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
}

static void
ferry_name_dialog_init (FerryNameDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* initial: the name to start from (renaming), or NULL for an empty entry. The name is
 * selected without its extension, as Files does. */
GtkWidget *
ferry_name_dialog_new (GtkWindow  *parent,
                       const char *heading,
                       const char *initial,
                       const char *accept_label)
{
  FerryNameDialog *self;
  const char *dot;

  self = g_object_new (FERRY_TYPE_NAME_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       NULL);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), FERRY_NAME_RESPONSE_ACCEPT,
                                         accept_label);
  self->unchanged = g_strdup (initial);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), initial ? initial : "");

  dot = initial ? strrchr (initial, '.') : NULL;
  self->select_end = dot && dot != initial ? (int) g_utf8_pointer_to_offset (initial, dot) : -1;

  return GTK_WIDGET (self);
}

const char *
ferry_name_dialog_get_name (FerryNameDialog *self)
{
  g_return_val_if_fail (FERRY_IS_NAME_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}
