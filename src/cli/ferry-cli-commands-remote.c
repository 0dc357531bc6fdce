// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-remote.c — the commands on remote folders and names: ls, cd, pwd,
 * mkdir, rm, rmdir, mv. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"
#include "ferry-cli-complete.h"
#include "ferry-cli-error.h"
#include "ferry-cli-format.h"
#include "ferry-cli-glob.h"

#include <string.h>

#include <glib/gi18n.h>

/* ls ------------------------------------------------------------------------------------ */

static void on_globbed_for_ls (GObject *source, GAsyncResult *result, gpointer user_data);

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) out = NULL;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (entries == NULL && invocation->n_args > 0
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && g_object_get_data (G_OBJECT (task), "ls-error") == NULL)
    {
      /* "ls FILE": MLSD lists folders only; the file's own line is in its folder's listing.
       * Kept: the error to show if the file is not there either. */
      g_object_set_data_full (G_OBJECT (task), "ls-error", g_steal_pointer (&error),
                              (GDestroyNotify) g_error_free);
      ferry_cli_glob_remote_async (FERRY_CLIENT (source), invocation->args[0], FALSE,
                                   g_task_get_cancellable (task), on_globbed_for_ls,
                                   g_object_ref (task));
      return;
    }
  if (entries == NULL)
    {
      const char *path = invocation->n_args > 0
        ? invocation->args[0]
        : ferry_client_get_current_directory (FERRY_CLIENT (source));

      g_autofree char *what = g_strdup_printf (_("cannot list %s"), path);

      ferry_cli_return_failure (task, g_steal_pointer (&error), what);
      return;
    }
  out = g_string_new (NULL);
  ferry_cli_format_listing (out, entries, invocation->all);
  ferry_cli_print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

static void
on_globbed_for_ls (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  GError *listing_error = g_object_steal_data (G_OBJECT (task), "ls-error");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) out = NULL;
  GError *error = NULL;

  entries = ferry_cli_glob_remote_finish (result, &error);
  if (entries == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("cannot list %s"), invocation->args[0]);

      /* A plain name that is not there: the server's own answer says it best. */
      if (listing_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          error = g_steal_pointer (&listing_error);
        }
      g_clear_error (&listing_error);
      ferry_cli_return_failure (task, error, what);
      return;
    }
  g_clear_error (&listing_error);
  out = g_string_new (NULL);
  /* The pattern chose the names, a dot-file included when it asked for one. */
  ferry_cli_format_listing (out, entries, TRUE);
  ferry_cli_print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

/* ls and dir print the long format ("ls -l" is the same); a pattern lists what matches. */
void
ferry_cli_command_ls (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  if (invocation->n_args > 0 && ferry_cli_glob_has_magic (invocation->args[0]))
    {
      ferry_cli_glob_remote_async (context->client, invocation->args[0], FALSE,
                                   g_task_get_cancellable (task), on_globbed_for_ls,
                                   g_object_ref (task));
      return;
    }
  ferry_client_list_async (context->client, invocation->n_args > 0 ? invocation->args[0] : NULL,
                           g_task_get_cancellable (task), on_listed, g_object_ref (task));
}

/* cd, pwd ------------------------------------------------------------------------------- */

static void
on_changed_directory (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;

  now = ferry_client_change_directory_finish (FERRY_CLIENT (source), result, &error);
  if (now == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("cannot change to %s"),
                                               (const char *) g_task_get_task_data (task));

      ferry_cli_return_failure (task, g_steal_pointer (&error), what);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ferry_cli_command_cd (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  const char *path = invocation->n_args > 0 ? invocation->args[0] : context->home;

  g_task_set_task_data (task, g_strdup (path), g_free);
  ferry_client_change_directory_async (context->client, path, g_task_get_cancellable (task),
                                       on_changed_directory, g_object_ref (task));
}

void
ferry_cli_command_pwd (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  g_autofree char *line = g_strdup_printf ("%s\n",
                                           ferry_client_get_current_directory (context->client));

  ferry_cli_print_text (line);
  g_task_return_boolean (task, TRUE);
}

/* mkdir, rm, rmdir, mv ------------------------------------------------------------------ */

typedef gboolean (*FinishFunc) (FerryClient *client, GAsyncResult *result, GError **error);

typedef struct {
  FinishFunc  finish;
  char       *what;     /* "cannot delete x", for the error line */
  GPtrArray  *changed;  /* absolute folders whose listing this changes */
} SimpleCommand;

static void
simple_command_free (SimpleCommand *command)
{
  g_free (command->what);
  g_clear_pointer (&command->changed, g_ptr_array_unref);
  g_free (command);
}

/* The completion cache forgets the folder holding path (and path itself, if a folder). */
static void
note_change (GTask      *task,
             const char *path)
{
  SimpleCommand *command = g_task_get_task_data (task);
  FerryCliContext *context = g_object_get_data (G_OBJECT (task), "context");
  g_autofree char *absolute = ferry_cli_absolute_remote (context, path);

  g_ptr_array_add (command->changed, g_path_get_dirname (absolute));
  g_ptr_array_add (command->changed, g_steal_pointer (&absolute));
}

static void
on_simple_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SimpleCommand *command = g_task_get_task_data (task);
  GError *error = NULL;

  for (guint i = 0; i < command->changed->len; i++)
    ferry_cli_complete_forget (g_ptr_array_index (command->changed, i));
  if (command->finish (FERRY_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    ferry_cli_return_failure (task, error, command->what);
}

/* Takes what (the formatted "cannot … x"). */
static void
prepare_simple (FerryCliContext *context,
                GTask           *task,
                FinishFunc       finish,
                char            *what)
{
  SimpleCommand *command = g_new0 (SimpleCommand, 1);

  command->finish = finish;
  command->what = what;
  command->changed = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, command, (GDestroyNotify) simple_command_free);
  g_object_set_data (G_OBJECT (task), "context", context);
}

void
ferry_cli_command_mkdir (FerryCliContext          *context,
                         const FerryCliInvocation *invocation,
                         GTask                    *task)
{
  prepare_simple (context, task, ferry_client_mkdir_finish,
                  g_strdup_printf (_("cannot create folder %s"), invocation->args[0]));
  note_change (task, invocation->args[0]);
  ferry_client_mkdir_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                            on_simple_done, g_object_ref (task));
}

/* rm: each name, a pattern standing for the files it matches, deleted in order. */
typedef struct {
  GQueue    paths;      /* of char *: left to delete, or a pattern to expand */
  char     *current;
  guint     failed;
  GError   *first_error;   /* the latest failure, not printed yet */
} RemoveRun;

static void
remove_run_free (RemoveRun *run)
{
  g_queue_clear_full (&run->paths, g_free);
  g_free (run->current);
  g_clear_error (&run->first_error);
  g_free (run);
}

static void remove_next (FerryCliContext *context, GTask *task);

static void
remember_failure (RemoveRun  *run,
                  GError     *error,
                  const char *what)
{
  g_autofree char *reason = ferry_cli_error_reason (error);

  /* Every failure gets its line, in order; the last one is the command's own error. */
  if (run->first_error != NULL)
    g_printerr ("%s\n", run->first_error->message);
  g_clear_error (&run->first_error);
  run->first_error = g_error_new (error->domain, error->code, "%s: %s%s", what, reason,
                                  ferry_cli_error_hint (error));
  run->failed++;
  g_error_free (error);
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoveRun *run = g_task_get_task_data (task);
  FerryCliContext *context = g_object_get_data (G_OBJECT (task), "context");
  g_autofree char *absolute = ferry_cli_absolute_remote (context, run->current);
  g_autofree char *folder = g_path_get_dirname (absolute);
  GError *error = NULL;

  ferry_cli_complete_forget (folder);
  if (!ferry_client_delete_finish (FERRY_CLIENT (source), result, &error))
    {
      g_autofree char *what = g_strdup_printf (_("cannot delete %s"), run->current);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          ferry_cli_return_failure (task, error, what);
          return;
        }
      remember_failure (run, error, what);
    }
  remove_next (context, task);
}

static void
on_globbed_for_rm (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoveRun *run = g_task_get_task_data (task);
  FerryCliContext *context = g_object_get_data (G_OBJECT (task), "context");
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  entries = ferry_cli_glob_remote_finish (result, &error);
  if (entries == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("cannot delete %s"), run->current);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          ferry_cli_return_failure (task, error, what);
          return;
        }
      remember_failure (run, error, what);
      remove_next (context, task);
      return;
    }
  /* The matches go first, in the pattern's place; a match is a name, never a pattern. */
  for (guint i = entries->len; i > 0; i--)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i - 1);

      g_queue_push_head (&run->paths, g_strconcat ("\x01", entry->name, NULL));
    }
  remove_next (context, task);
}

static void
remove_next (FerryCliContext *context,
             GTask           *task)
{
  RemoveRun *run = g_task_get_task_data (task);
  g_autofree char *word = g_queue_pop_head (&run->paths);
  gboolean literal;

  g_clear_pointer (&run->current, g_free);
  if (word == NULL)
    {
      if (run->first_error != NULL)
        g_task_return_error (task, g_steal_pointer (&run->first_error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  literal = word[0] == '\x01';
  run->current = g_strdup (literal ? word + 1 : word);
  if (!literal && ferry_cli_glob_has_magic (run->current))
    {
      ferry_cli_glob_remote_async (context->client, run->current, TRUE,
                                   g_task_get_cancellable (task), on_globbed_for_rm,
                                   g_object_ref (task));
      return;
    }
  ferry_client_delete_async (context->client, run->current, g_task_get_cancellable (task),
                             on_removed, g_object_ref (task));
}

void
ferry_cli_command_rm (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  RemoveRun *run = g_new0 (RemoveRun, 1);

  for (guint i = 0; i < invocation->n_args; i++)
    g_queue_push_tail (&run->paths, g_strdup (invocation->args[i]));
  g_task_set_task_data (task, run, (GDestroyNotify) remove_run_free);
  g_object_set_data (G_OBJECT (task), "context", context);
  remove_next (context, task);
}

void
ferry_cli_command_rmdir (FerryCliContext          *context,
                         const FerryCliInvocation *invocation,
                         GTask                    *task)
{
  prepare_simple (context, task, ferry_client_rmdir_finish,
                  g_strdup_printf (_("cannot remove folder %s"), invocation->args[0]));
  note_change (task, invocation->args[0]);
  ferry_client_rmdir_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                            on_simple_done, g_object_ref (task));
}

/* The engine's refusal, with what to do about it. */
static gboolean
finish_rename_no_replace (FerryClient   *client,
                          GAsyncResult  *result,
                          GError       **error)
{
  GError *local_error = NULL;

  if (ferry_client_rename_no_replace_finish (client, result, &local_error))
    return TRUE;
  if (g_error_matches (local_error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS))
    {
      g_autofree char *said = g_strdup (local_error->message);

      g_clear_error (&local_error);
      /* Translators: %s says what is in the way: "“b.txt” already exists". */
      local_error = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_EXISTS,
                                 _("%s; nothing was renamed (mv -f replaces it)"), said);
    }
  g_propagate_error (error, local_error);
  return FALSE;
}

void
ferry_cli_command_mv (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  const char *from = invocation->args[0];
  g_autofree char *to = ferry_cli_remote_target_for (invocation->args[1], from);
  g_autofree char *from_path = NULL;
  g_autofree char *to_path = NULL;

  if (invocation->force)
    {
      /* -f: RNFR/RNTO as it is, which replaces an existing TO on most servers. */
      prepare_simple (context, task, ferry_client_rename_finish,
                      g_strdup_printf (_("cannot rename %s to %s"), from, to));
      note_change (task, from);
      note_change (task, to);
      ferry_client_rename_async (context->client, from, to, g_task_get_cancellable (task),
                                 on_simple_done, g_object_ref (task));
      return;
    }
  /* Unlike ftp's rename, never silently over a file that is there (issue 17). */
  prepare_simple (context, task, finish_rename_no_replace,
                  g_strdup_printf (_("cannot rename %s to %s"), from, to));
  note_change (task, from);
  note_change (task, to);
  from_path = ferry_cli_absolute_remote (context, from);
  to_path = ferry_cli_absolute_remote (context, to);
  ferry_client_rename_no_replace_async (context->client, from_path, to_path,
                                        g_task_get_cancellable (task), on_simple_done,
                                        g_object_ref (task));
}
