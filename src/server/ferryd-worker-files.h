// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-worker-files.h — what a session process inherits: its configuration, the users
 * file, the TLS certificate and key, as sealed in-memory files (memfd), and the status
 * channel and transfer log as descriptors. The listener reads
 * them once (at start, as root if it was started so, and on SIGHUP); session processes
 * never need to open the originals, which may be readable by root only. */
#pragma once

#include <glib.h>
#include "ferryd-config.h"

G_BEGIN_DECLS

/* The file descriptors a session process finds them on. */
enum {
  FERRYD_WORKER_CHANNEL_FD = 3,   /* SOCK_SEQPACKET to the listener: clients arrive here */
  FERRYD_WORKER_CONFIG_FD  = 4,   /* the configuration as a key file */
  FERRYD_WORKER_USERS_FD   = 5,
  FERRYD_WORKER_CERT_FD    = 6,
  FERRYD_WORKER_KEY_FD     = 7,
  FERRYD_WORKER_STATUS_FD  = 8,   /* --status-fd, shared: sessions write JSON lines to it */
  FERRYD_WORKER_XFERLOG_FD = 9,   /* --xferlog, opened by the listener: sessions append to it */
  /* Placed by the worker pool, not from these files: the datagram socket on which sessions
   * report each failed login at once (ferryd-handoff.h); the TLS module (see
   * ferryd-programs.h), which sessions load through /proc/self/fd/11 when a client asks for
   * TLS; and the session program itself, which the zygote is exec'd through and closes at
   * once. */
  FERRYD_WORKER_LOGIN_FAILED_FD = 10,
  FERRYD_WORKER_TLS_MODULE_FD = 11,
  FERRYD_WORKER_PROGRAM_FD = 12,
  FERRYD_WORKER_FIRST_FREE_FD = 13,
};

typedef struct {
  int fds[FERRYD_WORKER_FIRST_FREE_FD];   /* indexed by the FERRYD_WORKER_*_FD numbers; -1 unused */
} FerrydWorkerFiles;

/* Reads and checks the users file, certificate and key named by config (a users file that
 * does not parse, or a certificate GIO cannot load, is an error), and writes them with
 * the configuration into memfds. xferlog_fd (or -1: none) is the transfer log the caller
 * opened; sessions get a copy of it. */
FerrydWorkerFiles *ferryd_worker_files_new  (const FerrydConfig  *config,
                                             int                  xferlog_fd,
                                             GError             **error);
void               ferryd_worker_files_free (FerrydWorkerFiles *files);

/* In a session zygote: the configuration from FERRYD_WORKER_CONFIG_FD, naming the users
 * file, certificate and key as /proc/self/fd/N paths. (In ferryd-worker-config.c: the
 * session program links GLib only, and the rest of this file checks the certificate with
 * GIO.) */
FerrydConfig      *ferryd_worker_files_read_config (GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydWorkerFiles, ferryd_worker_files_free)

G_END_DECLS
