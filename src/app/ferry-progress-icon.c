// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-progress-icon.c — a small pie showing the overall transfer progress, drawn in the
 * foreground colour like Files' operations indicator. Once nothing runs any more, a full pie
 * would read as a black dot: it becomes a ring with a check mark, or with an exclamation
 * mark in the error colour when transfers failed. It has no template: it is only paint. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <math.h>

#include "ferry-progress-icon.h"

#define ICON_SIZE 16

struct _FerryProgressIcon
{
  GtkWidget parent_instance;
  double    fraction;
  gboolean  finished;
  guint     n_failed;
};

G_DEFINE_FINAL_TYPE (FerryProgressIcon, ferry_progress_icon, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_FINISHED,
  PROP_N_FAILED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A ring with a mark inside, stroked with lines a sixth of the icon wide. */
static void
draw_finished (FerryProgressIcon *self,
               cairo_t           *cr,
               double             size)
{
  double unit = size / 16.0;

  cairo_set_line_width (cr, 1.5 * unit);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_arc (cr, size / 2.0, size / 2.0, size / 2.0 - 0.75 * unit, 0, 2 * G_PI);
  cairo_stroke (cr);

  if (self->n_failed > 0)
    {
      cairo_move_to (cr, 8 * unit, 4.5 * unit);
      cairo_line_to (cr, 8 * unit, 8.5 * unit);
      cairo_stroke (cr);
      cairo_arc (cr, 8 * unit, 11.25 * unit, 1.0 * unit, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  else
    {
      cairo_move_to (cr, 4.75 * unit, 8.25 * unit);
      cairo_line_to (cr, 7.0 * unit, 10.5 * unit);
      cairo_line_to (cr, 11.25 * unit, 5.75 * unit);
      cairo_stroke (cr);
    }
}

static void
ferry_progress_icon_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  FerryProgressIcon *self = FERRY_PROGRESS_ICON (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double radius = MIN (width, height) / 2.0;
  cairo_t *cr;
  GdkRGBA color;

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
#endif

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->finished)
    {
      cairo_translate (cr, (width - 2 * radius) / 2.0, (height - 2 * radius) / 2.0);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
      draw_finished (self, cr, 2 * radius);
      cairo_destroy (cr);
      return;
    }

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.25);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_fill (cr);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
  cairo_move_to (cr, width / 2.0, height / 2.0);
  cairo_arc (cr, width / 2.0, height / 2.0, radius,
             -G_PI / 2, -G_PI / 2 + self->fraction * 2 * G_PI);
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_destroy (cr);
}

static void
ferry_progress_icon_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

static void
ferry_progress_icon_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FerryProgressIcon *self = FERRY_PROGRESS_ICON (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;

    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_progress_icon_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  FerryProgressIcon *self = FERRY_PROGRESS_ICON (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      ferry_progress_icon_set_fraction (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_progress_icon_class_init (FerryProgressIconClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ferry_progress_icon_get_property;
  object_class->set_property = ferry_progress_icon_set_property;
  widget_class->snapshot = ferry_progress_icon_snapshot;
  widget_class->measure = ferry_progress_icon_measure;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Read-only: both change together, through ferry_progress_icon_set_finished(). */
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "ferry-progress-icon");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
ferry_progress_icon_init (FerryProgressIcon *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "ferry-progress-indicator");
}

GtkWidget *
ferry_progress_icon_new (void)
{
  return g_object_new (FERRY_TYPE_PROGRESS_ICON, NULL);
}

double
ferry_progress_icon_get_fraction (FerryProgressIcon *self)
{
  g_return_val_if_fail (FERRY_IS_PROGRESS_ICON (self), 0.0);
  return self->fraction;
}

void
ferry_progress_icon_set_fraction (FerryProgressIcon *self,
                                  double             fraction)
{
  g_return_if_fail (FERRY_IS_PROGRESS_ICON (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fabs (fraction - self->fraction) < 0.001)
    return;

  self->fraction = fraction;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, fraction * 100.0,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

gboolean
ferry_progress_icon_get_finished (FerryProgressIcon *self)
{
  g_return_val_if_fail (FERRY_IS_PROGRESS_ICON (self), FALSE);
  return self->finished;
}

guint
ferry_progress_icon_get_n_failed (FerryProgressIcon *self)
{
  g_return_val_if_fail (FERRY_IS_PROGRESS_ICON (self), 0);
  return self->n_failed;
}

/* finished: nothing runs or waits any more; n_failed: how many of the list failed then. */
void
ferry_progress_icon_set_finished (FerryProgressIcon *self,
                                  gboolean           finished,
                                  guint              n_failed)
{
  g_return_if_fail (FERRY_IS_PROGRESS_ICON (self));

  finished = !!finished;
  n_failed = finished ? n_failed : 0;
  if (self->finished == finished && self->n_failed == n_failed)
    return;

  self->finished = finished;
  self->n_failed = n_failed;
  if (n_failed > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
}
