// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-remote-file.h — one row of the remote folder: a small GObject around a FerryEntry,
 * so list models can hold it. */
#pragma once

#include <gio/gio.h>

#include "ferry-entry.h"

G_BEGIN_DECLS

#define FERRY_TYPE_REMOTE_FILE (ferry_remote_file_get_type ())

G_DECLARE_FINAL_TYPE (FerryRemoteFile, ferry_remote_file, FERRY, REMOTE_FILE, GObject)

FerryRemoteFile *ferry_remote_file_new           (FerryEntry      *entry,
                                                  const char      *folder);
const char      *ferry_remote_file_get_name      (FerryRemoteFile *self);
/* The name as shown to a person, escaped (see ferry_display_text()); free it. */
char            *ferry_remote_file_get_display_name (FerryRemoteFile *self);
const char      *ferry_remote_file_get_path      (FerryRemoteFile *self);
gboolean         ferry_remote_file_is_folder     (FerryRemoteFile *self);
FerryEntryType   ferry_remote_file_get_kind      (FerryRemoteFile *self);
gint64           ferry_remote_file_get_size      (FerryRemoteFile *self);
gint64           ferry_remote_file_get_modified  (FerryRemoteFile *self);
GIcon           *ferry_remote_file_get_icon      (FerryRemoteFile *self);
char            *ferry_remote_file_format_size   (FerryRemoteFile *self);
char            *ferry_remote_file_format_modified (FerryRemoteFile *self);

G_END_DECLS
