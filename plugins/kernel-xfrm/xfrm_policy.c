/* kernel-xfrm: IPsec policies (NEWPOLICY / UPDPOLICY / DELPOLICY).
 *
 * The engine asks for an out and an in policy per pair of traffic
 * selectors; in tunnel mode a fwd policy goes with the in one (traffic for
 * the subnet behind this gateway is forwarded, not delivered locally).  The
 * template carries the CHILD SA's reqid and endpoints.
 *
 * Several CHILD SAs can use the same selectors (a rekey makes the new one
 * before the old one goes; two conns may overlap): the kernel holds one
 * policy per selector, direction, mark and interface id, so each is counted
 * here under that key.  The newest CHILD SA's template is installed; when
 * it goes, the template of the one before it comes back (UPDPOLICY), and
 * the last one deletes the policy.
 *
 * Trap policies (start_action = trap, ike_kernel.trap, installed by the
 * daemon) are owners too: a packet that matches one without an SA makes the
 * kernel send ACQUIRE with the trap's reqid (xfrm_events.c), and the CHILD
 * SA that follows has that reqid and usually the same selectors, so it takes
 * the policy over (UPDPOLICY with its template) and hands it back to the
 * trap when it goes.  A trap never takes a policy from a CHILD SA: it waits
 * under it.  Traps get the same priority formula as CHILD SAs: XFRM keys a
 * policy by selector, direction, mark and if_id, not by priority, so a trap
 * and the CHILD SA with its selectors are one kernel policy whose priority
 * must not change hands; and a CHILD SA narrowed to a part of the trap's
 * selectors (§2.9 of RFC 7296) is more specific, so the formula already
 * puts it before the trap, which keeps catching the rest. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "log.h"
#include "util.h"
#include "xfrm_priv.h"

/* ---- selectors ---- */

/* The prefix length when start..end is exactly one prefix, else -1. */
static int range_prefix(const uint8_t *start, const uint8_t *end, unsigned bytes)
{
	unsigned bits = bytes * 8, plen = 0;

	while (plen < bits) {
		unsigned byte = plen / 8, bit = 7 - plen % 8;
		int s = (start[byte] >> bit) & 1, e = (end[byte] >> bit) & 1;

		if (s != e)
			break;
		plen++;
	}
	for (unsigned i = plen; i < bits; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;

		if (((start[byte] >> bit) & 1) != 0 || ((end[byte] >> bit) & 1) != 1)
			return -1;
	}
	return (int)plen;
}

static int port_sel(const struct ike_ts *t, uint16_t *port, uint16_t *mask)
{
	if (t->port_lo == 0 && t->port_hi == 0xffff) {
		*port = 0;
		*mask = 0;
		return 0;
	}
	if (t->port_lo == t->port_hi) {
		*port = htons(t->port_lo);
		*mask = 0xffff;
		return 0;
	}
	return -1;
}

int xf_ts_selector(const struct ike_ts *src, const struct ike_ts *dst, struct xfrm_selector *sel,
		   char *err, size_t errlen)
{
	unsigned bytes = src->family == 4 ? 4 : 16;
	int ps, pd;

	memset(sel, 0, sizeof(*sel));
	if (src->family != dst->family || (src->family != 4 && src->family != 6)) {
		snprintf(err, errlen, "selectors of different or unknown families");
		return -1;
	}
	ps = range_prefix(src->start, src->end, bytes);
	pd = range_prefix(dst->start, dst->end, bytes);
	if (ps < 0 || pd < 0) {
		snprintf(err, errlen, "address range is not a prefix (not supported by kernel-xfrm)");
		return -1;
	}
	if (src->proto != dst->proto && src->proto && dst->proto) {
		snprintf(err, errlen, "selectors with different protocols");
		return -1;
	}
	if (port_sel(src, &sel->sport, &sel->sport_mask) ||
	    port_sel(dst, &sel->dport, &sel->dport_mask)) {
		snprintf(err, errlen, "port range is neither one port nor all (not supported)");
		return -1;
	}
	sel->family = (uint16_t)xf_family(src->family);
	xf_addr(&sel->saddr, src->start, src->family);
	xf_addr(&sel->daddr, dst->start, dst->family);
	sel->prefixlen_s = (uint8_t)ps;
	sel->prefixlen_d = (uint8_t)pd;
	sel->proto = src->proto ? src->proto : dst->proto;
	return 0;
}

/* Lower wins in XFRM: more prefix bits, then a protocol, then ports. */
uint32_t xf_priority(const struct xfrm_selector *sel)
{
	uint32_t score = (uint32_t)(sel->prefixlen_s + sel->prefixlen_d) * 4;

	score += sel->proto ? 2 : 0;
	score += (sel->sport_mask ? 1 : 0) + (sel->dport_mask ? 1 : 0);
	return OSPREY_PRIO_BASE - score;
}

static void pol_desc(const struct ike_kernel *k, char *buf, size_t len)
{
	struct xfrm_mark mark = xf_mark(k->mark, k->mark_mask);
	char s[96], d[96], ms[64];

	ike_ts_format(&k->ts_src, s, sizeof(s));
	ike_ts_format(&k->ts_dst, d, sizeof(d));
	xf_mark_str(&mark, k->if_id, ms, sizeof(ms));
	snprintf(buf, len, "%spolicy %s %s === %s reqid %u%s", k->trap ? "trap " : "",
		 k->dir == IKE_DIR_IN ? "in" : "out", s, d, xf_reqid(k->reqid), ms);
}

static int fail(struct xf *x, const char *what, const struct ike_kernel *k, const char *why,
		char *buf, size_t len)
{
	char desc[320];

	x->errors++;
	pol_desc(k, desc, sizeof(desc));
	snprintf(buf, len, "%s %s: %s", what, desc, why);
	return -1;
}

/* ---- messages ---- */

/* The policy of p's selector and mark / if_id in direction dir (p->dir or
 * FWD) with o's template.  The template is "level required" (optional 0):
 * without an SA for it a packet is not sent in the clear but held and the
 * kernel sends XFRM_MSG_ACQUIRE with the template's reqid - what a trap
 * policy is for, and what a CHILD SA's policy does between a hard expiry
 * and the next SA. */
static int send_policy(struct xf *x, int type, const struct xf_policy *pk, uint8_t dir,
		       const struct xf_owner *o)
{
	const struct xfrm_selector *sel = &pk->sel;
	struct xfrm_userpolicy_info p;
	struct xfrm_user_tmpl t;
	struct nl_msg *m;
	int rc;

	memset(&p, 0, sizeof(p));
	p.sel = *sel;
	p.lft.soft_byte_limit = p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = p.lft.hard_packet_limit = XFRM_INF;
	p.priority = xf_priority(sel);
	p.dir = dir;
	p.action = XFRM_POLICY_ALLOW;
	p.share = XFRM_SHARE_ANY;
	memset(&t, 0, sizeof(t));
	t.family = (uint16_t)xf_family(o->dst.family);
	t.id.proto = o->proto;
	t.reqid = o->reqid;
	t.mode = o->mode == IKE_MODE_TRANSPORT ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL;
	if (o->mode != IKE_MODE_TRANSPORT) {
		xf_addr(&t.id.daddr, o->dst.addr, o->dst.family);
		xf_addr(&t.saddr, o->src.addr, o->src.family);
	}
	t.aalgos = t.ealgos = t.calgos = ~0u;
	m = nlmsg_alloc_simple(type, 0);
	if (!m || nlmsg_append(m, &p, sizeof(p), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, XFRMA_TMPL, sizeof(t), &t) < 0 || xf_put_mark(m, &pk->mark, pk->if_id) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	rc = xf_request(x, m, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

/* By selector, direction, mark and if_id: the kernel finds a policy only
 * when all of them are the ones it was added with. */
static int del_policy_msg(struct xf *x, const struct xf_policy *pk, uint8_t dir)
{
	const struct xfrm_selector *sel = &pk->sel;
	struct xfrm_userpolicy_id id;
	struct nl_msg *m;
	int rc;

	memset(&id, 0, sizeof(id));
	id.sel = *sel;
	id.dir = dir;
	m = nlmsg_alloc_simple(XFRM_MSG_DELPOLICY, 0);
	if (!m || nlmsg_append(m, &id, sizeof(id), NLMSG_ALIGNTO) < 0 ||
	    xf_put_mark(m, &pk->mark, pk->if_id) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	rc = xf_request(x, m, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

/* ---- the table ---- */

/* XFRM keeps one policy per selector, direction, mark and if_id (not per
 * priority): that is the key here too.  Two conns with the same selectors
 * and different marks / interface ids are two policies. */
static struct xf_policy *find(struct xf *x, const struct xf_policy *key)
{
	for (size_t i = 0; i < x->n_pol; i++) {
		const struct xf_policy *p = &x->pol[i];

		if (p->dir == key->dir && p->if_id == key->if_id && p->mark.v == key->mark.v &&
		    p->mark.m == key->mark.m && !memcmp(&p->sel, &key->sel, sizeof(p->sel)))
			return &x->pol[i];
	}
	return NULL;
}

/* The key of k's policy: 0, or -1 (why) when its selectors cannot be one. */
static int policy_key(const struct ike_kernel *k, struct xf_policy *key, char *why, size_t len)
{
	memset(key, 0, sizeof(*key));
	key->dir = k->dir == IKE_DIR_OUT ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
	key->mark = xf_mark(k->mark, k->mark_mask);
	key->if_id = k->if_id;
	return xf_ts_selector(&k->ts_src, &k->ts_dst, &key->sel, why, len);
}

/* Owners are a stack: the top one's template is installed. */
static void owner_insert(struct xf_policy *p, size_t at, const struct xf_owner *o)
{
	p->owners = xrealloc(p->owners, (p->n_owners + 1) * sizeof(*o));
	memmove(&p->owners[at + 1], &p->owners[at], (p->n_owners - at) * sizeof(*o));
	p->owners[at] = *o;
	p->n_owners++;
}

static void owner_push(struct xf_policy *p, const struct xf_owner *o)
{
	owner_insert(p, p->n_owners, o);
}

static void entry_drop(struct xf *x, struct xf_policy *p)
{
	free(p->owners);
	*p = x->pol[--x->n_pol];
}

void xf_policies_free(struct xf *x)
{
	for (size_t i = 0; i < x->n_pol; i++)
		free(x->pol[i].owners);
	free(x->pol);
	x->pol = NULL;
	x->n_pol = x->cap_pol = 0;
}


/* Routes go with out policies, except with a mark or an interface id: those
 * are route-based VPNs, where a policy only sees the packets routed through
 * its xfrm interface (if_id) or VTI / marking rule (mark), and the
 * administrator's routes choose them.  Our route in table 220 via the
 * physical device would take the subnet's traffic past them, where the
 * policy does not match it: in the clear. */
static bool wants_route(const struct xf_policy *p)
{
	return p->dir == XFRM_POLICY_OUT && !p->if_id && !p->mark.m;
}

int xf_add_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct xf *x = ctx;
	struct xf_policy key, *p;
	struct xf_owner o;
	bool fwd = k->dir == IKE_DIR_IN && k->mode != IKE_MODE_TRANSPORT;
	char why[128], eb[256], desc[320];
	int rc;

	if (policy_key(k, &key, why, sizeof(why)))
		return fail(x, "add", k, why, err, errlen);
	memset(&o, 0, sizeof(o));
	o.reqid = xf_reqid(k->reqid);
	o.src = k->src;
	o.dst = k->dst;
	o.mode = k->mode;
	o.proto = xf_proto(k->proto);
	o.trap = k->trap;
	p = find(x, &key);
	if (p && o.trap) {
		/* A trap under a policy that exists: CHILD SAs keep it (a trap
		 * with another reqid must not take their traffic); it goes to
		 * the bottom and takes over when the last of them goes. */
		owner_insert(p, 0, &o);
		pol_desc(k, desc, sizeof(desc));
		olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: added %s under the installed policy of reqid "
		     "%u", desc, p->owners[p->n_owners - 1].reqid);
		return 0;
	}
	if (p) {
		/* Another CHILD SA (or the trap) with these selectors: ours is
		 * the newest. */
		rc = send_policy(x, XFRM_MSG_UPDPOLICY, p, p->dir, &o);
		if (rc == 0 && p->fwd)
			rc = send_policy(x, XFRM_MSG_UPDPOLICY, p, XFRM_POLICY_FWD, &o);
		if (rc)
			return fail(x, "update", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)), err, errlen);
		owner_push(p, &o);
	} else {
		key.fwd = fwd;
		rc = send_policy(x, XFRM_MSG_NEWPOLICY, &key, key.dir, &o);
		if (rc)
			return fail(x, "add", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)), err, errlen);
		if (fwd) {
			rc = send_policy(x, XFRM_MSG_NEWPOLICY, &key, XFRM_POLICY_FWD, &o);
			if (rc) {
				del_policy_msg(x, &key, key.dir);
				return fail(x, "add fwd twin of", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)),
					    err, errlen);
			}
		}
		if (x->n_pol == x->cap_pol) {
			x->cap_pol = x->cap_pol ? 2 * x->cap_pol : 16;
			x->pol = xrealloc(x->pol, x->cap_pol * sizeof(*x->pol));
		}
		p = &x->pol[x->n_pol++];
		*p = key;
		owner_push(p, &o);
	}
	if (wants_route(p))
		xf_route_add(x, &p->sel, &o);
	pol_desc(k, desc, sizeof(desc));
	olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: %s %s%s priority %u%s", p->n_owners > 1 ?
	     "updated" : "added", desc, p->fwd ? " (+fwd)" : "", xf_priority(&p->sel),
	     k->trap ? " (ACQUIRE on traffic without SA)" : "");
	return 0;
}

int xf_del_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct xf *x = ctx;
	struct xf_policy key, *p;
	uint32_t reqid = xf_reqid(k->reqid);
	char why[128], eb[256], desc[320];
	size_t i;
	int rc = 0, rc2 = 0;

	if (policy_key(k, &key, why, sizeof(why)))
		return 0;	/* never installed: the add failed and said why */
	p = find(x, &key);
	if (!p)
		return 0;	/* the add failed (and was reported) */
	/* The newest owner with this reqid and kind: a trap and the CHILD SA
	 * its ACQUIRE made share the reqid, and the CHILD SA's going must
	 * leave the trap. */
	for (i = p->n_owners; i > 0; i--)
		if (p->owners[i - 1].reqid == reqid && p->owners[i - 1].trap == k->trap)
			break;
	if (i == 0)
		return 0;
	i--;
	memmove(&p->owners[i], &p->owners[i + 1], (p->n_owners - i - 1) * sizeof(p->owners[0]));
	p->n_owners--;
	pol_desc(k, desc, sizeof(desc));
	if (p->n_owners) {
		/* The newest remaining owner gets the policy. */
		if (i == p->n_owners) {
			const struct xf_owner *o = &p->owners[p->n_owners - 1];

			rc = send_policy(x, XFRM_MSG_UPDPOLICY, p, p->dir, o);
			if (rc == 0 && p->fwd)
				rc = send_policy(x, XFRM_MSG_UPDPOLICY, p, XFRM_POLICY_FWD, o);
			if (rc == 0 && wants_route(p))
				xf_route_add(x, &p->sel, o);
			if (rc == 0)
				olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: %s gone, the policy goes back to "
				     "the %s of reqid %u", desc, o->trap ? "trap" : "CHILD SA", o->reqid);
		}
		if (rc)
			return fail(x, "hand over", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)), err, errlen);
		return 0;
	}
	if (wants_route(p))
		xf_route_del(x, &p->sel);
	rc = del_policy_msg(x, p, p->dir);
	if (p->fwd)
		rc2 = del_policy_msg(x, p, XFRM_POLICY_FWD);
	entry_drop(x, p);
	if (rc == -ENOENT)
		rc = 0;
	if (rc2 == -ENOENT)
		rc2 = 0;
	if (rc || rc2)
		return fail(x, rc ? "delete" : "delete fwd twin of",
			    k, xf_errstr_ext(x, -(rc ? rc : rc2), eb, sizeof(eb)), err, errlen);
	olog(LOG_KERNEL, k->trap ? LVL_INFO : LVL_DEBUG, "kernel-xfrm: deleted %s", desc);
	return 0;
}
