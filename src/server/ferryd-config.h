// SPDX-License-Identifier: GPL-3.0-or-later
/* ferryd-config.h — what the server was told: command line over config file over defaults. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRYD_DEFAULT_PORT         2121
#define FERRYD_DEFAULT_MAX_CLIENTS  200
#define FERRYD_DEFAULT_MAX_PER_IP   50
#define FERRYD_DEFAULT_IDLE_TIMEOUT 300   /* seconds */
#define FERRYD_DEFAULT_DATA_TIMEOUT 60    /* seconds without progress on a data connection */
/* 8 GiB: about two minutes of GLib SHA-256 */
#define FERRYD_DEFAULT_HASH_MAX_SIZE (G_GUINT64_CONSTANT (8) << 30)
#define FERRYD_DEFAULT_BULK_AFTER   2     /* MiB into a transfer before it gives way */
#define FERRYD_DEFAULT_TLS_MIN_VERSION 12  /* TLS 1.2: 1.0 and 1.1 are deprecated (RFC 8996) */
#define FERRYD_LOGIN_FAILURE_DELAY  1     /* seconds before answering a failed PASS */
#define FERRYD_MAX_LOGIN_FAILURES   3     /* in one session, which then ends */
#define FERRYD_DEFAULT_BAN_FAILURES 10
#define FERRYD_DEFAULT_BAN_WINDOW   600   /* seconds */
#define FERRYD_DEFAULT_BAN_TIME     600   /* seconds */

typedef struct {
  char     *root;               /* absolute, canonical path of the served folder */
  char     *bind_address;       /* NULL: all addresses */
  guint16   port;               /* 0: an ephemeral port (tests) */
  gboolean  write_enabled;      /* --write: STOR APPE DELE MKD RMD RNFR/RNTO */
  gboolean  anonymous_enabled;  /* anonymous logins ("anonymous", "ftp") */
  gboolean  show_hidden;        /* list and serve dot-files */
  gboolean  require_tls;        /* refuse USER before AUTH TLS */
  char     *users_file;         /* NULL: anonymous only */
  char     *tls_cert_file;
  char     *tls_key_file;
  guint     tls_min_version;    /* 10, 11, 12, 13: the lowest TLS 1.x a client may use */
  gboolean  tls_allow_no_reuse; /* accept protected data connections that do not resume
                                   the control connection's TLS session */
  char     *config_file;
  char     *run_as;             /* user to drop to when started as root */
  guint     max_clients;
  guint     max_per_ip;
  guint     max_login_failures; /* failed logins from one address that ban it; 0: no ban */
  guint     ban_window;         /* seconds the failures are counted over */
  guint     ban_time;           /* seconds a ban lasts */
  guint     idle_timeout;
  guint     data_timeout;
  guint     bulk_after;         /* MiB into a transfer before it gives way (ferryd-bulk.h);
                                   0: never */
  guint64   hash_max_size;      /* HASH and XMD5…: largest range hashed, bytes; 0: no limit */
  guint16   passive_port_min;   /* 0: any ephemeral port */
  guint16   passive_port_max;
  char     *passive_address;    /* IPv4 address announced in PASV replies (NAT); NULL: the
                                   control connection's local address */
  gboolean  proxy_protocol;     /* --proxy-protocol: balancers send a PROXY header */
  char     *proxy_from;         /* the balancers: "ADDR[/PREFIX]" list (ferryd-proxy.h) */
  gboolean  verbose;
  gboolean  announce;           /* DNS-SD announcement through Avahi (default: on) */
  char     *name;               /* the announced service name; NULL: "FOLDER on HOST" */
  int       status_fd;          /* --status-fd: JSON lines about clients (ferryd-status.h); -1 */
  char     *xferlog_file;       /* --xferlog: the transfer log (ferryd-xferlog.h); NULL: none */
} FerrydConfig;

/* The group that holds ferryd's keys in a config file; the keys are the long option names
 * (port=2121, write=true, passive-ports=50000-50100, …). */
#define FERRYD_CONFIG_GROUP "ferryd"

#define FERRYD_CONFIG_ERROR (ferryd_config_error_quark ())

typedef enum {
  FERRYD_CONFIG_ERROR_INVALID,   /* a value that cannot be used, or an unknown key */
  FERRYD_CONFIG_ERROR_ROOT,      /* the served folder is missing or not a folder */
  FERRYD_CONFIG_ERROR_FILE,      /* a file named in the configuration cannot be read */
} FerrydConfigError;

GQuark        ferryd_config_error_quark  (void);

FerrydConfig *ferryd_config_new_defaults (void);
FerrydConfig *ferryd_config_copy         (const FerrydConfig *config);
void          ferryd_config_free         (FerrydConfig *config);

/* Sets every key of FERRYD_CONFIG_GROUP found in key_file, checking each value; origin names
 * the source in error messages ("/etc/ferryd.conf", "the command line"). */
gboolean      ferryd_config_apply_key_file (FerrydConfig *config,
                                            GKeyFile     *key_file,
                                            const char   *origin,
                                            GError      **error);

/* Fills in what depends on the machine: the current folder as the default root, the root
 * made absolute and canonical, and checks that it is a folder and that the files named exist. */
gboolean      ferryd_config_resolve      (FerrydConfig *config,
                                          GError      **error);

/* The whole configuration as a key file that ferryd_config_apply_key_file reads back. */
GKeyFile     *ferryd_config_to_key_file  (const FerrydConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydConfig, ferryd_config_free)

G_END_DECLS
