// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-protocol-error.c — the error domain of the protocol core. */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-protocol-error.h"

G_DEFINE_QUARK (ferry-protocol-error-quark, ferry_protocol_error)
