// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-verify.c — after a file moved: the server's HASH of it against the local
 * copy's checksum, the two computed at the same time (the local one in a worker thread), or
 * against the checksum a small download computed while its bytes arrived. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "ferry-client-private.h"
#include "ferry-local-folder.h"
#include "ferry-transfer-private.h"
#include "ferry-transfer-run-private.h"

#define LOCAL_HASH_PIECE (256 * 1024)

typedef struct {
  GTask         *run_task;      /* the transfer's run (a reference) */
  RunStep        on_match;
  RunFailStep    on_mismatch;
  const char    *algorithm;
  char          *remote_digest;
  char          *local_digest;
  GError        *error;         /* the first failure of either side */
  gboolean       remote_refused;   /* the server would not hash it (5xx): not a mismatch */
  guint          pending;
} Verify;

typedef struct {
  int              fd;          /* the local copy, owned */
  FerryDigestType  type;
} LocalHash;

static void
local_hash_free (LocalHash *job)
{
  if (job->fd >= 0)
    close (job->fd);
  g_free (job);
}

static void
hash_local_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  LocalHash *job = data;
  g_autoptr(FerryDigest) digest = ferry_digest_new (job->type);
  g_autofree guint8 *buffer = g_malloc (LOCAL_HASH_PIECE);

  off_t position = 0;

  /* pread: the descriptor may share its offset with the stream that moved the bytes. */
  (void) posix_fadvise (job->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  for (;;)
    {
      gssize n = pread (job->fd, buffer, LOCAL_HASH_PIECE, position);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_FAILED,
                                   _("Cannot read the local file to check it: %s"),
                                   g_strerror (saved));
          return;
        }
      if (n == 0)
        break;
      ferry_digest_update (digest, buffer, (gsize) n);
      position += n;
      if (g_task_return_error_if_cancelled (task))
        return;
    }
  g_task_return_pointer (task, ferry_digest_finish_hex (digest), g_free);
}

static void
verify_free (Verify *verify)
{
  g_clear_object (&verify->run_task);
  g_free (verify->remote_digest);
  g_free (verify->local_digest);
  g_clear_error (&verify->error);
  g_free (verify);
}

static void
keep_first_error (Verify *verify, GError *error)
{
  if (verify->error == NULL)
    verify->error = error;
  else
    g_error_free (error);
}

/* Both sides are in: go on, or fail. */
static void
verify_decide (Verify *verify)
{
  GTask *task = verify->run_task;
  Run *run = g_task_get_task_data (task);
  gboolean required = ferry_client_get_require_verification (run->client);

  if (--verify->pending > 0)
    return;

  if (verify->error != NULL && verify->remote_refused && !required)
    {
      /* The server offers HASH but would not hash this file (too large for its policy,
       * say): the transfer itself went well. */
      g_debug ("no checksum for %s: %s", run->item->remote_path, verify->error->message);
      verify->on_match (task);
    }
  else if (verify->error != NULL)
    verify->on_mismatch (task, g_steal_pointer (&verify->error));
  else if (g_strcmp0 (verify->remote_digest, verify->local_digest) != 0)
    verify->on_mismatch (task,
                         g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_VERIFY_FAILED,
                                      _("“%s” differs between the server and this computer: "
                                        "its %s checksum is %s on the server but %s here"),
                                      run->item->remote_path, verify->algorithm,
                                      verify->remote_digest, verify->local_digest));
  else
    {
      _ferry_transfer_add_verified (run->transfer);
      verify->on_match (task);
    }
  verify_free (verify);
}

static void
local_hashed (GObject *source, GAsyncResult *result, gpointer data)
{
  Verify *verify = data;
  GError *error = NULL;

  verify->local_digest = g_task_propagate_pointer (G_TASK (result), &error);
  if (verify->local_digest == NULL)
    keep_first_error (verify, error);
  verify_decide (verify);
}

static void
remote_hashed (GObject *source, GAsyncResult *result, gpointer data)
{
  Verify *verify = data;
  GError *error = NULL;

  verify->remote_digest = ferry_client_hash_finish (FERRY_CLIENT (source), result, &error);
  if (verify->remote_digest == NULL)
    {
      verify->remote_refused = g_error_matches (error, FERRY_CLIENT_ERROR,
                                                FERRY_CLIENT_ERROR_FAILED)
                               || g_error_matches (error, FERRY_CLIENT_ERROR,
                                                   FERRY_CLIENT_ERROR_NOT_FOUND)
                               || g_error_matches (error, FERRY_CLIENT_ERROR,
                                                   FERRY_CLIENT_ERROR_DISK_FULL);
      keep_first_error (verify, error);
    }
  verify_decide (verify);
}

/* local_digest (taken) when the bytes were checksummed as they moved, else local_fd (taken)
 * is read in a worker thread; -1 and NULL: no local copy to check. */
static void
verify_start (GTask       *task,
              int          local_fd,
              char        *local_digest,
              const char  *remote_path,
              gint64       size,
              RunStep      on_match,
              RunFailStep  on_mismatch)
{
  Run *run = g_task_get_task_data (task);
  Verify *verify;
  FerryDigestType type;
  const char *algorithm;

  if (!ferry_client_get_hash_type (run->client, &type, &algorithm)
      || (local_fd < 0 && local_digest == NULL))
    {
      if (local_fd >= 0)
        close (local_fd);
      g_free (local_digest);
      if (ferry_client_get_require_verification (run->client) && local_fd < 0)
        on_mismatch (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_VERIFY_FAILED,
                                        _("“%s” cannot be checked: its local copy is not a "
                                          "plain file (verification was required)"),
                                        run->item->remote_path));
      else if (ferry_client_get_require_verification (run->client))
        on_mismatch (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_VERIFY_FAILED,
                                        _("The server does not offer HASH, so “%s” cannot be "
                                          "checked (verification was required)"),
                                        run->item->remote_path));
      else
        on_match (task);
      return;
    }

  /* HASH takes the control connection in turn: the file's own hold ends here. */
  if (run->holding)
    {
      run->holding = FALSE;
      _ferry_client_release (run->client);
    }

  verify = g_new0 (Verify, 1);
  verify->run_task = g_object_ref (task);
  verify->on_match = on_match;
  verify->on_mismatch = on_mismatch;
  verify->algorithm = algorithm;
  verify->pending = 1;

  if (local_digest != NULL)
    {
      verify->local_digest = local_digest;
      if (local_fd >= 0)
        close (local_fd);
    }
  else
    {
      g_autoptr(GTask) local = NULL;
      LocalHash *job = g_new0 (LocalHash, 1);

      job->fd = local_fd;
      job->type = type;
      verify->pending++;
      local = g_task_new (NULL, run_cancellable (task), local_hashed, verify);
      g_task_set_source_tag (local, FERRY_TASK_TAG (_ferry_run_verify));
      g_task_set_task_data (local, job, (GDestroyNotify) local_hash_free);
      g_task_run_in_thread (local, hash_local_in_thread);
    }

  ferry_client_hash_async (run->client, remote_path, size, run_cancellable (task),
                           remote_hashed, verify);
}

void
_ferry_run_verify (GTask       *task,
                   int          local_fd,
                   const char  *remote_path,
                   gint64       size,
                   RunStep      on_match,
                   RunFailStep  on_mismatch)
{
  verify_start (task, local_fd, NULL, remote_path, size, on_match, on_mismatch);
}

void
_ferry_run_verify_digest (GTask       *task,
                          char        *local_digest,
                          const char  *remote_path,
                          gint64       size,
                          RunStep      on_match,
                          RunFailStep  on_mismatch)
{
  g_return_if_fail (local_digest != NULL);

  verify_start (task, -1, local_digest, remote_path, size, on_match, on_mismatch);
}
