// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-app-test-utils.c — shared helpers for the GTK tests. */
#define G_LOG_DOMAIN "ferry-test"

#include "ferry-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ferry-app-test-utils.h"

void
ferry_test_init (int    *argc,
                 char ***argv)
{
  /* Settings live in memory only; the schema comes from the build folder. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  /* Xvfb has no GPU; probing Mesa's software GL only leaks 128 bytes in a dlclose()d
   * driver, which LeakSanitizer cannot name. The cairo renderer needs no GL at all. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_disable_setlocale ();
  gtk_init ();
  adw_init ();

  /* AdwApplication loads the app's style sheet; bare test windows need it by hand. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/io/github/ferryftp/Ferry/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until condition (data) is true or timeout_ms pass; FALSE on timeout. */
gboolean
ferry_test_wait_for (FerryTestCondition condition,
                     gpointer           data,
                     guint              timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
ferry_test_spin (guint ms)
{
  ferry_test_wait_for (never, NULL, ms);
}

GBytes *
ferry_test_read_file (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;

  return g_bytes_new_take (contents, length);
}

/* Saves the widget as NAME.png into $FERRY_TEST_SCREENSHOTS, when that is set. */
void
ferry_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  const char *folder = g_getenv ("FERRY_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  if (folder == NULL || folder[0] == '\0')
    return;

  /* Let animations (crossfades, revealers) settle first. */
  ferry_test_spin (700);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || width <= 0 || height <= 0)
    {
      g_printerr ("# no screenshot %s: the widget is not drawn (%d×%d)\n", name, width, height);
      return;
    }

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (folder, 0755);
  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (folder, file_name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_warning ("Could not save %s", path);
}

char *
ferry_test_make_tmpdir (const char *name)
{
  g_autofree char *template = g_strdup_printf ("ferry-%s-XXXXXX", name);

  return g_dir_make_tmp (template, NULL);
}

void
ferry_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ferry_test_rm_rf (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}
