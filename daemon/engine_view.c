/* The SA view (sa_view.h) filled from the engine's introspection, plus the
 * few facts the engine does not keep (when an SA came up, child names). */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_priv.h"
#include "ikev2_const.h"
#include "util.h"

struct sa_meta *meta_get(struct engine_glue *g, uint64_t uid, bool create)
{
	struct sa_meta *m;

	for (size_t i = 0; i < g->n_meta; i++)
		if (g->meta[i].uid == uid)
			return &g->meta[i];
	if (!create)
		return NULL;
	g->meta = xrealloc(g->meta, (g->n_meta + 1) * sizeof(*g->meta));
	m = &g->meta[g->n_meta++];
	memset(m, 0, sizeof(*m));
	m->uid = uid;
	m->pending_child = -1;
	return m;
}

void meta_drop(struct engine_glue *g, uint64_t uid)
{
	for (size_t i = 0; i < g->n_meta; i++)
		if (g->meta[i].uid == uid) {
			g->meta[i] = g->meta[--g->n_meta];
			return;
		}
}

void meta_rekeyed(struct engine_glue *g, uint64_t old, uint64_t nw)
{
	struct sa_meta *o = meta_get(g, old, false), *n;
	unsigned k;

	if (!o)
		return;
	k = o->n_child;
	n = meta_get(g, nw, true); /* may move g->meta: look old up again */
	o = meta_get(g, old, false);
	for (unsigned i = 0; o && i < k && n->n_child < META_MAX_CHILDREN; i++)
		n->child[n->n_child++] = o->child[i];
	if (o)
		o->n_child = 0;
}

/* Seconds from now to an engine deadline (ms on glue_now()'s clock). */
static int64_t secs_to(uint64_t at, uint64_t now_ms)
{
	if (!at)
		return -1;
	return at > now_ms ? (int64_t)((at - now_ms + 999) / 1000) : 0;
}

void sa_table_clear(struct sa_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].children);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static const char *state_name(enum ike_sa_state s)
{
	switch (s) {
	case IKE_SA_INIT_SENT: case IKE_SA_AUTH_SENT: return "CONNECTING";
	case IKE_SA_INIT_WAIT: case IKE_SA_AUTH_WAIT: return "CONNECTING";
	case IKE_SA_ESTABLISHED: return "ESTABLISHED";
	case IKE_SA_DELETING: return "DELETING";
	case IKE_SA_DEAD: return "DESTROYING";
	}
	return "UNKNOWN";
}

static void addr_str(const struct ike_endpoint *ep, char *buf, size_t len)
{
	if (!ep->family)
		snprintf(buf, len, "%%any");
	else
		inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, buf, (socklen_t)len);
}

static void ts_list(const struct ike_ts *ts, unsigned n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n && off < len; i++) {
		char one[128], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
		int af = ts[i].family == 4 ? AF_INET : AF_INET6, w;

		/* The usual prefix form when the range is one; else a..b. */
		inet_ntop(af, ts[i].start, a, sizeof(a));
		inet_ntop(af, ts[i].end, b, sizeof(b));
		{
			int bits = ts[i].family == 4 ? 32 : 128, plen = bits;
			bool prefix = true;

			for (int bit = 0; bit < bits; bit++) {
				int sb = ts[i].start[bit / 8] & (0x80 >> (bit % 8));
				int eb = ts[i].end[bit / 8] & (0x80 >> (bit % 8));

				if (plen == bits && sb != eb)
					plen = bit;
				if (plen != bits && (sb || !eb))
					prefix = false;
			}
			if (prefix)
				snprintf(one, sizeof(one), "%s/%d", a, plen);
			else
				snprintf(one, sizeof(one), "%s..%s", a, b);
		}
		if (ts[i].proto || ts[i].port_lo || ts[i].port_hi != 0xffff) {
			size_t l = strlen(one);

			if (ts[i].port_lo == ts[i].port_hi)
				snprintf(one + l, sizeof(one) - l, "[%u/%u]", ts[i].proto, ts[i].port_lo);
			else
				snprintf(one + l, sizeof(one) - l, "[%u/%u-%u]", ts[i].proto,
					 ts[i].port_lo, ts[i].port_hi);
		}
		w = snprintf(buf + off, len - off, "%s%s", off ? " " : "", one);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* The kernel's counters of one direction's SA (kernel_ops.sa_stats); false
 * when the backend has none or the SA is not in the kernel. */
bool glue_sa_counters(struct engine_glue *g, const struct ike_sa_info *si,
		      const struct ike_child_info *ci, bool in, struct kernel_sa_stats *st)
{
	const struct ike_child_cfg *cc = si->conn && ci->cfg_index < si->conn->n_children
					 ? &si->conn->children[ci->cfg_index] : NULL;
	struct ike_kernel k;
	char err[256];

	if (!g->kops->sa_stats)
		return false;
	memset(&k, 0, sizeof(k));
	k.dir = in ? IKE_DIR_IN : IKE_DIR_OUT;
	k.proto = cc ? cc->proto : IKEV2_PROTO_ESP;
	k.spi = in ? ci->spi_in : ci->spi_out;
	k.src = in ? si->remote : si->local;
	k.dst = in ? si->local : si->remote;
	k.reqid = ci->reqid;
	if (cc)
		ike_kernel_set_marks(&k, cc);
	if (g->kops->sa_stats(g->kctx, &k, st, err, sizeof(err)) == 0)
		return true;
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-%s: no counters for SA %08x: %s", g->kops->name, k.spi,
	     err);
	return false;
}

static void fill_counters(struct engine_glue *g, const struct ike_sa_info *si,
			  const struct ike_child_info *ci, time_t now, struct child_sa_view *v)
{
	struct kernel_sa_stats in = { 0 }, out = { 0 };
	bool have_in = glue_sa_counters(g, si, ci, true, &in);
	bool have_out = glue_sa_counters(g, si, ci, false, &out);
	uint64_t last = in.use_time > out.use_time ? in.use_time : out.use_time;

	v->bytes_in = in.bytes;
	v->packets_in = in.packets;
	v->bytes_out = out.bytes;
	v->packets_out = out.packets;
	/* Seconds since the last packet either way (idle detection); -1:
	 * never used, or no counters from this backend. */
	v->idle = (have_in || have_out) && last ? (int64_t)now - (int64_t)last : -1;
	if (v->idle < -1)
		v->idle = 0;	/* the wall clock stepped back */
}

static void fill_child(const struct ike_conn *c, const struct ike_child_info *ci,
		       const struct sa_meta *m, time_t now, uint64_t now_ms, struct child_sa_view *v)
{
	memset(v, 0, sizeof(*v));
	if (c && ci->cfg_index < c->n_children)
		snprintf(v->name, sizeof(v->name), "%s", c->children[ci->cfg_index].name);
	else
		snprintf(v->name, sizeof(v->name), "child%u", ci->id);
	v->rekey_in = v->expire_in = -1;
	for (unsigned i = 0; m && i < m->n_child; i++)
		if (m->child[i].id == ci->id && m->child[i].life)
			v->expire_in = (int64_t)m->child[i].life - (int64_t)(now - m->child[i].up);
	if (ci->expire_at)
		v->expire_in = secs_to(ci->expire_at, now_ms);
	/* A rekeyed CHILD SA waits for its Delete: no rekey of its own. */
	v->rekey_in = ci->superseded ? -1 : secs_to(ci->rekey_at, now_ms);
	v->unique_id = ci->id;
	snprintf(v->state, sizeof(v->state), "%s", ci->superseded ? "REKEYED" : "INSTALLED");
	snprintf(v->mode, sizeof(v->mode), "%s", ci->mode == IKE_MODE_TRANSPORT ? "transport" :
		 "tunnel");
	v->spi_in = ci->spi_in;
	v->spi_out = ci->spi_out;
	kernel_alg_name(IKEV2_TT_ENCR, ci->encr_id, 0, v->encr, sizeof(v->encr));
	if (ci->integ_id)
		kernel_alg_name(IKEV2_TT_INTEG, ci->integ_id, 0, v->integ, sizeof(v->integ));
	if (ci->group)
		kernel_alg_name(IKEV2_TT_KE, ci->group, 0, v->dh, sizeof(v->dh));
	ts_list(ci->local_ts, ci->n_local_ts, v->local_ts, sizeof(v->local_ts));
	ts_list(ci->remote_ts, ci->n_remote_ts, v->remote_ts, sizeof(v->remote_ts));
}

static void fill_ike(struct engine_glue *g, const struct ike_sa_info *si,
		     const struct ike_child_info *ci, unsigned nci, time_t now, uint64_t now_ms,
		     struct ike_sa_view *v)
{
	const struct sa_meta *m = meta_get(g, si->uid, false);

	memset(v, 0, sizeof(*v));
	snprintf(v->conn, sizeof(v->conn), "%s", si->conn ? si->conn->name : "-");
	v->unique_id = si->uid;
	v->version = 2;
	snprintf(v->state, sizeof(v->state), "%s", state_name(si->state));
	v->initiator = si->initiator;
	addr_str(&si->local, v->local_addr, sizeof(v->local_addr));
	addr_str(&si->remote, v->remote_addr, sizeof(v->remote_addr));
	v->local_port = si->local.port;
	v->remote_port = si->remote.port;
	if (si->conn) {
		oc_id_to_string(&si->conn->local_id, v->local_id, sizeof(v->local_id));
		oc_id_to_string(&si->conn->remote_id, v->remote_id, sizeof(v->remote_id));
	}
	v->spi_i = si->ispi;
	v->spi_r = si->rspi;
	if (si->encr_id) {
		kernel_alg_name(IKEV2_TT_ENCR, si->encr_id, si->encr_bits, v->encr, sizeof(v->encr));
		if (si->integ_id)
			kernel_alg_name(IKEV2_TT_INTEG, si->integ_id, 0, v->integ, sizeof(v->integ));
		kernel_alg_name(IKEV2_TT_PRF, si->prf_id, 0, v->prf, sizeof(v->prf));
		kernel_alg_name(IKEV2_TT_KE, si->group, 0, v->dh, sizeof(v->dh));
	}
	v->established = m && m->up ? (int64_t)(now - m->up) : -1;
	v->rekey_in = secs_to(si->rekey_at, now_ms);
	v->expire_in = secs_to(si->expire_at, now_ms);
	for (unsigned i = 0; i < 2 && si->vip[i].family; i++) {
		char a[48];
		addr_str(&si->vip[i], a, sizeof(a));
		snprintf(v->vips + strlen(v->vips), sizeof(v->vips) - strlen(v->vips), "%s%s",
			 i ? ", " : "", a);
	}
	if (nci)
		v->children = xcalloc(nci, sizeof(*v->children));
	for (unsigned i = 0; i < nci; i++) {
		fill_child(si->conn, &ci[i], m, now, now_ms, &v->children[v->n_children]);
		fill_counters(g, si, &ci[i], now, &v->children[v->n_children++]);
	}
}

struct view_walk {
	struct engine_glue *g;
	size_t cap;
	time_t now;
	uint64_t now_ms;
};

static int view_one(void *ctx, const struct ike_sa_info *si, const struct ike_child_info *ci,
		    unsigned n)
{
	struct view_walk *w = ctx;
	struct sa_table *t = &w->g->d->sas;

	if (t->n == w->cap)
		return 1;
	fill_ike(w->g, si, ci, n, w->now, w->now_ms, &t->v[t->n++]);
	return 0;
}

/* One pass over the engine's SAs (ike_engine_foreach_sa): O(n). */
void glue_refresh_view(struct engine_glue *g)
{
	struct sa_table *t = &g->d->sas;
	struct view_walk w = { .g = g, .cap = ike_engine_sa_count(g->e), .now = time(NULL),
			       .now_ms = glue_now() };

	sa_table_clear(t);
	if (w.cap)
		t->v = xcalloc(w.cap, sizeof(*t->v));
	ike_engine_foreach_sa(g->e, view_one, &w);
}
