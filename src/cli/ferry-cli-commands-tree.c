// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-commands-tree.c — looking at remote files and trees: du, find, stat, cat (shown
 * as it arrives). */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-cli-commands-private.h"
#include "ferry-cli-glob.h"
#include "ferry-cli-transfer.h"
#include "ferry-cli-walk.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* du, find --------------------------------------------------------------------------------- */

typedef struct {
  char     *shown_root;   /* how the lines name the root: the word typed, or "." */
  char     *pattern;      /* find: base names to show, or NULL for all */
  gboolean  find;
} TreeCommand;

static void
tree_command_free (TreeCommand *command)
{
  g_free (command->shown_root);
  g_free (command->pattern);
  g_free (command);
}

static void
on_walked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TreeCommand *command = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GError *error = NULL;
  guint64 bytes = 0;
  guint files = 0;
  guint folders = 0;
  gboolean sizes_known = TRUE;

  items = ferry_cli_walk_remote_finish (result, &error);
  if (items == NULL)
    {
      g_autofree char *what = g_strdup_printf (command->find ? _("cannot search %s")
                                                             : _("cannot measure %s"),
                                               command->shown_root);

      ferry_cli_return_failure (task, error, what);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      const FerryCliTreeItem *item = g_ptr_array_index (items, i);

      if (item->is_dir)
        folders++;
      else if (item->size >= 0)
        files++, bytes += item->size;
      else
        files++, sizes_known = FALSE;

      if (command->find)
        {
          g_autofree char *base = g_path_get_basename (item->path);
          g_autofree char *path = NULL;
          g_autofree char *shown = NULL;

          if (command->pattern != NULL && !ferry_cli_glob_match (command->pattern, base))
            continue;
          path = ferry_cli_path_join (command->shown_root, item->path);
          shown = ferry_cli_escape (path);
          g_string_append_printf (out, "%s%s\n", shown, item->is_dir ? "/" : "");
        }
    }
  if (!command->find)
    {
      g_autofree char *size = g_format_size (bytes);
      g_autofree char *shown = ferry_cli_escape (command->shown_root);

      /* Translators: "12.3 MB  (12345678 bytes) in 42 files, 3 folders: photos". */
      g_string_append_printf (out, _("%s  (%" PRIu64 " bytes) in %u files, "
                                     "%u folders: %s%s\n"),
                              size, bytes, files, folders, shown,
                              sizes_known ? "" : _(" (some sizes unknown)"));
    }
  ferry_cli_print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

static void
start_walk (FerryCliContext *context,
            GTask           *task,
            const char      *path,
            const char      *pattern,
            gboolean         find)
{
  TreeCommand *command = g_new0 (TreeCommand, 1);
  g_autofree char *root = ferry_cli_absolute_remote (context, path);

  command->shown_root = g_strdup (path != NULL ? path : ".");
  command->pattern = g_strdup (pattern);
  command->find = find;
  g_task_set_task_data (task, command, (GDestroyNotify) tree_command_free);
  ferry_cli_walk_remote_async (context->client, root, g_task_get_cancellable (task),
                               on_walked, g_object_ref (task));
}

void
ferry_cli_command_du (FerryCliContext          *context,
                      const FerryCliInvocation *invocation,
                      GTask                    *task)
{
  start_walk (context, task, invocation->n_args > 0 ? invocation->args[0] : NULL, NULL, FALSE);
}

void
ferry_cli_command_find (FerryCliContext          *context,
                        const FerryCliInvocation *invocation,
                        GTask                    *task)
{
  const char *path = invocation->n_args > 0 ? invocation->args[0] : NULL;
  const char *pattern = invocation->n_args > 1 ? invocation->args[1] : NULL;

  /* "find *.jpg": one word with a wildcard is the pattern, searched from here. */
  if (invocation->n_args == 1 && ferry_cli_glob_has_magic (path))
    {
      pattern = path;
      path = NULL;
    }
  start_walk (context, task, path, pattern, TRUE);
}

/* stat --------------------------------------------------------------------------------------- */

typedef struct {
  char       *path;
  FerryEntry *entry;
} StatCommand;

static void
stat_command_free (StatCommand *command)
{
  g_free (command->path);
  g_clear_pointer (&command->entry, ferry_entry_free);
  g_free (command);
}

static void
print_stat (GTask *task)
{
  StatCommand *command = g_task_get_task_data (task);
  const FerryEntry *entry = command->entry;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *shown = ferry_cli_escape (command->path);
  const char *type;

  switch (entry->type)
    {
    case FERRY_ENTRY_FILE:      type = _("file"); break;
    case FERRY_ENTRY_DIRECTORY: type = _("folder"); break;
    case FERRY_ENTRY_SYMLINK:   type = _("symbolic link"); break;
    default:                    type = _("other"); break;
    }
  g_string_append_printf (out, _("  name: %s\n  type: %s\n"), shown, type);
  if (entry->size >= 0 && entry->type != FERRY_ENTRY_DIRECTORY)
    {
      g_autofree char *size = g_format_size (entry->size);

      g_string_append_printf (out, _("  size: %" PRId64 " bytes (%s)\n"),
                              entry->size, size);
    }
  if (entry->modified >= 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (entry->modified);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S %z");

      g_string_append_printf (out, _("  modified: %s\n"), text);
    }
  if (entry->mode != 0)
    {
      char bits[10];

      for (int i = 0; i < 9; i++)
        bits[i] = (entry->mode & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
      bits[9] = '\0';
      g_string_append_printf (out, _("  permissions: %s (%03o)\n"), bits, entry->mode & 0777);
    }
  if (entry->perm != NULL)
    g_string_append_printf (out, _("  allowed (MLSD perm): %s\n"), entry->perm);
  if (entry->link_target != NULL)
    {
      g_autofree char *target = ferry_cli_escape (entry->link_target);

      g_string_append_printf (out, _("  points to: %s\n"), target);
    }
  ferry_cli_print_text (out->str);
  g_task_return_boolean (task, TRUE);
}

static void
on_stat_mdtm (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StatCommand *command = g_task_get_task_data (task);
  g_autoptr(GDateTime) time = ferry_client_mdtm_finish (FERRY_CLIENT (source), result, NULL);

  /* MDTM is exact where a LIST line may show minutes or only a day. */
  if (time != NULL)
    command->entry->modified = g_date_time_to_unix (time);
  print_stat (task);
}

static void
on_stat_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StatCommand *command = g_task_get_task_data (task);
  FerryClient *client = FERRY_CLIENT (source);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *base = g_path_get_basename (command->path);
  g_autofree char *what = g_strdup_printf (_("cannot look at %s"), command->path);
  GError *error = NULL;

  entries = ferry_client_list_finish (client, result, &error);
  if (entries == NULL)
    {
      ferry_cli_return_failure (task, error, what);
      return;
    }
  for (guint i = 0; i < entries->len && command->entry == NULL; i++)
    {
      const FerryEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->name, base))
        command->entry = ferry_entry_copy (entry);
    }
  if (command->entry == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_FOUND,
                               _("%s: no such file or folder on the server (ls shows what "
                                 "is there)"), what);
      return;
    }
  if (command->entry->type == FERRY_ENTRY_FILE && !ferry_client_has_mlsd (client)
      && (ferry_client_get_features (client) & FERRY_CLIENT_FEATURE_MDTM))
    {
      ferry_client_mdtm_async (client, command->path, g_task_get_cancellable (task),
                               on_stat_mdtm, g_object_ref (task));
      return;
    }
  print_stat (task);
}

void
ferry_cli_command_stat (FerryCliContext          *context,
                        const FerryCliInvocation *invocation,
                        GTask                    *task)
{
  StatCommand *command = g_new0 (StatCommand, 1);
  g_autofree char *absolute = ferry_cli_absolute_remote (context, invocation->args[0]);
  g_autofree char *parent = NULL;

  while (strlen (absolute) > 1 && g_str_has_suffix (absolute, "/"))
    absolute[strlen (absolute) - 1] = '\0';
  command->path = g_strdup (invocation->args[0]);
  g_task_set_task_data (task, command, (GDestroyNotify) stat_command_free);
  if (g_str_equal (absolute, "/"))
    {
      command->entry = ferry_entry_new ("/", FERRY_ENTRY_DIRECTORY);
      command->entry->size = FERRY_ENTRY_UNKNOWN;
      command->entry->modified = FERRY_ENTRY_UNKNOWN;
      print_stat (task);
      return;
    }
  parent = g_path_get_dirname (absolute);
  ferry_client_list_async (context->client, parent, g_task_get_cancellable (task),
                           on_stat_listed, g_object_ref (task));
}

/* cat ---------------------------------------------------------------------------------------- */

/* A line longer than this is shown in pieces (cut between characters), so a file without
 * newlines is not held in memory. */
#define CAT_PIECE_MAX (64 * 1024)

typedef struct {
  GString  *pending;          /* the end of a line (or of a character) not shown yet */
  gboolean  ends_in_newline;
} CatCommand;

static void
cat_command_free (CatCommand *command)
{
  g_string_free (command->pending, TRUE);
  g_free (command);
}

/* Shows len bytes of text, escaped: whoever wrote the file must not move the cursor, retitle
 * the window or hide text on the terminal. */
static void
cat_show (CatCommand *command,
          const char *text,
          gsize       len)
{
  g_autoptr(GString) piece = g_string_sized_new (len);
  g_autofree char *safe = NULL;

  if (len == 0)
    return;
  /* A NUL byte would end the text early: it is shown like the other controls. */
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\0')
        g_string_append (piece, "\\x00");
      else
        g_string_append_c (piece, text[i]);
    }
  safe = ferry_cli_escape_lines (piece->str);
  fputs (safe, stdout);
  command->ends_in_newline = text[len - 1] == '\n';
}

/* Where a piece of pending may end without cutting a character in two: after the last
 * newline, else (a long line) before an unfinished UTF-8 sequence at the end. */
static gsize
cat_cut (const GString *pending)
{
  gsize cut = pending->len;

  for (gsize i = pending->len; i > 0; i--)
    if (pending->str[i - 1] == '\n')
      return i;
  if (pending->len < CAT_PIECE_MAX)
    return 0;
  for (gsize back = 1; back <= 3 && back <= pending->len; back++)
    {
      guchar c = pending->str[pending->len - back];

      if ((c & 0xC0) == 0x80)
        continue;   /* a continuation byte: look further back for its start */
      if (c >= 0xC0 && back < (gsize) (c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2))
        cut = pending->len - back;
      break;
    }
  return cut;
}

/* Each piece as it arrives: whole lines are shown at once, while the server still sends. */
static void
on_cat_chunk (const guint8 *data,
              gsize         len,
              gpointer      user_data)
{
  CatCommand *command = user_data;
  gsize cut;

  g_string_append_len (command->pending, (const char *) data, len);
  cut = cat_cut (command->pending);
  if (cut == 0)
    return;
  cat_show (command, command->pending->str, cut);
  g_string_erase (command->pending, 0, cut);
  fflush (stdout);
}

static void
on_cat_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CatCommand *command = g_task_get_task_data (task);
  const FerryCliInvocation *invocation = ferry_cli_task_invocation (task);
  g_autofree char *what = g_strdup_printf (_("cannot show %s"), invocation->args[0]);
  GError *error = NULL;
  gboolean ok = ferry_client_read_file_finish (FERRY_CLIENT (source), result, &error) >= 0;

  /* What arrived is shown either way; the prompt starts on a line of its own. */
  cat_show (command, command->pending->str, command->pending->len);
  g_string_truncate (command->pending, 0);
  if (!command->ends_in_newline)
    fputc ('\n', stdout);
  fflush (stdout);
  if (!ok)
    {
      ferry_cli_return_failure (task, error, what);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
ferry_cli_command_cat (FerryCliContext          *context,
                       const FerryCliInvocation *invocation,
                       GTask                    *task)
{
  CatCommand *command = g_new0 (CatCommand, 1);
  g_autofree char *path = ferry_cli_absolute_remote (context, invocation->args[0]);

  command->pending = g_string_new (NULL);
  command->ends_in_newline = TRUE;
  g_task_set_task_data (task, command, (GDestroyNotify) cat_command_free);
  fflush (stdout);
  /* Straight to the terminal as it arrives: no temporary file, no wait for the end. */
  ferry_client_read_file_async (context->client, path, on_cat_chunk, command,
                                g_task_get_cancellable (task), on_cat_read,
                                g_object_ref (task));
}
