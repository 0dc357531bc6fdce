// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-ask.c — questions on /dev/tty, with echo off for passwords.
 *
 * It runs before the main loop installs its SIGINT source: a Ctrl+C here must restore
 * the terminal's echo before anything else happens, so the prompt catches SIGINT itself
 * (without SA_RESTART, so read() returns EINTR). */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-ask.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PASSWORD_MAX 1024

static volatile sig_atomic_t interrupted;

static void
note_interrupt (int signum)
{
  interrupted = 1;
}

static void
write_all (int         fd,
           const char *text)
{
  gsize length = strlen (text);

  while (length > 0)
    {
      gssize written = write (fd, text, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return;
      text += written;
      length -= (gsize) written;
    }
}

/* Reads up to a newline; returns FALSE on EOF before any newline, error or interrupt. */
static gboolean
read_line (int      fd,
           GString *line)
{
  for (;;)
    {
      char c;
      gssize got = read (fd, &c, 1);

      if (got < 0 && errno == EINTR && !interrupted)
        continue;
      if (got <= 0)
        return got == 0 && line->len > 0;
      if (c == '\n' || c == '\r')
        return TRUE;
      if (line->len < PASSWORD_MAX)
        g_string_append_c (line, c);
    }
}

static char *
ask (const char  *prompt,
     gboolean     echo,
     GError     **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  struct termios saved, silent;
  struct sigaction catch_interrupt = { 0 }, saved_action;
  gboolean have_line;
  int fd;

  fd = g_open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0 || tcgetattr (fd, &saved) != 0)
    {
      if (fd >= 0)
        g_close (fd, NULL);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("there is no terminal to ask on"));
      return NULL;
    }

  interrupted = 0;
  catch_interrupt.sa_handler = note_interrupt;
  sigemptyset (&catch_interrupt.sa_mask);
  sigaction (SIGINT, &catch_interrupt, &saved_action);

  silent = saved;
  if (!echo)
    silent.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
  silent.c_lflag |= ICANON;
  tcsetattr (fd, TCSAFLUSH, &silent);

  write_all (fd, prompt);
  have_line = read_line (fd, line);
  if (!echo || !have_line)
    write_all (fd, "\n");

  tcsetattr (fd, TCSANOW, &saved);
  sigaction (SIGINT, &saved_action, NULL);
  g_close (fd, NULL);

  if (interrupted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Cancelled"));
      return NULL;
    }
  if (!have_line)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No answer"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
ferry_cli_ask_password (const char  *prompt,
                        GError     **error)
{
  return ask (prompt, FALSE, error);
}

char *
ferry_cli_ask_line (const char  *prompt,
                    GError     **error)
{
  return ask (prompt, TRUE, error);
}
