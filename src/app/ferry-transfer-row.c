// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-row.c — one transfer in the progress dialog: name, direction, progress,
 * "12.3 MB of 45.6 MB — 3.1 MB/s — 14 seconds left", Cancel, and Retry with the error text
 * when it failed. Cancel deletes what a download received, as GNOME Files and browsers do;
 * Pause stops it keeping the partial file, and Resume (the Retry button) continues it. The
 * engine notifies progress at most ten times a second, so updating the labels on each
 * notification costs nothing per chunk. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-display-text.h"
#include "ferry-transfer-row.h"

struct _FerryTransferRow
{
  GtkListBoxRow       parent_instance;

  GtkImage           *direction_icon;
  GtkLabel           *name_label;
  GtkProgressBar     *progress_bar;
  GtkLabel           *status_label;
  GtkLabel           *skipped_label;
  GtkWidget          *retry_button;
  GtkWidget          *pause_button;
  GtkWidget          *cancel_button;

  FerryTransfer      *transfer;
  FerryTransferQueue *queue;
};

G_DEFINE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, GTK_TYPE_LIST_BOX_ROW)

static char *
format_time_left (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second left",
                                         "%u seconds left", (gulong) seconds),
                            (guint) seconds);
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute left",
                                         "%u minutes left", (gulong) (seconds / 60)),
                            (guint) (seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour left",
                                       "%u hours left", (gulong) (seconds / 3600)),
                          (guint) (seconds / 3600));
}

/* "12.3 MB of 45.6 MB — 3.1 MB/s — 14 seconds left"; the parts that are unknown drop out. */
char *
ferry_format_progress (gint64 done,
                       gint64 total,
                       double rate,
                       gint64 eta)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *done_text = g_format_size ((guint64) MAX (done, 0));

  if (total >= 0)
    {
      g_autofree char *total_text = g_format_size ((guint64) total);

      /* Translators: bytes done of the total, e.g. "12.3 MB of 45.6 MB" */
      g_string_append_printf (text, _("%s of %s"), done_text, total_text);
    }
  else
    g_string_append (text, done_text);

  if (rate > 0)
    {
      g_autofree char *rate_text = g_format_size ((guint64) rate);

      /* Translators: a transfer speed, e.g. "3.1 MB/s" */
      g_string_append (text, " — ");
      g_string_append_printf (text, _("%s/s"), rate_text);
    }

  if (eta >= 0 && rate > 0)
    {
      g_autofree char *eta_text = format_time_left (eta);

      g_string_append (text, " — ");
      g_string_append (text, eta_text);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* How many entries were left out for their names, then the first of them (escaped: the
 * server chose them). */
#define SKIPPED_SHOWN_MAX 20

static void
ferry_transfer_row_update_skipped (FerryTransferRow *self)
{
  const GPtrArray *skipped = ferry_transfer_get_skipped (self->transfer);
  g_autoptr(GString) text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->skipped_label), skipped->len > 0);
  if (skipped->len == 0)
    return;
  text = g_string_new (NULL);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u item skipped: unsafe name",
                                             "%u items skipped: unsafe names", skipped->len),
                          skipped->len);
  for (guint i = 0; i < skipped->len && i < SKIPPED_SHOWN_MAX; i++)
    {
      g_autofree char *shown = ferry_display_text (g_ptr_array_index (skipped, i), FALSE);

      g_string_append_printf (text, "\n%s", shown);
    }
  if (skipped->len > SKIPPED_SHOWN_MAX)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "\n…and %u more",
                                               "\n…and %u more",
                                               skipped->len - SKIPPED_SHOWN_MAX),
                            skipped->len - SKIPPED_SHOWN_MAX);
  gtk_label_set_text (self->skipped_label, text->str);
}

static void
ferry_transfer_row_update (FerryTransferRow *self)
{
  FerryTransferState state = ferry_transfer_get_state (self->transfer);
  gint64 done = ferry_transfer_get_bytes_done (self->transfer);
  gint64 total = ferry_transfer_get_total (self->transfer);
  gboolean download = ferry_transfer_get_direction (self->transfer) == FERRY_TRANSFER_DOWNLOAD;
  gboolean paused = state == FERRY_TRANSFER_CANCELLED && download
                    && ferry_transfer_get_keep_partial (self->transfer);
  g_autofree char *status = NULL;

  switch (state)
    {
    case FERRY_TRANSFER_QUEUED:
      status = g_strdup (_("Waiting"));
      break;

    case FERRY_TRANSFER_RUNNING:
      status = ferry_format_progress (done, total, ferry_transfer_get_rate (self->transfer),
                                      ferry_transfer_get_eta (self->transfer));
      break;

    case FERRY_TRANSFER_DONE:
      {
        g_autofree char *size = g_format_size ((guint64) MAX (done, 0));

        if (ferry_transfer_get_n_verified (self->transfer) > 0)
          /* Translators: a finished transfer whose checksum matched the server's (HASH),
           * e.g. "Done — 45.6 MB — verified" */
          status = g_strdup_printf (_("Done — %s — verified"), size);
        else
          /* Translators: a finished transfer, e.g. "Done — 45.6 MB" */
          status = g_strdup_printf (_("Done — %s"), size);
      }
      break;

    case FERRY_TRANSFER_FAILED:
      {
        const GError *error = ferry_transfer_get_error (self->transfer);
        status = g_strdup (error ? error->message : _("Failed"));
      }
      break;

    case FERRY_TRANSFER_CANCELLED:
    default:
      if (paused)
        {
          g_autofree char *kept = g_format_size ((guint64) MAX (done, 0));

          /* Translators: a download stopped with its partial file kept, e.g.
           * "Paused — 12.3 MB kept" */
          status = g_strdup_printf (_("Paused — %s kept"), kept);
        }
      else
        status = g_strdup (_("Cancelled"));
      break;
    }

  gtk_label_set_text (self->status_label, status);
  if (state == FERRY_TRANSFER_DONE)
    gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  else if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   CLAMP ((double) done / (double) total, 0, 1));
  else
    gtk_progress_bar_set_fraction (self->progress_bar, 0.0);

  if (state == FERRY_TRANSFER_FAILED)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }

  gtk_widget_set_visible (self->retry_button,
                          state == FERRY_TRANSFER_FAILED || state == FERRY_TRANSFER_CANCELLED);
  gtk_widget_set_tooltip_text (self->retry_button, paused ? _("Resume") : _("Retry"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  paused ? _("Resume") : _("Retry"), -1);
  gtk_widget_set_visible (self->pause_button,
                          download && !ferry_transfer_is_finished (self->transfer));
  gtk_widget_set_visible (self->cancel_button, !ferry_transfer_is_finished (self->transfer));
  ferry_transfer_row_update_skipped (self);
}

static void
on_retry_clicked (FerryTransferRow *self,
                  GtkButton        *button)
{
  /* Resuming uses the kept .part (REST); a later Cancel deletes it again. */
  ferry_transfer_set_keep_partial (self->transfer, FALSE);
  ferry_transfer_queue_retry (self->queue, self->transfer);
}

static void
on_pause_clicked (FerryTransferRow *self,
                  GtkButton        *button)
{
  ferry_transfer_set_keep_partial (self->transfer, TRUE);
  ferry_transfer_queue_cancel (self->queue, self->transfer);
}

static void
on_cancel_clicked (FerryTransferRow *self,
                   GtkButton        *button)
{
  ferry_transfer_set_keep_partial (self->transfer, FALSE);
  ferry_transfer_queue_cancel (self->queue, self->transfer);
}

static void
ferry_transfer_row_dispose (GObject *object)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (object);

  if (self->transfer != NULL)
    g_signal_handlers_disconnect_by_data (self->transfer, self);
  g_clear_object (&self->transfer);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (ferry_transfer_row_parent_class)->dispose (object);
}

static void
ferry_transfer_row_class_init (FerryTransferRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-transfer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, direction_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
ferry_transfer_row_init (FerryTransferRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ferry_transfer_row_new (FerryTransfer      *transfer,
                        FerryTransferQueue *queue)
{
  FerryTransferRow *self;
  gboolean download;

  g_return_val_if_fail (FERRY_IS_TRANSFER (transfer), NULL);
  g_return_val_if_fail (FERRY_IS_TRANSFER_QUEUE (queue), NULL);

  self = g_object_new (FERRY_TYPE_TRANSFER_ROW, NULL);
  self->transfer = g_object_ref (transfer);
  self->queue = g_object_ref (queue);

  download = ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD;
  gtk_image_set_from_icon_name (self->direction_icon,
                                download ? "folder-download-symbolic" : "send-to-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->direction_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  download ? _("Download") : _("Upload"), -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->direction_icon),
                               download ? _("Download") : _("Upload"));
  {
    g_autofree char *name = ferry_display_text (ferry_transfer_get_name (transfer), FALSE);

    gtk_label_set_text (self->name_label, name);
  }

  g_signal_connect_object (transfer, "notify", G_CALLBACK (ferry_transfer_row_update),
                           self, G_CONNECT_SWAPPED);
  ferry_transfer_row_update (self);

  return GTK_WIDGET (self);
}

FerryTransfer *
ferry_transfer_row_get_transfer (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), NULL);
  return self->transfer;
}

/* "" when nothing was skipped. */
const char *
ferry_transfer_row_get_skipped_text (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->skipped_label))
         ? gtk_label_get_text (self->skipped_label) : "";
}

const char *
ferry_transfer_row_get_status (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), NULL);
  return gtk_label_get_text (self->status_label);
}
