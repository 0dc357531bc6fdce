// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-hash.h — HASH, OPTS HASH, RANG and the XMD5/XSHA* spellings (ferryd-hash.c). */
#pragma once

#include "ferryd-session-private.h"

G_BEGIN_DECLS

/* The FEAT line: " HASH SHA-256*;SHA-512;SHA-1;MD5", '*' on the session's selection. */
void ferryd_hash_append_feat  (FerrydSession *session,
                               GString       *body);
/* OPTS HASH [NAME]: names the selection, or changes it. */
void ferryd_hash_opts         (FerrydSession *session,
                               const char    *name);

void ferryd_session_cmd_hash  (FerrydSession *session, FerryCommand *command);
void ferryd_session_cmd_rang  (FerrydSession *session, FerryCommand *command);
/* XMD5, XSHA1, XSHA256, XSHA512: the whole file, "250 HEX". */
void ferryd_session_cmd_xhash (FerrydSession *session, FerryCommand *command);

G_END_DECLS
