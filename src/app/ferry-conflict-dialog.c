// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-conflict-dialog.c — a name clash on either side: Replace, Keep Both or Skip.
 *
 * The caller connects to AdwMessageDialog::response (ids FERRY_CONFLICT_RESPONSE_*) and reads
 * ferry_conflict_dialog_get_apply_to_all() there. Closing the dialog means Skip: nothing is
 * overwritten unless the user said so. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-conflict-dialog.h"

struct _FerryConflictDialog
{
  AdwMessageDialog  parent_instance;

  GtkCheckButton   *apply_to_all_check;
};

G_DEFINE_FINAL_TYPE (FerryConflictDialog, ferry_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
ferry_conflict_dialog_class_init (FerryConflictDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/"
                                               "ferry-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConflictDialog, apply_to_all_check);
}

static void
ferry_conflict_dialog_init (FerryConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* on_server: the clash is with a file on the server (an upload), else with a local file.
 * n_remaining: further transfers waiting for an answer; "apply to all" shows when > 0. */
GtkWidget *
ferry_conflict_dialog_new (GtkWindow  *parent,
                           const char *name,
                           gboolean    on_server,
                           guint       n_remaining)
{
  FerryConflictDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (FERRY_TYPE_CONFLICT_DIALOG,
                       "transient-for", parent,
                       NULL);

  heading = g_strdup_printf (_("Replace “%s”?"), name);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               on_server
                               ? _("A file with this name already exists on the server. "
                                   "Replacing it overwrites its content.")
                               : _("A file with this name already exists in the download folder. "
                                   "Replacing it overwrites its content."));
  gtk_widget_set_visible (GTK_WIDGET (self->apply_to_all_check), n_remaining > 0);

  return GTK_WIDGET (self);
}

gboolean
ferry_conflict_dialog_get_apply_to_all (FerryConflictDialog *self)
{
  g_return_val_if_fail (FERRY_IS_CONFLICT_DIALOG (self), FALSE);

  return gtk_check_button_get_active (self->apply_to_all_check);
}
