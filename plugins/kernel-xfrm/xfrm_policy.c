/* kernel-xfrm: IPsec policies (NEWPOLICY / UPDPOLICY / DELPOLICY).
 *
 * The engine asks for an out and an in policy per pair of traffic
 * selectors; in tunnel mode a fwd policy goes with the in one (traffic for
 * the subnet behind this gateway is forwarded, not delivered locally).  The
 * template carries the CHILD SA's reqid and endpoints.
 *
 * Several CHILD SAs can use the same selectors (a rekey makes the new one
 * before the old one goes; two conns may overlap): the kernel holds one
 * policy per selector and direction, so each is counted here.  The newest
 * CHILD SA's template is installed; when it goes, the template of the one
 * before it comes back (UPDPOLICY), and the last one deletes the policy. */
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
	char s[96], d[96];

	ike_ts_format(&k->ts_src, s, sizeof(s));
	ike_ts_format(&k->ts_dst, d, sizeof(d));
	snprintf(buf, len, "policy %s %s === %s reqid %u", k->dir == IKE_DIR_IN ? "in" : "out", s, d,
		 xf_reqid(k->reqid));
}

static int fail(struct xf *x, const char *what, const struct ike_kernel *k, const char *why,
		char *buf, size_t len)
{
	char desc[256];

	x->errors++;
	pol_desc(k, desc, sizeof(desc));
	snprintf(buf, len, "%s %s: %s", what, desc, why);
	return -1;
}

/* ---- messages ---- */

static int send_policy(struct xf *x, int type, const struct xfrm_selector *sel, uint8_t dir,
		       const struct xf_owner *o)
{
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
	    nla_put(m, XFRMA_TMPL, sizeof(t), &t) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	rc = xf_request(x, m, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

static int del_policy_msg(struct xf *x, const struct xfrm_selector *sel, uint8_t dir)
{
	struct xfrm_userpolicy_id id;
	struct nl_msg *m;
	int rc;

	memset(&id, 0, sizeof(id));
	id.sel = *sel;
	id.dir = dir;
	m = nlmsg_alloc_simple(XFRM_MSG_DELPOLICY, 0);
	if (!m || nlmsg_append(m, &id, sizeof(id), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	rc = xf_request(x, m, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

/* ---- the table ---- */

static struct xf_policy *find(struct xf *x, const struct xfrm_selector *sel, uint8_t dir)
{
	for (size_t i = 0; i < x->n_pol; i++)
		if (x->pol[i].dir == dir && !memcmp(&x->pol[i].sel, sel, sizeof(*sel)))
			return &x->pol[i];
	return NULL;
}

static void owner_push(struct xf_policy *p, const struct xf_owner *o)
{
	p->owners = xrealloc(p->owners, (p->n_owners + 1) * sizeof(*o));
	p->owners[p->n_owners++] = *o;
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

int xf_add_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct xf *x = ctx;
	struct xfrm_selector sel;
	struct xf_owner o;
	struct xf_policy *p;
	uint8_t dir = k->dir == IKE_DIR_OUT ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
	bool fwd = k->dir == IKE_DIR_IN && k->mode != IKE_MODE_TRANSPORT;
	char why[128], eb[256], desc[256];
	int rc;

	if (xf_ts_selector(&k->ts_src, &k->ts_dst, &sel, why, sizeof(why)))
		return fail(x, "add", k, why, err, errlen);
	memset(&o, 0, sizeof(o));
	o.reqid = xf_reqid(k->reqid);
	o.src = k->src;
	o.dst = k->dst;
	o.mode = k->mode;
	o.proto = xf_proto(k->proto);
	p = find(x, &sel, dir);
	if (p) {
		/* Another CHILD SA with these selectors: ours is the newest. */
		rc = send_policy(x, XFRM_MSG_UPDPOLICY, &sel, dir, &o);
		if (rc == 0 && p->fwd)
			rc = send_policy(x, XFRM_MSG_UPDPOLICY, &sel, XFRM_POLICY_FWD, &o);
		if (rc)
			return fail(x, "update", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)), err, errlen);
		owner_push(p, &o);
		if (dir == XFRM_POLICY_OUT)
			xf_route_add(x, &sel, &o);
	} else {
		rc = send_policy(x, XFRM_MSG_NEWPOLICY, &sel, dir, &o);
		if (rc)
			return fail(x, "add", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)), err, errlen);
		if (fwd) {
			rc = send_policy(x, XFRM_MSG_NEWPOLICY, &sel, XFRM_POLICY_FWD, &o);
			if (rc) {
				del_policy_msg(x, &sel, dir);
				return fail(x, "add fwd twin of", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)),
					    err, errlen);
			}
		}
		if (x->n_pol == x->cap_pol) {
			x->cap_pol = x->cap_pol ? 2 * x->cap_pol : 16;
			x->pol = xrealloc(x->pol, x->cap_pol * sizeof(*x->pol));
		}
		p = &x->pol[x->n_pol++];
		memset(p, 0, sizeof(*p));
		p->sel = sel;
		p->dir = dir;
		p->fwd = fwd;
		owner_push(p, &o);
		if (dir == XFRM_POLICY_OUT)
			xf_route_add(x, &sel, &o);
	}
	pol_desc(k, desc, sizeof(desc));
	olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: %s %s%s priority %u", p->n_owners > 1 ? "updated" :
	     "added", desc, p->fwd ? " (+fwd)" : "", xf_priority(&sel));
	return 0;
}

int xf_del_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen)
{
	struct xf *x = ctx;
	struct xfrm_selector sel;
	struct xf_policy *p;
	uint8_t dir = k->dir == IKE_DIR_OUT ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
	uint32_t reqid = xf_reqid(k->reqid);
	char why[128], eb[256];
	size_t i;
	int rc = 0, rc2 = 0;

	if (xf_ts_selector(&k->ts_src, &k->ts_dst, &sel, why, sizeof(why)))
		return 0;	/* never installed: the add failed and said why */
	p = find(x, &sel, dir);
	if (!p)
		return 0;	/* the add failed (and was reported) */
	for (i = 0; i < p->n_owners; i++)
		if (p->owners[i].reqid == reqid)
			break;
	if (i == p->n_owners)
		return 0;
	memmove(&p->owners[i], &p->owners[i + 1], (p->n_owners - i - 1) * sizeof(p->owners[0]));
	p->n_owners--;
	if (p->n_owners) {
		/* The newest remaining CHILD SA gets the policy. */
		if (i == p->n_owners) {
			const struct xf_owner *o = &p->owners[p->n_owners - 1];

			rc = send_policy(x, XFRM_MSG_UPDPOLICY, &sel, dir, o);
			if (rc == 0 && p->fwd)
				rc = send_policy(x, XFRM_MSG_UPDPOLICY, &sel, XFRM_POLICY_FWD, o);
			if (rc == 0 && dir == XFRM_POLICY_OUT)
				xf_route_add(x, &sel, o);
		}
		if (rc)
			return fail(x, "hand over", k, xf_errstr_ext(x, -rc, eb, sizeof(eb)), err, errlen);
		return 0;
	}
	if (dir == XFRM_POLICY_OUT)
		xf_route_del(x, &sel);
	rc = del_policy_msg(x, &sel, dir);
	if (p->fwd)
		rc2 = del_policy_msg(x, &sel, XFRM_POLICY_FWD);
	entry_drop(x, p);
	if (rc == -ENOENT)
		rc = 0;
	if (rc2 == -ENOENT)
		rc2 = 0;
	if (rc || rc2)
		return fail(x, rc ? "delete" : "delete fwd twin of",
			    k, xf_errstr_ext(x, -(rc ? rc : rc2), eb, sizeof(eb)), err, errlen);
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-xfrm: deleted policy (reqid %u)", reqid);
	return 0;
}
