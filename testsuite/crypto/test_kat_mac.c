/* Known answers for the PRFs and MACs: HMAC (RFC 2202, RFC 4231),
 * AES-XCBC (RFC 3566 §4.6, RFC 4434 §4), AES-CMAC (RFC 4493 §4,
 * RFC 4615 §4), and prf+ (RFC 7296 §2.13). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/ikev2_kdf.h"
#include "crypto/transforms.h"
#include "ikev2_const.h"
#include "kat.h"

#define PRF_PLUS_WANT "8ae14fc04831d916b08ab783c68b582a798218870164fc2ba66e250f35b4218f" \
	"27b24afb35184c112bcc58a63116b5949139628eff236ffba277cc6fccc4f449" \
	"db9ce0108a8ddf4dde28488173f552eb0b74dc7548522a17bf64032261d0d2fe" \
	"f136e9ad"

static void check_mac(enum oc_mac m, const char *key_hex, const uint8_t *msg, size_t msglen,
		      const char *want_hex)
{
	size_t kl, wl;
	uint8_t *key = kat_hex(key_hex, &kl), *want = kat_hex(want_hex, &wl);
	uint8_t out[64] = { 0 };
	struct oc_iov v = { msg, msglen };
	assert_int_equal(oc_mac(m, key, kl, &v, 1, out), 0);
	assert_memory_equal(out, want, wl);
	/* The same input split over several buffers gives the same MAC. */
	if (msglen > 3) {
		struct oc_iov s[3] = { { msg, 1 }, { msg + 1, msglen / 2 }, { msg + 1 + msglen / 2, msglen - 1 - msglen / 2 } };
		assert_int_equal(oc_mac(m, key, kl, s, 3, out), 0);
		assert_memory_equal(out, want, wl);
	}
	free(key);
	free(want);
}

static void check_mac_hexmsg(enum oc_mac m, const char *key_hex, const char *msg_hex, const char *want_hex)
{
	size_t ml;
	uint8_t *msg = kat_hex(msg_hex, &ml);
	check_mac(m, key_hex, msg, ml, want_hex);
	free(msg);
}

#define STR(s) (const uint8_t *)(s), sizeof(s) - 1

/* RFC 2202 §3, test case 1. */
static void hmac_sha1_rfc2202(void **state)
{
	check_mac(OC_MAC_HMAC_SHA1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", STR("Hi There"),
		  "b617318655057264e28bc0b6fb378c8ef146be00");
	check_mac(OC_MAC_HMAC_SHA1, "4a656665", STR("what do ya want for nothing?"),
		  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

/* RFC 4231 §4.2 (test case 1), §4.3 (test case 2), §4.7 (test case 6). */
static void hmac_sha2_rfc4231(void **state)
{
	const char *k1 = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
	check_mac(OC_MAC_HMAC_SHA256, k1, STR("Hi There"),
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	check_mac(OC_MAC_HMAC_SHA384, k1, STR("Hi There"),
		  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6");
	check_mac(OC_MAC_HMAC_SHA512, k1, STR("Hi There"),
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
	check_mac(OC_MAC_HMAC_SHA256, "4a656665", STR("what do ya want for nothing?"),
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	check_mac(OC_MAC_HMAC_SHA384, "4a656665", STR("what do ya want for nothing?"),
		  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		  "8e2240ca5e69e2c78b3239ecfab21649");
	check_mac(OC_MAC_HMAC_SHA512, "4a656665", STR("what do ya want for nothing?"),
		  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
	/* Test case 6: a 131-octet key, longer than the block. */
	char big[131 * 2 + 1];
	for (int i = 0; i < 131; i++)
		memcpy(big + 2 * i, "aa", 2);
	big[262] = 0;
	check_mac(OC_MAC_HMAC_SHA256, big, STR("Test Using Larger Than Block-Size Key - Hash Key First"),
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	check_mac(OC_MAC_HMAC_SHA384, big, STR("Test Using Larger Than Block-Size Key - Hash Key First"),
		  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		  "0c2ef6ab4030fe8296248df163f44952");
	check_mac(OC_MAC_HMAC_SHA512, big, STR("Test Using Larger Than Block-Size Key - Hash Key First"),
		  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

/* RFC 3566 §4.6 test cases 1-6 (AES-XCBC-MAC-96 computes these before truncation). */
static void xcbc_rfc3566(void **state)
{
	const char *k = "000102030405060708090a0b0c0d0e0f";
	check_mac_hexmsg(OC_MAC_AES_XCBC, k, "", "75f0251d528ac01c4573dfd584d79f29");
	check_mac_hexmsg(OC_MAC_AES_XCBC, k, "000102", "5b376580ae2f19afe7219ceef172756f");
	check_mac_hexmsg(OC_MAC_AES_XCBC, k, "000102030405060708090a0b0c0d0e0f",
			 "d2a246fa349b68a79998a4394ff7a263");
	check_mac_hexmsg(OC_MAC_AES_XCBC, k, "000102030405060708090a0b0c0d0e0f10111213",
			 "47f51b4564966215b8985c63055ed308");
	check_mac_hexmsg(OC_MAC_AES_XCBC, k,
			 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
			 "f54f0ec8d2b9f3d36807734bd5283fd4");
	check_mac_hexmsg(OC_MAC_AES_XCBC, k,
			 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021",
			 "becbb3bccdb518a30677d5481fb6b4d8");
}

/* RFC 4434 §4: AES-XCBC-PRF-128 with keys of 16, 10 and 18 octets. */
static void xcbc_prf_rfc4434(void **state)
{
	const char *m = "000102030405060708090a0b0c0d0e0f10111213";
	check_mac_hexmsg(OC_MAC_AES_XCBC, "000102030405060708090a0b0c0d0e0f", m,
			 "47f51b4564966215b8985c63055ed308");
	check_mac_hexmsg(OC_MAC_AES_XCBC, "00010203040506070809", m,
			 "0fa087af7d866e7653434e602fdde835");
	check_mac_hexmsg(OC_MAC_AES_XCBC, "000102030405060708090a0b0c0d0e0fedcb", m,
			 "8cd3c93ae598a9803006ffb67c40e9e4");
}

/* RFC 4493 §4, examples 1-4. */
static void cmac_rfc4493(void **state)
{
	const char *k = "2b7e151628aed2a6abf7158809cf4f3c";
	check_mac_hexmsg(OC_MAC_AES_CMAC, k, "", "bb1d6929e95937287fa37d129b756746");
	check_mac_hexmsg(OC_MAC_AES_CMAC, k, "6bc1bee22e409f96e93d7e117393172a",
			 "070a16b46b4d4144f79bdd9dd04a287c");
	check_mac_hexmsg(OC_MAC_AES_CMAC, k,
			 "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			 "30c81c46a35ce411", "dfa66747de9ae63030ca32611497c827");
	check_mac_hexmsg(OC_MAC_AES_CMAC, k,
			 "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
			 "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
			 "51f0bebf7e3b9d92fc49741779363cfe");
}

/* RFC 4615 §4: AES-CMAC-PRF-128 with keys of 18, 16 and 10 octets. */
static void cmac_prf_rfc4615(void **state)
{
	const char *m = "000102030405060708090a0b0c0d0e0f10111213";
	check_mac_hexmsg(OC_MAC_AES_CMAC, "000102030405060708090a0b0c0d0e0fedcb", m,
			 "84a348a4a45d235babfffc0d2b4da09a");
	check_mac_hexmsg(OC_MAC_AES_CMAC, "000102030405060708090a0b0c0d0e0f", m,
			 "980ae87b5f4c9c5214f5b6a8455e4c2d");
	check_mac_hexmsg(OC_MAC_AES_CMAC, "00010203040506070809", m,
			 "290d9e112edb09ee141fcf64c0b72f3d");
}

/* prf+ (RFC 7296 §2.13) against an independent computation (Python's hmac
 * module): K = 0x0b * 20, S = "osprey prf+ test", 100 octets. */
static void prf_plus_structure(void **state)
{
	const struct oc_transform *prf = oc_transform_find(IKEV2_TT_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	uint8_t key[20], out[100], t[32], n;
	struct oc_iov s = { "osprey prf+ test", 16 };
	memset(key, 0x0b, sizeof(key));
	assert_non_null(prf);
	assert_int_equal(oc_prf_plus(prf, key, sizeof(key), &s, 1, out, sizeof(out)), 0);
	/* T1 = prf(K, S | 0x01) */
	n = 1;
	struct oc_iov v1[2] = { s, { &n, 1 } };
	assert_int_equal(oc_prf(prf, key, sizeof(key), v1, 2, t), 0);
	assert_memory_equal(out, t, 32);
	/* T2 = prf(K, T1 | S | 0x02) */
	uint8_t t1[32];
	memcpy(t1, t, 32);
	n = 2;
	struct oc_iov v2[3] = { { t1, 32 }, s, { &n, 1 } };
	assert_int_equal(oc_prf(prf, key, sizeof(key), v2, 3, t), 0);
	assert_memory_equal(out + 32, t, 32);
	size_t wl;
	uint8_t *want = kat_hex(PRF_PLUS_WANT, &wl);
	assert_int_equal(wl, sizeof(out));
	assert_memory_equal(out, want, wl);
	free(want);
	/* More than 255 blocks is refused (§2.13). */
	uint8_t big[256 * 32];
	assert_int_equal(oc_prf_plus(prf, key, sizeof(key), &s, 1, big, sizeof(big)), OC_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hmac_sha1_rfc2202),
		cmocka_unit_test(hmac_sha2_rfc4231),
		cmocka_unit_test(xcbc_rfc3566),
		cmocka_unit_test(xcbc_prf_rfc4434),
		cmocka_unit_test(cmac_rfc4493),
		cmocka_unit_test(cmac_prf_rfc4615),
		cmocka_unit_test(prf_plus_structure),
	};
	return cmocka_run_group_tests_name("crypto_kat_mac", tests, NULL, NULL);
}
