// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-announce.c — publishes _ftp._tcp through the system's Avahi daemon (libavahi-client
 * driven by the listener's GLib main loop); never a responder of our own. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/domain.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-malloc.h>
#include <avahi-glib/glib-watch.h>
#include <glib/gi18n.h>

#include "ferryd-announce.h"
#include "ferryd-status.h"

struct _FerrydAnnounce {
  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
  char            *name;            /* the name announced (or asked for); NULL: the default */
  char            *root;
  guint16          port;
  gboolean         login_needed;
  AvahiIfIndex     interface_index;
  gboolean         said_unavailable;  /* "Avahi is not running" is logged once */
  int              status_fd;
};

static void connect_client (FerrydAnnounce *announce);

char *
ferryd_announce_default_name (const char *root,
                              const char *host)
{
  g_autofree char *folder = g_path_get_basename (root);
  g_autofree char *name = NULL;
  const char *end;

  /* "/" has no useful last component: "ftp on HOST" says what it is. */
  if (g_str_equal (folder, "/") || g_str_equal (folder, "."))
    {
      g_free (folder);
      folder = g_strdup ("ftp");
    }
  name = g_strdup_printf (_("%s on %s"), folder, host);

  /* A DNS label holds 63 bytes: cut at a character boundary, not inside one. */
  if (strlen (name) > AVAHI_LABEL_MAX - 1)
    {
      g_utf8_validate (name, AVAHI_LABEL_MAX - 1, &end);
      name[end - name] = '\0';
    }
  return g_steal_pointer (&name);
}

/* Our name is taken on the LAN (or by another service on this daemon): "NAME #2", … */
static void
take_alternative_name (FerrydAnnounce *announce)
{
  char *alternative = avahi_alternative_service_name (announce->name);

  g_message (_("the name “%s” is taken on the LAN; announcing as “%s”"),
             announce->name, alternative);
  g_free (announce->name);
  announce->name = g_strdup (alternative);
  avahi_free (alternative);
}

static void add_service (FerrydAnnounce *announce);

static void
on_group_state (AvahiEntryGroup      *group,
                AvahiEntryGroupState  state,
                void                 *user_data)
{
  FerrydAnnounce *announce = user_data;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      g_message (_("announced on the LAN as “%s” (%s port %u)"), announce->name,
                 FERRYD_ANNOUNCE_SERVICE_TYPE, announce->port);
      if (announce->status_fd >= 0)
        {
          GString *line = ferryd_status_begin ("announced");

          ferryd_status_add_string (line, "name", announce->name);
          ferryd_status_send (announce->status_fd, line);
        }
      break;
    case AVAHI_ENTRY_GROUP_COLLISION:
      take_alternative_name (announce);
      avahi_entry_group_reset (group);
      add_service (announce);
      break;
    case AVAHI_ENTRY_GROUP_FAILURE:
      g_warning (_("announcing on the LAN failed, serving continues: %s"),
                 avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));
      break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static void
add_service (FerrydAnnounce *announce)
{
  AvahiStringList *txt;
  int result;

  if (announce->group == NULL)
    {
      announce->group = avahi_entry_group_new (announce->client, on_group_state, announce);
      if (announce->group == NULL)
        {
          g_warning (_("announcing on the LAN failed, serving continues: %s"),
                     avahi_strerror (avahi_client_errno (announce->client)));
          return;
        }
    }
  if (!avahi_entry_group_is_empty (announce->group))
    return;

  if (announce->name == NULL)
    announce->name = ferryd_announce_default_name (announce->root,
                                                   avahi_client_get_host_name (announce->client));

  /* RFC 6763 and the DNS-SD registration of _ftp: path= the folder to open; u= says that a
   * login is needed (with no user name in it: the announcement is public). */
  txt = avahi_string_list_new ("path=/", NULL);
  if (announce->login_needed)
    txt = avahi_string_list_add (txt, "u=");

  for (;;)
    {
      result = avahi_entry_group_add_service_strlst (announce->group,
                                                     announce->interface_index,
                                                     AVAHI_PROTO_UNSPEC, 0, announce->name,
                                                     FERRYD_ANNOUNCE_SERVICE_TYPE, NULL, NULL,
                                                     announce->port, txt);
      if (result != AVAHI_ERR_COLLISION)
        break;
      take_alternative_name (announce);
    }
  avahi_string_list_free (txt);

  if (result == AVAHI_OK)
    result = avahi_entry_group_commit (announce->group);
  if (result != AVAHI_OK)
    g_warning (_("announcing on the LAN failed, serving continues: %s"),
               avahi_strerror (result));
}

static gboolean
reconnect (gpointer user_data)
{
  connect_client (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_client_state (AvahiClient      *client,
                 AvahiClientState  state,
                 void             *user_data)
{
  FerrydAnnounce *announce = user_data;

  /* Called from inside avahi_client_new already, before it returns the client. */
  announce->client = client;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      announce->said_unavailable = FALSE;
      add_service (announce);
      break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The host name changes: announce again once the daemon runs under the new one. */
      if (announce->group != NULL)
        avahi_entry_group_reset (announce->group);
      break;
    case AVAHI_CLIENT_CONNECTING:
      if (!announce->said_unavailable)
        g_message (_("not announced on the LAN yet: the Avahi daemon is not running "
                     "(serving continues; announcing when it starts)"));
      announce->said_unavailable = TRUE;
      break;
    case AVAHI_CLIENT_FAILURE:
      if (avahi_client_errno (client) == AVAHI_ERR_DISCONNECTED)
        {
          /* The daemon went away (restart): start over, and wait for it. Not from inside
           * the client's own callback. */
          g_message (_("the Avahi daemon went away; announcing again when it is back"));
          announce->said_unavailable = TRUE;
          g_idle_add (reconnect, announce);
        }
      else
        g_message (_("not announced on the LAN: %s (serving continues)"),
                   avahi_strerror (avahi_client_errno (client)));
      break;
    default:
      break;
    }
}

static void
connect_client (FerrydAnnounce *announce)
{
  int error = 0;

  if (announce->client != NULL)
    {
      avahi_client_free (announce->client);   /* frees its entry groups too */
      announce->client = NULL;
      announce->group = NULL;
    }

  /* NO_FAIL: without the daemon, wait for it instead of failing. Without a system bus at
   * all there is nothing to wait on: that fails here. */
  announce->client = avahi_client_new (avahi_glib_poll_get (announce->poll),
                                       AVAHI_CLIENT_NO_FAIL, on_client_state, announce,
                                       &error);
  if (announce->client == NULL)
    g_message (_("not announced on the LAN: %s (serving continues)"),
               avahi_strerror (error));
}

int
ferryd_announce_interface_for (const char *bind_address)
{
  struct in6_addr wanted6;
  struct in_addr wanted4;
  struct ifaddrs *addresses = NULL;
  gboolean is_ipv4;
  int found = -1;

  if (bind_address == NULL)
    return 0;
  is_ipv4 = inet_pton (AF_INET, bind_address, &wanted4) == 1;
  if (!is_ipv4 && inet_pton (AF_INET6, bind_address, &wanted6) != 1)
    return -1;
  if (is_ipv4 ? wanted4.s_addr == htonl (INADDR_ANY) : IN6_IS_ADDR_UNSPECIFIED (&wanted6))
    return 0;
  if (getifaddrs (&addresses) != 0)
    return -1;

  for (struct ifaddrs *a = addresses; a != NULL && found < 0; a = a->ifa_next)
    {
      if (a->ifa_addr == NULL || (a->ifa_flags & IFF_LOOPBACK))
        continue;
      if (is_ipv4 && a->ifa_addr->sa_family == AF_INET
          && ((struct sockaddr_in *) (void *) a->ifa_addr)->sin_addr.s_addr == wanted4.s_addr)
        found = (int) if_nametoindex (a->ifa_name);
      else if (!is_ipv4 && a->ifa_addr->sa_family == AF_INET6
               && memcmp (&((struct sockaddr_in6 *) (void *) a->ifa_addr)->sin6_addr,
                          &wanted6, sizeof wanted6) == 0)
        found = (int) if_nametoindex (a->ifa_name);
    }
  freeifaddrs (addresses);
  return found > 0 ? found : -1;
}

FerrydAnnounce *
ferryd_announce_new (const char *name,
                     const char *root,
                     guint16     port,
                     gboolean    login_needed,
                     int         interface_index,
                     int         status_fd)
{
  FerrydAnnounce *announce = g_new0 (FerrydAnnounce, 1);

  avahi_set_allocator (avahi_glib_allocator ());
  announce->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  announce->name = g_strdup (name);
  announce->root = g_strdup (root);
  announce->port = port;
  announce->login_needed = login_needed;
  announce->status_fd = status_fd;
  announce->interface_index = interface_index > 0 ? interface_index : AVAHI_IF_UNSPEC;
  connect_client (announce);
  return announce;
}

void
ferryd_announce_free (FerrydAnnounce *announce)
{
  if (announce == NULL)
    return;

  g_idle_remove_by_data (announce);
  if (announce->client != NULL)
    {
      /* Freeing the client removes the entry group: the daemon sends the goodbyes. */
      avahi_client_free (announce->client);
      if (announce->group != NULL)
        g_message (_("withdrew the announcement “%s”"), announce->name);
    }
  avahi_glib_poll_free (announce->poll);
  g_free (announce->name);
  g_free (announce->root);
  g_free (announce);
}
