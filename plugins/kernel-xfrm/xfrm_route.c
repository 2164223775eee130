/* kernel-xfrm: routes for tunnels.  Traffic for a remote subnet needs a
 * route before the out policy can encrypt it; each tunnel-mode out policy
 * gets one to its destination selector, through the next hop and device
 * that lead to the peer, with a local address inside the source selector as
 * preferred source (so that the gateway's own packets match the policy).
 *
 * Own state: routes in table x->table (kernel.route_table, 220 by default)
 * with protocol OSPREY_ROUTE_PROTO, and the rules "priority OSPREY_RULE_PRIO
 * lookup x->table protocol OSPREY_ROUTE_PROTO" (IPv4 and IPv6); start-up and
 * shutdown remove exactly those.  Every attribute read is length-checked. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "xfrm_priv.h"

static unsigned alen(int fam)
{
	return fam == AF_INET ? 4 : fam == AF_INET6 ? 16 : 0;
}

/* an address attribute of exactly the family's length, else NULL */
static const void *addr_attr(struct nlattr *a, int fam)
{
	return a && alen(fam) && (unsigned)nla_len(a) == alen(fam) ? nla_data(a) : NULL;
}

static bool in_prefix(const void *addr, const void *net, unsigned plen)
{
	const uint8_t *a = addr, *n = net;

	for (unsigned i = 0; i < plen; i++)
		if (((a[i / 8] ^ n[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

/* The 8-bit table field of rtmsg / fib_rule_hdr: the table itself when it
 * fits, else RT_TABLE_UNSPEC and the RTA_TABLE / FRA_TABLE attribute rules. */
static uint8_t table8(uint32_t table)
{
	return table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
}

static int rule(struct xf *x, int type, int fam)
{
	struct fib_rule_hdr h;
	struct nl_msg *m;
	int rc;

	memset(&h, 0, sizeof(h));
	h.family = (uint8_t)fam;
	h.table = table8(x->table);
	h.action = FR_ACT_TO_TBL;
	m = nlmsg_alloc_simple(type, type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	if (!m || nlmsg_append(m, &h, sizeof(h), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, FRA_PRIORITY, OSPREY_RULE_PRIO) < 0 ||
	    nla_put_u32(m, FRA_TABLE, x->table) < 0 ||
	    nla_put_u8(m, FRA_PROTOCOL, OSPREY_ROUTE_PROTO) < 0) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	rc = xf_request_on(x, x->rt, m, NULL, NULL);
	nlmsg_free(m);
	return rc;
}

/* ---- our routes: found by table and protocol ---- */

struct route_list {
	struct nl_msg **v;
	size_t n;
	uint32_t table;
};

static struct nla_policy rt_pol[RTA_MAX + 1] = {
	[RTA_TABLE] = { .type = NLA_U32 },
	[RTA_OIF] = { .type = NLA_U32 },
};

static int collect_route(struct nl_msg *msg, void *arg)
{
	struct route_list *l = arg;
	uint32_t want = l->table;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *r;
	struct rtmsg d;
	struct nl_msg *m;
	const void *dst;
	uint32_t table;

	if (h->nlmsg_type != RTM_NEWROUTE || !nlmsg_valid_hdr(h, sizeof(*r)) ||
	    nlmsg_parse(h, sizeof(*r), tb, RTA_MAX, rt_pol) < 0)
		return NL_SKIP;
	r = nlmsg_data(h);
	table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : r->rtm_table;
	if (table != want || r->rtm_protocol != OSPREY_ROUTE_PROTO)
		return NL_SKIP;
	dst = addr_attr(tb[RTA_DST], r->rtm_family);
	if (r->rtm_dst_len && !dst)
		return NL_SKIP;
	d = *r;
	d.rtm_scope = RT_SCOPE_NOWHERE;
	m = nlmsg_alloc_simple(RTM_DELROUTE, 0);
	if (!m || nlmsg_append(m, &d, sizeof(d), NLMSG_ALIGNTO) < 0 ||
	    (dst && nla_put(m, RTA_DST, (int)alen(r->rtm_family), dst) < 0) ||
	    nla_put_u32(m, RTA_TABLE, want) < 0) {
		nlmsg_free(m);
		return NL_SKIP;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = m;
	return NL_OK;
}

static void flush_routes(struct xf *x)
{
	struct route_list l = { NULL, 0, x->table };
	struct rtmsg r;
	struct nl_msg *m = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);
	size_t n = 0;

	memset(&r, 0, sizeof(r));
	if (!m || nlmsg_append(m, &r, sizeof(r), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(m);
		return;
	}
	(void)xf_request_on(x, x->rt, m, collect_route, &l);
	nlmsg_free(m);
	for (size_t i = 0; i < l.n; i++) {
		if (xf_request_on(x, x->rt, l.v[i], NULL, NULL) == 0)
			n++;
		nlmsg_free(l.v[i]);
	}
	free(l.v);
	if (n)
		olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: removed %zu osprey route%s (table %u)", n,
		     n == 1 ? "" : "s", x->table);
}

int xf_routes_open(struct xf *x, char *err, size_t errlen)
{
	char eb[256];
	int rc;

	x->rt = nl_socket_alloc();
	if (!x->rt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = nl_connect(x->rt, NETLINK_ROUTE);
	if (rc < 0) {
		snprintf(err, errlen, "cannot open NETLINK_ROUTE: %s", nl_geterror(rc));
		nl_socket_free(x->rt);
		x->rt = NULL;
		return -1;
	}
	flush_routes(x);
	for (int i = 0; i < 2; i++) {
		int fam = i ? AF_INET6 : AF_INET;

		rc = rule(x, RTM_NEWRULE, fam);
		if (rc && rc != -EEXIST && rc != -EAFNOSUPPORT)
			olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: cannot add the %s rule \"priority %u "
			     "lookup %u\": %s", fam == AF_INET ? "IPv4" : "IPv6", OSPREY_RULE_PRIO,
			     x->table, xf_errstr_ext(x, -rc, eb, sizeof(eb)));
	}
	return 0;
}

void xf_routes_close(struct xf *x)
{
	if (!x->rt)
		return;
	flush_routes(x);
	(void)rule(x, RTM_DELRULE, AF_INET);
	(void)rule(x, RTM_DELRULE, AF_INET6);
	nl_socket_free(x->rt);
	x->rt = NULL;
}

/* ---- one route ---- */

struct hop {
	int fam;
	bool gw_set, src_set, from_us;
	uint32_t oif;
	uint8_t gw[16], src[16];
	uint32_t table;		/* osprey's */
	const struct xfrm_selector *sel;	/* address lookup: inside sel's source */
};

static int got_hop(struct nl_msg *msg, void *arg)
{
	struct hop *hp = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *r;
	const void *gw;

	if (h->nlmsg_type != RTM_NEWROUTE || !nlmsg_valid_hdr(h, sizeof(*r)) ||
	    nlmsg_parse(h, sizeof(*r), tb, RTA_MAX, rt_pol) < 0)
		return NL_SKIP;
	r = nlmsg_data(h);
	if (r->rtm_family != hp->fam)
		return NL_SKIP;
	hp->from_us = (tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : r->rtm_table) ==
		      hp->table;
	if (tb[RTA_OIF])
		hp->oif = nla_get_u32(tb[RTA_OIF]);
	gw = addr_attr(tb[RTA_GATEWAY], hp->fam);
	if (gw) {
		memcpy(hp->gw, gw, alen(hp->fam));
		hp->gw_set = true;
	}
	return NL_OK;
}

static int got_addr(struct nl_msg *msg, void *arg)
{
	struct hop *hp = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	const void *a;

	if (hp->src_set || h->nlmsg_type != RTM_NEWADDR || !nlmsg_valid_hdr(h, sizeof(*ifa)) ||
	    nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return NL_SKIP;
	ifa = nlmsg_data(h);
	if (ifa->ifa_family != hp->fam)
		return NL_SKIP;
	a = addr_attr(tb[IFA_LOCAL], hp->fam);
	if (!a)
		a = addr_attr(tb[IFA_ADDRESS], hp->fam);
	if (a && in_prefix(a, &hp->sel->saddr, hp->sel->prefixlen_s)) {
		memcpy(hp->src, a, alen(hp->fam));
		hp->src_set = true;
	}
	return NL_OK;
}

static void sel_str(const struct xfrm_selector *sel, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(sel->family, &sel->daddr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, sel->prefixlen_d);
}

void xf_route_add(struct xf *x, const struct xfrm_selector *sel, const struct xf_owner *o)
{
	struct hop hp;
	struct rtmsg r;
	struct nl_msg *m;
	char eb[256], dst[INET6_ADDRSTRLEN + 8];
	int fam = sel->family, pfam = xf_family(o->dst.family), rc;

	if (!x->rt || o->mode == IKE_MODE_TRANSPORT || !pfam)
		return;
	sel_str(sel, dst, sizeof(dst));
	memset(&hp, 0, sizeof(hp));
	hp.fam = pfam;
	hp.table = x->table;
	hp.sel = sel;
	/* the way to the peer (its family: an IPv6 subnet may be tunnelled to
	 * an IPv4 peer, e.g. with an IPv6 virtual IP) */
	memset(&r, 0, sizeof(r));
	r.rtm_family = (uint8_t)pfam;
	r.rtm_dst_len = (uint8_t)(alen(pfam) * 8);
	m = nlmsg_alloc_simple(RTM_GETROUTE, 0);
	if (!m || nlmsg_append(m, &r, sizeof(r), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, RTA_DST, (int)alen(pfam), o->dst.addr) < 0) {
		nlmsg_free(m);
		return;
	}
	rc = xf_request_on(x, x->rt, m, got_hop, &hp);
	nlmsg_free(m);
	if (rc || !hp.oif || hp.from_us) {
		olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: no route to %s added: %s", dst, rc ?
		     xf_errstr_ext(x, -rc, eb, sizeof(eb)) : hp.from_us ?
		     "the peer itself is reached through an osprey route" : "no way to the peer");
		return;
	}
	/* Across families the route only names the device: the next hop is
	 * the peer's family's, and XFRM sends the packet there. */
	if (pfam != fam)
		hp.gw_set = false;
	hp.fam = fam;
	/* a local address inside the source selector */
	{
		struct ifaddrmsg ia;

		memset(&ia, 0, sizeof(ia));
		ia.ifa_family = (uint8_t)fam;
		m = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP);
		if (m && nlmsg_append(m, &ia, sizeof(ia), NLMSG_ALIGNTO) == 0)
			(void)xf_request_on(x, x->rt, m, got_addr, &hp);
		nlmsg_free(m);
	}
	memset(&r, 0, sizeof(r));
	r.rtm_family = (uint8_t)fam;
	r.rtm_dst_len = sel->prefixlen_d;
	r.rtm_table = table8(x->table);
	r.rtm_protocol = OSPREY_ROUTE_PROTO;
	r.rtm_scope = RT_SCOPE_UNIVERSE;
	r.rtm_type = RTN_UNICAST;
	m = nlmsg_alloc_simple(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
	if (!m || nlmsg_append(m, &r, sizeof(r), NLMSG_ALIGNTO) < 0 ||
	    (sel->prefixlen_d && nla_put(m, RTA_DST, (int)alen(fam), &sel->daddr) < 0) ||
	    nla_put_u32(m, RTA_TABLE, x->table) < 0 ||
	    nla_put_u32(m, RTA_OIF, hp.oif) < 0 ||
	    (hp.gw_set && nla_put(m, RTA_GATEWAY, (int)alen(fam), hp.gw) < 0) ||
	    (hp.src_set && nla_put(m, RTA_PREFSRC, (int)alen(fam), hp.src) < 0)) {
		nlmsg_free(m);
		return;
	}
	rc = xf_request_on(x, x->rt, m, NULL, NULL);
	nlmsg_free(m);
	if (rc) {
		x->errors++;
		olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: add route to %s (table %u): %s", dst,
		     x->table, xf_errstr_ext(x, -rc, eb, sizeof(eb)));
		return;
	}
	olog(LOG_KERNEL, LVL_DEBUG, "kernel-xfrm: route to %s in table %u%s", dst,
	     x->table, hp.src_set ? " with a local source inside the selector" : "");
}

void xf_route_del(struct xf *x, const struct xfrm_selector *sel)
{
	struct rtmsg r;
	struct nl_msg *m;
	char eb[256], dst[INET6_ADDRSTRLEN + 8];
	int fam = sel->family, rc;

	if (!x->rt)
		return;
	memset(&r, 0, sizeof(r));
	r.rtm_family = (uint8_t)fam;
	r.rtm_dst_len = sel->prefixlen_d;
	r.rtm_table = table8(x->table);
	r.rtm_protocol = OSPREY_ROUTE_PROTO;
	r.rtm_scope = RT_SCOPE_NOWHERE;
	m = nlmsg_alloc_simple(RTM_DELROUTE, 0);
	if (!m || nlmsg_append(m, &r, sizeof(r), NLMSG_ALIGNTO) < 0 ||
	    (sel->prefixlen_d && nla_put(m, RTA_DST, (int)alen(fam), &sel->daddr) < 0) ||
	    nla_put_u32(m, RTA_TABLE, x->table) < 0) {
		nlmsg_free(m);
		return;
	}
	rc = xf_request_on(x, x->rt, m, NULL, NULL);
	nlmsg_free(m);
	if (rc && rc != -ESRCH && rc != -ENOENT) {
		sel_str(sel, dst, sizeof(dst));
		olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: delete route to %s: %s", dst,
		     xf_errstr_ext(x, -rc, eb, sizeof(eb)));
	}
}
