// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-digest.h — the checksums HASH names (SHA-256, SHA-512, SHA-1, MD5), by their FTP
 * names, computed with Nettle (SHA-NI/AVX where the processor has them: ~1.5 GB/s SHA-256,
 * several times GChecksum's). Shared by ferryd's HASH and the engine's verification. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Strongest first: the order in which a client prefers them, and ferryd lists them. */
typedef enum {
  FERRY_DIGEST_SHA256,
  FERRY_DIGEST_SHA512,
  FERRY_DIGEST_SHA1,
  FERRY_DIGEST_MD5,
} FerryDigestType;

#define FERRY_DIGEST_N_TYPES 4

typedef struct _FerryDigest FerryDigest;

/* "SHA-256", as draft-bryan-ftpext-hash spells it. */
const char  *ferry_digest_type_name      (FerryDigestType  type);
/* The type for an FTP name, case-insensitive; FALSE for one Ferry does not know. */
gboolean     ferry_digest_type_from_name (const char      *name,
                                          FerryDigestType *type);
/* Characters of the hex form (64 for SHA-256). */
gsize        ferry_digest_hex_length     (FerryDigestType  type);

FerryDigest *ferry_digest_new            (FerryDigestType  type);
void         ferry_digest_update         (FerryDigest     *digest,
                                          const guint8    *data,
                                          gsize            len);
/* The lower-case hex digest of what was added; the digest starts over after it. */
char        *ferry_digest_finish_hex     (FerryDigest     *digest);
void         ferry_digest_free           (FerryDigest     *digest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryDigest, ferry_digest_free)

G_END_DECLS
