// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-secrets.h — server passwords in the Secret Service (libsecret), never elsewhere. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      ferry_secrets_lookup_async  (const char          *server,
                                       guint16              port,
                                       const char          *user,
                                       const char          *protocol,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char     *ferry_secrets_lookup_finish (GAsyncResult        *result,
                                       GError             **error);
void      ferry_secrets_store_async   (const char          *server,
                                       guint16              port,
                                       const char          *user,
                                       const char          *protocol,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  ferry_secrets_store_finish  (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
