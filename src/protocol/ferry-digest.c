// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-digest.c — HASH's algorithms over Nettle's generic hash interface (nettle-meta.h). */
#include "ferry-config.h"

#include <nettle/nettle-meta.h>
#include <nettle/sha2.h>
#include <string.h>

#include "ferry-digest.h"

static const struct {
  const char               *name;
  const struct nettle_hash *hash;
} types[FERRY_DIGEST_N_TYPES] = {
  [FERRY_DIGEST_SHA256] = { "SHA-256", &nettle_sha256 },
  [FERRY_DIGEST_SHA512] = { "SHA-512", &nettle_sha512 },
  [FERRY_DIGEST_SHA1]   = { "SHA-1",   &nettle_sha1 },
  [FERRY_DIGEST_MD5]    = { "MD5",     &nettle_md5 },
};

struct _FerryDigest {
  const struct nettle_hash *hash;
  void                     *context;
};

const char *
ferry_digest_type_name (FerryDigestType type)
{
  g_return_val_if_fail ((guint) type < FERRY_DIGEST_N_TYPES, NULL);
  return types[type].name;
}

gboolean
ferry_digest_type_from_name (const char      *name,
                             FerryDigestType *type)
{
  for (guint i = 0; i < FERRY_DIGEST_N_TYPES; i++)
    if (g_ascii_strcasecmp (name, types[i].name) == 0)
      {
        *type = (FerryDigestType) i;
        return TRUE;
      }
  return FALSE;
}

gsize
ferry_digest_hex_length (FerryDigestType type)
{
  g_return_val_if_fail ((guint) type < FERRY_DIGEST_N_TYPES, 0);
  return 2 * types[type].hash->digest_size;
}

FerryDigest *
ferry_digest_new (FerryDigestType type)
{
  FerryDigest *digest;

  g_return_val_if_fail ((guint) type < FERRY_DIGEST_N_TYPES, NULL);
  digest = g_new0 (FerryDigest, 1);
  digest->hash = types[type].hash;
  digest->context = g_malloc (digest->hash->context_size);
  digest->hash->init (digest->context);
  return digest;
}

void
ferry_digest_update (FerryDigest  *digest,
                     const guint8 *data,
                     gsize         len)
{
  digest->hash->update (digest->context, len, data);
}

char *
ferry_digest_finish_hex (FerryDigest *digest)
{
  static const char hex[] = "0123456789abcdef";
  guint8 raw[SHA512_DIGEST_SIZE];   /* the largest of the four */
  gsize size = digest->hash->digest_size;
  char *text = g_malloc (2 * size + 1);

  digest->hash->digest (digest->context, size, raw);   /* also starts it over */
  for (gsize i = 0; i < size; i++)
    {
      text[2 * i] = hex[raw[i] >> 4];
      text[2 * i + 1] = hex[raw[i] & 0xf];
    }
  text[2 * size] = '\0';
  return text;
}

void
ferry_digest_free (FerryDigest *digest)
{
  if (digest == NULL)
    return;
  g_free (digest->context);
  g_free (digest);
}
