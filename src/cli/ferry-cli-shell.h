// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-shell.h — the interactive prompt: reads command lines, runs them one at a time
 * on a logged-in client, and turns Ctrl+C into "cancel the running command". */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"

G_BEGIN_DECLS

#define FERRY_CLI_TYPE_SHELL (ferry_cli_shell_get_type ())

G_DECLARE_FINAL_TYPE (FerryCliShell, ferry_cli_shell, FERRY_CLI, SHELL, GObject)

/* start_path: the folder to change to first (the URL's path), or NULL. */
FerryCliShell *ferry_cli_shell_new        (FerryClient         *client,
                                           const char          *start_path,
                                           gboolean             quiet);

/* Runs until quit, end of input, a lost connection or (without a terminal) Ctrl+C, then
 * says goodbye to the server. The result is FALSE with an error when the session could not
 * start or broke; without a terminal also when any command failed (the script did not
 * fully succeed); the error is then already printed. Cancelling ends the session as
 * Ctrl+C does in a script: the running command is cancelled, then the goodbye. */
void           ferry_cli_shell_run_async  (FerryCliShell       *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean       ferry_cli_shell_run_finish (FerryCliShell       *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
