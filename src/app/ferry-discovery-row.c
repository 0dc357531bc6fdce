// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery-row.c — the connect page's row for a server found on the LAN: its name,
 * then where it is and whether it wants a login once that is known. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-discovery-row.h"
#include "ferry-url.h"

/* An AdwActionRow that keeps the server it shows (a typed field, not object data). */
#define FERRY_TYPE_DISCOVERY_ROW (ferry_discovery_row_get_type ())
G_DECLARE_FINAL_TYPE (FerryDiscoveryRow, ferry_discovery_row, FERRY, DISCOVERY_ROW,
                      AdwActionRow)

struct _FerryDiscoveryRow
{
  AdwActionRow          parent_instance;
  FerryDiscoveryServer *server;
};

G_DEFINE_FINAL_TYPE (FerryDiscoveryRow, ferry_discovery_row, ADW_TYPE_ACTION_ROW)

static void
ferry_discovery_row_dispose (GObject *object)
{
  FerryDiscoveryRow *self = FERRY_DISCOVERY_ROW (object);

  g_clear_object (&self->server);
  G_OBJECT_CLASS (ferry_discovery_row_parent_class)->dispose (object);
}

static void
ferry_discovery_row_class_init (FerryDiscoveryRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ferry_discovery_row_dispose;
}

static void
ferry_discovery_row_init (FerryDiscoveryRow *self)
{
}

static void
update_subtitle (GtkWidget            *row,
                 GParamSpec           *pspec,
                 FerryDiscoveryServer *server)
{
  g_autofree char *subtitle = NULL;
  const char *login;

  switch (ferry_discovery_server_get_state (server))
    {
    case FERRY_DISCOVERY_SERVER_RESOLVED:
      if (ferry_discovery_server_get_login_needed (server))
        login = ferry_discovery_server_get_tls (server) ? _("Login needed, encrypted")
                                                        : _("Login needed");
      else
        login = ferry_discovery_server_get_tls (server) ? _("Anonymous, encrypted")
                                                        : _("Anonymous");
      /* "nas.local · Anonymous" */
      subtitle = g_strdup_printf (_("%s · %s"), ferry_discovery_server_get_host (server),
                                  login);
      break;
    case FERRY_DISCOVERY_SERVER_FAILED:
      subtitle = g_strdup (_("Not answering"));
      break;
    case FERRY_DISCOVERY_SERVER_UNRESOLVED:
    case FERRY_DISCOVERY_SERVER_RESOLVING:
    default:
      subtitle = g_strdup (_("Looking it up…"));
      break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

GtkWidget *
ferry_discovery_row_new (FerryDiscovery       *discovery,
                         FerryDiscoveryServer *server)
{
  FerryDiscoveryRow *discovery_row = g_object_new (FERRY_TYPE_DISCOVERY_ROW, NULL);
  GtkWidget *row = GTK_WIDGET (discovery_row);
  GtkWidget *icon = gtk_image_new_from_icon_name (ferry_discovery_server_get_tls (server)
                                                  ? "channel-secure-symbolic"
                                                  : "network-server-symbolic");
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  /* Names come from the network: not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 ferry_discovery_server_get_name (server));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Server"), -1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  discovery_row->server = g_object_ref (server);
  g_signal_connect_object (server, "notify::state", G_CALLBACK (update_subtitle), row,
                           G_CONNECT_SWAPPED);
  update_subtitle (row, NULL, server);
  ferry_discovery_request_details (discovery, server);
  return row;
}

FerryDiscoveryServer *
ferry_discovery_row_get_server (GtkWidget *row)
{
  return FERRY_IS_DISCOVERY_ROW (row) ? FERRY_DISCOVERY_ROW (row)->server : NULL;
}

char *
ferry_discovery_row_url (FerryDiscoveryServer *server)
{
  const char *user = ferry_discovery_server_get_user (server);
  g_autofree char *escaped_user = NULL;
  g_autofree char *escaped_path = NULL;
  g_autofree char *address = NULL;

  if (user != NULL && user[0] != '\0')
    escaped_user = g_uri_escape_string (user, NULL, FALSE);
  escaped_path = g_uri_escape_string (ferry_discovery_server_get_path (server),
                                      G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);

  /* "[fe80::1%25eth0]:2121" for IPv6 (0: the port is always written) */
  address = ferry_url_format_address (ferry_discovery_server_get_address (server),
                                      ferry_discovery_server_get_port (server), 0);
  return g_strdup_printf ("%s://%s%s%s%s",
                          ferry_discovery_server_get_tls (server) ? "ftps-implicit" : "ftp",
                          escaped_user != NULL ? escaped_user : "",
                          escaped_user != NULL ? "@" : "", address, escaped_path);
}
