// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-zygote-main.c — the session program (ferryd-zygote): ferryd's listener starts it as
 * its session zygote, which forks the session processes. It links GLib only (no GIO,
 * GObject, …): every mapping a session process carries is work for each fork and each exit.
 * No option parsing and no locale set-up: sessions must start fast and stay small. */
#define G_LOG_DOMAIN "ferryd"

#include "ferryd-log.h"
#include "ferryd-zygote.h"

int
main (void)
{
  ferryd_log_init ();
  return ferryd_zygote_main ();
}
