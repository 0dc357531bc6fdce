// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-session-commands.c — the verbs: who may send which, and the ones that need no data
 * connection. Listings, transfers, data connections and TLS live in their own files. */
#define _GNU_SOURCE   /* O_PATH, renameat */
#define G_LOG_DOMAIN "ferryd-session"

#include <inttypes.h>
#include "ferry-config.h"

#include "ferryd-handoff.h"
#include "ferryd-hash.h"
#include "ferryd-session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <limits.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
  NEEDS_LOGIN = 1 << 0,   /* 530 before a successful PASS */
  NEEDS_ARG   = 1 << 1,   /* 501 without an argument */
  NEEDS_WRITE = 1 << 2,   /* 550 on a read-only server or for a read-only user */
  ENDS_ALLO   = 1 << 3,   /* transfers and REST: an ALLO announcement is for the next one only */
} CommandFlags;

typedef void (*CommandHandler) (FerrydSession *session,
                                FerryCommand  *command);

typedef struct
{
  const char     *verb;
  CommandHandler  handler;
  CommandFlags    flags;
} CommandEntry;

static void
reply_errno (FerrydSession *self,
             int            saved_errno)
{
  ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                        "%s", ferryd_jail_describe_errno (saved_errno));
}

static gboolean
is_anonymous_name (const char *name)
{
  return g_ascii_strcasecmp (name, "anonymous") == 0 || g_ascii_strcasecmp (name, "ftp") == 0;
}

static gboolean
tls_required_but_missing (FerrydSession *self)
{
  if (!self->config->require_tls || ferryd_channel_is_tls (self->control))
    return FALSE;
  ferryd_session_reply (self, FERRY_REPLY_NOT_LOGGED_IN,
                        _("This server requires TLS: send AUTH TLS before logging in."));
  return TRUE;
}

static void
cmd_user (FerrydSession *self,
          FerryCommand  *command)
{
  if (tls_required_but_missing (self))
    return;
  if (self->user != NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Already logged in."));
      return;
    }

  g_free (self->pending_user);
  self->pending_user = g_strdup (command->arg);
  if (is_anonymous_name (command->arg) && self->config->anonymous_enabled)
    ferryd_session_reply (self, FERRY_REPLY_NEED_PASSWORD,
                          _("Anonymous login: send any password."));
  else
    ferryd_session_reply (self, FERRY_REPLY_NEED_PASSWORD,
                          _("Password required for %s."), command->arg);
}

static FerrydUser *
authenticate (FerrydSession *self,
              const char    *name,
              const char    *password)
{
  FerrydUser *user;

  if (is_anonymous_name (name) && self->config->anonymous_enabled)
    {
      user = g_new0 (FerrydUser, 1);
      user->name = g_strdup ("anonymous");
      user->write_enabled = self->config->write_enabled;
      user->anonymous = TRUE;
      return user;
    }
  if (self->users == NULL)
    return NULL;
  return ferryd_users_authenticate (self->users, name, password);
}

static void
cmd_pass (FerrydSession *self,
          FerryCommand  *command)
{
  g_autoptr(FerrydUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (tls_required_but_missing (self))
    return;
  if (self->user != NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Already logged in."));
      return;
    }
  if (self->pending_user == NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Send USER first."));
      return;
    }

  name = g_steal_pointer (&self->pending_user);
  user = authenticate (self, name, command->arg != NULL ? command->arg : "");
  if (user != NULL)
    {
      const char *root = user->root != NULL ? user->root : self->config->root;

      self->jail = ferryd_jail_new (root, self->config->show_hidden, &error);
      if (self->jail == NULL)
        {
          g_warning ("%s: user %s cannot log in: %s", self->peer_host, user->name, error->message);
          ferryd_session_reply (self, FERRY_REPLY_NOT_LOGGED_IN,
                                _("Your folder on this server cannot be opened."));
          self->quit = TRUE;
          return;
        }
      self->user = g_steal_pointer (&user);
      if (self->user->anonymous)
        self->anonymous_id = g_strdup (command->arg);
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                        "FERRYD_PEER", self->peer_host,
                        "FERRYD_USER", self->user->name,
                        "MESSAGE", "%s: logged in as %s", self->peer_host, self->user->name);
      ferryd_session_status_send (self, ferryd_session_status_begin (self, "login"));
      ferryd_session_reply (self, FERRY_REPLY_LOGGED_IN, _("Logged in."));
      return;
    }

  /* A delay makes guessing slow; a few failures end the session. The listener's ban counts
   * each at once (one it could not be told of goes in the exit status). */
  self->login_failures++;
  if (!ferryd_report_login_failure ())
    self->login_failures_untold++;
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "FERRYD_PEER", self->peer_host,
                    "FERRYD_USER", name,
                    "MESSAGE", "%s: failed login as %s", self->peer_host, name);
  g_usleep (FERRYD_LOGIN_FAILURE_DELAY * G_USEC_PER_SEC);
  if (self->login_failures >= FERRYD_MAX_LOGIN_FAILURES)
    {
      ferryd_session_reply (self, FERRY_REPLY_NOT_LOGGED_IN,
                            _("Login incorrect. Too many failures: closing the connection."));
      self->quit = TRUE;
      return;
    }
  ferryd_session_reply (self, FERRY_REPLY_NOT_LOGGED_IN, _("Login incorrect."));
}

static void
cmd_quit (FerrydSession *self,
          FerryCommand  *command)
{
  ferryd_session_reply (self, FERRY_REPLY_GOODBYE, _("Goodbye."));
  self->quit = TRUE;
}

static void
cmd_noop (FerrydSession *self,
          FerryCommand  *command)
{
  ferryd_session_reply (self, FERRY_REPLY_OK, _("OK."));
}

static void
cmd_syst (FerrydSession *self,
          FerryCommand  *command)
{
  ferryd_session_reply (self, FERRY_REPLY_SYSTEM_TYPE, "UNIX Type: L8");
}

static void
cmd_feat (FerrydSession *self,
          FerryCommand  *command)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *facts = ferry_mlsx_format_feat (self->mlst_facts);

  if (self->config->tls_cert_file != NULL)
    g_string_append (body, " AUTH TLS\r\n");
  g_string_append (body, " EPRT\r\n EPSV\r\n");
  ferryd_hash_append_feat (self, body);
  g_string_append (body, " MDTM\r\n");
  g_string_append_printf (body, " MLST %s\r\n", facts);
  g_string_append (body, " PASV\r\n");
  if (self->config->tls_cert_file != NULL)
    g_string_append (body, " PBSZ\r\n PROT\r\n");
  g_string_append (body, " REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n");
  g_string_append (body, " XMD5\r\n XSHA1\r\n XSHA256\r\n XSHA512\r\n");
  ferryd_session_reply_multi (self, FERRY_REPLY_SYSTEM_STATUS, "Features:", body->str, "End");
}

static void
cmd_opts (FerrydSession *self,
          FerryCommand  *command)
{
  g_auto(GStrv) words = g_strsplit (command->arg, " ", 2);

  if (g_ascii_strcasecmp (words[0], "UTF8") == 0
      && (words[1] == NULL || g_ascii_strcasecmp (words[1], "ON") == 0))
    ferryd_session_reply (self, FERRY_REPLY_OK, _("Always in UTF-8 mode."));
  else if (g_ascii_strcasecmp (words[0], "MLST") == 0)
    {
      g_autofree char *facts = NULL;

      g_autoptr(GString) enabled = g_string_new (NULL);
      g_auto(GStrv) names = NULL;

      self->mlst_facts = ferry_mlsx_parse_opts (words[1] != NULL ? words[1] : "");
      facts = ferry_mlsx_format_feat (self->mlst_facts);
      /* RFC 3659 §7.9: the reply names the facts now enabled, those FEAT marks with '*'. */
      names = g_strsplit (facts, ";", -1);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_has_suffix (names[i], "*"))
          g_string_append_printf (enabled, "%.*s;", (int) strlen (names[i]) - 1, names[i]);
      ferryd_session_reply (self, FERRY_REPLY_OK, "MLST OPTS %s", enabled->str);
    }
  else if (g_ascii_strcasecmp (words[0], "HASH") == 0)
    ferryd_hash_opts (self, words[1]);
  else
    ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT, _("Unknown option “%s”."), words[0]);
}

static void cmd_help (FerrydSession *self, FerryCommand *command);

static void
cmd_pwd (FerrydSession *self,
         FerryCommand  *command)
{
  g_autoptr(GString) quoted = g_string_new (NULL);

  /* RFC 959: a quote inside the name is doubled. */
  for (const char *p = self->cwd; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  ferryd_session_reply (self, FERRY_REPLY_PATH_CREATED,
                        _("\"%s\" is the current folder."), quoted->str);
}

static void
change_folder (FerrydSession *self,
               const char    *arg)
{
  g_autofree char *vpath = ferryd_session_resolve_path (self, arg);
  int fd;

  if (vpath == NULL)
    return;
  fd = ferryd_jail_open (self->jail, vpath, O_PATH | O_DIRECTORY, 0);
  if (fd < 0)
    {
      reply_errno (self, errno);
      return;
    }
  close (fd);
  g_free (self->cwd);
  self->cwd = g_steal_pointer (&vpath);
  ferryd_session_reply (self, FERRY_REPLY_FILE_ACTION_OK, _("Folder changed to %s."), self->cwd);
}

static void
cmd_cwd (FerrydSession *self,
         FerryCommand  *command)
{
  change_folder (self, command->arg);
}

static void
cmd_cdup (FerrydSession *self,
          FerryCommand  *command)
{
  change_folder (self, "..");
}

static void
cmd_type (FerrydSession *self,
          FerryCommand  *command)
{
  const char *arg = command->arg;

  if (g_ascii_strcasecmp (arg, "A") == 0 || g_ascii_strcasecmp (arg, "A N") == 0)
    {
      self->ascii = TRUE;
      ferryd_session_reply (self, FERRY_REPLY_OK, _("Switching to ASCII mode."));
    }
  else if (g_ascii_strcasecmp (arg, "I") == 0 || g_ascii_strcasecmp (arg, "L 8") == 0)
    {
      self->ascii = FALSE;
      ferryd_session_reply (self, FERRY_REPLY_OK, _("Switching to binary mode."));
    }
  else
    ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                          _("Type “%s” is not supported: use A or I."), arg);
}

static void
cmd_mode (FerrydSession *self,
          FerryCommand  *command)
{
  if (g_ascii_strcasecmp (command->arg, "S") == 0)
    ferryd_session_reply (self, FERRY_REPLY_OK, _("Mode set to S."));
  else
    ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER, _("Only stream mode (S) is supported."));
}

static void
cmd_stru (FerrydSession *self,
          FerryCommand  *command)
{
  if (g_ascii_strcasecmp (command->arg, "F") == 0)
    ferryd_session_reply (self, FERRY_REPLY_OK, _("Structure set to F."));
  else
    ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                          _("Only file structure (F) is supported."));
}

static void
cmd_rest (FerrydSession *self,
          FerryCommand  *command)
{
  guint64 offset;

  if (!g_ascii_string_to_unsigned (command->arg, 10, 0, G_MAXINT64, &offset, NULL))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                            _("REST needs a byte offset (a whole number ≥ 0)."));
      return;
    }
  self->rest_offset = (goffset) offset;
  ferryd_session_reply (self, FERRY_REPLY_PENDING_MORE,
                        _("Restarting at %" PRIu64 ". Send RETR, STOR or APPE."),
                        offset);
}

/* Opens a regular file for SIZE and MDTM; replies 550 and returns -1 otherwise. */
static int
stat_plain_file (FerrydSession *self,
                 const char    *arg,
                 struct stat   *st)
{
  g_autofree char *vpath = ferryd_session_resolve_path (self, arg);
  int fd;

  if (vpath == NULL)
    return -1;
  fd = ferryd_jail_open (self->jail, vpath, O_PATH, 0);
  if (fd < 0)
    {
      reply_errno (self, errno);
      return -1;
    }
  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      close (fd);
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("%s is not a plain file."), vpath);
      return -1;
    }
  close (fd);
  return 0;
}

static void
cmd_size (FerrydSession *self,
          FerryCommand  *command)
{
  struct stat st;

  if (stat_plain_file (self, command->arg, &st) == 0)
    ferryd_session_reply (self, FERRY_REPLY_FILE_STATUS, "%" G_GINT64_FORMAT, (gint64) st.st_size);
}

static void
cmd_mdtm (FerrydSession *self,
          FerryCommand  *command)
{
  struct stat st;

  if (stat_plain_file (self, command->arg, &st) == 0)
    {
      g_autofree char *when = ferry_time_format (st.st_mtim.tv_sec);

      ferryd_session_reply (self, FERRY_REPLY_FILE_STATUS, "%s", when);
    }
}

int
ferryd_session_open_parent (FerrydSession  *self,
                        const char     *arg,
                        char          **vpath_out,
                        char          **name_out)
{
  g_autofree char *vpath = ferryd_session_resolve_path (self, arg);
  g_autofree char *name = NULL;
  int dir_fd;

  if (vpath == NULL)
    return -1;
  dir_fd = ferryd_jail_open_parent (self->jail, vpath, &name);
  if (dir_fd < 0)
    {
      reply_errno (self, errno);
      return -1;
    }
  if (!ferryd_jail_name_visible (self->jail, name))
    {
      close (dir_fd);
      ferryd_session_reply (self, FERRY_REPLY_BAD_FILE_NAME,
                            _("Names starting with a dot are not allowed here."));
      return -1;
    }
  /* Refused before an upload starts, not after all its bytes came. */
  if (strlen (name) > NAME_MAX)
    {
      close (dir_fd);
      ferryd_session_reply (self, FERRY_REPLY_BAD_FILE_NAME,
                            _("The name is too long: at most %d bytes."), NAME_MAX);
      return -1;
    }
  if (vpath_out != NULL)
    *vpath_out = g_steal_pointer (&vpath);
  *name_out = g_steal_pointer (&name);
  return dir_fd;
}

static void
cmd_dele (FerrydSession *self,
          FerryCommand  *command)
{
  g_autofree char *name = NULL;
  int dir_fd = ferryd_session_open_parent (self, command->arg, NULL, &name);
  struct stat st;

  if (dir_fd < 0)
    return;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode))
    ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE, _("%s is a folder: use RMD."), name);
  else if (unlinkat (dir_fd, name, 0) != 0)
    reply_errno (self, errno);
  else
    ferryd_session_reply (self, FERRY_REPLY_FILE_ACTION_OK, _("Deleted %s."), name);
  close (dir_fd);
}

static void
cmd_mkd (FerrydSession *self,
         FerryCommand  *command)
{
  g_autofree char *vpath = NULL;
  g_autofree char *name = NULL;
  int dir_fd = ferryd_session_open_parent (self, command->arg, &vpath, &name);

  if (dir_fd < 0)
    return;
  if (mkdirat (dir_fd, name, 0755) != 0)
    reply_errno (self, errno);
  else
    {
      g_autoptr(GString) quoted = g_string_new (NULL);

      for (const char *p = vpath; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (quoted, '"');
          g_string_append_c (quoted, *p);
        }
      ferryd_session_reply (self, FERRY_REPLY_PATH_CREATED, _("\"%s\" created."), quoted->str);
    }
  close (dir_fd);
}

static void
cmd_rmd (FerrydSession *self,
         FerryCommand  *command)
{
  g_autofree char *name = NULL;
  int dir_fd = ferryd_session_open_parent (self, command->arg, NULL, &name);

  if (dir_fd < 0)
    return;
  if (unlinkat (dir_fd, name, AT_REMOVEDIR) != 0)
    reply_errno (self, errno);
  else
    ferryd_session_reply (self, FERRY_REPLY_FILE_ACTION_OK, _("Removed %s."), name);
  close (dir_fd);
}

static void
cmd_rnfr (FerrydSession *self,
          FerryCommand  *command)
{
  g_autofree char *vpath = NULL;
  g_autofree char *name = NULL;
  int dir_fd = ferryd_session_open_parent (self, command->arg, &vpath, &name);
  struct stat st;

  if (dir_fd < 0)
    return;
  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    reply_errno (self, errno);
  else
    {
      g_free (self->rename_from);
      self->rename_from = g_steal_pointer (&vpath);
      ferryd_session_reply (self, FERRY_REPLY_PENDING_MORE,
                            _("Ready: send RNTO with the new name."));
    }
  close (dir_fd);
}

static void
cmd_rnto (FerrydSession *self,
          FerryCommand  *command)
{
  g_autofree char *from_vpath = g_steal_pointer (&self->rename_from);
  g_autofree char *from_name = NULL;
  g_autofree char *to_name = NULL;
  int from_fd, to_fd;

  if (from_vpath == NULL)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_SEQUENCE, _("Send RNFR first."));
      return;
    }
  to_fd = ferryd_session_open_parent (self, command->arg, NULL, &to_name);
  if (to_fd < 0)
    return;
  from_fd = ferryd_jail_open_parent (self->jail, from_vpath, &from_name);
  if (from_fd < 0)
    reply_errno (self, errno);
  else if (renameat (from_fd, from_name, to_fd, to_name) != 0)
    reply_errno (self, errno);
  else
    ferryd_session_reply (self, FERRY_REPLY_FILE_ACTION_OK, _("Renamed."));
  if (from_fd >= 0)
    close (from_fd);
  close (to_fd);
}

static void
cmd_abor (FerrydSession *self,
          FerryCommand  *command)
{
  /* No transfer runs between commands; a prepared data connection is dropped. */
  ferryd_data_channel_reset (&self->data);
  ferryd_session_reply (self, FERRY_REPLY_NO_TRANSFER, _("No transfer to abort."));
}

/* ALLO n [R m] (RFC 959 §4.1.3): n announces the size of the next STOR or APPE, which can
 * then end without waiting to see whether its client is still there (ferryd-client-gone.c);
 * the record size m means nothing for stream-mode files. RFC 959 allows 200 or 202
 * ("superfluous at this site"): 200, because ferryd uses the size. */
static void
cmd_allo (FerrydSession *self,
          FerryCommand  *command)
{
  g_auto(GStrv) words = command->arg != NULL ? g_strsplit (command->arg, " ", -1) : NULL;
  guint count = words != NULL ? g_strv_length (words) : 0;
  guint64 size, record_size;

  self->announced_size = -1;
  if ((count != 1 && count != 3)
      || !g_ascii_string_to_unsigned (words[0], 10, 0, G_MAXINT64, &size, NULL)
      || (count == 3 && (g_ascii_strcasecmp (words[1], "R") != 0
                         || !g_ascii_string_to_unsigned (words[2], 10, 0, G_MAXINT64,
                                                         &record_size, NULL))))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                            _("ALLO needs a size in bytes: ALLO n, or ALLO n R m."));
      return;
    }
  self->announced_size = (goffset) size;
  ferryd_session_reply (self, FERRY_REPLY_OK,
                        _("%" PRIu64 " bytes announced for the next upload."), size);
}

static const CommandEntry commands[] = {
  { "USER", cmd_user, NEEDS_ARG },
  { "PASS", cmd_pass, 0 },
  { "QUIT", cmd_quit, 0 },
  { "NOOP", cmd_noop, 0 },
  { "SYST", cmd_syst, 0 },
  { "FEAT", cmd_feat, 0 },
  { "OPTS", cmd_opts, NEEDS_ARG },
  { "HELP", cmd_help, 0 },
  { "AUTH", ferryd_session_cmd_auth, NEEDS_ARG },
  { "PBSZ", ferryd_session_cmd_pbsz, NEEDS_ARG },
  { "PROT", ferryd_session_cmd_prot, NEEDS_ARG },
  { "STAT", ferryd_session_cmd_stat, NEEDS_LOGIN },
  { "PWD",  cmd_pwd,  NEEDS_LOGIN },
  { "XPWD", cmd_pwd,  NEEDS_LOGIN },
  { "CWD",  cmd_cwd,  NEEDS_LOGIN | NEEDS_ARG },
  { "XCWD", cmd_cwd,  NEEDS_LOGIN | NEEDS_ARG },
  { "CDUP", cmd_cdup, NEEDS_LOGIN },
  { "XCUP", cmd_cdup, NEEDS_LOGIN },
  { "TYPE", cmd_type, NEEDS_LOGIN | NEEDS_ARG },
  { "MODE", cmd_mode, NEEDS_LOGIN | NEEDS_ARG },
  { "STRU", cmd_stru, NEEDS_LOGIN | NEEDS_ARG },
  { "ALLO", cmd_allo, NEEDS_LOGIN },
  { "EPSV", ferryd_session_cmd_epsv, NEEDS_LOGIN },
  { "PASV", ferryd_session_cmd_pasv, NEEDS_LOGIN },
  { "EPRT", ferryd_session_cmd_eprt, NEEDS_LOGIN | NEEDS_ARG },
  { "PORT", ferryd_session_cmd_port, NEEDS_LOGIN | NEEDS_ARG },
  { "LIST", ferryd_session_cmd_list, NEEDS_LOGIN | ENDS_ALLO },
  { "NLST", ferryd_session_cmd_nlst, NEEDS_LOGIN | ENDS_ALLO },
  { "MLSD", ferryd_session_cmd_mlsd, NEEDS_LOGIN | ENDS_ALLO },
  { "MLST", ferryd_session_cmd_mlst, NEEDS_LOGIN },
  { "SIZE", cmd_size, NEEDS_LOGIN | NEEDS_ARG },
  { "MDTM", cmd_mdtm, NEEDS_LOGIN | NEEDS_ARG },
  { "REST", cmd_rest, NEEDS_LOGIN | NEEDS_ARG | ENDS_ALLO },
  { "RETR", ferryd_session_cmd_retr, NEEDS_LOGIN | NEEDS_ARG | ENDS_ALLO },
  { "STOR", ferryd_session_cmd_stor, NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE | ENDS_ALLO },
  { "APPE", ferryd_session_cmd_appe, NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE | ENDS_ALLO },
  { "DELE", cmd_dele, NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "MKD",  cmd_mkd,  NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "XMKD", cmd_mkd,  NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "RMD",  cmd_rmd,  NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "XRMD", cmd_rmd,  NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "RNFR", cmd_rnfr, NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "RNTO", cmd_rnto, NEEDS_LOGIN | NEEDS_ARG | NEEDS_WRITE },
  { "ABOR", cmd_abor, 0 },
  { "HASH", ferryd_session_cmd_hash, NEEDS_LOGIN | NEEDS_ARG },
  { "RANG", ferryd_session_cmd_rang, NEEDS_LOGIN | NEEDS_ARG },
  { "XMD5", ferryd_session_cmd_xhash, NEEDS_LOGIN | NEEDS_ARG },
  { "XSHA1", ferryd_session_cmd_xhash, NEEDS_LOGIN | NEEDS_ARG },
  { "XSHA256", ferryd_session_cmd_xhash, NEEDS_LOGIN | NEEDS_ARG },
  { "XSHA512", ferryd_session_cmd_xhash, NEEDS_LOGIN | NEEDS_ARG },
};

static void
cmd_help (FerrydSession *self,
          FerryCommand  *command)
{
  g_autoptr(GString) body = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (i % 8 == 0)
        g_string_append_c (body, ' ');
      g_string_append_printf (body, " %-5s", commands[i].verb);
      if (i % 8 == 7 || i + 1 == G_N_ELEMENTS (commands))
        g_string_append (body, "\r\n");
    }
  ferryd_session_reply_multi (self, FERRY_REPLY_HELP, _("The following commands are recognised:"),
                              body->str, _("Help OK."));
}

void
ferryd_session_dispatch (FerrydSession *self,
                         FerryCommand  *command)
{
  const CommandEntry *entry = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].verb, command->verb))
      {
        entry = &commands[i];
        break;
      }

  /* A PROXY header from a peer that is not a --proxy-from balancer (those are read by the
   * listener and never reach here): someone trying to pass for another address. */
  if (g_str_equal (command->verb, "PROXY"))
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                        "FERRYD_PEER", self->peer_host,
                        "MESSAGE",
                        "%s: refused: sent a PROXY header but is not a --proxy-from balancer",
                        self->peer_host);
      ferryd_session_reply (self, FERRY_REPLY_SERVICE_CLOSING,
                            _("PROXY headers are accepted only from the load balancers."));
      self->quit = TRUE;
      return;
    }

  /* RNTO must follow RNFR directly (RFC 959 §4.1.3). */
  if (self->rename_from != NULL && (entry == NULL || entry->handler != cmd_rnto))
    g_clear_pointer (&self->rename_from, g_free);

  /* A range is for the next HASH; ferryd does not send or store parts of files by range. */
  if (self->range_set && entry != NULL
      && (entry->handler == ferryd_session_cmd_retr || entry->handler == ferryd_session_cmd_stor
          || entry->handler == ferryd_session_cmd_appe))
    {
      self->range_set = FALSE;
      ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                            _("RANG applies to HASH only on this server; %s not run."),
                            command->verb);
      return;
    }
  if (entry != NULL && entry->handler == cmd_rest)
    self->range_set = FALSE;   /* REST and RANG each replace the other */

  if (entry == NULL)
    ferryd_session_reply (self, FERRY_REPLY_NOT_IMPLEMENTED,
                          _("Command %s not implemented."), command->verb);
  else if ((entry->flags & NEEDS_LOGIN) && self->user == NULL)
    ferryd_session_reply (self, FERRY_REPLY_NOT_LOGGED_IN, _("Log in with USER and PASS first."));
  else if ((entry->flags & NEEDS_ARG) && command->arg == NULL)
    ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                          _("%s needs an argument."), command->verb);
  else if ((entry->flags & NEEDS_WRITE) && !self->user->write_enabled)
    ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                          _("Permission denied: this server is read-only for you."));
  else
    entry->handler (self, command);

  if (entry != NULL && (entry->flags & ENDS_ALLO))
    self->announced_size = -1;
}
