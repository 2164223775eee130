/* kernel-xfrm: CHILD SAs and policies in the Linux kernel (NETLINK_XFRM).
 *
 * This file: the netlink socket and requests, start-up and shutdown (only
 * osprey's own state is removed: see xfrm_priv.h), and `ospreyctl
 * list-kernel` with the kernel's counters.  SAs and SPIs are in xfrm_sa.c,
 * policies in xfrm_policy.c. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "log.h"
#include "util.h"
#include "xfrm_priv.h"

/* ---- helpers ---- */

uint32_t xf_reqid(uint32_t engine_reqid)
{
	uint32_t r = engine_reqid & OSPREY_REQID_MASK;

	return OSPREY_REQID_BASE + (r ? r : 1);
}

bool xf_reqid_ours(uint32_t reqid)
{
	return reqid >= OSPREY_REQID_BASE && reqid <= OSPREY_REQID_BASE + OSPREY_REQID_MASK;
}

int xf_family(uint8_t fam)
{
	return fam == 4 ? AF_INET : fam == 6 ? AF_INET6 : 0;
}

void xf_addr(xfrm_address_t *a, const uint8_t *addr, uint8_t fam)
{
	memset(a, 0, sizeof(*a));
	memcpy(a, addr, fam == 4 ? 4 : fam == 6 ? 16 : 0);
}

void xf_ep_str(const struct ike_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ep->family)
		inet_ntop(xf_family(ep->family), ep->addr, a, sizeof(a));
	snprintf(buf, len, "%s", a);
}

uint8_t xf_proto(uint8_t ike_proto)
{
	return ike_proto == 2 /* IKEV2_PROTO_AH */ ? IPPROTO_AH : IPPROTO_ESP;
}

struct xfrm_mark xf_mark(uint32_t value, uint32_t mask)
{
	struct xfrm_mark m = { value & mask, mask };

	return m;
}

int xf_put_mark(struct nl_msg *m, const struct xfrm_mark *mark, uint32_t if_id)
{
	if (mark->m && nla_put(m, XFRMA_MARK, sizeof(*mark), mark) < 0)
		return -1;
	if (if_id && nla_put_u32(m, XFRMA_IF_ID, if_id) < 0)
		return -1;
	return 0;
}

void xf_mark_str(const struct xfrm_mark *mark, uint32_t if_id, char *buf, size_t len)
{
	int n = 0;

	buf[0] = '\0';
	if (mark->m)
		n = snprintf(buf, len, " mark %#x/%#x", mark->v, mark->m);
	if (if_id && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " if_id %u", if_id);
}

const char *xf_errstr(int err, char *buf, size_t len)
{
	const char *name = strerrorname_np(err);

	snprintf(buf, len, "%s (%s)", strerror(err), name ? name : "?");
	return buf;
}

const char *xf_errstr_ext(const struct xf *x, int err, char *buf, size_t len)
{
	const char *name = strerrorname_np(err);

	if (x->ext[0])
		snprintf(buf, len, "%s (%s): %s", strerror(err), name ? name : "?", x->ext);
	else
		snprintf(buf, len, "%s (%s)", strerror(err), name ? name : "?");
	return buf;
}

/* ---- requests ---- */

struct req_state {
	int err;
	bool done;
	char *ext;		/* the kernel's extended ACK message, if any */
	size_t extlen;
};

/* The extended ACK (NETLINK_EXT_ACK): a text such as "Requested AEAD
 * algorithm not found" after the error, bounds-checked against the
 * message length. */
static void ext_ack(const struct nlmsgerr *e, char *buf, size_t len)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e), total;
	const char *p;

	if (!buf || !len || !(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len < NLMSG_HDRLEN)
		return;
	total = h->nlmsg_len - NLMSG_HDRLEN;
	if (!(h->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	p = (const char *)e;
	while (off + NLA_HDRLEN <= total) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || off + alen > total)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && alen > NLA_HDRLEN) {
			size_t n = alen - NLA_HDRLEN;

			if (n >= len)
				n = len - 1;
			memcpy(buf, p + off + NLA_HDRLEN, n);
			buf[n] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			return;
		}
		off += NLA_ALIGN(alen);
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_state *r = arg;

	(void)nla;
	r->err = e->error;	/* 0 for an ACK on old libnl paths */
	if (e->error)
		ext_ack(e, r->ext, r->extlen);
	r->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *m, void *arg)
{
	struct req_state *r = arg;

	(void)m;
	r->done = true;
	return NL_STOP;
}

int xf_request(struct xf *x, struct nl_msg *m, int (*valid)(struct nl_msg *, void *), void *arg)
{
	return xf_request_on(x, x->sk, m, valid, arg);
}

int xf_request_on(struct xf *x, struct nl_sock *sk, struct nl_msg *m,
		  int (*valid)(struct nl_msg *, void *), void *arg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct req_state r = { 0, false, x->ext, sizeof(x->ext) };
	bool dump = nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP;
	int rc;

	if (!cb)
		return -ENOMEM;
	x->ext[0] = '\0';
	if (!dump)
		nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, &r);
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
	rc = nl_send_auto(sk, m);
	if (rc < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!r.done) {
		rc = nl_recvmsgs(sk, cb);
		if (rc < 0 && !r.done) {
			r.err = rc == -NLE_NOMEM ? -ENOMEM : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return r.err;
}

/* ---- dumps ---- */

int xf_dump(struct xf *x, int type, int (*fn)(struct nl_msg *, void *), void *arg)
{
	struct nl_msg *m = nlmsg_alloc_simple(type, NLM_F_DUMP);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = xf_request(x, m, fn, arg);
	nlmsg_free(m);
	return rc;
}

static struct nla_policy sa_policy[XFRMA_MAX + 1];

static void policies_init(void)
{
	sa_policy[XFRMA_LTIME_VAL].minlen = sizeof(struct xfrm_lifetime_cur);
	sa_policy[XFRMA_ENCAP].minlen = sizeof(struct xfrm_encap_tmpl);
	sa_policy[XFRMA_ALG_AEAD].minlen = sizeof(struct xfrm_algo_aead);
	sa_policy[XFRMA_ALG_CRYPT].minlen = sizeof(struct xfrm_algo);
	sa_policy[XFRMA_ALG_AUTH_TRUNC].minlen = sizeof(struct xfrm_algo_auth);
	sa_policy[XFRMA_MARK].minlen = sizeof(struct xfrm_mark);
	sa_policy[XFRMA_IF_ID].minlen = sizeof(uint32_t);
}

/* ---- open / close ---- */

static void *xf_open(const struct conf_kernel *cfg, char *err, size_t errlen)
{
	struct xf *x = xcalloc(1, sizeof(*x));
	char eb[96];
	int rc;

	x->table = cfg && cfg->route_table ? cfg->route_table : CONF_ROUTE_TABLE_DEFAULT;
	policies_init();
	x->sk = nl_socket_alloc();
	if (!x->sk) {
		snprintf(err, errlen, "cannot allocate a netlink socket");
		free(x);
		return NULL;
	}
	rc = nl_connect(x->sk, NETLINK_XFRM);
	if (rc < 0) {
		snprintf(err, errlen, "cannot open NETLINK_XFRM: %s", nl_geterror(rc));
		nl_socket_free(x->sk);
		free(x);
		return NULL;
	}
	{
		int one = 1;	/* the kernel's reason text with errors; optional */

		(void)setsockopt(nl_socket_get_fd(x->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
				 sizeof(one));
	}
	/* Probe: can we read the SA table at all (CAP_NET_ADMIN, XFRM in the kernel)? */
	rc = xf_dump(x, XFRM_MSG_GETSA, NULL, NULL);
	if (rc) {
		snprintf(err, errlen, "cannot read the kernel's XFRM state: %s",
			 xf_errstr(-rc, eb, sizeof(eb)));
		nl_socket_free(x->sk);
		free(x);
		return NULL;
	}
	xf_flush_own(x, "start-up (stale state of an earlier ospreyd)");
	if (xf_routes_open(x, eb, sizeof(eb)))
		olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: no routes for tunnels: %s", eb);
	xf_vips_flush_marked(x); /* virtual IPs a crashed ospreyd left (xfrm_vip.c) */
	if (xf_events_open(x, eb, sizeof(eb)))
		olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: no kernel events (expire, acquire): %s",
		     eb);
	olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: ready; osprey's SAs and policy templates use "
	     "reqid %08x-%08x; routes for tunnels in table %u (rule priority %u)",
	     OSPREY_REQID_BASE, OSPREY_REQID_BASE + OSPREY_REQID_MASK, x->table, OSPREY_RULE_PRIO);
	return x;
}

static void xf_close(void *ctx)
{
	struct xf *x = ctx;

	if (!x)
		return;
	xf_flush_own(x, "shutdown");
	xf_events_close(x);
	xf_vips_close(x);
	xf_routes_close(x);
	xf_policies_free(x);
	nl_socket_free(x->sk);
	free(x);
}

/* ---- list-kernel ---- */

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void addr_str(const xfrm_address_t *a, int fam, char *buf, size_t len)
{
	if (!inet_ntop(fam, a, buf, len))
		snprintf(buf, len, "?");
}

static const struct xfrm_mark no_mark;

/* "mark": "0x2a/0xffffffff" (absent without), "if_id": 42 (0: none). */
static void add_mark(json_object *o, const struct xfrm_mark *mark, uint32_t if_id)
{
	char buf[32];

	if (mark->m) {
		snprintf(buf, sizeof(buf), "%#x/%#x", mark->v, mark->m);
		add_str(o, "mark", buf);
	}
	add_int(o, "if_id", if_id);
}

static int list_sa(struct nl_msg *m, void *arg)
{
	json_object *arr = arg, *o;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *a[XFRMA_MAX + 1];
	const struct xfrm_usersa_info *p;
	char buf[80];

	if (h->nlmsg_type != XFRM_MSG_NEWSA || !nlmsg_valid_hdr(h, sizeof(*p)) ||
	    nlmsg_parse(h, sizeof(*p), a, XFRMA_MAX, sa_policy) < 0)
		return NL_SKIP;
	p = nlmsg_data(h);
	if (!xf_reqid_ours(p->reqid))
		return NL_SKIP;
	o = json_object_new_object();
	snprintf(buf, sizeof(buf), "%08x", ntohl(p->id.spi));
	add_str(o, "spi", buf);
	add_str(o, "proto", p->id.proto == IPPROTO_AH ? "ah" : "esp");
	addr_str(&p->saddr, p->family, buf, sizeof(buf));
	add_str(o, "src", buf);
	addr_str(&p->id.daddr, p->family, buf, sizeof(buf));
	add_str(o, "dst", buf);
	add_int(o, "reqid", p->reqid);
	add_str(o, "mode", p->mode == XFRM_MODE_TRANSPORT ? "transport" : "tunnel");
	add_str(o, "state", !p->id.spi ? "acquire" : p->reqid == OSPREY_REQID_BASE ?
		"spi-allocated" : "installed");
	/* algorithm names: the first member of each struct, NUL-terminated here */
	if (a[XFRMA_ALG_AEAD] || a[XFRMA_ALG_CRYPT]) {
		const char *n = nla_data(a[XFRMA_ALG_AEAD] ? a[XFRMA_ALG_AEAD] : a[XFRMA_ALG_CRYPT]);

		snprintf(buf, sizeof(buf), "%.*s", (int)strnlen(n, 64), n);
		add_str(o, "encr", buf);
	}
	if (a[XFRMA_ALG_AUTH_TRUNC]) {
		const char *n = nla_data(a[XFRMA_ALG_AUTH_TRUNC]);

		snprintf(buf, sizeof(buf), "%.*s", (int)strnlen(n, 64), n);
		add_str(o, "integ", buf);
	}
	json_object_object_add(o, "encap", json_object_new_boolean(a[XFRMA_ENCAP] != NULL));
	add_mark(o, a[XFRMA_MARK] ? nla_data(a[XFRMA_MARK]) : &no_mark,
		 a[XFRMA_IF_ID] ? nla_get_u32(a[XFRMA_IF_ID]) : 0);
	/* curlft is in the fixed part; XFRMA_LTIME_VAL (when sent) is the same. */
	add_int(o, "bytes", (int64_t)p->curlft.bytes);
	add_int(o, "packets", (int64_t)p->curlft.packets);
	add_int(o, "add_time", (int64_t)p->curlft.add_time);
	add_int(o, "replay_errors", p->stats.replay);
	add_int(o, "integrity_errors", p->stats.integrity_failed);
	json_object_array_add(arr, o);
	return NL_OK;
}

static json_object *xf_list(void *ctx)
{
	struct xf *x = ctx;
	json_object *o = json_object_new_object(), *sas = json_object_new_array(), *pols;
	char eb[96], s[112];
	int rc;

	add_str(o, "backend", "xfrm");
	rc = xf_dump(x, XFRM_MSG_GETSA, list_sa, sas);
	if (rc)
		add_str(o, "error", xf_errstr(-rc, eb, sizeof(eb)));
	json_object_object_add(o, "sas", sas);
	pols = json_object_new_array();
	for (size_t i = 0; i < x->n_pol; i++) {
		const struct xf_policy *p = &x->pol[i];
		json_object *po = json_object_new_object();
		int fam = p->sel.family;
		size_t traps = 0;

		for (size_t j = 0; j < p->n_owners; j++)
			traps += p->owners[j].trap;

		addr_str(&p->sel.saddr, fam, eb, sizeof(eb));
		snprintf(s, sizeof(s), "%s/%u", eb, p->sel.prefixlen_s);
		add_str(po, "src", s);
		addr_str(&p->sel.daddr, fam, eb, sizeof(eb));
		snprintf(s, sizeof(s), "%s/%u", eb, p->sel.prefixlen_d);
		add_str(po, "dst", s);
		add_str(po, "dir", p->dir == XFRM_POLICY_IN ? (p->fwd ? "in+fwd" : "in") : "out");
		add_int(po, "priority", xf_priority(&p->sel));
		add_int(po, "reqid", p->owners[p->n_owners - 1].reqid);
		add_mark(po, &p->mark, p->if_id);
		/* the installed template is the trap's (no CHILD SA over it) */
		json_object_object_add(po, "trap",
				       json_object_new_boolean(p->owners[p->n_owners - 1].trap));
		add_int(po, "children", (int64_t)(p->n_owners - traps));
		add_int(po, "traps", (int64_t)traps);
		json_object_array_add(pols, po);
	}
	json_object_object_add(o, "policies", pols);
	add_int(o, "reqid_base", OSPREY_REQID_BASE);
	add_int(o, "errors", (int64_t)x->errors);
	return o;
}

const struct kernel_ops kernel_xfrm_ops = {
	.name = "xfrm",
	.open = xf_open,
	.close = xf_close,
	.get_spi = xf_get_spi,
	.add_sa = xf_add_sa,
	.del_sa = xf_del_sa,
	.add_policy = xf_add_policy,
	.del_policy = xf_del_policy,
	.list = xf_list,
	.sa_stats = xf_sa_stats,
	.event_fd = xf_event_fd,
	.read_events = xf_read_events,
	.add_vip = xf_add_vip,
	.del_vip = xf_del_vip,
};
