// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-connect-page.h — the first screen: server, login, TLS, recent servers. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECT_PAGE (ferry_connect_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectPage, ferry_connect_page, FERRY, CONNECT_PAGE, GtkWidget)

GtkWidget  *ferry_connect_page_new           (void);
const char *ferry_connect_page_get_server    (FerryConnectPage *self);
const char *ferry_connect_page_get_user      (FerryConnectPage *self);
const char *ferry_connect_page_get_password  (FerryConnectPage *self);
gboolean    ferry_connect_page_get_anonymous (FerryConnectPage *self);
gboolean    ferry_connect_page_get_tls       (FerryConnectPage *self);
void        ferry_connect_page_fill          (FerryConnectPage *self,
                                              const char       *server,
                                              const char       *user,
                                              const char       *password,
                                              gboolean          tls);
void        ferry_connect_page_set_password  (FerryConnectPage *self,
                                              const char       *password);
void        ferry_connect_page_set_busy      (FerryConnectPage *self,
                                              gboolean          busy);
void        ferry_connect_page_show_error    (FerryConnectPage *self,
                                              const char       *title,
                                              const char       *detail);
void        ferry_connect_page_clear_error   (FerryConnectPage *self);
const char *ferry_connect_page_get_error     (FerryConnectPage *self);
const char *ferry_connect_page_get_error_detail (FerryConnectPage *self);
void        ferry_connect_page_focus_first   (FerryConnectPage *self);
void        ferry_connect_page_focus_password (FerryConnectPage *self);
GListModel *ferry_connect_page_get_discovered (FerryConnectPage *self);

G_END_DECLS
