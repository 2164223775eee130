/* bench_crypto - microseconds per operation of the crypto layer: every key
 * exchange group, every signature type, and SK protection of 1 KiB.
 * Usage: bench_crypto [min-milliseconds-per-row]   (default 300) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>

#include "crypto/ke.h"
#include "crypto/pubkey.h"
#include "crypto/sk.h"
#include "crypto/transforms.h"
#include "ikev2_const.h"

static double min_ms = 300;

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Runs fn until min_ms have passed (at least 3 times); returns us per call. */
#define TIME(us, body)                                              \
	do {                                                        \
		double t0_ = now_us(), t_;                          \
		long n_ = 0;                                        \
		do {                                                \
			body;                                       \
			n_++;                                       \
			t_ = now_us() - t0_;                        \
		} while (t_ < min_ms * 1000 || n_ < 3);             \
		(us) = t_ / n_;                                     \
	} while (0)

static void bench_ke(void)
{
	printf("%-22s %12s %12s\n", "key exchange", "keygen us", "derive us");
	for (size_t i = 0; oc_transform_at(i); i++) {
		const struct oc_transform *t = oc_transform_at(i);
		struct oc_ke *a, *b;
		uint8_t s[1024];
		double g, d;
		if (t->type != IKEV2_TT_KE || !oc_transform_available(t))
			continue;
		if (oc_ke_new(t->id, &b) != 0)
			abort();
		TIME(g, { if (oc_ke_new(t->id, &a) != 0) abort(); oc_ke_free(a); });
		if (oc_ke_new(t->id, &a) != 0)
			abort();
		TIME(d, { if (oc_ke_shared(a, b->pub, b->pub_len, s) != 0) abort(); });
		printf("%-22s %12.1f %12.1f\n", t->keyword, g, d);
		oc_ke_free(a);
		oc_ke_free(b);
	}
}

static struct oc_key *make_key(bool rsa, int param)
{
	struct oc_key *k = calloc(1, sizeof(*k));
	mbedtls_pk_init(&k->pk);
	if (rsa) {
		if (mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) != 0 ||
		    mbedtls_rsa_gen_key(mbedtls_pk_rsa(k->pk), oc_rng_mbedtls, NULL, (unsigned)param, 65537) != 0)
			abort();
		k->type = OC_KEY_RSA;
	} else {
		if (mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
		    mbedtls_ecp_gen_key((mbedtls_ecp_group_id)param, mbedtls_pk_ec(k->pk), oc_rng_mbedtls, NULL) != 0)
			abort();
		k->type = OC_KEY_EC;
	}
	k->bits = (unsigned)mbedtls_pk_get_bitlen(&k->pk);
	k->has_private = true;
	return k;
}

static void bench_sig(void)
{
	static const struct {
		const char *name;
		bool rsa;
		int param;
		enum oc_sig_scheme s;
		enum oc_hash h;
	} rows[] = {
		{ "RSA-2048 PKCS1 SHA1", true, 2048, OC_SIG_RSA_PKCS1, OC_HASH_SHA1 },
		{ "RSA-2048 PKCS1 SHA256", true, 2048, OC_SIG_RSA_PKCS1, OC_HASH_SHA256 },
		{ "RSA-2048 PSS SHA256", true, 2048, OC_SIG_RSA_PSS, OC_HASH_SHA256 },
		{ "RSA-3072 PSS SHA384", true, 3072, OC_SIG_RSA_PSS, OC_HASH_SHA384 },
		{ "RSA-4096 PSS SHA512", true, 4096, OC_SIG_RSA_PSS, OC_HASH_SHA512 },
		{ "ECDSA P-256 SHA256", false, MBEDTLS_ECP_DP_SECP256R1, OC_SIG_ECDSA, OC_HASH_SHA256 },
		{ "ECDSA P-384 SHA384", false, MBEDTLS_ECP_DP_SECP384R1, OC_SIG_ECDSA, OC_HASH_SHA384 },
		{ "ECDSA P-521 SHA512", false, MBEDTLS_ECP_DP_SECP521R1, OC_SIG_ECDSA, OC_HASH_SHA512 },
		{ "ECDSA bp256 SHA256", false, MBEDTLS_ECP_DP_BP256R1, OC_SIG_ECDSA, OC_HASH_SHA256 },
	};
	uint8_t msg[512] = { 1 }, sig[1024];
	printf("\n%-22s %12s %12s\n", "signature", "sign us", "verify us");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct oc_key *k = make_key(rows[i].rsa, rows[i].param);
		size_t n = sizeof(sig);
		double s, v;
		TIME(s, { n = sizeof(sig); if (oc_sign(k, rows[i].s, rows[i].h, msg, sizeof(msg), sig, &n) != 0) abort(); });
		TIME(v, { if (oc_verify(k, rows[i].s, rows[i].h, msg, sizeof(msg), sig, n) != 0) abort(); });
		printf("%-22s %12.1f %12.1f\n", rows[i].name, s, v);
		oc_key_free(k);
	}
}

static void bench_sk(void)
{
	static const char *const integs[] = { "sha1", "sha256", "sha384", "sha512", "aesxcbc" };
	uint8_t ek[36] = { 3 }, ak[64] = { 4 }, hdr[32] = { 0 }, plain[1024] = { 5 };
	uint8_t sealed[1200], back[1200];
	printf("\n%-30s %12s %12s\n", "SK payload, 1 KiB", "seal us", "open us");
	for (size_t e = 0; oc_transform_at(e); e++) {
		const struct oc_transform *encr = oc_transform_at(e);
		if (encr->type != IKEV2_TT_ENCR || !oc_transform_available(encr))
			continue;
		for (size_t a = 0; a < (encr->aead ? 1 : sizeof(integs) / sizeof(integs[0])); a++) {
			const struct oc_transform *integ = encr->aead ? NULL : oc_transform_by_keyword(integs[a]);
			struct oc_sk sk;
			char name[64];
			size_t n, got;
			double s, o;
			if (oc_sk_init(&sk, encr, integ, ek, encr->key_len, ak, integ ? integ->key_len : 0) != 0)
				abort();
			n = oc_sk_sealed_len(&sk, sizeof(plain));
			TIME(s, { if (oc_sk_seal(&sk, hdr, sizeof(hdr), plain, sizeof(plain), sealed, n) != 0) abort(); });
			TIME(o, { if (oc_sk_open(&sk, hdr, sizeof(hdr), sealed, n, back, &got) != 0) abort(); });
			snprintf(name, sizeof(name), "%s%s%s", encr->keyword, integ ? "-" : "",
				 integ ? integ->keyword : "");
			printf("%-30s %12.2f %12.2f\n", name, s, o);
			oc_sk_wipe(&sk);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		min_ms = atof(argv[1]);
	printf("osprey crypto benchmark (provider: %s)\n\n",
	       oc_provider_for(OC_KIND_KE, IKEV2_GROUP_CURVE25519)->name);
	bench_ke();
	bench_sig();
	bench_sk();
	return 0;
}
