// SPDX-License-Identifier: GPL-3.0-or-later
/* test-reply-parser.c — server replies: single and multi-line, bounds, split feeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

/* "CODE:text|" per reply, "!ERRORCODE|" for an error (after which the parser stops). */
static void
drain (FerryReplyParser *parser,
       GString          *log)
{
  for (;;)
    {
      g_autoptr(FerryReply) reply = NULL;
      g_autoptr(GError) error = NULL;

      if (ferry_reply_parser_next (parser, &reply, &error))
        {
          assert_true (reply->code >= 100 && reply->code <= 599);
          assert_non_null (reply->text);
          g_string_append_printf (log, "%u:%s|", reply->code, reply->text);
        }
      else
        {
          if (error != NULL)
            g_string_append_printf (log, "!%d|", error->code);
          return;
        }
    }
}

static char *
parse_all (const char *input,
           gsize       len,
           gsize       max)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new (max);
  GString *log = g_string_new (NULL);

  ferry_reply_parser_feed (parser, (const guint8 *) input, len);
  drain (parser, log);
  return g_string_free (log, FALSE);
}

static void
assert_parses (const char *input,
               const char *expected)
{
  g_autofree char *got = parse_all (input, strlen (input), 0);

  assert_string_equal (got, expected);
}

#define TOO_LONG "!1|"
#define MALFORMED "!2|"

static void
test_single_line (void **state)
{
  assert_parses ("220 ferryd ready\r\n", "220:ferryd ready|");
  assert_parses ("331 Password required\n", "331:Password required|");
  assert_parses ("200 \r\n", "200:|");
  assert_parses ("200\r\n", "200:|");
  assert_parses ("550  two  spaces \r\n", "550: two  spaces |");
  assert_parses ("100 a\r\n599 b\r\n", "100:a|599:b|");
  assert_parses ("257 \"/a \xc3\x28 b\" created\r\n", "257:\"/a \xc3\x28 b\" created|");
  /* Incomplete: nothing yet. */
  assert_parses ("220 ready", "");
  assert_parses ("", "");
}

static void
test_multi_line (void **state)
{
  assert_parses ("211-Features:\r\n MLST type*;size*;\r\n EPSV\r\n211 End\r\n",
                 "211:Features:\n MLST type*;size*;\n EPSV\nEnd|");
  /* Lines in between may look like other replies or the same code with '-'. */
  assert_parses ("230-Welcome\r\n230-more\r\n220 not the end\r\n230 Logged in\r\n",
                 "230:Welcome\n230-more\n220 not the end\nLogged in|");
  assert_parses ("123-a\r\n\r\n123\r\n", "123:a\n\n|");
  assert_parses ("123-\r\n123 \r\n", "123:\n|");
  /* "123-" inside does not end it; "1234 " does not either. */
  assert_parses ("150-x\r\n1504 y\r\n150 z\r\n", "150:x\n1504 y\nz|");
  /* Unfinished multi-line reply: nothing yet. */
  assert_parses ("211-Features:\r\n EPSV\r\n", "");
  assert_parses ("211-a\r\n211 b\r\n220 c\r\n", "211:a\nb|220:c|");
}

static void
test_malformed (void **state)
{
  static const char nul[] = "220 a\0b\r\n";
  g_autofree char *got = parse_all (nul, sizeof nul - 1, 0);

  assert_string_equal (got, MALFORMED);
  assert_parses ("\r\n", MALFORMED);
  assert_parses ("   \r\n", MALFORMED);
  assert_parses ("hello\r\n", MALFORMED);
  assert_parses ("22 short\r\n", MALFORMED);
  assert_parses ("099 low\r\n", MALFORMED);
  assert_parses ("600 high\r\n", MALFORMED);
  assert_parses ("2a0 x\r\n", MALFORMED);
  assert_parses ("2200 x\r\n", MALFORMED);
  assert_parses ("220x\r\n", MALFORMED);
  assert_parses ("-220 x\r\n", MALFORMED);
  /* A good reply before a bad one is still delivered. */
  assert_parses ("220 ok\r\nbad\r\n", "220:ok|" MALFORMED);
  /* Once failed, the parser keeps failing. */
  {
    g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new (0);
    g_autoptr(GString) log = g_string_new (NULL);

    ferry_reply_parser_feed (parser, (const guint8 *) "bad\r\n", 5);
    drain (parser, log);
    ferry_reply_parser_feed (parser, (const guint8 *) "220 ok\r\n", 8);
    drain (parser, log);
    assert_string_equal (log->str, MALFORMED MALFORMED);
  }
}

static void
test_size_bound (void **state)
{
  g_autoptr(GString) input = g_string_new ("211-start\r\n");
  g_autofree char *small = NULL, *exact = NULL, *huge = NULL;

  /* The bound counts every byte of one reply, line ends included. */
  small = parse_all ("220 0123456789\r\n", 16, 16);
  assert_string_equal (small, "220:0123456789|");
  exact = parse_all ("220 0123456789\r\n", 16, 15);
  assert_string_equal (exact, TOO_LONG);

  /* Many short lines add up. */
  for (guint i = 0; i < 10000; i++)
    g_string_append (input, " line of a very long feature list\r\n");
  g_string_append (input, "211 end\r\n");
  huge = parse_all (input->str, input->len, 0);
  assert_string_equal (huge, TOO_LONG);

  /* The bound is per reply: many small replies are fine. */
  {
    g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new (64);
    guint count = 0;

    for (guint i = 0; i < 1000; i++)
      ferry_reply_parser_feed (parser, (const guint8 *) "200 NOOP ok\r\n", 13);
    for (;;)
      {
        g_autoptr(FerryReply) reply = NULL;

        if (!ferry_reply_parser_next (parser, &reply, NULL))
          break;
        count++;
      }
    assert_int_equal (count, 1000);
  }
}

/* A 10 MB line without an end is refused before it ends. */
static void
test_ten_megabyte_line (void **state)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new (0);
  g_autofree guint8 *chunk = g_malloc (65536);
  g_autoptr(GString) log = g_string_new (NULL);

  memset (chunk, '7', 65536);
  ferry_reply_parser_feed (parser, (const guint8 *) "220 ", 4);
  for (guint i = 0; i < 160; i++)
    ferry_reply_parser_feed (parser, chunk, 65536);
  drain (parser, log);
  assert_string_equal (log->str, TOO_LONG);
}

static void
test_split_at_every_boundary (void **state)
{
  static const char stream[] =
    "220-ferryd\r\n ready\r\n220 go\r\n331 Password\r\n230 ok\n"
    "211-Features:\r\n MLST type*;\r\n211 End\r\n227 Entering Passive Mode (127,0,0,1,4,1)\r\n";
  gsize len = sizeof stream - 1;
  g_autofree char *whole = parse_all (stream, len, 0);

  assert_string_equal (whole, "220:ferryd\n ready\ngo|331:Password|230:ok|"
                       "211:Features:\n MLST type*;\nEnd|"
                       "227:Entering Passive Mode (127,0,0,1,4,1)|");

  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new (0);
      g_autoptr(GString) log = g_string_new (NULL);

      ferry_reply_parser_feed (parser, (const guint8 *) stream, split);
      drain (parser, log);
      ferry_reply_parser_feed (parser, (const guint8 *) stream + split, len - split);
      drain (parser, log);
      assert_string_equal (log->str, whole);
    }

  {
    g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new (0);
    g_autoptr(GString) log = g_string_new (NULL);

    for (gsize i = 0; i < len; i++)
      {
        ferry_reply_parser_feed (parser, (const guint8 *) stream + i, 1);
        drain (parser, log);
      }
    assert_string_equal (log->str, whole);
  }
}

static void
test_reply_class (void **state)
{
  assert_int_equal (FERRY_REPLY_CLASS (150), 1);
  assert_int_equal (FERRY_REPLY_CLASS (226), 2);
  assert_int_equal (FERRY_REPLY_CLASS (350), 3);
  assert_int_equal (FERRY_REPLY_CLASS (421), 4);
  assert_int_equal (FERRY_REPLY_CLASS (599), 5);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_single_line),
    cmocka_unit_test (test_multi_line),
    cmocka_unit_test (test_malformed),
    cmocka_unit_test (test_size_bound),
    cmocka_unit_test (test_ten_megabyte_line),
    cmocka_unit_test (test_split_at_every_boundary),
    cmocka_unit_test (test_reply_class),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
