// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-session.c — one FTP session: greeting, the command loop, replies, and the end. */
#define G_LOG_DOMAIN "ferryd-session"

#include "ferry-config.h"

#include "ferryd-session.h"
#include "ferryd-session-private.h"
#include "ferryd-handoff.h"
#include "ferryd-proxy.h"
#include "ferryd-status.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_DEFERRED_COMMANDS 32

/* What the SIGTERM handler may touch: the temp file of the upload in progress, or the file
 * an append in place grows and its size before. */
static volatile sig_atomic_t terminating_upload_dir_fd = -1;
static char terminating_upload_name[256];
static volatile sig_atomic_t terminating_append_fd = -1;
static off_t terminating_append_size;

void
ferryd_session_track_upload (FerrydSession *self)
{
  terminating_upload_dir_fd = -1;
  if (self->upload_temp_name != NULL
      && g_strlcpy (terminating_upload_name, self->upload_temp_name,
                    sizeof terminating_upload_name) < sizeof terminating_upload_name)
    terminating_upload_dir_fd = self->upload_dir_fd;
  terminating_append_size = (off_t) self->append_old_size;
  terminating_append_fd = self->append_fd;
}

/* The listener sends SIGTERM when it shuts down (after a grace period): the half-written
 * upload must not stay behind. Only async-signal-safe calls here. */
static void
on_terminate (int signal_number)
{
  if (terminating_upload_dir_fd >= 0)
    unlinkat (terminating_upload_dir_fd, terminating_upload_name, 0);
  if (terminating_append_fd >= 0 && ftruncate (terminating_append_fd, terminating_append_size) != 0)
    terminating_append_fd = -1;   /* nothing more a signal handler can do */
  signal (signal_number, SIG_DFL);
  raise (signal_number);
}

/* Writes the address as text; IPv4-mapped IPv6 addresses as plain IPv4. */
static void
format_host (const struct sockaddr_storage *addr,
             char                          *out,
             gsize                          out_len)
{
  if (addr->ss_family == AF_INET)
    {
      const struct sockaddr_in *in = (const struct sockaddr_in *) addr;

      inet_ntop (AF_INET, &in->sin_addr, out, out_len);
    }
  else if (addr->ss_family == AF_INET6)
    {
      const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) addr;

      if (IN6_IS_ADDR_V4MAPPED (&in6->sin6_addr))
        inet_ntop (AF_INET, &in6->sin6_addr.s6_addr[12], out, out_len);
      else
        inet_ntop (AF_INET6, &in6->sin6_addr, out, out_len);
    }
  else
    g_strlcpy (out, "local", out_len);
}

static void
log_session_event (FerrydSession *self,
                   const char    *message)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "FERRYD_PEER", self->peer_host,
                    "FERRYD_USER", self->user != NULL ? self->user->name : "-",
                    "MESSAGE", "%s: %s (user %s)", self->peer_host, message,
                    self->user != NULL ? self->user->name : "-");
}

GString *
ferryd_session_status_begin (FerrydSession *self,
                             const char    *event)
{
  GString *line;

  if (self->config->status_fd < 0)
    return NULL;
  line = ferryd_status_begin (event);
  ferryd_status_add_string (line, "peer", self->peer_host);
  if (self->user != NULL)
    ferryd_status_add_string (line, "user", self->user->name);
  return line;
}

void
ferryd_session_status_send (FerrydSession *self,
                            GString       *line)
{
  if (line != NULL)
    ferryd_status_send (self->config->status_fd, line);
}

/* What the status channel calls a transfer's direction; NULL for listings. */
static const char *
status_direction (const char *verb)
{
  if (g_str_equal (verb, "RETR"))
    return "download";
  if (g_str_equal (verb, "STOR") || g_str_equal (verb, "APPE"))
    return "upload";
  return NULL;
}

void
ferryd_session_log_transfer (FerrydSession *self,
                             const char    *direction,
                             const char    *vpath,
                             goffset        bytes,
                             gint64         start_usec,
                             const char    *outcome)
{
  double seconds = (double) (g_get_monotonic_time () - start_usec) / G_USEC_PER_SEC;
  g_autofree char *bytes_text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) bytes);
  g_autofree char *seconds_text = g_strdup_printf ("%.3f", seconds);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "FERRYD_PEER", self->peer_host,
                    "FERRYD_USER", self->user != NULL ? self->user->name : "-",
                    "FERRYD_FILE", vpath,
                    "FERRYD_BYTES", bytes_text,
                    "FERRYD_SECONDS", seconds_text,
                    "MESSAGE", "%s: %s %s %s bytes in %s s (user %s): %s",
                    self->peer_host, direction, vpath, bytes_text, seconds_text,
                    self->user != NULL ? self->user->name : "-", outcome);

  if (status_direction (direction) != NULL)
    {
      GString *line = ferryd_session_status_begin (self, "transfer-end");

      if (line != NULL)
        {
          ferryd_status_add_string (line, "direction", status_direction (direction));
          ferryd_status_add_string (line, "path", vpath);
          ferryd_status_add_number (line, "bytes", bytes);
          ferryd_status_add_string (line, "outcome", outcome);
          ferryd_session_status_send (self, line);
        }
    }
}

static gboolean
write_reply (FerrydSession *self,
             GString       *reply)
{
  g_autoptr(GError) error = NULL;

  if (!ferryd_channel_write_all (self->control, reply->str, reply->len,
                                 self->config->data_timeout, &error))
    {
      g_debug ("%s: cannot send a reply: %s", self->peer_host, error->message);
      self->quit = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* CR or LF inside a reply line would end it early and let the rest pass for a reply. */
static void
append_one_line (GString    *reply,
                 const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (reply, (*p == '\r' || *p == '\n') ? ' ' : *p);
}

gboolean
ferryd_session_reply (FerrydSession *self,
                      guint          code,
                      const char    *format,
                      ...)
{
  g_autoptr(GString) reply = g_string_sized_new (128);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_string_append_printf (reply, "%03u ", code);
  append_one_line (reply, text);
  g_string_append (reply, "\r\n");
  return write_reply (self, reply);
}

gboolean
ferryd_session_reply_multi (FerrydSession *self,
                            guint          code,
                            const char    *first,
                            const char    *body,
                            const char    *last)
{
  g_autoptr(GString) reply = g_string_sized_new (256 + strlen (body));

  g_string_append_printf (reply, "%03u-", code);
  append_one_line (reply, first);
  g_string_append (reply, "\r\n");
  g_string_append (reply, body);
  g_string_append_printf (reply, "%03u ", code);
  append_one_line (reply, last);
  g_string_append (reply, "\r\n");
  return write_reply (self, reply);
}

gboolean
ferryd_session_reply_begin (FerrydSession *self,
                            guint          code,
                            const char    *first)
{
  g_autoptr(GString) reply = g_string_sized_new (128);

  g_string_append_printf (reply, "%03u-", code);
  append_one_line (reply, first);
  g_string_append (reply, "\r\n");
  return write_reply (self, reply);
}

gboolean
ferryd_session_reply_lines (FerrydSession *self,
                            GString       *lines)
{
  return write_reply (self, lines);
}

char *
ferryd_session_resolve_path (FerrydSession *self,
                             const char    *arg)
{
  g_autoptr(GError) error = NULL;
  char *vpath;

  if (arg == NULL || *arg == '\0')
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT, _("Name a file or folder."));
      return NULL;
    }

  vpath = ferry_vpath_resolve (self->cwd, arg, &error);
  if (vpath == NULL)
    ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                          _("Invalid path: %s"), error->message);
  return vpath;
}

/* Seconds left until deadline (monotonic µs), rounded up; 0 when it has passed. */
static guint
seconds_until (gint64 deadline)
{
  gint64 left = deadline - g_get_monotonic_time ();

  return left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

/* Reads until one command is complete. NULL when the session must end: the client left,
 * was idle too long, or sent a line longer than the protocol allows. The idle time-out
 * counts from the last command, not from the last byte: a client trickling one byte at a
 * time (slowloris) is cut off as surely as a silent one. */
static FerryCommand *
next_command (FerrydSession *self)
{
  guint8 buffer[4096];
  gint64 deadline = g_get_monotonic_time ()
                    + (gint64) self->config->idle_timeout * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      FerryCommand *command = NULL;
      guint timeout = 0;
      gssize n;

      if (!g_queue_is_empty (&self->deferred))
        return g_queue_pop_head (&self->deferred);

      if (ferry_command_reader_next (self->reader, &command, &error))
        return command;
      if (error != NULL)
        {
          if (g_error_matches (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_LINE_TOO_LONG))
            {
              ferryd_session_reply (self, FERRY_REPLY_SYNTAX_ERROR, _("Command line too long."));
              self->quit = TRUE;
              return NULL;
            }
          ferryd_session_reply (self, FERRY_REPLY_SYNTAX_ERROR,
                                _("Syntax error: %s"), error->message);
          continue;
        }

      if (self->config->idle_timeout > 0)
        {
          timeout = seconds_until (deadline);
          if (timeout == 0)
            g_set_error_literal (&error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT, "idle");
        }
      n = error == NULL ? ferryd_channel_read (self->control, buffer, sizeof buffer,
                                               timeout, &error)
                        : -1;
      if (n < 0 && g_error_matches (error, FERRYD_ERROR, FERRYD_ERROR_TIMED_OUT))
        {
          ferryd_session_reply (self, FERRY_REPLY_SERVICE_CLOSING,
                                _("Idle for %u seconds: closing the connection."),
                                self->config->idle_timeout);
          return NULL;
        }
      if (n <= 0)
        return NULL;
      ferry_command_reader_feed (self->reader, buffer, (gsize) n);
    }
}

gboolean
ferryd_session_poll_control (FerrydSession *self,
                             gboolean      *aborted)
{
  guint8 buffer[4096];
  g_autoptr(GError) error = NULL;
  gssize n;

  *aborted = FALSE;
  if (!ferryd_channel_has_input (self->control))
    return FALSE;

  n = ferryd_channel_read (self->control, buffer, sizeof buffer,
                           self->config->data_timeout, &error);
  if (n <= 0)
    {
      /* The client is gone: whatever was in flight did not arrive whole. */
      self->quit = TRUE;
      *aborted = TRUE;
      return TRUE;
    }
  ferry_command_reader_feed (self->reader, buffer, (gsize) n);

  for (;;)
    {
      g_autoptr(GError) line_error = NULL;
      FerryCommand *command = NULL;

      if (!ferry_command_reader_next (self->reader, &command, &line_error))
        {
          if (g_error_matches (line_error, FERRY_PROTOCOL_ERROR,
                               FERRY_PROTOCOL_ERROR_LINE_TOO_LONG))
            {
              ferryd_session_reply (self, FERRY_REPLY_SYNTAX_ERROR, _("Command line too long."));
              self->quit = TRUE;
              *aborted = TRUE;
              return TRUE;
            }
          if (line_error != NULL)
            continue;
          return FALSE;
        }

      if (g_str_equal (command->verb, "ABOR"))
        {
          ferry_command_free (command);
          *aborted = TRUE;
          return TRUE;
        }
      if (g_str_equal (command->verb, "STAT") && command->arg == NULL)
        {
          ferry_command_free (command);
          if (!ferryd_session_reply (self, FERRY_REPLY_SYSTEM_STATUS,
                                     _("A transfer is in progress.")))
            {
              *aborted = TRUE;
              return TRUE;
            }
          continue;
        }
      /* RFC 959: other commands wait until the transfer is over; a flood of them is not
       * kept in memory. */
      if (self->deferred.length >= MAX_DEFERRED_COMMANDS)
        {
          ferry_command_free (command);
          ferryd_session_reply (self, FERRY_REPLY_SERVICE_CLOSING,
                                _("Too many commands during a transfer: closing the connection."));
          self->quit = TRUE;
          *aborted = TRUE;
          return TRUE;
        }
      g_queue_push_tail (&self->deferred, command);
    }
}

/* "IP port N", as the listener writes it, into an address. */
static gboolean
parse_peer_text (const char              *peer,
                 struct sockaddr_storage *addr)
{
  g_auto(GStrv) fields = peer != NULL ? g_strsplit (peer, " ", -1) : NULL;
  guint64 port;

  memset (addr, 0, sizeof *addr);
  if (fields == NULL || g_strv_length (fields) != 3 || !g_str_equal (fields[1], "port")
      || !g_ascii_string_to_unsigned (fields[2], 10, 0, 65535, &port, NULL))
    return FALSE;
  if (inet_pton (AF_INET, fields[0], &((struct sockaddr_in *) addr)->sin_addr) == 1)
    {
      addr->ss_family = AF_INET;
      ((struct sockaddr_in *) addr)->sin_port = htons ((guint16) port);
      return TRUE;
    }
  if (inet_pton (AF_INET6, fields[0], &((struct sockaddr_in6 *) addr)->sin6_addr) == 1)
    {
      addr->ss_family = AF_INET6;
      ((struct sockaddr_in6 *) addr)->sin6_port = htons ((guint16) port);
      return TRUE;
    }
  return FALSE;
}

static void
session_init (FerrydSession      *self,
              int                 control_fd,
              const char         *peer,
              const FerrydConfig *config,
              FerrydUsers        *users)
{
  socklen_t len;
  int on = 1;

  memset (self, 0, sizeof *self);
  self->config = config;
  self->users = users;
  self->control = ferryd_channel_new (control_fd);
  self->reader = ferry_command_reader_new ();
  g_queue_init (&self->deferred);
  self->cwd = g_strdup ("/");
  self->mlst_facts = FERRY_MLSX_FACTS_DEFAULT;
  self->upload_dir_fd = -1;
  self->append_fd = -1;
  self->announced_size = -1;
  ferryd_data_channel_init (&self->data);

  len = sizeof self->peer_addr;
  if (getpeername (control_fd, (struct sockaddr *) &self->peer_addr, &len) != 0)
    self->peer_addr.ss_family = AF_UNSPEC;
  if (config->proxy_protocol)
    {
      struct sockaddr_storage real;

      /* The balancers' PROXY headers were read by the listener; it names the client. */
      if (parse_peer_text (peer, &real))
        self->peer_addr = real;
      self->proxy_from = ferryd_proxy_from_parse (config->proxy_from, NULL);
    }
  len = sizeof self->local_addr;
  if (getsockname (control_fd, (struct sockaddr *) &self->local_addr, &len) != 0)
    self->local_addr.ss_family = AF_UNSPEC;
  format_host (&self->peer_addr, self->peer_host, sizeof self->peer_host);
  format_host (&self->local_addr, self->local_host, sizeof self->local_host);

  /* Replies are small and must not wait for delayed ACKs; ftplib's ABOR arrives as urgent
   * data, which must stay in the stream. Both fail harmlessly on a socketpair. */
  setsockopt (control_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt (control_fd, SOL_SOCKET, SO_OOBINLINE, &on, sizeof on);
  /* Bulk data connections are marked the other way (ferryd-bulk.h). */
  if (config->bulk_after > 0)
    ferryd_bulk_mark_control (control_fd);
}

static void
session_finish (FerrydSession *self)
{
  ferryd_session_discard_upload (self);
  ferryd_session_discard_append (self);
  ferryd_data_channel_reset (&self->data);
  g_queue_clear_full (&self->deferred, (GDestroyNotify) ferry_command_free);
  g_clear_pointer (&self->reader, ferry_command_reader_free);
  g_clear_pointer (&self->control, ferryd_channel_free);
  g_clear_pointer (&self->pending_user, g_free);
  g_clear_pointer (&self->user, ferryd_user_free);
  g_clear_pointer (&self->anonymous_id, g_free);
  g_clear_pointer (&self->jail, ferryd_jail_free);
  g_clear_pointer (&self->cwd, g_free);
  g_clear_pointer (&self->rename_from, g_free);
  g_clear_pointer (&self->proxy_from, g_array_unref);
  if (self->tls_credentials != NULL)
    self->tls_module->free_credentials (g_steal_pointer (&self->tls_credentials));
}

int
ferryd_session_run (int                 control_fd,
                    const FerrydConfig *config,
                    FerrydUsers        *users)
{
  int status = ferryd_session_run_for (control_fd, NULL, config, users);

  return status > FERRYD_EXIT_LOGIN_FAILURES_BASE ? 0 : status;
}

int
ferryd_session_run_for (int                 control_fd,
                        const char         *peer,
                        const FerrydConfig *config,
                        FerrydUsers        *users)
{
  FerrydSession session;

  g_return_val_if_fail (control_fd >= 0, 1);
  g_return_val_if_fail (config != NULL, 1);

  /* This process is the session's alone. A vanished peer is an error return, not a
   * signal; a write past RLIMIT_FSIZE is EFBIG, not a core dump. */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGXFSZ, SIG_IGN);
  signal (SIGTERM, on_terminate);

  session_init (&session, control_fd, peer, config, users);
  log_session_event (&session, "session start");
  ferryd_session_status_send (&session, ferryd_session_status_begin (&session, "connect"));

  if (ferryd_session_reply (&session, FERRY_REPLY_SERVICE_READY, _("Ferry FTP server ready.")))
    {
      while (!session.quit)
        {
          g_autoptr(FerryCommand) command = next_command (&session);

          if (command == NULL)
            break;
          ferryd_session_dispatch (&session, command);
        }
    }

  log_session_event (&session, "session end");
  ferryd_session_status_send (&session, ferryd_session_status_begin (&session, "disconnect"));
  session_finish (&session);
  if (session.login_failures_untold > 0)
    return FERRYD_EXIT_LOGIN_FAILURES_BASE + (int) MIN (session.login_failures_untold,
                                                         FERRYD_MAX_LOGIN_FAILURES);
  return 0;
}
