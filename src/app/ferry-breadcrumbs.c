// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-breadcrumbs.c — the path bar's crumbs: the server (standing for "/"), then one
 * button per folder down to the one shown.
 *
 * As in GNOME Files, going up keeps the deeper crumbs: from /a/b/c up to /a the bar still
 * shows "b" and "c" (dimmed), one click away, until the user goes somewhere off that
 * branch. The crumbs scroll inside the header bar instead of widening the window, keeping
 * the folder shown in view. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-breadcrumbs.h"

/* Long names are shortened in the middle ("ferry-des…-client"); the tooltip has them. */
#define CRUMB_MAX_CHARS 20

static GtkWidget *
create_crumb (const char *label,
              const char *path,
              gboolean    current,
              gboolean    deeper)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  GtkWidget *text = gtk_button_get_child (GTK_BUTTON (button));

  /* Only long names: an ellipsizing label may shrink to "…", and the scrolled crumbs
   * would then all shrink instead of scrolling. width-chars keeps the shortened one's
   * minimum at its maximum. */
  if (g_utf8_strlen (label, -1) > CRUMB_MAX_CHARS)
    {
      gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (text), CRUMB_MAX_CHARS);
      gtk_label_set_max_width_chars (GTK_LABEL (text), CRUMB_MAX_CHARS);
      gtk_widget_set_tooltip_text (button, label);
    }
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-folder");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
  if (current)
    {
      gtk_widget_add_css_class (button, "heading");
      gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                                   GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
    }
  else if (deeper)
    gtk_widget_add_css_class (button, "dim-label");

  return button;
}

static GtkWidget *
current_crumb (GtkBox *crumbs)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (crumbs)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_has_css_class (child, "heading"))
      return child;
  return NULL;
}

typedef struct {
  GtkAdjustment *adjustment;
  GtkBox        *crumbs;
} ScrollRequest;

static void
scroll_request_free (gpointer data)
{
  ScrollRequest *request = data;

  g_object_unref (request->adjustment);
  g_object_unref (request->crumbs);
  g_free (request);
}

/* Brings the crumb of the folder shown to the right edge when the crumbs are wider than
 * the bar: the path up to it stays in view, the deeper crumbs lie beyond (a scroll away).
 * Only a new layout moves it, so the user can still scroll. The adjustment changes during
 * allocation, when a new value would not be drawn: set it just after. */
static gboolean
scroll_to_current (gpointer data)
{
  ScrollRequest *request = data;
  GtkAdjustment *adjustment = request->adjustment;
  GtkWidget *crumb = current_crumb (request->crumbs);
  double end = gtk_adjustment_get_upper (adjustment);
  graphene_rect_t bounds;

  if (crumb != NULL &&
      gtk_widget_compute_bounds (crumb, GTK_WIDGET (request->crumbs), &bounds))
    end = bounds.origin.x + bounds.size.width;

  gtk_adjustment_set_value (adjustment, end - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

static void
queue_scroll (GtkAdjustment *adjustment,
              GtkBox        *crumbs)
{
  ScrollRequest *request = g_new0 (ScrollRequest, 1);

  request->adjustment = g_object_ref (adjustment);
  request->crumbs = g_object_ref (crumbs);
  g_idle_add_full (G_PRIORITY_DEFAULT, scroll_to_current, request, scroll_request_free);
}

/* crumbs sits in scroller: keep the folder shown in view as the layout changes. */
void
ferry_breadcrumbs_init (GtkScrolledWindow *scroller,
                        GtkBox            *crumbs)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (scroller);

  g_object_set_data (G_OBJECT (crumbs), "ferry-breadcrumbs-adjustment", adjustment);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (queue_scroll), crumbs, 0);
}

/* Whether path is branch or one of the folders above it. */
static gboolean
is_on_branch (const char *path,
              const char *branch)
{
  gsize len = strlen (path);

  if (branch == NULL || strncmp (branch, path, len) != 0)
    return FALSE;
  return branch[len] == '\0' || branch[len] == '/' || (len > 0 && path[len - 1] == '/');
}

/* Shows path (the folder shown) on server host. *branch is the deepest folder of the
 * crumbs: kept when path lies on it, replaced by path otherwise (NULL path: cleared). */
void
ferry_breadcrumbs_show (GtkBox      *crumbs,
                        const char  *host,
                        const char  *path,
                        char       **branch)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) prefix = g_string_new ("");
  GtkAdjustment *adjustment;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (crumbs))) != NULL)
    gtk_box_remove (crumbs, child);

  if (path == NULL)
    {
      g_clear_pointer (branch, g_free);
      return;
    }

  if (!is_on_branch (path, *branch))
    {
      g_free (*branch);
      *branch = g_strdup (path);
    }

  /* The server is the first crumb: it stands for "/". */
  gtk_box_append (crumbs, create_crumb (host, "/", g_strcmp0 (path, "/") == 0, FALSE));

  parts = g_strsplit (*branch, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      GtkWidget *separator;

      if (parts[i][0] == '\0')
        continue;

      g_string_append_c (prefix, '/');
      g_string_append (prefix, parts[i]);

      separator = gtk_label_new ("/");
      gtk_widget_add_css_class (separator, "dim-label");
      gtk_box_append (crumbs, separator);
      /* On the branch, a longer path is a deeper folder. */
      gtk_box_append (crumbs, create_crumb (parts[i], prefix->str,
                                            g_strcmp0 (prefix->str, path) == 0,
                                            prefix->len > strlen (path)));
    }

  /* The crumbs may be as wide as before (going up a branch): bring the current one in. */
  adjustment = g_object_get_data (G_OBJECT (crumbs), "ferry-breadcrumbs-adjustment");
  if (adjustment != NULL)
    queue_scroll (adjustment, crumbs);
}
