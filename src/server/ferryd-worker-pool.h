// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker-pool.h — the listener's session processes: forked by a session zygote
 * (see ferryd-zygote.h) that the listener starts and replaces, every session counted per
 * peer address from hand-over to end, every process reaped. */
#pragma once

#include <glib.h>
#include "ferryd-worker-files.h"

G_BEGIN_DECLS

typedef struct _FerrydWorkerPool FerrydWorkerPool;

/* Takes files, program_fd and tls_module_fd (also on failure); makes this process the
 * reaper of orphaned session processes and starts the first zygote: an exec of the
 * session program through program_fd (see ferryd-programs.h; program_path names it in
 * messages). tls_module_fd (or -1) is the TLS module, which sessions load through it.
 * NULL with an error when the program cannot be started. */
FerrydWorkerPool *ferryd_worker_pool_new   (FerrydWorkerFiles  *files,
                                            int                 program_fd,
                                            const char         *program_path,
                                            int                 tls_module_fd,
                                            GError            **error);
void              ferryd_worker_pool_free  (FerrydWorkerPool  *pool);

/* Runs the default main context until the first zygote is ready to take clients; FALSE
 * with an error naming the session program if it ended before, or took over a minute. */
gboolean ferryd_worker_pool_wait_ready     (FerrydWorkerPool  *pool,
                                            GError           **error);

/* New sessions get files (a reloaded configuration): a new zygote starts with them and the
 * old one is retired (its idle processes exit, its sessions keep their configuration).
 * Takes files. */
void     ferryd_worker_pool_set_files      (FerrydWorkerPool  *pool,
                                            FerrydWorkerFiles *files);

/* Gives the client to the zygote's next idle session process and counts it against
 * peer_ip until that process ends. The caller closes its copy of client_fd. When the
 * channel to the zygote is full, the client waits in the pool for room (see
 * ferryd_worker_pool_is_backed_up). FALSE when no zygote can take clients now (the
 * session program keeps failing to start): tell the client the service is unavailable. */
gboolean ferryd_worker_pool_hand_over      (FerrydWorkerPool  *pool,
                                            int                client_fd,
                                            const char        *peer_ip,
                                            const char        *peer_text,
                                            GError           **error);

/* TRUE while clients wait for room in the zygote's channel: the listener should stop
 * accepting (the kernel's listen queue holds the next ones) until when_flowing (set by
 * ferryd_worker_pool_set_flowing_func; called whenever the wait may have ended) finds it
 * FALSE again. */
gboolean ferryd_worker_pool_is_backed_up   (FerrydWorkerPool  *pool);
void     ferryd_worker_pool_set_flowing_func (FerrydWorkerPool *pool,
                                              GSourceFunc       when_flowing,
                                              gpointer          user_data);

/* Called for a session's failed logins (peer_ip: its client's real address): each as it
 * happens, and those it could not report so when its process ends. */
typedef void (*FerrydLoginFailedFunc) (const char *peer_ip,
                                       guint       failures,
                                       gpointer    user_data);
void     ferryd_worker_pool_set_login_failed_func (FerrydWorkerPool      *pool,
                                                   FerrydLoginFailedFunc  func,
                                                   gpointer               user_data);

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
