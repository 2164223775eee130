/* sk.c - the IKEv2 Encrypted payload (sk.h). */
#include "crypto/sk.h"
#include "ikev2_const.h"

#include <stdlib.h>
#include <string.h>

int oc_sk_init(struct oc_sk *sk, const struct oc_transform *encr, const struct oc_transform *integ,
	       const uint8_t *ekey, size_t ekeylen, const uint8_t *akey, size_t akeylen)
{
	memset(sk, 0, sizeof(*sk));
	if (!encr || encr->type != IKEV2_TT_ENCR || ekeylen != encr->key_len ||
	    ekeylen > sizeof(sk->ekey))
		return OC_EINVAL;
	if (encr->aead ? integ != NULL
		       : (!integ || integ->type != IKEV2_TT_INTEG || akeylen != integ->key_len ||
			  akeylen > sizeof(sk->akey)))
		return OC_EINVAL;
	sk->encr = encr;
	sk->integ = integ;
	memcpy(sk->ekey, ekey, ekeylen);
	if (integ)
		memcpy(sk->akey, akey, akeylen);
	/* A random start keeps IVs unpredictable across SAs without risking reuse. */
	if (oc_random(&sk->counter, sizeof(sk->counter)) != 0)
		return OC_ERNG;
	return 0;
}

void oc_sk_wipe(struct oc_sk *sk)
{
	oc_wipe(sk, sizeof(*sk));
}

static size_t icv_len(const struct oc_sk *sk)
{
	return sk->encr->aead ? sk->encr->icv_len : sk->integ->icv_len;
}

static size_t pad_len(const struct oc_sk *sk, size_t plen)
{
	size_t b = sk->encr->block_len;
	return (b - (plen + 1) % b) % b;
}

size_t oc_sk_sealed_len(const struct oc_sk *sk, size_t plen)
{
	return sk->encr->iv_len + plen + pad_len(sk, plen) + 1 + icv_len(sk);
}

/* Nonce of an AEAD: salt (the tail of SK_e) | IV (RFC 5282 §4, RFC 7634 §2). */
static size_t aead_nonce(const struct oc_sk *sk, const uint8_t *iv, uint8_t nonce[16])
{
	size_t klen = sk->encr->key_len - sk->encr->salt_len;
	memcpy(nonce, sk->ekey + klen, sk->encr->salt_len);
	memcpy(nonce + sk->encr->salt_len, iv, sk->encr->iv_len);
	return sk->encr->salt_len + sk->encr->iv_len;
}

/* AES-CTR counter block: nonce | IV | 1 (RFC 3686 §4, RFC 5930 §2). */
static void ctr_block(const struct oc_sk *sk, const uint8_t *iv, uint8_t blk[16])
{
	memcpy(blk, sk->ekey + sk->encr->key_len - 4, 4);
	memcpy(blk + 4, iv, 8);
	blk[12] = blk[13] = blk[14] = 0;
	blk[15] = 1;
}

static int cipher(const struct oc_sk *sk, bool enc, const uint8_t *iv,
		  const uint8_t *in, size_t len, uint8_t *out)
{
	size_t klen = sk->encr->key_len - sk->encr->salt_len;
	if (sk->encr->alg == OC_CIPHER_AES_CTR) {
		uint8_t blk[16];
		ctr_block(sk, iv, blk);
		return oc_crypt(OC_CIPHER_AES_CTR, enc, sk->ekey, klen, blk, 16, in, len, out);
	}
	return oc_crypt(sk->encr->alg, enc, sk->ekey, klen, iv, sk->encr->iv_len, in, len, out);
}

static int icv(const struct oc_sk *sk, const uint8_t *aad, size_t aadlen,
	       const uint8_t *ivct, size_t n, uint8_t *out)
{
	uint8_t mac[64];
	struct oc_iov v[2] = { { aad, aadlen }, { ivct, n } };
	int rc = oc_mac(sk->integ->alg, sk->akey, sk->integ->key_len, v, 2, mac);
	if (rc == 0)
		memcpy(out, mac, sk->integ->icv_len);
	oc_wipe(mac, sizeof(mac));
	return rc;
}

int oc_sk_seal(struct oc_sk *sk, const uint8_t *aad, size_t aadlen,
	       const uint8_t *plain, size_t plen, uint8_t *out, size_t outlen)
{
	const struct oc_transform *e = sk->encr;
	size_t pad = pad_len(sk, plen), clen = plen + pad + 1;
	uint8_t *iv = out, *ct = out + e->iv_len, *tag = ct + clen;
	uint8_t *buf;
	int rc;

	if (outlen != oc_sk_sealed_len(sk, plen))
		return OC_EINVAL;
	if (e->block_len > 1) {
		if ((rc = oc_random(iv, e->iv_len)) != 0)
			return rc;
	} else {
		/* AEAD and CTR: the IV must never repeat under one key; a counter
		 * guarantees it (RFC 5282 §3.1, RFC 3686 §2.1). */
		uint64_t c = sk->counter++;
		for (int i = 7; i >= 0; i--, c >>= 8)
			iv[i] = (uint8_t)c;
	}
	/* Payloads | padding (zeros) | pad length, encrypted in place in out. */
	buf = ct;
	memmove(buf, plain, plen);
	memset(buf + plen, 0, pad);
	buf[plen + pad] = (uint8_t)pad;
	if (e->aead) {
		uint8_t nonce[16];
		size_t nlen = aead_nonce(sk, iv, nonce);
		struct oc_iov a = { aad, aadlen };
		rc = oc_aead_seal(e->alg, sk->ekey, e->key_len - e->salt_len, nonce, nlen, &a, 1,
				  buf, clen, ct, tag, e->icv_len);
	} else {
		rc = cipher(sk, true, iv, buf, clen, ct);
		if (rc == 0)
			rc = icv(sk, aad, aadlen, out, e->iv_len + clen, tag);
	}
	if (rc)
		oc_wipe(out, outlen);
	return rc;
}

int oc_sk_open(const struct oc_sk *sk, const uint8_t *aad, size_t aadlen,
	       const uint8_t *in, size_t inlen, uint8_t *plain, size_t *plen)
{
	const struct oc_transform *e = sk->encr;
	size_t il = icv_len(sk);
	const uint8_t *iv = in, *ct = in + e->iv_len;
	size_t clen;
	int rc;

	if (inlen < e->iv_len + 1 + il)
		return OC_EPARSE;
	clen = inlen - e->iv_len - il;
	if (clen % e->block_len)
		return OC_EPARSE;
	if (e->aead) {
		uint8_t nonce[16];
		size_t nlen = aead_nonce(sk, iv, nonce);
		struct oc_iov a = { aad, aadlen };
		rc = oc_aead_open(e->alg, sk->ekey, e->key_len - e->salt_len, nonce, nlen, &a, 1,
				  ct, clen, plain, ct + clen, il);
	} else {
		uint8_t want[64];
		rc = icv(sk, aad, aadlen, in, e->iv_len + clen, want);
		if (rc == 0 && oc_memcmp_ct(want, ct + clen, il) != 0)
			rc = OC_EAUTH;
		if (rc == 0)
			rc = cipher(sk, false, iv, ct, clen, plain);
	}
	if (rc)
		return rc;
	/* The pad length octet ends the plaintext (RFC 7296 §3.14). */
	size_t pad = plain[clen - 1];
	if (pad + 1 > clen) {
		oc_wipe(plain, clen);
		return OC_EPARSE;
	}
	*plen = clen - pad - 1;
	return 0;
}
