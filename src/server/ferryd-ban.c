// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-ban.c — failed logins per address over a sliding window, and the bans they cause. */
#define G_LOG_DOMAIN "ferryd"

#include "ferry-config.h"

#include <glib/gi18n.h>

#include "ferryd-ban.h"

/* Addresses remembered at most; past it, those with nothing left to count are forgotten. */
#define BAN_TABLE_PRUNE_SIZE 4096

typedef struct {
  GArray *failures;      /* gint64: monotonic µs of each failure still in the window */
  gint64  banned_until;  /* monotonic µs; 0: not banned */
} Address;

struct _FerrydBan {
  GHashTable *addresses;   /* IP text → Address */
  guint       max_failures;
  gint64      window_us;
  gint64      ban_us;
};

static void
address_free (Address *address)
{
  g_array_unref (address->failures);
  g_free (address);
}

FerrydBan *
ferryd_ban_new (void)
{
  FerrydBan *ban = g_new0 (FerrydBan, 1);

  ban->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) address_free);
  return ban;
}

void
ferryd_ban_free (FerrydBan *ban)
{
  if (ban == NULL)
    return;
  g_hash_table_unref (ban->addresses);
  g_free (ban);
}

void
ferryd_ban_configure (FerrydBan *ban,
                      guint      max_failures,
                      guint      window_seconds,
                      guint      ban_seconds)
{
  ban->max_failures = max_failures;
  ban->window_us = (gint64) window_seconds * G_USEC_PER_SEC;
  ban->ban_us = (gint64) ban_seconds * G_USEC_PER_SEC;
  if (max_failures == 0)
    g_hash_table_remove_all (ban->addresses);
}

static void
forget_old (FerrydBan *ban,
            Address   *address,
            gint64     now)
{
  guint old = 0;

  while (old < address->failures->len
         && g_array_index (address->failures, gint64, old) <= now - ban->window_us)
    old++;
  g_array_remove_range (address->failures, 0, old);
}

static void
prune (FerrydBan *ban,
       gint64     now)
{
  GHashTableIter iter;
  Address *address;

  g_hash_table_iter_init (&iter, ban->addresses);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &address))
    {
      forget_old (ban, address, now);
      if (address->failures->len == 0 && address->banned_until <= now)
        g_hash_table_iter_remove (&iter);
    }
}

void
ferryd_ban_add_failures (FerrydBan  *ban,
                         const char *ip,
                         guint       failures)
{
  gint64 now = g_get_monotonic_time ();
  Address *address;

  if (ban->max_failures == 0 || failures == 0)
    return;
  if (g_hash_table_size (ban->addresses) >= BAN_TABLE_PRUNE_SIZE)
    prune (ban, now);

  address = g_hash_table_lookup (ban->addresses, ip);
  if (address == NULL)
    {
      address = g_new0 (Address, 1);
      address->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (ban->addresses, g_strdup (ip), address);
    }
  forget_old (ban, address, now);
  for (guint i = 0; i < failures; i++)
    g_array_append_val (address->failures, now);

  if (address->failures->len >= ban->max_failures && address->banned_until <= now)
    {
      address->banned_until = now + ban->ban_us;
      g_array_set_size (address->failures, 0);
      /* The one line per ban; the connections it then refuses are not logged. */
      g_message (_("banned %s for %u seconds: %u failed logins within %u seconds"), ip,
                 (guint) (ban->ban_us / G_USEC_PER_SEC), ban->max_failures,
                 (guint) (ban->window_us / G_USEC_PER_SEC));
    }
}

gboolean
ferryd_ban_is_banned (FerrydBan  *ban,
                      const char *ip)
{
  Address *address;

  if (ban->max_failures == 0)
    return FALSE;
  address = g_hash_table_lookup (ban->addresses, ip);
  return address != NULL && address->banned_until > g_get_monotonic_time ();
}
