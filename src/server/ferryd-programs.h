// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-programs.h — where ferryd finds its other parts: the session program (which the
 * listener starts as its session zygote) and the TLS module (which a session loads). Next to the
 * running executable first, so that a build folder works uninstalled; else where meson
 * installed them. ferryd opens both while it may still be root and keeps the descriptors:
 * the user it drops to may not be able to reach the folder they are in (a checkout inside
 * /root or a 0700 home folder), but a process can always start or load a file through its
 * own descriptor, /proc/self/fd/N. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The session program, installed in libexecdir. argv[0] of the zygote process it runs,
 * and the name the zygote gives itself first thing (started through /proc/self/fd/N, the
 * kernel names it "N" until then: never a session process's name). */
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

/* Finds name as ferryd_programs_find does and opens it (O_PATH, close-on-exec); returns
 * the descriptor and sets *path to where it was found, or -1 with an error naming the file
 * and the reason. */
int   ferryd_programs_open (const char  *name,
                            const char  *installed_dir,
                            int          access_mode,
                            char       **path,
                            GError     **error);

/* "/proc/self/fd/FD": the path by which a process reaches the file behind its descriptor
 * fd without walking the folders above it. */
char *ferryd_programs_fd_path (int fd);

G_END_DECLS
