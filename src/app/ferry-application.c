// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-application.c — the Ferry desktop application.
 *
 * One FerryWindow per server. `ferry ftp://host:port/path` (and the ftp:// URI handler,
 * through HANDLES_OPEN) opens a window straight into that folder. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-a11y.h"
#include "ferry-application.h"
#include "ferry-drag-cache.h"
#include "ferry-preferences-window.h"
#include "ferry-share-window.h"
#include "ferry-window.h"

struct _FerryApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static FerryWindow *
ferry_application_get_idle_window (FerryApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (FERRY_IS_WINDOW (l->data) && !ferry_window_is_connected (l->data))
      return l->data;

  return NULL;
}

static void
ferry_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  FerryShareWindow *share_window = ferry_share_window_find (GTK_APPLICATION (app));

  /* The active window may be the share window, even hidden (Keep Sharing). */
  if (!FERRY_IS_WINDOW (window))
    window = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app));
       l != NULL && window == NULL; l = l->next)
    if (FERRY_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = GTK_WINDOW (ferry_window_new (FERRY_APPLICATION (app)));

  gtk_window_present (window);
  ferry_window_focus_default (FERRY_WINDOW (window));
  /* Started again while sharing in the background: the share shows, so it can be stopped. */
  if (share_window != NULL && !gtk_widget_get_visible (GTK_WIDGET (share_window)))
    gtk_window_present (GTK_WINDOW (share_window));
}

static void
ferry_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  FerryApplication *self = FERRY_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      FerryWindow *window = ferry_application_get_idle_window (self);

      if (window == NULL)
        window = ferry_window_new (self);

      gtk_window_present (GTK_WINDOW (window));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", "s", uri);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Ferry developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Ferry"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Ferry developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Move files between your computer and a server on "
                                      "your network"),
                        "website", "https://github.com/ferryftp/ferry",
                        "issue-url", "https://github.com/ferryftp/ferry/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWidget *preferences;

  preferences = ferry_preferences_window_new (gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing each window lets it save its size. Quitting stops sharing without asking. */
  for (GList *l = windows; l != NULL; l = l->next)
    if (FERRY_IS_SHARE_WINDOW (l->data))
      gtk_window_destroy (l->data);
    else
      gtk_window_close (l->data);
  g_list_free (windows);

  g_application_quit (G_APPLICATION (app));
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.refresh", { "F5", "<Control>r", NULL } },
  { "win.go-up", { "<Alt>Up", NULL } },
  { "win.go-back", { "<Alt>Left", NULL } },
  { "win.location", { "<Control>l", NULL } },
  { "win.upload-files", { "<Control>u", NULL } },
  { "win.show-hidden", { "<Control>h", NULL } },
  { "win.new-folder", { "<Control><Shift>n", NULL } },
  { "win.show-progress", { "<Control><Shift>t", NULL } },
  { "win.disconnect", { "<Control><Shift>w", NULL } },
};

static void
on_drag_cache_pruned (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint removed = ferry_drag_cache_prune_finish (result, &error);

  if (error != NULL)
    g_debug ("Could not clean the drag cache: %s", error->message);
  else if (removed > 0)
    g_debug ("Removed %u old drag folders from the cache", removed);
}

static void
ferry_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ferry_application_parent_class)->startup (app);

  ferry_a11y_install ();

  /* Files dragged out in earlier runs: the drop targets have long copied them. */
  ferry_drag_cache_prune_async (FERRY_DRAG_CACHE_MAX_AGE, NULL, on_drag_cache_pruned, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  ferry_share_window_add_app_actions (GTK_APPLICATION (app));
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), app_accels[i].action,
                                           app_accels[i].accels);
}

/* Quit does not wait for the windows' questions: the files they edit end here, so that
 * unchanged copies leave the cache and changed ones are named. */
static void
ferry_application_shutdown (GApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (FERRY_IS_WINDOW (l->data))
      ferry_window_end_edits (l->data);

  G_APPLICATION_CLASS (ferry_application_parent_class)->shutdown (app);
}

static void
ferry_application_class_init (FerryApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = ferry_application_activate;
  app_class->open = ferry_application_open;
  app_class->startup = ferry_application_startup;
  app_class->shutdown = ferry_application_shutdown;
}

static void
ferry_application_init (FerryApplication *self)
{
  /* `ferry --help` shows that a server address may follow. */
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[ftp://[USER@]HOST[:PORT]/PATH…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Browse, download and upload files on an FTP "
                                              "server."));
}

FerryApplication *
ferry_application_new (void)
{
  return g_object_new (FERRY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/ferryftp/Ferry",
                       NULL);
}
