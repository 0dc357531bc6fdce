// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests for FerryUrl: the forms a person types, percent-decoding, and bad input. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ferry-client.h"

static FerryUrl *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  FerryUrl *url = ferry_url_parse (text, &error);

  if (url == NULL)
    fail_msg ("%s: %s", text, error->message);
  return url;
}

static void
assert_invalid (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryUrl) url = ferry_url_parse (text, &error);

  if (url != NULL)
    fail_msg ("“%s” was accepted", text);
  assert_true (g_error_matches (error, FERRY_CLIENT_ERROR, FERRY_CLIENT_ERROR_INVALID_URL));
}

static void
test_bare_host (void **state)
{
  g_autoptr(FerryUrl) url = parse_ok ("files.example.org");

  assert_string_equal (url->host, "files.example.org");
  assert_int_equal (url->port, 21);
  assert_int_equal (url->tls_mode, FERRY_TLS_MODE_NONE);
  assert_null (url->user);
  assert_null (url->password);
  assert_null (url->path);
}

static void
test_host_port_and_ipv6 (void **state)
{
  g_autoptr(FerryUrl) a = parse_ok ("192.0.2.7:2121");
  g_autoptr(FerryUrl) b = parse_ok ("[::1]:2121");
  g_autoptr(FerryUrl) c = parse_ok ("ftp://[fe80::1]/pub");

  assert_string_equal (a->host, "192.0.2.7");
  assert_int_equal (a->port, 2121);
  assert_string_equal (b->host, "::1");
  assert_int_equal (b->port, 2121);
  assert_string_equal (c->host, "fe80::1");
  assert_int_equal (c->port, 21);
  assert_string_equal (c->path, "/pub");
}

static void
test_full_url_with_escapes (void **state)
{
  g_autoptr(FerryUrl) url = parse_ok ("ftp://us%20er:p%40ss:w@host.lan:2100/a%20b/c%C3%BC");
  g_autofree char *shown = ferry_url_to_string (url);

  assert_string_equal (url->user, "us er");
  assert_string_equal (url->password, "p@ss:w");
  assert_string_equal (url->host, "host.lan");
  assert_int_equal (url->port, 2100);
  assert_string_equal (url->path, "/a b/cü");
  /* The password never appears again. */
  assert_null (strstr (shown, "p%40ss"));
  assert_null (strstr (shown, "p@ss"));
  assert_string_equal (shown, "ftp://us%20er@host.lan:2100/a%20b/c%C3%BC");
}

/* Inputs the parser has always taken as a person means them, not as RFC 3986 alone would. */
static void
test_lenient_forms (void **state)
{
  g_autoptr(FerryUrl) at_in_password = parse_ok ("ftp://alice:p@ss@w0rd@host:2121/");
  g_autoptr(FerryUrl) spaces = parse_ok ("  ftp://host/My Documents/a\tb  ");
  g_autoptr(FerryUrl) semicolon = parse_ok ("ftp://u;x:pw;y@host/a;type=i");
  g_autoptr(FerryUrl) empty_user = parse_ok ("ftp://:secret@host");
  g_autoptr(FerryUrl) zone = parse_ok ("ftp://[fe80::1%25eth0]:2121/");
  g_autofree char *zone_shown = ferry_url_to_string (zone);

  assert_string_equal (at_in_password->user, "alice");
  assert_string_equal (at_in_password->password, "p@ss@w0rd");
  assert_string_equal (at_in_password->host, "host");
  assert_int_equal (at_in_password->port, 2121);
  assert_string_equal (spaces->path, "/My Documents/a\tb");
  assert_string_equal (semicolon->user, "u;x");
  assert_string_equal (semicolon->password, "pw;y");
  assert_string_equal (semicolon->path, "/a;type=i");
  assert_null (empty_user->user);
  assert_string_equal (empty_user->password, "secret");
  assert_string_equal (zone->host, "fe80::1%eth0");
  assert_string_equal (zone_shown, "ftp://[fe80::1%25eth0]:2121/");
}

static void
test_tls_schemes (void **state)
{
  g_autoptr(FerryUrl) explicit_tls = parse_ok ("ftps://host");
  g_autoptr(FerryUrl) implicit_tls = parse_ok ("FTPS-IMPLICIT://host");
  g_autofree char *shown = ferry_url_to_string (implicit_tls);

  assert_int_equal (explicit_tls->tls_mode, FERRY_TLS_MODE_EXPLICIT);
  assert_int_equal (explicit_tls->port, 21);
  assert_int_equal (implicit_tls->tls_mode, FERRY_TLS_MODE_IMPLICIT);
  assert_int_equal (implicit_tls->port, 990);
  assert_string_equal (shown, "ftps-implicit://host/");
}

static void
test_bad_input (void **state)
{
  assert_invalid ("");
  assert_invalid ("   ");
  assert_invalid ("http://host/");
  assert_invalid ("host:0");
  assert_invalid ("host:65536");
  assert_invalid ("host:21x");
  assert_invalid ("ftp://:21/");
  assert_invalid ("ftp://user@/");
  assert_invalid ("[::1");
  assert_invalid ("[nothost]:21");
  assert_invalid ("::1");
  assert_invalid ("ftp://host/%zz");
  assert_invalid ("ftp://host/a%00b");
  assert_invalid ("ftp://host/?q=1");
  assert_invalid ("ftp://host#top");
  assert_invalid ("host:");
  assert_invalid ("[::1]:");
  assert_invalid ("[::1]x");
  assert_invalid ("ftp://host:21:22/");
  assert_invalid ("ftp://u%zz@host/");
  assert_invalid ("ftp://h%00st/");
  assert_invalid ("ftp://ho st/");
  assert_invalid ("ftp:x://host");
}

/* The address as a person types it back: shared by the window and the recent-server rows. */
static void
test_format_address (void **state)
{
  static const struct {
    const char *host;
    guint16     port, default_port;
    const char *text;
  } cases[] = {
    { "files.lan", 21, 21, "files.lan" },
    { "files.lan", 2121, 21, "files.lan:2121" },
    { "192.0.2.7", 990, 990, "192.0.2.7" },
    { "192.0.2.7", 21, 990, "192.0.2.7:21" },
    { "::1", 21, 21, "[::1]" },
    { "::1", 2121, 21, "[::1]:2121" },
    { "fe80::1%eth0", 2121, 21, "[fe80::1%25eth0]:2121" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ferry_url_format_address (cases[i].host, cases[i].port,
                                                         cases[i].default_port);
      g_autoptr(FerryUrl) again = parse_ok (text);

      assert_string_equal (text, cases[i].text);
      /* What is shown parses back to the same server. */
      assert_string_equal (again->host, cases[i].host);
      if (cases[i].default_port == FERRY_URL_DEFAULT_PORT)
        assert_int_equal (again->port, cases[i].port);
    }
}

static void
test_copy (void **state)
{
  g_autoptr(FerryUrl) url = parse_ok ("ftp://u:p@h:1/x");
  g_autoptr(FerryUrl) copy = ferry_url_copy (url);
  GType type = FERRY_TYPE_URL;

  assert_true (G_TYPE_IS_BOXED (type));
  assert_string_equal (copy->user, "u");
  assert_string_equal (copy->password, "p");
  assert_string_equal (copy->path, "/x");
  assert_int_equal (copy->port, 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_bare_host),
    cmocka_unit_test (test_host_port_and_ipv6),
    cmocka_unit_test (test_full_url_with_escapes),
    cmocka_unit_test (test_lenient_forms),
    cmocka_unit_test (test_tls_schemes),
    cmocka_unit_test (test_bad_input),
    cmocka_unit_test (test_format_address),
    cmocka_unit_test (test_copy),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
