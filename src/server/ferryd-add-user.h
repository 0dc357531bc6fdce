// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-add-user.h — `ferryd --add-user NAME --users FILE`. */
#pragma once

#include <glib.h>
#include "ferryd-options.h"

G_BEGIN_DECLS

/* Asks for the password (see ferryd_password_prompt_twice) and stores its yescrypt hash in
 * the users file named by --users or the config file. Returns the exit status: 0 done,
 * 1 nothing changed (passwords differ, file not writable), 2 no users file given. */
int ferryd_add_user_run (const FerrydOptions *options);

G_END_DECLS
