// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-url.c — what a person types to name a server, split by GLib's g_uri_split. */
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

/* What GLib's relaxed parsing would rewrite instead of keeping: whitespace inside the text
 * (dropped, or turned into %20) and ';' (taken as the start of the path). Escaped here, they
 * decode back to what the person typed. */
static char *
escape_for_split (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == ';')
      g_string_append_printf (out, "%%%02X", (guchar) *p);
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The "host[:port]" of text, for saying what is wrong with it. */
static char *
host_port_of (const char *text)
{
  const char *start = strstr (text, "://") != NULL ? strstr (text, "://") + 3 : text;
  gsize len = strcspn (start, "/?#");
  const char *at = g_strrstr_len (start, (gssize) len, "@");

  if (at != NULL)
    {
      len -= (gsize) (at + 1 - start);
      start = at + 1;
    }
  return g_strndup (start, len);
}

/* Why GLib refused the text, in the words of the forms ferry-url.h lists. */
static const char *
split_failure (const char *text, const GError *error)
{
  g_autofree char *host_port = host_port_of (text);
  const char *close = strchr (host_port, ']');

  if (host_port[0] == '[' && close == NULL)
    return _("the IPv6 address lacks its closing “]”");
  if (host_port[0] == '[' && close[1] != '\0' && close[1] != ':')
    return _("unexpected text after the IPv6 address");
  if (host_port[0] == '[' && g_error_matches (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST))
    return _("the text in brackets is not an IPv6 address");
  if (host_port[0] != '[' && strchr (host_port, ':') != strrchr (host_port, ':'))
    return _("write IPv6 addresses in brackets, as in [::1]:21");
  if (g_error_matches (error, G_URI_ERROR, G_URI_ERROR_BAD_PORT))
    return _("the port must be a number from 1 to 65535");
  return error->message;
}

static gboolean
set_tls_mode (FerryUrl *url, const char *scheme)
{
  if (g_strcmp0 (scheme, "ftp") == 0)
    url->tls_mode = FERRY_TLS_MODE_NONE;
  else if (g_strcmp0 (scheme, "ftps") == 0 || g_strcmp0 (scheme, "ftpes") == 0)
    url->tls_mode = FERRY_TLS_MODE_EXPLICIT;
  else if (g_strcmp0 (scheme, "ftps-implicit") == 0)
    {
      url->tls_mode = FERRY_TLS_MODE_IMPLICIT;
      url->port = FERRY_URL_DEFAULT_IMPLICIT_PORT;
    }
  else
    return FALSE;
  return TRUE;
}

/* Percent-decodes a part g_uri_split left encoded; NULL on a bad escape or a NUL byte. */
static char *
decode (const char *part)
{
  return part != NULL ? g_uri_unescape_string (part, "") : NULL;
}

/* The host as GLib split it: an IPv6 literal without its brackets (GLib has turned the %25
 * before a zone index, as in [fe80::1%25eth0], into '%'), or a name still to decode. */
static char *
decode_host (const char *host)
{
  if (strchr (host, ':') != NULL)
    return g_hostname_is_ip_address (host) ? g_strdup (host) : NULL;
  return decode (host);
}

FerryUrl *
ferry_url_parse (const char *text, GError **error)
{
  g_autoptr(FerryUrl) url = g_new0 (FerryUrl, 1);
  g_autoptr(GError) split_error = NULL;
  g_autofree char *trimmed = NULL, *escaped = NULL, *host_port = NULL;
  g_autofree char *scheme = NULL, *user = NULL, *password = NULL, *host = NULL;
  g_autofree char *path = NULL, *query = NULL, *fragment = NULL;
  gint port = -1;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return invalid (error, text, _("it is empty"));

  /* ENCODED: the parts are decoded below, refusing bad escapes and NUL bytes. RELAXED: the
   * last '@' before the path ends the user info, so a password may hold a plain '@'.
   * NON_DNS: a host name is kept as typed (no IDNA). */
  escaped = escape_for_split (trimmed);
  if (strstr (escaped, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("ftp://", escaped, NULL);

      g_free (escaped);
      escaped = with_scheme;
    }
  if (!g_uri_split_with_user (escaped, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED
                              | G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_NON_DNS,
                              &scheme, &user, &password, NULL, &host, &port, &path, &query,
                              &fragment, &split_error))
    return invalid (error, text, split_failure (escaped, split_error));

  url->port = FERRY_URL_DEFAULT_PORT;
  if (!set_tls_mode (url, scheme))
    return invalid (error, text, _("only ftp://, ftps:// and ftps-implicit:// are understood"));
  if ((query != NULL || fragment != NULL) && (path == NULL || path[0] == '\0'))
    return invalid (error, text, _("queries and fragments have no meaning for FTP"));
  if (query != NULL || fragment != NULL)
    /* xgettext:no-c-format */
    return invalid (error, text, _("queries and fragments have no meaning for FTP "
                                   "(write “?” and “#” in names as %3F and %23)"));

  if (user != NULL && (url->user = decode (user)) == NULL)
    return invalid (error, text, _("the user name has a bad percent-escape"));
  if (password != NULL && (url->password = decode (password)) == NULL)
    return invalid (error, text, _("the password has a bad percent-escape"));
  if (url->user != NULL && url->user[0] == '\0')
    g_clear_pointer (&url->user, g_free);

  /* GLib takes "host:" for the default port; an empty port is a mistake here, as 0 is. */
  host_port = host_port_of (escaped);
  if (port == 0 || g_str_has_suffix (host_port, ":"))
    return invalid (error, text, _("the port must be a number from 1 to 65535"));
  if (port > 0)
    url->port = (guint16) port;

  if (host == NULL || host[0] == '\0')
    return invalid (error, text, _("the host name is missing"));
  if ((url->host = decode_host (host)) == NULL)
    return invalid (error, text, strchr (host, ':') != NULL
                                 ? _("the text in brackets is not an IPv6 address")
                                 : _("the host name has a bad percent-escape"));
  for (const char *p = url->host; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '/' || *p == '@')
      return invalid (error, text, _("the host name contains characters a host name cannot have"));

  if (path != NULL && path[0] != '\0' && (url->path = decode (path)) == NULL)
    return invalid (error, text, _("the path has a bad percent-escape"));

  return g_steal_pointer (&url);
}

char *
ferry_url_format_address (const char *host,
                          guint16     port,
                          guint16     default_port)
{
  GString *out = g_string_new (NULL);
  const char *zone = strchr (host, '%');

  if (strchr (host, ':') == NULL)
    g_string_append (out, host);
  else if (zone == NULL)
    g_string_append_printf (out, "[%s]", host);
  else   /* RFC 6874: a zone's '%' is "%25" */
    g_string_append_printf (out, "[%.*s%%25%s]", (int) (zone - host), host, zone + 1);
  if (port != default_port)
    g_string_append_printf (out, ":%u", port);
  return g_string_free (out, FALSE);
}

char *
ferry_url_to_string (const FerryUrl *url)
{
  GString *out = g_string_new (NULL);
  g_autofree char *address = NULL;
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

  address = ferry_url_format_address (url->host, url->port, default_port);
  g_string_append (out, address);

  if (url->path != NULL)
    g_string_append_uri_escaped (out, url->path, "/!$&'()*+,;=:@", FALSE);
  else
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}
