// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-handoff.c — one SOCK_SEQPACKET message per client (token, peer text, socket),
 * fixed-size reports from a zygote, and one datagram per failed login from a session. */
#define G_LOG_DOMAIN "ferryd"
#define _GNU_SOURCE   /* struct ucred */

#include "ferry-config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferryd-error.h"
#include "ferryd-handoff.h"

typedef struct {
  guint64 token;
  char    peer[FERRYD_HANDOFF_PEER_MAX];
} HandoffMessage;

static int login_failed_fd = -1;

gboolean
ferryd_handoff_send (int          channel_fd,
                     int          client_fd,
                     guint64      token,
                     const char  *peer,
                     GError     **error)
{
  union {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int))];
  } control;
  HandoffMessage body;
  struct iovec iov = { .iov_base = &body, .iov_len = sizeof body };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.space,
    .msg_controllen = sizeof control.space,
  };
  struct cmsghdr *cmsg;

  memset (&body, 0, sizeof body);
  body.token = token;
  g_strlcpy (body.peer, peer != NULL ? peer : "", sizeof body.peer);
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
      /* Too many descriptors in flight is the channel being full too, only not one that
       * poll reports. */
      g_set_error (error, FERRYD_ERROR,
                   saved_errno == ETOOMANYREFS ? FERRYD_ERROR_WOULD_BLOCK
                                               : ferryd_error_from_errno (saved_errno),
                   "cannot hand the client to a session process: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

int
ferryd_handoff_receive (int          channel_fd,
                        guint64     *token,
                        char         peer[FERRYD_HANDOFF_PEER_MAX],
                        GError     **error)
{
  union {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (int))];
  } control;
  HandoffMessage body;
  struct iovec iov = { .iov_base = &body, .iov_len = sizeof body };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.space,
    .msg_controllen = sizeof control.space,
  };
  struct cmsghdr *cmsg;
  ssize_t received;
  int client_fd = -1;

  memset (&body, 0, sizeof body);
  memset (peer, 0, FERRYD_HANDOFF_PEER_MAX);
  do
    received = recvmsg (channel_fd, &message, MSG_CMSG_CLOEXEC);
  while (received < 0 && errno == EINTR);

  if (received < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                   "cannot receive a client: %s", g_strerror (saved_errno));
      return -1;
    }
  if (received == 0)
    return -1;

  for (cmsg = CMSG_FIRSTHDR (&message); cmsg != NULL; cmsg = CMSG_NXTHDR (&message, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS
        && cmsg->cmsg_len == CMSG_LEN (sizeof (int)))
      memcpy (&client_fd, CMSG_DATA (cmsg), sizeof (int));

  if (client_fd < 0 || received != sizeof body
      || (message.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) != 0)
    {
      if (client_fd >= 0)
        close (client_fd);
      g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_INVALID_DATA,
                   "a hand-off message came without a client socket");
      return -1;
    }
  body.peer[FERRYD_HANDOFF_PEER_MAX - 1] = '\0';
  memcpy (peer, body.peer, FERRYD_HANDOFF_PEER_MAX);
  *token = body.token;
  return client_fd;
}

gboolean
ferryd_report_send (int                 channel_fd,
                    const FerrydReport *report,
                    GError            **error)
{
  while (send (channel_fd, report, sizeof *report, MSG_NOSIGNAL) < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                   "cannot report to the listener: %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

int
ferryd_report_receive (int            channel_fd,
                       FerrydReport  *report,
                       GError       **error)
{
  ssize_t received;

  do
    received = recv (channel_fd, report, sizeof *report, MSG_DONTWAIT);
  while (received < 0 && errno == EINTR);

  if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return 0;
  if (received < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                   "cannot read the session zygote's report: %s", g_strerror (saved_errno));
      return -1;
    }
  if (received == 0)
    return 0;
  if (received != sizeof *report)
    {
      g_set_error (error, FERRYD_ERROR, FERRYD_ERROR_INVALID_DATA,
                   "the session zygote sent a report of %zd bytes", received);
      return -1;
    }
  return 1;
}

void
ferryd_report_use_login_failed_fd (int fd)
{
  login_failed_fd = fd;
}

gboolean
ferryd_report_login_failure (void)
{
  static const char failure = 'F';
  ssize_t sent;

  if (login_failed_fd < 0)
    return FALSE;
  do
    sent = send (login_failed_fd, &failure, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  return sent == 1;
}

pid_t
ferryd_report_receive_login_failure (int fd)
{
  union {
    struct cmsghdr header;
    char           space[CMSG_SPACE (sizeof (struct ucred))];
  } control;
  char byte;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  struct msghdr message = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.space,
    .msg_controllen = sizeof control.space,
  };
  struct ucred credentials;
  ssize_t received;

  do
    received = recvmsg (fd, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (received < 0 && errno == EINTR);
  if (received != 1)
    return 0;
  /* The kernel's word for the sender's pid (SO_PASSCRED), not anything the session says:
   * a session cannot charge its failures to another client's address. */
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&message); cmsg != NULL;
       cmsg = CMSG_NXTHDR (&message, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_CREDENTIALS)
      {
        memcpy (&credentials, CMSG_DATA (cmsg), sizeof credentials);
        return credentials.pid > 0 ? credentials.pid : -1;
      }
  return -1;
}
