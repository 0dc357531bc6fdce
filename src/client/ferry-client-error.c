// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-client-error.h"

G_DEFINE_QUARK (ferry-client-error-quark, ferry_client_error)
