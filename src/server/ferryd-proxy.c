// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-proxy.c — --proxy-from addresses and a bounded read of a PROXY protocol header. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <glib/gi18n.h>

#include "ferryd-error.h"
#include "ferryd-proxy.h"

GArray *
ferryd_proxy_from_parse (const char  *text,
                         GError     **error)
{
  g_autoptr(GArray) nets = g_array_new (FALSE, TRUE, sizeof (FerrydProxyNet));
  g_auto(GStrv) items = g_strsplit_set (text != NULL ? text : "", ",; \t", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      FerrydProxyNet net = { 0 };
      g_autofree char *address = NULL;
      const char *slash = strchr (items[i], '/');
      guint64 prefix = 0;
      guint max_prefix;

      if (*items[i] == '\0')
        continue;
      address = slash != NULL ? g_strndup (items[i], (gsize) (slash - items[i]))
                              : g_strdup (items[i]);
      if (inet_pton (AF_INET, address, net.bytes) == 1)
        net.family = AF_INET, max_prefix = 32;
      else if (inet_pton (AF_INET6, address, net.bytes) == 1)
        net.family = AF_INET6, max_prefix = 128;
      else
        goto invalid;
      net.prefix = max_prefix;
      if (slash != NULL
          && (!g_ascii_string_to_unsigned (slash + 1, 10, 0, max_prefix, &prefix, NULL)))
        goto invalid;
      if (slash != NULL)
        net.prefix = (guint) prefix;
      g_array_append_val (nets, net);
      continue;

    invalid:
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an address or ADDRESS/PREFIX"), items[i]);
      return NULL;
    }
  return g_steal_pointer (&nets);
}

static gboolean
prefix_matches (const guint8 *a,
                const guint8 *b,
                guint         bits)
{
  guint whole = bits / 8;
  guint rest = bits % 8;
  guint8 mask = (guint8) (0xff << (8 - rest));

  if (memcmp (a, b, whole) != 0)
    return FALSE;
  return rest == 0 || ((a[whole] ^ b[whole]) & mask) == 0;
}

gboolean
ferryd_proxy_from_matches (GArray                        *nets,
                           const struct sockaddr_storage *addr)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes;
  int family = addr->ss_family;

  if (nets == NULL)
    return FALSE;
  if (family == AF_INET)
    bytes = (const guint8 *) &((const struct sockaddr_in *) addr)->sin_addr;
  else if (family == AF_INET6)
    {
      bytes = (const guint8 *) &((const struct sockaddr_in6 *) addr)->sin6_addr;
      if (memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
        bytes += 12, family = AF_INET;
    }
  else
    return FALSE;

  for (guint i = 0; i < nets->len; i++)
    {
      const FerrydProxyNet *net = &g_array_index (nets, FerrydProxyNet, i);

      if (net->family == family && prefix_matches (net->bytes, bytes, net->prefix))
        return TRUE;
    }
  return FALSE;
}

gboolean
ferryd_proxy_read_header (int                fd,
                          int                timeout_ms,
                          FerryProxyHeader  *header,
                          GError           **error)
{
  g_autofree guint8 *buffer = g_malloc (FERRY_PROXY_HEADER_MAX);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize have = 0;

  for (;;)
    {
      gsize wanted = 0;
      FerryProxyHeaderStatus status = ferry_proxy_header_parse (buffer, have, &wanted,
                                                                header, error);
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 remaining_ms;
      ssize_t n;

      if (status == FERRY_PROXY_HEADER_COMPLETE)
        return TRUE;
      if (status == FERRY_PROXY_HEADER_INVALID)
        return FALSE;

      remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
      if (remaining_ms <= 0)
        {
          g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT,
                       _("no PROXY protocol header within %d seconds"), timeout_ms / 1000);
          return FALSE;
        }
      if (poll (&pfd, 1, (int) remaining_ms) < 0 && errno != EINTR)
        {
          int saved_errno = errno;
          g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                       "%s", g_strerror (saved_errno));
          return FALSE;
        }
      if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      n = recv (fd, buffer + have, wanted, MSG_DONTWAIT);
      if (n == 0)
        {
          g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                       _("closed before its PROXY protocol header ended"));
          return FALSE;
        }
      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EAGAIN || saved_errno == EINTR)
            continue;
          g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                       "%s", g_strerror (saved_errno));
          return FALSE;
        }
      have += (gsize) n;
    }
}

void
ferryd_proxy_source_to_native (const FerryProxyHeader  *header,
                               struct sockaddr_storage *addr)
{
  memset (addr, 0, sizeof *addr);
  if (header->family == FERRY_PROXY_INET)
    {
      struct sockaddr_in *in = (struct sockaddr_in *) addr;

      in->sin_family = AF_INET;
      memcpy (&in->sin_addr, header->source, 4);
      in->sin_port = htons (header->source_port);
    }
  else if (header->family == FERRY_PROXY_INET6)
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) addr;

      in6->sin6_family = AF_INET6;
      memcpy (&in6->sin6_addr, header->source, 16);
      in6->sin6_port = htons (header->source_port);
    }
}
