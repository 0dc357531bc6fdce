// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-vpath.c — virtual-path resolution and name checks on arbitrary text.
 *
 * The input is "cwd\0path" (or just a path). Invariants: a resolved path starts with '/',
 * has no empty, "." or ".." segment and no trailing '/' (except "/"), is at most
 * FERRY_VPATH_MAX bytes, resolves to itself again, and splits into dirname + basename. A
 * name accepted as safe has no slash, backslash or control character and is valid UTF-8. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

static void
check_normalised (const char *vpath)
{
  gsize len = strlen (vpath);
  char *again, *dir, *base, *joined;

  FUZZ_CHECK (vpath[0] == '/');
  FUZZ_CHECK (len <= FERRY_VPATH_MAX);
  FUZZ_CHECK (len == 1 || vpath[len - 1] != '/');
  FUZZ_CHECK (strstr (vpath, "//") == NULL);
  FUZZ_CHECK (strstr (vpath, "/./") == NULL && !g_str_has_suffix (vpath, "/."));
  FUZZ_CHECK (strstr (vpath, "/../") == NULL && !g_str_has_suffix (vpath, "/.."));

  again = ferry_vpath_resolve ("/", vpath, NULL);
  FUZZ_CHECK (again != NULL && strcmp (again, vpath) == 0);
  g_free (again);
  again = ferry_vpath_resolve (vpath, ".", NULL);
  FUZZ_CHECK (again != NULL && strcmp (again, vpath) == 0);
  g_free (again);

  FUZZ_CHECK (ferry_vpath_relative (vpath)[0] != '/');
  FUZZ_CHECK (ferry_vpath_relative (vpath)[0] != '\0');

  dir = ferry_vpath_dirname (vpath);
  base = ferry_vpath_basename (vpath);
  if (len == 1)
    FUZZ_CHECK (strcmp (dir, "/") == 0 && strcmp (base, "/") == 0);
  else
    {
      joined = ferry_vpath_resolve (dir, base, NULL);
      FUZZ_CHECK (joined != NULL && strcmp (joined, vpath) == 0);
      FUZZ_CHECK (strchr (base, '/') == NULL);
      g_free (joined);
    }
  g_free (dir);
  g_free (base);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *nul = memchr (data, '\0', size);
  char *first = g_strndup ((const char *) data, size);
  char *second = nul != NULL ? g_strndup (nul + 1, size - (gsize) (nul + 1 - (const char *) data))
                             : NULL;
  char *cwd, *resolved;
  GError *error = NULL;

  cwd = ferry_vpath_resolve ("/", first, NULL);
  if (cwd != NULL)
    {
      check_normalised (cwd);
      resolved = ferry_vpath_resolve (cwd, second, &error);
      if (resolved != NULL)
        {
          check_normalised (resolved);
          g_free (resolved);
        }
      else
        {
          FUZZ_CHECK (error != NULL && error->code == FERRY_PROTOCOL_ERROR_INVALID_NAME);
          g_clear_error (&error);
        }
      g_free (cwd);
    }

  if (ferry_name_is_safe_local (first, &error))
    {
      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (first[0] != '\0' && strcmp (first, ".") != 0 && strcmp (first, "..") != 0);
      FUZZ_CHECK (strpbrk (first, "/\\") == NULL);
      FUZZ_CHECK (g_utf8_validate (first, -1, NULL));
      for (const char *p = first; *p != '\0'; p++)
        FUZZ_CHECK ((guchar) *p >= 0x20 && *p != 0x7f);
    }
  else
    {
      FUZZ_CHECK (error != NULL && error->code == FERRY_PROTOCOL_ERROR_INVALID_NAME);
      g_clear_error (&error);
    }

  FUZZ_CHECK (ferry_name_is_hidden (first) == (first[0] == '.'));
  FUZZ_CHECK (ferry_name_is_listable (first) == (strpbrk (first, "\r\n") == NULL));

  g_free (first);
  g_free (second);
  return 0;
}
