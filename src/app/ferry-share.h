// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-share.h — a folder shared on the LAN: ferryd run as the desktop user on a free port,
 * announced, and what its clients do, read from ferryd's status channel (--status-fd). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_TYPE_SHARE (ferry_share_get_type ())

G_DECLARE_FINAL_TYPE (FerryShare, ferry_share, FERRY, SHARE, GObject)

#define FERRY_SHARE_USER "ferry"   /* the one login of a password share */

typedef enum {
  FERRY_SHARE_STOPPED,
  FERRY_SHARE_STARTING,
  FERRY_SHARE_RUNNING,
  FERRY_SHARE_STOPPING,
} FerryShareState;

/* password NULL: anyone may download, nobody may upload; else anyone may still download and
 * FERRY_SHARE_USER with the password may upload too. name: the announced name (at most 63
 * bytes of it are used). */
FerryShare     *ferry_share_new          (GFile      *folder,
                                          const char *password,
                                          const char *name);

/* Starts ferryd; "state" becomes RUNNING once it listens (then the port is known), or
 * STOPPED again with "error" set. */
void            ferry_share_start        (FerryShare *self);
/* SIGTERM to ferryd; "state" becomes STOPPED when it has exited. */
void            ferry_share_stop         (FerryShare *self);

FerryShareState ferry_share_get_state    (FerryShare *self);
guint16         ferry_share_get_port     (FerryShare *self);
GPid            ferry_share_get_pid      (FerryShare *self);   /* 0 when not running */
GFile          *ferry_share_get_folder   (FerryShare *self);
const char     *ferry_share_get_password (FerryShare *self);
const char     *ferry_share_get_name     (FerryShare *self);   /* as announced, once it is */
const GError   *ferry_share_get_error    (FerryShare *self);
/* Who is connected now: GtkStringObject-like rows as FerryShareClient text, one per client
 * session, "198.51.100.2 (anonymous) — downloading /photo.jpg". */
GListModel     *ferry_share_get_clients  (FerryShare *self);

/* The ferryd program to run: $FERRY_FERRYD, else the one beside the app when it runs from
 * the build folder, else the installed one. */
char           *ferry_share_find_ferryd  (void);
/* A new password: 12 random letters and digits that are hard to mistake, in three groups. */
char           *ferry_share_new_password (void);
/* "Photos of Ann on laptop", cut to 63 bytes between characters. */
char           *ferry_share_default_name (GFile      *folder);

G_END_DECLS
