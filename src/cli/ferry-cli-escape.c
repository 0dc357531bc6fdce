// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-escape.c — escaping server-supplied text before it reaches the terminal, with
 * the protocol core's ferry_display_text() (the app uses the same). */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-escape.h"
#include "ferry-display-text.h"

char *
ferry_cli_escape (const char *text)
{
  return ferry_display_text (text, FALSE);
}

char *
ferry_cli_escape_lines (const char *text)
{
  return ferry_display_text (text, TRUE);
}

gboolean
ferry_cli_is_printable (const char *text)
{
  g_autofree char *escaped = ferry_display_text (text, FALSE);

  return g_strcmp0 (escaped, text) == 0;
}
