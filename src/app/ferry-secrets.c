// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-secrets.c — server passwords in the Secret Service (libsecret).
 *
 * Without a Secret Service (a bare session, the tests' dbus-run-session) both calls fail
 * with an error the caller treats softly: the password is asked for each time and is never
 * written anywhere else, plain text least of all. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"
#include "ferry-task.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ferry-secrets.h"

static const SecretSchema *
ferry_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.ferryftp.Ferry.Password", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("No password from the Secret Service: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* NULL without an error: nothing stored for this server. */
  g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
ferry_secrets_lookup_async (const char          *server,
                            guint16              port,
                            const char          *user,
                            const char          *protocol,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_secrets_lookup_async));

  secret_password_lookup (ferry_secrets_get_schema (), cancellable, on_lookup_done, task,
                          "server", server,
                          "port", (int) port,
                          "user", user,
                          "protocol", protocol,
                          NULL);
}

/* The stored password (free with g_free), or NULL: none stored, or an error. */
char *
ferry_secrets_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_autofree char *password = NULL;
  char *secret;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_secrets_lookup_async)),
                        NULL);

  secret = g_task_propagate_pointer (G_TASK (result), error);
  if (secret == NULL)
    return NULL;

  /* Hand out an ordinary string so callers need not know about secret_password_free(). */
  password = g_strdup (secret);
  secret_password_free (secret);
  return g_steal_pointer (&password);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_debug ("The Secret Service did not keep the password: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
ferry_secrets_store_async (const char          *server,
                           guint16              port,
                           const char          *user,
                           const char          *protocol,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_secrets_store_async));
  g_autofree char *label = NULL;

  /* Translators: the label of a password in the keyring, e.g. "FTP password for ann@nas" */
  label = g_strdup_printf (_("FTP password for %s@%s"), user, server);
  secret_password_store (ferry_secrets_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         password, cancellable, on_store_done, task,
                         "server", server,
                         "port", (int) port,
                         "user", user,
                         "protocol", protocol,
                         NULL);
}

gboolean
ferry_secrets_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  FERRY_TASK_TAG (ferry_secrets_store_async)),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
