/* Key exchange: RFC 5903 §8 (ECP), RFC 7748 §5.2 and §6 (X25519, X448),
 * RFC 3526 group parameters against mbedTLS's own copies, peer value
 * validation (RFC 6989, RFC 8031 §2.2), and agreement for every group. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mbedtls/dhm.h>

#include "crypto/ke.h"
#include "crypto/modp_groups.h"
#include "crypto/transforms.h"
#include "ikev2_const.h"
#include "kat.h"

/* The initiator's value is i, the peer's g^r: expect g^i and g^ir. */
static void check_ke(unsigned group, const char *priv_hex, const char *pub_hex,
		     const char *peer_hex, const char *secret_hex)
{
	size_t pl, gl, rl, sl;
	uint8_t *priv = kat_hex(priv_hex, &pl), *pub = kat_hex(pub_hex, &gl);
	uint8_t *peer = kat_hex(peer_hex, &rl), *want = kat_hex(secret_hex, &sl);
	uint8_t secret[1024];
	struct oc_ke *ke = NULL;

	assert_int_equal(oc_ke_new_fixed(group, priv, pl, &ke), 0);
	assert_int_equal(ke->pub_len, gl);
	assert_memory_equal(ke->pub, pub, gl);
	assert_int_equal(ke->secret_len, sl);
	assert_int_equal(oc_ke_shared(ke, peer, rl, secret), 0);
	assert_memory_equal(secret, want, sl);
	oc_ke_free(ke);
	free(priv);
	free(pub);
	free(peer);
	free(want);
}

/* RFC 5903 §8.1 (256-bit random ECP group) and §8.2 (384-bit). */
static void ecp_rfc5903(void **state)
{
	check_ke(IKEV2_GROUP_ECP_256,
		 "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433",
		 "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
		 "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3",
		 "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
		 "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
		 "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE");
	/* And from the responder's side: r with g^i gives the same g^ir. */
	check_ke(IKEV2_GROUP_ECP_256,
		 "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53",
		 "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
		 "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
		 "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
		 "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3",
		 "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE");
	check_ke(IKEV2_GROUP_ECP_384,
		 "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655"
		 "E35B5380 41E649EE 3FAEF896 783AB194",
		 "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72 B4C55EE6"
		 "DE3AC808 ACB4BDB4 C88732AE E95F41AA"
		 "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815 35A0F38E"
		 "EB9FCFF3 C2C947DA E69B4C63 4573A81C",
		 "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D"
		 "0D1AC43A 0336DEF9 6FDA41D0 774A3571"
		 "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF"
		 "F83FA401 42209DFF 5EAAD96D B9E6386C",
		 "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4"
		 "D6031355 69B9E9D0 9CF5D4A2 70F59746");
}

/* RFC 7748 §6.1 (X25519) and §6.2 (X448): Alice's key pair and the shared
 * secret with Bob's public key. */
static void x25519_x448_rfc7748_6(void **state)
{
	check_ke(IKEV2_GROUP_CURVE25519,
		 "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		 "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		 "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		 "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	check_ke(IKEV2_GROUP_CURVE448,
		 "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf5"
		 "74a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
		 "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
		 "c836647241d953d40c5b12da88120d53177f80e532c41fa0",
		 "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
		 "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
		 "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
		 "fd2464c335543936521c24403085d59a449a5037514a879d");
}

/* RFC 7748 §5.2: scalar multiplication with arbitrary u, and the iterated
 * test (1 and 1000 iterations of k, u = X25519(k, u), k). */
static void x25519_rfc7748_5_2(void **state)
{
	struct { const char *k, *u, *out; } v[] = {
		{ "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
		{ "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
	};
	for (size_t i = 0; i < 2; i++) {
		size_t kl, ul, ol;
		uint8_t *k = kat_hex(v[i].k, &kl), *u = kat_hex(v[i].u, &ul), *o = kat_hex(v[i].out, &ol);
		uint8_t s[32];
		struct oc_ke *ke;
		assert_int_equal(oc_ke_new_fixed(IKEV2_GROUP_CURVE25519, k, kl, &ke), 0);
		assert_int_equal(oc_ke_shared(ke, u, ul, s), 0);
		assert_memory_equal(s, o, 32);
		oc_ke_free(ke);
		free(k), free(u), free(o);
	}
	uint8_t k[32] = { 9 }, u[32] = { 9 }, r[32];
	size_t wl1, wl1000;
	uint8_t *w1 = kat_hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", &wl1);
	uint8_t *w1000 = kat_hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", &wl1000);
	for (int i = 1; i <= 1000; i++) {
		struct oc_ke *ke;
		assert_int_equal(oc_ke_new_fixed(IKEV2_GROUP_CURVE25519, k, 32, &ke), 0);
		assert_int_equal(oc_ke_shared(ke, u, 32, r), 0);
		oc_ke_free(ke);
		memcpy(u, k, 32);
		memcpy(k, r, 32);
		if (i == 1)
			assert_memory_equal(k, w1, 32);
	}
	assert_memory_equal(k, w1000, 32);
	free(w1), free(w1000);
}

/* RFC 3526 §3-5 primes as mbedTLS ships them agree with ours, and every
 * MODP prime has the RFC 2409 / RFC 3526 shape: top and bottom 64 bits set. */
static void modp_parameters_rfc3526(void **state)
{
	static const uint8_t p2048[] = MBEDTLS_DHM_RFC3526_MODP_2048_P_BIN;
	static const uint8_t p3072[] = MBEDTLS_DHM_RFC3526_MODP_3072_P_BIN;
	static const uint8_t p4096[] = MBEDTLS_DHM_RFC3526_MODP_4096_P_BIN;
	size_t seen = 0;
	for (const struct oc_modp_group *g = oc_modp_groups; g->group; g++, seen++) {
		const struct oc_transform *t = oc_transform_find(IKEV2_TT_KE, g->group, 0);
		assert_non_null(t);
		assert_int_equal(t->out_len, g->len);
		for (int i = 0; i < 8; i++) {
			assert_int_equal(g->p[i], 0xff);
			assert_int_equal(g->p[g->len - 1 - i], 0xff);
		}
		if (g->group == 14) {
			assert_int_equal(g->len, sizeof(p2048));
			assert_memory_equal(g->p, p2048, sizeof(p2048));
		} else if (g->group == 15) {
			assert_memory_equal(g->p, p3072, sizeof(p3072));
		} else if (g->group == 16) {
			assert_memory_equal(g->p, p4096, sizeof(p4096));
		}
	}
	assert_int_equal(seen, 7); /* 2, 5, 14, 15, 16, 17, 18 */
	/* RFC 2409 §6.2: the 1024-bit prime starts FFFFFFFF FFFFFFFF C90FDAA2 2168C234
	 * and ends ... 49286651 ECE65381 FFFFFFFF FFFFFFFF. */
	const struct oc_modp_group *g2 = &oc_modp_groups[0];
	static const uint8_t head[] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34 };
	static const uint8_t tail[] = { 0x49, 0x28, 0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	assert_int_equal(g2->group, 2);
	assert_memory_equal(g2->p, head, 16);
	assert_memory_equal(g2->p + g2->len - 16, tail, 16);
}

/* Both sides of every available group agree; the secret has the group's length. */
static void every_group_agrees(void **state)
{
	for (size_t i = 0; oc_transform_at(i); i++) {
		const struct oc_transform *t = oc_transform_at(i);
		struct oc_ke *a, *b;
		uint8_t s1[1024], s2[1024];
		if (t->type != IKEV2_TT_KE)
			continue;
		if (!oc_transform_available(t)) {
			assert_int_equal(oc_ke_new(t->id, &a), OC_EUNAVAIL);
			continue;
		}
		assert_int_equal(oc_ke_new(t->id, &a), 0);
		assert_int_equal(oc_ke_new(t->id, &b), 0);
		assert_int_equal(oc_ke_shared(a, b->pub, b->pub_len, s1), 0);
		assert_int_equal(oc_ke_shared(b, a->pub, a->pub_len, s2), 0);
		assert_memory_equal(s1, s2, a->secret_len);
		oc_ke_free(a);
		oc_ke_free(b);
	}
}

/* RFC 6989 §2.1: MODP y must satisfy 1 < y < p-1; wrong lengths are refused. */
static void modp_rejects_bad_values(void **state)
{
	struct oc_ke *ke;
	uint8_t y[256], s[256];
	const struct oc_modp_group *g = NULL;
	for (const struct oc_modp_group *m = oc_modp_groups; m->group; m++)
		if (m->group == 14)
			g = m;
	assert_int_equal(oc_ke_new(IKEV2_GROUP_MODP_2048, &ke), 0);
	memset(y, 0, sizeof(y));
	assert_int_equal(oc_ke_shared(ke, y, 256, s), OC_EPEERVAL);     /* 0 */
	y[255] = 1;
	assert_int_equal(oc_ke_shared(ke, y, 256, s), OC_EPEERVAL);     /* 1 */
	memcpy(y, g->p, 256);
	y[255] -= 1;
	assert_int_equal(oc_ke_shared(ke, y, 256, s), OC_EPEERVAL);     /* p-1 */
	memcpy(y, g->p, 256);
	assert_int_equal(oc_ke_shared(ke, y, 256, s), OC_EPEERVAL);     /* p */
	memset(y, 0xff, 256);
	assert_int_equal(oc_ke_shared(ke, y, 256, s), OC_EPEERVAL);     /* > p */
	memset(y, 0, 256);
	y[255] = 2;
	assert_int_equal(oc_ke_shared(ke, y, 256, s), 0);               /* 2 is allowed */
	assert_int_equal(oc_ke_shared(ke, y, 255, s), OC_EPEERVAL);     /* short */
	oc_ke_free(ke);
}

/* RFC 6989 §2.3: an ECP point off the curve, or of the wrong length, is refused. */
static void ecp_rejects_bad_points(void **state)
{
	unsigned groups[] = { IKEV2_GROUP_ECP_256, IKEV2_GROUP_ECP_384, IKEV2_GROUP_ECP_521,
			      IKEV2_GROUP_BRAINPOOL_P256, IKEV2_GROUP_BRAINPOOL_P384,
			      IKEV2_GROUP_BRAINPOOL_P512 };
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct oc_ke *a, *b;
		uint8_t s[128], bad[264];
		assert_int_equal(oc_ke_new(groups[i], &a), 0);
		assert_int_equal(oc_ke_new(groups[i], &b), 0);
		memcpy(bad, b->pub, b->pub_len);
		bad[b->pub_len - 1] ^= 1; /* y changed: off the curve */
		assert_int_equal(oc_ke_shared(a, bad, b->pub_len, s), OC_EPEERVAL);
		memset(bad, 0, b->pub_len); /* (0, 0) */
		assert_int_equal(oc_ke_shared(a, bad, b->pub_len, s), OC_EPEERVAL);
		/* SEC1 form with the 0x04 octet is not the IKE encoding (RFC 5903 §7). */
		bad[0] = 4;
		memcpy(bad + 1, b->pub, b->pub_len);
		assert_int_equal(oc_ke_shared(a, bad, b->pub_len + 1, s), OC_EPEERVAL);
		assert_int_equal(oc_ke_shared(a, b->pub, b->pub_len, s), 0);
		oc_ke_free(a);
		oc_ke_free(b);
	}
}

/* RFC 8031 §2.2 / RFC 7748 §6.1: low-order points give an all-zero secret,
 * which is refused. */
static void x25519_rejects_low_order(void **state)
{
	struct oc_ke *ke;
	uint8_t s[56], zero[56] = { 0 }, one[56] = { 1 };
	assert_int_equal(oc_ke_new(IKEV2_GROUP_CURVE25519, &ke), 0);
	assert_int_equal(oc_ke_shared(ke, zero, 32, s), OC_EPEERVAL);
	assert_int_equal(oc_ke_shared(ke, one, 32, s), OC_EPEERVAL);
	oc_ke_free(ke);
	assert_int_equal(oc_ke_new(IKEV2_GROUP_CURVE448, &ke), 0);
	assert_int_equal(oc_ke_shared(ke, zero, 56, s), OC_EPEERVAL);
	assert_int_equal(oc_ke_shared(ke, one, 56, s), OC_EPEERVAL);
	oc_ke_free(ke);
}

/* Groups mbedTLS 2.28 cannot serve are reported as unavailable, with a reason. */
static void unavailable_groups_say_why(void **state)
{
	const struct oc_transform *t = oc_transform_find(IKEV2_TT_KE, IKEV2_GROUP_BRAINPOOL_P224, 0);
	struct oc_ke *ke;
	assert_non_null(t);
	assert_false(oc_transform_available(t));
	assert_non_null(strstr(t->unavailable, "mbedTLS"));
	assert_int_equal(oc_ke_new(IKEV2_GROUP_BRAINPOOL_P224, &ke), OC_EUNAVAIL);
	assert_int_equal(oc_ke_new(9999, &ke), OC_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ecp_rfc5903),
		cmocka_unit_test(x25519_x448_rfc7748_6),
		cmocka_unit_test(x25519_rfc7748_5_2),
		cmocka_unit_test(modp_parameters_rfc3526),
		cmocka_unit_test(every_group_agrees),
		cmocka_unit_test(modp_rejects_bad_values),
		cmocka_unit_test(ecp_rejects_bad_points),
		cmocka_unit_test(x25519_rejects_low_order),
		cmocka_unit_test(unavailable_groups_say_why),
	};
	return cmocka_run_group_tests_name("crypto_kat_ke", tests, NULL, NULL);
}
