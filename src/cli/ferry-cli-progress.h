// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-progress.h — the progress bar of a transfer, drawn on stderr when stderr is a
 * terminal (nothing otherwise), redrawn at most ten times a second. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FerryCliProgress FerryCliProgress;

/* enabled: FALSE for --quiet; the bar also stays off when stderr is not a terminal. */
FerryCliProgress *ferry_cli_progress_new     (gboolean          enabled);
void              ferry_cli_progress_free    (FerryCliProgress *progress);

gboolean          ferry_cli_progress_is_shown (FerryCliProgress *progress);

/* A new transfer: name is what the line shows (the file's base name). */
void              ferry_cli_progress_start   (FerryCliProgress *progress,
                                              const char       *name);

/* total and bytes_per_second may be unknown (< 0). Redraws only when 100 ms passed. */
void              ferry_cli_progress_update  (FerryCliProgress *progress,
                                              gint64            done,
                                              gint64            total,
                                              double            bytes_per_second);

/* Draws the final state and ends the line (completed), or wipes the line (failed or
 * cancelled) so the error message that follows stands alone. */
void              ferry_cli_progress_finish  (FerryCliProgress *progress,
                                              gboolean          completed);
/* Prints line (and a line end) on stderr, wiping the progress line first if one is drawn;
 * the bar comes back with the next update. */
/* The same for an informational line ("verified …"), where the progress is shown (a
 * terminal, no --quiet): a script's output stays what it was. */
void              ferry_cli_progress_print_info  (FerryCliProgress *progress,
                                                  const char       *line);
void              ferry_cli_progress_print_above (FerryCliProgress *progress,
                                                  const char       *line);

/* A folder transfer: its files done of total, shown before the name ("12/2300 files
 * 45 files/s photos [===>  ] …"); reset by ferry_cli_progress_start(). */
void              ferry_cli_progress_set_files (FerryCliProgress *progress,
                                                guint             done,
                                                guint             total,
                                                double            per_second);

/* Wipes the line so a message can be printed; the next update draws it again. */
void              ferry_cli_progress_clear_line (FerryCliProgress *progress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCliProgress, ferry_cli_progress_free)

G_END_DECLS
