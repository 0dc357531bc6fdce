// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-proxy-header.c — parses the PROXY protocol header, v1 and v2, from a byte prefix. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-config.h"

#include <string.h>
#include <arpa/inet.h>
#include <glib/gi18n.h>

#include "ferry-protocol-error.h"
#include "ferry-proxy-header.h"

static const guint8 v2_signature[12] = {
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
static const char v1_prefix[] = "PROXY ";

static FerryProxyHeaderStatus
invalid (GError     **error,
         int          code,
         const char  *why)
{
  g_set_error (error, FERRY_PROTOCOL_ERROR, code, _("invalid PROXY protocol header: %s"), why);
  return FERRY_PROXY_HEADER_INVALID;
}

static gboolean
fill_host (FerryProxyHeader *header)
{
  int family = header->family == FERRY_PROXY_INET ? AF_INET : AF_INET6;

  return inet_ntop (family, header->source, header->source_host,
                    sizeof header->source_host) != NULL;
}

/* A decimal port: digits only, no leading zero, at most 65535. */
static gboolean
parse_port (const char *text,
            guint16    *port)
{
  guint value = 0;

  if (*text == '\0' || (text[0] == '0' && text[1] != '\0') || strlen (text) > 5)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint) (*p - '0');
    }
  if (value > 65535)
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

static FerryProxyHeaderStatus
parse_v1_line (const char        *line,
               FerryProxyHeader  *header,
               GError           **error)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);
  int family;

  /* "PROXY UNKNOWN" may carry anything after it; the receiver ignores it. */
  if (g_strv_length (fields) >= 2 && g_str_equal (fields[1], "UNKNOWN"))
    {
      header->family = FERRY_PROXY_LOCAL;
      return FERRY_PROXY_HEADER_COMPLETE;
    }
  if (g_strv_length (fields) != 6)
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED,
                    _("a v1 header has a protocol, two addresses and two ports"));
  if (g_str_equal (fields[1], "TCP4"))
    header->family = FERRY_PROXY_INET, family = AF_INET;
  else if (g_str_equal (fields[1], "TCP6"))
    header->family = FERRY_PROXY_INET6, family = AF_INET6;
  else
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED,
                    _("the protocol is not TCP4, TCP6 or UNKNOWN"));
  if (inet_pton (family, fields[2], header->source) != 1
      || inet_pton (family, fields[3], header->destination) != 1)
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED,
                    _("an address does not match the protocol"));
  if (!parse_port (fields[4], &header->source_port)
      || !parse_port (fields[5], &header->destination_port))
    return invalid (error, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE, _("a port is not 0 to 65535"));
  if (!fill_host (header))
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("unreadable source address"));
  return FERRY_PROXY_HEADER_COMPLETE;
}

static FerryProxyHeaderStatus
parse_v1 (const guint8      *data,
          gsize              length,
          gsize             *wanted,
          FerryProxyHeader  *header,
          GError           **error)
{
  g_autofree char *line = NULL;

  /* Read one byte at a time: the line's end is not known before its CR LF. */
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        {
          if (i == 0 || data[i - 1] != '\r')
            return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("a bare line feed"));
          header->version = 1;
          header->length = i + 1;
          line = g_strndup ((const char *) data, i - 1);
          return parse_v1_line (line, header, error);
        }
      if (data[i] == '\r' && i + 1 < length && data[i + 1] != '\n')
        return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("a bare carriage return"));
      if (data[i] != '\r' && (data[i] < 0x20 || data[i] > 0x7e))
        return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("a control character"));
    }
  if (length >= FERRY_PROXY_V1_MAX)
    return invalid (error, FERRY_PROTOCOL_ERROR_LINE_TOO_LONG,
                    _("no line end within 107 bytes"));
  *wanted = 1;
  return FERRY_PROXY_HEADER_MORE;
}

static FerryProxyHeaderStatus
parse_v2 (const guint8      *data,
          gsize              length,
          gsize             *wanted,
          FerryProxyHeader  *header,
          GError           **error)
{
  guint version = data[12] >> 4;
  guint command = data[12] & 0x0f;
  guint block_length = ((guint) data[14] << 8) | data[15];
  guint family = data[13];

  if (version != 2)
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("the version is not 2"));
  if (command > 1)
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED,
                    _("the command is neither LOCAL nor PROXY"));
  if (block_length > FERRY_PROXY_V2_BLOCK_MAX)
    return invalid (error, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE, _("the address block is too long"));
  if (length < 16 + (gsize) block_length)
    {
      *wanted = 16 + block_length - length;
      return FERRY_PROXY_HEADER_MORE;
    }

  header->version = 2;
  header->length = 16 + block_length;
  header->family = FERRY_PROXY_LOCAL;
  if (command == 0 || family == 0x00)   /* LOCAL (health checks), or UNSPEC */
    return FERRY_PROXY_HEADER_COMPLETE;

  if (family == 0x11)   /* TCP over IPv4 */
    {
      if (block_length < 12)
        return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("the address block is too short"));
      header->family = FERRY_PROXY_INET;
      memcpy (header->source, data + 16, 4);
      memcpy (header->destination, data + 20, 4);
      header->source_port = (guint16) ((data[24] << 8) | data[25]);
      header->destination_port = (guint16) ((data[26] << 8) | data[27]);
    }
  else if (family == 0x21)   /* TCP over IPv6 */
    {
      if (block_length < 36)
        return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("the address block is too short"));
      header->family = FERRY_PROXY_INET6;
      memcpy (header->source, data + 16, 16);
      memcpy (header->destination, data + 32, 16);
      header->source_port = (guint16) ((data[48] << 8) | data[49]);
      header->destination_port = (guint16) ((data[50] << 8) | data[51]);
    }
  else
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED,
                    _("the proxied connection is not TCP over IPv4 or IPv6"));
  if (!fill_host (header))
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("unreadable source address"));
  return FERRY_PROXY_HEADER_COMPLETE;
}

FerryProxyHeaderStatus
ferry_proxy_header_parse (const guint8      *data,
                          gsize              length,
                          gsize             *wanted,
                          FerryProxyHeader  *header,
                          GError           **error)
{
  gsize prefix;

  g_return_val_if_fail (data != NULL || length == 0, FERRY_PROXY_HEADER_INVALID);
  g_return_val_if_fail (wanted != NULL && header != NULL, FERRY_PROXY_HEADER_INVALID);

  memset (header, 0, sizeof *header);
  *wanted = 0;
  if (length == 0)
    {
      *wanted = 1;
      return FERRY_PROXY_HEADER_MORE;
    }

  if (data[0] == v2_signature[0])
    {
      prefix = MIN (length, sizeof v2_signature);
      if (memcmp (data, v2_signature, prefix) != 0)
        return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED, _("a wrong v2 signature"));
      if (length < 16)
        {
          *wanted = 16 - length;
          return FERRY_PROXY_HEADER_MORE;
        }
      return parse_v2 (data, length, wanted, header, error);
    }

  prefix = MIN (length, sizeof v1_prefix - 1);
  if (memcmp (data, v1_prefix, prefix) != 0)
    return invalid (error, FERRY_PROTOCOL_ERROR_MALFORMED,
                    _("the connection does not start with one"));
  return parse_v1 (data, MIN (length, FERRY_PROXY_V1_MAX), wanted, header, error);
}
