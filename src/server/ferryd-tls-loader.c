// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls-loader.c — dlopen() of the TLS module. Plain dlopen, not GModule: GModule is a
 * library of its own, and the session program links GLib only. */
#define G_LOG_DOMAIN "ferryd-tls"

#include "ferry-config.h"

#include <dlfcn.h>
#include <unistd.h>

#include "ferryd-error.h"
#include "ferryd-paths.h"
#include "ferryd-programs.h"
#include "ferryd-tls-loader.h"

static int module_fd = -1;

void
ferryd_tls_loader_use_fd (int fd)
{
  module_fd = fd;
}

const FerrydTlsModule *
ferryd_tls_loader_get (GError **error)
{
  static const FerrydTlsModule *loaded;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;   /* for messages: the file behind the descriptor */
  void *handle;

  if (loaded != NULL)
    return loaded;

  if (module_fd >= 0)
    {
      path = ferryd_programs_fd_path (module_fd);
      name = g_file_read_link (path, NULL);
    }
  else
    path = ferryd_programs_find (FERRYD_TLS_MODULE_FILE, FERRYD_MODULE_DIR, R_OK, error);
  if (path == NULL)
    return NULL;
  if (name == NULL)
    name = g_strdup (path);

  /* Never closed: GIO's types, once registered, stay for the life of the process. */
  handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    {
      g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                   "cannot load the TLS module %s: %s", name, dlerror ());
      return NULL;
    }
  loaded = dlsym (handle, FERRYD_TLS_MODULE_SYMBOL);
  if (loaded == NULL)
    {
      g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                   "%s is not the TLS module of this ferryd (it lacks %s); reinstall ferryd",
                   name, FERRYD_TLS_MODULE_SYMBOL);
      dlclose (handle);
      return NULL;
    }
  return loaded;
}
