// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-trust-store.h — TLS certificates the user chose to trust, remembered per host:port.
 *
 * One keyfile, by default g_get_user_config_dir()/ferry/trusted-certificates, with a group
 * per "host:port" and the certificate's SHA-256 fingerprint:
 *   [ftp.example.org:21]
 *   sha256=AB:CD:…
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_TRUST_STORE (ferry_trust_store_get_type ())
G_DECLARE_FINAL_TYPE (FerryTrustStore, ferry_trust_store, FERRY, TRUST_STORE, GObject)

/* path NULL: the default file under the user's configuration folder. The file is read
 * on each look-up, so several processes share it. */
FerryTrustStore *ferry_trust_store_new       (const char *path);

const char      *ferry_trust_store_get_path  (FerryTrustStore *self);

/* What the store says about the certificate a server presented: as OpenSSH treats host
 * keys, a certificate that differs from the one remembered for host:port is not "new" but
 * CHANGED, which a UI must show as a warning, not as the first-visit question. */
typedef enum {
  FERRY_TRUST_UNKNOWN,    /* nothing remembered for host:port */
  FERRY_TRUST_MATCHES,    /* the remembered certificate */
  FERRY_TRUST_CHANGED,    /* another certificate is remembered for host:port */
} FerryTrustState;

/* pinned_fingerprint (may be NULL): for CHANGED, the remembered fingerprint ("AB:CD:…"). */
FerryTrustState  ferry_trust_store_lookup     (FerryTrustStore *self,
                                               const char      *host,
                                               guint16          port,
                                               GTlsCertificate *certificate,
                                               char           **pinned_fingerprint);

/* TRUE when the store's state is FERRY_TRUST_MATCHES. */
gboolean         ferry_trust_store_is_trusted (FerryTrustStore *self,
                                               const char      *host,
                                               guint16          port,
                                               GTlsCertificate *certificate);

/* Forgets the certificate remembered for host:port (ferry-cli forget-certificate). FALSE
 * with G_IO_ERROR_NOT_FOUND when none is remembered. */
gboolean         ferry_trust_store_forget     (FerryTrustStore *self,
                                               const char      *host,
                                               guint16          port,
                                               GError         **error);

/* "host:port" as the store and ferry-cli name it ("[::1]:21" for IPv6 addresses). */
char            *ferry_trust_store_name       (const char      *host,
                                               guint16          port);

/* Remembers the certificate for host:port (replacing an earlier one); creates the folder
 * and writes the file atomically (mode 0600). */
gboolean         ferry_trust_store_add        (FerryTrustStore *self,
                                               const char      *host,
                                               guint16          port,
                                               GTlsCertificate *certificate,
                                               GError         **error);

/* "AB:CD:…" — the SHA-256 fingerprint of the DER certificate, for display. */
char            *ferry_certificate_fingerprint (GTlsCertificate *certificate);

G_END_DECLS
