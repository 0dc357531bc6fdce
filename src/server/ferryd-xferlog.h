// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-xferlog.h — the transfer log (--xferlog): one line per transfer in wu-ftpd's
 * xferlog format, as vsftpd (xferlog_std_format), ProFTPD and pure-ftpd write it, so that
 * the analysers admins already run can read it. The listener opens the file (before it
 * drops root) and hands the descriptor to the session zygote; each session process appends
 * its own lines to it, one write(2) each, so that lines of concurrent sessions never mix.
 *
 *   Thu Dec  3 22:29:13 2026 1 192.0.2.7 1048576 /pub/a\x20b.iso b _ o a guest@example ftp 0 * c
 *
 * current-time, transfer-time (whole seconds, at least 1), remote-host (the real client,
 * also behind a PROXY protocol balancer), file-size (bytes on the data connection),
 * filename (the path the client sees), a/b (TYPE A or I), "_" (no special action), o/i
 * (download, upload), a/r (anonymous, real user), username (an anonymous user's password,
 * as vsftpd logs it), "ftp", "0" and "*" (no RFC 1413 identity), c/i (complete or not:
 * ABOR, a client gone, a broken data connection, a full disk).
 *
 * The file and user names come from clients: they go through ferryd_log_escape_word, so a
 * space is \x20, a backslash \\, control characters and bytes that are not printable UTF-8
 * \xNN, and a name cannot add a field or a line. A line is at most FERRYD_XFERLOG_LINE_MAX
 * bytes: a file name that does not fit is cut at a whole character or escape and ends in
 * "\..." (which no escaped name can contain). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Newline included: no longer than PIPE_BUF, so a line is one write also into a pipe. */
#define FERRYD_XFERLOG_LINE_MAX 4096
/* The username field at most (an anonymous password can be as long as a command line). */
#define FERRYD_XFERLOG_USER_MAX 256

typedef struct {
  gint64       when;            /* the end of the transfer, seconds since the epoch */
  gint64       duration_usec;
  const char  *remote_host;
  goffset      bytes;
  const char  *path;
  gboolean     ascii;
  gboolean     upload;
  gboolean     anonymous;
  const char  *user;            /* anonymous: the password given; NULL or "" is written "*" */
  gboolean     complete;
} FerrydXferlogEntry;

/* In the listener: opens path to append (created 0640 if missing), close-on-exec, and
 * checks that it can be written to; -1 with an error naming the file otherwise. */
int   ferryd_xferlog_open   (const char  *path,
                             GError     **error);

/* In the session zygote: this process and the sessions it forks write to fd. */
void  ferryd_xferlog_use_fd (int fd);

/* The entry's line, newline included, into line (FERRYD_XFERLOG_LINE_MAX bytes); returns
 * its length. */
gsize ferryd_xferlog_format (const FerrydXferlogEntry *entry,
                             char                     *line);

/* Appends the entry's line in one write(2); does nothing when no log was given. */
void  ferryd_xferlog_write  (const FerrydXferlogEntry *entry);

G_END_DECLS
