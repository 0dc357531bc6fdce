/* ferryd-handoff.h — passing an accepted client socket to a session process (SCM_RIGHTS). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest peer text sent along with the socket ("IP port"). */
#define FERRYD_HANDOFF_PEER_MAX 96

/* Sends client_fd and its peer text over channel_fd (a SOCK_SEQPACKET socket) without
 * blocking; the caller still owns and closes its copy of client_fd. */
gboolean ferryd_handoff_send    (int          channel_fd,
                                 int          client_fd,
                                 const char  *peer,
                                 GError     **error);

/* Waits for one client socket on channel_fd. Returns it (close-on-exec set) and fills peer;
 * returns -1 with error unset when the listener closed the channel (shut down, or this
 * idle session process was retired), and -1 with error set on a failure. */
int      ferryd_handoff_receive (int          channel_fd,
                                 char         peer[FERRYD_HANDOFF_PEER_MAX],
                                 GError     **error);

G_END_DECLS
