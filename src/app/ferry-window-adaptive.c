// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-adaptive.c — FerryWindow in a narrow window (GNOME HIG, adaptive): below
 * FERRY_WINDOW_NARROW_WIDTH the header bar keeps Parent Folder, the path and the
 * menu; Back, Upload, New Folder and Reload move to a bar at the bottom, and the file list
 * drops its Modified column; the Connection Lost page stacks its buttons. Down to 360 px,
 * a phone's width, the path stays readable.
 *
 * libadwaita 1.2 has no AdwBreakpoint (1.4): the window follows its own allocated width,
 * as AdwLeaflet's "folded" does. The switch does not change the width it depends on, so
 * it cannot flip back and forth. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include "ferry-window-private.h"

/* Wider than the wide layout's minimum (about 440 px), so a window made narrower by hand
 * switches before it stops shrinking. */
#define FERRY_WINDOW_NARROW_WIDTH 600

/* The least the path gets beside the buttons: a folder name or two. */
#define NARROW_PATH_MIN_WIDTH 96

static GtkWidgetClass *window_parent_class;

static void
ferry_window_sync_bottom_bar (FerryWindow *self)
{
  gtk_action_bar_set_revealed (self->bottom_bar, self->narrow && self->browsing);
}

static void
ferry_window_adaptive_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  gboolean narrow = width < FERRY_WINDOW_NARROW_WIDTH;

  if (narrow != self->narrow)
    {
      _ferry_window_set_narrow (self, narrow);
      gtk_scrolled_window_set_min_content_width (self->breadcrumbs_scroller,
                                                 narrow ? NARROW_PATH_MIN_WIDTH : -1);
      /* The location entry (Ctrl+L) fits where the path was. */
      gtk_editable_set_width_chars (GTK_EDITABLE (self->location_entry), narrow ? 8 : 32);
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->lost_buttons),
                                      narrow ? GTK_ORIENTATION_VERTICAL
                                             : GTK_ORIENTATION_HORIZONTAL);
      ferry_window_sync_bottom_bar (self);
    }

  window_parent_class->size_allocate (widget, width, height, baseline);
}

void
_ferry_window_class_add_adaptive (GtkWidgetClass *widget_class)
{
  window_parent_class = g_type_class_peek_parent (widget_class);
  widget_class->size_allocate = ferry_window_adaptive_size_allocate;

  gtk_widget_class_bind_template_child_full (widget_class, "bottom_bar", FALSE,
                                             G_STRUCT_OFFSET (FerryWindow, bottom_bar));
  gtk_widget_class_bind_template_child_full (widget_class, "header_actions", FALSE,
                                             G_STRUCT_OFFSET (FerryWindow, header_actions));
  gtk_widget_class_bind_template_child_full (widget_class, "lost_buttons", FALSE,
                                             G_STRUCT_OFFSET (FerryWindow, lost_buttons));
}

void
_ferry_window_adaptive_init (FerryWindow *self)
{
  g_signal_connect (self, "notify::browsing", G_CALLBACK (ferry_window_sync_bottom_bar), NULL);
}
