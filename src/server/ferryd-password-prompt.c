// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-password-prompt.c — reads a password twice, from the terminal with echo off. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "ferryd-password-prompt.h"
#include "ferryd-users.h"

#define PASSWORD_MAX 1024

/* One line from stdin without its line end; NULL at end of input. */
static char *
read_line (gboolean   on_terminal,
           GError   **error)
{
  char buffer[PASSWORD_MAX + 2];
  size_t length;
  char *line;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("no password given (input ended)"));
      return NULL;
    }
  if (on_terminal)
    fputc ('\n', stderr);

  length = strcspn (buffer, "\r\n");
  if (buffer[length] == '\0' && length > PASSWORD_MAX)
    {
      explicit_bzero (buffer, sizeof buffer);
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("the password is longer than %d bytes"), PASSWORD_MAX);
      return NULL;
    }
  buffer[length] = '\0';
  line = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);
  return line;
}

static char *
ask (const char  *prompt,
     gboolean     on_terminal,
     GError     **error)
{
  struct termios saved, quiet;
  char *line;

  if (!on_terminal)
    return read_line (FALSE, error);

  if (tcgetattr (STDIN_FILENO, &saved) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                   _("cannot turn off echo on the terminal: %s"), g_strerror (saved_errno));
      return NULL;
    }
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  /* Echo off before the prompt shows: what is typed after it is never echoed. */
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  fputs (prompt, stderr);
  fflush (stderr);
  line = read_line (TRUE, error);
  tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  return line;
}

char *
ferryd_password_prompt_twice (const char  *user_name,
                              GError     **error)
{
  gboolean on_terminal = isatty (STDIN_FILENO);
  g_autofree char *first_prompt = g_strdup_printf (_("New password for %s: "), user_name);
  char *first;
  char *second;
  gboolean same;

  first = ask (first_prompt, on_terminal, error);
  if (first == NULL)
    return NULL;
  second = ask (_("Type it again: "), on_terminal, error);
  if (second == NULL)
    {
      explicit_bzero (first, strlen (first));
      g_free (first);
      return NULL;
    }

  same = g_str_equal (first, second);
  explicit_bzero (second, strlen (second));
  g_free (second);
  if (!same || *first == '\0')
    {
      g_set_error_literal (error, FERRYD_USERS_ERROR, FERRYD_USERS_ERROR_INVALID,
                           !same ? _("the two passwords differ; nothing was changed")
                                 : _("the password is empty; nothing was changed"));
      explicit_bzero (first, strlen (first));
      g_free (first);
      return NULL;
    }
  return first;
}
