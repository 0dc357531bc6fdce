// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-io.c — raw reads, writes and waits on a session's sockets, plain or TLS. */
#define _GNU_SOURCE   /* POLLRDHUP */
#define G_LOG_DOMAIN "ferryd-io"

#include "ferryd-io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

struct _FerrydChannel
{
  int                    fd;
  const FerrydTlsModule *tls_module;   /* with TLS only */
  FerrydTlsStream       *tls;          /* over a dup of fd, or NULL */
  gboolean               blocking_send;   /* switched for sendfile */
};

static int
timeout_to_poll_ms (guint timeout)
{
  return timeout == 0 ? -1 : (int) MIN (timeout, G_MAXINT / 1000) * 1000;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

FerrydChannel *
ferryd_channel_new (int fd)
{
  FerrydChannel *self = g_new0 (FerrydChannel, 1);

  self->fd = fd;
  /* Non-blocking underneath: every wait goes through poll(2) with a time-out. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK);
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  return self;
}

void
ferryd_channel_free (FerrydChannel *self)
{
  if (self == NULL)
    return;

  /* With TLS, the stream holds a dup of fd: both go. */
  if (self->tls != NULL)
    self->tls_module->free (self->tls);
  if (self->fd >= 0)
    close (self->fd);
  g_free (self);
}

int
ferryd_channel_get_fd (FerrydChannel *self)
{
  return self->fd;
}

gboolean
ferryd_channel_is_tls (FerrydChannel *self)
{
  return self->tls != NULL;
}

void
ferryd_channel_set_tls (FerrydChannel         *self,
                        const FerrydTlsModule *module,
                        FerrydTlsStream       *tls)
{
  g_return_if_fail (self->tls == NULL);

  self->tls_module = module;
  self->tls = tls;
}

static gboolean
wait_fd (int       fd,
         short     events,
         guint     timeout,
         GError  **error)
{
  struct pollfd pfd = { .fd = fd, .events = events };

  for (;;)
    {
      int n = poll (&pfd, 1, timeout_to_poll_ms (timeout));

      if (n > 0)
        return TRUE;
      if (n == 0)
        {
          g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT,
                               "The connection was idle for too long");
          return FALSE;
        }
      if (errno != EINTR)
        return set_errno_error (error, errno, "poll");
    }
}

gssize
ferryd_channel_read (FerrydChannel *self,
                     guint8        *buffer,
                     gsize          len,
                     guint          timeout,
                     GError       **error)
{
  if (self->tls != NULL)
    return self->tls_module->read (self->tls, buffer, len, timeout, error);

  for (;;)
    {
      gssize n = recv (self->fd, buffer, len, 0);

      if (n >= 0)
        return n;
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        {
          set_errno_error (error, errno, "Reading from the connection");
          return -1;
        }
      if (!wait_fd (self->fd, POLLIN, timeout, error))
        return -1;
    }
}

gboolean
ferryd_channel_write_all (FerrydChannel *self,
                          const void    *data,
                          gsize          len,
                          guint          timeout,
                          GError       **error)
{
  const guint8 *p = data;

  if (self->tls != NULL)
    return self->tls_module->write_all (self->tls, data, len, timeout, error);

  while (len > 0)
    {
      gssize n = send (self->fd, p, len, MSG_NOSIGNAL);

      if (n >= 0)
        {
          p += n;
          len -= (gsize) n;
          continue;
        }
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        return set_errno_error (error, errno, "Writing to the connection");
      if (!wait_fd (self->fd, POLLOUT, timeout, error))
        return FALSE;
    }
  return TRUE;
}

/* Blocking mode with a short send time-out, for sendfile (see ferryd_channel_sendfile). */
static void
set_blocking_send (FerrydChannel *self)
{
  struct timeval tv = { .tv_usec = FERRYD_SENDFILE_WAIT_MS * 1000 };

  if (self->blocking_send)
    return;
  fcntl (self->fd, F_SETFL, fcntl (self->fd, F_GETFL) & ~O_NONBLOCK);
  setsockopt (self->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  self->blocking_send = TRUE;
}

gssize
ferryd_channel_sendfile (FerrydChannel *self,
                         int            file_fd,
                         goffset       *offset,
                         gsize          count,
                         GError       **error)
{
  g_return_val_if_fail (self->tls == NULL, -1);

  set_blocking_send (self);
  for (;;)
    {
      off_t off = *offset;
      gssize n = sendfile (self->fd, file_fd, &off, count);

      if (n > 0)
        {
          *offset = off;
          return n;
        }
      if (n == 0)
        {
          g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                               "The file ended before its size said it would "
                               "(truncated while sending?)");
          return -1;
        }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
      set_errno_error (error, errno, "Sending the file");
      return -1;
    }
}

/* The slow path of ferryd_channel_splice_to_file: through a buffer. */
static gssize
read_to_file (FerrydChannel *self,
              int            file_fd,
              gsize          count,
              int           *file_errno,
              GError       **error)
{
  guint8 buffer[16 * 1024];
  gssize in;

  do
    in = recv (self->fd, buffer, MIN (count, sizeof buffer), MSG_DONTWAIT);
  while (in < 0 && errno == EINTR);
  if (in < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_WOULD_BLOCK, "No data yet");
      else
        set_errno_error (error, errno, "Reading from the connection");
      return -1;
    }
  for (gssize done = 0; done < in;)
    {
      gssize out = write (file_fd, buffer + done, (gsize) (in - done));

      if (out < 0 && errno == EINTR)
        continue;
      if (out <= 0)
        {
          *file_errno = out < 0 ? errno : EIO;
          set_errno_error (error, *file_errno, "Writing the file");
          return -1;
        }
      done += out;
    }
  return in;
}

gssize
ferryd_channel_splice_to_file (FerrydChannel *self,
                               int            pipe_fds[2],
                               int            file_fd,
                               gsize          count,
                               int           *file_errno,
                               GError       **error)
{
  gssize in, left;

  g_return_val_if_fail (self->tls == NULL, -1);

  *file_errno = 0;
  do
    in = splice (self->fd, NULL, pipe_fds[1], NULL, count, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
  while (in < 0 && errno == EINTR);
  if (in < 0)
    {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_WOULD_BLOCK, "No data yet");
      else
        set_errno_error (error, errno, "Reading from the connection");
      return -1;
    }

  /* splice(2) also returns 0 when the pipe has no room for the socket's next buffer: a
   * pipe created once the user's pipe budget (fs.pipe-user-pages-soft) is spent has only
   * 2 slots. Taken for the end of the stream, that committed half an upload; recv() tells
   * the two apart, and moves the bytes when splice cannot. */
  if (in == 0)
    return read_to_file (self, file_fd, count, file_errno, error);

  /* The pipe holds exactly what came in: all of it goes to the file before the next read. */
  for (left = in; left > 0;)
    {
      gssize out = splice (pipe_fds[0], NULL, file_fd, NULL, (gsize) left, SPLICE_F_MOVE);

      if (out < 0 && errno == EINTR)
        continue;
      if (out <= 0)
        {
          *file_errno = out < 0 ? errno : EIO;
          set_errno_error (error, *file_errno, "Writing the file");
          return -1;
        }
      left -= out;
    }
  return in;
}

gboolean
ferryd_channel_has_input (FerrydChannel *self)
{
  struct pollfd pfd = { .fd = self->fd, .events = POLLIN };

  if (self->tls != NULL)
    return self->tls_module->has_input (self->tls);
  return poll (&pfd, 1, 0) > 0;
}

gboolean
ferryd_channel_peer_gone (FerrydChannel *self,
                          int            grace_ms)
{
  /* Not POLLIN: a command the client sent before it died must not end the wait early. */
  struct pollfd pfd = { .fd = self->fd, .events = POLLRDHUP };
  int n;

  do
    n = poll (&pfd, 1, grace_ms);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return FALSE;
  return (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void
ferryd_channel_close (FerrydChannel *self,
                      guint          timeout)
{
  if (self == NULL)
    return;

  if (self->tls != NULL)
    self->tls_module->close (self->tls, timeout);
  ferryd_channel_free (self);
}

FerrydWaitResult
ferryd_channel_wait (FerrydChannel *data,
                     gboolean       for_write,
                     FerrydChannel *control,
                     guint          timeout,
                     GError       **error)
{
  struct pollfd pfd[2] = {
    { .fd = data->fd, .events = for_write ? POLLOUT : POLLIN },
    { .fd = control->fd, .events = POLLIN },
  };
  FerrydWaitResult ready = 0;

  /* Bytes TLS already decrypted do not show in poll(2). */
  if (control->tls != NULL && ferryd_channel_has_input (control))
    ready |= FERRYD_WAIT_CONTROL;
  if (!for_write && data->tls != NULL && ferryd_channel_has_input (data))
    ready |= FERRYD_WAIT_DATA;
  if (ready != 0)
    return ready;

  for (;;)
    {
      int n = poll (pfd, 2, timeout_to_poll_ms (timeout));

      if (n > 0)
        break;
      if (n == 0)
        {
          g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT,
                               "The data connection made no progress for too long");
          return 0;
        }
      if (errno != EINTR)
        {
          set_errno_error (error, errno, "poll");
          return 0;
        }
    }

  if (pfd[0].revents != 0)
    ready |= FERRYD_WAIT_DATA;
  if (pfd[1].revents != 0)
    ready |= FERRYD_WAIT_CONTROL;
  return ready;
}
