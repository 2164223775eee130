/* The configuration model: what osprey.conf (and its includes) describe.
 * Loading fills it from libconfig and validates it; nothing else in the
 * daemon looks at libconfig. */
#ifndef OSPREY_DAEMON_CONF_H
#define OSPREY_DAEMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "util.h"

#define OSPREY_CONF_DEFAULT SYSCONFDIR "/osprey/osprey.conf"
/* Linux with systemd: /run is the runtime directory whatever the prefix. */
#define OSPREY_CTL_DEFAULT "/run/osprey/ospreyd.ctl"

/* Where a setting came from, for error messages. file points into the
 * config's list of files, so it lives as long as the config. */
struct conf_where {
	const char *file;
	int line;
};

enum auth_method { AUTH_PSK, AUTH_PUBKEY };
/* Signature AUTH method (local.signature): auto is RFC 7427 when the peer
 * announced SIGNATURE_HASH_ALGORITHMS, else the key's classic method. */
enum sig_pref { SIG_AUTO, SIG_CLASSIC, SIG_RFC7427 };
enum child_mode { MODE_TUNNEL, MODE_TRANSPORT };
enum start_action { START_NONE, START_TRAP, START_START };
enum dpd_action { DPD_CLEAR, DPD_TRAP, DPD_RESTART };

struct conf_ts {
	char text[80];		/* as written, for display */
	bool dynamic;		/* "dynamic": the SA's own address */
	int family;		/* AF_INET / AF_INET6 */
	uint8_t addr[16];
	int plen;
	int proto;		/* 0 = any */
	uint16_t port_lo, port_hi;
};

struct conf_child {
	char *name;
	struct conf_where at;
	struct conf_ts *local_ts, *remote_ts;
	size_t n_local_ts, n_remote_ts;
	struct strv esp_proposals;
	enum child_mode mode;
	uint32_t rekey_time, life_time;	/* seconds */
	uint64_t rekey_bytes, life_bytes;
	enum start_action start_action;
	struct strv ah_proposals;	/* non-empty: the CHILD SA is AH, not ESP */
	/* XFRM marks (value/mask, mask 0: none) and interface ids (0: none). */
	uint32_t mark_in, mark_in_mask, mark_out, mark_out_mask;
	uint32_t if_id_in, if_id_out;
	enum dpd_action dpd_action;	/* what to do when DPD finds the peer dead */
};

struct conf_auth {
	enum auth_method method;
	char *id;		/* NULL: the address is the identity */
	struct strv certs;	/* absolute paths */
	struct strv cacerts;	/* remote: trust anchors restricted to these */
	enum sig_pref signature;	/* local: which signature AUTH method */
	bool rsa_pss;		/* local: RFC 7427 with RSA uses RSASSA-PSS */
};

struct conf_conn {
	char *name;
	struct conf_where at;
	int version;		/* 1 or 2 */
	struct strv local_addrs, remote_addrs;
	uint16_t local_port, remote_port;
	struct strv proposals;
	struct conf_auth local, remote;
	uint32_t rekey_time, life_time;	/* IKE SA, seconds */
	uint32_t dpd_delay, dpd_timeout;
	uint32_t retransmit_timeout;	/* seconds before the first retransmission */
	uint8_t retransmit_tries;	/* retransmissions before giving up */
	bool mobike, encap, fragmentation;
	/* Virtual IPs (RFC 7296 §3.15): "0.0.0.0" / "::" to ask the peer for
	 * an address of the family; pools: names of pools { } to lease peers
	 * addresses from. */
	struct strv vips, pools;
	struct conf_child *children;
	size_t n_children;
};

enum secret_kind { SECRET_IKE, SECRET_PRIVATE };

struct conf_secret {
	char *name;
	struct conf_where at;
	enum secret_kind kind;
	struct strv ids;	/* IKE: identities the PSK is shared with */
	uint8_t *secret;	/* IKE: the key (never logged, zeroed on free) */
	size_t secret_len;
	char *file;		/* private: key file */
};

struct conf_authority {
	char *name;
	struct conf_where at;
	char *cacert;
	struct strv crl_uris;
	struct strv crls;	/* CRL files (absolute paths) */
};

/* pools { NAME { addrs = "10.3.0.0/28"; } }: virtual IPs to lease. */
struct conf_pool {
	char *name;
	struct conf_where at;
	char *addrs;		/* a subnet, "first-last" or one address */
};

struct conf_daemon {
	char *user, *group;	/* to drop to when started as root */
	char *ctl_socket;
	char *ctl_group;	/* NULL: the daemon's own group */
	uint16_t ike_port, nat_port;
};

/* The kernel interface backend (daemon/kernel.h): "xfrm" (a later issue) or
 * "dryrun" (records SAs and policies, installs nothing; tests only). */
struct conf_kernel {
	char *backend;
	bool record_keys;	/* dryrun: keep the keys it is given (list-kernel shows them) */
	/* xfrm: routing table for the routes to remote subnets (kernel.route_table,
	 * CONF_ROUTE_TABLE_DEFAULT; 0 until conf_defaults).  Never 0, 253, 254, 255. */
	uint32_t route_table;
	/* Interface that gets the virtual IPs assigned to us (vip.c); NULL:
	 * the one holding the IKE SA's local address. */
	char *vip_interface;
};
#define CONF_ROUTE_TABLE_DEFAULT 220u

struct conf_logging {
	enum log_target target;
	char *file;
	enum log_level level[LOG_SUBSYS_COUNT];
};

struct osp_config {
	char *main_file;
	struct strv files;	/* every file read, for conf_where */
	struct conf_daemon daemon;
	struct conf_kernel kernel;
	struct conf_logging logging;
	struct conf_conn *conns;
	size_t n_conns;
	struct conf_secret *secrets;
	size_t n_secrets;
	struct conf_authority *authorities;
	size_t n_authorities;
	struct conf_pool *pools;
	size_t n_pools;
};

/* One problem found while loading: "file:line: setting: message". */
struct conf_error {
	char *file;		/* NULL when not tied to a file */
	int line;		/* 0 when unknown */
	char *setting;		/* dotted path, NULL for syntax errors */
	char *message;
};

struct conf_errors {
	struct conf_error *v;
	size_t n;
};

/* Loads and validates path. Returns the config, or NULL with every problem
 * found in errs (never a half-valid config). */
struct osp_config *conf_load(const char *path, struct conf_errors *errs);
void conf_free(struct osp_config *c);
void conf_errors_free(struct conf_errors *e);
/* Adds one problem (file and setting may be NULL, line 0). */
void conf_err_add(struct conf_errors *e, const char *file, int line, const char *setting,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "file:line: setting: message" */
char *conf_error_format(const struct conf_error *e);

const struct conf_conn *conf_find_conn(const struct osp_config *c, const char *name);
const struct conf_pool *conf_find_pool(const struct osp_config *c, const char *name);

/* Checks one IKE (esp == false) or ESP proposal string. 0 if valid, else -1
 * with a message in err. See proposal.c for why this is a local table. */
/* proto: an enum oc_proto value (lib/crypto/proposal.h). */
int config_check_proposal(const char *proposal, int proto, int version, char *err, size_t errlen);

/* Names used in files and in the control protocol. */
const char *auth_method_name(enum auth_method m);
const char *child_mode_name(enum child_mode m);
const char *start_action_name(enum start_action a);
const char *dpd_action_name(enum dpd_action a);

#endif
