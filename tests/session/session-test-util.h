// SPDX-License-Identifier: GPL-3.0-or-later
/* session-test-util.h — a real ferryd session in a child process on a loopback TCP
 * connection, and a tiny FTP client to drive it. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "ferryd-config.h"

typedef struct
{
  int           fd;         /* the client's end of the control connection */
  pid_t         child;      /* the session process */
  char         *root;       /* a temp folder, removed by session_test_stop */
  FerrydConfig *config;
  GString      *input;      /* bytes read but not yet taken as a reply */
  char         *last_text;  /* the text of the last reply read */
} SessionTest;

/* A temp root and a config for it (anonymous on, read-only): change config, then start. */
SessionTest *session_test_new   (void);
void         session_test_start (SessionTest *test);
/* The same over a socketpair (AF_UNIX), as a fuzzer drives it: no data connections. */
void         session_test_start_socketpair (SessionTest *test);

/* Waits for the session process and checks it ended cleanly (0 exit status: no sanitizer
 * report either); removes the root. */
void         session_test_free  (SessionTest *test);

void         session_test_write_file (SessionTest *test, const char *name, const char *contents);
char        *session_test_read_file  (SessionTest *test, const char *name);

/* Sends one line (CRLF added) and returns the code of the reply; its text is in last_text. */
guint        session_test_command    (SessionTest *test, const char *line);
guint        session_test_reply      (SessionTest *test);
/* TRUE when the server closed the control connection (within 10 s). */
gboolean     session_test_closed     (SessionTest *test);

/* EPSV and connect: the client's end of a data connection. */
int          session_test_open_data  (SessionTest *test);

void         session_test_login      (SessionTest *test);
