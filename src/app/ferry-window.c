// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window.c — one window browsing one server: connecting, the header bar and moving
 * between folders. File operations are in ferry-window-actions.c, transfers in
 * ferry-window-transfers.c, drag and drop in ferry-window-dnd.c.
 *
 * Connecting: parse what the user typed (FerryUrl), fetch a stored password from the
 * keyring when none was given, connect, and on an untrusted certificate ask (Trust Once,
 * Always Trust, Cancel) and connect again. Errors stay on the connect page with the form
 * filled in. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-share-window.h"

#include <glib/gi18n.h>

#include "ferry-breadcrumbs.h"
#include "ferry-certificate-changed-dialog.h"
#include "ferry-secrets.h"
#include "ferry-settings.h"
#include "ferry-window-private.h"

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

/* What the header bar and the pages show follows these (bound in ferry-window.ui); they
 * are recomputed together by _ferry_window_sync_state(). */
enum {
  PROP_0,
  PROP_CONNECTING,
  PROP_CONNECTED,
  PROP_BROWSING,
  PROP_BUSY,
  PROP_CAN_GO_UP,
  PROP_CAN_GO_BACK,
  PROP_HAS_SERVER,
  PROP_HAS_TRANSFERS,
  PROP_RECONNECTING,
  PROP_SHOW_HIDDEN,
  PROP_NARROW,
  N_PROPS
};

/* After a drop the window reconnects by itself, waiting 1, 2, 4 then 8 s before the
 * tries, as GNOME Files does; the Connection Lost page (Reconnect / Other Server) comes
 * only when they all failed or the user cancelled. */
#define RECONNECT_TRIES 4

static GParamSpec *properties[N_PROPS];

static void ferry_window_connect (FerryWindow *self);

static const char *
protocol_name (const FerryUrl *url)
{
  return url->tls_mode == FERRY_TLS_MODE_NONE ? "ftp" : "ftps";
}

/* "host" or "host:port" as a person would type it back into the server field. */
static char *
server_display_text (const FerryUrl *url)
{
  guint16 default_port = url->tls_mode == FERRY_TLS_MODE_IMPLICIT
                         ? FERRY_URL_DEFAULT_IMPLICIT_PORT : FERRY_URL_DEFAULT_PORT;

  return ferry_url_format_address (url->host, url->port, default_port);
}

gboolean
ferry_window_is_connected (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), FALSE);

  return self->client != NULL && ferry_client_is_logged_in (self->client);
}

/* Puts the keyboard where the user starts: the server field, or the file list. */
void
ferry_window_focus_default (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browse") == 0)
    gtk_widget_grab_focus (ferry_file_list_get_view (self->file_list));
  else
    ferry_connect_page_focus_first (self->connect_page);
}

void
_ferry_window_show_toast (FerryWindow *self,
                         const char  *title)
{
  /* Toast titles are markup; file names and server replies are not. */
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  _ferry_window_add_toast (self, adw_toast_new (escaped), title);
}

/* Every toast goes through here; title is its text as a person reads it. */
void
_ferry_window_add_toast (FerryWindow *self,
                         AdwToast    *toast,
                         const char  *title)
{
  self->n_toasts++;
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* "Could not delete “a.txt”: Permission denied" — what failed, then the engine's words. */
void
_ferry_window_show_error_toast (FerryWindow  *self,
                               const char   *what,
                               const GError *error)
{
  g_autofree char *title = g_strdup_printf ("%s: %s", what, error->message);

  _ferry_window_show_toast (self, title);
}

char *
_ferry_window_remote_child (FerryWindow *self,
                           const char  *name)
{
  return ferry_vpath_join (self->current_path ? self->current_path : "/", name);
}

static void
set_state (FerryWindow *self,
           gboolean    *field,
           gboolean     value,
           guint        prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* The narrow layout (ferry-window-adaptive.c decides when). */
void
_ferry_window_set_narrow (FerryWindow *self,
                          gboolean     narrow)
{
  set_state (self, &self->narrow, narrow, PROP_NARROW);
}

/* Recomputes the state properties from the connection, the folder shown and the queue,
 * and the actions that follow them. */
void
_ferry_window_sync_state (FerryWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean connected = ferry_window_is_connected (self);
  gboolean browsing = connected && self->current_path != NULL;
  gboolean has_queue = self->queue != NULL;

  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, &self->connected, connected, PROP_CONNECTED);
  set_state (self, &self->browsing, browsing, PROP_BROWSING);
  set_state (self, &self->busy, self->connecting || self->loading, PROP_BUSY);
  set_state (self, &self->can_go_up,
             browsing && g_strcmp0 (self->current_path, "/") != 0, PROP_CAN_GO_UP);
  set_state (self, &self->can_go_back,
             browsing && self->back_history->len > 0, PROP_CAN_GO_BACK);
  set_state (self, &self->has_server, self->server != NULL, PROP_HAS_SERVER);
  set_state (self, &self->has_transfers,
             has_queue && g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0,
             PROP_HAS_TRANSFERS);
  g_object_thaw_notify (G_OBJECT (self));

  gtk_widget_action_set_enabled (widget, "win.refresh", browsing);
  gtk_widget_action_set_enabled (widget, "win.location", browsing);
  gtk_widget_action_set_enabled (widget, "win.find", browsing);
  gtk_widget_action_set_enabled (widget, "win.open-folder", browsing);
  gtk_widget_action_set_enabled (widget, "win.go-up", self->can_go_up);
  gtk_widget_action_set_enabled (widget, "win.go-back", self->can_go_back);
  gtk_widget_action_set_enabled (widget, "win.reconnect", self->server != NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-connect", self->connecting);
  gtk_widget_action_set_enabled (widget, "win.disconnect",
                                 self->client != NULL || self->server != NULL);
  gtk_widget_action_set_enabled (widget, "win.show-progress", has_queue);
  gtk_widget_action_set_enabled (widget, "win.cancel-all", has_queue);
  gtk_widget_action_set_enabled (widget, "win.retry-failed", has_queue);
  _ferry_window_sync_file_actions (self);
}

static void
ferry_window_set_connecting (FerryWindow *self,
                             gboolean     connecting)
{
  self->connecting = connecting;
  _ferry_window_sync_state (self);
}

static void
ferry_window_set_loading (FerryWindow *self,
                          gboolean     loading)
{
  self->loading = loading;
  _ferry_window_sync_state (self);
}

/* Breadcrumbs ------------------------------------------------------------------------- */

static void
ferry_window_update_location (FerryWindow *self)
{
  g_autofree char *host = NULL;

  if (self->current_path == NULL || self->server == NULL)
    {
      ferry_breadcrumbs_show (self->breadcrumbs, NULL, NULL, &self->crumbs_branch);
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (self->title_stack, "title");
      gtk_window_set_title (GTK_WINDOW (self), _("Ferry"));
      return;
    }

  host = server_display_text (self->server);
  ferry_breadcrumbs_show (self->breadcrumbs, host, self->current_path, &self->crumbs_branch);

  gtk_editable_set_text (GTK_EDITABLE (self->location_entry), self->current_path);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->title_stack), "location") != 0)
    gtk_stack_set_visible_child_name (self->title_stack, "breadcrumbs");

  {
    g_autofree char *title = g_strdup_printf ("%s — %s", self->current_path, host);
    gtk_window_set_title (GTK_WINDOW (self), title);
  }
}

static void
on_location_activate (FerryWindow *self,
                      GtkEntry    *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *path = NULL;

  gtk_stack_set_visible_child_name (self->title_stack, "breadcrumbs");
  if (text[0] == '\0')
    return;

  /* A relative location is relative to the folder shown. */
  path = text[0] == '/' ? g_strdup (text) : _ferry_window_remote_child (self, text);
  _ferry_window_load_folder (self, path, TRUE);
  gtk_widget_grab_focus (ferry_file_list_get_view (self->file_list));
}

/* Escape in the location entry goes back to the breadcrumbs. */
static gboolean
on_location_key_pressed (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         FerryWindow           *self)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;

  ferry_window_update_location (self);
  gtk_stack_set_visible_child_name (self->title_stack, "breadcrumbs");
  gtk_widget_grab_focus (ferry_file_list_get_view (self->file_list));
  return TRUE;
}

/* Browsing ---------------------------------------------------------------------------- */

static void
ferry_window_set_reconnecting (FerryWindow *self,
                               gboolean     reconnecting)
{
  if (self->reconnecting == reconnecting)
    return;
  self->reconnecting = reconnecting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECTING]);
}

static void
ferry_window_stop_reconnecting (FerryWindow *self)
{
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_tries = 0;
  ferry_window_set_reconnecting (self, FALSE);
}

static gboolean
reconnect_now (gpointer data)
{
  FerryWindow *self = data;

  self->reconnect_source = 0;
  ferry_window_connect (self);
  return G_SOURCE_REMOVE;
}

/* The page that says the connection is gone: while tries are left it says when the next
 * one comes (and offers Cancel); then it offers Reconnect and Other Server. */
static void
ferry_window_show_lost (FerryWindow  *self,
                        const GError *error)
{
  g_autofree char *host = NULL;
  g_autofree char *description = NULL;

  /* One drop is often reported twice (the failed command, then "connected" going FALSE):
   * a try is already planned. */
  if (self->reconnect_source != 0)
    return;

  host = self->server ? server_display_text (self->server) : NULL;
  if (self->server != NULL && self->reconnect_tries < RECONNECT_TRIES)
    {
      guint delay = 1u << self->reconnect_tries;

      self->reconnect_tries++;
      description = g_strdup_printf (_("The connection to %s was lost. Trying again in %u s "
                                       "(%u of %u)…"),
                                     host, delay, self->reconnect_tries, RECONNECT_TRIES);
      adw_status_page_set_title (self->lost_page, _("Reconnecting…"));
      g_clear_handle_id (&self->reconnect_source, g_source_remove);
      self->reconnect_source = g_timeout_add_seconds (delay, reconnect_now, self);
      ferry_window_set_reconnecting (self, TRUE);
    }
  else
    {
      ferry_window_stop_reconnecting (self);
      if (error != NULL)
        description = g_strdup_printf (_("The connection to %s was lost: %s"), host,
                                       error->message);
      else
        description = g_strdup_printf (_("The connection to %s was lost."), host);
      adw_status_page_set_title (self->lost_page, _("Connection Lost"));
    }

  adw_status_page_set_description (self->lost_page, description);
  gtk_stack_set_visible_child_name (self->main_stack, "lost");
  _ferry_window_sync_state (self);
}

static gboolean
is_connection_error (const GError *error)
{
  return g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT);
}

typedef struct {
  FerryWindow *self;
  char        *path;
  gboolean     remember;
} LoadFolder;

static void
load_folder_free (LoadFolder *load)
{
  g_object_unref (load->self);
  g_free (load->path);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadFolder, load_folder_free)

/* The name of the child of folder that previous lies in ("b" for /a/b/c in /a), or NULL
 * when previous is not below folder. */
static char *
came_from_child (const char *previous,
                 const char *folder)
{
  gsize len;
  const char *rest;
  const char *slash;

  if (previous == NULL || folder == NULL || g_strcmp0 (previous, folder) == 0)
    return NULL;

  len = strlen (folder);
  if (strncmp (previous, folder, len) != 0)
    return NULL;
  rest = previous + len;
  if (folder[len - 1] != '/')
    {
      if (rest[0] != '/')
        return NULL;
      rest++;
    }
  if (rest[0] == '\0')
    return NULL;
  slash = strchr (rest, '/');
  return slash ? g_strndup (rest, slash - rest) : g_strdup (rest);
}

static void
on_list_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LoadFolder) load = user_data;
  FerryWindow *self = load->self;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *came_from = NULL;
  gboolean was_browsing;

  entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  ferry_window_set_loading (self, FALSE);
  if (entries == NULL)
    {
      if (is_connection_error (error))
        ferry_window_show_lost (self, error);
      else
        {
          _ferry_window_show_error_toast (self, _("Could not list the folder"), error);
          if (ferry_file_list_get_folder (self->file_list) != NULL)
            ferry_file_list_set_entries (self->file_list,
                                         ferry_file_list_get_folder (self->file_list),
                                         g_ptr_array_new ());
        }
      return;
    }

  if (load->remember && self->current_path != NULL &&
      g_strcmp0 (self->current_path, load->path) != 0)
    g_ptr_array_add (self->back_history, g_strdup (self->current_path));

  /* Going up (Parent Folder, Back, a breadcrumb) selects the folder the user came from,
   * as GNOME Files does. */
  came_from = came_from_child (self->current_path, load->path);

  g_free (self->current_path);
  self->current_path = g_strdup (load->path);

  was_browsing = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browse") == 0;
  ferry_file_list_set_entries (self->file_list, load->path, entries);
  if (came_from != NULL)
    ferry_file_list_select_name (self->file_list, came_from);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  if (!was_browsing)
    gtk_widget_grab_focus (ferry_file_list_get_view (self->file_list));
  ferry_window_update_location (self);
  _ferry_window_sync_state (self);
}

static void
on_change_directory_done (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(LoadFolder) load = user_data;
  FerryWindow *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = ferry_client_change_directory_finish (FERRY_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (path == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("Could not open “%s”"), load->path);

      ferry_window_set_loading (self, FALSE);
      if (is_connection_error (error))
        ferry_window_show_lost (self, error);
      else
        {
          _ferry_window_show_error_toast (self, what, error);
          /* Still on the old folder: show it again instead of the spinner. */
          if (self->current_path != NULL)
            _ferry_window_load_folder (self, self->current_path, FALSE);
        }
      return;
    }

  g_free (load->path);
  load->path = g_steal_pointer (&path);
  ferry_client_list_async (self->client, NULL, self->cancellable, on_list_done,
                           g_steal_pointer (&load));
}

/* Opens path on the server (CWD, so the server normalises it and says when it is no
 * folder) and lists it. remember: put the folder shown now on the Back history. */
void
_ferry_window_load_folder (FerryWindow *self,
                          const char  *path,
                          gboolean     remember)
{
  LoadFolder *load;

  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (!ferry_window_is_connected (self))
    return;

  load = g_new0 (LoadFolder, 1);
  load->self = g_object_ref (self);
  load->path = g_strdup (path);
  load->remember = remember;

  ferry_window_set_loading (self, TRUE);
  if (g_strcmp0 (path, ferry_file_list_get_folder (self->file_list)) != 0)
    ferry_file_list_set_loading (self->file_list);
  ferry_client_change_directory_async (self->client, path, self->cancellable,
                                       on_change_directory_done, load);
}

void
_ferry_window_refresh (FerryWindow *self)
{
  g_return_if_fail (FERRY_IS_WINDOW (self));

  if (self->current_path != NULL)
    _ferry_window_load_folder (self, self->current_path, FALSE);
}

static void
on_file_activated (FerryWindow     *self,
                   FerryRemoteFile *file,
                   FerryFileList   *list)
{
  if (ferry_remote_file_is_folder (file))
    _ferry_window_load_folder (self, ferry_remote_file_get_path (file), TRUE);
  else
    _ferry_window_download (self, ferry_remote_file_get_path (file), FALSE, NULL);
}

static void
on_selection_changed (FerryWindow *self)
{
  _ferry_window_sync_state (self);
}

/* Connecting -------------------------------------------------------------------------- */

static void
ferry_window_connect_failed (FerryWindow  *self,
                             const GError *error)
{
  g_autofree char *host = self->server ? server_display_text (self->server) : g_strdup ("");
  g_autofree char *title = NULL;
  const char *detail = error->message;

  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_LOGIN_FAILED))
    {
      title = g_strdup (_("Wrong user name or password"));
      detail = _("Check them and try again. User names and passwords are case-sensitive.");
    }
  /* For these the engine's message is socket talk ("Could not connect to 127.0.0.1:
   * Connection refused"); say what to check instead. */
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_REFUSED))
    {
      title = g_strdup_printf (_("%s does not accept connections"), host);
      detail = _("Check the port number, and that the FTP server is running.");
    }
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_HOST_NOT_FOUND))
    {
      title = g_strdup_printf (_("Could not find %s"), host);
      detail = _("Check the spelling of the address, and that this computer is connected to "
                 "the network.");
    }
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT))
    {
      title = g_strdup_printf (_("%s did not answer"), host);
      detail = _("The server may be busy, or a firewall may be in the way. Try again later.");
    }
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE))
    title = g_strdup_printf (_("%s cannot encrypt the connection"), host);
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED))
    title = g_strdup_printf (_("The identity of %s could not be verified"), host);
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_CHANGED))
    {
      title = g_strdup_printf (_("The certificate of %s has changed"), host);
      detail = _("Someone may be intercepting the connection. Ask the server’s administrator "
                 "whether the certificate was replaced before you connect again.");
    }
  else if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_INVALID_URL))
    title = g_strdup (_("That is not a server address"));
  else
    title = g_strdup_printf (_("Could not connect to %s"), host);

  /* A try after a drop: the next one, or the Connection Lost page. A refused login or
   * certificate will not get better by waiting: those go to the connect page. */
  if (self->reconnecting &&
      !g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_LOGIN_FAILED) &&
      error->domain == FERRY_CLIENT_ERROR &&
      error->code != FERRY_CLIENT_ERROR_TLS_UNTRUSTED)
    {
      g_clear_object (&self->client);
      ferry_window_set_connecting (self, FALSE);
      ferry_window_show_lost (self, error);
      return;
    }
  ferry_window_stop_reconnecting (self);

  g_clear_object (&self->client);
  ferry_window_set_connecting (self, FALSE);
  ferry_connect_page_show_error (self->connect_page, title, detail);
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  ferry_window_update_location (self);
  _ferry_window_sync_state (self);
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  /* Without a keyring the password is asked for next time; nothing else to do. */
  ferry_secrets_store_finish (result, NULL);
}

static void
on_client_connected_changed (FerryWindow *self,
                             GParamSpec  *pspec,
                             FerryClient *client)
{
  if (client == self->client && !ferry_client_is_connected (client) &&
      self->current_path != NULL)
    ferry_window_show_lost (self, NULL);
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *start;

  if (!ferry_client_login_finish (FERRY_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ferry_window_connect_failed (self, error);
      return;
    }

  ferry_window_set_connecting (self, FALSE);
  ferry_window_stop_reconnecting (self);
  ferry_connect_page_clear_error (self->connect_page);
  ferry_settings_add_recent_server (self->settings, self->server->host, self->server->port,
                                    self->server->user ? self->server->user : "",
                                    self->server->tls_mode != FERRY_TLS_MODE_NONE);
  if (self->server->user != NULL && self->password != NULL && !self->password_from_keyring)
    ferry_secrets_store_async (self->server->host, self->server->port, self->server->user,
                               protocol_name (self->server), self->password, NULL,
                               on_password_stored, NULL);

  g_signal_connect_object (self->client, "notify::connected",
                           G_CALLBACK (on_client_connected_changed), self,
                           G_CONNECT_SWAPPED);
  _ferry_window_transfers_start (self);

  start = self->current_path ? self->current_path
          : self->server->path ? self->server->path
          : ferry_client_get_current_directory (self->client);
  {
    g_autofree char *path = g_strdup (start ? start : "/");

    g_clear_pointer (&self->current_path, g_free);
    _ferry_window_load_folder (self, path, FALSE);
  }
}

static gboolean
on_accept_certificate (FerryClient          *client,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       FerryWindow          *self)
{
  return self->trusted_once != NULL &&
         g_tls_certificate_is_same (self->trusted_once, certificate);
}

typedef struct {
  FerryWindow     *self;
  GTlsCertificate *certificate;
  gboolean         changed;      /* another certificate was trusted for this server */
} TrustRequest;

static void
trust_request_free (gpointer  data,
                    GClosure *closure)
{
  TrustRequest *request = data;

  g_object_unref (request->self);
  g_object_unref (request->certificate);
  g_free (request);
}

static void
on_certificate_response (AdwMessageDialog *dialog,
                         const char       *response,
                         TrustRequest     *request)
{
  FerryWindow *self = request->self;
  GTlsCertificate *certificate = request->certificate;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "always") == 0)
    {
      g_autoptr(FerryTrustStore) store = ferry_trust_store_new (NULL);

      if (!ferry_trust_store_add (store, self->server->host, self->server->port,
                                  certificate, &error))
        {
          g_warning ("Could not remember the certificate: %s", error->message);
          g_set_object (&self->trusted_once, certificate);
        }
      ferry_window_connect (self);
    }
  else if (g_strcmp0 (response, "once") == 0)
    {
      g_set_object (&self->trusted_once, certificate);
      ferry_window_connect (self);
    }
  else
    {
      g_autoptr(GError) untrusted = NULL;

      if (request->changed)
        untrusted = g_error_new_literal (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_CHANGED,
                                         _("The server’s certificate has changed."));
      else
        untrusted = g_error_new_literal (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED,
                                         _("You chose not to trust the server’s certificate."));
      ferry_window_connect_failed (self, untrusted);
    }
}

static void
ferry_window_ask_trust (FerryWindow     *self,
                        GTlsCertificate *certificate)
{
  g_autofree char *fingerprint = ferry_certificate_fingerprint (certificate);
  g_autofree char *host = server_display_text (self->server);
  g_autofree char *body = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  AdwMessageDialog *dialog;
  TrustRequest *request;

  body = g_strdup_printf (_("The certificate of %s is not signed by an authority this computer "
                            "trusts. Someone may be pretending to be the server. Compare its "
                            "fingerprint with the one the server’s administrator gave you."),
                          host);
  builder = gtk_builder_new_from_resource ("/io/github/ferryftp/Ferry/ferry-trust-dialog.ui");
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_body (dialog, body);
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "fingerprint")), fingerprint);

  request = g_new0 (TrustRequest, 1);
  request->self = g_object_ref (self);
  request->certificate = g_object_ref (certificate);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_certificate_response), request,
                         trust_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Another certificate is trusted for this server: the serious warning, not the question. */
static void
ferry_window_warn_changed (FerryWindow     *self,
                           GTlsCertificate *certificate,
                           const char      *pinned)
{
  g_autofree char *presented = ferry_certificate_fingerprint (certificate);
  g_autofree char *host = server_display_text (self->server);
  AdwMessageDialog *dialog;
  TrustRequest *request;

  dialog = ferry_certificate_changed_dialog_new (GTK_WINDOW (self), host, pinned, presented);
  request = g_new0 (TrustRequest, 1);
  request->self = g_object_ref (self);
  request->certificate = g_object_ref (certificate);
  request->changed = TRUE;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_certificate_response), request,
                         trust_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_connect_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  FerryClient *client = FERRY_CLIENT (source);
  g_autoptr(GError) error = NULL;

  if (!ferry_client_connect_finish (client, result, &error))
    {
      GTlsCertificate *certificate = ferry_client_get_peer_certificate (client);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_CHANGED) &&
          certificate != NULL)
        {
          ferry_window_warn_changed (self, certificate,
                                     ferry_client_get_pinned_fingerprint (client));
          return;
        }
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED) &&
          certificate != NULL)
        {
          ferry_window_ask_trust (self, certificate);
          return;
        }

      ferry_window_connect_failed (self, error);
      return;
    }

  ferry_client_login_async (client, self->server->user, self->password, self->cancellable,
                            on_login_done, g_object_ref (self));
}

/* Connects to self->server with self->password. */
static void
ferry_window_connect (FerryWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  self->client = ferry_client_new ();
  g_signal_connect_object (self->client, "accept-certificate",
                           G_CALLBACK (on_accept_certificate), self, 0);

  ferry_window_set_connecting (self, TRUE);
  ferry_client_connect_async (self->client, self->server->host, self->server->port,
                              self->server->tls_mode, self->cancellable,
                              on_connect_done, g_object_ref (self));
}

static void
on_password_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autofree char *password = NULL;

  password = ferry_secrets_lookup_finish (result, NULL);
  if (!self->connecting)
    return;   /* cancelled meanwhile */
  if (password == NULL)
    {
      /* No keyring, or nothing stored: ask. */
      ferry_window_set_connecting (self, FALSE);
      g_autofree char *host = server_display_text (self->server);
      g_autofree char *detail = g_strdup_printf (_("No password for “%s” on %s is saved on "
                                                   "this computer."),
                                                 self->server->user, host);

      ferry_connect_page_show_error (self->connect_page, _("Enter the password"), detail);
      gtk_stack_set_visible_child_name (self->main_stack, "connect");
      ferry_connect_page_focus_password (self->connect_page);
      return;
    }

  g_free (self->password);
  self->password = g_steal_pointer (&password);
  self->password_from_keyring = TRUE;
  ferry_connect_page_set_password (self->connect_page, self->password);
  ferry_window_connect (self);
}

/* What the connect page's Server field shows for url: the address, and the folder to open
 * when it names one (so that a password prompt, then Connect, still opens it). */
static char *
server_field_text (const FerryUrl *url)
{
  g_autofree char *address = server_display_text (url);
  g_autofree char *path = NULL;

  if (url->path == NULL || g_strcmp0 (url->path, "/") == 0)
    return g_steal_pointer (&address);

  /* Percent-encoded as ferry_url_parse() decodes it: '%', '?', '#', spaces. */
  path = g_uri_escape_string (url->path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, TRUE);
  return g_strconcat (address, path, NULL);
}

/* Starts connecting to url; password NULL: from the URL or the keyring. */
static void
ferry_window_connect_to (FerryWindow    *self,
                         const FerryUrl *url,
                         const char     *password)
{
  g_autofree char *server_text = NULL;

  /* The transfers to the previous server (if still running) are left alone: logging in
   * elsewhere moves them to the background (_ferry_window_transfers_start). */
  ferry_window_stop_reconnecting (self);
  _ferry_window_edit_end_all (self);
  g_clear_pointer (&self->server, ferry_url_free);
  self->server = ferry_url_copy (url);
  g_clear_pointer (&self->server->password, g_free);
  g_clear_pointer (&self->current_path, g_free);
  g_ptr_array_set_size (self->back_history, 0);
  g_clear_object (&self->trusted_once);
  ferry_file_list_clear (self->file_list);

  g_free (self->password);
  self->password = g_strdup (password ? password : url->password);
  self->password_from_keyring = FALSE;

  /* The password field never keeps another server's password: it would be shown beside
   * "Enter the password", and sent to this server on Connect. */
  server_text = server_field_text (url);
  ferry_connect_page_fill (self->connect_page, server_text, url->user,
                           self->password ? self->password : "",
                           url->tls_mode != FERRY_TLS_MODE_NONE);
  ferry_connect_page_clear_error (self->connect_page);
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  ferry_window_update_location (self);

  if (url->user != NULL && self->password == NULL)
    {
      ferry_window_set_connecting (self, TRUE);
      ferry_secrets_lookup_async (url->host, url->port, url->user, protocol_name (url), NULL,
                                  on_password_looked_up, g_object_ref (self));
      return;
    }

  ferry_window_connect (self);
}

/* The form on the connect page: the server field may carry a user, a password, a port, a
 * path and a scheme; the fields below fill in what it does not say. */
static void
on_connect_requested (FerryWindow      *self,
                      FerryConnectPage *page)
{
  g_autoptr(FerryUrl) url = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = ferry_connect_page_get_user (page);
  const char *password = ferry_connect_page_get_password (page);

  url = ferry_url_parse (ferry_connect_page_get_server (page), &error);
  if (url == NULL)
    {
      ferry_connect_page_show_error (page, _("That is not a server address"), error->message);
      return;
    }

  if (ferry_connect_page_get_anonymous (page))
    {
      g_clear_pointer (&url->user, g_free);
      g_clear_pointer (&url->password, g_free);
    }
  else if (url->user == NULL && user[0] != '\0')
    url->user = g_strdup (user);

  if (ferry_connect_page_get_tls (page) && url->tls_mode == FERRY_TLS_MODE_NONE)
    url->tls_mode = FERRY_TLS_MODE_EXPLICIT;

  ferry_window_connect_to (self, url,
                           url->user != NULL && url->password == NULL && password[0] != '\0'
                           ? password : NULL);
}

static void
on_recent_activated (FerryWindow      *self,
                     const char       *host,
                     guint             port,
                     const char       *user,
                     gboolean          tls,
                     FerryConnectPage *page)
{
  FerryUrl url = {
    .tls_mode = tls ? FERRY_TLS_MODE_EXPLICIT : FERRY_TLS_MODE_NONE,
    .host = (char *) host,
    .port = (guint16) port,
    .user = user[0] != '\0' ? (char *) user : NULL,
  };
  g_autofree char *address = server_display_text (&url);
  const char *typed = ferry_connect_page_get_password (page);

  /* A password typed in the form for this very server and user is the one to use; any
   * other is not sent here (the keyring is asked, then the user). */
  if (url.user != NULL && typed[0] != '\0' && !ferry_connect_page_get_anonymous (page) &&
      g_strcmp0 (ferry_connect_page_get_server (page), address) == 0 &&
      g_strcmp0 (ferry_connect_page_get_user (page), url.user) == 0)
    {
      g_autofree char *password = g_strdup (typed);

      ferry_window_connect_to (self, &url, password);
      return;
    }

  ferry_window_connect_to (self, &url, NULL);
}

/* Actions of the window itself ------------------------------------------------------- */

static void
connect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  FerryWindow *self = FERRY_WINDOW (user_data);
  g_autoptr(FerryUrl) url = NULL;
  g_autoptr(GError) error = NULL;

  url = ferry_url_parse (g_variant_get_string (parameter, NULL), &error);
  if (url == NULL)
    {
      ferry_connect_page_fill (self->connect_page, g_variant_get_string (parameter, NULL),
                               NULL, NULL, FALSE);
      ferry_connect_page_show_error (self->connect_page, _("That is not a server address"),
                                     error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "connect");
      return;
    }

  ferry_window_connect_to (self, url, NULL);
}

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->server == NULL)
    return;

  ferry_window_stop_reconnecting (self);
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  ferry_window_connect (self);
}

static void
ferry_window_disconnect (FerryWindow *self,
                         gboolean     keep_running)
{
  /* Kept running, the transfers stay in this window (their queue has connections of its
   * own) until it connects to another server or closes. */
  ferry_window_stop_reconnecting (self);
  g_cancellable_cancel (self->cancellable);
  if (!keep_running)
    _ferry_window_transfers_stop (self);
  _ferry_window_edit_end_all (self);

  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      if (ferry_client_is_connected (self->client))
        ferry_client_disconnect_async (self->client, NULL, NULL, NULL);
      g_clear_object (&self->client);
    }

  g_clear_pointer (&self->server, ferry_url_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->current_path, g_free);
  g_ptr_array_set_size (self->back_history, 0);
  ferry_file_list_clear (self->file_list);
  self->loading = FALSE;
  ferry_window_set_connecting (self, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  ferry_window_update_location (self);
  _ferry_window_sync_state (self);
  ferry_connect_page_focus_first (self->connect_page);
}

static void
disconnect_after_edits (FerryWindow *self)
{
  _ferry_window_ask_running (self, ferry_window_disconnect);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _ferry_window_edit_ask_leave (FERRY_WINDOW (widget), FALSE, disconnect_after_edits);
}

/* Cancel (or Escape) while connecting: stop at once, back to the form as it was. */
static void
cancel_connect_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (!self->connecting)
    return;

  ferry_window_stop_reconnecting (self);
  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  ferry_window_set_connecting (self, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  ferry_window_update_location (self);
  _ferry_window_sync_state (self);
  ferry_connect_page_focus_first (self->connect_page);
}

/* Cancel on the Reconnecting page: no more tries, the Connection Lost page. */
static void
stop_reconnecting_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (!self->reconnecting)
    return;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  ferry_window_set_connecting (self, FALSE);
  self->reconnect_tries = RECONNECT_TRIES;
  ferry_window_show_lost (self, NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _ferry_window_refresh (FERRY_WINDOW (widget));
}

static void
go_up_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autofree char *parent = NULL;

  if (self->current_path == NULL)
    return;

  parent = ferry_vpath_dirname (self->current_path);
  _ferry_window_load_folder (self, parent, TRUE);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autofree char *previous = NULL;

  if (self->back_history->len == 0)
    return;

  previous = g_ptr_array_steal_index (self->back_history, self->back_history->len - 1);
  _ferry_window_load_folder (self, previous, FALSE);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _ferry_window_load_folder (FERRY_WINDOW (widget), g_variant_get_string (parameter, NULL), TRUE);
}

static void
location_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->title_stack, "location");
  gtk_widget_grab_focus (GTK_WIDGET (self->location_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->location_entry), 0, -1);
}

/* Ctrl+F anywhere in the window (a breadcrumb, a header button, the list) filters the
 * folder shown; FerryFileList's own Ctrl+F only works while it has the keyboard. */
static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->file_list), "list.filter", NULL);
}

/* "connect" stays in the window's GActionMap, the one GtkApplicationWindow exports on
 * D-Bus (org.gtk.Actions), so a script or a test can open a server from outside. */
static const GActionEntry exported_actions[] = {
  { "connect", connect_action, "s", NULL, NULL, { 0 } },
};

/* Lifecycle --------------------------------------------------------------------------- */

static void
ferry_window_save_size (FerryWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
ferry_window_close_confirmed (FerryWindow *self,
                              gboolean     keep_running)
{
  ferry_window_save_size (self);
  g_cancellable_cancel (self->cancellable);
  if (keep_running)
    _ferry_window_transfers_detach (self);
  else
    _ferry_window_transfers_stop (self);
  if (self->progress_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->progress_dialog));
}

static void
ferry_window_close_answered (FerryWindow *self,
                             gboolean     keep_running)
{
  ferry_window_close_confirmed (self, keep_running);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* With transfers running, closing asks first (Stop Them / Keep Running). */
static gboolean
ferry_window_close_request (GtkWindow *window)
{
  FerryWindow *self = FERRY_WINDOW (window);

  if (_ferry_window_edit_ask_close (self))
    return GDK_EVENT_STOP;
  if (_ferry_window_transfers_running (self))
    {
      _ferry_window_ask_running (self, ferry_window_close_answered);
      return GDK_EVENT_STOP;
    }

  ferry_window_close_confirmed (self, FALSE);
  return GTK_WINDOW_CLASS (ferry_window_parent_class)->close_request (window);
}

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = FERRY_WINDOW (object);

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  _ferry_window_edit_dispose (self);
  _ferry_window_transfers_stop (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->trusted_once);
  g_clear_object (&self->batch_last);
  g_clear_object (&self->settings);
  if (self->file_list != NULL)
    g_signal_handlers_disconnect_by_data (ferry_file_list_get_model (self->file_list), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_WINDOW);

  G_OBJECT_CLASS (ferry_window_parent_class)->dispose (object);
}

static void
ferry_window_finalize (GObject *object)
{
  FerryWindow *self = FERRY_WINDOW (object);

  g_clear_pointer (&self->server, ferry_url_free);
  g_clear_pointer (&self->queue_server, ferry_url_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->current_path, g_free);
  g_clear_pointer (&self->crumbs_branch, g_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->back_history, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_window_parent_class)->finalize (object);
}

static void
ferry_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryWindow *self = FERRY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTING:
      g_value_set_boolean (value, self->connecting);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_BROWSING:
      g_value_set_boolean (value, self->browsing);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_CAN_GO_UP:
      g_value_set_boolean (value, self->can_go_up);
      break;
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, self->can_go_back);
      break;
    case PROP_HAS_SERVER:
      g_value_set_boolean (value, self->has_server);
      break;
    case PROP_HAS_TRANSFERS:
      g_value_set_boolean (value, self->has_transfers);
      break;
    case PROP_RECONNECTING:
      g_value_set_boolean (value, self->reconnecting);
      break;
    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, self->show_hidden);
      break;
    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryWindow *self = FERRY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_HIDDEN:
      if (self->show_hidden != g_value_get_boolean (value))
        {
          self->show_hidden = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The read-only state the header bar and pages bind to (ferry-window.ui). */
static GParamSpec *
state_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ferry_window_dispose;
  object_class->finalize = ferry_window_finalize;
  object_class->get_property = ferry_window_get_property;
  object_class->set_property = ferry_window_set_property;
  window_class->close_request = ferry_window_close_request;

  properties[PROP_CONNECTING] = state_property ("connecting");
  properties[PROP_CONNECTED] = state_property ("connected");
  properties[PROP_BROWSING] = state_property ("browsing");
  properties[PROP_BUSY] = state_property ("busy");
  properties[PROP_CAN_GO_UP] = state_property ("can-go-up");
  properties[PROP_CAN_GO_BACK] = state_property ("can-go-back");
  properties[PROP_HAS_SERVER] = state_property ("has-server");
  properties[PROP_HAS_TRANSFERS] = state_property ("has-transfers");
  /* Ctrl+H (win.show-hidden), remembered in GSettings; the file list follows it. */
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECONNECTING] = state_property ("reconnecting");
  properties[PROP_NARROW] = state_property ("narrow");
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FERRY_TYPE_CONNECT_PAGE);
  g_type_ensure (FERRY_TYPE_FILE_LIST);
  g_type_ensure (FERRY_TYPE_PROGRESS_ICON);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, breadcrumbs_scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, breadcrumbs);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, location_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, up_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, upload_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, new_folder_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, progress_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, progress_icon);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, connect_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, file_list);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, lost_page);
  gtk_widget_class_bind_template_callback (widget_class, on_location_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_file_activated);

  /* Connection and navigation; the file actions are in ferry-window-actions.c. */
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.stop-reconnecting", NULL,
                                   stop_reconnecting_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-connect", NULL,
                                   cancel_connect_action);
  /* Escape stops connecting; entries that use Escape themselves see it first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-connect", NULL);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL, go_up_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.open-folder", "s", open_folder_action);
  gtk_widget_class_install_action (widget_class, "win.location", NULL, location_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_install_property_action (widget_class, "win.show-hidden", "show-hidden");
  _ferry_window_class_add_file_actions (widget_class);
  _ferry_window_class_add_adaptive (widget_class);
  ferry_share_window_install_action (widget_class);
}

static void
ferry_window_init (FerryWindow *self)
{
  GtkEventController *key;
  GListModel *model;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = ferry_settings_new ();
  g_settings_bind (self->settings, "show-hidden", self, "show-hidden", G_SETTINGS_BIND_DEFAULT);
  self->back_history = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->conflicts);
  self->conflict_policy = FERRY_CONFLICT_ERROR;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  ferry_breadcrumbs_init (self->breadcrumbs_scroller, self->breadcrumbs);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_location_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->location_entry), key);

  model = ferry_file_list_get_model (self->file_list);
  g_signal_connect_object (model, "selection-changed", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);

  g_action_map_add_action_entries (G_ACTION_MAP (self), exported_actions,
                                   G_N_ELEMENTS (exported_actions), self);
  _ferry_window_dnd_init (self);
  _ferry_window_adaptive_init (self);
  ferry_window_update_location (self);
  _ferry_window_sync_state (self);
}

FerryWindow *
ferry_window_new (FerryApplication *application)
{
  return g_object_new (FERRY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
