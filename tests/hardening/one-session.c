// SPDX-License-Identifier: GPL-3.0-or-later
/* one-session.c — one real ferryd session on a loopback port, in this very process: for
 * tools that must see the session from its first instruction to its exit (valgrind).
 *
 *   one-session ROOT      prints "ftp://127.0.0.1:PORT/", serves one client (anonymous,
 *                         write enabled), exits with the session's status */
#define G_LOG_DOMAIN "ferry-one-session"

#include <arpa/inet.h>
#include <glib.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferryd-config.h"
#include "ferryd-session.h"

int
main (int   argc,
      char *argv[])
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  g_autoptr(FerrydConfig) config = NULL;
  int listener;
  int client;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s ROOT\n", argv[0]);
      return 2;
    }
  config = ferryd_config_new_defaults ();
  config->root = g_strdup (argv[1]);
  config->anonymous_enabled = TRUE;
  config->write_enabled = TRUE;
  config->idle_timeout = 60;
  config->data_timeout = 30;

  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind (listener, (struct sockaddr *) &addr, sizeof addr) != 0
      || listen (listener, 1) != 0 || getsockname (listener, (struct sockaddr *) &addr, &len) != 0)
    {
      perror ("one-session: cannot listen on 127.0.0.1");
      return 1;
    }
  printf ("ftp://127.0.0.1:%u/\n", ntohs (addr.sin_port));
  fflush (stdout);

  client = accept (listener, NULL, NULL);
  close (listener);
  if (client < 0)
    {
      perror ("one-session: accept");
      return 1;
    }
  return ferryd_session_run (client, config, NULL);
}
