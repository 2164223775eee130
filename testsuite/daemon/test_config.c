/* Configuration loading: every mistake osprey.conf can hold must come back
 * as "file:line: setting: what is wrong". Each case below is one distinct
 * mistake, written to a temporary directory and loaded through conf_load(). */
#define _GNU_SOURCE
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "crypto/pki.h"

static char tmpdir[] = "/tmp/osprey-test-config-XXXXXX";

/* A connection that is valid on its own; cases add one mistake to it. */
#define PSK_SECRET "secrets = { ike-peer = { id = \"peer\"; secret = \"0123456789abcdef01\"; }; };\n"
#define CONN_OPEN "connections = {\n  c = {\n    remote_addrs = \"192.0.2.1\";\n" \
	"    local = { auth = \"psk\"; };\n    remote = { auth = \"psk\"; id = \"peer\"; };\n"
#define CONN_CLOSE "  };\n};\n" PSK_SECRET

struct mistake {
	const char *name;
	const char *main;	/* osprey.conf */
	const char *extra_name;	/* an optional second file */
	const char *extra;
	const char *expect;	/* substring of one formatted error */
};

static const struct mistake mistakes[] = {
	{ "syntax error", "daemon = {\n  user = ;\n};\n", NULL, NULL,
	  "osprey.conf:2: syntax error (expected name = value" },
	{ "unknown key with suggestion", CONN_OPEN "    remote_adrs = \"192.0.2.2\";\n" CONN_CLOSE,
	  NULL, NULL, "osprey.conf:6: connections.c.remote_adrs: unknown setting (did you mean "
	  "'remote_addrs'?)" },
	{ "unknown section with suggestion", "connection = { };\n", NULL, NULL,
	  "osprey.conf:1: connection: unknown setting (did you mean 'connections'?)" },
	{ "unknown key without suggestion", "daemon = { colour = \"blue\"; };\n", NULL, NULL,
	  "osprey.conf:1: daemon.colour: unknown setting" },
	{ "string where an integer belongs", CONN_OPEN "    version = \"2\";\n" CONN_CLOSE, NULL,
	  NULL, "osprey.conf:6: connections.c.version: expected an integer, got a string" },
	{ "IKE version 3", CONN_OPEN "    version = 3;\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.version: IKE version must be 1 or 2, not 3" },
	{ "bad IPv4 address", "connections = { c = { remote_addrs = \"192.0.2.300\"; }; };\n",
	  NULL, NULL, "osprey.conf:1: connections.c.remote_addrs: '192.0.2.300' is not a valid "
	  "IP address" },
	{ "bad DNS name", "connections = { c = { remote_addrs = [\"ok.example\", \"bad_host!\"]; "
	  "}; };\n", NULL, NULL, "osprey.conf:1: connections.c.remote_addrs[1]: 'bad_host!' is "
	  "neither an IP address nor a valid DNS name" },
	{ "unknown proposal keyword", CONN_OPEN "    proposals = \"aes265gcm16-prfsha384-x25519\";\n"
	  CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.proposals: "
	  "\"aes265gcm16-prfsha384-x25519\": unknown algorithm 'aes265gcm16' (did you mean "
	  "'aes256gcm16'?); valid keywords: aes128 " },
	{ "unknown ESP keyword with suggestion", CONN_OPEN "    children = { n = { esp_proposals = "
	  "[\"aes256gcm16\", \"aes128gcm16-x25519-esm\"]; }; };\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.children.n.esp_proposals[1]: \"aes128gcm16-x25519-esm\": "
	  "unknown algorithm 'esm' (did you mean 'esn'?); valid keywords: " },
	{ "algorithm the crypto layer does not implement", CONN_OPEN "    proposals = "
	  "\"aes256-sha256-modp768\";\n" CONN_CLOSE, NULL, NULL, "osprey.conf:6: "
	  "connections.c.proposals: \"aes256-sha256-modp768\": algorithm 'modp768' is not "
	  "available: MODP-768" },
	{ "IKEv1 with an AEAD IKE proposal", CONN_OPEN "    version = 1;\n    proposals = "
	  "\"aes256gcm16-prfsha256-modp2048\";\n" CONN_CLOSE, NULL, NULL, "osprey.conf:7: "
	  "connections.c.proposals: \"aes256gcm16-prfsha256-modp2048\": 'aes256gcm16' is not "
	  "available with IKEv1" },
	{ "AEAD with integrity", CONN_OPEN "    proposals = \"aes256gcm16-sha256-prfsha256-ecp256\";"
	  "\n" CONN_CLOSE, NULL, NULL, "connections.c.proposals: \"aes256gcm16-sha256-prfsha256-"
	  "ecp256\": an AEAD algorithm takes no integrity algorithm" },
	{ "IKE proposal without DH group", CONN_OPEN "    proposals = \"aes256-sha256\";\n"
	  CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.proposals: \"aes256-sha256\": "
	  "has no key exchange method" },
	{ "bad mark", CONN_OPEN "    children = { n = { mark_in = \"0x2a/0x0f\"; }; };\n"
	  CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.children.n.mark_in: mark "
	  "'0x2a/0x0f' is not VALUE or VALUE/MASK" },
	{ "if_id zero", CONN_OPEN "    children = { n = { if_id_out = 0; }; };\n" CONN_CLOSE, NULL,
	  NULL, "osprey.conf:6: connections.c.children.n.if_id_out: 0 is out of range (1 to "
	  "4294967295)" },
	{ "ESP and AH in one child", CONN_OPEN "    children = { n = { esp_proposals = "
	  "\"aes128gcm16\"; ah_proposals = \"sha256\"; }; };\n" CONN_CLOSE, NULL, NULL,
	  "connections.c.children.n.ah_proposals: a CHILD SA is either ESP (esp_proposals) or AH "
	  "(ah_proposals), not both" },
	{ "cipher in an AH proposal", CONN_OPEN "    children = { n = { ah_proposals = "
	  "\"aes128-sha256\"; }; };\n" CONN_CLOSE, NULL, NULL,
	  "connections.c.children.n.ah_proposals: \"aes128-sha256\": " },
	{ "retransmit_timeout 0", CONN_OPEN "    retransmit_timeout = 0;\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.retransmit_timeout: must be 1 to 600 seconds, not 0" },
	{ "unknown dpd_action", CONN_OPEN "    children = { n = { dpd_action = \"restrat\"; }; };\n"
	  CONN_CLOSE, NULL, NULL, "connections.c.children.n.dpd_action: " },
	{ "PRF in an ESP proposal", CONN_OPEN "    children = { n = { esp_proposals = "
	  "\"aes256gcm16-prfsha256\"; }; };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:6: "
	  "connections.c.children.n.esp_proposals: \"aes256gcm16-prfsha256\": 'prfsha256' is a "
	  "PRF, which ESP proposals do not have" },
	{ "IKEv1 with a v2-only group", CONN_OPEN "    version = 1;\n    proposals = "
	  "\"aes256-sha256-x25519\";\n" CONN_CLOSE, NULL, NULL, "osprey.conf:7: "
	  "connections.c.proposals: \"aes256-sha256-x25519\": 'x25519' is not available with IKEv1" },
	{ "transport mode with subnets", CONN_OPEN "    children = {\n      n = {\n        mode = "
	  "\"transport\";\n        local_ts = \"10.1.0.0/16\";\n      };\n    };\n" CONN_CLOSE,
	  NULL, NULL, "osprey.conf:7: connections.c.children.n.mode: mode = \"transport\" protects "
	  "traffic between the two hosts only" },
	{ "PSK without a secret", "connections = {\n  c = {\n    remote_addrs = \"192.0.2.1\";\n"
	  "    local = { auth = \"psk\"; };\n  };\n};\n", NULL, NULL, "osprey.conf:2: "
	  "connections.c.local.auth: auth = \"psk\" but no secret in secrets { ike-... } matches" },
	{ "pubkey without a certificate", "connections = {\n  c = {\n    local = { auth = "
	  "\"pubkey\"; };\n  };\n};\n", NULL, NULL, "osprey.conf:2: connections.c.local.certs: "
	  "local.auth = \"pubkey\" needs local.certs" },
	{ "certificate file missing", "connections = {\n  c = {\n    local = { certs = "
	  "\"x509/missing.pem\"; };\n  };\n};\n", NULL, NULL, "osprey.conf:2: "
	  "connections.c.local.certs: cannot read certificate file " },
	{ "unknown auth method", CONN_OPEN "    children = { };\n  };\n  d = {\n    local = { auth = "
	  "\"pubky\"; };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:9: connections.d.local.auth: "
	  "unknown value \"pubky\" (did you mean \"pubkey\"?); expected \"psk\" or \"pubkey\"" },
	{ "prefix length too long", CONN_OPEN "    children = { n = { remote_ts = \"10.0.0.0/33\"; "
	  "}; };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.children.n.remote_ts: "
	  "traffic selector '10.0.0.0/33': prefix length '/33' must be 0 to 32" },
	{ "selector with host bits", CONN_OPEN "    children = { n = { local_ts = [\"10.0.0.0/8\", "
	  "\"10.1.2.3/16\"]; }; };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:6: "
	  "connections.c.children.n.local_ts[1]: traffic selector '10.1.2.3/16': has host bits "
	  "set (did you mean 10.1.0.0/16?)" },
	{ "selector with unknown protocol", CONN_OPEN "    children = { n = { local_ts = "
	  "\"10.0.0.0/8[tpc/80]\"; }; };\n" CONN_CLOSE, NULL, NULL, "connections.c.children.n."
	  "local_ts: traffic selector '10.0.0.0/8[tpc/80]': unknown protocol 'tpc'" },
	{ "IPv4 to IPv6 selectors", CONN_OPEN "    children = {\n      n = { local_ts = "
	  "\"10.0.0.0/8\"; remote_ts = \"2001:db8::/32\"; };\n    };\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:7: connections.c.children.n.remote_ts: local_ts are all IPv4 but remote_ts "
	  "are all IPv6" },
	{ "rekey after expiry", CONN_OPEN "    children = {\n      n = { rekey_time = \"2h\"; "
	  "life_time = \"1h\"; };\n    };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:7: "
	  "connections.c.children.n.rekey_time: rekey_time (7200s) must be shorter than life_time "
	  "(3600s)" },
	{ "not a duration", CONN_OPEN "    rekey_time = \"10 parsecs\";\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.rekey_time: '10 parsecs' is not a duration" },
	{ "duration too long", CONN_OPEN "    life_time = \"50000d\";\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.life_time: '50000d' is too long: a duration may be at most "
	  "4294967295 seconds" },
	{ "byte count too large", CONN_OPEN "    children = { n = { life_bytes = \"99999999999g\"; "
	  "}; };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.children.n.life_bytes: "
	  "'99999999999g' is too large: a byte count may be at most 9223372036854775807" },
	{ "byte count with a fraction", CONN_OPEN "    children = { n = { rekey_bytes = \"1.5g\"; "
	  "}; };\n" CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.children.n.rekey_bytes: "
	  "'1.5g' is not a byte count: use an integer, or a number followed by k, m or g" },
	{ "directory included without a glob", "@include \"conf.d\"\n", "conf.d/a.conf", "\n",
	  "conf.d: is a directory; to include the files in it, write @include \"DIR/*.conf\"" },
	{ "unknown start action", CONN_OPEN "    children = { n = { start_action = \"strat\"; }; };\n"
	  CONN_CLOSE, NULL, NULL, "osprey.conf:6: connections.c.children.n.start_action: unknown "
	  "value \"strat\" (did you mean \"start\"?)" },
	{ "start without a peer address", "connections = {\n  c = {\n    local = { auth = \"psk\"; "
	  "};\n    children = {\n      n = { start_action = \"start\"; };\n    };\n  };\n};\n"
	  PSK_SECRET, NULL, NULL, "osprey.conf:5: connections.c.children.n.start_action: "
	  "start_action = \"start\" needs a peer to initiate to, but remote_addrs is %any" },
	{ "connection defined twice", CONN_OPEN CONN_CLOSE "@include \"conf.d/*.conf\"\n",
	  "conf.d/dup.conf", "\nconnections = { c = { }; };\n", "conf.d/dup.conf:2: connections.c: "
	  "connection 'c' is already defined at " },
	{ "missing include file", "@include \"extra.conf\"\n", NULL, NULL,
	  "osprey.conf:1: cannot open included file " },
	{ "include loop", "@include \"conf.d/loop.conf\"\n", "conf.d/loop.conf",
	  "@include \"../osprey.conf\"\n", "conf.d/loop.conf:1: " },
	{ "malformed include", "@include conf.d/x.conf\n", NULL, NULL,
	  "osprey.conf:1: malformed @include" },
	{ "secret without kind prefix", "secrets = { home = { secret = \"x\"; }; };\n", NULL, NULL,
	  "osprey.conf:1: secrets.home: the name of a secret starts with its kind" },
	{ "PSK entry without secret", "secrets = {\n  ike-a = { id = \"x\"; };\n};\n", NULL, NULL,
	  "osprey.conf:2: secrets.ike-a.secret: missing: a pre-shared key needs secret" },
	{ "bad hex secret", "secrets = {\n  ike-a = { secret = \"0x12345\"; };\n};\n", NULL, NULL,
	  "osprey.conf:2: secrets.ike-a.secret: a secret starting with 0x must be an even number "
	  "of hex digits" },
	{ "unknown log level", "logging = {\n  ike = \"debgu\";\n};\n", NULL, NULL,
	  "osprey.conf:2: logging.ike: unknown value \"debgu\" (did you mean \"debug\"?)" },
	{ "control group that does not exist", "daemon = { control_group = \"no-such-grp-x\"; };\n",
	  NULL, NULL, "osprey.conf:1: daemon.control_group: no group named 'no-such-grp-x' exists" },
	{ "relative control socket", "daemon = { control_socket = \"run/ctl\"; };\n", NULL, NULL,
	  "osprey.conf:1: daemon.control_socket: must be an absolute path" },
	{ "daemon setting in two files", "daemon = { user = \"a\"; };\n@include \"conf.d/*.conf\"\n",
	  "conf.d/u.conf", "daemon = { user = \"b\"; };\n", "conf.d/u.conf:1: daemon.user: already "
	  "set at " },
	{ "scalar where a group belongs", "connections = { c = { local = \"psk\"; }; };\n", NULL,
	  NULL, "osprey.conf:1: connections.c.local: must be a group { ... }, not a string" },
	{ "boolean in quotes", CONN_OPEN "    mobike = \"yes\";\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.mobike: expected true or false (without quotes)" },
	{ "port out of range", CONN_OPEN "    remote_port = 70000;\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.remote_port: 70000 is out of range (1 to 65535)" },
	{ "empty proposal list", CONN_OPEN "    proposals = [];\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:6: connections.c.proposals: is an empty list" },
	{ "authority without cacert", "authorities = {\n  corp = { crl_uris = \"http://x/c.crl\"; "
	  "};\n};\n", NULL, NULL, "osprey.conf:2: authorities.corp.cacert: missing: an authority "
	  "needs cacert" },
	{ "certificate file that is no certificate", "connections = {\n  c = {\n    local = { "
	  "auth = \"pubkey\"; certs = \"conf.d/bad.crt\"; };\n  };\n};\n", "conf.d/bad.crt",
	  "not a certificate\n", "osprey.conf:2: connections.c.local.certs: certificate file "
	  "conf.d/bad.crt holds no certificate (expected PEM or DER X.509)" },
	{ "CA certificate file that is no certificate", "connections = {\n  c = {\n    remote = { "
	  "cacerts = \"conf.d/bad.crt\"; };\n  };\n};\n", "conf.d/bad.crt", "-----BEGIN "
	  "CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "osprey.conf:2: "
	  "connections.c.remote.cacerts: CA certificate file conf.d/bad.crt holds no certificate" },
	{ "private key file missing", "secrets = {\n  private-k = { file = \"conf.d/none.key\"; "
	  "};\n};\n", NULL, NULL, "osprey.conf:2: secrets.private-k.file: cannot read private key "
	  "file " },
	{ "private key file that is no key", "secrets = {\n  ecdsa-k = { file = \"conf.d/bad.key\"; "
	  "};\n};\n", "conf.d/bad.key", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC "
	  "PRIVATE KEY-----\n", "osprey.conf:2: secrets.ecdsa-k.file: private key file "
	  "conf.d/bad.key: not a PEM or DER private key" },
	{ "CRL file missing", "authorities = {\n  a = { cacert = \"/dev/null\"; crls = "
	  "\"conf.d/none.crl\"; };\n};\n", NULL, NULL, "osprey.conf:2: authorities.a.crls: cannot "
	  "read CRL file conf.d/none.crl" },
	{ "CRL file that is no CRL", "authorities = {\n  a = { cacert = \"/dev/null\"; crls = "
	  "\"conf.d/bad.crl\"; };\n};\n", "conf.d/bad.crl", "garbage\n", "osprey.conf:2: "
	  "authorities.a.crls: CRL file conf.d/bad.crl holds no CRL" },
	{ "unknown signature method", "connections = {\n  c = {\n    local = { signature = "
	  "\"rfc7247\"; };\n  };\n};\n", NULL, NULL, "osprey.conf:3: connections.c.local.signature: "
	  "unknown value \"rfc7247\" (did you mean \"rfc7427\"?)" },
	{ "reserved route table", "kernel = {\n  backend = \"xfrm\";\n  route_table = 254;\n};\n",
	  NULL, NULL, "osprey.conf:3: kernel.route_table: table 254 is reserved (253 default, "
	  "254 main, 255 local)" },
	{ "route table 0", "kernel = {\n  route_table = 0;\n};\n", NULL,
	  NULL, "osprey.conf:2: kernel.route_table: 0 is out of range (1 to 2147483647)" },
	{ "log file target without file", "logging = {\n  target = \"file\";\n};\n", NULL, NULL,
	  "osprey.conf:1: logging.file: target = \"file\" needs file" },
	/* Virtual IPs (RFC 7296 §3.15) */
	{ "unknown pool", CONN_OPEN "    pools = [\"rw-pool\"];\n" CONN_CLOSE, NULL, NULL,
	  "osprey.conf:2: connections.c.pools: no pool 'rw-pool' in pools { }" },
	{ "pool without addrs", "pools = {\n  p = { };\n};\n", NULL, NULL,
	  "osprey.conf:2: pools.p.addrs: missing: a pool needs addrs" },
	{ "pool range that is none", "pools = {\n  p = {\n    addrs = \"10.3.0.0/33\";\n  };\n};\n",
	  NULL, NULL, "osprey.conf:3: pools.p.addrs: '10.3.0.0/33' is no address range" },
	{ "pool range backwards", "pools = {\n  p = { addrs = \"10.3.0.9-10.3.0.1\"; };\n};\n",
	  NULL, NULL, "osprey.conf:2: pools.p.addrs: address range '10.3.0.9-10.3.0.1' ends "
	  "before it starts" },
	{ "pool defined twice", "pools = { p = { addrs = \"10.3.0.0/28\"; }; };\n"
	  "@include \"conf.d/*.conf\"\n", "conf.d/p.conf", "\npools = { p = { addrs = "
	  "\"10.4.0.0/28\"; }; };\n", "conf.d/p.conf:2: pools.p: pool 'p' is already defined at " },
	{ "two IPv4 pools on a conn", "pools = {\n  a = { addrs = \"10.3.0.0/28\"; };\n  b = { addrs "
	  "= \"10.4.0.1-10.4.0.9\"; };\n};\n" CONN_OPEN "    pools = [\"a\", \"b\"];\n" CONN_CLOSE,
	  NULL, NULL, "osprey.conf:6: connections.c.pools: pools 'a' and 'b' are of one address "
	  "family" },
	{ "specific virtual IP", CONN_OPEN "    vips = [\"::\", \"10.3.0.7\"];\n" CONN_CLOSE, NULL,
	  NULL, "osprey.conf:6: connections.c.vips[1]: '10.3.0.7': a virtual IP request is "
	  "\"0.0.0.0\" (any IPv4 address) or \"::\"" },
	{ "vip_interface too long", "kernel = {\n  vip_interface = \"a-very-long-interface\";\n};\n",
	  NULL, NULL, "osprey.conf:2: kernel.vip_interface: 'a-very-long-interface' is longer than "
	  "an interface name can be (15)" },
	{ "virtual IP asked twice", CONN_OPEN "    vips = [\"0.0.0.0\", \"0.0.0.0\"];\n" CONN_CLOSE,
	  NULL, NULL, "osprey.conf:6: connections.c.vips: at most one virtual IP per address "
	  "family" },
};

#define N_MISTAKES (sizeof(mistakes) / sizeof(mistakes[0]))

static void write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if (strchr(rel, '/')) {
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/conf.d", tmpdir);
		mkdir(dir, 0700);
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void clean(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/osprey.conf %s/conf.d", tmpdir, tmpdir);
	assert_int_equal(system(cmd), 0);
}

/* Loads osprey.conf from tmpdir; returns the config and fills errs, with the
 * formatted errors' tmpdir prefix removed so cases can name files simply. */
static struct osp_config *load(struct conf_errors *errs, char ***msgs)
{
	char path[512];
	struct osp_config *c;

	snprintf(path, sizeof(path), "%s/osprey.conf", tmpdir);
	c = conf_load(path, errs);
	*msgs = calloc(errs->n + 1, sizeof(char *));
	for (size_t i = 0; i < errs->n; i++) {
		char *m = conf_error_format(&errs->v[i]), *p;
		size_t tl = strlen(tmpdir);

		while ((p = strstr(m, tmpdir)) && p[tl] == '/')
			memmove(p, p + tl + 1, strlen(p + tl + 1) + 1);
		(*msgs)[i] = m;
	}
	return c;
}

static void free_msgs(char **msgs)
{
	for (size_t i = 0; msgs[i]; i++)
		free(msgs[i]);
	free(msgs);
}

static void test_mistake(void **state)
{
	const struct mistake *m = *state;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	char **msgs;
	int found = 0;

	clean();
	write_file("osprey.conf", m->main);
	if (m->extra_name)
		write_file(m->extra_name, m->extra);
	c = load(&errs, &msgs);
	for (size_t i = 0; msgs[i]; i++)
		if (strstr(msgs[i], m->expect))
			found = 1;
	if (!found || c) {
		print_message("case '%s': expected an error containing\n  %s\ngot %zu:\n", m->name,
			      m->expect, errs.n);
		for (size_t i = 0; msgs[i]; i++)
			print_message("  %s\n", msgs[i]);
	}
	assert_null(c);
	assert_true(found);
	free_msgs(msgs);
	conf_errors_free(&errs);
}

static void test_valid_defaults(void **state)
{
	(void)state;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	const struct conf_conn *cn;
	char **msgs;

	clean();
	write_file("osprey.conf", CONN_OPEN "    children = { n = { local_ts = \"10.1.0.0/16\"; "
		   "remote_ts = \"10.2.0.0/16[tcp/443]\"; }; };\n" CONN_CLOSE
		   "@include \"conf.d/*.conf\"\n");
	write_file("conf.d/b.conf", "connections = { b = { remote_addrs = \"vpn.example.org\"; "
		   "local = { auth = \"psk\"; }; remote = { id = \"peer\"; }; }; };\n");
	write_file("conf.d/a.conf", "logging = { default = \"notice\"; ike = \"debug\"; };\n");
	c = load(&errs, &msgs);
	for (size_t i = 0; msgs[i]; i++)
		print_message("unexpected: %s\n", msgs[i]);
	assert_non_null(c);
	assert_int_equal(c->n_conns, 2);
	cn = conf_find_conn(c, "c");
	assert_non_null(cn);
	assert_int_equal(cn->version, 2);
	assert_string_equal(cn->proposals.v[0], "aes256gcm16-prfsha384-x25519");
	assert_int_equal(cn->dpd_delay, 30);
	assert_int_equal(cn->rekey_time, 14400);
	assert_true(cn->life_time > cn->rekey_time);
	assert_int_equal(cn->n_children, 1);
	assert_string_equal(cn->children[0].esp_proposals.v[0], "aes256gcm16-x25519");
	assert_int_equal(cn->children[0].mode, MODE_TUNNEL);
	assert_int_equal(cn->children[0].remote_ts[0].proto, 6);
	assert_int_equal(cn->children[0].remote_ts[0].port_lo, 443);
	assert_int_equal(c->logging.level[LOG_IKE], LVL_DEBUG);
	assert_int_equal(c->logging.level[LOG_NET], LVL_NOTICE);
	assert_int_equal(c->n_secrets, 1);
	assert_int_equal(c->secrets[0].secret_len, 18);
	assert_string_equal(c->daemon.ctl_socket, OSPREY_CTL_DEFAULT);
	assert_int_equal(c->kernel.route_table, 220);
	free_msgs(msgs);
	conf_free(c);
	conf_errors_free(&errs);
}

static void test_empty_confd(void **state)
{
	(void)state;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	char **msgs;

	clean();
	write_file("osprey.conf", "@include \"conf.d/*.conf\"\n");
	c = load(&errs, &msgs);
	assert_non_null(c);
	assert_int_equal(c->n_conns, 0);
	free_msgs(msgs);
	conf_free(c);
	conf_errors_free(&errs);
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	char **msgs;

	/* Three mistakes in one file: all three come back, not just the first. */
	clean();
	write_file("osprey.conf", "connections = {\n  a = { version = 4; };\n  b = { mobik = true; "
		   "};\n};\nlogging = { crypto = \"loud\"; };\n");
	c = load(&errs, &msgs);
	assert_null(c);
	assert_int_equal(errs.n, 3);
	free_msgs(msgs);
	conf_errors_free(&errs);
}

static void write_raw(const char *rel, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Loads osprey.conf and expects exactly one error containing expect. */
static void expect_one_error(const char *expect)
{
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	char **msgs;

	c = load(&errs, &msgs);
	if (errs.n != 1 || !strstr(msgs[0], expect)) {
		print_message("expected one error containing\n  %s\ngot %zu:\n", expect, errs.n);
		for (size_t i = 0; msgs[i]; i++)
			print_message("  %s\n", msgs[i]);
	}
	assert_null(c);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(msgs[0], expect));
	free_msgs(msgs);
	conf_errors_free(&errs);
}

/* Files that are not what they seem: UTF-16, a FIFO (which must not block
 * a reload), nested includes, a symbolic link back to the main file. */
static void test_odd_files(void **state)
{
	(void)state;
	static const char utf16[] = "\xff\xfe" "d\0a\0e\0m\0o\0n\0 \0=\0 \0{\0}\0;\0\n\0";
	char path[512], target[512];

	clean();
	write_raw("osprey.conf", utf16, sizeof(utf16) - 1);
	expect_one_error("osprey.conf: is UTF-16 encoded; save it as UTF-8");

	clean();
	write_file("osprey.conf", "@include \"conf.d/*.conf\"\n");
	write_file("conf.d/a.conf", "\n");
	snprintf(path, sizeof(path), "%s/conf.d/pipe.conf", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_one_error("conf.d/pipe.conf: is not a regular file (a FIFO or socket would block");

	/* 1.conf includes 2.conf ... includes 10.conf: too deep. */
	clean();
	write_file("osprey.conf", "@include \"conf.d/1.conf\"\n");
	for (int i = 1; i <= 10; i++) {
		char rel[64], text[64];

		snprintf(rel, sizeof(rel), "conf.d/%d.conf", i);
		snprintf(text, sizeof(text), "@include \"%d.conf\"\n", i + 1);
		write_file(rel, i < 10 ? text : "\n");
	}
	expect_one_error("conf.d/8.conf:1: includes nested deeper than 8 levels");

	clean();
	write_file("osprey.conf", "@include \"conf.d/*.conf\"\n");
	write_file("conf.d/a.conf", "\n");
	snprintf(path, sizeof(path), "%s/conf.d/link.conf", tmpdir);
	snprintf(target, sizeof(target), "%s/osprey.conf", tmpdir);
	assert_int_equal(symlink(target, path), 0);
	expect_one_error("osprey.conf:1: conf.d/link.conf is included more than once");
}

/* A UTF-8 byte order mark and CRLF line ends are fine; "10G" bytes and
 * "1d" times are what they say; logging.default in an included file does
 * not override a level the main file sets. */
static void test_encodings_and_units(void **state)
{
	(void)state;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	const struct conf_child *ch;
	char **msgs;

	clean();
	write_file("osprey.conf", "\xef\xbb\xbf" "logging = { ike = \"debug\"; };\r\n"
		   CONN_OPEN "    life_time = \"1d\";\r\n    rekey_time = \"20h\";\r\n"
		   "    retransmit_timeout = \"1m\"; retransmit_tries = 2;\r\n"
		   "    children = { n = { rekey_bytes = \"1G\"; life_bytes = \"10G\"; "
		   "life_time = \"90m\"; mark_in = 42; mark_out = \"0x100/0xff00\"; "
		   "if_id_in = 7; if_id_out = 8; dpd_action = \"restart\"; }; "
		   "a = { ah_proposals = \"sha256-esn\"; }; };\r\n" CONN_CLOSE "@include \"conf.d/*.conf\"\r\n");
	write_file("conf.d/log.conf", "logging = { default = \"warning\"; };\n");
	c = load(&errs, &msgs);
	for (size_t i = 0; msgs[i]; i++)
		print_message("unexpected: %s\n", msgs[i]);
	assert_non_null(c);
	assert_int_equal(c->conns[0].life_time, 86400);
	assert_int_equal(c->conns[0].rekey_time, 72000);
	assert_int_equal(c->conns[0].retransmit_timeout, 60);
	assert_int_equal(c->conns[0].retransmit_tries, 2);
	ch = &c->conns[0].children[0];
	assert_true(ch->rekey_bytes == 1ULL << 30);
	assert_true(ch->life_bytes == 10ULL << 30);
	assert_int_equal(ch->life_time, 5400);
	assert_int_equal(ch->mark_in, 42);
	assert_true(ch->mark_in_mask == 0xffffffffu);
	assert_int_equal(ch->mark_out, 0x100);
	assert_int_equal(ch->mark_out_mask, 0xff00);
	assert_int_equal(ch->if_id_in, 7);
	assert_int_equal(ch->if_id_out, 8);
	assert_int_equal(ch->dpd_action, DPD_RESTART);
	assert_int_equal(ch[1].ah_proposals.n, 1);
	assert_int_equal(ch[1].esp_proposals.n, 0);	/* no ESP default for an AH child */
	assert_int_equal(c->logging.level[LOG_IKE], LVL_DEBUG);
	assert_int_equal(c->logging.level[LOG_NET], LVL_WARNING);
	free_msgs(msgs);
	conf_free(c);
	conf_errors_free(&errs);
}

static void write_pem(const char *rel, const char *label, const uint8_t *der, size_t len)
{
	char pem[8192];

	assert_int_equal(oc_pki_pem(label, der, len, pem, sizeof(pem)), 0);
	write_file(rel, pem);
}

/* A real certificate: loads with its key, is an error with another key. */
static void test_certificate_and_key(void **state)
{
	(void)state;
	struct oc_pki_cert req = { .subject = "C=CH, O=osprey, CN=moon",
				   .san = (const char *const[]){ "moon.example", NULL },
				   .pathlen = -1 };
	struct oc_key *k1 = NULL, *k2 = NULL;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	uint8_t der[4096];
	char pem[8192], **msgs;
	size_t len;
	int found = 0;

	assert_int_equal(oc_pki_genkey(OC_KEY_EC, 256, &k1), 0);
	assert_int_equal(oc_pki_genkey(OC_KEY_EC, 256, &k2), 0);
	assert_int_equal(oc_pki_issue(&req, k1, k1, NULL, der, sizeof(der), &len), 0);
	clean();
	write_pem("conf.d/moon.crt", "CERTIFICATE", der, len);
	assert_int_equal(oc_pki_key_pem(k1, pem, sizeof(pem)), 0);
	write_file("conf.d/moon.key", pem);
	assert_int_equal(oc_pki_key_pem(k2, pem, sizeof(pem)), 0);
	write_file("conf.d/other.key", pem);
	write_file("osprey.conf", "connections = {\n  c = {\n    local = { auth = \"pubkey\"; "
		   "certs = \"conf.d/moon.crt\"; signature = \"rfc7427\"; rsa_pss = true; };\n"
		   "    remote = { auth = \"pubkey\"; };\n  };\n};\nsecrets = {\n  private-a = "
		   "{ file = \"conf.d/other.key\"; };\n  private-b = { file = \"conf.d/moon.key\"; "
		   "};\n};\nauthorities = { moon = { cacert = \"conf.d/moon.crt\"; }; };\n");
	c = load(&errs, &msgs);
	for (size_t i = 0; msgs[i]; i++)
		print_message("unexpected: %s\n", msgs[i]);
	assert_non_null(c);
	assert_int_equal(c->conns[0].local.signature, SIG_RFC7427);
	assert_true(c->conns[0].local.rsa_pss);
	free_msgs(msgs);
	conf_free(c);
	conf_errors_free(&errs);

	write_file("osprey.conf", "connections = {\n  c = {\n    local = { auth = \"pubkey\"; "
		   "certs = \"conf.d/moon.crt\"; };\n    remote = { auth = \"pubkey\"; };\n  };\n};\n"
		   "secrets = {\n  private-a = { file = \"conf.d/other.key\"; };\n};\n");
	c = load(&errs, &msgs);
	for (size_t i = 0; msgs[i]; i++) {
		if (strstr(msgs[i], "osprey.conf:2: connections.c.local.certs: no private key in "
			   "secrets { private-... } matches the certificate 'C=CH, O=osprey, CN=moon'"))
			found = 1;
		else
			print_message("other: %s\n", msgs[i]);
	}
	assert_null(c);
	assert_true(found);
	free_msgs(msgs);
	conf_errors_free(&errs);
	oc_key_free(k1);
	oc_key_free(k2);
}

/* vips and pools parse into the model; the pools' ranges are kept as
 * written, "dynamic" selectors stay (conn_map widens them). */
static void test_virtual_ips(void **state)
{
	(void)state;
	struct conf_errors errs = { 0 };
	struct osp_config *c;
	const struct conf_pool *p;
	char **msgs;

	clean();
	write_file("osprey.conf", "kernel = { vip_interface = \"wg0\"; };\n"
		   "pools = {\n  rw4 = { addrs = \"10.3.0.0/28\"; };\n"
		   "  rw6 = { addrs = \"2001:db8:3::1-2001:db8:3::ff\"; };\n"
		   "  one = { addrs = \"10.9.0.1\"; };\n};\n"
		   CONN_OPEN "    vips = [\"0.0.0.0\", \"::\"];\n    pools = [\"rw4\", \"rw6\"];\n"
		   CONN_CLOSE);
	c = load(&errs, &msgs);
	for (size_t i = 0; msgs[i]; i++)
		print_message("unexpected: %s\n", msgs[i]);
	assert_non_null(c);
	assert_int_equal(c->n_pools, 3);
	p = conf_find_pool(c, "rw6");
	assert_non_null(p);
	assert_string_equal(p->addrs, "2001:db8:3::1-2001:db8:3::ff");
	assert_int_equal(p->at.line, 4);
	assert_string_equal(c->kernel.vip_interface, "wg0");
	assert_string_equal(conf_find_pool(c, "one")->addrs, "10.9.0.1");
	assert_int_equal(c->conns[0].vips.n, 2);
	assert_string_equal(c->conns[0].vips.v[1], "::");
	assert_int_equal(c->conns[0].pools.n, 2);
	assert_string_equal(c->conns[0].pools.v[0], "rw4");
	free_msgs(msgs);
	conf_errors_free(&errs);
	conf_free(c);
}

int main(void)
{
	struct CMUnitTest tests[N_MISTAKES + 7];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < N_MISTAKES; i++) {
		struct CMUnitTest t = { mistakes[i].name, test_mistake, NULL, NULL,
					(void *)&mistakes[i] };

		tests[i] = t;
	}
	tests[N_MISTAKES] = (struct CMUnitTest)cmocka_unit_test(test_valid_defaults);
	tests[N_MISTAKES + 1] = (struct CMUnitTest)cmocka_unit_test(test_empty_confd);
	tests[N_MISTAKES + 2] = (struct CMUnitTest)cmocka_unit_test(test_all_errors_reported);
	tests[N_MISTAKES + 3] = (struct CMUnitTest)cmocka_unit_test(test_odd_files);
	tests[N_MISTAKES + 4] = (struct CMUnitTest)cmocka_unit_test(test_encodings_and_units);
	tests[N_MISTAKES + 5] = (struct CMUnitTest)cmocka_unit_test(test_certificate_and_key);
	tests[N_MISTAKES + 6] = (struct CMUnitTest)cmocka_unit_test(test_virtual_ips);
	alarm(60);	/* a configuration file that blocks must fail the test, not hang it */
	int rc = _cmocka_run_group_tests("config", tests, N_MISTAKES + 7, NULL, NULL);
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		rc = 1;
	return rc;
}
