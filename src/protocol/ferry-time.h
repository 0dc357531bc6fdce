// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-time.h — the time format of MDTM and the MLSx "modify" fact (RFC 3659 §2.3):
 * "YYYYMMDDHHMMSS[.sss…]", always UTC. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses the timestamp; fractional seconds are accepted and dropped. Rejects wrong
 * lengths, non-digits, out-of-range fields (month 13, hour 24, Feb 30) and years
 * outside 1000–9999 with FERRY_PROTOCOL_ERROR_MALFORMED / _OUT_OF_RANGE. */
gboolean ferry_time_parse (const char *text, gint64 *unix_seconds, GError **error);

/* Appends the 14-digit form (no fraction). Seconds before year 1000 or after 9999 are
 * clamped into that range. */
void     ferry_time_append (GString *out, gint64 unix_seconds);

char    *ferry_time_format (gint64 unix_seconds);

/* A broken-down UTC time, for the LIST formats. */
typedef struct {
  gint year;     /* 1–9999 */
  gint month;    /* 1–12 */
  gint day;      /* 1–31 */
  gint hour;     /* 0–23 */
  gint minute;   /* 0–59 */
  gint second;   /* 0–59 (60, a leap second, is accepted by ferry_time_from_civil) */
} FerryCivilTime;

/* Splits seconds since the epoch into UTC fields without allocating (thread-safe, unlike
 * gmtime()). Seconds outside years 1–9999 are clamped into that range. */
void     ferry_time_to_civil   (gint64 unix_seconds, FerryCivilTime *out);

/* The inverse; rejects out-of-range fields (month 13, Feb 30, hour 24, year 0 or 10000)
 * with FERRY_PROTOCOL_ERROR_OUT_OF_RANGE. */
gboolean ferry_time_from_civil (const FerryCivilTime *civil,
                                gint64               *unix_seconds,
                                GError              **error);

G_END_DECLS
