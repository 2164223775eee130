/* IKEv2 key derivation: SKEYSEED and SK_* (RFC 7296 §2.14), CHILD_SA KEYMAT
 * with and without PFS (§2.17), rekeyed IKE SA SKEYSEED (§2.18).
 *
 * The expected values were computed independently with Python's hmac module
 * from the inputs below (prf = HMAC-SHA2-256, ENCR_AES_CBC-256,
 * AUTH_HMAC_SHA2_256_128).  An interop vector from a charon key log belongs
 * here too once testsuite/data/captures/ has one (see lib/crypto/STATUS.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crypto/ikev2_kdf.h"
#include "crypto/transforms.h"
#include "ikev2_const.h"
#include "kat.h"

static uint8_t ni[32], nr[32], gir[32], gir2[32];
static const uint8_t spii[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t spir[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };

static int setup(void **state)
{
	for (int i = 0; i < 32; i++) {
		ni[i] = (uint8_t)(0x10 + i);
		nr[i] = (uint8_t)(0x80 + i);
	}
	memset(gir, 0x42, sizeof(gir));
	memset(gir2, 0x77, sizeof(gir2));
	return 0;
}

static void expect(const uint8_t *got, const char *hex)
{
	size_t n;
	uint8_t *w = kat_hex(hex, &n);
	assert_memory_equal(got, w, n);
	free(w);
}

static void sk_keys(void **state)
{
	const struct oc_transform *prf = oc_transform_find(IKEV2_TT_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	const struct oc_transform *encr = oc_transform_find(IKEV2_TT_ENCR, IKEV2_ENCR_AES_CBC, 256);
	const struct oc_transform *integ = oc_transform_find(IKEV2_TT_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	struct oc_ikev2_keys k;

	assert_int_equal(oc_ikev2_skeyseed(prf, ni, 32, nr, 32, gir, 32, k.skeyseed), 0);
	expect(k.skeyseed, "bc0962aacaeb6c49052c9a3e156b8d0c41a930306d6f249c0c8ce42b78828996");
	assert_int_equal(oc_ikev2_derive(prf, encr, integ, ni, 32, nr, 32, spii, spir, &k), 0);
	assert_int_equal(k.d_len, 32);
	assert_int_equal(k.a_len, 32);
	assert_int_equal(k.e_len, 32);
	expect(k.sk_d, "04a049b4bad08d658f1992cd5af4935ccdf3b5d2c148d9d59c8aa216cfe69123");
	expect(k.sk_ai, "fbb0440e98624098006eb6183200458f0adb4d7c1700e0fb6e602c45dbbd47da");
	expect(k.sk_ar, "618f7d9c77f8e6013460a7276cfa714b5af85a7297a2103480ca2a72da2dba69");
	expect(k.sk_ei, "c842314cb2b4e24f80c662024e001c3371cc0ee6e45d29eb329a78890f9f4bf0");
	expect(k.sk_er, "ca48023b19bed9f1590136250a0027b3368d635f976c030e03e55dae3aedd346");
	expect(k.sk_pi, "67c46c71513ffb245f29911d0b90dd596e9edb7d6b13b8ace83fd61cc3a19f58");
	expect(k.sk_pr, "d8d25b1f1ee9b6c68c18f1ee3ce94c2aef4736ed94c902705967f8105df316b2");

	uint8_t km[64], sks[32];
	assert_int_equal(oc_ikev2_child_keymat(prf, k.sk_d, k.d_len, NULL, 0, ni, 32, nr, 32, km, 64), 0);
	expect(km, "24f03331903d2762cb0844a89d54888ee36997e8c9668fbf75c69d2c2d1b0eb4"
		   "7636ccd23e275494befaffa57c47b29b3217a16152418791d8297d5f35c4a18d");
	assert_int_equal(oc_ikev2_child_keymat(prf, k.sk_d, k.d_len, gir2, 32, ni, 32, nr, 32, km, 64), 0);
	expect(km, "e5feda84339886f8bb9e55436f9e4a804299ea1400f3ece0893d1e11f9826a02"
		   "14f15ae8fc5c44c0ae909a5c4d96ffdfc260ccc4fca7c280b3864912de0ff8c7");
	assert_int_equal(oc_ikev2_skeyseed_rekey(prf, k.sk_d, k.d_len, gir2, 32, ni, 32, nr, 32, sks), 0);
	expect(sks, "fa0c7f6ec9331bbf17132ad69f6ae0eaf9c3aa32ee20422556add84fb156f669");
	oc_ikev2_keys_wipe(&k);
	assert_int_equal(k.sk_d[0] | k.sk_pr[31], 0);
}

/* §2.14: AES-XCBC-PRF-128 and AES-CMAC-PRF-128 key SKEYSEED with the first
 * 64 bits of Ni and of Nr; SK_d and SK_p are 16 octets (RFC 4434 §2); an
 * AEAD gets no SK_a and SK_e carries the salt. */
static void sk_keys_aes_prf_and_aead(void **state)
{
	unsigned ids[] = { IKEV2_PRF_AES128_XCBC, IKEV2_PRF_AES128_CMAC };
	for (int i = 0; i < 2; i++) {
		const struct oc_transform *prf = oc_transform_find(IKEV2_TT_PRF, ids[i], 0);
		const struct oc_transform *gcm = oc_transform_find(IKEV2_TT_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
		uint8_t key[16], want[16];
		struct oc_iov v = { gir, 32 };
		struct oc_ikev2_keys k;
		memcpy(key, ni, 8);
		memcpy(key + 8, nr, 8);
		assert_int_equal(oc_prf(prf, key, 16, &v, 1, want), 0);
		assert_int_equal(oc_ikev2_skeyseed(prf, ni, 32, nr, 32, gir, 32, k.skeyseed), 0);
		assert_memory_equal(k.skeyseed, want, 16);
		assert_int_equal(oc_ikev2_derive(prf, gcm, NULL, ni, 32, nr, 32, spii, spir, &k), 0);
		assert_int_equal(k.d_len, 16);
		assert_int_equal(k.p_len, 16);
		assert_int_equal(k.a_len, 0);
		assert_int_equal(k.e_len, 36);
		/* SK_ei follows SK_d directly. */
		uint8_t km[16 + 36];
		struct oc_iov seed[4] = { { ni, 32 }, { nr, 32 }, { spii, 8 }, { spir, 8 } };
		assert_int_equal(oc_prf_plus(prf, k.skeyseed, 16, seed, 4, km, sizeof(km)), 0);
		assert_memory_equal(k.sk_ei, km + 16, 36);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sk_keys),
		cmocka_unit_test(sk_keys_aes_prf_and_aead),
	};
	return cmocka_run_group_tests_name("crypto_ikev2_kdf", tests, setup, NULL);
}
