// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-oneshot.h — "ferry-cli ls|get|put …": runs the prompt's commands for one
 * command line, stops at the first failure, and says goodbye to the server. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-cli-options.h"

G_BEGIN_DECLS

/* client is logged in; remote_path is the URL's path (NULL when it names none). Ctrl+C
 * or cancellable cancels (a download keeps its .part to resume). */
void     ferry_cli_oneshot_run_async  (FerryClient           *client,
                                       const FerryCliOptions *options,
                                       const char            *remote_path,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data);
gboolean ferry_cli_oneshot_run_finish (GAsyncResult          *result,
                                       GError               **error);

G_END_DECLS
