// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-refusal.c — a refused command as a GError: what failed in the user's terms,
 * the server's own words kept in brackets. */
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-client-private.h"

/* Server refusals ---------------------------------------------------------------------- */

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

static gboolean
verb_is_one_of (const char *verb, const char * const *verbs)
{
  for (guint i = 0; verbs[i] != NULL; i++)
    if (g_ascii_strcasecmp (verb, verbs[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Commands that create a name: only their refusals can mean "already there". */
static const char * const creating_verbs[] = { "MKD", "RNTO", "STOR", "APPE", NULL };

/* Commands that look a path up: a bare 550 to them means it is not there. Others (RMD of a
 * folder that is not empty, say) get no such guess. */
static const char * const looking_up_verbs[] = {
  "SIZE", "MDTM", "MLST", "RETR", "CWD", "LIST", "NLST", "MLSD", "RNFR", "DELE", "RMD", NULL
};

static FerryClientError
classify_reply (const FerryReply *reply, const char *verb)
{
  g_autofree char *lower = g_ascii_strdown (reply->text, -1);

  switch (reply->code)
    {
    case FERRY_REPLY_SERVICE_CLOSING:
      return FERRY_CLIENT_ERROR_CONNECTION_LOST;
    case FERRY_REPLY_CANNOT_OPEN_DATA:
      return FERRY_CLIENT_ERROR_DATA_CONNECTION;
    case FERRY_REPLY_NOT_LOGGED_IN:
      if (g_ascii_strcasecmp (verb, "USER") == 0 || g_ascii_strcasecmp (verb, "PASS") == 0)
        return FERRY_CLIENT_ERROR_LOGIN_FAILED;
      return FERRY_CLIENT_ERROR_PERMISSION_DENIED;
    case FERRY_REPLY_NO_SPACE:
    case FERRY_REPLY_EXCEEDED_STORAGE:
      return FERRY_CLIENT_ERROR_DISK_FULL;
    case FERRY_REPLY_BAD_FILE_NAME:
      return FERRY_CLIENT_ERROR_PERMISSION_DENIED;
    case FERRY_REPLY_FILE_BUSY:
    case FERRY_REPLY_FILE_UNAVAILABLE:
      if (strstr (lower, "denied") || strstr (lower, "permission") || strstr (lower, "not allowed"))
        return FERRY_CLIENT_ERROR_PERMISSION_DENIED;
      /* Servers word these freely: pure-ftpd answers a missing path with "Can't check for
       * file existence", others with "File exists" to MKD. */
      if (strstr (lower, "no such") || strstr (lower, "not found")
          || strstr (lower, "not exist") || strstr (lower, "n't exist")
          || strstr (lower, "existence"))
        return FERRY_CLIENT_ERROR_NOT_FOUND;
      if (strstr (lower, "exist") && verb_is_one_of (verb, creating_verbs))
        return FERRY_CLIENT_ERROR_EXISTS;
      if (reply->code == FERRY_REPLY_FILE_UNAVAILABLE && verb_is_one_of (verb, looking_up_verbs)
          && !strstr (lower, "not empty"))
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
  /* Translators: a sentence saying what failed, then the server's reply code and text,
   * e.g. "“a.txt” does not exist on the server (550 No such file.)" */
  return g_error_new (FERRY_CLIENT_ERROR, code, _("%s (%u %s)"),
                      sentence, reply->code, reply->text);
}
