// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-log.h — where ferryd's structured log goes: the journal, or stderr. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Installs the log writer for this process: to journald when stderr is connected to the
 * journal (systemd), else one line per message on stderr ("ferryd[PID]: …"), never stdout
 * (stdout carries only the start line). Debug messages only when verbose. */
void ferryd_log_init        (void);
void ferryd_log_set_verbose (gboolean verbose);

/* Every log line may carry what a client sent (a user name, a path): its non-printable bytes
 * become \xNN (C0/C1 controls, DEL, invalid UTF-8, unprintable characters) and a backslash
 * becomes \\, so nothing in a log moves a terminal's cursor or forges a line. Returns NULL
 * when text needs no escape (the usual case: no copy). */
char *ferryd_log_escape     (const char *text,
                             gsize       length);
/* The same, and a space becomes \x20: for one field of a line whose fields are separated
 * by spaces (the transfer log's file and user names), which then cannot add a field. */
char *ferryd_log_escape_word (const char *text,
                              gsize       length);

G_END_DECLS
