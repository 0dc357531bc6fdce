// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-display-text.c — escaping server-supplied text before a person sees it. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-display-text.h"

#include <string.h>

/* Characters that are valid UTF-8 but still steer a terminal or the reader's eye. */
static gboolean
unichar_needs_escape (gunichar c)
{
  return c < 0x20 || c == 0x7f
         || (c >= 0x80 && c <= 0x9f)                 /* C1: U+009B is a one-byte CSI */
         || c == 0x2028 || c == 0x2029               /* line and paragraph separators */
         || (c >= 0x202a && c <= 0x202e)             /* bidirectional embeddings, overrides */
         || (c >= 0x2066 && c <= 0x2069);            /* bidirectional isolates */
}

char *
ferry_display_text (const char *text,
                    gboolean    keep_newlines)
{
  GString *out;
  const char *p = text;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  end = text + strlen (text);
  out = g_string_sized_new (end - text);
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
          continue;
        }
      if (c == '\n' && keep_newlines)
        g_string_append_c (out, '\n');
      else if (c < 0x80 && unichar_needs_escape (c))
        g_string_append_printf (out, "\\x%02X", c);
      else if (unichar_needs_escape (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}
