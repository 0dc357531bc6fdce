// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-vpath.c — virtual paths: join with the working folder, normalise, never rise above "/". */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-vpath.h"
#include "ferry-protocol-error.h"

#include <string.h>
#include <glib/gi18n.h>

/* Appends the segments of path to out (which holds a normalised absolute path without a
 * trailing '/', "" standing for the root). */
static void
append_segments (GString    *out,
                 const char *path)
{
  const char *p = path;
  const char *path_end = path + strlen (path);

  /* memchr over known lengths, not strchr: linear even for a 10 MB path. */
  while (p < path_end)
    {
      const char *end;
      gsize len;

      while (p < path_end && *p == '/')
        p++;
      if (p == path_end)
        break;

      end = memchr (p, '/', (gsize) (path_end - p));
      if (end == NULL)
        end = path_end;
      len = (gsize) (end - p);

      if (len == 1 && p[0] == '.')
        ;
      else if (len == 2 && p[0] == '.' && p[1] == '.')
        {
          /* Scanning back only over the last segment keeps "a/a/…/../.." linear. */
          gsize cut = out->len;

          while (cut > 0 && out->str[cut - 1] != '/')
            cut--;
          g_string_truncate (out, cut > 0 ? cut - 1 : 0);
        }
      else
        {
          g_string_append_c (out, '/');
          g_string_append_len (out, p, (gssize) len);
        }
      p = end;
    }
}

char *
ferry_vpath_resolve (const char  *cwd,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (path == NULL || path[0] != '/')
    append_segments (out, cwd != NULL ? cwd : "/");
  if (path != NULL)
    append_segments (out, path);

  if (out->len == 0)
    g_string_append_c (out, '/');

  if (out->len > FERRY_VPATH_MAX)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_INVALID_NAME,
                   _("The path is %zu bytes long; at most %d are allowed"),
                   out->len, FERRY_VPATH_MAX);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
ferry_vpath_relative (const char *vpath)
{
  g_return_val_if_fail (vpath != NULL, ".");

  while (*vpath == '/')
    vpath++;
  return *vpath != '\0' ? vpath : ".";
}

char *
ferry_vpath_basename (const char *vpath)
{
  const char *slash;

  g_return_val_if_fail (vpath != NULL, NULL);

  slash = strrchr (vpath, '/');
  if (slash == NULL)
    return g_strdup (vpath);
  if (slash[1] == '\0')
    return g_strdup ("/");
  return g_strdup (slash + 1);
}

char *
ferry_vpath_dirname (const char *vpath)
{
  const char *slash;

  g_return_val_if_fail (vpath != NULL, NULL);

  slash = strrchr (vpath, '/');
  if (slash == NULL || slash == vpath)
    return g_strdup ("/");
  return g_strndup (vpath, (gsize) (slash - vpath));
}

char *
ferry_vpath_join (const char *folder,
                  const char *name)
{
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_has_suffix (folder, "/"))
    return g_strconcat (folder, name, NULL);
  return g_strconcat (folder, "/", name, NULL);
}

gboolean
ferry_name_is_hidden (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return name[0] == '.';
}

gboolean
ferry_name_is_listable (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return strpbrk (name, "\r\n") == NULL;
}

gboolean
ferry_name_is_safe_local (const char  *name,
                          GError     **error)
{
  const char *problem = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  if (name[0] == '\0')
    problem = _("The server sent an empty file name");
  else if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    problem = _("The server sent the file name “.” or “..”, which names a folder, not a file");
  else if (!g_utf8_validate (name, -1, NULL))
    problem = _("The server sent a file name that is not valid UTF-8");
  else
    {
      for (const char *p = name; *p != '\0'; p++)
        {
          if (*p == '/' || *p == '\\')
            {
              problem = _("The server sent a file name containing a slash or backslash, "
                          "which could write outside the chosen folder");
              break;
            }
          if ((guchar) *p < 0x20 || *p == 0x7f)
            {
              problem = _("The server sent a file name containing control characters");
              break;
            }
          /* C1 controls (U+0080–U+009F, "\xC2\x80"–"\xC2\x9F" in UTF-8): U+009B starts
           * a terminal sequence as ESC [ does. */
          if ((guchar) p[0] == 0xc2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9f)
            {
              problem = _("The server sent a file name containing control characters");
              break;
            }
        }
    }

  if (problem != NULL)
    {
      g_set_error_literal (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_INVALID_NAME,
                           problem);
      return FALSE;
    }
  return TRUE;
}
