/* Keys and IKEv2 AUTH: key formats (PKCS#1, PKCS#8, SEC1, DER, encrypted
 * PEM), shared key AUTH (RFC 7296 §2.15), RSA method 1, ECDSA methods 9-11
 * (RFC 4754), Digital Signature method 14 (RFC 7427) with RSA-PSS, PKCS#1
 * and ECDSA, AlgorithmIdentifiers against RFC 7427 Appendix A, and the
 * SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "crypto/ikev2_auth.h"
#include "crypto/ikev2_kdf.h"
#include "ikev2_const.h"
#include "kat.h"

static char path_buf[1024];

static const char *data_path(const char *name)
{
	const char *top = getenv("top_srcdir");
	snprintf(path_buf, sizeof(path_buf), "%s/testsuite/crypto/data/%s", top ? top : ".", name);
	return path_buf;
}

static uint8_t *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(data_path(name), "rb");
	uint8_t *b = malloc(65536);
	assert_non_null(f);
	*len = fread(b, 1, 65536, f);
	fclose(f);
	return b;
}

static struct oc_key *load(const char *name, const char *pass)
{
	struct oc_key *k = NULL;
	size_t n;
	uint8_t *b = slurp(name, &n);
	int rc = oc_key_parse_private(b, n, pass, &k);
	free(b);
	if (rc)
		fail_msg("%s: %s", name, oc_strerror(rc));
	return k;
}

static void key_formats(void **state)
{
	const char *rsa[] = { "rsa2048-pkcs1.pem", "rsa2048-pkcs8.pem", "rsa2048-pkcs8.der" };
	const char *ec[] = { "ec-p256-sec1.pem", "ec-p256-pkcs8.pem", "ec-p256-sec1.der" };
	uint8_t h1[20], h2[20];
	struct oc_key *k;
	for (int i = 0; i < 3; i++) {
		k = load(rsa[i], NULL);
		assert_int_equal(k->type, OC_KEY_RSA);
		assert_int_equal(k->bits, 2048);
		assert_int_equal(oc_key_spki_sha1(k, i ? h2 : h1), 0);
		if (i)
			assert_memory_equal(h1, h2, 20);
		oc_key_free(k);
		k = load(ec[i], NULL);
		assert_int_equal(k->type, OC_KEY_EC);
		assert_int_equal(k->bits, 256);
		oc_key_free(k);
	}
	k = load("rsa2048-enc.pem", "osprey");
	assert_int_equal(oc_key_spki_sha1(k, h2), 0);
	assert_memory_equal(h1, h2, 20);
	oc_key_free(k);
	oc_key_free(load("rsa2048-pkcs8-des3.pem", "osprey"));
	/* mbedTLS 2.28 has no AES/HMAC-SHA256 PBES2 (OpenSSL 3's default PKCS#8
	 * encryption): reported as unavailable, not as a bad passphrase. */
	size_t en;
	uint8_t *eb = slurp("rsa2048-pkcs8-enc.pem", &en);
	assert_int_equal(oc_key_parse_private(eb, en, "osprey", &k), OC_EUNAVAIL);
	free(eb);
	oc_key_free(load("ec-p256-enc.pem", "osprey"));
	/* A wrong or missing passphrase is reported as such. */
	size_t n;
	uint8_t *b = slurp("rsa2048-enc.pem", &n);
	assert_int_equal(oc_key_parse_private(b, n, "wrong", &k), OC_EAUTH);
	assert_int_equal(oc_key_parse_private(b, n, NULL, &k), OC_EAUTH);
	free(b);
	b = slurp("rsa2048-pub.pem", &n);
	assert_int_equal(oc_key_parse_public(b, n, &k), 0);
	assert_int_equal(oc_key_spki_sha1(k, h2), 0);
	assert_memory_equal(h1, h2, 20);
	oc_key_free(k);
	assert_int_equal(oc_key_parse_private(b, n, NULL, &k), OC_EPARSE);
	free(b);
}

/* §2.15 with HMAC-SHA2-256; the expected value was computed with Python's hmac. */
static void psk_auth(void **state)
{
	const struct oc_transform *prf = oc_transform_find(IKEV2_TT_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	uint8_t msg[64], nonce[32], skp[32], auth[32], *oct;
	const uint8_t idb[] = "\x02\x00\x00\x00vpn.example.org";
	size_t n;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	memset(nonce, 0xaa, sizeof(nonce));
	memset(skp, 0x11, sizeof(skp));
	assert_int_equal(oc_ikev2_signed_octets(prf, msg, 64, nonce, 32, skp, 32, idb, sizeof(idb) - 1,
						&oct, &n), 0);
	assert_int_equal(n, 64 + 32 + 32);
	assert_int_equal(oc_ikev2_auth_psk(prf, (const uint8_t *)"secret", 6, oct, n, auth), 0);
	size_t wl;
	uint8_t *want = kat_hex("cdca07682a7d6e7c3f68c44845c65a8c0552e29bcb22ea509859482d38298f3f", &wl);
	assert_memory_equal(auth, want, 32);
	assert_int_equal(oc_ikev2_auth_psk_verify(prf, (const uint8_t *)"secret", 6, oct, n, auth, 32), 0);
	auth[5] ^= 1;
	assert_int_equal(oc_ikev2_auth_psk_verify(prf, (const uint8_t *)"secret", 6, oct, n, auth, 32), OC_EAUTH);
	assert_int_equal(oc_ikev2_auth_psk_verify(prf, (const uint8_t *)"secreT", 6, oct, n, want, 32), OC_EAUTH);
	free(want);
	free(oct);
}

/* RFC 7427 Appendix A encodings. */
static void algorithm_identifiers(void **state)
{
	struct { enum oc_sig_scheme s; enum oc_hash h; const char *der; } v[] = {
		/* A.1.2 sha256WithRSAEncryption */
		{ OC_SIG_RSA_PKCS1, OC_HASH_SHA256, "300d06092a864886f70d01010b0500" },
		/* A.1.3 sha384WithRSAEncryption, A.1.4 sha512WithRSAEncryption */
		{ OC_SIG_RSA_PKCS1, OC_HASH_SHA384, "300d06092a864886f70d01010c0500" },
		{ OC_SIG_RSA_PKCS1, OC_HASH_SHA512, "300d06092a864886f70d01010d0500" },
		/* A.3.1-3 ecdsa-with-sha256/384/512 */
		{ OC_SIG_ECDSA, OC_HASH_SHA256, "300a06082a8648ce3d040302" },
		{ OC_SIG_ECDSA, OC_HASH_SHA384, "300a06082a8648ce3d040303" },
		{ OC_SIG_ECDSA, OC_HASH_SHA512, "300a06082a8648ce3d040304" },
		/* RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32 (RFC 4055 §3.1
		 * RSASSA-PSS-params; decoded with openssl asn1parse) */
		{ OC_SIG_RSA_PSS, OC_HASH_SHA256,
		  "3041 06092a864886f70d01010a 3034"
		  "a00f 300d 0609608648016503040201 0500"
		  "a11c 301a 06092a864886f70d010108 300d 0609608648016503040201 0500"
		  "a203 020120" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t buf[128];
		size_t n, wl;
		uint8_t *want = kat_hex(v[i].der, &wl);
		assert_int_equal(oc_sig_algid(v[i].s, v[i].h, buf, sizeof(buf), &n), 0);
		assert_int_equal(n, wl);
		assert_memory_equal(buf, want, wl);
		free(want);
	}
}

static void sign_and_verify(struct oc_key *k, unsigned method, enum oc_hash h, bool pss)
{
	uint8_t oct[300], auth[1200];
	size_t n = sizeof(auth);
	const char *why = NULL;
	for (size_t i = 0; i < sizeof(oct); i++)
		oct[i] = (uint8_t)(i * 3);
	assert_int_equal(oc_ikev2_auth_sign(k, method, h, pss, oct, sizeof(oct), auth, &n), 0);
	assert_int_equal(oc_ikev2_auth_verify(k, method, oct, sizeof(oct), auth, n, &why), 0);
	oct[7] ^= 1;
	assert_int_equal(oc_ikev2_auth_verify(k, method, oct, sizeof(oct), auth, n, &why), OC_EAUTH);
	assert_non_null(why);
	oct[7] ^= 1;
	auth[n - 1] ^= 1;
	assert_int_not_equal(oc_ikev2_auth_verify(k, method, oct, sizeof(oct), auth, n, &why), 0);
}

static void signature_auth(void **state)
{
	struct oc_key *rsa = load("rsa2048-pkcs1.pem", NULL);
	struct oc_key *p256 = load("ec-p256-sec1.pem", NULL);
	struct oc_key *p384 = load("ec-p384-sec1.pem", NULL);
	struct oc_key *p521 = load("ec-p521-sec1.pem", NULL);
	uint8_t auth[600];
	size_t n = sizeof(auth);

	sign_and_verify(rsa, IKEV2_AUTH_RSA_SIG, OC_HASH_NONE, false);
	sign_and_verify(p256, IKEV2_AUTH_ECDSA_SHA256_P256, OC_HASH_NONE, false);
	sign_and_verify(p384, IKEV2_AUTH_ECDSA_SHA384_P384, OC_HASH_NONE, false);
	sign_and_verify(p521, IKEV2_AUTH_ECDSA_SHA512_P521, OC_HASH_NONE, false);
	enum oc_hash hs[] = { OC_HASH_SHA256, OC_HASH_SHA384, OC_HASH_SHA512 };
	for (int i = 0; i < 3; i++) {
		sign_and_verify(rsa, IKEV2_AUTH_DIGITAL_SIGNATURE, hs[i], true);
		sign_and_verify(rsa, IKEV2_AUTH_DIGITAL_SIGNATURE, hs[i], false);
		sign_and_verify(p256, IKEV2_AUTH_DIGITAL_SIGNATURE, hs[i], false);
		sign_and_verify(p384, IKEV2_AUTH_DIGITAL_SIGNATURE, hs[i], false);
	}
	/* RFC 4754: the method fixes the curve. */
	assert_int_equal(oc_ikev2_auth_sign(p384, IKEV2_AUTH_ECDSA_SHA256_P256, OC_HASH_NONE, false,
					    auth, 10, auth, &n), OC_EINVAL);
	/* RFC 4754 §7: r | s, each 32 octets for P-256. */
	n = sizeof(auth);
	assert_int_equal(oc_ikev2_auth_sign(p256, IKEV2_AUTH_ECDSA_SHA256_P256, OC_HASH_NONE, false,
					    (const uint8_t *)"x", 1, auth, &n), 0);
	assert_int_equal(n, 64);
	/* A signature checked with another key fails with a reason. */
	const char *why = NULL;
	n = sizeof(auth);
	assert_int_equal(oc_ikev2_auth_sign(p256, IKEV2_AUTH_DIGITAL_SIGNATURE, OC_HASH_SHA256, false,
					    (const uint8_t *)"x", 1, auth, &n), 0);
	assert_int_equal(oc_ikev2_auth_verify(rsa, IKEV2_AUTH_DIGITAL_SIGNATURE, (const uint8_t *)"x", 1,
					      auth, n, &why), OC_EAUTH);
	assert_non_null(strstr(why, "key type"));
	oc_key_free(rsa);
	oc_key_free(p256);
	oc_key_free(p384);
	oc_key_free(p521);
}

static void signature_hash_notify(void **state)
{
	uint8_t buf[16];
	enum oc_hash h;
	struct oc_key *p384 = load("ec-p384-sec1.pem", NULL);
	struct oc_key *rsa = load("rsa2048-pkcs1.pem", NULL);
	size_t n = oc_sig_hash_notify(buf, sizeof(buf));
	const uint8_t want[] = { 0, 2, 0, 3, 0, 4 };
	assert_int_equal(n, 6);
	assert_memory_equal(buf, want, 6);
	assert_int_equal(oc_sig_hash_choose(p384, want, 6, &h), 0);
	assert_int_equal(h, OC_HASH_SHA384);
	assert_int_equal(oc_sig_hash_choose(rsa, want, 6, &h), 0);
	assert_int_equal(h, OC_HASH_SHA256);
	const uint8_t only512[] = { 0, 1, 0, 4, 0, 5 }; /* SHA1, SHA2-512, Identity */
	assert_int_equal(oc_sig_hash_choose(rsa, only512, 6, &h), 0);
	assert_int_equal(h, OC_HASH_SHA512);
	const uint8_t none[] = { 0, 1 };
	assert_int_equal(oc_sig_hash_choose(rsa, none, 2, &h), OC_EUNAVAIL);
	oc_key_free(p384);
	oc_key_free(rsa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_formats),
		cmocka_unit_test(psk_auth),
		cmocka_unit_test(algorithm_identifiers),
		cmocka_unit_test(signature_auth),
		cmocka_unit_test(signature_hash_notify),
	};
	return cmocka_run_group_tests_name("crypto_auth", tests, NULL, NULL);
}
