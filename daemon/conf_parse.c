/* Turning each file's settings into the configuration model. The key lists
 * here are the schema: a key not listed is rejected with a suggestion. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "crypto/proposal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MEMBER(g, k) config_setting_get_member((g), (k))

static const char *const root_keys[] = {
	"daemon", "kernel", "logging", "connections", "secrets", "authorities", "pools"
};
static const char *const kernel_keys[] = { "backend", "record_keys", "route_table",
					    "vip_interface" };
static const char *const backend_names[] = { "xfrm", "dryrun" };
static const char *const daemon_keys[] = {
	"user", "group", "control_socket", "control_group", "ike_port", "nat_port"
};
static const char *const logging_keys[] = {
	"target", "file", "default", "ike", "child", "net", "kernel", "cfg", "ctl", "crypto"
};
static const char *const conn_keys[] = {
	"version", "local_addrs", "remote_addrs", "local_port", "remote_port", "proposals",
	"rekey_time", "life_time", "dpd_delay", "dpd_timeout", "mobike", "encap",
	"fragmentation", "local", "remote", "children", "retransmit_timeout", "retransmit_tries",
	"vips", "pools"
};
static const char *const local_keys[] = { "auth", "id", "certs", "signature", "rsa_pss" };
static const char *const remote_keys[] = { "auth", "id", "certs", "cacerts" };
static const char *const child_keys[] = {
	"local_ts", "remote_ts", "esp_proposals", "mode", "rekey_time", "life_time",
	"rekey_bytes", "life_bytes", "start_action", "ah_proposals", "mark_in", "mark_out",
	"if_id_in", "if_id_out", "dpd_action"
};
static const char *const ike_secret_keys[] = { "id", "secret" };
static const char *const file_secret_keys[] = { "file" };
static const char *const authority_keys[] = { "cacert", "crl_uris", "crls" };
static const char *const pool_keys[] = { "addrs" };

static const char *const auth_names[] = { "psk", "pubkey" };
static const char *const sig_names[] = { "auto", "classic", "rfc7427" };
static const char *const mode_names[] = { "tunnel", "transport" };
static const char *const start_names[] = { "none", "trap", "start" };
static const char *const dpd_names[] = { "clear", "trap", "restart" };
static const char *const target_names[] = { "auto", "stderr", "journal", "file" };

/* daemon and logging settings may live in any file, but only once. */
static int first_time(struct pctx *P, const config_setting_t *s)
{
	char *path = setting_path(s);

	for (size_t i = 0; i < P->n_seen; i++)
		if (!strcmp(P->seen[i].key, path)) {
			perr(P, s, "already set at %s:%d", P->seen[i].at.file, P->seen[i].at.line);
			free(path);
			return 0;
		}
	P->seen = xrealloc(P->seen, (P->n_seen + 1) * sizeof(*P->seen));
	P->seen[P->n_seen].key = path;
	P->seen[P->n_seen].at.file = P->file;
	P->seen[P->n_seen].at.line = config_setting_source_line(s);
	P->n_seen++;
	return 1;
}

static void set_string(struct pctx *P, const config_setting_t *s, char **dst)
{
	const char *v;

	if (!v_str(P, s, &v)) {
		if (!*v) {
			perr(P, s, "must not be empty");
			return;
		}
		free(*dst);
		*dst = xstrdup(v);
	}
}

static void parse_daemon(struct pctx *P, const config_setting_t *g)
{
	struct conf_daemon *d = &P->cfg->daemon;
	long long port;

	check_keys(P, g, daemon_keys, N(daemon_keys));
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *k = config_setting_name(s);

		if (!first_time(P, s))
			continue;
		if (!strcmp(k, "user"))
			set_string(P, s, &d->user);
		else if (!strcmp(k, "group"))
			set_string(P, s, &d->group);
		else if (!strcmp(k, "control_socket")) {
			set_string(P, s, &d->ctl_socket);
			if (d->ctl_socket && d->ctl_socket[0] != '/')
				perr(P, s, "must be an absolute path");
			else if (d->ctl_socket && strlen(d->ctl_socket) >= 108)
				perr(P, s, "is longer than a UNIX socket path may be (107 bytes)");
		} else if (!strcmp(k, "control_group")) {
			set_string(P, s, &d->ctl_group);
			if (d->ctl_group && !getgrnam(d->ctl_group))
				perr(P, s, "no group named '%s' exists on this system", d->ctl_group);
		} else if (!strcmp(k, "ike_port") && !v_int(P, s, 1, 65535, &port))
			d->ike_port = (uint16_t)port;
		else if (!strcmp(k, "nat_port") && !v_int(P, s, 1, 65535, &port))
			d->nat_port = (uint16_t)port;
	}
}

static void parse_kernel(struct pctx *P, const config_setting_t *g)
{
	struct conf_kernel *k = &P->cfg->kernel;
	long long table;
	int v;

	check_keys(P, g, kernel_keys, N(kernel_keys));
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *key = config_setting_name(s);

		if (!first_time(P, s))
			continue;
		if (!strcmp(key, "backend") && !v_enum(P, s, backend_names, N(backend_names), &v)) {
			free(k->backend);
			k->backend = xstrdup(backend_names[v]);
		} else if (!strcmp(key, "record_keys"))
			v_bool(P, s, &k->record_keys);
		else if (!strcmp(key, "route_table") && !v_int(P, s, 1, INT32_MAX, &table)) {
			/* 253 default, 254 main, 255 local: the kernel's own tables */
			if (table >= 253 && table <= 255)
				perr(P, s, "table %lld is reserved (253 default, 254 main, 255 local); "
				     "use another number, e.g. 220", table);
			else
				k->route_table = (uint32_t)table;
		} else if (!strcmp(key, "vip_interface")) {
			set_string(P, s, &k->vip_interface);
			if (k->vip_interface && strlen(k->vip_interface) >= 16) /* IFNAMSIZ */
				perr(P, s, "'%s' is longer than an interface name can be (15)",
				     k->vip_interface);
		}
	}
}

static void parse_level(struct pctx *P, const config_setting_t *s, enum log_level *out)
{
	int v;

	if (!v_enum(P, s, log_level_names, 7, &v))
		*out = (enum log_level)(v - 1);
}

static void parse_logging(struct pctx *P, const config_setting_t *g)
{
	struct conf_logging *l = &P->cfg->logging;
	int v;

	check_keys(P, g, logging_keys, N(logging_keys));
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *k = config_setting_name(s);
		int sub = log_subsys_parse(k);

		if (!first_time(P, s))
			continue;
		if (!strcmp(k, "target")) {
			if (!v_enum(P, s, target_names, N(target_names), &v))
				l->target = (enum log_target)v;
		} else if (!strcmp(k, "file")) {
			set_string(P, s, &l->file);
			if (l->file && l->file[0] != '/')
				perr(P, s, "must be an absolute path");
		} else if (!strcmp(k, "default")) {
			enum log_level lv = (enum log_level)-2;

			/* Only the subsystems no file sets on their own, in
			 * whichever order the files are read. */
			parse_level(P, s, &lv);
			for (int j = 0; j < LOG_SUBSYS_COUNT && (int)lv != -2; j++)
				if ((int)l->level[j] == -2 && !MEMBER(g, log_subsys_names[j]))
					l->level[j] = lv;
		} else if (sub >= 0) {
			parse_level(P, s, &l->level[sub]);
		}
	}
	if (l->target == LOG_TARGET_FILE && !l->file && !MEMBER(g, "file"))
		perr_missing(P, g, "file", "target = \"file\" needs file = \"/path/to/log\"");
}

static void parse_auth(struct pctx *P, const config_setting_t *g, struct conf_auth *a,
		       bool remote)
{
	const config_setting_t *s;
	int v;

	if (want_group(P, g))
		return;
	if (remote)
		check_keys(P, g, remote_keys, N(remote_keys));
	else
		check_keys(P, g, local_keys, N(local_keys));
	if ((s = MEMBER(g, "auth")) && !v_enum(P, s, auth_names, N(auth_names), &v))
		a->method = (enum auth_method)v;
	if ((s = MEMBER(g, "id")))
		set_string(P, s, &a->id);
	if ((s = MEMBER(g, "certs")))
		v_strlist(P, s, &a->certs);
	if (remote && (s = MEMBER(g, "cacerts")))
		v_strlist(P, s, &a->cacerts);
	if (!remote && (s = MEMBER(g, "signature")) && !v_enum(P, s, sig_names, N(sig_names), &v))
		a->signature = (enum sig_pref)v;
	if (!remote && (s = MEMBER(g, "rsa_pss")))
		v_bool(P, s, &a->rsa_pss);
}

static const config_setting_t *elem_or_self(const config_setting_t *s, size_t i)
{
	return config_setting_type(s) == CONFIG_TYPE_STRING ? s : config_setting_get_elem(s, i);
}

static void check_proposals(struct pctx *P, const config_setting_t *s, const struct strv *sv,
			    enum oc_proto proto, int version)
{
	char err[2048];	/* room for the list of valid keywords */

	for (size_t i = 0; i < sv->n; i++)
		if (config_check_proposal(sv->v[i], proto, version, err, sizeof(err)))
			perr(P, elem_or_self(s, i), "\"%s\": %s", sv->v[i], err);
}

static void parse_addrs(struct pctx *P, const config_setting_t *s, struct strv *sv)
{
	char err[300];

	if (v_strlist(P, s, sv))
		return;
	for (size_t i = 0; i < sv->n; i++)
		if (conf_check_addr(sv->v[i], err, sizeof(err)))
			perr(P, elem_or_self(s, i), "%s", err);
}

static void parse_ts_list(struct pctx *P, const config_setting_t *s, struct conf_ts **out,
			  size_t *n)
{
	struct strv sv = { 0 };
	char err[200];

	if (v_strlist(P, s, &sv))
		return;
	*out = xcalloc(sv.n, sizeof(**out));
	for (size_t i = 0; i < sv.n; i++) {
		if (conf_parse_ts(sv.v[i], &(*out)[*n], err, sizeof(err)))
			perr(P, elem_or_self(s, i), "traffic selector '%s': %s", sv.v[i], err);
		else
			(*n)++;
	}
	strv_free(&sv);
}

/* An XFRM mark: an integer, or a string "VALUE" / "VALUE/MASK" (decimal or
 * 0x hex, as ip-xfrm(8) writes them); the mask defaults to 0xffffffff. */
static void parse_mark(struct pctx *P, const config_setting_t *s, uint32_t *value,
		       uint32_t *mask)
{
	unsigned long long v, m = 0xffffffffULL;
	const char *str;
	char *end;
	long long iv;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		if (!v_int(P, s, 1, 0xffffffffLL, &iv)) {
			*value = (uint32_t)iv;
			*mask = 0xffffffffu;
		}
		return;
	}
	str = config_setting_get_string(s);
	errno = 0;
	v = strtoull(str, &end, 0);
	if (!errno && end != str && *end == '/') {
		const char *ms = end + 1;

		m = strtoull(ms, &end, 0);
		if (end == ms)
			end = (char *)"x";
	}
	if (errno || end == str || *end || v > 0xffffffffULL || m > 0xffffffffULL || !m ||
	    (v & ~m)) {
		perr(P, s, "mark '%s' is not VALUE or VALUE/MASK (32-bit numbers, decimal or 0x hex, "
		     "value within a non-zero mask)", str);
		return;
	}
	*value = (uint32_t)v;
	*mask = (uint32_t)m;
}

static void parse_if_id(struct pctx *P, const config_setting_t *s, uint32_t *out)
{
	long long v;

	if (!v_int(P, s, 1, 0xffffffffLL, &v))
		*out = (uint32_t)v;
}

static void parse_child(struct pctx *P, const config_setting_t *g, struct conf_child *ch,
			int version)
{
	const config_setting_t *s;
	int v;

	ch->name = xstrdup(config_setting_name(g));
	ch->at.file = P->file;
	ch->at.line = config_setting_source_line(g);
	ch->rekey_time = ch->life_time = 0;
	if (want_group(P, g))
		return;
	check_keys(P, g, child_keys, N(child_keys));
	if ((s = MEMBER(g, "local_ts")))
		parse_ts_list(P, s, &ch->local_ts, &ch->n_local_ts);
	if ((s = MEMBER(g, "remote_ts")))
		parse_ts_list(P, s, &ch->remote_ts, &ch->n_remote_ts);
	if ((s = MEMBER(g, "esp_proposals")) && !v_strlist(P, s, &ch->esp_proposals))
		check_proposals(P, s, &ch->esp_proposals, OC_PROTO_ESP, version);
	if ((s = MEMBER(g, "ah_proposals")) && !v_strlist(P, s, &ch->ah_proposals)) {
		check_proposals(P, s, &ch->ah_proposals, OC_PROTO_AH, version);
		if (MEMBER(g, "esp_proposals"))
			perr(P, s, "a CHILD SA is either ESP (esp_proposals) or AH (ah_proposals), "
			     "not both");
	}
	if ((s = MEMBER(g, "mark_in")))
		parse_mark(P, s, &ch->mark_in, &ch->mark_in_mask);
	if ((s = MEMBER(g, "mark_out")))
		parse_mark(P, s, &ch->mark_out, &ch->mark_out_mask);
	if ((s = MEMBER(g, "if_id_in")))
		parse_if_id(P, s, &ch->if_id_in);
	if ((s = MEMBER(g, "if_id_out")))
		parse_if_id(P, s, &ch->if_id_out);
	if ((s = MEMBER(g, "dpd_action")) && !v_enum(P, s, dpd_names, N(dpd_names), &v))
		ch->dpd_action = (enum dpd_action)v;
	if ((s = MEMBER(g, "mode")) && !v_enum(P, s, mode_names, N(mode_names), &v))
		ch->mode = (enum child_mode)v;
	if ((s = MEMBER(g, "start_action")) && !v_enum(P, s, start_names, N(start_names), &v))
		ch->start_action = (enum start_action)v;
	if ((s = MEMBER(g, "rekey_time")))
		v_duration(P, s, &ch->rekey_time);
	if ((s = MEMBER(g, "life_time")))
		v_duration(P, s, &ch->life_time);
	if ((s = MEMBER(g, "rekey_bytes")))
		v_size(P, s, &ch->rekey_bytes);
	if ((s = MEMBER(g, "life_bytes")))
		v_size(P, s, &ch->life_bytes);
}

static void parse_conn(struct pctx *P, const config_setting_t *g)
{
	struct osp_config *c = P->cfg;
	const struct conf_conn *prev = conf_find_conn(c, config_setting_name(g));
	const config_setting_t *s;
	struct conf_conn *cn;
	long long v;

	if (want_group(P, g))
		return;
	if (prev) {
		perr(P, g, "connection '%s' is already defined at %s:%d", prev->name,
		     prev->at.file, prev->at.line);
		return;
	}
	c->conns = xrealloc(c->conns, (c->n_conns + 1) * sizeof(*c->conns));
	cn = &c->conns[c->n_conns++];
	memset(cn, 0, sizeof(*cn));
	cn->name = xstrdup(config_setting_name(g));
	cn->at.file = P->file;
	cn->at.line = config_setting_source_line(g);
	cn->version = 2;
	cn->mobike = cn->fragmentation = true;
	cn->dpd_delay = cn->dpd_timeout = UINT32_MAX;	/* unset */
	cn->retransmit_timeout = 4;	/* strongSwan's retransmit_timeout and _tries */
	cn->retransmit_tries = 5;
	check_keys(P, g, conn_keys, N(conn_keys));
	if ((s = MEMBER(g, "version")) && !v_int(P, s, 0, INT32_MAX, &v)) {
		if (v != 1 && v != 2)
			perr(P, s, "IKE version must be 1 or 2, not %lld", v);
		else
			cn->version = (int)v;
	}
	if ((s = MEMBER(g, "local_addrs")))
		parse_addrs(P, s, &cn->local_addrs);
	if ((s = MEMBER(g, "remote_addrs")))
		parse_addrs(P, s, &cn->remote_addrs);
	if ((s = MEMBER(g, "local_port")) && !v_int(P, s, 1, 65535, &v))
		cn->local_port = (uint16_t)v;
	if ((s = MEMBER(g, "remote_port")) && !v_int(P, s, 1, 65535, &v))
		cn->remote_port = (uint16_t)v;
	if ((s = MEMBER(g, "proposals")) && !v_strlist(P, s, &cn->proposals))
		check_proposals(P, s, &cn->proposals, OC_PROTO_IKE, cn->version);
	if ((s = MEMBER(g, "rekey_time")))
		v_duration(P, s, &cn->rekey_time);
	if ((s = MEMBER(g, "life_time")))
		v_duration(P, s, &cn->life_time);
	if ((s = MEMBER(g, "dpd_delay")))
		v_duration(P, s, &cn->dpd_delay);
	if ((s = MEMBER(g, "dpd_timeout")))
		v_duration(P, s, &cn->dpd_timeout);
	if ((s = MEMBER(g, "retransmit_timeout")) && !v_duration(P, s, &cn->retransmit_timeout) &&
	    (cn->retransmit_timeout < 1 || cn->retransmit_timeout > 600))
		perr(P, s, "must be 1 to 600 seconds, not %u", cn->retransmit_timeout);
	if ((s = MEMBER(g, "retransmit_tries")) && !v_int(P, s, 0, 20, &v))
		cn->retransmit_tries = (uint8_t)v;
	if ((s = MEMBER(g, "mobike")))
		v_bool(P, s, &cn->mobike);
	if ((s = MEMBER(g, "encap")))
		v_bool(P, s, &cn->encap);
	if ((s = MEMBER(g, "fragmentation")))
		v_bool(P, s, &cn->fragmentation);
	if ((s = MEMBER(g, "local")))
		parse_auth(P, s, &cn->local, false);
	if ((s = MEMBER(g, "remote")))
		parse_auth(P, s, &cn->remote, true);
	if ((s = MEMBER(g, "vips")) && !v_strlist(P, s, &cn->vips)) {
		/* Only "any address of this family" is asked for (§3.15.1). */
		for (size_t i = 0; i < cn->vips.n; i++)
			if (strcmp(cn->vips.v[i], "0.0.0.0") && strcmp(cn->vips.v[i], "::"))
				perr(P, elem_or_self(s, i), "'%s': a virtual IP request is \"0.0.0.0\" "
				     "(any IPv4 address) or \"::\" (any IPv6 address)", cn->vips.v[i]);
		if (cn->vips.n > 2 || (cn->vips.n == 2 && !strcmp(cn->vips.v[0], cn->vips.v[1])))
			perr(P, s, "at most one virtual IP per address family");
	}
	if ((s = MEMBER(g, "pools")) && !v_strlist(P, s, &cn->pools) && cn->pools.n > 2)
		perr(P, s, "at most two pools (one IPv4, one IPv6)");
	if ((s = MEMBER(g, "children")) && !want_group(P, s)) {
		int n = config_setting_length(s);

		cn->children = xcalloc(n, sizeof(*cn->children));
		for (int i = 0; i < n; i++)
			parse_child(P, config_setting_get_elem(s, i), &cn->children[cn->n_children++],
				    cn->version);
	}
}

static void parse_secret(struct pctx *P, const config_setting_t *g)
{
	struct osp_config *c = P->cfg;
	const char *name = config_setting_name(g), *v;
	const config_setting_t *s;
	struct conf_secret *sec;
	enum secret_kind kind;

	if (!strncmp(name, "ike", 3)) {
		kind = SECRET_IKE;
	} else if (!strncmp(name, "private", 7) || !strncmp(name, "rsa", 3) ||
		   !strncmp(name, "ecdsa", 5)) {
		kind = SECRET_PRIVATE;
	} else {
		perr(P, g, "the name of a secret starts with its kind: ike (pre-shared key) or "
		     "private, rsa, ecdsa (private key file), e.g. ike-%s", name);
		return;
	}
	if (want_group(P, g))
		return;
	for (size_t i = 0; i < c->n_secrets; i++)
		if (!strcmp(c->secrets[i].name, name)) {
			perr(P, g, "secret '%s' is already defined at %s:%d", name,
			     c->secrets[i].at.file, c->secrets[i].at.line);
			return;
		}
	c->secrets = xrealloc(c->secrets, (c->n_secrets + 1) * sizeof(*c->secrets));
	sec = &c->secrets[c->n_secrets++];
	memset(sec, 0, sizeof(*sec));
	sec->name = xstrdup(name);
	sec->kind = kind;
	sec->at.file = P->file;
	sec->at.line = config_setting_source_line(g);
	if (kind == SECRET_PRIVATE) {
		check_keys(P, g, file_secret_keys, N(file_secret_keys));
		if ((s = MEMBER(g, "file")) && !v_str(P, s, &v))
			sec->file = conf_resolve_path(P, v);
		else if (!s)
			perr_missing(P, g, "file", "a private key secret needs file = \"...\"");
		return;
	}
	check_keys(P, g, ike_secret_keys, N(ike_secret_keys));
	if ((s = MEMBER(g, "id")))
		v_strlist(P, s, &sec->ids);
	s = MEMBER(g, "secret");
	if (!s) {
		perr_missing(P, g, "secret", "missing: a pre-shared key needs secret = \"...\"");
		return;
	}
	if (v_str(P, s, &v))
		return;
	if (!strncmp(v, "0x", 2)) {
		size_t n = strlen(v + 2);

		if (n == 0 || n % 2 || strspn(v + 2, "0123456789abcdefABCDEF") != n) {
			perr(P, s, "a secret starting with 0x must be an even number of hex digits");
			return;
		}
		sec->secret_len = n / 2;
		sec->secret = xmalloc(n / 2);
		for (size_t i = 0; i < n / 2; i++) {
			char hex[3] = { v[2 + 2 * i], v[3 + 2 * i], 0 };

			sec->secret[i] = (uint8_t)strtoul(hex, NULL, 16);
			explicit_bzero(hex, sizeof(hex));
		}
	} else {
		sec->secret_len = strlen(v);
		sec->secret = (uint8_t *)xstrdup(v);
	}
	if (sec->secret_len == 0)
		perr(P, s, "must not be empty");
}

static void parse_authority(struct pctx *P, const config_setting_t *g)
{
	struct osp_config *c = P->cfg;
	struct conf_authority *a;
	const config_setting_t *s;
	const char *v;

	if (want_group(P, g))
		return;
	for (size_t i = 0; i < c->n_authorities; i++)
		if (!strcmp(c->authorities[i].name, config_setting_name(g))) {
			perr(P, g, "authority '%s' is already defined at %s:%d",
			     c->authorities[i].name, c->authorities[i].at.file,
			     c->authorities[i].at.line);
			return;
		}
	c->authorities = xrealloc(c->authorities, (c->n_authorities + 1) * sizeof(*a));
	a = &c->authorities[c->n_authorities++];
	memset(a, 0, sizeof(*a));
	a->name = xstrdup(config_setting_name(g));
	a->at.file = P->file;
	a->at.line = config_setting_source_line(g);
	check_keys(P, g, authority_keys, N(authority_keys));
	if ((s = MEMBER(g, "cacert")) && !v_str(P, s, &v))
		a->cacert = conf_resolve_path(P, v);
	else if (!s)
		perr_missing(P, g, "cacert", "missing: an authority needs cacert = \"file\"");
	if ((s = MEMBER(g, "crl_uris")))
		v_strlist(P, s, &a->crl_uris);
	if ((s = MEMBER(g, "crls")) && !v_strlist(P, s, &a->crls))
		for (size_t i = 0; i < a->crls.n; i++) {
			char *abs = conf_resolve_path(P, a->crls.v[i]);

			free(a->crls.v[i]);
			a->crls.v[i] = abs;
		}
}

static void parse_pool(struct pctx *P, const config_setting_t *g)
{
	struct osp_config *c = P->cfg;
	const struct conf_pool *prev = conf_find_pool(c, config_setting_name(g));
	const config_setting_t *s;
	struct conf_pool *p;
	const char *v;
	char err[200];

	if (want_group(P, g))
		return;
	if (prev) {
		perr(P, g, "pool '%s' is already defined at %s:%d", prev->name, prev->at.file,
		     prev->at.line);
		return;
	}
	c->pools = xrealloc(c->pools, (c->n_pools + 1) * sizeof(*c->pools));
	p = &c->pools[c->n_pools++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(config_setting_name(g));
	p->at.file = P->file;
	p->at.line = config_setting_source_line(g);
	check_keys(P, g, pool_keys, N(pool_keys));
	if (!(s = MEMBER(g, "addrs")))
		perr_missing(P, g, "addrs", "missing: a pool needs addrs = \"10.3.0.0/28\" (a subnet, "
			     "\"first-last\" or one address)");
	else if (!v_str(P, s, &v)) {
		if (conf_check_pool_addrs(v, err, sizeof(err)))
			perr(P, s, "%s", err);
		else
			p->addrs = xstrdup(v);
	}
}

void conf_parse_root(struct pctx *P, const config_setting_t *root)
{
	check_keys(P, root, root_keys, N(root_keys));
	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *g = config_setting_get_elem(root, i);
		const char *k = config_setting_name(g);
		void (*each)(struct pctx *, const config_setting_t *) = NULL;

		if (!strcmp(k, "daemon") && !want_group(P, g))
			parse_daemon(P, g);
		else if (!strcmp(k, "kernel") && !want_group(P, g))
			parse_kernel(P, g);
		else if (!strcmp(k, "logging") && !want_group(P, g))
			parse_logging(P, g);
		else if (!strcmp(k, "connections"))
			each = parse_conn;
		else if (!strcmp(k, "secrets"))
			each = parse_secret;
		else if (!strcmp(k, "authorities"))
			each = parse_authority;
		else if (!strcmp(k, "pools"))
			each = parse_pool;
		if (each && !want_group(P, g))
			for (int j = 0; j < config_setting_length(g); j++)
				each(P, config_setting_get_elem(g, j));
	}
}
