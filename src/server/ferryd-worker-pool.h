// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker-pool.h — the listener's session processes: forked by a session zygote
 * (see ferryd-zygote.h) that the listener starts and replaces, every session counted per
 * peer address from hand-over to end, every process reaped. */
#pragma once

#include <glib.h>
#include "ferryd-worker-files.h"

G_BEGIN_DECLS

typedef struct _FerrydWorkerPool FerrydWorkerPool;

/* Takes files; makes this process the reaper of orphaned session processes and starts the
 * first zygote, an exec of zygote_program (the session program, see ferryd-programs.h). */
FerrydWorkerPool *ferryd_worker_pool_new   (FerrydWorkerFiles *files,
                                            const char        *zygote_program);
void              ferryd_worker_pool_free  (FerrydWorkerPool  *pool);

/* New sessions get files (a reloaded configuration): a new zygote starts with them and the
 * old one is retired (its idle processes exit, its sessions keep their configuration).
 * Takes files. */
void     ferryd_worker_pool_set_files      (FerrydWorkerPool  *pool,
                                            FerrydWorkerFiles *files);

/* Gives the client to the zygote's next idle session process and counts it against
 * peer_ip until that process ends. The caller closes its copy of client_fd. */
gboolean ferryd_worker_pool_hand_over      (FerrydWorkerPool  *pool,
                                            int                client_fd,
                                            const char        *peer_ip,
                                            const char        *peer_text,
                                            GError           **error);

guint    ferryd_worker_pool_count_sessions (FerrydWorkerPool  *pool);
guint    ferryd_worker_pool_count_from     (FerrydWorkerPool  *pool,
                                            const char        *peer_ip);

/* Shutting down: retires the zygotes (idle processes exit), starts no more, and calls
 * when_empty once every session and zygote has ended and been reaped. */
void     ferryd_worker_pool_drain          (FerrydWorkerPool  *pool,
                                            GSourceFunc        when_empty,
                                            gpointer           user_data);

/* Sends signal_number to every session process serving a client. */
void     ferryd_worker_pool_signal_all (FerrydWorkerPool *pool,
                                        int               signal_number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydWorkerPool, ferryd_worker_pool_free)

G_END_DECLS
