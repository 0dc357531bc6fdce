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
  config->idle_timeout = FERRYD_DEFAULT_IDLE_TIMEOUT;
  config->data_timeout = FERRYD_DEFAULT_DATA_TIMEOUT;
  config->hash_max_size = FERRYD_DEFAULT_HASH_MAX_SIZE;
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
  copy->name = g_strdup (config->name);

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
  g_free (config->name);
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
                             : _("%s: “%s” must be an IP address like 192.168.1.10 or ::1, not “%s”"),
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

/* One key of FERRYD_CONFIG_GROUP: checks value and stores it in config. */
static gboolean
apply_key (FerrydConfig  *config,
           const char    *key,
           const char    *value,
           const char    *origin,
           GError       **error)
{
  guint64 number;

  if (g_str_equal (key, "root"))
    set_string (&config->root, value);
  else if (g_str_equal (key, "bind"))
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
  else if (g_str_equal (key, "write"))
    return parse_boolean (value, &config->write_enabled, key, origin, error);
  else if (g_str_equal (key, "anonymous"))
    return parse_boolean (value, &config->anonymous_enabled, key, origin, error);
  else if (g_str_equal (key, "show-hidden"))
    return parse_boolean (value, &config->show_hidden, key, origin, error);
  else if (g_str_equal (key, "require-tls"))
    return parse_boolean (value, &config->require_tls, key, origin, error);
  else if (g_str_equal (key, "verbose"))
    return parse_boolean (value, &config->verbose, key, origin, error);
  else if (g_str_equal (key, "status-fd"))
    {
      if (!parse_unsigned (value, 3, 65535, &number, key, origin, error))
        return FALSE;
      config->status_fd = (int) number;
    }
  else if (g_str_equal (key, "announce"))
    return parse_boolean (value, &config->announce, key, origin, error);
  else if (g_str_equal (key, "name"))
    {
      /* One DNS label: at most 63 bytes of UTF-8 (RFC 6763 §4.1.1). */
      if (strlen (value) > 63 || !g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                       _("%s: “name” must be at most 63 bytes of UTF-8, not “%s”"),
                       origin, value);
          return FALSE;
        }
      set_string (&config->name, value);
    }
  else if (g_str_equal (key, "users"))
    set_string (&config->users_file, value);
  else if (g_str_equal (key, "tls-cert"))
    set_string (&config->tls_cert_file, value);
  else if (g_str_equal (key, "tls-key"))
    set_string (&config->tls_key_file, value);
  else if (g_str_equal (key, "run-as"))
    set_string (&config->run_as, value);
  else if (g_str_equal (key, "max-clients"))
    {
      if (!parse_unsigned (value, 1, 100000, &number, key, origin, error))
        return FALSE;
      config->max_clients = number;
    }
  else if (g_str_equal (key, "max-per-ip"))
    {
      if (!parse_unsigned (value, 1, 100000, &number, key, origin, error))
        return FALSE;
      config->max_per_ip = number;
    }
  else if (g_str_equal (key, "idle-timeout"))
    {
      if (!parse_unsigned (value, 1, 86400, &number, key, origin, error))
        return FALSE;
      config->idle_timeout = number;
    }
  else if (g_str_equal (key, "data-timeout"))
    {
      if (!parse_unsigned (value, 1, 86400, &number, key, origin, error))
        return FALSE;
      config->data_timeout = number;
    }
  else if (g_str_equal (key, "hash-max-size"))
    {
      if (!parse_unsigned (value, 0, G_MAXINT64, &number, key, origin, error))
        return FALSE;
      config->hash_max_size = number;
    }
  else if (g_str_equal (key, "passive-ports"))
    {
      if (*value == '\0')
        config->passive_port_min = config->passive_port_max = 0;
      else if (!parse_port_range (value, &config->passive_port_min,
                                  &config->passive_port_max, origin, error))
        return FALSE;
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

  if (config->status_fd >= 0 && !ferryd_status_prepare (config->status_fd, error))
    return FALSE;

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

  put_string (key_file, "root", config->root);
  put_string (key_file, "bind", config->bind_address);
  g_key_file_set_uint64 (key_file, group, "port", config->port);
  g_key_file_set_boolean (key_file, group, "write", config->write_enabled);
  g_key_file_set_boolean (key_file, group, "anonymous", config->anonymous_enabled);
  g_key_file_set_boolean (key_file, group, "show-hidden", config->show_hidden);
  g_key_file_set_boolean (key_file, group, "require-tls", config->require_tls);
  g_key_file_set_boolean (key_file, group, "verbose", config->verbose);
  put_string (key_file, "users", config->users_file);
  put_string (key_file, "tls-cert", config->tls_cert_file);
  put_string (key_file, "tls-key", config->tls_key_file);
  put_string (key_file, "run-as", config->run_as);
  g_key_file_set_uint64 (key_file, group, "max-clients", config->max_clients);
  g_key_file_set_uint64 (key_file, group, "max-per-ip", config->max_per_ip);
  g_key_file_set_uint64 (key_file, group, "idle-timeout", config->idle_timeout);
  g_key_file_set_uint64 (key_file, group, "data-timeout", config->data_timeout);
  g_key_file_set_uint64 (key_file, group, "hash-max-size", config->hash_max_size);
  if (config->passive_port_min != 0)
    {
      g_autofree char *range = g_strdup_printf ("%u-%u", config->passive_port_min,
                                                config->passive_port_max);
      put_string (key_file, "passive-ports", range);
    }
  put_string (key_file, "passive-address", config->passive_address);
  g_key_file_set_boolean (key_file, group, "announce", config->announce);
  put_string (key_file, "name", config->name);
  if (config->status_fd >= 0)
    g_key_file_set_int64 (key_file, group, "status-fd", config->status_fd);

  return key_file;
}
