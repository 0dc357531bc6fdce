// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands.h — the commands of the prompt (ls, cd, get, put, …), which the
 * one-shot mode runs too. Each runs asynchronously and completes a GTask: TRUE, or an
 * error whose message is the whole line to print ("cannot download /x: …"). */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-cli-progress.h"

G_BEGIN_DECLS

/* What the commands work with; owned by the prompt or the one-shot run. */
typedef struct {
  FerryClient      *client;
  FerryCliProgress *progress;
  char             *home;      /* the remote folder "cd" alone returns to */
  gboolean          quiet;
} FerryCliContext;

/* The commands' own errors (usage, local files); the engine's keep their domain. */
#define FERRY_CLI_ERROR (ferry_cli_error_quark ())

typedef enum {
  FERRY_CLI_ERROR_USAGE,          /* wrong arguments for a command, unknown command */
  FERRY_CLI_ERROR_LOCAL,          /* a local file or folder problem */
  FERRY_CLI_ERROR_QUIT,           /* "quit": not a failure, the end of the session */
  FERRY_CLI_ERROR_SCRIPT_FAILED,  /* commands read from a pipe or file failed */
  FERRY_CLI_ERROR_SKIPPED,        /* a folder download left out entries with unsafe names */
} FerryCliError;

GQuark ferry_cli_error_quark (void);

/* The command names, NULL-terminated, for completion. */
const char * const *ferry_cli_command_names (void);

/* Runs argv (argv[0] is the command name) and completes with TRUE or an error. The
 * cancellable is Ctrl+C. context must outlive the run. */
void     ferry_cli_command_run_async  (FerryCliContext      *context,
                                       const char * const   *argv,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean ferry_cli_command_run_finish (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
