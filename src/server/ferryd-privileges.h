// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-privileges.h — ferryd never serves as root. */
#pragma once

#include <glib.h>
#include "ferryd-config.h"

G_BEGIN_DECLS

#define FERRYD_PRIVILEGES_ERROR (ferryd_privileges_error_quark ())

typedef enum {
  FERRYD_PRIVILEGES_ERROR_NO_USER,     /* --run-as names no user, or the folder is root's */
  FERRYD_PRIVILEGES_ERROR_FAILED,      /* the kernel refused, or root came back */
} FerrydPrivilegesError;

GQuark   ferryd_privileges_error_quark (void);

/* Started as root (any of the real, effective or saved ids 0): switches the whole process
 * for good to --run-as, or to the owner of the served folder, with that user's groups,
 * and checks that root cannot be regained. Not root: does nothing. */
gboolean ferryd_privileges_drop (const FerrydConfig  *config,
                                 GError             **error);

G_END_DECLS
