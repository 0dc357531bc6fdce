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

G_END_DECLS
