// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-remote-file.c — one row of the remote folder.
 *
 * Rows are created by the hundred thousand, so a row is only the entry and its path: the icon
 * and the formatted size and date are computed when a visible cell asks for them. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-display-text.h"
#include "ferry-remote-file.h"
#include "ferry-vpath.h"

struct _FerryRemoteFile
{
  GObject     parent_instance;
  FerryEntry *entry;
  char       *path;
};

G_DEFINE_FINAL_TYPE (FerryRemoteFile, ferry_remote_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_SIZE,
  PROP_MODIFIED,
  PROP_IS_FOLDER,
  PROP_ICON,
  PROP_SIZE_TEXT,
  PROP_MODIFIED_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ferry_remote_file_finalize (GObject *object)
{
  FerryRemoteFile *self = FERRY_REMOTE_FILE (object);

  g_clear_pointer (&self->entry, ferry_entry_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ferry_remote_file_parent_class)->finalize (object);
}

static void
ferry_remote_file_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FerryRemoteFile *self = FERRY_REMOTE_FILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, ferry_remote_file_get_name (self));
      break;

    case PROP_DISPLAY_NAME:
      g_value_take_string (value, ferry_display_text (self->entry->name, FALSE));
      break;

    case PROP_SIZE:
      g_value_set_int64 (value, self->entry->size);
      break;

    case PROP_MODIFIED:
      g_value_set_int64 (value, self->entry->modified);
      break;

    case PROP_IS_FOLDER:
      g_value_set_boolean (value, ferry_remote_file_is_folder (self));
      break;

    case PROP_ICON:
      g_value_take_object (value, ferry_remote_file_get_icon (self));
      break;

    case PROP_SIZE_TEXT:
      g_value_take_string (value, ferry_remote_file_format_size (self));
      break;

    case PROP_MODIFIED_TEXT:
      g_value_take_string (value, ferry_remote_file_format_modified (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_remote_file_class_init (FerryRemoteFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_remote_file_finalize;
  object_class->get_property = ferry_remote_file_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The name as shown: control characters, bidirectional overrides and bytes that are not
   * UTF-8 escaped ("\x1B", "\u202E"), since the server (or any uploader) chose it. */
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Sort keys for the column view's sorters. */
  properties[PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_int64 ("modified", NULL, NULL, G_MININT64, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_FOLDER] =
    g_param_spec_boolean ("is-folder", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* What the cells show (ferry-file-*-cell.ui). */
  properties[PROP_ICON] =
    g_param_spec_object ("icon", NULL, NULL, G_TYPE_ICON,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE_TEXT] =
    g_param_spec_string ("size-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED_TEXT] =
    g_param_spec_string ("modified-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_remote_file_init (FerryRemoteFile *self)
{
}

/* Takes ownership of entry. folder is the remote folder it was listed in. */
FerryRemoteFile *
ferry_remote_file_new (FerryEntry *entry,
                       const char *folder)
{
  FerryRemoteFile *self;

  g_return_val_if_fail (entry != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (FERRY_TYPE_REMOTE_FILE, NULL);
  self->entry = entry;
  self->path = ferry_vpath_join (folder, entry->name);

  return self;
}

const char *
ferry_remote_file_get_name (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);
  return self->entry->name;
}

char *
ferry_remote_file_get_display_name (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);
  return ferry_display_text (self->entry->name, FALSE);
}

const char *
ferry_remote_file_get_path (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);
  return self->path;
}

gboolean
ferry_remote_file_is_folder (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), FALSE);
  return self->entry->type == FERRY_ENTRY_DIRECTORY;
}

FerryEntryType
ferry_remote_file_get_kind (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), FERRY_ENTRY_OTHER);
  return self->entry->type;
}

gint64
ferry_remote_file_get_size (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), FERRY_ENTRY_UNKNOWN);
  return self->entry->size;
}

gint64
ferry_remote_file_get_modified (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), FERRY_ENTRY_UNKNOWN);
  return self->entry->modified;
}

/* A themed icon from the name alone: a remote file has no local content to sniff. */
GIcon *
ferry_remote_file_get_icon (FerryRemoteFile *self)
{
  g_autofree char *content_type = NULL;

  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  switch (self->entry->type)
    {
    case FERRY_ENTRY_DIRECTORY:
      return g_themed_icon_new ("folder");

    case FERRY_ENTRY_SYMLINK:
      return g_themed_icon_new_with_default_fallbacks ("emblem-symbolic-link");

    case FERRY_ENTRY_FILE:
    case FERRY_ENTRY_OTHER:
    case FERRY_ENTRY_CURRENT_DIR:
    case FERRY_ENTRY_PARENT_DIR:
    default:
      content_type = g_content_type_guess (self->entry->name, NULL, 0, NULL);
      return g_content_type_get_icon (content_type);
    }
}

char *
ferry_remote_file_format_size (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  if (self->entry->type == FERRY_ENTRY_DIRECTORY || self->entry->size < 0)
    return g_strdup ("—");

  return g_format_size ((guint64) self->entry->size);
}

char *
ferry_remote_file_format_modified (FerryRemoteFile *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  if (self->entry->modified < 0)
    return g_strdup ("—");

  utc = g_date_time_new_from_unix_utc (self->entry->modified);
  if (utc == NULL)
    return g_strdup ("—");

  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a modification time today, see g_date_time_format() */
    return g_date_time_format (local, _("Today %H:%M"));

  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a modification date this year, see g_date_time_format() */
    return g_date_time_format (local, _("%e %b %H:%M"));

  /* Translators: a modification date in another year, see g_date_time_format() */
  return g_date_time_format (local, _("%e %b %Y"));
}
