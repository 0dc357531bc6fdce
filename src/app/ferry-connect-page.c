// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-connect-page.c — the first screen: server, login, TLS, recent servers.
 *
 * The page only collects what the user typed and shows what went wrong; FerryWindow does the
 * connecting. It emits "connect" when the user asks to connect with the form, and
 * "recent-activated" (host, port, user, tls) for a click on a recent server. A click on a
 * server found on the LAN opens its address through the window's "win.connect". */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-connect-page.h"
#include "ferry-discovery-row.h"
#include "ferry-recent-row.h"
#include "ferry-settings.h"
#include "ferry-url.h"

struct _FerryConnectPage
{
  GtkWidget     parent_instance;

  GtkWidget    *scroller;
  GtkRevealer  *error_revealer;
  GtkLabel     *error_title;
  GtkLabel     *error_detail;
  AdwEntryRow  *server_row;
  GtkSwitch    *anonymous_switch;
  AdwEntryRow  *user_row;
  AdwEntryRow  *password_row;
  GtkSwitch    *tls_switch;
  GtkSpinner   *spinner;
  GtkLabel     *connect_label;
  GtkWidget    *recent_group;
  GtkListBox   *recent_list;
  GtkListBox   *lan_list;
  GtkLabel     *lan_explanation;

  GSettings    *settings;
  FerryDiscovery *discovery;
  GCancellable *resolving;
  FerryDiscoveryServer *resolving_server;   /* the LAN row clicked, while it is looked up */
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (FerryConnectPage, ferry_connect_page, GTK_TYPE_WIDGET)

enum {
  CONNECT,
  RECENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_connect_page_update_actions (FerryConnectPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.connect",
                                 !self->busy && server[0] != '\0');
}

static void
on_server_changed (FerryConnectPage *self,
                   GtkEditable      *editable)
{
  ferry_connect_page_update_actions (self);
}

static void
on_entry_activated (FerryConnectPage *self,
                    AdwEntryRow      *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "page.connect", NULL);
}

static void
on_anonymous_toggled (FerryConnectPage *self,
                      GParamSpec       *pspec,
                      GtkSwitch        *sw)
{
  gboolean anonymous = gtk_switch_get_active (sw);

  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !anonymous);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !anonymous);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FerryConnectPage *self = FERRY_CONNECT_PAGE (widget);

  g_signal_emit (self, signals[CONNECT], 0);
}

static void
on_recent_row_activated (FerryConnectPage *self,
                         GtkListBoxRow    *row,
                         GtkListBox       *list)
{
  const FerryRecentServer *server;

  if (!FERRY_IS_RECENT_ROW (row) || self->busy)
    return;

  server = ferry_recent_row_get_server (FERRY_RECENT_ROW (row));
  g_signal_emit (self, signals[RECENT_ACTIVATED], 0,
                 server->host, (guint) server->port, server->user, server->tls);
}

static void
ferry_connect_page_load_recent (FerryConnectPage *self)
{
  g_autoptr(GPtrArray) servers = ferry_settings_get_recent_servers (self->settings);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; i < servers->len; i++)
    gtk_list_box_append (self->recent_list,
                         ferry_recent_row_new (g_steal_pointer (&servers->pdata[i])));

  gtk_widget_set_visible (self->recent_group, servers->len > 0);
}

/* Servers on the LAN ------------------------------------------------------------------ */

static void
on_discovery_available (FerryConnectPage *self)
{
  gtk_label_set_text (self->lan_explanation,
                      ferry_discovery_get_available (self->discovery)
                      ? _("Servers that announce themselves, like ferryd and most NAS, show "
                          "up here.")
                      : _("Finding servers needs the Avahi service (avahi-daemon), which is "
                          "not running on this computer. Type the server’s address above."));
}

static GtkWidget *
create_lan_row (gpointer item,
                gpointer user_data)
{
  FerryConnectPage *self = user_data;

  return ferry_discovery_row_new (self->discovery, item);
}

static void
on_lan_server_resolved (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(FerryDiscoveryServer) server = NULL;
  g_autoptr(GError) error = NULL;
  FerryConnectPage *self;
  g_autofree char *url = NULL;
  const char *user;

  /* Cancelled (another click, or the page went away): self may be gone, touch nothing. */
  if (!ferry_discovery_resolve_finish (FERRY_DISCOVERY (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = FERRY_CONNECT_PAGE (user_data);
  server = g_steal_pointer (&self->resolving_server);
  if (server == NULL)
    return;
  ferry_connect_page_set_busy (self, FALSE);

  if (error != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("“%s” cannot be reached"),
                                                ferry_discovery_server_get_name (server));
      ferry_connect_page_show_error (self, title, error->message);
      return;
    }

  url = ferry_discovery_row_url (server);
  user = ferry_discovery_server_get_user (server);
  if (user != NULL && user[0] == '\0')
    {
      /* It wants a login and does not say whose: the form asks. */
      g_autofree char *server_text =
        ferry_url_format_address (ferry_discovery_server_get_address (server),
                                  ferry_discovery_server_get_port (server), 0);
      g_autofree char *title = g_strdup_printf (_("“%s” needs a login"),
                                                ferry_discovery_server_get_name (server));

      ferry_connect_page_fill (self, server_text, NULL, "",
                               ferry_discovery_server_get_tls (server));
      gtk_switch_set_active (self->anonymous_switch, FALSE);
      ferry_connect_page_show_error (self, title,
                                     _("Enter your user name and password, then Connect."));
      gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
      return;
    }

  /* Anonymous, or a named user whose password the window looks up or asks for. */
  ferry_connect_page_clear_error (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", "s", url);
}

static void
on_lan_row_activated (FerryConnectPage *self,
                      GtkListBoxRow    *row,
                      GtkListBox       *list)
{
  FerryDiscoveryServer *server = ferry_discovery_row_get_server (GTK_WIDGET (row));

  if (server == NULL || self->busy)
    return;

  /* Resolved afresh: it may have moved since the row was made. */
  g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  self->resolving = g_cancellable_new ();
  g_set_object (&self->resolving_server, server);
  ferry_connect_page_set_busy (self, TRUE);
  ferry_discovery_resolve_async (self->discovery, server, self->resolving,
                                 on_lan_server_resolved, self);
}

static void
ferry_connect_page_dispose (GObject *object)
{
  FerryConnectPage *self = FERRY_CONNECT_PAGE (object);

  g_cancellable_cancel (self->resolving);
  g_clear_object (&self->resolving);
  g_clear_object (&self->resolving_server);
  if (self->lan_list != NULL)
    gtk_list_box_bind_model (self->lan_list, NULL, NULL, NULL, NULL);
  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  g_clear_object (&self->discovery);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_connect_page_parent_class)->dispose (object);
}

static void
ferry_connect_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FerryConnectPage *self = FERRY_CONNECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connect_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FerryConnectPage *self = FERRY_CONNECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      ferry_connect_page_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_connect_page_class_init (FerryConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_connect_page_dispose;
  object_class->get_property = ferry_connect_page_get_property;
  object_class->set_property = ferry_connect_page_set_property;

  /* TRUE while the window connects: the form shows a spinner and takes no second request. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONNECT] =
    g_signal_new ("connect",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals[RECENT_ACTIVATED] =
    g_signal_new ("recent-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "page.connect", NULL, connect_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, error_title);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, error_detail);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, anonymous_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, tls_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, connect_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, lan_list);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, lan_explanation);
  gtk_widget_class_bind_template_callback (widget_class, on_server_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_anonymous_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_lan_row_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ferry_connect_page_init (FerryConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = ferry_settings_new ();
  g_signal_connect_object (self->settings, "changed::recent-servers",
                           G_CALLBACK (ferry_connect_page_load_recent), self,
                           G_CONNECT_SWAPPED);
  ferry_connect_page_load_recent (self);
  ferry_connect_page_update_actions (self);

  self->discovery = ferry_discovery_get_default ();
  gtk_list_box_bind_model (self->lan_list, G_LIST_MODEL (self->discovery), create_lan_row,
                           self, NULL);
  g_signal_connect_object (self->discovery, "notify::available",
                           G_CALLBACK (on_discovery_available), self, G_CONNECT_SWAPPED);
  on_discovery_available (self);
}

/* The servers found on the LAN, for tests. */
GListModel *
ferry_connect_page_get_discovered (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);
  return G_LIST_MODEL (self->discovery);
}

GtkWidget *
ferry_connect_page_new (void)
{
  return g_object_new (FERRY_TYPE_CONNECT_PAGE, NULL);
}

const char *
ferry_connect_page_get_server (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

const char *
ferry_connect_page_get_user (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->user_row));
}

const char *
ferry_connect_page_get_password (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

gboolean
ferry_connect_page_get_anonymous (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), FALSE);
  return gtk_switch_get_active (self->anonymous_switch);
}

gboolean
ferry_connect_page_get_tls (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), FALSE);
  return gtk_switch_get_active (self->tls_switch);
}

/* Fills the form, e.g. from a URL or a recent server; user NULL or "" means anonymous.
 * password NULL leaves the password field as it is. */
void
ferry_connect_page_fill (FerryConnectPage *self,
                         const char       *server,
                         const char       *user,
                         const char       *password,
                         gboolean          tls)
{
  gboolean anonymous = user == NULL || user[0] == '\0' ||
                       g_strcmp0 (user, "anonymous") == 0 || g_strcmp0 (user, "ftp") == 0;

  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server ? server : "");
  gtk_switch_set_active (self->anonymous_switch, anonymous);
  if (!anonymous)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_switch_set_active (self->tls_switch, tls);
}

void
ferry_connect_page_set_password (FerryConnectPage *self,
                                 const char       *password)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
}

void
ferry_connect_page_set_busy (FerryConnectPage *self,
                             gboolean          busy)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text_with_mnemonic (self->connect_label, busy ? _("Connecting…") : _("_Connect"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lan_list), !busy);
  ferry_connect_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Shows what went wrong above the form; the form keeps what the user typed. */
void
ferry_connect_page_show_error (FerryConnectPage *self,
                               const char       *title,
                               const char       *detail)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_label_set_text (self->error_title, title);
  gtk_label_set_text (self->error_detail, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_detail), detail != NULL && detail[0] != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->error_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

void
ferry_connect_page_clear_error (FerryConnectPage *self)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  /* Hidden, not just folded, so the box spacing around it goes too. */
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_revealer), FALSE);
  gtk_label_set_text (self->error_title, "");
  gtk_label_set_text (self->error_detail, "");
}

/* The error shown, or NULL: for tests and for screen readers. */
const char *
ferry_connect_page_get_error (FerryConnectPage *self)
{
  const char *title;

  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);

  title = gtk_label_get_text (self->error_title);
  return title[0] != '\0' ? title : NULL;
}

/* The line under the error's title, or NULL. */
const char *
ferry_connect_page_get_error_detail (FerryConnectPage *self)
{
  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);

  if (ferry_connect_page_get_error (self) == NULL ||
      !gtk_widget_get_visible (GTK_WIDGET (self->error_detail)))
    return NULL;
  return gtk_label_get_text (self->error_detail);
}

void
ferry_connect_page_focus_first (FerryConnectPage *self)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

/* The password prompt: the keyboard where the password goes. */
void
ferry_connect_page_focus_password (FerryConnectPage *self)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_switch_set_active (self->anonymous_switch, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}
