// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-users.c — the users file: load it, check passwords, add users (yescrypt). */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ferryd-users.h"

#define YESCRYPT_PREFIX "$y$"

G_DEFINE_QUARK (ferryd-users-error-quark, ferryd_users_error)

typedef struct {
  char     *hash;
  char     *root;
  gboolean  write_enabled;
} UserEntry;

struct _FerrydUsers {
  GHashTable *entries;        /* name → UserEntry */
  char       *decoy_setting;  /* hashed for unknown names, so they take as long as known ones */
};

static void
user_entry_free (gpointer data)
{
  UserEntry *entry = data;

  g_free (entry->hash);
  g_free (entry->root);
  g_free (entry);
}

static gboolean
valid_user_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64 || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == '[' || *p == ']' || *p == ' ')
      return FALSE;
  return TRUE;
}

FerrydUsers *
ferryd_users_load (const char  *path,
                   gboolean     default_write,
                   GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  FerrydUsers *users;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("cannot read the users file “%s”: %s"), path, local_error->message);
      return NULL;
    }

  users = g_new0 (FerrydUsers, 1);
  users->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, user_entry_free);

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *name = groups[i];
      g_autofree char *hash = g_key_file_get_string (key_file, name, "password", NULL);
      UserEntry *entry;

      if (!valid_user_name (name) || hash == NULL || *hash == '\0')
        {
          g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                       _("users file “%s”: user [%s] needs a valid name and a password hash "
                         "(add users with ferryd --add-user NAME)"), path, name);
          ferryd_users_free (users);
          return NULL;
        }

      entry = g_new0 (UserEntry, 1);
      entry->hash = g_steal_pointer (&hash);
      entry->root = g_key_file_get_string (key_file, name, "root", NULL);
      entry->write_enabled = default_write;
      if (g_key_file_has_key (key_file, name, "write", NULL))
        {
          entry->write_enabled = g_key_file_get_boolean (key_file, name, "write", &local_error);
          if (local_error != NULL)
            {
              g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                           _("users file “%s”: user [%s]: write must be true or false"),
                           path, name);
              user_entry_free (entry);
              ferryd_users_free (users);
              return NULL;
            }
        }
      g_hash_table_insert (users->entries, g_strdup (name), entry);
    }

  return users;
}

void
ferryd_users_free (FerrydUsers *users)
{
  if (users == NULL)
    return;

  g_clear_pointer (&users->entries, g_hash_table_unref);
  g_free (users->decoy_setting);
  g_free (users);
}

void
ferryd_user_free (FerrydUser *user)
{
  if (user == NULL)
    return;

  g_free (user->name);
  g_free (user->root);
  g_free (user);
}

/* Compares every byte whatever the first difference, so the time says nothing. */
static gboolean
equal_in_constant_time (const char *a,
                        const char *b)
{
  size_t length_a = strlen (a);
  size_t length_b = strlen (b);
  size_t length = MAX (length_a, length_b);
  unsigned char difference = length_a != length_b;

  for (size_t i = 0; i < length; i++)
    {
      unsigned char byte_a = i < length_a ? (unsigned char) a[i] : 0;
      unsigned char byte_b = i < length_b ? (unsigned char) b[i] : 0;
      difference |= byte_a ^ byte_b;
    }
  return difference == 0;
}

static const char *
decoy_setting (FerrydUsers *users)
{
  if (users->decoy_setting == NULL)
    {
      char setting[CRYPT_GENSALT_OUTPUT_SIZE];

      if (crypt_gensalt_rn (YESCRYPT_PREFIX, 0, NULL, 0, setting, sizeof setting) != NULL)
        users->decoy_setting = g_strdup (setting);
      else
        users->decoy_setting = g_strdup ("*");
    }
  return users->decoy_setting;
}

FerrydUser *
ferryd_users_authenticate (FerrydUsers *users,
                           const char  *name,
                           const char  *password)
{
  struct crypt_data data;   /* 32 KiB; crypt_r wants it zeroed */
  UserEntry *entry;
  const char *setting;
  const char *hashed;
  gboolean matches;
  FerrydUser *user;

  if (users == NULL || name == NULL || password == NULL)
    return NULL;

  entry = g_hash_table_lookup (users->entries, name);
  setting = entry != NULL ? entry->hash : decoy_setting (users);

  memset (&data, 0, sizeof data);
  hashed = crypt_r (password, setting, &data);
  matches = entry != NULL && hashed != NULL && hashed[0] != '*'
            && equal_in_constant_time (hashed, entry->hash);
  explicit_bzero (&data, sizeof data);

  if (!matches)
    return NULL;

  user = g_new0 (FerrydUser, 1);
  user->name = g_strdup (name);
  user->root = g_strdup (entry->root);
  user->write_enabled = entry->write_enabled;
  user->anonymous = FALSE;
  return user;
}

char *
ferryd_users_hash_password (const char  *password,
                            GError     **error)
{
  struct crypt_data data;
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  const char *hashed;
  char *result;

  if (crypt_gensalt_rn (YESCRYPT_PREFIX, 0, NULL, 0, setting, sizeof setting) == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_HASH,
                   _("cannot make a yescrypt salt: %s"), g_strerror (saved_errno));
      return NULL;
    }

  memset (&data, 0, sizeof data);
  hashed = crypt_r (password, setting, &data);
  if (hashed == NULL || hashed[0] == '*')
    {
      explicit_bzero (&data, sizeof data);
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_HASH,
                   _("libxcrypt could not hash the password with yescrypt"));
      return NULL;
    }

  result = g_strdup (hashed);
  explicit_bzero (&data, sizeof data);
  return result;
}

gboolean
ferryd_users_file_set_password (const char  *path,
                                const char  *name,
                                const char  *password,
                                gboolean     grant_write,
                                GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *data = NULL;
  gsize length;

  if (!valid_user_name (name))
    {
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("“%s” cannot be a user name: use up to 64 characters, no spaces, "
                     "brackets or control characters"), name);
      return FALSE;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("the password is empty"));
      return FALSE;
    }

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("cannot read the users file “%s”: %s"), path, local_error->message);
      return FALSE;
    }

  hash = ferryd_users_hash_password (password, error);
  if (hash == NULL)
    return FALSE;

  g_key_file_set_string (key_file, name, "password", hash);
  if (grant_write)
    g_key_file_set_boolean (key_file, name, "write", TRUE);
  {
    g_autofree char *text = g_key_file_to_data (key_file, &length, NULL);
    /* GKeyFile leaves the last line open; a text file ends with a line end. */
    data = (length > 0 && text[length - 1] != '\n') ? g_strconcat (text, "\n", NULL)
                                                     : g_steal_pointer (&text);
    length = strlen (data);
  }

  g_clear_error (&local_error);
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("cannot write the users file “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
