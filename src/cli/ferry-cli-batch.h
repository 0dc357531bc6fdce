// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-batch.h — many file transfers at once over several connections (get -r,
 * put -r, mirror), with one progress line for them all; and creating remote folders. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-cli-progress.h"

G_BEGIN_DECLS

/* Called on the main context when one transfer of the batch finished (done, failed or
 * cancelled); the batch prints failures itself. */
typedef void (*FerryCliBatchFileDone) (FerryTransfer *transfer,
                                       gpointer       user_data);

typedef struct {
  guint                  parallel;      /* connections, 1–16 */
  gboolean               verbose;       /* a line per file */
  const char            *label;         /* what the progress line names ("photos") */
  gint64                 total_bytes;   /* -1 when unknown */
  const char            *base;          /* remote paths are shown relative to it, or NULL */
  FerryCliBatchFileDone  file_done;
  gpointer               file_done_data;
} FerryCliBatchOptions;

/* Runs transfers (FerryTransfer, queued, with absolute remote paths) on new connections
 * made like client's. Completes with TRUE when every one is done; otherwise an error that
 * counts the failures (each was printed as it happened), or G_IO_ERROR_CANCELLED. */
void     ferry_cli_batch_run_async      (FerryClient                *client,
                                         GPtrArray                  *transfers,
                                         const FerryCliBatchOptions *options,
                                         FerryCliProgress           *progress,
                                         GCancellable               *cancellable,
                                         GAsyncReadyCallback         callback,
                                         gpointer                    user_data);
gboolean ferry_cli_batch_run_finish     (GAsyncResult               *result,
                                         GError                    **error);

/* Creates the remote folders (absolute paths, parents first) one after the other; a folder
 * that already exists is fine. */
void     ferry_cli_remote_mkdirs_async  (FerryClient                *client,
                                         GPtrArray                  *folders,
                                         GCancellable               *cancellable,
                                         GAsyncReadyCallback         callback,
                                         gpointer                    user_data);
gboolean ferry_cli_remote_mkdirs_finish (GAsyncResult               *result,
                                         GError                    **error);

G_END_DECLS
