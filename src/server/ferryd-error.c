// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-error.c — the FERRYD_ERROR domain. */
#include "ferryd-error.h"

#include <errno.h>

G_DEFINE_QUARK (ferryd-error-quark, ferryd_error)

FerrydErrorCode
ferryd_error_from_errno (int err_no)
{
  switch (err_no)
    {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
      return FERRYD_ERROR_WOULD_BLOCK;
    case ETIMEDOUT:
      return FERRYD_ERROR_TIMED_OUT;
    default:
      return FERRYD_ERROR_FAILED;
    }
}
