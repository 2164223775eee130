/* Configuration payloads for virtual IPs (RFC 7296 §2.19, §3.15).
 *
 * Initiator (conn.n_vips): IKE_AUTH carries CP(CFG_REQUEST) with an empty
 * INTERNAL_IP4_ADDRESS and/or INTERNAL_IP6_ADDRESS; its first CHILD SA
 * offers the configured local selectors (0.0.0.0/0, ::/0 for "dynamic":
 * the daemon maps them so) and, once CP(CFG_REPLY) names our address, every
 * CHILD SA's local selectors are narrowed to it.  IKE_EV_VIP tells the
 * caller before the CHILD SA's kernel actions, so the address is on an
 * interface when policies and routes that use it as source are installed.
 *
 * Responder (conn.n_pools): leases an address per family asked for from
 * the conn's pools (pool.h) by the peer's identity, answers with
 * CP(CFG_REPLY) and narrows the peer's selectors (TSi) to its address.
 * No address to give: INTERNAL_ADDRESS_FAILURE, no CHILD SA (§3.10.1);
 * a peer asking for none while the conn has pools: FAILED_CP_REQUIRED
 * (§3.10.1; else it could claim any source address).  Leases go back to
 * their pool when the IKE SA goes, and move along with an IKE SA rekey.
 *
 * The hooks are cp_* (internal.h): in auth.c (IKE_AUTH), child.c (the
 * selectors), rekey.c (new IKE SA), engine.c (destroy, free) and
 * introspect.c. */
#include "ikev2/internal.h"
#include "ikev2/pool.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

struct ike_cp {
	struct ike_endpoint vip[2];   /* ours (initiator) / the peer's (responder) */
	struct ike_pool *pool[2];     /* responder: where vip[i] is leased */
	uint8_t n;
	/* The CP payload being built (lives until the message is sent). */
	struct ikev2_cfg_attr attrs[2];
	uint8_t data[2][17];
};

static struct ike_cp *cp_get(struct ike_sa *sa)
{
	if (!sa->cp)
		sa->cp = sa_alloc(sa, sizeof(*sa->cp));
	return sa->cp;
}

static void vip_str(const struct ike_endpoint *ep, char *buf, size_t len)
{
	if (!inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static uint16_t attr_type(uint8_t family)
{
	return family == 4 ? IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS
			   : IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS;
}

void cp_request(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m)
{
	const struct ike_conn *c = sa->conn;
	struct ike_cp *cp;
	struct ikev2_payload *p;

	if (!c->n_vips || !(cp = cp_get(sa)))
		return;
	p = mb_add(m, IKEV2_PL_CP);
	if (!p)
		return;
	p->u.cp.type = IKEV2_CFG_REQUEST;
	p->u.cp.nattrs = 0;
	p->u.cp.attrs = cp->attrs;
	/* §3.15.1: an empty attribute asks for any address of the kind. */
	for (unsigned i = 0; i < c->n_vips && i < 2; i++) {
		cp->attrs[i].type = attr_type(c->vip_families[i]);
		cp->attrs[i].data = cp->data[i];
		cp->attrs[i].len = 0;
		p->u.cp.nattrs++;
	}
	ike_log(e, sa, IKE_LOG_DEBUG, "asking for %u virtual IP%s", c->n_vips,
		c->n_vips == 1 ? "" : "s");
}

static struct ike_pool *pool_for(const struct ike_conn *c, uint8_t family)
{
	for (unsigned i = 0; i < c->n_pools; i++)
		if (c->pools[i] && ike_pool_family(c->pools[i]) == family)
			return c->pools[i];
	return NULL;
}

/* Leases an address of family for the peer (once per family). */
static int lease(struct ike_engine *e, struct ike_sa *sa, struct ike_cp *cp, uint8_t family,
		 const struct oc_id *peer)
{
	struct ike_pool *pool = pool_for(sa->conn, family);
	char a[64];

	for (unsigned i = 0; i < cp->n; i++)
		if (cp->vip[i].family == family)
			return 0; /* asked twice for one family: one address */
	if (!pool)
		return 0;
	if (cp->n >= 2 || ike_pool_acquire(pool, peer, &cp->vip[cp->n]) != 0) {
		ike_log(e, sa, IKE_LOG_ERROR, "pool %s exhausted: no virtual IP for the peer",
			ike_pool_name(pool));
		return -1;
	}
	cp->pool[cp->n] = pool;
	vip_str(&cp->vip[cp->n], a, sizeof(a));
	ike_log(e, sa, IKE_LOG_INFO, "assigning virtual IP %s from pool %s to the peer", a,
		ike_pool_name(pool));
	cp->n++;
	return 0;
}

uint16_t cp_respond(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c,
		    struct ike_mb *m, const struct oc_id *peer)
{
	const struct ikev2_payload *req = ikev2_find(c, IKEV2_PL_CP);
	const struct ike_conn *conn = sa->conn;
	struct ikev2_payload *p;
	struct ike_cp *cp;
	bool asked = false;

	if (!req || req->u.cp.type != IKEV2_CFG_REQUEST) {
		if (!conn->n_pools || !ikev2_find(c, IKEV2_PL_SA))
			return 0;
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA not created: the peer asked for no virtual "
			"IP but connection %s hands them out (FAILED_CP_REQUIRED)", conn->name);
		return IKEV2_N_FAILED_CP_REQUIRED;
	}
	if (!conn->n_pools) {
		ike_log(e, sa, IKE_LOG_INFO, "the peer asks for a virtual IP; connection %s has no "
			"pools: none assigned", conn->name);
		return 0;
	}
	if (!(cp = cp_get(sa)))
		return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
	for (size_t i = 0; i < req->u.cp.nattrs; i++) {
		uint16_t t = req->u.cp.attrs[i].type;
		uint8_t family = t == IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS   ? 4
				 : t == IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS ? 6 : 0;
		/* A suggested address (non-empty attribute) is not honoured:
		 * the pool decides, by identity (§3.15.1 allows either). */
		if (!family)
			continue;
		asked = true;
		if (lease(e, sa, cp, family, peer) != 0)
			return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
	}
	if (!cp->n) {
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA not created: %s", asked
			? "no pool of the address family the peer asks for"
			: "the peer's CP asks for no address");
		return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
	}
	p = mb_add(m, IKEV2_PL_CP);
	if (!p)
		return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
	p->u.cp.type = IKEV2_CFG_REPLY;
	p->u.cp.attrs = cp->attrs;
	p->u.cp.nattrs = cp->n;
	for (unsigned i = 0; i < cp->n; i++) {
		bool v4 = cp->vip[i].family == 4;
		cp->attrs[i].type = attr_type(cp->vip[i].family);
		memcpy(cp->data[i], cp->vip[i].addr, v4 ? 4 : 16);
		cp->data[i][16] = 128; /* IPv6: prefix length (§3.15.1) */
		cp->attrs[i].data = cp->data[i];
		cp->attrs[i].len = v4 ? 4 : 17;
	}
	return 0;
}

/* An address no interface should get from a peer: unspecified, loopback,
 * multicast (and IPv4 limited broadcast). */
static bool unusable(const struct ike_endpoint *v)
{
	static const uint8_t zero[16], one6[16] = { [15] = 1 };

	if (v->family == 4)
		return !memcmp(v->addr, zero, 4) || v->addr[0] == 127 || v->addr[0] >= 224;
	return !memcmp(v->addr, zero, 16) || !memcmp(v->addr, one6, 16) || v->addr[0] == 0xff;
}

int cp_accept(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c)
{
	const struct ikev2_payload *rep = ikev2_find(c, IKEV2_PL_CP);
	const struct ike_conn *conn = sa->conn;
	struct ike_cp *cp;
	char a[64];

	if (!conn->n_vips)
		return 0;
	if (!rep || rep->u.cp.type != IKEV2_CFG_REPLY) {
		ike_log(e, sa, IKE_LOG_ERROR, "we asked for a virtual IP; the responder assigned "
			"none");
		return -1;
	}
	if (!(cp = cp_get(sa)))
		return -1;
	for (size_t i = 0; i < rep->u.cp.nattrs && cp->n < 2; i++) {
		const struct ikev2_cfg_attr *at = &rep->u.cp.attrs[i];
		struct ike_endpoint v = { 0 };
		bool wanted = false;
		struct ike_out *ev;

		if (at->type == IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS && at->len == 4)
			v.family = 4;
		else if (at->type == IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS && at->len == 17)
			v.family = 6; /* the prefix length octet is not used */
		else
			continue; /* other attributes, or malformed: not ours */
		for (unsigned k = 0; k < conn->n_vips; k++)
			wanted |= conn->vip_families[k] == v.family;
		for (unsigned k = 0; k < cp->n; k++)
			wanted &= cp->vip[k].family != v.family;
		memcpy(v.addr, at->data, v.family == 4 ? 4 : 16);
		vip_str(&v, a, sizeof(a));
		if (wanted && unusable(&v)) {
			ike_log(e, sa, IKE_LOG_ERROR, "the responder assigned %s, which is no "
				"address for an interface: ignored", a);
			continue;
		}
		if (!wanted) {
			ike_log(e, sa, IKE_LOG_INFO, "ignoring an address the responder assigned that "
				"we did not ask for");
			continue;
		}
		cp->vip[cp->n++] = v;
		ike_event(e, sa, IKE_EV_VIP, 0, 0, "virtual IP %s assigned to us", a);
		ev = ike_out_last(e);
		if (ev && ev->kind == IKE_OUT_EVENT)
			ev->u.event.vip = v;
	}
	if (!cp->n) {
		ike_log(e, sa, IKE_LOG_ERROR, "we asked for a virtual IP; the responder's CFG_REPLY "
			"holds no usable address");
		return -1;
	}
	return 0;
}

/* Is the address of v inside selector t (same family)? */
static bool inside(const struct ike_ts *t, const struct ike_endpoint *v)
{
	size_t n = t->family == 4 ? 4 : 16;

	return t->family == v->family && memcmp(t->start, v->addr, n) <= 0 &&
	       memcmp(v->addr, t->end, n) <= 0;
}

size_t cp_narrow(const struct ike_sa *sa, bool local, const struct ike_ts *ts, size_t n,
		 struct ike_ts *out, size_t max)
{
	const struct ike_cp *cp = sa->cp;
	struct ike_ts in[IKE_CONN_MAX_TS];
	size_t k = 0;

	/* The virtual IPs are the initiator's: its local side, the
	 * responder's remote side. */
	if (!cp || !cp->n || local != sa->initiator) {
		n = n < max ? n : max;
		memmove(out, ts, n * sizeof(*ts));
		return n;
	}
	n = n < IKE_CONN_MAX_TS ? n : IKE_CONN_MAX_TS;
	memcpy(in, ts, n * sizeof(*ts)); /* out may be ts */
	for (size_t i = 0; i < n; i++)
		for (unsigned v = 0; v < cp->n && k < max; v++) {
			if (!inside(&in[i], &cp->vip[v]))
				continue;
			out[k] = in[i]; /* protocol and ports stay */
			memcpy(out[k].start, cp->vip[v].addr, 16);
			memcpy(out[k].end, cp->vip[v].addr, 16);
			k++;
		}
	return k;
}

size_t cp_ts(const struct ike_sa *sa, const struct ike_child_cfg *cc, bool local,
	     struct ike_ts *out)
{
	return cp_narrow(sa, local, local ? cc->local_ts : cc->remote_ts,
			 local ? cc->n_local_ts : cc->n_remote_ts, out, IKE_CONN_MAX_TS);
}

void cp_rekeyed(struct ike_sa *old, struct ike_sa *nw)
{
	struct ike_cp *cp;

	if (!old->cp || !old->cp->n || !(cp = cp_get(nw)))
		return;
	for (unsigned i = 0; i < old->cp->n; i++) {
		/* The new IKE SA holds the lease too; the old one's goes
		 * when it is deleted. */
		if (old->cp->pool[i] && ike_pool_ref(old->cp->pool[i], &old->cp->vip[i]) != 0)
			continue;
		cp->vip[cp->n] = old->cp->vip[i];
		cp->pool[cp->n] = old->cp->pool[i];
		cp->n++;
	}
}

void cp_release(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_cp *cp = sa->cp;
	char a[64];

	if (!cp)
		return;
	for (unsigned i = 0; i < cp->n; i++) {
		if (!cp->pool[i])
			continue;
		ike_pool_release(cp->pool[i], &cp->vip[i]);
		vip_str(&cp->vip[i], a, sizeof(a));
		ike_log(e, sa, IKE_LOG_INFO, "virtual IP %s back to pool %s", a,
			ike_pool_name(cp->pool[i]));
		cp->pool[i] = NULL;
	}
}

void cp_free(struct ike_sa *sa)
{
	if (sa->cp)
		sa_free(sa, sa->cp, sizeof(*sa->cp));
	sa->cp = NULL;
}

void cp_info(const struct ike_sa *sa, struct ike_sa_info *o)
{
	for (unsigned i = 0; sa->cp && i < sa->cp->n; i++)
		o->vip[i] = sa->cp->vip[i];
}
