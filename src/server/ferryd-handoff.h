// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-handoff.h — the messages between the listener, its session zygotes and their
 * session processes: a client socket handed on (SCM_RIGHTS), and the zygote's reports. */
#pragma once

#include <glib.h>
#include <sys/types.h>
#include "ferry-reply-codes.h"

G_BEGIN_DECLS

/* Said to a client that fits under the limits when no session process can serve it
 * (the session program keeps failing to start, or fork fails), before closing. */
#define FERRYD_UNAVAILABLE_REPLY \
  G_STRINGIFY (FERRY_REPLY_SERVICE_CLOSING) " Service not available, try again later.\r\n"

/* A session process tells the listener of each failed login as it happens, for its ban
 * (--max-login-failures): ferryd_report_login_failure. One it could not tell (the socket
 * was full) it counts in its exit status: it exits with this plus N (1 to
 * FERRYD_MAX_LOGIN_FAILURES), which the zygote's ENDED report brings to the listener. */
#define FERRYD_EXIT_LOGIN_FAILURES_BASE 64

/* The longest peer text sent along with the socket ("IP port"). */
#define FERRYD_HANDOFF_PEER_MAX 96

/* What a zygote tells the listener, one SOCK_SEQPACKET message each. */
typedef enum {
  FERRYD_REPORT_READY = 1,   /* idle session processes are waiting: hand clients over */
  FERRYD_REPORT_SERVING,     /* pid serves the client handed over with token */
  FERRYD_REPORT_REFUSED,     /* the client handed over with token was closed unserved */
  FERRYD_REPORT_ENDED,       /* session process pid ended with wait_status, and is reaped */
} FerrydReportKind;

typedef struct {
  guint32 kind;          /* FerrydReportKind */
  gint32  pid;
  guint64 token;
  gint32  wait_status;
  guint32 reserved;
} FerrydReport;

/* Sends client_fd, the listener's token for it and its peer text over channel_fd (a
 * SOCK_SEQPACKET socket) without blocking; the caller still owns its copy of client_fd.
 * A full channel is a FERRYD_ERROR_WOULD_BLOCK error. */
gboolean ferryd_handoff_send    (int          channel_fd,
                                 int          client_fd,
                                 guint64      token,
                                 const char  *peer,
                                 GError     **error);

/* Receives one client socket on channel_fd (blocking unless channel_fd is non-blocking).
 * Returns it (close-on-exec set) with its token and peer; returns -1 with error unset when
 * the other end closed the channel, and -1 with error set on a failure (EAGAIN included). */
int      ferryd_handoff_receive (int          channel_fd,
                                 guint64     *token,
                                 char         peer[FERRYD_HANDOFF_PEER_MAX],
                                 GError     **error);

/* One report, sent whole or not at all; blocks while the channel is full. */
gboolean ferryd_report_send     (int                 channel_fd,
                                 const FerrydReport *report,
                                 GError            **error);

/* 1 with a report, 0 when the channel has nothing more (closed, or would block), -1 with
 * error on a failure. */
int      ferryd_report_receive  (int            channel_fd,
                                 FerrydReport  *report,
                                 GError       **error);

/* In the zygote: session processes report failed logins on fd (the listener's datagram
 * socket on FERRYD_WORKER_LOGIN_FAILED_FD). */
void     ferryd_report_use_login_failed_fd (int fd);

/* In a session: one failed login, told to the listener at once without blocking (one
 * datagram; the kernel adds this process's pid, which the listener maps to the client's
 * real address). FALSE when it could not be told (no listener, the socket full). */
gboolean ferryd_report_login_failure (void);

/* In the listener: the pid that sent the next failed-login datagram on fd (a socket with
 * SO_PASSCRED); 0 when none is waiting. */
pid_t    ferryd_report_receive_login_failure (int fd);

G_END_DECLS
