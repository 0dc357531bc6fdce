// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-share-action.c — "win.share-folder", the way into Share a Folder from any window. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-share-window.h"

static void
share_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (widget));
  GtkWidget *share_window = NULL;

  /* One share window per app: the one sharing in the background comes back. */
  for (GList *l = application != NULL ? gtk_application_get_windows (application) : NULL;
       l != NULL && share_window == NULL; l = l->next)
    if (FERRY_IS_SHARE_WINDOW (l->data))
      share_window = l->data;

  if (share_window == NULL)
    share_window = ferry_share_window_new (application);
  gtk_window_present (GTK_WINDOW (share_window));
}

void
ferry_share_window_install_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.share-folder", NULL, share_folder_action);
}
