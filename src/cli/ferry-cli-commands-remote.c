// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-remote.c — the commands on remote folders and names: ls, cd, pwd,
 * mkdir, rm, rmdir, mv. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"
#include "ferry-cli-format.h"

#include <glib/gi18n.h>

/* ls ------------------------------------------------------------------------------------ */

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

void
ferry_cli_command_ls (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
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
} SimpleCommand;

static void
simple_command_free (SimpleCommand *command)
{
  g_free (command->what);
  g_free (command);
}

static void
on_simple_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SimpleCommand *command = g_task_get_task_data (task);
  GError *error = NULL;

  if (command->finish (FERRY_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    ferry_cli_return_failure (task, error, command->what);
}

/* Takes what (the formatted "cannot … x"). */
static void
prepare_simple (GTask      *task,
                FinishFunc  finish,
                char       *what)
{
  SimpleCommand *command = g_new0 (SimpleCommand, 1);

  command->finish = finish;
  command->what = what;
  g_task_set_task_data (task, command, (GDestroyNotify) simple_command_free);
}

void
ferry_cli_command_mkdir (FerryCliContext          *context,
                         const FerryCliInvocation *invocation,
                         GTask                    *task)
{
  prepare_simple (task, ferry_client_mkdir_finish,
                  g_strdup_printf (_("cannot create folder %s"), invocation->args[0]));
  ferry_client_mkdir_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                            on_simple_done, g_object_ref (task));
}

void
ferry_cli_command_rm (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  prepare_simple (task, ferry_client_delete_finish,
                  g_strdup_printf (_("cannot delete %s"), invocation->args[0]));
  ferry_client_delete_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                             on_simple_done, g_object_ref (task));
}

void
ferry_cli_command_rmdir (FerryCliContext          *context,
                         const FerryCliInvocation *invocation,
                         GTask                    *task)
{
  prepare_simple (task, ferry_client_rmdir_finish,
                  g_strdup_printf (_("cannot remove folder %s"), invocation->args[0]));
  ferry_client_rmdir_async (context->client, invocation->args[0], g_task_get_cancellable (task),
                            on_simple_done, g_object_ref (task));
}

void
ferry_cli_command_mv (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  const char *from = invocation->args[0];
  g_autofree char *to = ferry_cli_remote_target_for (invocation->args[1], from);

  prepare_simple (task, ferry_client_rename_finish,
                  g_strdup_printf (_("cannot rename %s to %s"), from, to));
  ferry_client_rename_async (context->client, from, to, g_task_get_cancellable (task),
                             on_simple_done, g_object_ref (task));
}
