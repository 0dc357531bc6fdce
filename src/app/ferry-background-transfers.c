// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-background-transfers.c — transfers that go on after their window closed.
 *
 * When the user closes a window (or leaves its server) and answers "Keep Running", the
 * window hands its queue here. The queue has connections of its own, so it needs nothing
 * of the window: this keeps it alive, holds the application (so the process does not quit
 * with its last window) and, when the last transfer of the queue ended, says how it went
 * in a notification and lets go. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-background-transfers.h"

static GPtrArray *adopted;   /* FerryTransferQueue, while they run */

static void
send_summary (FerryTransferQueue *queue)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  guint n_done = 0;
  guint n_failed = 0;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (queue));

  if (app == NULL)
    return;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_DONE)
        n_done++;
      else if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_FAILED)
        n_failed++;
    }

  if (n_failed == 0)
    {
      notification = g_notification_new (_("Transfers Complete"));
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer finished.",
                                           "%u transfers finished.", n_done), n_done);
    }
  else
    {
      notification = g_notification_new (_("Some Transfers Failed"));
      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u transfers failed.",
                                           "%u of %u transfers failed.", n_items),
                              n_failed, n_items);
    }
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "background-transfers", notification);
}

static void
on_n_active_changed (FerryTransferQueue *queue,
                     GParamSpec         *pspec,
                     gpointer            data)
{
  GApplication *app = g_application_get_default ();

  if (ferry_transfer_queue_get_n_active (queue) > 0)
    return;

  send_summary (queue);
  g_signal_handlers_disconnect_by_data (queue, &adopted);
  g_ptr_array_remove (adopted, queue);
  if (app != NULL)
    g_application_release (app);
}

/* Keeps queue running until its last transfer ended. */
void
ferry_background_transfers_adopt (FerryTransferQueue *queue)
{
  GApplication *app = g_application_get_default ();

  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (queue));

  if (ferry_transfer_queue_get_n_active (queue) == 0)
    return;

  if (adopted == NULL)
    adopted = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (adopted, g_object_ref (queue));
  if (app != NULL)
    g_application_hold (app);
  g_signal_connect (queue, "notify::n-active", G_CALLBACK (on_n_active_changed), &adopted);
}

/* How many queues still run in the background (for the tests). */
guint
ferry_background_transfers_get_n_queues (void)
{
  return adopted != NULL ? adopted->len : 0;
}
