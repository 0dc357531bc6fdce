// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client.h — one FTP control connection (RFC 959 and extensions), all GIO async.
 *
 * Usage: ferry_client_connect_async() (reads the greeting, does AUTH TLS or implicit TLS),
 * then ferry_client_login_async() (USER/PASS, FEAT, OPTS UTF8 ON, TYPE I, PWD), then any
 * operation. Operations are queued: several may be started at once, they run one after the
 * other on the connection. Every _async takes a GCancellable; a cancelled operation reports
 * G_IO_ERROR_CANCELLED, a cancelled transfer sends ABOR and leaves the session usable.
 * Other failures are FERRY_CLIENT_ERROR (ferry-client-error.h).
 *
 * Remote paths are absolute or relative to the current folder, as FTP allows. Listings
 * return FerryEntry (from the protocol core) in a GPtrArray that frees them; the "." and
 * ".." entries are left out, dot-files are kept (hiding them is the UI's choice). Names
 * from the server are untrusted: they are never used as local names unchecked.
 *
 * While logged in and idle the client sends NOOP every "keepalive-interval" seconds, so
 * servers do not drop a session that a person is merely looking at.
 */
#pragma once

#include <gio/gio.h>
#include "ferry-protocol.h"
#include "ferry-client-error.h"
#include "ferry-tls-mode.h"
#include "ferry-digest.h"
#include "ferry-url.h"
#include "ferry-trust-store.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

/* What FEAT said (and what the engine found out by trying). */
typedef enum {
  FERRY_CLIENT_FEATURE_NONE     = 0,
  FERRY_CLIENT_FEATURE_MLSD     = 1 << 0,   /* MLST in FEAT: MLSD listings */
  FERRY_CLIENT_FEATURE_EPSV     = 1 << 1,   /* EPSV in FEAT (tried anyway when FEAT is silent) */
  FERRY_CLIENT_FEATURE_UTF8     = 1 << 2,   /* UTF8 in FEAT: OPTS UTF8 ON was sent */
  FERRY_CLIENT_FEATURE_REST     = 1 << 3,   /* REST STREAM: resumable transfers */
  FERRY_CLIENT_FEATURE_SIZE     = 1 << 4,
  FERRY_CLIENT_FEATURE_MDTM     = 1 << 5,
  FERRY_CLIENT_FEATURE_AUTH_TLS = 1 << 6,
  FERRY_CLIENT_FEATURE_MFMT     = 1 << 7,   /* MFMT: the client may set modification times */
  FERRY_CLIENT_FEATURE_HASH     = 1 << 8,   /* HASH (draft-bryan-ftpext-hash): file checksums */
} FerryClientFeatures;

#define FERRY_TYPE_CLIENT (ferry_client_get_type ())
G_DECLARE_FINAL_TYPE (FerryClient, ferry_client, FERRY, CLIENT, GObject)

FerryClient        *ferry_client_new                  (void);

/* Properties ---------------------------------------------------------------------------
 * "connected"           gboolean, read-only: the control connection is open
 * "logged-in"           gboolean, read-only
 * "current-directory"   string, read-only: the absolute remote folder (after login)
 * "connect-timeout"     guint, milliseconds, default 30000
 * "reply-timeout"       guint, milliseconds, default 60000: a reply that does not come
 * "data-timeout"        guint, milliseconds, default 60000: a data channel that stalls
 * "keepalive-interval"  guint, seconds, default 60; 0 turns keep-alive off
 *   Mind the units: the three time-outs are in milliseconds (tests and hostile servers need
 *   sub-second ones), the keep-alive interval in whole seconds (a coarse timer that lets
 *   the system batch wake-ups, see g_timeout_add_seconds()).
 * "require-verification" gboolean, default FALSE: every transfer is checked against the
 *                       server's HASH where FEAT offers it; with this set, a server without
 *                       HASH fails transfers too (ferry-cli --verify)
 * "trust-store"         FerryTrustStore, construct: where trusted certificates are kept
 *                       (default: ferry_trust_store_new (NULL))
 *
 * Signals ------------------------------------------------------------------------------
 * "accept-certificate"  gboolean (FerryClient *, GTlsCertificate *, GTlsCertificateFlags)
 *   Emitted synchronously during the TLS handshake when the certificate does not validate
 *   and is not in the trust store, exactly like GTlsConnection::accept-certificate. Return
 *   TRUE to accept it for this connection. When no handler accepts, the connect fails with
 *   FERRY_CLIENT_ERROR_TLS_UNTRUSTED; ferry_client_get_peer_certificate() then gives the
 *   certificate so a UI can ask the person, call ferry_client_trust_certificate() ("always")
 *   or ferry_client_accept_certificate_once() ("this time") and connect again. A certificate
 *   accepted by a handler counts as accepted once. Queues made from the client share it.
 *   When the trust store remembers another certificate for host:port, the signal is still
 *   emitted (a handler may accept it once, "connect anyway"), but a refusal fails with
 *   FERRY_CLIENT_ERROR_TLS_CHANGED and ferry_client_get_pinned_fingerprint() names the
 *   remembered one: a UI must warn, as OpenSSH does for a changed host key, not ask the
 *   first-visit question.
 */

gboolean            ferry_client_is_connected          (FerryClient *self);
gboolean            ferry_client_is_logged_in          (FerryClient *self);
const char         *ferry_client_get_host              (FerryClient *self);
guint16             ferry_client_get_port              (FerryClient *self);
FerryTlsMode        ferry_client_get_tls_mode          (FerryClient *self);
/* The user name of the login ("anonymous" for an anonymous login), or NULL. */
const char         *ferry_client_get_user              (FerryClient *self);
/* The server's greeting text (220 reply), or NULL before connecting. */
const char         *ferry_client_get_welcome           (FerryClient *self);
FerryClientFeatures ferry_client_get_features          (FerryClient *self);
gboolean            ferry_client_has_mlsd              (FerryClient *self);
gboolean            ferry_client_has_epsv              (FerryClient *self);
gboolean            ferry_client_has_utf8              (FerryClient *self);
gboolean            ferry_client_has_rest              (FerryClient *self);
const char         *ferry_client_get_current_directory (FerryClient *self);

guint               ferry_client_get_connect_timeout   (FerryClient *self);
void                ferry_client_set_connect_timeout   (FerryClient *self, guint msec);
guint               ferry_client_get_reply_timeout     (FerryClient *self);
void                ferry_client_set_reply_timeout     (FerryClient *self, guint msec);
guint               ferry_client_get_data_timeout      (FerryClient *self);
void                ferry_client_set_data_timeout      (FerryClient *self, guint msec);
guint               ferry_client_get_keepalive_interval (FerryClient *self);
void                ferry_client_set_keepalive_interval (FerryClient *self, guint seconds);
gboolean            ferry_client_get_require_verification (FerryClient *self);
void                ferry_client_set_require_verification (FerryClient *self, gboolean require);

FerryTrustStore    *ferry_client_get_trust_store       (FerryClient *self);
void                ferry_client_set_trust_store       (FerryClient     *self,
                                                        FerryTrustStore *store);
/* When the last handshake failed with FERRY_CLIENT_ERROR_TLS_CHANGED: the fingerprint the
 * trust store remembers for host:port ("AB:CD:…"), to show next to the new one; else NULL. */
const char         *ferry_client_get_pinned_fingerprint (FerryClient *self);
/* The certificate the server presented on the last TLS handshake, or NULL. */
GTlsCertificate    *ferry_client_get_peer_certificate  (FerryClient *self);
/* Remembers certificate as trusted for this client's host:port (in the trust store). */
gboolean            ferry_client_trust_certificate     (FerryClient     *self,
                                                        GTlsCertificate *certificate,
                                                        GError         **error);

/* Accepts certificate for this client's host:port until it connects to another server,
 * without remembering it in the trust store. */
void                ferry_client_accept_certificate_once (FerryClient     *self,
                                                          GTlsCertificate *certificate);

/* Connection ---------------------------------------------------------------------------- */

/* Opens the control connection and reads the greeting; with FERRY_TLS_MODE_EXPLICIT it
 * sends AUTH TLS and handshakes (TLS_UNAVAILABLE when refused). Fails with
 * CONNECTION_REFUSED, HOST_NOT_FOUND, TIMED_OUT, TLS_UNTRUSTED, PROTOCOL. */
void      ferry_client_connect_async      (FerryClient         *self,
                                           const char          *host,
                                           guint16              port,
                                           FerryTlsMode         tls_mode,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  ferry_client_connect_finish     (FerryClient   *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* USER/PASS (user NULL: "anonymous" with password "anonymous@" unless one is given), then
 * FEAT, OPTS UTF8 ON, TYPE I and PWD. Fails with LOGIN_FAILED on a wrong user or password. */
void      ferry_client_login_async        (FerryClient         *self,
                                           const char          *user,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  ferry_client_login_finish       (FerryClient   *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* Sends QUIT, waits briefly for the reply and closes. Always leaves the client closed;
 * an error only tells that the goodbye was not clean. */
void      ferry_client_disconnect_async   (FerryClient         *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  ferry_client_disconnect_finish  (FerryClient   *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* Folders and files --------------------------------------------------------------------- */

/* CWD then PWD: returns the new absolute current folder (free it). */
void      ferry_client_change_directory_async  (FerryClient         *self,
                                                const char          *path,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char     *ferry_client_change_directory_finish (FerryClient   *self,
                                                GAsyncResult  *result,
                                                GError       **error);

/* What the entries of one listing may take in memory, names included (see
 * ferry_client_entry_bytes()): 40,000 names of 60 KB are far under any entry count but
 * would take gigabytes. 400,000 entries with names of 30 bytes fit; real folders are far
 * smaller. A UI's model built from one listing stays within a small multiple of it. */
#define FERRY_CLIENT_LISTING_BYTES_MAX ((gsize) 64 * 1024 * 1024)

/* What the walk of a whole remote tree (a folder download) may keep of its names: each
 * listing is bounded above, but a server could answer with endless folders of them. */
#define FERRY_CLIENT_TREE_BYTES_MAX ((gsize) 256 * 1024 * 1024)

/* About what entry takes in memory, counted against FERRY_CLIENT_LISTING_BYTES_MAX. */
gsize      ferry_client_entry_bytes  (const FerryEntry *entry);

/* Lists path (NULL: the current folder) with MLSD, or LIST parsed by
 * ferry_list_parse_line() when the server has no MLSD. Returns a GPtrArray of FerryEntry
 * (element free function set; unref it). A listing larger than
 * FERRY_CLIENT_LISTING_BYTES_MAX fails with FERRY_CLIENT_ERROR_PROTOCOL ("… larger than
 * the limit …"): memory stays bounded whatever the server sends. */
void       ferry_client_list_async   (FerryClient         *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GPtrArray *ferry_client_list_finish  (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);

/* SIZE: the size in bytes, or -1 with *error. */
void      ferry_client_size_async    (FerryClient         *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gint64    ferry_client_size_finish   (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);

/* MDTM: the modification time (UTC), or NULL with *error. */
void       ferry_client_mdtm_async   (FerryClient         *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GDateTime *ferry_client_mdtm_finish  (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);

/* MFMT (draft-somers-ftp-mfxx): sets the modification time of a remote file to seconds
 * since the epoch (UTC). Only where FEAT offers MFMT (FERRY_CLIENT_FEATURE_MFMT). */
void      ferry_client_set_modified_async  (FerryClient         *self,
                                            const char          *path,
                                            gint64               seconds,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  ferry_client_set_modified_finish (FerryClient   *self,
                                            GAsyncResult  *result,
                                            GError       **error);

/* HASH (draft-bryan-ftpext-hash): the server's checksum of a whole remote file, as lower-case
 * hex, in the strongest algorithm both sides know (ferry_client_get_hash_type()). Only where
 * FEAT offers HASH (FERRY_CLIENT_FEATURE_HASH). size: the file's size when known (-1 if
 * not): the reply time-out grows with it, since the server reads the whole file first. */
void      ferry_client_hash_async    (FerryClient         *self,
                                      const char          *path,
                                      gint64               size,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char     *ferry_client_hash_finish   (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);
/* The algorithm ferry_client_hash_async() uses and its name in FTP ("SHA-256"); FALSE when
 * the server offers none Ferry knows. */
gboolean  ferry_client_get_hash_type (FerryClient      *self,
                                      FerryDigestType  *type,
                                      const char      **name);

/* MKD, RMD, DELE and RNFR/RNTO; TRUE on success. */
void      ferry_client_mkdir_async   (FerryClient         *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  ferry_client_mkdir_finish  (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);
void      ferry_client_rmdir_async   (FerryClient         *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  ferry_client_rmdir_finish  (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);
void      ferry_client_delete_async  (FerryClient         *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  ferry_client_delete_finish (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);
void      ferry_client_rename_async  (FerryClient         *self,
                                      const char          *from_path,
                                      const char          *to_path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  ferry_client_rename_finish (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error);
/* The same, but never onto an existing name: fails with FERRY_CLIENT_ERROR_EXISTS then
 * (ferry-client-rename-safe.c). */
void      ferry_client_rename_no_replace_async  (FerryClient         *self,
                                                 const char          *from_path,
                                                 const char          *to_path,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean  ferry_client_rename_no_replace_finish (FerryClient   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* Transfers ----------------------------------------------------------------------------- */

/* A piece of a file as it arrives (ferry_client_read_file_async()). */
typedef void (*FerryClientChunkFunc) (const guint8 *data,
                                      gsize         len,
                                      gpointer      user_data);

/* RETR path, handing each piece to on_chunk (in the caller's main context) as it arrives,
 * with no local file: for showing a file while it downloads. Finish gives the bytes
 * received, or -1 with error; a cancel sends ABOR, and the session stays usable. */
void      ferry_client_read_file_async     (FerryClient          *self,
                                            const char           *path,
                                            FerryClientChunkFunc  on_chunk,
                                            gpointer              chunk_data,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gint64    ferry_client_read_file_finish    (FerryClient   *self,
                                            GAsyncResult  *result,
                                            GError       **error);

/* Runs transfer (which must be FERRY_TRANSFER_QUEUED, or finished: it is then run again)
 * on this connection, updating its properties as it goes. The result is also in the
 * transfer's "state" and "error". Cancelling sends ABOR; the session stays usable. */
void      ferry_client_run_transfer_async  (FerryClient         *self,
                                            FerryTransfer       *transfer,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  ferry_client_run_transfer_finish (FerryClient   *self,
                                            GAsyncResult  *result,
                                            GError       **error);

G_END_DECLS
