// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-tls.c — AUTH TLS, PBSZ, PROT, and TLS handshakes on control and data connections. */
#define G_LOG_DOMAIN "ferryd-tls"

#include "ferry-config.h"

#include "ferryd-tls.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "ferryd-tls-loader.h"

/* The zygote's secret, inherited by every session it forks
 * (see ferryd_tls_prepare_ticket_secret). */
static guint8 ticket_secret[32];
static gboolean have_ticket_secret;

void
ferryd_tls_prepare_ticket_secret (void)
{
  have_ticket_secret = getrandom (ticket_secret, sizeof ticket_secret, 0) == sizeof ticket_secret;
}

/* The session's TLS ticket key: derived from the zygote's secret and the client's address,
 * so that sibling connections of one client resume each other's sessions; NULL (a key of
 * the session's own) without a secret. */
static guint8 *
derive_ticket_key (FerrydSession *self)
{
  guint8 *key = g_malloc (FERRYD_TLS_TICKET_KEY_SIZE);

  if (!have_ticket_secret)
    {
      g_free (key);
      return NULL;
    }
  for (guint block = 0; block * 32 < FERRYD_TLS_TICKET_KEY_SIZE; block++)
    {
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, ticket_secret, sizeof ticket_secret);
      guint8 digest[32];
      gsize length = sizeof digest;
      guint8 counter = (guint8) block;

      g_hmac_update (hmac, &counter, 1);
      g_hmac_update (hmac, (const guchar *) self->peer_host, (gssize) strlen (self->peer_host));
      g_hmac_get_digest (hmac, digest, &length);
      memcpy (key + block * 32, digest, MIN (32, FERRYD_TLS_TICKET_KEY_SIZE - block * 32));
    }
  return key;
}

gboolean
ferryd_tls_wrap (FerrydSession  *self,
                 FerrydChannel  *channel,
                 GError        **error)
{
  FerrydTlsStream *tls;
  gboolean for_data = channel != self->control;
  int fd = dup (ferryd_channel_get_fd (channel));

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRYD_ERROR, ferryd_error_from_errno (saved_errno),
                   "Cannot start TLS: %s", g_strerror (saved_errno));
      return FALSE;
    }
  tls = self->tls_module->accept (self->tls_credentials, fd, for_data,
                                  self->config->data_timeout, error);
  if (tls == NULL)
    return FALSE;

  /* Whoever opens a data connection without a TLS session of this client is not known to be
   * the client (data connection theft): refused, as vsftpd and ProFTPD do. */
  if (for_data && !self->tls_module->resumed (tls) && !self->config->tls_allow_no_reuse)
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "FERRYD_PEER", self->peer_host,
                        "MESSAGE", "%s: refused a protected data connection that did not resume "
                        "the control connection's TLS session", self->peer_host);
      self->tls_module->close (tls, self->config->data_timeout);
      self->tls_module->free (tls);
      g_set_error_literal (error, FERRYD_ERROR, FERRYD_ERROR_FAILED,
                           _("the data connection did not resume the control connection’s TLS "
                             "session (required against data connection theft; ferryd "
                             "--tls-allow-no-reuse accepts such clients)"));
      return FALSE;
    }
  if (self->config->verbose)
    {
      g_autofree char *description = self->tls_module->describe (tls);

      g_debug ("%s: %s connection: %s", self->peer_host, for_data ? "data" : "control",
               description);
    }

  ferryd_channel_set_tls (channel, self->tls_module, tls);
  return TRUE;
}

/* The module and the certificate, on the session's first AUTH TLS. */
static gboolean
load_credentials (FerrydSession *self)
{
  g_autoptr(GError) error = NULL;

  if (self->tls_credentials != NULL)
    return TRUE;

  self->tls_module = ferryd_tls_loader_get (&error);
  if (self->tls_module == NULL)
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  {
    g_autofree guint8 *ticket_key = derive_ticket_key (self);

    self->tls_credentials = self->tls_module->load_credentials (self->config->tls_cert_file,
                                                                self->config->tls_key_file,
                                                                self->config->tls_min_version,
                                                                ticket_key,
                                                                &error);
    if (ticket_key != NULL)
      memset (ticket_key, 0, FERRYD_TLS_TICKET_KEY_SIZE);
  }
  if (self->tls_credentials == NULL)
    {
      g_warning ("Cannot load the TLS certificate %s: %s",
                 self->config->tls_cert_file, error->message);
      return FALSE;
    }
  return TRUE;
}

void
ferryd_session_cmd_auth (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(GError) error = NULL;

  if (self->config->tls_cert_file == NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_NOT_IMPLEMENTED,
                            _("TLS is not configured on this server."));
      return;
    }
  if (g_ascii_strcasecmp (command->arg, "TLS") != 0
      && g_ascii_strcasecmp (command->arg, "TLS-C") != 0
      && g_ascii_strcasecmp (command->arg, "SSL") != 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                            _("Unknown security mechanism “%s”: use AUTH TLS."),
                            command->arg);
      return;
    }
  if (ferryd_channel_is_tls (self->control))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("TLS is already active."));
      return;
    }
  if (self->user != NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Send AUTH TLS before logging in."));
      return;
    }
  /* Bytes sent in clear after AUTH would pass for commands sent under TLS (the STARTTLS
   * injection): a client that does this is not one to talk to. */
  if (ferry_command_reader_pending (self->reader) > 0 || !g_queue_is_empty (&self->deferred))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE,
                            _("Commands after AUTH TLS must wait for its reply."));
      self->quit = TRUE;
      return;
    }
  if (!load_credentials (self))
    {
      ferryd_session_reply (self, FERRY_REPLY_SECURITY_UNAVAILABLE,
                            _("TLS is unavailable: the server’s certificate cannot be loaded."));
      return;
    }

  if (!ferryd_session_reply (self, FERRY_REPLY_AUTH_OK, _("Proceed with TLS negotiation.")))
    return;
  if (!ferryd_tls_wrap (self, self->control, &error))
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "FERRYD_PEER", self->peer_host,
                        "MESSAGE", "%s: TLS handshake failed: %s", self->peer_host, error->message);
      self->quit = TRUE;
      return;
    }
  g_clear_pointer (&self->pending_user, g_free);
}

void
ferryd_session_cmd_pbsz (FerrydSession *self,
                         FerryCommand  *command)
{
  if (!ferryd_channel_is_tls (self->control))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Send AUTH TLS first."));
      return;
    }
  self->pbsz_done = TRUE;
  ferryd_session_reply (self, FERRY_REPLY_OK, "PBSZ=0");
}

void
ferryd_session_cmd_prot (FerrydSession *self,
                         FerryCommand  *command)
{
  if (!self->pbsz_done)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Send PBSZ first."));
      return;
    }
  if (g_ascii_strcasecmp (command->arg, "P") == 0)
    {
      self->protect_data = TRUE;
      ferryd_session_reply (self, FERRY_REPLY_OK, _("Data connections will be protected."));
    }
  else if (g_ascii_strcasecmp (command->arg, "C") == 0)
    {
      if (self->config->require_tls)
        {
          ferryd_session_reply (self, FERRY_REPLY_POLICY_REFUSED,
                                _("This server requires protected data connections (PROT P)."));
          return;
        }
      self->protect_data = FALSE;
      ferryd_session_reply (self, FERRY_REPLY_OK, _("Data connections will be in clear."));
    }
  else if (g_ascii_strcasecmp (command->arg, "S") == 0
           || g_ascii_strcasecmp (command->arg, "E") == 0)
    ferryd_session_reply (self, FERRY_REPLY_PROT_UNSUPPORTED,
                          _("Only PROT P and PROT C are supported."));
  else
    ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                          _("Unknown protection level “%s”."), command->arg);
}
