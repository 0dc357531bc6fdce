/* ferryd-handoff.c — one SOCK_SEQPACKET message per client: peer text + the socket. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gio/gio.h>

#include "ferryd-handoff.h"

gboolean
ferryd_handoff_send (int          channel_fd,
                     int          client_fd,
                     const char  *peer,
                     GError     **error)
{
  union {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int))];
  } control;
  char text[FERRYD_HANDOFF_PEER_MAX] = { 0 };
  struct iovec iov = { .iov_base = text, .iov_len = sizeof text };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.space,
    .msg_controllen = sizeof control.space,
  };
  struct cmsghdr *cmsg;

  g_strlcpy (text, peer != NULL ? peer : "", sizeof text);
  memset (&control, 0, sizeof control);
  cmsg = CMSG_FIRSTHDR (&message);
  g_assert (cmsg != NULL);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &client_fd, sizeof (int));

  while (sendmsg (channel_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot hand the client to its session process: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

int
ferryd_handoff_receive (int          channel_fd,
                        char         peer[FERRYD_HANDOFF_PEER_MAX],
                        GError     **error)
{
  union {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec iov = { .iov_base = peer, .iov_len = FERRYD_HANDOFF_PEER_MAX };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.space,
    .msg_controllen = sizeof control.space,
  };
  struct cmsghdr *cmsg;
  ssize_t received;
  int client_fd = -1;

  memset (peer, 0, FERRYD_HANDOFF_PEER_MAX);
  do
    received = recvmsg (channel_fd, &message, MSG_CMSG_CLOEXEC);
  while (received < 0 && errno == EINTR);

  if (received < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot receive a client from the listener: %s", g_strerror (saved_errno));
      return -1;
    }
  if (received == 0)
    return -1;

  for (cmsg = CMSG_FIRSTHDR (&message); cmsg != NULL; cmsg = CMSG_NXTHDR (&message, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS
        && cmsg->cmsg_len == CMSG_LEN (sizeof (int)))
      memcpy (&client_fd, CMSG_DATA (cmsg), sizeof (int));

  peer[FERRYD_HANDOFF_PEER_MAX - 1] = '\0';
  if (client_fd < 0 || (message.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) != 0)
    {
      if (client_fd >= 0)
        close (client_fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the listener sent a message without a client socket");
      return -1;
    }
  return client_fd;
}
