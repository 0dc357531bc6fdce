// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-progress.c — a one-line progress bar redrawn in place with "\r". */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-progress.h"
#include "ferry-cli-escape.h"
#include "ferry-cli-format.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define REDRAW_INTERVAL_USEC (G_USEC_PER_SEC / 10)
#define FALLBACK_COLUMNS 80

struct _FerryCliProgress
{
  gboolean  shown;
  gboolean  drawn;          /* a line is on screen and must be ended or wiped */
  char     *name;
  gint64    last_draw;      /* monotonic µs */
  gint64    done;
  gint64    total;
  double    rate;
  guint     files_done;      /* a folder transfer's files, 0 of 0 for one file */
  guint     files_total;
  double    files_per_second;
};

FerryCliProgress *
ferry_cli_progress_new (gboolean enabled)
{
  FerryCliProgress *progress = g_new0 (FerryCliProgress, 1);

  progress->shown = enabled && isatty (STDERR_FILENO);
  return progress;
}

void
ferry_cli_progress_free (FerryCliProgress *progress)
{
  if (progress == NULL)
    return;
  g_free (progress->name);
  g_free (progress);
}

gboolean
ferry_cli_progress_is_shown (FerryCliProgress *progress)
{
  return progress->shown;
}

static guint
terminal_columns (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return FALLBACK_COLUMNS;
}

static void
draw (FerryCliProgress *progress)
{
  /* One column less than the terminal so the cursor never wraps to a new line. */
  guint width = terminal_columns () - 1;
  g_autofree char *counts = NULL;
  g_autofree char *line = NULL;

  /* A folder: the files counted first, where a long name cannot push them out. */
  if (progress->files_total > 0)
    counts = g_strdup_printf (_("%u/%u files %.0f files/s "), progress->files_done,
                              progress->files_total, progress->files_per_second);
  if (counts != NULL && ferry_cli_display_width (counts) + 20 < width)
    width -= ferry_cli_display_width (counts);
  else
    g_clear_pointer (&counts, g_free);
  line = ferry_cli_format_progress (progress->name, progress->done, progress->total,
                                    progress->rate, width);
  fprintf (stderr, "\r%s%s", counts != NULL ? counts : "", line);
  fflush (stderr);
  progress->drawn = TRUE;
  progress->last_draw = g_get_monotonic_time ();
}

void
ferry_cli_progress_start (FerryCliProgress *progress,
                          const char       *name)
{
  g_free (progress->name);
  /* The name is the server's (a folder download shows remote names). */
  progress->name = ferry_cli_escape (name);
  progress->done = 0;
  progress->total = -1;
  progress->rate = -1;
  progress->drawn = FALSE;
  progress->last_draw = 0;
  progress->files_done = 0;
  progress->files_total = 0;
  progress->files_per_second = 0;
}

void
ferry_cli_progress_update (FerryCliProgress *progress,
                           gint64            done,
                           gint64            total,
                           double            bytes_per_second)
{
  progress->done = done;
  progress->total = total;
  progress->rate = bytes_per_second;

  if (!progress->shown || progress->name == NULL)
    return;
  if (progress->drawn && g_get_monotonic_time () - progress->last_draw < REDRAW_INTERVAL_USEC)
    return;
  draw (progress);
}

void
ferry_cli_progress_finish (FerryCliProgress *progress,
                           gboolean          completed)
{
  if (progress->shown && progress->name != NULL)
    {
      if (completed)
        {
          if (progress->total < 0)
            progress->total = progress->done;
          draw (progress);
          fputc ('\n', stderr);
        }
      else if (progress->drawn)
        {
          /* Erase to the end of the line: the error message goes there. */
          fputs ("\r\033[K", stderr);
        }
      fflush (stderr);
    }
  g_clear_pointer (&progress->name, g_free);
  progress->drawn = FALSE;
}

void
ferry_cli_progress_set_files (FerryCliProgress *progress,
                              guint             done,
                              guint             total,
                              double            per_second)
{
  progress->files_done = done;
  progress->files_total = total;
  progress->files_per_second = per_second;
}

void
ferry_cli_progress_clear_line (FerryCliProgress *progress)
{
  if (!progress->shown || !progress->drawn)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  progress->drawn = FALSE;
}

void
ferry_cli_progress_print_above (FerryCliProgress *progress,
                                const char       *line)
{
  ferry_cli_progress_clear_line (progress);
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
}

void
ferry_cli_progress_print_info (FerryCliProgress *progress,
                               const char       *line)
{
  if (progress->shown)
    ferry_cli_progress_print_above (progress, line);
}
