// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-error.h"
#include "ferry-url.h"

/* Registered by hand: G_DEFINE_BOXED_TYPE trips -Wpedantic (transparent union cast). */
GType
ferry_url_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_boxed_type_register_static (g_intern_static_string ("FerryUrl"),
                                                 (GBoxedCopyFunc) ferry_url_copy,
                                                 (GBoxedFreeFunc) ferry_url_free);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

void
ferry_url_free (FerryUrl *url)
{
  if (url == NULL)
    return;
  g_free (url->host);
  g_free (url->user);
  if (url->password != NULL)
    memset (url->password, 0, strlen (url->password));
  g_free (url->password);
  g_free (url->path);
  g_free (url);
}

FerryUrl *
ferry_url_copy (const FerryUrl *url)
{
  FerryUrl *copy = g_new0 (FerryUrl, 1);

  copy->tls_mode = url->tls_mode;
  copy->host = g_strdup (url->host);
  copy->port = url->port;
  copy->user = g_strdup (url->user);
  copy->password = g_strdup (url->password);
  copy->path = g_strdup (url->path);
  return copy;
}

static FerryUrl *
invalid (GError **error, const char *text, const char *why)
{
  g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_INVALID_URL,
               _("“%s” is not a server address: %s"), text, why);
  return NULL;
}

/* Percent-decodes [start, start+len); refuses bad escapes and NUL bytes. */
static char *
decode (const char *start, gsize len)
{
  g_autofree char *part = g_strndup (start, len);

  return g_uri_unescape_string (part, "");
}

static gboolean
parse_port (const char *text, guint16 *port)
{
  guint64 value = 0;

  if (text[0] == '\0' || !g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

FerryUrl *
ferry_url_parse (const char *text, GError **error)
{
  g_autoptr(FerryUrl) url = g_new0 (FerryUrl, 1);
  g_autofree char *trimmed = NULL;
  const char *rest;
  const char *authority_end;
  const char *host_start;
  const char *at;
  g_autofree char *host_port = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return invalid (error, text, _("it is empty"));

  url->tls_mode = FERRY_TLS_MODE_NONE;
  url->port = FERRY_URL_DEFAULT_PORT;
  rest = trimmed;

  if (strstr (rest, "://") != NULL)
    {
      const char *sep = strstr (rest, "://");
      g_autofree char *scheme = g_ascii_strdown (rest, sep - rest);

      if (g_str_equal (scheme, "ftp"))
        url->tls_mode = FERRY_TLS_MODE_NONE;
      else if (g_str_equal (scheme, "ftps") || g_str_equal (scheme, "ftpes"))
        url->tls_mode = FERRY_TLS_MODE_EXPLICIT;
      else if (g_str_equal (scheme, "ftps-implicit"))
        {
          url->tls_mode = FERRY_TLS_MODE_IMPLICIT;
          url->port = FERRY_URL_DEFAULT_IMPLICIT_PORT;
        }
      else
        return invalid (error, text, _("only ftp://, ftps:// and ftps-implicit:// are understood"));
      rest = sep + 3;
    }

  authority_end = rest + strcspn (rest, "/?#");
  if (*authority_end == '?' || *authority_end == '#')
    return invalid (error, text, _("queries and fragments have no meaning for FTP"));

  /* The last '@' before the path separates user info: passwords may contain '@'. */
  at = NULL;
  for (const char *p = rest; p < authority_end; p++)
    if (*p == '@')
      at = p;

  if (at != NULL)
    {
      const char *colon = memchr (rest, ':', at - rest);

      if (colon != NULL)
        {
          url->user = decode (rest, colon - rest);
          url->password = decode (colon + 1, at - colon - 1);
          if (url->password == NULL)
            return invalid (error, text, _("the password has a bad percent-escape"));
        }
      else
        url->user = decode (rest, at - rest);
      if (url->user == NULL)
        return invalid (error, text, _("the user name has a bad percent-escape"));
      if (url->user[0] == '\0')
        g_clear_pointer (&url->user, g_free);
      host_start = at + 1;
    }
  else
    host_start = rest;

  host_port = g_strndup (host_start, authority_end - host_start);

  if (host_port[0] == '[')
    {
      char *close = strchr (host_port, ']');

      if (close == NULL)
        return invalid (error, text, _("the IPv6 address lacks its closing “]”"));
      url->host = g_strndup (host_port + 1, close - host_port - 1);
      if (!g_hostname_is_ip_address (url->host) || strchr (url->host, ':') == NULL)
        return invalid (error, text, _("the text in brackets is not an IPv6 address"));
      if (close[1] == ':')
        {
          if (!parse_port (close + 2, &url->port))
            return invalid (error, text, _("the port must be a number from 1 to 65535"));
        }
      else if (close[1] != '\0')
        return invalid (error, text, _("unexpected text after the IPv6 address"));
    }
  else
    {
      char *colon = strchr (host_port, ':');

      if (colon != NULL)
        {
          if (strchr (colon + 1, ':') != NULL)
            return invalid (error, text, _("write IPv6 addresses in brackets, as in [::1]:21"));
          if (!parse_port (colon + 1, &url->port))
            return invalid (error, text, _("the port must be a number from 1 to 65535"));
          *colon = '\0';
        }
      url->host = g_uri_unescape_string (host_port, "");
      if (url->host == NULL)
        return invalid (error, text, _("the host name has a bad percent-escape"));
    }

  if (url->host[0] == '\0')
    return invalid (error, text, _("the host name is missing"));
  for (const char *p = url->host; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '/' || *p == '@')
      return invalid (error, text, _("the host name contains characters a host name cannot have"));

  if (*authority_end == '/')
    {
      if (strpbrk (authority_end, "?#") != NULL)
        /* xgettext:no-c-format */
        return invalid (error, text, _("queries and fragments have no meaning for FTP "
                                       "(write “?” and “#” in names as %3F and %23)"));
      url->path = g_uri_unescape_string (authority_end, "");
      if (url->path == NULL)
        return invalid (error, text, _("the path has a bad percent-escape"));
    }

  return g_steal_pointer (&url);
}

char *
ferry_url_to_string (const FerryUrl *url)
{
  GString *out = g_string_new (NULL);
  guint16 default_port = FERRY_URL_DEFAULT_PORT;

  switch (url->tls_mode)
    {
    case FERRY_TLS_MODE_EXPLICIT:
      g_string_append (out, "ftps://");
      break;
    case FERRY_TLS_MODE_IMPLICIT:
      g_string_append (out, "ftps-implicit://");
      default_port = FERRY_URL_DEFAULT_IMPLICIT_PORT;
      break;
    case FERRY_TLS_MODE_NONE:
    default:
      g_string_append (out, "ftp://");
      break;
    }

  if (url->user != NULL)
    {
      g_string_append_uri_escaped (out, url->user,
                                   G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS, FALSE);
      g_string_append_c (out, '@');
    }

  if (strchr (url->host, ':') != NULL)
    g_string_append_printf (out, "[%s]", url->host);
  else
    g_string_append (out, url->host);

  if (url->port != default_port)
    g_string_append_printf (out, ":%u", url->port);

  if (url->path != NULL)
    g_string_append_uri_escaped (out, url->path, "/!$&'()*+,;=:@", FALSE);
  else
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}
