// SPDX-License-Identifier: GPL-3.0-or-later
/* test-digest.c — HASH's algorithms: FTP names, and digests against published test vectors
 * (FIPS 180 "abc", RFC 1321), whole and fed in pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

static const struct {
  FerryDigestType  type;
  const char      *name;
  const char      *abc;     /* digest of "abc" */
  const char      *empty;   /* digest of "" */
} vectors[] = {
  { FERRY_DIGEST_SHA256, "SHA-256",
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
  { FERRY_DIGEST_SHA512, "SHA-512",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
  { FERRY_DIGEST_SHA1, "SHA-1",
    "a9993e364706816aba3e25717850c26c9cd0d89d",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
  { FERRY_DIGEST_MD5, "MD5",
    "900150983cd24fb0d6963f7d28e17f72",
    "d41d8cd98f00b204e9800998ecf8427e" },
};

static void
test_names (void **state)
{
  FerryDigestType type;

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      assert_string_equal (ferry_digest_type_name (vectors[i].type), vectors[i].name);
      assert_true (ferry_digest_type_from_name (vectors[i].name, &type));
      assert_int_equal (type, vectors[i].type);
      assert_int_equal (ferry_digest_hex_length (type), strlen (vectors[i].abc));
    }
  assert_true (ferry_digest_type_from_name ("sha-256", &type));   /* any case */
  assert_int_equal (type, FERRY_DIGEST_SHA256);
  for (const char *const *bad = (const char *const[]) { "SHA256", "CRC-32", "", "SHA-256*",
                                                        NULL }; *bad != NULL; bad++)
    assert_false (ferry_digest_type_from_name (*bad, &type));
}

static void
test_vectors (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(FerryDigest) digest = ferry_digest_new (vectors[i].type);
      g_autofree char *abc = NULL;
      g_autofree char *empty = NULL;

      ferry_digest_update (digest, (const guint8 *) "abc", 3);
      abc = ferry_digest_finish_hex (digest);
      assert_string_equal (abc, vectors[i].abc);
      /* finish starts it over */
      empty = ferry_digest_finish_hex (digest);
      assert_string_equal (empty, vectors[i].empty);
    }
}

static void
test_pieces_equal_whole (void **state)
{
  guint8 data[10000];

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + 3);
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(FerryDigest) whole = ferry_digest_new (vectors[i].type);
      g_autoptr(FerryDigest) pieces = ferry_digest_new (vectors[i].type);
      g_autoptr(GChecksum) glib = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      GChecksumType glib_type[] = { G_CHECKSUM_SHA256, G_CHECKSUM_SHA512, G_CHECKSUM_SHA1,
                                    G_CHECKSUM_MD5 };

      ferry_digest_update (whole, data, sizeof data);
      for (gsize at = 0, step = 1; at < sizeof data; at += step, step = step * 3 % 997 + 1)
        ferry_digest_update (pieces, data + at, MIN (step, sizeof data - at));
      a = ferry_digest_finish_hex (whole);
      b = ferry_digest_finish_hex (pieces);
      assert_string_equal (a, b);
      /* and GLib's independent implementation agrees */
      glib = g_checksum_new (glib_type[vectors[i].type]);
      g_checksum_update (glib, data, sizeof data);
      assert_string_equal (a, g_checksum_get_string (glib));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_names),
    cmocka_unit_test (test_vectors),
    cmocka_unit_test (test_pieces_equal_whole),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
