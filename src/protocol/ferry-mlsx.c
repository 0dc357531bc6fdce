// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-mlsx.c — MLSD/MLST fact lines (RFC 3659 §7). */
#define G_LOG_DOMAIN "ferry-protocol"

#include "ferry-mlsx.h"
#include "ferry-format-private.h"
#include "ferry-protocol-error.h"
#include "ferry-time.h"

#include <string.h>
#include <glib/gi18n.h>

static gboolean
fact_is (const char *fact,
         gsize       len,
         const char *name)
{
  return strlen (name) == len && g_ascii_strncasecmp (fact, name, len) == 0;
}

static FerryEntryType
parse_type (const char *value,
            gsize       len)
{
  if (fact_is (value, len, "file"))
    return FERRY_ENTRY_FILE;
  if (fact_is (value, len, "dir"))
    return FERRY_ENTRY_DIRECTORY;
  if (fact_is (value, len, "cdir"))
    return FERRY_ENTRY_CURRENT_DIR;
  if (fact_is (value, len, "pdir"))
    return FERRY_ENTRY_PARENT_DIR;
  /* "OS.unix=symlink" (ours, proftpd) and "OS.unix=slink:/target" (pure-ftpd) */
  if (len >= 15 && g_ascii_strncasecmp (value, "OS.unix=symlink", 15) == 0)
    return FERRY_ENTRY_SYMLINK;
  if (len >= 13 && g_ascii_strncasecmp (value, "OS.unix=slink", 13) == 0)
    return FERRY_ENTRY_SYMLINK;
  return FERRY_ENTRY_OTHER;
}

static gboolean
fact_error (GError     **error,
            gint         code,
            const char  *fact,
            gsize        len)
{
  g_set_error (error, FERRY_PROTOCOL_ERROR, code,
               _("The listing fact “%.*s” has a value that cannot be used"),
               (int) MIN (len, 80), fact);
  return FALSE;
}

static gboolean
apply_fact (FerryEntry  *entry,
            const char  *fact,
            gsize        len,
            gboolean    *type_seen,
            GError     **error)
{
  const char *equals = memchr (fact, '=', len);
  const char *value;
  gsize name_len, value_len;

  if (len == 0)
    return TRUE;   /* ";;" — harmless, and some servers send it */
  if (equals == NULL || equals == fact)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                   _("The listing fact “%.*s” is not of the form name=value"),
                   (int) MIN (len, 80), fact);
      return FALSE;
    }
  name_len = (gsize) (equals - fact);
  value = equals + 1;
  value_len = len - name_len - 1;

  if (fact_is (fact, name_len, "type"))
    {
      entry->type = parse_type (value, value_len);
      *type_seen = TRUE;
    }
  else if (fact_is (fact, name_len, "size"))
    {
      if (!ferry_parse_size (value, value_len, &entry->size))
        return fact_error (error, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE, fact, len);
    }
  else if (fact_is (fact, name_len, "modify"))
    {
      g_autofree char *text = g_strndup (value, value_len);

      if (!ferry_time_parse (text, &entry->modified, error))
        return FALSE;
    }
  else if (fact_is (fact, name_len, "perm"))
    {
      g_free (entry->perm);
      entry->perm = g_strndup (value, value_len);
    }
  else if (fact_is (fact, name_len, "UNIX.mode"))
    {
      guint32 mode = 0;

      if (value_len == 0 || value_len > 5)
        return fact_error (error, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE, fact, len);
      for (gsize i = 0; i < value_len; i++)
        {
          if (value[i] < '0' || value[i] > '7')
            return fact_error (error, FERRY_PROTOCOL_ERROR_MALFORMED, fact, len);
          mode = mode * 8 + (guint32) (value[i] - '0');
        }
      if (mode > 07777)
        return fact_error (error, FERRY_PROTOCOL_ERROR_OUT_OF_RANGE, fact, len);
      entry->mode = mode & 0777;
    }
  return TRUE;
}

FerryEntry *
ferry_mlsx_parse_line (const char  *line,
                       GError     **error)
{
  g_autoptr(FerryEntry) entry = NULL;
  const char *space, *name, *p;
  gsize name_len;
  gboolean type_seen = FALSE;

  g_return_val_if_fail (line != NULL, NULL);

  space = strchr (line, ' ');
  if (space == NULL || (space != line && space[-1] != ';'))
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                   _("The listing line “%.80s” is not of the form “facts; name”"), line);
      return NULL;
    }

  name = space + 1;
  name_len = strlen (name);
  while (name_len > 0 && (name[name_len - 1] == '\n' || name[name_len - 1] == '\r'))
    name_len--;
  if (name_len == 0)
    {
      g_set_error (error, FERRY_PROTOCOL_ERROR, FERRY_PROTOCOL_ERROR_MALFORMED,
                   _("The listing line “%.80s” has no name"), line);
      return NULL;
    }

  entry = ferry_entry_new (NULL, FERRY_ENTRY_OTHER);
  entry->name = g_strndup (name, name_len);

  for (p = line; p < space;)
    {
      const char *semicolon = memchr (p, ';', (gsize) (space - p));

      if (!apply_fact (entry, p, (gsize) (semicolon - p), &type_seen, error))
        return NULL;
      p = semicolon + 1;
    }

  /* Without a type fact, a size is the best hint that this is a plain file. */
  if (!type_seen && entry->size != FERRY_ENTRY_UNKNOWN)
    entry->type = FERRY_ENTRY_FILE;

  return g_steal_pointer (&entry);
}

static const char *
type_fact (FerryEntryType type)
{
  switch (type)
    {
    case FERRY_ENTRY_FILE:
      return "type=file;";
    case FERRY_ENTRY_DIRECTORY:
      return "type=dir;";
    case FERRY_ENTRY_CURRENT_DIR:
      return "type=cdir;";
    case FERRY_ENTRY_PARENT_DIR:
      return "type=pdir;";
    case FERRY_ENTRY_SYMLINK:
      return "type=OS.unix=symlink;";
    case FERRY_ENTRY_OTHER:
    default:
      return "type=OS.unix=special;";
    }
}

void
ferry_mlsx_append_line (GString          *out,
                        const FerryEntry *entry,
                        FerryMlsxFacts    facts)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (entry != NULL && entry->name != NULL);

  if (facts & FERRY_MLSX_FACT_TYPE)
    g_string_append (out, type_fact (entry->type));
  if ((facts & FERRY_MLSX_FACT_SIZE) && entry->size >= 0)
    {
      g_string_append_len (out, "size=", 5);
      ferry_string_append_uint64 (out, (guint64) entry->size);
      g_string_append_c (out, ';');
    }
  if ((facts & FERRY_MLSX_FACT_MODIFY) && entry->modified != FERRY_ENTRY_UNKNOWN)
    {
      g_string_append_len (out, "modify=", 7);
      ferry_time_append (out, entry->modified);
      g_string_append_c (out, ';');
    }
  if ((facts & FERRY_MLSX_FACT_PERM) && entry->perm != NULL)
    {
      g_string_append_len (out, "perm=", 5);
      g_string_append (out, entry->perm);
      g_string_append_c (out, ';');
    }
  if ((facts & FERRY_MLSX_FACT_UNIX_MODE) && entry->mode != 0)
    {
      char mode[4] = {
        (char) ('0' + ((entry->mode >> 9) & 7)), (char) ('0' + ((entry->mode >> 6) & 7)),
        (char) ('0' + ((entry->mode >> 3) & 7)), (char) ('0' + (entry->mode & 7)),
      };

      g_string_append_len (out, "UNIX.mode=", 10);
      g_string_append_len (out, mode, 4);
      g_string_append_c (out, ';');
    }
  g_string_append_c (out, ' ');
  g_string_append (out, entry->name);
  g_string_append_len (out, "\r\n", 2);
}

static const struct {
  FerryMlsxFacts  fact;
  const char     *name;
} known_facts[] = {
  { FERRY_MLSX_FACT_TYPE, "Type" },
  { FERRY_MLSX_FACT_SIZE, "Size" },
  { FERRY_MLSX_FACT_MODIFY, "Modify" },
  { FERRY_MLSX_FACT_PERM, "Perm" },
  { FERRY_MLSX_FACT_UNIX_MODE, "UNIX.mode" },
};

char *
ferry_mlsx_format_feat (FerryMlsxFacts enabled)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (known_facts); i++)
    {
      g_string_append (out, known_facts[i].name);
      if (enabled & known_facts[i].fact)
        g_string_append_c (out, '*');
      g_string_append_c (out, ';');
    }
  return g_string_free (out, FALSE);
}

FerryMlsxFacts
ferry_mlsx_parse_opts (const char *arg)
{
  FerryMlsxFacts facts = 0;
  const char *p, *arg_end;

  if (arg == NULL)
    return 0;

  arg_end = arg + strlen (arg);
  for (p = arg; p < arg_end;)
    {
      const char *end = memchr (p, ';', (gsize) (arg_end - p));
      gsize len = end != NULL ? (gsize) (end - p) : (gsize) (arg_end - p);

      for (gsize i = 0; i < G_N_ELEMENTS (known_facts); i++)
        if (fact_is (p, len, known_facts[i].name))
          facts |= known_facts[i].fact;

      if (end == NULL)
        break;
      p = end + 1;
    }
  return facts;
}
