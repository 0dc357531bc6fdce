// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-users.h — the users file: one GKeyFile group per user, passwords as yescrypt hashes.
 *
 *   [alice]
 *   password=$y$j9T$…        (crypt(3) hash; never plain text)
 *   root=/srv/ftp/alice      (optional: a folder beneath which this user is jailed; default
 *                             the server's root)
 *   write=true               (optional: default the server's --write)
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *name;
  char     *root;           /* NULL: the server's root */
  gboolean  write_enabled;  /* resolved against the server's default */
  gboolean  anonymous;
} FerrydUser;

typedef struct _FerrydUsers FerrydUsers;

#define FERRYD_USERS_ERROR (ferryd_users_error_quark ())

typedef enum {
  FERRYD_USERS_ERROR_INVALID,   /* a malformed users file, user name or password */
  FERRYD_USERS_ERROR_HASH,      /* libxcrypt could not hash */
} FerrydUsersError;

GQuark       ferryd_users_error_quark (void);

FerrydUsers *ferryd_users_load (const char *path, gboolean default_write, GError **error);
void         ferryd_users_free (FerrydUsers *users);

/* Checks a password against the stored hash (crypt_r, constant-time compare). Returns a new
 * FerrydUser on success, NULL otherwise. Unknown users cost the same time as known ones. */
FerrydUser  *ferryd_users_authenticate (FerrydUsers *users,
                                        const char  *name,
                                        const char  *password);

void         ferryd_user_free (FerrydUser *user);

/* A new yescrypt hash ("$y$…") of password, with a fresh random salt. */
char        *ferryd_users_hash_password (const char  *password,
                                         GError     **error);

/* Adds name to the users file at path (created 0600 if missing), or replaces its password;
 * grant_write also sets write=true for it (FALSE leaves its write key as it was). Other
 * users, keys and comments stay as they were. */
gboolean     ferryd_users_file_set_password (const char  *path,
                                             const char  *name,
                                             const char  *password,
                                             gboolean     grant_write,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydUsers, ferryd_users_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydUser, ferryd_user_free)

G_END_DECLS
