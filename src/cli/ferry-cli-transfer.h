// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-transfer.h — runs one FerryTransfer on the client and shows its progress. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-cli-progress.h"

G_BEGIN_DECLS

void     ferry_cli_transfer_run_async  (FerryClient         *client,
                                        FerryTransfer       *transfer,
                                        FerryCliProgress    *progress,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean ferry_cli_transfer_run_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
