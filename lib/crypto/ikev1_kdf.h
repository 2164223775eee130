/* ikev1_kdf.h - IKEv1 keys, hashes and CBC IVs (RFC 2409 §5, Appendix B). */
#ifndef OSPREY_CRYPTO_IKEV1_KDF_H
#define OSPREY_CRYPTO_IKEV1_KDF_H

#include "crypto/pubkey.h"
#include "crypto/transforms.h"

/* The PRF is the HMAC of the negotiated hash: oc_transform_ikev1(IKEV2_TT_PRF,
 * IKEV1_HASH_*, 0).  Every output below is prf->out_len octets. */

/* Pre-shared keys: SKEYID = prf(pre-shared-key, Ni_b | Nr_b). */
int oc_ikev1_skeyid_psk(const struct oc_transform *prf, const uint8_t *psk, size_t psklen,
			const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen, uint8_t *skeyid);
/* Signatures: SKEYID = prf(Ni_b | Nr_b, g^xy). */
int oc_ikev1_skeyid_sig(const struct oc_transform *prf, const uint8_t *ni, size_t nilen,
			const uint8_t *nr, size_t nrlen, const uint8_t *gxy, size_t gxylen, uint8_t *skeyid);

struct oc_ikev1_keys {
	size_t len;
	uint8_t skeyid[64], skeyid_d[64], skeyid_a[64], skeyid_e[64];
};
/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 * k->skeyid must be set. */
int oc_ikev1_derive(const struct oc_transform *prf, const uint8_t *gxy, size_t gxylen,
		    const uint8_t cky_i[8], const uint8_t cky_r[8], struct oc_ikev1_keys *k);
/* The encryption key from SKEYID_e: its first octets, or when it is too short
 * Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1)
 * (Appendix B). */
int oc_ikev1_enc_key(const struct oc_transform *prf, const uint8_t *skeyid_e, size_t elen,
		     uint8_t *key, size_t keylen);

/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * (§5; the same for main and aggressive mode).  id_b is the ID payload body
 * after the generic header; sa_b the initiator's SA payload body. */
int oc_ikev1_hash_i(const struct oc_transform *prf, const uint8_t *skeyid, const uint8_t *gxi,
		    const uint8_t *gxr, size_t gxlen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		    const uint8_t *sa_b, size_t salen, const uint8_t *id_b, size_t idlen, uint8_t *out);
int oc_ikev1_hash_r(const struct oc_transform *prf, const uint8_t *skeyid, const uint8_t *gxi,
		    const uint8_t *gxr, size_t gxlen, const uint8_t cky_i[8], const uint8_t cky_r[8],
		    const uint8_t *sa_b, size_t salen, const uint8_t *id_b, size_t idlen, uint8_t *out);
/* SIG_I / SIG_R: the signature of HASH_I / HASH_R.  RSA signs the hash with
 * PKCS#1 v1.5 padding and no DigestInfo (§5.1); ECDSA signs it as the digest
 * and sends r | s (RFC 4754 §7). */
int oc_ikev1_sig_sign(const struct oc_key *key, const uint8_t *hash, size_t hlen,
		      uint8_t *sig, size_t *siglen);
int oc_ikev1_sig_verify(const struct oc_key *key, const uint8_t *hash, size_t hlen,
			const uint8_t *sig, size_t siglen);

/* Quick Mode (§5.5):
 * HASH(1) = prf(SKEYID_a, M-ID | rest), HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest),
 * HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).  'rest' is the message
 * after the HASH payload. */
int oc_ikev1_qm_hash1(const struct oc_transform *prf, const uint8_t *skeyid_a, const uint8_t mid[4],
		      const uint8_t *rest, size_t restlen, uint8_t *out);
int oc_ikev1_qm_hash2(const struct oc_transform *prf, const uint8_t *skeyid_a, const uint8_t mid[4],
		      const uint8_t *ni, size_t nilen, const uint8_t *rest, size_t restlen, uint8_t *out);
int oc_ikev1_qm_hash3(const struct oc_transform *prf, const uint8_t *skeyid_a, const uint8_t mid[4],
		      const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen, uint8_t *out);
/* KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b);
 * gqm NULL without PFS.  spi is the SPI of the SA being keyed (the
 * receiver's, as in the proposal). */
int oc_ikev1_qm_keymat(const struct oc_transform *prf, const uint8_t *skeyid_d,
		       const uint8_t *gqm, size_t gqmlen, uint8_t protocol, const uint8_t spi[4],
		       const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		       uint8_t *keymat, size_t len);

/* Phase 1 IV = hash(g^xi | g^xr), truncated to the block size (Appendix B). */
int oc_ikev1_iv_phase1(enum oc_hash h, const uint8_t *gxi, const uint8_t *gxr, size_t gxlen,
		       uint8_t *iv, size_t blocklen);
/* IV of a Quick Mode or Informational exchange = hash(last phase-1 CBC
 * block | M-ID), truncated to the block size. */
int oc_ikev1_iv_phase2(enum oc_hash h, const uint8_t *last_block, size_t blocklen,
		       const uint8_t mid[4], uint8_t *iv);

/* CBC with IKEv1's IV chaining: the IV of each message is the last
 * ciphertext block of the previous one in the same exchange. */
struct oc_ikev1_cbc {
	const struct oc_transform *encr; /* AES-CBC or 3DES */
	uint8_t key[32];
	uint8_t iv[16];
};
int oc_ikev1_cbc_init(struct oc_ikev1_cbc *c, const struct oc_transform *encr,
		      const uint8_t *key, size_t keylen, const uint8_t *iv);
/* In place; len a multiple of the block size (the caller pads, §5.3). */
int oc_ikev1_cbc_encrypt(struct oc_ikev1_cbc *c, uint8_t *buf, size_t len);
int oc_ikev1_cbc_decrypt(struct oc_ikev1_cbc *c, uint8_t *buf, size_t len);
void oc_ikev1_cbc_wipe(struct oc_ikev1_cbc *c);

#endif
