// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ferry-trust-store.h"

struct _FerryTrustStore
{
  GObject  parent_instance;
  char    *path;
};

G_DEFINE_FINAL_TYPE (FerryTrustStore, ferry_trust_store, G_TYPE_OBJECT)

static void
ferry_trust_store_finalize (GObject *object)
{
  FerryTrustStore *self = FERRY_TRUST_STORE (object);

  g_free (self->path);
  G_OBJECT_CLASS (ferry_trust_store_parent_class)->finalize (object);
}

static void
ferry_trust_store_class_init (FerryTrustStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_trust_store_finalize;
}

static void
ferry_trust_store_init (FerryTrustStore *self)
{
}

FerryTrustStore *
ferry_trust_store_new (const char *path)
{
  FerryTrustStore *self = g_object_new (FERRY_TYPE_TRUST_STORE, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_config_dir (), "ferry", "trusted-certificates", NULL);
  return self;
}

const char *
ferry_trust_store_get_path (FerryTrustStore *self)
{
  g_return_val_if_fail (FERRY_IS_TRUST_STORE (self), NULL);
  return self->path;
}

char *
ferry_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}

static char *
group_name (const char *host, guint16 port)
{
  return g_strdup_printf ("%s:%u", host, port);
}

char *
ferry_trust_store_name (const char *host, guint16 port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return group_name (host, port);
}

FerryTrustState
ferry_trust_store_lookup (FerryTrustStore  *self,
                          const char       *host,
                          guint16           port,
                          GTlsCertificate  *certificate,
                          char            **pinned_fingerprint)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *group = group_name (host, port);
  g_autofree char *stored = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (FERRY_IS_TRUST_STORE (self), FERRY_TRUST_UNKNOWN);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FERRY_TRUST_UNKNOWN);

  if (pinned_fingerprint != NULL)
    *pinned_fingerprint = NULL;
  if (!g_key_file_load_from_file (keyfile, self->path, G_KEY_FILE_NONE, NULL))
    return FERRY_TRUST_UNKNOWN;
  stored = g_key_file_get_string (keyfile, group, "sha256", NULL);
  if (stored == NULL)
    return FERRY_TRUST_UNKNOWN;
  fingerprint = ferry_certificate_fingerprint (certificate);
  if (g_ascii_strcasecmp (stored, fingerprint) == 0)
    return FERRY_TRUST_MATCHES;
  if (pinned_fingerprint != NULL)
    *pinned_fingerprint = g_ascii_strup (stored, -1);
  return FERRY_TRUST_CHANGED;
}

gboolean
ferry_trust_store_is_trusted (FerryTrustStore *self,
                              const char      *host,
                              guint16          port,
                              GTlsCertificate *certificate)
{
  return ferry_trust_store_lookup (self, host, port, certificate, NULL) == FERRY_TRUST_MATCHES;
}

static gboolean
write_keyfile (FerryTrustStore  *self,
               GKeyFile         *keyfile,
               GError          **error)
{
  g_autofree char *folder = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }
  data = g_key_file_to_data (keyfile, &len, NULL);
  return g_file_set_contents_full (self->path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
ferry_trust_store_forget (FerryTrustStore  *self,
                          const char       *host,
                          guint16           port,
                          GError          **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *group = group_name (host, port);
  g_autofree char *name = ferry_trust_store_name (host, port);

  g_return_val_if_fail (FERRY_IS_TRUST_STORE (self), FALSE);

  if (!g_key_file_load_from_file (keyfile, self->path, G_KEY_FILE_KEEP_COMMENTS, NULL)
      || !g_key_file_has_group (keyfile, group))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No certificate is remembered for %s (in %s)"), name, self->path);
      return FALSE;
    }
  g_key_file_remove_group (keyfile, group, NULL);
  return write_keyfile (self, keyfile, error);
}

gboolean
ferry_trust_store_add (FerryTrustStore *self,
                       const char      *host,
                       guint16          port,
                       GTlsCertificate *certificate,
                       GError         **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *group = group_name (host, port);
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (FERRY_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  /* A missing or unreadable file starts empty; the write below reports real problems. */
  g_key_file_load_from_file (keyfile, self->path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  fingerprint = ferry_certificate_fingerprint (certificate);
  g_key_file_set_string (keyfile, group, "sha256", fingerprint);
  return write_keyfile (self, keyfile, error);
}
