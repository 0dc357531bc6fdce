// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-background-transfers.h — transfers that go on after their window closed. */
#pragma once

#include "ferry-transfer-queue.h"

G_BEGIN_DECLS

void  ferry_background_transfers_adopt    (FerryTransferQueue *queue);
guint ferry_background_transfers_get_n_queues (void);

G_END_DECLS
