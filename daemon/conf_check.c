/* Defaults and the checks that span settings: what cannot work together is
 * caught here, before anything starts. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"

/* Secure defaults: IKEv2 with AEAD and a modern group; DPD on. */
#define DEFAULT_IKE_V2 "aes256gcm16-prfsha384-x25519"
#define DEFAULT_IKE_V1 "aes256-sha256-modp3072"
#define DEFAULT_ESP_V2 "aes256gcm16-x25519"
#define DEFAULT_ESP_V1 "aes256-sha256-modp3072"
#define IKE_REKEY (4 * 3600)
#define CHILD_REKEY 3600
#define DPD_DELAY 30
#define DPD_TIMEOUT 150

void conf_defaults(struct osp_config *c)
{
	struct conf_daemon *d = &c->daemon;

	if (!d->user)
		d->user = xstrdup("osprey");
	if (!d->group)
		d->group = xstrdup(d->user);
	if (!d->ctl_socket)
		d->ctl_socket = xstrdup(OSPREY_CTL_DEFAULT);
	if (!d->ike_port)
		d->ike_port = 500;
	if (!d->nat_port)
		d->nat_port = 4500;
	if (!c->kernel.backend)
		c->kernel.backend = xstrdup("xfrm");
	if (!c->kernel.route_table)
		c->kernel.route_table = CONF_ROUTE_TABLE_DEFAULT;
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		if ((int)c->logging.level[i] == -2)
			c->logging.level[i] = LVL_INFO;
	for (size_t i = 0; i < c->n_conns; i++) {
		struct conf_conn *cn = &c->conns[i];

		if (!cn->local_addrs.n)
			strv_add(&cn->local_addrs, "%any");
		if (!cn->remote_addrs.n)
			strv_add(&cn->remote_addrs, "%any");
		if (!cn->local_port)
			cn->local_port = d->ike_port;
		if (!cn->remote_port)
			cn->remote_port = d->ike_port;
		if (!cn->proposals.n)
			strv_add(&cn->proposals, cn->version == 1 ? DEFAULT_IKE_V1 : DEFAULT_IKE_V2);
		if (!cn->rekey_time)
			cn->rekey_time = IKE_REKEY;
		if (!cn->life_time)
			cn->life_time = cn->rekey_time + cn->rekey_time / 10;
		if (cn->dpd_delay == UINT32_MAX)
			cn->dpd_delay = DPD_DELAY;
		if (cn->dpd_timeout == UINT32_MAX)
			cn->dpd_timeout = DPD_TIMEOUT;
		for (size_t j = 0; j < cn->n_children; j++) {
			struct conf_child *ch = &cn->children[j];

			if (!ch->n_local_ts) {
				ch->local_ts = xcalloc(1, sizeof(*ch->local_ts));
				conf_parse_ts("dynamic", ch->local_ts, NULL, 0);
				ch->n_local_ts = 1;
			}
			if (!ch->n_remote_ts) {
				ch->remote_ts = xcalloc(1, sizeof(*ch->remote_ts));
				conf_parse_ts("dynamic", ch->remote_ts, NULL, 0);
				ch->n_remote_ts = 1;
			}
			if (!ch->esp_proposals.n && !ch->ah_proposals.n)
				strv_add(&ch->esp_proposals,
					 cn->version == 1 ? DEFAULT_ESP_V1 : DEFAULT_ESP_V2);
			if (!ch->rekey_time)
				ch->rekey_time = CHILD_REKEY;
			if (!ch->life_time)
				ch->life_time = ch->rekey_time + ch->rekey_time / 10;
		}
	}
}

static const struct { const char *name; int num; } protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "icmp6", 58 },
	{ "sctp", 132 },
};

static int parse_proto_port(char *spec, struct conf_ts *ts, char *err, size_t errlen)
{
	char *slash = strchr(spec, '/'), *end;
	unsigned long lo, hi;

	if (slash)
		*slash++ = '\0';
	ts->proto = -1;
	if (!*spec || !strcmp(spec, "any"))
		ts->proto = 0;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(spec, protos[i].name))
			ts->proto = protos[i].num;
	if (ts->proto < 0) {
		unsigned long n = strtoul(spec, &end, 10);

		if (!isdigit((unsigned char)*spec) || *end || n > 255) {
			snprintf(err, errlen, "unknown protocol '%s' (use tcp, udp, icmp, icmp6, "
				 "sctp, gre, any or a number)", spec);
			return -1;
		}
		ts->proto = (int)n;
	}
	ts->port_hi = 65535;
	if (!slash || !*slash || !strcmp(slash, "any"))
		return 0;
	if (ts->proto != 6 && ts->proto != 17 && ts->proto != 132) {
		snprintf(err, errlen, "ports only apply to tcp, udp and sctp");
		return -1;
	}
	lo = strtoul(slash, &end, 10);
	hi = lo;
	if (*end == '-')
		hi = strtoul(end + 1, &end, 10);
	if (!isdigit((unsigned char)*slash) || *end || lo > 65535 || hi > 65535 || hi < lo) {
		snprintf(err, errlen, "'%s' is not a port or a port range like 1000-2000", slash);
		return -1;
	}
	ts->port_lo = (uint16_t)lo;
	ts->port_hi = (uint16_t)hi;
	return 0;
}

int conf_parse_ts(const char *text, struct conf_ts *ts, char *err, size_t errlen)
{
	char buf[sizeof(ts->text)], *br, *slash;
	int maxlen;

	memset(ts, 0, sizeof(*ts));
	ts->port_hi = 65535;
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "too long");
		return -1;
	}
	strcpy(ts->text, text);
	strcpy(buf, text);
	br = strchr(buf, '[');
	if (br) {
		char *close = strchr(br, ']');

		if (!close || close[1]) {
			snprintf(err, errlen, "expected [protocol/port] at the end");
			return -1;
		}
		*close = '\0';
		*br++ = '\0';
		if (parse_proto_port(br, ts, err, errlen))
			return -1;
	}
	if (!strcmp(buf, "dynamic")) {
		ts->dynamic = true;
		return 0;
	}
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, ts->addr) == 1) {
		ts->family = AF_INET;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, buf, ts->addr) == 1) {
		ts->family = AF_INET6;
		maxlen = 128;
	} else {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address (or \"dynamic\")", buf);
		return -1;
	}
	ts->plen = maxlen;
	if (slash) {
		char *end;
		long n = strtol(slash, &end, 10);

		if (!isdigit((unsigned char)*slash) || *end || n > maxlen) {
			snprintf(err, errlen, "prefix length '/%s' must be 0 to %d", slash, maxlen);
			return -1;
		}
		ts->plen = (int)n;
	}
	for (int bit = ts->plen; bit < maxlen; bit++)
		if (ts->addr[bit / 8] & (0x80 >> (bit % 8))) {
			uint8_t net[16];
			char s[INET6_ADDRSTRLEN];

			memcpy(net, ts->addr, 16);
			for (int b = ts->plen; b < maxlen; b++)
				net[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
			inet_ntop(ts->family, net, s, sizeof(s));
			snprintf(err, errlen, "has host bits set (did you mean %s/%d?)", s, ts->plen);
			return -1;
		}
	return 0;
}

/* An IKE address: %any, an IP address, a subnet (responder only) or a DNS name. */
int conf_check_addr(const char *a, char *err, size_t errlen)
{
	struct conf_ts ts;
	char e[160];
	size_t n = strlen(a);

	if (!strcmp(a, "%any") || !strcmp(a, "%any4") || !strcmp(a, "%any6"))
		return 0;
	if (strspn(a, "0123456789./") == n || strchr(a, ':')) {
		if (conf_parse_ts(a, &ts, e, sizeof(e)) == 0 && !ts.dynamic && !ts.proto)
			return 0;
		snprintf(err, errlen, "'%s' is not a valid IP address or subnet: %s", a, e);
		return -1;
	}
	if (n == 0 || n > 253 || strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"0123456789.-") != n || a[0] == '-' || a[0] == '.' ||
	    strstr(a, "..")) {
		snprintf(err, errlen, "'%s' is neither an IP address nor a valid DNS name", a);
		return -1;
	}
	return 0;
}

/* Cross-checks are located at the connection or child they concern; key
 * names the setting ("mode"), appended to the section's path. */
static void cerr(struct pctx *P, const struct conf_where *at, const char *section,
		 const char *key, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void cerr(struct pctx *P, const struct conf_where *at, const char *section,
		 const char *key, const char *fmt, ...)
{
	char msg[600], setting[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(setting, sizeof(setting), "%s%s%s", section, key ? "." : "", key ? key : "");
	conf_err_add(P->errs, at->file, at->line, setting, "%s", msg);
}

static bool secret_matches(const struct conf_secret *s, const struct conf_conn *cn)
{
	if (s->kind != SECRET_IKE)
		return false;
	if (!s->ids.n)
		return true;	/* a secret without ids is shared with everyone */
	if ((cn->local.id && strv_contains(&s->ids, cn->local.id)) ||
	    (cn->remote.id && strv_contains(&s->ids, cn->remote.id)))
		return true;
	for (size_t i = 0; i < cn->remote_addrs.n; i++)
		if (strv_contains(&s->ids, cn->remote_addrs.v[i]))
			return true;
	return false;
}

static void check_files(struct pctx *P, const struct conf_where *at, const char *setting,
			const char *key, struct strv *files, const char *what)
{
	for (size_t i = 0; i < files->n; i++) {
		char *abs = conf_resolve_path(P, files->v[i]);

		if (access(abs, R_OK))
			cerr(P, at, setting, key, "cannot read %s file %s: %m", what, abs);
		free(files->v[i]);
		files->v[i] = abs;
	}
}

static bool all_hosts(const struct conf_ts *ts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ts[i].dynamic && ts[i].plen != (ts[i].family == AF_INET ? 32 : 128))
			return false;
	return true;
}

/* AF_INET or AF_INET6 when every selector is of that family, else 0. */
static int only_family(const struct conf_ts *ts, size_t n)
{
	int fam = 0;

	for (size_t i = 0; i < n; i++) {
		if (ts[i].dynamic)
			return 0;
		if (fam && fam != ts[i].family)
			return 0;
		fam = ts[i].family;
	}
	return fam;
}

static void check_child(struct pctx *P, const struct conf_conn *cn, struct conf_child *ch)
{
	char set[300];
	int lf, rf;

	snprintf(set, sizeof(set), "connections.%s.children.%s", cn->name, ch->name);
	if (ch->mode == MODE_TRANSPORT && (!all_hosts(ch->local_ts, ch->n_local_ts) ||
					   !all_hosts(ch->remote_ts, ch->n_remote_ts)))
		cerr(P, &ch->at, set, "mode", "mode = \"transport\" protects traffic between the two hosts "
		     "only, but the traffic selectors name subnets; use mode = \"tunnel\" or "
		     "host selectors");
	lf = only_family(ch->local_ts, ch->n_local_ts);
	rf = only_family(ch->remote_ts, ch->n_remote_ts);
	if (lf && rf && lf != rf)
		cerr(P, &ch->at, set, "remote_ts", "local_ts are all %s but remote_ts are all %s; no traffic "
		     "can match", lf == AF_INET ? "IPv4" : "IPv6", rf == AF_INET ? "IPv4" : "IPv6");
	if (ch->rekey_time >= ch->life_time)
		cerr(P, &ch->at, set, "rekey_time", "rekey_time (%us) must be shorter than life_time (%us), or "
		     "the CHILD SA expires before it is rekeyed", ch->rekey_time, ch->life_time);
	if (ch->life_bytes && ch->rekey_bytes >= ch->life_bytes)
		cerr(P, &ch->at, set, "rekey_bytes", "rekey_bytes must be smaller than life_bytes");
	if (ch->start_action != START_NONE && cn->remote_addrs.n == 1 &&
	    !strncmp(cn->remote_addrs.v[0], "%any", 4))
		cerr(P, &ch->at, set, "start_action", "start_action = \"%s\" needs a peer to initiate to, but "
		     "remote_addrs is %s", start_action_name(ch->start_action),
		     cn->remote_addrs.v[0]);
}

int conf_pool_family(const char *addrs)
{
	char a[INET6_ADDRSTRLEN + 1];
	uint8_t buf[16];
	size_t n = strcspn(addrs, "/-");

	if (n >= sizeof(a))
		return 0;
	memcpy(a, addrs, n);
	a[n] = 0;
	return inet_pton(AF_INET, a, buf) == 1 ? AF_INET : inet_pton(AF_INET6, a, buf) == 1
	       ? AF_INET6 : 0;
}

int conf_check_pool_addrs(const char *addrs, char *err, size_t errlen)
{
	const char *dash = strchr(addrs, '-');
	int fam = conf_pool_family(addrs);
	struct conf_ts ts;
	uint8_t lo[16], hi[16];
	char first[INET6_ADDRSTRLEN + 1];

	if (fam && strchr(addrs, '/')) {
		if (conf_parse_ts(addrs, &ts, NULL, 0) == 0 && !ts.dynamic && !ts.proto &&
		    !strchr(addrs, '['))
			return 0;
	} else if (fam && dash && (size_t)(dash - addrs) < sizeof(first)) {
		memcpy(first, addrs, (size_t)(dash - addrs));
		first[dash - addrs] = 0;
		if (inet_pton(fam, first, lo) == 1 && inet_pton(fam, dash + 1, hi) == 1) {
			if (memcmp(lo, hi, fam == AF_INET ? 4 : 16) <= 0)
				return 0;
			snprintf(err, errlen, "address range '%s' ends before it starts", addrs);
			return -1;
		}
	} else if (fam && inet_pton(fam, addrs, lo) == 1) {
		return 0;
	}
	snprintf(err, errlen, "'%s' is no address range: use a subnet (\"10.3.0.0/28\"), "
		 "\"first-last\" or one address", addrs);
	return -1;
}

/* Every name in pools = [...] is a pool, at most one per address family. */
static void check_pools(struct pctx *P, const struct conf_conn *cn, const char *set)
{
	int fams[2] = { 0, 0 };

	for (size_t i = 0; i < cn->pools.n; i++) {
		const struct conf_pool *p = conf_find_pool(P->cfg, cn->pools.v[i]);

		if (!p) {
			cerr(P, &cn->at, set, "pools", "no pool '%s' in pools { }", cn->pools.v[i]);
			continue;
		}
		fams[i < 2 ? i : 1] = p->addrs ? conf_pool_family(p->addrs) : 0;
	}
	if (cn->pools.n == 2 && fams[0] && fams[0] == fams[1])
		cerr(P, &cn->at, set, "pools", "pools '%s' and '%s' are of one address family; a "
		     "connection leases at most one IPv4 and one IPv6 address per peer",
		     cn->pools.v[0], cn->pools.v[1]);
}

static void check_conn(struct pctx *P, struct conf_conn *cn)
{
	struct osp_config *c = P->cfg;
	char set[300];

	snprintf(set, sizeof(set), "connections.%s", cn->name);
	if (cn->rekey_time >= cn->life_time)
		cerr(P, &cn->at, set, "rekey_time", "rekey_time (%us) must be shorter than life_time (%us)",
		     cn->rekey_time, cn->life_time);
	if (cn->local.method == AUTH_PSK || cn->remote.method == AUTH_PSK) {
		bool found = false;

		for (size_t i = 0; i < c->n_secrets && !found; i++)
			found = secret_matches(&c->secrets[i], cn);
		if (!found)
			cerr(P, &cn->at, set, cn->local.method == AUTH_PSK ? "local.auth" : "remote.auth",
			     "auth = \"psk\" but no secret in secrets { ike-... } "
			     "matches identity %s or %s; add one with id = [...] and secret = \"...\"",
			     cn->local.id ? cn->local.id : "(local address)",
			     cn->remote.id ? cn->remote.id : cn->remote_addrs.v[0]);
	}
	if (cn->local.method == AUTH_PUBKEY && !cn->local.certs.n)
		cerr(P, &cn->at, set, "local.certs", "local.auth = \"pubkey\" needs local.certs, the certificate "
		     "osprey sends to prove its identity");
	check_files(P, &cn->at, set, "local.certs", &cn->local.certs, "certificate");
	check_files(P, &cn->at, set, "remote.certs", &cn->remote.certs, "certificate");
	check_files(P, &cn->at, set, "remote.cacerts", &cn->remote.cacerts, "CA certificate");
	for (size_t j = 0; j < cn->n_children; j++)
		check_child(P, cn, &cn->children[j]);
	check_pools(P, cn, set);
}

void conf_check_all(struct pctx *P)
{
	struct osp_config *c = P->cfg;

	for (size_t i = 0; i < c->n_conns; i++)
		check_conn(P, &c->conns[i]);
	for (size_t i = 0; i < c->n_secrets; i++) {
		struct conf_secret *s = &c->secrets[i];
		struct strv f = { 0 };
		char set[300];

		if (s->kind != SECRET_PRIVATE || !s->file)
			continue;
		snprintf(set, sizeof(set), "secrets.%s.file", s->name);
		strv_add(&f, s->file);
		check_files(P, &s->at, set, NULL, &f, "private key");
		strv_free(&f);
	}
	for (size_t i = 0; i < c->n_authorities; i++) {
		struct conf_authority *a = &c->authorities[i];
		char set[300];

		snprintf(set, sizeof(set), "authorities.%s.cacert", a->name);
		if (a->cacert && access(a->cacert, R_OK))
			cerr(P, &a->at, set, NULL, "cannot read CA certificate file %s: %m", a->cacert);
	}
	conf_check_pki(P);
}
