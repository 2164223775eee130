/* kernel-dryrun: a kernel backend that installs nothing.
 *
 * It allocates inbound SPIs and records every SA and policy the engine asks
 * for (and their removal), so that tests can compare what osprey would have
 * installed with what a peer derived, and load can be measured on hosts
 * without ESP.  Keys are kept only with kernel.record_keys = true.  No
 * packet is ever protected: it says so loudly when it starts. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ikev2_const.h"
#include "kernel.h"
#include "log.h"
#include "util.h"

struct dr_entry {
	struct ike_kernel k;	/* keys zeroed unless record_keys */
	time_t added;
};

struct dr_list {
	struct dr_entry *v;
	size_t n, cap;
};

struct dryrun {
	bool record_keys;
	struct dr_list sas, policies;
	uint32_t *spis;		/* allocated, not yet released */
	size_t n_spis, cap_spis;
	uint64_t counts[5];	/* per enum ike_kernel_op */
};

static void *dr_open(const struct conf_kernel *cfg, char *err, size_t errlen)
{
	struct dryrun *d = xcalloc(1, sizeof(*d));

	d->record_keys = cfg->record_keys;
	olog(LOG_KERNEL, LVL_WARNING, "kernel-dryrun: no SA reaches the kernel; for tests and "
	     "load measurement only: traffic is NOT protected");
	if (d->record_keys)
		olog(LOG_KERNEL, LVL_WARNING, "kernel-dryrun: record_keys is on: CHILD SA keys are "
		     "kept in memory and shown by `ospreyctl list-kernel`");
	return d;
}

static void wipe(struct dr_list *l)
{
	if (l->v)
		explicit_bzero(l->v, l->cap * sizeof(*l->v));
	free(l->v);
}

static void dr_close(void *ctx)
{
	struct dryrun *d = ctx;

	if (!d)
		return;
	wipe(&d->sas);
	wipe(&d->policies);
	free(d->spis);
	free(d);
}

static void list_add(struct dr_list *l, const struct ike_kernel *k, bool keys)
{
	struct dr_entry *e;

	if (l->n == l->cap) {
		struct dr_entry *nv;

		l->cap = l->cap ? l->cap * 2 : 16;
		nv = xcalloc(l->cap, sizeof(*nv));
		if (l->n) {
			memcpy(nv, l->v, l->n * sizeof(*nv));
			explicit_bzero(l->v, l->n * sizeof(*l->v));
		}
		free(l->v);
		l->v = nv;
	}
	e = &l->v[l->n++];
	e->k = *k;
	e->added = time(NULL);
	if (!keys) {
		explicit_bzero(e->k.enc_key, sizeof(e->k.enc_key));
		explicit_bzero(e->k.integ_key, sizeof(e->k.integ_key));
	}
}

static void list_del_at(struct dr_list *l, size_t i)
{
	l->v[i] = l->v[--l->n];
	explicit_bzero(&l->v[l->n], sizeof(l->v[l->n]));
}

static bool spi_taken(const struct dryrun *d, uint32_t spi)
{
	for (size_t i = 0; i < d->n_spis; i++)
		if (d->spis[i] == spi)
			return true;
	for (size_t i = 0; i < d->sas.n; i++)
		if (d->sas.v[i].k.dir == IKE_DIR_IN && d->sas.v[i].k.spi == spi)
			return true;
	return false;
}

static void spi_release(struct dryrun *d, uint32_t spi)
{
	for (size_t i = 0; i < d->n_spis; i++)
		if (d->spis[i] == spi) {
			d->spis[i] = d->spis[--d->n_spis];
			return;
		}
}

/* As XFRM does: random SPIs from 0xc0000000 up, never one in use. */
static int dr_get_spi(void *ctx, const struct ike_kernel *k, uint32_t *spi, char *err,
		      size_t errlen)
{
	struct dryrun *d = ctx;
	uint32_t v;

	d->counts[IKE_KERNEL_GET_SPI]++;
	for (int tries = 0; tries < 100; tries++) {
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			break;
		v |= 0xc0000000u;
		if (spi_taken(d, v))
			continue;
		if (d->n_spis == d->cap_spis) {
			d->cap_spis = d->cap_spis ? d->cap_spis * 2 : 16;
			d->spis = xrealloc(d->spis, d->cap_spis * sizeof(*d->spis));
		}
		d->spis[d->n_spis++] = v;
		*spi = v;
		olog(LOG_KERNEL, LVL_DEBUG, "kernel-dryrun: allocated SPI %08x", v);
		return 0;
	}
	snprintf(err, errlen, "no free SPI");
	return -1;
}

static void ep_str(const struct ike_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ep->family)
		inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, a, sizeof(a));
	snprintf(buf, len, "%s", a);
}

static const char *dir_name(enum ike_dir d)
{
	return d == IKE_DIR_IN ? "in" : "out";
}

static int dr_add_sa(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct dryrun *d = ctx;
	char s[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN];

	d->counts[IKE_KERNEL_ADD_SA]++;
	if (k->dir == IKE_DIR_IN)
		spi_release(d, k->spi);
	list_add(&d->sas, k, d->record_keys);
	ep_str(&k->src, s, sizeof(s));
	ep_str(&k->dst, t, sizeof(t));
	olog(LOG_KERNEL, LVL_INFO, "kernel-dryrun: add SA %s %08x %s -> %s reqid %u (recorded, "
	     "not installed)", dir_name(k->dir), k->spi, s, t, k->reqid);
	return 0;
}

static bool same_sa(const struct ike_kernel *a, const struct ike_kernel *b)
{
	return a->spi == b->spi && a->dir == b->dir && a->proto == b->proto &&
	       !memcmp(a->dst.addr, b->dst.addr, sizeof(a->dst.addr));
}

static int dr_del_sa(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct dryrun *d = ctx;

	d->counts[IKE_KERNEL_DEL_SA]++;
	spi_release(d, k->spi);
	for (size_t i = 0; i < d->sas.n; i++)
		if (same_sa(&d->sas.v[i].k, k)) {
			list_del_at(&d->sas, i);
			olog(LOG_KERNEL, LVL_INFO, "kernel-dryrun: delete SA %s %08x", dir_name(k->dir),
			     k->spi);
			return 0;
		}
	/* An SA never added (e.g. an SPI allocated for a failed CHILD SA). */
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-dryrun: delete of unknown SA %08x", k->spi);
	return 0;
}

static bool same_ts(const struct ike_ts *a, const struct ike_ts *b)
{
	return a->family == b->family && a->proto == b->proto && a->port_lo == b->port_lo &&
	       a->port_hi == b->port_hi && !memcmp(a->start, b->start, sizeof(a->start)) &&
	       !memcmp(a->end, b->end, sizeof(a->end));
}

static bool same_policy(const struct ike_kernel *a, const struct ike_kernel *b)
{
	return a->dir == b->dir && a->reqid == b->reqid && same_ts(&a->ts_src, &b->ts_src) &&
	       same_ts(&a->ts_dst, &b->ts_dst);
}

static int dr_add_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct dryrun *d = ctx;
	char s[96], t[96];

	d->counts[IKE_KERNEL_ADD_POLICY]++;
	list_add(&d->policies, k, false);
	ike_ts_format(&k->ts_src, s, sizeof(s));
	ike_ts_format(&k->ts_dst, t, sizeof(t));
	olog(LOG_KERNEL, LVL_INFO, "kernel-dryrun: add policy %s %s === %s reqid %u (recorded, "
	     "not installed)", dir_name(k->dir), s, t, k->reqid);
	return 0;
}

static int dr_del_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct dryrun *d = ctx;

	d->counts[IKE_KERNEL_DEL_POLICY]++;
	for (size_t i = 0; i < d->policies.n; i++)
		if (same_policy(&d->policies.v[i].k, k)) {
			list_del_at(&d->policies, i);
			return 0;
		}
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-dryrun: delete of unknown policy (reqid %u)", k->reqid);
	return 0;
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_hex(json_object *o, const char *k, const uint8_t *p, size_t n)
{
	char buf[2 * 64 + 1];

	for (size_t i = 0; i < n && i < 64; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	buf[2 * (n < 64 ? n : 64)] = '\0';
	add_str(o, k, buf);
}

static json_object *sa_json(const struct dr_entry *e, bool keys)
{
	const struct ike_kernel *k = &e->k;
	json_object *o = json_object_new_object();
	char buf[INET6_ADDRSTRLEN + 8];

	add_int(o, "ike_sa", (int64_t)k->ike_uid);
	add_int(o, "child_sa", k->child_id);
	add_int(o, "reqid", k->reqid);
	add_str(o, "dir", dir_name(k->dir));
	snprintf(buf, sizeof(buf), "%08x", k->spi);
	add_str(o, "spi", buf);
	add_str(o, "proto", k->proto == IKEV2_PROTO_AH ? "ah" : "esp");
	ep_str(&k->src, buf, sizeof(buf));
	add_str(o, "src", buf);
	ep_str(&k->dst, buf, sizeof(buf));
	add_str(o, "dst", buf);
	add_str(o, "mode", k->mode == IKE_MODE_TRANSPORT ? "transport" : "tunnel");
	json_object_object_add(o, "encap", json_object_new_boolean(k->encap));
	if (k->encap) {
		add_int(o, "sport", k->src.port);
		add_int(o, "dport", k->dst.port);
	}
	json_object_object_add(o, "esn", json_object_new_boolean(k->esn));
	add_str(o, "encr", kernel_alg_name(IKEV2_TT_ENCR, k->encr_id, k->encr_bits, buf,
					   sizeof(buf)));
	if (k->integ_id)
		add_str(o, "integ", kernel_alg_name(IKEV2_TT_INTEG, k->integ_id, 0, buf,
						    sizeof(buf)));
	if (keys) {
		add_hex(o, "enc_key", k->enc_key, k->enc_key_len);
		if (k->integ_key_len)
			add_hex(o, "integ_key", k->integ_key, k->integ_key_len);
	}
	add_int(o, "life_seconds", k->life_seconds);
	add_int(o, "added", (int64_t)e->added);
	return o;
}

static json_object *policy_json(const struct dr_entry *e)
{
	json_object *o = json_object_new_object();
	char buf[96];

	add_int(o, "ike_sa", (int64_t)e->k.ike_uid);
	add_int(o, "child_sa", e->k.child_id);
	add_int(o, "reqid", e->k.reqid);
	add_str(o, "dir", dir_name(e->k.dir));
	ike_ts_format(&e->k.ts_src, buf, sizeof(buf));
	add_str(o, "src", buf);
	ike_ts_format(&e->k.ts_dst, buf, sizeof(buf));
	add_str(o, "dst", buf);
	add_str(o, "mode", e->k.mode == IKE_MODE_TRANSPORT ? "transport" : "tunnel");
	return o;
}

static json_object *dr_list(void *ctx)
{
	struct dryrun *d = ctx;
	json_object *o = json_object_new_object(), *a, *c;
	static const char *const names[] = { "get_spi", "add_sa", "del_sa", "add_policy",
					     "del_policy" };

	add_str(o, "backend", "dryrun");
	json_object_object_add(o, "record_keys", json_object_new_boolean(d->record_keys));
	a = json_object_new_array();
	for (size_t i = 0; i < d->sas.n; i++)
		json_object_array_add(a, sa_json(&d->sas.v[i], d->record_keys));
	json_object_object_add(o, "sas", a);
	a = json_object_new_array();
	for (size_t i = 0; i < d->policies.n; i++)
		json_object_array_add(a, policy_json(&d->policies.v[i]));
	json_object_object_add(o, "policies", a);
	c = json_object_new_object();
	for (size_t i = 0; i < 5; i++)
		add_int(c, names[i], (int64_t)d->counts[i]);
	json_object_object_add(o, "requests", c);
	return o;
}

const struct kernel_ops kernel_dryrun_ops = {
	.name = "dryrun",
	.open = dr_open,
	.close = dr_close,
	.get_spi = dr_get_spi,
	.add_sa = dr_add_sa,
	.del_sa = dr_del_sa,
	.add_policy = dr_add_policy,
	.del_policy = dr_del_policy,
	.list = dr_list,
};
