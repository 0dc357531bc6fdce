// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-conflict-dialog.c — a name clash on either side. A file: Replace, Keep Both or Skip,
 * with the size and date of both files and which one is newer and larger, as GNOME Files
 * shows them. A folder: Merge (copy into it, asking about each file in both), Skip or
 * Cancel.
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

  GtkWidget        *facts_box;
  GtkLabel         *existing_label;
  GtkLabel         *incoming_label;
  GtkCheckButton   *apply_to_all_check;

  gboolean          on_server;      /* the existing file is on the server (an upload) */
  gint64            existing_size;
  GDateTime        *existing_modified;
  gint64            incoming_size;
  GDateTime        *incoming_modified;
  GCancellable     *cancellable;    /* the facts being looked up */
};

G_DEFINE_FINAL_TYPE (FerryConflictDialog, ferry_conflict_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
ferry_conflict_dialog_dispose (GObject *object)
{
  FerryConflictDialog *self = FERRY_CONFLICT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_conflict_dialog_parent_class)->dispose (object);
}

static void
ferry_conflict_dialog_finalize (GObject *object)
{
  FerryConflictDialog *self = FERRY_CONFLICT_DIALOG (object);

  g_clear_pointer (&self->existing_modified, g_date_time_unref);
  g_clear_pointer (&self->incoming_modified, g_date_time_unref);

  G_OBJECT_CLASS (ferry_conflict_dialog_parent_class)->finalize (object);
}

static void
ferry_conflict_dialog_class_init (FerryConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_conflict_dialog_dispose;
  object_class->finalize = ferry_conflict_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/"
                                               "ferry-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConflictDialog, facts_box);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictDialog, existing_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictDialog, incoming_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConflictDialog, apply_to_all_check);
}

static void
ferry_conflict_dialog_init (FerryConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->existing_size = -1;
  self->incoming_size = -1;
  self->cancellable = g_cancellable_new ();
}

/* "2.0 kB, modified 03/12/26 10:15:00 (newer, larger)": g_format_size and the locale's
 * date and time. */
static char *
describe (gint64     size,
          GDateTime *modified,
          gint64     other_size,
          GDateTime *other_modified)
{
  g_autofree char *size_text = size >= 0 ? g_format_size ((guint64) size)
                                         : g_strdup (_("size unknown"));
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) hints = g_ptr_array_new ();

  if (modified != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (modified);

      date = g_date_time_format (local, "%x %X");
      text = g_strdup_printf (_("%s, modified %s"), size_text, date);
    }
  else
    text = g_strdup_printf (_("%s, date unknown"), size_text);

  if (modified != NULL && other_modified != NULL
      && g_date_time_to_unix (modified) > g_date_time_to_unix (other_modified))
    g_ptr_array_add (hints, _("newer"));
  if (size >= 0 && other_size >= 0 && size > other_size)
    g_ptr_array_add (hints, _("larger"));
  if (hints->len > 0)
    {
      g_autofree char *joined = NULL;
      char *with_hints;

      g_ptr_array_add (hints, NULL);
      joined = g_strjoinv (", ", (char **) hints->pdata);
      /* Translators: a file's size and date, then which of the two files it is: (newer,
       * larger) */
      with_hints = g_strdup_printf (_("%s (%s)"), text, joined);
      g_free (text);
      text = with_hints;
    }

  return g_steal_pointer (&text);
}

static void
update_facts (FerryConflictDialog *self)
{
  g_autofree char *existing = describe (self->existing_size, self->existing_modified,
                                        self->incoming_size, self->incoming_modified);
  g_autofree char *incoming = describe (self->incoming_size, self->incoming_modified,
                                        self->existing_size, self->existing_modified);
  g_autofree char *existing_text = NULL;
  g_autofree char *incoming_text = NULL;

  if (self->on_server)
    {
      existing_text = g_strdup_printf (_("On the server: %s"), existing);
      incoming_text = g_strdup_printf (_("On this computer: %s"), incoming);
    }
  else
    {
      existing_text = g_strdup_printf (_("In the download folder: %s"), existing);
      incoming_text = g_strdup_printf (_("On the server: %s"), incoming);
    }
  gtk_label_set_text (self->existing_label, existing_text);
  gtk_label_set_text (self->incoming_label, incoming_text);
}

static FerryConflictDialog *
conflict_dialog_new (GtkWindow  *parent,
                     const char *heading,
                     const char *body,
                     gboolean    on_server)
{
  FerryConflictDialog *self = g_object_new (FERRY_TYPE_CONFLICT_DIALOG,
                                            "transient-for", parent,
                                            NULL);

  self->on_server = on_server;
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  return self;
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

  heading = g_strdup_printf (_("Replace “%s”?"), name);
  self = conflict_dialog_new (parent, heading,
                              on_server
                              ? _("A file with this name already exists on the server. "
                                  "Replacing it overwrites its content.")
                              : _("A file with this name already exists in the download folder. "
                                  "Replacing it overwrites its content."),
                              on_server);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    FERRY_CONFLICT_RESPONSE_SKIP, _("_Skip"),
                                    FERRY_CONFLICT_RESPONSE_KEEP_BOTH, _("_Keep Both"),
                                    FERRY_CONFLICT_RESPONSE_REPLACE, _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self),
                                              FERRY_CONFLICT_RESPONSE_REPLACE,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self),
                                           FERRY_CONFLICT_RESPONSE_KEEP_BOTH);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self),
                                         FERRY_CONFLICT_RESPONSE_SKIP);
  update_facts (self);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_to_all_check), n_remaining > 0);

  return GTK_WIDGET (self);
}

/* A folder of that name is there already: merging is what copying into it does, so the
 * dialog says so and asks about each file in both afterwards. */
GtkWidget *
ferry_conflict_dialog_new_folder (GtkWindow  *parent,
                                  const char *name,
                                  gboolean    on_server)
{
  FerryConflictDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  heading = g_strdup_printf (_("Merge Folder “%s”?"), name);
  self = conflict_dialog_new (parent, heading,
                              on_server
                              ? _("A folder with this name already exists on the server. "
                                  "Merging copies the files into it; you are asked about "
                                  "each file that is in both.")
                              : _("A folder with this name already exists in the download "
                                  "folder. Merging copies the files into it; you are asked "
                                  "about each file that is in both."),
                              on_server);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    FERRY_CONFLICT_RESPONSE_CANCEL, _("_Cancel"),
                                    FERRY_CONFLICT_RESPONSE_SKIP, _("_Skip"),
                                    FERRY_CONFLICT_RESPONSE_MERGE, _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self),
                                              FERRY_CONFLICT_RESPONSE_MERGE,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self),
                                           FERRY_CONFLICT_RESPONSE_MERGE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self),
                                         FERRY_CONFLICT_RESPONSE_CANCEL);
  gtk_widget_set_visible (self->facts_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_to_all_check), FALSE);

  return GTK_WIDGET (self);
}

void
ferry_conflict_dialog_set_facts (FerryConflictDialog *self,
                                 gint64               existing_size,
                                 GDateTime           *existing_modified,
                                 gint64               incoming_size,
                                 GDateTime           *incoming_modified)
{
  g_return_if_fail (FERRY_IS_CONFLICT_DIALOG (self));

  self->existing_size = existing_size;
  self->incoming_size = incoming_size;
  g_clear_pointer (&self->existing_modified, g_date_time_unref);
  g_clear_pointer (&self->incoming_modified, g_date_time_unref);
  self->existing_modified = existing_modified ? g_date_time_ref (existing_modified) : NULL;
  self->incoming_modified = incoming_modified ? g_date_time_ref (incoming_modified) : NULL;
  update_facts (self);
}

/* Where the local and the remote facts go: existing or incoming, by direction. */
static void
set_side (FerryConflictDialog *self,
          gboolean             remote,
          gint64               size,
          GDateTime           *modified)
{
  gboolean existing = remote == self->on_server;

  if (existing)
    {
      if (size >= 0)
        self->existing_size = size;
      if (modified != NULL)
        {
          g_clear_pointer (&self->existing_modified, g_date_time_unref);
          self->existing_modified = g_date_time_ref (modified);
        }
    }
  else
    {
      if (size >= 0)
        self->incoming_size = size;
      if (modified != NULL)
        {
          g_clear_pointer (&self->incoming_modified, g_date_time_unref);
          self->incoming_modified = g_date_time_ref (modified);
        }
    }
  update_facts (self);
}

static void
on_local_info (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(FerryConflictDialog) self = data;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);
  g_autoptr(GDateTime) modified = NULL;

  if (info == NULL || self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  modified = g_file_info_get_modification_date_time (info);
  set_side (self, FALSE, g_file_info_get_size (info), modified);
}

static void
on_remote_size (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(FerryConflictDialog) self = data;
  gint64 size = ferry_client_size_finish (FERRY_CLIENT (source), result, NULL);

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  set_side (self, TRUE, size, NULL);
}

static void
on_remote_mdtm (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(FerryConflictDialog) self = data;
  g_autoptr(GDateTime) modified = ferry_client_mdtm_finish (FERRY_CLIENT (source), result, NULL);

  if (modified == NULL || self->cancellable == NULL
      || g_cancellable_is_cancelled (self->cancellable))
    return;
  set_side (self, TRUE, -1, modified);
}

void
ferry_conflict_dialog_load_facts (FerryConflictDialog *self,
                                  FerryClient         *client,
                                  const char          *remote_path,
                                  GFile               *local_file)
{
  g_return_if_fail (FERRY_IS_CONFLICT_DIALOG (self));

  if (local_file != NULL)
    g_file_query_info_async (local_file,
                             G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                             G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                             G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                             G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                             self->cancellable, on_local_info, g_object_ref (self));
  if (client != NULL && remote_path != NULL && ferry_client_is_connected (client))
    {
      ferry_client_size_async (client, remote_path, self->cancellable, on_remote_size,
                               g_object_ref (self));
      ferry_client_mdtm_async (client, remote_path, self->cancellable, on_remote_mdtm,
                               g_object_ref (self));
    }
}

gboolean
ferry_conflict_dialog_get_apply_to_all (FerryConflictDialog *self)
{
  g_return_val_if_fail (FERRY_IS_CONFLICT_DIALOG (self), FALSE);

  return gtk_check_button_get_active (self->apply_to_all_check);
}
