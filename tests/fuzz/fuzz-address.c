// SPDX-License-Identifier: GPL-3.0-or-later
/* fuzz-address.c — PASV/EPSV replies and PORT/EPRT arguments on arbitrary text.
 *
 * Invariants: a parsed port is never 0; a parsed host is a valid numeric address of the
 * parsed family; and formatting what was parsed parses back to the same address. */
#include <glib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ferry-protocol.h"
#include "fuzz-target.h"

static void
check_host_port (const FerryHostPort *address)
{
  guint8 binary[16];

  FUZZ_CHECK (address->port != 0);
  FUZZ_CHECK (memchr (address->host, '\0', sizeof address->host) != NULL);
  FUZZ_CHECK (inet_pton (address->family == FERRY_ADDRESS_IPV4 ? AF_INET : AF_INET6,
                         address->host, binary) == 1);
}

static void
check_error (GError *error)
{
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == FERRY_PROTOCOL_ERROR);
  FUZZ_CHECK (error->code == FERRY_PROTOCOL_ERROR_MALFORMED ||
              error->code == FERRY_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_error_free (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *text = g_strndup ((const char *) data, size);
  FerryHostPort address, again;
  GError *error = NULL;
  guint16 port = 0, port_again = 0;

  if (ferry_parse_epsv_reply (text, &port, &error))
    {
      char *formatted = ferry_format_epsv_reply (port);

      FUZZ_CHECK (port != 0);
      FUZZ_CHECK (ferry_parse_epsv_reply (formatted, &port_again, NULL));
      FUZZ_CHECK (port_again == port);
      g_free (formatted);
    }
  else
    check_error (g_steal_pointer (&error));

  if (ferry_parse_pasv_reply (text, &address, &error))
    {
      char *formatted = ferry_format_pasv_reply (address.host, address.port);

      check_host_port (&address);
      FUZZ_CHECK (address.family == FERRY_ADDRESS_IPV4);
      FUZZ_CHECK (ferry_parse_pasv_reply (formatted, &again, NULL));
      FUZZ_CHECK (strcmp (again.host, address.host) == 0 && again.port == address.port);
      g_free (formatted);
    }
  else
    check_error (g_steal_pointer (&error));

  if (ferry_parse_port_argument (text, &address, &error))
    {
      char *formatted = ferry_format_port_argument (address.host, address.port);

      check_host_port (&address);
      FUZZ_CHECK (ferry_parse_port_argument (formatted, &again, NULL));
      FUZZ_CHECK (strcmp (again.host, address.host) == 0 && again.port == address.port);
      g_free (formatted);
    }
  else
    check_error (g_steal_pointer (&error));

  if (ferry_parse_eprt_argument (text, &address, &error))
    {
      char *formatted = ferry_format_eprt_argument (&address);

      check_host_port (&address);
      FUZZ_CHECK (ferry_parse_eprt_argument (formatted, &again, NULL));
      FUZZ_CHECK (again.family == address.family && again.port == address.port &&
                  strcmp (again.host, address.host) == 0);
      g_free (formatted);
    }
  else
    check_error (g_steal_pointer (&error));

  g_free (text);
  return 0;
}
