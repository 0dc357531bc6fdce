// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker-config.c — a session zygote reads the configuration the listener sealed in
 * a memfd for it (see ferryd-worker-files.h). Apart from ferryd-worker-files.c, which
 * checks the certificate with GIO: the session program links GLib only. */
#define G_LOG_DOMAIN "ferryd"
#include "ferry-config.h"

#include <errno.h>
#include <unistd.h>

#include "ferryd-error.h"
#include "ferryd-worker-files.h"

FerrydConfig *
ferryd_worker_files_read_config (GError **error)
{
  g_autoptr(FerrydConfig) config = ferryd_config_new_defaults ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  off_t offset = 0;

  for (;;)
    {
      /* pread: every session process shares the memfd's file offset. */
      ssize_t got = pread (FERRYD_WORKER_CONFIG_FD, buffer, sizeof buffer, offset);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved_errno = errno;
          g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                       "cannot read the configuration from the listener: %s",
                       g_strerror (saved_errno));
          return NULL;
        }
      if (got == 0)
        break;
      g_string_append_len (text, buffer, got);
      offset += got;
    }

  if (!g_key_file_load_from_data (key_file, text->str, text->len, G_KEY_FILE_NONE, error)
      || !ferryd_config_apply_key_file (config, key_file, "listener", error))
    return NULL;

  return g_steal_pointer (&config);
}
