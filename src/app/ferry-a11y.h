// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-a11y.h — accessible names of buttons: the label once, never a type name. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* From then on, every widget mapped in the process gets its accessible name repaired. */
void  ferry_a11y_install         (void);
/* Repairs widget and everything beneath it now. */
void  ferry_a11y_repair          (GtkWidget  *widget);
/* A mnemonic label as read aloud: "_Save" -> "Save", "__" -> "_". */
char *ferry_a11y_strip_mnemonic  (const char *label);

G_END_DECLS
