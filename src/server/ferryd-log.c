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
