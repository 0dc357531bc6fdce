// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-type-a.h — TYPE A (ASCII) line ends on the wire (RFC 959 §3.1.1.1).
 *
 * A file's LF is CRLF on the wire; every other byte, a lone CR included, passes as it is.
 * So to-network then from-network gives back any file unchanged, and from-network then
 * to-network gives back any wire text without a bare LF. Pure code: the caller owns the
 * buffers and the I/O, and feeds a stream one chunk at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* LF → CRLF. out must hold 2 × len bytes; returns the number of bytes written to it. */
gsize ferry_type_a_to_network   (const guint8 *in,
                                 gsize         len,
                                 guint8       *out);

/* CRLF → LF, in place; returns the number of bytes left in buffer. *pending_cr carries a CR
 * at the end of one chunk into the next call (FALSE at the start of a stream), until the
 * next byte shows whether it starts a CRLF. When *held_cr comes back TRUE, that CR was data:
 * the caller writes one CR before this chunk's bytes. At the end of the stream a *pending_cr
 * still TRUE is a last lone CR, for the caller to write. */
gsize ferry_type_a_from_network (guint8       *buffer,
                                 gsize         len,
                                 gboolean     *pending_cr,
                                 gboolean     *held_cr);

G_END_DECLS
