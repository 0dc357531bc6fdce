// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-tls-mode.h — how a connection uses TLS (RFC 4217). */
#pragma once

#include <glib-object.h>

#include "ferry-client-enums.h"

G_BEGIN_DECLS

typedef enum {
  FERRY_TLS_MODE_NONE,      /* plain FTP */
  FERRY_TLS_MODE_EXPLICIT,  /* connect in plain text, then "AUTH TLS" (ftps:// URLs); the
                               data channels are protected too (PBSZ 0, PROT P) */
  FERRY_TLS_MODE_IMPLICIT,  /* TLS from the first byte, usually port 990 (ftps-implicit://) */
} FerryTlsMode;

G_END_DECLS
