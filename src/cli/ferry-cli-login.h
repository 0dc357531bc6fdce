// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-login.h — from the command line to a logged-in FerryClient: the URL, --user,
 * --tls, the password (URL, FERRY_PASSWORD, or asked on the terminal), connect and login. */
#pragma once

#include <gio/gio.h>

#include "ferry-client.h"
#include "ferry-cli-options.h"

G_BEGIN_DECLS

typedef struct {
  FerryUrl *url;        /* user, password and TLS mode as they will be used */
  char     *display;    /* the URL without its password, to show */
} FerryCliTarget;

/* Parses options->url (FERRY_CLIENT_ERROR_INVALID_URL), applies --user and --tls, and
 * finds the password, asking on the terminal when there is a user and no other source. */
FerryCliTarget *ferry_cli_target_new  (const FerryCliOptions  *options,
                                       GError                **error);
void            ferry_cli_target_free (FerryCliTarget         *target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryCliTarget, ferry_cli_target_free)

/* Connects and logs in; the error message names the server or the user. */
void            ferry_cli_open_async  (const FerryCliTarget   *target,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data);
FerryClient    *ferry_cli_open_finish (GAsyncResult           *result,
                                       GError                **error);

G_END_DECLS
