// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-data-channel.c — PASV/EPSV/PORT/EPRT and opening the data connection they prepared.
 * Only the control connection's peer may connect to a passive port (others are closed and
 * logged, and the wait goes on); PORT/EPRT lead only back to that peer, at a port ≥ 1024. */
#define _GNU_SOURCE   /* accept4 */
#define G_LOG_DOMAIN "ferryd-data"

#include "ferry-config.h"

#include "ferryd-session-private.h"
#include "ferryd-proxy.h"
#include "ferryd-tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

void
ferryd_data_channel_init (FerrydDataChannel *data)
{
  memset (data, 0, sizeof *data);
  data->listen_fd = -1;
}

void
ferryd_data_channel_reset (FerrydDataChannel *data)
{
  if (data->listen_fd >= 0)
    close (data->listen_fd);
  data->listen_fd = -1;
  data->have_active = FALSE;
}

/* The IP address of addr, IPv4-mapped IPv6 as IPv4: family and 4 or 16 bytes. */
static int
address_bytes (const struct sockaddr_storage *addr,
               guint8                         bytes[16])
{
  if (addr->ss_family == AF_INET)
    {
      memcpy (bytes, &((const struct sockaddr_in *) addr)->sin_addr, 4);
      return AF_INET;
    }
  if (addr->ss_family == AF_INET6)
    {
      const struct in6_addr *in6 = &((const struct sockaddr_in6 *) addr)->sin6_addr;

      if (IN6_IS_ADDR_V4MAPPED (in6))
        {
          memcpy (bytes, &in6->s6_addr[12], 4);
          return AF_INET;
        }
      memcpy (bytes, in6, 16);
      return AF_INET6;
    }
  return AF_UNSPEC;
}

static gboolean
same_host (const struct sockaddr_storage *a,
           const struct sockaddr_storage *b)
{
  guint8 a_bytes[16], b_bytes[16];
  int family = address_bytes (a, a_bytes);

  if (family == AF_UNSPEC || family != address_bytes (b, b_bytes))
    return FALSE;
  return memcmp (a_bytes, b_bytes, family == AF_INET ? 4 : 16) == 0;
}

static void
set_port (struct sockaddr_storage *addr,
          guint16                  port)
{
  if (addr->ss_family == AF_INET)
    ((struct sockaddr_in *) addr)->sin_port = htons (port);
  else
    ((struct sockaddr_in6 *) addr)->sin6_port = htons (port);
}

static guint16
get_port (const struct sockaddr_storage *addr)
{
  if (addr->ss_family == AF_INET)
    return ntohs (((const struct sockaddr_in *) addr)->sin_port);
  return ntohs (((const struct sockaddr_in6 *) addr)->sin6_port);
}

static gboolean
tcp_control (FerrydSession *self)
{
  if (self->local_addr.ss_family == AF_INET || self->local_addr.ss_family == AF_INET6)
    return TRUE;
  ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                        _("Data connections need a TCP control connection."));
  return FALSE;
}

/* A listening socket on the control connection's local address, in the configured range. */
static gboolean
listen_passive (FerrydSession *self)
{
  struct sockaddr_storage addr = self->local_addr;
  socklen_t len = addr.ss_family == AF_INET ? sizeof (struct sockaddr_in)
                                           : sizeof (struct sockaddr_in6);
  guint min = self->config->passive_port_min;
  guint max = MAX (self->config->passive_port_max, min);
  guint span = min == 0 ? 1 : max - min + 1;
  guint first = min == 0 ? 0 : (guint) g_random_int_range (0, (gint32) span);
  int one = 1;
  int fd;

  ferryd_data_channel_reset (&self->data);
  fd = socket (addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                            _("Cannot open a passive port: %s"), g_strerror (errno));
      return FALSE;
    }
  /* A port whose last data connection is in TIME_WAIT (60 s after every transfer) can take
   * the next one, as in vsftpd: without this a range of a few ports serves a few files a
   * minute. Two sessions still cannot listen on one port (that needs SO_REUSEPORT). */
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

  for (guint i = 0; i < span; i++)
    {
      set_port (&addr, min == 0 ? 0 : (guint16) (min + (first + i) % span));
      if (bind (fd, (struct sockaddr *) &addr, len) == 0)
        {
          if (listen (fd, 4) != 0)
            break;
          self->data.listen_fd = fd;
          len = sizeof addr;
          getsockname (fd, (struct sockaddr *) &addr, &len);
          self->data.passive_port = get_port (&addr);
          return TRUE;
        }
      if (errno != EADDRINUSE)
        break;
    }

  ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                        _("No passive port free: %s"), g_strerror (errno));
  close (fd);
  return FALSE;
}

void
ferryd_session_cmd_pasv (FerrydSession *self,
                         FerryCommand  *command)
{
  guint8 bytes[16];
  g_autofree char *text = NULL;
  const char *host;

  if (!tcp_control (self))
    return;
  if (self->data.epsv_all)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE,
                            _("After EPSV ALL only EPSV is accepted."));
      return;
    }
  if (address_bytes (&self->local_addr, bytes) != AF_INET && self->config->passive_address == NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                            _("PASV works only over IPv4: use EPSV."));
      return;
    }
  if (!listen_passive (self))
    return;

  host = self->config->passive_address != NULL ? self->config->passive_address : self->local_host;
  text = ferry_format_pasv_reply (host, self->data.passive_port);
  ferryd_session_reply (self, FERRY_REPLY_PASSIVE, "%s", text);
}

void
ferryd_session_cmd_epsv (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autofree char *text = NULL;
  guint8 bytes[16];

  if (!tcp_control (self))
    return;
  if (command->arg != NULL)
    {
      int family = address_bytes (&self->local_addr, bytes);

      if (g_ascii_strcasecmp (command->arg, "ALL") == 0)
        {
          self->data.epsv_all = TRUE;
          ferryd_session_reply (self, FERRY_REPLY_OK, _("EPSV ALL accepted."));
          return;
        }
      if (!((g_str_equal (command->arg, "1") && family == AF_INET)
            || (g_str_equal (command->arg, "2") && family == AF_INET6)))
        {
          ferryd_session_reply (self, FERRY_REPLY_BAD_NETWORK_PROTOCOL,
                                _("Network protocol not supported, use (%d)"),
                                family == AF_INET ? 1 : 2);
          return;
        }
    }
  if (!listen_passive (self))
    return;

  text = ferry_format_epsv_reply (self->data.passive_port);
  ferryd_session_reply (self, FERRY_REPLY_EXTENDED_PASSIVE, "%s", text);
}

/* PORT/EPRT: only the peer's own address and an unprivileged port (no FTP bounce). */
static void
set_active_target (FerrydSession       *self,
                   const FerryHostPort *target)
{
  struct sockaddr_storage addr = { 0 };
  guint8 peer_bytes[16];
  int peer_family = address_bytes (&self->peer_addr, peer_bytes);
  int family = target->family == FERRY_ADDRESS_IPV4 ? AF_INET : AF_INET6;

  if (family != peer_family)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_NETWORK_PROTOCOL,
                            _("Network protocol not supported, use (%d)"),
                            peer_family == AF_INET ? 1 : 2);
      return;
    }

  addr.ss_family = (sa_family_t) family;
  if (inet_pton (family,
                 target->host,
                 family == AF_INET ? (void *) &((struct sockaddr_in *) &addr)->sin_addr
                                   : (void *) &((struct sockaddr_in6 *) &addr)->sin6_addr) != 1)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                            _("Cannot read the address “%s”."), target->host);
      return;
    }
  if (!same_host (&addr, &self->peer_addr) || target->port < 1024)
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "FERRYD_PEER", self->peer_host,
                        "MESSAGE", "%s: refused a data connection to %s port %u (FTP bounce?)",
                        self->peer_host, target->host, target->port);
      ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                            _("Data connections go only to your own address and a port above "
                              "1023."));
      return;
    }

  set_port (&addr, target->port);
  ferryd_data_channel_reset (&self->data);
  self->data.active_addr = addr;
  self->data.active_len = family == AF_INET ? sizeof (struct sockaddr_in)
                                            : sizeof (struct sockaddr_in6);
  self->data.have_active = TRUE;
  ferryd_session_reply (self, FERRY_REPLY_OK, _("Data connection to port %u."), target->port);
}

void
ferryd_session_cmd_port (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(GError) error = NULL;
  FerryHostPort target;

  if (!tcp_control (self))
    return;
  if (self->data.epsv_all)
    ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE,
                          _("After EPSV ALL only EPSV is accepted."));
  else if (!ferry_parse_port_argument (command->arg, &target, &error))
    ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                          _("Cannot read the PORT argument: %s"), error->message);
  else
    set_active_target (self, &target);
}

void
ferryd_session_cmd_eprt (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(GError) error = NULL;
  FerryHostPort target;

  if (!tcp_control (self))
    return;
  if (self->data.epsv_all)
    ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE,
                          _("After EPSV ALL only EPSV is accepted."));
  else if (!ferry_parse_eprt_argument (command->arg, &target, &error))
    ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                          _("Cannot read the EPRT argument: %s"), error->message);
  else
    set_active_target (self, &target);
}

/* Whether a data connection that is not from a balancer has already sent the beginning of
 * a PROXY header (v1 or v2): its client tries to pass for another address, or a balancer is
 * missing from --proxy-from. Looked at without reading or waiting, so a header that comes
 * after the connection was taken is data, as from any client. */
static gboolean
sent_proxy_header (int fd)
{
  guint8 start[16];
  gsize wanted;
  FerryProxyHeader header;
  ssize_t n = recv (fd, start, sizeof start, MSG_PEEK | MSG_DONTWAIT);

  /* "PROXY " or the v2 signature's first six bytes: one byte alone proves nothing. */
  return n >= 6 && ferry_proxy_header_parse (start, (gsize) n, &wanted, &header, NULL)
                   != FERRY_PROXY_HEADER_INVALID;
}

static int
accept_from_peer (FerrydSession *self)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) self->config->data_timeout * G_USEC_PER_SEC;

  for (;;)
    {
      struct sockaddr_storage addr;
      socklen_t len = sizeof addr;
      struct pollfd pfd = { .fd = self->data.listen_fd, .events = POLLIN };
      gint64 remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char host[64] = "";
      gboolean from_balancer;
      int fd;

      if (self->config->data_timeout == 0)
        remaining_ms = -1;
      else if (remaining_ms <= 0)
        {
          errno = ETIMEDOUT;
          return -1;
        }
      if (poll (&pfd, 1, (int) MIN (remaining_ms, G_MAXINT)) < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }

      fd = accept4 (self->data.listen_fd, (struct sockaddr *) &addr, &len, SOCK_CLOEXEC);
      if (fd < 0)
        {
          if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
            continue;
          return -1;
        }
      from_balancer = self->proxy_from != NULL
                      && ferryd_proxy_from_matches (self->proxy_from, &addr);
      if (from_balancer)
        {
          g_autoptr(GError) error = NULL;
          FerryProxyHeader header;

          /* Through the balancer: the data connection's real client is in its header. */
          if (!ferryd_proxy_read_header (fd, FERRYD_PROXY_HEADER_TIMEOUT * 1000, &header, &error))
            {
              g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                                "FERRYD_PEER", self->peer_host,
                                "MESSAGE", "%s: refused a data connection from the balancer: %s",
                                self->peer_host, error->message);
              close (fd);
              continue;
            }
          if (header.family != FERRY_PROXY_LOCAL)
            ferryd_proxy_source_to_native (&header, &addr);
        }
      if (same_host (&addr, &self->peer_addr))
        {
          if (self->proxy_from == NULL || from_balancer || !sent_proxy_header (fd))
            return fd;
          g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                            "FERRYD_PEER", self->peer_host,
                            "MESSAGE", "%s: refused a data connection: sent a PROXY header but "
                            "is not a --proxy-from balancer", self->peer_host);
          close (fd);
          errno = ECONNREFUSED;
          return -1;
        }

      /* Someone else raced the client to its passive port (PASV theft). */
      if (addr.ss_family == AF_INET)
        inet_ntop (AF_INET, &((struct sockaddr_in *) &addr)->sin_addr, host, sizeof host);
      else if (addr.ss_family == AF_INET6)
        inet_ntop (AF_INET6, &((struct sockaddr_in6 *) &addr)->sin6_addr, host, sizeof host);
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "FERRYD_PEER", self->peer_host,
                        "MESSAGE",
                        "%s: refused a data connection from %s (not the client's address)",
                        self->peer_host, host);
      close (fd);
    }
}

static int
connect_to_peer (FerrydSession *self)
{
  struct pollfd pfd;
  int fd = socket (self->data.active_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int status = 0;
  socklen_t len = sizeof status;

  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &self->data.active_addr, self->data.active_len) == 0)
    return fd;
  if (errno != EINPROGRESS)
    goto failed;

  pfd = (struct pollfd) { .fd = fd, .events = POLLOUT };
  for (;;)
    {
      int n = poll (&pfd, 1,
                    self->config->data_timeout == 0 ? -1 : (int) self->config->data_timeout * 1000);

      if (n > 0)
        break;
      if (n == 0)
        {
          errno = ETIMEDOUT;
          goto failed;
        }
      if (errno != EINTR)
        goto failed;
    }
  if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &status, &len) != 0)
    goto failed;
  if (status != 0)
    {
      errno = status;
      goto failed;
    }
  return fd;

failed:
  {
    int saved_errno = errno;

    close (fd);
    errno = saved_errno;
    return -1;
  }
}

FerrydChannel *
ferryd_session_start_data (FerrydSession *self,
                           const char    *preliminary)
{
  g_autoptr(FerrydChannel) channel = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  if (self->config->require_tls && !self->protect_data)
    {
      ferryd_session_reply (self, FERRY_REPLY_DATA_PROT_REFUSED,
                            _("This server requires protected data connections: "
                              "send PBSZ 0 and PROT P."));
      return NULL;
    }
  if (self->data.listen_fd >= 0)
    fd = accept_from_peer (self);
  else if (self->data.have_active)
    fd = connect_to_peer (self);
  else
    {
      ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                            _("Send PASV, EPSV, PORT or EPRT first."));
      return NULL;
    }
  /* One data connection per PASV/PORT. */
  {
    int saved_errno = errno;

    ferryd_data_channel_reset (&self->data);
    if (fd < 0)
      {
        ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                              _("Cannot open the data connection: %s"),
                              g_strerror (saved_errno));
        return NULL;
      }
  }

  channel = ferryd_channel_new (fd);
  if (!ferryd_session_reply (self, FERRY_REPLY_OPENING_DATA, "%s", preliminary))
    return NULL;
  if (self->protect_data && !ferryd_tls_wrap (self, channel, &error))
    {
      ferryd_session_reply (self, FERRY_REPLY_CANNOT_OPEN_DATA,
                            _("TLS on the data connection failed: %s"), error->message);
      return NULL;
    }
  return g_steal_pointer (&channel);
}
