// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-certificate-changed-dialog.c — a changed certificate is a warning, not a question. */
#define G_LOG_DOMAIN "ferry"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-certificate-changed-dialog.h"

AdwMessageDialog *
ferry_certificate_changed_dialog_new (GtkWindow  *parent,
                                      const char *server,
                                      const char *pinned,
                                      const char *presented)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/ferryftp/Ferry/ferry-certificate-changed-dialog.ui");
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("%s presented a certificate other than the one you chose to trust. "
                            "Someone may be intercepting the connection to read your password "
                            "and files, or the server’s administrator replaced the certificate. "
                            "Do not go on unless the administrator confirms the new "
                            "fingerprint."), server);
  adw_message_dialog_set_body (dialog, body);
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "pinned")), pinned);
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "presented")), presented);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  return dialog;
}
