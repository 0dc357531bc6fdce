// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery.c — browses _ftp._tcp and _ftps._tcp through Avahi's D-Bus API (which a
 * Flatpak reaches with --system-talk-name=org.freedesktop.Avahi) into a GListModel.
 *
 * Browsing is cheap (Avahi answers from its cache); resolving costs packets on the LAN, so
 * it happens only for rows on screen, two at a time, and afresh for the row picked. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-discovery.h"
#include "ferry-task.h"

#define AVAHI_NAME              "org.freedesktop.Avahi"
#define AVAHI_SERVER_PATH       "/"
#define AVAHI_SERVER_INTERFACE  "org.freedesktop.Avahi.Server"
#define AVAHI_BROWSER_INTERFACE "org.freedesktop.Avahi.ServiceBrowser"
#define AVAHI_IF_UNSPEC         (-1)
#define AVAHI_PROTO_INET        0
#define AVAHI_PROTO_UNSPEC      (-1)
#define RESOLVE_TIMEOUT_MS      10000
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

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryDiscoveryServer *server = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) txt_records = NULL;
  g_autoptr(GPtrArray) txt = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *host, *address;
  guint16 port;
  GVariantIter iter;
  GVariant *record;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          ferry_discovery_server_set_failed (server);
          g_task_return_new_error (task, FERRY_DISCOVERY_ERROR, FERRY_DISCOVERY_ERROR_NOT_FOUND,
                                   "“%s” did not answer: %s",
                                   ferry_discovery_server_get_name (server), error->message);
        }
      return;
    }

  g_variant_get (reply, "(ii&s&s&s&si&sq@aayu)", NULL, NULL, NULL, NULL, NULL, &host, NULL,
                 &address, &port, &txt_records, NULL);
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

  ferry_discovery_server_set_resolved (server, host, address, port,
                                       (const char * const *) txt->pdata);
  g_task_return_boolean (task, TRUE);
}

void
ferry_discovery_resolve_async (FerryDiscovery       *self,
                               FerryDiscoveryServer *server,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_DISCOVERY (self));
  g_return_if_fail (FERRY_IS_DISCOVERY_SERVER (server));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_discovery_resolve_async));
  g_task_set_task_data (task, g_object_ref (server), g_object_unref);

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
  /* IPv4 addresses: an IPv6 link-local one would need its interface to be usable. */
  g_dbus_connection_call (self->bus, AVAHI_NAME, AVAHI_SERVER_PATH, AVAHI_SERVER_INTERFACE,
                          "ResolveService",
                          g_variant_new ("(iisssiu)",
                                         ferry_discovery_server_get_interface (server),
                                         ferry_discovery_server_get_protocol (server),
                                         ferry_discovery_server_get_name (server),
                                         ferry_discovery_server_get_service_type (server),
                                         ferry_discovery_server_get_domain (server),
                                         AVAHI_PROTO_INET, 0u),
                          G_VARIANT_TYPE ("(iissssisqaayu)"), G_DBUS_CALL_FLAGS_NONE,
                          RESOLVE_TIMEOUT_MS, cancellable, on_resolved,
                          g_steal_pointer (&task));
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
      ferry_discovery_resolve_async (self, server, self->cancellable, on_details_resolved,
                                     NULL);
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
