#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

#define CONTROL_READ_SIZE (16 * 1024)

struct _FerryClient
{
  GObject              parent_instance;

  GSocketClient       *socket_client;
  GSocketConnection   *socket;          /* the TCP connection under any TLS */
  GIOStream           *control;         /* socket, or the TLS connection over it */
  GInetAddress        *peer_address;    /* where data connections go, whatever PASV says */
  FerryReplyParser    *parser;
  guint8              *read_buffer;
  guint                owed;            /* final replies not read yet (abandoned commands) */

  char                *host;
  guint16              port;
  FerryTlsMode         tls_mode;
  char                *user;
  char                *password;
  char                *welcome;
  char                *cwd;
  FerryClientFeatures  features;
  gboolean             epsv_refused;
  gboolean             logged_in;
  gboolean             protect_data;
  GTlsCertificate     *peer_certificate;
  GTlsCertificate     *accepted_certificate;  /* accepted once (not stored) this session */
  FerryTrustStore     *trust_store;

  guint                connect_timeout;
  guint                reply_timeout;
  guint                data_timeout;
  guint                keepalive_interval;
  guint                keepalive_id;

  gboolean             busy;
  GQueue               waiters;
};

G_DEFINE_FINAL_TYPE (FerryClient, ferry_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  PROP_LOGGED_IN,
  PROP_CURRENT_DIRECTORY,
  PROP_CONNECT_TIMEOUT,
  PROP_REPLY_TIMEOUT,
  PROP_DATA_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_TRUST_STORE,
  N_PROPS
};

enum {
  ACCEPT_CERTIFICATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule_keepalive (FerryClient *self);

/* Object --------------------------------------------------------------------------------- */

static void
close_control (FerryClient *self)
{
  if (self->control != NULL)
    /* Asynchronous so that a TLS close_notify never blocks; the operation keeps its ref. */
    g_io_stream_close_async (self->control, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&self->control);
  g_clear_object (&self->socket);
  g_clear_object (&self->peer_address);
  g_clear_pointer (&self->parser, ferry_reply_parser_free);
  self->parser = ferry_reply_parser_new (FERRY_REPLY_MAX_DEFAULT);
  self->owed = 0;
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
}

/* Drops the connection after an error; the client stays usable for a new connect. */
static void
lose_connection (FerryClient *self)
{
  gboolean was_connected = self->control != NULL;
  gboolean was_logged_in = self->logged_in;

  close_control (self);
  self->logged_in = FALSE;
  if (was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  if (was_logged_in)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
}

static void
ferry_client_dispose (GObject *object)
{
  FerryClient *self = FERRY_CLIENT (object);
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiters)) != NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED,
                               _("The connection was closed"));
      g_object_unref (task);
    }
  close_control (self);
  g_clear_object (&self->socket_client);
  g_clear_object (&self->trust_store);
  g_clear_object (&self->peer_certificate);
  g_clear_object (&self->accepted_certificate);
  G_OBJECT_CLASS (ferry_client_parent_class)->dispose (object);
}

static void
ferry_client_finalize (GObject *object)
{
  FerryClient *self = FERRY_CLIENT (object);

  g_clear_pointer (&self->parser, ferry_reply_parser_free);
  g_free (self->read_buffer);
  g_free (self->host);
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->welcome);
  g_free (self->cwd);
  G_OBJECT_CLASS (ferry_client_parent_class)->finalize (object);
}

static void
ferry_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryClient *self = FERRY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, ferry_client_is_connected (self));
      break;
    case PROP_LOGGED_IN:
      g_value_set_boolean (value, self->logged_in);
      break;
    case PROP_CURRENT_DIRECTORY:
      g_value_set_string (value, self->cwd);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_REPLY_TIMEOUT:
      g_value_set_uint (value, self->reply_timeout);
      break;
    case PROP_DATA_TIMEOUT:
      g_value_set_uint (value, self->data_timeout);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    case PROP_TRUST_STORE:
      g_value_set_object (value, ferry_client_get_trust_store (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FerryClient *self = FERRY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      ferry_client_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_REPLY_TIMEOUT:
      ferry_client_set_reply_timeout (self, g_value_get_uint (value));
      break;
    case PROP_DATA_TIMEOUT:
      ferry_client_set_data_timeout (self, g_value_get_uint (value));
      break;
    case PROP_KEEPALIVE_INTERVAL:
      ferry_client_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    case PROP_TRUST_STORE:
      if (g_value_get_object (value) != NULL)
        ferry_client_set_trust_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_client_class_init (FerryClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ferry_client_dispose;
  object_class->finalize = ferry_client_finalize;
  object_class->get_property = ferry_client_get_property;
  object_class->set_property = ferry_client_set_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_LOGGED_IN] = g_param_spec_boolean ("logged-in", NULL, NULL, FALSE, ro);
  properties[PROP_CURRENT_DIRECTORY] =
    g_param_spec_string ("current-directory", NULL, NULL, NULL, ro);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, 30000, rw);
  properties[PROP_REPLY_TIMEOUT] =
    g_param_spec_uint ("reply-timeout", NULL, NULL, 0, G_MAXUINT, 60000, rw);
  properties[PROP_DATA_TIMEOUT] =
    g_param_spec_uint ("data-timeout", NULL, NULL, 0, G_MAXUINT, 60000, rw);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, G_MAXUINT, 60, rw);
  properties[PROP_TRUST_STORE] =
    g_param_spec_object ("trust-store", NULL, NULL, FERRY_TYPE_TRUST_STORE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACCEPT_CERTIFICATE] =
    g_signal_new ("accept-certificate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_TLS_CERTIFICATE, G_TYPE_TLS_CERTIFICATE_FLAGS);
}

static void
ferry_client_init (FerryClient *self)
{
  self->socket_client = g_socket_client_new ();
  self->parser = ferry_reply_parser_new (FERRY_REPLY_MAX_DEFAULT);
  self->read_buffer = g_malloc (CONTROL_READ_SIZE);
  self->connect_timeout = 30000;
  self->reply_timeout = 60000;
  self->data_timeout = 60000;
  self->keepalive_interval = 60;
  g_queue_init (&self->waiters);
}

FerryClient *
ferry_client_new (void)
{
  return g_object_new (FERRY_TYPE_CLIENT, NULL);
}

FerryClient *
_ferry_client_new_like (FerryClient *self)
{
  FerryClient *clone = g_object_new (FERRY_TYPE_CLIENT,
                                     "connect-timeout", self->connect_timeout,
                                     "reply-timeout", self->reply_timeout,
                                     "data-timeout", self->data_timeout,
                                     "keepalive-interval", self->keepalive_interval,
                                     "trust-store", ferry_client_get_trust_store (self),
                                     NULL);

  /* A certificate the person accepted "once" holds for the extra connections too. */
  g_set_object (&clone->accepted_certificate, self->accepted_certificate);
  return clone;
}

/* Accessors ------------------------------------------------------------------------------ */

gboolean
ferry_client_is_connected (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->control != NULL && self->welcome != NULL;
}

gboolean
ferry_client_is_logged_in (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->logged_in;
}

const char *
ferry_client_get_host (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->host;
}

guint16
ferry_client_get_port (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->port;
}

FerryTlsMode
ferry_client_get_tls_mode (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FERRY_TLS_MODE_NONE);
  return self->tls_mode;
}

const char *
ferry_client_get_user (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->user;
}

const char *
_ferry_client_get_password (FerryClient *self)
{
  return self->password;
}

const char *
ferry_client_get_welcome (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->welcome;
}

FerryClientFeatures
ferry_client_get_features (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FERRY_CLIENT_FEATURE_NONE);
  return self->features;
}

gboolean
ferry_client_has_mlsd (FerryClient *self)
{
  return (ferry_client_get_features (self) & FERRY_CLIENT_FEATURE_MLSD) != 0;
}

gboolean
ferry_client_has_epsv (FerryClient *self)
{
  return (ferry_client_get_features (self) & FERRY_CLIENT_FEATURE_EPSV) != 0;
}

gboolean
ferry_client_has_utf8 (FerryClient *self)
{
  return (ferry_client_get_features (self) & FERRY_CLIENT_FEATURE_UTF8) != 0;
}

gboolean
ferry_client_has_rest (FerryClient *self)
{
  return (ferry_client_get_features (self) & FERRY_CLIENT_FEATURE_REST) != 0;
}

const char *
ferry_client_get_current_directory (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->cwd;
}

static void
set_current_directory (FerryClient *self, const char *cwd)
{
  if (g_strcmp0 (self->cwd, cwd) == 0)
    return;
  g_free (self->cwd);
  self->cwd = g_strdup (cwd);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_DIRECTORY]);
}

#define DEFINE_TIMEOUT_ACCESSORS(field, PROP)                                  \
  guint                                                                        \
  ferry_client_get_##field (FerryClient *self)                                 \
  {                                                                            \
    g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);                          \
    return self->field;                                                        \
  }                                                                            \
  void                                                                         \
  ferry_client_set_##field (FerryClient *self, guint value)                    \
  {                                                                            \
    g_return_if_fail (FERRY_IS_CLIENT (self));                                 \
    if (self->field == value)                                                  \
      return;                                                                  \
    self->field = value;                                                       \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);              \
  }

DEFINE_TIMEOUT_ACCESSORS (connect_timeout, PROP_CONNECT_TIMEOUT)
DEFINE_TIMEOUT_ACCESSORS (reply_timeout, PROP_REPLY_TIMEOUT)
DEFINE_TIMEOUT_ACCESSORS (data_timeout, PROP_DATA_TIMEOUT)

guint
ferry_client_get_keepalive_interval (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), 0);
  return self->keepalive_interval;
}

void
ferry_client_set_keepalive_interval (FerryClient *self, guint seconds)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  if (self->keepalive_interval == seconds)
    return;
  self->keepalive_interval = seconds;
  if (!self->busy)
    schedule_keepalive (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEPALIVE_INTERVAL]);
}

FerryTrustStore *
ferry_client_get_trust_store (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  if (self->trust_store == NULL)
    self->trust_store = ferry_trust_store_new (NULL);
  return self->trust_store;
}

void
ferry_client_set_trust_store (FerryClient *self, FerryTrustStore *store)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (FERRY_IS_TRUST_STORE (store));
  if (g_set_object (&self->trust_store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUST_STORE]);
}

GTlsCertificate *
ferry_client_get_peer_certificate (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->peer_certificate;
}

gboolean
ferry_client_trust_certificate (FerryClient      *self,
                                GTlsCertificate  *certificate,
                                GError          **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (self->host != NULL, FALSE);
  return ferry_trust_store_add (ferry_client_get_trust_store (self), self->host, self->port,
                                certificate, error);
}

void
ferry_client_accept_certificate_once (FerryClient     *self,
                                      GTlsCertificate *certificate)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));
  g_set_object (&self->accepted_certificate, certificate);
}

/* Taking turns on the control connection ------------------------------------------------- */

static void
grant_next (FerryClient *self)
{
  GTask *task;

  while (!self->busy && (task = g_queue_pop_head (&self->waiters)) != NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        ;
      else if (self->control == NULL)
        g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED,
                                 _("Not connected to a server"));
      else
        {
          self->busy = TRUE;
          g_clear_handle_id (&self->keepalive_id, g_source_remove);
          g_task_return_boolean (task, TRUE);
        }
      g_object_unref (task);
    }
  if (!self->busy)
    schedule_keepalive (self);
}

void
_ferry_client_acquire_async (FerryClient         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_queue_push_tail (&self->waiters, g_task_new (self, cancellable, callback, user_data));
  grant_next (self);
}

gboolean
_ferry_client_acquire_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_ferry_client_release (FerryClient *self)
{
  g_return_if_fail (self->busy);
  self->busy = FALSE;
  grant_next (self);
}

/* Replies --------------------------------------------------------------------------------- */

typedef struct {
  guint discard;   /* final replies of earlier commands to skip first */
  char *command;   /* for messages; "PASS ****" instead of the password */
} ReplyRead;

static void
reply_read_free (ReplyRead *state)
{
  g_free (state->command);
  g_free (state);
}

static void reply_step (GTask *task);

static void
reply_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);

  /* A cancelled read leaves the stream in step (the reply is still owed); anything else
   * leaves it in an unknown state, so the connection goes. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    lose_connection (self);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
reply_bytes_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n;

  n = ferry_timed_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT))
        {
          g_clear_error (&error);
          error = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT,
                               _("The server did not answer within %u seconds"),
                               (self->reply_timeout + 999) / 1000);
        }
      reply_fail (task, error);
      return;
    }
  if (n == 0)
    {
      reply_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                     _("The server closed the connection")));
      return;
    }
  if (self->parser == NULL)
    {
      reply_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                     _("The connection was closed")));
      return;
    }
  ferry_reply_parser_feed (self->parser, self->read_buffer, n);
  reply_step (task);
}

static void
reply_step (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  ReplyRead *state = g_task_get_task_data (task);
  FerryReply *reply = NULL;
  GError *error = NULL;

  if (self->control == NULL)
    {
      reply_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                     _("The connection was closed")));
      return;
    }

  while (ferry_reply_parser_next (self->parser, &reply, &error))
    {
      gboolean final = reply->code >= 200;

      if (final && self->owed > 0)
        self->owed--;
      if (state->discard > 0)
        {
          if (final)
            state->discard--;
          ferry_reply_free (reply);
          continue;
        }
      if (reply->code == 421)
        {
          GError *lost = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                                      _("The server closed the session: %s"), reply->text);
          ferry_reply_free (reply);
          reply_fail (task, lost);
          return;
        }
      g_task_return_pointer (task, reply, (GDestroyNotify) ferry_reply_free);
      g_object_unref (task);
      return;
    }

  if (error != NULL)
    {
      GError *hostile = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                     _("The server sent a reply Ferry does not accept: %s"),
                                     error->message);
      g_error_free (error);
      reply_fail (task, hostile);
      return;
    }

  ferry_timed_read_async (g_io_stream_get_input_stream (self->control),
                          self->read_buffer, CONTROL_READ_SIZE, self->reply_timeout,
                          g_task_get_cancellable (task), reply_bytes_read, task);
}

static GTask *
reply_task_new (FerryClient         *self,
                const char          *command,
                guint                discard,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReplyRead *state = g_new0 (ReplyRead, 1);

  state->discard = discard;
  if (command != NULL && g_ascii_strncasecmp (command, "PASS ", 5) == 0)
    state->command = g_strdup ("PASS ****");
  else
    state->command = g_strdup (command);
  g_task_set_task_data (task, state, (GDestroyNotify) reply_read_free);
  return task;
}

void
_ferry_client_read_reply_async (FerryClient         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  reply_step (reply_task_new (self, NULL, 0, cancellable, callback, user_data));
}

FerryReply *
_ferry_client_read_reply_finish (FerryClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
command_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      reply_fail (task, error);
      return;
    }
  reply_step (task);
}

static void
send_line (GTask *task, const char *line)
{
  FerryClient *self = g_task_get_source_object (task);
  char *wire;

  if (strpbrk (line, "\r\n") != NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_UNSAFE_NAME,
                               _("A name with a line break cannot be sent to an FTP server"));
      g_object_unref (task);
      return;
    }
  if (self->control == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED,
                               _("Not connected to a server"));
      g_object_unref (task);
      return;
    }

  wire = g_strconcat (line, "\r\n", NULL);
  /* The buffer must live as long as the write: the task owns it. */
  g_object_set_data_full (G_OBJECT (task), "ferry-wire", wire, g_free);
  self->owed++;
  g_debug ("→ %s", ((ReplyRead *) g_task_get_task_data (task))->command);
  ferry_timed_write_all_async (g_io_stream_get_output_stream (self->control),
                               wire, strlen (wire), self->reply_timeout,
                               g_task_get_cancellable (task), command_written, task);
}

void
_ferry_client_command_async (FerryClient         *self,
                             const char          *line,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  send_line (reply_task_new (self, line, self->owed, cancellable, callback, user_data), line);
}

FerryReply *
_ferry_client_command_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What a refused command was doing, in the user's terms; NULL for commands without a
 * sentence of their own. */
static char *
describe_command (const char *verb, const char *argument)
{
#define VERB_IS(v) (g_ascii_strcasecmp (verb, (v)) == 0)
  if (argument != NULL)
    {
      if (VERB_IS ("RETR"))
        return g_strdup_printf (_("The server refused to send “%s”"), argument);
      if (VERB_IS ("STOR"))
        return g_strdup_printf (_("The server refused to store “%s”"), argument);
      if (VERB_IS ("SIZE"))
        return g_strdup_printf (_("The server refused to tell the size of “%s”"), argument);
      if (VERB_IS ("MDTM"))
        return g_strdup_printf (_("The server refused to tell when “%s” was changed"),
                                argument);
      if (VERB_IS ("MLST"))
        return g_strdup_printf (_("The server refused to describe “%s”"), argument);
      if (VERB_IS ("CWD"))
        return g_strdup_printf (_("The server refused to open the folder “%s”"), argument);
      if (VERB_IS ("MKD"))
        return g_strdup_printf (_("The server refused to create the folder “%s”"), argument);
      if (VERB_IS ("RMD"))
        return g_strdup_printf (_("The server refused to remove the folder “%s”"), argument);
      if (VERB_IS ("DELE"))
        return g_strdup_printf (_("The server refused to delete “%s”"), argument);
      if (VERB_IS ("RNFR"))
        return g_strdup_printf (_("The server refused to rename “%s”"), argument);
      if (VERB_IS ("RNTO"))
        return g_strdup_printf (_("The server refused to rename to “%s”"), argument);
      if (VERB_IS ("MLSD") || VERB_IS ("LIST") || VERB_IS ("NLST"))
        return g_strdup_printf (_("The server refused to list “%s”"), argument);
    }
  if (VERB_IS ("MLSD") || VERB_IS ("LIST") || VERB_IS ("NLST"))
    return g_strdup (_("The server refused to list the current folder"));
  if (VERB_IS ("PWD"))
    return g_strdup (_("The server refused to name the current folder"));
  if (VERB_IS ("TYPE"))
    return g_strdup (_("The server refused binary transfers"));
  if (VERB_IS ("EPSV") || VERB_IS ("PASV"))
    return g_strdup (_("The server refused to open a data connection"));
  if (VERB_IS ("OPTS"))
    return g_strdup (_("The server refused an option Ferry needs"));
  return NULL;
#undef VERB_IS
}

static FerryClientError
classify_reply (const FerryReply *reply, const char *verb)
{
  g_autofree char *lower = g_ascii_strdown (reply->text, -1);

  switch (reply->code)
    {
    case 421:
      return FERRY_CLIENT_ERROR_CONNECTION_LOST;
    case 530:
      if (g_ascii_strcasecmp (verb, "USER") == 0 || g_ascii_strcasecmp (verb, "PASS") == 0)
        return FERRY_CLIENT_ERROR_LOGIN_FAILED;
      return FERRY_CLIENT_ERROR_PERMISSION_DENIED;
    case 452:
    case 552:
      return FERRY_CLIENT_ERROR_DISK_FULL;
    case 553:
      return FERRY_CLIENT_ERROR_PERMISSION_DENIED;
    case 450:
    case 550:
      if (strstr (lower, "denied") || strstr (lower, "permission") || strstr (lower, "not allowed"))
        return FERRY_CLIENT_ERROR_PERMISSION_DENIED;
      if (strstr (lower, "no such") || strstr (lower, "not found")
          || strstr (lower, "not exist") || strstr (lower, "n't exist"))
        return FERRY_CLIENT_ERROR_NOT_FOUND;
      if (strstr (lower, "exist"))
        return FERRY_CLIENT_ERROR_EXISTS;
      if (reply->code == 550)
        return FERRY_CLIENT_ERROR_NOT_FOUND;
      return FERRY_CLIENT_ERROR_FAILED;
    default:
      return FERRY_CLIENT_ERROR_FAILED;
    }
}

/* The sentence before the server's own text: what failed, in the user's terms. */
static char *
describe_refusal (FerryClientError code, const char *verb, const char *argument)
{
  char *sentence;
  gboolean names_a_file = argument != NULL && g_ascii_strcasecmp (verb, "TYPE") != 0
                          && g_ascii_strcasecmp (verb, "OPTS") != 0;

  switch (code)
    {
    case FERRY_CLIENT_ERROR_LOGIN_FAILED:
      return g_strdup (_("The server refused the user name or password"));
    case FERRY_CLIENT_ERROR_CONNECTION_LOST:
      return g_strdup (_("The server closed the session"));
    case FERRY_CLIENT_ERROR_NOT_FOUND:
      if (names_a_file && g_ascii_strcasecmp (verb, "RNTO") != 0)
        return g_strdup_printf (_("“%s” does not exist on the server"), argument);
      break;
    case FERRY_CLIENT_ERROR_EXISTS:
      if (names_a_file)
        return g_strdup_printf (_("“%s” already exists on the server"), argument);
      break;
    case FERRY_CLIENT_ERROR_DISK_FULL:
      if (names_a_file)
        return g_strdup_printf (_("The server has no room left for “%s”"), argument);
      return g_strdup (_("The server has no room left"));
    default:
      break;
    }

  sentence = describe_command (verb, argument);
  if (sentence != NULL)
    return sentence;
  return g_strdup_printf (_("The server refused the command %s"), verb);
}

GError *
_ferry_client_reply_error (const FerryReply *reply,
                           const char       *command)
{
  g_autofree char *verb = NULL;
  g_autofree char *sentence = NULL;
  const char *space = command != NULL ? strchr (command, ' ') : NULL;
  const char *argument = space != NULL && space[1] != '\0' ? space + 1 : NULL;
  FerryClientError code;

  if (space != NULL)
    verb = g_strndup (command, space - command);
  else
    verb = g_strdup (command != NULL ? command : "");
  /* Never quote a password back. */
  if (g_ascii_strcasecmp (verb, "PASS") == 0)
    argument = NULL;
  code = classify_reply (reply, verb);
  sentence = describe_refusal (code, verb, argument);
  /* The server's own words stay last, in brackets: they often tell more. */
  return g_error_new (FERRY_CLIENT_ERROR, code, _("%s (%u %s)"),
                      sentence, reply->code, reply->text);
}

/* Keep-alive ------------------------------------------------------------------------------ */

static void
keepalive_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (error != NULL)
    g_debug ("keep-alive failed: %s", error->message);
  if (self->busy)
    _ferry_client_release (self);
}

static void
keepalive_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  FerryClient *self = FERRY_CLIENT (source);

  if (!_ferry_client_acquire_finish (self, result, NULL))
    return;
  _ferry_client_command_async (self, "NOOP", NULL, keepalive_replied, NULL);
}

static gboolean
keepalive_due (gpointer data)
{
  FerryClient *self = data;

  self->keepalive_id = 0;
  if (self->logged_in && !self->busy)
    _ferry_client_acquire_async (self, NULL, keepalive_acquired, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_keepalive (FerryClient *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (!self->logged_in || self->keepalive_interval == 0 || self->control == NULL)
    return;
  self->keepalive_id = g_timeout_add_seconds (self->keepalive_interval, keepalive_due, self);
}

/* TLS ------------------------------------------------------------------------------------- */

static gboolean
control_accept_certificate (GTlsConnection       *connection,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            gpointer              data)
{
  FerryClient *self = data;
  gboolean accepted = FALSE;

  g_set_object (&self->peer_certificate, certificate);
  if (self->accepted_certificate != NULL
      && g_tls_certificate_is_same (self->accepted_certificate, certificate))
    return TRUE;
  if (ferry_trust_store_is_trusted (ferry_client_get_trust_store (self),
                                    self->host, self->port, certificate))
    return TRUE;
  g_signal_emit (self, signals[ACCEPT_CERTIFICATE], 0, certificate, errors, &accepted);
  if (accepted)
    g_set_object (&self->accepted_certificate, certificate);
  return accepted;
}

static gboolean
data_accept_certificate (GTlsConnection       *connection,
                         GTlsCertificate      *certificate,
                         GTlsCertificateFlags  errors,
                         gpointer              data)
{
  FerryClient *self = data;

  /* The data channel must present the certificate already accepted for the session. */
  return self->peer_certificate != NULL
         && g_tls_certificate_is_same (self->peer_certificate, certificate);
}

static GIOStream *
wrap_tls (FerryClient *self, GIOStream *base, gboolean for_data, GError **error)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);
  g_autoptr(GError) local_error = NULL;
  GIOStream *tls;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                   _("Encryption is not available on this system (no TLS support in GIO; "
                     "install glib-networking)"));
      return NULL;
    }
  tls = g_tls_client_connection_new (base, identity, &local_error);
  if (tls == NULL)
    {
      g_set_error (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                   _("Could not start encryption: %s"), local_error->message);
      return NULL;
    }
  if (for_data)
    {
      if (G_IS_TLS_CLIENT_CONNECTION (self->control))
        g_tls_client_connection_copy_session_state (G_TLS_CLIENT_CONNECTION (tls),
                                                    G_TLS_CLIENT_CONNECTION (self->control));
      g_signal_connect_object (tls, "accept-certificate",
                               G_CALLBACK (data_accept_certificate), self, 0);
    }
  else
    g_signal_connect_object (tls, "accept-certificate",
                             G_CALLBACK (control_accept_certificate), self, 0);
  return tls;
}

static GError *
tls_error (FerryClient *self, GError *error)
{
  GError *translated;

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    translated = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED,
                              _("The certificate of %s is not trusted"), self->host);
  else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    translated = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                              _("%s does not speak TLS on this port"), self->host);
  else
    translated = ferry_client_error_from_io (error, _("setting up encryption"));
  g_error_free (error);
  return translated;
}

/* Connecting ------------------------------------------------------------------------------ */

typedef struct {
  FerryDeadline *deadline;
} ConnectState;

static void
connect_state_free (ConnectState *state)
{
  g_clear_pointer (&state->deadline, ferry_deadline_free);
  g_free (state);
}

static void
connect_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);

  close_control (self);
  g_clear_pointer (&self->welcome, g_free);
  self->busy = FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
  grant_next (self);
}

static void
connect_succeed (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  grant_next (self);
}

static void read_greeting (GTask *task);

static void
auth_tls_handshaken (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  ConnectState *state = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      if (error->domain == G_TLS_ERROR)
        error = tls_error (self, error);
      else
        error = ferry_deadline_translate (state->deadline, error, _("setting up encryption"));
      connect_fail (task, error);
      return;
    }
  g_set_object (&self->peer_certificate,
                g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (source)));
  self->protect_data = TRUE;

  if (self->welcome == NULL)
    read_greeting (task);          /* implicit TLS: the greeting comes encrypted */
  else
    connect_succeed (task);
}

static void
start_tls (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  ConnectState *state = g_task_get_task_data (task);
  GError *error = NULL;
  GIOStream *tls;

  tls = wrap_tls (self, G_IO_STREAM (self->socket), FALSE, &error);
  if (tls == NULL)
    {
      connect_fail (task, error);
      return;
    }
  g_clear_object (&self->control);
  self->control = tls;
  ferry_deadline_arm (state->deadline);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    ferry_deadline_get_cancellable (state->deadline),
                                    auth_tls_handshaken, task);
}

static void
auth_tls_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, error);
      return;
    }
  if (reply->code != 234)
    {
      connect_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                                       _("%s does not offer encryption (AUTH TLS: %u %s)"),
                                       self->host, reply->code, reply->text));
      return;
    }
  self->features |= FERRY_CLIENT_FEATURE_AUTH_TLS;
  start_tls (task);
}

static void
greeting_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, error);
      return;
    }
  if (reply->code == 120)
    {
      read_greeting (task);   /* "service ready in nnn minutes": the 220 follows */
      return;
    }
  if (reply->code != 220)
    {
      connect_fail (task, g_error_new (FERRY_CLIENT_ERROR,
                                       reply->code == 421 ? FERRY_CLIENT_ERROR_CONNECTION_REFUSED
                                                          : FERRY_CLIENT_ERROR_PROTOCOL,
                                       _("%s did not greet as an FTP server does (%u %s)"),
                                       self->host, reply->code, reply->text));
      return;
    }
  self->owed = 0;
  self->welcome = g_strdup (reply->text);

  if (self->tls_mode == FERRY_TLS_MODE_EXPLICIT)
    _ferry_client_command_async (self, "AUTH TLS", g_task_get_cancellable (task),
                                 auth_tls_replied, task);
  else
    connect_succeed (task);
}

static void
read_greeting (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);

  self->owed = 1;
  _ferry_client_read_reply_async (self, g_task_get_cancellable (task), greeting_read, task);
}

/* Takes error; says which host and port could not be reached and why, in plain words. */
static GError *
connect_error (FerryClient *self, FerryDeadline *deadline, GError *error)
{
  g_autofree char *what = g_strdup_printf (_("connecting to %s port %u"), self->host,
                                           self->port);
  GError *translated = ferry_deadline_translate (deadline, g_error_copy (error), what);
  GError *worded = NULL;

  switch (translated->domain == FERRY_CLIENT_ERROR ? translated->code : -1)
    {
    case FERRY_CLIENT_ERROR_CONNECTION_REFUSED:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not connect to %s port %u: connection refused"),
                            self->host, self->port);
      break;
    case FERRY_CLIENT_ERROR_HOST_NOT_FOUND:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not find the host %s (%s)"), self->host, error->message);
      break;
    case FERRY_CLIENT_ERROR_TIMED_OUT:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not connect to %s port %u: no answer within %u s"),
                            self->host, self->port, (self->connect_timeout + 999) / 1000);
      break;
    case FERRY_CLIENT_ERROR_CONNECTION_LOST:
    case FERRY_CLIENT_ERROR_FAILED:
      worded = g_error_new (FERRY_CLIENT_ERROR, translated->code,
                            _("Could not connect to %s port %u: %s"),
                            self->host, self->port, error->message);
      break;
    default:
      break;
    }
  g_error_free (error);
  if (worded == NULL)
    return translated;
  g_error_free (translated);
  return worded;
}

static void
socket_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  ConnectState *state = g_task_get_task_data (task);
  g_autoptr(GSocketAddress) remote = NULL;
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      connect_fail (task, connect_error (self, state->deadline, error));
      return;
    }
  self->socket = connection;
  self->control = g_object_ref (G_IO_STREAM (connection));
  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    self->peer_address =
      g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  if (self->tls_mode == FERRY_TLS_MODE_IMPLICIT)
    start_tls (task);
  else
    read_greeting (task);
}

void
ferry_client_connect_async (FerryClient         *self,
                            const char          *host,
                            guint16              port,
                            FerryTlsMode         tls_mode,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GSocketConnectable) address = NULL;
  GTask *task;
  ConnectState *state;

  g_return_if_fail (FERRY_IS_CLIENT (self));
  g_return_if_fail (host != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  if (self->control != NULL || self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Already connected; disconnect first"));
      g_object_unref (task);
      return;
    }

  self->busy = TRUE;
  port = port != 0 ? port : FERRY_URL_DEFAULT_PORT;
  if (self->host != NULL && (g_strcmp0 (self->host, host) != 0 || self->port != port))
    g_clear_object (&self->accepted_certificate);   /* "once" was for the other server */
  g_free (self->host);
  self->host = g_strdup (host);
  self->port = port;
  self->tls_mode = tls_mode;
  self->features = FERRY_CLIENT_FEATURE_NONE;
  self->epsv_refused = FALSE;
  self->protect_data = FALSE;
  g_clear_pointer (&self->welcome, g_free);
  g_clear_object (&self->peer_certificate);

  state = g_new0 (ConnectState, 1);
  state->deadline = ferry_deadline_new (self->connect_timeout, cancellable);
  g_task_set_task_data (task, state, (GDestroyNotify) connect_state_free);
  ferry_deadline_arm (state->deadline);

  address = g_network_address_new (self->host, self->port);
  g_socket_client_connect_async (self->socket_client, address,
                                 ferry_deadline_get_cancellable (state->deadline),
                                 socket_connected, task);
}

gboolean
ferry_client_connect_finish (FerryClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Command sequences ----------------------------------------------------------------------- */

/* Runs the commands in order on the acquired connection; each but the last must get a 2xx
 * or 3xx reply, the last a 2xx. Returns the last reply. */
typedef struct {
  GStrv commands;
  guint next;
} Sequence;

static void
sequence_free (Sequence *sequence)
{
  g_strfreev (sequence->commands);
  g_free (sequence);
}

static void sequence_send_next (GTask *task);

static void
sequence_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Sequence *sequence = g_task_get_task_data (task);
  const char *command = sequence->commands[sequence->next];
  gboolean last = sequence->commands[sequence->next + 1] == NULL;
  FerryReply *reply;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      _ferry_client_release (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (FERRY_REPLY_CLASS (reply->code) != 2 && (last || FERRY_REPLY_CLASS (reply->code) != 3))
    {
      _ferry_client_release (self);
      g_task_return_error (task, _ferry_client_reply_error (reply, command));
      ferry_reply_free (reply);
      g_object_unref (task);
      return;
    }
  if (last)
    {
      _ferry_client_release (self);
      g_task_return_pointer (task, reply, (GDestroyNotify) ferry_reply_free);
      g_object_unref (task);
      return;
    }
  ferry_reply_free (reply);
  sequence->next++;
  sequence_send_next (task);
}

static void
sequence_send_next (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  Sequence *sequence = g_task_get_task_data (task);

  _ferry_client_command_async (self, sequence->commands[sequence->next],
                               g_task_get_cancellable (task), sequence_replied, task);
}

static void
sequence_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!_ferry_client_acquire_finish (FERRY_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  sequence_send_next (task);
}

/* Takes ownership of commands (NULL-terminated, at least one). */
static void
run_sequence (FerryClient         *self,
              GStrv                commands,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Sequence *sequence = g_new0 (Sequence, 1);

  sequence->commands = commands;
  g_task_set_task_data (task, sequence, (GDestroyNotify) sequence_free);
  _ferry_client_acquire_async (self, cancellable, sequence_acquired, task);
}

static FerryReply *
run_sequence_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GStrv
commands (const char *first, ...) G_GNUC_NULL_TERMINATED;

static GStrv
commands (const char *first, ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *c = first; c != NULL; c = va_arg (args, const char *))
    g_strv_builder_add (builder, c);
  va_end (args);
  return g_strv_builder_end (builder);
}

/* A task for a public operation that runs one sequence and converts its last reply. */
typedef gboolean (*ReplyConverter) (FerryClient *self, GTask *task, FerryReply *reply);

static void
operation_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  ReplyConverter *convert = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = run_sequence_finish (result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    (*convert) (FERRY_CLIENT (source), task, reply);
  g_object_unref (task);
}

static void
run_operation (FerryClient         *self,
               GStrv                command_lines,
               ReplyConverter       convert,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReplyConverter *slot = g_new (ReplyConverter, 1);

  *slot = convert;
  g_task_set_task_data (task, slot, g_free);
  run_sequence (self, command_lines, cancellable, operation_done, task);
}

static gboolean
convert_success (FerryClient *self, GTask *task, FerryReply *reply)
{
  g_task_return_boolean (task, TRUE);
  return TRUE;
}

/* "257 "/a ""b""" is current directory" → /a "b" (RFC 959 doubles quotes inside). */
static char *
parse_pwd (const char *text)
{
  GString *path;
  const char *p = strchr (text, '"');

  if (p == NULL)
    return NULL;
  path = g_string_new (NULL);
  for (p++; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          if (p[1] != '"')
            return g_string_free (path, FALSE);
          p++;
        }
      g_string_append_c (path, *p);
    }
  g_string_free (path, TRUE);
  return NULL;
}

static gboolean
convert_pwd (FerryClient *self, GTask *task, FerryReply *reply)
{
  g_autofree char *path = parse_pwd (reply->text);

  if (path == NULL || path[0] != '/')
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server named its current folder in a form Ferry "
                                 "does not understand: %s"), reply->text);
      return FALSE;
    }
  set_current_directory (self, path);
  g_task_return_pointer (task, g_strdup (path), g_free);
  return TRUE;
}

/* Login ----------------------------------------------------------------------------------- */

typedef enum {
  LOGIN_USER,
  LOGIN_PASS,
  LOGIN_FEAT,
  LOGIN_UTF8,
  LOGIN_TYPE,
  LOGIN_PBSZ,
  LOGIN_PROT,
  LOGIN_PWD,
} LoginStep;

typedef struct {
  LoginStep  step;
  char      *user;
  char      *password;
} Login;

static void
login_free (Login *login)
{
  g_free (login->user);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

static void login_send (GTask *task);

static void
login_fail (GTask *task, GError *error)
{
  FerryClient *self = g_task_get_source_object (task);

  if (self->busy)
    _ferry_client_release (self);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
parse_features (FerryClient *self, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  self->features &= FERRY_CLIENT_FEATURE_AUTH_TLS;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_ascii_strup (g_strstrip (lines[i]), -1);

      if (g_str_has_prefix (line, "MLST"))
        self->features |= FERRY_CLIENT_FEATURE_MLSD;
      else if (g_str_equal (line, "EPSV"))
        self->features |= FERRY_CLIENT_FEATURE_EPSV;
      else if (g_str_equal (line, "UTF8"))
        self->features |= FERRY_CLIENT_FEATURE_UTF8;
      else if (g_str_has_prefix (line, "REST STREAM"))
        self->features |= FERRY_CLIENT_FEATURE_REST;
      else if (g_str_equal (line, "SIZE"))
        self->features |= FERRY_CLIENT_FEATURE_SIZE;
      else if (g_str_equal (line, "MDTM"))
        self->features |= FERRY_CLIENT_FEATURE_MDTM;
      else if (g_str_has_prefix (line, "AUTH") && strstr (line, "TLS") != NULL)
        self->features |= FERRY_CLIENT_FEATURE_AUTH_TLS;
    }
}

static void
login_finish_ok (GTask *task, const char *pwd)
{
  FerryClient *self = g_task_get_source_object (task);
  Login *login = g_task_get_task_data (task);

  g_free (self->user);
  self->user = g_strdup (login->user);
  g_free (self->password);
  self->password = g_strdup (login->password);
  set_current_directory (self, pwd);
  self->logged_in = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
  _ferry_client_release (self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
login_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Login *login = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;
  guint klass;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      login_fail (task, error);
      return;
    }
  klass = FERRY_REPLY_CLASS (reply->code);

  switch (login->step)
    {
    case LOGIN_USER:
      if (reply->code == 230)
        login->step = LOGIN_FEAT;
      else if (reply->code == 331)
        login->step = LOGIN_PASS;
      else
        {
          login_fail (task, _ferry_client_reply_error (reply, "USER"));
          return;
        }
      break;

    case LOGIN_PASS:
      if (klass != 2)
        {
          if (reply->code == 332)
            error = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_LOGIN_FAILED,
                                 _("The server asks for an account (ACCT), which Ferry "
                                   "does not support (%u %s)"), reply->code, reply->text);
          else
            error = g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_LOGIN_FAILED,
                                 _("The server refused the user name or password (%u %s)"),
                                 reply->code, reply->text);
          login_fail (task, error);
          return;
        }
      login->step = LOGIN_FEAT;
      break;

    case LOGIN_FEAT:
      if (klass == 2)
        parse_features (self, reply->text);
      else   /* no FEAT (RFC 959 servers): try EPSV anyway, list with LIST */
        self->features |= FERRY_CLIENT_FEATURE_EPSV;
      login->step = (self->features & FERRY_CLIENT_FEATURE_UTF8) ? LOGIN_UTF8 : LOGIN_TYPE;
      break;

    case LOGIN_UTF8:
      login->step = LOGIN_TYPE;   /* servers that refuse still take UTF-8 bytes */
      break;

    case LOGIN_TYPE:
      if (klass != 2)
        {
          login_fail (task, _ferry_client_reply_error (reply, "TYPE I"));
          return;
        }
      login->step = self->tls_mode != FERRY_TLS_MODE_NONE ? LOGIN_PBSZ : LOGIN_PWD;
      break;

    case LOGIN_PBSZ:
      login->step = LOGIN_PROT;
      break;

    case LOGIN_PROT:
      if (klass != 2)
        {
          login_fail (task, g_error_new (FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNAVAILABLE,
                                         _("The server will not encrypt file transfers "
                                           "(PROT P: %u %s)"), reply->code, reply->text));
          return;
        }
      self->protect_data = TRUE;
      login->step = LOGIN_PWD;
      break;

    case LOGIN_PWD:
      {
        g_autofree char *pwd = klass == 2 ? parse_pwd (reply->text) : NULL;

        login_finish_ok (task, pwd != NULL && pwd[0] == '/' ? pwd : "/");
        return;
      }

    default:
      g_assert_not_reached ();
    }

  login_send (task);
}

static void
login_send (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  Login *login = g_task_get_task_data (task);
  g_autofree char *line = NULL;

  switch (login->step)
    {
    case LOGIN_USER:
      line = g_strconcat ("USER ", login->user, NULL);
      break;
    case LOGIN_PASS:
      line = g_strconcat ("PASS ", login->password, NULL);
      break;
    case LOGIN_FEAT:
      line = g_strdup ("FEAT");
      break;
    case LOGIN_UTF8:
      line = g_strdup ("OPTS UTF8 ON");
      break;
    case LOGIN_TYPE:
      line = g_strdup ("TYPE I");
      break;
    case LOGIN_PBSZ:
      line = g_strdup ("PBSZ 0");
      break;
    case LOGIN_PROT:
      line = g_strdup ("PROT P");
      break;
    case LOGIN_PWD:
      line = g_strdup ("PWD");
      break;
    default:
      g_assert_not_reached ();
    }
  _ferry_client_command_async (self, line, g_task_get_cancellable (task), login_replied, task);
}

static void
login_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  if (!_ferry_client_acquire_finish (FERRY_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  login_send (task);
}

void
ferry_client_login_async (FerryClient         *self,
                          const char          *user,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  Login *login;

  g_return_if_fail (FERRY_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  login = g_new0 (Login, 1);
  login->step = LOGIN_USER;
  login->user = g_strdup (user != NULL && user[0] != '\0' ? user : "anonymous");
  login->password = g_strdup (password != NULL ? password : "anonymous@");
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  _ferry_client_acquire_async (self, cancellable, login_acquired, task);
}

gboolean
ferry_client_login_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Disconnecting --------------------------------------------------------------------------- */

static void
quit_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_command_finish (self, result, &error);
  lose_connection (self);
  _ferry_client_release (self);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
quit_acquired (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);

  if (!_ferry_client_acquire_finish (self, result, NULL))
    {
      /* Already closed: nothing to say goodbye to. */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  _ferry_client_command_async (self, "QUIT", g_task_get_cancellable (task), quit_replied, task);
}

void
ferry_client_disconnect_async (FerryClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  _ferry_client_acquire_async (self, cancellable, quit_acquired,
                               g_task_new (self, cancellable, callback, user_data));
}

gboolean
ferry_client_disconnect_finish (FerryClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Simple operations ----------------------------------------------------------------------- */

void
ferry_client_change_directory_async (FerryClient         *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *cwd = g_strconcat ("CWD ", path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, commands (cwd, "PWD", NULL), convert_pwd,
                 cancellable, callback, user_data);
}

char *
ferry_client_change_directory_finish (FerryClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
convert_size (FerryClient *self, GTask *task, FerryReply *reply)
{
  guint64 size = 0;

  if (!g_ascii_string_to_unsigned (g_strstrip (reply->text), 10, 0, G_MAXINT64, &size, NULL))
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server gave a size that is not a number: %s"),
                               reply->text);
      return FALSE;
    }
  g_task_return_int (task, (gssize) size);
  return TRUE;
}

void
ferry_client_size_async (FerryClient         *self,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *line = g_strconcat ("SIZE ", path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, commands (line, NULL), convert_size, cancellable, callback, user_data);
}

gint64
ferry_client_size_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
convert_mdtm (FerryClient *self, GTask *task, FerryReply *reply)
{
  g_autoptr(GError) error = NULL;
  gint64 seconds = 0;

  if (!ferry_time_parse (g_strstrip (reply->text), &seconds, &error))
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server gave a time Ferry does not understand: %s"),
                               error->message);
      return FALSE;
    }
  g_task_return_pointer (task, g_date_time_new_from_unix_utc (seconds),
                         (GDestroyNotify) g_date_time_unref);
  return TRUE;
}

void
ferry_client_mdtm_async (FerryClient         *self,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *line = g_strconcat ("MDTM ", path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, commands (line, NULL), convert_mdtm, cancellable, callback, user_data);
}

GDateTime *
ferry_client_mdtm_finish (FerryClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

#define DEFINE_SIMPLE_OPERATION(name, VERB)                                              \
  void                                                                                   \
  ferry_client_##name##_async (FerryClient         *self,                               \
                               const char          *path,                               \
                               GCancellable        *cancellable,                        \
                               GAsyncReadyCallback  callback,                           \
                               gpointer             user_data)                          \
  {                                                                                      \
    g_autofree char *line = g_strconcat (VERB " ", path, NULL);                          \
                                                                                         \
    g_return_if_fail (FERRY_IS_CLIENT (self));                                           \
    run_operation (self, commands (line, NULL), convert_success,                         \
                   cancellable, callback, user_data);                                    \
  }                                                                                      \
  gboolean                                                                               \
  ferry_client_##name##_finish (FerryClient   *self,                                    \
                                GAsyncResult  *result,                                  \
                                GError       **error)                                   \
  {                                                                                      \
    return g_task_propagate_boolean (G_TASK (result), error);                            \
  }

DEFINE_SIMPLE_OPERATION (mkdir, "MKD")
DEFINE_SIMPLE_OPERATION (rmdir, "RMD")
DEFINE_SIMPLE_OPERATION (delete, "DELE")

void
ferry_client_rename_async (FerryClient         *self,
                           const char          *from_path,
                           const char          *to_path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *from = g_strconcat ("RNFR ", from_path, NULL);
  g_autofree char *to = g_strconcat ("RNTO ", to_path, NULL);

  g_return_if_fail (FERRY_IS_CLIENT (self));
  run_operation (self, commands (from, to, NULL), convert_success,
                 cancellable, callback, user_data);
}

gboolean
ferry_client_rename_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Data connections ------------------------------------------------------------------------ */

typedef struct {
  FerryDeadline *deadline;
  gboolean       tried_pasv;
} DataOpen;

static void
data_open_free (DataOpen *state)
{
  g_clear_pointer (&state->deadline, ferry_deadline_free);
  g_free (state);
}

static void
data_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  DataOpen *state = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, ferry_deadline_translate (state->deadline, error,
                                                           _("opening the data connection")));
      g_object_unref (task);
      return;
    }
  if (self->protect_data)
    {
      GIOStream *tls = wrap_tls (self, G_IO_STREAM (connection), TRUE, &error);

      if (tls == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, tls, g_object_unref);
    }
  else
    g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
  g_object_unref (task);
}

static void data_send_passive (GTask *task);

static void
passive_replied (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  DataOpen *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GError *error = NULL;
  guint16 port = 0;

  reply = _ferry_client_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (!state->tried_pasv)
    {
      if (reply->code == 229 && ferry_parse_epsv_reply (reply->text, &port, NULL))
        ;
      else if (FERRY_REPLY_CLASS (reply->code) == 5 || reply->code == 229)
        {
          self->epsv_refused = TRUE;
          data_send_passive (task);
          return;
        }
      else
        {
          g_task_return_error (task, _ferry_client_reply_error (reply, "EPSV"));
          g_object_unref (task);
          return;
        }
    }
  else
    {
      FerryHostPort announced;

      if (reply->code != 227)
        {
          g_task_return_error (task, _ferry_client_reply_error (reply, "PASV"));
          g_object_unref (task);
          return;
        }
      if (!ferry_parse_pasv_reply (reply->text, &announced, &error))
        {
          g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                                   _("The server's passive-mode reply is malformed: %s"),
                                   error->message);
          g_error_free (error);
          g_object_unref (task);
          return;
        }
      /* Only the port is used: the address inside a PASV reply may point anywhere (a NAT's
       * private address, or a third host in a bounce attack). */
      port = announced.port;
    }

  if (self->peer_address == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST,
                               _("Not connected to a server"));
      g_object_unref (task);
      return;
    }
  address = g_inet_socket_address_new (self->peer_address, port);
  ferry_deadline_arm (state->deadline);
  g_socket_client_connect_async (self->socket_client, G_SOCKET_CONNECTABLE (address),
                                 ferry_deadline_get_cancellable (state->deadline),
                                 data_connected, task);
}

static void
data_send_passive (GTask *task)
{
  FerryClient *self = g_task_get_source_object (task);
  DataOpen *state = g_task_get_task_data (task);

  state->tried_pasv = TRUE;
  _ferry_client_command_async (self, "PASV", g_task_get_cancellable (task),
                               passive_replied, task);
}

void
_ferry_client_open_data_async (FerryClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  DataOpen *state = g_new0 (DataOpen, 1);

  state->deadline = ferry_deadline_new (self->connect_timeout, cancellable);
  g_task_set_task_data (task, state, (GDestroyNotify) data_open_free);

  /* EPSV works for IPv6 and through NAT; PASV only when EPSV was refused. A PASV-only
   * server on IPv6 has no passive mode at all. */
  if (self->epsv_refused)
    data_send_passive (task);
  else
    _ferry_client_command_async (self, "EPSV", cancellable, passive_replied, task);
}

GIOStream *
_ferry_client_open_data_finish (FerryClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Abort ----------------------------------------------------------------------------------- */

#define ABORT_MAX_REPLIES 8

typedef struct {
  guint replies;
} Abort;

static void abort_read_next (GTask *task);

static void
abort_reply_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = FERRY_CLIENT (source);
  Abort *state = g_task_get_task_data (task);
  g_autoptr(FerryReply) reply = NULL;
  GError *error = NULL;

  reply = _ferry_client_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      lose_connection (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* NOOP's 200 is the only 200 in this exchange: RETR/STOR/LIST end in 2xx/4xx/5xx other
   * than 200, ABOR in 225/226. */
  if (reply->code == 200)
    {
      self->owed = 0;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (++state->replies > ABORT_MAX_REPLIES)
    {
      lose_connection (self);
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_PROTOCOL,
                               _("The server did not get back in step after an abort"));
      g_object_unref (task);
      return;
    }
  abort_read_next (task);
}

static void
abort_read_next (GTask *task)
{
  _ferry_client_read_reply_async (g_task_get_source_object (task), NULL,
                                  abort_reply_read, task);
}

static void
abort_written (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  FerryClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!ferry_timed_write_all_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      lose_connection (self);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  abort_read_next (task);
}

void
_ferry_client_abort_async (FerryClient         *self,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  static const char abort_lines[] = "ABOR\r\nNOOP\r\n";
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_task_data (task, g_new0 (Abort, 1), g_free);
  if (self->control == NULL)
    {
      g_task_return_new_error (task, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_NOT_CONNECTED,
                               _("Not connected to a server"));
      g_object_unref (task);
      return;
    }
  ferry_timed_write_all_async (g_io_stream_get_output_stream (self->control),
                               abort_lines, sizeof abort_lines - 1, self->reply_timeout,
                               NULL, abort_written, task);
}

gboolean
_ferry_client_abort_finish (FerryClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
