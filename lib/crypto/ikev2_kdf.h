/* ikev2_kdf.h - IKEv2 key derivation (RFC 7296 §2.13, §2.14, §2.17, §2.18). */
#ifndef OSPREY_CRYPTO_IKEV2_KDF_H
#define OSPREY_CRYPTO_IKEV2_KDF_H

#include "crypto/transforms.h"

/* prf(key, in...) of a PRF transform; out gets prf->out_len octets. */
int oc_prf(const struct oc_transform *prf, const uint8_t *key, size_t keylen,
	   const struct oc_iov *in, size_t nin, uint8_t *out);
/* prf+ (§2.13): T1 | T2 | ... with Tn = prf(K, Tn-1 | S | n); len at most
 * 255 * out_len. */
int oc_prf_plus(const struct oc_transform *prf, const uint8_t *key, size_t keylen,
		const struct oc_iov *seed, size_t nseed, uint8_t *out, size_t len);

enum { OC_MAX_PRF = 64, OC_MAX_ENCR_KEY = 36, OC_MAX_INTEG_KEY = 64 };

struct oc_ikev2_keys {
	size_t prf_len, d_len, a_len, e_len, p_len;
	uint8_t skeyseed[OC_MAX_PRF];
	uint8_t sk_d[OC_MAX_PRF];
	uint8_t sk_ai[OC_MAX_INTEG_KEY], sk_ar[OC_MAX_INTEG_KEY];
	uint8_t sk_ei[OC_MAX_ENCR_KEY], sk_er[OC_MAX_ENCR_KEY];
	uint8_t sk_pi[OC_MAX_PRF], sk_pr[OC_MAX_PRF];
};

/* SKEYSEED = prf(Ni | Nr, g^ir) (§2.14).  For the AES PRFs the key is the
 * first 64 bits of Ni and of Nr. */
int oc_ikev2_skeyseed(const struct oc_transform *prf, const uint8_t *ni, size_t nilen,
		      const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen,
		      uint8_t *skeyseed);
/* Rekeyed IKE SA (§2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr),
 * with the old SA's PRF. */
int oc_ikev2_skeyseed_rekey(const struct oc_transform *old_prf, const uint8_t *sk_d, size_t sk_dlen,
			    const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
			    const uint8_t *nr, size_t nrlen, uint8_t *skeyseed);
/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr)  (§2.14).
 * k->skeyseed must be set; integ is NULL with an AEAD. */
int oc_ikev2_derive(const struct oc_transform *prf, const struct oc_transform *encr,
		    const struct oc_transform *integ, const uint8_t *ni, size_t nilen,
		    const uint8_t *nr, size_t nrlen, const uint8_t spii[8], const uint8_t spir[8],
		    struct oc_ikev2_keys *k);
/* CHILD_SA KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (§2.17); gir NULL
 * without PFS.  The caller splits it: encryption then integrity key for the
 * initiator-to-responder SA, then the same for the other direction. */
int oc_ikev2_child_keymat(const struct oc_transform *prf, const uint8_t *sk_d, size_t sk_dlen,
			  const uint8_t *gir, size_t girlen, const uint8_t *ni, size_t nilen,
			  const uint8_t *nr, size_t nrlen, uint8_t *keymat, size_t len);
void oc_ikev2_keys_wipe(struct oc_ikev2_keys *k);

#endif
