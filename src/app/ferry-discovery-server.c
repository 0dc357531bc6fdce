// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-discovery-server.c — one FTP server announced on the LAN: what browsing says (name,
 * type) and, once resolved, where it is and whether it wants a login. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-discovery-server.h"

struct _FerryDiscoveryServer
{
  GObject   parent_instance;

  char     *name;
  char     *service_type;
  char     *domain;
  GArray   *instances;   /* (interface, protocol) pairs, as two ints each */

  FerryDiscoveryServerState state;
  char     *host;
  char     *address;
  guint16   port;
  char     *user;        /* TXT u=: NULL absent */
  char     *path;
};

G_DEFINE_FINAL_TYPE (FerryDiscoveryServer, ferry_discovery_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_discovery_server_finalize (GObject *object)
{
  FerryDiscoveryServer *self = FERRY_DISCOVERY_SERVER (object);

  g_free (self->name);
  g_free (self->service_type);
  g_free (self->domain);
  g_array_unref (self->instances);
  g_free (self->host);
  g_free (self->address);
  g_free (self->user);
  g_free (self->path);

  G_OBJECT_CLASS (ferry_discovery_server_parent_class)->finalize (object);
}

static void
ferry_discovery_server_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FerryDiscoveryServer *self = FERRY_DISCOVERY_SERVER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_discovery_server_class_init (FerryDiscoveryServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_discovery_server_finalize;
  object_class->get_property = ferry_discovery_server_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* A FerryDiscoveryServerState; notified when resolving starts, ends or fails. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      FERRY_DISCOVERY_SERVER_UNRESOLVED, FERRY_DISCOVERY_SERVER_FAILED,
                      FERRY_DISCOVERY_SERVER_UNRESOLVED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_discovery_server_init (FerryDiscoveryServer *self)
{
  self->instances = g_array_new (FALSE, FALSE, sizeof (int));
}

FerryDiscoveryServer *
ferry_discovery_server_new (const char *name,
                            const char *service_type,
                            const char *domain,
                            int         interface_index,
                            int         protocol)
{
  FerryDiscoveryServer *self = g_object_new (FERRY_TYPE_DISCOVERY_SERVER, NULL);

  self->name = g_strdup (name);
  self->service_type = g_strdup (service_type);
  self->domain = g_strdup (domain);
  ferry_discovery_server_add_instance (self, interface_index, protocol);
  return self;
}

const char *
ferry_discovery_server_get_name (FerryDiscoveryServer *self)
{
  return self->name;
}

const char *
ferry_discovery_server_get_service_type (FerryDiscoveryServer *self)
{
  return self->service_type;
}

const char *
ferry_discovery_server_get_domain (FerryDiscoveryServer *self)
{
  return self->domain;
}

int
ferry_discovery_server_get_interface (FerryDiscoveryServer *self)
{
  return self->instances->len > 0 ? g_array_index (self->instances, int, 0) : -1;
}

int
ferry_discovery_server_get_protocol (FerryDiscoveryServer *self)
{
  return self->instances->len > 0 ? g_array_index (self->instances, int, 1) : -1;
}

gboolean
ferry_discovery_server_get_tls (FerryDiscoveryServer *self)
{
  return g_str_equal (self->service_type, "_ftps._tcp");
}

FerryDiscoveryServerState
ferry_discovery_server_get_state (FerryDiscoveryServer *self)
{
  return self->state;
}

const char *
ferry_discovery_server_get_host (FerryDiscoveryServer *self)
{
  return self->host;
}

const char *
ferry_discovery_server_get_address (FerryDiscoveryServer *self)
{
  return self->address;
}

guint16
ferry_discovery_server_get_port (FerryDiscoveryServer *self)
{
  return self->port;
}

const char *
ferry_discovery_server_get_user (FerryDiscoveryServer *self)
{
  return self->user;
}

const char *
ferry_discovery_server_get_path (FerryDiscoveryServer *self)
{
  return self->path != NULL ? self->path : "/";
}

gboolean
ferry_discovery_server_get_login_needed (FerryDiscoveryServer *self)
{
  return self->user != NULL;
}

guint
ferry_discovery_server_add_instance (FerryDiscoveryServer *self,
                                     int                   interface_index,
                                     int                   protocol)
{
  for (guint i = 0; i < self->instances->len; i += 2)
    if (g_array_index (self->instances, int, i) == interface_index
        && g_array_index (self->instances, int, i + 1) == protocol)
      return self->instances->len / 2;

  g_array_append_val (self->instances, interface_index);
  g_array_append_val (self->instances, protocol);
  return self->instances->len / 2;
}

guint
ferry_discovery_server_remove_instance (FerryDiscoveryServer *self,
                                        int                   interface_index,
                                        int                   protocol)
{
  for (guint i = 0; i < self->instances->len; i += 2)
    if (g_array_index (self->instances, int, i) == interface_index
        && g_array_index (self->instances, int, i + 1) == protocol)
      {
        g_array_remove_range (self->instances, i, 2);
        break;
      }
  return self->instances->len / 2;
}

static void
set_state (FerryDiscoveryServer      *self,
           FerryDiscoveryServerState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
ferry_discovery_server_set_resolving (FerryDiscoveryServer *self)
{
  set_state (self, FERRY_DISCOVERY_SERVER_RESOLVING);
}

void
ferry_discovery_server_set_failed (FerryDiscoveryServer *self)
{
  set_state (self, FERRY_DISCOVERY_SERVER_FAILED);
}

void
ferry_discovery_server_set_resolved (FerryDiscoveryServer *self,
                                     const char           *host,
                                     const char           *address,
                                     guint16               port,
                                     const char * const   *txt)
{
  g_free (self->host);
  self->host = g_strdup (host);
  g_free (self->address);
  self->address = g_strdup (address);
  self->port = port;
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->path, g_free);

  /* RFC 6763 §6.4: a key present twice counts the first time. */
  for (guint i = 0; txt != NULL && txt[i] != NULL; i++)
    {
      if (g_str_has_prefix (txt[i], "u=") && self->user == NULL)
        self->user = g_strdup (txt[i] + 2);
      else if (g_str_has_prefix (txt[i], "path=") && self->path == NULL && txt[i][5] == '/')
        self->path = g_strdup (txt[i] + 5);
    }

  /* The state changes last: whoever watches it sees every field set. */
  if (self->state == FERRY_DISCOVERY_SERVER_RESOLVED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  set_state (self, FERRY_DISCOVERY_SERVER_RESOLVED);
}
