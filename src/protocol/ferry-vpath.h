// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-vpath.h — virtual paths as a client names them: joined with the working folder and
 * normalised. The result never rises above "/": "/../.." is "/". Purely textual; the server
 * still resolves beneath its root with openat2(RESOLVE_BENEATH). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_VPATH_MAX 4096

/* Joins cwd (absolute, normalised) with path (absolute or relative) and normalises:
 * "." segments and repeated '/' vanish, ".." removes one segment. Returns NULL with
 * FERRY_PROTOCOL_ERROR_INVALID_NAME when the result would exceed FERRY_VPATH_MAX. */
char       *ferry_vpath_resolve  (const char *cwd, const char *path, GError **error);

/* "/a/b" → "a/b", "/" → "." — for openat2() relative to the root folder. Borrowed
 * pointer into vpath or a static string. */
const char *ferry_vpath_relative (const char *vpath);

/* The last segment of a normalised vpath ("/" → "/"); newly allocated. */
char       *ferry_vpath_basename (const char *vpath);

/* The parent of a normalised vpath ("/a/b" → "/a", "/" → "/"); newly allocated. */
char       *ferry_vpath_dirname  (const char *vpath);

/* folder + "/" + name, without doubling a '/' that ends folder ("/" + "a" → "/a"); nothing
 * else is changed, so a name from a listing stays exactly as the server sent it. */
char       *ferry_vpath_join     (const char *folder, const char *name);

/* TRUE when name is a dot-file (starts with '.'), which the server hides by default. */
gboolean    ferry_name_is_hidden (const char *name);

/* FALSE for names that cannot be sent in a listing line or a reply because they contain
 * CR or LF (they would end the line early and inject another one): the server leaves
 * such names out of listings. */
gboolean    ferry_name_is_listable (const char *name);

/* For names that come from an untrusted server and become local file names: refuses
 * "", ".", "..", names with '/', '\\', NUL, control characters (0x01–0x1f, 0x7f, and
 * the C1 controls U+0080–U+009F), or
 * invalid UTF-8, with FERRY_PROTOCOL_ERROR_INVALID_NAME and a message that names the
 * problem. */
gboolean    ferry_name_is_safe_local (const char *name, GError **error);

G_END_DECLS
