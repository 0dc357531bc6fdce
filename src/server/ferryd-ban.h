// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-ban.h — the listener's per-address ban on repeated failed logins (as ProFTPD's
 * mod_ban): --max-login-failures within --ban-window ban an address for --ban-time. Kept in
 * the listener's memory: it survives SIGHUP, not a restart. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerrydBan FerrydBan;

FerrydBan *ferryd_ban_new          (void);
void       ferryd_ban_free         (FerrydBan  *ban);

/* max_failures 0 turns the ban off (and lifts every ban). */
void       ferryd_ban_configure    (FerrydBan  *ban,
                                    guint       max_failures,
                                    guint       window_seconds,
                                    guint       ban_seconds);

/* failures more failed logins from ip (a session's, as they happen); bans it, logging it
 * once, when they reach max_failures within the window. */
void       ferryd_ban_add_failures (FerrydBan  *ban,
                                    const char *ip,
                                    guint       failures);

gboolean   ferryd_ban_is_banned    (FerrydBan  *ban,
                                    const char *ip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydBan, ferryd_ban_free)

G_END_DECLS
