// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-progress-dialog.c — every transfer with its progress, and the overall progress.
 *
 * A GtkListBox bound to the FerryTransferQueue (a GListModel), one FerryTransferRow per
 * transfer. The window hides on close: transfers keep running, and the header-bar progress
 * button shows it again. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-progress-dialog.h"
#include "ferry-transfer-row.h"

struct _FerryProgressDialog
{
  AdwWindow           parent_instance;

  GtkWidget          *cancel_all_button;
  GtkWidget          *clear_button;
  GtkWidget          *overall_box;
  GtkLabel           *overall_label;
  GtkProgressBar     *overall_bar;
  GtkLabel           *overall_detail;
  GtkStack           *stack;
  GtkScrolledWindow  *scrolled_window;
  GtkListBox         *list_box;

  FerryTransferQueue *queue;
  GtkWidget          *scroll_target;   /* a row to bring into view once laid out */
  guint               scroll_tick;
};

G_DEFINE_FINAL_TYPE (FerryProgressDialog, ferry_progress_dialog, ADW_TYPE_WINDOW)

/* "3 transfers in progress, 1 failed", "1,983 failed, 17 finished", "All transfers
 * finished": what the header says of the queue. */
static char *
describe_states (FerryProgressDialog *self,
                 guint                n_active)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_items = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  guint n_done = 0, n_failed = 0, n_cancelled = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      switch (ferry_transfer_get_state (transfer))
        {
        case FERRY_TRANSFER_DONE: n_done++; break;
        case FERRY_TRANSFER_FAILED: n_failed++; break;
        case FERRY_TRANSFER_CANCELLED: n_cancelled++; break;
        case FERRY_TRANSFER_QUEUED:
        case FERRY_TRANSFER_RUNNING:
        default: break;
        }
    }

  if (n_active == 0 && n_failed == 0 && n_cancelled == 0)
    return g_strdup (_("All transfers finished"));

  if (n_active > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u transfer in progress",
                                               "%u transfers in progress", n_active),
                            n_active);
  if (n_failed > 0)
    {
      if (text->len > 0)
        g_string_append (text, _(", "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                                 n_failed), n_failed);
    }
  if (n_cancelled > 0)
    {
      if (text->len > 0)
        g_string_append (text, _(", "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u cancelled",
                                                 "%u cancelled", n_cancelled), n_cancelled);
    }
  if (n_active == 0 && n_done > 0)
    {
      g_string_append (text, _(", "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u finished",
                                                 "%u finished", n_done), n_done);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
ferry_progress_dialog_update (FerryProgressDialog *self)
{
  guint n_items = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  guint n_active = self->queue ? ferry_transfer_queue_get_n_active (self->queue) : 0;
  gint64 done = self->queue ? ferry_transfer_queue_get_bytes_done (self->queue) : 0;
  gint64 total = self->queue ? ferry_transfer_queue_get_total (self->queue) : 0;
  double rate = self->queue ? ferry_transfer_queue_get_rate (self->queue) : 0;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  gtk_stack_set_visible_child_name (self->stack, n_items > 0 ? "list" : "empty");
  gtk_widget_set_visible (self->overall_box, n_items > 0);
  gtk_widget_set_sensitive (self->cancel_all_button, n_active > 0);
  gtk_widget_set_sensitive (self->clear_button, n_items > n_active);

  title = describe_states (self, n_active);
  gtk_label_set_text (self->overall_label, title);
  /* A full bar only when everything arrived: failed and cancelled bytes are missing. */
  gtk_progress_bar_set_fraction (self->overall_bar,
                                 total > 0 ? CLAMP ((double) done / (double) total, 0, 1)
                                 : n_active == 0 ? 1.0 : 0);
  detail = ferry_format_progress (done, total, n_active > 0 ? rate : 0,
                                  rate > 0 && total > done ? (gint64) ((total - done) / rate) : -1);
  gtk_label_set_text (self->overall_detail, detail);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  FerryProgressDialog *self = user_data;

  return ferry_transfer_row_new (item, self->queue);
}

static void
on_cancel_all_clicked (FerryProgressDialog *self,
                       GtkButton           *button)
{
  if (self->queue != NULL)
    ferry_transfer_queue_cancel_all (self->queue);
}

static void
on_clear_clicked (FerryProgressDialog *self,
                  GtkButton           *button)
{
  if (self->queue != NULL)
    ferry_transfer_queue_clear_finished (self->queue);
}

static void
ferry_progress_dialog_dispose (GObject *object)
{
  FerryProgressDialog *self = FERRY_PROGRESS_DIALOG (object);

  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  g_clear_weak_pointer (&self->scroll_target);
  ferry_progress_dialog_set_queue (self, NULL);

  G_OBJECT_CLASS (ferry_progress_dialog_parent_class)->dispose (object);
}

/* The keyboard starts on the first transfer, not on Cancel All (the first button in the
 * header bar, where GTK would put it): Enter or Space on opening must not stop them all. */
static void
ferry_progress_dialog_map (GtkWidget *widget)
{
  FerryProgressDialog *self = FERRY_PROGRESS_DIALOG (widget);

  GTK_WIDGET_CLASS (ferry_progress_dialog_parent_class)->map (widget);

  if (!gtk_widget_child_focus (GTK_WIDGET (self->list_box), GTK_DIR_TAB_FORWARD))
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
ferry_progress_dialog_class_init (FerryProgressDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_progress_dialog_dispose;
  widget_class->map = ferry_progress_dialog_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/"
                                               "ferry-progress-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, cancel_all_button);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, clear_button);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, overall_box);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, overall_label);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, overall_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, overall_detail);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, FerryProgressDialog, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ferry_progress_dialog_init (FerryProgressDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ferry_progress_dialog_update (self);
}

FerryProgressDialog *
ferry_progress_dialog_new (GtkWindow *parent)
{
  return g_object_new (FERRY_TYPE_PROGRESS_DIALOG,
                       "transient-for", parent,
                       NULL);
}

void
ferry_progress_dialog_set_queue (FerryProgressDialog *self,
                                 FerryTransferQueue  *queue)
{
  g_return_if_fail (FERRY_IS_PROGRESS_DIALOG (self));
  g_return_if_fail (queue == NULL || FERRY_IS_TRANSFER_QUEUE (queue));

  if (self->queue == queue)
    return;

  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  g_set_object (&self->queue, queue);

  if (queue != NULL)
    {
      gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (queue), create_row, self, NULL);
      g_signal_connect_object (queue, "notify", G_CALLBACK (ferry_progress_dialog_update),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (queue, "items-changed",
                               G_CALLBACK (ferry_progress_dialog_update), self,
                               G_CONNECT_SWAPPED);
    }

  ferry_progress_dialog_update (self);
}

GtkListBox *
ferry_progress_dialog_get_list (FerryProgressDialog *self)
{
  g_return_val_if_fail (FERRY_IS_PROGRESS_DIALOG (self), NULL);
  return self->list_box;
}

/* Scrolls so that the target row is in the middle of the list (or as near as the list
 * allows) and gives it the focus; waits for the frame in which it has a size. */
static gboolean
scroll_to_target (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  FerryProgressDialog *self = FERRY_PROGRESS_DIALOG (widget);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scrolled_window);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  graphene_rect_t bounds;
  double top;

  if (self->scroll_target == NULL || content == NULL)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  if (gtk_widget_get_height (self->scroll_target) == 0
      || !gtk_widget_compute_bounds (self->scroll_target, content, &bounds))
    return G_SOURCE_CONTINUE;

  /* The content widget is moved by the scrolling: add what is scrolled already. Focus
   * first: the viewport then scrolls just far enough to show the row (animated), and
   * setting the value ends that animation with the row in the middle. */
  top = gtk_adjustment_get_value (adjustment) + bounds.origin.y;
  gtk_widget_grab_focus (self->scroll_target);
  gtk_adjustment_set_value (adjustment,
                            top - (gtk_adjustment_get_page_size (adjustment)
                                   - bounds.size.height) / 2);
  g_clear_weak_pointer (&self->scroll_target);
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Brings the first failed transfer's row into view (the batch toast's Show). Returns
 * FALSE when no transfer failed. */
gboolean
ferry_progress_dialog_show_first_failed (FerryProgressDialog *self)
{
  g_return_val_if_fail (FERRY_IS_PROGRESS_DIALOG (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (!FERRY_IS_TRANSFER_ROW (row)
          || ferry_transfer_get_state (ferry_transfer_row_get_transfer (FERRY_TRANSFER_ROW (row)))
             != FERRY_TRANSFER_FAILED)
        continue;
      g_set_weak_pointer (&self->scroll_target, row);
      if (self->scroll_tick == 0)
        self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_target,
                                                          NULL, NULL);
      return TRUE;
    }
  return FALSE;
}
