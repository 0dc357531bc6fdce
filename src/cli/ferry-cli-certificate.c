// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-certificate.c — a changed certificate is a warning, not a question. */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-config.h"

#include "ferry-cli-certificate.h"
#include "ferry-cli-escape.h"
#include "ferry-client.h"
#include "ferry-url.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

char *
ferry_cli_certificate_forget_command (const char *host,
                                      guint16     port)
{
  g_autofree char *name = ferry_trust_store_name (host, port);

  return g_strdup_printf ("ferry-cli forget-certificate %s", name);
}

void
ferry_cli_certificate_warn_changed (const char *host,
                                    guint16     port,
                                    const char *pinned,
                                    const char *presented)
{
  g_autofree char *command = ferry_cli_certificate_forget_command (host, port);
  g_autofree char *shown_host = ferry_cli_escape (host);

  fputs ("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n", stderr);
  /* Translators: keep it short and loud; it sits in a frame of "@". */
  fprintf (stderr, "%s\n", _("@    WARNING: THE SERVER’S CERTIFICATE HAS CHANGED!        @"));
  fputs ("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n", stderr);
  fprintf (stderr,
           _("IT IS POSSIBLE THAT SOMEONE IS INTERCEPTING THE CONNECTION!\n"
             "%s port %u presented a TLS certificate other than the one you chose to\n"
             "trust always. Either someone is in the middle of the connection, or the\n"
             "server's administrator replaced the certificate.\n"
             "Trusted certificate:  SHA-256 %s\n"
             "Presented now:        SHA-256 %s\n"
             "The connection was refused. If the administrator confirms the new\n"
             "fingerprint, forget the old certificate and connect again:\n"
             "  %s\n"),
           shown_host, (guint) port, pinned, presented, command);
  fflush (stderr);
}

/* "HOST", "HOST:PORT", "[::1]:PORT" or a whole URL: all name a server as URLs do. */
static FerryUrl *
parse_target (const char  *target,
              GError     **error)
{
  g_autofree char *url = NULL;

  if (strstr (target, "://") != NULL)
    return ferry_url_parse (target, error);
  url = g_strconcat ("ftp://", target, "/", NULL);
  return ferry_url_parse (url, error);
}

int
ferry_cli_certificate_forget (const char *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryTrustStore) store = ferry_trust_store_new (NULL);
  g_autofree char *name = NULL;
  g_autoptr(FerryUrl) url = parse_target (target, &error);

  if (url == NULL)
    {
      g_autofree char *message = ferry_cli_escape (error->message);

      fprintf (stderr, "ferry-cli: %s\n", message);
      return 2;
    }
  name = ferry_trust_store_name (url->host, url->port);
  if (!ferry_trust_store_forget (store, url->host, url->port, &error))
    {
      g_autofree char *message = ferry_cli_escape (error->message);

      fprintf (stderr, "ferry-cli: %s\n", message);
      return 1;
    }
  printf (_("Forgot the certificate of %s. The next connection asks about the one it "
            "presents.\n"), name);
  return 0;
}
