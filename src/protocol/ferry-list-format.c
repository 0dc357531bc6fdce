// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-list-format.c — LIST lines: Unix "ls -l" for the server, Unix and DOS/IIS parsing
 * for the client's fallback on servers without MLSD. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-list-format.h"
#include "ferry-format-private.h"
#include "ferry-protocol-error.h"
#include "ferry-time.h"

#include <string.h>
#include <glib/gi18n.h>

/* ls's "recent": within the last 365.2425 / 2 days. */
#define SIX_MONTHS_SECONDS G_GINT64_CONSTANT (15778476)
#define ONE_DAY_SECONDS G_GINT64_CONSTANT (86400)

static const char month_names[12][4] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* ---- formatting ------------------------------------------------------------------------- */

static char
type_char (FerryEntryType type)
{
  switch (type)
    {
    case FERRY_ENTRY_FILE:
      return '-';
    case FERRY_ENTRY_DIRECTORY:
    case FERRY_ENTRY_CURRENT_DIR:
    case FERRY_ENTRY_PARENT_DIR:
      return 'd';
    case FERRY_ENTRY_SYMLINK:
      return 'l';
    case FERRY_ENTRY_OTHER:
    default:
      return '?';
    }
}

static guint32
default_mode (FerryEntryType type)
{
  switch (type)
    {
    case FERRY_ENTRY_DIRECTORY:
    case FERRY_ENTRY_CURRENT_DIR:
    case FERRY_ENTRY_PARENT_DIR:
      return 0755;
    case FERRY_ENTRY_SYMLINK:
      return 0777;
    case FERRY_ENTRY_FILE:
    case FERRY_ENTRY_OTHER:
    default:
      return 0644;
    }
}

static char *
put_two_digits (char *p,
                gint  value,
                char  pad)
{
  p[0] = value >= 10 ? (char) ('0' + value / 10) : pad;
  p[1] = (char) ('0' + value % 10);
  return p + 2;
}

void
ferry_list_append_unix_line (GString          *out,
                             const FerryEntry *entry,
                             gint64            now)
{
  /* Everything before the name fits in 80 bytes: 10+1+4+1+9+9+19+1+12+1. */
  char line[80];
  char digits[20];
  char *p = line;
  const char *size_text;
  gsize size_len;
  guint32 mode;
  gint64 modified;
  FerryCivilTime civil;

  g_return_if_fail (out != NULL);
  g_return_if_fail (entry != NULL && entry->name != NULL);

  mode = entry->mode != 0 ? entry->mode : default_mode (entry->type);
  *p++ = type_char (entry->type);
  for (gint shift = 6; shift >= 0; shift -= 3)
    {
      *p++ = (mode >> shift) & 4 ? 'r' : '-';
      *p++ = (mode >> shift) & 2 ? 'w' : '-';
      *p++ = (mode >> shift) & 1 ? 'x' : '-';
    }

  memcpy (p, "    1 ftp      ftp      ", 24);
  p += 24;

  size_text = ferry_format_uint64 (digits, (guint64) MAX (entry->size, 0));
  size_len = (gsize) (digits + sizeof digits - size_text);
  for (gsize i = size_len; i < 8; i++)
    *p++ = ' ';
  memcpy (p, size_text, size_len);
  p += size_len;
  *p++ = ' ';

  modified = entry->modified != FERRY_ENTRY_UNKNOWN ? entry->modified : 0;
  ferry_time_to_civil (modified, &civil);
  memcpy (p, month_names[civil.month - 1], 3);
  p += 3;
  *p++ = ' ';
  p = put_two_digits (p, civil.day, ' ');
  *p++ = ' ';
  if (modified > now - SIX_MONTHS_SECONDS && modified <= now)
    {
      p = put_two_digits (p, civil.hour, '0');
      *p++ = ':';
      p = put_two_digits (p, civil.minute, '0');
    }
  else
    {
      *p++ = ' ';
      p = put_two_digits (p, civil.year / 100, ' ');
      p = put_two_digits (p, civil.year % 100, '0');
    }
  *p++ = ' ';

  g_string_append_len (out, line, p - line);
  g_string_append (out, entry->name);
  if (entry->type == FERRY_ENTRY_SYMLINK && entry->link_target != NULL)
    {
      g_string_append_len (out, " -> ", 4);
      g_string_append (out, entry->link_target);
    }
  g_string_append_len (out, "\r\n", 2);
}

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct {
  const char *start;
  gsize       len;
} Token;

#define MAX_TOKENS 16

static FerryEntry *
not_an_entry (GError     **error,
              const char  *line)
{
  g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
               _("The listing line “%.80s” does not describe a file"), line);
  return NULL;
}

static gboolean
all_digits (const char *text,
            gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gint
small_number (const char *text,
              gsize       len)
{
  gint value = 0;

  for (gsize i = 0; i < len; i++)
    value = value * 10 + (text[i] - '0');
  return value;
}

static gint
month_from_name (const Token *token)
{
  if (token->len != 3)
    return 0;
  for (gint i = 0; i < 12; i++)
    if (g_ascii_strncasecmp (token->start, month_names[i], 3) == 0)
      return i + 1;
  return 0;
}

static gboolean
is_permission_string (const Token *token)
{
  if (token->len < 10 || token->len > 11 || strchr ("-dlcbpsD?", token->start[0]) == NULL)
    return FALSE;
  for (gsize i = 1; i < 10; i++)
    if (strchr ("rwxsStTlL-", token->start[i]) == NULL)
      return FALSE;
  return TRUE;
}

static guint32
mode_from_permissions (const char *perms)
{
  guint32 mode = 0;

  for (gint i = 0; i < 9; i++)
    {
      char c = perms[1 + i];
      gboolean set = (i % 3 == 2) ? (c == 'x' || c == 's' || c == 't') : (c != '-');

      if (set)
        mode |= 1u << (8 - i);
    }
  return mode;
}

/* Places a date without a year in the twelve months up to now (+1 day for clock skew):
 * the latest year that is not after that, which near New Year may be next year. */
static gboolean
date_in_last_year (FerryCivilTime  *civil,
                   gint64           now,
                   gint64          *out)
{
  FerryCivilTime today;

  ferry_time_to_civil (now, &today);
  for (gint year = today.year + 1; year >= today.year - 1; year--)
    {
      civil->year = year;
      if (ferry_time_from_civil (civil, out, NULL) && *out <= now + ONE_DAY_SECONDS)
        return TRUE;
    }
  return FALSE;
}

/* Splits at runs of spaces into at most MAX_TOKENS tokens; returns how many. */
static guint
split_tokens (const char *p,
              const char *end,
              Token      *tokens)
{
  guint count = 0;

  while (count < MAX_TOKENS && p < end)
    {
      while (p < end && *p == ' ')
        p++;
      if (p == end)
        break;
      tokens[count].start = p;
      while (p < end && *p != ' ')
        p++;
      tokens[count].len = (gsize) (p - tokens[count].start);
      count++;
    }
  return count;
}

/* "Mon DD HH:MM" or "Mon DD YYYY" at tokens[i], after a size at tokens[i - 1]. */
static gboolean
is_unix_date (const Token *tokens,
              guint        i)
{
  const Token *size = &tokens[i - 1], *day = &tokens[i + 1], *clock = &tokens[i + 2];

  return month_from_name (&tokens[i]) != 0 && all_digits (size->start, size->len)
         && all_digits (day->start, day->len) && day->len <= 2
         && ((clock->len == 4 && all_digits (clock->start, 4))
             || ((clock->len == 5 || clock->len == 4) && clock->start[clock->len - 3] == ':'
                 && all_digits (clock->start, clock->len - 3)
                 && all_digits (clock->start + clock->len - 2, 2)));
}

static FerryEntryType
type_from_permissions (char first)
{
  switch (first)
    {
    case '-': return FERRY_ENTRY_FILE;
    case 'd': return FERRY_ENTRY_DIRECTORY;
    case 'l': return FERRY_ENTRY_SYMLINK;
    default: return FERRY_ENTRY_OTHER;
    }
}

/* The three date tokens of a Unix line: a time of day within the last year, or a year. */
static gboolean
unix_date (const Token  *date,
           gint64        now,
           gint64       *modified,
           const char   *line,
           GError      **error)
{
  FerryCivilTime civil = { 0 };
  const Token *clock = &date[2];

  civil.month = month_from_name (&date[0]);
  civil.day = small_number (date[1].start, date[1].len);
  if (clock->start[clock->len - 3] == ':')
    {
      civil.hour = small_number (clock->start, clock->len - 3);
      civil.minute = small_number (clock->start + clock->len - 2, 2);
      if (date_in_last_year (&civil, now, modified))
        return TRUE;
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("The listing line “%.80s” has a date that does not exist"), line);
      return FALSE;
    }
  civil.year = small_number (clock->start, 4);
  if (civil.year < 1000)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("The listing line “%.80s” has a year before 1000"), line);
      return FALSE;
    }
  return ferry_time_from_civil (&civil, modified, error);
}

/* The name ends a line; "." and ".." are the folder and its parent, not entries in it. */
static FerryEntry *
take_name (FerryEntry *entry,
           const char *name,
           gsize       name_len)
{
  entry->name = g_strndup (name, name_len);
  if (entry->type == FERRY_ENTRY_DIRECTORY && strcmp (entry->name, ".") == 0)
    entry->type = FERRY_ENTRY_CURRENT_DIR;
  else if (entry->type == FERRY_ENTRY_DIRECTORY && strcmp (entry->name, "..") == 0)
    entry->type = FERRY_ENTRY_PARENT_DIR;
  return entry;
}

static FerryEntry *
parse_unix_line (const char  *line,
                 gsize        line_len,
                 gint64       now,
                 GError     **error)
{
  Token tokens[MAX_TOKENS];
  const char *end = line + line_len;
  guint count = split_tokens (line, end, tokens);
  g_autoptr(FerryEntry) entry = NULL;
  const char *name;
  gsize name_len;
  guint date = 0;

  if (count == 0 || !is_permission_string (&tokens[0]))
    return not_an_entry (error, line);

  /* The date comes after the size; owner and group vary (missing, numeric, …), so find the
   * date rather than counting columns. */
  for (guint i = 2; i + 2 < count && date == 0; i++)
    if (is_unix_date (tokens, i))
      date = i;
  if (date == 0)
    return not_an_entry (error, line);

  /* The name follows the date after exactly one space, byte-exact. */
  name = tokens[date + 2].start + tokens[date + 2].len + 1;
  if (name >= end)
    return not_an_entry (error, line);
  name_len = (gsize) (end - name);

  entry = ferry_entry_new (NULL, type_from_permissions (tokens[0].start[0]));
  entry->mode = mode_from_permissions (tokens[0].start);
  if (entry->type != FERRY_ENTRY_OTHER &&
      !ferry_parse_size (tokens[date - 1].start, tokens[date - 1].len, &entry->size))
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("The listing line “%.80s” has a size too large to be true"), line);
      return NULL;
    }
  if (!unix_date (&tokens[date], now, &entry->modified, line, error))
    return NULL;

  if (entry->type == FERRY_ENTRY_SYMLINK)
    {
      const char *arrow = g_strstr_len (name, (gssize) name_len, " -> ");

      if (arrow != NULL)
        {
          entry->link_target = g_strndup (arrow + 4, name_len - (gsize) (arrow - name) - 4);
          name_len = (gsize) (arrow - name);
        }
    }
  if (name_len == 0)
    return not_an_entry (error, line);
  return take_name (g_steal_pointer (&entry), name, name_len);
}

/* Reads digits up to `max_digits`; FALSE when there are none. */
static gboolean
read_digits (const char **p,
             const char  *end,
             gsize        max_digits,
             gint        *value,
             gsize       *count)
{
  gsize n = 0;

  *value = 0;
  while (*p < end && g_ascii_isdigit (**p) && n < max_digits)
    {
      *value = *value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  if (count != NULL)
    *count = n;
  return n > 0 && !(*p < end && g_ascii_isdigit (**p));
}

/* "MM-DD-YY" or "MM/DD/YYYY" (two-digit years: 1970–2069) at *p. */
static gboolean
dos_date (const char     **p,
          const char      *end,
          FerryCivilTime  *civil,
          const char      *line,
          GError         **error)
{
  gsize year_digits;

  if (!read_digits (p, end, 2, &civil->month, NULL) || *p == end || (**p != '-' && **p != '/'))
    goto malformed;
  (*p)++;
  if (!read_digits (p, end, 2, &civil->day, NULL) || *p == end || (**p != '-' && **p != '/'))
    goto malformed;
  (*p)++;
  if (!read_digits (p, end, 4, &civil->year, &year_digits) ||
      (year_digits != 2 && year_digits != 4))
    goto malformed;
  if (year_digits == 2)
    civil->year += civil->year < 70 ? 2000 : 1900;
  else if (civil->year < 1000)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,
                   _("The listing line “%.80s” has a year before 1000"), line);
      return FALSE;
    }
  return TRUE;

malformed:
  not_an_entry (error, line);
  return FALSE;
}

/* "HH:MM", "HH:MMAM" or "HH:MMPM" at *p. */
static gboolean
dos_time (const char     **p,
          const char      *end,
          FerryCivilTime  *civil)
{
  if (!read_digits (p, end, 2, &civil->hour, NULL) || *p == end || **p != ':')
    return FALSE;
  (*p)++;
  if (!read_digits (p, end, 2, &civil->minute, NULL))
    return FALSE;
  if (end - *p >= 2 && ((*p)[1] == 'M' || (*p)[1] == 'm') && strchr ("AaPp", (*p)[0]) != NULL)
    {
      if (civil->hour < 1 || civil->hour > 12)
        return FALSE;
      civil->hour %= 12;
      if ((*p)[0] == 'P' || (*p)[0] == 'p')
        civil->hour += 12;
      *p += 2;
    }
  return TRUE;
}

/* One or more spaces at *p; FALSE when there is none. */
static gboolean
skip_spaces (const char **p,
             const char  *end)
{
  if (*p == end || **p != ' ')
    return FALSE;
  while (*p < end && **p == ' ')
    (*p)++;
  return TRUE;
}

/* "11-27-26  06:15AM       <DIR>          folder" and "11-27-2026  06:15PM  1234 file.txt" */
static FerryEntry *
parse_dos_line (const char  *line,
                gsize        line_len,
                GError     **error)
{
  const char *p = line, *end = line + line_len, *size_start;
  FerryCivilTime civil = { 0 };
  g_autoptr(FerryEntry) entry = NULL;

  if (!dos_date (&p, end, &civil, line, error))
    return NULL;
  if (!skip_spaces (&p, end) || !dos_time (&p, end, &civil))
    return not_an_entry (error, line);

  entry = ferry_entry_new (NULL, FERRY_ENTRY_FILE);
  if (!ferry_time_from_civil (&civil, &entry->modified, error))
    return NULL;

  if (!skip_spaces (&p, end))
    return not_an_entry (error, line);
  size_start = p;
  while (p < end && *p != ' ')
    p++;
  if (p - size_start == 5 && memcmp (size_start, "<DIR>", 5) == 0)
    entry->type = FERRY_ENTRY_DIRECTORY;
  else if (!ferry_parse_size (size_start, (gsize) (p - size_start), &entry->size))
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR,
                   all_digits (size_start, (gsize) (p - size_start))
                     ? FERRY_PROTOCOL_ERROR_OUT_OF_RANGE : FERRY_PROTOCOL_ERROR_MALFORMED,
                   _("The listing line “%.80s” has no valid size"), line);
      return NULL;
    }

  while (p < end && *p == ' ')
    p++;
  if (p == end)
    return not_an_entry (error, line);
  return take_name (g_steal_pointer (&entry), p, (gsize) (end - p));
}

FerryEntry *
ferry_list_parse_line (const char  *line,
                       gint64       now,
                       GError     **error)
{
  gsize len;

  g_return_val_if_fail (line != NULL, NULL);

  len = strlen (line);
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;

  if (len > 0 && g_ascii_isdigit (line[0]))
    return parse_dos_line (line, len, error);
  return parse_unix_line (line, len, now, error);
}
