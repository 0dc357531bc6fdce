// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-password-prompt.h — asks for a new password twice, for --add-user. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* On a terminal: prompts on stderr and reads with echo off. Otherwise (a script, a pipe):
 * reads two lines from stdin, which must match. Returns the password, or NULL with error
 * when the two differ, the password is empty or input ends. Free with g_free after
 * explicit_bzero. */
char *ferryd_password_prompt_twice (const char  *user_name,
                                    GError     **error);

G_END_DECLS
