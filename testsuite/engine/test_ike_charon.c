/* charon's real IKE_SA_INIT request (testsuite/data/captures/ikev2-psk.pcap,
 * frame 1: 192.0.2.1:500 -> 192.0.2.2:500, IKE aes128gcm16-prfsha256-x25519)
 * fed to our responder: it must accept it and answer with a proposal charon
 * offered.  Also malformed variants of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ikev2_codec.h"
#include "ikev2_const.h"
#include "sim.h"

static const uint8_t charon_init[] = {
	0x9c, 0xe5, 0xca, 0xe2, 0x78, 0x73, 0x48, 0xa9, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x21, 0x20, 0x22, 0x08, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xfc, 0x22, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x24,
	0x01, 0x01, 0x00, 0x03, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x14,
	0x80, 0x0e, 0x00, 0x80, 0x03, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x1f, 0x28, 0x00, 0x00, 0x28,
	0x00, 0x1f, 0x00, 0x00, 0x5c, 0x8c, 0xa5, 0x51, 0x8f, 0xb7, 0x3e, 0x89,
	0xb6, 0xab, 0xfa, 0x22, 0xd7, 0x10, 0x5d, 0xc4, 0x25, 0x44, 0x9c, 0xf0,
	0x58, 0x8f, 0x03, 0xd3, 0x4f, 0x70, 0x9b, 0x5b, 0xf4, 0x79, 0x62, 0x45,
	0x29, 0x00, 0x00, 0x24, 0xfb, 0xf7, 0x0f, 0x02, 0xfd, 0xcd, 0xae, 0x22,
	0x54, 0x59, 0xda, 0x57, 0xa0, 0x31, 0xb0, 0xf3, 0xfc, 0x1d, 0xc8, 0xba,
	0x6d, 0x83, 0x1e, 0xda, 0x13, 0x3c, 0x10, 0x9c, 0x6a, 0x60, 0x5a, 0xb6,
	0x29, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x04, 0x7a, 0x2d, 0xee, 0xe0,
	0xb3, 0xc2, 0x6d, 0x49, 0xa8, 0x8c, 0xd9, 0xad, 0xc1, 0xc7, 0x94, 0xc4,
	0x22, 0xcd, 0xce, 0x43, 0x29, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x05,
	0x8d, 0x4d, 0xf7, 0x6d, 0x7c, 0x90, 0x73, 0x0f, 0x8e, 0x1b, 0xbd, 0x81,
	0xaf, 0x06, 0x87, 0x7c, 0x09, 0xba, 0x8e, 0x8c, 0x29, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x40, 0x2e, 0x29, 0x00, 0x00, 0x10, 0x00, 0x00, 0x40, 0x2f,
	0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05, 0x2b, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x40, 0x16, 0x00, 0x00, 0x00, 0x14, 0x88, 0x2f, 0xe5, 0x6d,
	0x6f, 0xd2, 0x0d, 0xbc, 0x22, 0x51, 0x61, 0x3b, 0x2e, 0xbe, 0x5b, 0xeb,
};

static struct ike_engine *responder(struct ike_conn *c, const char *ike)
{
	struct ike_engine_cfg cfg;
	struct ike_engine *e;
	char err[128];

	ike_conn_init(c, "charon");
	ike_endpoint_parse("192.0.2.2", 0, &c->local);
	ike_endpoint_parse("192.0.2.1", 0, &c->remote);
	char list[256], *save = NULL;
	snprintf(list, sizeof(list), "%s", ike);
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		assert_int_equal(ike_conn_add_ike_proposal(c, t, err, sizeof(err)), 0);
	ike_engine_cfg_init(&cfg);
	cfg.inline_crypto = true;
	e = ike_engine_new(&cfg);
	ike_engine_add_conn(e, c);
	return e;
}

/* Feeds buf and returns the first datagram the engine sends (parsed). */
static size_t feed(struct ike_engine *e, const uint8_t *buf, size_t len, uint8_t *out, size_t cap)
{
	struct ike_endpoint l, r;
	struct ike_out *o;
	size_t n = 0;

	ike_endpoint_parse("192.0.2.2", 500, &l);
	ike_endpoint_parse("192.0.2.1", 500, &r);
	ike_engine_recv(e, 1000, &l, &r, buf, len);
	while ((o = ike_engine_poll(e))) {
		if (o->kind == IKE_OUT_SEND && !n && o->u.send.len <= cap) {
			memcpy(out, o->u.send.data, o->u.send.len);
			n = o->u.send.len;
			assert_memory_equal(&o->u.send.remote, &r, sizeof(r));
		}
		if (o->kind == IKE_OUT_JOB)
			ike_job_free(o->u.job);
		ike_out_free(o);
	}
	return n;
}

static void charon_request_accepted(void **state)
{
	static struct ike_conn c;
	struct ike_engine *e = responder(&c, "aes256-sha384-ecp384,aes128gcm16-prfsha256-x25519");
	uint8_t out[2048], arena[8192];
	struct ike_arena a = ike_arena_init(arena, sizeof(arena));
	struct ike_error err = { 0 };
	struct ikev2_msg m;
	const struct ikev2_payload *sa, *ke;
	size_t n = feed(e, charon_init, sizeof(charon_init), out, sizeof(out));

	assert_true(n > 0);
	assert_int_equal(ikev2_parse(out, n, &a, &m, &err), 0);
	assert_int_equal(m.hdr.exchange, IKEV2_EXCH_IKE_SA_INIT);
	assert_true(m.hdr.flags & IKEV2_FLAG_RESPONSE);
	assert_int_equal(m.hdr.ispi, 0x9ce5cae2787348a9ULL);
	assert_int_not_equal(m.hdr.rspi, 0);
	sa = ikev2_find(&m.chain, IKEV2_PL_SA);
	ke = ikev2_find(&m.chain, IKEV2_PL_KE);
	assert_non_null(sa);
	assert_non_null(ke);
	assert_non_null(ikev2_find(&m.chain, IKEV2_PL_NONCE));
	assert_non_null(ikev2_find_notify(&m.chain, IKEV2_N_NAT_DETECTION_SOURCE_IP));
	assert_non_null(ikev2_find_notify(&m.chain, IKEV2_N_NAT_DETECTION_DESTINATION_IP));
	assert_non_null(ikev2_find_notify(&m.chain, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED));
	assert_non_null(ikev2_find_notify(&m.chain, IKEV2_N_SIGNATURE_HASH_ALGORITHMS));
	/* One proposal, one transform per type: what charon offered. */
	assert_int_equal(sa->u.sa.nproposals, 1);
	assert_int_equal(sa->u.sa.proposals[0].ntransforms, 3);
	assert_int_equal(sa->u.sa.proposals[0].transforms[0].id, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(sa->u.sa.proposals[0].transforms[1].id, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(sa->u.sa.proposals[0].transforms[2].id, IKEV2_GROUP_CURVE25519);
	assert_int_equal(ke->u.ke.group, IKEV2_GROUP_CURVE25519);
	assert_int_equal(ke->u.ke.len, 32);
	assert_int_equal(ike_engine_half_open(e), 1);
	/* A retransmission gets the same bytes back. */
	{
		uint8_t again[2048];
		size_t n2 = feed(e, charon_init, sizeof(charon_init), again, sizeof(again));
		assert_int_equal(n2, n);
		assert_memory_equal(again, out, n);
		assert_int_equal(ike_engine_half_open(e), 1);
	}
	ike_engine_free(e);
}

static uint16_t answer_notify(struct ike_engine *e, const uint8_t *buf, size_t len)
{
	uint8_t out[2048], arena[8192];
	struct ike_arena a = ike_arena_init(arena, sizeof(arena));
	struct ike_error err = { 0 };
	struct ikev2_msg m;
	size_t n = feed(e, buf, len, out, sizeof(out));

	if (!n)
		return 0;
	assert_int_equal(ikev2_parse(out, n, &a, &m, &err), 0);
	assert_int_equal(m.hdr.rspi, 0); /* stateless answer */
	assert_true(m.chain.count >= 1 && m.chain.pl[0].type == IKEV2_PL_NOTIFY);
	return m.chain.pl[0].u.notify.type;
}

static void charon_request_refused(void **state)
{
	static struct ike_conn c;
	struct ike_engine *e = responder(&c, "aes256-sha384-ecp384");
	uint8_t bad[sizeof(charon_init)];

	assert_int_equal(answer_notify(e, charon_init, sizeof(charon_init)),
			 IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(ike_engine_sa_count(e), 0);
	ike_engine_free(e);

	/* charon offered x25519 only, so INVALID_KE_PAYLOAD is tested between
	 * two engines (test_ike_exchanges). */
	/* A broken payload length: INVALID_SYNTAX, no state. */
	e = responder(&c, "aes128gcm16-prfsha256-x25519");
	memcpy(bad, charon_init, sizeof(bad));
	bad[28 + 2] = 0xff; /* first payload's length */
	assert_int_equal(answer_notify(e, bad, sizeof(bad)), IKEV2_N_INVALID_SYNTAX);
	assert_int_equal(ike_engine_sa_count(e), 0);
	/* Truncated: the header length no longer matches, dropped silently. */
	assert_int_equal(answer_notify(e, charon_init, sizeof(charon_init) - 1), 0);
	ike_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(charon_request_accepted),
		cmocka_unit_test(charon_request_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
