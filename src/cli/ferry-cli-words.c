// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-words.c — prompt lines into words. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-words.h"

#include <glib/gi18n.h>

GStrv
ferry_cli_split_words (const char  *line,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GStrv words = NULL;

  /* GLib's parser reports an empty line or a lone comment as an error: for a prompt both
   * are just nothing to do. */
  if (g_shell_parse_argv (line, NULL, &words, &local_error))
    return words;
  if (g_error_matches (local_error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
    return g_new0 (char *, 1);

  g_set_error (error, G_SHELL_ERROR, local_error->code,
               _("Cannot read this line: %s"), local_error->message);
  return NULL;
}
