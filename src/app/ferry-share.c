// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-share.c — runs ferryd for a shared folder and follows its status channel.
 *
 * ferryd runs as the desktop user, on a port it picks (--port 0), with --status-fd 3: the
 * "listening" line gives the port; connect/login/transfer/disconnect lines feed the list of
 * clients. It dies with the app: SIGTERM on stop and on dispose, and PR_SET_PDEATHSIG if
 * the app itself is killed. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "ferry-share.h"

#define STATUS_FD 3

struct _FerryShare
{
  GObject           parent_instance;

  GFile            *folder;
  char             *password;
  char             *name;
  FerryShareState   state;
  guint16           port;
  GError           *error;

  GCancellable     *cancellable;
  GSubprocess      *process;
  GDataInputStream *status;
  char             *users_dir;     /* a private folder for the users file, or NULL */

  GtkStringList    *clients;
  GArray           *client_pids;   /* the session pid of each row of clients */
  GHashTable       *client_users;  /* pid → user name once logged in */
};

G_DEFINE_FINAL_TYPE (FerryShare, ferry_share, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (FerryShare      *self,
           FerryShareState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Where ferryd is ------------------------------------------------------------------------ */

char *
ferry_share_find_ferryd (void)
{
  const char *override = g_getenv ("FERRY_FERRYD");
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
  /* Run from the build folder (meson devenv, tests): its own ferryd, not an installed one. */
  if (self_path != NULL && g_str_has_prefix (self_path, FERRY_BUILD_ROOT "/")
      && g_file_test (FERRY_BUILD_FERRYD, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (FERRY_BUILD_FERRYD);
  return g_strdup (FERRY_INSTALLED_FERRYD);
}

char *
ferry_share_new_password (void)
{
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  guint8 bytes[12];
  GString *password = g_string_new (NULL);
  gsize got = 0;

  while (got < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + got, sizeof bytes - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert (n > 0);
      got += (gsize) n;
    }
  for (guint i = 0; i < sizeof bytes; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (password, '-');
      /* 31 letters: 256 % 31 leaves a bias of under 1 in 8 per character; fine for a
       * password that lives as long as one share. */
      g_string_append_c (password, alphabet[bytes[i] % (sizeof alphabet - 1)]);
    }
  return g_string_free (password, FALSE);
}

char *
ferry_share_default_name (GFile *folder)
{
  g_autofree char *base = g_file_get_basename (folder);
  const char *person = g_get_real_name ();
  g_autofree char *name = NULL;
  const char *end;

  if (person == NULL || person[0] == '\0' || g_str_equal (person, "Unknown"))
    person = g_get_user_name ();
  /* "Photos of Ann on laptop" */
  name = g_strdup_printf (_("%s of %s on %s"), base, person, g_get_host_name ());
  if (strlen (name) > 63)
    {
      g_utf8_validate (name, 63, &end);
      name[end - name] = '\0';
    }
  return g_steal_pointer (&name);
}

/* Clients ------------------------------------------------------------------------------- */

static gint
client_row (FerryShare *self,
            gint64      pid)
{
  for (guint i = 0; i < self->client_pids->len; i++)
    if (g_array_index (self->client_pids, gint64, i) == pid)
      return (gint) i;
  return -1;
}

static void
set_client_text (FerryShare *self,
                 gint64      pid,
                 const char *text)
{
  gint row = client_row (self, pid);
  const char * const texts[] = { text, NULL };

  if (row < 0)
    {
      g_array_append_val (self->client_pids, pid);
      gtk_string_list_append (self->clients, text);
    }
  else
    gtk_string_list_splice (self->clients, (guint) row, 1, texts);
}

static void
remove_client (FerryShare *self,
               gint64      pid)
{
  gint row = client_row (self, pid);

  g_hash_table_remove (self->client_users, GINT_TO_POINTER (pid));
  if (row < 0)
    return;
  g_array_remove_index (self->client_pids, (guint) row);
  gtk_string_list_remove (self->clients, (guint) row);
}

static char *
client_text (FerryShare *self,
             gint64      pid,
             const char *peer,
             const char *doing)
{
  const char *user = g_hash_table_lookup (self->client_users, GINT_TO_POINTER (pid));

  if (user == NULL)
    return doing != NULL ? g_strdup_printf ("%s — %s", peer, doing) : g_strdup (peer);
  /* "198.51.100.2 (anonymous) — downloading /a.jpg" */
  return doing != NULL ? g_strdup_printf (_("%s (%s) — %s"), peer, user, doing)
                       : g_strdup_printf (_("%s (%s)"), peer, user);
}

static void
handle_status_line (FerryShare *self,
                    const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *event, *peer;
  gint64 pid;

  if (!json_parser_load_from_data (parser, line, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_debug ("not a status line from ferryd: %s", line);
      return;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  event = json_object_get_string_member_with_default (object, "event", "");
  pid = json_object_get_int_member_with_default (object, "pid", 0);
  peer = json_object_get_string_member_with_default (object, "peer", "?");

  if (g_str_equal (event, "listening"))
    {
      self->port = (guint16) json_object_get_int_member_with_default (object, "port", 0);
      set_state (self, FERRY_SHARE_RUNNING);
    }
  else if (g_str_equal (event, "announced"))
    {
      g_free (self->name);
      self->name = g_strdup (json_object_get_string_member_with_default (object, "name", ""));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  else if (g_str_equal (event, "connect") || g_str_equal (event, "login")
           || g_str_equal (event, "transfer-end"))
    {
      g_autofree char *text = NULL;

      if (g_str_equal (event, "login"))
        g_hash_table_replace (self->client_users, GINT_TO_POINTER (pid),
                              g_strdup (json_object_get_string_member_with_default (object,
                                                                                    "user",
                                                                                    "?")));
      text = client_text (self, pid, peer, NULL);
      set_client_text (self, pid, text);
    }
  else if (g_str_equal (event, "transfer-start"))
    {
      const char *path = json_object_get_string_member_with_default (object, "path", "");
      gboolean upload = g_str_equal (json_object_get_string_member_with_default (object,
                                                                                 "direction",
                                                                                 ""),
                                     "upload");
      g_autofree char *doing = g_strdup_printf (upload ? _("uploading %s") : _("downloading %s"),
                                                path);
      g_autofree char *text = client_text (self, pid, peer, doing);

      set_client_text (self, pid, text);
    }
  else if (g_str_equal (event, "disconnect"))
    remove_client (self, pid);
}

static void read_next_line (FerryShare *self);

static void
on_status_line (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryShare) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line == NULL)
    return;   /* ferryd and its sessions are gone (EOF), or we stopped reading */
  handle_status_line (self, line);
  read_next_line (self);
}

static void
read_next_line (FerryShare *self)
{
  g_data_input_stream_read_line_async (self->status, G_PRIORITY_DEFAULT, self->cancellable,
                                       on_status_line, g_object_ref (self));
}

/* The process -------------------------------------------------------------------------- */

static void
child_setup (gpointer user_data)
{
  /* The share ends with the app, even when the app is killed: no ferryd left serving. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () == 1)
    _exit (1);   /* the app died between fork and prctl */
}

static void
remove_users_file (FerryShare *self)
{
  g_autofree char *users = NULL;

  if (self->users_dir == NULL)
    return;
  users = g_build_filename (self->users_dir, "users", NULL);
  g_unlink (users);
  g_rmdir (self->users_dir);
  g_clear_pointer (&self->users_dir, g_free);
}

static void
on_ferryd_exited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FerryShare) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (process, result, &error))
    return;   /* cancelled: disposing */
  if (process != self->process)
    return;

  if (self->state == FERRY_SHARE_STARTING && self->error == NULL)
    g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("The server stopped at once (exit status %d)."),
                 g_subprocess_get_exit_status (process));
  g_clear_object (&self->process);
  remove_users_file (self);
  self->port = 0;
  while (self->client_pids->len > 0)
    remove_client (self, g_array_index (self->client_pids, gint64, 0));
  set_state (self, FERRY_SHARE_STOPPED);
}

static void
spawn_ferryd (FerryShare *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GInputStream) status = NULL;
  g_autofree char *root = g_file_get_path (self->folder);
  int pipe_fds[2];

  if (!g_unix_open_pipe (pipe_fds, FD_CLOEXEC, &self->error))
    {
      set_state (self, FERRY_SHARE_STOPPED);
      return;
    }

  g_ptr_array_add (argv, ferry_share_find_ferryd ());
  g_ptr_array_add (argv, g_strdup ("--root"));
  g_ptr_array_add (argv, g_strdup (root));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup ("0"));
  g_ptr_array_add (argv, g_strdup ("--name"));
  g_ptr_array_add (argv, g_strdup (self->name));
  g_ptr_array_add (argv, g_strdup ("--status-fd"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", STATUS_FD));
  if (self->users_dir != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--users"));
      g_ptr_array_add (argv, g_build_filename (self->users_dir, "users", NULL));
      /* Anyone may still download; only the password's user (write=true) uploads. */
      g_ptr_array_add (argv, g_strdup ("--anonymous"));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_take_fd (launcher, pipe_fds[1], STATUS_FD);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &self->error);
  if (self->process == NULL)
    {
      close (pipe_fds[0]);
      remove_users_file (self);
      set_state (self, FERRY_SHARE_STOPPED);
      return;
    }
  /* Our copy of the write end goes with the launcher: EOF comes when ferryd's last
   * process is gone. */
  g_clear_object (&launcher);

  status = g_unix_input_stream_new (pipe_fds[0], TRUE);
  self->status = g_data_input_stream_new (status);
  read_next_line (self);
  g_subprocess_wait_async (self->process, self->cancellable, on_ferryd_exited,
                           g_object_ref (self));
}

static void
on_user_added (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FerryShare) self = user_data;
  GSubprocess *add_user = G_SUBPROCESS (source);
  g_autofree char *err = NULL;

  if (!g_subprocess_communicate_utf8_finish (add_user, result, NULL, &err, &self->error))
    {
      remove_users_file (self);
      set_state (self, FERRY_SHARE_STOPPED);
      return;
    }
  if (!g_subprocess_get_if_exited (add_user) || g_subprocess_get_exit_status (add_user) != 0)
    {
      g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not store the password: %s"), err != NULL ? g_strstrip (err) : "");
      remove_users_file (self);
      set_state (self, FERRY_SHARE_STOPPED);
      return;
    }
  spawn_ferryd (self);
}

void
ferry_share_start (FerryShare *self)
{
  g_return_if_fail (FERRY_IS_SHARE (self));
  g_return_if_fail (self->state == FERRY_SHARE_STOPPED);

  g_clear_error (&self->error);
  set_state (self, FERRY_SHARE_STARTING);

  if (self->password != NULL)
    {
      /* The password goes into a users file as ferryd's own yescrypt hash: ferryd
       * --add-user reads it twice from a pipe. The folder is ours only. */
      g_autofree char *template = g_build_filename (g_get_user_runtime_dir (),
                                                    "ferry-share-XXXXXX", NULL);
      g_autofree char *users = NULL;
      g_autofree char *ferryd = ferry_share_find_ferryd ();
      g_autofree char *input = g_strdup_printf ("%s\n%s\n", self->password, self->password);
      g_autoptr(GSubprocess) add_user = NULL;

      self->users_dir = g_mkdtemp (g_steal_pointer (&template));
      if (self->users_dir == NULL)
        {
          int saved_errno = errno;
          g_set_error (&self->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not make a folder for the password: %s"),
                       g_strerror (saved_errno));
          set_state (self, FERRY_SHARE_STOPPED);
          return;
        }
      users = g_build_filename (self->users_dir, "users", NULL);
      add_user = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                   | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE, &self->error,
                                   ferryd, "--users", users, "--add-user", FERRY_SHARE_USER,
                                   "--write", NULL);
      if (add_user == NULL)
        {
          remove_users_file (self);
          set_state (self, FERRY_SHARE_STOPPED);
          return;
        }
      g_subprocess_communicate_utf8_async (add_user, input, self->cancellable, on_user_added,
                                           g_object_ref (self));
      return;
    }
  spawn_ferryd (self);
}

void
ferry_share_stop (FerryShare *self)
{
  g_return_if_fail (FERRY_IS_SHARE (self));

  if (self->process == NULL)
    return;
  set_state (self, FERRY_SHARE_STOPPING);
  g_subprocess_send_signal (self->process, SIGTERM);
}

/* Getters ------------------------------------------------------------------------------- */

FerryShareState
ferry_share_get_state (FerryShare *self)
{
  return self->state;
}

guint16
ferry_share_get_port (FerryShare *self)
{
  return self->port;
}

GPid
ferry_share_get_pid (FerryShare *self)
{
  const char *id;

  if (self->process == NULL || (id = g_subprocess_get_identifier (self->process)) == NULL)
    return 0;
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

GFile *
ferry_share_get_folder (FerryShare *self)
{
  return self->folder;
}

const char *
ferry_share_get_password (FerryShare *self)
{
  return self->password;
}

const char *
ferry_share_get_name (FerryShare *self)
{
  return self->name;
}

const GError *
ferry_share_get_error (FerryShare *self)
{
  return self->error;
}

GListModel *
ferry_share_get_clients (FerryShare *self)
{
  return G_LIST_MODEL (self->clients);
}

/* The object ---------------------------------------------------------------------------- */

static void
ferry_share_dispose (GObject *object)
{
  FerryShare *self = FERRY_SHARE (object);

  /* Nothing keeps serving once the share is gone. */
  if (self->process != NULL)
    g_subprocess_send_signal (self->process, SIGTERM);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->process);
  g_clear_object (&self->status);
  remove_users_file (self);

  G_OBJECT_CLASS (ferry_share_parent_class)->dispose (object);
}

static void
ferry_share_finalize (GObject *object)
{
  FerryShare *self = FERRY_SHARE (object);

  g_clear_object (&self->folder);
  g_free (self->password);
  g_free (self->name);
  g_clear_error (&self->error);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->clients);
  g_array_unref (self->client_pids);
  g_hash_table_unref (self->client_users);

  G_OBJECT_CLASS (ferry_share_parent_class)->finalize (object);
}

static void
ferry_share_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FerryShare *self = FERRY_SHARE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_share_class_init (FerryShareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_share_dispose;
  object_class->finalize = ferry_share_finalize;
  object_class->get_property = ferry_share_get_property;

  /* A FerryShareState */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, FERRY_SHARE_STOPPED, FERRY_SHARE_STOPPING,
                      FERRY_SHARE_STOPPED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_share_init (FerryShare *self)
{
  self->cancellable = g_cancellable_new ();
  self->clients = gtk_string_list_new (NULL);
  self->client_pids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->client_users = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

FerryShare *
ferry_share_new (GFile      *folder,
                 const char *password,
                 const char *name)
{
  FerryShare *self = g_object_new (FERRY_TYPE_SHARE, NULL);
  const char *end;

  self->folder = g_object_ref (folder);
  self->password = g_strdup (password);
  self->name = name != NULL ? g_strdup (name) : ferry_share_default_name (folder);
  if (strlen (self->name) > 63)
    {
      g_utf8_validate (self->name, 63, &end);
      self->name[end - self->name] = '\0';
    }
  return self;
}
