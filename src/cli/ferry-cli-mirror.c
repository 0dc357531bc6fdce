// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-mirror.c — mirror [-R] [--delete] [--dry-run] SOURCE [TARGET]: makes the target
 * tree like the source by moving only what differs (size, modification time), creating
 * folders, and deleting what the source no longer has when asked to. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-batch.h"
#include "ferry-cli-commands-private.h"
#include "ferry-cli-complete.h"
#include "ferry-cli-error.h"
#include "ferry-cli-walk.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

/* A LIST line's time may show minutes only, or a day for older files; only an exact time
 * (MLSD, MDTM) is compared to the second. */
#define INEXACT_TIME_SLACK (24 * 60 * 60)

typedef struct {
  FerryCliContext *context;
  gboolean         upload;          /* -R: local → remote */
  gboolean         delete;
  gboolean         dry_run;
  char            *remote_root;     /* absolute */
  char            *local_root;
  gboolean         exact_times;     /* remote times are to the second */
  gboolean         can_set_times;   /* MFMT */
  GHashTable      *remote;          /* path → FerryCliTreeItem (borrowed from remote_items) */
  GHashTable      *local;
  GPtrArray       *remote_items;
  GPtrArray       *local_items;
  GPtrArray       *to_check;        /* paths whose remote time MDTM must tell */
  guint            next_check;
  GPtrArray       *to_mkdir;        /* relative paths, parents first */
  GPtrArray       *to_copy;         /* relative paths of files */
  GPtrArray       *to_delete;       /* relative paths, children first */
  guint            next_delete;
  guint            failures;
  guint            pending_times;   /* MFMT still running */
  gboolean         batch_done;
  GError          *batch_error;
} Mirror;

static void
mirror_free (Mirror *mirror)
{
  g_free (mirror->remote_root);
  g_free (mirror->local_root);
  g_clear_pointer (&mirror->remote, g_hash_table_unref);
  g_clear_pointer (&mirror->local, g_hash_table_unref);
  g_clear_pointer (&mirror->remote_items, g_ptr_array_unref);
  g_clear_pointer (&mirror->local_items, g_ptr_array_unref);
  g_clear_pointer (&mirror->to_check, g_ptr_array_unref);
  g_clear_pointer (&mirror->to_mkdir, g_ptr_array_unref);
  g_clear_pointer (&mirror->to_copy, g_ptr_array_unref);
  g_clear_pointer (&mirror->to_delete, g_ptr_array_unref);
  g_clear_error (&mirror->batch_error);
  g_free (mirror);
}

static GHashTable *
index_items (GPtrArray *items)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      FerryCliTreeItem *item = g_ptr_array_index (items, i);

      g_hash_table_insert (index, item->path, item);
    }
  return index;
}

static void
report_failure (Mirror     *mirror,
                const char *what,
                GError     *error)
{
  g_autofree char *reason = ferry_cli_error_reason (error);

  g_printerr ("%s: %s\n", what, reason);
  mirror->failures++;
  g_error_free (error);
}

/* Finishing ---------------------------------------------------------------------------------- */

static void
finish (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);
  guint changes = mirror->to_copy->len + mirror->to_mkdir->len + mirror->to_delete->len;

  if (mirror->batch_error != NULL
      && g_error_matches (mirror->batch_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Cancelled the mirror; run it again to go on where it "
                                 "stopped"));
      return;
    }
  if (mirror->failures > 0)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("mirror: %u of %u changes failed (see above), the trees "
                                 "differ; run it again to retry"),
                               mirror->failures, changes);
      return;
    }
  if (!mirror->context->quiet)
    {
      g_autofree char *line = NULL;

      if (changes == 0)
        line = g_strdup (_("mirror: nothing to do, the trees are the same\n"));
      else
        line = g_strdup_printf (_("mirror: %u files copied, %u folders created, "
                                  "%u deleted\n"), mirror->to_copy->len, mirror->to_mkdir->len,
                                mirror->to_delete->len);
      ferry_cli_print_text (line);
    }
  g_task_return_boolean (task, TRUE);
}

/* Deleting what the source no longer has ---------------------------------------------------- */

static void delete_next (GTask *task);

static void
on_remote_deleted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mirror *mirror = g_task_get_task_data (task);
  const char *path = g_ptr_array_index (mirror->to_delete, mirror->next_delete - 1);
  FerryCliTreeItem *item = g_hash_table_lookup (mirror->remote, path);
  GError *error = NULL;
  gboolean deleted;

  deleted = item->is_dir ? ferry_client_rmdir_finish (FERRY_CLIENT (source), result, &error)
                         : ferry_client_delete_finish (FERRY_CLIENT (source), result, &error);
  if (!deleted)
    {
      g_autofree char *what = g_strdup_printf (_("cannot delete %s"), path);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          ferry_cli_return_failure (task, error, what);
          return;
        }
      report_failure (mirror, what, error);
    }
  delete_next (task);
}

static void
delete_next (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);
  const char *path;

  if (mirror->next_delete >= mirror->to_delete->len)
    {
      finish (task);
      return;
    }
  path = g_ptr_array_index (mirror->to_delete, mirror->next_delete++);
  if (mirror->upload)
    {
      FerryCliTreeItem *item = g_hash_table_lookup (mirror->remote, path);
      g_autofree char *remote = ferry_cli_path_join (mirror->remote_root, path);

      ferry_cli_complete_forget_all ();
      if (item->is_dir)
        ferry_client_rmdir_async (mirror->context->client, remote,
                                  g_task_get_cancellable (task), on_remote_deleted,
                                  g_object_ref (task));
      else
        ferry_client_delete_async (mirror->context->client, remote,
                                   g_task_get_cancellable (task), on_remote_deleted,
                                   g_object_ref (task));
      return;
    }
  {
    FerryCliTreeItem *item = g_hash_table_lookup (mirror->local, path);
    g_autofree char *local = g_build_filename (mirror->local_root, path, NULL);

    if ((item->is_dir ? g_rmdir (local) : g_unlink (local)) != 0)
      {
        int saved_errno = errno;

        g_printerr (_("cannot delete %s: %s\n"), local, g_strerror (saved_errno));
        mirror->failures++;
      }
    delete_next (task);
  }
}

/* Copying ------------------------------------------------------------------------------------- */

static void
maybe_copied_all (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);

  if (!mirror->batch_done || mirror->pending_times > 0)
    return;
  if (mirror->batch_error != NULL
      && g_error_matches (mirror->batch_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish (task);
      return;
    }
  delete_next (task);
}

static void
on_time_set (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mirror *mirror = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The copy is complete; a time the server would not take only costs a later compare. */
  if (!ferry_client_set_modified_finish (FERRY_CLIENT (source), result, &error))
    g_debug ("MFMT failed: %s", error->message);
  mirror->pending_times--;
  maybe_copied_all (task);
}

static void
on_file_copied (FerryTransfer *transfer,
                gpointer       user_data)
{
  GTask *task = user_data;
  Mirror *mirror = g_task_get_task_data (task);
  const char *path = g_object_get_data (G_OBJECT (transfer), "ferry-mirror-path");
  FerryCliTreeItem *item;

  if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_DONE)
    return;
  if (!mirror->upload)
    {
      /* The local copy gets the remote time, so the next mirror sees them equal. */
      g_autoptr(GFile) file = ferry_transfer_get_local_file (transfer) != NULL
        ? g_object_ref (ferry_transfer_get_local_file (transfer)) : NULL;
      g_autofree char *local = file != NULL ? g_file_get_path (file) : NULL;
      struct utimbuf times;

      item = g_hash_table_lookup (mirror->remote, path);
      if (local == NULL || item == NULL || item->modified < 0)
        return;
      times.actime = item->modified;
      times.modtime = item->modified;
      if (g_utime (local, &times) != 0)
        g_debug ("cannot set the time of %s: %s", local, g_strerror (errno));
      return;
    }
  item = g_hash_table_lookup (mirror->local, path);
  if (mirror->can_set_times && item != NULL && item->modified >= 0)
    {
      g_autofree char *remote = ferry_cli_path_join (mirror->remote_root, path);

      mirror->pending_times++;
      ferry_client_set_modified_async (mirror->context->client, remote, item->modified,
                                       g_task_get_cancellable (task), on_time_set,
                                       g_object_ref (task));
    }
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mirror *mirror = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_cli_batch_run_finish (result, &error))
    {
      /* Each failed file was printed; count them, not the summary. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        mirror->failures++;
      mirror->batch_error = error;
    }
  mirror->batch_done = TRUE;
  maybe_copied_all (task);
}

static void
start_copies (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *label = g_path_get_basename (mirror->upload ? mirror->local_root
                                                               : mirror->remote_root);
  gint64 total = 0;
  FerryCliBatchOptions options = {
    .parallel = invocation->parallel > 0 ? invocation->parallel : FERRY_CLI_DEFAULT_PARALLEL,
    .verbose = invocation->verbose,
    .label = label,
    .base = mirror->remote_root,
    .file_done = on_file_copied,
    .file_done_data = task,
  };

  for (guint i = 0; i < mirror->to_copy->len; i++)
    {
      const char *path = g_ptr_array_index (mirror->to_copy, i);
      g_autofree char *remote = ferry_cli_path_join (mirror->remote_root, path);
      g_autofree char *local = g_build_filename (mirror->local_root, path, NULL);
      FerryCliTreeItem *item = g_hash_table_lookup (mirror->upload ? mirror->local
                                                                   : mirror->remote, path);
      FerryTransfer *transfer;

      if (mirror->upload)
        {
          g_autoptr(GFile) file = g_file_new_for_path (local);

          transfer = ferry_transfer_new_upload (file, remote);
        }
      else
        {
          g_autofree char *parent = g_path_get_dirname (local);
          g_autofree char *base = g_path_get_basename (local);
          g_autoptr(GFile) folder = g_file_new_for_path (parent);

          transfer = ferry_transfer_new_download (remote, FALSE, folder, base);
          ferry_transfer_set_known_size (transfer, item->size);
        }
      /* A NAME.part left by an interrupted mirror is resumed. */
      ferry_transfer_set_conflict_policy (transfer, FERRY_CONFLICT_REPLACE);
      g_object_set_data_full (G_OBJECT (transfer), "ferry-mirror-path", g_strdup (path), g_free);
      g_ptr_array_add (transfers, transfer);
      total = total >= 0 && item->size >= 0 ? total + item->size : -1;
    }
  options.total_bytes = total;
  if (mirror->upload)
    ferry_cli_complete_forget_all ();
  ferry_cli_batch_run_async (mirror->context->client, transfers, &options,
                             mirror->context->progress, g_task_get_cancellable (task),
                             on_batch_done, g_object_ref (task));
}

static void
on_remote_folders_made (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ferry_cli_remote_mkdirs_finish (result, &error))
    {
      ferry_cli_return_failure (task, error, _("mirror: cannot create the remote folders"));
      return;
    }
  start_copies (task);
}

static gboolean
make_local_folder (const char  *path,
                   GError     **error)
{
  GStatBuf st;

  if (g_mkdir (path, 0777) != 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                   _("mirror: cannot create the local folder %s: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* A link in a folder's place would lead the copies elsewhere. */
  if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                   _("mirror: %s is not a folder (a link or a file is in its place; move it "
                     "away)"), path);
      return FALSE;
    }
  return TRUE;
}

static void
apply_plan (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (!mirror->upload)
    {
      if (!make_local_folder (mirror->local_root, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint i = 0; i < mirror->to_mkdir->len; i++)
        {
          g_autofree char *local = g_build_filename (mirror->local_root,
                                                     g_ptr_array_index (mirror->to_mkdir, i),
                                                     NULL);

          if (!make_local_folder (local, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
      start_copies (task);
      return;
    }
  /* Always: a server may list a missing folder as an empty one (vsftpd does). */
  g_ptr_array_add (folders, g_strdup (mirror->remote_root));
  for (guint i = 0; i < mirror->to_mkdir->len; i++)
    g_ptr_array_add (folders, ferry_cli_path_join (mirror->remote_root,
                                                   g_ptr_array_index (mirror->to_mkdir, i)));
  ferry_cli_complete_forget_all ();
  ferry_cli_remote_mkdirs_async (mirror->context->client, folders,
                                 g_task_get_cancellable (task), on_remote_folders_made,
                                 g_object_ref (task));
}

/* Planning ------------------------------------------------------------------------------------ */

static gboolean
times_differ (Mirror                 *mirror,
              const FerryCliTreeItem *source,
              const FerryCliTreeItem *target)
{
  const FerryCliTreeItem *remote = mirror->upload ? target : source;
  const FerryCliTreeItem *local = mirror->upload ? source : target;
  gint64 slack = mirror->exact_times ? 0 : INEXACT_TIME_SLACK;

  if (remote->modified < 0 || local->modified < 0)
    return FALSE;
  /* Without MFMT an upload takes the time of its arrival: only a newer local file counts. */
  if (mirror->upload && !mirror->can_set_times)
    return local->modified > remote->modified + slack;
  return ABS (remote->modified - local->modified) > slack;
}

static void
make_plan (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);
  GPtrArray *source_items = mirror->upload ? mirror->local_items : mirror->remote_items;
  GPtrArray *target_items = mirror->upload ? mirror->remote_items : mirror->local_items;
  GHashTable *source = mirror->upload ? mirror->local : mirror->remote;
  GHashTable *target = mirror->upload ? mirror->remote : mirror->local;

  for (guint i = 0; i < source_items->len; i++)
    {
      const FerryCliTreeItem *item = g_ptr_array_index (source_items, i);
      const FerryCliTreeItem *there = g_hash_table_lookup (target, item->path);

      if (there != NULL && there->is_dir != item->is_dir)
        {
          g_printerr (_("mirror: %s is a %s on one side and a %s on the other; move one "
                        "away\n"), item->path, item->is_dir ? _("folder") : _("file"),
                      there->is_dir ? _("folder") : _("file"));
          mirror->failures++;
          continue;
        }
      if (item->is_dir)
        {
          if (there == NULL)
            g_ptr_array_add (mirror->to_mkdir, g_strdup (item->path));
          continue;
        }
      if (there == NULL || there->size != item->size || times_differ (mirror, item, there))
        g_ptr_array_add (mirror->to_copy, g_strdup (item->path));
    }
  if (mirror->delete)
    {
      /* Children before their folders: the walk lists parents first, so go backwards. */
      for (guint i = target_items->len; i > 0; i--)
        {
          const FerryCliTreeItem *item = g_ptr_array_index (target_items, i - 1);
          g_autofree char *resumed = NULL;

          if (g_hash_table_contains (source, item->path))
            continue;
          /* A download's NAME.part is kept for the copy to resume. */
          if (!mirror->upload && g_str_has_suffix (item->path, ".part"))
            {
              resumed = g_strndup (item->path, strlen (item->path) - strlen (".part"));
              if (g_hash_table_contains (source, resumed))
                continue;
            }
          g_ptr_array_add (mirror->to_delete, g_strdup (item->path));
        }
    }

  if (mirror->dry_run)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      guint changes = mirror->to_mkdir->len + mirror->to_copy->len + mirror->to_delete->len;

      for (guint i = 0; i < mirror->to_mkdir->len; i++)
        {
          g_autofree char *shown = ferry_cli_escape (g_ptr_array_index (mirror->to_mkdir, i));

          g_string_append_printf (out, _("mkdir  %s\n"), shown);
        }
      for (guint i = 0; i < mirror->to_copy->len; i++)
        {
          g_autofree char *shown = ferry_cli_escape (g_ptr_array_index (mirror->to_copy, i));

          g_string_append_printf (out, mirror->upload ? _("put    %s\n") : _("get    %s\n"),
                                  shown);
        }
      for (guint i = 0; i < mirror->to_delete->len; i++)
        {
          g_autofree char *shown = ferry_cli_escape (g_ptr_array_index (mirror->to_delete, i));

          g_string_append_printf (out, _("delete %s\n"), shown);
        }
      ferry_cli_print_text (out->str);
      if (changes == 0 && mirror->failures == 0)
        {
          if (!mirror->context->quiet)
            ferry_cli_print_text (_("mirror: nothing to do, the trees are the same\n"));
          g_task_return_boolean (task, TRUE);
        }
      else
        g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                                 _("mirror --dry-run: %u changes to make, none made (run it "
                                   "without --dry-run to make them)"), changes);
      return;
    }
  apply_plan (task);
}

/* Exact remote times for files of equal size, when the listing gave only LIST times. */
static void check_next_time (GTask *task);

static void
on_mdtm (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mirror *mirror = g_task_get_task_data (task);
  const char *path = g_ptr_array_index (mirror->to_check, mirror->next_check - 1);
  FerryCliTreeItem *item = g_hash_table_lookup (mirror->remote, path);
  g_autoptr(GDateTime) time = NULL;
  GError *error = NULL;

  time = ferry_client_mdtm_finish (FERRY_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ferry_cli_return_failure (task, error, _("mirror"));
      return;
    }
  g_clear_error (&error);
  /* Unknown rather than rough: an unanswered MDTM must not make the copy look different. */
  item->modified = time != NULL ? g_date_time_to_unix (time) : -1;
  check_next_time (task);
}

static void
check_next_time (GTask *task)
{
  Mirror *mirror = g_task_get_task_data (task);
  g_autofree char *remote = NULL;

  if (mirror->next_check >= mirror->to_check->len)
    {
      mirror->exact_times = TRUE;
      make_plan (task);
      return;
    }
  remote = ferry_cli_path_join (mirror->remote_root,
                                g_ptr_array_index (mirror->to_check, mirror->next_check++));
  ferry_client_mdtm_async (mirror->context->client, remote, g_task_get_cancellable (task),
                           on_mdtm, g_object_ref (task));
}

static void
on_remote_walked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Mirror *mirror = g_task_get_task_data (task);
  FerryClient *client = mirror->context->client;
  GError *error = NULL;

  mirror->remote_items = ferry_cli_walk_remote_finish (result, &error);
  if (mirror->remote_items == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("mirror: cannot read %s"), mirror->remote_root);

      /* Uploading into a folder that is not there yet: it will be made. */
      if (mirror->upload && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST))
        {
          g_clear_error (&error);
          mirror->remote_items =
            g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_cli_tree_item_free);
        }
      else
        {
          ferry_cli_return_failure (task, error, what);
          return;
        }
    }
  mirror->remote = index_items (mirror->remote_items);
  mirror->can_set_times = (ferry_client_get_features (client) & FERRY_CLIENT_FEATURE_MFMT) != 0;
  mirror->exact_times = ferry_client_has_mlsd (client);
  if (!mirror->exact_times && (ferry_client_get_features (client) & FERRY_CLIENT_FEATURE_MDTM))
    {
      for (guint i = 0; i < mirror->remote_items->len; i++)
        {
          const FerryCliTreeItem *item = g_ptr_array_index (mirror->remote_items, i);
          const FerryCliTreeItem *local = g_hash_table_lookup (mirror->local, item->path);

          /* Where the time decides (same size on both sides), and for every download,
           * whose copy takes the remote time. */
          if (!item->is_dir
              && (!mirror->upload
                  || (local != NULL && !local->is_dir && local->size == item->size)))
            g_ptr_array_add (mirror->to_check, g_strdup (item->path));
        }
      check_next_time (task);
      return;
    }
  make_plan (task);
}

void
ferry_cli_command_mirror (FerryCliContext          *context,
                          const FerryCliInvocation *invocation,
                          GTask                    *task)
{
  Mirror *mirror = g_new0 (Mirror, 1);
  const char *source = invocation->args[0];
  const char *target = invocation->n_args > 1 ? invocation->args[1] : NULL;
  g_autofree char *source_base = NULL;
  g_autofree char *trimmed = g_strdup (source);
  GError *error = NULL;

  g_task_set_task_data (task, mirror, (GDestroyNotify) mirror_free);
  mirror->context = context;
  mirror->upload = invocation->reverse;
  mirror->delete = invocation->delete;
  mirror->dry_run = invocation->dry_run;
  mirror->to_check = g_ptr_array_new_with_free_func (g_free);
  mirror->to_mkdir = g_ptr_array_new_with_free_func (g_free);
  mirror->to_copy = g_ptr_array_new_with_free_func (g_free);
  mirror->to_delete = g_ptr_array_new_with_free_func (g_free);

  while (strlen (trimmed) > 1 && g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  source_base = g_path_get_basename (trimmed);
  if (mirror->upload)
    {
      mirror->local_root = g_strdup (trimmed);
      mirror->remote_root = ferry_cli_absolute_remote (context, target != NULL ? target
                                                                              : source_base);
    }
  else
    {
      mirror->remote_root = ferry_cli_absolute_remote (context, trimmed);
      mirror->local_root = g_strdup (target != NULL ? target : source_base);
    }
  while (strlen (mirror->remote_root) > 1 && g_str_has_suffix (mirror->remote_root, "/"))
    mirror->remote_root[strlen (mirror->remote_root) - 1] = '\0';

  if (g_file_test (mirror->local_root, G_FILE_TEST_IS_DIR))
    {
      mirror->local_items = ferry_cli_walk_local (mirror->local_root, &error);
      if (mirror->local_items == NULL)
        {
          g_autofree char *what = g_strdup_printf (_("mirror: cannot read %s"),
                                                   mirror->local_root);

          ferry_cli_return_failure (task, error, what);
          return;
        }
    }
  else if (mirror->upload)
    {
      g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                               _("mirror -R: %s is not a local folder (lls shows what is here)"),
                               mirror->local_root);
      return;
    }
  else
    mirror->local_items =
      g_ptr_array_new_with_free_func ((GDestroyNotify) ferry_cli_tree_item_free);
  mirror->local = index_items (mirror->local_items);

  ferry_cli_walk_remote_async (context->client, mirror->remote_root,
                               g_task_get_cancellable (task), on_remote_walked,
                               g_object_ref (task));
}
