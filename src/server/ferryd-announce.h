// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-announce.h — the DNS-SD announcement (_ftp._tcp) through Avahi, in the listener. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRYD_ANNOUNCE_SERVICE_TYPE "_ftp._tcp"

typedef struct _FerrydAnnounce FerrydAnnounce;

/* Starts announcing on the default GMainContext: name (NULL: "FOLDER on HOST", from root's
 * last component and Avahi's host name), port, TXT path=/ and, when login_needed, u=.
 * interface_index is an interface to announce on only (0: every one Avahi uses).
 * Never fails: without Avahi it logs one line and waits for the daemon to appear.
 * status_fd (or -1): where the status channel's "announced" line goes, with the name. */
FerrydAnnounce *ferryd_announce_new  (const char *name,
                                      const char *root,
                                      guint16     port,
                                      gboolean    login_needed,
                                      int         interface_index,
                                      int         status_fd);
/* Withdraws the announcement (Avahi sends the goodbye packets) and frees. */
void            ferryd_announce_free (FerrydAnnounce *announce);

/* Where to announce a server bound to bind_address (NULL or any: every interface, 0); the
 * index of the interface that has that address; -1 when there is nothing to announce
 * (loopback only, or no interface has it). */
int             ferryd_announce_interface_for (const char *bind_address);

/* The name announced by default for root on host: "FOLDER on HOST", at most 63 bytes. */
char           *ferryd_announce_default_name (const char *root,
                                              const char *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydAnnounce, ferryd_announce_free)

G_END_DECLS
