/* Ciphers and the SK payload: AES-GCM (NIST SP 800-38D / the GCM spec's
 * test cases), AES-CCM (NIST SP 800-38C Appendix C examples 1-3),
 * ChaCha20-Poly1305 (RFC 8439 §2.8.2), AES-CBC (RFC 3602 §4 case 1),
 * AES-CTR (RFC 3686 §6 test vector 1), then every SK protection
 * combination round-trips and refuses tampering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/sk.h"
#include "crypto/transforms.h"
#include "ikev2_const.h"
#include "kat.h"

static void check_aead(enum oc_cipher c, const char *k, const char *n, const char *a,
		       const char *p, const char *ct_hex, const char *tag_hex)
{
	size_t kl, nl, al, pl, cl, tl;
	uint8_t *key = kat_hex(k, &kl), *nonce = kat_hex(n, &nl), *aad = kat_hex(a, &al);
	uint8_t *pt = kat_hex(p, &pl), *ct = kat_hex(ct_hex, &cl), *tag = kat_hex(tag_hex, &tl);
	uint8_t out[256], t[16], back[256];
	struct oc_iov av = { aad, al };

	assert_int_equal(cl, pl);
	assert_int_equal(oc_aead_seal(c, key, kl, nonce, nl, &av, 1, pt, pl, out, t, tl), 0);
	assert_memory_equal(out, ct, cl);
	assert_memory_equal(t, tag, tl);
	assert_int_equal(oc_aead_open(c, key, kl, nonce, nl, &av, 1, ct, cl, back, tag, tl), 0);
	assert_memory_equal(back, pt, pl);
	tag[0] ^= 1;
	assert_int_equal(oc_aead_open(c, key, kl, nonce, nl, &av, 1, ct, cl, back, tag, tl), OC_EAUTH);
	free(key);
	free(nonce);
	free(aad);
	free(pt);
	free(ct);
	free(tag);
}

/* The GCM specification's test cases 2 and 4 (as reproduced in NIST's
 * GCM validation material, SP 800-38D). */
static void gcm_sp800_38d(void **state)
{
	check_aead(OC_CIPHER_AES_GCM, "00000000000000000000000000000000", "000000000000000000000000", "",
		   "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
		   "ab6e47d42cec13bdf53a67b21257bddf");
	check_aead(OC_CIPHER_AES_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
		   "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		   "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		   "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		   "5bc94fbc3221a5db94fae95ae7121a47");
	/* Truncated tags (8 and 12 octets, RFC 5282 ENCR_AES_GCM_8/12) are prefixes. */
	check_aead(OC_CIPHER_AES_GCM, "00000000000000000000000000000000", "000000000000000000000000", "",
		   "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
		   "ab6e47d42cec13bd");
	check_aead(OC_CIPHER_AES_GCM, "00000000000000000000000000000000", "000000000000000000000000", "",
		   "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
		   "ab6e47d42cec13bdf53a67b2");
}

/* NIST SP 800-38C Appendix C, examples 1, 2 and 3. */
static void ccm_sp800_38c(void **state)
{
	const char *k = "404142434445464748494a4b4c4d4e4f";
	check_aead(OC_CIPHER_AES_CCM, k, "10111213141516", "0001020304050607", "20212223",
		   "7162015b", "4dac255d");
	check_aead(OC_CIPHER_AES_CCM, k, "1011121314151617", "000102030405060708090a0b0c0d0e0f",
		   "202122232425262728292a2b2c2d2e2f", "d2a1f0e051ea5f62081a7792073d593d",
		   "1fc64fbfaccd");
	check_aead(OC_CIPHER_AES_CCM, k, "101112131415161718191a1b",
		   "000102030405060708090a0b0c0d0e0f10111213",
		   "202122232425262728292a2b2c2d2e2f3031323334353637",
		   "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5", "484392fbc1b09951");
}

/* RFC 8439 §2.8.2. */
static void chacha20_poly1305_rfc8439(void **state)
{
	check_aead(OC_CIPHER_CHACHA20_POLY1305,
		   "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
		   "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
		   "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
		   "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
		   "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
		   "637265656e20776f756c642062652069742e",
		   "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		   "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		   "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		   "3ff4def08e4b7a9de576d26586cec64b6116",
		   "1ae10b594f09e26a7e902ecbd0600691");
}

/* RFC 3602 §4 case 1 (AES-128-CBC) and RFC 3686 §6 test vector 1 (AES-CTR). */
static void cbc_ctr_rfc3602_rfc3686(void **state)
{
	size_t kl, il, pl, cl;
	uint8_t *k = kat_hex("06a9214036b8a15b512e03d534120006", &kl);
	uint8_t *iv = kat_hex("3dafba429d9eb430b422da802c9fac41", &il);
	uint8_t *p = kat_hex("53696e676c6520626c6f636b206d7367", &pl); /* "Single block msg" */
	uint8_t *c = kat_hex("e353779c1079aeb82708942dbe77181a", &cl);
	uint8_t out[32];
	assert_int_equal(oc_crypt(OC_CIPHER_AES_CBC, true, k, kl, iv, il, p, pl, out), 0);
	assert_memory_equal(out, c, cl);
	assert_int_equal(oc_crypt(OC_CIPHER_AES_CBC, false, k, kl, iv, il, c, cl, out), 0);
	assert_memory_equal(out, p, pl);
	free(k);
	free(iv);
	free(p);
	free(c);
	/* RFC 3686 §6 vector 1: counter block = nonce | IV | 00000001. */
	k = kat_hex("AE6852F8121067CC4BF7A5765577F39E", &kl);
	iv = kat_hex("00000030 0000000000000000 00000001", &il);
	p = kat_hex("53696E676C6520626C6F636B206D7367", &pl);
	c = kat_hex("E4095D4FB7A7B3792D6175A3261311B8", &cl);
	assert_int_equal(oc_crypt(OC_CIPHER_AES_CTR, true, k, kl, iv, il, p, pl, out), 0);
	assert_memory_equal(out, c, cl);
	free(k);
	free(iv);
	free(p);
	free(c);
}

/* Every ENCR x INTEG combination the registry offers for IKE seals and opens
 * a 1 KiB message, refuses a flipped bit anywhere and a changed header. */
static void sk_every_combination(void **state)
{
	uint8_t ek[36], ak[64], hdr[32], plain[1024], sealed[1200], back[1200];
	size_t combos = 0;
	for (size_t i = 0; i < sizeof(ek); i++)
		ek[i] = (uint8_t)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(ak); i++)
		ak[i] = (uint8_t)(i * 13 + 5);
	for (size_t i = 0; i < sizeof(hdr); i++)
		hdr[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i ^ 0x5a);

	for (size_t e = 0; oc_transform_at(e); e++) {
		const struct oc_transform *encr = oc_transform_at(e);
		if (encr->type != IKEV2_TT_ENCR || !oc_transform_available(encr))
			continue;
		for (size_t a = 0; oc_transform_at(a) || a == 0; a++) {
			const struct oc_transform *integ = encr->aead ? NULL : oc_transform_at(a);
			if (!encr->aead && (!integ || integ->type != IKEV2_TT_INTEG ||
					    !oc_transform_available(integ)))
				continue;
			for (size_t plen = 0; plen <= sizeof(plain); plen += plen < 40 ? 1 : 491) {
				struct oc_sk sk;
				size_t n, got = 0;
				assert_int_equal(oc_sk_init(&sk, encr, integ, ek, encr->key_len, ak,
							    integ ? integ->key_len : 0), 0);
				n = oc_sk_sealed_len(&sk, plen);
				assert_true(n <= sizeof(sealed));
				assert_int_equal((n - encr->iv_len - (integ ? integ->icv_len : encr->icv_len)) %
							 encr->block_len, 0);
				assert_int_equal(oc_sk_seal(&sk, hdr, sizeof(hdr), plain, plen, sealed, n), 0);
				assert_int_equal(oc_sk_open(&sk, hdr, sizeof(hdr), sealed, n, back, &got), 0);
				assert_int_equal(got, plen);
				assert_memory_equal(back, plain, plen);
				/* A flipped bit in the IV, the ciphertext or the ICV, or in
				 * the header, is refused. */
				size_t spots[3] = { 0, n / 2, n - 1 };
				for (int s = 0; s < 3; s++) {
					sealed[spots[s]] ^= 0x80;
					assert_int_equal(oc_sk_open(&sk, hdr, sizeof(hdr), sealed, n, back, &got),
							 OC_EAUTH);
					sealed[spots[s]] ^= 0x80;
				}
				hdr[3] ^= 1;
				assert_int_equal(oc_sk_open(&sk, hdr, sizeof(hdr), sealed, n, back, &got), OC_EAUTH);
				hdr[3] ^= 1;
				/* Truncated input is a parse error, never a read past the end. */
				assert_int_not_equal(oc_sk_open(&sk, hdr, sizeof(hdr), sealed, encr->iv_len, back, &got), 0);
				oc_sk_wipe(&sk);
			}
			combos++;
			if (encr->aead)
				break;
		}
	}
	/* 3 AES-CBC + 3DES + 3 AES-CTR = 7 ciphers x 7 integrity algorithms,
	 * plus 9 GCM + 9 CCM + ChaCha20-Poly1305. */
	assert_int_equal(combos, 7 * 7 + 19);
}

/* The AEAD IV never repeats under one key (RFC 5282 §3.1). */
static void sk_aead_iv_is_a_counter(void **state)
{
	const struct oc_transform *gcm = oc_transform_find(IKEV2_TT_ENCR, IKEV2_ENCR_AES_GCM_16, 256);
	struct oc_sk sk;
	uint8_t ek[36] = { 1 }, a[80], b[80], hdr[28] = { 0 }, p[10] = { 0 };
	assert_int_equal(oc_sk_init(&sk, gcm, NULL, ek, gcm->key_len, NULL, 0), 0);
	size_t n = oc_sk_sealed_len(&sk, sizeof(p));
	assert_int_equal(n, 8 + 11 + 16);
	assert_int_equal(oc_sk_seal(&sk, hdr, sizeof(hdr), p, sizeof(p), a, n), 0);
	assert_int_equal(oc_sk_seal(&sk, hdr, sizeof(hdr), p, sizeof(p), b, n), 0);
	assert_memory_not_equal(a, b, 8);
	oc_sk_wipe(&sk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gcm_sp800_38d),
		cmocka_unit_test(ccm_sp800_38c),
		cmocka_unit_test(chacha20_poly1305_rfc8439),
		cmocka_unit_test(cbc_ctr_rfc3602_rfc3686),
		cmocka_unit_test(sk_every_combination),
		cmocka_unit_test(sk_aead_iv_is_a_counter),
	};
	return cmocka_run_group_tests_name("crypto_kat_cipher", tests, NULL, NULL);
}
