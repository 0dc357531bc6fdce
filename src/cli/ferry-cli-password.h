/* ferry-cli-password.h — asks for a password on the terminal with echo turned off. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Prints prompt on the controlling terminal (/dev/tty, so it works with redirected stdin)
 * and reads one line without echo. Ctrl+C gives G_IO_ERROR_CANCELLED; no terminal gives
 * G_IO_ERROR_NOT_SUPPORTED with a hint to set FERRY_PASSWORD. The terminal's settings are
 * always restored. */
char *ferry_cli_read_password (const char  *prompt,
                               GError     **error);

G_END_DECLS
