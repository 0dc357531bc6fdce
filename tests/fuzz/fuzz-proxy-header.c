// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-proxy-header.c — the PROXY protocol header parser on arbitrary bytes.
 *
 * Invariants: reading only what the parser asks for never passes FERRY_PROXY_HEADER_MAX
 * nor the header's end; a complete header's length fits in what was read; an error is
 * in the protocol domain; feeding the whole input at once agrees with the byte-wise read. */
#include <glib.h>
#include <string.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FerryProxyHeader header, whole;
  FerryProxyHeaderStatus status, whole_status;
  GError *error = NULL;
  gsize have = 0, wanted = 0;

  for (;;)
    {
      status = ferry_proxy_header_parse (data, have, &wanted, &header, &error);
      if (status != FERRY_PROXY_HEADER_MORE)
        break;
      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (wanted > 0 && have + wanted <= FERRY_PROXY_HEADER_MAX);
      if (have + wanted > size)
        break;
      have += wanted;
    }

  if (status == FERRY_PROXY_HEADER_COMPLETE)
    {
      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (header.length == have);
      FUZZ_CHECK (header.version == 1 || header.version == 2);
      FUZZ_CHECK (memchr (header.source_host, '\0', sizeof header.source_host) != NULL);
      FUZZ_CHECK ((header.family == FERRY_PROXY_LOCAL) == (header.source_host[0] == '\0'));

      whole_status = ferry_proxy_header_parse (data, size, &wanted, &whole, NULL);
      FUZZ_CHECK (whole_status == FERRY_PROXY_HEADER_COMPLETE);
      FUZZ_CHECK (whole.length == header.length && whole.source_port == header.source_port);
      FUZZ_CHECK (strcmp (whole.source_host, header.source_host) == 0);
    }
  else if (status == FERRY_PROXY_HEADER_INVALID)
    {
      FUZZ_CHECK (error != NULL && error->domain == FERRY_PROTOCOL_ERROR);
      g_error_free (error);
    }
  return 0;
}
