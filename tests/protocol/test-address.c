// SPDX-License-Identifier: GPL-3.0-or-later
/* test-address.c — PASV/EPSV replies and PORT/EPRT arguments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

#define MALFORMED FERRY_PROTOCOL_ERROR_MALFORMED
#define OUT_OF_RANGE FERRY_PROTOCOL_ERROR_OUT_OF_RANGE

static void
assert_epsv (const char *text,
             gint        expected_error,
             guint16     expected_port)
{
  g_autoptr(GError) error = NULL;
  guint16 port = 0;
  gboolean ok = ferry_parse_epsv_reply (text, &port, &error);

  if (expected_error < 0)
    {
      assert_true (ok);
      assert_null (error);
      assert_int_equal (port, expected_port);
    }
  else
    {
      assert_false (ok);
      assert_non_null (error);
      assert_int_equal (error->code, expected_error);
      assert_non_null (strstr (error->message, "“"));
    }
}

static void
test_epsv (void **state)
{
  assert_epsv ("Entering Extended Passive Mode (|||6446|)", -1, 6446);
  assert_epsv ("Entering Extended Passive Mode (|||1|)", -1, 1);
  assert_epsv ("Entering Extended Passive Mode (|||65535|)", -1, 65535);
  assert_epsv ("(!!!6446!)", -1, 6446);
  assert_epsv ("Extended Passive (~~~80~).", -1, 80);
  assert_epsv ("ok (|||00021|)", -1, 21);
  assert_epsv ("Entering extended passive mode (|||56961|).", -1, 56961);

  assert_epsv ("Entering Extended Passive Mode (|||0|)", OUT_OF_RANGE, 0);
  assert_epsv ("Entering Extended Passive Mode (|||65536|)", OUT_OF_RANGE, 0);
  assert_epsv ("Entering Extended Passive Mode (|||70000|)", OUT_OF_RANGE, 0);
  assert_epsv ("(|||99999999999999999999999999999|)", OUT_OF_RANGE, 0);

  assert_epsv ("", MALFORMED, 0);
  assert_epsv ("   ", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode |||6446|", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (|||6446|", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (||6446|)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (|||-1|)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (|||+80|)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (||||)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (|1|127.0.0.1|6446|)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (|!|6446|)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (   6446 )", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (111222111)", MALFORMED, 0);
  assert_epsv ("Entering Extended Passive Mode (|||6446 |)", MALFORMED, 0);
  assert_epsv ("(", MALFORMED, 0);
  assert_epsv ("(|", MALFORMED, 0);
  assert_epsv ("(|||", MALFORMED, 0);
}

static void
assert_pasv (const char *text,
             gint        expected_error,
             const char *expected_host,
             guint16     expected_port)
{
  g_autoptr(GError) error = NULL;
  FerryHostPort address = { 0 };
  gboolean ok = ferry_parse_pasv_reply (text, &address, &error);

  if (expected_error < 0)
    {
      assert_true (ok);
      assert_int_equal (address.family, FERRY_ADDRESS_IPV4);
      assert_string_equal (address.host, expected_host);
      assert_int_equal (address.port, expected_port);
    }
  else
    {
      assert_false (ok);
      assert_non_null (error);
      assert_int_equal (error->code, expected_error);
      /* The output is left alone on failure. */
      assert_int_equal (address.port, 0);
    }
}

static void
test_pasv (void **state)
{
  assert_pasv ("Entering Passive Mode (127,0,0,1,25,47)", -1, "127.0.0.1", 25 * 256 + 47);
  assert_pasv ("Entering Passive Mode (192,168,1,20,255,255)", -1, "192.168.1.20", 65535);
  assert_pasv ("Entering Passive Mode (10,0,0,1,0,1)", -1, "10.0.0.1", 1);
  /* Missing parentheses, as some servers send. */
  assert_pasv ("Entering Passive Mode 127,0,0,1,25,47", -1, "127.0.0.1", 6447);
  assert_pasv ("Entering Passive Mode 127,0,0,1,25,47.", -1, "127.0.0.1", 6447);
  assert_pasv ("127,0,0,1,4,1", -1, "127.0.0.1", 1025);
  /* Spaces after commas (seen in the wild), and a missing closing parenthesis. */
  assert_pasv ("=(127, 0, 0, 1, 4, 1)", -1, "127.0.0.1", 1025);
  assert_pasv ("Entering Passive Mode (127,0,0,1,4,1", -1, "127.0.0.1", 1025);
  assert_pasv ("Entering Passive Mode (0,0,0,0,4,1)", -1, "0.0.0.0", 1025);
  /* Captured from pyftpdlib and vsftpd. */
  assert_pasv ("Entering passive mode (127,0,0,1,133,103).", -1, "127.0.0.1", 34151);
  assert_pasv ("Entering Passive Mode (127,0,0,1,117,48).", -1, "127.0.0.1", 30000);

  assert_pasv ("Entering Passive Mode (127,0,0,1,0,0)", OUT_OF_RANGE, NULL, 0);
  assert_pasv ("Entering Passive Mode (256,0,0,1,4,1)", OUT_OF_RANGE, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,256,1)", OUT_OF_RANGE, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,4,256)", OUT_OF_RANGE, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,4,99999999999999999999999)", OUT_OF_RANGE,
               NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,4294967297,4,1)", OUT_OF_RANGE, NULL, 0);

  assert_pasv ("", MALFORMED, NULL, 0);
  assert_pasv ("   ", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode ()", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,25)", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,25,47,1)", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,-25,47)", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode (127.0.0.1,25,47)", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode (127,0,0,1,25,,47)", MALFORMED, NULL, 0);
  assert_pasv ("Entering Passive Mode (a,b,c,d,e,f)", MALFORMED, NULL, 0);
}

static void
assert_port (const char *arg,
             gint        expected_error,
             const char *expected_host,
             guint16     expected_port)
{
  g_autoptr(GError) error = NULL;
  FerryHostPort address = { 0 };
  gboolean ok = ferry_parse_port_argument (arg, &address, &error);

  if (expected_error < 0)
    {
      assert_true (ok);
      assert_int_equal (address.family, FERRY_ADDRESS_IPV4);
      assert_string_equal (address.host, expected_host);
      assert_int_equal (address.port, expected_port);
    }
  else
    {
      assert_false (ok);
      assert_int_equal (error->code, expected_error);
    }
}

static void
test_port_argument (void **state)
{
  assert_port ("127,0,0,1,25,47", -1, "127.0.0.1", 6447);
  assert_port ("127,0,0,2,255,255", -1, "127.0.0.2", 65535);
  assert_port ("127,000,0,001,4,1", -1, "127.0.0.1", 1025);

  assert_port ("127,0,0,1,0,0", OUT_OF_RANGE, NULL, 0);
  assert_port ("127,0,0,1,256,0", OUT_OF_RANGE, NULL, 0);
  assert_port ("300,0,0,1,4,1", OUT_OF_RANGE, NULL, 0);
  assert_port ("127,0,0,1,1,99999999999999999999999999", OUT_OF_RANGE, NULL, 0);

  assert_port ("", MALFORMED, NULL, 0);
  assert_port (" ", MALFORMED, NULL, 0);
  assert_port ("127,0,0,1,25", MALFORMED, NULL, 0);
  assert_port ("127,0,0,1,25,47,", MALFORMED, NULL, 0);
  assert_port ("127,0,0,1,25,47 ", MALFORMED, NULL, 0);
  assert_port (" 127,0,0,1,25,47", MALFORMED, NULL, 0);
  assert_port ("(127,0,0,1,25,47)", MALFORMED, NULL, 0);
  assert_port ("127,0,0,1,-1,47", MALFORMED, NULL, 0);
  assert_port ("127.0.0.1,25,47", MALFORMED, NULL, 0);
}

static void
assert_eprt (const char *arg,
             gint        expected_error,
             FerryAddressFamily expected_family,
             const char *expected_host,
             guint16     expected_port)
{
  g_autoptr(GError) error = NULL;
  FerryHostPort address = { 0 };
  gboolean ok = ferry_parse_eprt_argument (arg, &address, &error);

  if (expected_error < 0)
    {
      assert_true (ok);
      assert_int_equal (address.family, expected_family);
      assert_string_equal (address.host, expected_host);
      assert_int_equal (address.port, expected_port);
    }
  else
    {
      assert_false (ok);
      assert_int_equal (error->code, expected_error);
    }
}

static void
test_eprt_argument (void **state)
{
  assert_eprt ("|1|132.235.1.2|6275|", -1, FERRY_ADDRESS_IPV4, "132.235.1.2", 6275);
  assert_eprt ("|2|::1|5282|", -1, FERRY_ADDRESS_IPV6, "::1", 5282);
  assert_eprt ("|2|1080::8:800:200C:417A|5282|", -1, FERRY_ADDRESS_IPV6,
               "1080::8:800:200c:417a", 5282);
  assert_eprt ("!1!127.0.0.1!65535!", -1, FERRY_ADDRESS_IPV4, "127.0.0.1", 65535);
  assert_eprt ("|2|::ffff:127.0.0.1|1|", -1, FERRY_ADDRESS_IPV6, "::ffff:127.0.0.1", 1);

  assert_eprt ("|1|127.0.0.1|0|", OUT_OF_RANGE, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|65536|", OUT_OF_RANGE, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|70000|", OUT_OF_RANGE, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|99999999999999999999999|", OUT_OF_RANGE, 0, NULL, 0);
  assert_eprt ("|3|127.0.0.1|6275|", OUT_OF_RANGE, 0, NULL, 0);
  assert_eprt ("|0|127.0.0.1|6275|", OUT_OF_RANGE, 0, NULL, 0);
  assert_eprt ("|99999999999|127.0.0.1|6275|", OUT_OF_RANGE, 0, NULL, 0);

  assert_eprt ("", MALFORMED, 0, NULL, 0);
  assert_eprt ("   ", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|6275", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|6275||", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|6275| ", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1||6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|::1|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|2|127.0.0.1|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|256.0.0.1|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|localhost|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|2|fe80::1%eth0|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|1|127.0.0.1|-1|", MALFORMED, 0, NULL, 0);
  assert_eprt ("1|127.0.0.1|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt (" |1|127.0.0.1|6275|", MALFORMED, 0, NULL, 0);
  assert_eprt ("|2|1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb|1|", MALFORMED, 0,
               NULL, 0);
}

static void
test_format_round_trip (void **state)
{
  static const guint16 ports[] = { 1, 255, 256, 1024, 6447, 65534, 65535 };

  for (gsize i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *epsv = ferry_format_epsv_reply (ports[i]);
      g_autofree char *pasv = ferry_format_pasv_reply ("127.0.0.2", ports[i]);
      g_autofree char *port = ferry_format_port_argument ("10.1.2.3", ports[i]);
      FerryHostPort v6 = { FERRY_ADDRESS_IPV6, "::1", ports[i] };
      FerryHostPort v4 = { FERRY_ADDRESS_IPV4, "127.0.0.1", ports[i] };
      g_autofree char *eprt6 = ferry_format_eprt_argument (&v6);
      g_autofree char *eprt4 = ferry_format_eprt_argument (&v4);
      FerryHostPort parsed;
      guint16 parsed_port;

      assert_true (ferry_parse_epsv_reply (epsv, &parsed_port, NULL));
      assert_int_equal (parsed_port, ports[i]);
      assert_true (ferry_parse_pasv_reply (pasv, &parsed, NULL));
      assert_string_equal (parsed.host, "127.0.0.2");
      assert_int_equal (parsed.port, ports[i]);
      assert_true (ferry_parse_port_argument (port, &parsed, NULL));
      assert_string_equal (parsed.host, "10.1.2.3");
      assert_int_equal (parsed.port, ports[i]);
      assert_true (ferry_parse_eprt_argument (eprt6, &parsed, NULL));
      assert_int_equal (parsed.family, FERRY_ADDRESS_IPV6);
      assert_string_equal (parsed.host, "::1");
      assert_int_equal (parsed.port, ports[i]);
      assert_true (ferry_parse_eprt_argument (eprt4, &parsed, NULL));
      assert_int_equal (parsed.family, FERRY_ADDRESS_IPV4);
      assert_int_equal (parsed.port, ports[i]);
    }

  {
    g_autofree char *epsv = ferry_format_epsv_reply (6446);
    g_autofree char *pasv = ferry_format_pasv_reply ("127.0.0.1", 6447);
    g_autofree char *port = ferry_format_port_argument ("192.168.0.1", 65535);
    FerryHostPort v6 = { FERRY_ADDRESS_IPV6, "::1", 5282 };
    g_autofree char *eprt = ferry_format_eprt_argument (&v6);

    assert_string_equal (epsv, "Entering Extended Passive Mode (|||6446|)");
    assert_string_equal (pasv, "Entering Passive Mode (127,0,0,1,25,47)");
    assert_string_equal (port, "192,168,0,1,255,255");
    assert_string_equal (eprt, "|2|::1|5282|");
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_epsv),
    cmocka_unit_test (test_pasv),
    cmocka_unit_test (test_port_argument),
    cmocka_unit_test (test_eprt_argument),
    cmocka_unit_test (test_format_round_trip),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
