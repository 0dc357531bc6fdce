// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-share-window.c — "Share a Folder": pick a folder and who may do what, then, while
 * it is shared, its address (and a QR code of it), who is connected, and Stop.
 *
 * The window owns the FerryShare: closing it asks whether to keep sharing (the window
 * hides, and the app keeps running while it exists) or to stop; quitting the app stops. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <glib/gi18n.h>

#include "ferry-background-portal.h"
#include "ferry-qr-code.h"
#include "ferry-share-window.h"
#include "ferry-share.h"

#define QR_MODULE_PIXELS 5

struct _FerryShareWindow
{
  AdwWindow       parent_instance;

  GtkStack       *stack;
  AdwActionRow   *folder_row;
  GtkCheckButton *anyone_check;
  GtkCheckButton *password_check;
  AdwActionRow   *password_row;
  GtkLabel       *error_label;
  GtkLabel       *sharing_title;
  GtkLabel       *background_label;
  GtkPicture     *qr_picture;
  AdwActionRow   *host_address_row;
  AdwActionRow   *ip_address_row;
  AdwActionRow   *login_row;
  GtkButton      *copy_host_button;
  GtkButton      *copy_ip_button;
  GtkListBox     *clients_list;

  GSettings      *settings;
  GCancellable   *cancellable;
  GFile          *folder;
  char           *password;
  char           *host_name;      /* Avahi's "host.local", once asked */
  FerryShare     *share;
  GdkTexture     *qr_texture;
  gboolean        close_when_stopped;
};

G_DEFINE_FINAL_TYPE (FerryShareWindow, ferry_share_window, ADW_TYPE_WINDOW)

/* Addresses ------------------------------------------------------------------------------ */

/* The first IPv4 address of an interface that is up and not loopback: what a phone on the
 * LAN can reach without mDNS. */
static char *
lan_ipv4_address (void)
{
  struct ifaddrs *addresses = NULL;
  char text[INET_ADDRSTRLEN] = "";

  if (getifaddrs (&addresses) != 0)
    return NULL;
  for (struct ifaddrs *a = addresses; a != NULL; a = a->ifa_next)
    if (a->ifa_addr != NULL && a->ifa_addr->sa_family == AF_INET
        && (a->ifa_flags & IFF_UP) && !(a->ifa_flags & IFF_LOOPBACK))
      {
        inet_ntop (AF_INET, &((struct sockaddr_in *) (void *) a->ifa_addr)->sin_addr, text,
                   sizeof text);
        break;
      }
  freeifaddrs (addresses);
  return text[0] != '\0' ? g_strdup (text) : NULL;
}

static char *
share_url (FerryShareWindow *self,
           const char       *host)
{
  return g_strdup_printf ("ftp://%s%s%s:%u/",
                          ferry_share_get_password (self->share) != NULL ? FERRY_SHARE_USER : "",
                          ferry_share_get_password (self->share) != NULL ? "@" : "",
                          host, ferry_share_get_port (self->share));
}

char *
ferry_share_window_get_host_url (FerryShareWindow *self)
{
  g_autofree char *fallback = g_strconcat (g_get_host_name (), ".local", NULL);

  g_return_val_if_fail (self->share != NULL, NULL);
  return share_url (self, self->host_name != NULL ? self->host_name : fallback);
}

char *
ferry_share_window_get_ip_url (FerryShareWindow *self)
{
  g_autofree char *ip = lan_ipv4_address ();

  g_return_val_if_fail (self->share != NULL, NULL);
  return share_url (self, ip != NULL ? ip : "127.0.0.1");
}

static void
show_addresses (FerryShareWindow *self)
{
  g_autofree char *host_url = ferry_share_window_get_host_url (self);
  g_autofree char *ip_url = ferry_share_window_get_ip_url (self);
  g_autofree char *folder = g_file_get_basename (self->folder);
  g_autofree char *title = g_strdup_printf (_("Sharing “%s”"), folder);

  gtk_label_set_text (self->sharing_title, title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->host_address_row), host_url);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ip_address_row), ip_url);

  /* The QR code carries the address a phone can use without mDNS. */
  g_clear_object (&self->qr_texture);
  self->qr_texture = ferry_qr_code_new_texture (ip_url, QR_MODULE_PIXELS);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (self->qr_texture));

  gtk_widget_set_visible (GTK_WIDGET (self->login_row),
                          ferry_share_get_password (self->share) != NULL);
  if (ferry_share_get_password (self->share) != NULL)
    {
      g_autofree char *login = g_strdup_printf (_("User %s, password %s"), FERRY_SHARE_USER,
                                                ferry_share_get_password (self->share));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->login_row), login);
    }
}

static void
on_host_name (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryShareWindow) self = user_data;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply == NULL)
    return;   /* no Avahi, or cancelled: the host name + ".local" stands */
  g_clear_pointer (&self->host_name, g_free);
  g_variant_get (reply, "(s)", &self->host_name);
  if (self->share != NULL && ferry_share_get_state (self->share) == FERRY_SHARE_RUNNING)
    show_addresses (self);
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryShareWindow) self = user_data;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, NULL);

  if (bus == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  /* The name the LAN resolves this machine by: Avahi's, which may differ from the host's. */
  g_dbus_connection_call (bus, "org.freedesktop.Avahi", "/", "org.freedesktop.Avahi.Server",
                          "GetHostNameFqdn", NULL, G_VARIANT_TYPE ("(s)"),
                          G_DBUS_CALL_FLAGS_NONE, 5000, self->cancellable, on_host_name,
                          g_object_ref (self));
}

static void
copy_row_title (GtkButton    *button,
                AdwActionRow *row)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
}

/* Setting up ---------------------------------------------------------------------------- */

static void
show_error (FerryShareWindow *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_password_row (FerryShareWindow *self)
{
  gboolean password_mode = gtk_check_button_get_active (self->password_check);

  if (password_mode && self->password == NULL)
    self->password = ferry_share_new_password ();
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), password_mode);
  adw_action_row_set_subtitle (self->password_row, self->password != NULL ? self->password : "");
}

static void
on_mode_toggled (FerryShareWindow *self)
{
  update_password_row (self);
}

void
ferry_share_window_set_folder (FerryShareWindow *self,
                               GFile            *folder)
{
  g_autoptr(GVariant) remembered = NULL;
  g_autofree char *path = g_file_get_path (folder);
  gboolean password_mode = FALSE;

  g_return_if_fail (FERRY_IS_SHARE_WINDOW (self));

  g_set_object (&self->folder, folder);
  adw_action_row_set_subtitle (self->folder_row, path != NULL ? path : "");
  show_error (self, NULL);

  /* The choice made last time for this folder. */
  remembered = g_settings_get_value (self->settings, "shared-folders");
  if (path != NULL && g_variant_lookup (remembered, path, "b", &password_mode))
    gtk_check_button_set_active (password_mode ? self->password_check : self->anyone_check,
                                 TRUE);
}

void
ferry_share_window_set_password_mode (FerryShareWindow *self,
                                      gboolean          password_mode)
{
  g_return_if_fail (FERRY_IS_SHARE_WINDOW (self));
  gtk_check_button_set_active (password_mode ? self->password_check : self->anyone_check, TRUE);
}

gboolean
ferry_share_window_get_password_mode (FerryShareWindow *self)
{
  g_return_val_if_fail (FERRY_IS_SHARE_WINDOW (self), FALSE);
  return gtk_check_button_get_active (self->password_check);
}

static void
remember_mode (FerryShareWindow *self,
               const char       *path,
               gboolean          password_mode)
{
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "shared-folders");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  gboolean value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sb}"));
  g_variant_builder_add (&builder, "{sb}", path, password_mode);
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&sb}", &key, &value))
    if (!g_str_equal (key, path))
      g_variant_builder_add (&builder, "{sb}", key, value);
  g_settings_set_value (self->settings, "shared-folders", g_variant_builder_end (&builder));
}

static void
on_folder_chosen (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (folder != NULL)
        ferry_share_window_set_folder (self, folder);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Folder to Share"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Share"),
                                 _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_chosen), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_password_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (widget);

  g_free (self->password);
  self->password = ferry_share_new_password ();
  update_password_row (self);
}

static void
copy_password_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (widget);

  if (self->password != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->password);
}

/* While the window is hidden, a notification says the folder is still shared, with a way to
 * stop it and one back to the window. */
static void
notify_background (FerryShareWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *folder = g_file_get_basename (self->folder);
  g_autofree char *title = g_strdup_printf (_("Sharing “%s”"), folder);

  if (app == NULL)
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("Others on the network can still open it."));
  g_notification_set_default_action (notification, "app.show-sharing");
  g_notification_add_button (notification, _("Stop Sharing"), "app.stop-sharing");
  g_application_send_notification (app, "sharing", notification);
}

static void
withdraw_background_notification (FerryShareWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL)
    g_application_withdraw_notification (G_APPLICATION (app), "sharing");
}

/* Sharing ------------------------------------------------------------------------------- */

static void
on_share_state (FerryShareWindow *self)
{
  switch (ferry_share_get_state (self->share))
    {
    case FERRY_SHARE_RUNNING:
      show_addresses (self);
      gtk_stack_set_visible_child_name (self->stack, "sharing");
      break;
    case FERRY_SHARE_STOPPED:
      withdraw_background_notification (self);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.start", TRUE);
      gtk_stack_set_visible_child_name (self->stack, "setup");
      if (ferry_share_get_error (self->share) != NULL)
        show_error (self, ferry_share_get_error (self->share)->message);
      if (self->close_when_stopped)
        gtk_window_destroy (GTK_WINDOW (self));
      break;
    case FERRY_SHARE_STARTING:
    case FERRY_SHARE_STOPPING:
    default:
      break;
    }
}

static GtkWidget *
create_client_row (gpointer item,
                   gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  return row;
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (widget);
  gboolean password_mode = gtk_check_button_get_active (self->password_check);
  g_autofree char *path = NULL;

  if (self->folder == NULL || (path = g_file_get_path (self->folder)) == NULL)
    {
      show_error (self, _("Choose a folder to share first."));
      return;
    }
  if (self->share != NULL && ferry_share_get_state (self->share) != FERRY_SHARE_STOPPED)
    return;

  show_error (self, NULL);
  remember_mode (self, path, password_mode);
  if (self->share != NULL)
    g_signal_handlers_disconnect_by_data (self->share, self);
  g_clear_object (&self->share);
  self->share = ferry_share_new (self->folder, password_mode ? self->password : NULL, NULL);
  g_signal_connect_object (self->share, "notify::state", G_CALLBACK (on_share_state), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->clients_list, ferry_share_get_clients (self->share),
                           create_client_row, NULL, NULL);
  gtk_widget_action_set_enabled (widget, "share.start", FALSE);
  ferry_share_start (self->share);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (widget);

  if (self->share != NULL)
    ferry_share_stop (self->share);
}

void
ferry_share_window_stop (FerryShareWindow *self)
{
  g_return_if_fail (FERRY_IS_SHARE_WINDOW (self));

  /* A hidden window has nothing left to show once the share ended: it goes, and the app
   * with it when nothing else is open. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    self->close_when_stopped = TRUE;
  if (self->share != NULL && ferry_share_get_state (self->share) != FERRY_SHARE_STOPPED)
    ferry_share_stop (self->share);
  else if (self->close_when_stopped)
    gtk_window_destroy (GTK_WINDOW (self));
}

gboolean
ferry_share_window_is_sharing (FerryShareWindow *self)
{
  g_return_val_if_fail (FERRY_IS_SHARE_WINDOW (self), FALSE);
  return self->share != NULL && ferry_share_get_state (self->share) != FERRY_SHARE_STOPPED;
}

static void
keep_sharing_in_background (FerryShareWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->background_label), FALSE);
  /* Hidden, not destroyed: the app runs on while the window exists. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  notify_background (self);
}

static void
on_background_answer (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (user_data);
  g_autoptr(GError) error = NULL;

  if (ferry_background_portal_request_finish (result, &error))
    {
      if (ferry_share_window_is_sharing (self))
        keep_sharing_in_background (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Refused: the window stays open (closing it would end the share with the app). */
  gtk_label_set_text (self->background_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->background_label), TRUE);
}

static void
on_close_answer (AdwMessageDialog *dialog,
                 const char       *response,
                 FerryShareWindow *self)
{
  if (g_str_equal (response, "stop"))
    {
      self->close_when_stopped = TRUE;
      ferry_share_stop (self->share);
    }
  else if (g_str_equal (response, "keep"))
    {
      g_autofree char *folder = NULL;
      g_autofree char *reason = NULL;

      if (!ferry_background_portal_needed ())
        {
          keep_sharing_in_background (self);
          return;
        }
      /* Sandboxed: hidden without the portal's leave, the app could be ended at any time. */
      folder = g_file_get_basename (self->folder);
      reason = g_strdup_printf (_("Ferry keeps sharing “%s” on the network"), folder);
      ferry_background_portal_request_async (GTK_WINDOW (self), reason, self->cancellable,
                                             on_background_answer, self);
    }
}

static gboolean
ferry_share_window_close_request (GtkWindow *window)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (window);
  GtkWidget *dialog;

  if (self->share == NULL || ferry_share_get_state (self->share) == FERRY_SHARE_STOPPED)
    return GTK_WINDOW_CLASS (ferry_share_window_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Keep Sharing?"),
                                   _("Others can still open the folder while this window is "
                                     "closed. Quitting Ferry stops sharing."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop Sharing"),
                                    "keep", _("_Keep Sharing"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_answer), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* For tests ------------------------------------------------------------------------------ */

FerryShare *
ferry_share_window_get_share (FerryShareWindow *self)
{
  g_return_val_if_fail (FERRY_IS_SHARE_WINDOW (self), NULL);
  return self->share;
}

GdkTexture *
ferry_share_window_get_qr_texture (FerryShareWindow *self)
{
  g_return_val_if_fail (FERRY_IS_SHARE_WINDOW (self), NULL);
  return self->qr_texture;
}

/* The object ----------------------------------------------------------------------------- */

static void
ferry_share_window_dispose (GObject *object)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->share != NULL)
    g_signal_handlers_disconnect_by_data (self->share, self);
  /* Disposing the share ends its ferryd. */
  g_clear_object (&self->share);

  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_SHARE_WINDOW);

  G_OBJECT_CLASS (ferry_share_window_parent_class)->dispose (object);
}

static void
ferry_share_window_finalize (GObject *object)
{
  FerryShareWindow *self = FERRY_SHARE_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->folder);
  g_clear_object (&self->qr_texture);
  g_free (self->password);
  g_free (self->host_name);

  G_OBJECT_CLASS (ferry_share_window_parent_class)->finalize (object);
}

static void
ferry_share_window_class_init (FerryShareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ferry_share_window_dispose;
  object_class->finalize = ferry_share_window_finalize;
  window_class->close_request = ferry_share_window_close_request;

  gtk_widget_class_install_action (widget_class, "share.choose-folder", NULL,
                                   choose_folder_action);
  gtk_widget_class_install_action (widget_class, "share.new-password", NULL,
                                   new_password_action);
  gtk_widget_class_install_action (widget_class, "share.copy-password", NULL,
                                   copy_password_action);
  gtk_widget_class_install_action (widget_class, "share.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "share.stop", NULL, stop_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ferry-share-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, anyone_check);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, password_check);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, sharing_title);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, background_label);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, host_address_row);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, ip_address_row);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, copy_host_button);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, copy_ip_button);
  gtk_widget_class_bind_template_child (widget_class, FerryShareWindow, clients_list);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
}

static void
ferry_share_window_init (FerryShareWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->copy_host_button, "clicked", G_CALLBACK (copy_row_title),
                    self->host_address_row);
  g_signal_connect (self->copy_ip_button, "clicked", G_CALLBACK (copy_row_title),
                    self->ip_address_row);
  gtk_list_box_bind_model (self->clients_list, NULL, NULL, NULL, NULL);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus, g_object_ref (self));
  update_password_row (self);
}

GtkWidget *
ferry_share_window_new (GtkApplication *application)
{
  return g_object_new (FERRY_TYPE_SHARE_WINDOW, "application", application, NULL);
}
