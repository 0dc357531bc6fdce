// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client.c — FerryClient, one control connection: the object and its properties,
 * and taking turns on the connection. The protocol steps live in ferry-client-*.c. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"

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
  PROP_REQUIRE_VERIFICATION,
  PROP_TRUST_STORE,
  N_PROPS
};

enum {
  ACCEPT_CERTIFICATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Object --------------------------------------------------------------------------------- */

void
_ferry_client_close_control (FerryClient *self)
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
void
_ferry_client_lose_connection (FerryClient *self)
{
  gboolean was_connected = self->control != NULL;
  gboolean was_logged_in = self->logged_in;

  _ferry_client_close_control (self);
  self->logged_in = FALSE;
  if (was_connected)
    g_object_notify (G_OBJECT (self), "connected");
  if (was_logged_in)
    g_object_notify (G_OBJECT (self), "logged-in");
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
  _ferry_client_close_control (self);
  g_clear_object (&self->socket_client);
  g_clear_object (&self->trust_store);
  g_clear_pointer (&self->pinned_fingerprint, g_free);
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
    case PROP_REQUIRE_VERIFICATION:
      g_value_set_boolean (value, self->require_verification);
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
    case PROP_REQUIRE_VERIFICATION:
      ferry_client_set_require_verification (self, g_value_get_boolean (value));
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
  properties[PROP_REQUIRE_VERIFICATION] =
    g_param_spec_boolean ("require-verification", NULL, NULL, FALSE, rw);
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
  /* A data connection goes to the control connection's peer address, which a proxy would
   * not be; asking GIO's proxy resolver (libproxy, in a worker thread) for every file only
   * costs a thread hop and a parse of /etc/services. */
  self->parser = ferry_reply_parser_new (FERRY_REPLY_MAX_DEFAULT);
  self->read_buffer = g_malloc (CONTROL_READ_SIZE);
  self->connect_timeout = 30000;
  self->reply_timeout = 60000;
  self->data_timeout = 60000;
  self->keepalive_interval = 60;
  self->hash_algorithm = -1;
  self->hash_selected = FALSE;
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
                                     "require-verification", self->require_verification,
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

void
_ferry_client_set_current_directory (FerryClient *self, const char *cwd)
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
    _ferry_client_schedule_keepalive (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEPALIVE_INTERVAL]);
}

gboolean
ferry_client_get_require_verification (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  return self->require_verification;
}

void
ferry_client_set_require_verification (FerryClient *self, gboolean require)
{
  g_return_if_fail (FERRY_IS_CLIENT (self));
  require = !!require;
  if (self->require_verification == require)
    return;
  self->require_verification = require;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUIRE_VERIFICATION]);
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

const char *
ferry_client_get_pinned_fingerprint (FerryClient *self)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), NULL);
  return self->pinned_fingerprint;
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

void
_ferry_client_grant_next (FerryClient *self)
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
    _ferry_client_schedule_keepalive (self);
}

void
_ferry_client_acquire_async (FerryClient         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (_ferry_client_acquire_async));
  g_queue_push_tail (&self->waiters, g_steal_pointer (&task));
  _ferry_client_grant_next (self);
}

gboolean
_ferry_client_acquire_finish (FerryClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (_ferry_client_acquire_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
_ferry_client_acquired_for (FerryClient  *self,
                            GAsyncResult *result,
                            GTask        *task)
{
  GError *error = NULL;

  if (_ferry_client_acquire_finish (self, result, &error))
    return TRUE;
  g_task_return_error (task, error);
  g_object_unref (task);
  return FALSE;
}

void
_ferry_client_release (FerryClient *self)
{
  g_return_if_fail (self->busy);
  self->busy = FALSE;
  _ferry_client_grant_next (self);
}
