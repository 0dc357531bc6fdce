// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-local-folder.h — creating files beneath the folder a person chose, and nowhere else.
 *
 * Everything works relative to an open folder descriptor with *at() calls and O_NOFOLLOW,
 * so a name from the server can neither climb out ("..", "/", checked by the caller with
 * ferry_name_is_safe_local()) nor be redirected by a symbolic link already in the folder.
 * Errors are FERRY_CLIENT_ERROR with the file name in the message. Internal to the engine.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Opens the chosen folder itself (a link there is the person's own choice). */
int      ferry_local_folder_open          (GFile       *folder,
                                           GError     **error);
/* Opens the sub-folder name of dir_fd, creating it when missing; refuses a symbolic link. */
int      ferry_local_folder_open_child    (int          dir_fd,
                                           const char  *name,
                                           GError     **error);
/* Walks "a/b/c" (already checked components) from dir_fd with ferry_local_folder_open_child();
 * "" gives a duplicate of dir_fd. */
int      ferry_local_folder_open_path     (int          dir_fd,
                                           const char  *relative_path,
                                           GError     **error);
/* TRUE when anything (file, folder, link) is called name in dir_fd. */
gboolean ferry_local_folder_has_child     (int          dir_fd,
                                           const char  *name);
/* The size of the regular file name, or -1 when it is missing or not a regular file. */
gint64   ferry_local_folder_regular_size  (int          dir_fd,
                                           const char  *name);
/* Opens name for writing: appended to when append, else created or truncated. Never
 * follows a symbolic link, nor writes into a hard-linked file, a FIFO or a device (fails
 * with UNSAFE_NAME). */
int      ferry_local_folder_open_for_writing (int          dir_fd,
                                              const char  *name,
                                              gboolean     append,
                                              GError     **error);
gboolean ferry_local_folder_rename        (int          dir_fd,
                                           const char  *from,
                                           const char  *to,
                                           GError     **error);
/* "name (1).ext", "name (2).ext"… : the first that exists neither as itself nor as .part. */
char    *ferry_local_folder_free_name     (int          dir_fd,
                                           const char  *name);
/* "name (N).ext" for N ≥ 1 (shared with uploads, which probe the server). */
char    *ferry_numbered_name              (const char  *name,
                                           guint        n);
GError  *ferry_local_folder_error         (int          saved_errno,
                                           const char  *name,
                                           const char  *what);

G_END_DECLS
