/* ferryd-worker-pool.h — the listener's session processes: a few started ahead of time and
 * idle, the busy ones counted per peer address, every one reaped when it ends. */
#pragma once

#include <glib.h>
#include "ferryd-worker-files.h"

G_BEGIN_DECLS

/* Idle session processes kept ready; accepting never waits for a process to start. */
#define FERRYD_IDLE_WORKERS 4

typedef struct _FerrydWorkerPool FerrydWorkerPool;

/* Takes files; starts the idle processes from the main loop. */
FerrydWorkerPool *ferryd_worker_pool_new   (FerrydWorkerFiles *files);
void              ferryd_worker_pool_free  (FerrydWorkerPool  *pool);

/* New session processes get files (a reloaded configuration); idle ones are retired and
 * replaced, busy ones keep the configuration they started with. Takes files. */
void     ferryd_worker_pool_set_files      (FerrydWorkerPool  *pool,
                                            FerrydWorkerFiles *files);

/* Gives the client to an idle session process (starting one if none is ready) and counts
 * it against peer_ip until that process ends. The caller closes its copy of client_fd. */
gboolean ferryd_worker_pool_hand_over      (FerrydWorkerPool  *pool,
                                            int                client_fd,
                                            const char        *peer_ip,
                                            const char        *peer_text,
                                            GError           **error);

guint    ferryd_worker_pool_count_sessions (FerrydWorkerPool  *pool);
guint    ferryd_worker_pool_count_from     (FerrydWorkerPool  *pool,
                                            const char        *peer_ip);

/* Shutting down: retires the idle processes, starts no more, and calls when_empty once
 * every session process has ended and been reaped. */
void     ferryd_worker_pool_drain          (FerrydWorkerPool  *pool,
                                            GSourceFunc        when_empty,
                                            gpointer           user_data);

/* Sends signal_number to every session process, busy or idle. */
void     ferryd_worker_pool_signal_all (FerrydWorkerPool *pool,
                                        int               signal_number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydWorkerPool, ferryd_worker_pool_free)

G_END_DECLS
