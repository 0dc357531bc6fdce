// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-error.h — the reason half of ferry-cli's error lines ("cannot WHAT: REASON"),
 * in words, with the server's own reply kept in brackets. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The server's reply quoted in an engine message ("550 No such file or folder."), or NULL. */
char  *ferry_cli_error_server_reply (const char   *message);

/* Why error happened, for a person: "no such file or folder on the server (550 No such
 * file or folder.)". Errors that quote no reply keep the engine's message. */
char  *ferry_cli_error_reason       (const GError *error);

/* Why a connection could not be made ("nothing answers there; …"), or NULL when the
 * engine's message says it best. */
char  *ferry_cli_error_connect_reason (const GError *error);

G_END_DECLS
