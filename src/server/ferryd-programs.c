// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-programs.c — finding and opening ferryd's session program and TLS module. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* O_PATH */
#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferryd-error.h"
#include "ferryd-programs.h"

char *
ferryd_programs_find (const char  *name,
                      const char  *installed_dir,
                      int          access_mode,
                      GError     **error)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *beside = NULL;
  g_autofree char *installed = g_build_filename (installed_dir, name, NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);

      beside = g_build_filename (dir, name, NULL);
      if (access (beside, access_mode) == 0)
        return g_steal_pointer (&beside);
    }
  if (access (installed, access_mode) == 0)
    return g_steal_pointer (&installed);

  /* Untranslated: the session program sets no locale, and this is an installation fault. */
  g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
               "cannot find “%s”: it is neither at %s nor beside this program (%s); is "
               "ferryd installed completely?",
               name, installed, beside != NULL ? beside : "/proc/self/exe");
  return NULL;
}

int
ferryd_programs_open (const char  *name,
                      const char  *installed_dir,
                      int          access_mode,
                      char       **path,
                      GError     **error)
{
  g_autofree char *found = ferryd_programs_find (name, installed_dir, access_mode, error);
  struct stat st;
  int fd;

  if (found == NULL)
    return -1;
  fd = open (found, O_PATH | O_CLOEXEC);
  if (fd >= 0 && (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)))
    {
      close (fd);
      fd = -1;
      errno = EINVAL;
    }
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                   "cannot open %s: %s", found,
                   saved_errno == EINVAL ? "not a regular file" : g_strerror (saved_errno));
      return -1;
    }
  *path = g_steal_pointer (&found);
  return fd;
}

char *
ferryd_programs_fd_path (int fd)
{
  return g_strdup_printf ("/proc/self/fd/%d", fd);
}
