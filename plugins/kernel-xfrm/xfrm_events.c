/* kernel-xfrm: the kernel's events (XFRMNLGRP_EXPIRE, XFRMNLGRP_ACQUIRE) on
 * a second, non-blocking socket.  Only events about osprey's own state (by
 * reqid, see xfrm_priv.h) are handed on; everything read is length-checked
 * before use. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <string.h>

#include "ikev2_const.h"
#include "kernel.h"
#include "log.h"
#include "xfrm_priv.h"

int xf_events_open(struct xf *x, char *err, size_t errlen)
{
	int rc;

	x->ev = nl_socket_alloc();
	if (!x->ev) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	nl_socket_disable_seq_check(x->ev);
	rc = nl_connect(x->ev, NETLINK_XFRM);
	if (rc == 0)
		rc = nl_socket_add_memberships(x->ev, XFRMNLGRP_EXPIRE, XFRMNLGRP_ACQUIRE, 0);
	if (rc == 0)
		rc = nl_socket_set_nonblocking(x->ev);
	if (rc < 0) {
		snprintf(err, errlen, "%s", nl_geterror(rc));
		nl_socket_free(x->ev);
		x->ev = NULL;
		return -1;
	}
	(void)nl_socket_set_buffer_size(x->ev, 1 << 20, 0);
	return 0;
}

void xf_events_close(struct xf *x)
{
	if (x->ev)
		nl_socket_free(x->ev);
	x->ev = NULL;
}

static uint8_t fam_of(uint16_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 6 : 0;
}

static void ep_of(struct ike_endpoint *ep, const xfrm_address_t *a, uint16_t af)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = fam_of(af);
	memcpy(ep->addr, a, ep->family == 4 ? 4 : ep->family == 6 ? 16 : 0);
}

/* prefix/len -> start..end */
static void ts_of(struct ike_ts *t, const xfrm_address_t *a, uint8_t plen, uint16_t af,
		  uint8_t proto, uint16_t port, uint16_t mask)
{
	unsigned bytes = af == AF_INET ? 4 : 16, bits = bytes * 8;

	memset(t, 0, sizeof(*t));
	t->family = fam_of(af);
	t->proto = proto;
	if (plen > bits)
		plen = (uint8_t)bits;
	memcpy(t->start, a, bytes);
	for (unsigned i = plen; i < bits; i++)
		t->start[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	memcpy(t->end, t->start, bytes);
	for (unsigned i = plen; i < bits; i++)
		t->end[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	t->port_lo = mask ? ntohs(port) : 0;
	t->port_hi = mask ? ntohs(port) : 0xffff;
}

static uint32_t engine_reqid(uint32_t kernel_reqid)
{
	return kernel_reqid - OSPREY_REQID_BASE;
}

int xf_event_parse(const struct nlmsghdr *h, struct kernel_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (h->nlmsg_type == XFRM_MSG_EXPIRE) {
		const struct xfrm_user_expire *e;

		if (!nlmsg_valid_hdr(h, sizeof(*e)))
			return -1;
		e = nlmsg_data(h);
		if (!xf_reqid_ours(e->state.reqid) || e->state.reqid == OSPREY_REQID_BASE)
			return 0;	/* not ours, or an SPI that never became an SA */
		if (fam_of(e->state.family) == 0)
			return -1;
		ev->kind = e->hard ? KERNEL_EV_HARD_EXPIRE : KERNEL_EV_SOFT_EXPIRE;
		ev->reqid = engine_reqid(e->state.reqid);
		ev->spi = ntohl(e->state.id.spi);
		ev->proto = e->state.id.proto == IPPROTO_AH ? IKEV2_PROTO_AH : IKEV2_PROTO_ESP;
		ep_of(&ev->src, &e->state.saddr, e->state.family);
		ep_of(&ev->dst, &e->state.id.daddr, e->state.family);
		return 1;
	}
	if (h->nlmsg_type == XFRM_MSG_ACQUIRE) {
		static struct nla_policy pol[XFRMA_MAX + 1] = {
			[XFRMA_TMPL] = { .minlen = sizeof(struct xfrm_user_tmpl) },
		};
		struct nlattr *a[XFRMA_MAX + 1];
		const struct xfrm_user_acquire *q;
		const struct xfrm_user_tmpl *t;
		const struct xfrm_selector *s;

		if (!nlmsg_valid_hdr(h, sizeof(*q)) ||
		    nlmsg_parse((struct nlmsghdr *)h, sizeof(*q), a, XFRMA_MAX, pol) < 0)
			return -1;
		q = nlmsg_data(h);
		if (!a[XFRMA_TMPL])
			return 0;
		t = nla_data(a[XFRMA_TMPL]);	/* minlen: one template at least */
		if (!xf_reqid_ours(t->reqid) || t->reqid == OSPREY_REQID_BASE)
			return 0;
		s = &q->sel;
		if (fam_of(s->family) == 0 || fam_of(t->family) == 0)
			return -1;
		ev->kind = KERNEL_EV_ACQUIRE;
		ev->reqid = engine_reqid(t->reqid);
		ev->proto = t->id.proto == IPPROTO_AH ? IKEV2_PROTO_AH : IKEV2_PROTO_ESP;
		ep_of(&ev->src, &q->saddr, t->family);
		ep_of(&ev->dst, &q->id.daddr, t->family);
		ts_of(&ev->ts_src, &s->saddr, s->prefixlen_s, s->family, s->proto, s->sport,
		      s->sport_mask);
		ts_of(&ev->ts_dst, &s->daddr, s->prefixlen_d, s->family, s->proto, s->dport,
		      s->dport_mask);
		return 1;
	}
	return 0;
}

int xf_event_fd(void *ctx)
{
	struct xf *x = ctx;

	return x && x->ev ? nl_socket_get_fd(x->ev) : -1;
}

struct ev_ctx {
	void (*fn)(void *, const struct kernel_event *);
	void *arg;
	unsigned n, bad;
};

static const char *const kind_names[] = { "soft expire", "hard expire", "acquire" };

static int on_event(struct nl_msg *m, void *arg)
{
	struct ev_ctx *c = arg;
	struct kernel_event ev;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	int rc = xf_event_parse(nlmsg_hdr(m), &ev);

	if (rc < 0) {
		c->bad++;
		return NL_SKIP;
	}
	if (rc == 0)
		return NL_SKIP;
	xf_ep_str(&ev.src, s, sizeof(s));
	xf_ep_str(&ev.dst, d, sizeof(d));
	if (ev.kind == KERNEL_EV_ACQUIRE) {
		char ts[96], td[96];

		ike_ts_format(&ev.ts_src, ts, sizeof(ts));
		ike_ts_format(&ev.ts_dst, td, sizeof(td));
		olog(LOG_KERNEL, LVL_INFO, "kernel-xfrm: acquire for reqid %u: %s -> %s (SA %s -> %s)",
		     ev.reqid + OSPREY_REQID_BASE, ts, td, s, d);
	} else {
		olog(LOG_KERNEL, ev.kind == KERNEL_EV_SOFT_EXPIRE ? LVL_DEBUG : LVL_INFO,
		     "kernel-xfrm: %s of SA %s spi %08x %s -> %s reqid %u", kind_names[ev.kind],
		     ev.proto == IKEV2_PROTO_AH ? "ah" : "esp", ev.spi, s, d,
		     ev.reqid + OSPREY_REQID_BASE);
	}
	c->n++;
	if (c->fn)
		c->fn(c->arg, &ev);
	return NL_OK;
}

static int no_seq_check(struct nl_msg *m, void *arg)
{
	(void)m;
	(void)arg;
	return NL_OK;	/* multicast events carry no sequence of ours */
}

void xf_read_events(void *ctx, void (*fn)(void *arg, const struct kernel_event *ev), void *arg)
{
	struct xf *x = ctx;
	struct ev_ctx c = { fn, arg, 0, 0 };
	struct nl_cb *cb;
	int rc;

	if (!x || !x->ev)
		return;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &c);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	/* 0: nothing more to read (non-blocking); a bounded loop all the same */
	for (int i = 0; i < 256; i++) {
		rc = nl_recvmsgs_report(x->ev, cb);
		if (rc <= 0)
			break;
	}
	if (rc < 0 && rc != -NLE_AGAIN) {
		x->errors++;
		olog(LOG_KERNEL, LVL_ERROR, "kernel-xfrm: reading kernel events: %s%s", nl_geterror(rc),
		     rc == -NLE_NOMEM ? " (events were lost: socket buffer overrun)" : "");
	}
	if (c.bad)
		olog(LOG_KERNEL, LVL_WARNING, "kernel-xfrm: %u malformed kernel event%s ignored",
		     c.bad, c.bad == 1 ? "" : "s");
	nl_cb_put(cb);
}
