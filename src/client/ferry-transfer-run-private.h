// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-transfer-run-private.h — what the three parts of running a transfer share:
 * ferry-transfer-run.c (the run and its plan, item by item), ferry-transfer-plan.c (SIZE,
 * folder walks) and ferry-transfer-file.c (one file through its data connection). */
#pragma once

#include "ferry-client.h"
#include "ferry-transfer.h"

G_BEGIN_DECLS

#define TRANSFER_BUFFER_SIZE (256 * 1024)

typedef struct {
  char     *remote_path;
  char     *local_dir;     /* download: folder below the chosen one, "a/b" or "" */
  char     *name;          /* download: local name */
  GFile    *local_file;    /* upload: the source */
  gint64    size;          /* -1 when unknown */
  gboolean  is_dir;
  guint     depth;
} PlanItem;

typedef void (*RunStep)     (GTask *task);
typedef void (*RunFailStep) (GTask *task, GError *error);   /* takes error */

typedef struct {
  FerryClient   *client;
  FerryTransfer *transfer;
  GPtrArray     *plan;
  guint          next;
  GQueue         walk;           /* download: folders still to list (PlanItem *) */
  gsize          walk_bytes;     /* what the walk's plan keeps, against
                                    FERRY_CLIENT_TREE_BYTES_MAX */
  int            root_fd;

  /* The file moving now. */
  PlanItem      *item;
  int            dir_fd;
  char          *final_name;
  char          *part_name;
  char          *remote_target;  /* upload: the name after conflict handling */
  guint          attempt;        /* upload KEEP_BOTH: the number being probed */
  GOutputStream *file_out;
  GInputStream  *file_in;
  GIOStream     *data;
  guint8        *buffer;
  gsize          buffered;
  gint64         offset;
  gint64         received;
  gboolean       holding;        /* the control connection is acquired */
  gboolean       got_final;
  char          *command;
  gboolean       overflow;       /* the server sent past the size it announced */
  gboolean       file_closed;    /* download: the pump closed file_out's descriptor */
  gboolean       part_checked;   /* download: a whole NAME.part left earlier matched HASH */
  char          *received_digest;   /* download from byte 0: the checksum of what arrived */
  void         (*then) (GTask *task);          /* after the data channel closed cleanly */
  GError        *error;          /* the failure to report once the session is in step */
} Run;

static inline GCancellable *
run_cancellable (GTask *task)
{
  return g_task_get_cancellable (task);
}

void      _ferry_plan_item_free       (PlanItem *item);

/* ferry-transfer-run.c */
/* Ends the run (error or success), releasing the connection; takes error. */
void      _ferry_run_complete         (GTask  *task,
                                       GError *error);
/* Fails the run; while a data command runs, ABOR first so the session stays usable. */
void      _ferry_run_fail             (GTask  *task,
                                       GError *error);
/* The current item is done: release the connection, go on with the next. */
void      _ferry_run_item_done        (GTask *task);
void      _ferry_run_next_item        (GTask *task);

/* ferry-transfer-plan.c */
void      _ferry_run_plan_download    (GTask *task);
void      _ferry_run_plan_upload      (GTask *task);
/* A name from the server that may become a local file, or UNSAFE_NAME. */
gboolean  _ferry_run_check_local_name (const char  *name,
                                       GError     **error);

/* ferry-transfer-verify.c: compares the server's HASH of remote_path with the checksum of
 * local_fd (taken; -1: no local copy to read), then on_match or on_mismatch (with the
 * error). Without HASH on the server: on_match, unless the transfer requires verification.
 * Releases the control connection if the run holds it. */
void      _ferry_run_verify           (GTask       *task,
                                       int          local_fd,
                                       const char  *remote_path,
                                       gint64       size,
                                       RunStep      on_match,
                                       RunFailStep  on_mismatch);
/* The same with the local checksum already known (taken): computed while the bytes were
 * received, so the file is not read a second time. */
void      _ferry_run_verify_digest    (GTask       *task,
                                       char        *local_digest,
                                       const char  *remote_path,
                                       gint64       size,
                                       RunStep      on_match,
                                       RunFailStep  on_mismatch);

/* ferry-transfer-file.c */
void      _ferry_run_download_file    (GTask *task);
void      _ferry_run_upload_file      (GTask *task);

G_END_DECLS
