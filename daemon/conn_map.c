/* Mapping conf_conn to ike_conn (conn_map.h). */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_map.h"
#include "ikev2_const.h"
#include "pool.h"
#include "util.h"

/* The first usable address of a list ("%any" gives family 0). */
static int map_addr(const struct strv *addrs, uint16_t port, struct ike_endpoint *ep,
		    const char *what, char *err, size_t errlen)
{
	const char *a = addrs->n ? addrs->v[0] : "%any";

	if (ike_endpoint_parse(a, port, ep) == 0)
		return 0;
	snprintf(err, errlen, "%s '%s' is not an IP address (host names are not resolved yet)",
		 what, a);
	return -1;
}

/* A conf TS; "dynamic" is the SA's own address, known here only when the
 * connection names one address (else the whole address family). */
static void map_ts(const struct conf_ts *t, const struct ike_endpoint *host, struct ike_ts *ts)
{
	int len, plen;
	const uint8_t *addr;

	memset(ts, 0, sizeof(*ts));
	ts->proto = (uint8_t)t->proto;
	ts->port_lo = t->port_lo;
	ts->port_hi = t->port_hi;
	if (t->dynamic) {
		ts->family = host->family ? host->family : 4;
		addr = host->addr;
		plen = host->family ? (ts->family == 4 ? 32 : 128) : 0;
	} else {
		ts->family = t->family == AF_INET ? 4 : 6;
		addr = t->addr;
		plen = t->plen;
	}
	len = ts->family == 4 ? 4 : 16;
	memcpy(ts->start, addr, (size_t)len);
	memcpy(ts->end, addr, (size_t)len);
	for (int bit = plen; bit < len * 8; bit++) {
		ts->start[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
		ts->end[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	}
}

static int map_id(const char *id, const struct ike_endpoint *ep, struct oc_id *out,
		  bool remote, char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN];

	if (!id && ep->family) {
		inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, a, sizeof(a));
		id = a;
	}
	if (!id)
		id = "%any";
	if (!remote && !strcmp(id, "%any")) {
		snprintf(err, errlen, "local.id is needed when local_addrs is %%any");
		return -1;
	}
	if (oc_id_from_string(id, out) != 0) {
		snprintf(err, errlen, "identity '%s' cannot be used", id);
		return -1;
	}
	return 0;
}

/* The IKE secret shared with the remote identity (and, if several, the one
 * naming our own identity too), as strongSwan picks it. */
static const struct conf_secret *find_psk(const struct osp_config *cfg, const char *local,
					  const char *remote)
{
	const struct conf_secret *best = NULL;
	int best_score = 0;

	for (size_t i = 0; i < cfg->n_secrets; i++) {
		const struct conf_secret *s = &cfg->secrets[i];
		int score = 0;

		if (s->kind != SECRET_IKE)
			continue;
		if (remote && strv_contains(&s->ids, remote))
			score += 2;
		if (local && strv_contains(&s->ids, local))
			score += 1;
		if (!s->ids.n)
			score = 1;
		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best;
}

/* PSK and/or certificates; each side may use either (RFC 7296 §2.15). */
static int map_auth(const struct osp_config *cfg, const struct conf_conn *cn,
		    struct mapped_conn *out, char *err, size_t errlen)
{
	struct ike_conn *c = &out->ike;
	const struct conf_secret *sec;

	c->local_auth = cn->local.method == AUTH_PSK ? IKE_AUTH_PSK : IKE_AUTH_PUBKEY;
	c->remote_auth = cn->remote.method == AUTH_PSK ? IKE_AUTH_PSK : IKE_AUTH_PUBKEY;
	if (cn->local.method == AUTH_PSK || cn->remote.method == AUTH_PSK) {
		sec = find_psk(cfg, cn->local.id, cn->remote.id);
		if (!sec) {
			snprintf(err, errlen, "no IKE secret for identity '%s'",
				 cn->remote.id ? cn->remote.id : "(remote address)");
			return -1;
		}
		out->psk = xmalloc(sec->secret_len ? sec->secret_len : 1);
		memcpy(out->psk, sec->secret, sec->secret_len);
		out->psk_len = sec->secret_len;
		c->psk = out->psk;
		c->psk_len = out->psk_len;
	}
	if (cn->local.method != AUTH_PUBKEY && cn->remote.method != AUTH_PUBKEY)
		return 0;
	if (conn_pki_load(cfg, cn, &out->pki, err, errlen))
		return -1;
	c->certs = out->pki.certs;
	c->privkey = out->pki.key;
	c->trust = out->pki.trust;
	c->peer_pubkey = out->pki.peer_pubkey;
	c->sig_mode = cn->local.signature == SIG_CLASSIC ? IKE_SIG_CLASSIC
		      : cn->local.signature == SIG_RFC7427 ? IKE_SIG_RFC7427 : IKE_SIG_AUTO;
	c->rsa_pss = cn->local.rsa_pss;
	return 0;
}

/* "dynamic" on the side that has a virtual IP (ours when we ask for one,
 * the peer's when we lease them) is the whole of each address family
 * involved: the engine narrows it to the address leased (lib/ikev2/cp.c).
 * Returns whether it did. */
static size_t map_vip_ts(const struct ike_conn *c, bool local, struct ike_ts *ts)
{
	unsigned count = local ? c->n_vips : c->n_pools;

	for (unsigned k = 0; k < count; k++) {
		uint8_t fam = local ? c->vip_families[k] : ike_pool_family(c->pools[k]);

		memset(&ts[k], 0, sizeof(ts[k]));
		ts[k].family = fam;
		ts[k].port_hi = 65535;
		memset(ts[k].end, 0xff, fam == 4 ? 4 : 16);
	}
	return count;
}

/* The conf TSs of one side into ts[*n...]; -1 when more than fit. */
static int map_side(const struct ike_conn *c, bool local, const struct conf_ts *in, size_t nin,
		    const struct ike_endpoint *host, struct ike_ts *ts, uint8_t *n)
{
	struct ike_ts tmp[2];

	for (size_t i = 0; i < nin; i++) {
		size_t k = in[i].dynamic ? map_vip_ts(c, local, tmp) : 0;

		if (!k) {
			map_ts(&in[i], host, &tmp[0]);
			k = 1;
		}
		if (*n + k > IKE_CONN_MAX_TS)
			return -1;
		memcpy(&ts[*n], tmp, k * sizeof(*tmp));
		*n = (uint8_t)(*n + k);
	}
	return 0;
}

/* vips = ["0.0.0.0", "::"] and pools = [NAME] (conf_check.c made sure they
 * name pools of distinct families). */
static int map_vips(const struct osp_config *cfg, const struct conf_conn *cn, struct ike_conn *c,
		    char *err, size_t errlen)
{
	for (size_t i = 0; i < cn->vips.n && i < 2; i++)
		c->vip_families[c->n_vips++] = strchr(cn->vips.v[i], ':') ? 6 : 4;
	for (size_t i = 0; i < cn->pools.n && i < 2; i++) {
		const struct conf_pool *p = conf_find_pool(cfg, cn->pools.v[i]);
		char e[256];

		if (!p || !p->addrs) {
			snprintf(err, errlen, "no pool '%s'", cn->pools.v[i]);
			return -1;
		}
		c->pools[c->n_pools] = pool_registry_get(p, e, sizeof(e));
		if (!c->pools[c->n_pools]) {
			snprintf(err, errlen, "pool %s: %s", p->name, e);
			return -1;
		}
		c->n_pools++;
	}
	return 0;
}

static int map_child(const struct conf_child *cc, const struct ike_endpoint *lo,
		     const struct ike_endpoint *re, struct ike_conn *c, char *err, size_t errlen)
{
	struct ike_child_cfg *ch = ike_conn_add_child(c, cc->name);
	char e[1024];

	if (!ch) {
		snprintf(err, errlen, "more than %d children", IKE_CONN_MAX_CHILDREN);
		return -1;
	}
	/* The proposals are parsed for ch->proto (ESP or AH). */
	const struct strv *props = cc->ah_proposals.n ? &cc->ah_proposals : &cc->esp_proposals;

	ch->proto = cc->ah_proposals.n ? IKEV2_PROTO_AH : IKEV2_PROTO_ESP;
	for (size_t i = 0; i < props->n; i++)
		if (ike_child_add_esp_proposal(ch, props->v[i], e, sizeof(e))) {
			snprintf(err, errlen, "child %s: %s", cc->name, e);
			return -1;
		}
	ch->mark_in = cc->mark_in;
	ch->mark_in_mask = cc->mark_in_mask;
	ch->mark_out = cc->mark_out;
	ch->mark_out_mask = cc->mark_out_mask;
	ch->if_id_in = cc->if_id_in;
	ch->if_id_out = cc->if_id_out;
	if (cc->n_local_ts > IKE_CONN_MAX_TS || cc->n_remote_ts > IKE_CONN_MAX_TS) {
		snprintf(err, errlen, "child %s: more than %d traffic selectors", cc->name,
			 IKE_CONN_MAX_TS);
		return -1;
	}
	if (map_side(c, true, cc->local_ts, cc->n_local_ts, lo, ch->local_ts, &ch->n_local_ts) ||
	    map_side(c, false, cc->remote_ts, cc->n_remote_ts, re, ch->remote_ts,
		     &ch->n_remote_ts)) {
		snprintf(err, errlen, "child %s: more than %d traffic selectors", cc->name,
			 IKE_CONN_MAX_TS);
		return -1;
	}
	ch->mode = cc->mode == MODE_TRANSPORT ? IKE_MODE_TRANSPORT : IKE_MODE_TUNNEL;
	ch->life_seconds = cc->life_time;
	ch->life_bytes = cc->life_bytes;
	ch->rekey_bytes = cc->rekey_bytes;
	/* Rekeyed at rekey_time minus a random part of (life_time -
	 * rekey_time), strongSwan's default rand_time. */
	ch->rekey_seconds = cc->rekey_time;
	ch->rand_seconds = cc->life_time > cc->rekey_time ? cc->life_time - cc->rekey_time : 0;
	return 0;
}

int conn_map(const struct osp_config *cfg, const struct conf_conn *cn, struct mapped_conn *out,
	     char *err, size_t errlen)
{
	struct ike_conn *c = &out->ike;
	char e[1024];

	memset(out, 0, sizeof(*out));
	if (cn->version != 2) {
		snprintf(err, errlen, "IKEv1 is not supported by the engine yet");
		return -1;
	}
	ike_conn_init(c, cn->name);
	if (strlen(cn->name) >= sizeof(c->name)) {
		snprintf(err, errlen, "name longer than %zu characters", sizeof(c->name) - 1);
		return -1;
	}
	if (map_addr(&cn->local_addrs, cn->local_port, &c->local, "local address", err, errlen) ||
	    map_addr(&cn->remote_addrs, cn->remote_port, &c->remote, "remote address", err,
		     errlen))
		return -1;
	/* A local %any keeps the port: it selects the socket. */
	if (map_id(cn->local.id, &c->local, &c->local_id, false, err, errlen) ||
	    map_id(cn->remote.id, &c->remote, &c->remote_id, true, err, errlen))
		return -1;
	if (map_auth(cfg, cn, out, err, errlen))
		return -1;
	for (size_t i = 0; i < cn->proposals.n; i++)
		if (ike_conn_add_ike_proposal(c, cn->proposals.v[i], e, sizeof(e))) {
			snprintf(err, errlen, "%s", e);
			return -1;
		}
	c->encap = cn->encap;
	c->dpd_delay_ms = cn->dpd_delay * 1000u;
	c->rto_ms = cn->retransmit_timeout * 1000u;
	c->rto_tries = cn->retransmit_tries;
	c->ike_rekey_seconds = cn->rekey_time;
	c->ike_life_seconds = cn->life_time;
	c->ike_rand_seconds = cn->life_time > cn->rekey_time ? cn->life_time - cn->rekey_time : 0;
	if (!cn->fragmentation)
		c->frag_size = 0;
	if (map_vips(cfg, cn, c, err, errlen))
		return -1;
	for (size_t i = 0; i < cn->n_children; i++) {
		if (map_child(&cn->children[i], &c->local, &c->remote, c, err, errlen))
			return -1;
		if (cn->children[i].start_action == START_START)
			out->start = true;
		out->trap[i] = cn->children[i].start_action == START_TRAP;
		out->dpd_action[i] = cn->children[i].dpd_action;
	}
	return 0;
}

void mapped_conn_wipe(struct mapped_conn *m)
{
	if (m->psk) {
		explicit_bzero(m->psk, m->psk_len);
		free(m->psk);
	}
	m->psk = NULL;
	m->ike.psk = NULL;
	conn_pki_free(&m->pki);
	m->ike.certs = NULL;
	m->ike.privkey = m->ike.peer_pubkey = NULL;
	m->ike.trust = NULL;
}

int conn_child_index(const struct ike_conn *c, const char *name)
{
	for (unsigned i = 0; i < c->n_children; i++)
		if (!strcmp(c->children[i].name, name))
			return (int)i;
	return -1;
}
