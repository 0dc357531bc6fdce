// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-session.c — open URL and close: another server without leaving the
 * prompt. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"
#include "ferry-cli-complete.h"
#include "ferry-cli-login.h"

#include <glib/gi18n.h>

typedef struct {
  FerryCliContext *context;
  FerryCliTarget  *target;
  FerryClient     *client;    /* the new session, until it is the context's */
} OpenRun;

static void
open_run_free (OpenRun *run)
{
  g_clear_pointer (&run->target, ferry_cli_target_free);
  g_clear_object (&run->client);
  g_free (run);
}

/* The old session says goodbye in the background; nothing waits for it. */
static void
on_old_session_closed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ferry_client_disconnect_finish (FERRY_CLIENT (source), result, NULL);
}

static void
adopt_client (FerryCliContext *context,
              FerryClient     *client)
{
  if (context->client != NULL && ferry_client_is_connected (context->client))
    ferry_client_disconnect_async (context->client, NULL, on_old_session_closed, NULL);
  g_set_object (&context->client, client);
  g_free (context->home);
  context->home = g_strdup (ferry_client_get_current_directory (client));
  ferry_cli_complete_forget_all ();
  ferry_cli_complete_set_client (client);
}

static void
on_start_folder (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenRun *run = g_task_get_task_data (task);
  g_autofree char *folder = NULL;
  GError *error = NULL;

  folder = ferry_client_change_directory_finish (FERRY_CLIENT (source), result, &error);
  adopt_client (run->context, run->client);
  if (folder == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("connected, but cannot change to %s"),
                                               run->target->url->path);

      ferry_cli_return_failure (task, error, what);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenRun *run = g_task_get_task_data (task);
  const char *path;
  GError *error = NULL;

  run->client = ferry_cli_open_finish (result, &error);
  if (run->client == NULL)
    {
      /* The message names the server and says what to do; the old session stays. */
      g_task_return_error (task, error);
      return;
    }
  if (!run->context->quiet)
    {
      g_autofree char *line = g_strdup_printf (_("Connected to %s.\n"),
                                               ferry_client_get_host (run->client));

      ferry_cli_print_text (line);
    }
  path = run->target->url->path;
  if (path != NULL && *path != '\0' && !g_str_equal (path, "/"))
    {
      ferry_client_change_directory_async (run->client, path, g_task_get_cancellable (task),
                                           on_start_folder, g_object_ref (task));
      return;
    }
  adopt_client (run->context, run->client);
  g_task_return_boolean (task, TRUE);
}

void
ferry_cli_command_open (FerryCliContext          *context,
                        const FerryCliInvocation *invocation,
                        GTask                    *task)
{
  FerryCliOptions options = { .mode = FERRY_CLI_MODE_PROMPT, .url = invocation->args[0] };
  OpenRun *run = g_new0 (OpenRun, 1);
  GError *error = NULL;

  run->context = context;
  g_task_set_task_data (task, run, (GDestroyNotify) open_run_free);
  run->target = ferry_cli_target_new (&options, &error);
  if (run->target == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("cannot open %s"), invocation->args[0]);

      g_prefix_error (&error, "%s: ", what);
      g_task_return_error (task, error);
      return;
    }
  ferry_cli_open_async (run->target, g_task_get_cancellable (task), on_opened,
                        g_object_ref (task));
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  ferry_client_disconnect_finish (FERRY_CLIENT (source), result, NULL);
  ferry_cli_complete_forget_all ();
  ferry_cli_complete_set_client (NULL);
  g_task_return_boolean (task, TRUE);
}

void
ferry_cli_command_close (FerryCliContext          *context,
                         const FerryCliInvocation *invocation,
                         GTask                    *task)
{
  ferry_client_disconnect_async (context->client, NULL, on_closed, g_object_ref (task));
}
