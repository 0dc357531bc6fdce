// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-command-reader.c — splits the server's control byte stream into commands.
 *
 * feed() decodes Telnet IAC sequences and keeps whole lines in one buffer; a line growing
 * past the limit is cut out at once and its position remembered, so next() reports it in
 * order while the rest of it is discarded as it arrives. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-command-reader.h"
#include "ferry-protocol-error.h"

#include <string.h>
#include <glib/gi18n.h>

#define VERB_MAX 16

enum {
  TELNET_IAC = 255,
  TELNET_DONT = 254,
  TELNET_WILL = 251,
};

typedef enum {
  IAC_NONE,          /* plain data */
  IAC_SEEN,          /* after IAC */
  IAC_OPTION,        /* after IAC WILL/WONT/DO/DONT: the option byte follows */
} IacState;

struct _FerryCommandReader {
  GByteArray *buffer;         /* decoded bytes; taken lines before `start` */
  gsize       start;
  gsize       partial_len;    /* bytes of the unfinished last line in buffer */
  GArray     *overflows;      /* gsize offsets in buffer where an over-long line was */
  gboolean    discarding;     /* inside an over-long line: drop bytes until LF */
  IacState    iac;
};

FerryCommandReader *
ferry_command_reader_new (void)
{
  FerryCommandReader *reader = g_new0 (FerryCommandReader, 1);

  reader->buffer = g_byte_array_new ();
  reader->overflows = g_array_new (FALSE, FALSE, sizeof (gsize));
  return reader;
}

void
ferry_command_reader_free (FerryCommandReader *reader)
{
  if (reader == NULL)
    return;

  g_byte_array_unref (reader->buffer);
  g_array_unref (reader->overflows);
  g_free (reader);
}

void
ferry_command_free (FerryCommand *command)
{
  if (command == NULL)
    return;

  g_free (command->verb);
  g_free (command->arg);
  g_free (command);
}

/* Appends decoded bytes (no IAC processing left to do). */
static void
append_decoded (FerryCommandReader *reader,
                const guint8       *data,
                gsize               len)
{
  while (len > 0)
    {
      const guint8 *lf = memchr (data, '\n', len);
      gsize content = lf != NULL ? (gsize) (lf - data) : len;
      gsize taken = lf != NULL ? content + 1 : len;

      if (reader->discarding)
        {
          if (lf != NULL)
            reader->discarding = FALSE;
        }
      /* One byte over the limit is allowed for the CR of the CRLF. */
      else if (reader->partial_len + content > FERRY_COMMAND_LINE_MAX + 1)
        {
          gsize line_start = reader->buffer->len - reader->partial_len;

          g_byte_array_set_size (reader->buffer, (guint) line_start);
          g_array_append_val (reader->overflows, line_start);
          reader->partial_len = 0;
          reader->discarding = lf == NULL;
        }
      else
        {
          g_byte_array_append (reader->buffer, data, (guint) taken);
          reader->partial_len = lf != NULL ? 0 : reader->partial_len + taken;
        }

      data += taken;
      len -= taken;
    }
}

void
ferry_command_reader_feed (FerryCommandReader *reader,
                           const guint8       *data,
                           gsize               len)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (data != NULL || len == 0);

  while (len > 0)
    {
      if (reader->iac == IAC_NONE)
        {
          const guint8 *iac = memchr (data, TELNET_IAC, len);
          gsize run = iac != NULL ? (gsize) (iac - data) : len;

          append_decoded (reader, data, run);
          data += run;
          len -= run;
          if (iac != NULL)
            {
              reader->iac = IAC_SEEN;
              data++;
              len--;
            }
          continue;
        }

      if (reader->iac == IAC_SEEN)
        {
          guint8 byte = data[0];

          if (byte == TELNET_IAC)
            {
              append_decoded (reader, &byte, 1);
              reader->iac = IAC_NONE;
            }
          else if (byte >= TELNET_WILL && byte <= TELNET_DONT)
            reader->iac = IAC_OPTION;
          else
            reader->iac = IAC_NONE;   /* IP, DM, AO, … carry no meaning for FTP */
        }
      else
        reader->iac = IAC_NONE;       /* the option byte of WILL/WONT/DO/DONT */

      data++;
      len--;
    }
}

gsize
ferry_command_reader_pending (FerryCommandReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->buffer->len - reader->start;
}

/* Drops taken bytes once they are the larger part of the buffer. */
static void
compact (FerryCommandReader *reader)
{
  gsize start = reader->start;

  /* Only when that moves at most as many bytes as were taken: amortised linear. */
  if (start == 0 || (start < reader->buffer->len && start < reader->buffer->len / 2))
    return;

  g_byte_array_remove_range (reader->buffer, 0, (guint) start);
  for (guint i = 0; i < reader->overflows->len; i++)
    g_array_index (reader->overflows, gsize, i) -= start;
  reader->start = 0;
}

static gboolean
parse_line (const char     *line,
            gsize           len,
            FerryCommand  **out,
            GError        **error)
{
  gsize verb_len = 0;
  FerryCommand *command;

  if (len == 0)
    {
      g_set_error_literal (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                           _("Empty command line"));
      return FALSE;
    }
  if (memchr (line, '\0', len) != NULL)
    {
      g_set_error_literal (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                           _("The command line contains a NUL byte"));
      return FALSE;
    }
  if (memchr (line, '\r', len) != NULL)
    {
      g_set_error_literal (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                           _("The command line contains a carriage return before its end"));
      return FALSE;
    }

  while (verb_len < len && g_ascii_isalnum (line[verb_len]))
    verb_len++;

  if (verb_len == 0 || !g_ascii_isalpha (line[0]) || verb_len > VERB_MAX ||
      (verb_len < len && line[verb_len] != ' '))
    {
      g_set_error_literal (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                           _("The command line does not start with a command name of "
                             "letters and digits"));
      return FALSE;
    }

  command = g_new0 (FerryCommand, 1);
  command->verb = g_ascii_strup (line, (gssize) verb_len);
  if (verb_len + 1 < len)
    command->arg = g_strndup (line + verb_len + 1, len - verb_len - 1);
  *out = command;
  return TRUE;
}

gboolean
ferry_command_reader_next (FerryCommandReader  *reader,
                           FerryCommand       **out,
                           GError             **error)
{
  const guint8 *begin, *lf;
  gsize len;
  gboolean ok;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (reader->overflows->len > 0 &&
      g_array_index (reader->overflows, gsize, 0) == reader->start)
    {
      g_array_remove_index (reader->overflows, 0);
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_LINE_TOO_LONG,
                   _("The command line is longer than %d bytes"), FERRY_COMMAND_LINE_MAX);
      return FALSE;
    }

  if (reader->start == reader->buffer->len)
    return FALSE;

  begin = reader->buffer->data + reader->start;
  lf = memchr (begin, '\n', reader->buffer->len - reader->start);
  if (lf == NULL)
    return FALSE;

  len = (gsize) (lf - begin);
  reader->start += len + 1;
  if (len > 0 && begin[len - 1] == '\r')
    len--;

  if (len > FERRY_COMMAND_LINE_MAX)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_LINE_TOO_LONG,
                   _("The command line is longer than %d bytes"), FERRY_COMMAND_LINE_MAX);
      ok = FALSE;
    }
  else
    ok = parse_line ((const char *) begin, len, out, error);

  compact (reader);
  return ok;
}
