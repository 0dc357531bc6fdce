// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-protocol-error.h — the error domain of the protocol core. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRY_PROTOCOL_ERROR (ferry_protocol_error_quark ())

typedef enum {
  FERRY_PROTOCOL_ERROR_LINE_TOO_LONG,   /* a control line over FERRY_COMMAND_LINE_MAX */
  FERRY_PROTOCOL_ERROR_REPLY_TOO_LONG,  /* a reply over the parser's bound */
  FERRY_PROTOCOL_ERROR_MALFORMED,       /* does not follow the grammar */
  FERRY_PROTOCOL_ERROR_OUT_OF_RANGE,    /* a number too large, negative or zero where not allowed */
  FERRY_PROTOCOL_ERROR_INVALID_NAME,    /* a name that must not be used (NUL, '/', "..", …) */
} FerryProtocolError;

GQuark ferry_protocol_error_quark (void);

G_END_DECLS
