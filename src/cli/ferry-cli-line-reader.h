// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-line-reader.h — reads the prompt's lines from stdin without blocking the main
 * loop: with readline (line editing, history) when stdin is a terminal, plain lines when
 * it is a pipe or a file (then no prompt is printed). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_CLI_TYPE_LINE_READER (ferry_cli_line_reader_get_type ())

G_DECLARE_FINAL_TYPE (FerryCliLineReader, ferry_cli_line_reader, FERRY_CLI, LINE_READER, GObject)

FerryCliLineReader *ferry_cli_line_reader_new             (void);

/* TRUE when stdin is a terminal: a person is typing. */
gboolean            ferry_cli_line_reader_is_interactive (FerryCliLineReader   *self);

/* Shows prompt (on a terminal) and reads one line. Only one read at a time; between reads
 * the terminal belongs to the program's own output. Cancelling ends the read as
 * ferry_cli_line_reader_stop() does. */
void                ferry_cli_line_reader_read_async     (FerryCliLineReader   *self,
                                                          const char           *prompt,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);

/* The line without its newline, or NULL with no error at the end of input (EOF, Ctrl+D). */
char               *ferry_cli_line_reader_read_finish    (FerryCliLineReader   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Ends a read in progress (the session is ending): it completes with
 * G_IO_ERROR_CANCELLED, and the terminal gets its settings back. */
void                ferry_cli_line_reader_stop           (FerryCliLineReader   *self);

/* Words that Tab completes at the start of a line (the command names); further words
 * complete as local file names. Borrowed: words must outlive the reader. */
void                ferry_cli_line_reader_set_commands   (FerryCliLineReader   *self,
                                                          const char * const   *commands);

/* Ctrl+C at an idle prompt: forget what was typed and show a fresh prompt. */
void                ferry_cli_line_reader_discard_line   (FerryCliLineReader   *self);

/* The terminal changed size (SIGWINCH). */
void                ferry_cli_line_reader_resize         (FerryCliLineReader   *self);

G_END_DECLS
