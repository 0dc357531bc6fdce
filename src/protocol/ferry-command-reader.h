// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-command-reader.h — splits the server's control byte stream into commands.
 *
 * Lines end in CRLF (a bare LF is tolerated). Telnet IAC sequences are interpreted:
 * IAC IAC is a literal 0xFF byte, IAC IP / IAC DM / other two-byte commands are dropped,
 * IAC WILL/WONT/DO/DONT x are dropped. The verb is upper-cased ASCII; the argument is
 * kept byte-exact (inner and trailing spaces preserved; only the single separating space
 * after the verb is removed). Invalid UTF-8 passes through untouched.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_COMMAND_LINE_MAX 4096

typedef struct {
  char *verb;   /* upper-cased, never NULL, 1–16 bytes of A–Z/0–9 starting with a letter */
  char *arg;    /* NULL when the line had no argument ("NOOP" or "NOOP "); otherwise
                   1–4096 bytes, never containing NUL, CR or LF */
} FerryCommand;

typedef struct _FerryCommandReader FerryCommandReader;

FerryCommandReader *ferry_command_reader_new  (void);
void                ferry_command_reader_free (FerryCommandReader *reader);

/* Appends bytes read from the control connection. Memory stays bounded: bytes past an
 * over-long line are discarded until its end. */
void     ferry_command_reader_feed (FerryCommandReader *reader,
                                    const guint8       *data,
                                    gsize               len);

/* Takes the next complete command.
 * Returns TRUE and sets *out when one is ready.
 * Returns FALSE with *error set for a bad line, which is consumed:
 *   FERRY_PROTOCOL_ERROR_LINE_TOO_LONG (over FERRY_COMMAND_LINE_MAX bytes before CRLF;
 *     reported as soon as the line grows past the limit, even before it ends, and in
 *     order after the commands before it; reply 500 and close),
 *   FERRY_PROTOCOL_ERROR_MALFORMED (empty line, only spaces, a NUL byte, a CR inside the
 *     line, a verb that is not A–Z/0–9 or longer than 16 bytes, leading spaces).
 * Returns FALSE without error when more input is needed. */
gboolean ferry_command_reader_next (FerryCommandReader *reader,
                                    FerryCommand      **out,
                                    GError            **error);

/* Bytes fed but not yet taken as a command (for tests and for draining on AUTH TLS). */
gsize    ferry_command_reader_pending (FerryCommandReader *reader);

void     ferry_command_free (FerryCommand *command);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCommandReader, ferry_command_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCommand, ferry_command_free)

G_END_DECLS
