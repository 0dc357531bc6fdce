// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-protocol.h — the protocol core: pure code, no I/O. */
#pragma once

#include "ferry-protocol-error.h"
#include "ferry-command-reader.h"
#include "ferry-reply-parser.h"
#include "ferry-reply-codes.h"
#include "ferry-address.h"
#include "ferry-entry.h"
#include "ferry-mlsx.h"
#include "ferry-list-format.h"
#include "ferry-vpath.h"
#include "ferry-display-text.h"
#include "ferry-time.h"
#include "ferry-type-a.h"
#include "ferry-digest.h"
#include "ferry-proxy-header.h"
