/* mbed_sym.c - hashes, MACs and ciphers of the mbedTLS provider. */
#include "crypto/mbed_internal.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/ccm.h>
#include <mbedtls/chachapoly.h>
#include <mbedtls/cmac.h>
#include <mbedtls/des.h>
#include <mbedtls/gcm.h>

mbedtls_md_type_t oc_mbed_md(enum oc_hash h)
{
	switch (h) {
	case OC_HASH_MD5: return MBEDTLS_MD_MD5;
	case OC_HASH_SHA1: return MBEDTLS_MD_SHA1;
	case OC_HASH_SHA256: return MBEDTLS_MD_SHA256;
	case OC_HASH_SHA384: return MBEDTLS_MD_SHA384;
	case OC_HASH_SHA512: return MBEDTLS_MD_SHA512;
	default: return MBEDTLS_MD_NONE;
	}
}

int oc_mbed_hash(enum oc_hash h, const struct oc_iov *in, size_t nin, uint8_t *out)
{
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(oc_mbed_md(h));
	mbedtls_md_context_t ctx;
	int rc = OC_EBACKEND;

	if (!info)
		return OC_EUNAVAIL;
	mbedtls_md_init(&ctx);
	if (mbedtls_md_setup(&ctx, info, 0) != 0 || mbedtls_md_starts(&ctx) != 0)
		goto out;
	for (size_t i = 0; i < nin; i++)
		if (in[i].n && mbedtls_md_update(&ctx, in[i].p, in[i].n) != 0)
			goto out;
	if (mbedtls_md_finish(&ctx, out) == 0)
		rc = 0;
out:
	mbedtls_md_free(&ctx);
	return rc;
}

static int hmac(enum oc_hash h, const uint8_t *key, size_t keylen,
		const struct oc_iov *in, size_t nin, uint8_t *out)
{
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(oc_mbed_md(h));
	mbedtls_md_context_t ctx;
	int rc = OC_EBACKEND;

	if (!info)
		return OC_EUNAVAIL;
	mbedtls_md_init(&ctx);
	if (mbedtls_md_setup(&ctx, info, 1) != 0 ||
	    mbedtls_md_hmac_starts(&ctx, key, keylen) != 0)
		goto out;
	for (size_t i = 0; i < nin; i++)
		if (in[i].n && mbedtls_md_hmac_update(&ctx, in[i].p, in[i].n) != 0)
			goto out;
	if (mbedtls_md_hmac_finish(&ctx, out) == 0)
		rc = 0;
out:
	mbedtls_md_free(&ctx); /* zeroizes the HMAC pads */
	return rc;
}

/*
 * AES-XCBC-MAC (RFC 3566 §4), built on mbedTLS's AES block function: mbedTLS
 * has no XCBC.  K1, K2, K3 are AES_K(0x01..), AES_K(0x02..), AES_K(0x03..);
 * CBC-MAC with K1, the last block XORed with K2 when complete or padded with
 * 10* and XORed with K3.  The key is first brought to 16 octets as RFC 4434
 * §2 says: zero-padded when shorter, AES-XCBC-MAC(0^128, key) when longer.
 */
static int xcbc_raw(const uint8_t key[16], const struct oc_iov *in, size_t nin, uint8_t out[16])
{
	mbedtls_aes_context k, k1;
	uint8_t kd[3][16], e[16] = { 0 }, buf[16];
	size_t have = 0;
	int rc = OC_EBACKEND;

	mbedtls_aes_init(&k);
	mbedtls_aes_init(&k1);
	if (mbedtls_aes_setkey_enc(&k, key, 128) != 0)
		goto out;
	for (int i = 0; i < 3; i++) {
		uint8_t c[16];
		memset(c, i + 1, sizeof(c));
		if (mbedtls_aes_crypt_ecb(&k, MBEDTLS_AES_ENCRYPT, c, kd[i]) != 0)
			goto out;
	}
	if (mbedtls_aes_setkey_enc(&k1, kd[0], 128) != 0)
		goto out;
	/* A full buffer is only processed once more input shows it is not the last block. */
	for (size_t v = 0; v < nin; v++) {
		const uint8_t *p = in[v].p;
		size_t n = in[v].n;
		while (n > 0) {
			if (have == 16) {
				for (int j = 0; j < 16; j++)
					e[j] ^= buf[j];
				if (mbedtls_aes_crypt_ecb(&k1, MBEDTLS_AES_ENCRYPT, e, e) != 0)
					goto out;
				have = 0;
			}
			size_t take = 16 - have < n ? 16 - have : n;
			memcpy(buf + have, p, take);
			have += take;
			p += take;
			n -= take;
		}
	}
	if (have == 16) {
		for (int j = 0; j < 16; j++)
			e[j] ^= buf[j] ^ kd[1][j];
	} else {
		buf[have] = 0x80;
		memset(buf + have + 1, 0, 16 - have - 1);
		for (int j = 0; j < 16; j++)
			e[j] ^= buf[j] ^ kd[2][j];
	}
	if (mbedtls_aes_crypt_ecb(&k1, MBEDTLS_AES_ENCRYPT, e, out) != 0)
		goto out;
	rc = 0;
out:
	mbedtls_aes_free(&k);
	mbedtls_aes_free(&k1);
	oc_wipe(kd, sizeof(kd));
	oc_wipe(e, sizeof(e));
	oc_wipe(buf, sizeof(buf));
	return rc;
}

static int xcbc(const uint8_t *key, size_t keylen, const struct oc_iov *in, size_t nin,
		uint8_t out[16])
{
	uint8_t k[16] = { 0 };
	int rc;

	if (keylen <= 16) {
		memcpy(k, key, keylen);
	} else {
		const uint8_t zero[16] = { 0 };
		struct oc_iov kv = { key, keylen };
		if ((rc = xcbc_raw(zero, &kv, 1, k)) != 0)
			return rc;
	}
	rc = xcbc_raw(k, in, nin, out);
	oc_wipe(k, sizeof(k));
	return rc;
}

/* AES-CMAC-PRF-128 (RFC 4615) over a list of buffers: the streaming CMAC of
 * mbedTLS, after RFC 4615's key normalisation.  (mbedtls_aes_cmac_prf_128
 * does the same but wants the input in one piece.) */
static int cmac(const uint8_t *key, size_t keylen, const struct oc_iov *in, size_t nin,
		uint8_t out[16])
{
	uint8_t k[16];
	int rc = OC_EBACKEND;
	const mbedtls_cipher_info_t *info = mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB);
	mbedtls_cipher_context_t ctx;

	if (keylen == 16) {
		memcpy(k, key, 16);
	} else {
		/* Key normalisation of RFC 4615 §3: K' = AES-CMAC(0^128, key). */
		const uint8_t zero[16] = { 0 };
		if (mbedtls_cipher_cmac(info, zero, 128, key, keylen, k) != 0)
			return OC_EBACKEND;
	}
	mbedtls_cipher_init(&ctx);
	if (mbedtls_cipher_setup(&ctx, info) != 0 || mbedtls_cipher_cmac_starts(&ctx, k, 128) != 0)
		goto out;
	for (size_t i = 0; i < nin; i++)
		if (in[i].n && mbedtls_cipher_cmac_update(&ctx, in[i].p, in[i].n) != 0)
			goto out;
	if (mbedtls_cipher_cmac_finish(&ctx, out) == 0)
		rc = 0;
out:
	mbedtls_cipher_free(&ctx);
	oc_wipe(k, sizeof(k));
	return rc;
}

int oc_mbed_mac(enum oc_mac m, const uint8_t *key, size_t keylen,
		const struct oc_iov *in, size_t nin, uint8_t *out)
{
	switch (m) {
	case OC_MAC_HMAC_MD5: return hmac(OC_HASH_MD5, key, keylen, in, nin, out);
	case OC_MAC_HMAC_SHA1: return hmac(OC_HASH_SHA1, key, keylen, in, nin, out);
	case OC_MAC_HMAC_SHA256: return hmac(OC_HASH_SHA256, key, keylen, in, nin, out);
	case OC_MAC_HMAC_SHA384: return hmac(OC_HASH_SHA384, key, keylen, in, nin, out);
	case OC_MAC_HMAC_SHA512: return hmac(OC_HASH_SHA512, key, keylen, in, nin, out);
	case OC_MAC_AES_XCBC: return xcbc(key, keylen, in, nin, out);
	case OC_MAC_AES_CMAC: return cmac(key, keylen, in, nin, out);
	default: return OC_EUNAVAIL;
	}
}

int oc_mbed_crypt(enum oc_cipher c, bool encrypt, const uint8_t *key, size_t keylen,
		  const uint8_t *iv, size_t ivlen, const uint8_t *in, size_t len, uint8_t *out)
{
	uint8_t ivc[16];
	int rc = OC_EBACKEND;

	switch (c) {
	case OC_CIPHER_AES_CBC:
	case OC_CIPHER_AES_CTR: {
		mbedtls_aes_context a;
		if ((keylen != 16 && keylen != 24 && keylen != 32) || ivlen != 16)
			return OC_EINVAL;
		if (c == OC_CIPHER_AES_CBC && len % 16)
			return OC_EINVAL;
		memcpy(ivc, iv, 16);
		mbedtls_aes_init(&a);
		if (c == OC_CIPHER_AES_CBC) {
			int r = encrypt ? mbedtls_aes_setkey_enc(&a, key, keylen * 8)
					: mbedtls_aes_setkey_dec(&a, key, keylen * 8);
			if (r == 0 && mbedtls_aes_crypt_cbc(&a, encrypt ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT,
							     len, ivc, in, out) == 0)
				rc = 0;
		} else {
			/* iv is the whole initial counter block (RFC 3686 §4). */
			uint8_t stream[16];
			size_t off = 0;
			if (mbedtls_aes_setkey_enc(&a, key, keylen * 8) == 0 &&
			    mbedtls_aes_crypt_ctr(&a, len, &off, ivc, stream, in, out) == 0)
				rc = 0;
			oc_wipe(stream, sizeof(stream));
		}
		mbedtls_aes_free(&a);
		break;
	}
	case OC_CIPHER_3DES_CBC: {
		mbedtls_des3_context d;
		if (keylen != 24 || ivlen != 8 || len % 8)
			return OC_EINVAL;
		memcpy(ivc, iv, 8);
		mbedtls_des3_init(&d);
		int r = encrypt ? mbedtls_des3_set3key_enc(&d, key) : mbedtls_des3_set3key_dec(&d, key);
		if (r == 0 && mbedtls_des3_crypt_cbc(&d, encrypt ? MBEDTLS_DES_ENCRYPT : MBEDTLS_DES_DECRYPT,
						     len, ivc, in, out) == 0)
			rc = 0;
		mbedtls_des3_free(&d);
		break;
	}
	default:
		return OC_EUNAVAIL;
	}
	return rc;
}

/* GCM and CCM in mbedTLS 2.28 take the AAD in one piece. */
static uint8_t *flatten(const struct oc_iov *v, size_t n, size_t *len, uint8_t *small, size_t smallcap)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i].n;
	uint8_t *p = total <= smallcap ? small : malloc(total);
	if (!p)
		return NULL;
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].n)
			memcpy(p + off, v[i].p, v[i].n);
		off += v[i].n;
	}
	*len = total;
	return p;
}

static int aead(bool seal, enum oc_cipher c, const uint8_t *key, size_t keylen,
		const uint8_t *nonce, size_t noncelen, const struct oc_iov *aadv, size_t naad,
		const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen)
{
	uint8_t small[256];
	size_t aadlen = 0;
	int rc = OC_EBACKEND, r;
	uint8_t *aad = flatten(aadv, naad, &aadlen, small, sizeof(small));

	if (!aad)
		return OC_EBACKEND;
	switch (c) {
	case OC_CIPHER_AES_GCM: {
		mbedtls_gcm_context g;
		mbedtls_gcm_init(&g);
		if (mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, keylen * 8) != 0) {
			rc = OC_EINVAL;
		} else if (seal) {
			if (mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len, nonce, noncelen,
						      aad, aadlen, in, out, taglen, tag) == 0)
				rc = 0;
		} else {
			r = mbedtls_gcm_auth_decrypt(&g, len, nonce, noncelen, aad, aadlen,
						     tag, taglen, in, out);
			rc = r == 0 ? 0 : r == MBEDTLS_ERR_GCM_AUTH_FAILED ? OC_EAUTH : OC_EBACKEND;
		}
		mbedtls_gcm_free(&g);
		break;
	}
	case OC_CIPHER_AES_CCM: {
		mbedtls_ccm_context m;
		mbedtls_ccm_init(&m);
		if (mbedtls_ccm_setkey(&m, MBEDTLS_CIPHER_ID_AES, key, keylen * 8) != 0) {
			rc = OC_EINVAL;
		} else if (seal) {
			if (mbedtls_ccm_encrypt_and_tag(&m, len, nonce, noncelen, aad, aadlen,
							in, out, tag, taglen) == 0)
				rc = 0;
		} else {
			r = mbedtls_ccm_auth_decrypt(&m, len, nonce, noncelen, aad, aadlen,
						     in, out, tag, taglen);
			rc = r == 0 ? 0 : r == MBEDTLS_ERR_CCM_AUTH_FAILED ? OC_EAUTH : OC_EBACKEND;
		}
		mbedtls_ccm_free(&m);
		break;
	}
	case OC_CIPHER_CHACHA20_POLY1305: {
		mbedtls_chachapoly_context p;
		if (keylen != 32 || noncelen != 12 || taglen != 16) {
			rc = OC_EINVAL;
			break;
		}
		mbedtls_chachapoly_init(&p);
		if (mbedtls_chachapoly_setkey(&p, key) != 0) {
			rc = OC_EBACKEND;
		} else if (seal) {
			if (mbedtls_chachapoly_encrypt_and_tag(&p, len, nonce, aad, aadlen, in, out, tag) == 0)
				rc = 0;
		} else {
			r = mbedtls_chachapoly_auth_decrypt(&p, len, nonce, aad, aadlen, tag, in, out);
			rc = r == 0 ? 0 : r == MBEDTLS_ERR_CHACHAPOLY_AUTH_FAILED ? OC_EAUTH : OC_EBACKEND;
		}
		mbedtls_chachapoly_free(&p);
		break;
	}
	default:
		rc = OC_EUNAVAIL;
	}
	if (aad != small)
		free(aad);
	return rc;
}

int oc_mbed_aead_seal(enum oc_cipher c, const uint8_t *key, size_t keylen,
		      const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		      const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen)
{
	return aead(true, c, key, keylen, nonce, noncelen, aad, naad, in, len, out, tag, taglen);
}

int oc_mbed_aead_open(enum oc_cipher c, const uint8_t *key, size_t keylen,
		      const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		      const uint8_t *in, size_t len, uint8_t *out, const uint8_t *tag, size_t taglen)
{
	return aead(false, c, key, keylen, nonce, noncelen, aad, naad, in, len, out,
		    (uint8_t *)tag, taglen);
}
