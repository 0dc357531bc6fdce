// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-task.h — GTask source tags named after the _async function that made the task, as
 * GLib tags its own; -Wpedantic forbids the plain function-to-pointer conversion. */
#pragma once

#include <gio/gio.h>

/* g_task_set_source_tag (task, FERRY_TASK_TAG (ferry_client_list_async)); the _finish
 * checks g_async_result_is_tagged (result, FERRY_TASK_TAG (ferry_client_list_async)). */
#define FERRY_TASK_TAG(function) (__extension__ (gpointer) (function))
