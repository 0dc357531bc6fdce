// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-window-private.h — FerryWindow's insides, shared by the files that implement it
 * (ferry-window.c: connecting and browsing; ferry-window-actions.c: file operations;
 * ferry-window-transfers.c: the queue, conflicts and completion; ferry-window-dnd.c: drag
 * and drop; ferry-window-edit.c: editing remote files in local apps) and by the tests in
 * tests/app. */
#pragma once

#include "ferry-client.h"
#include "ferry-transfer-queue.h"

#include "ferry-connect-page.h"
#include "ferry-edit-session.h"
#include "ferry-file-list.h"
#include "ferry-progress-dialog.h"
#include "ferry-progress-icon.h"
#include "ferry-window.h"

G_BEGIN_DECLS

struct _FerryWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkStack             *title_stack;
  AdwWindowTitle       *window_title;
  GtkScrolledWindow    *breadcrumbs_scroller;
  GtkBox               *breadcrumbs;
  GtkEntry             *location_entry;
  GtkWidget            *back_button;
  GtkWidget            *up_button;
  GtkWidget            *upload_button;
  GtkWidget            *new_folder_button;
  GtkWidget            *refresh_button;
  GtkWidget            *progress_button;
  GtkWidget            *menu_button;
  GtkWidget            *header_actions;   /* Upload, New Folder, Reload: wide windows */
  GtkActionBar         *bottom_bar;       /* the same, in narrow windows */
  GtkWidget            *lost_buttons;     /* Reconnect, Other Server: a column when narrow */
  FerryProgressIcon    *progress_icon;
  GtkStack             *main_stack;
  FerryConnectPage     *connect_page;
  FerryFileList        *file_list;
  AdwStatusPage        *lost_page;

  /* What the toasts said: how many, and the last one's title (the tests read these). */
  guint                 n_toasts;
  char                 *last_toast;

  GSettings            *settings;

  /* The server: what we connect to (the password only in memory, for reconnecting). */
  FerryUrl             *server;
  char                 *password;
  gboolean              password_from_keyring;
  FerryClient          *client;
  GCancellable         *cancellable;      /* connecting and browsing; cancelled on disconnect */
  GTlsCertificate      *trusted_once;     /* accepted for this session only */

  /* Browsing */
  char                 *current_path;
  char                 *crumbs_branch;    /* the deepest folder the crumbs show */
  GPtrArray            *back_history;     /* of char *, oldest first */
  gboolean              loading;

  /* What the header bar, the pages and the actions depend on: the properties of the same
   * names, recomputed by _ferry_window_sync_state(). */
  gboolean              connecting;
  gboolean              busy;
  gboolean              connected;
  gboolean              browsing;
  gboolean              can_go_up;
  gboolean              can_go_back;
  gboolean              has_server;
  gboolean              has_transfers;
  gboolean              reconnecting;     /* trying again by itself after a drop */
  gboolean              show_hidden;      /* dot-files listed (GSettings show-hidden) */
  gboolean              narrow;           /* the adaptive layout (ferry-window-adaptive.c) */

  guint                 reconnect_tries;
  guint                 reconnect_source;

  /* Transfers */
  FerryTransferQueue   *queue;
  FerryUrl             *queue_server;     /* the server the queue's transfers go to */
  FerryProgressDialog  *progress_dialog;
  GQueue                conflicts;        /* FerryTransfer waiting for the user's answer */
  GtkWidget            *conflict_dialog;
  FerryConflictPolicy   conflict_policy;  /* from "Apply to all"; ERROR means ask */

  /* The batch: what ended since the queue was last idle, told in one toast at its end. */
  guint                 batch_done;
  guint                 batch_failed;
  guint                 batch_cancelled;
  gboolean              batch_uploaded_here;  /* an upload went into the folder shown */
  FerryTransfer        *batch_last;

  GtkDropTarget        *drop_target;
  GtkDragSource        *drag_source;

  GPtrArray            *edits;            /* remote files open in local apps (-edit.c) */
};

/* ferry-window.c */
void        _ferry_window_load_folder        (FerryWindow *self,
                                              const char  *path,
                                              gboolean     remember);
void        _ferry_window_refresh            (FerryWindow *self);
void        _ferry_window_show_toast         (FerryWindow *self,
                                              const char  *title);
void        _ferry_window_add_toast          (FerryWindow *self,
                                              AdwToast    *toast,
                                              const char  *title);
void        _ferry_window_show_error_toast   (FerryWindow  *self,
                                              const char   *what,
                                              const GError *error);
void        _ferry_window_sync_state         (FerryWindow *self);
char       *_ferry_window_remote_child       (FerryWindow *self,
                                              const char  *name);

/* ferry-window-actions.c */
void        _ferry_window_class_add_file_actions (GtkWidgetClass *widget_class);
void        _ferry_window_sync_file_actions  (FerryWindow *self);

/* ferry-window-transfers.c */
void        _ferry_window_transfers_start    (FerryWindow *self);
void        _ferry_window_transfers_stop     (FerryWindow *self);
void        _ferry_window_transfers_detach   (FerryWindow *self);
gboolean    _ferry_window_transfers_running  (FerryWindow *self);

/* then (self, keep_running): keep_running is the user's answer, or FALSE when nothing
 * runs; not called when the user cancelled. */
typedef void (*FerryWindowRunningFunc)       (FerryWindow *self,
                                              gboolean     keep_running);
void        _ferry_window_ask_running        (FerryWindow           *self,
                                              FerryWindowRunningFunc then);
void        _ferry_window_upload_files       (FerryWindow *self,
                                              GSList      *files);
FerryTransfer *_ferry_window_download        (FerryWindow *self,
                                              const char  *remote_path,
                                              gboolean     is_folder,
                                              GFile       *folder);
void        _ferry_window_show_progress      (FerryWindow *self);
void        _ferry_window_show_failed        (FerryWindow *self);

/* ferry-window-adaptive.c */
void        _ferry_window_class_add_adaptive (GtkWidgetClass *widget_class);
void        _ferry_window_adaptive_init      (FerryWindow    *self);
void        _ferry_window_set_narrow         (FerryWindow    *self,
                                              gboolean        narrow);

/* ferry-window-edit.c */
typedef void (*FerryWindowFunc)              (FerryWindow *self);
void        _ferry_window_class_add_edit_actions (GtkWidgetClass *widget_class);
void        _ferry_window_sync_edit_actions  (FerryWindow *self,
                                              gboolean     one_file);
gboolean    _ferry_window_edit_owns          (FerryWindow   *self,
                                              FerryTransfer *transfer);
void        _ferry_window_edit_ask_leave     (FerryWindow    *self,
                                              gboolean        closing,
                                              FerryWindowFunc then);
gboolean    _ferry_window_edit_ask_close     (FerryWindow *self);
void        _ferry_window_edit_end_all       (FerryWindow *self);
void        _ferry_window_edit_dispose       (FerryWindow *self);
/* The edit of remote_path in this window, or NULL. */
FerryEditSession *_ferry_window_edit_lookup  (FerryWindow *self,
                                              const char  *remote_path);

/* ferry-window-dnd.c */
void        _ferry_window_dnd_init           (FerryWindow *self);
GdkContentProvider *_ferry_window_drag_files (FerryWindow *self,
                                              GPtrArray   *files);

G_END_DECLS
