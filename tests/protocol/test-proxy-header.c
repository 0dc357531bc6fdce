// SPDX-License-Identifier: GPL-3.0-or-later
/* test-proxy-header.c — the PROXY protocol header, v1 and v2, whole and byte by byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

/* Feeds data as a reader would: only as many bytes as the parser asks for each time. */
static FerryProxyHeaderStatus
feed (const guint8     *data,
      gsize             length,
      FerryProxyHeader *header,
      GError          **error)
{
  gsize have = 0;
  gsize wanted = 0;

  for (;;)
    {
      FerryProxyHeaderStatus status = ferry_proxy_header_parse (data, have, &wanted, header, error);

      if (status != FERRY_PROXY_HEADER_MORE)
        return status;
      assert_true (wanted > 0);
      assert_true (have + wanted <= FERRY_PROXY_HEADER_MAX);
      if (have + wanted > length)
        return FERRY_PROXY_HEADER_MORE;
      have += wanted;
    }
}

static void
assert_v1 (const char *text,
           const char *host,
           guint16     port)
{
  g_autoptr(GError) error = NULL;
  FerryProxyHeader header;
  g_autofree char *with_more = g_strconcat (text, "USER anonymous\r\n", NULL);

  assert_int_equal (feed ((const guint8 *) with_more, strlen (with_more), &header, &error),
                    FERRY_PROXY_HEADER_COMPLETE);
  assert_null (error);
  assert_int_equal (header.version, 1);
  assert_int_equal (header.length, strlen (text));   /* the client's own bytes stay */
  assert_string_equal (header.source_host, host);
  assert_int_equal (header.source_port, port);
}

static void
assert_invalid (const guint8 *data,
                gsize         length)
{
  g_autoptr(GError) error = NULL;
  FerryProxyHeader header;

  assert_int_equal (feed (data, length, &header, &error), FERRY_PROXY_HEADER_INVALID);
  assert_non_null (error);
  assert_true (error->domain == FERRY_PROTOCOL_ERROR);
}

#define assert_invalid_text(text) assert_invalid ((const guint8 *) (text), strlen (text))

static void
test_v1 (void **state)
{
  FerryProxyHeader header;
  gsize wanted;

  assert_v1 ("PROXY TCP4 192.0.2.7 198.51.100.1 56324 21\r\n", "192.0.2.7", 56324);
  assert_v1 ("PROXY TCP6 2001:db8::7 2001:db8::1 65535 21\r\n", "2001:db8::7", 65535);
  assert_v1 ("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n",
             "255.255.255.255", 65535);
  /* UNKNOWN: the connection's own addresses stand, whatever follows. */
  assert_int_equal (ferry_proxy_header_parse ((const guint8 *) "PROXY UNKNOWN x y\r\n", 19,
                                              &wanted, &header, NULL),
                    FERRY_PROXY_HEADER_COMPLETE);
  assert_int_equal (header.family, FERRY_PROXY_LOCAL);
  assert_int_equal (header.length, 19);

  assert_invalid_text ("USER anonymous\r\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n");
  assert_invalid_text ("PROXY TCP4 2001:db8::7 198.51.100.1 1 21\r\n");
  assert_invalid_text ("PROXY TCP6 192.0.2.7 198.51.100.1 1 21\r\n");
  assert_invalid_text ("PROXY UDP4 192.0.2.7 198.51.100.1 1 21\r\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7 198.51.100.1 65536 21\r\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7 198.51.100.1 021 21\r\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7 198.51.100.1 -1 21\r\n");
  assert_invalid_text ("PROXY TCP4  192.0.2.7 198.51.100.1 1 21\r\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7 198.51.100.1 1 21\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7\r198.51.100.1 1 21\r\n");
  assert_invalid_text ("PROXY TCP4 192.0.2.7\t198.51.100.1 1 21\r\n");
  assert_invalid_text ("proxy TCP4 192.0.2.7 198.51.100.1 1 21\r\n");
  {
    /* No line end within 107 bytes. */
    g_autofree char *endless = g_strnfill (300, 'A');

    memcpy (endless, "PROXY UNKNOWN ", 14);
    assert_invalid_text (endless);
  }
}

static gsize
v2 (guint8        *out,
    guint8         command,
    guint8         family,
    const guint8  *block,
    guint16        block_length)
{
  static const guint8 signature[12] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a,
                                        0x51, 0x55, 0x49, 0x54, 0x0a };

  memcpy (out, signature, 12);
  out[12] = (guint8) (0x20 | command);
  out[13] = family;
  out[14] = (guint8) (block_length >> 8);
  out[15] = (guint8) block_length;
  if (block_length > 0)
    memcpy (out + 16, block, block_length);
  return 16 + (gsize) block_length;
}

static void
test_v2 (void **state)
{
  static const guint8 inet_block[12 + 7] = { 192, 0, 2, 7, 198, 51, 100, 1, 0xdc, 0x04, 0, 21,
                                             /* a TLV: PP2_TYPE_NOOP, 4 bytes */
                                             0x04, 0, 4, 1, 2, 3, 4 };
  guint8 inet6_block[36] = { 0x20, 0x01, 0x0d, 0xb8 };
  guint8 message[FERRY_PROXY_HEADER_MAX + 32];
  g_autoptr(GError) error = NULL;
  FerryProxyHeader header;
  gsize length;

  length = v2 (message, 1, 0x11, inet_block, sizeof inet_block);
  memcpy (message + length, "USER x\r\n", 8);
  assert_int_equal (feed (message, length + 8, &header, &error), FERRY_PROXY_HEADER_COMPLETE);
  assert_int_equal (header.version, 2);
  assert_int_equal (header.length, length);
  assert_int_equal (header.family, FERRY_PROXY_INET);
  assert_string_equal (header.source_host, "192.0.2.7");
  assert_int_equal (header.source_port, 56324);
  assert_int_equal (header.destination_port, 21);

  inet6_block[15] = 7;
  inet6_block[32] = 0x12;
  inet6_block[33] = 0x34;
  length = v2 (message, 1, 0x21, inet6_block, sizeof inet6_block);
  assert_int_equal (feed (message, length, &header, &error), FERRY_PROXY_HEADER_COMPLETE);
  assert_string_equal (header.source_host, "2001:db8::7");
  assert_int_equal (header.source_port, 0x1234);

  /* LOCAL (a balancer's health check) and UNSPEC: the connection's own address. */
  length = v2 (message, 0, 0x11, inet_block, 12);
  assert_int_equal (feed (message, length, &header, &error), FERRY_PROXY_HEADER_COMPLETE);
  assert_int_equal (header.family, FERRY_PROXY_LOCAL);
  length = v2 (message, 1, 0x00, NULL, 0);
  assert_int_equal (feed (message, length, &header, &error), FERRY_PROXY_HEADER_COMPLETE);
  assert_int_equal (header.family, FERRY_PROXY_LOCAL);

  /* Incomplete: asks for exactly what is missing. */
  length = v2 (message, 1, 0x11, inet_block, sizeof inet_block);
  assert_int_equal (feed (message, length - 1, &header, &error), FERRY_PROXY_HEADER_MORE);

  length = v2 (message, 1, 0x11, inet_block, 11);            /* too short for IPv4 */
  assert_invalid (message, length);
  length = v2 (message, 1, 0x21, inet6_block, 12);           /* too short for IPv6 */
  assert_invalid (message, length);
  length = v2 (message, 1, 0x12, inet_block, 12);            /* UDP */
  assert_invalid (message, length);
  length = v2 (message, 1, 0x31, inet6_block, 36);           /* UNIX */
  assert_invalid (message, length);
  length = v2 (message, 2, 0x11, inet_block, 12);            /* no such command */
  assert_invalid (message, length);
  length = v2 (message, 1, 0x11, inet_block, 12);
  message[12] = 0x11;                                        /* version 1 */
  assert_invalid (message, length);
  message[12] = 0x21;
  message[14] = 0xff;                                        /* a block past the bound */
  assert_invalid (message, 16);
  message[14] = 0;
  message[5] = 0;                                            /* a broken signature */
  assert_invalid (message, length);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_v1),
    cmocka_unit_test (test_v2),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
