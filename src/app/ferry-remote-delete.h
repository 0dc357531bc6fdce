// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-remote-delete.h — delete a remote file, or a remote folder with all it holds. */
#pragma once

#include "ferry-client.h"

G_BEGIN_DECLS

void     ferry_remote_delete_async  (FerryClient         *client,
                                     const char          *path,
                                     gboolean             is_folder,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean ferry_remote_delete_finish (GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
