/* ikev2_kdf.c - IKEv2 key derivation (ikev2_kdf.h). */
#include "crypto/ikev2_kdf.h"
#include "ikev2_const.h"

#include <string.h>

int oc_prf(const struct oc_transform *prf, const uint8_t *key, size_t keylen,
	   const struct oc_iov *in, size_t nin, uint8_t *out)
{
	if (!prf || prf->type != IKEV2_TT_PRF)
		return OC_EINVAL;
	return oc_mac(prf->alg, key, keylen, in, nin, out);
}

int oc_prf_plus(const struct oc_transform *prf, const uint8_t *key, size_t keylen,
		const struct oc_iov *seed, size_t nseed, uint8_t *out, size_t len)
{
	struct oc_iov v[10];
	uint8_t t[OC_MAX_PRF], n = 1;
	size_t tlen = 0, off = 0;
	int rc = 0;

	if (!prf || nseed > 8 || len > 255 * (size_t)prf->out_len)
		return OC_EINVAL;
	while (off < len) {
		size_t nv = 0;
		v[nv++] = (struct oc_iov){ t, tlen };
		for (size_t i = 0; i < nseed; i++)
			v[nv++] = seed[i];
		v[nv++] = (struct oc_iov){ &n, 1 };
		if ((rc = oc_prf(prf, key, keylen, v, nv, t)) != 0)
			break;
		tlen = prf->out_len;
		size_t take = len - off < tlen ? len - off : tlen;
		memcpy(out + off, t, take);
		off += take;
		n++;
	}
	oc_wipe(t, sizeof(t));
	if (rc)
		oc_wipe(out, len);
	return rc;
}

static bool fixed_key_prf(const struct oc_transform *prf)
{
	return prf->id == IKEV2_PRF_AES128_XCBC || prf->id == IKEV2_PRF_AES128_CMAC;
}

int oc_ikev2_skeyseed(const struct oc_transform *prf, const uint8_t *ni, size_t nilen,
		      const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen,
		      uint8_t *skeyseed)
{
	uint8_t key[2 * 256];
	size_t kl;
	struct oc_iov v = { gir, girlen };
	int rc;

	if (nilen > 256 || nrlen > 256)
		return OC_EINVAL;
	if (fixed_key_prf(prf)) {
		if (nilen < 8 || nrlen < 8)
			return OC_EINVAL;
		memcpy(key, ni, 8);
		memcpy(key + 8, nr, 8);
		kl = 16;
	} else {
		memcpy(key, ni, nilen);
		memcpy(key + nilen, nr, nrlen);
		kl = nilen + nrlen;
	}
	rc = oc_prf(prf, key, kl, &v, 1, skeyseed);
	oc_wipe(key, sizeof(key));
	return rc;
}

int oc_ikev2_skeyseed_rekey(const struct oc_transform *old_prf, const uint8_t *sk_d, size_t sk_dlen,
			    const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
			    const uint8_t *nr, size_t nrlen, uint8_t *skeyseed)
{
	struct oc_iov v[3] = { { gir, girlen }, { ni, nilen }, { nr, nrlen } };
	return oc_prf(old_prf, sk_d, sk_dlen, v, 3, skeyseed);
}

int oc_ikev2_derive(const struct oc_transform *prf, const struct oc_transform *encr,
		    const struct oc_transform *integ, const uint8_t *ni, size_t nilen,
		    const uint8_t *nr, size_t nrlen, const uint8_t spii[8], const uint8_t spir[8],
		    struct oc_ikev2_keys *k)
{
	uint8_t km[3 * OC_MAX_PRF + 2 * OC_MAX_INTEG_KEY + 2 * OC_MAX_ENCR_KEY], *p = km;
	struct oc_iov seed[4] = { { ni, nilen }, { nr, nrlen }, { spii, 8 }, { spir, 8 } };
	size_t total;
	int rc;

	if (!prf || !encr || (!encr->aead && !integ))
		return OC_EINVAL;
	k->prf_len = prf->out_len;
	k->d_len = k->p_len = prf->key_len; /* the PRF's preferred key length (§2.14) */
	k->a_len = encr->aead ? 0 : integ->key_len;
	k->e_len = encr->key_len;
	total = k->d_len + 2 * k->a_len + 2 * k->e_len + 2 * k->p_len;
	rc = oc_prf_plus(prf, k->skeyseed, k->prf_len, seed, 4, km, total);
	if (rc)
		return rc;
	memcpy(k->sk_d, p, k->d_len), p += k->d_len;
	memcpy(k->sk_ai, p, k->a_len), p += k->a_len;
	memcpy(k->sk_ar, p, k->a_len), p += k->a_len;
	memcpy(k->sk_ei, p, k->e_len), p += k->e_len;
	memcpy(k->sk_er, p, k->e_len), p += k->e_len;
	memcpy(k->sk_pi, p, k->p_len), p += k->p_len;
	memcpy(k->sk_pr, p, k->p_len);
	oc_wipe(km, sizeof(km));
	return 0;
}

int oc_ikev2_child_keymat(const struct oc_transform *prf, const uint8_t *sk_d, size_t sk_dlen,
			  const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
			  const uint8_t *nr, size_t nrlen, uint8_t *keymat, size_t len)
{
	struct oc_iov seed[3];
	size_t n = 0;
	if (gir)
		seed[n++] = (struct oc_iov){ gir, girlen };
	seed[n++] = (struct oc_iov){ ni, nilen };
	seed[n++] = (struct oc_iov){ nr, nrlen };
	return oc_prf_plus(prf, sk_d, sk_dlen, seed, n, keymat, len);
}

void oc_ikev2_keys_wipe(struct oc_ikev2_keys *k)
{
	oc_wipe(k, sizeof(*k));
}
