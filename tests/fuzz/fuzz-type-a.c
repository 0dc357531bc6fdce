// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-type-a.c — TYPE A line-end conversion on arbitrary bytes, cut into arbitrary chunks.
 *
 * The first input byte sets the chunk size the receiving side is fed (1–256), the rest is
 * the data. Invariants: to-network adds exactly one CR per LF; to-network then from-network
 * is the identity on every file (bare CRs included, the stronger form of "on bytes without
 * a bare CR"), whatever the chunk size; from-network then to-network is the identity on
 * wire text without a bare LF. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

static GByteArray *
from_network_in_chunks (const guint8 *wire,
                        gsize         len,
                        gsize         chunk)
{
  GByteArray *file = g_byte_array_sized_new ((guint) len + 1);
  guint8 *buffer = g_malloc (chunk);
  gboolean pending_cr = FALSE;

  for (gsize start = 0; start < len; start += chunk)
    {
      gsize n = MIN (chunk, len - start);
      gboolean held_cr = FALSE;
      gsize kept;

      memcpy (buffer, wire + start, n);
      kept = ferry_type_a_from_network (buffer, n, &pending_cr, &held_cr);
      FUZZ_CHECK (kept <= n);
      if (held_cr)
        g_byte_array_append (file, (const guint8 *) "\r", 1);
      g_byte_array_append (file, buffer, (guint) kept);
    }
  if (pending_cr)
    g_byte_array_append (file, (const guint8 *) "\r", 1);
  g_free (buffer);
  return file;
}

static gboolean
has_bare_lf (const guint8 *data,
             gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
      return TRUE;
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *input,
                        size_t         size)
{
  const guint8 *data = input + 1;
  gsize len, chunk, lf = 0, wire_len;
  guint8 *wire;
  GByteArray *back;

  if (size == 0)
    return 0;
  chunk = (gsize) input[0] + 1;
  len = size - 1;

  for (gsize i = 0; i < len; i++)
    lf += data[i] == '\n';
  wire = g_malloc (2 * len + 1);
  wire_len = ferry_type_a_to_network (data, len, wire);
  FUZZ_CHECK (wire_len == len + lf);
  FUZZ_CHECK (!has_bare_lf (wire, wire_len));

  back = from_network_in_chunks (wire, wire_len, chunk);
  FUZZ_CHECK (back->len == len && (len == 0 || memcmp (back->data, data, len) == 0));
  g_byte_array_unref (back);
  g_free (wire);

  if (!has_bare_lf (data, len))
    {
      back = from_network_in_chunks (data, len, chunk);
      wire = g_malloc (2 * (gsize) back->len + 1);
      wire_len = ferry_type_a_to_network (back->data, back->len, wire);
      FUZZ_CHECK (wire_len == len && memcmp (wire, data, len) == 0);
      g_byte_array_unref (back);
      g_free (wire);
    }
  return 0;
}
