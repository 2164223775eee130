/* IKE fragmentation (RFC 7383) between two engines: IKE_AUTH with RSA-4096
 * certificate chains of depth 3 needs several fragments at the default
 * fragment size (1280, IP level); the simulated network loses, reorders and
 * duplicates them; the reassembly limits (count, size, time) drop and log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "crypto/pki.h"
#include "ikev2_const.h"
#include "keys.h"
#include "sim.h"

#define IKE1 "aes256gcm16-prfsha384-ecp384"
#define ESP1 "aes256gcm16"

static struct sim S;
static struct ike_conn ci, cr;

static struct {
	struct oc_key *root, *inter, *ee;
	mbedtls_x509_crt rootc, interc, chain[2];
	struct oc_trust trust[2];
	bool ready;
} P;

static void issue(mbedtls_x509_crt *out, const char *subject, const char *const *san, bool ca,
		  const struct oc_key *subj, const struct oc_key *ikey, const mbedtls_x509_crt *issuer)
{
	static uint8_t der[8192];
	struct oc_pki_cert req = { .subject = subject, .san = san, .ca = ca, .pathlen = -1,
				   .days = 30 };
	size_t len;

	assert_int_equal(oc_pki_issue(&req, subj, ikey, issuer, der, sizeof(der), &len), 0);
	assert_int_equal(oc_cert_parse(out, der, len), 0);
}

static struct oc_key *key(const char *pem)
{
	struct oc_key *k = NULL;

	assert_int_equal(oc_key_parse_private((const uint8_t *)pem, strlen(pem) + 1, NULL, &k), 0);
	return k;
}

/* root -> intermediate -> end entity, all RSA 4096, made once. */
static int pki_setup(void **state)
{
	static const char *const san[2][2] = { { "moon.example.org", NULL },
					       { "sun.example.org", NULL } };

	(void)state;
	memset(&P, 0, sizeof(P));
	P.root = key(key_rsa4096a);
	P.inter = key(key_rsa4096b);
	P.ee = key(key_rsa4096c);
	mbedtls_x509_crt_init(&P.rootc);
	mbedtls_x509_crt_init(&P.interc);
	issue(&P.rootc, "C=CH, O=osprey, CN=Root CA 4096", NULL, true, P.root, P.root, NULL);
	issue(&P.interc, "C=CH, O=osprey, CN=Intermediate CA 4096", NULL, true, P.inter, P.root,
	      &P.rootc);
	for (int i = 0; i < 2; i++) {
		mbedtls_x509_crt_init(&P.chain[i]);
		issue(&P.chain[i], i ? "C=CH, O=osprey, CN=sun" : "C=CH, O=osprey, CN=moon", san[i],
		      false, P.ee, P.inter, &P.interc);
		assert_int_equal(oc_cert_parse(&P.chain[i], P.interc.raw.p, P.interc.raw.len), 0);
		oc_trust_init(&P.trust[i]);
		assert_int_equal(oc_trust_add_ca(&P.trust[i], P.rootc.raw.p, P.rootc.raw.len), 0);
	}
	return 0;
}

static int pki_teardown(void **state)
{
	(void)state;
	oc_key_free(P.root);
	oc_key_free(P.inter);
	oc_key_free(P.ee);
	mbedtls_x509_crt_free(&P.rootc);
	mbedtls_x509_crt_free(&P.interc);
	for (int i = 0; i < 2; i++) {
		mbedtls_x509_crt_free(&P.chain[i]);
		oc_trust_free(&P.trust[i]);
	}
	return 0;
}

static void setup(uint64_t seed, bool async, void (*tweak)(int, struct ike_engine_cfg *))
{
	sim_init_cfg(&S, seed, async, tweak);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	ci.local_auth = ci.remote_auth = cr.local_auth = cr.remote_auth = IKE_AUTH_PUBKEY;
	ci.privkey = cr.privkey = P.ee;
	ci.certs = &P.chain[0];
	cr.certs = &P.chain[1];
	ci.trust = &P.trust[0];
	cr.trust = &P.trust[1];
	assert_int_equal(oc_id_from_string("moon.example.org", &ci.local_id), 0);
	assert_int_equal(oc_id_from_string("sun.example.org", &cr.local_id), 0);
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
}

static void fragmented_auth(void **state)
{
	(void)state;
	setup(3, false, NULL);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	assert_int_equal(S.n[0].child_up + S.n[1].child_up, 2);
	/* Both IKE_AUTH messages went out in fragments of at most 1280 - 20
	 * (IPv4) - 8 (UDP) octets, and came back together. */
	assert_true(sim_log_has(&S, 0, "message 1 sent in"));
	assert_true(sim_log_has(&S, 1, "message 1 sent in"));
	assert_true(sim_log_has(&S, 0, "message 1 reassembled from"));
	assert_true(sim_log_has(&S, 1, "message 1 reassembled from"));
	assert_true(S.n[0].max_len <= 1252);
	assert_true(S.n[1].max_len <= 1252);
	assert_true(sim_log_has(&S, 1, "sending 2 certificates (CERTREQ matched)"));
	sim_free(&S);
}

/* One side does not announce RFC 7383: the message goes whole. */
static void no_fragmentation_without_support(void **state)
{
	(void)state;
	setup(4, false, NULL);
	cr.frag_size = 0;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	assert_false(sim_log_has(&S, 0, "sent in"));
	assert_true(S.n[0].max_len > 1280);
	sim_free(&S);
}

/* Loss, duplication and reordering of fragments over many seeds, half of
 * them with crypto jobs returning asynchronously. */
static void lossy_fragments(void **state)
{
	int ok = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 12; seed++) {
		setup(seed, seed & 1, NULL);
		S.drop_pm = 150;
		S.dup_pm = 150;
		S.jitter_ms = 40;
		assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
		if (sim_run_until(&S, 120000, sim_both_up)) {
			ok++;
			assert_int_equal(S.n[0].child_up, 1);
			assert_int_equal(S.n[1].child_up, 1);
		} else {
			/* Given up after the retransmissions: cleanly. */
			sim_run(&S, 300000);
			assert_int_equal(S.n[0].failed, 1);
		}
		sim_free(&S);
	}
	/* 15 % loss per fragment still leaves most handshakes up. */
	assert_true(ok >= 9);
}

static void small_count(int node, struct ike_engine_cfg *cfg)
{
	if (node == 1)
		cfg->frag_max_count = 2;
}

static void small_bytes(int node, struct ike_engine_cfg *cfg)
{
	if (node == 1)
		cfg->frag_max_bytes = 1500;
}

static void short_timeout(int node, struct ike_engine_cfg *cfg)
{
	if (node == 1)
		cfg->frag_timeout_ms = 2000;
}

static void limit_refused(void (*tweak)(int, struct ike_engine_cfg *), const char *line)
{
	setup(5, false, tweak);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 300000);
	assert_true(sim_log_has(&S, 1, line));
	assert_int_equal(S.n[1].up, 0);
	assert_int_equal(S.n[0].up, 0);
	assert_int_equal(S.n[0].failed, 1); /* the initiator gave up */
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	sim_free(&S);
}

static void limit_count(void **state)
{
	(void)state;
	limit_refused(small_count, "fragments exceed the limit of 2, dropped");
}

static void limit_bytes(void **state)
{
	(void)state;
	limit_refused(small_bytes, "reassembly exceeds 1500 bytes, dropped");
}

/* Fragment 2 of every IKE_AUTH request is lost. */
static bool drop_fragment2(struct sim *s, int from, const uint8_t *d, size_t len)
{
	(void)s;
	return from == 0 && len > 36 && d[16] == IKEV2_PL_SKF && d[32] == 0 && d[33] == 2;
}

static void limit_time(void **state)
{
	(void)state;
	setup(6, false, short_timeout);
	S.filter = drop_fragment2;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 300000);
	assert_true(S.filtered > 0);
	assert_true(sim_log_has(&S, 1, "message 1: reassembly timed out with"));
	assert_int_equal(S.n[1].up, 0);
	assert_int_equal(S.n[0].failed, 1);
	/* Nothing is left behind: the half-open SA timed out too. */
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fragmented_auth),
		cmocka_unit_test(no_fragmentation_without_support),
		cmocka_unit_test(lossy_fragments),
		cmocka_unit_test(limit_count),
		cmocka_unit_test(limit_bytes),
		cmocka_unit_test(limit_time),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
