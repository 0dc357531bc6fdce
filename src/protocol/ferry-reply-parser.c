// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-reply-parser.c — server replies for the client (RFC 959 §4.2).
 *
 * Lines are taken one at a time as they complete; a multi-line reply collects its text
 * until the line "123 " with the same code, so split feeds cost no rescanning. */
#define G_LOG_DOMAIN "ferry-protocol"

#include <inttypes.h>
#include "ferry-reply-parser.h"
#include "ferry-protocol-error.h"

#include <string.h>
#include <glib/gi18n.h>

struct _FerryReplyParser {
  GByteArray *buffer;       /* received bytes; consumed ones before `start` */
  gsize       start;
  gsize       max_size;
  guint       code;         /* the code of the multi-line reply in progress, or 0 */
  GString    *text;         /* its text so far */
  gsize       reply_size;   /* its bytes so far, line ends included */
  GError     *failure;      /* once set, every next() reports it again */
};

FerryReplyParser *
ferry_reply_parser_new (gsize max_reply_size)
{
  FerryReplyParser *parser = g_new0 (FerryReplyParser, 1);

  parser->buffer = g_byte_array_new ();
  parser->max_size = max_reply_size > 0 ? max_reply_size : FERRY_REPLY_MAX_DEFAULT;
  parser->text = g_string_new (NULL);
  return parser;
}

void
ferry_reply_parser_free (FerryReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_byte_array_unref (parser->buffer);
  g_string_free (parser->text, TRUE);
  g_clear_error (&parser->failure);
  g_free (parser);
}

void
ferry_reply_free (FerryReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->text);
  g_free (reply);
}

void
ferry_reply_parser_feed (FerryReplyParser *parser,
                         const guint8     *data,
                         gsize             len)
{
  g_return_if_fail (parser != NULL);
  g_return_if_fail (data != NULL || len == 0);

  /* After a failure the connection is going away; keep memory bounded meanwhile. */
  if (parser->failure != NULL || len == 0)
    return;

  g_byte_array_append (parser->buffer, data, (guint) len);
}

static gboolean
fail (FerryReplyParser  *parser,
      GError            *failure,
      GError           **error)
{
  parser->failure = failure;
  g_byte_array_set_size (parser->buffer, 0);
  parser->start = 0;
  g_propagate_error (error, g_error_copy (failure));
  return FALSE;
}

/* The code of a line starting "DDD" with 100 ≤ DDD ≤ 599, else 0. */
static guint
line_code (const char *line,
           gsize       len)
{
  if (len < 3 || line[0] < '1' || line[0] > '5' ||
      !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]))
    return 0;
  return (guint) ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
}

static FerryReply *
take_reply (FerryReplyParser *parser,
            guint             code)
{
  FerryReply *reply = g_new0 (FerryReply, 1);

  reply->code = code;
  reply->text = g_strndup (parser->text->str, parser->text->len);
  g_string_truncate (parser->text, 0);
  parser->code = 0;
  parser->reply_size = 0;
  return reply;
}

/* Handles one line (without its line end); returns a reply when it completed one. */
static FerryReply *
handle_line (FerryReplyParser  *parser,
             const char        *line,
             gsize              len,
             GError           **error)
{
  guint code = line_code (line, len);

  if (memchr (line, '\0', len) != NULL)
    {
      g_set_error_literal (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                           _("The server sent a reply containing a NUL byte"));
      return NULL;
    }

  if (parser->code == 0)
    {
      if (code == 0 || (len > 3 && line[3] != ' ' && line[3] != '-'))
        {
          g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                       _("The server sent “%.*s”, which is not an FTP reply"),
                       (int) MIN (len, 80), line);
          return NULL;
        }
      if (len > 3)
        g_string_append_len (parser->text, line + 4, (gssize) len - 4);
      if (len > 3 && line[3] == '-')
        {
          parser->code = code;
          return NULL;
        }
      return take_reply (parser, code);
    }

  g_string_append_c (parser->text, '\n');
  if (code == parser->code && (len == 3 || line[3] == ' '))
    {
      if (len > 3)
        g_string_append_len (parser->text, line + 4, (gssize) len - 4);
      return take_reply (parser, code);
    }
  g_string_append_len (parser->text, line, (gssize) len);
  return NULL;
}

gboolean
ferry_reply_parser_next (FerryReplyParser  *parser,
                         FerryReply       **out,
                         GError           **error)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (parser->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (parser->failure));
      return FALSE;
    }

  while (parser->start < parser->buffer->len)
    {
      const char *begin = (const char *) parser->buffer->data + parser->start;
      gsize available = parser->buffer->len - parser->start;
      const char *lf = memchr (begin, '\n', available);
      gsize line_len = lf != NULL ? (gsize) (lf - begin) + 1 : available;
      FerryReply *reply;
      GError *local_error = NULL;

      if (parser->reply_size + line_len > parser->max_size)
        return fail (parser,
                     g_error_new (FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_REPLY_TOO_LONG,
                                  _("The server sent a reply longer than %zu"
                                    " bytes"), parser->max_size),
                     error);
      if (lf == NULL)
        break;

      parser->start += line_len;
      parser->reply_size += line_len;
      line_len--;
      if (line_len > 0 && begin[line_len - 1] == '\r')
        line_len--;

      reply = handle_line (parser, begin, line_len, &local_error);
      if (local_error != NULL)
        return fail (parser, local_error, error);
      if (reply != NULL)
        {
          /* Drop consumed bytes once they are at least half the buffer: amortised linear. */
          if (parser->start >= parser->buffer->len / 2)
            {
              g_byte_array_remove_range (parser->buffer, 0, (guint) parser->start);
              parser->start = 0;
            }
          *out = reply;
          return TRUE;
        }
    }

  if (parser->start >= parser->buffer->len / 2 && parser->start > 0)
    {
      g_byte_array_remove_range (parser->buffer, 0, (guint) parser->start);
      parser->start = 0;
    }
  return FALSE;
}
