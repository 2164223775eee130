/* Certificate authentication in IKE_AUTH (RFC 7296 §2.15, §3.6-3.8;
 * RFC 4754; RFC 7427) between two engines in the simulated world: RSA,
 * ECDSA P-256/P-384, RFC 7427 with RSA-PSS, a chain of depth 3 chosen by
 * CERTREQ, and the failures (expired, unknown CA, revoked, key usage,
 * identity), each with its notify and log line.  Certificates are issued at
 * test time (lib/crypto/pki.h) from the fixed keys in keys.h. */
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

#define IKE1 "aes128gcm16-prfsha256-x25519"
#define ESP1 "aes128gcm16"

static struct sim S;
static struct ike_conn ci, cr;

/* Everything a test's PKI holds; freed by pki_free. */
static struct {
	struct oc_key *keys[12];
	size_t nkeys;
	mbedtls_x509_crt crts[12]; /* single certificates (issuers) */
	size_t ncrts;
	mbedtls_x509_crt chain[2]; /* per node: ours, end entity first */
	struct oc_trust trust[2];
} P;

static struct oc_key *key(const char *pem)
{
	struct oc_key *k = NULL;

	assert_int_equal(oc_key_parse_private((const uint8_t *)pem, strlen(pem) + 1, NULL, &k), 0);
	P.keys[P.nkeys++] = k;
	return k;
}

/* Issues a certificate; returns it parsed (kept in P.crts). */
static mbedtls_x509_crt *issue(const char *subject, const char *const *san, bool ca,
			       const struct oc_key *subj, const struct oc_key *ikey,
			       const mbedtls_x509_crt *issuer)
{
	static uint8_t der[8192];
	struct oc_pki_cert req = { .subject = subject, .san = san, .ca = ca, .pathlen = -1,
				   .days = 30 };
	mbedtls_x509_crt *c = &P.crts[P.ncrts++];
	size_t len;

	mbedtls_x509_crt_init(c);
	assert_int_equal(oc_pki_issue(&req, subj, ikey, issuer, der, sizeof(der), &len), 0);
	assert_int_equal(oc_cert_parse(c, der, len), 0);
	return c;
}

static void add_to_chain(int node, const mbedtls_x509_crt *c)
{
	assert_int_equal(oc_cert_parse(&P.chain[node], c->raw.p, c->raw.len), 0);
}

static void trust(int node, const mbedtls_x509_crt *ca)
{
	assert_int_equal(oc_trust_add_ca(&P.trust[node], ca->raw.p, ca->raw.len), 0);
}

static void pki_init(void)
{
	memset(&P, 0, sizeof(P));
	for (int i = 0; i < 2; i++) {
		mbedtls_x509_crt_init(&P.chain[i]);
		oc_trust_init(&P.trust[i]);
	}
}

static void pki_free(void)
{
	for (size_t i = 0; i < P.nkeys; i++)
		oc_key_free(P.keys[i]);
	for (size_t i = 0; i < P.ncrts; i++)
		mbedtls_x509_crt_free(&P.crts[i]);
	for (int i = 0; i < 2; i++) {
		mbedtls_x509_crt_free(&P.chain[i]);
		oc_trust_free(&P.trust[i]);
	}
}

/* Both conns authenticate with certificates; ids are strings for
 * oc_id_from_string ("" = none: the IP address). */
static void setup_certs(bool async, const char *id_i, const char *id_r, struct oc_key *ki,
			struct oc_key *kr)
{
	sim_init(&S, 7, async);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	ci.local_auth = ci.remote_auth = cr.local_auth = cr.remote_auth = IKE_AUTH_PUBKEY;
	ci.privkey = ki;
	cr.privkey = kr;
	ci.certs = &P.chain[0];
	cr.certs = &P.chain[1];
	ci.trust = &P.trust[0];
	cr.trust = &P.trust[1];
	if (*id_i)
		assert_int_equal(oc_id_from_string(id_i, &ci.local_id), 0);
	if (*id_r)
		assert_int_equal(oc_id_from_string(id_r, &cr.local_id), 0);
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
}

static void establish_ok(void)
{
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	assert_int_equal(S.n[0].child_up + S.n[1].child_up, 2);
	assert_int_equal(S.n[0].failed + S.n[1].failed, 0);
}

/* The initiator is refused by the responder. */
static void establish_refused(void)
{
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[1].failed, 1);
	assert_int_equal(S.n[1].last_notify, IKEV2_N_AUTHENTICATION_FAILED);
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_AUTHENTICATION_FAILED);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
}

static const char *const san_moon[] = { "moon.example.org", "moon@example.org", "192.0.2.1", NULL };
static const char *const san_sun[] = { "sun.example.org", "sun@example.org", "192.0.2.2", NULL };

/* One CA (RSA 2048), end entities with keys ki / kr. */
static void simple_pki(struct oc_key *ki, struct oc_key *kr)
{
	struct oc_key *ca = key(key_rsa2048a);
	mbedtls_x509_crt *cac = issue("C=CH, O=osprey, CN=Test CA", NULL, true, ca, ca, NULL);

	add_to_chain(0, issue("C=CH, O=osprey, CN=moon", san_moon, false, ki, ca, cac));
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, ca, cac));
	trust(0, cac);
	trust(1, cac);
}

static void rsa_both_roles(void **state)
{
	struct oc_key *ki, *kr;

	pki_init();
	ki = key(key_rsa2048b);
	kr = key(key_rsa2048c);
	simple_pki(ki, kr);
	/* A DN for the initiator, an FQDN for the responder; the initiator
	 * accepts any host of example.org (wildcard). */
	setup_certs(false, "C=CH, O=osprey, CN=moon", "sun.example.org", ki, kr);
	ci.sig_mode = cr.sig_mode = IKE_SIG_CLASSIC;
	assert_int_equal(oc_id_from_string("*.example.org", &ci.remote_id), 0);
	assert_int_equal(oc_id_from_string("C=CH, O=osprey, CN=*", &cr.remote_id), 0);
	establish_ok();
	assert_true(sim_log_has(&S, 0, "AUTH signed with method 1 (RSA PKCS#1 v1.5, SHA-1)"));
	assert_true(sim_log_has(&S, 1, "AUTH signed with method 1 (RSA PKCS#1 v1.5, SHA-1)"));
	assert_true(sim_log_has(&S, 1, "peer's AUTH verified (AUTH method 1, C=CH, O=osprey, CN=moon)"));
	assert_true(sim_log_has(&S, 0, "peer's AUTH verified (AUTH method 1, C=CH, O=osprey, CN=sun)"));
	/* The responder's CERTREQ named the CA: the end entity only. */
	assert_true(sim_log_has(&S, 0, "sending 1 certificate (CERTREQ matched)"));
	sim_free(&S);
	pki_free();
}

static void ecdsa(bool p384, bool async)
{
	struct oc_key *ki, *kr;

	pki_init();
	ki = key(p384 ? key_ec384a : key_ec256a);
	kr = key(p384 ? key_ec384b : key_ec256b);
	simple_pki(ki, kr);
	/* An email identity and the default (the IP address). */
	setup_certs(async, "moon@example.org", "", ki, kr);
	ci.sig_mode = cr.sig_mode = IKE_SIG_CLASSIC;
	establish_ok();
	if (p384) {
		assert_true(sim_log_has(&S, 0, "AUTH signed with method 10 (ECDSA, SHA-384)"));
		assert_true(sim_log_has(&S, 1, "peer's AUTH verified (AUTH method 10"));
		assert_true(sim_log_has(&S, 0, "peer's AUTH verified (AUTH method 10"));
	} else {
		assert_true(sim_log_has(&S, 1, "AUTH signed with method 9 (ECDSA, SHA-256)"));
		assert_true(sim_log_has(&S, 1, "peer's AUTH verified (AUTH method 9"));
		assert_true(sim_log_has(&S, 0, "peer's AUTH verified (AUTH method 9"));
	}
	sim_free(&S);
	pki_free();
}

static void ecdsa_p256_both_roles(void **state)
{
	ecdsa(false, false);
}

static void ecdsa_p384_both_roles_async(void **state)
{
	ecdsa(true, true);
}

static void rfc7427_pss(void **state)
{
	struct oc_key *ki, *kr;

	pki_init();
	ki = key(key_rsa2048b);
	kr = key(key_ec384b);
	simple_pki(ki, kr);
	setup_certs(false, "moon.example.org", "sun.example.org", ki, kr);
	ci.rsa_pss = true;
	establish_ok();
	/* Both sent SIGNATURE_HASH_ALGORITHMS: method 14, the hash matching
	 * the key from the peer's list (RFC 7427 §4). */
	assert_true(sim_log_has(&S, 0, "AUTH signed with method 14 (RSASSA-PSS, SHA-256)"));
	assert_true(sim_log_has(&S, 1, "AUTH signed with method 14 (ECDSA, SHA-384)"));
	assert_true(sim_log_has(&S, 1, "peer's AUTH verified (AUTH method 14, C=CH, O=osprey, CN=moon)"));
	assert_true(sim_log_has(&S, 0, "peer's AUTH verified (AUTH method 14, C=CH, O=osprey, CN=sun)"));
	sim_free(&S);
	pki_free();
}

/* root -> intermediate -> end entity on both sides; each trusts the root
 * only, so the intermediate must travel in a second CERT. */
static void chain_depth3(void **state)
{
	struct oc_key *root, *inter, *ki, *kr;
	mbedtls_x509_crt *rc, *ic;

	pki_init();
	root = key(key_rsa2048a);
	inter = key(key_rsa2048d);
	ki = key(key_ec256a);
	kr = key(key_rsa2048c);
	rc = issue("C=CH, O=osprey, CN=Root CA", NULL, true, root, root, NULL);
	ic = issue("C=CH, O=osprey, CN=Intermediate CA", NULL, true, inter, root, rc);
	add_to_chain(0, issue("C=CH, O=osprey, CN=moon", san_moon, false, ki, inter, ic));
	add_to_chain(0, ic);
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, inter, ic));
	add_to_chain(1, ic);
	trust(0, rc);
	trust(1, rc);
	setup_certs(true, "moon.example.org", "sun.example.org", ki, kr);
	establish_ok();
	assert_true(sim_log_has(&S, 0, "sending 2 certificates (CERTREQ matched)"));
	assert_true(sim_log_has(&S, 1, "sending 2 certificates (CERTREQ matched)"));
	sim_free(&S);
	pki_free();
}

static void expired_certificate(void **state)
{
	static uint8_t der[4096];
	struct oc_key *ca, *ki, *kr;
	mbedtls_x509_crt *cac;
	char nb[15], na[15];
	struct oc_pki_cert req = { .subject = "C=CH, O=osprey, CN=moon", .san = san_moon,
				   .pathlen = -1, .not_before = nb, .not_after = na };
	size_t len;

	pki_init();
	ca = key(key_rsa2048a);
	ki = key(key_rsa2048b);
	kr = key(key_rsa2048c);
	cac = issue("C=CH, O=osprey, CN=Test CA", NULL, true, ca, ca, NULL);
	oc_pki_time(-20 * 86400, nb);
	oc_pki_time(-10 * 86400, na);
	assert_int_equal(oc_pki_issue(&req, ki, ca, cac, der, sizeof(der), &len), 0);
	assert_int_equal(oc_cert_parse(&P.chain[0], der, len), 0);
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, ca, cac));
	trust(0, cac);
	trust(1, cac);
	setup_certs(false, "moon.example.org", "sun.example.org", ki, kr);
	establish_refused();
	assert_true(sim_log_has(&S, 1, "authentication of the peer failed: certificate verification "
				       "failed (expired)"));
	sim_free(&S);
	pki_free();
}

/* The initiator's certificate comes from a CA the responder does not know. */
static void wrong_ca(void **state)
{
	struct oc_key *ca, *other, *ki, *kr;
	mbedtls_x509_crt *cac, *oc;

	pki_init();
	ca = key(key_rsa2048a);
	other = key(key_rsa2048d);
	ki = key(key_rsa2048b);
	kr = key(key_rsa2048c);
	cac = issue("C=CH, O=osprey, CN=Test CA", NULL, true, ca, ca, NULL);
	oc = issue("C=CH, O=elsewhere, CN=Other CA", NULL, true, other, other, NULL);
	add_to_chain(0, issue("C=CH, O=osprey, CN=moon", san_moon, false, ki, other, oc));
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, ca, cac));
	trust(0, cac);
	trust(1, cac);
	setup_certs(false, "moon.example.org", "sun.example.org", ki, kr);
	establish_refused();
	assert_true(sim_log_has(&S, 1, "certificate verification failed (unknown issuer)"));
	/* CERTREQ named a CA we are not under: the end entity goes anyway. */
	assert_true(sim_log_has(&S, 0, "sending 1 certificate (CERTREQ not matched)"));
	sim_free(&S);
	pki_free();
}

/* The responder's certificate is from an unknown CA: the initiator refuses
 * it and tells the responder in an INFORMATIONAL (§2.21.2). */
static void responder_wrong_ca(void **state)
{
	struct oc_key *ca, *other, *ki, *kr;
	mbedtls_x509_crt *cac, *oc;

	pki_init();
	ca = key(key_rsa2048a);
	other = key(key_rsa2048d);
	ki = key(key_ec256a);
	kr = key(key_ec256b);
	cac = issue("C=CH, O=osprey, CN=Test CA", NULL, true, ca, ca, NULL);
	oc = issue("C=CH, O=elsewhere, CN=Other CA", NULL, true, other, other, NULL);
	add_to_chain(0, issue("C=CH, O=osprey, CN=moon", san_moon, false, ki, ca, cac));
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, other, oc));
	trust(0, cac);
	trust(1, cac);
	setup_certs(true, "moon.example.org", "sun.example.org", ki, kr);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_AUTHENTICATION_FAILED);
	assert_true(sim_log_has(&S, 0, "authentication of the responder failed: certificate "
				       "verification failed (unknown issuer)"));
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	sim_free(&S);
	pki_free();
}

static void revoked_certificate(void **state)
{
	static uint8_t der[4096];
	struct oc_key *ca, *ki, *kr;
	mbedtls_x509_crt *cac, *moon;
	struct oc_pki_revoked rv;
	char t0[15], t1[15], t2[15];
	size_t len;

	pki_init();
	ca = key(key_rsa2048a);
	ki = key(key_rsa2048b);
	kr = key(key_rsa2048c);
	cac = issue("C=CH, O=osprey, CN=Test CA", NULL, true, ca, ca, NULL);
	moon = issue("C=CH, O=osprey, CN=moon", san_moon, false, ki, ca, cac);
	add_to_chain(0, moon);
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, ca, cac));
	trust(0, cac);
	trust(1, cac);
	oc_pki_time(-3600, t0);
	oc_pki_time(-60, t1);
	oc_pki_time(86400, t2);
	rv.cert = moon;
	rv.date = t0;
	assert_int_equal(oc_pki_crl(cac, ca, &rv, 1, t1, t2, der, sizeof(der), &len), 0);
	assert_int_equal(oc_trust_add_crl(&P.trust[1], der, len), 0);
	setup_certs(false, "moon.example.org", "sun.example.org", ki, kr);
	establish_refused();
	assert_true(sim_log_has(&S, 1, "certificate verification failed (revoked)"));
	sim_free(&S);
	pki_free();
}

static void wrong_key_usage(void **state)
{
	static uint8_t der[4096];
	struct oc_key *ca, *ki, *kr;
	mbedtls_x509_crt *cac;
	struct oc_pki_cert req = { .subject = "C=CH, O=osprey, CN=moon", .san = san_moon,
				   .pathlen = -1, .key_usage = MBEDTLS_X509_KU_KEY_ENCIPHERMENT };
	size_t len;

	pki_init();
	ca = key(key_rsa2048a);
	ki = key(key_rsa2048b);
	kr = key(key_rsa2048c);
	cac = issue("C=CH, O=osprey, CN=Test CA", NULL, true, ca, ca, NULL);
	assert_int_equal(oc_pki_issue(&req, ki, ca, cac, der, sizeof(der), &len), 0);
	assert_int_equal(oc_cert_parse(&P.chain[0], der, len), 0);
	add_to_chain(1, issue("C=CH, O=osprey, CN=sun", san_sun, false, kr, ca, cac));
	trust(0, cac);
	trust(1, cac);
	setup_certs(false, "moon.example.org", "sun.example.org", ki, kr);
	establish_refused();
	assert_true(sim_log_has(&S, 1, "certificate verification failed (wrong key usage)"));
	sim_free(&S);
	pki_free();
}

/* IDi is an FQDN the certificate does not hold. */
static void identity_mismatch(void **state)
{
	struct oc_key *ki, *kr;

	pki_init();
	ki = key(key_ec256a);
	kr = key(key_ec256b);
	simple_pki(ki, kr);
	setup_certs(false, "mars.example.org", "sun.example.org", ki, kr);
	establish_refused();
	assert_true(sim_log_has(&S, 1, "identity 'mars.example.org' is not the subject or a "
				       "subjectAltName of 'C=CH, O=osprey, CN=moon'"));
	sim_free(&S);
	pki_free();
}

/* The responder wants another identity than the certificate's (and the
 * initiator's IDi is valid for its certificate): no conn matches. */
static void remote_id_mismatch(void **state)
{
	struct oc_key *ki, *kr;

	pki_init();
	ki = key(key_ec256a);
	kr = key(key_ec256b);
	simple_pki(ki, kr);
	setup_certs(false, "moon.example.org", "sun.example.org", ki, kr);
	assert_int_equal(oc_id_from_string("*.example.com", &cr.remote_id), 0);
	establish_refused();
	assert_true(sim_log_has(&S, 1, "no connection for the peer's identity"));
	sim_free(&S);
	pki_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rsa_both_roles),
		cmocka_unit_test(ecdsa_p256_both_roles),
		cmocka_unit_test(ecdsa_p384_both_roles_async),
		cmocka_unit_test(rfc7427_pss),
		cmocka_unit_test(chain_depth3),
		cmocka_unit_test(expired_certificate),
		cmocka_unit_test(wrong_ca),
		cmocka_unit_test(responder_wrong_ca),
		cmocka_unit_test(revoked_certificate),
		cmocka_unit_test(wrong_key_usage),
		cmocka_unit_test(identity_mismatch),
		cmocka_unit_test(remote_id_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
