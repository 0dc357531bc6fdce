// SPDX-License-Identifier: GPL-3.0-or-later
/* test-type-a.c — TYPE A line ends: LF ↔ CRLF, across chunk boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

/* Network text → file bytes, fed in chunks of chunk bytes, as a receiving server does. */
static GByteArray *
from_network_in_chunks (const char *wire,
                        gsize       len,
                        gsize       chunk)
{
  GByteArray *file = g_byte_array_new ();
  gboolean pending_cr = FALSE;

  for (gsize start = 0; start < len; start += chunk)
    {
      gsize n = MIN (chunk, len - start);
      g_autofree guint8 *buffer = g_memdup2 (wire + start, n);
      gboolean held_cr = TRUE;
      gsize kept = ferry_type_a_from_network (buffer, n, &pending_cr, &held_cr);

      assert_true (kept <= n);
      if (held_cr)
        g_byte_array_append (file, (const guint8 *) "\r", 1);
      g_byte_array_append (file, buffer, (guint) kept);
    }
  if (pending_cr)
    g_byte_array_append (file, (const guint8 *) "\r", 1);
  return file;
}

static char *
to_network (const char *file,
            gsize      *out_len)
{
  gsize len = strlen (file);
  char *wire = g_malloc (2 * len + 1);

  *out_len = ferry_type_a_to_network ((const guint8 *) file, len, (guint8 *) wire);
  wire[*out_len] = '\0';
  return wire;
}

static void
assert_from_network (const char *wire,
                     const char *expected)
{
  for (gsize chunk = 1; chunk <= strlen (wire) + 1; chunk++)
    {
      g_autoptr(GByteArray) file = from_network_in_chunks (wire, strlen (wire), chunk);

      assert_int_equal (file->len, strlen (expected));
      if (file->len > 0)
        assert_memory_equal (file->data, expected, file->len);
    }
}

static void
test_to_network (void **state)
{
  static const struct { const char *file, *wire; } cases[] = {
    { "", "" },
    { "abc", "abc" },
    { "a\nb\n", "a\r\nb\r\n" },
    { "\n\n", "\r\n\r\n" },
    { "a\rb", "a\rb" },            /* a lone CR is data */
    { "a\r\nb", "a\r\r\nb" },      /* so is a CR before a line end */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len;
      g_autofree char *wire = to_network (cases[i].file, &len);

      assert_int_equal (len, strlen (cases[i].wire));
      assert_string_equal (wire, cases[i].wire);
    }
}

static void
test_from_network (void **state)
{
  assert_from_network ("", "");
  assert_from_network ("abc", "abc");
  assert_from_network ("a\r\nb\r\n", "a\nb\n");
  assert_from_network ("a\nb", "a\nb");          /* a bare LF stays */
  assert_from_network ("a\rb", "a\rb");          /* a lone CR stays */
  assert_from_network ("a\r\r\nb", "a\r\nb");
  assert_from_network ("\r\r\r\n", "\r\r\n");
  assert_from_network ("end\r", "end\r");        /* a last lone CR comes out at the end */
  assert_from_network ("\r", "\r");
}

/* The CR of a CRLF split over two chunks is held back, not written, and a lone CR at the end
 * of one chunk comes back as held_cr with the next. */
static void
test_chunk_boundary (void **state)
{
  guint8 first[] = "ab\r", second[] = "\ncd", third[] = "\r", fourth[] = "x";
  gboolean pending_cr = FALSE, held_cr = TRUE;

  assert_int_equal (ferry_type_a_from_network (first, 3, &pending_cr, &held_cr), 2);
  assert_true (pending_cr);
  assert_false (held_cr);
  assert_int_equal (ferry_type_a_from_network (second, 3, &pending_cr, &held_cr), 3);
  assert_false (pending_cr);
  assert_false (held_cr);
  assert_memory_equal (second, "\ncd", 3);

  assert_int_equal (ferry_type_a_from_network (third, 1, &pending_cr, &held_cr), 0);
  assert_true (pending_cr);
  assert_int_equal (ferry_type_a_from_network (fourth, 1, &pending_cr, &held_cr), 1);
  assert_true (held_cr);
  assert_false (pending_cr);
  assert_memory_equal (fourth, "x", 1);
}

/* To the network and back gives every file back, CRs and all, however the wire is cut. */
static void
test_round_trip (void **state)
{
  static const char *files[] = {
    "", "\n", "\r", "\r\n", "\n\r", "a\r\r\n\nb\r", "line one\nline two\n", "\r\r\n\r",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      gsize len;
      g_autofree char *wire = to_network (files[i], &len);

      for (gsize chunk = 1; chunk <= len + 1; chunk++)
        {
          g_autoptr(GByteArray) file = from_network_in_chunks (wire, len, chunk);

          assert_int_equal (file->len, strlen (files[i]));
          if (file->len > 0)
            assert_memory_equal (file->data, files[i], file->len);
        }
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_to_network),
    cmocka_unit_test (test_from_network),
    cmocka_unit_test (test_chunk_boundary),
    cmocka_unit_test (test_round_trip),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
