// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-format.h — the text ferry-cli prints: folder listings like "ls -l", and the
 * progress line of a transfer. Pure functions, so they are easy to test. */
#pragma once

#include <glib.h>

#include "ferry-entry.h"

G_BEGIN_DECLS

/* Appends one line per entry, sorted by name: type and permissions (blank when the server
 * does not tell them), size, modification
 * time (local time), name ("name -> target" for symlinks, folders end in '/').
 * The size column is as wide as the widest size. Dot-files, "." and ".." entries are left
 * out unless show_hidden. */
void   ferry_cli_format_listing  (GString          *out,
                                  GPtrArray        *entries,
                                  gboolean          show_hidden);

/* The terminal columns text takes: 2 for a wide character (CJK), 0 for a combining or
 * zero-width one, 1 for the others. */
guint  ferry_cli_display_width  (const char       *text);

/* "1:05", "1:02:03", or "--:--" when unknown (negative). */
char  *ferry_cli_format_duration (gint64            seconds);

/* One progress line of exactly width terminal columns (at least 20):
 * "name  42% [=====>    ] 1.2 MB  3.4 MB/s  0:12". total or rate may be unknown (< 0). */
char  *ferry_cli_format_progress (const char       *name,
                                  gint64            done,
                                  gint64            total,
                                  double            bytes_per_second,
                                  guint             width);

G_END_DECLS
