/* ferryd-log.c — a GLib structured log writer for a daemon. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ferryd-log.h"

static gboolean log_verbose;
static gboolean log_to_journal;

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

static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  const char *message = NULL;
  gsize message_length = 0;

  if ((level & G_LOG_LEVEL_DEBUG) && !log_verbose)
    return G_LOG_WRITER_HANDLED;

  if (log_to_journal
      && g_log_writer_journald (level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
    return G_LOG_WRITER_HANDLED;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        message = fields[i].value;
        message_length = fields[i].length < 0 ? strlen (message) : (gsize) fields[i].length;
      }
  if (message == NULL)
    return G_LOG_WRITER_UNHANDLED;

  /* One write per line, so lines of concurrent session processes do not interleave. */
  {
    g_autofree char *line = g_strdup_printf ("ferryd[%d]: %s%.*s\n", (int) getpid (),
                                             level_prefix (level), (int) message_length,
                                             message);
    gsize length = strlen (line);
    gsize done = 0;

    while (done < length)
      {
        ssize_t written = write (STDERR_FILENO, line + done, length - done);
        if (written <= 0)
          break;
        done += written;
      }
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
