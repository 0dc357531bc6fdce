// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-config.c — ferryd's settings: defaults, key files, and checks on the values. */
#define G_LOG_DOMAIN "ferryd"

#include <inttypes.h>
#include "ferry-config.h"

#include <arpa/inet.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ferryd-config.h"
#include "ferryd-proxy.h"
#include "ferryd-status.h"

G_DEFINE_QUARK (ferryd-config-error-quark, ferryd_config_error)

FerrydConfig *
ferryd_config_new_defaults (void)
{
  FerrydConfig *config = g_new0 (FerrydConfig, 1);

  config->port = FERRYD_DEFAULT_PORT;
  config->anonymous_enabled = TRUE;
  config->max_clients = FERRYD_DEFAULT_MAX_CLIENTS;
  config->max_per_ip = FERRYD_DEFAULT_MAX_PER_IP;
  config->max_login_failures = FERRYD_DEFAULT_BAN_FAILURES;
  config->ban_window = FERRYD_DEFAULT_BAN_WINDOW;
  config->ban_time = FERRYD_DEFAULT_BAN_TIME;
  config->idle_timeout = FERRYD_DEFAULT_IDLE_TIMEOUT;
  config->data_timeout = FERRYD_DEFAULT_DATA_TIMEOUT;
  config->hash_max_size = FERRYD_DEFAULT_HASH_MAX_SIZE;
  config->bulk_after = FERRYD_DEFAULT_BULK_AFTER;
  config->tls_min_version = FERRYD_DEFAULT_TLS_MIN_VERSION;
  config->announce = TRUE;
  config->status_fd = -1;

  return config;
}

FerrydConfig *
ferryd_config_copy (const FerrydConfig *config)
{
  FerrydConfig *copy = g_memdup2 (config, sizeof *config);

  copy->root = g_strdup (config->root);
  copy->bind_address = g_strdup (config->bind_address);
  copy->users_file = g_strdup (config->users_file);
  copy->tls_cert_file = g_strdup (config->tls_cert_file);
  copy->tls_key_file = g_strdup (config->tls_key_file);
  copy->config_file = g_strdup (config->config_file);
  copy->run_as = g_strdup (config->run_as);
  copy->passive_address = g_strdup (config->passive_address);
  copy->proxy_from = g_strdup (config->proxy_from);
  copy->name = g_strdup (config->name);
  copy->xferlog_file = g_strdup (config->xferlog_file);

  return copy;
}

void
ferryd_config_free (FerrydConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->root);
  g_free (config->bind_address);
  g_free (config->users_file);
  g_free (config->tls_cert_file);
  g_free (config->tls_key_file);
  g_free (config->config_file);
  g_free (config->run_as);
  g_free (config->passive_address);
  g_free (config->proxy_from);
  g_free (config->name);
  g_free (config->xferlog_file);
  g_free (config);
}

static gboolean
parse_unsigned (const char  *text,
                guint64      min,
                guint64      max,
                guint64     *out,
                const char  *key,
                const char  *origin,
                GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("%s: “%s” must be a whole number from %" PRIu64
                     " to %" PRIu64 ", not “%s”"),
                   origin, key, min, max, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_boolean (const char  *text,
               gboolean    *out,
               const char  *key,
               const char  *origin,
               GError     **error)
{
  if (g_str_equal (text, "true") || g_str_equal (text, "1") || g_str_equal (text, "yes"))
    *out = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0") || g_str_equal (text, "no"))
    *out = FALSE;
  else
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("%s: “%s” must be true or false, not “%s”"), origin, key, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_port_range (const char  *text,
                  guint16     *min,
                  guint16     *max,
                  const char  *origin,
                  GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, "-", 3);
  guint64 low, high;

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1024, 65535, &low, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1024, 65535, &high, NULL)
      || low > high)
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("%s: “passive-ports” must be a range like 50000-50100 within 1024-65535, "
                     "not “%s”"), origin, text);
      return FALSE;
    }
  *min = low;
  *max = high;
  return TRUE;
}

static gboolean
check_address (const char  *text,
               gboolean     ipv4_only,
               const char  *key,
               const char  *origin,
               GError     **error)
{
  /* inet_pton rather than GInetAddress: session processes read this configuration too, and
   * must not set up GIO's type system while they wait for a client. */
  struct in6_addr address;

  if (inet_pton (AF_INET, text, &address) != 1
      && (ipv4_only || inet_pton (AF_INET6, text, &address) != 1))
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   ipv4_only ? _("%s: “%s” must be an IPv4 address like 192.168.1.10, not “%s”")
                             : _("%s: “%s” must be an IP address like 192.168.1.10 or ::1, "
                                 "not “%s”"),
                   origin, key, text);
      return FALSE;
    }
  return TRUE;
}

static void
set_string (char       **field,
            const char  *value)
{
  g_free (*field);
  *field = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

/* The announced name: one DNS label, at most 63 bytes of UTF-8 (RFC 6763 §4.1.1). */
static gboolean
check_service_name (const char  *value,
                    const char  *origin,
                    GError     **error)
{
  if (strlen (value) <= 63 && g_utf8_validate (value, -1, NULL))
    return TRUE;
  g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
               _("%s: “name” must be at most 63 bytes of UTF-8, not “%s”"),
               origin, value);
  return FALSE;
}

/* "1.0" … "1.3" → 10 … 13. */
static gboolean
parse_tls_version (const char  *value,
                   guint       *out,
                   const char  *key,
                   const char  *origin,
                   GError     **error)
{
  static const char * const versions[] = { "1.0", "1.1", "1.2", "1.3" };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    if (g_str_equal (value, versions[i]))
      {
        *out = 10 + i;
        return TRUE;
      }
  g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
               _("%s: “%s” must be 1.0, 1.1, 1.2 or 1.3, not “%s”"), origin, key, value);
  return FALSE;
}

/* The settings whose value needs no check beyond its type: one table for reading them and
 * for writing them back (ferryd_config_to_key_file). */
typedef enum {
  KEY_TEXT,      /* char *: a path or a user name; empty means none */
  KEY_BOOLEAN,   /* gboolean */
  KEY_COUNT,     /* guint, from min to max */
  KEY_BYTES,     /* guint64, from min to max */
} PlainKeyKind;

typedef struct {
  const char   *key;
  PlainKeyKind  kind;
  glong         offset;     /* of the field in FerrydConfig */
  guint64       min, max;   /* KEY_COUNT, KEY_BYTES */
} PlainKey;

#define FIELD(name) G_STRUCT_OFFSET (FerrydConfig, name)

static const PlainKey plain_keys[] = {
  { "root",           KEY_TEXT,    FIELD (root) },
  { "users",          KEY_TEXT,    FIELD (users_file) },
  { "tls-cert",       KEY_TEXT,    FIELD (tls_cert_file) },
  { "tls-key",        KEY_TEXT,    FIELD (tls_key_file) },
  { "run-as",         KEY_TEXT,    FIELD (run_as) },
  { "xferlog",        KEY_TEXT,    FIELD (xferlog_file) },
  { "write",          KEY_BOOLEAN, FIELD (write_enabled) },
  { "anonymous",      KEY_BOOLEAN, FIELD (anonymous_enabled) },
  { "show-hidden",    KEY_BOOLEAN, FIELD (show_hidden) },
  { "require-tls",    KEY_BOOLEAN, FIELD (require_tls) },
  { "tls-allow-no-reuse", KEY_BOOLEAN, FIELD (tls_allow_no_reuse) },
  { "verbose",        KEY_BOOLEAN, FIELD (verbose) },
  { "proxy-protocol", KEY_BOOLEAN, FIELD (proxy_protocol) },
  { "announce",       KEY_BOOLEAN, FIELD (announce) },
  { "max-clients",    KEY_COUNT,   FIELD (max_clients),  1, 100000 },
  { "max-per-ip",     KEY_COUNT,   FIELD (max_per_ip),   1, 100000 },
  { "idle-timeout",   KEY_COUNT,   FIELD (idle_timeout), 1, 86400 },
  { "max-login-failures", KEY_COUNT, FIELD (max_login_failures), 0, 100000 },
  { "ban-window",     KEY_COUNT,   FIELD (ban_window),   1, 7 * 86400 },
  { "ban-time",       KEY_COUNT,   FIELD (ban_time),     1, 7 * 86400 },
  { "data-timeout",   KEY_COUNT,   FIELD (data_timeout), 1, 86400 },
  { "hash-max-size",  KEY_BYTES,   FIELD (hash_max_size), 0, G_MAXINT64 },
  { "bulk-after",     KEY_COUNT,   FIELD (bulk_after),   0, 1024 * 1024 },
};

static gboolean
apply_plain_key (FerrydConfig    *config,
                 const PlainKey  *key,
                 const char      *value,
                 const char      *origin,
                 GError         **error)
{
  gpointer field = G_STRUCT_MEMBER_P (config, key->offset);
  guint64 number;

  switch (key->kind)
    {
    case KEY_TEXT:
      set_string (field, value);
      return TRUE;
    case KEY_BOOLEAN:
      return parse_boolean (value, field, key->key, origin, error);
    case KEY_COUNT:
      if (!parse_unsigned (value, key->min, key->max, &number, key->key, origin, error))
        return FALSE;
      *(guint *) field = (guint) number;
      return TRUE;
    case KEY_BYTES:
      return parse_unsigned (value, key->min, key->max, field, key->key, origin, error);
    default:
      g_assert_not_reached ();
    }
}

static void
put_plain_key (GKeyFile           *key_file,
               const FerrydConfig *config,
               const PlainKey     *key)
{
  gconstpointer field = G_STRUCT_MEMBER_P (config, key->offset);

  switch (key->kind)
    {
    case KEY_TEXT:
      if (*(char * const *) field != NULL)
        g_key_file_set_string (key_file, FERRYD_CONFIG_GROUP, key->key, *(char * const *) field);
      break;
    case KEY_BOOLEAN:
      g_key_file_set_boolean (key_file, FERRYD_CONFIG_GROUP, key->key, *(const gboolean *) field);
      break;
    case KEY_COUNT:
      g_key_file_set_uint64 (key_file, FERRYD_CONFIG_GROUP, key->key, *(const guint *) field);
      break;
    case KEY_BYTES:
      g_key_file_set_uint64 (key_file, FERRYD_CONFIG_GROUP, key->key, *(const guint64 *) field);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* One key of FERRYD_CONFIG_GROUP: checks value and stores it in config. */
static gboolean
apply_key (FerrydConfig  *config,
           const char    *key,
           const char    *value,
           const char    *origin,
           GError       **error)
{
  guint64 number;

  for (gsize i = 0; i < G_N_ELEMENTS (plain_keys); i++)
    if (g_str_equal (key, plain_keys[i].key))
      return apply_plain_key (config, &plain_keys[i], value, origin, error);

  if (g_str_equal (key, "bind"))
    {
      if (*value != '\0' && !check_address (value, FALSE, key, origin, error))
        return FALSE;
      set_string (&config->bind_address, value);
    }
  else if (g_str_equal (key, "port"))
    {
      if (!parse_unsigned (value, 0, 65535, &number, key, origin, error))
        return FALSE;
      config->port = number;
    }
  else if (g_str_equal (key, "status-fd"))
    {
      if (!parse_unsigned (value, 3, 65535, &number, key, origin, error))
        return FALSE;
      config->status_fd = (int) number;
    }
  else if (g_str_equal (key, "name"))
    {
      if (!check_service_name (value, origin, error))
        return FALSE;
      set_string (&config->name, value);
    }
  else if (g_str_equal (key, "tls-min-version"))
    return parse_tls_version (value, &config->tls_min_version, key, origin, error);
  else if (g_str_equal (key, "passive-ports"))
    {
      if (*value == '\0')
        config->passive_port_min = config->passive_port_max = 0;
      else if (!parse_port_range (value, &config->passive_port_min,
                                  &config->passive_port_max, origin, error))
        return FALSE;
    }
  else if (g_str_equal (key, "proxy-from"))
    {
      g_autoptr(GArray) nets = ferryd_proxy_from_parse (value, error);

      if (nets == NULL)
        {
          g_prefix_error (error, "%s: “%s”: ", origin, key);
          return FALSE;
        }
      set_string (&config->proxy_from, value);
    }
  else if (g_str_equal (key, "passive-address"))
    {
      if (*value != '\0' && !check_address (value, TRUE, key, origin, error))
        return FALSE;
      set_string (&config->passive_address, value);
    }
  else
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("%s: unknown setting “%s” in [%s]"), origin, key, FERRYD_CONFIG_GROUP);
      return FALSE;
    }
  return TRUE;
}

gboolean
ferryd_config_apply_key_file (FerrydConfig  *config,
                              GKeyFile      *key_file,
                              const char    *origin,
                              GError       **error)
{
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (key_file != NULL, FALSE);

  if (!g_key_file_has_group (key_file, FERRYD_CONFIG_GROUP))
    return TRUE;

  keys = g_key_file_get_keys (key_file, FERRYD_CONFIG_GROUP, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_string (key_file, FERRYD_CONFIG_GROUP,
                                                      keys[i], error);
      if (value == NULL)
        {
          g_prefix_error (error, "%s: ", origin);
          return FALSE;
        }
      g_strstrip (value);
      if (!apply_key (config, keys[i], value, origin, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_readable (const char  *path,
                const char  *what,
                GError     **error)
{
  if (path != NULL && g_access (path, R_OK) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE,
                   _("cannot read the %s “%s”: %s"), what, path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
ferryd_config_resolve (FerrydConfig  *config,
                       GError       **error)
{
  g_autofree char *wanted = NULL;
  char *canonical;

  g_return_val_if_fail (config != NULL, FALSE);

  wanted = config->root != NULL ? g_strdup (config->root) : g_get_current_dir ();
  canonical = realpath (wanted, NULL);
  if (canonical == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_ROOT,
                   _("cannot serve “%s”: %s"), wanted, g_strerror (saved_errno));
      return FALSE;
    }
  g_free (config->root);
  config->root = g_strdup (canonical);
  free (canonical);

  if (!g_file_test (config->root, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_ROOT,
                   _("cannot serve “%s”: it is not a folder"), config->root);
      return FALSE;
    }

  if ((config->tls_cert_file == NULL) != (config->tls_key_file == NULL))
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("TLS needs both --tls-cert and --tls-key"));
      return FALSE;
    }
  if (config->require_tls && config->tls_cert_file == NULL)
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("--require-tls needs a certificate: give --tls-cert and --tls-key"));
      return FALSE;
    }

  if (config->proxy_protocol && (config->proxy_from == NULL || *config->proxy_from == '\0'))
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("--proxy-protocol needs the balancers’ addresses: give --proxy-from"));
      return FALSE;
    }

  if (config->status_fd >= 0 && !ferryd_status_prepare (config->status_fd, error))
    return FALSE;

  /* Absolute, so that messages name it in full and a reload finds the same file. */
  if (config->xferlog_file != NULL && !g_path_is_absolute (config->xferlog_file))
    {
      char *absolute = g_canonicalize_filename (config->xferlog_file, NULL);

      g_free (config->xferlog_file);
      config->xferlog_file = absolute;
    }

  return check_readable (config->tls_cert_file, _("TLS certificate"), error)
      && check_readable (config->tls_key_file, _("TLS key"), error)
      && check_readable (config->users_file, _("users file"), error);
}

static void
put_string (GKeyFile   *key_file,
            const char *key,
            const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, FERRYD_CONFIG_GROUP, key, value);
}

GKeyFile *
ferryd_config_to_key_file (const FerrydConfig *config)
{
  GKeyFile *key_file = g_key_file_new ();
  const char *group = FERRYD_CONFIG_GROUP;

  for (gsize i = 0; i < G_N_ELEMENTS (plain_keys); i++)
    put_plain_key (key_file, config, &plain_keys[i]);
  put_string (key_file, "bind", config->bind_address);
  g_key_file_set_uint64 (key_file, group, "port", config->port);
  {
    g_autofree char *version = g_strdup_printf ("1.%u", config->tls_min_version - 10);

    put_string (key_file, "tls-min-version", version);
  }
  if (config->passive_port_min != 0)
    {
      g_autofree char *range = g_strdup_printf ("%u-%u", config->passive_port_min,
                                                config->passive_port_max);
      put_string (key_file, "passive-ports", range);
    }
  put_string (key_file, "passive-address", config->passive_address);
  put_string (key_file, "proxy-from", config->proxy_from);
  put_string (key_file, "name", config->name);
  if (config->status_fd >= 0)
    g_key_file_set_int64 (key_file, group, "status-fd", config->status_fd);

  return key_file;
}
