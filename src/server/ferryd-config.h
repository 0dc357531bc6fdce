/* ferryd-config.h — what the server was told: command line over config file over defaults. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FERRYD_DEFAULT_PORT         2121
#define FERRYD_DEFAULT_MAX_CLIENTS  200
#define FERRYD_DEFAULT_MAX_PER_IP   50
#define FERRYD_DEFAULT_IDLE_TIMEOUT 300   /* seconds */
#define FERRYD_DEFAULT_DATA_TIMEOUT 60    /* seconds without progress on a data connection */
#define FERRYD_LOGIN_FAILURE_DELAY  1     /* seconds before answering a failed PASS */
#define FERRYD_MAX_LOGIN_FAILURES   3

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
  char     *config_file;
  char     *run_as;             /* user to drop to when started as root */
  guint     max_clients;
  guint     max_per_ip;
  guint     idle_timeout;
  guint     data_timeout;
  guint16   passive_port_min;   /* 0: any ephemeral port */
  guint16   passive_port_max;
  char     *passive_address;    /* IPv4 address announced in PASV replies (NAT); NULL: the
                                   control connection's local address */
  gboolean  verbose;
} FerrydConfig;

FerrydConfig *ferryd_config_new_defaults (void);
void          ferryd_config_free         (FerrydConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerrydConfig, ferryd_config_free)

G_END_DECLS
