// SPDX-License-Identifier: GPL-3.0-or-later
/* test-command-reader.c — the control-line reader: framing, IAC, limits, split feeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

/* Drains every ready command or error into one string: "VERB[ARG];" or "!CODE;" per item,
 * with the argument in brackets so that spaces and emptiness are visible. */
static void
drain (FerryCommandReader *reader,
       GString            *log)
{
  for (;;)
    {
      g_autoptr(FerryCommand) command = NULL;
      g_autoptr(GError) error = NULL;

      if (ferry_command_reader_next (reader, &command, &error))
        {
          assert_non_null (command->verb);
          g_string_append (log, command->verb);
          if (command->arg != NULL)
            g_string_append_printf (log, "[%s]", command->arg);
          g_string_append_c (log, ';');
        }
      else if (error != NULL)
        {
          assert_true (error->domain == FERRY_PROTOCOL_ERROR);
          g_string_append_printf (log, "!%d;", error->code);
        }
      else
        return;
    }
}

static char *
read_all (const void *data,
          gsize       len)
{
  g_autoptr(FerryCommandReader) reader = ferry_command_reader_new ();
  GString *log = g_string_new (NULL);

  ferry_command_reader_feed (reader, data, len);
  drain (reader, log);
  return g_string_free (log, FALSE);
}

static void
assert_reads (const char *input,
              const char *expected)
{
  g_autofree char *got = read_all (input, strlen (input));

  assert_string_equal (got, expected);
}

#define TOO_LONG "!0;"
#define MALFORMED "!2;"

static void
test_basic_commands (void **state)
{
  assert_reads ("USER anonymous\r\n", "USER[anonymous];");
  assert_reads ("user anonymous\r\n", "USER[anonymous];");
  assert_reads ("pAsS secret\r\n", "PASS[secret];");
  assert_reads ("PWD\r\n", "PWD;");
  assert_reads ("NOOP\n", "NOOP;");
  assert_reads ("USER a\r\nPASS b\r\nPWD\r\n", "USER[a];PASS[b];PWD;");
  assert_reads ("USER a\nPASS b\r\n", "USER[a];PASS[b];");
  /* No line end yet: nothing. */
  assert_reads ("USER a", "");
  assert_reads ("", "");
  assert_reads ("USER a\r", "");
}

static void
test_argument_byte_exact (void **state)
{
  assert_reads ("STOR my file.txt\r\n", "STOR[my file.txt];");
  assert_reads ("STOR  leading space\r\n", "STOR[ leading space];");
  assert_reads ("STOR trailing  \r\n", "STOR[trailing  ];");
  assert_reads ("RETR a;b;c\r\n", "RETR[a;b;c];");
  assert_reads ("RETR   \r\n", "RETR[  ];");
  /* Only the separating space: no argument. */
  assert_reads ("NOOP \r\n", "NOOP;");
  /* Invalid UTF-8 and high bytes pass through untouched. */
  assert_reads ("RETR \xc3\x28 \xfe.bin\r\n", "RETR[\xc3\x28 \xfe.bin];");
  /* A CR before CRLF is not part of a line end. */
  assert_reads ("RETR a\r\r\n", MALFORMED);
  assert_reads ("RETR a\rb\r\n", MALFORMED);
}

static void
test_malformed_lines (void **state)
{
  assert_reads ("\r\n", MALFORMED);
  assert_reads ("\n", MALFORMED);
  assert_reads ("   \r\n", MALFORMED);
  assert_reads ("\t\r\n", MALFORMED);
  assert_reads (" USER a\r\n", MALFORMED);
  assert_reads ("US-R a\r\n", MALFORMED);
  assert_reads ("USER\ta\r\n", MALFORMED);
  assert_reads ("1USER\r\n", MALFORMED);
  assert_reads ("\xc3\xa9T\r\n", MALFORMED);
  assert_reads ("ABCDEFGHIJKLMNOP x\r\n", "ABCDEFGHIJKLMNOP[x];");
  assert_reads ("ABCDEFGHIJKLMNOPQ x\r\n", MALFORMED);
  /* A bad line is consumed; the next one still works. */
  assert_reads ("\r\n \r\nNOOP\r\n", MALFORMED MALFORMED "NOOP;");
  assert_reads ("XMKD2 a\r\n", "XMKD2[a];");
}

static void
test_nul_bytes (void **state)
{
  static const char verb_nul[] = "US\0ER a\r\nNOOP\r\n";
  static const char arg_nul[] = "RETR a\0b\r\nNOOP\r\n";
  static const char only_nul[] = "\0\r\n";
  g_autofree char *a = read_all (verb_nul, sizeof verb_nul - 1);
  g_autofree char *b = read_all (arg_nul, sizeof arg_nul - 1);
  g_autofree char *c = read_all (only_nul, sizeof only_nul - 1);

  assert_string_equal (a, MALFORMED "NOOP;");
  assert_string_equal (b, MALFORMED "NOOP;");
  assert_string_equal (c, MALFORMED);
}

static void
test_telnet_iac (void **state)
{
  /* IAC IP, IAC DM before ABOR (RFC 959 §4.1.3). */
  assert_reads ("\xff\xf4\xff\xf2" "ABOR\r\n", "ABOR;");
  /* IAC IAC is one literal 0xFF. */
  assert_reads ("RETR a\xff\xff.bin\r\n", "RETR[a\xff.bin];");
  assert_reads ("RETR \xff\xff\xff\xff\r\n", "RETR[\xff\xff];");
  /* Option negotiation: three bytes dropped. */
  assert_reads ("\xff\xfb\x01NOOP\r\n", "NOOP;");
  assert_reads ("\xff\xfe\xffNOOP\r\n", "NOOP;");
  assert_reads ("NO\xff\xf1OP\r\n", "NOOP;");
  /* The option byte may be a line end; it is still the option. */
  assert_reads ("\xff\xfd\nNOOP\r\n", "NOOP;");
}

static void
test_line_limit (void **state)
{
  g_autoptr(GString) line = g_string_new ("RETR ");
  g_autofree char *exact = NULL, *exact_lf = NULL, *over = NULL;

  while (line->len < FERRY_COMMAND_LINE_MAX)
    g_string_append_c (line, 'x');
  g_string_append (line, "\r\n");
  exact = read_all (line->str, line->len);
  /* "RETR[" + 4091 × x + "];" */
  assert_string_equal (exact + strlen (exact) - 2, "];");
  assert_int_equal (strlen (exact), FERRY_COMMAND_LINE_MAX + 2);

  g_string_truncate (line, FERRY_COMMAND_LINE_MAX);
  g_string_append (line, "\n");
  exact_lf = read_all (line->str, line->len);
  assert_int_equal (strlen (exact_lf), FERRY_COMMAND_LINE_MAX + 2);

  g_string_truncate (line, FERRY_COMMAND_LINE_MAX);
  g_string_append (line, "x\r\nNOOP\r\n");
  over = read_all (line->str, line->len);
  assert_string_equal (over, TOO_LONG "NOOP;");
}

static void
test_ten_megabyte_line (void **state)
{
  g_autoptr(FerryCommandReader) reader = ferry_command_reader_new ();
  g_autofree guint8 *chunk = g_malloc (65536);
  g_autoptr(GString) got = g_string_new (NULL);

  memset (chunk, 'A', 65536);
  ferry_command_reader_feed (reader, (const guint8 *) "USER a\r\nRETR ", 13);
  for (guint i = 0; i < 160; i++)
    {
      ferry_command_reader_feed (reader, chunk, 65536);
      /* Memory stays bounded while the line goes on. */
      assert_true (ferry_command_reader_pending (reader) <= 2 * FERRY_COMMAND_LINE_MAX + 16);
    }
  /* The error is reported before the line even ends, after the command before it. */
  drain (reader, got);
  assert_string_equal (got->str, "USER[a];" TOO_LONG);
  ferry_command_reader_feed (reader, chunk, 65536);
  ferry_command_reader_feed (reader, (const guint8 *) "\r\nPWD\r\n", 7);
  g_string_truncate (got, 0);
  drain (reader, got);
  assert_string_equal (got->str, "PWD;");
  assert_int_equal (ferry_command_reader_pending (reader), 0);
}

static void
test_long_lines_keep_order (void **state)
{
  g_autoptr(GString) input = g_string_new ("A\r\n");
  g_autofree char *got = NULL;

  for (guint i = 0; i < 2; i++)
    {
      for (guint j = 0; j < 3 * FERRY_COMMAND_LINE_MAX; j++)
        g_string_append_c (input, 'L');
      g_string_append (input, "\r\nB x\r\n");
    }
  got = read_all (input->str, input->len);
  assert_string_equal (got, "A;" TOO_LONG "B[x];" TOO_LONG "B[x];");
}

/* Feeding a stream in any split gives the same commands as feeding it whole. */
static void
test_split_at_every_boundary (void **state)
{
  static const char stream[] =
    "USER anonymous\r\n\xff\xf4\xff\xf2" "ABOR\r\nSTOR a \xff\xff b\r\n\r\n"
    "\xff\xfb\x18NOOP\nretr  x;y \r\nTYPE I\r\n";
  gsize len = sizeof stream - 1;
  g_autofree char *whole = read_all (stream, len);

  assert_string_equal (whole, "USER[anonymous];ABOR;STOR[a \xff b];" MALFORMED
                       "NOOP;RETR[ x;y ];TYPE[I];");

  for (gsize split = 0; split <= len; split++)
    {
      g_autoptr(FerryCommandReader) reader = ferry_command_reader_new ();
      g_autoptr(GString) log = g_string_new (NULL);

      ferry_command_reader_feed (reader, (const guint8 *) stream, split);
      drain (reader, log);
      ferry_command_reader_feed (reader, (const guint8 *) stream + split, len - split);
      drain (reader, log);
      assert_string_equal (log->str, whole);
    }

  /* And one byte at a time, taking commands in between. */
  {
    g_autoptr(FerryCommandReader) reader = ferry_command_reader_new ();
    g_autoptr(GString) log = g_string_new (NULL);

    for (gsize i = 0; i < len; i++)
      {
        ferry_command_reader_feed (reader, (const guint8 *) stream + i, 1);
        drain (reader, log);
      }
    assert_string_equal (log->str, whole);
    assert_int_equal (ferry_command_reader_pending (reader), 0);
  }
}

static void
test_pending (void **state)
{
  g_autoptr(FerryCommandReader) reader = ferry_command_reader_new ();
  g_autoptr(FerryCommand) command = NULL;
  g_autoptr(GError) error = NULL;

  assert_int_equal (ferry_command_reader_pending (reader), 0);
  ferry_command_reader_feed (reader, (const guint8 *) "AUTH TLS\r\n\x16\x03\x01", 13);
  assert_int_equal (ferry_command_reader_pending (reader), 13);
  assert_true (ferry_command_reader_next (reader, &command, &error));
  assert_string_equal (command->verb, "AUTH");
  assert_string_equal (command->arg, "TLS");
  /* The bytes after AUTH TLS are the start of a TLS handshake, still pending. */
  assert_int_equal (ferry_command_reader_pending (reader), 3);
  g_clear_pointer (&command, ferry_command_free);
  assert_false (ferry_command_reader_next (reader, &command, &error));
  assert_null (error);
  assert_null (command);
}

/* Many commands in one feed are taken in linear time (the buffer compacts sensibly). */
static void
test_many_commands_one_feed (void **state)
{
  g_autoptr(FerryCommandReader) reader = ferry_command_reader_new ();
  g_autoptr(GString) input = g_string_new (NULL);
  guint count = 0;

  for (guint i = 0; i < 200000; i++)
    g_string_append (input, "NOOP\r\n");
  ferry_command_reader_feed (reader, (const guint8 *) input->str, input->len);
  for (;;)
    {
      g_autoptr(FerryCommand) command = NULL;

      if (!ferry_command_reader_next (reader, &command, NULL))
        break;
      assert_string_equal (command->verb, "NOOP");
      count++;
    }
  assert_int_equal (count, 200000);
  assert_int_equal (ferry_command_reader_pending (reader), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_basic_commands),
    cmocka_unit_test (test_argument_byte_exact),
    cmocka_unit_test (test_malformed_lines),
    cmocka_unit_test (test_nul_bytes),
    cmocka_unit_test (test_telnet_iac),
    cmocka_unit_test (test_line_limit),
    cmocka_unit_test (test_ten_megabyte_line),
    cmocka_unit_test (test_long_lines_keep_order),
    cmocka_unit_test (test_split_at_every_boundary),
    cmocka_unit_test (test_pending),
    cmocka_unit_test (test_many_commands_one_feed),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
