// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-share-action.c — the ways into and out of Share a Folder: "win.share-folder" from any
 * window, "app.show-sharing" and "app.stop-sharing" for a share kept in the background. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-share-window.h"

FerryShareWindow *
ferry_share_window_find (GtkApplication *application)
{
  /* One share window per app: the one sharing in the background comes back. */
  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL;
       l != NULL; l = l->next)
    if (FERRY_IS_SHARE_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
share_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));
  GtkWidget *share_window = GTK_WIDGET (ferry_share_window_find (application));

  if (share_window == NULL)
    share_window = ferry_share_window_new (application);
  gtk_window_present (GTK_WINDOW (share_window));
}

void
ferry_share_window_install_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.share-folder", NULL, share_folder_action);
}

static void
show_sharing_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  FerryShareWindow *share_window = ferry_share_window_find (user_data);

  if (share_window != NULL)
    gtk_window_present (GTK_WINDOW (share_window));
}

static void
stop_sharing_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  FerryShareWindow *share_window = ferry_share_window_find (user_data);

  if (share_window != NULL)
    ferry_share_window_stop (share_window);
}

void
ferry_share_window_add_app_actions (GtkApplication *application)
{
  static const GActionEntry actions[] = {
    { "show-sharing", show_sharing_action, NULL, NULL, NULL, { 0 } },
    { "stop-sharing", stop_sharing_action, NULL, NULL, NULL, { 0 } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (application), actions,
                                   G_N_ELEMENTS (actions), application);
}
