// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include "ferry-protocol.h"
#include "ferry-transfer-private.h"

/* Progress is notified at most this often (microseconds). */
#define NOTIFY_INTERVAL_US (G_USEC_PER_SEC / 10)

struct _FerryTransfer
{
  GObject                 parent_instance;

  FerryTransferDirection  direction;
  char                   *remote_path;
  gboolean                is_folder;
  GFile                  *local_folder;
  char                   *local_name;
  GFile                  *local_file;
  char                   *name;
  char                   *current_path;
  FerryConflictPolicy     conflict_policy;
  gint64                  known_size;     /* a file download's size from a listing, or -1 */
  gboolean                keep_partial;   /* a cancelled download keeps its NAME.part */

  FerryTransferState      state;
  gint64                  bytes_done;
  gint64                  total;
  double                  rate;
  gint64                  eta;
  GError                 *error;
  GPtrArray              *skipped;        /* remote paths of entries left out (unsafe names) */
  guint                   n_verified;     /* files the server's HASH confirmed */
  GHashTable             *path_policies;  /* remote path -> FerryConflictPolicy */
  char                   *conflict_path;  /* the clash of the last run, or NULL */
  GFile                  *conflict_local;
  gboolean                conflict_is_folder;

  guint                   tick_id;        /* refreshes rate and ETA while bytes stall */
  gint64                  last_notify_us;
  gint64                  bytes_at_last_notify;
  gboolean                progress_pending;
};

G_DEFINE_FINAL_TYPE (FerryTransfer, ferry_transfer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTION,
  PROP_REMOTE_PATH,
  PROP_IS_FOLDER,
  PROP_LOCAL_FILE,
  PROP_LOCAL_FOLDER,
  PROP_NAME,
  PROP_CURRENT_PATH,
  PROP_CONFLICT_POLICY,
  PROP_KEEP_PARTIAL,
  PROP_STATE,
  PROP_BYTES_DONE,
  PROP_TOTAL,
  PROP_RATE,
  PROP_ETA,
  PROP_ERROR,
  PROP_N_SKIPPED,
  PROP_N_VERIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ITEM_SKIPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ferry_transfer_finalize (GObject *object)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  g_free (self->remote_path);
  g_clear_object (&self->local_folder);
  g_free (self->local_name);
  g_clear_object (&self->local_file);
  g_free (self->name);
  g_free (self->current_path);
  g_clear_error (&self->error);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  g_clear_pointer (&self->path_policies, g_hash_table_unref);
  g_free (self->conflict_path);
  g_clear_object (&self->conflict_local);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  G_OBJECT_CLASS (ferry_transfer_parent_class)->finalize (object);
}

static void
ferry_transfer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_REMOTE_PATH:
      g_value_set_string (value, self->remote_path);
      break;
    case PROP_IS_FOLDER:
      g_value_set_boolean (value, self->is_folder);
      break;
    case PROP_LOCAL_FILE:
      g_value_set_object (value, self->local_file);
      break;
    case PROP_LOCAL_FOLDER:
      g_value_set_object (value, self->local_folder);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CURRENT_PATH:
      g_value_set_string (value, self->current_path);
      break;
    case PROP_CONFLICT_POLICY:
      g_value_set_enum (value, self->conflict_policy);
      break;
    case PROP_KEEP_PARTIAL:
      g_value_set_boolean (value, self->keep_partial);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BYTES_DONE:
      g_value_set_int64 (value, self->bytes_done);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_SKIPPED:
      g_value_set_uint (value, self->skipped->len);
      break;
    case PROP_N_VERIFIED:
      g_value_set_uint (value, self->n_verified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_CONFLICT_POLICY:
      ferry_transfer_set_conflict_policy (self, g_value_get_enum (value));
      break;

    case PROP_KEEP_PARTIAL:
      ferry_transfer_set_keep_partial (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_class_init (FerryTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ferry_transfer_finalize;
  object_class->get_property = ferry_transfer_get_property;
  object_class->set_property = ferry_transfer_set_property;

  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, FERRY_TYPE_TRANSFER_DIRECTION,
                       FERRY_TRANSFER_DOWNLOAD, ro);
  properties[PROP_REMOTE_PATH] = g_param_spec_string ("remote-path", NULL, NULL, NULL, ro);
  properties[PROP_IS_FOLDER] = g_param_spec_boolean ("is-folder", NULL, NULL, FALSE, ro);
  properties[PROP_LOCAL_FILE] = g_param_spec_object ("local-file", NULL, NULL, G_TYPE_FILE, ro);
  properties[PROP_LOCAL_FOLDER] =
    g_param_spec_object ("local-folder", NULL, NULL, G_TYPE_FILE, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_CURRENT_PATH] = g_param_spec_string ("current-path", NULL, NULL, NULL, ro);
  properties[PROP_CONFLICT_POLICY] =
    g_param_spec_enum ("conflict-policy", NULL, NULL, FERRY_TYPE_CONFLICT_POLICY,
                       FERRY_CONFLICT_ERROR,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KEEP_PARTIAL] =
    g_param_spec_boolean ("keep-partial", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FERRY_TYPE_TRANSFER_STATE,
                       FERRY_TRANSFER_QUEUED, ro);
  properties[PROP_BYTES_DONE] =
    g_param_spec_int64 ("bytes-done", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_ETA] = g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_N_SKIPPED] = g_param_spec_uint ("n-skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_VERIFIED] = g_param_spec_uint ("n-verified", NULL, NULL, 0, G_MAXUINT, 0, ro);

  signals[SIGNAL_ITEM_SKIPPED] =
    g_signal_new ("item-skipped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_transfer_init (FerryTransfer *self)
{
  self->skipped = g_ptr_array_new_with_free_func (g_free);
  self->path_policies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->total = -1;
  self->eta = -1;
  self->known_size = -1;
  self->state = FERRY_TRANSFER_QUEUED;
}

FerryTransfer *
ferry_transfer_new_download (const char *remote_path,
                             gboolean    is_folder,
                             GFile      *local_folder,
                             const char *local_name)
{
  FerryTransfer *self;

  g_return_val_if_fail (remote_path != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (local_folder), NULL);

  self = g_object_new (FERRY_TYPE_TRANSFER, NULL);
  self->direction = FERRY_TRANSFER_DOWNLOAD;
  self->remote_path = g_strdup (remote_path);
  self->is_folder = is_folder;
  self->local_folder = g_object_ref (local_folder);
  self->local_name = g_strdup (local_name);
  if (local_name != NULL)
    self->name = g_strdup (local_name);
  else
    self->name = ferry_vpath_basename (remote_path);
  self->local_file = g_file_get_child (local_folder, self->name);
  return self;
}

FerryTransfer *
ferry_transfer_new_upload (GFile      *local_file,
                           const char *remote_path)
{
  FerryTransfer *self;

  g_return_val_if_fail (G_IS_FILE (local_file), NULL);
  g_return_val_if_fail (remote_path != NULL, NULL);

  /* No file system access here: on a gvfs mount even a stat may block. The run looks at
   * the local file asynchronously and sets is-folder then. */
  self = g_object_new (FERRY_TYPE_TRANSFER, NULL);
  self->direction = FERRY_TRANSFER_UPLOAD;
  self->remote_path = g_strdup (remote_path);
  self->local_file = g_object_ref (local_file);
  self->name = ferry_vpath_basename (remote_path);
  return self;
}

FerryTransferDirection
ferry_transfer_get_direction (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->direction;
}

const char *
ferry_transfer_get_remote_path (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->remote_path;
}

gboolean
ferry_transfer_get_is_folder (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->is_folder;
}

GFile *
ferry_transfer_get_local_file (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->local_file;
}

GFile *
ferry_transfer_get_local_folder (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->local_folder;
}

const char *
ferry_transfer_get_name (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->name;
}

const char *
ferry_transfer_get_current_path (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->current_path;
}

FerryTransferState
ferry_transfer_get_state (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->state;
}

gint64
ferry_transfer_get_bytes_done (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->bytes_done;
}

gint64
ferry_transfer_get_total (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), -1);
  return self->total;
}

double
ferry_transfer_get_rate (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->rate;
}

gint64
ferry_transfer_get_eta (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), -1);
  return self->eta;
}

gint64
ferry_transfer_estimate_eta (gint64 done,
                             gint64 total,
                             double bytes_per_second)
{
  if (bytes_per_second <= 0 || total < done)
    return -1;
  return (gint64) ((double) (total - done) / bytes_per_second + 0.5);
}

const GError *
ferry_transfer_get_error (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->error;
}

gboolean
ferry_transfer_is_finished (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->state == FERRY_TRANSFER_DONE || self->state == FERRY_TRANSFER_FAILED
         || self->state == FERRY_TRANSFER_CANCELLED;
}

FerryConflictPolicy
ferry_transfer_get_conflict_policy (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FERRY_CONFLICT_ERROR);
  return self->conflict_policy;
}

void
ferry_transfer_set_conflict_policy (FerryTransfer       *self,
                                    FerryConflictPolicy  policy)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  if (self->conflict_policy == policy)
    return;
  self->conflict_policy = policy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT_POLICY]);
}

void
ferry_transfer_set_path_policy (FerryTransfer       *self,
                                const char          *remote_path,
                                FerryConflictPolicy  policy)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_return_if_fail (remote_path != NULL);

  g_hash_table_insert (self->path_policies, g_strdup (remote_path), GINT_TO_POINTER (policy));
}

FerryConflictPolicy
_ferry_transfer_policy_for (FerryTransfer *self,
                            const char    *remote_path)
{
  gpointer policy;

  if (remote_path != NULL
      && g_hash_table_lookup_extended (self->path_policies, remote_path, NULL, &policy))
    return GPOINTER_TO_INT (policy);

  return self->conflict_policy;
}

void
_ferry_transfer_set_conflict (FerryTransfer *self,
                              const char    *remote_path,
                              GFile         *local,
                              gboolean       is_folder)
{
  g_free (self->conflict_path);
  self->conflict_path = g_strdup (remote_path);
  g_set_object (&self->conflict_local, local);
  self->conflict_is_folder = is_folder;
}

const char *
ferry_transfer_get_conflict_path (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->conflict_path;
}

GFile *
ferry_transfer_get_conflict_local (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->conflict_local;
}

gboolean
ferry_transfer_get_conflict_is_folder (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->conflict_is_folder;
}

gboolean
ferry_transfer_get_keep_partial (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->keep_partial;
}

void
ferry_transfer_set_keep_partial (FerryTransfer *self,
                                 gboolean       keep)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  keep = !!keep;
  if (self->keep_partial == keep)
    return;
  self->keep_partial = keep;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_PARTIAL]);
}

void
ferry_transfer_set_known_size (FerryTransfer *self,
                               gint64         size)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->known_size = size;
}

gint64
_ferry_transfer_get_known_size (FerryTransfer *self)
{
  return self->known_size;
}

/* Engine side ------------------------------------------------------------------------- */

static void
set_state (FerryTransfer *self, FerryTransferState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
notify_progress (FerryTransfer *self, gint64 now_us)
{
  double elapsed = (now_us - self->last_notify_us) / (double) G_USEC_PER_SEC;
  double instant;

  if (elapsed > 0 && self->last_notify_us != 0)
    {
      instant = (self->bytes_done - self->bytes_at_last_notify) / elapsed;
      /* Exponential smoothing: steady enough to read, quick enough to follow a change. */
      self->rate = self->rate == 0 ? instant : 0.7 * self->rate + 0.3 * instant;
    }
  self->eta = ferry_transfer_estimate_eta (self->bytes_done, self->total, self->rate);

  self->last_notify_us = now_us;
  self->bytes_at_last_notify = self->bytes_done;
  self->progress_pending = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Without it a stalled transfer would keep showing its last rate. */
static gboolean
progress_tick (gpointer data)
{
  FerryTransfer *self = data;
  gint64 now_us = g_get_monotonic_time ();

  if (now_us - self->last_notify_us >= G_USEC_PER_SEC)
    notify_progress (self, now_us);
  return G_SOURCE_CONTINUE;
}

void
_ferry_transfer_begin (FerryTransfer *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_clear_error (&self->error);
  g_clear_pointer (&self->conflict_path, g_free);
  g_clear_object (&self->conflict_local);
  self->conflict_is_folder = FALSE;
  if (self->skipped->len > 0)
    {
      g_ptr_array_set_size (self->skipped, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SKIPPED]);
    }
  if (self->n_verified > 0)
    {
      self->n_verified = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_VERIFIED]);
    }
  self->bytes_done = 0;
  self->total = -1;
  self->rate = 0;
  self->eta = -1;
  self->last_notify_us = g_get_monotonic_time ();
  self->bytes_at_last_notify = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
  set_state (self, FERRY_TRANSFER_RUNNING);
  g_object_thaw_notify (G_OBJECT (self));
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add (500, progress_tick, self);
}

const GPtrArray *
ferry_transfer_get_skipped (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->skipped;
}

void
_ferry_transfer_add_skipped (FerryTransfer *self,
                             const char    *remote_path,
                             const GError  *why)
{
  g_ptr_array_add (self->skipped, g_strdup (remote_path));
  g_signal_emit (self, signals[SIGNAL_ITEM_SKIPPED], 0, remote_path, why->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SKIPPED]);
}

guint
ferry_transfer_get_n_verified (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->n_verified;
}

void
_ferry_transfer_add_verified (FerryTransfer *self)
{
  self->n_verified++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_VERIFIED]);
}

void
_ferry_transfer_finish (FerryTransfer *self,
                        const GError  *error)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->progress_pending)
    notify_progress (self, g_get_monotonic_time ());
  self->rate = 0;
  self->eta = error == NULL ? 0 : -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
  g_clear_pointer (&self->current_path, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PATH]);
  if (error != NULL)
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      set_state (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                       ? FERRY_TRANSFER_CANCELLED : FERRY_TRANSFER_FAILED);
    }
  else
    set_state (self, FERRY_TRANSFER_DONE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_ferry_transfer_set_total (FerryTransfer *self, gint64 total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

void
_ferry_transfer_add_bytes (FerryTransfer *self, gint64 bytes)
{
  gint64 now_us = g_get_monotonic_time ();

  self->bytes_done += bytes;
  self->progress_pending = TRUE;
  if (now_us - self->last_notify_us >= NOTIFY_INTERVAL_US)
    notify_progress (self, now_us);
}

void
_ferry_transfer_set_is_folder (FerryTransfer *self, gboolean is_folder)
{
  is_folder = !!is_folder;
  if (self->is_folder == is_folder)
    return;
  self->is_folder = is_folder;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_FOLDER]);
}

void
_ferry_transfer_set_current_path (FerryTransfer *self, const char *remote_path)
{
  if (g_strcmp0 (self->current_path, remote_path) == 0)
    return;
  g_free (self->current_path);
  self->current_path = g_strdup (remote_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PATH]);
}

void
_ferry_transfer_set_local_file (FerryTransfer *self, GFile *file)
{
  if (self->local_file != NULL && g_file_equal (self->local_file, file))
    return;
  g_set_object (&self->local_file, file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_FILE]);
}

void
_ferry_transfer_set_remote_path (FerryTransfer *self, const char *remote_path)
{
  if (g_strcmp0 (self->remote_path, remote_path) == 0)
    return;
  g_free (self->remote_path);
  self->remote_path = g_strdup (remote_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_PATH]);
}

const char *
_ferry_transfer_get_local_name (FerryTransfer *self)
{
  return self->local_name;
}

void
_ferry_transfer_requeue (FerryTransfer *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  set_state (self, FERRY_TRANSFER_QUEUED);
  g_object_thaw_notify (G_OBJECT (self));
}
