// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-log.c — a GLib structured log writer for a daemon. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ferryd-log.h"

static gboolean log_verbose;
static gboolean log_to_journal;

/* A byte that cannot go to a terminal or a log reader as it is: C0 controls and DEL (ESC
 * sequences, CR, BS forge or erase lines), the backslash that starts our escapes, and in a
 * field of a space-separated line, the space. */
static inline gboolean
ascii_needs_escape (guchar   c,
                    gboolean space)
{
  return c < 0x20 || c == 0x7f || c == '\\' || (space && c == ' ');
}

/* Length of the escape-free UTF-8 character at text, 0 if it must be escaped: an invalid
 * sequence, a C1 control (U+0080–U+009F: 8-bit terminals read U+009B as CSI), a format
 * character (bidi overrides, zero-width marks) or anything else unprintable; with space,
 * also a space other than ASCII's (no-break, ideographic…), which splitters count too. */
static gsize
printable_utf8_length (const char *text,
                       gsize       available,
                       gboolean    space)
{
  gunichar c = g_utf8_get_char_validated (text, (gssize) available);
  if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isprint (c)
      || (space && g_unichar_isspace (c)))
    return 0;
  return (gsize) (g_utf8_next_char (text) - text);
}

static char *
escape (const char *text,
        gsize       length,
        gboolean    space)
{
  GString *escaped = NULL;
  gsize done = 0;
  gsize i = 0;

  while (i < length)
    {
      guchar c = (guchar) text[i];
      gsize keep = c < 0x80 ? !ascii_needs_escape (c, space)
                            : printable_utf8_length (text + i, length - i, space);

      if (keep > 0)
        {
          i += keep;
          continue;
        }
      if (escaped == NULL)
        escaped = g_string_sized_new (length + 16);
      g_string_append_len (escaped, text + done, (gssize) (i - done));
      if (c == '\\')
        g_string_append (escaped, "\\\\");
      else
        g_string_append_printf (escaped, "\\x%02X", c);
      i++;
      done = i;
    }
  if (escaped == NULL)
    return NULL;
  g_string_append_len (escaped, text + done, (gssize) (length - done));
  return g_string_free (escaped, FALSE);
}

char *
ferryd_log_escape (const char *text,
                   gsize       length)
{
  return escape (text, length, FALSE);
}

char *
ferryd_log_escape_word (const char *text,
                        gsize       length)
{
  return escape (text, length, TRUE);
}

static const char *
level_prefix (GLogLevelFlags level)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return "error: ";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning: ";
  if (level & G_LOG_LEVEL_DEBUG)
    return "debug: ";
  return "";
}

/* writev until everything is out, or the descriptor fails. */
static void
write_vectors (int           fd,
               struct iovec *parts,
               gsize         n_parts)
{
  while (n_parts > 0)
    {
      ssize_t written = writev (fd, parts, (int) n_parts);

      if (written <= 0)
        return;
      while (n_parts > 0 && (gsize) written >= parts->iov_len)
        {
          written -= (ssize_t) parts->iov_len;
          parts++;
          n_parts--;
        }
      if (n_parts > 0)
        {
          parts->iov_base = (char *) parts->iov_base + written;
          parts->iov_len -= (gsize) written;
        }
    }
}

/* The journal keeps any bytes, but journalctl and the tools that read it print them to a
 * terminal: every text field goes there escaped as on stderr. */
static gboolean
write_journal (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree GLogField *copies = g_new (GLogField, n_fields);
  g_autoptr(GPtrArray) escapes = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n_fields; i++)
    {
      char *escaped = NULL;

      copies[i] = fields[i];
      if (fields[i].length < 0)
        escaped = ferryd_log_escape (fields[i].value, strlen (fields[i].value));
      if (escaped != NULL)
        {
          g_ptr_array_add (escapes, escaped);
          copies[i].value = escaped;
        }
    }
  return g_log_writer_journald (level, copies, n_fields, user_data) == G_LOG_WRITER_HANDLED;
}

static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  const char *message = NULL;
  gsize message_length = 0;
  g_autofree char *escaped = NULL;

  if ((level & G_LOG_LEVEL_DEBUG) && !log_verbose)
    return G_LOG_WRITER_HANDLED;

  if (log_to_journal && write_journal (level, fields, n_fields, user_data))
    return G_LOG_WRITER_HANDLED;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        message = fields[i].value;
        message_length = fields[i].length < 0 ? strlen (message) : (gsize) fields[i].length;
      }
  if (message == NULL)
    return G_LOG_WRITER_UNHANDLED;
  escaped = ferryd_log_escape (message, message_length);
  if (escaped != NULL)
    {
      message = escaped;
      message_length = strlen (escaped);
    }

  /* One write per line, so lines of concurrent session processes do not interleave; the
   * message is written from where it is, not copied into a formatted line first. */
  {
    char prefix[64];
    int prefix_length = g_snprintf (prefix, sizeof prefix, "ferryd[%d]: %s", (int) getpid (),
                                    level_prefix (level));
    struct iovec parts[] = {
      { prefix, (gsize) MIN (prefix_length, (int) sizeof prefix - 1) },
      { (char *) message, message_length },
      { (char *) "\n", 1 },
    };

    write_vectors (STDERR_FILENO, parts, G_N_ELEMENTS (parts));
  }
  return G_LOG_WRITER_HANDLED;
}

void
ferryd_log_init (void)
{
  log_to_journal = g_log_writer_is_journald (STDERR_FILENO);
  g_log_set_writer_func (write_log, NULL, NULL);
}

void
ferryd_log_set_verbose (gboolean verbose)
{
  log_verbose = verbose;
}
