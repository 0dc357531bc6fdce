// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-command-reader.c — the control-line reader on arbitrary bytes.
 *
 * Invariants: every command has a verb of 1–16 A–Z/0–9 starting with a letter and an
 * argument of at most FERRY_COMMAND_LINE_MAX bytes without CR or LF; errors are only the
 * two documented ones; pending bytes never exceed what was fed; and feeding the input in
 * one piece, split in two, or byte by byte gives exactly the same commands and errors. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

static void
drain (FerryCommandReader *reader,
       GString            *log)
{
  for (;;)
    {
      FerryCommand *command = NULL;
      GError *error = NULL;

      if (ferry_command_reader_next (reader, &command, &error))
        {
          gsize verb_len = strlen (command->verb);

          FUZZ_CHECK (error == NULL);
          FUZZ_CHECK (verb_len >= 1 && verb_len <= 16);
          FUZZ_CHECK (g_ascii_isupper (command->verb[0]));
          for (gsize i = 0; i < verb_len; i++)
            FUZZ_CHECK (g_ascii_isupper (command->verb[i]) || g_ascii_isdigit (command->verb[i]));
          if (command->arg != NULL)
            {
              gsize arg_len = strlen (command->arg);

              FUZZ_CHECK (arg_len >= 1 && arg_len <= FERRY_COMMAND_LINE_MAX);
              FUZZ_CHECK (strpbrk (command->arg, "\r\n") == NULL);
            }
          g_string_append_printf (log, "%s[%s];", command->verb,
                                  command->arg != NULL ? command->arg : "");
          ferry_command_free (command);
        }
      else if (error != NULL)
        {
          FUZZ_CHECK (command == NULL);
          FUZZ_CHECK (error->domain == FERRY_PROTOCOL_ERROR);
          FUZZ_CHECK (error->code == FERRY_PROTOCOL_ERROR_LINE_TOO_LONG ||
                      error->code == FERRY_PROTOCOL_ERROR_MALFORMED);
          g_string_append_printf (log, "!%d;", error->code);
          g_error_free (error);
        }
      else
        return;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FerryCommandReader *whole = ferry_command_reader_new ();
  FerryCommandReader *halves = ferry_command_reader_new ();
  FerryCommandReader *bytes = ferry_command_reader_new ();
  GString *whole_log = g_string_new (NULL);
  GString *halves_log = g_string_new (NULL);
  GString *bytes_log = g_string_new (NULL);
  gsize split = size > 0 ? data[0] % (size + 1) : 0;

  ferry_command_reader_feed (whole, data, size);
  FUZZ_CHECK (ferry_command_reader_pending (whole) <= size);
  drain (whole, whole_log);

  ferry_command_reader_feed (halves, data, split);
  drain (halves, halves_log);
  ferry_command_reader_feed (halves, data + split, size - split);
  drain (halves, halves_log);

  for (gsize i = 0; i < size; i++)
    {
      ferry_command_reader_feed (bytes, data + i, 1);
      drain (bytes, bytes_log);
    }

  FUZZ_CHECK (strcmp (whole_log->str, halves_log->str) == 0);
  FUZZ_CHECK (strcmp (whole_log->str, bytes_log->str) == 0);
  FUZZ_CHECK (ferry_command_reader_pending (whole) == ferry_command_reader_pending (bytes));

  g_string_free (whole_log, TRUE);
  g_string_free (halves_log, TRUE);
  g_string_free (bytes_log, TRUE);
  ferry_command_reader_free (whole);
  ferry_command_reader_free (halves);
  ferry_command_reader_free (bytes);
  return 0;
}
