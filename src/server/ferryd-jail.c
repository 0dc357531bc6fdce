// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-jail.c — opening paths beneath the served root, and only there. */
#define _GNU_SOURCE   /* O_PATH */
#define G_LOG_DOMAIN "ferryd-jail"

#include "ferry-config.h"

#include "ferryd-jail.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <linux/openat2.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ferry-vpath.h"

struct _FerrydJail
{
  int      root_fd;
  gboolean show_hidden;
};

/* The served folder opened ahead of time (ferryd_jail_preopen), for the next jail on it. */
static int preopened_fd = -1;
static char *preopened_path;   /* as given, and canonical */

gboolean
ferryd_jail_preopen (const char  *canonical_root,
                     GError     **error)
{
  int fd;

  g_return_val_if_fail (g_path_is_absolute (canonical_root), FALSE);

  fd = open (canonical_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot open the served folder “%s”: %s"), canonical_root,
                   g_strerror (saved_errno));
      return FALSE;
    }
  ferryd_jail_forget_preopened ();
  preopened_fd = fd;
  preopened_path = g_strdup (canonical_root);
  return TRUE;
}

void
ferryd_jail_forget_preopened (void)
{
  if (preopened_fd >= 0)
    close (preopened_fd);
  preopened_fd = -1;
  g_clear_pointer (&preopened_path, g_free);
}

FerrydJail *
ferryd_jail_new (const char  *root,
                 gboolean     show_hidden,
                 GError     **error)
{
  FerrydJail *self;
  int fd;

  /* The preopened root serves one jail; a session on another root does not keep it. */
  if (preopened_path != NULL && strcmp (root, preopened_path) == 0)
    {
      self = g_new0 (FerrydJail, 1);
      self->root_fd = g_steal_fd (&preopened_fd);
      self->show_hidden = show_hidden;
      ferryd_jail_forget_preopened ();
      return self;
    }
  ferryd_jail_forget_preopened ();

  fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot open the served folder “%s”: %s"), root, g_strerror (saved_errno));
      return NULL;
    }

  self = g_new0 (FerrydJail, 1);
  self->root_fd = fd;
  self->show_hidden = show_hidden;
  return self;
}

void
ferryd_jail_free (FerrydJail *self)
{
  if (self == NULL)
    return;
  close (self->root_fd);
  g_free (self);
}

gboolean
ferryd_jail_name_visible (FerrydJail *self,
                          const char *name)
{
  return self->show_hidden || !ferry_name_is_hidden (name);
}

gboolean
ferryd_jail_path_visible (FerrydJail *self,
                          const char *vpath)
{
  const char *p = vpath;

  if (self->show_hidden)
    return TRUE;

  /* vpath is normalised: segments never are "." or "..", so any leading dot hides. */
  while ((p = strchr (p, '/')) != NULL)
    {
      p++;
      if (*p == '.')
        return FALSE;
    }
  return TRUE;
}

/* Without openat2 (kernels before 5.6, valgrind): one segment at a time, following no
 * symlink at all. Stricter than openat2 (symlinks inside the root do not work either), but
 * just as safe: a normalised relative path has no "..", and each step stays in its folder. */
static int
open_segments_nofollow (int         dir_fd,
                        const char *relative,
                        int         flags,
                        mode_t      mode)
{
  g_auto(GStrv) segments = g_strsplit (relative, "/", -1);
  guint n = g_strv_length (segments);
  int fd = dup (dir_fd);

  for (guint i = 0; fd >= 0 && i < n; i++)
    {
      gboolean last = i + 1 == n;
      int next;

      if (strcmp (segments[i], "..") == 0)
        {
          close (fd);
          errno = EXDEV;
          return -1;
        }
      next = openat (fd, segments[i],
                     last ? flags | O_NOFOLLOW | O_CLOEXEC
                          : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
                     mode);
      if (next < 0 && errno == ENOTDIR && !last)
        errno = ENOENT;
      {
        int saved_errno = errno;

        close (fd);
        errno = saved_errno;
      }
      fd = next;
    }
  return fd;
}

static int
open_beneath (int         dir_fd,
              const char *relative,
              int         flags,
              mode_t      mode,
              guint64     extra_resolve)
{
  /* openat2 refuses O_PATH with flags it ignores, such as O_NOCTTY. */
  struct open_how how = {
    .flags = (guint64) (flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY)),
    .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | extra_resolve,
  };
  long fd;

  do
    fd = syscall (SYS_openat2, dir_fd, relative, &how, sizeof how);
  while (fd < 0 && (errno == EINTR || errno == EAGAIN));

  if (fd < 0 && errno == ENOSYS)
    return open_segments_nofollow (dir_fd, relative, flags, how.mode);
  return (int) fd;
}

/* Symlinks followed in one path at most, as the kernel's own limit (MAXSYMLINKS). */
#define MAX_SYMLINKS 40

/* A visible symlink may lead to a dot-file. Resolves vpath one component at a time from
 * the root descriptor, following symlinks by reading them, and refuses (ENOENT) as soon as
 * a component it passes through is hidden: hidden-ness comes from the names the path
 * really takes beneath the root, never from comparing path text with where the root
 * was (the served folder may have been moved since). Returns the resolved path, relative
 * to the root and free of symlinks, for an open with RESOLVE_NO_SYMLINKS: a symlink
 * swapped in after this check then fails that open (closed), it is not followed. */
static char *
resolve_visible (FerrydJail *self,
                 const char *vpath)
{
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GQueue) pending = g_queue_new ();
  guint symlinks = 0;
  g_auto(GStrv) first = g_strsplit (ferry_vpath_relative (vpath), "/", -1);

  for (guint i = 0; first[i] != NULL; i++)
    g_queue_push_tail (pending, g_strdup (first[i]));

  while (!g_queue_is_empty (pending))
    {
      g_autofree char *name = g_queue_pop_head (pending);
      g_autofree char *candidate = NULL;
      struct stat info;
      char target[PATH_MAX];
      ssize_t n;
      int fd;

      if (name[0] == '\0' || strcmp (name, ".") == 0)
        continue;
      if (strcmp (name, "..") == 0)
        {
          if (resolved->len == 0)
            {
              g_queue_free_full (g_steal_pointer (&pending), g_free);
              errno = EXDEV;   /* above the root: as RESOLVE_BENEATH */
              return NULL;
            }
          g_ptr_array_remove_index (resolved, resolved->len - 1);
          continue;
        }
      if (!ferryd_jail_name_visible (self, name))
        {
          g_queue_free_full (g_steal_pointer (&pending), g_free);
          errno = ENOENT;
          return NULL;
        }

      g_ptr_array_add (resolved, g_steal_pointer (&name));
      g_ptr_array_add (resolved, NULL);
      candidate = g_strjoinv ("/", (char **) resolved->pdata);
      g_ptr_array_remove_index (resolved, resolved->len - 1);

      /* O_PATH | O_NOFOLLOW: a symlink as the last component is opened itself. */
      fd = open_beneath (self->root_fd, candidate, O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
      if (fd < 0)
        {
          /* What does not exist yet (a name to create) ends the walk; the open decides. */
          if (errno == ENOENT && g_queue_is_empty (pending))
            break;
          g_queue_free_full (g_steal_pointer (&pending), g_free);
          return NULL;
        }
      if (fstat (fd, &info) < 0 || !S_ISLNK (info.st_mode))
        {
          close (fd);
          continue;
        }
      n = readlinkat (fd, "", target, sizeof target - 1);
      close (fd);
      if (n <= 0 || ++symlinks > MAX_SYMLINKS || target[0] == '/')
        {
          g_queue_free_full (g_steal_pointer (&pending), g_free);
          errno = n <= 0 ? ENOENT : target[0] == '/' ? EXDEV : ELOOP;
          return NULL;
        }
      target[n] = '\0';
      g_ptr_array_remove_index (resolved, resolved->len - 1);
      {
        g_auto(GStrv) parts = g_strsplit (target, "/", -1);

        for (guint i = g_strv_length (parts); i > 0; i--)
          g_queue_push_head (pending, g_strdup (parts[i - 1]));
      }
    }

  g_queue_free_full (g_steal_pointer (&pending), g_free);
  if (resolved->len == 0)
    return g_strdup (".");
  g_ptr_array_add (resolved, NULL);
  return g_strjoinv ("/", (char **) resolved->pdata);
}

int
ferryd_jail_open (FerrydJail *self,
                  const char *vpath,
                  int         flags,
                  mode_t      mode)
{
  int fd;

  if (vpath[0] != '/')
    {
      errno = EINVAL;
      return -1;
    }
  if (!ferryd_jail_path_visible (self, vpath))
    {
      errno = ENOENT;
      return -1;
    }
  if (self->show_hidden)
    return open_beneath (self->root_fd, ferry_vpath_relative (vpath), flags, mode, 0);

  /* Usually no symlink is on the way, and the visible path is where the file is. ELOOP (a
   * symlink) changed nothing: resolve the path to see where it leads, then open that. */
  fd = open_beneath (self->root_fd, ferry_vpath_relative (vpath), flags, mode,
                     RESOLVE_NO_SYMLINKS);
  if (fd >= 0 || errno != ELOOP)
    return fd;
  {
    g_autofree char *resolved = resolve_visible (self, vpath);

    if (resolved == NULL)
      return -1;
    return open_beneath (self->root_fd, resolved, flags, mode, RESOLVE_NO_SYMLINKS);
  }
}

int
ferryd_jail_open_parent (FerrydJail  *self,
                         const char  *vpath,
                         char       **name)
{
  g_autofree char *parent = NULL;
  int fd;

  if (vpath[0] != '/')
    {
      errno = EINVAL;
      return -1;
    }
  if (strcmp (vpath, "/") == 0)
    {
      errno = EPERM;
      return -1;
    }

  parent = ferry_vpath_dirname (vpath);
  fd = ferryd_jail_open (self, parent, O_PATH | O_DIRECTORY, 0);
  if (fd >= 0)
    *name = ferry_vpath_basename (vpath);
  return fd;
}

const char *
ferryd_jail_describe_errno (int saved_errno)
{
  switch (saved_errno)
    {
    case ENOENT:
    case EXDEV:    /* would leave the served folder */
    case ELOOP:
      return _("No such file or folder.");
    case EACCES:
    case EPERM:
      return _("Permission denied.");
    case ENOTDIR:
      return _("Not a folder.");
    case EISDIR:
      return _("Is a folder.");
    case EEXIST:
      return _("A file or folder of that name already exists.");
    case ENOTEMPTY:
      return _("The folder is not empty.");
    case ENAMETOOLONG:
      return _("The name is too long.");
    case ENOSPC:
    case EDQUOT:
      return _("The server’s disk is full.");
    case EROFS:
      return _("The served folder is read-only.");
    case EBUSY:
      return _("The file or folder is busy.");
    default:
      return g_strerror (saved_errno);
    }
}
