// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-hash.c — HASH (draft-bryan-ftpext-hash): which algorithms the server offers
 * (its FEAT line) and asking it for a file's checksum, so a transfer can be verified. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-digest.h"

/* line: a FEAT line, upper-cased and stripped ("HASH SHA-1;SHA-256*;MD5"). */
void
_ferry_client_parse_hash_feature (FerryClient *self,
                                  const char  *line)
{
  g_auto(GStrv) offered = NULL;

  if (!g_str_has_prefix (line, "HASH "))
    return;
  offered = g_strsplit (line + strlen ("HASH "), ";", -1);
  for (guint i = 0; offered[i] != NULL; i++)
    {
      char *name = g_strstrip (offered[i]);
      gsize len = strlen (name);
      FerryDigestType type;

      if (len > 0 && name[len - 1] == '*')
        name[len - 1] = '\0';   /* the server's current selection */
      /* The strongest offered wins (FerryDigestType is ordered strongest first). */
      if (ferry_digest_type_from_name (name, &type)
          && (self->hash_algorithm < 0 || (int) type < self->hash_algorithm))
        {
          self->hash_algorithm = (int) type;
          self->features |= FERRY_CLIENT_FEATURE_HASH;
        }
    }
}

gboolean
ferry_client_get_hash_type (FerryClient      *self,
                            FerryDigestType  *type,
                            const char      **name)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);

  if (!(self->features & FERRY_CLIENT_FEATURE_HASH) || self->hash_algorithm < 0)
    return FALSE;
  if (type != NULL)
    *type = (FerryDigestType) self->hash_algorithm;
  if (name != NULL)
    *name = ferry_digest_type_name (self->hash_algorithm);
  return TRUE;
}

/* How fast the reply time-out assumes a server hashes (bytes per millisecond: 5 MB/s). */
#define SLOWEST_SERVER_HASHING 5000

typedef struct {
  char  *path;
  guint  saved_reply_timeout;   /* the client's, while HASH runs with a longer one */
  guint  hash_reply_timeout;
} HashRequest;

static void
hash_request_free (HashRequest *request)
{
  g_free (request->path);
  g_free (request);
}

/* Ends the operation: the connection goes back, then the task returns. */
static void
hash_return (GTask *task, char *digest, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);
  HashRequest *request = g_task_get_task_data (task);

  self->reply_timeout = request->saved_reply_timeout;
  _ferry_client_release (self);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, digest, g_free);
  g_object_unref (task);
}

/* "213 SHA-256 0-N HEX NAME" (the name may hold spaces): the hex, checked. */
static char *
parse_hash_reply (FerryDigestType  type,
                  const char      *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", 4);

  if (g_strv_length (words) < 3
      || g_ascii_strcasecmp (words[0], ferry_digest_type_name (type)) != 0
      || strlen (words[2]) != ferry_digest_hex_length (type))
    return NULL;
  for (const char *p = words[2]; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return NULL;
  return g_ascii_strdown (words[2], -1);
}

static void
hash_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  HashRequest *request = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;
  char *digest;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      hash_return (task, NULL, error);
      return;
    }
  if (reply->code != FERRY_REPLY_FILE_STATUS)
    {
      g_autofree char *command = g_strconcat ("HASH ", request->path, NULL);

      hash_return (task, NULL, _ferry_client_reply_error (reply, command));
      return;
    }
  digest = parse_hash_reply (self->hash_algorithm, reply->text);
  if (digest == NULL)
    {
      hash_return (task, NULL,
                   g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                _("The server answered HASH in a form Ferry does not "
                                  "understand: %s"), reply->text));
      return;
    }
  hash_return (task, digest, NULL);
}

static void
send_hash (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  HashRequest *request = g_task_get_task_data (task);
  g_autofree char *line = g_strconcat ("HASH ", request->path, NULL);

  self->reply_timeout = request->hash_reply_timeout;
  _ferry_client_command_async (self, line, g_task_get_cancellable (task), hash_replied, task);
}

static void
hash_selected (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      hash_return (task, NULL, error);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) != 2)
    {
      hash_return (task, NULL, _ferry_client_reply_error (reply, "OPTS HASH"));
      return;
    }
  self->hash_selected = TRUE;
  send_hash (task);
}

static void
hash_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autofree char *line = NULL;
  GError *error = NULL;

  if (!_ferry_client_acquire_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* The selection is per session and the server's default may differ: name it once per
   * session (a folder of thousands of files would pay a round trip for each). */
  if (self->hash_selected)
    {
      send_hash (task);
      return;
    }
  line = g_strconcat ("OPTS HASH ", ferry_digest_type_name (self->hash_algorithm), NULL);
  _ferry_client_command_async (self, line, g_task_get_cancellable (task), hash_selected, task);
}

void
ferry_client_hash_async (FerryClient         *self,
                         const char          *path,
                         gint64               size,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HashRequest *request;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_hash_async));
  if (!ferry_client_get_hash_type (self, NULL, NULL))
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_VERIFY_FAILED,
                               _("The server does not offer HASH, so Ferry cannot check "
                                 "the file against it"));
      return;
    }
  request = g_new0 (HashRequest, 1);
  request->path = g_strdup (path);
  request->saved_reply_timeout = self->reply_timeout;
  request->hash_reply_timeout =
    (guint) MIN ((guint64) G_MAXUINT, self->reply_timeout
                 + (guint64) MAX (size, 0) / SLOWEST_SERVER_HASHING);
  g_task_set_task_data (task, request, (GDestroyNotify) hash_request_free);
  _ferry_client_acquire_async (self, cancellable, hash_acquired, g_steal_pointer (&task));
}

char *
ferry_client_hash_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_hash_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
