// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-rename-safe.c — rename, but never onto something that exists.
 *
 * RNFR/RNTO replaces an existing target on most servers (vsftpd, pyftpdlib, ferryd): the
 * old file is gone without a word. This looks first — MLST when the server has it (one
 * reply, files and folders alike), else SIZE (files) and then a listing of the target's
 * folder (folders, and servers whose SIZE says nothing) — and fails with
 * FERRY_CLIENT_ERROR_EXISTS instead of renaming. Another client could still create the
 * target between the look and RNTO: FTP has no atomic "rename if absent". */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-client-private.h"

typedef struct {
  char *from;
  char *to;
} Rename;

static void
rename_free (Rename *rename)
{
  g_free (rename->from);
  g_free (rename->to);
  g_free (rename);
}

static void
renamed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (ferry_client_rename_finish (FERRY_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
fail_exists (GTask *task)
{
  Rename *rename = g_task_get_task_data (task);
  g_autofree char *name = ferry_vpath_basename (rename->to);

  g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
                           _("“%s” already exists"), name);
  g_object_unref (task);
}

static void
do_rename (GTask *task)
{
  Rename *rename = g_task_get_task_data (task);

  ferry_client_rename_async (g_task_get_source_object (task), rename->from, rename->to,
                             g_task_get_cancellable (task), renamed, task);
}

static void
parent_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Rename *rename = g_task_get_task_data (task);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *name = ferry_vpath_basename (rename->to);
  GError *error = NULL;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (((FerryEntry *) g_ptr_array_index (entries, i))->name, name) == 0)
      {
        fail_exists (task);
        return;
      }

  do_rename (task);
}

static void
probed (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Rename *rename = g_task_get_task_data (task);
  gboolean mlst = (ferry_client_get_features (self) & FERRY_CLIENT_FEATURE_MLSD) != 0;
  g_autoptr(FerryReply) reply = NULL;
  g_autofree char *parent = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  _ferry_client_release (self);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (FERRY_REPLY_CLASS (reply->code) == 2)
    {
      fail_exists (task);
      return;
    }
  if (mlst)
    {
      do_rename (task);
      return;
    }

  /* SIZE says nothing of folders: look in the folder the target would be in. */
  parent = ferry_vpath_dirname (rename->to);
  ferry_client_list_async (self, parent, g_task_get_cancellable (task), parent_listed, task);
}

static void
acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Rename *rename = g_task_get_task_data (task);
  g_autofree char *line = NULL;

  if (!_ferry_client_acquired_for (self, result, task))
    return;

  line = g_strconcat ((ferry_client_get_features (self) & FERRY_CLIENT_FEATURE_MLSD)
                      ? "MLST " : "SIZE ", rename->to, NULL);
  _ferry_client_command_async (self, line, g_task_get_cancellable (task), probed, task);
}

/* Renames from_path to to_path (absolute paths) unless to_path exists: then fails with
 * FERRY_CLIENT_ERROR_EXISTS and changes nothing. */
void
ferry_client_rename_no_replace_async (FerryClient         *self,
                                      const char          *from_path,
                                      const char          *to_path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Rename *rename;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (from_path != NULL && to_path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_rename_no_replace_async));
  rename = g_new0 (Rename, 1);
  rename->from = g_strdup (from_path);
  rename->to = g_strdup (to_path);
  g_task_set_task_data (task, rename, (GDestroyNotify) rename_free);

  if (strchr (to_path, '\r') != NULL || strchr (to_path, '\n') != NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
                               _("A name cannot contain a line break"));
      return;
    }

  _ferry_client_acquire_async (self, cancellable, acquired, g_steal_pointer (&task));
}

gboolean
ferry_client_rename_no_replace_finish (FerryClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (
                          result, FERRY_TASK_TAG (ferry_client_rename_no_replace_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
