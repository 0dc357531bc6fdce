// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-jail.h — the served folder: every path a client names is opened beneath its root by
 * the kernel (openat2 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS). ".." and absolute symlinks
 * never lead out; symlinks that stay inside are followed (without openat2, as under
 * valgrind, no symlink is followed). Dot-files are invisible unless show_hidden, also
 * through a visible symlink. Failures return -1 with errno set, as the system calls do. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct _FerrydJail FerrydJail;

FerrydJail *ferryd_jail_new          (const char  *root,
                                      gboolean     show_hidden,
                                      GError     **error);
void        ferryd_jail_free         (FerrydJail  *jail);

/* Opens the served folder now, in a process that forks sessions: the first
 * ferryd_jail_new on exactly this (canonical) root takes the descriptor instead of opening
 * and resolving the path again, and any other root closes it. Each forked session thus
 * skips an open and a realpath at login. */
gboolean    ferryd_jail_preopen            (const char  *canonical_root,
                                            GError     **error);
void        ferryd_jail_forget_preopened   (void);

/* Opens a normalised virtual path ("/a/b", see ferry_vpath_resolve) with open(2) flags.
 * A hidden segment is ENOENT; a path leading out of the root is EXDEV or ELOOP. */
int         ferryd_jail_open         (FerrydJail  *jail,
                                      const char  *vpath,
                                      int          flags,
                                      mode_t       mode);

/* Opens the folder that holds vpath (an O_PATH descriptor for the *at calls) and returns
 * the last segment in *name. The root itself has no parent: EPERM. The last segment is
 * not checked for visibility: the caller decides (see ferryd_jail_name_visible). */
int         ferryd_jail_open_parent  (FerrydJail  *jail,
                                      const char  *vpath,
                                      char       **name);

gboolean    ferryd_jail_name_visible (FerrydJail  *jail,
                                      const char  *name);

/* TRUE when no segment of vpath is hidden from clients. */
gboolean    ferryd_jail_path_visible (FerrydJail  *jail,
                                      const char  *vpath);

/* A sentence for the client about a failed file operation (for 550 replies). It does not
 * tell an escape attempt from a missing file. */
const char *ferryd_jail_describe_errno (int saved_errno);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydJail, ferryd_jail_free)

G_END_DECLS
