// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-format.c — listings and progress lines as ferry-cli prints them. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-format.h"
#include "ferry-cli-escape.h"
#include "ferry-transfer.h"

#include <glib/gi18n.h>
#include <string.h>

/* ls shows the year instead of the time for entries older than about six months. */
#define RECENT_SECONDS (G_GINT64_CONSTANT (183) * 24 * 60 * 60)

static int
compare_entries_by_name (gconstpointer a,
                         gconstpointer b)
{
  const FerryEntry *left = *(const FerryEntry * const *) a;
  const FerryEntry *right = *(const FerryEntry * const *) b;

  return strcmp (left->name, right->name);
}

static gboolean
entry_is_listed (const FerryEntry *entry,
                 gboolean          show_hidden)
{
  if (entry->type == FERRY_ENTRY_CURRENT_DIR || entry->type == FERRY_ENTRY_PARENT_DIR)
    return FALSE;
  if (g_strcmp0 (entry->name, ".") == 0 || g_strcmp0 (entry->name, "..") == 0)
    return FALSE;
  return show_hidden || entry->name[0] != '.';
}

static void
append_mode (GString          *out,
             const FerryEntry *entry)
{
  static const char letters[] = "rwxrwxrwx";
  char type;

  switch (entry->type)
    {
    case FERRY_ENTRY_DIRECTORY: type = 'd'; break;
    case FERRY_ENTRY_SYMLINK:   type = 'l'; break;
    case FERRY_ENTRY_FILE:      type = '-'; break;
    case FERRY_ENTRY_OTHER:
    case FERRY_ENTRY_CURRENT_DIR:
    case FERRY_ENTRY_PARENT_DIR:
    default:                    type = '?'; break;
    }
  g_string_append_c (out, type);

  /* Many servers (pyftpdlib, IIS) do not tell the mode: leave the column blank rather than
   * pretend "no permissions". */
  if (entry->mode == 0)
    {
      g_string_append (out, "         ");
      return;
    }
  for (guint bit = 0; bit < 9; bit++)
    {
      if (entry->mode & (0400u >> bit))
        g_string_append_c (out, letters[bit]);
      else
        g_string_append_c (out, '-');
    }
}

static char *
format_size_column (const FerryEntry *entry)
{
  if (entry->size < 0)
    return g_strdup ("-");
  return g_strdup_printf ("%" G_GINT64_FORMAT, entry->size);
}

static void
append_date (GString          *out,
             const FerryEntry *entry,
             gint64            now)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;
  gboolean recent;

  if (entry->modified != FERRY_ENTRY_UNKNOWN)
    when = g_date_time_new_from_unix_local (entry->modified);
  if (when == NULL)
    {
      g_string_append (out, "            ");
      return;
    }

  recent = entry->modified > now - RECENT_SECONDS && entry->modified < now + RECENT_SECONDS;
  text = g_date_time_format (when, recent ? "%b %e %H:%M" : "%b %e  %Y");
  g_string_append (out, text != NULL ? text : "            ");
}

void
ferry_cli_format_listing (GString   *out,
                          GPtrArray *entries,
                          gboolean   show_hidden)
{
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  g_autoptr(GPtrArray) sizes = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize size_width = 1;

  for (guint i = 0; i < entries->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);

      if (entry_is_listed (entry, show_hidden))
        g_ptr_array_add (listed, (gpointer) entry);
    }
  g_ptr_array_sort (listed, compare_entries_by_name);

  for (guint i = 0; i < listed->len; i++)
    {
      char *size = format_size_column (g_ptr_array_index (listed, i));

      size_width = MAX (size_width, strlen (size));
      g_ptr_array_add (sizes, size);
    }

  for (guint i = 0; i < listed->len; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (listed, i);
      g_autofree char *name = ferry_cli_escape (entry->name);

      append_mode (out, entry);
      g_string_append_printf (out, "  %*s  ", (int) size_width,
                              (const char *) g_ptr_array_index (sizes, i));
      append_date (out, entry, now);
      g_string_append (out, "  ");
      g_string_append (out, name);
      if (entry->type == FERRY_ENTRY_DIRECTORY)
        g_string_append_c (out, '/');
      else if (entry->type == FERRY_ENTRY_SYMLINK && entry->link_target != NULL)
        {
          g_autofree char *target = ferry_cli_escape (entry->link_target);

          g_string_append_printf (out, " -> %s", target);
        }
      g_string_append_c (out, '\n');
    }
}

char *
ferry_cli_format_duration (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("--:--");
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

guint
ferry_cli_display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

/* Appends text padded or cut to exactly columns terminal columns (a Chinese name takes two
 * per character); a cut name ends in "…". */
static void
append_fitted (GString    *out,
               const char *text,
               guint       columns)
{
  guint width = ferry_cli_display_width (text);
  guint used = 0;
  const char *p;

  if (columns == 0)
    return;
  if (width <= columns)
    {
      g_string_append (out, text);
      for (guint i = width; i < columns; i++)
        g_string_append_c (out, ' ');
      return;
    }
  /* Whole characters up to one column before the end, then the ellipsis; a wide character
   * that would straddle it leaves a space instead. */
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint w = char_width (g_utf8_get_char (p));

      if (used + w > columns - 1)
        break;
      used += w;
    }
  g_string_append_len (out, text, p - text);
  for (; used < columns - 1; used++)
    g_string_append_c (out, ' ');
  g_string_append (out, "…");
}

/* Pads *text on the left to columns terminal columns, in place; returns it. */
static const char *
pad_left (char  **text,
          guint   columns)
{
  glong length = ferry_cli_display_width (*text);
  char *padded;

  if ((guint) length >= columns)
    return *text;
  padded = g_strdup_printf ("%*s%s", (int) (columns - (guint) length), "", *text);
  g_free (*text);
  *text = padded;
  return padded;
}

char *
ferry_cli_format_progress (const char *name,
                           gint64      done,
                           gint64      total,
                           double      bytes_per_second,
                           guint       width)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *percent = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *eta = NULL;
  g_autofree char *figures = NULL;
  guint figures_width, available, name_width;
  double fraction = -1;

  width = MAX (width, 20);
  if (total > 0)
    fraction = CLAMP ((double) done / (double) total, 0.0, 1.0);
  else if (total == 0)
    fraction = 1.0;

  if (fraction >= 0)
    percent = g_strdup_printf ("%3d%%", (int) (fraction * 100));
  else
    percent = g_strdup (" --%");

  bytes = g_format_size (done);
  if (bytes_per_second > 0)
    {
      g_autofree char *per_second = g_format_size ((guint64) bytes_per_second);

      /* TRANSLATORS: a transfer rate, e.g. "3.4 MB/s" */
      rate = g_strdup_printf (_("%s/s"), per_second);
    }
  else
    rate = g_strdup ("");
  eta = ferry_cli_format_duration (ferry_transfer_estimate_eta (done, total, bytes_per_second));

  /* Fixed columns so the line does not jitter; GLib's sizes contain a no-break space, so
   * pad by characters rather than with printf's byte widths. */
  figures = g_strdup_printf ("%s %s %s %s", percent, pad_left (&bytes, 9), pad_left (&rate, 11),
                             pad_left (&eta, 8));
  figures_width = ferry_cli_display_width (figures);

  if (figures_width + 2 > width)
    {
      /* A very narrow terminal: the name and the percentage are what matter. */
      append_fitted (line, name, width - 5);
      g_string_append_c (line, ' ');
      g_string_append (line, percent);
      return g_string_free (g_steal_pointer (&line), FALSE);
    }

  available = width - figures_width - 1;
  name_width = MIN (ferry_cli_display_width (name), available);
  if (available >= 20)
    name_width = MIN (name_width, available / 2);
  append_fitted (line, name, name_width);
  g_string_append_c (line, ' ');

  if (available - name_width >= 8)
    {
      guint bar_width = available - name_width - 3;
      guint filled = fraction >= 0 ? (guint) (fraction * bar_width) : 0;

      g_string_append_c (line, '[');
      for (guint i = 0; i < bar_width; i++)
        {
          if (i < filled)
            g_string_append_c (line, '=');
          else if (i == filled && fraction >= 0)
            g_string_append_c (line, '>');
          else
            g_string_append_c (line, ' ');
        }
      g_string_append (line, "] ");
    }
  else
    {
      for (guint i = name_width; i < available; i++)
        g_string_append_c (line, ' ');
    }

  g_string_append (line, figures);
  return g_string_free (g_steal_pointer (&line), FALSE);
}
