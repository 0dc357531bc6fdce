// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-login.c — credentials, connection and login for ferry-cli. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-login.h"
#include "ferry-cli-ask.h"
#include "ferry-cli-certificate.h"
#include "ferry-cli-error.h"
#include "ferry-cli-escape.h"
#include "ferry-task.h"

#include <glib/gi18n.h>
#include <string.h>

void
ferry_cli_target_free (FerryCliTarget *target)
{
  if (target == NULL)
    return;
  g_clear_pointer (&target->url, ferry_url_free);
  g_free (target->display);
  g_free (target);
}

FerryCliTarget *
ferry_cli_target_new (const FerryCliOptions  *options,
                      GError                **error)
{
  g_autoptr(FerryCliTarget) target = g_new0 (FerryCliTarget, 1);
  FerryUrl *url;

  target->url = url = ferry_url_parse (options->url, error);
  if (url == NULL)
    return NULL;

  if (options->user != NULL)
    {
      g_free (url->user);
      url->user = g_strdup (options->user);
    }
  if (options->tls && url->tls_mode == FERRY_TLS_MODE_NONE)
    url->tls_mode = FERRY_TLS_MODE_EXPLICIT;
  target->display = ferry_url_to_string (url);

  /* Anonymous logins need no password; a password in the URL wins over the others. */
  if (url->user != NULL && url->password == NULL)
    {
      const char *from_environment = g_getenv ("FERRY_PASSWORD");

      if (from_environment != NULL)
        url->password = g_strdup (from_environment);
      else
        {
          g_autofree char *prompt = g_strdup_printf (_("Password for %s@%s: "),
                                                     url->user, url->host);

          url->password = ferry_cli_ask_password (prompt, error);
          if (url->password == NULL)
            {
              if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
                g_prefix_error (error,
                                _("cannot ask for the password of %s (set FERRY_PASSWORD): "),
                                url->user);
              return NULL;
            }
        }
    }
  return g_steal_pointer (&target);
}

typedef struct {
  FerryClient     *client;
  char            *host;
  guint16          port;
  FerryTlsMode     tls_mode;
  char            *user;
  char            *password;
  GTlsCertificate *accepted_once;   /* trusted for this run only, after asking */
  gboolean         asked;
} OpenRun;

static void
open_run_free (OpenRun *run)
{
  g_clear_object (&run->client);
  g_clear_object (&run->accepted_once);
  g_free (run->host);
  g_free (run->user);
  g_free (run->password);
  g_free (run);
}

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ferry_client_login_finish (run->client, result, &error))
    {
      if (run->user != NULL)
        g_prefix_error (&error, _("cannot log in as %s: "), run->user);
      else
        g_prefix_error_literal (&error, _("cannot log in anonymously: "));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_object_ref (run->client), g_object_unref);
}

static void start_connect (GTask *task);

static gboolean
on_accept_certificate (FerryClient          *client,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  OpenRun *run = user_data;

  return run->accepted_once != NULL && g_tls_certificate_is_same (certificate, run->accepted_once);
}

typedef enum {
  CERTIFICATE_RETRY,        /* the person trusts it: connect again */
  CERTIFICATE_DECLINED,
  CERTIFICATE_NOT_ASKED,    /* no terminal to ask on */
} CertificateAnswer;

/* An untrusted certificate: ask the person, as ssh does for an unknown host key. */
static CertificateAnswer
ask_about_certificate (OpenRun *run)
{
  GTlsCertificate *certificate = ferry_client_get_peer_certificate (run->client);
  g_autofree char *fingerprint = NULL;
  g_autofree char *question = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GError) ask_error = NULL;

  if (certificate == NULL || run->asked)
    return CERTIFICATE_DECLINED;
  run->asked = TRUE;

  fingerprint = ferry_certificate_fingerprint (certificate);
  question = g_strdup_printf (_("The TLS certificate of %s is not trusted.\n"
                                "SHA-256 fingerprint: %s\n"
                                "Trust it? [y] this time, [a] always, [N] no: "),
                              run->host, fingerprint);
  answer = ferry_cli_ask_line (question, &ask_error);
  if (g_error_matches (ask_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return CERTIFICATE_NOT_ASKED;
  if (answer == NULL)
    return CERTIFICATE_DECLINED;
  g_strstrip (answer);

  if (g_ascii_strcasecmp (answer, "a") == 0)
    {
      g_autoptr(GError) error = NULL;

      if (!ferry_client_trust_certificate (run->client, certificate, &error))
        {
          g_autofree char *message = ferry_cli_escape (error->message);

          g_printerr ("ferry-cli: %s\n", message);
        }
      return CERTIFICATE_RETRY;
    }
  if (g_ascii_strcasecmp (answer, "y") == 0)
    {
      g_set_object (&run->accepted_once, certificate);
      return CERTIFICATE_RETRY;
    }
  return CERTIFICATE_DECLINED;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenRun *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *reason = NULL;

  if (!ferry_client_connect_finish (run->client, result, &error))
    {
      /* A changed certificate is refused outright, as OpenSSH refuses a changed host key:
       * no question whose "yes" would replace the pin. */
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_CHANGED)
          && ferry_client_get_peer_certificate (run->client) != NULL)
        {
          g_autofree char *presented =
            ferry_certificate_fingerprint (ferry_client_get_peer_certificate (run->client));
          g_autofree char *command = ferry_cli_certificate_forget_command (run->host, run->port);

          ferry_cli_certificate_warn_changed (run->host, run->port,
                                              ferry_client_get_pinned_fingerprint (run->client),
                                              presented);
          g_task_return_new_error (task, error->domain, error->code,
                                   _("cannot connect to %s port %u: its certificate has "
                                     "changed (see above); to trust the new one: %s"),
                                   run->host, (guint) run->port, command);
          g_error_free (error);
          return;
        }
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED))
        {
          switch (ask_about_certificate (run))
            {
            case CERTIFICATE_RETRY:
              g_error_free (error);
              start_connect (task);
              return;
            case CERTIFICATE_NOT_ASKED:
              {
                GError *hinted = g_error_new (error->domain, error->code,
                                              _("%s (run ferry-cli on a terminal once to check "
                                                "the certificate and accept it)"),
                                              error->message);

                g_error_free (error);
                error = hinted;
              }
              break;
            case CERTIFICATE_DECLINED:
            default:
              break;
            }
        }
      reason = ferry_cli_error_connect_reason (error);
      if (reason != NULL)
        {
          GError *explained = g_error_new (error->domain, error->code,
                                           _("cannot connect to %s port %u: %s"),
                                           run->host, (guint) run->port, reason);

          g_error_free (error);
          error = explained;
        }
      /* The engine's message usually names the server already; say it only once. */
      else if (strstr (error->message, run->host) == NULL)
        g_prefix_error (&error, _("cannot connect to %s port %u: "), run->host, (guint) run->port);
      g_task_return_error (task, error);
      return;
    }
  ferry_client_login_async (run->client, run->user, run->password,
                            g_task_get_cancellable (task), on_logged_in, g_object_ref (task));
}

/* A fresh client for each attempt: one that failed a handshake is not reused. */
static void
start_connect (GTask *task)
{
  OpenRun *run = g_task_get_task_data (task);

  g_clear_object (&run->client);
  run->client = ferry_client_new ();
  g_signal_connect (run->client, "accept-certificate", G_CALLBACK (on_accept_certificate), run);
  ferry_client_connect_async (run->client, run->host, run->port, run->tls_mode,
                              g_task_get_cancellable (task), on_connected, g_object_ref (task));
}

void
ferry_cli_open_async (const FerryCliTarget *target,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenRun *run = g_new0 (OpenRun, 1);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_cli_open_async));

  run->host = g_strdup (target->url->host);
  run->port = target->url->port;
  run->tls_mode = target->url->tls_mode;
  run->user = g_strdup (target->url->user);
  run->password = g_strdup (target->url->password);
  g_task_set_task_data (task, run, (GDestroyNotify) open_run_free);
  start_connect (task);
}

FerryClient *
ferry_cli_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_cli_open_async)),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
