// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-certificate-changed-dialog.h — the warning shown when a server presents a
 * certificate other than the one trusted always (as OpenSSH's "REMOTE HOST IDENTIFICATION
 * HAS CHANGED"). Responses: "cancel" (the default, and Escape), "once" (Connect Anyway,
 * this time only) and "always" (Trust New Certificate, replacing the old one). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *ferry_certificate_changed_dialog_new (GtkWindow  *parent,
                                                       const char *server,
                                                       const char *pinned,
                                                       const char *presented);

G_END_DECLS
