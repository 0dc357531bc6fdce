// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-session-private.h — the state of one FTP session, shared by the files that serve it:
 * ferryd-session.c (the loop), ferryd-session-commands.c (the verbs), ferryd-listing.c,
 * ferryd-transfer.c (and the files ferryd-transfer-private.h lists), ferryd-data-channel.c
 * and ferryd-tls.c. */
#pragma once

#include <glib.h>
#include <sys/socket.h>

#include "ferry-protocol.h"
#include "ferryd-bulk.h"
#include "ferryd-config.h"
#include "ferryd-data-channel.h"
#include "ferryd-io.h"
#include "ferryd-jail.h"
#include "ferryd-users.h"

G_BEGIN_DECLS

typedef struct
{
  const FerrydConfig *config;
  FerrydUsers        *users;

  FerrydChannel      *control;
  FerryCommandReader *reader;
  GQueue              deferred;          /* FerryCommand*: sent during a transfer, run after it */

  struct sockaddr_storage peer_addr;     /* the control connection's ends */
  struct sockaddr_storage local_addr;
  char                peer_host[64];     /* numeric; IPv4-mapped addresses shown as IPv4 */
  char                local_host[64];
  GArray             *proxy_from;        /* --proxy-from (FerrydProxyNet); NULL without */

  /* Login */
  char               *pending_user;      /* after USER, before PASS */
  FerrydUser         *user;              /* NULL until logged in */
  char               *anonymous_id;      /* the password an anonymous user gave: by custom an
                                            e-mail address, the transfer log's username */
  guint               login_failures;
  guint               login_failures_untold;  /* not reported as they happened */
  FerrydJail         *jail;
  char               *cwd;               /* normalised virtual path */

  /* Per-transfer settings */
  gboolean            ascii;             /* TYPE A */
  goffset             rest_offset;       /* REST, used by the next RETR/STOR/APPE */
  goffset             announced_size;    /* ALLO, for the next STOR/APPE; -1 when none */
  char               *rename_from;       /* RNFR, used by RNTO */
  guint               hash_algorithm;    /* OPTS HASH: a FerryDigestType (0: SHA-256) */
  gboolean            range_set;         /* RANG, used by the next HASH */
  goffset             range_start;       /* first and last byte of it */
  goffset             range_end;
  FerrydDataChannel   data;
  FerrydBulk          bulk;              /* the running transfer's priorities (--bulk-after) */
  FerryMlsxFacts      mlst_facts;

  /* TLS */
  const FerrydTlsModule *tls_module;     /* loaded on AUTH TLS */
  FerrydTlsCredentials  *tls_credentials;
  gboolean            pbsz_done;
  gboolean            protect_data;      /* PROT P */

  /* An upload in progress: its temp file, removed unless renamed into place. */
  int                 upload_dir_fd;
  char               *upload_temp_name;
  /* An append in place (APPE): the locked file and its size before, restored unless the
   * append completed. */
  int                 append_fd;
  goffset             append_old_size;

  gboolean            quit;
} FerrydSession;

#define FERRYD_TRANSFER_BUFFER_SIZE (64 * 1024)

/* Replies. The text is one line; CR and LF in it are replaced so a file name cannot
 * inject a reply. FALSE when the control connection failed (the session then ends). */
gboolean ferryd_session_reply        (FerrydSession *session,
                                      guint          code,
                                      const char    *format,
                                      ...) G_GNUC_PRINTF (3, 4);

/* A multi-line reply: "code-first", the body lines as given (each ending in CRLF, the
 * caller adds a leading space where RFC 959 wants one), "code last". */
gboolean ferryd_session_reply_multi  (FerrydSession *session,
                                      guint          code,
                                      const char    *first,
                                      const char    *body,
                                      const char    *last);

/* The same, streamed: "code-first", then body lines (CRLF-ended) written as they come, then
 * ferryd_session_reply (code, last) ends it. For bodies too large to hold (STAT of a folder). */
gboolean ferryd_session_reply_begin  (FerrydSession *session,
                                      guint          code,
                                      const char    *first);
gboolean ferryd_session_reply_lines  (FerrydSession *session,
                                      GString       *lines);

/* Resolves a client's path argument against the working folder; on failure replies 550
 * (or 501 when missing) and returns NULL. */
char    *ferryd_session_resolve_path (FerrydSession *session,
                                      const char    *arg);

/* For the commands that change a folder's entries (STOR, MKD, DELE, RNTO, …): the parent
 * folder opened beneath the root (O_PATH, for the *at calls) and the entry's name; vpath_out
 * may be NULL. Replies (550, 553) and returns -1 when that cannot be. */
int      ferryd_session_open_parent  (FerrydSession *session,
                                      const char    *arg,
                                      char         **vpath_out,
                                      char         **name_out);

/* Runs one command line's worth of work (dispatch table in ferryd-session-commands.c). */
void     ferryd_session_dispatch     (FerrydSession *session,
                                      FerryCommand  *command);

/* While a transfer runs: reads what the client sent on the control connection. Answers
 * STAT, keeps other commands for later, and returns TRUE when the transfer must stop:
 * ABOR (the 426/226 pair is for the caller to send, *aborted set) or a closed control
 * connection (*aborted set, session->quit set). */
gboolean ferryd_session_poll_control (FerrydSession *session,
                                      gboolean      *aborted);

/* The status channel (--status-fd): a line about this session (its peer and user already
 * in), and sending it; nothing happens without a channel. */
GString *ferryd_session_status_begin (FerrydSession *session,
                                      const char    *event);
void     ferryd_session_status_send  (FerrydSession *session,
                                      GString       *line);

void     ferryd_session_log_transfer (FerrydSession *session,
                                      const char    *direction,
                                      const char    *vpath,
                                      goffset        bytes,
                                      gint64         start_usec,
                                      const char    *outcome);

/* Command handlers by concern. */
void     ferryd_session_cmd_list     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_nlst     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_mlsd     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_mlst     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_stat     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_retr     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_stor     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_appe     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_pasv     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_epsv     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_port     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_eprt     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_auth     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_pbsz     (FerrydSession *session, FerryCommand *command);
void     ferryd_session_cmd_prot     (FerrydSession *session, FerryCommand *command);

/* Opens the data connection PASV/EPSV/PORT/EPRT prepared, sends the 150 reply with the
 * given text, and starts TLS on it under PROT P. On failure replies (425, 521) and returns
 * NULL. */
FerrydChannel *ferryd_session_start_data (FerrydSession *session,
                                          const char    *preliminary);

/* Removes the temp file of an upload that did not complete. */
void     ferryd_session_discard_upload (FerrydSession *session);
/* Truncates an append in place that did not complete back to the size before. */
void     ferryd_session_discard_append (FerrydSession *session);

/* Tells the SIGTERM handler which temp file to remove if the listener ends the session in
 * the middle of an upload; call with SIGTERM blocked whenever upload_dir_fd,
 * upload_temp_name or append_fd change. */
void     ferryd_session_track_upload   (FerrydSession *session);

G_END_DECLS
