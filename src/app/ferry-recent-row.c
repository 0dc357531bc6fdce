// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-recent-row.c — one recent server on the connect page, with its Forget button.
 *
 * The row owns the FerryRecentServer it shows; activating it is the list's business
 * (FerryConnectPage reads ferry_recent_row_get_server()), Forget removes the server from
 * the settings, which reloads the list. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-recent-row.h"
#include "ferry-url.h"

struct _FerryRecentRow
{
  AdwActionRow       parent_instance;

  GtkImage          *icon;

  FerryRecentServer *server;
};

G_DEFINE_FINAL_TYPE (FerryRecentRow, ferry_recent_row, ADW_TYPE_ACTION_ROW)

static void
forget_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FerryRecentRow *self = FERRY_RECENT_ROW (widget);
  g_autoptr(GSettings) settings = ferry_settings_new ();

  ferry_settings_remove_recent_server (settings, self->server->host, self->server->port,
                                       self->server->user, self->server->tls);
}

static void
ferry_recent_row_finalize (GObject *object)
{
  FerryRecentRow *self = FERRY_RECENT_ROW (object);

  g_clear_pointer (&self->server, ferry_recent_server_free);

  G_OBJECT_CLASS (ferry_recent_row_parent_class)->finalize (object);
}

static void
ferry_recent_row_class_init (FerryRecentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ferry_recent_row_finalize;

  gtk_widget_class_install_action (widget_class, "row.forget", NULL, forget_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-recent-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryRecentRow, icon);
}

static void
ferry_recent_row_init (FerryRecentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Takes ownership of server. */
GtkWidget *
ferry_recent_row_new (FerryRecentServer *server)
{
  FerryRecentRow *self = g_object_new (FERRY_TYPE_RECENT_ROW, NULL);
  g_autofree char *address = NULL;
  g_autofree char *title = NULL;
  const char *subtitle;

  self->server = server;

  /* The port only when it is not FTP's own, as a person would type it. */
  address = ferry_url_format_address (server->host, server->port, FERRY_URL_DEFAULT_PORT);

  if (server->user[0] != '\0')
    title = g_strdup_printf ("%s@%s", server->user, address);
  else
    title = g_strdup (address);

  if (server->tls)
    subtitle = server->user[0] != '\0' ? _("Encrypted") : _("Anonymous, encrypted");
  else
    subtitle = server->user[0] != '\0' ? _("Not encrypted") : _("Anonymous");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->icon, server->tls ? "channel-secure-symbolic"
                                                        : "network-server-symbolic");

  return GTK_WIDGET (self);
}

const FerryRecentServer *
ferry_recent_row_get_server (FerryRecentRow *self)
{
  g_return_val_if_fail (FERRY_IS_RECENT_ROW (self), NULL);

  return self->server;
}
