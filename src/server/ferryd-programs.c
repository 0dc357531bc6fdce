// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-programs.c — finding ferryd's session program and TLS module. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

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
