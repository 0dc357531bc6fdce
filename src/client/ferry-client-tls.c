// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-tls.c — wrapping control and data connections in TLS: certificate checks
 * against the trust store, the accept-certificate signal, session reuse on data channels. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

/* TLS ------------------------------------------------------------------------------------- */

static gboolean
control_accept_certificate (GTlsConnection       *connection,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            gpointer              data)
{
  FerryClient *self = data;
  gboolean accepted = FALSE;
  FerryTrustState state;

  self->certificate_judged = TRUE;

  g_set_object (&self->peer_certificate, certificate);
  g_clear_pointer (&self->pinned_fingerprint, g_free);
  if (self->accepted_certificate != NULL
      && g_tls_certificate_is_same (self->accepted_certificate, certificate))
    return TRUE;
  state = ferry_trust_store_lookup (ferry_client_get_trust_store (self), self->host, self->port,
                                    certificate, &self->pinned_fingerprint);
  if (state == FERRY_TRUST_MATCHES)
    return TRUE;
  /* CHANGED: the handler may still accept it ("connect anyway", once), but a refusal is
   * reported as TLS_CHANGED, never as a first visit. */
  g_signal_emit_by_name (self, "accept-certificate", certificate, errors, &accepted);
  if (accepted)
    g_set_object (&self->accepted_certificate, certificate);
  return accepted;
}

static gboolean
data_accept_certificate (GTlsConnection       *connection,
                         GTlsCertificate      *certificate,
                         GTlsCertificateFlags  errors,
                         gpointer              data)
{
  FerryClient *self = data;

  /* The data channel must present the certificate already accepted for the session. */
  return self->peer_certificate != NULL
         && g_tls_certificate_is_same (self->peer_certificate, certificate);
}

GIOStream *
_ferry_client_wrap_tls (FerryClient  *self,
                        GIOStream    *base,
                        gboolean      for_data,
                        GError      **error)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);
  g_autoptr(GError) local_error = NULL;
  GIOStream *tls;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                   _("Encryption is not available on this system (no TLS support in GIO; "
                     "install glib-networking)"));
      return NULL;
    }
  tls = g_tls_client_connection_new (base, identity, &local_error);
  if (tls == NULL)
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                   _("Could not start encryption: %s"), local_error->message);
      return NULL;
    }
  if (for_data)
    {
      if (G_IS_TLS_CLIENT_CONNECTION (self->control))
        g_tls_client_connection_copy_session_state (G_TLS_CLIENT_CONNECTION (tls),
                                                    G_TLS_CLIENT_CONNECTION (self->control));
      g_signal_connect_object (tls, "accept-certificate",
                               G_CALLBACK (data_accept_certificate), self, 0);
    }
  else
    {
      self->certificate_judged = FALSE;
      g_signal_connect_object (tls, "accept-certificate",
                               G_CALLBACK (control_accept_certificate), self, 0);
    }
  return tls;
}

gboolean
_ferry_client_check_resumed_certificate (FerryClient     *self,
                                         GTlsConnection  *connection,
                                         GError         **error)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificate *certificate = g_tls_connection_get_peer_certificate (connection);
  GTlsDatabase *database;
  GTlsCertificateFlags errors;

  /* A handshake that resumed an earlier session (GIO's TLS backend keeps them per server
   * for the whole process, across FerryClients) exchanges no certificate, so
   * accept-certificate never ran: a certificate accepted "once" would be trusted again
   * without asking. The resumed session's certificate is judged here as a new one is. */
  if (self->certificate_judged)
    return TRUE;
  if (certificate == NULL)
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED,
                   _("%s presented no certificate"), self->host);
      return FALSE;
    }
  identity = g_network_address_new (self->host, self->port);
  database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  errors = database == NULL ? G_TLS_CERTIFICATE_UNKNOWN_CA
           : g_tls_database_verify_chain (database, certificate,
                                          G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                          NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_clear_object (&database);
  if (errors == 0 || control_accept_certificate (connection, certificate, errors, self))
    return TRUE;
  *error = _ferry_client_tls_error (self, g_error_new_literal (G_TLS_ERROR,
                                                               G_TLS_ERROR_BAD_CERTIFICATE,
                                                               "resumed session"));
  return FALSE;
}

gboolean
_ferry_client_check_tls_version (FerryClient     *self,
                                 GTlsConnection  *connection,
                                 GError         **error)
{
  GTlsProtocolVersion version = g_tls_connection_get_protocol_version (connection);

  /* TLS 1.0 and 1.1 are deprecated (RFC 8996); GIO cannot refuse them in the handshake, so
   * a server that chose one is refused before anything (a password) is sent. */
  if (version == G_TLS_PROTOCOL_VERSION_TLS_1_2 || version == G_TLS_PROTOCOL_VERSION_TLS_1_3
      || version == G_TLS_PROTOCOL_VERSION_UNKNOWN)
    return TRUE;
  g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
               _("%s offers only an old, insecure TLS version (1.1 or older): the server "
                 "must allow TLS 1.2 or 1.3"), self->host);
  return FALSE;
}

GError *
_ferry_client_tls_error (FerryClient *self, GError *error)
{
  GError *translated;

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)
      && self->pinned_fingerprint != NULL)
    translated = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_CHANGED,
                              _("The certificate of %s has changed since you chose to trust it; "
                                "someone may be intercepting the connection"), self->host);
  else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    translated = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED,
                              _("The certificate of %s is not trusted"), self->host);
  else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    translated = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                              _("%s does not speak TLS on this port"), self->host);
  else
    translated = ferry_client_error_from_io (error, _("setting up encryption"));
  g_error_free (error);
  return translated;
}
