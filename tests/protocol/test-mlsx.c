// SPDX-License-Identifier: GPL-3.0-or-later
/* test-mlsx.c — MLSD/MLST fact lines: real servers' output, odd facts, formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "ferry-protocol.h"

#define NOV27 G_GINT64_CONSTANT (1795760100)   /* 2026-11-27 06:15:00 UTC */

static FerryEntry *
parse_ok (const char *line)
{
  g_autoptr(GError) error = NULL;
  FerryEntry *entry = ferry_mlsx_parse_line (line, &error);

  assert_null (error);
  assert_non_null (entry);
  return entry;
}

static void
assert_refused (const char *line,
                gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryEntry) entry = ferry_mlsx_parse_line (line, &error);

  assert_null (entry);
  assert_non_null (error);
  assert_true (error->domain == FERRY_PROTOCOL_ERROR);
  assert_int_equal (error->code, code);
}

static void
test_parse_basic (void **state)
{
  g_autoptr(FerryEntry) file = parse_ok ("type=file;size=6;modify=20261127061500; name");
  g_autoptr(FerryEntry) dir = parse_ok ("type=dir;modify=20261127061500; sub folder");
  g_autoptr(FerryEntry) crlf = parse_ok ("type=file;size=0; x\r\n");

  assert_string_equal (file->name, "name");
  assert_int_equal (file->type, FERRY_ENTRY_FILE);
  assert_int_equal (file->size, 6);
  assert_int_equal (file->modified, NOV27);
  assert_null (file->perm);
  assert_int_equal (file->mode, 0);

  assert_string_equal (dir->name, "sub folder");
  assert_int_equal (dir->type, FERRY_ENTRY_DIRECTORY);
  assert_int_equal (dir->size, FERRY_ENTRY_UNKNOWN);

  assert_string_equal (crlf->name, "x");
  assert_int_equal (crlf->size, 0);
}

/* pyftpdlib: type;size;perm;modify;unix.mode;unix.uid;unix.gid;unique — lower-case facts. */
static void
test_parse_pyftpdlib (void **state)
{
  g_autoptr(FerryEntry) file = parse_ok (
    "type=file;size=1234;perm=radfwMT;modify=20261127061500;unix.mode=0644;unix.uid=1000;"
    "unix.gid=1000;unique=803g2a0e1; report 2026.pdf");
  g_autoptr(FerryEntry) cdir = parse_ok (
    "type=cdir;perm=elcmfd;modify=20261127061500;unix.mode=0755; .");
  g_autoptr(FerryEntry) pdir = parse_ok ("type=pdir;perm=elcmfd;modify=20261127061500; ..");

  assert_string_equal (file->name, "report 2026.pdf");
  assert_int_equal (file->type, FERRY_ENTRY_FILE);
  assert_int_equal (file->size, 1234);
  assert_string_equal (file->perm, "radfwMT");
  assert_int_equal (file->mode, 0644);
  assert_int_equal (file->modified, NOV27);
  assert_int_equal (cdir->type, FERRY_ENTRY_CURRENT_DIR);
  assert_int_equal (cdir->mode, 0755);
  assert_int_equal (pdir->type, FERRY_ENTRY_PARENT_DIR);
}

/* Captured from pyftpdlib 1.5 on Debian 12 (facts in alphabetical order). */
static void
test_parse_pyftpdlib_captured (void **state)
{
  g_autoptr(FerryEntry) semi = parse_ok (
    "modify=20261127075732;perm=r;size=1;type=file;unique=fe00ga74041; a;b; c");
  g_autoptr(FerryEntry) dir = parse_ok (
    "modify=20261127075732;perm=el;size=4096;type=dir;unique=fe00ga74021; sub");
  g_autoptr(FerryEntry) old = parse_ok (
    "modify=20190303100000;perm=r;size=0;type=file;unique=fe00ga74061; old.txt");

  assert_string_equal (semi->name, "a;b; c");
  assert_int_equal (semi->type, FERRY_ENTRY_FILE);
  assert_int_equal (semi->size, 1);
  assert_string_equal (semi->perm, "r");
  assert_int_equal (dir->type, FERRY_ENTRY_DIRECTORY);
  assert_int_equal (dir->size, 4096);
  assert_int_equal (old->modified, G_GINT64_CONSTANT (1551607200));
}

/* pure-ftpd: "type=OS.unix=slink:/target", UNIX.* facts with upper case, "sizd". */
static void
test_parse_pure_ftpd (void **state)
{
  g_autoptr(FerryEntry) file = parse_ok (
    "type=file;size=31;modify=20261127061500;UNIX.mode=0640;UNIX.uid=1000;UNIX.gid=1000;"
    "unique=fd01g1a2b3c; notes.txt");
  g_autoptr(FerryEntry) link = parse_ok (
    "type=OS.unix=slink:/srv/ftp/target;size=6;modify=20261127061500;UNIX.mode=0777; link");
  g_autoptr(FerryEntry) dir = parse_ok (
    "type=dir;sizd=4096;modify=20261127061500;UNIX.mode=0755;UNIX.owner=ftp; pub");

  assert_int_equal (file->mode, 0640);
  assert_string_equal (file->name, "notes.txt");
  assert_int_equal (link->type, FERRY_ENTRY_SYMLINK);
  assert_string_equal (link->name, "link");
  assert_int_equal (dir->type, FERRY_ENTRY_DIRECTORY);
  assert_int_equal (dir->size, FERRY_ENTRY_UNKNOWN);
}

static void
test_parse_case_order_unknown (void **state)
{
  g_autoptr(FerryEntry) a = parse_ok ("Modify=20261127061500;SIZE=42;TyPe=FILE;X.future=yes; a");
  g_autoptr(FerryEntry) b = parse_ok ("unique=1;lang=en;media-type=text/plain;charset=UTF-8;"
                                      "size=1;type=file; b");
  g_autoptr(FerryEntry) c = parse_ok ("type=file;;size=3;; c");
  g_autoptr(FerryEntry) d = parse_ok ("type=OS.unix=blockdev; sda");
  g_autoptr(FerryEntry) e = parse_ok ("size=5; untyped");
  g_autoptr(FerryEntry) f = parse_ok ("perm=r;perm=w; twice");
  g_autoptr(FerryEntry) g = parse_ok ("type=file;modify=20261127061500.987; fraction");

  assert_int_equal (a->type, FERRY_ENTRY_FILE);
  assert_int_equal (a->size, 42);
  assert_int_equal (a->modified, NOV27);
  assert_int_equal (b->size, 1);
  assert_int_equal (c->size, 3);
  assert_int_equal (d->type, FERRY_ENTRY_OTHER);
  assert_int_equal (e->type, FERRY_ENTRY_FILE);
  assert_string_equal (f->perm, "w");
  assert_int_equal (g->modified, NOV27);
}

static void
test_parse_names (void **state)
{
  g_autoptr(FerryEntry) semicolons = parse_ok ("type=file;size=1; a;b=c; d");
  g_autoptr(FerryEntry) spaces = parse_ok ("type=file;size=1;   three leading, two trailing  ");
  g_autoptr(FerryEntry) no_facts = parse_ok (" bare name");
  g_autoptr(FerryEntry) invalid_utf8 = parse_ok ("type=file; \xc3\x28\xff");
  g_autoptr(FerryEntry) equals = parse_ok ("type=file; size=9");
  /* No facts and a name of two spaces: odd, but what the grammar says. */
  g_autoptr(FerryEntry) only_spaces = parse_ok ("   ");

  assert_string_equal (semicolons->name, "a;b=c; d");
  assert_string_equal (spaces->name, "  three leading, two trailing  ");
  assert_string_equal (no_facts->name, "bare name");
  assert_int_equal (no_facts->type, FERRY_ENTRY_OTHER);
  assert_string_equal (invalid_utf8->name, "\xc3\x28\xff");
  assert_string_equal (equals->name, "size=9");
  assert_int_equal (equals->size, FERRY_ENTRY_UNKNOWN);
  assert_string_equal (only_spaces->name, "  ");
}

static void
test_parse_refused (void **state)
{
  const gint M = FERRY_PROTOCOL_ERROR_MALFORMED, R = FERRY_PROTOCOL_ERROR_OUT_OF_RANGE;

  assert_refused ("", M);
  assert_refused (" ", M);
  assert_refused ("\r\n", M);
  assert_refused ("type=file;size=6;", M);
  assert_refused ("type=file;size=6; ", M);
  assert_refused ("type=file;size=6; \r\n", M);
  assert_refused ("type=file;size=6 name", M);
  assert_refused ("type=file;size; name", M);
  assert_refused ("type=file;=6; name", M);
  assert_refused ("name", M);
  assert_refused ("type=file;size=-1; name", R);
  assert_refused ("type=file;size=; name", R);
  assert_refused ("type=file;size=12a; name", R);
  assert_refused ("type=file;size=+5; name", R);
  assert_refused ("type=file;size=9223372036854775808; name", R);
  assert_refused ("type=file;size=99999999999999999999999999; name", R);
  assert_refused ("type=file;modify=2026; name", M);
  assert_refused ("type=file;modify=20261327061500; name", R);
  assert_refused ("type=file;UNIX.mode=0999; name", M);
  assert_refused ("type=file;UNIX.mode=; name", R);
  assert_refused ("type=file;UNIX.mode=177777; name", R);
  assert_refused ("type=file;UNIX.mode=17777; name", R);
}

static void
test_parse_size_limits (void **state)
{
  g_autoptr(FerryEntry) max = parse_ok ("type=file;size=9223372036854775807; big");
  g_autoptr(FerryEntry) zeros = parse_ok ("type=file;size=000000000000000000000000042; z");

  assert_int_equal (max->size, G_MAXINT64);
  assert_int_equal (zeros->size, 42);
}

static void
test_format (void **state)
{
  g_autoptr(GString) out = g_string_new (NULL);
  FerryEntry file = { .name = (char *) "a;b c.txt", .type = FERRY_ENTRY_FILE, .size = 6,
                      .modified = NOV27, .mode = 0644, .perm = (char *) "adfrw" };
  FerryEntry dir = { .name = (char *) "pub", .type = FERRY_ENTRY_DIRECTORY,
                     .size = FERRY_ENTRY_UNKNOWN, .modified = FERRY_ENTRY_UNKNOWN };
  FerryEntry cdir = { .name = (char *) ".", .type = FERRY_ENTRY_CURRENT_DIR, .size = 4096,
                      .modified = 0 };

  ferry_mlsx_append_line (out, &file, FERRY_MLSX_FACTS_DEFAULT);
  assert_string_equal (out->str,
                       "type=file;size=6;modify=20261127061500;perm=adfrw; a;b c.txt\r\n");
  g_string_truncate (out, 0);
  ferry_mlsx_append_line (out, &file, FERRY_MLSX_FACTS_DEFAULT | FERRY_MLSX_FACT_UNIX_MODE);
  assert_string_equal (out->str, "type=file;size=6;modify=20261127061500;perm=adfrw;"
                                 "UNIX.mode=0644; a;b c.txt\r\n");
  g_string_truncate (out, 0);
  ferry_mlsx_append_line (out, &file, FERRY_MLSX_FACT_SIZE);
  assert_string_equal (out->str, "size=6; a;b c.txt\r\n");
  g_string_truncate (out, 0);
  ferry_mlsx_append_line (out, &file, 0);
  assert_string_equal (out->str, " a;b c.txt\r\n");
  g_string_truncate (out, 0);
  ferry_mlsx_append_line (out, &dir, FERRY_MLSX_FACTS_DEFAULT | FERRY_MLSX_FACT_UNIX_MODE);
  assert_string_equal (out->str, "type=dir; pub\r\n");
  g_string_truncate (out, 0);
  ferry_mlsx_append_line (out, &cdir, FERRY_MLSX_FACTS_DEFAULT);
  assert_string_equal (out->str, "type=cdir;size=4096;modify=19700101000000; .\r\n");
}

/* Every kind of entry, formatted with every fact set, parses back to what was formatted. */
static void
test_round_trip (void **state)
{
  static const char *names[] = { "plain", "with space", " lead", "trail ", "a;b", "x; y=z",
                                 "\xc3\xa9t\xc3\xa9", "\xff\xfe", "=", ";", ".dot" };
  static const FerryEntryType types[] = {
    FERRY_ENTRY_FILE, FERRY_ENTRY_DIRECTORY, FERRY_ENTRY_SYMLINK, FERRY_ENTRY_OTHER,
    FERRY_ENTRY_CURRENT_DIR, FERRY_ENTRY_PARENT_DIR,
  };
  static const gint64 sizes[] = { FERRY_ENTRY_UNKNOWN, 0, 1, 4096, G_MAXINT64 };
  static const gint64 times[] = { FERRY_ENTRY_UNKNOWN, 0, NOV27, -1,
                                  G_GINT64_CONSTANT (253402300799) };

  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    for (gsize t = 0; t < G_N_ELEMENTS (types); t++)
      for (guint facts = 0; facts < 32; facts++)
        {
          FerryEntry entry = {
            .name = (char *) names[n], .type = types[t],
            .size = sizes[(n + t) % G_N_ELEMENTS (sizes)],
            .modified = times[(n + facts) % G_N_ELEMENTS (times)],
            .mode = (guint32) ((n * 0111 + t) & 0777),
            .perm = facts & 1 ? (char *) "elr" : NULL,
          };
          g_autoptr(GString) out = g_string_new (NULL);
          g_autoptr(FerryEntry) parsed = NULL;
          g_autoptr(GError) error = NULL;

          ferry_mlsx_append_line (out, &entry, facts);
          assert_true (g_str_has_suffix (out->str, "\r\n"));
          parsed = ferry_mlsx_parse_line (out->str, &error);
          assert_null (error);
          assert_string_equal (parsed->name, entry.name);
          if (facts & FERRY_MLSX_FACT_TYPE)
            assert_int_equal (parsed->type, entry.type);
          assert_int_equal (parsed->size, (facts & FERRY_MLSX_FACT_SIZE) ? entry.size
                                                                          : FERRY_ENTRY_UNKNOWN);
          assert_int_equal (parsed->modified,
                            (facts & FERRY_MLSX_FACT_MODIFY) ? entry.modified
                                                             : FERRY_ENTRY_UNKNOWN);
          if ((facts & FERRY_MLSX_FACT_PERM) && entry.perm != NULL)
            assert_string_equal (parsed->perm, entry.perm);
          else
            assert_null (parsed->perm);
          assert_int_equal (parsed->mode, (facts & FERRY_MLSX_FACT_UNIX_MODE) ? entry.mode : 0);
        }
}

static void
test_feat_and_opts (void **state)
{
  g_autofree char *defaults = ferry_mlsx_format_feat (FERRY_MLSX_FACTS_DEFAULT);
  g_autofree char *none = ferry_mlsx_format_feat (0);
  g_autofree char *all = ferry_mlsx_format_feat (FERRY_MLSX_FACTS_DEFAULT |
                                                 FERRY_MLSX_FACT_UNIX_MODE);

  assert_string_equal (defaults, "Type*;Size*;Modify*;Perm*;UNIX.mode;");
  assert_string_equal (none, "Type;Size;Modify;Perm;UNIX.mode;");
  assert_string_equal (all, "Type*;Size*;Modify*;Perm*;UNIX.mode*;");

  assert_int_equal (ferry_mlsx_parse_opts ("type;size;"),
                    FERRY_MLSX_FACT_TYPE | FERRY_MLSX_FACT_SIZE);
  assert_int_equal (ferry_mlsx_parse_opts ("TYPE;Modify;unix.MODE"),
                    FERRY_MLSX_FACT_TYPE | FERRY_MLSX_FACT_MODIFY | FERRY_MLSX_FACT_UNIX_MODE);
  assert_int_equal (ferry_mlsx_parse_opts ("perm;unique;lang;"), FERRY_MLSX_FACT_PERM);
  assert_int_equal (ferry_mlsx_parse_opts (""), 0);
  assert_int_equal (ferry_mlsx_parse_opts (NULL), 0);
  assert_int_equal (ferry_mlsx_parse_opts (";;;"), 0);
  assert_int_equal (ferry_mlsx_parse_opts ("size ;type"), FERRY_MLSX_FACT_TYPE);
  /* In the FEAT line only the fact without a star is a bare name. */
  assert_int_equal (ferry_mlsx_parse_opts (defaults), FERRY_MLSX_FACT_UNIX_MODE);
  assert_int_equal (ferry_mlsx_parse_opts (none),
                    FERRY_MLSX_FACTS_DEFAULT | FERRY_MLSX_FACT_UNIX_MODE);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_basic),
    cmocka_unit_test (test_parse_pyftpdlib),
    cmocka_unit_test (test_parse_pyftpdlib_captured),
    cmocka_unit_test (test_parse_pure_ftpd),
    cmocka_unit_test (test_parse_case_order_unknown),
    cmocka_unit_test (test_parse_names),
    cmocka_unit_test (test_parse_refused),
    cmocka_unit_test (test_parse_size_limits),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_feat_and_opts),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
