// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-format-private.h — allocation-free number formatting shared by the listing
 * formatters, which run once per entry of folders with tens of thousands of entries. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes the decimal digits of value to the end of buf (of size 20 at least) and returns
 * a pointer to the first digit; the digits run up to buf + 20. */
static inline char *
ferry_format_uint64 (char    buf[20],
                     guint64 value)
{
  char *p = buf + 20;

  do
    {
      *--p = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value != 0);
  return p;
}

static inline void
ferry_string_append_uint64 (GString *out,
                            guint64  value)
{
  char buf[20];
  char *digits = ferry_format_uint64 (buf, value);

  g_string_append_len (out, digits, buf + 20 - digits);
}

/* Parses a decimal gint64 of digits only; FALSE on empty text, any other character or a
 * value above G_MAXINT64. */
static inline gboolean
ferry_parse_size (const char *text,
                  gsize       len,
                  gint64     *out)
{
  guint64 value = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      if (value > (G_MAXINT64 - (guint64) (text[i] - '0')) / 10)
        return FALSE;
      value = value * 10 + (guint64) (text[i] - '0');
    }
  *out = (gint64) value;
  return TRUE;
}

G_END_DECLS
