/* transforms.h - the transform registry.
 *
 * One row per negotiable algorithm: its IANA IKEv2 transform ID, its IKEv1
 * attribute values, the proposal keywords strongSwan users write, the sizes
 * of its keys, IVs and ICVs, and the internal algorithm that implements it.
 * Whether a row is usable depends on the registered providers
 * (oc_transform_available). */
#ifndef OSPREY_CRYPTO_TRANSFORMS_H
#define OSPREY_CRYPTO_TRANSFORMS_H

#include "crypto/crypto.h"

struct oc_transform {
	uint8_t type;         /* IKEV2_TT_ENCR, IKEV2_TT_PRF, IKEV2_TT_INTEG, IKEV2_TT_KE */
	uint16_t id;          /* IKEv2 transform ID (ikev2_const.h) */
	uint16_t key_bits;    /* ENCR: the Key Length attribute, 0 when none is sent */
	const char *keyword;  /* canonical proposal keyword, e.g. "aes256gcm16" */
	const char *aliases;  /* other accepted keywords, space separated, or NULL */

	/* IKEv1 (ikev1_const.h), 0 when IKEv1 has no value for it:
	 *  ENCR  v1 = IKEV1_ENCR_* (phase 1), v1_esp = IKEV1_ESP_* (phase 2)
	 *  PRF   v1 = IKEV1_HASH_* (phase 1 hash, whose HMAC is the PRF)
	 *  INTEG v1_esp = IKEV1_AUTH_ALG_* (phase 2)
	 *  KE    v1 = IKEV1_GROUP_* */
	uint16_t v1;
	uint16_t v1_esp;

	/* Implementation. */
	uint8_t alg;          /* enum oc_cipher (ENCR), enum oc_mac (PRF, INTEG) */
	uint8_t hash;         /* PRF: the hash of an HMAC (IKEv1 IVs), else 0 */
	uint16_t prf;         /* INTEG: the PRF of the same family (IKE proposals) */
	bool aead;

	/* Sizes in octets. */
	uint16_t key_len;     /* keying material taken from prf+: ENCR key + salt,
				 INTEG key, PRF preferred key length */
	uint8_t salt_len;     /* ENCR: the part of key_len that is salt / nonce */
	uint8_t block_len;    /* ENCR: padding unit (1 for stream and AEAD modes) */
	uint8_t iv_len;       /* ENCR: IV on the wire */
	uint8_t icv_len;      /* ENCR (AEAD): ICV; INTEG: truncated MAC */
	uint16_t out_len;     /* PRF: output; KE: public value */
	uint16_t secret_len;  /* KE: shared secret */
	const char *unavailable; /* why no provider can serve it, NULL when possible */
};

/* IKEv2 transform ID and, for ENCR, key length in bits (0: the default or
 * the only one).  NULL when unknown. */
const struct oc_transform *oc_transform_find(unsigned type, unsigned id, unsigned key_bits);
/* By keyword or alias (case-insensitive), any type.  NULL when unknown. */
const struct oc_transform *oc_transform_by_keyword(const char *kw);
/* By IKEv1 phase-1 value: type IKEV2_TT_ENCR (IKEV1_ENCR_* + key bits),
 * IKEV2_TT_PRF (IKEV1_HASH_*), IKEV2_TT_KE (IKEV1_GROUP_*). */
const struct oc_transform *oc_transform_ikev1(unsigned type, unsigned value, unsigned key_bits);
/* true when a registered provider implements it. */
bool oc_transform_available(const struct oc_transform *t);
/* Iteration: NULL after the last. */
const struct oc_transform *oc_transform_at(size_t i);

#endif
