// SPDX-License-Identifier: GPL-3.0-or-later
/* ferry-reply-codes.h — the FTP reply codes ferryd sends and the client engine acts on, by name.
 *
 * One list for both ends, as vsftpd's ftpcodes.h: a reader sees what a reply means, and a
 * grep for a name finds every place that sends or checks it. Plain integer constants, so
 * they work in switch labels and in G_STRINGIFY. RFC 959 §4.2 unless another RFC is named.
 * The first digit is the class (FERRY_REPLY_CLASS in ferry-reply-parser.h).
 */
#pragma once

/* 1xx: preliminary — another reply follows. */
#define FERRY_REPLY_READY_SOON              120  /* service ready in nnn minutes; 220 follows */
#define FERRY_REPLY_OPENING_DATA            150  /* about to open the data connection */

/* 2xx: completion. */
#define FERRY_REPLY_OK                      200  /* command okay (TYPE, PORT, OPTS, PBSZ…) */
#define FERRY_REPLY_SYSTEM_STATUS           211  /* FEAT, STAT without an argument */
#define FERRY_REPLY_FILE_STATUS             213  /* SIZE, MDTM, STAT of a path */
#define FERRY_REPLY_HELP                    214
#define FERRY_REPLY_SYSTEM_TYPE             215  /* SYST */
#define FERRY_REPLY_SERVICE_READY           220  /* the greeting */
#define FERRY_REPLY_GOODBYE                 221  /* QUIT */
#define FERRY_REPLY_NO_TRANSFER             225  /* data connection open, no transfer (ABOR) */
#define FERRY_REPLY_TRANSFER_COMPLETE       226  /* closing the data connection: done */
#define FERRY_REPLY_PASSIVE                 227  /* PASV: "(h1,h2,h3,h4,p1,p2)" */
#define FERRY_REPLY_EXTENDED_PASSIVE        229  /* EPSV: "(|||port|)", RFC 2428 */
#define FERRY_REPLY_LOGGED_IN               230
#define FERRY_REPLY_AUTH_OK                 234  /* AUTH TLS accepted, RFC 2228/4217 */
#define FERRY_REPLY_FILE_ACTION_OK          250  /* CWD, DELE, RMD, RNTO, MLST */
#define FERRY_REPLY_PATH_CREATED            257  /* PWD, MKD: "\"path\" …" */

/* 3xx: intermediate — the command needs another one. */
#define FERRY_REPLY_NEED_PASSWORD           331
#define FERRY_REPLY_NEED_ACCOUNT            332
#define FERRY_REPLY_PENDING_MORE            350  /* REST, RNFR: waiting for the next command */

/* 4xx: transient failure — the same command may work later. */
#define FERRY_REPLY_SERVICE_CLOSING         421  /* too many clients, idle, or closing */
#define FERRY_REPLY_CANNOT_OPEN_DATA        425
#define FERRY_REPLY_TRANSFER_ABORTED        426
#define FERRY_REPLY_SECURITY_UNAVAILABLE    431  /* RFC 2228: a resource TLS needs is missing */
#define FERRY_REPLY_FILE_BUSY               450  /* file unavailable for now */
#define FERRY_REPLY_LOCAL_ERROR             451  /* aborted: error in processing */
#define FERRY_REPLY_NO_SPACE                452  /* insufficient storage */

/* 5xx: permanent failure. */
#define FERRY_REPLY_SYNTAX_ERROR            500  /* command unrecognised or line too long */
#define FERRY_REPLY_BAD_ARGUMENT            501  /* syntax error in the argument */
#define FERRY_REPLY_NOT_IMPLEMENTED         502
#define FERRY_REPLY_BAD_SEQUENCE            503  /* bad sequence of commands */
#define FERRY_REPLY_BAD_PARAMETER           504  /* not implemented for that parameter */
#define FERRY_REPLY_DATA_PROT_REFUSED       521  /* RFC 4217: not with this PROT setting */
#define FERRY_REPLY_BAD_NETWORK_PROTOCOL    522  /* RFC 2428: use one of (n,m) */
#define FERRY_REPLY_NOT_LOGGED_IN           530
#define FERRY_REPLY_POLICY_REFUSED          534  /* RFC 2228: denied for policy reasons */
#define FERRY_REPLY_PROT_UNSUPPORTED        536  /* RFC 2228: PROT level not supported */
#define FERRY_REPLY_FILE_UNAVAILABLE        550  /* not found, no access, not a plain file */
#define FERRY_REPLY_EXCEEDED_STORAGE        552  /* exceeded storage allocation */
#define FERRY_REPLY_BAD_FILE_NAME           553  /* file name not allowed */
#define FERRY_REPLY_BAD_RESTART             554  /* RFC 3659: invalid REST offset */
