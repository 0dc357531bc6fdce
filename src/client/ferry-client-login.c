// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-login.c — logging in: USER/PASS, FEAT discovery, OPTS UTF8, TYPE I,
 * PBSZ/PROT on encrypted sessions, and the first PWD. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"
#include "ferry-timed-io.h"

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
  self->hash_algorithm = -1;
  self->hash_selected = FALSE;
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
      else if (g_str_equal (line, "MFMT"))
        self->features |= FERRY_CLIENT_FEATURE_MFMT;
      else if (g_str_has_prefix (line, "HASH "))
        _ferry_client_parse_hash_feature (self, line);
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
  _ferry_client_set_current_directory (self, pwd);
  self->logged_in = TRUE;
  g_object_notify (G_OBJECT (self), "logged-in");
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
      if (reply->code == FERRY_REPLY_LOGGED_IN)
        login->step = LOGIN_FEAT;
      else if (reply->code == FERRY_REPLY_NEED_PASSWORD)
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
          if (reply->code == FERRY_REPLY_NEED_ACCOUNT)
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
        g_autofree char *pwd = klass == 2 ? _ferry_client_parse_pwd (reply->text) : NULL;

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

  if (!_ferry_client_acquired_for (FERRY_CLIENT (source), result, task))
    return;
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
  g_autoptr(GTask) task = NULL;
  Login *login;

  g_return_if_fail (FERRY_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_login_async));
  login = g_new0 (Login, 1);
  login->step = LOGIN_USER;
  login->user = g_strdup (user != NULL && user[0] != '\0' ? user : "anonymous");
  login->password = g_strdup (password != NULL ? password : "anonymous@");
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  _ferry_client_acquire_async (self, cancellable, login_acquired, g_steal_pointer (&task));
}

gboolean
ferry_client_login_finish (FerryClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (FERRY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_client_login_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
