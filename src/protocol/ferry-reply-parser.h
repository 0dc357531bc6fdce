// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-reply-parser.h — parses server replies for the client (RFC 959 §4.2).
 *
 * Single-line "123 text" and multi-line "123-first" … "123 last" replies; lines in between
 * may have any form. Lines end in CRLF or bare LF. The total size of one reply is bounded.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_REPLY_MAX_DEFAULT (64 * 1024)

typedef struct {
  guint  code;   /* 100–599 */
  char  *text;   /* the text of all lines joined with '\n', without the "123-"/"123 " prefixes
                    of the first and the last line; never NULL */
} FerryReply;

typedef struct _FerryReplyParser FerryReplyParser;

/* max_reply_size bounds all bytes of one reply, line ends included; 0 means
 * FERRY_REPLY_MAX_DEFAULT. A line without an end that grows past it fails at once. */
FerryReplyParser *ferry_reply_parser_new  (gsize max_reply_size);
void              ferry_reply_parser_free (FerryReplyParser *parser);

void     ferry_reply_parser_feed (FerryReplyParser *parser,
                                  const guint8     *data,
                                  gsize             len);

/* TRUE and *out set when a whole reply is ready; FALSE with *error
 * (FERRY_PROTOCOL_ERROR_REPLY_TOO_LONG or _MALFORMED — a first line that is not
 * "DDD", "DDD " or "DDD-" with 100 ≤ DDD ≤ 599, or a NUL byte; the connection should be
 * dropped, and every later call fails the same way); FALSE without error when more input
 * is needed. */
gboolean ferry_reply_parser_next (FerryReplyParser *parser,
                                  FerryReply      **out,
                                  GError          **error);

void     ferry_reply_free (FerryReply *reply);

/* 1 = preliminary (1xx), 2 = completion, 3 = intermediate, 4 = transient, 5 = permanent. */
#define FERRY_REPLY_CLASS(code) ((code) / 100)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryReplyParser, ferry_reply_parser_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryReply, ferry_reply_free)

G_END_DECLS
