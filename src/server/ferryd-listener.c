// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-listener.c — GSocketService in the listening parent; it never reads a client byte,
 * only a load balancer's PROXY protocol header (a few bytes, without blocking, within
 * FERRYD_PROXY_HEADER_TIMEOUT), so that the limits count real client addresses. While the
 * session zygote is behind (its channel full), it stops accepting: the clients
 * wait in the kernel's listen queue, sized to --max-clients, instead of being refused. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "ferryd-announce.h"
#include "ferryd-ban.h"
#include "ferryd-handoff.h"
#include "ferryd-listener.h"
#include "ferryd-proxy.h"
#include "ferryd-status.h"

/* Clients waiting in the kernel's queue, at least; GLib's default of 10 drops bursts. The
 * queue holds --max-clients when that is more (the kernel caps it at net.core.somaxconn). */
#define LISTEN_BACKLOG_MIN 256

struct _FerrydListener {
  GSocketService   *service;
  GInetAddress     *bind_address;   /* NULL: every address */
  guint16           port;
  FerrydWorkerPool *pool;           /* not owned */
  guint             max_clients;
  guint             max_per_ip;
  gulong            incoming_id;
  FerrydConfig     *announce_config;  /* NULL: not announced (--no-announce, loopback) */
  FerrydAnnounce   *announce;
  int               status_fd;        /* --status-fd, or -1 */
  gboolean          accepting;      /* started, and not paused nor stopped */
  gboolean          paused;         /* waiting for the zygote to catch up */
  gboolean          stopped;
  GPtrArray        *sockets;        /* GSocket: the listening ones, for a new backlog */
  GArray           *proxy_from;     /* FerrydProxyNet; NULL without --proxy-protocol */
  GList            *header_waits;   /* HeaderWait: balancers' connections before their header */
  guint             n_header_waits;
  FerrydBan        *ban;            /* --max-login-failures */
};

/* A balancer's connection whose PROXY header is still being read. */
typedef struct {
  FerrydListener    *listener;
  GSocketConnection *connection;
  char              *balancer_text;  /* "IP port N" of the balancer's end */
  char              *balancer_ip;
  GSource           *readable;
  guint              timeout_id;
  gsize              have;
  guint8             buffer[FERRY_PROXY_HEADER_MAX];
} HeaderWait;

static int
backlog_for (guint max_clients)
{
  return (int) MIN (MAX (max_clients, LISTEN_BACKLOG_MIN), G_MAXINT);
}

static void
on_listener_event (GSocketListener      *socket_listener,
                   GSocketListenerEvent  event,
                   GSocket              *socket,
                   gpointer              user_data)
{
  FerrydListener *listener = user_data;

  if (event == G_SOCKET_LISTENER_LISTENED)
    g_ptr_array_add (listener->sockets, g_object_ref (socket));
}

/* "::ffff:192.0.2.1" from a dual-stack socket counts as the IPv4 peer it is. */
static char *
peer_ip_text (GInetAddress *address)
{
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (address);
      static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
        {
          g_autoptr(GInetAddress) ipv4 = g_inet_address_new_from_bytes (bytes + 12,
                                                                         G_SOCKET_FAMILY_IPV4);
          return g_inet_address_to_string (ipv4);
        }
    }
  return g_inet_address_to_string (address);
}

static void
refuse (GSocket    *socket,
        const char *reply,
        const char *peer_text,
        const char *why)
{
  /* A fresh socket's send buffer is empty: this never blocks nor comes out short. */
  g_socket_send (socket, reply, strlen (reply), NULL, NULL);
  g_socket_close (socket, NULL);
  g_message (_("refused %s: %s"), peer_text, why);
}

/* Counts the client against the limits under its real address, and hands it over. */
static void
admit (FerrydListener *listener,
       GSocket        *socket,
       const char     *peer_ip,
       const char     *peer_text)
{
  g_autoptr(GError) error = NULL;

  if (ferryd_ban_is_banned (listener->ban, peer_ip))
    {
      /* Logged once, when the ban began. */
      g_socket_send (socket, FERRYD_BANNED_REPLY, strlen (FERRYD_BANNED_REPLY), NULL, NULL);
      g_socket_close (socket, NULL);
    }
  else if (ferryd_worker_pool_count_sessions (listener->pool) + listener->n_header_waits
      >= listener->max_clients)
    refuse (socket, FERRYD_TOO_MANY_REPLY, peer_text, _("--max-clients sessions are running"));
  else if (ferryd_worker_pool_count_from (listener->pool, peer_ip) >= listener->max_per_ip)
    refuse (socket, FERRYD_TOO_MANY_REPLY, peer_text,
            _("--max-per-ip sessions from that address are running"));
  else if (!ferryd_worker_pool_hand_over (listener->pool, g_socket_get_fd (socket),
                                          peer_ip, peer_text, &error))
    refuse (socket, FERRYD_UNAVAILABLE_REPLY, peer_text, error->message);

  /* Back-pressure: an accept already under way may still bring one more client, which
   * waits in the pool too; the rest wait in the kernel's queue. */
  if (listener->accepting && ferryd_worker_pool_is_backed_up (listener->pool))
    {
      g_debug ("the session zygote is behind: not accepting until it catches up");
      listener->accepting = FALSE;
      listener->paused = TRUE;
      g_socket_service_stop (listener->service);
    }
}

/* No longer waiting: no longer counted against --max-clients. */
static void
header_wait_detach (HeaderWait *wait)
{
  FerrydListener *listener = wait->listener;

  listener->header_waits = g_list_remove (listener->header_waits, wait);
  listener->n_header_waits--;
}

/* Closes the listener's copy of the connection (the pool keeps its own once handed over). */
static void
header_wait_release (HeaderWait *wait)
{
  if (wait->readable != NULL)
    {
      g_source_destroy (wait->readable);
      g_source_unref (wait->readable);
    }
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_io_stream_close (G_IO_STREAM (wait->connection), NULL, NULL);
  g_object_unref (wait->connection);
  g_free (wait->balancer_text);
  g_free (wait->balancer_ip);
  g_free (wait);
}

static void
header_wait_free (HeaderWait *wait)
{
  header_wait_detach (wait);
  header_wait_release (wait);
}

static gboolean
on_header_timeout (gpointer user_data)
{
  HeaderWait *wait = user_data;

  wait->timeout_id = 0;
  g_message (_("refused %s: no PROXY protocol header within %d seconds"),
             wait->balancer_text, FERRYD_PROXY_HEADER_TIMEOUT);
  header_wait_free (wait);
  return G_SOURCE_REMOVE;
}

static gboolean
on_header_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  HeaderWait *wait = user_data;
  FerrydListener *listener = wait->listener;
  g_autoptr(GError) error = NULL;
  FerryProxyHeader header;

  for (;;)
    {
      gsize wanted = 0;
      FerryProxyHeaderStatus status = ferry_proxy_header_parse (wait->buffer, wait->have,
                                                                &wanted, &header, &error);
      gssize n;

      if (status == FERRY_PROXY_HEADER_INVALID)
        {
          refuse (socket, FERRYD_UNAVAILABLE_REPLY, wait->balancer_text, error->message);
          header_wait_free (wait);
          return G_SOURCE_REMOVE;
        }
      if (status == FERRY_PROXY_HEADER_COMPLETE)
        break;
      n = g_socket_receive_with_blocking (socket, (char *) wait->buffer + wait->have, wanted,
                                          FALSE, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        {
          g_debug ("%s closed before its PROXY header ended", wait->balancer_text);
          header_wait_free (wait);
          return G_SOURCE_REMOVE;
        }
      wait->have += (gsize) n;
    }

  /* The header is read; the client's own bytes are still in the socket. */
  header_wait_detach (wait);
  if (header.family == FERRY_PROXY_LOCAL)   /* a health check: the balancer itself */
    admit (listener, socket, wait->balancer_ip, wait->balancer_text);
  else
    {
      g_autofree char *peer_text = g_strdup_printf ("%s port %u", header.source_host,
                                                    header.source_port);

      g_debug ("%s is %s", wait->balancer_text, peer_text);
      admit (listener, socket, header.source_host, peer_text);
    }
  header_wait_release (wait);
  return G_SOURCE_REMOVE;
}

static void
wait_for_header (FerrydListener    *listener,
                 GSocketConnection *connection,
                 const char        *balancer_ip,
                 const char        *balancer_text)
{
  HeaderWait *wait = g_new0 (HeaderWait, 1);
  GSocket *socket = g_socket_connection_get_socket (connection);

  wait->listener = listener;
  wait->connection = g_object_ref (connection);
  wait->balancer_ip = g_strdup (balancer_ip);
  wait->balancer_text = g_strdup (balancer_text);
  wait->readable = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (wait->readable, G_SOURCE_FUNC (on_header_readable), wait, NULL);
  g_source_attach (wait->readable, NULL);
  wait->timeout_id = g_timeout_add_seconds (FERRYD_PROXY_HEADER_TIMEOUT, on_header_timeout, wait);
  listener->header_waits = g_list_prepend (listener->header_waits, wait);
  listener->n_header_waits++;
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  FerrydListener *listener = user_data;
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GSocketAddress) remote = NULL;
  g_autofree char *peer_ip = NULL;
  g_autofree char *peer_text = NULL;
  GInetSocketAddress *inet_remote;
  struct sockaddr_storage native;

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return TRUE;   /* gone already */
  inet_remote = G_INET_SOCKET_ADDRESS (remote);
  peer_ip = peer_ip_text (g_inet_socket_address_get_address (inet_remote));
  peer_text = g_strdup_printf ("%s port %u", peer_ip, g_inet_socket_address_get_port (inet_remote));

  if (listener->proxy_from != NULL
      && g_socket_address_to_native (remote, &native, sizeof native, NULL)
      && ferryd_proxy_from_matches (listener->proxy_from, &native))
    {
      /* A balancer: the limits apply once its header says who the client is. */
      if (ferryd_worker_pool_count_sessions (listener->pool) + listener->n_header_waits
          >= listener->max_clients)
        refuse (socket, FERRYD_TOO_MANY_REPLY, peer_text, _("--max-clients sessions are running"));
      else
        wait_for_header (listener, connection, peer_ip, peer_text);
      return TRUE;
    }

  admit (listener, socket, peer_ip, peer_text);
  return TRUE;
}

static void
on_login_failed (const char *peer_ip,
                 guint       failures,
                 gpointer    user_data)
{
  FerrydListener *listener = user_data;

  ferryd_ban_add_failures (listener->ban, peer_ip, failures);
}

static gboolean
on_pool_flowing (gpointer user_data)
{
  FerrydListener *listener = user_data;

  if (listener->paused && !listener->stopped
      && !ferryd_worker_pool_is_backed_up (listener->pool))
    {
      g_debug ("the session zygote caught up: accepting again");
      listener->paused = FALSE;
      listener->accepting = TRUE;
      g_socket_service_start (listener->service);
    }
  return G_SOURCE_CONTINUE;
}

FerrydListener *
ferryd_listener_new (const FerrydConfig  *config,
                     GError             **error)
{
  g_autoptr(FerrydListener) listener = g_new0 (FerrydListener, 1);
  GSocketListener *socket_listener;
  g_autoptr(GError) local_error = NULL;

  listener->service = g_socket_service_new ();
  listener->max_clients = config->max_clients;
  listener->max_per_ip = config->max_per_ip;
  listener->ban = ferryd_ban_new ();
  ferryd_listener_set_ban (listener, config);
  listener->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  socket_listener = G_SOCKET_LISTENER (listener->service);
  g_socket_listener_set_backlog (socket_listener, backlog_for (config->max_clients));
  g_signal_connect (socket_listener, "event", G_CALLBACK (on_listener_event), listener);
  g_socket_service_stop (listener->service);

  if (config->bind_address != NULL)
    listener->bind_address = g_inet_address_new_from_string (config->bind_address);

  if (listener->bind_address != NULL && !g_inet_address_get_is_any (listener->bind_address))
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (listener->bind_address,
                                                                      config->port);
      g_autoptr(GSocketAddress) effective = NULL;

      if (g_socket_listener_add_address (socket_listener, address, G_SOCKET_TYPE_STREAM,
                                         G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                         &local_error))
        listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
    }
  else if (config->port == 0)
    listener->port = g_socket_listener_add_any_inet_port (socket_listener, NULL, &local_error);
  else if (g_socket_listener_add_inet_port (socket_listener, config->port, NULL, &local_error))
    listener->port = config->port;

  if (local_error != NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("cannot listen on %s port %u: %s"),
                   config->bind_address != NULL ? config->bind_address : _("every address"),
                   config->port, local_error->message);
      return NULL;
    }
  if (config->announce)
    listener->announce_config = ferryd_config_copy (config);
  listener->status_fd = config->status_fd;
  ferryd_listener_set_proxy (listener, config);

  return g_steal_pointer (&listener);
}

void
ferryd_listener_free (FerrydListener *listener)
{
  if (listener == NULL)
    return;

  if (listener->pool != NULL)
    {
      ferryd_worker_pool_set_flowing_func (listener->pool, NULL, NULL);
      ferryd_worker_pool_set_login_failed_func (listener->pool, NULL, NULL);
    }
  if (listener->service != NULL)
    {
      g_clear_signal_handler (&listener->incoming_id, listener->service);
      g_socket_service_stop (listener->service);
      g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
    }
  while (listener->header_waits != NULL)
    header_wait_free (listener->header_waits->data);
  g_clear_pointer (&listener->proxy_from, g_array_unref);
  g_clear_pointer (&listener->ban, ferryd_ban_free);
  g_clear_pointer (&listener->announce, ferryd_announce_free);
  g_clear_pointer (&listener->announce_config, ferryd_config_free);
  if (listener->service != NULL)
    g_signal_handlers_disconnect_by_data (listener->service, listener);
  g_clear_pointer (&listener->sockets, g_ptr_array_unref);
  g_clear_object (&listener->service);
  g_clear_object (&listener->bind_address);
  g_free (listener);
}

char *
ferryd_listener_get_host (FerrydListener *listener)
{
  if (listener->bind_address == NULL || g_inet_address_get_is_any (listener->bind_address))
    return g_strdup (g_get_host_name ());
  return g_inet_address_to_string (listener->bind_address);
}

char *
ferryd_listener_get_url (FerrydListener *listener)
{
  g_autofree char *host = ferryd_listener_get_host (listener);
  gboolean ipv6 = listener->bind_address != NULL
                  && !g_inet_address_get_is_any (listener->bind_address)
                  && g_inet_address_get_family (listener->bind_address) == G_SOCKET_FAMILY_IPV6;

  return g_strdup_printf (ipv6 ? "ftp://[%s]:%u/" : "ftp://%s:%u/", host, listener->port);
}

guint16
ferryd_listener_get_port (FerrydListener *listener)
{
  return listener->port;
}

void
ferryd_listener_start (FerrydListener   *listener,
                       FerrydWorkerPool *pool)
{
  listener->pool = pool;
  listener->incoming_id = g_signal_connect (listener->service, "incoming",
                                            G_CALLBACK (on_incoming), listener);
  ferryd_worker_pool_set_flowing_func (pool, on_pool_flowing, listener);
  ferryd_worker_pool_set_login_failed_func (pool, on_login_failed, listener);
  listener->accepting = TRUE;
  g_socket_service_start (listener->service);

  if (listener->status_fd >= 0)
    {
      GString *line = ferryd_status_begin ("listening");

      ferryd_status_add_number (line, "port", listener->port);
      ferryd_status_send (listener->status_fd, line);
    }

  if (listener->announce_config != NULL)
    {
      const FerrydConfig *config = listener->announce_config;
      int interface_index = ferryd_announce_interface_for (config->bind_address);
      /* u= (a login is needed) only when nobody gets in anonymously. */
      gboolean login_needed = config->users_file != NULL && !config->anonymous_enabled;

      if (interface_index >= 0)
        listener->announce = ferryd_announce_new (config->name, config->root, listener->port,
                                                  login_needed, interface_index,
                                                  listener->status_fd);
    }
}

void
ferryd_listener_set_limits (FerrydListener *listener,
                            guint           max_clients,
                            guint           max_per_ip)
{
  /* listen(2) again on a listening socket only resizes its queue. */
  if (max_clients != listener->max_clients && !listener->stopped)
    for (guint i = 0; i < listener->sockets->len; i++)
      {
        /* Directly: GSocket refuses a new backlog once it is listening. */
        GSocket *socket = g_ptr_array_index (listener->sockets, i);

        if (listen (g_socket_get_fd (socket), backlog_for (max_clients)) != 0)
          g_warning (_("cannot resize the listen queue to %u: %s"), max_clients,
                     g_strerror (errno));
      }
  listener->max_clients = max_clients;
  listener->max_per_ip = max_per_ip;
}

void
ferryd_listener_set_proxy (FerrydListener     *listener,
                           const FerrydConfig *config)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&listener->proxy_from, g_array_unref);
  if (!config->proxy_protocol)
    return;
  /* Checked when the configuration was read. */
  listener->proxy_from = ferryd_proxy_from_parse (config->proxy_from, &error);
  if (listener->proxy_from == NULL)
    g_warning ("%s", error->message);
}

void
ferryd_listener_set_ban (FerrydListener     *listener,
                         const FerrydConfig *config)
{
  ferryd_ban_configure (listener->ban, config->max_login_failures, config->ban_window,
                        config->ban_time);
}

void
ferryd_listener_stop (FerrydListener *listener)
{
  g_clear_pointer (&listener->announce, ferryd_announce_free);
  listener->stopped = TRUE;
  listener->accepting = FALSE;
  if (listener->pool != NULL)
    ferryd_worker_pool_set_flowing_func (listener->pool, NULL, NULL);
  g_socket_service_stop (listener->service);
  g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
}
