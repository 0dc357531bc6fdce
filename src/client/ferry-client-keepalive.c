// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-keepalive.c — a NOOP when the control connection has been idle for the
 * keep-alive interval, so that servers and NAT boxes do not drop the session. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"

/* Keep-alive ------------------------------------------------------------------------------ */

static void
keepalive_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (error != NULL)
    g_debug ("keep-alive failed: %s", error->message);
  if (self->busy)
    _ferry_client_release (self);
}

static void
keepalive_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  FerryClient *self = FERRY_CLIENT (source);

  if (!_ferry_client_acquire_finish (self, result, NULL))
    return;
  _ferry_client_command_async (self, "NOOP", NULL, keepalive_replied, NULL);
}

static gboolean
keepalive_due (gpointer data)
{
  FerryClient *self = data;

  self->keepalive_id = 0;
  if (self->logged_in && !self->busy)
    _ferry_client_acquire_async (self, NULL, keepalive_acquired, NULL);
  return G_SOURCE_REMOVE;
}

void
_ferry_client_schedule_keepalive (FerryClient *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (!self->logged_in || self->keepalive_interval == 0 || self->control == NULL)
    return;
  self->keepalive_id = g_timeout_add_seconds (self->keepalive_interval, keepalive_due, self);
}
