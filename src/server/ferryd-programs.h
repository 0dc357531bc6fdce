// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-programs.h — where ferryd finds its other parts: the session program (which the
 * listener starts as its session zygote) and the TLS module (which a session loads). Next to the
 * running executable first, so that a build folder works uninstalled; else where meson
 * installed them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The session program, installed in libexecdir. Named as the zygote process it runs (the
 * kernel names a process after its program file until it renames itself), so that it never
 * passes for a session process (ferryd-session), not even for the moment after its exec. */
#define FERRYD_ZYGOTE_PROGRAM "ferryd-zygote"
/* The TLS module, installed in a private library folder. */
#define FERRYD_TLS_MODULE_FILE "ferryd-tls.so"

/* The path of name beside /proc/self/exe if there is such a file that access(2) allows
 * access_mode on (X_OK for a program, R_OK for a module), else in installed_dir; an error
 * naming both places when neither has it. */
char *ferryd_programs_find (const char  *name,
                            const char  *installed_dir,
                            int          access_mode,
                            GError     **error);

G_END_DECLS
