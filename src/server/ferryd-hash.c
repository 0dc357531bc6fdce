// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-hash.c — a file's checksum without a download: HASH and OPTS HASH
 * (draft-bryan-ftpext-hash), RANG for a part of the file (draft-bryan-ftp-range, here for
 * HASH only), and the older XMD5/XSHA1/XSHA256/XSHA512 spellings.
 *
 * Hashing is the one command that makes a session spend CPU on the client's word alone, so
 * it is bounded: files over hash-max-size are refused (ProFTPD's DigestMaxSize idea), and
 * the work runs in pieces between which the control connection is read, so ABOR stops it
 * and a client that left ends it. */
#define G_LOG_DOMAIN "ferryd-hash"

#include <inttypes.h>
#include "ferry-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ferry-digest.h"
#include "ferryd-hash.h"
#include "ferryd-session-private.h"

/* What the session reads between two looks at the control connection. */
#define HASH_PIECE_SIZE (256 * 1024)

void
ferryd_hash_append_feat (FerrydSession *self,
                         GString       *body)
{
  g_string_append (body, " HASH ");
  for (guint i = 0; i < FERRY_DIGEST_N_TYPES; i++)
    g_string_append_printf (body, "%s%s%s", i > 0 ? ";" : "", ferry_digest_type_name (i),
                            i == self->hash_algorithm ? "*" : "");
  g_string_append (body, "\r\n");
}

void
ferryd_hash_opts (FerrydSession *self,
                  const char    *name)
{
  FerryDigestType found;

  if (name == NULL || *name == '\0')
    {
      ferryd_session_reply (self, FERRY_REPLY_OK, "%s",
                            ferry_digest_type_name (self->hash_algorithm));
      return;
    }
  if (!ferry_digest_type_from_name (name, &found))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_PARAMETER,
                            _("Unknown hash algorithm “%s”; the selection stays %s."),
                            name, ferry_digest_type_name (self->hash_algorithm));
      return;
    }
  self->hash_algorithm = found;
  ferryd_session_reply (self, FERRY_REPLY_OK, "%s", ferry_digest_type_name (found));
}

void
ferryd_session_cmd_rang (FerrydSession *self,
                         FerryCommand  *command)
{
  g_auto(GStrv) words = g_strsplit (command->arg, " ", -1);
  guint64 start, end;

  if (g_strv_length (words) != 2
      || !g_ascii_string_to_unsigned (words[0], 10, 0, G_MAXINT64, &start, NULL)
      || !g_ascii_string_to_unsigned (words[1], 10, 0, G_MAXINT64, &end, NULL))
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                            _("RANG needs a first and a last byte position, e.g. RANG 0 99."));
      return;
    }
  /* draft-bryan-ftp-range: "RANG 1 0" takes a range back. */
  if (start == 1 && end == 0)
    {
      self->range_set = FALSE;
      ferryd_session_reply (self, FERRY_REPLY_PENDING_MORE,
                            _("Restarting at 0. Ending byte at EOF."));
      return;
    }
  if (end < start)
    {
      ferryd_session_reply (self, FERRY_REPLY_BAD_ARGUMENT,
                            _("RANG %" PRIu64 " %" PRIu64 ": the last byte comes before the "
                              "first."), start, end);
      return;
    }
  self->range_set = TRUE;
  self->range_start = (goffset) start;
  self->range_end = (goffset) end;
  ferryd_session_reply (self, FERRY_REPLY_PENDING_MORE,
                        _("Restarting at %" PRIu64 ". Ending byte at %" PRIu64 ". Send HASH."),
                        start, end);
}

/* Hashes [start, end) of fd into digest, a piece at a time. FALSE when it did not get to
 * the end: ABOR (*aborted), the client gone (*aborted, session->quit) or a read error
 * (errno). */
static gboolean
hash_range (FerrydSession *self,
            int            fd,
            goffset        start,
            goffset        end,
            FerryDigest   *digest,
            gboolean      *aborted)
{
  g_autofree guint8 *buffer = g_malloc (HASH_PIECE_SIZE);
  goffset position = start;

  *aborted = FALSE;
  (void) posix_fadvise (fd, start, end - start, POSIX_FADV_SEQUENTIAL);
  while (position < end)
    {
      gsize want = (gsize) MIN ((goffset) HASH_PIECE_SIZE, end - position);
      gssize n = pread (fd, buffer, want, position);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          errno = EIO;   /* the file shrank under us */
          return FALSE;
        }
      ferry_digest_update (digest, buffer, (gsize) n);
      position += n;
      if (ferryd_session_poll_control (self, aborted))
        return FALSE;
    }
  return TRUE;
}

/* Opens a plain file beneath the root for hashing; replies and returns -1 otherwise. */
static int
open_for_hashing (FerrydSession *self,
                  const char    *vpath,
                  struct stat   *st)
{
  int fd = ferryd_jail_open (self->jail, vpath, O_RDONLY | O_NONBLOCK, 0);

  if (fd < 0)
    {
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            "%s", ferryd_jail_describe_errno (errno));
      return -1;
    }
  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      close (fd);
      ferryd_session_reply (self, FERRY_REPLY_FILE_UNAVAILABLE,
                            _("%s is not a plain file."), vpath);
      return -1;
    }
  return fd;
}

/* The hex digest of [start, end) of the file at arg, or NULL when a reply was already sent
 * (not found, too big, aborted, read error). */
static char *
hash_file (FerrydSession *self,
           const char    *arg,
           FerryDigestType type,
           gboolean       use_range,
           goffset       *start_out,
           goffset       *end_out)
{
  g_autofree char *vpath = ferryd_session_resolve_path (self, arg);
  g_autoptr(FerryDigest) digest = NULL;
  goffset start = 0, end;
  gboolean aborted;
  struct stat st;
  gboolean whole;
  int fd;

  if (vpath == NULL)
    return NULL;
  fd = open_for_hashing (self, vpath, &st);
  if (fd < 0)
    return NULL;

  end = st.st_size;
  if (use_range)
    {
      if (self->range_end >= st.st_size)
        {
          close (fd);
          ferryd_session_reply (self, FERRY_REPLY_BAD_RESTART,
                                _("The range ends past the end of the file (%" PRId64 " bytes)."),
                                (gint64) st.st_size);
          return NULL;
        }
      start = self->range_start;
      end = self->range_end + 1;
    }
  if (self->config->hash_max_size > 0 && (guint64) (end - start) > self->config->hash_max_size)
    {
      close (fd);
      /* A 5xx: the draft asks for a permanent refusal when policy forbids it. */
      ferryd_session_reply (self, FERRY_REPLY_EXCEEDED_STORAGE,
                            _("%s is too large to hash here (%" PRId64 " bytes; this server "
                              "hashes at most %" PRIu64 ")."),
                            vpath, (gint64) (end - start), self->config->hash_max_size);
      return NULL;
    }

  digest = ferry_digest_new (type);
  whole = hash_range (self, fd, start, end, digest, &aborted);
  if (!whole && !aborted)
    {
      int saved = errno;

      close (fd);
      ferryd_session_reply (self, FERRY_REPLY_LOCAL_ERROR, _("Cannot read %s: %s."),
                            vpath, g_strerror (saved));
      return NULL;
    }
  close (fd);
  if (aborted)
    {
      if (!self->quit)
        {
          ferryd_session_reply (self, FERRY_REPLY_LOCAL_ERROR, _("Hashing %s stopped by ABOR."),
                                vpath);
          ferryd_session_reply (self, FERRY_REPLY_TRANSFER_COMPLETE, _("ABOR successful."));
        }
      return NULL;
    }
  *start_out = start;
  *end_out = end;
  return ferry_digest_finish_hex (digest);
}

void
ferryd_session_cmd_hash (FerrydSession *self,
                         FerryCommand  *command)
{
  FerryDigestType type = self->hash_algorithm;
  gboolean use_range = self->range_set;
  g_autofree char *digest = NULL;
  goffset start = 0, end = 0;

  self->range_set = FALSE;   /* a range is for the one command after it */
  digest = hash_file (self, command->arg, type, use_range, &start, &end);
  if (digest == NULL)
    return;
  /* The range in the reply: RANG's own positions, or 0 and the size for a whole file (as
   * ProFTPD and FileZilla Server write it). */
  ferryd_session_reply (self, FERRY_REPLY_FILE_STATUS, "%s %" PRId64 "-%" PRId64 " %s %s",
                        ferry_digest_type_name (type), (gint64) start,
                        (gint64) (use_range ? end - 1 : end), digest, command->arg);
}

void
ferryd_session_cmd_xhash (FerrydSession *self,
                          FerryCommand  *command)
{
  g_autofree char *digest = NULL;
  FerryDigestType type;
  goffset start, end;

  if (g_str_equal (command->verb, "XMD5"))
    type = FERRY_DIGEST_MD5;
  else if (g_str_equal (command->verb, "XSHA1"))
    type = FERRY_DIGEST_SHA1;
  else if (g_str_equal (command->verb, "XSHA512"))
    type = FERRY_DIGEST_SHA512;
  else
    type = FERRY_DIGEST_SHA256;

  digest = hash_file (self, command->arg, type, FALSE, &start, &end);
  if (digest != NULL)
    ferryd_session_reply (self, FERRY_REPLY_FILE_ACTION_OK, "%s", digest);
}
