// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "ferry-client"

#include "ferry-tls-mode.h"

GType
ferry_tls_mode_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { FERRY_TLS_MODE_NONE, "FERRY_TLS_MODE_NONE", "none" },
        { FERRY_TLS_MODE_EXPLICIT, "FERRY_TLS_MODE_EXPLICIT", "explicit" },
        { FERRY_TLS_MODE_IMPLICIT, "FERRY_TLS_MODE_IMPLICIT", "implicit" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static ("FerryTlsMode", values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}
