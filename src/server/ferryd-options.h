// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-options.h — ferryd's command line, merged over its config file. */
#pragma once

#include <glib.h>
#include "ferryd-config.h"

G_BEGIN_DECLS

typedef struct {
  GKeyFile *overrides;    /* the settings given on the command line, in config-file form */
  char     *config_file;  /* --config */
  char     *add_user;     /* --add-user NAME */
  gboolean  version;      /* --version */
} FerrydOptions;

/* Parses the command line; on a bad option returns FALSE with a message for the user. */
FerrydOptions *ferryd_options_parse (int      *argc,
                                     char   ***argv,
                                     GError  **error);
void           ferryd_options_free  (FerrydOptions *options);

/* Defaults, then the config file (read afresh, so SIGHUP picks up edits), then the command
 * line: the command line wins. The result is resolved (ferryd_config_resolve). */
FerrydConfig  *ferryd_options_load_config (const FerrydOptions  *options,
                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydOptions, ferryd_options_free)

G_END_DECLS
