/* IKEv1: SKEYID for pre-shared keys and signatures, SKEYID_d/a/e, the
 * Appendix B key expansion, HASH_I/HASH_R, Quick Mode hashes and KEYMAT with
 * and without PFS (RFC 2409 §5, §5.5), phase 1 and phase 2 IVs and CBC IV
 * chaining (Appendix B), SIG_I/SIG_R.
 *
 * PRF = HMAC-SHA1.  Expected values were computed independently with
 * Python's hmac/hashlib from the inputs in setup(); a charon key log vector
 * belongs here once testsuite/data/captures/ has one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "crypto/ikev1_kdf.h"
#include "ikev1_const.h"
#include "ikev2_const.h"
#include "kat.h"

static uint8_t ni[16], nr[16], gxy[128], gxi[128], gxr[128], g2[128];
static const uint8_t ci[8] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static const uint8_t cr[8] = { 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t mid[4] = { 0xde, 0xad, 0xbe, 0xef };
static const struct oc_transform *prf;

static int setup(void **state)
{
	for (int i = 0; i < 16; i++) {
		ni[i] = (uint8_t)i;
		nr[i] = (uint8_t)(100 + i);
	}
	memset(gxy, 0x5a, sizeof(gxy));
	memset(gxi, 0x21, sizeof(gxi));
	memset(gxr, 0x43, sizeof(gxr));
	memset(g2, 0x66, sizeof(g2));
	prf = oc_transform_ikev1(IKEV2_TT_PRF, IKEV1_HASH_SHA, 0);
	return prf ? 0 : -1;
}

static void expect(const uint8_t *got, const char *hex)
{
	size_t n;
	uint8_t *w = kat_hex(hex, &n);
	assert_memory_equal(got, w, n);
	free(w);
}

static void phase1_keys(void **state)
{
	struct oc_ikev1_keys k;
	uint8_t sig_skeyid[20], key[32];
	assert_int_equal(oc_ikev1_skeyid_psk(prf, (const uint8_t *)"secret", 6, ni, 16, nr, 16, k.skeyid), 0);
	expect(k.skeyid, "085b1aa6e290d6c29eb00ec7e70732e7cf3b6993");
	assert_int_equal(oc_ikev1_skeyid_sig(prf, ni, 16, nr, 16, gxy, 128, sig_skeyid), 0);
	expect(sig_skeyid, "5a09d90b070780db55392d11be0ecd19dab6bd46");
	assert_int_equal(oc_ikev1_derive(prf, gxy, 128, ci, cr, &k), 0);
	expect(k.skeyid_d, "7df7943e4c1662ead2806162de92846c1ff7feac");
	expect(k.skeyid_a, "a745254e56dc5533221b517d224bf2349995fee0");
	expect(k.skeyid_e, "501b950da5cb4aae6446f35b892a92ab6053edf9");
	/* AES-256 needs 32 octets, SKEYID_e has 20: Appendix B expansion. */
	assert_int_equal(oc_ikev1_enc_key(prf, k.skeyid_e, 20, key, 32), 0);
	expect(key, "b806c0e0c72aa5fced3fc1813ace610a614e1c82600b3a7faa8e2eb1f25745a7");
	/* AES-128 takes the first 16 octets of SKEYID_e. */
	assert_int_equal(oc_ikev1_enc_key(prf, k.skeyid_e, 20, key, 16), 0);
	assert_memory_equal(key, k.skeyid_e, 16);

	const uint8_t sa[] = { 0, 0, 0, 1, 0, 0, 0, 1 };
	const uint8_t idi[] = { 1, 17, 1, 244, 192, 0, 2, 1 }, idr[] = { 1, 17, 1, 244, 192, 0, 2, 2 };
	uint8_t h[20];
	assert_int_equal(oc_ikev1_hash_i(prf, k.skeyid, gxi, gxr, 128, ci, cr, sa, 8, idi, 8, h), 0);
	expect(h, "f84449e237dc1edf4398d85d0a55479e5bf6070d");
	assert_int_equal(oc_ikev1_hash_r(prf, k.skeyid, gxi, gxr, 128, ci, cr, sa, 8, idr, 8, h), 0);
	expect(h, "a01b88f31f0f14f34da868f2bc4733c0ececb3e2");
}

static void quick_mode(void **state)
{
	uint8_t d[20], a[20], km[40], h[20];
	const uint8_t spi[4] = { 0xc0, 0xff, 0xee, 0x01 };
	const uint8_t rest[] = "rest of message";
	size_t n;
	uint8_t *t = kat_hex("7df7943e4c1662ead2806162de92846c1ff7feac", &n);
	memcpy(d, t, 20);
	free(t);
	t = kat_hex("a745254e56dc5533221b517d224bf2349995fee0", &n);
	memcpy(a, t, 20);
	free(t);
	assert_int_equal(oc_ikev1_qm_keymat(prf, d, NULL, 0, IKEV1_PROTO_ESP, spi, ni, 16, nr, 16, km, 40), 0);
	expect(km, "7014852d7e1d16f0568376d3d7de8dff465b37bcfb81da3cff9447ae9b37e18acffb05f6933b019a");
	assert_int_equal(oc_ikev1_qm_keymat(prf, d, g2, 128, IKEV1_PROTO_ESP, spi, ni, 16, nr, 16, km, 40), 0);
	expect(km, "b9e6e90e35f8b93cf7032000796c755c3a83ad78cdd8a4b251b0e360067c63ca9e3ae646b95cf8a2");
	assert_int_equal(oc_ikev1_qm_hash1(prf, a, mid, rest, sizeof(rest) - 1, h), 0);
	expect(h, "d5c3e289c1111c1e4962940a4d57a1439489e742");
	assert_int_equal(oc_ikev1_qm_hash2(prf, a, mid, ni, 16, rest, sizeof(rest) - 1, h), 0);
	expect(h, "2ef8d2cd6a23b43360ccaa44b539eb0a020ed7dc");
	assert_int_equal(oc_ikev1_qm_hash3(prf, a, mid, ni, 16, nr, 16, h), 0);
	expect(h, "41ef19b56ac4dd0ef9601cdbfca66443ab84602f");
}

static void ivs_and_chaining(void **state)
{
	uint8_t iv[16], last[16], key[32] = { 9 };
	for (int i = 0; i < 16; i++)
		last[i] = (uint8_t)i;
	assert_int_equal(oc_ikev1_iv_phase1(OC_HASH_SHA1, gxi, gxr, 128, iv, 16), 0);
	expect(iv, "3d2d134d7b66d6aa47b855d1cd6ab7b2");
	assert_int_equal(oc_ikev1_iv_phase2(OC_HASH_SHA1, last, 16, mid, iv), 0);
	expect(iv, "e854a44ee30cc46f4940027252ba5a98");

	/* Chaining: two messages encrypted in turn equal one CBC run over both,
	 * and the receiver follows the same IVs. */
	const struct oc_transform *aes = oc_transform_ikev1(IKEV2_TT_ENCR, IKEV1_ENCR_AES_CBC, 256);
	const struct oc_transform *des = oc_transform_ikev1(IKEV2_TT_ENCR, IKEV1_ENCR_3DES_CBC, 0);
	const struct oc_transform *ciphers[2] = { aes, des };
	for (int c = 0; c < 2; c++) {
		struct oc_ikev1_cbc tx, rx;
		uint8_t m[96], whole[96], orig[96];
		size_t b = ciphers[c]->block_len;
		for (int i = 0; i < 96; i++)
			orig[i] = m[i] = whole[i] = (uint8_t)(i * 5);
		assert_int_equal(oc_ikev1_cbc_init(&tx, ciphers[c], key, ciphers[c]->key_len, iv), 0);
		assert_int_equal(oc_ikev1_cbc_init(&rx, ciphers[c], key, ciphers[c]->key_len, iv), 0);
		assert_int_equal(oc_ikev1_cbc_encrypt(&tx, m, 32), 0);
		assert_int_equal(oc_ikev1_cbc_encrypt(&tx, m + 32, 64), 0);
		assert_int_equal(oc_crypt(ciphers[c]->alg, true, key, ciphers[c]->key_len, iv, b, whole, 96, whole), 0);
		assert_memory_equal(m, whole, 96);
		assert_memory_equal(tx.iv, m + 96 - b, b);
		assert_int_equal(oc_ikev1_cbc_decrypt(&rx, m, 32), 0);
		assert_int_equal(oc_ikev1_cbc_decrypt(&rx, m + 32, 64), 0);
		assert_memory_equal(m, orig, 96);
		assert_memory_equal(rx.iv, tx.iv, b);
		assert_int_equal(oc_ikev1_cbc_encrypt(&tx, m, 33), OC_EINVAL);
		oc_ikev1_cbc_wipe(&tx);
		oc_ikev1_cbc_wipe(&rx);
	}
}

static struct oc_key *load(const char *name)
{
	char path[1024];
	const char *top = getenv("top_srcdir");
	struct oc_key *k = NULL;
	snprintf(path, sizeof(path), "%s/testsuite/crypto/data/%s", top ? top : ".", name);
	assert_int_equal(oc_key_load_private_file(path, NULL, &k), 0);
	return k;
}

/* SIG_I over HASH_I: RSA without DigestInfo, ECDSA r | s. */
static void signatures(void **state)
{
	const char *names[] = { "rsa2048-pkcs1.pem", "ec-p256-sec1.pem" };
	uint8_t hash[20] = { 1, 2, 3 }, sig[512];
	for (int i = 0; i < 2; i++) {
		struct oc_key *k = load(names[i]);
		size_t n = sizeof(sig);
		assert_int_equal(oc_ikev1_sig_sign(k, hash, 20, sig, &n), 0);
		assert_int_equal(n, i == 0 ? 256 : 64);
		assert_int_equal(oc_ikev1_sig_verify(k, hash, 20, sig, n), 0);
		hash[0] ^= 1;
		assert_int_equal(oc_ikev1_sig_verify(k, hash, 20, sig, n), OC_EAUTH);
		hash[0] ^= 1;
		oc_key_free(k);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phase1_keys),
		cmocka_unit_test(quick_mode),
		cmocka_unit_test(ivs_and_chaining),
		cmocka_unit_test(signatures),
	};
	return cmocka_run_group_tests_name("crypto_ikev1_kdf", tests, setup, NULL);
}
