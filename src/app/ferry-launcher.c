// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-launcher.c — open a downloaded file, or show it in the file manager.
 *
 * GtkFileLauncher (GTK 4.10) goes through the portal when sandboxed; before it, GIO's default
 * handler does. "Show in Folder" asks the file manager to select the file
 * (org.freedesktop.FileManager1.ShowItems) and falls back to opening the folder. Failures
 * are logged, not shown: there is nothing the user could do about a missing file manager
 * in a toast. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-launcher.h"

#if GTK_CHECK_VERSION (4, 10, 0)

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (source), result, &error))
    g_warning ("Could not open the file: %s", error->message);
}

static void
on_folder_opened (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_open_containing_folder_finish (GTK_FILE_LAUNCHER (source), result, &error))
    g_warning ("Could not show the file in its folder: %s", error->message);
}

void
ferry_launcher_open (GtkWindow *parent,
                     GFile     *file)
{
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

  gtk_file_launcher_launch (launcher, parent, NULL, on_launched, NULL);
}

/* GtkFileLauncher already talks to FileManager1 (or the portal) itself. */
void
ferry_launcher_show_in_folder (GtkWindow *parent,
                               GFile     *file)
{
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

  gtk_file_launcher_open_containing_folder (launcher, parent, NULL, on_folder_opened, NULL);
}

#else

static void
on_uri_launched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open the file: %s", error->message);
}

void
ferry_launcher_open (GtkWindow *parent,
                     GFile     *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (parent != NULL)
    context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (parent)));

  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_uri_launched, NULL);
}

static void
on_show_items_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (file);

      g_debug ("No FileManager1 to select the file, opening its folder: %s", error->message);
      if (folder != NULL)
        ferry_launcher_open (NULL, folder);
    }
}

void
ferry_launcher_show_in_folder (GtkWindow *parent,
                               GFile     *file)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *uri = g_file_get_uri (file);
  const char *uris[] = { uri, NULL };

  if (bus == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (file);

      if (folder != NULL)
        ferry_launcher_open (parent, folder);
      return;
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                          on_show_items_done, g_object_ref (file));
}

#endif
