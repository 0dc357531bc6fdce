// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-status.c — JSON lines on the status channel; GLib only (session processes write). */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ferryd-config.h"
#include "ferryd-log.h"
#include "ferryd-status.h"

#define MAX_VALUE_BYTES 1024

GString *
ferryd_status_begin (const char *event)
{
  GString *line = g_string_new ("{");
  gint64 now = g_get_real_time ();

  ferryd_status_add_string (line, "event", event);
  ferryd_status_add_number (line, "pid", getpid ());
  g_string_append_printf (line, ",\"time\":%" G_GINT64_FORMAT ".%03d",
                          now / G_USEC_PER_SEC, (int) (now % G_USEC_PER_SEC / 1000));
  return line;
}

static void
append_json_string (GString    *line,
                    const char *text)
{
  g_autofree char *escaped = ferryd_log_escape (text, strlen (text));
  const char *value = escaped != NULL ? escaped : text;
  gsize length = strlen (value);

  /* Printable UTF-8 from here on: cut at a character boundary. */
  if (length > MAX_VALUE_BYTES)
    length = (gsize) (g_utf8_find_prev_char (value, value + MAX_VALUE_BYTES + 1) - value);

  g_string_append_c (line, '"');
  for (gsize i = 0; i < length; i++)
    {
      if (value[i] == '"' || value[i] == '\\')
        g_string_append_c (line, '\\');
      g_string_append_c (line, value[i]);
    }
  g_string_append_c (line, '"');
}

void
ferryd_status_add_string (GString    *line,
                          const char *key,
                          const char *value)
{
  if (line->len > 1)
    g_string_append_c (line, ',');
  append_json_string (line, key);
  g_string_append_c (line, ':');
  append_json_string (line, value != NULL ? value : "");
}

void
ferryd_status_add_number (GString    *line,
                          const char *key,
                          gint64      value)
{
  g_string_append_printf (line, ",\"%s\":%" G_GINT64_FORMAT, key, value);
}

void
ferryd_status_add_bool (GString    *line,
                        const char *key,
                        gboolean    value)
{
  g_string_append_printf (line, ",\"%s\":%s", key, value ? "true" : "false");
}

void
ferryd_status_send (int      fd,
                    GString *line)
{
  g_string_append (line, "}\n");
  if (fd >= 0 && line->len <= PIPE_BUF)
    {
      ssize_t written;

      do
        written = write (fd, line->str, line->len);
      while (written < 0 && errno == EINTR);
    }
  g_string_free (line, TRUE);
}

gboolean
ferryd_status_prepare (int      fd,
                       GError **error)
{
  int flags = fcntl (fd, F_GETFL);

  if (fd < 3 || flags < 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) != 0)
    {
      g_set_error (error, FERRYD_CONFIG_ERROR, FERRYD_CONFIG_ERROR_INVALID,
                   _("--status-fd %d is not an open file descriptor above 2 (give ferryd a "
                     "pipe on it)"), fd);
      return FALSE;
    }
  /* Not inherited by programs ferryd runs, except on purpose (the session zygote). */
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  return TRUE;
}
