/* kernel-xfrm's tables without a kernel: IKEv2 transform IDs to kernel
 * algorithm names with ICV / truncation bits, traffic selectors to XFRM
 * selectors, priorities by specificity, osprey's reqid range. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ikev2_const.h"
#include "kernel.h"
#include "xfrm_priv.h"

#include <netlink/attr.h>

static void alg_is(int encr, uint16_t id, const char *name, unsigned bits, bool aead)
{
	struct xf_alg a;

	assert_int_equal(encr ? xf_encr_alg(id, &a) : xf_integ_alg(id, &a), 0);
	assert_string_equal(a.name, name);
	assert_int_equal(a.icv_bits, bits);
	assert_int_equal(a.aead, aead);
}

static void test_algorithms(void **state)
{
	struct xf_alg a;

	(void)state;
	alg_is(1, IKEV2_ENCR_AES_GCM_8, "rfc4106(gcm(aes))", 64, true);
	alg_is(1, IKEV2_ENCR_AES_GCM_12, "rfc4106(gcm(aes))", 96, true);
	alg_is(1, IKEV2_ENCR_AES_GCM_16, "rfc4106(gcm(aes))", 128, true);
	alg_is(1, IKEV2_ENCR_AES_CCM_8, "rfc4309(ccm(aes))", 64, true);
	alg_is(1, IKEV2_ENCR_AES_CCM_16, "rfc4309(ccm(aes))", 128, true);
	alg_is(1, IKEV2_ENCR_CHACHA20_POLY1305, "rfc7539esp(chacha20,poly1305)", 128, true);
	alg_is(1, IKEV2_ENCR_AES_CBC, "cbc(aes)", 0, false);
	alg_is(1, IKEV2_ENCR_AES_CTR, "rfc3686(ctr(aes))", 0, false);
	alg_is(1, IKEV2_ENCR_3DES, "cbc(des3_ede)", 0, false);
	alg_is(0, IKEV2_INTEG_HMAC_SHA1_96, "hmac(sha1)", 96, false);
	alg_is(0, IKEV2_INTEG_HMAC_SHA2_256_128, "hmac(sha256)", 128, false);
	alg_is(0, IKEV2_INTEG_HMAC_SHA2_384_192, "hmac(sha384)", 192, false);
	alg_is(0, IKEV2_INTEG_HMAC_SHA2_512_256, "hmac(sha512)", 256, false);
	alg_is(0, IKEV2_INTEG_AES_XCBC_96, "xcbc(aes)", 96, false);
	alg_is(0, IKEV2_INTEG_AES_CMAC_96, "cmac(aes)", 96, false);
	assert_int_equal(xf_encr_alg(IKEV2_ENCR_IDEA, &a), -1);
	assert_int_equal(xf_integ_alg(IKEV2_INTEG_DES_MAC, &a), -1);
}

static struct ike_ts ts4(const char *start, const char *end, uint8_t proto, uint16_t lo,
			 uint16_t hi)
{
	struct ike_ts t = { .family = 4, .proto = proto, .port_lo = lo, .port_hi = hi };

	assert_int_equal(inet_pton(AF_INET, start, t.start), 1);
	assert_int_equal(inet_pton(AF_INET, end, t.end), 1);
	return t;
}

static struct xfrm_selector sel_of(struct ike_ts s, struct ike_ts d)
{
	struct xfrm_selector sel;
	char err[128];

	assert_int_equal(xf_ts_selector(&s, &d, &sel, err, sizeof(err)), 0);
	return sel;
}

static void test_selectors(void **state)
{
	struct ike_ts a = ts4("10.1.0.0", "10.1.0.255", 0, 0, 65535);
	struct ike_ts b = ts4("10.2.0.0", "10.2.255.255", 0, 0, 65535);
	struct ike_ts h = ts4("192.0.2.1", "192.0.2.1", 17, 53, 53);
	struct ike_ts r = ts4("10.1.0.1", "10.1.0.5", 0, 0, 65535);
	struct ike_ts pr = ts4("192.0.2.1", "192.0.2.1", 6, 1000, 2000);
	struct ike_ts v6 = { .family = 6, .port_hi = 65535 };
	struct xfrm_selector sel;
	char err[128];

	(void)state;
	sel = sel_of(a, b);
	assert_int_equal(sel.family, AF_INET);
	assert_int_equal(sel.prefixlen_s, 24);
	assert_int_equal(sel.prefixlen_d, 16);
	assert_int_equal(sel.sport_mask, 0);
	assert_memory_equal(&sel.saddr, a.start, 4);
	sel = sel_of(h, a);
	assert_int_equal(sel.prefixlen_s, 32);
	assert_int_equal(sel.proto, 17);
	assert_int_equal(ntohs(sel.sport), 53);
	assert_int_equal(sel.sport_mask, 0xffff);
	/* not a prefix, a port range, mixed families: refused with a reason */
	assert_int_equal(xf_ts_selector(&r, &b, &sel, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "prefix"));
	assert_int_equal(xf_ts_selector(&pr, &b, &sel, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "port"));
	assert_int_equal(xf_ts_selector(&a, &v6, &sel, err, sizeof(err)), -1);
	/* IPv6 ::/0 <-> 2001:db8:a::/48 */
	struct ike_ts n6 = v6;

	memset(n6.start, 0, 16);
	memset(n6.end, 0xff, 16);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:a::", n6.start), 1);
	memcpy(n6.end, n6.start, 6);
	memset(v6.end, 0xff, 16);
	sel = sel_of(v6, n6);
	assert_int_equal(sel.family, AF_INET6);
	assert_int_equal(sel.prefixlen_s, 0);
	assert_int_equal(sel.prefixlen_d, 48);
}

static void test_priorities(void **state)
{
	struct ike_ts any = ts4("0.0.0.0", "255.255.255.255", 0, 0, 65535);
	struct ike_ts n16 = ts4("10.1.0.0", "10.1.255.255", 0, 0, 65535);
	struct ike_ts n24 = ts4("10.1.0.0", "10.1.0.255", 0, 0, 65535);
	struct ike_ts h = ts4("10.1.0.7", "10.1.0.7", 0, 0, 65535);
	struct ike_ts hudp = ts4("10.1.0.7", "10.1.0.7", 17, 0, 65535);
	struct ike_ts hdns = ts4("10.1.0.7", "10.1.0.7", 17, 53, 53);
	struct ike_ts dst = ts4("10.2.0.0", "10.2.0.255", 0, 0, 65535);
	struct xfrm_selector s_any = sel_of(any, dst), s16 = sel_of(n16, dst), s24 = sel_of(n24, dst),
			     sh = sel_of(h, dst), su = sel_of(hudp, dst), sd = sel_of(hdns, dst);

	(void)state;
	/* lower wins in XFRM: each more specific selector must be lower */
	assert_true(xf_priority(&s16) < xf_priority(&s_any));
	assert_true(xf_priority(&s24) < xf_priority(&s16));
	assert_true(xf_priority(&sh) < xf_priority(&s24));
	assert_true(xf_priority(&su) < xf_priority(&sh));
	assert_true(xf_priority(&sd) < xf_priority(&su));
	assert_int_equal(xf_priority(&s24), OSPREY_PRIO_BASE - (24 + 24) * 4);
	assert_true(xf_priority(&s_any) <= OSPREY_PRIO_BASE);
}

static void test_reqids(void **state)
{
	(void)state;
	assert_int_equal(xf_reqid(1), OSPREY_REQID_BASE + 1);
	assert_int_equal(xf_reqid(0x123456), OSPREY_REQID_BASE + 0x123456);
	assert_true(xf_reqid_ours(xf_reqid(0xffffffff)));
	assert_true(xf_reqid(0) != OSPREY_REQID_BASE); /* the base is for SPIs only */
	assert_true(xf_reqid_ours(OSPREY_REQID_BASE));
	assert_false(xf_reqid_ours(1));
	assert_false(xf_reqid_ours(OSPREY_REQID_BASE - 1));
	assert_false(xf_reqid_ours(OSPREY_REQID_BASE + OSPREY_REQID_MASK + 1));
}

static struct nl_msg *expire_msg(uint32_t reqid, int hard)
{
	struct xfrm_user_expire e;
	struct nl_msg *m = nlmsg_alloc_simple(XFRM_MSG_EXPIRE, 0);

	memset(&e, 0, sizeof(e));
	e.state.reqid = reqid;
	e.state.family = AF_INET;
	e.state.id.spi = htonl(0xc1234567);
	e.state.id.proto = IPPROTO_ESP;
	inet_pton(AF_INET, "192.0.2.1", &e.state.saddr);
	inet_pton(AF_INET, "192.0.2.2", &e.state.id.daddr);
	e.hard = (uint8_t)hard;
	assert_int_equal(nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO), 0);
	return m;
}

static void test_events_expire(void **state)
{
	struct kernel_event ev;
	struct nl_msg *m;
	struct nlmsghdr *h;

	(void)state;
	m = expire_msg(OSPREY_REQID_BASE + 9, 0);
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 1);
	assert_int_equal(ev.kind, KERNEL_EV_SOFT_EXPIRE);
	assert_int_equal(ev.reqid, 9);
	assert_int_equal(ev.spi, 0xc1234567);
	assert_int_equal(ev.src.family, 4);
	assert_int_equal(ev.dst.addr[3], 2);
	nlmsg_free(m);
	m = expire_msg(OSPREY_REQID_BASE + 9, 1);
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 1);
	assert_int_equal(ev.kind, KERNEL_EV_HARD_EXPIRE);
	/* truncated: the length says less than struct xfrm_user_expire */
	h = nlmsg_hdr(m);
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(struct xfrm_user_expire) - 1;
	assert_int_equal(xf_event_parse(h, &ev), -1);
	nlmsg_free(m);
	m = expire_msg(5, 1);	/* another daemon's SA */
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 0);
	nlmsg_free(m);
	m = expire_msg(OSPREY_REQID_BASE, 1);	/* an SPI that never became an SA */
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 0);
	nlmsg_free(m);
}

static struct nl_msg *acquire_msg(uint32_t reqid, size_t tmpl_len)
{
	struct xfrm_user_acquire q;
	struct xfrm_user_tmpl t;
	struct nl_msg *m = nlmsg_alloc_simple(XFRM_MSG_ACQUIRE, 0);

	memset(&q, 0, sizeof(q));
	q.sel.family = AF_INET;
	inet_pton(AF_INET, "10.1.0.7", &q.sel.saddr);
	inet_pton(AF_INET, "10.2.0.9", &q.sel.daddr);
	q.sel.prefixlen_s = q.sel.prefixlen_d = 32;
	q.sel.proto = IPPROTO_UDP;
	q.sel.dport = htons(53);
	q.sel.dport_mask = 0xffff;
	inet_pton(AF_INET, "192.0.2.1", &q.saddr);
	inet_pton(AF_INET, "192.0.2.2", &q.id.daddr);
	memset(&t, 0, sizeof(t));
	t.reqid = reqid;
	t.family = AF_INET;
	t.id.proto = IPPROTO_ESP;
	assert_int_equal(nlmsg_append(m, &q, sizeof(q), NLMSG_ALIGNTO), 0);
	if (tmpl_len)
		assert_int_equal(nla_put(m, XFRMA_TMPL, (int)tmpl_len, &t), 0);
	return m;
}

static void test_events_acquire(void **state)
{
	struct kernel_event ev;
	struct nl_msg *m;

	(void)state;
	m = acquire_msg(OSPREY_REQID_BASE + 3, sizeof(struct xfrm_user_tmpl));
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 1);
	assert_int_equal(ev.kind, KERNEL_EV_ACQUIRE);
	assert_int_equal(ev.reqid, 3);
	assert_int_equal(ev.ts_src.family, 4);
	assert_int_equal(ev.ts_src.start[3], 7);
	assert_int_equal(ev.ts_src.end[3], 7);
	assert_int_equal(ev.ts_src.port_lo, 0);
	assert_int_equal(ev.ts_src.port_hi, 65535);
	assert_int_equal(ev.ts_dst.port_lo, 53);
	assert_int_equal(ev.ts_dst.port_hi, 53);
	assert_int_equal(ev.ts_dst.proto, IPPROTO_UDP);
	assert_int_equal(ev.dst.addr[3], 2);
	nlmsg_free(m);
	m = acquire_msg(7, sizeof(struct xfrm_user_tmpl));	/* not ours */
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 0);
	nlmsg_free(m);
	m = acquire_msg(OSPREY_REQID_BASE + 3, 0);		/* no template */
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), 0);
	nlmsg_free(m);
	m = acquire_msg(OSPREY_REQID_BASE + 3, 8);		/* template attribute cut short */
	assert_int_equal(xf_event_parse(nlmsg_hdr(m), &ev), -1);
	nlmsg_free(m);
}

/* Marks as the kernel compares them (value & mask) and as errors show them;
 * the attributes only when set. */
static void test_marks(void **state)
{
	struct xfrm_mark m = xf_mark(0x12345, 0xff);
	struct nl_msg *msg = nlmsg_alloc_simple(XFRM_MSG_NEWPOLICY, 0);
	struct nlattr *a[XFRMA_MAX + 1];
	char buf[64];

	(void)state;
	assert_int_equal(m.v, 0x45);
	assert_int_equal(m.m, 0xff);
	xf_mark_str(&m, 7, buf, sizeof(buf));
	assert_string_equal(buf, " mark 0x45/0xff if_id 7");
	m = xf_mark(42, 0);
	assert_int_equal(m.v, 0);
	xf_mark_str(&m, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	xf_mark_str(&m, 3, buf, sizeof(buf));
	assert_string_equal(buf, " if_id 3");

	/* no mark, no if_id: no attribute at all */
	assert_non_null(msg);
	assert_int_equal(xf_put_mark(msg, &m, 0), 0);
	assert_int_equal(nlmsg_datalen(nlmsg_hdr(msg)), 0);
	m = xf_mark(0x2a, 0xffffffff);
	assert_int_equal(xf_put_mark(msg, &m, 9), 0);
	assert_int_equal(nlmsg_parse(nlmsg_hdr(msg), 0, a, XFRMA_MAX, NULL), 0);
	assert_non_null(a[XFRMA_MARK]);
	assert_int_equal(nla_len(a[XFRMA_MARK]), sizeof(struct xfrm_mark));
	assert_int_equal(((struct xfrm_mark *)nla_data(a[XFRMA_MARK]))->v, 0x2a);
	assert_non_null(a[XFRMA_IF_ID]);
	assert_int_equal(nla_get_u32(a[XFRMA_IF_ID]), 9);
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_reqids),
		cmocka_unit_test(test_events_expire),
		cmocka_unit_test(test_events_acquire),
		cmocka_unit_test(test_marks),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
