// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-address.c — PASV/EPSV replies and PORT/EPRT arguments (RFC 959, RFC 2428). */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-address.h"
#include "ferry-protocol-error.h"

#include <string.h>
#include <arpa/inet.h>
#include <glib/gi18n.h>

static gboolean
set_malformed (GError    **error,
               const char *what,
               const char *text)
{
  g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
               _("%s “%.80s” is malformed"), what, text);
  return FALSE;
}

/* Reads a decimal number of at most `max`; digits past the bound do not overflow. Returns
 * FALSE without digits; sets *too_big when the number exceeds max. */
static gboolean
read_number (const char **p,
             guint        max,
             guint       *value,
             gboolean    *too_big)
{
  const char *s = *p;
  guint64 n = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  while (g_ascii_isdigit (*s))
    {
      if (n <= max)
        n = n * 10 + (guint64) (*s - '0');
      s++;
    }
  if (n > max)
    *too_big = TRUE;
  *value = (guint) MIN (n, max);
  *p = s;
  return TRUE;
}

static gboolean
set_port_out_of_range (GError    **error,
                       const char *text)
{
  g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
               _("“%.80s” names a port or address number outside its range (ports are 1–65535, "
                 "address bytes 0–255)"), text);
  return FALSE;
}

static gboolean
is_delimiter (char c)
{
  return c >= 33 && c <= 126;
}

gboolean
ferry_parse_epsv_reply (const char  *text,
                        guint16     *port,
                        GError     **error)
{
  const char *p;
  char delimiter;
  guint value = 0;
  gboolean too_big = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (port != NULL, FALSE);

  p = strchr (text, '(');
  if (p == NULL)
    return set_malformed (error, _("The extended passive reply"), text);
  p++;
  delimiter = *p;
  if (!is_delimiter (delimiter) || g_ascii_isdigit (delimiter) ||
      p[1] != delimiter || p[2] != delimiter)
    return set_malformed (error, _("The extended passive reply"), text);
  p += 3;
  if (!read_number (&p, 65535, &value, &too_big) || p[0] != delimiter || p[1] != ')')
    return set_malformed (error, _("The extended passive reply"), text);
  if (too_big || value == 0)
    return set_port_out_of_range (error, text);

  *port = (guint16) value;
  return TRUE;
}

/* "h1,h2,h3,h4,p1,p2" at *p (spaces after commas tolerated, as some servers send). */
static gboolean
parse_six_numbers (const char    **p,
                   FerryHostPort  *out,
                   const char     *what,
                   const char     *text,
                   GError        **error)
{
  guint numbers[6];
  gboolean too_big = FALSE;
  const char *s = *p;

  for (guint i = 0; i < 6; i++)
    {
      if (i > 0)
        {
          if (*s != ',')
            return set_malformed (error, what, text);
          s++;
          while (*s == ' ')
            s++;
        }
      if (!read_number (&s, 255, &numbers[i], &too_big))
        return set_malformed (error, what, text);
    }
  if (too_big || (numbers[4] == 0 && numbers[5] == 0))
    return set_port_out_of_range (error, text);

  out->family = FERRY_ADDRESS_IPV4;
  g_snprintf (out->host, sizeof out->host, "%u.%u.%u.%u",
              numbers[0], numbers[1], numbers[2], numbers[3]);
  out->port = (guint16) (numbers[4] * 256 + numbers[5]);
  *p = s;
  return TRUE;
}

gboolean
ferry_parse_pasv_reply (const char     *text,
                        FerryHostPort  *out,
                        GError        **error)
{
  const char *what = _("The passive reply");
  const char *p;
  FerryHostPort parsed;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* With parentheses the numbers follow them; without, they are the first digits. */
  p = strchr (text, '(');
  if (p != NULL)
    p++;
  else
    {
      p = text;
      while (*p != '\0' && !g_ascii_isdigit (*p))
        p++;
    }

  if (!parse_six_numbers (&p, &parsed, what, text, error))
    return FALSE;
  if (g_ascii_isdigit (*p) || *p == ',')
    return set_malformed (error, what, text);

  *out = parsed;
  return TRUE;
}

gboolean
ferry_parse_port_argument (const char     *arg,
                           FerryHostPort  *out,
                           GError        **error)
{
  const char *p = arg;
  FerryHostPort parsed;

  g_return_val_if_fail (arg != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!parse_six_numbers (&p, &parsed, _("The PORT argument"), arg, error))
    return FALSE;
  if (*p != '\0')
    return set_malformed (error, _("The PORT argument"), arg);

  *out = parsed;
  return TRUE;
}

gboolean
ferry_parse_eprt_argument (const char     *arg,
                           FerryHostPort  *out,
                           GError        **error)
{
  const char *what = _("The EPRT argument");
  const char *p = arg;
  const char *host, *host_end;
  char delimiter;
  guint family = 0, port = 0;
  gboolean too_big = FALSE;
  char host_text[INET6_ADDRSTRLEN + 1];
  guint8 binary[16];
  gsize host_len;

  g_return_val_if_fail (arg != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  delimiter = *p++;
  if (!is_delimiter (delimiter) || g_ascii_isdigit (delimiter) ||
      !read_number (&p, 9, &family, &too_big) || *p++ != delimiter)
    return set_malformed (error, what, arg);
  if (too_big || (family != FERRY_ADDRESS_IPV4 && family != FERRY_ADDRESS_IPV6))
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("“%.80s” names an address family other than 1 (IPv4) and 2 (IPv6)"),
                   arg);
      return FALSE;
    }

  host = p;
  host_end = strchr (host, delimiter);
  if (host_end == NULL)
    return set_malformed (error, what, arg);
  host_len = (gsize) (host_end - host);
  if (host_len == 0 || host_len >= sizeof host_text)
    return set_malformed (error, what, arg);
  memcpy (host_text, host, host_len);
  host_text[host_len] = '\0';
  if (inet_pton (family == FERRY_ADDRESS_IPV4 ? AF_INET : AF_INET6, host_text, binary) != 1)
    return set_malformed (error, what, arg);

  p = host_end + 1;
  if (!read_number (&p, 65535, &port, &too_big) || p[0] != delimiter || p[1] != '\0')
    return set_malformed (error, what, arg);
  if (too_big || port == 0)
    return set_port_out_of_range (error, arg);

  out->family = (FerryAddressFamily) family;
  /* The canonical text, so that comparing it with the peer's address is meaningful. */
  inet_ntop (family == FERRY_ADDRESS_IPV4 ? AF_INET : AF_INET6, binary,
             out->host, sizeof out->host);
  out->port = (guint16) port;
  return TRUE;
}

char *
ferry_format_epsv_reply (guint16 port)
{
  return g_strdup_printf ("Entering Extended Passive Mode (|||%u|)", (guint) port);
}

static gboolean
ipv4_bytes (const char *host,
            guint8      bytes[4])
{
  return host != NULL && inet_pton (AF_INET, host, bytes) == 1;
}

char *
ferry_format_port_argument (const char *ipv4_host,
                            guint16     port)
{
  guint8 b[4];

  g_return_val_if_fail (ipv4_bytes (ipv4_host, b), NULL);

  return g_strdup_printf ("%u,%u,%u,%u,%u,%u", b[0], b[1], b[2], b[3],
                          (guint) port >> 8, (guint) port & 0xff);
}

char *
ferry_format_pasv_reply (const char *ipv4_host,
                         guint16     port)
{
  g_autofree char *numbers = ferry_format_port_argument (ipv4_host, port);

  g_return_val_if_fail (numbers != NULL, NULL);

  return g_strdup_printf ("Entering Passive Mode (%s)", numbers);
}

char *
ferry_format_eprt_argument (const FerryHostPort *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_strdup_printf ("|%d|%s|%u|", (int) address->family, address->host,
                          (guint) address->port);
}
