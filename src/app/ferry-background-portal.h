// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-background-portal.h — permission to go on running with no window open. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* TRUE when Ferry runs sandboxed (Flatpak: /.flatpak-info exists) or FERRY_USE_PORTAL=1:
 * then a process with no window may be killed unless the Background portal allowed it. */
gboolean ferry_background_portal_needed          (void);

/* Asks org.freedesktop.portal.Background (RequestBackground) to let Ferry run with no window
 * open, giving reason (shown to the user); parent (may be NULL) stays alive until the answer.
 * Outside a sandbox there is nothing to ask and it succeeds. Fails with
 * G_IO_ERROR_PERMISSION_DENIED (a message to show) when refused, or with the portal's error
 * when there is none. */
void     ferry_background_portal_request_async   (GtkWindow           *parent,
                                                  const char          *reason,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean ferry_background_portal_request_finish  (GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
