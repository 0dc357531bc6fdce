// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-status.h — the status channel (--status-fd): one JSON object per line about what
 * clients do (connect, login, transfers, disconnect), for a program that runs ferryd (the
 * Ferry app's "Share a Folder"). Not the log: a fixed format that programs read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A line in the making: {"event":EVENT,"pid":PID,"time":UNIX-SECONDS.MS … */
GString *ferryd_status_begin      (const char *event);
/* "key":"value", escaped: JSON string rules, and bytes that are not printable UTF-8 (a
 * client's path) as the log writes them (\xNN), at most 1024 bytes of value. */
void     ferryd_status_add_string (GString    *line,
                                   const char *key,
                                   const char *value);
void     ferryd_status_add_number (GString    *line,
                                   const char *key,
                                   gint64      value);
void     ferryd_status_add_bool   (GString    *line,
                                   const char *key,
                                   gboolean    value);
/* Ends the line and writes it to fd in one write (under PIPE_BUF: lines of concurrent
 * session processes never interleave), then frees it. fd < 0: only frees. A reader that
 * falls behind loses lines rather than stalling the server (the descriptor is made
 * non-blocking by ferryd_status_prepare). */
void     ferryd_status_send       (int         fd,
                                   GString    *line);

/* In the listener, once: checks that fd is open and makes writes to it non-blocking. */
gboolean ferryd_status_prepare    (int         fd,
                                   GError    **error);

G_END_DECLS
