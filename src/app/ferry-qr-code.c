// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-qr-code.c — draws libqrencode's module matrix into a GdkTexture: the encoder is
 * libqrencode's, never ours. */
#define G_LOG_DOMAIN "ferry-app"

#include "ferry-config.h"

#include <string.h>
#include <qrencode.h>

#include "ferry-qr-code.h"

#define QUIET_ZONE 4   /* modules of white around the code (ISO/IEC 18004) */

GdkTexture *
ferry_qr_code_new_texture (const char *text,
                           guint       module_pixels)
{
  g_autoptr(GBytes) bytes = NULL;
  QRcode *code;
  guint modules, size, stride;
  guint8 *pixels;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_pixels > 0, NULL);

  /* Level M: a phone camera reads it off a screen; 8-bit mode keeps the text as it is. */
  code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (code == NULL)
    return NULL;

  modules = (guint) code->width + 2 * QUIET_ZONE;
  size = modules * module_pixels;
  stride = size * 3;   /* GDK_MEMORY_R8G8B8 (GTK 4.8 has no grey format) */
  pixels = g_malloc (stride * size);
  memset (pixels, 0xff, stride * size);

  for (guint y = 0; y < (guint) code->width; y++)
    for (guint x = 0; x < (guint) code->width; x++)
      {
        /* Bit 0 of each byte: the module is dark. */
        if ((code->data[y * code->width + x] & 1) == 0)
          continue;
        for (guint dy = 0; dy < module_pixels; dy++)
          memset (pixels + ((y + QUIET_ZONE) * module_pixels + dy) * stride
                  + (x + QUIET_ZONE) * module_pixels * 3, 0x00, module_pixels * 3);
      }
  QRcode_free (code);

  bytes = g_bytes_new_take (pixels, stride * size);
  return gdk_memory_texture_new ((int) size, (int) size, GDK_MEMORY_R8G8B8, bytes,
                                 stride);
}
