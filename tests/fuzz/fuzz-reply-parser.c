// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-reply-parser.c — the reply parser on arbitrary bytes.
 *
 * Invariants: codes are 100–599; a reply's text is no longer than the bound; errors are
 * the documented ones and stick; and whole, split and byte-by-byte feeds agree exactly. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

/* Small, so that the bound is reached often. */
#define FUZZ_REPLY_MAX 512

typedef struct {
  FerryReplyParser *parser;
  GString          *log;
  gboolean          failed;
} Run;

static void
drain (Run *run)
{
  FerryReply *reply = NULL;
  GError *error = NULL;

  if (run->failed)
    return;

  while (ferry_reply_parser_next (run->parser, &reply, &error))
    {
      FUZZ_CHECK (reply->code >= 100 && reply->code <= 599);
      FUZZ_CHECK (reply->text != NULL);
      FUZZ_CHECK (strlen (reply->text) <= FUZZ_REPLY_MAX);
      g_string_append_printf (run->log, "%u:%s|", reply->code, reply->text);
      g_clear_pointer (&reply, ferry_reply_free);
    }
  FUZZ_CHECK (reply == NULL);

  if (error != NULL)
    {
      GError *again = NULL;
      FerryReply *none = NULL;

      FUZZ_CHECK (error->domain == FERRY_PROTOCOL_ERROR);
      FUZZ_CHECK (error->code == FERRY_PROTOCOL_ERROR_REPLY_TOO_LONG ||
                  error->code == FERRY_PROTOCOL_ERROR_MALFORMED);
      /* A failed parser keeps failing the same way. */
      FUZZ_CHECK (!ferry_reply_parser_next (run->parser, &none, &again));
      FUZZ_CHECK (none == NULL && again != NULL && again->code == error->code);
      g_string_append_printf (run->log, "!%d|", error->code);
      run->failed = TRUE;
      g_error_free (again);
      g_error_free (error);
    }
}

static void
run_init (Run *run)
{
  run->parser = ferry_reply_parser_new (FUZZ_REPLY_MAX);
  run->log = g_string_new (NULL);
  run->failed = FALSE;
}

static void
run_clear (Run *run)
{
  ferry_reply_parser_free (run->parser);
  g_string_free (run->log, TRUE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Run whole, halves, bytes;
  gsize split = size > 0 ? data[0] % (size + 1) : 0;

  run_init (&whole);
  run_init (&halves);
  run_init (&bytes);

  ferry_reply_parser_feed (whole.parser, data, size);
  drain (&whole);

  ferry_reply_parser_feed (halves.parser, data, split);
  drain (&halves);
  ferry_reply_parser_feed (halves.parser, data + split, size - split);
  drain (&halves);

  for (gsize i = 0; i < size; i++)
    {
      ferry_reply_parser_feed (bytes.parser, data + i, 1);
      drain (&bytes);
    }

  FUZZ_CHECK (strcmp (whole.log->str, halves.log->str) == 0);
  FUZZ_CHECK (strcmp (whole.log->str, bytes.log->str) == 0);

  run_clear (&whole);
  run_clear (&halves);
  run_clear (&bytes);
  return 0;
}
