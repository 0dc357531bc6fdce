// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-oneshot.c — one-shot commands as a list of prompt commands run in order. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-oneshot.h"
#include "ferry-cli-commands.h"
#include "ferry-task.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

typedef struct {
  FerryCliContext  context;
  GPtrArray       *commands;      /* of GStrv, run in order */
  guint            next;
  GCancellable    *cancellable;   /* Ctrl+C or the caller's cancellable */
  GCancellable    *caller;        /* the caller's cancellable, or NULL */
  gulong           caller_id;
  guint            interrupt_source;
  GError          *error;         /* the first failure */
} OneShot;

static void
one_shot_free (OneShot *run)
{
  g_clear_handle_id (&run->interrupt_source, g_source_remove);
  g_cancellable_disconnect (run->caller, run->caller_id);
  g_clear_object (&run->caller);
  g_clear_object (&run->context.client);
  g_clear_pointer (&run->context.progress, ferry_cli_progress_free);
  g_free (run->context.home);
  g_clear_pointer (&run->commands, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_error (&run->error);
  g_free (run);
}

static void run_next (GTask *task);

static void
on_disconnected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OneShot *run = g_task_get_task_data (task);

  ferry_client_disconnect_finish (FERRY_CLIENT (source), result, NULL);
  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_command_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OneShot *run = g_task_get_task_data (task);

  if (!ferry_cli_command_run_finish (result, &run->error))
    {
      ferry_client_disconnect_async (run->context.client, NULL, on_disconnected,
                                     g_object_ref (task));
      return;
    }
  run_next (task);
}

static void
run_next (GTask *task)
{
  OneShot *run = g_task_get_task_data (task);

  if (run->next >= run->commands->len)
    {
      ferry_client_disconnect_async (run->context.client, NULL, on_disconnected,
                                     g_object_ref (task));
      return;
    }
  ferry_cli_command_run_async (&run->context,
                               g_ptr_array_index (run->commands, run->next++),
                               run->cancellable, on_command_done, g_object_ref (task));
}

static void
add_command (OneShot    *run,
             const char *name,
             gboolean    with_flag,
             const char *flag,
             ...) G_GNUC_NULL_TERMINATED;

static void
add_command (OneShot    *run,
             const char *name,
             gboolean    with_flag,
             const char *flag,
             ...)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  va_list args;

  g_strv_builder_add (words, name);
  if (with_flag)
    g_strv_builder_add (words, flag);
  /* "--": a remote name starting with "-" is a name, not an option. */
  g_strv_builder_add (words, "--");
  va_start (args, flag);
  for (const char *word = va_arg (args, const char *); word != NULL;
       word = va_arg (args, const char *))
    g_strv_builder_add (words, word);
  va_end (args);
  g_ptr_array_add (run->commands, g_strv_builder_end (words));
}

/* -P N and -v for the folder transfers of the commands added so far. */
static void
add_transfer_flags (OneShot               *run,
                    const FerryCliOptions *options)
{
  for (guint i = 0; i < run->commands->len; i++)
    {
      GStrv words = g_ptr_array_index (run->commands, i);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      g_strv_builder_add (builder, words[0]);
      g_autofree char *parallel = g_strdup_printf ("-P%d", options->parallel);

      if (options->parallel > 0)
        g_strv_builder_add (builder, parallel);
      if (options->verbose)
        g_strv_builder_add (builder, "-v");
      g_strv_builder_addv (builder, (const char **) words + 1);
      g_ptr_array_index (run->commands, i) = g_strv_builder_end (builder);
      g_strfreev (words);
    }
}

/* put: where the files go. A URL ending in "/" (or several files) names a folder; a single
 * file and a URL naming an existing folder too, which only the server can tell. */
static void
add_uploads (OneShot    *run,
             GStrv       files,
             const char *folder,
             gboolean    recursive)
{
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (files[i]);
      g_autofree char *target = g_build_path ("/", folder, base, NULL);

      add_command (run, "put", recursive, "-r", files[i], target, NULL);
    }
}

static void
on_probed_folder (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OneShot *run = g_task_get_task_data (task);
  const char *path = g_object_get_data (G_OBJECT (task), "remote-path");
  const FerryCliOptions *options = g_object_get_data (G_OBJECT (task), "options");
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  folder = ferry_client_change_directory_finish (FERRY_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      run->error = g_steal_pointer (&error);
      ferry_client_disconnect_async (run->context.client, NULL, on_disconnected,
                                     g_object_ref (task));
      return;
    }
  if (folder != NULL)
    add_uploads (run, options->local_paths, folder, options->recursive);
  else
    add_command (run, "put", options->recursive, "-r", options->local_paths[0], path, NULL);
  add_transfer_flags (run, options);
  g_object_set_data (G_OBJECT (task), "options", NULL);
  run_next (task);
}

static gboolean
on_interrupt (gpointer user_data)
{
  OneShot *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

void
ferry_cli_oneshot_run_async (FerryClient           *client,
                             const FerryCliOptions *options,
                             const char            *remote_path,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OneShot *run = g_new0 (OneShot, 1);
  const char *path = remote_path != NULL ? remote_path : "";

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_oneshot_run_async));
  /* The failed command says what was cancelled, not GTask's generic message. */
  g_task_set_check_cancellable (task, FALSE);

  run->context.client = g_object_ref (client);
  run->context.progress = ferry_cli_progress_new (!options->quiet);
  run->context.quiet = options->quiet;
  run->context.home = g_strdup (ferry_client_get_current_directory (client));
  run->commands = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  run->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      run->caller = g_object_ref (cancellable);
      run->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                              g_object_ref (run->cancellable), g_object_unref);
    }
  run->interrupt_source = g_unix_signal_add (SIGINT, on_interrupt, run);
  g_task_set_task_data (task, run, (GDestroyNotify) one_shot_free);

  switch (options->mode)
    {
    case FERRY_CLI_MODE_LS:
      if (*path == '\0')
        add_command (run, "ls", options->show_all, "-a", NULL);
      else
        add_command (run, "ls", options->show_all, "-a", path, NULL);
      break;

    case FERRY_CLI_MODE_GET:
      if ((*path == '\0' || g_str_equal (path, "/")) && options->recursive)
        path = "/";      /* the whole server, into a folder named after the host */
      else if (*path == '\0' || g_str_equal (path, "/"))
        {
          g_task_return_new_error (task, FERRY_CLI_ERROR, FERRY_CLI_ERROR_USAGE,
                                   _("get needs a file in the URL: ftp://HOST/FILE "
                                     "(get -r ftp://HOST/ downloads the whole server)"));
          return;
        }
      add_command (run, "get", options->recursive, "-r", path, options->local_paths[0], NULL);
      add_transfer_flags (run, options);
      break;

    case FERRY_CLI_MODE_PUT:
      if (g_strv_length (options->local_paths) > 1 || *path == '\0'
          || g_str_has_suffix (path, "/"))
        {
          add_uploads (run, options->local_paths, *path != '\0' ? path : run->context.home,
                       options->recursive);
          add_transfer_flags (run, options);
          break;
        }
      /* One file to a path that may be a folder: ask the server first. */
      g_object_set_data_full (G_OBJECT (task), "remote-path", g_strdup (path), g_free);
      g_object_set_data (G_OBJECT (task), "options", (gpointer) options);
      ferry_client_change_directory_async (client, path, run->cancellable, on_probed_folder,
                                           g_object_ref (task));
      return;

    case FERRY_CLI_MODE_MIRROR:
      {
        g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
        g_autofree char *parallel = g_strdup_printf ("-P%d", options->parallel);
        const char *local = options->local_paths[0];

        g_strv_builder_add (words, "mirror");
        if (options->reverse)
          g_strv_builder_add (words, "-R");
        if (options->delete)
          g_strv_builder_add (words, "--delete");
        if (options->dry_run)
          g_strv_builder_add (words, "--dry-run");
        if (options->verbose)
          g_strv_builder_add (words, "-v");
        if (options->parallel > 0)
          g_strv_builder_add (words, parallel);
        g_strv_builder_add (words, "--");
        if (*path == '\0' && (options->reverse || local == NULL))
          path = "/";
        if (options->reverse)
          {
            g_strv_builder_add (words, local);
            g_strv_builder_add (words, path);
          }
        else
          {
            g_strv_builder_add (words, path);
            if (local != NULL)
              g_strv_builder_add (words, local);
          }
        g_ptr_array_add (run->commands, g_strv_builder_end (words));
      }
      break;

    case FERRY_CLI_MODE_PROMPT:
    default:
      g_assert_not_reached ();
    }
  run_next (task);
}

gboolean
ferry_cli_oneshot_run_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged
                          (result, FERRY_TASK_TAG (ferry_cli_oneshot_run_async)), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
