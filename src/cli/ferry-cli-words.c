// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-words.c — prompt lines into words. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-words.h"

#include <glib/gi18n.h>
#include <string.h>

GStrv
ferry_cli_split_words (const char  *line,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GStrv words = NULL;
  const char *start = line + strspn (line, " \t");

  /* "!ls -l": the rest of the line goes to the shell as it was typed. */
  if (*start == '!')
    {
      words = g_new0 (char *, 3);
      words[0] = g_strdup ("!");
      words[1] = g_strdup (start + 1);
      return words;
    }

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
