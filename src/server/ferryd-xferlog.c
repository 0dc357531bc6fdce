// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-xferlog.c — the transfer log's lines, and the one write each (GLib only: session
 * processes write them). */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ferryd-config.h"
#include "ferryd-log.h"
#include "ferryd-xferlog.h"

/* Ends a field cut to fit: a backslash starts only \\ and \xNN in an escaped name. */
#define CUT_MARK "\\..."
#define HOST_MAX 64

static int xferlog_fd = -1;
static gboolean write_failed;

int
ferryd_xferlog_open (const char  *path,
                     GError     **error)
{
  /* O_NONBLOCK only for the open: a FIFO without a reader fails (ENXIO) instead of
   * hanging the listener. */
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0640);
  int flags;

  if (fd < 0 || (flags = fcntl (fd, F_GETFL)) < 0 || fcntl (fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_FILE,
                   _("cannot open the transfer log “%s”: %s"), path, g_strerror (saved_errno));
      return -1;
    }
  return fd;
}

void
ferryd_xferlog_use_fd (int fd)
{
  xferlog_fd = fd;
  /* The zone is read once here, not by every session's first line. */
  tzset ();
}

/* Cuts an escaped field to at most max bytes (CUT_MARK included) between two characters or
 * escapes, never inside one. */
static void
cut (GString *field,
     gsize    max)
{
  gsize room = max - strlen (CUT_MARK);
  gsize i = 0;

  while (i < field->len)
    {
      const char *at = field->str + i;
      gsize unit = *at == '\\' ? (at[1] == 'x' ? 4 : 2) : (gsize) (g_utf8_next_char (at) - at);

      if (i + unit > room)
        break;
      i += unit;
    }
  g_string_truncate (field, i);
  g_string_append (field, CUT_MARK);
}

/* text as one field of the line: escaped, "*" when there is none, at most max bytes. */
static GString *
field (const char *text,
       gsize       max)
{
  g_autofree char *escaped = NULL;
  GString *out;

  if (text == NULL || *text == '\0')
    return g_string_new ("*");
  escaped = ferryd_log_escape_word (text, strlen (text));
  out = g_string_new (escaped != NULL ? escaped : text);
  if (out->len > max)
    cut (out, max);
  return out;
}

gsize
ferryd_xferlog_format (const FerrydXferlogEntry *entry,
                       char                     *line)
{
  /* ctime(3)'s English names whatever the locale, as the analysers expect them. */
  static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
  static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GString) host = field (entry->remote_host, HOST_MAX);
  g_autoptr(GString) user = field (entry->user, FERRYD_XFERLOG_USER_MAX);
  g_autoptr(GString) out = g_string_sized_new (256);
  g_autoptr(GString) path = NULL;
  g_autofree char *tail = NULL;
  time_t when = (time_t) entry->when;
  gint64 seconds = (entry->duration_usec + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
  struct tm tm;

  /* Whole seconds, at least 1 as wu-ftpd and vsftpd write it: analysers divide by it. */
  seconds = MAX (seconds, 1);
  if (localtime_r (&when, &tm) == NULL)
    memset (&tm, 0, sizeof tm);
  g_string_append_printf (out, "%s %s %2d %02d:%02d:%02d %d %" G_GINT64_FORMAT " %s %"
                          G_GINT64_FORMAT " ",
                          days[CLAMP (tm.tm_wday, 0, 6)], months[CLAMP (tm.tm_mon, 0, 11)],
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900,
                          seconds, host->str, (gint64) entry->bytes);
  tail = g_strdup_printf (" %c _ %c %c %s ftp 0 * %c\n", entry->ascii ? 'a' : 'b',
                          entry->upload ? 'i' : 'o', entry->anonymous ? 'a' : 'r',
                          user->str, entry->complete ? 'c' : 'i');
  path = field (entry->path, FERRYD_XFERLOG_LINE_MAX - out->len - strlen (tail));
  g_string_append_len (out, path->str, (gssize) path->len);
  g_string_append (out, tail);

  g_assert (out->len <= FERRYD_XFERLOG_LINE_MAX);
  memcpy (line, out->str, out->len);
  return out->len;
}

void
ferryd_xferlog_write (const FerrydXferlogEntry *entry)
{
  char line[FERRYD_XFERLOG_LINE_MAX];
  gsize length;
  ssize_t written;

  if (xferlog_fd < 0)
    return;
  length = ferryd_xferlog_format (entry, line);
  /* Never a second write for the rest of a short one: it could land after another
   * session's line. */
  do
    written = write (xferlog_fd, line, length);
  while (written < 0 && errno == EINTR);
  if (written != (ssize_t) length && !write_failed)
    {
      /* No locale in session processes: not translated. */
      g_warning ("cannot write to the transfer log: %s",
                 written < 0 ? g_strerror (errno) : "only part of the line was written");
      write_failed = TRUE;
    }
}
