// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-client-driver — drives the client engine from the integration tests.
 *
 *   ferry-client-driver [OPTIONS] URL COMMAND...
 *
 * Each COMMAND is one argument whose fields are separated by tabs, e.g. "get\t/a b.txt\t/tmp/x".
 * The commands run in order on one FerryClient inside a GMainLoop; each prints one result
 * line ("ok VERB …" or "error VERB CODE message"), listings print "entry TYPE SIZE HEXNAME"
 * lines first. A failed command does not stop the ones after it (the tests check that the
 * session stays usable). Exit status 0 when every command succeeded. At exit the driver
 * prints "peak-rss-kb N" so tests can check that memory stayed bounded.
 */
#define G_LOG_DOMAIN "ferry-client-driver"

#include <stdio.h>
#include <string.h>

#include "ferry-client.h"
#include "ferry-transfer-queue.h"

typedef struct {
  GMainLoop          *loop;
  FerryClient        *client;
  FerryUrl           *url;
  char              **commands;
  guint               next;
  gboolean            failed;
  FerryConflictPolicy policy;
  GCancellable       *cancellable;
  gint64              cancel_after;   /* get-cancel: bytes after which to cancel */
  FerryTransferQueue *queue;
  guint               queue_pending;
  gboolean            waiting_for_queue;
  char              **fields;
  gboolean            trust_after_refusal;
  gboolean            accept_once_after_refusal;
} Driver;

static void run_next (Driver *driver);
static void connected (GObject *source, GAsyncResult *result, gpointer data);

/* NOT_FOUND for FERRY_CLIENT_ERROR_NOT_FOUND: the generated enum type knows every code. */
static const char *
error_code_name (const GError *error)
{
  g_autoptr(GEnumClass) codes = NULL;
  GEnumValue *value;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "CANCELLED";
  if (error->domain != FERRY_CLIENT_ERROR)
    return "OTHER";
  codes = g_type_class_ref (FERRY_TYPE_CLIENT_ERROR);
  value = g_enum_get_value (codes, error->code);
  if (value == NULL)
    return "OTHER";
  /* Static types keep their class: the name outlives this reference. */
  return value->value_name + strlen ("FERRY_CLIENT_ERROR_");
}

static void
report (Driver *driver, const char *verb, const GError *error, const char *extra)
{
  if (error != NULL)
    {
      g_autofree char *message = g_strescape (error->message, NULL);

      driver->failed = TRUE;
      printf ("error %s %s %s\n", verb, error_code_name (error), message);
    }
  else if (extra != NULL)
    printf ("ok %s %s\n", verb, extra);
  else
    printf ("ok %s\n", verb);
  fflush (stdout);
}

static void
step_done (Driver *driver)
{
  g_idle_add_once ((GSourceOnceFunc) run_next, driver);
}

static const char *
entry_type_name (FerryEntryType type)
{
  switch (type)
    {
    case FERRY_ENTRY_FILE:
      return "file";
    case FERRY_ENTRY_DIRECTORY:
      return "dir";
    case FERRY_ENTRY_SYMLINK:
      return "link";
    case FERRY_ENTRY_CURRENT_DIR:
      return "cdir";
    case FERRY_ENTRY_PARENT_DIR:
      return "pdir";
    case FERRY_ENTRY_OTHER:
    default:
      return "other";
    }
}

static char *
hex (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    g_string_append_printf (out, "%02x", *p);
  return g_string_free (out, FALSE);
}

/* Callbacks ----------------------------------------------------------------------------- */

static void
listed (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = ferry_client_list_finish (FERRY_CLIENT (source), result, &error);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      FerryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *name = hex (entry->name);

      printf ("entry %s %" G_GINT64_FORMAT " %s\n", entry_type_name (entry->type),
              entry->size, name);
    }
  report (driver, "ls", error, NULL);
  step_done (driver);
}

static void
changed_directory (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ferry_client_change_directory_finish (FERRY_CLIENT (source), result,
                                                                &error);
  g_autofree char *shown = path != NULL ? hex (path) : NULL;

  report (driver, "cd", error, shown);
  step_done (driver);
}

static void
sized (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;
  gint64 size = ferry_client_size_finish (FERRY_CLIENT (source), result, &error);
  g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, size);

  report (driver, "size", error, error == NULL ? shown : NULL);
  step_done (driver);
}

static void
mdtm_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) time = ferry_client_mdtm_finish (FERRY_CLIENT (source), result, &error);
  g_autofree char *shown = time != NULL
                           ? g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (time))
                           : NULL;

  report (driver, "mdtm", error, shown);
  step_done (driver);
}

#define DEFINE_BOOLEAN_DONE(name, finish, verb)                                    \
  static void                                                                      \
  name (GObject *source, GAsyncResult *result, gpointer data)                      \
  {                                                                                \
    Driver *driver = data;                                                         \
    g_autoptr(GError) error = NULL;                                                \
                                                                                   \
    finish (FERRY_CLIENT (source), result, &error);                                \
    report (driver, verb, error, NULL);                                            \
    step_done (driver);                                                            \
  }

DEFINE_BOOLEAN_DONE (mkdir_done, ferry_client_mkdir_finish, "mkdir")
DEFINE_BOOLEAN_DONE (rmdir_done, ferry_client_rmdir_finish, "rmdir")
DEFINE_BOOLEAN_DONE (delete_done, ferry_client_delete_finish, "rm")
DEFINE_BOOLEAN_DONE (rename_done, ferry_client_rename_finish, "mv")
DEFINE_BOOLEAN_DONE (rename_safe_done, ferry_client_rename_no_replace_finish, "mv-safe")
DEFINE_BOOLEAN_DONE (mfmt_done, ferry_client_set_modified_finish, "mfmt")

/* Polled rather than notified: "bytes-done" is notified at most ten times a second. */
static gboolean
cancel_when_due (gpointer data)
{
  FerryTransfer *transfer = data;
  Driver *driver = g_object_get_data (G_OBJECT (transfer), "driver");

  if (driver->cancel_after < 0 || ferry_transfer_is_finished (transfer))
    return G_SOURCE_REMOVE;
  if (ferry_transfer_get_bytes_done (transfer) >= driver->cancel_after)
    {
      driver->cancel_after = -1;
      g_cancellable_cancel (driver->cancellable);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
transferred (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(FerryTransfer) transfer = data;
  Driver *driver = g_object_get_data (G_OBJECT (transfer), "driver");
  g_autoptr(GError) error = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *local = g_file_get_path (ferry_transfer_get_local_file (transfer));

  ferry_client_run_transfer_finish (FERRY_CLIENT (source), result, &error);
  /* Entries a folder download left out: "skipped HEX-OF-REMOTE-PATH", before the result. */
  for (guint i = 0; i < ferry_transfer_get_skipped (transfer)->len; i++)
    {
      const char *path = g_ptr_array_index (ferry_transfer_get_skipped (transfer), i);

      printf ("skipped ");
      for (const char *p = path; *p != '\0'; p++)
        printf ("%02x", (guchar) *p);
      printf ("\n");
    }
  extra = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s",
                           ferry_transfer_get_bytes_done (transfer),
                           ferry_transfer_get_total (transfer), local != NULL ? local : "-");
  report (driver, ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD
                  ? "get" : "put", error, error == NULL ? extra : NULL);
  g_clear_object (&driver->cancellable);
  driver->cancel_after = -1;
  step_done (driver);
}

static void
start_transfer (Driver *driver, FerryTransfer *transfer)
{
  ferry_transfer_set_conflict_policy (transfer, driver->policy);
  g_object_set_data (G_OBJECT (transfer), "driver", driver);
  driver->cancellable = g_cancellable_new ();
  if (driver->cancel_after >= 0)
    g_timeout_add_full (G_PRIORITY_HIGH, 1, cancel_when_due, g_object_ref (transfer),
                        g_object_unref);
  ferry_client_run_transfer_async (driver->client, transfer, driver->cancellable,
                                   transferred, transfer);
}

static void
queue_transfer_finished (FerryTransferQueue *queue, FerryTransfer *transfer, Driver *driver)
{
  const GError *error = ferry_transfer_get_error (transfer);
  g_autofree char *extra = g_strdup_printf ("%s %" G_GINT64_FORMAT,
                                            ferry_transfer_get_name (transfer),
                                            ferry_transfer_get_bytes_done (transfer));

  report (driver, "queued", error, error == NULL ? extra : NULL);
  if (--driver->queue_pending == 0 && driver->waiting_for_queue)
    {
      driver->waiting_for_queue = FALSE;
      printf ("ok queue-wait %" G_GINT64_FORMAT "\n", ferry_transfer_queue_get_bytes_done (queue));
      fflush (stdout);
      step_done (driver);
    }
}

static void
disconnected (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;

  ferry_client_disconnect_finish (FERRY_CLIENT (source), result, &error);
  report (driver, "quit", error, NULL);
  step_done (driver);
}

static void
idle_waited (gpointer data)
{
  Driver *driver = data;

  report (driver, "sleep", NULL, NULL);
  run_next (driver);
}

/* Commands ------------------------------------------------------------------------------ */

/* The commands ------------------------------------------------------------------------- */

/* Each command either finishes at once (report, step_done) or starts an operation whose
 * callback does; f holds the command's fields, f[0] its verb. */

static void
cmd_ls (Driver *driver, char **f)
{
  ferry_client_list_async (driver->client, f[1], NULL, listed, driver);
}

static void
cmd_cd (Driver *driver, char **f)
{
  ferry_client_change_directory_async (driver->client, f[1], NULL, changed_directory, driver);
}

static void
cmd_pwd (Driver *driver, char **f)
{
  g_autofree char *shown = hex (ferry_client_get_current_directory (driver->client));

  report (driver, "pwd", NULL, shown);
  step_done (driver);
}

static void
cmd_features (Driver *driver, char **f)
{
  g_autofree char *shown = g_strdup_printf ("mlsd=%d epsv=%d utf8=%d rest=%d",
                                            ferry_client_has_mlsd (driver->client),
                                            ferry_client_has_epsv (driver->client),
                                            ferry_client_has_utf8 (driver->client),
                                            ferry_client_has_rest (driver->client));

  report (driver, "features", NULL, shown);
  step_done (driver);
}

static void
cmd_size (Driver *driver, char **f)
{
  ferry_client_size_async (driver->client, f[1], NULL, sized, driver);
}

static void
cmd_mdtm (Driver *driver, char **f)
{
  ferry_client_mdtm_async (driver->client, f[1], NULL, mdtm_done, driver);
}

static void
cmd_mfmt (Driver *driver, char **f)
{
  if ((ferry_client_get_features (driver->client) & FERRY_CLIENT_FEATURE_MFMT) == 0)
    {
      printf ("error mfmt NOT_OFFERED\n");
      driver->failed = TRUE;
      step_done (driver);
      return;
    }
  ferry_client_set_modified_async (driver->client, f[1], g_ascii_strtoll (f[2], NULL, 10),
                                   NULL, mfmt_done, driver);
}

static void
cmd_mkdir (Driver *driver, char **f)
{
  ferry_client_mkdir_async (driver->client, f[1], NULL, mkdir_done, driver);
}

static void
cmd_rmdir (Driver *driver, char **f)
{
  ferry_client_rmdir_async (driver->client, f[1], NULL, rmdir_done, driver);
}

static void
cmd_rm (Driver *driver, char **f)
{
  ferry_client_delete_async (driver->client, f[1], NULL, delete_done, driver);
}

static void
cmd_mv (Driver *driver, char **f)
{
  ferry_client_rename_async (driver->client, f[1], f[2], NULL, rename_done, driver);
}

static void
cmd_mv_safe (Driver *driver, char **f)
{
  ferry_client_rename_no_replace_async (driver->client, f[1], f[2], NULL, rename_safe_done,
                                        driver);
}

static void
cmd_policy (Driver *driver, char **f)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (FERRY_TYPE_CONFLICT_POLICY);
  GEnumValue *value = g_enum_get_value_by_nick (klass, f[1]);

  if (value != NULL)
    driver->policy = value->value;
  report (driver, "policy", NULL, NULL);
  step_done (driver);
}

/* get, getdir: REMOTE FOLDER [NAME]; get-cancel: REMOTE FOLDER BYTES [keep] (cancel after
 * them; with "keep" the cancelled download keeps its NAME.part). */
static void
cmd_get (Driver *driver, char **f)
{
  g_autoptr(GFile) folder = g_file_new_for_path (f[2]);
  gboolean is_folder = g_str_equal (f[0], "getdir");
  const char *local_name = NULL;
  FerryTransfer *transfer;

  if (g_str_equal (f[0], "get-cancel"))
    driver->cancel_after = g_ascii_strtoll (f[3], NULL, 10);
  else if (f[3] != NULL)
    local_name = f[3];
  transfer = ferry_transfer_new_download (f[1], is_folder, folder, local_name);
  if (g_str_equal (f[0], "get-cancel") && f[3] != NULL && g_strcmp0 (f[4], "keep") == 0)
    ferry_transfer_set_keep_partial (transfer, TRUE);
  start_transfer (driver, transfer);
}

/* get-known: REMOTE FOLDER SIZE, a download told its size as a folder listing would. */
static void
cmd_get_known (Driver *driver, char **f)
{
  g_autoptr(GFile) folder = g_file_new_for_path (f[2]);
  FerryTransfer *transfer = ferry_transfer_new_download (f[1], FALSE, folder, NULL);

  ferry_transfer_set_known_size (transfer, g_ascii_strtoll (f[3], NULL, 10));
  start_transfer (driver, transfer);
}

/* put: LOCAL REMOTE; put-cancel: LOCAL REMOTE BYTES. */
static void
cmd_put (Driver *driver, char **f)
{
  g_autoptr(GFile) local = g_file_new_for_path (f[1]);

  if (g_str_equal (f[0], "put-cancel"))
    driver->cancel_after = g_ascii_strtoll (f[3], NULL, 10);
  start_transfer (driver, ferry_transfer_new_upload (local, f[2]));
}

static void
cmd_queue_get (Driver *driver, char **f)
{
  g_autoptr(GFile) folder = g_file_new_for_path (f[2]);
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new_download (f[1], FALSE, folder, NULL);

  if (driver->queue == NULL)
    {
      driver->queue = ferry_transfer_queue_new (driver->client);
      g_signal_connect (driver->queue, "transfer-finished",
                        G_CALLBACK (queue_transfer_finished), driver);
    }
  ferry_transfer_set_conflict_policy (transfer, driver->policy);
  driver->queue_pending++;
  ferry_transfer_queue_add (driver->queue, transfer);
  report (driver, "queue-get", NULL, NULL);
  step_done (driver);
}

static void
cmd_queue_wait (Driver *driver, char **f)
{
  if (driver->queue_pending > 0)
    {
      driver->waiting_for_queue = TRUE;   /* queue_transfer_finished goes on */
      return;
    }
  report (driver, "queue-wait", NULL, "0");
  step_done (driver);
}

static void
cmd_queue_retry (Driver *driver, char **f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (driver->queue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (driver->queue), i);
      FerryTransferState state = ferry_transfer_get_state (transfer);

      if (state == FERRY_TRANSFER_FAILED || state == FERRY_TRANSFER_CANCELLED)
        {
          driver->queue_pending++;
          ferry_transfer_queue_retry (driver->queue, transfer);
        }
    }
  report (driver, "queue-retry", NULL, NULL);
  step_done (driver);
}

static void
cmd_queue_clear (Driver *driver, char **f)
{
  g_autofree char *shown = NULL;

  ferry_transfer_queue_clear_finished (driver->queue);
  shown = g_strdup_printf ("%u", g_list_model_get_n_items (G_LIST_MODEL (driver->queue)));
  report (driver, "queue-clear", NULL, shown);
  step_done (driver);
}

static void
cmd_sleep (Driver *driver, char **f)
{
  g_timeout_add_once (g_ascii_strtoull (f[1], NULL, 10), idle_waited, driver);
}

static void
cmd_quit (Driver *driver, char **f)
{
  ferry_client_disconnect_async (driver->client, NULL, disconnected, driver);
}

typedef struct {
  const char *verb;
  guint       fields;         /* at least this many, the verb included */
  gboolean    needs_queue;    /* only after a queue-get made the queue */
  void      (*run) (Driver *driver, char **f);
} Command;

static const Command commands[] = {
  { "ls",          1, FALSE, cmd_ls },
  { "cd",          2, FALSE, cmd_cd },
  { "pwd",         1, FALSE, cmd_pwd },
  { "features",    1, FALSE, cmd_features },
  { "size",        2, FALSE, cmd_size },
  { "mdtm",        2, FALSE, cmd_mdtm },
  { "mfmt",        3, FALSE, cmd_mfmt },
  { "mkdir",       2, FALSE, cmd_mkdir },
  { "rmdir",       2, FALSE, cmd_rmdir },
  { "rm",          2, FALSE, cmd_rm },
  { "mv",          3, FALSE, cmd_mv },
  { "mv-safe",     3, FALSE, cmd_mv_safe },
  { "policy",      2, FALSE, cmd_policy },
  { "get",         3, FALSE, cmd_get },
  { "getdir",      3, FALSE, cmd_get },
  { "get-cancel",  4, FALSE, cmd_get },
  { "get-known",   4, FALSE, cmd_get_known },
  { "put",         3, FALSE, cmd_put },
  { "put-cancel",  4, FALSE, cmd_put },
  { "queue-get",   3, FALSE, cmd_queue_get },
  { "queue-wait",  1, FALSE, cmd_queue_wait },
  { "queue-retry", 1, TRUE,  cmd_queue_retry },
  { "queue-clear", 1, TRUE,  cmd_queue_clear },
  { "sleep",       2, FALSE, cmd_sleep },
  { "quit",        1, FALSE, cmd_quit },
};

/* A command that cannot run fails at once with a USAGE error and the next one runs: the
 * test sees why, instead of a driver waiting for its time-out. */
static void
refuse (Driver *driver, const char *verb, const char *why)
{
  printf ("error %s USAGE %s\n", verb, why);
  driver->failed = TRUE;
  step_done (driver);
}

static void
run_next (Driver *driver)
{
  char **f;

  g_clear_pointer (&driver->fields, g_strfreev);
  if (driver->commands[driver->next] == NULL)
    {
      g_main_loop_quit (driver->loop);
      return;
    }
  driver->fields = g_strsplit (driver->commands[driver->next++], "\t", -1);
  f = driver->fields;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const Command *command = &commands[i];

      if (!g_str_equal (f[0], command->verb))
        continue;
      if (g_strv_length (f) < command->fields)
        refuse (driver, f[0], "missing arguments");
      else if (command->needs_queue && driver->queue == NULL)
        refuse (driver, f[0], "no queue yet (queue-get makes it)");
      else
        command->run (driver, f);
      return;
    }
  refuse (driver, f[0], "unknown command");
}

static void
logged_in (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;

  ferry_client_login_finish (FERRY_CLIENT (source), result, &error);
  report (driver, "login", error, NULL);
  if (error != NULL)
    {
      g_main_loop_quit (driver->loop);
      return;
    }
  run_next (driver);
}

static void
connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Driver *driver = data;
  g_autoptr(GError) error = NULL;

  ferry_client_connect_finish (FERRY_CLIENT (source), result, &error);
  report (driver, "connect", error, NULL);
  /* What a UI does after asking the person: trust the certificate, connect again. */
  if (driver->trust_after_refusal
      && g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_TLS_UNTRUSTED))
    {
      g_autoptr(GError) trust_error = NULL;
      GTlsCertificate *certificate = ferry_client_get_peer_certificate (driver->client);

      driver->trust_after_refusal = FALSE;
      driver->failed = FALSE;
      if (certificate != NULL && driver->accept_once_after_refusal)
        ferry_client_accept_certificate_once (driver->client, certificate);
      if (certificate != NULL
          && (driver->accept_once_after_refusal
              || ferry_client_trust_certificate (driver->client, certificate, &trust_error)))
        {
          report (driver, "trust", NULL, NULL);
          ferry_client_connect_async (driver->client, driver->url->host, driver->url->port,
                                      driver->url->tls_mode, NULL, connected, driver);
          return;
        }
      report (driver, "trust", trust_error, NULL);
    }
  if (error != NULL)
    {
      g_main_loop_quit (driver->loop);
      return;
    }
  ferry_client_login_async (driver->client, driver->url->user, driver->url->password, NULL,
                            logged_in, driver);
}

static gboolean
accept_any (FerryClient *client, GTlsCertificate *certificate, GTlsCertificateFlags errors,
            gpointer data)
{
  return TRUE;
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(FerryClient) client = NULL;
  g_autoptr(FerryUrl) url = NULL;
  int connect_timeout = 30000, reply_timeout = 60000, data_timeout = 60000, keepalive = 60;
  gboolean accept_certificates = FALSE;
  gboolean trust_after_refusal = FALSE;
  gboolean accept_once = FALSE;
  g_autofree char *trust_store = NULL;
  Driver driver = { 0 };
  GOptionEntry entries[] = {
    { "connect-timeout", 0, 0, G_OPTION_ARG_INT, &connect_timeout, "ms", "MS" },
    { "reply-timeout", 0, 0, G_OPTION_ARG_INT, &reply_timeout, "ms", "MS" },
    { "data-timeout", 0, 0, G_OPTION_ARG_INT, &data_timeout, "ms", "MS" },
    { "keepalive", 0, 0, G_OPTION_ARG_INT, &keepalive, "seconds", "S" },
    { "accept-certificates", 0, 0, G_OPTION_ARG_NONE, &accept_certificates, "accept any", NULL },
    { "trust-store", 0, 0, G_OPTION_ARG_FILENAME, &trust_store, "keyfile", "PATH" },
    { "trust-after-refusal", 0, 0, G_OPTION_ARG_NONE, &trust_after_refusal,
      "on TLS_UNTRUSTED, trust the certificate and connect again", NULL },
    { "accept-once-after-refusal", 0, 0, G_OPTION_ARG_NONE, &accept_once,
      "on TLS_UNTRUSTED, accept the certificate once and connect again", NULL },
    { NULL },
  };

  context = g_option_context_new ("URL COMMAND…");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      fprintf (stderr, "usage: ferry-client-driver [OPTIONS] URL COMMAND…\n");
      return 2;
    }
  url = ferry_url_parse (argv[1], &error);
  if (url == NULL)
    {
      report (&driver, "url", error, NULL);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  client = ferry_client_new ();
  ferry_client_set_connect_timeout (client, connect_timeout);
  ferry_client_set_reply_timeout (client, reply_timeout);
  ferry_client_set_data_timeout (client, data_timeout);
  ferry_client_set_keepalive_interval (client, keepalive);
  if (trust_store != NULL)
    {
      g_autoptr(FerryTrustStore) store = ferry_trust_store_new (trust_store);

      ferry_client_set_trust_store (client, store);
    }
  if (accept_certificates)
    g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_any), NULL);

  driver.loop = loop;
  driver.client = client;
  driver.url = url;
  driver.commands = argv + 2;
  driver.cancel_after = -1;
  driver.trust_after_refusal = trust_after_refusal || accept_once;
  driver.accept_once_after_refusal = accept_once;
  ferry_client_connect_async (client, url->host, url->port, url->tls_mode, NULL,
                              connected, &driver);
  g_main_loop_run (loop);

  g_clear_pointer (&driver.fields, g_strfreev);
  if (driver.queue != NULL)
    {
      /* The queue says goodbye to its connections asynchronously: let that finish before
       * the process (and the leak checker) exits. */
      g_clear_object (&driver.queue);
      g_timeout_add_once (300, (GSourceOnceFunc) g_main_loop_quit, loop);
      g_main_loop_run (loop);
    }
  g_clear_object (&driver.cancellable);
  printf ("peak-rss-kb %ld\n", peak_rss_kb ());
  return driver.failed ? 1 : 0;
}
