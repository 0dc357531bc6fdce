// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-type-a.c — TYPE A (ASCII) line ends: LF in a file, CRLF on the wire. */
#include "ferry-type-a.h"

gsize
ferry_type_a_to_network (const guint8 *in,
                         gsize         len,
                         guint8       *out)
{
  gsize o = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (in[i] == '\n')
        out[o++] = '\r';
      out[o++] = in[i];
    }
  return o;
}

gsize
ferry_type_a_from_network (guint8   *buffer,
                           gsize     len,
                           gboolean *pending_cr,
                           gboolean *held_cr)
{
  gsize o = 0;

  *held_cr = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = buffer[i];

      if (*pending_cr)
        {
          *pending_cr = FALSE;
          /* A lone CR is data. At i > 0 a byte was dropped before it, so it fits. */
          if (byte != '\n')
            {
              if (i == 0)
                *held_cr = TRUE;
              else
                buffer[o++] = '\r';
            }
        }
      if (byte == '\r')
        {
          *pending_cr = TRUE;
          continue;
        }
      buffer[o++] = byte;
    }
  return o;
}
