// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-certificate.h — the warning for a changed certificate, and
 * "ferry-cli forget-certificate HOST[:PORT]" that forgets a remembered one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Prints the loud warning on stderr (as OpenSSH's "REMOTE HOST IDENTIFICATION HAS
 * CHANGED"): both fingerprints, and the command that forgets the old one. */
void  ferry_cli_certificate_warn_changed (const char *host,
                                          guint16     port,
                                          const char *pinned,
                                          const char *presented);

/* "ferry-cli forget-certificate HOST:PORT", to paste. */
char *ferry_cli_certificate_forget_command (const char *host,
                                            guint16     port);

/* Runs forget-certificate for target ("HOST", "HOST:PORT", "[IPV6]:PORT" or a URL); prints
 * what it did. Returns the exit status. */
int   ferry_cli_certificate_forget (const char *target);

G_END_DECLS
