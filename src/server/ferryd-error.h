// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-error.h — the error domain of ferryd's session side (connections, the jail, the
 * hand-over channel). GLib only: the session program does not link GIO, so G_IO_ERROR is
 * not at hand there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRYD_ERROR (ferryd_error_quark ())

typedef enum {
  FERRYD_ERROR_FAILED,
  FERRYD_ERROR_TIMED_OUT,      /* a wait ran past its time-out */
  FERRYD_ERROR_WOULD_BLOCK,    /* nothing there yet on a non-blocking descriptor */
  FERRYD_ERROR_INVALID_DATA,   /* a message that is not what the protocol says */
} FerrydErrorCode;

GQuark          ferryd_error_quark      (void);

/* The code for a failed system call's errno (most are FERRYD_ERROR_FAILED). */
FerrydErrorCode ferryd_error_from_errno (int err_no);

G_END_DECLS
