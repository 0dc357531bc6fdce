// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-time.c — MDTM/"modify" timestamps and the calendar helpers.
 *
 * Invariants: a parsed time is within years 1000–9999 and formats to 14 digits that parse
 * back to it; any 64-bit number of seconds formats to a parseable time equal to it once
 * clamped; civil fields are in range and convert back exactly. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

#define YEAR_1000 G_GINT64_CONSTANT (-30610224000)
#define YEAR_9999_END G_GINT64_CONSTANT (253402300799)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *text = g_strndup ((const char *) data, size);
  GError *error = NULL;
  gint64 seconds = 0, again = 0, raw = 0;
  char *formatted;
  FerryCivilTime civil;

  if (ferry_time_parse (text, &seconds, &error))
    {
      FUZZ_CHECK (seconds >= YEAR_1000 && seconds <= YEAR_9999_END + 1);
      formatted = ferry_time_format (seconds);
      FUZZ_CHECK (strlen (formatted) == 14);
      FUZZ_CHECK (ferry_time_parse (formatted, &again, NULL));
      /* 9999-12-31 23:59:60 is the one time the format cannot carry. */
      FUZZ_CHECK (again == MIN (seconds, YEAR_9999_END));
      /* Without a fraction and a leap second, the text is what we would write. */
      if (strlen (text) == 14 && strcmp (text + 12, "60") != 0)
        FUZZ_CHECK (strcmp (formatted, text) == 0);
      g_free (formatted);
    }
  else
    {
      FUZZ_CHECK (error != NULL && error->domain == FERRY_PROTOCOL_ERROR);
      FUZZ_CHECK (error->code == FERRY_PROTOCOL_ERROR_MALFORMED ||
                  error->code == FERRY_PROTOCOL_ERROR_OUT_OF_RANGE);
      g_clear_error (&error);
    }

  memcpy (&raw, data, MIN (size, sizeof raw));
  formatted = ferry_time_format (raw);
  FUZZ_CHECK (ferry_time_parse (formatted, &again, NULL));
  FUZZ_CHECK (again == CLAMP (raw, YEAR_1000, YEAR_9999_END));
  g_free (formatted);

  ferry_time_to_civil (raw, &civil);
  FUZZ_CHECK (civil.year >= 1 && civil.year <= 9999);
  FUZZ_CHECK (civil.month >= 1 && civil.month <= 12);
  FUZZ_CHECK (civil.day >= 1 && civil.day <= 31);
  FUZZ_CHECK (civil.hour >= 0 && civil.hour <= 23);
  FUZZ_CHECK (civil.minute >= 0 && civil.minute <= 59);
  FUZZ_CHECK (civil.second >= 0 && civil.second <= 59);
  FUZZ_CHECK (ferry_time_from_civil (&civil, &again, NULL));
  FUZZ_CHECK (again == CLAMP (raw, G_GINT64_CONSTANT (-62135596800), YEAR_9999_END));

  g_free (text);
  return 0;
}
