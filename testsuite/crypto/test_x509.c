/* Certificates: chains of depth 1 to 3, and each failure with its specific
 * error (expired, not yet valid, revoked with date, unknown issuer, wrong key
 * usage, issuer not a CA, path length); CRLs from the pki writer; CERTREQ
 * hashes and chain selection (RFC 7296 §3.7); identities and their matching
 * against certificates.  Everything is issued here with lib/crypto/pki.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/identity.h"
#include "crypto/pki.h"
#include "crypto/x509.h"
#include "ikev2_const.h"

struct ca {
	struct oc_key *key;
	mbedtls_x509_crt crt;
};

static struct ca root, inter1, inter2, other;
static struct oc_key *ee_key;

static void issue(const struct oc_pki_cert *req, const struct oc_key *key, const struct ca *by,
		  mbedtls_x509_crt *out)
{
	uint8_t der[4096];
	size_t n;
	int rc = oc_pki_issue(req, key, by ? by->key : key, by ? &by->crt : NULL, der, sizeof(der), &n);
	if (rc)
		fail_msg("issue %s: %s", req->subject, oc_strerror(rc));
	mbedtls_x509_crt_init(out);
	assert_int_equal(oc_cert_parse(out, der, n), 0);
}

static void make_ca(struct ca *ca, const char *subject, const struct ca *by, int pathlen)
{
	struct oc_pki_cert req = { .subject = subject, .ca = true, .pathlen = pathlen, .days = 30 };
	assert_int_equal(oc_pki_genkey(OC_KEY_EC, 256, &ca->key), 0);
	issue(&req, ca->key, by, &ca->crt);
}

static int setup(void **state)
{
	make_ca(&root, "C=CH, O=osprey test, CN=Root CA", NULL, -1);
	make_ca(&inter1, "C=CH, O=osprey test, CN=Intermediate 1", &root, -1);
	make_ca(&inter2, "C=CH, O=osprey test, CN=Intermediate 2", &inter1, -1);
	make_ca(&other, "C=CH, O=elsewhere, CN=Other CA", NULL, -1);
	return oc_pki_genkey(OC_KEY_EC, 256, &ee_key);
}

static void free_ca(struct ca *ca)
{
	oc_key_free(ca->key);
	mbedtls_x509_crt_free(&ca->crt);
}

static int teardown(void **state)
{
	free_ca(&root);
	free_ca(&inter1);
	free_ca(&inter2);
	free_ca(&other);
	oc_key_free(ee_key);
	return 0;
}

static const char *const moon_san[] = { "moon.example.org", "moon@example.org", "192.0.2.1",
					"2001:db8::1", NULL };

/* The peer's chain: the end entity, then copies of the intermediates. */
static void chain_add(mbedtls_x509_crt *chain, const struct ca *ca)
{
	assert_int_equal(oc_cert_parse(chain, ca->crt.raw.p, ca->crt.raw.len), 0);
}

static void trust_root(struct oc_trust *t)
{
	oc_trust_init(t);
	assert_int_equal(oc_trust_add_ca(t, root.crt.raw.p, root.crt.raw.len), 0);
}

static enum oc_cert_status verify(mbedtls_x509_crt *chain, struct oc_trust *t, char *why, size_t n)
{
	enum oc_cert_status st = oc_cert_verify(t, chain, why, n);
	print_message("# %s: %s\n", oc_cert_status_name(st), why);
	return st;
}

static void chains_depth_1_to_3(void **state)
{
	const struct ca *issuers[3] = { &root, &inter1, &inter2 };
	for (int depth = 1; depth <= 3; depth++) {
		struct oc_pki_cert req = { .subject = "C=CH, O=osprey test, CN=moon", .san = moon_san };
		mbedtls_x509_crt chain;
		struct oc_trust t;
		char why[512];
		issue(&req, ee_key, issuers[depth - 1], &chain);
		for (int i = depth - 1; i >= 1; i--)
			chain_add(&chain, issuers[i]);
		trust_root(&t);
		assert_int_equal(verify(&chain, &t, why, sizeof(why)), OC_CERT_OK);
		/* Without the intermediates the issuer is unknown. */
		if (depth > 1) {
			mbedtls_x509_crt alone;
			mbedtls_x509_crt_init(&alone);
			assert_int_equal(oc_cert_parse(&alone, chain.raw.p, chain.raw.len), 0);
			assert_int_equal(verify(&alone, &t, why, sizeof(why)), OC_CERT_UNKNOWN_ISSUER);
			assert_non_null(strstr(why, "unknown issuer 'C=CH, O=osprey test, CN=Intermediate"));
			mbedtls_x509_crt_free(&alone);
		}
		oc_trust_free(&t);
		mbedtls_x509_crt_free(&chain);
	}
}

static void check_failure(const struct oc_pki_cert *req, const struct ca *by, enum oc_cert_status want,
			  const char *text)
{
	mbedtls_x509_crt chain;
	struct oc_trust t;
	char why[512];
	issue(req, ee_key, by, &chain);
	if (by == &inter1)
		chain_add(&chain, &inter1);
	trust_root(&t);
	assert_int_equal(verify(&chain, &t, why, sizeof(why)), want);
	if (!strstr(why, text))
		fail_msg("'%s' does not say '%s'", why, text);
	oc_trust_free(&t);
	mbedtls_x509_crt_free(&chain);
}

static void expired_and_not_yet_valid(void **state)
{
	struct oc_pki_cert old = { .subject = "CN=old", .not_before = "20200101000000",
				   .not_after = "20210101000000" };
	check_failure(&old, &root, OC_CERT_EXPIRED, "certificate 'CN=old' expired on 2021-01-01 00:00:00 UTC");
	struct oc_pki_cert future = { .subject = "CN=future", .not_before = "20450101000000",
				      .not_after = "20460101000000" };
	check_failure(&future, &root, OC_CERT_NOT_YET_VALID,
		      "certificate 'CN=future' is not valid before 2045-01-01 00:00:00 UTC");
}

static void wrong_issuer(void **state)
{
	struct oc_pki_cert req = { .subject = "CN=stranger" };
	check_failure(&req, &other, OC_CERT_UNKNOWN_ISSUER,
		      "certificate 'CN=stranger': unknown issuer 'C=CH, O=elsewhere, CN=Other CA'");
}

static void wrong_key_usage(void **state)
{
	struct oc_pki_cert req = { .subject = "CN=encrypt-only", .key_usage = MBEDTLS_X509_KU_KEY_ENCIPHERMENT };
	check_failure(&req, &root, OC_CERT_KEY_USAGE, "wrong key usage: certificate 'CN=encrypt-only'");
}

static void issuer_not_a_ca(void **state)
{
	struct ca fake;
	struct oc_pki_cert req = { .subject = "C=CH, O=osprey test, CN=Not A CA", .ca = false,
				   .key_usage = MBEDTLS_X509_KU_DIGITAL_SIGNATURE | MBEDTLS_X509_KU_KEY_CERT_SIGN };
	struct oc_pki_cert ee = { .subject = "CN=victim" };
	mbedtls_x509_crt chain;
	struct oc_trust t;
	char why[512];
	assert_int_equal(oc_pki_genkey(OC_KEY_EC, 256, &fake.key), 0);
	issue(&req, fake.key, &root, &fake.crt);
	issue(&ee, ee_key, &fake, &chain);
	chain_add(&chain, &fake);
	trust_root(&t);
	assert_int_equal(verify(&chain, &t, why, sizeof(why)), OC_CERT_NOT_CA);
	assert_non_null(strstr(why, "issuer 'C=CH, O=osprey test, CN=Not A CA' is not a CA"));
	oc_trust_free(&t);
	mbedtls_x509_crt_free(&chain);
	free_ca(&fake);
}

static void path_length_exceeded(void **state)
{
	struct ca strict, mid;
	struct oc_pki_cert ee = { .subject = "CN=deep" };
	mbedtls_x509_crt chain;
	struct oc_trust t;
	char why[512];
	make_ca(&strict, "CN=Strict Root", NULL, 0); /* no intermediate allowed below */
	make_ca(&mid, "CN=Mid", &strict, -1);
	issue(&ee, ee_key, &mid, &chain);
	chain_add(&chain, &mid);
	oc_trust_init(&t);
	assert_int_equal(oc_trust_add_ca(&t, strict.crt.raw.p, strict.crt.raw.len), 0);
	assert_int_equal(verify(&chain, &t, why, sizeof(why)), OC_CERT_PATHLEN);
	assert_non_null(strstr(why, "path length constraint of 'CN=Strict Root' (0)"));
	oc_trust_free(&t);
	mbedtls_x509_crt_free(&chain);
	free_ca(&strict);
	free_ca(&mid);
}

static void revoked_with_date(void **state)
{
	struct oc_pki_cert req = { .subject = "CN=revoked", .serial = 0x1234 };
	struct oc_pki_cert fine = { .subject = "CN=fine", .serial = 0x99 };
	mbedtls_x509_crt bad, good;
	struct oc_trust t;
	uint8_t der[4096];
	char pem[8192], why[512], now[15], next[15];
	size_t n;
	issue(&req, ee_key, &root, &bad);
	issue(&fine, ee_key, &root, &good);
	struct oc_pki_revoked list[1] = { { &bad, "20240501120000" } };
	oc_pki_time(-3600, now);
	oc_pki_time(7 * 86400, next);
	assert_int_equal(oc_pki_crl(&root.crt, root.key, list, 1, now, next, der, sizeof(der), &n), 0);
	/* PEM armour, as the tool writes it, parses too. */
	assert_int_equal(oc_pki_pem("X509 CRL", der, n, pem, sizeof(pem)), 0);
	trust_root(&t);
	assert_int_equal(oc_trust_add_crl(&t, (const uint8_t *)pem, strlen(pem)), 0);
	assert_int_equal(verify(&bad, &t, why, sizeof(why)), OC_CERT_REVOKED);
	assert_non_null(strstr(why, "certificate 'CN=revoked' was revoked on 2024-05-01 12:00:00 UTC"));
	assert_non_null(strstr(why, "serial 12:34"));
	assert_int_equal(verify(&good, &t, why, sizeof(why)), OC_CERT_OK);
	oc_trust_free(&t);
	mbedtls_x509_crt_free(&bad);
	mbedtls_x509_crt_free(&good);
}

static void certreq(void **state)
{
	struct oc_pki_cert req = { .subject = "CN=moon" };
	mbedtls_x509_crt chain;
	struct oc_trust t;
	uint8_t buf[64], h_root[20], h_i1[20], h_other[20];
	size_t n;
	issue(&req, ee_key, &inter1, &chain);
	chain_add(&chain, &inter1);
	trust_root(&t);
	assert_int_equal(oc_certreq_build(&t, buf, sizeof(buf), &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(oc_cert_spki_sha1(&root.crt, h_root), 0);
	assert_memory_equal(buf, h_root, 20);
	/* The hash is over the SubjectPublicKeyInfo, the same as the key's own. */
	uint8_t h_key[20];
	assert_int_equal(oc_key_spki_sha1(root.key, h_key), 0);
	assert_memory_equal(h_key, h_root, 20);
	assert_int_equal(oc_cert_spki_sha1(&inter1.crt, h_i1), 0);
	assert_int_equal(oc_cert_spki_sha1(&other.crt, h_other), 0);
	/* Root requested: send the end entity and the intermediate. */
	assert_int_equal(oc_certreq_select(&chain, &t, h_root, 20), 2);
	/* Intermediate requested: the end entity is enough. */
	assert_int_equal(oc_certreq_select(&chain, &t, h_i1, 20), 1);
	uint8_t both[40];
	memcpy(both, h_other, 20);
	memcpy(both + 20, h_root, 20);
	assert_int_equal(oc_certreq_select(&chain, &t, both, 40), 2);
	assert_int_equal(oc_certreq_select(&chain, &t, h_other, 20), 0);
	oc_trust_free(&t);
	mbedtls_x509_crt_free(&chain);
}

static void id(const char *s, struct oc_id *out, uint8_t type)
{
	assert_int_equal(oc_id_from_string(s, out), 0);
	assert_int_equal(out->type, type);
}

static void identities(void **state)
{
	struct oc_id a, b;
	char buf[256];
	id("192.0.2.1", &a, IKEV2_ID_IPV4_ADDR);
	assert_int_equal(a.len, 4);
	id("2001:db8::1", &a, IKEV2_ID_IPV6_ADDR);
	assert_true(oc_id_to_string(&a, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "2001:db8::1");
	id("moon.example.org", &a, IKEV2_ID_FQDN);
	id("@moon.example.org", &b, IKEV2_ID_FQDN);
	assert_true(oc_id_match(&a, &b));
	id("carol@example.org", &a, IKEV2_ID_RFC822_ADDR);
	id("@#0a0B0c", &a, IKEV2_ID_KEY_ID);
	assert_int_equal(a.len, 3);
	oc_id_to_string(&a, buf, sizeof(buf));
	assert_string_equal(buf, "@#0a0b0c");
	id("C=CH, O=osprey test, CN=moon", &a, IKEV2_ID_DER_ASN1_DN);
	oc_id_to_string(&a, buf, sizeof(buf));
	assert_string_equal(buf, "C=CH, O=osprey test, CN=moon");
	id("%any", &a, OC_ID_ANY);

	/* Wildcards. */
	id("*.example.org", &a, IKEV2_ID_FQDN);
	id("sun.example.org", &b, IKEV2_ID_FQDN);
	assert_true(oc_id_match(&a, &b));
	id("sun.example.net", &b, IKEV2_ID_FQDN);
	assert_false(oc_id_match(&a, &b));
	id("*@example.org", &a, IKEV2_ID_RFC822_ADDR);
	id("carol@example.org", &b, IKEV2_ID_RFC822_ADDR);
	assert_true(oc_id_match(&a, &b));
	id("C=CH, O=osprey test, CN=*", &a, IKEV2_ID_DER_ASN1_DN);
	id("C=CH, O=osprey test, CN=moon", &b, IKEV2_ID_DER_ASN1_DN);
	assert_true(oc_id_match(&a, &b));
	id("C=CH, O=other, CN=moon", &b, IKEV2_ID_DER_ASN1_DN);
	assert_false(oc_id_match(&a, &b));
	id("C=CH, CN=moon", &b, IKEV2_ID_DER_ASN1_DN);
	assert_false(oc_id_match(&a, &b));
	/* Different types never match, except %any. */
	id("moon.example.org", &b, IKEV2_ID_FQDN);
	assert_false(oc_id_match(&a, &b));
	id("%any", &a, OC_ID_ANY);
	assert_true(oc_id_match(&a, &b));
	assert_int_not_equal(oc_id_from_string("ipv4:300.1.1.1", &a), 0);
}

static void identities_in_certificates(void **state)
{
	struct oc_pki_cert req = { .subject = "C=CH, O=osprey test, CN=moon", .san = moon_san };
	mbedtls_x509_crt c;
	struct oc_id p;
	uint8_t kid[20];
	char hex[64];
	issue(&req, ee_key, &root, &c);
	const char *yes[] = { "C=CH, O=osprey test, CN=moon", "C=CH, O=*, CN=moon", "moon.example.org",
			      "*.example.org", "moon@example.org", "192.0.2.1", "2001:db8::1", "%any" };
	const char *no[] = { "C=CH, O=osprey test, CN=sun", "sun.example.org", "sun@example.org",
			     "192.0.2.2", "2001:db8::2", "C=CH, CN=moon" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_int_equal(oc_id_from_string(yes[i], &p), 0);
		if (!oc_id_match_cert(&p, &c))
			fail_msg("'%s' should match the certificate", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_int_equal(oc_id_from_string(no[i], &p), 0);
		if (oc_id_match_cert(&p, &c))
			fail_msg("'%s' should not match the certificate", no[i]);
	}
	assert_int_equal(oc_cert_spki_sha1(&c, kid), 0);
	strcpy(hex, "@#");
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 + 2 * i, 3, "%02x", kid[i]);
	assert_int_equal(oc_id_from_string(hex, &p), 0);
	assert_true(oc_id_match_cert(&p, &c));
	mbedtls_x509_crt_free(&c);
}

/* RSA end entities are issued and verified the same way. */
static void rsa_end_entity(void **state)
{
	struct oc_key *rsa;
	struct oc_pki_cert req = { .subject = "CN=rsa moon", .san = moon_san };
	mbedtls_x509_crt c;
	struct oc_trust t;
	char why[512];
	assert_int_equal(oc_pki_genkey(OC_KEY_RSA, 2048, &rsa), 0);
	issue(&req, rsa, &root, &c);
	trust_root(&t);
	assert_int_equal(verify(&c, &t, why, sizeof(why)), OC_CERT_OK);
	struct oc_key *pub;
	assert_int_equal(oc_key_from_pk(&c.pk, &pub), 0);
	assert_int_equal(pub->type, OC_KEY_RSA);
	assert_int_equal(pub->bits, 2048);
	oc_key_free(pub);
	oc_trust_free(&t);
	mbedtls_x509_crt_free(&c);
	oc_key_free(rsa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chains_depth_1_to_3),
		cmocka_unit_test(expired_and_not_yet_valid),
		cmocka_unit_test(wrong_issuer),
		cmocka_unit_test(wrong_key_usage),
		cmocka_unit_test(issuer_not_a_ca),
		cmocka_unit_test(path_length_exceeded),
		cmocka_unit_test(revoked_with_date),
		cmocka_unit_test(certreq),
		cmocka_unit_test(identities),
		cmocka_unit_test(identities_in_certificates),
		cmocka_unit_test(rsa_end_entity),
	};
	return cmocka_run_group_tests_name("crypto_x509", tests, setup, teardown);
}
