/* ikev1_kdf.c - IKEv1 keys, hashes and IVs (ikev1_kdf.h). */
#include "crypto/ikev1_kdf.h"
#include "crypto/ikev2_kdf.h"

#include <string.h>

int oc_ikev1_skeyid_psk(const struct oc_transform *prf, const uint8_t *psk, size_t psklen,
			const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen, uint8_t *skeyid)
{
	struct oc_iov v[2] = { { ni, nilen }, { nr, nrlen } };
	return oc_prf(prf, psk, psklen, v, 2, skeyid);
}

int oc_ikev1_skeyid_sig(const struct oc_transform *prf, const uint8_t *ni, size_t nilen,
			const uint8_t *nr, size_t nrlen, const uint8_t *gxy, size_t gxylen, uint8_t *skeyid)
{
	uint8_t key[512];
	struct oc_iov v = { gxy, gxylen };
	int rc;
	if (nilen + nrlen > sizeof(key))
		return OC_EINVAL;
	memcpy(key, ni, nilen);
	memcpy(key + nilen, nr, nrlen);
	rc = oc_prf(prf, key, nilen + nrlen, &v, 1, skeyid);
	oc_wipe(key, sizeof(key));
	return rc;
}

int oc_ikev1_derive(const struct oc_transform *prf, const uint8_t *gxy, size_t gxylen,
		    const uint8_t cky_i[8], const uint8_t cky_r[8], struct oc_ikev1_keys *k)
{
	const uint8_t n0 = 0, n1 = 1, n2 = 2;
	int rc;
	k->len = prf->out_len;
	struct oc_iov d[4] = { { gxy, gxylen }, { cky_i, 8 }, { cky_r, 8 }, { &n0, 1 } };
	if ((rc = oc_prf(prf, k->skeyid, k->len, d, 4, k->skeyid_d)) != 0)
		return rc;
	struct oc_iov a[5] = { { k->skeyid_d, k->len }, { gxy, gxylen }, { cky_i, 8 }, { cky_r, 8 }, { &n1, 1 } };
	if ((rc = oc_prf(prf, k->skeyid, k->len, a, 5, k->skeyid_a)) != 0)
		return rc;
	struct oc_iov e[5] = { { k->skeyid_a, k->len }, { gxy, gxylen }, { cky_i, 8 }, { cky_r, 8 }, { &n2, 1 } };
	return oc_prf(prf, k->skeyid, k->len, e, 5, k->skeyid_e);
}

int oc_ikev1_enc_key(const struct oc_transform *prf, const uint8_t *skeyid_e, size_t elen,
		     uint8_t *key, size_t keylen)
{
	uint8_t k[64];
	const uint8_t zero = 0;
	size_t off = 0;
	int rc = 0;

	if (keylen <= elen) {
		memcpy(key, skeyid_e, keylen);
		return 0;
	}
	/* Appendix B: K1 = prf(SKEYID_e, 0) where 0 is a single zero octet,
	 * Kn = prf(SKEYID_e, Kn-1). */
	struct oc_iov v = { &zero, 1 };
	while (off < keylen) {
		if ((rc = oc_prf(prf, skeyid_e, elen, &v, 1, k)) != 0)
			break;
		size_t take = keylen - off < prf->out_len ? keylen - off : prf->out_len;
		memcpy(key + off, k, take);
		off += take;
		v = (struct oc_iov){ k, prf->out_len };
	}
	oc_wipe(k, sizeof(k));
	return rc;
}

static int hash_ir(const struct oc_transform *prf, const uint8_t *skeyid, const uint8_t *g1,
		   const uint8_t *g2, size_t gxlen, const uint8_t *c1, const uint8_t *c2,
		   const uint8_t *sa_b, size_t salen, const uint8_t *id_b, size_t idlen, uint8_t *out)
{
	struct oc_iov v[6] = { { g1, gxlen }, { g2, gxlen }, { c1, 8 }, { c2, 8 },
			       { sa_b, salen }, { id_b, idlen } };
	return oc_prf(prf, skeyid, prf->out_len, v, 6, out);
}

int oc_ikev1_hash_i(const struct oc_transform *prf, const uint8_t *skeyid, const uint8_t *gxi,
		    const uint8_t *gxr, size_t gxlen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		    const uint8_t *sa_b, size_t salen, const uint8_t *id_b, size_t idlen, uint8_t *out)
{
	return hash_ir(prf, skeyid, gxi, gxr, gxlen, cky_i, cky_r, sa_b, salen, id_b, idlen, out);
}

int oc_ikev1_hash_r(const struct oc_transform *prf, const uint8_t *skeyid, const uint8_t *gxi,
		    const uint8_t *gxr, size_t gxlen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		    const uint8_t *sa_b, size_t salen, const uint8_t *id_b, size_t idlen, uint8_t *out)
{
	return hash_ir(prf, skeyid, gxr, gxi, gxlen, cky_r, cky_i, sa_b, salen, id_b, idlen, out);
}

int oc_ikev1_sig_sign(const struct oc_key *key, const uint8_t *hash, size_t hlen,
		      uint8_t *sig, size_t *siglen)
{
	enum oc_sig_scheme s = key->type == OC_KEY_EC ? OC_SIG_ECDSA_RAW : OC_SIG_RSA_PKCS1;
	return oc_sign(key, s, OC_HASH_NONE, hash, hlen, sig, siglen);
}

int oc_ikev1_sig_verify(const struct oc_key *key, const uint8_t *hash, size_t hlen,
			const uint8_t *sig, size_t siglen)
{
	enum oc_sig_scheme s = key->type == OC_KEY_EC ? OC_SIG_ECDSA_RAW : OC_SIG_RSA_PKCS1;
	return oc_verify(key, s, OC_HASH_NONE, hash, hlen, sig, siglen);
}

int oc_ikev1_qm_hash1(const struct oc_transform *prf, const uint8_t *skeyid_a, const uint8_t mid[4],
		      const uint8_t *rest, size_t restlen, uint8_t *out)
{
	struct oc_iov v[2] = { { mid, 4 }, { rest, restlen } };
	return oc_prf(prf, skeyid_a, prf->out_len, v, 2, out);
}

int oc_ikev1_qm_hash2(const struct oc_transform *prf, const uint8_t *skeyid_a, const uint8_t mid[4],
		      const uint8_t *ni, size_t nilen, const uint8_t *rest, size_t restlen, uint8_t *out)
{
	struct oc_iov v[3] = { { mid, 4 }, { ni, nilen }, { rest, restlen } };
	return oc_prf(prf, skeyid_a, prf->out_len, v, 3, out);
}

int oc_ikev1_qm_hash3(const struct oc_transform *prf, const uint8_t *skeyid_a, const uint8_t mid[4],
		      const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen, uint8_t *out)
{
	const uint8_t zero = 0;
	struct oc_iov v[4] = { { &zero, 1 }, { mid, 4 }, { ni, nilen }, { nr, nrlen } };
	return oc_prf(prf, skeyid_a, prf->out_len, v, 4, out);
}

int oc_ikev1_qm_keymat(const struct oc_transform *prf, const uint8_t *skeyid_d,
		       const uint8_t *gqm, size_t gqmlen, uint8_t protocol, const uint8_t spi[4],
		       const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		       uint8_t *keymat, size_t len)
{
	uint8_t k[64];
	size_t off = 0, tlen = 0;
	int rc = 0;

	while (off < len) {
		struct oc_iov v[6];
		size_t n = 0;
		if (tlen)
			v[n++] = (struct oc_iov){ k, tlen };
		if (gqm)
			v[n++] = (struct oc_iov){ gqm, gqmlen };
		v[n++] = (struct oc_iov){ &protocol, 1 };
		v[n++] = (struct oc_iov){ spi, 4 };
		v[n++] = (struct oc_iov){ ni, nilen };
		v[n++] = (struct oc_iov){ nr, nrlen };
		if ((rc = oc_prf(prf, skeyid_d, prf->out_len, v, n, k)) != 0)
			break;
		tlen = prf->out_len;
		size_t take = len - off < tlen ? len - off : tlen;
		memcpy(keymat + off, k, take);
		off += take;
	}
	oc_wipe(k, sizeof(k));
	return rc;
}

int oc_ikev1_iv_phase1(enum oc_hash h, const uint8_t *gxi, const uint8_t *gxr, size_t gxlen,
		       uint8_t *iv, size_t blocklen)
{
	uint8_t d[64];
	struct oc_iov v[2] = { { gxi, gxlen }, { gxr, gxlen } };
	int rc = oc_hash(h, v, 2, d);
	if (rc == 0 && blocklen > oc_hash_len(h))
		rc = OC_EINVAL;
	if (rc == 0)
		memcpy(iv, d, blocklen);
	return rc;
}

int oc_ikev1_iv_phase2(enum oc_hash h, const uint8_t *last_block, size_t blocklen,
		       const uint8_t mid[4], uint8_t *iv)
{
	uint8_t d[64];
	struct oc_iov v[2] = { { last_block, blocklen }, { mid, 4 } };
	int rc = oc_hash(h, v, 2, d);
	if (rc == 0 && blocklen > oc_hash_len(h))
		rc = OC_EINVAL;
	if (rc == 0)
		memcpy(iv, d, blocklen);
	return rc;
}

int oc_ikev1_cbc_init(struct oc_ikev1_cbc *c, const struct oc_transform *encr,
		      const uint8_t *key, size_t keylen, const uint8_t *iv)
{
	memset(c, 0, sizeof(*c));
	if (!encr || (encr->alg != OC_CIPHER_AES_CBC && encr->alg != OC_CIPHER_3DES_CBC) ||
	    keylen != encr->key_len || keylen > sizeof(c->key))
		return OC_EINVAL;
	c->encr = encr;
	memcpy(c->key, key, keylen);
	memcpy(c->iv, iv, encr->block_len);
	return 0;
}

int oc_ikev1_cbc_encrypt(struct oc_ikev1_cbc *c, uint8_t *buf, size_t len)
{
	size_t b = c->encr->block_len;
	if (len == 0 || len % b)
		return OC_EINVAL;
	int rc = oc_crypt(c->encr->alg, true, c->key, c->encr->key_len, c->iv, b, buf, len, buf);
	if (rc == 0)
		memcpy(c->iv, buf + len - b, b);
	return rc;
}

int oc_ikev1_cbc_decrypt(struct oc_ikev1_cbc *c, uint8_t *buf, size_t len)
{
	size_t b = c->encr->block_len;
	uint8_t next[16];
	if (len == 0 || len % b)
		return OC_EINVAL;
	memcpy(next, buf + len - b, b); /* the next IV is the last ciphertext block */
	int rc = oc_crypt(c->encr->alg, false, c->key, c->encr->key_len, c->iv, b, buf, len, buf);
	if (rc == 0)
		memcpy(c->iv, next, b);
	return rc;
}

void oc_ikev1_cbc_wipe(struct oc_ikev1_cbc *c)
{
	oc_wipe(c, sizeof(*c));
}
