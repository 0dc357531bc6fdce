// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-listing.c — LIST, NLST, MLSD, MLST and STAT with a path: one readdir pass with
 * fstatat per entry, formatted by the protocol core, sent in large writes. Symlinks are
 * shown as what they lead to when that is beneath the root, and not at all otherwise. */
#define _GNU_SOURCE   /* O_PATH */
#define G_LOG_DOMAIN "ferryd-listing"

#include "ferry-config.h"

#include "ferryd-session-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
  LISTING_LIST,   /* ls -l lines */
  LISTING_NLST,   /* names */
  LISTING_MLSD,   /* RFC 3659 facts */
} ListingFormat;

static const char * const listing_verbs[] = { "LIST", "NLST", "MLSD" };

/* "LIST -la /pub": clients pass ls options; the listing is always "-l" without dot-files
 * (unless the server shows them). Returns the path, or NULL for the working folder. */
static const char *
skip_ls_options (const char *arg)
{
  while (arg != NULL && arg[0] == '-')
    {
      arg = strchr (arg, ' ');
      if (arg == NULL)
        return NULL;
      while (*arg == ' ')
        arg++;
      if (*arg == '\0')
        return NULL;
    }
  return arg;
}

static void
fill_entry (FerrydSession     *self,
            FerryEntry        *entry,
            const char        *name,
            const struct stat *st)
{
  gboolean write = self->user->write_enabled;

  memset (entry, 0, sizeof *entry);
  entry->name = (char *) name;
  entry->modified = st->st_mtim.tv_sec;
  entry->mode = st->st_mode & 0777;
  if (S_ISDIR (st->st_mode))
    {
      entry->type = FERRY_ENTRY_DIRECTORY;
      entry->size = st->st_size;
      entry->perm = (char *) (write ? "cdeflmp" : "el");
    }
  else if (S_ISREG (st->st_mode))
    {
      entry->type = FERRY_ENTRY_FILE;
      entry->size = st->st_size;
      entry->perm = (char *) (write ? "adfrw" : "r");
    }
  else
    {
      entry->type = FERRY_ENTRY_OTHER;
      entry->size = FERRY_ENTRY_UNKNOWN;
    }
}

/* What name in dir_vpath is, seen through symlinks that stay beneath the root. */
static gboolean
stat_entry (FerrydSession *self,
            int            dir_fd,
            const char    *dir_vpath,
            const char    *name,
            struct stat   *st)
{
  g_autofree char *vpath = NULL;
  int fd, ok;

  if (fstatat (dir_fd, name, st, AT_SYMLINK_NOFOLLOW) != 0)
    return FALSE;
  if (!S_ISLNK (st->st_mode))
    return TRUE;

  vpath = g_build_path ("/", dir_vpath, name, NULL);
  fd = ferryd_jail_open (self->jail, vpath, O_PATH, 0);
  if (fd < 0)
    return FALSE;
  ok = fstat (fd, st);
  close (fd);
  return ok == 0;
}

static void
append_entry (FerrydSession *self,
              GString       *out,
              ListingFormat  format,
              const char    *name,
              struct stat   *st,
              gint64         now)
{
  FerryEntry entry;

  if (format == LISTING_NLST)
    {
      g_string_append (out, name);
      g_string_append (out, "\r\n");
      return;
    }
  fill_entry (self, &entry, name, st);
  if (format == LISTING_MLSD)
    ferry_mlsx_append_line (out, &entry, self->mlst_facts);
  else
    ferry_list_append_unix_line (out, &entry, now);
}

static gboolean
flush (FerrydSession *self,
       FerrydChannel *data,
       GString       *out,
       goffset       *sent,
       gboolean      *aborted)
{
  g_autoptr(GError) error = NULL;

  /* No data connection: STAT, whose listing goes on the control connection as a reply. */
  if (data == NULL)
    {
      if (!ferryd_session_reply_lines (self, out))
        return FALSE;
      *sent += (goffset) out->len;
      g_string_truncate (out, 0);
      return TRUE;
    }
  if (!ferryd_channel_write_all (data, out->str, out->len, self->config->data_timeout, &error))
    {
      g_debug ("%s: listing not sent: %s", self->peer_host, error->message);
      return FALSE;
    }
  *sent += (goffset) out->len;
  g_string_truncate (out, 0);
  return !ferryd_session_poll_control (self, aborted);
}

/* Writes the entries of dir_fd (which it takes) into out, flushing it every 64 KiB to data,
 * or as reply lines on the control connection when data is NULL (STAT), and counting the
 * bytes in *sent. Memory stays flat whatever the folder holds. FALSE when the data connection
 * failed or the client aborted. */
static gboolean
list_folder (FerrydSession *self,
             int            dir_fd,
             const char    *dir_vpath,
             ListingFormat  format,
             GString       *out,
             FerrydChannel *data,
             goffset       *sent,
             gboolean      *aborted)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  DIR *dir = fdopendir (dir_fd);
  struct dirent *dent;
  gboolean ok = TRUE;

  if (dir == NULL)
    {
      close (dir_fd);
      return TRUE;
    }

  while (ok && (dent = readdir (dir)) != NULL)
    {
      struct stat st;

      if (strcmp (dent->d_name, ".") == 0 || strcmp (dent->d_name, "..") == 0)
        continue;
      if (!ferryd_jail_name_visible (self->jail, dent->d_name))
        continue;
      /* A CR or LF in a name would inject lines into the listing the client parses. */
      if (!ferry_name_is_listable (dent->d_name))
        continue;
      if (!stat_entry (self, dirfd (dir), dir_vpath, dent->d_name, &st))
        continue;
      append_entry (self, out, format, dent->d_name, &st, now);
      if (out->len >= FERRYD_TRANSFER_BUFFER_SIZE)
        ok = flush (self, data, out, sent, aborted);
    }
  closedir (dir);
  return ok;
}

/* Opens what a listing command names: *dir_fd for a folder (readable), or *st for a single
 * other entry. Replies 550 and returns NULL on failure; else the resolved vpath. */
static char *
open_listing_target (FerrydSession *self,
                     const char    *path,
                     int           *dir_fd,
                     struct stat   *st)
{
  g_autofree char *vpath = NULL;
  int fd;

  vpath = path == NULL ? g_strdup (self->cwd) : ferryd_session_resolve_path (self, path);
  if (vpath == NULL)
    return NULL;

  *dir_fd = -1;
  fd = ferryd_jail_open (self->jail, vpath, O_PATH, 0);
  if (fd < 0 || fstat (fd, st) != 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            "%s", ferryd_jail_describe_errno (errno));
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  if (S_ISDIR (st->st_mode))
    {
      *dir_fd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (*dir_fd < 0)
        {
          ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                                "%s", ferryd_jail_describe_errno (errno));
          close (fd);
          return NULL;
        }
    }
  close (fd);
  return g_steal_pointer (&vpath);
}

static void
send_listing (FerrydSession *self,
              const char    *path,
              ListingFormat  format)
{
  g_autoptr(FerrydChannel) data = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *vpath = NULL;
  g_autofree char *name = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean aborted = FALSE;
  gboolean ok = TRUE;
  goffset sent = 0;
  struct stat st;
  int dir_fd;

  vpath = open_listing_target (self, path, &dir_fd, &st);
  if (vpath == NULL)
    return;
  if (dir_fd < 0 && format == LISTING_MLSD)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                            _("%s is not a folder: use MLST for one entry."), vpath);
      return;
    }

  data = ferryd_session_start_data (self, _("Here comes the listing."));
  if (data == NULL)
    {
      if (dir_fd >= 0)
        close (dir_fd);
      return;
    }

  out = g_string_sized_new (FERRYD_TRANSFER_BUFFER_SIZE + 1024);
  if (dir_fd >= 0)
    ok = list_folder (self, dir_fd, vpath, format, out, data, &sent, &aborted);
  else
    {
      name = ferry_vpath_basename (vpath);
      append_entry (self, out, format, name, &st, g_get_real_time () / G_USEC_PER_SEC);
    }
  if (ok && out->len > 0)
    ok = flush (self, data, out, &sent, &aborted);

  ferryd_channel_close (g_steal_pointer (&data), self->config->data_timeout);
  if (aborted)
    {
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                            _("Connection closed; transfer aborted."));
      ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("Abort successful."));
    }
  else if (!ok)
    ferryd_session_reply (self, FERRY_REPLY_TRANSFER_ABORTED,
                          _("The data connection failed; listing aborted."));
  else
    ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("Listing sent."));
  ferryd_session_log_transfer (self, listing_verbs[format], vpath, sent, start,
                               aborted ? "aborted" : ok ? "ok" : "failed");
}

void
ferryd_session_cmd_list (FerrydSession *self,
                         FerryCommand  *command)
{
  send_listing (self, skip_ls_options (command->arg), LISTING_LIST);
}

void
ferryd_session_cmd_nlst (FerrydSession *self,
                         FerryCommand  *command)
{
  send_listing (self, skip_ls_options (command->arg), LISTING_NLST);
}

void
ferryd_session_cmd_mlsd (FerrydSession *self,
                         FerryCommand  *command)
{
  send_listing (self, command->arg, LISTING_MLSD);
}

void
ferryd_session_cmd_mlst (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(GString) body = g_string_new (" ");
  g_autofree char *vpath = NULL;
  struct stat st;
  FerryEntry entry;
  int dir_fd;

  vpath = open_listing_target (self, command->arg, &dir_fd, &st);
  if (vpath == NULL)
    return;
  if (dir_fd >= 0)
    close (dir_fd);

  /* RFC 3659 §7.3: the facts line begins with a space and names the full path. */
  fill_entry (self, &entry, vpath, &st);
  ferry_mlsx_append_line (body, &entry, self->mlst_facts);
  ferryd_session_reply_multi (self, FERRY_REPLY_FILE_ACTION_OK, vpath, body->str, _("End."));
}

void
ferryd_session_cmd_stat (FerrydSession *self,
                         FerryCommand  *command)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *vpath = NULL;
  gboolean aborted = FALSE;
  goffset sent = 0;
  struct stat st;
  int dir_fd;

  if (command->arg == NULL)
    {
      g_string_append_printf (body, " Connected from %s\r\n", self->peer_host);
      g_string_append_printf (body, " Logged in as %s\r\n", self->user->name);
      g_string_append_printf (body, " TYPE: %s, STRUcture: File, MODE: Stream\r\n",
                              self->ascii ? "ASCII" : "BINARY");
      g_string_append_printf (body, " Control connection %s\r\n",
                              ferryd_channel_is_tls (self->control) ? "with TLS" : "in clear");
      ferryd_session_reply_multi (self, FERRY_REPLY_SYSTEM_STATUS,
                                  _("Ferry FTP server status:"), body->str, _("End of status."));
      return;
    }

  vpath = open_listing_target (self, skip_ls_options (command->arg), &dir_fd, &st);
  if (vpath == NULL)
    return;
  /* Streamed as LIST is: a folder of any size is sent 64 KiB at a time. */
  if (!ferryd_session_reply_begin (self, FERRY_REPLY_FILE_STATUS, vpath))
    {
      if (dir_fd >= 0)
        close (dir_fd);
      return;
    }
  if (dir_fd >= 0)
    list_folder (self, dir_fd, vpath, LISTING_LIST, body, NULL, &sent, &aborted);
  else
    {
      g_autofree char *name = ferry_vpath_basename (vpath);

      append_entry (self, body, LISTING_LIST, name, &st, g_get_real_time () / G_USEC_PER_SEC);
    }
  if (body->len > 0 && !ferryd_session_reply_lines (self, body))
    return;
  if (!self->quit)
    ferryd_session_reply (self, FERRY_REPLY_FILE_STATUS, "%s", _("End of status."));
}
