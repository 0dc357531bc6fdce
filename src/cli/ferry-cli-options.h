// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-options.h — ferry-cli's command line: the prompt on a URL, or a one-shot
 * command (ls, get, put) for scripts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FERRY_CLI_MODE_PROMPT,   /* ferry-cli URL */
  FERRY_CLI_MODE_LS,       /* ferry-cli ls URL */
  FERRY_CLI_MODE_GET,      /* ferry-cli get URL [DEST] */
  FERRY_CLI_MODE_PUT,      /* ferry-cli put FILE... URL */
  FERRY_CLI_MODE_MIRROR,   /* ferry-cli mirror URL [LOCAL] | mirror -R LOCAL URL */
  FERRY_CLI_MODE_FORGET_CERTIFICATE, /* ferry-cli forget-certificate HOST[:PORT]: url */
} FerryCliMode;

typedef struct {
  FerryCliMode   mode;
  char          *url;         /* the server and remote path */
  GStrv          local_paths; /* get: [DEST]; put: FILE...; mirror: [LOCAL]; otherwise empty */
  char          *user;        /* --user, or NULL */
  gboolean       recursive;   /* -r */
  gboolean       tls;         /* --tls: explicit AUTH TLS */
  gboolean       quiet;       /* --quiet: no progress bar, no informational lines */
  gboolean       show_all;    /* ls -a: dot-files too */
  gboolean       version;     /* --version */
  gboolean       verify;      /* --verify: a server without HASH fails transfers */
  gboolean       reverse;     /* mirror -R: local to remote */
  gboolean       delete;      /* mirror --delete */
  gboolean       dry_run;     /* mirror --dry-run */
  gboolean       verbose;     /* -v: a line per file of a folder transfer */
  gint           parallel;    /* -P N: connections of a folder transfer, 0: the default */
} FerryCliOptions;

/* The exit status for a command line that cannot be used (as with other tools: 2). */
#define FERRY_CLI_EXIT_USAGE 2

/* Parses argv (consumed as by g_option_context_parse_strv). --help prints and exits, as
 * GOption does. Returns NULL with an error that names the problem; the caller prints it
 * with a hint to run --help. */
FerryCliOptions *ferry_cli_options_parse (GStrv   *argv,
                                          GError **error);

void             ferry_cli_options_free  (FerryCliOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCliOptions, ferry_cli_options_free)

G_END_DECLS
