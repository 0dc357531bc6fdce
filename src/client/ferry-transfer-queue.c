// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferry-client-private.h"
#include "ferry-transfer-private.h"
#include "ferry-transfer-queue.h"

#define MAX_PARALLEL_LIMIT 16

/* Transient failures (the server's passive ports all taken, a data connection refused or
 * reset, a session dropped) are retried, as FileZilla and lftp do: up to RETRY_MAX times
 * per transfer, after RETRY_FIRST_MS doubled each time (at most RETRY_LAST_MS), and with
 * one connection fewer each time (down to one) until RETRY_RECOVERY transfers in a row
 * went well. */
#define RETRY_MAX        8
#define RETRY_FIRST_MS   250
#define RETRY_LAST_MS    8000
#define RETRY_RECOVERY   16

typedef struct {
  guint  attempts;
  gint64 not_before;   /* monotonic µs */
} Retry;

/* One transfer running on one of the queue's own connections. */
typedef struct {
  FerryTransferQueue *queue;      /* not owned */
  FerryTransfer      *transfer;
  FerryClient        *client;
  GCancellable       *cancellable;
} Slot;

struct _FerryTransferQueue
{
  GObject       parent_instance;

  FerryClient  *template;         /* settings only: never used for a transfer */
  char         *host;
  guint16       port;
  FerryTlsMode  tls_mode;
  char         *user;
  char         *password;

  GPtrArray    *transfers;        /* FerryTransfer, the model's items */
  GPtrArray    *slots;            /* Slot, running */
  GPtrArray    *idle;             /* FerryClient, logged in and free */
  guint         max_parallel;

  GHashTable   *retries;          /* FerryTransfer → Retry, while it waits to be retried */
  guint         first_unfinished; /* transfers before it are all finished: next_queued starts
                                     here, so a queue of thousands is not scanned per start */
  guint         limit;            /* connections allowed now (≤ max_parallel) */
  guint         good_in_a_row;
  guint         wake_id;          /* the next retry that is due */
};

static void ferry_transfer_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryTransferQueue, ferry_transfer_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ferry_transfer_queue_list_model_init))

enum {
  PROP_0,
  PROP_MAX_PARALLEL,
  PROP_N_ACTIVE,
  PROP_BYTES_DONE,
  PROP_TOTAL,
  PROP_RATE,
  N_PROPS
};

enum {
  TRANSFER_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pump (FerryTransferQueue *self);

/* GListModel ----------------------------------------------------------------------------- */

static GType
queue_get_item_type (GListModel *model)
{
  return FERRY_TYPE_TRANSFER;
}

static guint
queue_get_n_items (GListModel *model)
{
  return FERRY_TRANSFER_QUEUE (model)->transfers->len;
}

static gpointer
queue_get_item (GListModel *model, guint position)
{
  FerryTransferQueue *self = FERRY_TRANSFER_QUEUE (model);

  if (position >= self->transfers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->transfers, position));
}

static void
ferry_transfer_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = queue_get_item_type;
  iface->get_n_items = queue_get_n_items;
  iface->get_item = queue_get_item;
}

/* Object --------------------------------------------------------------------------------- */

static void
slot_free (Slot *slot)
{
  g_clear_object (&slot->transfer);
  g_clear_object (&slot->client);
  g_clear_object (&slot->cancellable);
  g_free (slot);
}

static void
transfer_changed (FerryTransfer *transfer, GParamSpec *pspec, FerryTransferQueue *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
ferry_transfer_queue_dispose (GObject *object)
{
  FerryTransferQueue *self = FERRY_TRANSFER_QUEUE (object);

  /* Running transfers hold their own references; cancel them so they end. */
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      slot->queue = NULL;
      g_cancellable_cancel (slot->cancellable);
    }
  for (guint i = 0; self->transfers != NULL && i < self->transfers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->transfers, i), self);
  g_clear_pointer (&self->transfers, g_ptr_array_unref);
  if (self->slots != NULL)
    {
      /* Slots are freed by their own completion callbacks. */
      g_ptr_array_set_free_func (self->slots, NULL);
      g_clear_pointer (&self->slots, g_ptr_array_unref);
    }
  if (self->idle != NULL)
    for (guint i = 0; i < self->idle->len; i++)
      ferry_client_disconnect_async (g_ptr_array_index (self->idle, i), NULL, NULL, NULL);
  g_clear_pointer (&self->idle, g_ptr_array_unref);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  g_clear_pointer (&self->retries, g_hash_table_unref);
  g_clear_object (&self->template);
  G_OBJECT_CLASS (ferry_transfer_queue_parent_class)->dispose (object);
}

static void
ferry_transfer_queue_finalize (GObject *object)
{
  FerryTransferQueue *self = FERRY_TRANSFER_QUEUE (object);

  g_free (self->host);
  g_free (self->user);
  g_free (self->password);
  G_OBJECT_CLASS (ferry_transfer_queue_parent_class)->finalize (object);
}

static void
ferry_transfer_queue_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FerryTransferQueue *self = FERRY_TRANSFER_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      g_value_set_uint (value, self->max_parallel);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, ferry_transfer_queue_get_n_active (self));
      break;
    case PROP_BYTES_DONE:
      g_value_set_int64 (value, ferry_transfer_queue_get_bytes_done (self));
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, ferry_transfer_queue_get_total (self));
      break;
    case PROP_RATE:
      g_value_set_double (value, ferry_transfer_queue_get_rate (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_queue_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FerryTransferQueue *self = FERRY_TRANSFER_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      ferry_transfer_queue_set_max_parallel (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_queue_class_init (FerryTransferQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ferry_transfer_queue_dispose;
  object_class->finalize = ferry_transfer_queue_finalize;
  object_class->get_property = ferry_transfer_queue_get_property;
  object_class->set_property = ferry_transfer_queue_set_property;

  properties[PROP_MAX_PARALLEL] =
    g_param_spec_uint ("max-parallel", NULL, NULL, 1, MAX_PARALLEL_LIMIT, 2,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ACTIVE] = g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BYTES_DONE] =
    g_param_spec_int64 ("bytes-done", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, 0, ro);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TRANSFER_FINISHED] =
    g_signal_new ("transfer-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, FERRY_TYPE_TRANSFER);
}

static void
ferry_transfer_queue_init (FerryTransferQueue *self)
{
  self->transfers = g_ptr_array_new_with_free_func (g_object_unref);
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  self->idle = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_parallel = 2;
  self->limit = MAX_PARALLEL_LIMIT;
  self->retries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

FerryTransferQueue *
ferry_transfer_queue_new (FerryClient *client)
{
  FerryTransferQueue *self;

  g_return_val_if_fail (FERRY_IS_CLIENT (client), NULL);
  g_return_val_if_fail (ferry_client_get_host (client) != NULL, NULL);

  self = g_object_new (FERRY_TYPE_TRANSFER_QUEUE, NULL);
  self->template = _ferry_client_new_like (client);
  self->host = g_strdup (ferry_client_get_host (client));
  self->port = ferry_client_get_port (client);
  self->tls_mode = ferry_client_get_tls_mode (client);
  self->user = g_strdup (ferry_client_get_user (client));
  self->password = g_strdup (_ferry_client_get_password (client));
  return self;
}

/* Properties ----------------------------------------------------------------------------- */

guint
ferry_transfer_queue_get_max_parallel (FerryTransferQueue *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_QUEUE (self), 0);
  return self->max_parallel;
}

void
ferry_transfer_queue_set_max_parallel (FerryTransferQueue *self,
                                       guint               max_parallel)
{
  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (self));
  max_parallel = CLAMP (max_parallel, 1, MAX_PARALLEL_LIMIT);
  if (self->max_parallel == max_parallel)
    return;
  self->max_parallel = max_parallel;
  self->limit = MAX_PARALLEL_LIMIT;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PARALLEL]);
  pump (self);
}

guint
ferry_transfer_queue_get_n_active (FerryTransferQueue *self)
{
  guint n = 0;

  g_return_val_if_fail (FERRY_IS_TRANSFER_QUEUE (self), 0);
  for (guint i = 0; i < self->transfers->len; i++)
    if (!ferry_transfer_is_finished (g_ptr_array_index (self->transfers, i)))
      n++;
  return n;
}

gint64
ferry_transfer_queue_get_bytes_done (FerryTransferQueue *self)
{
  gint64 sum = 0;

  g_return_val_if_fail (FERRY_IS_TRANSFER_QUEUE (self), 0);
  for (guint i = 0; i < self->transfers->len; i++)
    sum += ferry_transfer_get_bytes_done (g_ptr_array_index (self->transfers, i));
  return sum;
}

gint64
ferry_transfer_queue_get_total (FerryTransferQueue *self)
{
  gint64 sum = 0;

  g_return_val_if_fail (FERRY_IS_TRANSFER_QUEUE (self), 0);
  for (guint i = 0; i < self->transfers->len; i++)
    {
      gint64 total = ferry_transfer_get_total (g_ptr_array_index (self->transfers, i));

      if (total < 0)
        return -1;
      sum += total;
    }
  return sum;
}

double
ferry_transfer_queue_get_rate (FerryTransferQueue *self)
{
  double sum = 0;

  g_return_val_if_fail (FERRY_IS_TRANSFER_QUEUE (self), 0);
  for (guint i = 0; i < self->transfers->len; i++)
    sum += ferry_transfer_get_rate (g_ptr_array_index (self->transfers, i));
  return sum;
}

/* Running -------------------------------------------------------------------------------- */

static void
notify_active (FerryTransferQueue *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_DATA_CONNECTION) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_CONNECTION_REFUSED);
}

/* Puts transfer back in the queue for a later try, or FALSE when it had its tries. */
static gboolean
schedule_retry (FerryTransferQueue *self,
                FerryTransfer      *transfer)
{
  Retry *retry = g_hash_table_lookup (self->retries, transfer);
  guint delay_ms;

  if (retry == NULL)
    {
      retry = g_new0 (Retry, 1);
      g_hash_table_insert (self->retries, transfer, retry);
    }
  if (retry->attempts >= RETRY_MAX)
    {
      g_hash_table_remove (self->retries, transfer);
      return FALSE;
    }

  delay_ms = MIN ((guint) RETRY_FIRST_MS << retry->attempts, (guint) RETRY_LAST_MS);
  retry->attempts++;
  retry->not_before = g_get_monotonic_time () + (gint64) delay_ms * 1000;

  /* Fewer connections at once: the server (or its passive ports) is short. */
  self->limit = MAX (1, MIN (self->limit, self->max_parallel) - 1);
  self->good_in_a_row = 0;

  _ferry_transfer_requeue (transfer);
  self->first_unfinished = 0;   /* it may sit before the cursor */
  return TRUE;
}

static void
slot_finished (Slot *slot, const GError *error)
{
  FerryTransferQueue *self = slot->queue;

  if (ferry_transfer_get_state (slot->transfer) == FERRY_TRANSFER_RUNNING)
    _ferry_transfer_finish (slot->transfer, error);

  if (self == NULL)
    {
      if (slot->client != NULL)
        ferry_client_disconnect_async (slot->client, NULL, NULL, NULL);
      slot_free (slot);
      return;
    }
  if (slot->client != NULL && ferry_client_is_logged_in (slot->client))
    g_ptr_array_add (self->idle, g_steal_pointer (&slot->client));

  if (error != NULL && is_transient (error) && schedule_retry (self, slot->transfer))
    {
      g_ptr_array_remove (self->slots, slot);
      pump (self);
      return;
    }

  g_hash_table_remove (self->retries, slot->transfer);
  if (error == NULL && ++self->good_in_a_row >= RETRY_RECOVERY &&
      self->limit < self->max_parallel)
    {
      self->limit++;
      self->good_in_a_row = 0;
    }
  g_signal_emit (self, signals[TRANSFER_FINISHED], 0, slot->transfer);
  g_ptr_array_remove (self->slots, slot);
  notify_active (self);
  pump (self);
}

static void
slot_transfer_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Slot *slot = data;
  g_autoptr(GError) error = NULL;

  ferry_client_run_transfer_finish (FERRY_CLIENT (source), result, &error);
  slot_finished (slot, error);
}

static void
slot_run (Slot *slot)
{
  ferry_client_run_transfer_async (slot->client, slot->transfer, slot->cancellable,
                                   slot_transfer_done, slot);
}

static void
slot_logged_in (GObject *source, GAsyncResult *result, gpointer data)
{
  Slot *slot = data;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_login_finish (FERRY_CLIENT (source), result, &error))
    {
      _ferry_transfer_begin (slot->transfer);
      slot_finished (slot, error);
      return;
    }
  slot_run (slot);
}

static void
slot_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Slot *slot = data;
  FerryTransferQueue *self = slot->queue;
  g_autoptr(GError) error = NULL;

  if (!ferry_client_connect_finish (FERRY_CLIENT (source), result, &error) || self == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     _("Operation was cancelled"));
      _ferry_transfer_begin (slot->transfer);
      slot_finished (slot, error);
      return;
    }
  ferry_client_login_async (slot->client, self->user, self->password, slot->cancellable,
                            slot_logged_in, slot);
}

/* The next transfer to start, or NULL; *wake (monotonic µs, 0 for none) is when the
 * first one waiting to be retried is due. */
static FerryTransfer *
next_queued (FerryTransferQueue *self,
             gint64             *wake)
{
  gint64 now = g_get_monotonic_time ();

  *wake = 0;
  while (self->first_unfinished < self->transfers->len
         && ferry_transfer_is_finished (g_ptr_array_index (self->transfers,
                                                           self->first_unfinished)))
    self->first_unfinished++;
  for (guint i = self->first_unfinished; i < self->transfers->len; i++)
    {
      FerryTransfer *transfer = g_ptr_array_index (self->transfers, i);
      Retry *retry;
      gboolean taken = FALSE;

      if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_QUEUED)
        continue;
      retry = g_hash_table_lookup (self->retries, transfer);
      if (retry != NULL && retry->not_before > now)
        {
          if (*wake == 0 || retry->not_before < *wake)
            *wake = retry->not_before;
          continue;
        }
      for (guint j = 0; j < self->slots->len && !taken; j++)
        taken = ((Slot *) g_ptr_array_index (self->slots, j))->transfer == transfer;
      if (!taken)
        return transfer;
    }
  return NULL;
}

static gboolean
wake_up (gpointer data)
{
  FerryTransferQueue *self = data;

  self->wake_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
pump (FerryTransferQueue *self)
{
  FerryTransfer *transfer = NULL;
  gint64 wake = 0;

  g_clear_handle_id (&self->wake_id, g_source_remove);
  while (self->slots->len < MIN (self->max_parallel, self->limit) &&
         (transfer = next_queued (self, &wake)) != NULL)
    {
      Slot *slot = g_new0 (Slot, 1);

      slot->queue = self;
      slot->transfer = g_object_ref (transfer);
      slot->cancellable = g_cancellable_new ();
      g_ptr_array_add (self->slots, slot);

      if (self->idle->len > 0)
        {
          slot->client = g_ptr_array_steal_index (self->idle, self->idle->len - 1);
          slot_run (slot);
          continue;
        }
      slot->client = _ferry_client_new_like (self->template);
      ferry_client_connect_async (slot->client, self->host, self->port, self->tls_mode,
                                  slot->cancellable, slot_connected, slot);
    }

  /* Transfers wait for their retry: come back when the first is due. */
  if (transfer == NULL && wake > 0)
    self->wake_id = g_timeout_add (MAX (1, (wake - g_get_monotonic_time ()) / 1000 + 1),
                                   wake_up, self);

  /* Nothing left to do: say goodbye rather than hold idle sessions open. */
  if (self->slots->len == 0)
    {
      while (self->idle->len > 0)
        {
          g_autoptr(FerryClient) client = g_ptr_array_steal_index (self->idle, 0);

          ferry_client_disconnect_async (client, NULL, NULL, NULL);
        }
    }
}

void
ferry_transfer_queue_add (FerryTransferQueue *self,
                          FerryTransfer      *transfer)
{
  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  if (ferry_transfer_is_finished (transfer))
    _ferry_transfer_requeue (transfer);
  g_ptr_array_add (self->transfers, g_object_ref (transfer));
  g_signal_connect (transfer, "notify::bytes-done", G_CALLBACK (transfer_changed), self);
  g_signal_connect (transfer, "notify::total", G_CALLBACK (transfer_changed), self);
  g_list_model_items_changed (G_LIST_MODEL (self), self->transfers->len - 1, 0, 1);
  notify_active (self);
  pump (self);
}

static Slot *
find_slot (FerryTransferQueue *self, FerryTransfer *transfer)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (slot->transfer == transfer)
        return slot;
    }
  return NULL;
}

void
ferry_transfer_queue_cancel (FerryTransferQueue *self,
                             FerryTransfer      *transfer)
{
  Slot *slot;

  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  slot = find_slot (self, transfer);
  if (slot != NULL)
    {
      g_cancellable_cancel (slot->cancellable);
      return;
    }
  g_hash_table_remove (self->retries, transfer);
  if (ferry_transfer_get_state (transfer) == FERRY_TRANSFER_QUEUED)
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("Operation was cancelled"));
      _ferry_transfer_finish (transfer, cancelled);
      g_signal_emit (self, signals[TRANSFER_FINISHED], 0, transfer);
      notify_active (self);
    }
}

void
ferry_transfer_queue_cancel_all (FerryTransferQueue *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (self));

  /* Cancelling never adds or removes items, so walking the array directly is safe. */
  for (guint i = 0; i < self->transfers->len; i++)
    ferry_transfer_queue_cancel (self, g_ptr_array_index (self->transfers, i));
}

void
ferry_transfer_queue_retry (FerryTransferQueue *self,
                            FerryTransfer      *transfer)
{
  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_FAILED
      && ferry_transfer_get_state (transfer) != FERRY_TRANSFER_CANCELLED)
    return;
  g_hash_table_remove (self->retries, transfer);
  _ferry_transfer_requeue (transfer);
  self->first_unfinished = 0;   /* it may sit before the cursor */
  notify_active (self);
  pump (self);
}

void
ferry_transfer_queue_clear_finished (FerryTransferQueue *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER_QUEUE (self));

  for (guint i = self->transfers->len; i > 0; i--)
    {
      FerryTransfer *transfer = g_ptr_array_index (self->transfers, i - 1);

      if (!ferry_transfer_is_finished (transfer) || find_slot (self, transfer) != NULL)
        continue;
      g_signal_handlers_disconnect_by_data (transfer, self);
      g_ptr_array_remove_index (self->transfers, i - 1);
      g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
    }
  self->first_unfinished = 0;
  transfer_changed (NULL, NULL, self);
}
