// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-private.h — what the command files share: the parsed words of a
 * command, the helpers for output and errors, and the handlers of the table. */
#pragma once

#include "ferry-cli-commands.h"
#include "ferry-cli-escape.h"

G_BEGIN_DECLS

/* A command's words after its name, with its one-letter options taken out. */
typedef struct {
  GStrv    args;
  guint    n_args;
  gboolean recursive;   /* -r */
  gboolean all;         /* -a */
  gboolean long_format; /* -l */
  gboolean resume;      /* -c (and reget) */
  gboolean verbose;     /* -v */
  gboolean reverse;     /* -R (mirror: local to remote) */
  gboolean delete;      /* --delete */
  gboolean dry_run;     /* --dry-run, -n */
  gboolean force;       /* -f (mv: replace what is there) */
  guint    parallel;    /* -P N; 0 when not given */
  const char *name;     /* the command's name as typed ("mget", "dir", …) */
} FerryCliInvocation;

/* Connections a folder transfer uses unless -P says otherwise. */
#define FERRY_CLI_DEFAULT_PARALLEL 4

/* Every handler starts the command and completes task (TRUE, or an error whose message
 * is the line to print). The invocation lives as long as the task. */
typedef void FerryCliCommandHandler (FerryCliContext          *context,
                                     const FerryCliInvocation *invocation,
                                     GTask                    *task);

/* Writes text to stdout at once (listings, pwd), so it keeps its place among errors. */
void                      ferry_cli_print_text        (const char *text);

/* Completes task with error (taken) as "WHAT: reason"; a cancellation as "Cancelled: WHAT". */
void                      ferry_cli_return_failure    (GTask      *task,
                                                       GError     *error,
                                                       const char *what);

/* " — ls shows what is there": what to do after error, or "". */
const char               *ferry_cli_error_hint        (const GError *error);

const FerryCliInvocation *ferry_cli_task_invocation   (GTask      *task);

/* path as the server sees it from anywhere: absolute, joined to the current folder. */
char                     *ferry_cli_absolute_remote   (FerryCliContext *context,
                                                       const char      *path);

/* Completes task with a "not connected" error when there is no session; TRUE when there is. */
gboolean                  ferry_cli_require_session   (FerryCliContext *context,
                                                       GTask           *task);

/* target, or local's base name when target is NULL, appended when target ends in "/". */
char                     *ferry_cli_remote_target_for (const char *target,
                                                       const char *local);

/* ferry-cli-commands-remote.c */
FerryCliCommandHandler ferry_cli_command_ls;
FerryCliCommandHandler ferry_cli_command_cd;
FerryCliCommandHandler ferry_cli_command_pwd;
FerryCliCommandHandler ferry_cli_command_mkdir;
FerryCliCommandHandler ferry_cli_command_rm;
FerryCliCommandHandler ferry_cli_command_rmdir;
FerryCliCommandHandler ferry_cli_command_mv;

/* ferry-cli-commands-tree.c */
FerryCliCommandHandler ferry_cli_command_du;
FerryCliCommandHandler ferry_cli_command_find;
FerryCliCommandHandler ferry_cli_command_stat;
FerryCliCommandHandler ferry_cli_command_cat;

/* ferry-cli-commands-local.c */
FerryCliCommandHandler ferry_cli_command_shell;
FerryCliCommandHandler ferry_cli_command_lls;
FerryCliCommandHandler ferry_cli_command_lcd;
FerryCliCommandHandler ferry_cli_command_lpwd;

/* ferry-cli-commands-session.c */
FerryCliCommandHandler ferry_cli_command_open;
FerryCliCommandHandler ferry_cli_command_close;

/* ferry-cli-mirror.c */
FerryCliCommandHandler ferry_cli_command_mirror;

/* ferry-cli-commands-transfer.c */
FerryCliCommandHandler ferry_cli_command_get;
FerryCliCommandHandler ferry_cli_command_put;

G_END_DECLS
