// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-privileges.c — from root to an ordinary user, once and for good. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* setresuid, getresuid */
#include "ferry-config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ferryd-privileges.h"

G_DEFINE_QUARK (ferryd-privileges-error-quark, ferryd_privileges_error)

typedef struct {
  uid_t  uid;
  gid_t  gid;
  char  *name;   /* NULL: a uid without a passwd entry */
} Target;

static gboolean
running_as_root (void)
{
  uid_t ruid, euid, suid;

  getresuid (&ruid, &euid, &suid);
  return ruid == 0 || euid == 0 || suid == 0;
}

static gboolean
find_target (const FerrydConfig  *config,
             Target              *target,
             GError             **error)
{
  struct passwd *entry;

  if (config->run_as != NULL)
    {
      guint64 number;

      errno = 0;
      entry = getpwnam (config->run_as);
      if (entry == NULL && g_ascii_string_to_unsigned (config->run_as, 10, 0, G_MAXUINT32 - 1,
                                                       &number, NULL))
        entry = getpwuid (number);
      if (entry == NULL)
        {
          g_set_error (error, FERRYD_PRIVILEGES_ERROR, FERRYD_PRIVILEGES_ERROR_NO_USER,
                       _("--run-as %s: no such user"), config->run_as);
          return FALSE;
        }
      target->uid = entry->pw_uid;
      target->gid = entry->pw_gid;
      target->name = g_strdup (entry->pw_name);
    }
  else
    {
      struct stat st;

      if (stat (config->root, &st) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, FERRYD_PRIVILEGES_ERROR, FERRYD_PRIVILEGES_ERROR_NO_USER,
                       _("cannot serve “%s”: %s"), config->root, g_strerror (saved_errno));
          return FALSE;
        }
      target->uid = st.st_uid;
      target->gid = st.st_gid;
      entry = getpwuid (st.st_uid);
      if (entry != NULL)
        {
          target->gid = entry->pw_gid;
          target->name = g_strdup (entry->pw_name);
        }
    }

  if (target->uid == 0 || target->gid == 0)
    {
      g_set_error (error, FERRYD_PRIVILEGES_ERROR, FERRYD_PRIVILEGES_ERROR_NO_USER,
                   config->run_as != NULL
                   ? _("--run-as %s would serve as root; name an ordinary user")
                   : _("“%s” belongs to root and ferryd never serves as root: "
                       "give --run-as USER, or serve a folder owned by an ordinary user"),
                   config->run_as != NULL ? config->run_as : config->root);
      g_clear_pointer (&target->name, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
fail (GError     **error,
      const char  *what)
{
  int saved_errno = errno;

  g_set_error (error, FERRYD_PRIVILEGES_ERROR, FERRYD_PRIVILEGES_ERROR_FAILED,
               _("cannot drop root privileges (%s): %s"), what, g_strerror (saved_errno));
  return FALSE;
}

gboolean
ferryd_privileges_drop (const FerrydConfig  *config,
                        GError             **error)
{
  Target target = { 0 };
  g_autofree char *name = NULL;
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;

  if (!running_as_root ())
    return TRUE;

  if (!find_target (config, &target, error))
    return FALSE;
  name = target.name;

  /* Groups first: once the uid changes, setgroups is no longer allowed. */
  if (name != NULL ? initgroups (name, target.gid) != 0 : setgroups (1, &target.gid) != 0)
    return fail (error, "setgroups");
  if (setresgid (target.gid, target.gid, target.gid) != 0)
    return fail (error, "setresgid");
  if (setresuid (target.uid, target.uid, target.uid) != 0)
    return fail (error, "setresuid");

  /* Verify rather than trust: every id changed, and root does not come back. */
  getresuid (&ruid, &euid, &suid);
  getresgid (&rgid, &egid, &sgid);
  if (ruid != target.uid || euid != target.uid || suid != target.uid
      || rgid != target.gid || egid != target.gid || sgid != target.gid
      || setuid (0) == 0 || seteuid (0) == 0)
    {
      errno = EPERM;
      return fail (error, "verify");
    }

  g_debug ("serving as uid %u gid %u (%s)", (guint) target.uid, (guint) target.gid,
           name != NULL ? name : "no passwd entry");
  return TRUE;
}
