// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-target.h — what every fuzz target defines, and how it reports a broken invariant.
 *
 * A target is linked either with libFuzzer (clang -fsanitize=fuzzer, see run-fuzzer.sh) or
 * with replay-main.c, which runs it over the committed corpus in the test suite. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Not assert(): it must hold in every build type, NDEBUG or not. */
#define FUZZ_CHECK(condition)                                                   \
  do                                                                            \
    {                                                                           \
      if (!(condition))                                                         \
        {                                                                       \
          fprintf (stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
                   #condition);                                                 \
          abort ();                                                             \
        }                                                                       \
    }                                                                           \
  while (0)
