// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-qr-code.h — a QR code of a text (an address) as a texture, from libqrencode. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Black modules on white, module_pixels wide each, with the 4-module quiet zone the
 * standard asks for; NULL if the text does not fit in a QR code. */
GdkTexture *ferry_qr_code_new_texture (const char *text,
                                       guint       module_pixels);

G_END_DECLS
