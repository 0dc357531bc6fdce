// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-transfer.c — get, reget, mget, put and mput: names and patterns become
 * steps run one after the other; a folder (-r) goes over several connections at once. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-batch.h"
#include "ferry-cli-commands-private.h"
#include "ferry-cli-complete.h"
#include "ferry-cli-error.h"
#include "ferry-cli-glob.h"
#include "ferry-cli-transfer.h"
#include "ferry-cli-walk.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef enum {
  STEP_GLOB_REMOTE,   /* source: a remote pattern (or a name to look up for -r) */
  STEP_GET_FILE,
  STEP_GET_TREE,
  STEP_PUT_FILE,
  STEP_PUT_TREE,
} StepKind;

typedef struct {
  StepKind  kind;
  char     *source;
  char     *folder;   /* where it goes: local folder (get) or remote folder (put), or NULL */
  char     *name;     /* the name it gets there, or NULL for the source's base name */
} Step;

typedef struct {
  FerryCliContext *context;
  GQueue           steps;
  Step            *current;
  gboolean         download;
  GError          *pending;     /* the latest failure, printed when another follows */
  /* A folder transfer in progress. */
  char            *tree_source;
  char            *tree_target;
  GPtrArray       *tree_items;
  guint            tree_skipped;   /* entries of a folder download left out: unsafe names */
  guint            tree_complete;  /* get -c -r: files already here whole, not downloaded */
} TransferJob;

static void
step_free (Step *step)
{
  g_free (step->source);
  g_free (step->folder);
  g_free (step->name);
  g_free (step);
}

static Step *
step_new (StepKind    kind,
          const char *source,
          const char *folder,
          const char *name)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->source = g_strdup (source);
  step->folder = g_strdup (folder);
  step->name = g_strdup (name);
  return step;
}

static void
transfer_job_free (TransferJob *job)
{
  g_queue_clear_full (&job->steps, (GDestroyNotify) step_free);
  g_clear_pointer (&job->current, step_free);
  g_clear_error (&job->pending);
  g_free (job->tree_source);
  g_free (job->tree_target);
  g_clear_pointer (&job->tree_items, g_ptr_array_unref);
  g_free (job);
}

static void run_next_step (GTask *task);

/* A step failed: its line is printed now (or at the end, as the command's error). A
 * cancellation ends the whole command. */
static void
step_failed (GTask      *task,
             GError     *error,
             const char *what)
{
  TransferJob *job = g_task_get_task_data (task);
  g_autofree char *reason = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      const char *subject = job->current != NULL ? job->current->source : "";

      if (job->download)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("Cancelled the download of %s; get it again to resume"),
                                 subject);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("Cancelled the upload of %s"), subject);
      g_error_free (error);
      return;
    }
  if (job->pending != NULL)
    g_printerr ("%s\n", job->pending->message);
  g_clear_error (&job->pending);
  if (what != NULL)
    {
      reason = ferry_cli_error_reason (error);
      job->pending = g_error_new (error->domain, error->code, "%s: %s%s", what, reason,
                                  ferry_cli_error_hint (error));
      g_error_free (error);
    }
  else
    job->pending = error;
  run_next_step (task);
}

static char *
failure_subject (TransferJob *job)
{
  return job->download ? g_strdup_printf (_("cannot download %s"), job->current->source)
                       : g_strdup_printf (_("cannot upload %s"), job->current->source);
}

/* Single files ------------------------------------------------------------------------------- */

static void
on_file_transferred (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_cli_transfer_run_finish (result, &error))
    {
      g_autofree char *what = failure_subject (job);

      step_failed (task, error, what);
      return;
    }
  run_next_step (task);
}

static void
run_file (GTask         *task,
          FerryTransfer *transfer)
{
  TransferJob *job = g_task_get_task_data (task);

  /* Like other FTP clients, get and put replace a file of the same name. A NAME.part left by
   * an interrupted download is still resumed. */
  ferry_transfer_set_conflict_policy (transfer, FERRY_CONFLICT_REPLACE);
  ferry_cli_transfer_run_async (job->context->client, transfer, job->context->progress,
                                g_task_get_cancellable (task), on_file_transferred,
                                g_object_ref (task));
}

/* get -c -r: whether the file at path is already here whole (as big as the listing says),
 * so that the resumed folder download leaves it alone. */
static gboolean
already_complete (const char *path,
                  gint64      size)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  GStatBuf st;

  if (size < 0 || g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != size)
    return FALSE;
  /* A NAME.part beside it is a newer download still under way: that one goes on. */
  return g_lstat (part, &st) != 0;
}

/* get -c, reget: what is already here becomes NAME.part, which the download continues. */
static gboolean
prepare_resume (const char  *folder,
                const char  *name,
                GError     **error)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  GStatBuf st;

  if (g_lstat (part, &st) == 0 || g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return TRUE;
  if (g_rename (path, part) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                   _("cannot resume into %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
run_get_file (GTask *task,
              Step  *step)
{
  TransferJob *job = g_task_get_task_data (task);
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  g_autofree char *remote = g_strdup (step->source);
  g_autoptr(GFile) folder = g_file_new_for_path (step->folder != NULL ? step->folder : ".");
  g_autofree char *name = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;
  GError *error = NULL;

  name = step->name != NULL ? g_strdup (step->name) : g_path_get_basename (remote);
  if (invocation->resume
      && !prepare_resume (step->folder != NULL ? step->folder : ".", name, &error))
    {
      step_failed (task, error, NULL);
      return;
    }
  transfer = ferry_transfer_new_download (remote, FALSE, folder, step->name);
  job->download = TRUE;
  run_file (task, transfer);
}

static void
run_put_file (GTask *task,
              Step  *step)
{
  TransferJob *job = g_task_get_task_data (task);
  g_autoptr(GFile) file = g_file_new_for_path (step->source);
  g_autofree char *base = g_path_get_basename (step->source);
  g_autofree char *remote = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *parent = NULL;
  g_autoptr(FerryTransfer) transfer = NULL;

  if (step->name != NULL)
    remote = g_strdup (step->name);
  else
    remote = ferry_cli_path_join (step->folder, base);
  absolute = ferry_cli_absolute_remote (job->context, remote);
  parent = g_path_get_dirname (absolute);
  ferry_cli_complete_forget (parent);
  transfer = ferry_transfer_new_upload (file, remote);
  job->download = FALSE;
  run_file (task, transfer);
}

/* Folders, over several connections -------------------------------------------------------- */

static void
on_tree_moved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_cli_batch_run_finish (result, &error))
    {
      g_autofree char *what = failure_subject (job);

      step_failed (task, error, what);
      return;
    }
  /* The rest arrived, but not everything: a script must notice (exit status 1). */
  if (job->tree_skipped > 0)
    {
      step_failed (task, g_error_new (FERRY_CLI_ERROR, FERRY_CLI_ERROR_SKIPPED,
                                      ngettext ("%s: %u item skipped: unsafe name",
                                                "%s: %u items skipped: unsafe names",
                                                job->tree_skipped),
                                      job->tree_source, job->tree_skipped), NULL);
      return;
    }
  run_next_step (task);
}

static void
start_batch (GTask     *task,
             GPtrArray *transfers,
             gint64     total)
{
  TransferJob *job = g_task_get_task_data (task);
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  g_autofree char *label = g_path_get_basename (job->tree_source);
  FerryCliBatchOptions options = {
    .parallel = invocation->parallel > 0 ? invocation->parallel : FERRY_CLI_DEFAULT_PARALLEL,
    .verbose = invocation->verbose,
    .label = label,
    .total_bytes = total,
    .base = job->download ? job->tree_source : job->tree_target,
  };

  ferry_cli_batch_run_async (job->context->client, transfers, &options, job->context->progress,
                             g_task_get_cancellable (task), on_tree_moved, g_object_ref (task));
}

/* Creates folder beneath what exists; a symbolic link in its place is refused, so remote
 * names cannot lead the download elsewhere. */
static gboolean
make_local_folder (const char  *path,
                   GError     **error)
{
  GStatBuf st;

  if (g_mkdir (path, 0777) != 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                   _("cannot create the local folder %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                   _("cannot download into %s: it is not a folder (a link or a file is in "
                     "its place; move it away)"), path);
      return FALSE;
    }
  return TRUE;
}

static void
on_tree_walked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferJob *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  gint64 total = 0;

  items = ferry_cli_walk_remote_finish (result, &error);
  job->tree_skipped = ferry_cli_walk_remote_n_skipped (result);
  job->tree_complete = 0;
  if (items == NULL || !make_local_folder (job->tree_target, &error))
    {
      g_autofree char *what = failure_subject (job);

      step_failed (task, error, what);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      const FerryCliTreeItem *item = g_ptr_array_index (items, i);
      g_autofree char *local = g_build_filename (job->tree_target, item->path, NULL);
      g_autofree char *remote = NULL;
      g_autofree char *parent = NULL;
      g_autofree char *base = NULL;
      g_autoptr(GFile) folder = NULL;
      FerryTransfer *transfer;

      if (item->is_dir)
        {
          /* Breadth-first: a folder's parent was made before it. */
          if (!make_local_folder (local, &error))
            {
              g_autofree char *what = failure_subject (job);

              step_failed (task, error, what);
              return;
            }
          continue;
        }
      remote = ferry_cli_path_join (job->tree_source, item->path);
      parent = g_path_get_dirname (local);
      base = g_path_get_basename (local);
      /* get -c -r: whole files stay as they are; a partial one (NAME.part, or NAME shorter
       * than the server's) continues where it stopped. */
      if (ferry_cli_task_invocation (task)->resume)
        {
          if (already_complete (local, item->size))
            {
              job->tree_complete++;
              continue;
            }
          if (!prepare_resume (parent, base, &error))
            {
              g_autofree char *what = failure_subject (job);

              step_failed (task, error, what);
              return;
            }
        }
      folder = g_file_new_for_path (parent);
      transfer = ferry_transfer_new_download (remote, FALSE, folder, base);
      ferry_transfer_set_conflict_policy (transfer, FERRY_CONFLICT_REPLACE);
      ferry_transfer_set_known_size (transfer, item->size);
      g_ptr_array_add (transfers, transfer);
      total = total >= 0 && item->size >= 0 ? total + item->size : -1;
    }
  if (job->tree_complete > 0)
    {
      g_autofree char *line = g_strdup_printf (ngettext ("%u file already here whole, "
                                                         "left as it is",
                                                         "%u files already here whole, "
                                                         "left as they are",
                                                         job->tree_complete),
                                               job->tree_complete);

      ferry_cli_progress_print_info (job->context->progress, line);
    }
  start_batch (task, transfers, total);
}

static void
run_get_tree (GTask *task,
              Step  *step)
{
  TransferJob *job = g_task_get_task_data (task);
  g_autofree char *absolute = ferry_cli_absolute_remote (job->context, step->source);
  g_autofree char *base = NULL;
  const char *folder = step->folder != NULL ? step->folder : ".";

  while (strlen (absolute) > 1 && g_str_has_suffix (absolute, "/"))
    absolute[strlen (absolute) - 1] = '\0';
  base = g_path_get_basename (absolute);
  job->download = TRUE;
  /* The server's root has no name of its own: its copy is named after the host. */
  if (step->name == NULL && g_str_equal (base, "/"))
    {
      g_free (base);
      base = g_strdup (ferry_client_get_host (job->context->client));
    }
  g_free (job->tree_source);
  g_free (job->tree_target);
  job->tree_source = g_steal_pointer (&absolute);
  job->tree_target = step->name != NULL ? g_build_filename (folder, step->name, NULL)
                                        : g_build_filename (folder, base, NULL);
  ferry_cli_walk_remote_async (job->context->client, job->tree_source,
                               g_task_get_cancellable (task), on_tree_walked,
                               g_object_ref (task));
}

static void
on_remote_folders_made (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferJob *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  gint64 total = 0;

  ferry_cli_complete_forget_all ();
  if (!ferry_cli_remote_mkdirs_finish (result, &error))
    {
      g_autofree char *what = failure_subject (job);

      step_failed (task, error, what);
      return;
    }
  for (guint i = 0; i < job->tree_items->len; i++)
    {
      const FerryCliTreeItem *item = g_ptr_array_index (job->tree_items, i);
      g_autofree char *local = NULL;
      g_autofree char *remote = NULL;
      g_autoptr(GFile) file = NULL;
      FerryTransfer *transfer;

      if (item->is_dir)
        continue;
      local = g_build_filename (job->tree_source, item->path, NULL);
      remote = ferry_cli_path_join (job->tree_target, item->path);
      file = g_file_new_for_path (local);
      transfer = ferry_transfer_new_upload (file, remote);
      ferry_transfer_set_conflict_policy (transfer, FERRY_CONFLICT_REPLACE);
      g_ptr_array_add (transfers, transfer);
      total += item->size;
    }
  start_batch (task, transfers, total);
}

static void
run_put_tree (GTask *task,
              Step  *step)
{
  TransferJob *job = g_task_get_task_data (task);
  g_autofree char *base = g_path_get_basename (step->source);
  g_autofree char *remote = NULL;
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  job->download = FALSE;
  remote = step->name != NULL ? g_strdup (step->name) : ferry_cli_path_join (step->folder, base);
  g_free (job->tree_source);
  g_free (job->tree_target);
  job->tree_source = g_strdup (step->source);
  job->tree_target = ferry_cli_absolute_remote (job->context, remote);
  g_clear_pointer (&job->tree_items, g_ptr_array_unref);
  job->tree_items = ferry_cli_walk_local (step->source, &error);
  if (job->tree_items == NULL)
    {
      g_autofree char *what = failure_subject (job);

      step_failed (task, error, what);
      return;
    }
  g_ptr_array_add (folders, g_strdup (job->tree_target));
  for (guint i = 0; i < job->tree_items->len; i++)
    {
      const FerryCliTreeItem *item = g_ptr_array_index (job->tree_items, i);

      if (item->is_dir)
        g_ptr_array_add (folders, ferry_cli_path_join (job->tree_target, item->path));
    }
  ferry_cli_remote_mkdirs_async (job->context->client, folders, g_task_get_cancellable (task),
                                 on_remote_folders_made, g_object_ref (task));
}

/* Patterns ------------------------------------------------------------------------------------ */

static void
on_remote_globbed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TransferJob *job = g_task_get_task_data (task);
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;
  Step *step = job->current;

  entries = ferry_cli_glob_remote_finish (result, &error);
  job->download = TRUE;
  if (entries == NULL)
    {
      g_autofree char *what = failure_subject (job);

      step_failed (task, error, what);
      return;
    }
  /* The matches take the pattern's place, in order. */
  for (guint i = entries->len; i > 0; i--)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i - 1);
      gboolean folder = entry->type == FERRY_ENTRY_DIRECTORY;
      /* A literal name keeps the local name it was given ("get -r photos pics"). */
      const char *name = ferry_cli_glob_has_magic (step->source) ? NULL : step->name;

      if (folder && !invocation->recursive)
        continue;
      g_queue_push_head (&job->steps, step_new (folder ? STEP_GET_TREE : STEP_GET_FILE,
                                                entry->name, step->folder, name));
    }
  run_next_step (task);
}

static void
run_next_step (GTask *task)
{
  TransferJob *job = g_task_get_task_data (task);
  Step *step;

  g_clear_pointer (&job->current, step_free);
  step = job->current = g_queue_pop_head (&job->steps);
  if (step == NULL)
    {
      if (job->pending != NULL)
        g_task_return_error (task, g_steal_pointer (&job->pending));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  switch (step->kind)
    {
    case STEP_GLOB_REMOTE:
      ferry_cli_glob_remote_async (job->context->client, step->source,
                                   !ferry_cli_task_invocation (task)->recursive,
                                   g_task_get_cancellable (task), on_remote_globbed,
                                   g_object_ref (task));
      break;
    case STEP_GET_FILE:
      run_get_file (task, step);
      break;
    case STEP_GET_TREE:
      run_get_tree (task, step);
      break;
    case STEP_PUT_FILE:
      run_put_file (task, step);
      break;
    case STEP_PUT_TREE:
      run_put_tree (task, step);
      break;
    default:
      g_assert_not_reached ();
    }
}

static TransferJob *
job_new (FerryCliContext *context,
         GTask           *task)
{
  TransferJob *job = g_new0 (TransferJob, 1);

  job->context = context;
  g_task_set_task_data (task, job, (GDestroyNotify) transfer_job_free);
  return job;
}

/* get, reget, mget --------------------------------------------------------------------------- */

/* "photos/", ".", "/": names that can only be folders, nothing to look up. */
static gboolean
names_a_folder (const char *name)
{
  return g_str_has_suffix (name, "/") || g_str_equal (name, ".") || g_str_equal (name, "..");
}

void
ferry_cli_command_get (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  TransferJob *job = job_new (context, task);
  gboolean several = g_str_equal (invocation->name, "mget");
  const char *local = !several && invocation->n_args > 1 ? invocation->args[1] : NULL;
  guint n_names = several ? invocation->n_args : 1;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;

  job->download = TRUE;
  /* LOCAL: a folder to download into, or the new name (of a single file or folder). */
  if (local != NULL && !g_file_test (local, G_FILE_TEST_IS_DIR)
      && !g_str_has_suffix (local, "/"))
    {
      if (ferry_cli_glob_has_magic (invocation->args[0]))
        {
          g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                                   _("cannot download %s: %s is not a local folder (create it, "
                                     "or leave it out to download here)"),
                                   invocation->args[0], local);
          return;
        }
      folder = g_path_get_dirname (local);
      name = g_path_get_basename (local);
    }
  else if (local != NULL)
    folder = g_strdup (local);

  for (guint i = 0; i < n_names; i++)
    {
      const char *word = invocation->args[i];
      StepKind kind;

      if (ferry_cli_glob_has_magic (word))
        kind = STEP_GLOB_REMOTE;
      else if (invocation->recursive && names_a_folder (word))
        kind = STEP_GET_TREE;
      else if (invocation->recursive)
        kind = STEP_GLOB_REMOTE;   /* a file or a folder: the listing tells */
      else
        kind = STEP_GET_FILE;
      g_queue_push_tail (&job->steps, step_new (kind, word, folder, name));
    }
  run_next_step (task);
}

/* put, mput ---------------------------------------------------------------------------------- */

static gboolean
add_upload (TransferJob              *job,
            const FerryCliInvocation *invocation,
            const char               *local,
            const char               *folder,
            const char               *name,
            GError                  **error)
{
  GStatBuf st;

  if (g_stat (local, &st) != 0)
    {
      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_LOCAL,
                   _("cannot upload %s: no such file or folder (lls shows what is here)"), local);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode) && !invocation->recursive)
    {
      g_set_error (error, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                   _("cannot upload %s: it is a folder (use put -r)"), local);
      return FALSE;
    }
  g_queue_push_tail (&job->steps, step_new (S_ISDIR (st.st_mode) ? STEP_PUT_TREE : STEP_PUT_FILE,
                                            local, folder, name));
  return TRUE;
}

void
ferry_cli_command_put (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  TransferJob *job = job_new (context, task);
  gboolean several = g_str_equal (invocation->name, "mput");
  const char *target = !several && invocation->n_args > 1 ? invocation->args[1] : NULL;
  guint n_names = several ? invocation->n_args : 1;

  job->download = FALSE;
  for (guint i = 0; i < n_names; i++)
    {
      const char *word = invocation->args[i];
      GError *error = NULL;

      if (ferry_cli_glob_has_magic (word))
        {
          g_auto(GStrv) matches = ferry_cli_glob_local (word, &error);
          g_autofree char *folder = NULL;

          if (matches == NULL)
            {
              if (job->pending != NULL)
                g_printerr ("%s\n", job->pending->message);
              g_clear_error (&job->pending);
              job->pending = error;
              continue;
            }
          /* Several files go into the folder named (or the current one). */
          folder = target != NULL ? g_strdup (target) : NULL;
          for (guint j = 0; matches[j] != NULL; j++)
            {
              g_autoptr(GFile) file = g_file_new_for_path (matches[j]);

              if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL)
                  == G_FILE_TYPE_DIRECTORY && !invocation->recursive)
                continue;
              if (!add_upload (job, invocation, matches[j], folder, NULL, &error))
                {
                  g_printerr ("%s\n", error->message);
                  g_clear_error (&error);
                }
            }
          continue;
        }
      if (!(target != NULL && g_str_has_suffix (target, "/")
            ? add_upload (job, invocation, word, target, NULL, &error)
            : add_upload (job, invocation, word, NULL, target, &error)))
        {
          if (job->pending != NULL)
            g_printerr ("%s\n", job->pending->message);
          g_clear_error (&job->pending);
          job->pending = error;
        }
    }
  if (g_queue_is_empty (&job->steps) && job->pending != NULL)
    {
      /* Printed above when there were several; the last one is the command's error. */
      g_task_return_error (task, g_steal_pointer (&job->pending));
      return;
    }
  run_next_step (task);
}
