// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-ask.h — questions on the terminal: a password (echo off), or a yes/no answer. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Prints prompt on the controlling terminal (/dev/tty, so it works with redirected stdin)
 * and reads one line without echo. Ctrl+C gives G_IO_ERROR_CANCELLED; no terminal gives
 * G_IO_ERROR_NOT_SUPPORTED. The terminal's settings are always restored. */
char *ferry_cli_ask_password (const char  *prompt,
                              GError     **error);

/* The same with echo on, for questions ("Trust this certificate? [y/N]"). */
char *ferry_cli_ask_line     (const char  *prompt,
                              GError     **error);

G_END_DECLS
