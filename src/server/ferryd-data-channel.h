// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-data-channel.h — where the next data connection comes from: a passive listening
 * socket (PASV/EPSV) or an address to connect to (PORT/EPRT). Data connections are accepted
 * only from, and made only to, the control connection's peer address. */
#pragma once

#include <glib.h>
#include <sys/socket.h>

G_BEGIN_DECLS

typedef struct
{
  int                     listen_fd;     /* PASV/EPSV: -1 when none */
  guint16                 passive_port;  /* listen_fd's port */
  gboolean                have_active;   /* PORT/EPRT given */
  struct sockaddr_storage active_addr;
  socklen_t               active_len;
  gboolean                epsv_all;      /* "EPSV ALL": PORT, EPRT and PASV are refused */
} FerrydDataChannel;

void ferryd_data_channel_init  (FerrydDataChannel *data);

/* Closes the listening socket and forgets a PORT/EPRT address. */
void ferryd_data_channel_reset (FerrydDataChannel *data);

G_END_DECLS
