// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-client-error.h"
#include "ferry-local-folder.h"

GError *
ferry_local_folder_error (int saved_errno, const char *name, const char *what)
{
  FerryClientError code;

  switch (saved_errno)
    {
    case ENOENT:
    case ENOTDIR:
      code = FERRY_CLIENT_ERROR_NOT_FOUND;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      code = FERRY_CLIENT_ERROR_PERMISSION_DENIED;
      break;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      code = FERRY_CLIENT_ERROR_DISK_FULL;
      break;
    case EEXIST:
      code = FERRY_CLIENT_ERROR_EXISTS;
      break;
    case ELOOP:
      return g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
                          _("Could not %s “%s”: it is a symbolic link, which Ferry does not "
                            "follow when saving"), what, name);
    default:
      code = FERRY_CLIENT_ERROR_FAILED;
      break;
    }
  return g_error_new (FERRY_CLIENT_ERROR, code, _("Could not %s “%s”: %s"),
                      what, name, g_strerror (saved_errno));
}

int
ferry_local_folder_open (GFile *folder, GError **error)
{
  g_autofree char *path = g_file_get_path (folder);
  int fd;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (folder);

      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_FOUND,
                   _("“%s” is not a local folder"), uri);
      return -1;
    }
  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, path, _("open the folder"));
    }
  return fd;
}

int
ferry_local_folder_open_child (int dir_fd, const char *name, GError **error)
{
  int fd;

  if (mkdirat (dir_fd, name, 0755) != 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, name, _("create the folder"));
      return -1;
    }
  fd = openat (dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, name, _("open the folder"));
    }
  return fd;
}

int
ferry_local_folder_open_path (int dir_fd, const char *relative_path, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (relative_path, "/", -1);
  int fd = dup (dir_fd);

  if (fd < 0)
    {
      int saved_errno = errno;

      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, relative_path, _("open the folder"));
      return -1;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      int child;

      if (parts[i][0] == '\0')
        continue;
      child = ferry_local_folder_open_child (fd, parts[i], error);
      close (fd);
      if (child < 0)
        return -1;
      fd = child;
    }
  return fd;
}

gboolean
ferry_local_folder_has_child (int dir_fd, const char *name)
{
  struct stat st;

  return fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

gint64
ferry_local_folder_regular_size (int dir_fd, const char *name)
{
  struct stat st;

  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (st.st_mode))
    return -1;
  return st.st_size;
}

int
ferry_local_folder_open_for_writing (int          dir_fd,
                                     const char  *name,
                                     gboolean     append,
                                     GError     **error)
{
  /* No O_TRUNC yet: the checks below must pass before anything is changed; O_NONBLOCK so
   * that a FIFO planted under the name cannot hang the open. */
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK
              | (append ? O_APPEND : 0);
  int fd = openat (dir_fd, name, flags, 0644);
  struct stat st;

  if (fd < 0 && errno == ENXIO)   /* a FIFO nobody reads, or a device */
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
                   _("Could not write “%s”: it is not a plain file of its own"), name);
      return -1;
    }
  if (fd < 0)
    {
      int saved_errno = errno;

      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, name, _("write"));
      return -1;
    }
  /* A hard link would let the write land in another file (a FIFO or device would block). */
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_nlink > 1)
    {
      close (fd);
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
                   _("Could not write “%s”: it is not a plain file of its own"), name);
      return -1;
    }
  /* Not on an empty file: ext4 takes a truncate to 0 as "rewriting a file" and then starts
   * writing the whole file out when it is closed (auto_da_alloc), a wait of its own. */
  if ((!append && st.st_size > 0 && ftruncate (fd, 0) != 0)
      || fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, name, _("write"));
      return -1;
    }
  return fd;
}

gboolean
ferry_local_folder_rename (int dir_fd, const char *from, const char *to, GError **error)
{
  /* renameat() replaces a link called "to" itself; it never writes through it. */
  if (renameat (dir_fd, from, dir_fd, to) != 0)
    {
      int saved_errno = errno;

      if (error != NULL)
        *error = ferry_local_folder_error (saved_errno, to, _("save"));
      return FALSE;
    }
  return TRUE;
}

char *
ferry_numbered_name (const char *name, guint n)
{
  const char *dot = strrchr (name, '.');

  /* "archive.tar.gz" → "archive.tar (1).gz" is what file managers do too; a leading dot
   * (".bashrc") is not an extension. */
  if (dot == NULL || dot == name)
    return g_strdup_printf ("%s (%u)", name, n);
  return g_strdup_printf ("%.*s (%u)%s", (int) (dot - name), name, n, dot);
}

char *
ferry_local_folder_free_name (int dir_fd, const char *name)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *candidate = ferry_numbered_name (name, n);
      g_autofree char *part = g_strconcat (candidate, ".part", NULL);

      if (!ferry_local_folder_has_child (dir_fd, candidate)
          && !ferry_local_folder_has_child (dir_fd, part))
        return g_steal_pointer (&candidate);
    }
}
