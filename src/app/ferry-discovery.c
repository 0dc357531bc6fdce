// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery.c — browses _ftp._tcp and _ftps._tcp through Avahi's D-Bus API (which a
 * Flatpak reaches with --system-talk-name=org.freedesktop.Avahi) into a GListModel.
 *
 * Browsing is cheap (Avahi answers from its cache); resolving costs packets on the LAN, so
 * it happens only for rows on screen, two at a time, and afresh for the row picked. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <net/if.h>
#include <string.h>

#include "ferry-discovery.h"
#include "ferry-task.h"

#define AVAHI_NAME              "org.freedesktop.Avahi"
#define AVAHI_SERVER_PATH       "/"
#define AVAHI_SERVER_INTERFACE  "org.freedesktop.Avahi.Server"
#define AVAHI_BROWSER_INTERFACE "org.freedesktop.Avahi.ServiceBrowser"
#define AVAHI_IF_UNSPEC         (-1)
#define AVAHI_PROTO_INET        0
#define AVAHI_PROTO_INET6       1
#define AVAHI_PROTO_UNSPEC      (-1)
#define RESOLVE_TIMEOUT_MS      10000
#define PROBE_TIMEOUT_S         3
#define MAX_RESOLVING           2

static const char * const service_types[] = { "_ftp._tcp", "_ftps._tcp", NULL };

struct _FerryDiscovery
{
  GObject          parent_instance;

  GCancellable    *cancellable;
  GDBusConnection *bus;
  guint            watch_id;
  guint            signal_id;
  GPtrArray       *browser_paths;   /* object paths of our ServiceBrowsers */
  GPtrArray       *servers;         /* FerryDiscoveryServer, in the order they came */
  gboolean         available;

  GQueue           waiting;         /* FerryDiscoveryServer (refs) to resolve for display */
  guint            resolving;       /* display resolutions under way */
};

static void ferry_discovery_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryDiscovery, ferry_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ferry_discovery_list_model_init))

G_DEFINE_QUARK (ferry-discovery-error-quark, ferry_discovery_error)

enum {
  PROP_0,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel ------------------------------------------------------------------------------ */

static GType
ferry_discovery_get_item_type (GListModel *model)
{
  return FERRY_TYPE_DISCOVERY_SERVER;
}

static guint
ferry_discovery_get_n_items (GListModel *model)
{
  return FERRY_DISCOVERY (model)->servers->len;
}

static gpointer
ferry_discovery_get_item (GListModel *model,
                          guint       position)
{
  FerryDiscovery *self = FERRY_DISCOVERY (model);

  if (position >= self->servers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->servers, position));
}

static void
ferry_discovery_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ferry_discovery_get_item_type;
  iface->get_n_items = ferry_discovery_get_n_items;
  iface->get_item = ferry_discovery_get_item;
}

/* Browsing ------------------------------------------------------------------------------ */

static void
set_available (FerryDiscovery *self,
               gboolean        available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static gint
find_server (FerryDiscovery *self,
             const char     *name,
             const char     *type,
             const char     *domain)
{
  for (guint i = 0; i < self->servers->len; i++)
    {
      FerryDiscoveryServer *server = g_ptr_array_index (self->servers, i);

      if (g_str_equal (ferry_discovery_server_get_name (server), name)
          && g_str_equal (ferry_discovery_server_get_service_type (server), type)
          && g_str_equal (ferry_discovery_server_get_domain (server), domain))
        return (gint) i;
    }
  return -1;
}

static void
remove_all (FerryDiscovery *self)
{
  guint removed = self->servers->len;

  g_queue_clear_full (&self->waiting, g_object_unref);
  g_ptr_array_set_size (self->servers, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

static void
on_browser_signal (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   const char      *interface_name,
                   const char      *signal_name,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  FerryDiscovery *self = user_data;
  const char *name, *type, *domain;
  gint32 interface_index, protocol;
  guint32 flags;
  gint position;

  /* Avahi sends a browser's signals to the client that made it only, so every one here is
   * for one of our browsers, even one that comes before the reply that names the browser. */
  if (g_str_equal (signal_name, "Failure"))
    {
      const char *message;

      g_variant_get (parameters, "(&s)", &message);
      g_warning ("browsing the LAN for FTP servers failed: %s", message);
      return;
    }
  if (!g_str_equal (signal_name, "ItemNew") && !g_str_equal (signal_name, "ItemRemove"))
    return;
  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(iisssu)")))
    return;

  g_variant_get (parameters, "(ii&s&s&su)", &interface_index, &protocol, &name, &type,
                 &domain, &flags);
  if (!g_strv_contains (service_types, type))
    return;
  position = find_server (self, name, type, domain);

  if (g_str_equal (signal_name, "ItemNew"))
    {
      if (position >= 0)
        ferry_discovery_server_add_instance (g_ptr_array_index (self->servers, position),
                                             interface_index, protocol);
      else
        {
          g_ptr_array_add (self->servers,
                           ferry_discovery_server_new (name, type, domain, interface_index,
                                                       protocol));
          g_list_model_items_changed (G_LIST_MODEL (self), self->servers->len - 1, 0, 1);
        }
    }
  else if (position >= 0
           && ferry_discovery_server_remove_instance (g_ptr_array_index (self->servers,
                                                                         position),
                                                      interface_index, protocol) == 0)
    {
      FerryDiscoveryServer *server = g_ptr_array_index (self->servers, position);

      if (g_queue_remove (&self->waiting, server))
        g_object_unref (server);
      g_ptr_array_remove_index (self->servers, (guint) position);
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) position, 1, 0);
    }
}

static void
on_browser_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FerryDiscovery) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("cannot browse the LAN for FTP servers: %s", error->message);
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  g_ptr_array_add (self->browser_paths, g_strdup (path));
}

static void
on_avahi_appeared (GDBusConnection *connection,
                   const char      *name,
                   const char      *name_owner,
                   gpointer         user_data)
{
  FerryDiscovery *self = user_data;

  set_available (self, TRUE);
  for (guint i = 0; service_types[i] != NULL; i++)
    g_dbus_connection_call (connection, AVAHI_NAME, AVAHI_SERVER_PATH, AVAHI_SERVER_INTERFACE,
                            "ServiceBrowserNew",
                            g_variant_new ("(iissu)", AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                           service_types[i], "", 0u),
                            G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                            self->cancellable, on_browser_created, g_object_ref (self));
}

static void
on_avahi_vanished (GDBusConnection *connection,
                   const char      *name,
                   gpointer         user_data)
{
  FerryDiscovery *self = user_data;

  /* Its browsers died with it; servers it told us about can no longer be resolved. */
  g_ptr_array_set_size (self->browser_paths, 0);
  remove_all (self);
  set_available (self, FALSE);
}

static void
on_bus_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryDiscovery) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no system bus, so no LAN discovery: %s", error->message);
      return;
    }
  self->bus = bus;

  /* Subscribed before any browser exists: none of their first signals is missed. */
  self->signal_id = g_dbus_connection_signal_subscribe (bus, AVAHI_NAME,
                                                        AVAHI_BROWSER_INTERFACE, NULL, NULL,
                                                        NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                        on_browser_signal, self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (bus, AVAHI_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_avahi_appeared, on_avahi_vanished,
                                                   self, NULL);
}

/* Resolving ----------------------------------------------------------------------------- */

/* A server is resolved for IPv4 and IPv6 at once. For the row picked, the first address that
 * takes a TCP connection wins, so a server that listens on one family only (or an IPv6 LAN)
 * is reached; when neither connects, IPv4 is kept, as a name to show in the error.
 * Link-local IPv6 addresses get their interface ("fe80::1%eth0"), without which they cannot
 * be used. */

enum { FAMILY_IPV4, FAMILY_IPV6, N_FAMILIES };

static const gint32 avahi_families[N_FAMILIES] = { AVAHI_PROTO_INET, AVAHI_PROTO_INET6 };

typedef enum {
  PROBE_NONE,
  PROBE_RUNNING,
  PROBE_CONNECTED,
  PROBE_FAILED,
} ProbeState;

typedef struct {
  char      *host;
  char      *address;     /* with "%interface" when link-local */
  guint16    port;
  GStrv      txt;
  gint32     interface;
} Found;

typedef struct {
  FerryDiscoveryServer *server;
  GCancellable         *probe_cancellable;
  Found                *found[N_FAMILIES];
  gboolean              answered[N_FAMILIES];
  ProbeState            probe[N_FAMILIES];
  GError               *error;          /* the first resolver error */
  gboolean              try_connecting; /* try connecting (FALSE: for display only) */
  gboolean              waiting_for_ipv4;
  gboolean              finished;
} Resolving;

static void
found_free (Found *found)
{
  if (found == NULL)
    return;
  g_free (found->host);
  g_free (found->address);
  g_strfreev (found->txt);
  g_free (found);
}

static void
resolving_free (gpointer data)
{
  Resolving *resolving = data;

  g_cancellable_cancel (resolving->probe_cancellable);
  g_clear_object (&resolving->probe_cancellable);
  g_clear_object (&resolving->server);
  for (guint i = 0; i < N_FAMILIES; i++)
    found_free (resolving->found[i]);
  g_clear_error (&resolving->error);
  g_free (resolving);
}

static void
finish_with (GTask *task,
             guint  family)
{
  Resolving *resolving = g_task_get_task_data (task);
  Found *found = resolving->found[family];

  resolving->finished = TRUE;
  g_cancellable_cancel (resolving->probe_cancellable);
  ferry_discovery_server_set_resolved (resolving->server, found->host, found->address,
                                       found->port, (const char * const *) found->txt);
  g_task_return_boolean (task, TRUE);
}

static void advance (GTask *task);

typedef struct {
  GTask *task;
  guint  family;
} Probe;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GTask) task = probe->task;
  guint family = probe->family;
  Resolving *resolving = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_free (probe);
  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (resolving->finished)
    return;
  if (connection == NULL)
    g_debug ("“%s” at %s: %s", ferry_discovery_server_get_name (resolving->server),
             resolving->found[family]->address, error->message);
  resolving->probe[family] = connection != NULL ? PROBE_CONNECTED : PROBE_FAILED;
  /* The connection only proves the address; it closes unused. */
  advance (task);
}

static void
start_probe (GTask *task,
             guint  family)
{
  Resolving *resolving = g_task_get_task_data (task);
  Found *found = resolving->found[family];
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *bare = g_strdup (found->address);
  Probe *probe;

  resolving->probe[family] = PROBE_RUNNING;
  bare[strcspn (bare, "%")] = '\0';
  inet = g_inet_address_new_from_string (bare);
  if (inet == NULL)
    {
      resolving->probe[family] = PROBE_FAILED;
      return;
    }
  address = g_object_new (G_TYPE_INET_SOCKET_ADDRESS, "address", inet, "port", found->port,
                          "scope-id", g_inet_address_get_is_link_local (inet)
                                      ? (guint) MAX (found->interface, 0) : 0u, NULL);
  probe = g_new0 (Probe, 1);
  probe->task = g_object_ref (task);
  probe->family = family;
  g_socket_client_set_timeout (client, PROBE_TIMEOUT_S);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address),
                                 resolving->probe_cancellable, on_probed, probe);
}

static void
fail (GTask *task)
{
  Resolving *resolving = g_task_get_task_data (task);

  resolving->finished = TRUE;
  ferry_discovery_server_set_failed (resolving->server);
  g_task_return_new_error (task, FERRY_DISCOVERY_ERROR, FERRY_DISCOVERY_ERROR_NOT_FOUND,
                           "“%s” did not answer: %s",
                           ferry_discovery_server_get_name (resolving->server),
                           resolving->error->message);
}

/* How long an IPv6 answer waits for the IPv4 one before a row shows it: both usually come
 * within a few milliseconds, and a row should not show one address, then the other. */
#define IPV4_GRACE_MS 500

static gboolean
on_ipv4_grace_over (gpointer user_data)
{
  GTask *task = user_data;
  Resolving *resolving = g_task_get_task_data (task);

  if (!resolving->finished)
    finish_with (task, resolving->found[FAMILY_IPV4] != NULL ? FAMILY_IPV4 : FAMILY_IPV6);
  return G_SOURCE_REMOVE;
}

/* For display: IPv4 when the server has one (shorter to read, the same on every machine),
 * else IPv6; no connection is made (a server would log one, and a share would list a
 * visitor, for each row on screen). */
static void
advance_without_probing (GTask *task)
{
  Resolving *resolving = g_task_get_task_data (task);

  if (resolving->found[FAMILY_IPV4] != NULL)
    finish_with (task, FAMILY_IPV4);
  else if (resolving->found[FAMILY_IPV6] != NULL && resolving->answered[FAMILY_IPV4])
    finish_with (task, FAMILY_IPV6);
  else if (resolving->found[FAMILY_IPV6] != NULL && !resolving->waiting_for_ipv4)
    {
      resolving->waiting_for_ipv4 = TRUE;
      g_timeout_add_full (G_PRIORITY_DEFAULT, IPV4_GRACE_MS, on_ipv4_grace_over,
                          g_object_ref (task), g_object_unref);
    }
  else if (resolving->answered[FAMILY_IPV4] && resolving->answered[FAMILY_IPV6])
    fail (task);
}

/* Probes what is resolved, ends at the first address that connects, or once everything
 * has answered. */
static void
advance (GTask *task)
{
  Resolving *resolving = g_task_get_task_data (task);
  gboolean busy = FALSE;

  if (resolving->finished)
    return;
  if (!resolving->try_connecting)
    {
      advance_without_probing (task);
      return;
    }
  for (guint family = 0; family < N_FAMILIES; family++)
    {
      if (resolving->found[family] != NULL && resolving->probe[family] == PROBE_NONE)
        start_probe (task, family);
      if (resolving->probe[family] == PROBE_CONNECTED)
        {
          finish_with (task, family);
          return;
        }
      busy |= !resolving->answered[family] || resolving->probe[family] == PROBE_RUNNING;
    }
  if (busy)
    return;

  if (resolving->found[FAMILY_IPV4] != NULL || resolving->found[FAMILY_IPV6] != NULL)
    {
      finish_with (task, resolving->found[FAMILY_IPV4] != NULL ? FAMILY_IPV4 : FAMILY_IPV6);
      return;
    }
  fail (task);
}

static Found *
found_from_reply (GVariant *reply)
{
  g_autoptr(GVariant) txt_records = NULL;
  g_autoptr(GPtrArray) txt = g_ptr_array_new_with_free_func (g_free);
  Found *found = g_new0 (Found, 1);
  const char *host, *address;
  gint32 aprotocol;
  GVariantIter iter;
  GVariant *record;
  char interface_name[IF_NAMESIZE];

  g_variant_get (reply, "(ii&s&s&s&si&sq@aayu)", &found->interface, NULL, NULL, NULL, NULL,
                 &host, &aprotocol, &address, &found->port, &txt_records, NULL);
  found->host = g_strdup (host);
  if (aprotocol == AVAHI_PROTO_INET6 && g_str_has_prefix (address, "fe80:")
      && found->interface > 0 && if_indextoname ((unsigned) found->interface, interface_name))
    found->address = g_strdup_printf ("%s%%%s", address, interface_name);
  else
    found->address = g_strdup (address);

  /* TXT strings are bytes; keep the ones that are text. */
  g_variant_iter_init (&iter, txt_records);
  while ((record = g_variant_iter_next_value (&iter)) != NULL)
    {
      gsize length;
      const char *bytes = g_variant_get_fixed_array (record, &length, 1);

      if (g_utf8_validate_len (bytes, length, NULL))
        g_ptr_array_add (txt, g_strndup (bytes, length));
      g_variant_unref (record);
    }
  g_ptr_array_add (txt, NULL);
  found->txt = (GStrv) g_ptr_array_free (g_steal_pointer (&txt), FALSE);
  return found;
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data,
             guint         family)
{
  g_autoptr(GTask) task = user_data;
  Resolving *resolving = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (resolving->finished)
    return;
  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      resolving->finished = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  resolving->answered[family] = TRUE;
  if (reply != NULL)
    resolving->found[family] = found_from_reply (reply);
  else if (resolving->error == NULL)
    resolving->error = g_steal_pointer (&error);
  advance (task);
}

static void
on_resolved_ipv4 (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  on_resolved (source, result, user_data, FAMILY_IPV4);
}

static void
on_resolved_ipv6 (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  on_resolved (source, result, user_data, FAMILY_IPV6);
}

static void
resolve (FerryDiscovery       *self,
         FerryDiscoveryServer *server,
         gboolean              try_connecting,
         GCancellable         *cancellable,
         GAsyncReadyCallback   callback,
         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Resolving *resolving;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_discovery_resolve_async));
  resolving = g_new0 (Resolving, 1);
  resolving->try_connecting = try_connecting;
  resolving->server = g_object_ref (server);
  resolving->probe_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, resolving, resolving_free);

  if (self->bus == NULL || !self->available)
    {
      g_task_return_new_error (task, FERRY_DISCOVERY_ERROR, FERRY_DISCOVERY_ERROR_UNAVAILABLE,
                               "Avahi is not running");
      return;
    }
  if (!g_ptr_array_find (self->servers, server, NULL))
    {
      g_task_return_new_error (task, FERRY_DISCOVERY_ERROR, FERRY_DISCOVERY_ERROR_GONE,
                               "“%s” is no longer announced",
                               ferry_discovery_server_get_name (server));
      return;
    }

  if (ferry_discovery_server_get_state (server) != FERRY_DISCOVERY_SERVER_RESOLVED)
    ferry_discovery_server_set_resolving (server);
  for (guint family = 0; family < N_FAMILIES; family++)
    g_dbus_connection_call (self->bus, AVAHI_NAME, AVAHI_SERVER_PATH, AVAHI_SERVER_INTERFACE,
                            "ResolveService",
                            g_variant_new ("(iisssiu)",
                                           ferry_discovery_server_get_interface (server),
                                           ferry_discovery_server_get_protocol (server),
                                           ferry_discovery_server_get_name (server),
                                           ferry_discovery_server_get_service_type (server),
                                           ferry_discovery_server_get_domain (server),
                                           avahi_families[family], 0u),
                            G_VARIANT_TYPE ("(iissssisqaayu)"), G_DBUS_CALL_FLAGS_NONE,
                            RESOLVE_TIMEOUT_MS, cancellable,
                            family == FAMILY_IPV4 ? on_resolved_ipv4 : on_resolved_ipv6,
                            g_object_ref (task));
}

void
ferry_discovery_resolve_async (FerryDiscovery       *self,
                               FerryDiscoveryServer *server,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_return_if_fail (FERRY_IS_DISCOVERY (self));
  g_return_if_fail (FERRY_IS_DISCOVERY_SERVER (server));

  resolve (self, server, TRUE, cancellable, callback, user_data);
}

gboolean
ferry_discovery_resolve_finish (FerryDiscovery  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_discovery_resolve_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void resolve_next (FerryDiscovery *self);

static void
on_details_resolved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FerryDiscovery *self = FERRY_DISCOVERY (source);
  g_autoptr(GError) error = NULL;

  if (!ferry_discovery_resolve_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("%s", error->message);
    }
  self->resolving--;
  resolve_next (self);
}

static void
resolve_next (FerryDiscovery *self)
{
  while (self->resolving < MAX_RESOLVING && !g_queue_is_empty (&self->waiting))
    {
      g_autoptr(FerryDiscoveryServer) server = g_queue_pop_head (&self->waiting);

      self->resolving++;
      resolve (self, server, FALSE, self->cancellable, on_details_resolved, NULL);
    }
}

void
ferry_discovery_request_details (FerryDiscovery       *self,
                                 FerryDiscoveryServer *server)
{
  g_return_if_fail (FERRY_IS_DISCOVERY (self));
  g_return_if_fail (FERRY_IS_DISCOVERY_SERVER (server));

  if (ferry_discovery_server_get_state (server) != FERRY_DISCOVERY_SERVER_UNRESOLVED
      || g_queue_find (&self->waiting, server) != NULL)
    return;
  g_queue_push_tail (&self->waiting, g_object_ref (server));
  resolve_next (self);
}

/* The object ---------------------------------------------------------------------------- */

gboolean
ferry_discovery_get_available (FerryDiscovery *self)
{
  g_return_val_if_fail (FERRY_IS_DISCOVERY (self), FALSE);
  return self->available;
}

static void
ferry_discovery_dispose (GObject *object)
{
  FerryDiscovery *self = FERRY_DISCOVERY (object);

  g_cancellable_cancel (self->cancellable);
  if (self->bus != NULL)
    {
      /* The system bus connection outlives us: free the browsers we made on it. */
      for (guint i = 0; i < self->browser_paths->len; i++)
        g_dbus_connection_call (self->bus, AVAHI_NAME,
                                g_ptr_array_index (self->browser_paths, i),
                                AVAHI_BROWSER_INTERFACE, "Free", NULL, NULL,
                                G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
      g_ptr_array_set_size (self->browser_paths, 0);
      if (self->signal_id != 0)
        g_dbus_connection_signal_unsubscribe (self->bus, self->signal_id);
      self->signal_id = 0;
    }
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_queue_clear_full (&self->waiting, g_object_unref);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (ferry_discovery_parent_class)->dispose (object);
}

static void
ferry_discovery_finalize (GObject *object)
{
  FerryDiscovery *self = FERRY_DISCOVERY (object);

  g_ptr_array_unref (self->browser_paths);
  g_ptr_array_unref (self->servers);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_discovery_parent_class)->finalize (object);
}

static void
ferry_discovery_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FerryDiscovery *self = FERRY_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_discovery_class_init (FerryDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_discovery_dispose;
  object_class->finalize = ferry_discovery_finalize;
  object_class->get_property = ferry_discovery_get_property;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_discovery_init (FerryDiscovery *self)
{
  self->cancellable = g_cancellable_new ();
  self->browser_paths = g_ptr_array_new_with_free_func (g_free);
  self->servers = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->waiting);
}

FerryDiscovery *
ferry_discovery_get_default (void)
{
  /* One per process: every browser's signals reach every subscriber on the connection. */
  static FerryDiscovery *shared;

  if (shared != NULL)
    return g_object_ref (shared);

  shared = g_object_new (FERRY_TYPE_DISCOVERY, NULL);
  g_object_add_weak_pointer (G_OBJECT (shared), (gpointer *) &shared);
  g_bus_get (G_BUS_TYPE_SYSTEM, shared->cancellable, on_bus_ready, g_object_ref (shared));
  return shared;
}
