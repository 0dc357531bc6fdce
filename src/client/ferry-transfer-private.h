// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-private.h — what the engine changes on a FerryTransfer while running it. */
#pragma once

#include "ferry-transfer.h"

G_BEGIN_DECLS

/* Starts a run: state RUNNING, counters and error cleared. */
void        _ferry_transfer_begin            (FerryTransfer *self);
/* Ends a run: state DONE, FAILED (error) or CANCELLED (error is G_IO_ERROR_CANCELLED);
 * flushes pending progress notifications. */
void        _ferry_transfer_finish           (FerryTransfer *self,
                                              const GError  *error);
void        _ferry_transfer_set_total        (FerryTransfer *self,
                                              gint64         total);
void        _ferry_transfer_add_bytes        (FerryTransfer *self,
                                              gint64         bytes);
/* An upload learns whether its local file is a folder when its run starts. */
void        _ferry_transfer_set_is_folder    (FerryTransfer *self,
                                              gboolean       is_folder);
void        _ferry_transfer_set_current_path (FerryTransfer *self,
                                              const char    *remote_path);
void        _ferry_transfer_set_local_file   (FerryTransfer *self,
                                              GFile         *file);
void        _ferry_transfer_set_remote_path  (FerryTransfer *self,
                                              const char    *remote_path);
/* A folder download leaves out an entry whose name cannot be saved safely; why says so. */
void        _ferry_transfer_add_skipped      (FerryTransfer *self,
                                              const char    *remote_path,
                                              const GError  *why);
/* A file of the transfer matched the server's HASH. */
void        _ferry_transfer_add_verified     (FerryTransfer *self);
/* The policy for one item (ferry_transfer_set_path_policy(), else the transfer's). */
FerryConflictPolicy _ferry_transfer_policy_for (FerryTransfer *self,
                                                const char    *remote_path);
/* The clash that fails this run with FERRY_CLIENT_ERROR_EXISTS. */
void        _ferry_transfer_set_conflict     (FerryTransfer *self,
                                              const char    *remote_path,
                                              GFile         *local,
                                              gboolean       is_folder);
/* Puts a finished transfer back to QUEUED (for a retry). */
void        _ferry_transfer_requeue          (FerryTransfer *self);
/* ferry_transfer_set_known_size(), or -1. */
gint64      _ferry_transfer_get_known_size   (FerryTransfer *self);
/* The local name a download uses (NULL for the remote base name). */
const char *_ferry_transfer_get_local_name   (FerryTransfer *self);

G_END_DECLS
