// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-time.c — "YYYYMMDDHHMMSS[.sss]" (RFC 3659 §2.3) and UTC calendar arithmetic.
 *
 * The calendar conversions are Howard Hinnant's days-from-civil algorithms: no tables, no
 * locale, no allocation, so the listing formatters can call them for every entry. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-time.h"
#include "ferry-protocol-error.h"

#include <glib/gi18n.h>

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define CIVIL_MIN_SECONDS G_GINT64_CONSTANT (-62135596800)
#define CIVIL_MAX_SECONDS G_GINT64_CONSTANT (253402300799)
/* 1000-01-01T00:00:00Z: the earliest time the 14-digit form can carry */
#define YEAR_1000_SECONDS G_GINT64_CONSTANT (-30610224000)

static gint64
days_from_civil (gint64 year,
                 gint64 month,
                 gint64 day)
{
  gint64 era, year_of_era, day_of_year, day_of_era;

  year -= month <= 2;
  era = (year >= 0 ? year : year - 399) / 400;
  year_of_era = year - era * 400;
  day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

static gboolean
is_leap_year (gint year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static gint
days_in_month (gint year,
               gint month)
{
  static const gint days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && is_leap_year (year))
    return 29;
  return days[month - 1];
}

void
ferry_time_to_civil (gint64          unix_seconds,
                     FerryCivilTime *out)
{
  gint64 days, seconds_of_day, era, day_of_era, year_of_era, day_of_year, mp, year;

  g_return_if_fail (out != NULL);

  unix_seconds = CLAMP (unix_seconds, CIVIL_MIN_SECONDS, CIVIL_MAX_SECONDS);
  days = unix_seconds / SECONDS_PER_DAY;
  seconds_of_day = unix_seconds % SECONDS_PER_DAY;
  if (seconds_of_day < 0)
    {
      seconds_of_day += SECONDS_PER_DAY;
      days -= 1;
    }

  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  day_of_era = days - era * 146097;
  year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  year = year_of_era + era * 400;
  day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  mp = (5 * day_of_year + 2) / 153;

  out->day = (gint) (day_of_year - (153 * mp + 2) / 5 + 1);
  out->month = (gint) (mp < 10 ? mp + 3 : mp - 9);
  out->year = (gint) (year + (out->month <= 2));
  out->hour = (gint) (seconds_of_day / 3600);
  out->minute = (gint) (seconds_of_day / 60 % 60);
  out->second = (gint) (seconds_of_day % 60);
}

gboolean
ferry_time_from_civil (const FerryCivilTime  *civil,
                       gint64                *unix_seconds,
                       GError               **error)
{
  g_return_val_if_fail (civil != NULL, FALSE);
  g_return_val_if_fail (unix_seconds != NULL, FALSE);

  if (civil->year < 1 || civil->year > 9999 ||
      civil->month < 1 || civil->month > 12 ||
      civil->day < 1 || civil->day > days_in_month (civil->year, civil->month) ||
      civil->hour < 0 || civil->hour > 23 ||
      civil->minute < 0 || civil->minute > 59 ||
      civil->second < 0 || civil->second > 60)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("The date %04d-%02d-%02d %02d:%02d:%02d does not exist"),
                   civil->year, civil->month, civil->day,
                   civil->hour, civil->minute, civil->second);
      return FALSE;
    }

  *unix_seconds = days_from_civil (civil->year, civil->month, civil->day) * SECONDS_PER_DAY
                  + civil->hour * 3600 + civil->minute * 60 + civil->second;
  return TRUE;
}

static gint
parse_digits (const char *text,
              gsize       count)
{
  gint value = 0;

  for (gsize i = 0; i < count; i++)
    value = value * 10 + (text[i] - '0');
  return value;
}

gboolean
ferry_time_parse (const char  *text,
                  gint64      *unix_seconds,
                  GError     **error)
{
  FerryCivilTime civil;
  gsize digits = 0;
  const char *rest;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (unix_seconds != NULL, FALSE);

  while (digits < 14 && g_ascii_isdigit (text[digits]))
    digits++;
  rest = text + digits;
  if (digits == 14 && *rest == '.' && g_ascii_isdigit (rest[1]))
    {
      rest++;
      while (g_ascii_isdigit (*rest))
        rest++;
    }
  if (digits != 14 || *rest != '\0')
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                   _("“%s” is not a time of the form YYYYMMDDHHMMSS"), text);
      return FALSE;
    }

  civil.year = parse_digits (text, 4);
  civil.month = parse_digits (text + 4, 2);
  civil.day = parse_digits (text + 6, 2);
  civil.hour = parse_digits (text + 8, 2);
  civil.minute = parse_digits (text + 10, 2);
  civil.second = parse_digits (text + 12, 2);

  if (civil.year < 1000)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("The year %04d in “%s” is before 1000"), civil.year, text);
      return FALSE;
    }

  return ferry_time_from_civil (&civil, unix_seconds, error);
}

static void
put_digits (char *out,
            gint  value,
            gsize count)
{
  for (gsize i = count; i > 0; i--)
    {
      out[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
}

void
ferry_time_append (GString *out,
                   gint64   unix_seconds)
{
  FerryCivilTime civil;
  char text[14];

  g_return_if_fail (out != NULL);

  ferry_time_to_civil (MAX (unix_seconds, YEAR_1000_SECONDS), &civil);
  put_digits (text, civil.year, 4);
  put_digits (text + 4, civil.month, 2);
  put_digits (text + 6, civil.day, 2);
  put_digits (text + 8, civil.hour, 2);
  put_digits (text + 10, civil.minute, 2);
  put_digits (text + 12, civil.second, 2);
  g_string_append_len (out, text, sizeof text);
}

char *
ferry_time_format (gint64 unix_seconds)
{
  GString *out = g_string_sized_new (15);

  ferry_time_append (out, unix_seconds);
  return g_string_free (out, FALSE);
}
