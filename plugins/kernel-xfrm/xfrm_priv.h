/* kernel-xfrm internals: the Linux kernel's IPsec state through NETLINK_XFRM.
 *
 * Messages are built and parsed with libnl-3's nl_msg / nla helpers; the
 * layouts come from the kernel's uapi header <linux/xfrm.h>.
 *
 * Which state is osprey's: every SA and every policy template osprey
 * installs carries a reqid in OSPREY_REQID_BASE .. BASE + OSPREY_REQID_MASK
 * (the engine's reqid masked into that range; the SPI allocations that are
 * not an SA yet use the base itself).  Start-up and shutdown delete exactly
 * the SAs with such a reqid and the policies with a template that has one,
 * whatever mark or interface id they carry (xfrm_flush.c); anything else
 * (another daemon's, an administrator's, marked or not) is never touched.
 * One ospreyd per network namespace.
 *
 * Marks and interface ids (route-based VPNs) go on SAs and policies as
 * XFRMA_MARK (value & mask, mask; mask 0: none) and XFRMA_IF_ID (0: none),
 * and again on every delete / update / lookup of them: XFRM finds SAs by
 * (daddr, spi, proto, mark) and policies by (selector, dir, mark, if_id).
 *
 * Policy priorities: XFRM picks the lowest number first.  osprey's IPsec
 * policies, trap policies included (see xfrm_policy.c for why), use
 * OSPREY_PRIO_BASE minus a specificity score (prefix lengths, protocol,
 * ports), so a more specific selector wins over a broader one. */
#ifndef OSPREY_KERNEL_XFRM_PRIV_H
#define OSPREY_KERNEL_XFRM_PRIV_H

#include <linux/xfrm.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev2/engine.h"

#define OSPREY_REQID_BASE 0x6f000000u
#define OSPREY_REQID_MASK 0x00ffffffu
#define OSPREY_PRIO_BASE 200000u

/* SPIs the kernel hands out for osprey (inbound SAs). */
#define OSPREY_SPI_MIN 0xc0000000u
#define OSPREY_SPI_MAX 0xcfffffffu

/* One policy selector + direction + mark + interface id (what XFRM keeps
 * one policy for) with the CHILD SAs and trap using it (a rekey installs
 * the same selectors again before the old CHILD SA goes; a CHILD SA made
 * after an ACQUIRE has its trap's reqid and selectors). */
struct xf_owner {
	uint32_t reqid;		/* kernel reqid */
	struct ike_endpoint src, dst;
	enum ike_mode mode;
	uint8_t proto;		/* IPPROTO_ESP / IPPROTO_AH */
	bool trap;		/* a trap policy (start_action = trap), not a CHILD SA */
};

struct xf_policy {
	struct xfrm_selector sel;
	uint8_t dir;		/* XFRM_POLICY_IN / OUT (FWD goes with IN in tunnel mode) */
	struct xfrm_mark mark;	/* v & m, m (m 0: no mark) */
	uint32_t if_id;		/* 0: none */
	bool fwd;		/* a FWD twin is installed */
	struct xf_owner *owners;
	size_t n_owners;
};

/* A virtual IP osprey put on an interface (xfrm_vip.c). */
struct xf_vip {
	struct ike_endpoint addr;
	uint32_t ifindex;
};

struct xf {
	struct nl_sock *sk;
	struct nl_sock *ev;	/* kernel events (xfrm_events.c), NULL: none */
	struct nl_sock *rt;	/* NETLINK_ROUTE (xfrm_route.c), NULL: no routes */
	struct xf_policy *pol;
	size_t n_pol, cap_pol;
	uint32_t table;		/* routing table of the routes (kernel.route_table) */
	uint64_t errors;
	struct xf_vip *vips;	/* virtual IPs added (xfrm_vip.c) */
	size_t n_vips;
	char ext[160];		/* extended ACK text of the last request */
};

/* A request and its answer: 0, or -errno from the kernel (or -EIO when the
 * socket failed).  valid (may be NULL) sees each data message. */
int xf_request(struct xf *x, struct nl_msg *m, int (*valid)(struct nl_msg *, void *), void *arg);
int xf_request_on(struct xf *x, struct nl_sock *sk, struct nl_msg *m,
		  int (*valid)(struct nl_msg *, void *), void *arg);
/* "Protocol not supported (EPROTONOSUPPORT)". */
const char *xf_errstr(int err, char *buf, size_t len);
/* The same with the kernel's extended ACK text of the last request. */
const char *xf_errstr_ext(const struct xf *x, int err, char *buf, size_t len);

uint32_t xf_reqid(uint32_t engine_reqid);
bool xf_reqid_ours(uint32_t reqid);
int xf_family(uint8_t fam);	/* 4/6 -> AF_INET/AF_INET6, else 0 */
void xf_addr(xfrm_address_t *a, const uint8_t *addr, uint8_t fam);
void xf_ep_str(const struct ike_endpoint *ep, char *buf, size_t len);
uint8_t xf_proto(uint8_t ike_proto);	/* IKEV2_PROTO_ESP -> IPPROTO_ESP */
/* The mark as the kernel compares it: value & mask, mask (mask 0: none).
 * XFRM matches an SA by (packet mark & m) == v, so bits of v outside m would
 * make it unmatchable. */
struct xfrm_mark xf_mark(uint32_t value, uint32_t mask);
/* XFRMA_MARK (when m is not 0) and XFRMA_IF_ID (when not 0): -1 when the
 * message is full. */
int xf_put_mark(struct nl_msg *m, const struct xfrm_mark *mark, uint32_t if_id);
/* " mark 0x2a/0xffffffff if_id 42", or "" without either. */
void xf_mark_str(const struct xfrm_mark *mark, uint32_t if_id, char *buf, size_t len);

/* xfrm_sa.c */
int xf_get_spi(void *ctx, const struct ike_kernel *k, uint32_t *spi, char *err, size_t errlen);
int xf_add_sa(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
int xf_del_sa(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
struct kernel_sa_stats;
int xf_sa_stats(void *ctx, const struct ike_kernel *k, struct kernel_sa_stats *st, char *err,
		size_t errlen);
/* Kernel algorithm for an IKEv2 transform: 0, or -1 when there is none. */
struct xf_alg {
	const char *name;
	unsigned icv_bits;	/* AEAD ICV / integrity truncation */
	bool aead;
};
int xf_encr_alg(uint16_t id, struct xf_alg *out);
int xf_integ_alg(uint16_t id, struct xf_alg *out);

/* xfrm_policy.c */
int xf_add_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
int xf_del_policy(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
int xf_ts_selector(const struct ike_ts *src, const struct ike_ts *dst, struct xfrm_selector *sel,
		   char *err, size_t errlen);
uint32_t xf_priority(const struct xfrm_selector *sel);
void xf_policies_free(struct xf *x);

/* xfrm_route.c: a route to the remote selector of each tunnel's out policy,
 * in routing table x->table (kernel.route_table, 220 by default) with
 * protocol OSPREY_ROUTE_PROTO (111 = 0x6f), looked up by a rule of the fixed
 * priority OSPREY_RULE_PRIO (111).  Failures are logged, never fatal: the
 * policy stands without its route. */
#define OSPREY_ROUTE_PROTO 111u
#define OSPREY_RULE_PRIO 111u
int xf_routes_open(struct xf *x, char *err, size_t errlen);
void xf_routes_close(struct xf *x);
void xf_route_add(struct xf *x, const struct xfrm_selector *sel, const struct xf_owner *o);
void xf_route_del(struct xf *x, const struct xfrm_selector *sel);

/* xfrm_vip.c: virtual IPs as host addresses marked with IFA_RT_PRIORITY
 * OSPREY_VIP_MARK (0x6f5650, "oVP"); start-up removes marked addresses an
 * earlier ospreyd left, shutdown the ones this one added (needs x->rt). */
#define OSPREY_VIP_MARK 0x6f5650u
int xf_add_vip(void *ctx, const struct ike_endpoint *addr, const char *ifname, char *err,
	       size_t errlen);
int xf_del_vip(void *ctx, const struct ike_endpoint *addr, const char *ifname, char *err,
	       size_t errlen);
int xf_vips_flush_marked(struct xf *x);
void xf_vips_close(struct xf *x);

/* xfrm_events.c */
struct kernel_event;
int xf_events_open(struct xf *x, char *err, size_t errlen);
void xf_events_close(struct xf *x);
/* 1: an event about osprey's state in *ev; 0: not ours / not an event;
 * -1: malformed (too short, unknown family). */
int xf_event_parse(const struct nlmsghdr *h, struct kernel_event *ev);
int xf_event_fd(void *ctx);
void xf_read_events(void *ctx, void (*fn)(void *arg, const struct kernel_event *ev), void *arg);

/* xfrm_flush.c: osprey's own state, found by reqid (with whatever mark and
 * interface id it has).  Returns the number of SAs and policies deleted. */
int xf_flush_own(struct xf *x, const char *why);
/* xfrm.c: a dump request (NLM_F_DUMP) with fn seeing each message. */
int xf_dump(struct xf *x, int type, int (*fn)(struct nl_msg *, void *), void *arg);

#endif
