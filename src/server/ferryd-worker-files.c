// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker-files.c — sealed memfds carrying configuration and secrets to sessions. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* memfd_create, file sealing */
#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "ferryd-users.h"
#include "ferryd-worker-files.h"

/* Above the numbers the session process expects, so that placing one never overwrites
 * another in posix_spawn's dup2 sequence. */
#define HIGH_FD_FLOOR 16

static int
memfd_with_contents (const char  *name,
                     const char  *data,
                     gsize        length,
                     GError     **error)
{
  int fd = memfd_create (name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  int high_fd;
  gsize done = 0;

  if (fd < 0)
    goto failed;
  while (done < length)
    {
      ssize_t written = write (fd, data + done, length - done);
      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        goto failed;
      done += written;
    }
  if (fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    goto failed;

  high_fd = fcntl (fd, F_DUPFD_CLOEXEC, HIGH_FD_FLOOR);
  if (high_fd < 0)
    goto failed;
  close (fd);
  return high_fd;

failed:
  {
    int saved_errno = errno;
    if (fd >= 0)
      close (fd);
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("cannot prepare the %s for session processes: %s"), name,
                 g_strerror (saved_errno));
    return -1;
  }
}

static gboolean
copy_file (FerrydWorkerFiles  *files,
           int                 slot,
           const char         *path,
           const char         *what,
           GError            **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot read the %s “%s”: %s"),
                   what, path, local_error->message);
      return FALSE;
    }
  files->fds[slot] = memfd_with_contents (what, contents, length, error);
  explicit_bzero (contents, length);
  return files->fds[slot] >= 0;
}

static char *
inherited_path (int slot)
{
  return g_strdup_printf ("/proc/self/fd/%d", slot);
}

FerrydWorkerFiles *
ferryd_worker_files_new (const FerrydConfig  *config,
                         int                  xferlog_fd,
                         GError             **error)
{
  g_autoptr(FerrydWorkerFiles) files = g_new0 (FerrydWorkerFiles, 1);
  g_autoptr(FerrydConfig) inherited = ferryd_config_copy (config);
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *data = NULL;
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (files->fds); i++)
    files->fds[i] = -1;

  if (config->users_file != NULL)
    {
      g_autoptr(FerrydUsers) users = ferryd_users_load (config->users_file,
                                                        config->write_enabled, error);
      if (users == NULL
          || !copy_file (files, FERRYD_WORKER_USERS_FD, config->users_file,
                         _("users file"), error))
        return NULL;
      g_free (inherited->users_file);
      inherited->users_file = inherited_path (FERRYD_WORKER_USERS_FD);
    }

  if (config->tls_cert_file != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autoptr(GError) local_error = NULL;

      certificate = g_tls_certificate_new_from_files (config->tls_cert_file,
                                                      config->tls_key_file, &local_error);
      if (certificate == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("cannot use the TLS certificate “%s” with the key “%s”: %s"),
                       config->tls_cert_file, config->tls_key_file, local_error->message);
          return NULL;
        }
      if (!copy_file (files, FERRYD_WORKER_CERT_FD, config->tls_cert_file,
                      _("TLS certificate"), error)
          || !copy_file (files, FERRYD_WORKER_KEY_FD, config->tls_key_file,
                         _("TLS key"), error))
        return NULL;
      g_free (inherited->tls_cert_file);
      inherited->tls_cert_file = inherited_path (FERRYD_WORKER_CERT_FD);
      g_free (inherited->tls_key_file);
      inherited->tls_key_file = inherited_path (FERRYD_WORKER_KEY_FD);
    }

  if (config->status_fd >= 0)
    {
      files->fds[FERRYD_WORKER_STATUS_FD] = fcntl (config->status_fd, F_DUPFD_CLOEXEC,
                                                   HIGH_FD_FLOOR);
      if (files->fds[FERRYD_WORKER_STATUS_FD] < 0)
        {
          int saved_errno = errno;
          g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                       _("--status-fd %d: %s"), config->status_fd, g_strerror (saved_errno));
          return NULL;
        }
      inherited->status_fd = FERRYD_WORKER_STATUS_FD;
    }

  /* The listener opened it while it could (root, before the drop) and reopens it on
   * SIGHUP; sessions only append to this copy. Without one, sessions log no transfer. */
  if (xferlog_fd >= 0)
    {
      files->fds[FERRYD_WORKER_XFERLOG_FD] = fcntl (xferlog_fd, F_DUPFD_CLOEXEC, HIGH_FD_FLOOR);
      if (files->fds[FERRYD_WORKER_XFERLOG_FD] < 0)
        {
          int saved_errno = errno;
          g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE,
                       _("cannot prepare the transfer log for session processes: %s"),
                       g_strerror (saved_errno));
          return NULL;
        }
    }
  else
    g_clear_pointer (&inherited->xferlog_file, g_free);

  key_file = ferryd_config_to_key_file (inherited);
  data = g_key_file_to_data (key_file, &length, NULL);
  files->fds[FERRYD_WORKER_CONFIG_FD] = memfd_with_contents ("configuration", data, length,
                                                             error);
  if (files->fds[FERRYD_WORKER_CONFIG_FD] < 0)
    return NULL;

  return g_steal_pointer (&files);
}

void
ferryd_worker_files_free (FerrydWorkerFiles *files)
{
  if (files == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (files->fds); i++)
    if (files->fds[i] >= 0)
      close (files->fds[i]);
  g_free (files);
}
