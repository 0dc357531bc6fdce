// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-cli-error.c — error lines a person can act on.
 *
 * The engine's messages for a refused command have read "SIZE a.txt: the server said “550
 * No such file or folder.”": the FTP command is noise to a user, the error code says what
 * happened. So ferry-cli says what happened in words chosen by the code, the same whatever
 * the engine's wording, and keeps the server's reply in brackets, since it often tells
 * more ("550 The folder is not empty."). */
#define G_LOG_DOMAIN "ferry-cli"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-cli-error.h"
#include "ferry-client-error.h"

static gboolean
starts_with_reply_code (const char *text,
                        gsize       length)
{
  return length >= 4 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
         g_ascii_isdigit (text[2]) && text[3] == ' ';
}

/* The engine keeps the reply last: "… (550 text)", or in its older wording "… the server
 * said “550 text”". */
char *
ferry_cli_error_server_reply (const char *message)
{
  static const struct { const char *open, *close; } quotes[] = {
    { " (", ")" },
    { "“", "”" },
  };

  g_return_val_if_fail (message != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (quotes); i++)
    {
      const char *close;
      const char *open = NULL;

      if (!g_str_has_suffix (message, quotes[i].close))
        continue;
      close = message + strlen (message) - strlen (quotes[i].close);

      /* The last opening quote that starts a reply code: the text may hold quotes too. */
      for (const char *p = strstr (message, quotes[i].open); p != NULL && p < close;
           p = strstr (p + 1, quotes[i].open))
        {
          const char *start = p + strlen (quotes[i].open);

          if (start <= close && starts_with_reply_code (start, close - start))
            open = start;
        }
      if (open != NULL)
        return g_strndup (open, close - open);
    }

  return NULL;
}

/* The engine files every 550 it cannot place as NOT_FOUND, "550 The folder is not empty."
 * (RMD) among them: that one must not read as a missing file. */
static gboolean
reply_gives_other_cause (const char *reply)
{
  g_autofree char *lower = g_ascii_strdown (reply, -1);

  return strstr (lower, "not empty") != NULL;
}

/* What a refusal with this code means; NULL: the engine's message says it best. */
static const char *
describe_refusal (int         code,
                  const char *reply)
{
  switch (code)
    {
    case FERRY_CLIENT_ERROR_NOT_FOUND:
      if (reply_gives_other_cause (reply))
        return _("the server refused");
      return _("no such file or folder on the server");
    case FERRY_CLIENT_ERROR_PERMISSION_DENIED:
      return _("the server does not allow it");
    case FERRY_CLIENT_ERROR_EXISTS:
      return _("something of that name is already there");
    case FERRY_CLIENT_ERROR_DISK_FULL:
      return _("the server has no room left");
    case FERRY_CLIENT_ERROR_LOGIN_FAILED:
      return _("wrong user name or password");
    case FERRY_CLIENT_ERROR_CONNECTION_LOST:
      return _("the server closed the connection");
    case FERRY_CLIENT_ERROR_TLS_UNAVAILABLE:
      return _("the server does not offer encryption");
    case FERRY_CLIENT_ERROR_FAILED:
      return _("the server refused");
    default:
      return NULL;
    }
}

char *
ferry_cli_error_reason (const GError *error)
{
  g_autofree char *reply = NULL;
  const char *sentence;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != FERRY_CLIENT_ERROR ||
      (reply = ferry_cli_error_server_reply (error->message)) == NULL ||
      (sentence = describe_refusal (error->code, reply)) == NULL)
    return g_strdup (error->message);

  /* Translators: a reason, then the FTP server's reply, e.g. "no such file or folder on
   * the server (550 No such file or folder.)" */
  return g_strdup_printf (_("%s (%s)"), sentence, reply);
}

/* Why a connection could not be made, or NULL when the engine's message says it best. */
char *
ferry_cli_error_connect_reason (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("nothing answers there; is the FTP server running, and on that port?"));
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_HOST_NOT_FOUND))
    return g_strdup (_("no computer of that name was found; check the spelling and the "
                       "network"));
  if (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TIMED_OUT))
    return g_strdup (_("the server did not answer in time"));
  return NULL;
}
