/* kernel-xfrm: virtual IPs (RFC 7296 §3.15) on an interface.
 *
 * An address the responder assigned us goes onto an interface as a host
 * address (/32, /128), so that the tunnel's policy (VIP -> remote subnet)
 * matches our own packets and the route in table 220 gets it as preferred
 * source (xfrm_route.c picks a local address inside the out policy's source
 * selector: the VIP is added before the CHILD SA's policies).
 *
 * Own state: every address osprey adds carries IFA_RT_PRIORITY
 * OSPREY_VIP_MARK (a route metric the kernel keeps with the address and
 * reports in dumps; a host address with IFA_F_NOPREFIXROUTE has no prefix
 * route it could change) and, for IPv4, the label "IFNAME:osp" when it
 * fits.  ospreyd removes its addresses when the IKE SA goes and at
 * shutdown; after a crash the next start-up removes every address with the
 * mark (xf_vips_open), never another one.  Every attribute read is
 * length-checked. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
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
	return fam == AF_INET ? 4 : 16;
}

static struct nla_policy addr_pol[IFA_MAX + 1] = {
	[IFA_RT_PRIORITY] = { .type = NLA_U32 },
};

/* RTM_NEWADDR / RTM_DELADDR for addr/32 (/128) on ifindex. */
static int addr_msg(struct xf *x, int type, int fam, const uint8_t *addr, uint32_t ifindex,
		    const char *ifname)
{
	struct ifaddrmsg ia;
	struct nl_msg *m;
	char label[IFNAMSIZ];
	int rc;

	memset(&ia, 0, sizeof(ia));
	ia.ifa_family = (uint8_t)fam;
	ia.ifa_prefixlen = (uint8_t)(alen(fam) * 8);
	ia.ifa_scope = RT_SCOPE_UNIVERSE;
	ia.ifa_index = ifindex;
	m = nlmsg_alloc_simple(type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	if (!m || nlmsg_append(m, &ia, sizeof(ia), NLMSG_ALIGNTO) < 0 ||
	    nla_put(m, IFA_LOCAL, (int)alen(fam), addr) < 0 ||
	    nla_put(m, IFA_ADDRESS, (int)alen(fam), addr) < 0)
		goto nomem;
	if (type == RTM_NEWADDR) {
		/* No DAD for an address the gateway leased to us alone; no
		 * prefix route (the mark below is that route's metric). */
		if (nla_put_u32(m, IFA_FLAGS, fam == AF_INET6 ? IFA_F_NODAD | IFA_F_NOPREFIXROUTE
							     : IFA_F_NOPREFIXROUTE) < 0 ||
		    nla_put_u32(m, IFA_RT_PRIORITY, OSPREY_VIP_MARK) < 0)
			goto nomem;
		if (fam == AF_INET && ifname && strlen(ifname) + 4 < sizeof(label)) {
			snprintf(label, sizeof(label), "%s:osp", ifname);
			if (nla_put_string(m, IFA_LABEL, label) < 0)
				goto nomem;
		}
	}
	rc = xf_request_on(x, x->rt, m, NULL, NULL);
	nlmsg_free(m);
	return rc;
nomem:
	nlmsg_free(m);
	return -ENOMEM;
}

/* ---- the interface of the main table's default route ---- */

struct default_oif {
	int fam;
	uint32_t oif;
};

static int got_default(struct nl_msg *msg, void *arg)
{
	struct default_oif *d = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *r;
	static struct nla_policy pol[RTA_MAX + 1] = {
		[RTA_TABLE] = { .type = NLA_U32 }, [RTA_OIF] = { .type = NLA_U32 },
	};

	if (d->oif || h->nlmsg_type != RTM_NEWROUTE || !nlmsg_valid_hdr(h, sizeof(*r)) ||
	    nlmsg_parse(h, sizeof(*r), tb, RTA_MAX, pol) < 0)
		return NL_SKIP;
	r = nlmsg_data(h);
	if (r->rtm_family != d->fam || r->rtm_dst_len || r->rtm_type != RTN_UNICAST ||
	    (tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : r->rtm_table) != RT_TABLE_MAIN ||
	    !tb[RTA_OIF])
		return NL_SKIP;
	d->oif = nla_get_u32(tb[RTA_OIF]);
	return NL_OK;
}

static uint32_t default_oif(struct xf *x, int fam)
{
	struct default_oif d = { fam, 0 };
	struct rtmsg r;
	struct nl_msg *m = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);

	memset(&r, 0, sizeof(r));
	r.rtm_family = (uint8_t)fam;
	if (m && nlmsg_append(m, &r, sizeof(r), NLMSG_ALIGNTO) == 0)
		(void)xf_request_on(x, x->rt, m, got_default, &d);
	nlmsg_free(m);
	return d.oif;
}

/* ---- add / del ---- */

int xf_add_vip(void *ctx, const struct ike_endpoint *addr, const char *ifname, char *err,
	       size_t errlen)
{
	struct xf *x = ctx;
	int fam = xf_family(addr->family), rc;
	char a[INET6_ADDRSTRLEN] = "?", name[IF_NAMESIZE] = "", eb[256];
	uint32_t idx;

	inet_ntop(fam ? fam : AF_INET, addr->addr, a, sizeof(a));
	if (!fam || !x->rt) {
		snprintf(err, errlen, "virtual IP %s: %s", a, fam ? "no NETLINK_ROUTE socket"
			 : "not an IPv4/IPv6 address");
		return -1;
	}
	idx = ifname ? if_nametoindex(ifname) : default_oif(x, fam);
	if (!idx) {
		snprintf(err, errlen, "virtual IP %s: %s%s", a, ifname ? "no interface " :
			 "no default route to pick an interface from", ifname ? ifname : "");
		return -1;
	}
	if (!if_indextoname(idx, name))
		snprintf(name, sizeof(name), "#%u", idx);
	rc = addr_msg(x, RTM_NEWADDR, fam, addr->addr, idx, name);
	if (rc) {
		x->errors++;
		snprintf(err, errlen, "virtual IP %s on %s: %s", a, name,
			 rc == -EEXIST ? "the address is there already (not osprey's: left alone)"
			 : xf_errstr_ext(x, -rc, eb, sizeof(eb)));
		return -1;
	}
	x->vips = xrealloc(x->vips, (x->n_vips + 1) * sizeof(*x->vips));
	x->vips[x->n_vips].addr = *addr;
	x->vips[x->n_vips].ifindex = idx;
	x->n_vips++;
	olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: virtual IP %s/%u added on %s", a, alen(fam) * 8,
	     name);
	return 0;
}

static struct xf_vip *find(struct xf *x, const struct ike_endpoint *addr)
{
	for (size_t i = 0; i < x->n_vips; i++)
		if (x->vips[i].addr.family == addr->family &&
		    !memcmp(x->vips[i].addr.addr, addr->addr, alen(xf_family(addr->family))))
			return &x->vips[i];
	return NULL;
}

int xf_del_vip(void *ctx, const struct ike_endpoint *addr, const char *ifname, char *err,
	       size_t errlen)
{
	struct xf *x = ctx;
	struct xf_vip *v = find(x, addr);
	int fam = xf_family(addr->family), rc;
	char a[INET6_ADDRSTRLEN] = "?", eb[256];

	inet_ntop(fam ? fam : AF_INET, addr->addr, a, sizeof(a));
	if (!v) {
		/* Only what we added is removed. */
		snprintf(err, errlen, "virtual IP %s: not added by osprey", a);
		return -1;
	}
	rc = x->rt ? addr_msg(x, RTM_DELADDR, fam, addr->addr, v->ifindex, NULL) : -EIO;
	*v = x->vips[--x->n_vips];
	if (rc && rc != -EADDRNOTAVAIL && rc != -ENODEV) {
		x->errors++;
		snprintf(err, errlen, "remove virtual IP %s: %s", a,
			 xf_errstr_ext(x, -rc, eb, sizeof(eb)));
		return -1;
	}
	olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: virtual IP %s removed", a);
	return 0;
}

/* ---- start-up and shutdown ---- */

struct marked {
	struct { int fam; uint32_t ifindex; uint8_t addr[16]; } *v;
	size_t n;
};

static int got_marked(struct nl_msg *msg, void *arg)
{
	struct marked *l = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	struct nlattr *a;

	if (h->nlmsg_type != RTM_NEWADDR || !nlmsg_valid_hdr(h, sizeof(*ifa)) ||
	    nlmsg_parse(h, sizeof(*ifa), tb, IFA_MAX, addr_pol) < 0)
		return NL_SKIP;
	ifa = nlmsg_data(h);
	if ((ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) ||
	    ifa->ifa_prefixlen != alen(ifa->ifa_family) * 8 || !tb[IFA_RT_PRIORITY] ||
	    nla_get_u32(tb[IFA_RT_PRIORITY]) != OSPREY_VIP_MARK)
		return NL_SKIP;
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || (unsigned)nla_len(a) != alen(ifa->ifa_family))
		return NL_SKIP;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].fam = ifa->ifa_family;
	l->v[l->n].ifindex = ifa->ifa_index;
	memcpy(l->v[l->n].addr, nla_data(a), alen(ifa->ifa_family));
	l->n++;
	return NL_OK;
}

int xf_vips_flush_marked(struct xf *x)
{
	struct marked l = { NULL, 0 };
	struct ifaddrmsg ia;
	struct nl_msg *m;
	size_t n = 0;

	if (!x->rt)
		return 0;
	memset(&ia, 0, sizeof(ia));
	m = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP);
	if (m && nlmsg_append(m, &ia, sizeof(ia), NLMSG_ALIGNTO) == 0)
		(void)xf_request_on(x, x->rt, m, got_marked, &l);
	nlmsg_free(m);
	for (size_t i = 0; i < l.n; i++)
		if (addr_msg(x, RTM_DELADDR, l.v[i].fam, l.v[i].addr, l.v[i].ifindex, NULL) == 0)
			n++;
	free(l.v);
	if (n)
		olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: removed %zu virtual IP%s left by an "
		     "earlier ospreyd", n, n == 1 ? "" : "s");
	return (int)n;
}

void xf_vips_close(struct xf *x)
{
	char err[256];

	while (x->n_vips) {
		struct ike_endpoint a = x->vips[x->n_vips - 1].addr;
		if (xf_del_vip(x, &a, NULL, err, sizeof(err)))
			olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: shutdown: %s", err);
	}
	free(x->vips);
	x->vips = NULL;
}
