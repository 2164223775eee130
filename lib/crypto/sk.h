/* sk.h - protection of the IKEv2 Encrypted payload (RFC 7296 §3.14).
 *
 * The sealed form is  IV | ciphertext | ICV  where the ciphertext covers
 * payloads | padding | pad length.  "aad" is every octet of the message
 * before the IV: the IKE header, any unencrypted payloads and the SK
 * payload's generic header, already carrying their final lengths
 * (oc_sk_sealed_len tells them).  With CBC/CTR the ICV is the truncated MAC
 * over aad | IV | ciphertext (§3.14); with an AEAD, aad is the associated
 * data (RFC 5282 §5.1, RFC 7634 §2) and the nonce is salt | IV. */
#ifndef OSPREY_CRYPTO_SK_H
#define OSPREY_CRYPTO_SK_H

#include "crypto/transforms.h"

struct oc_sk {
	const struct oc_transform *encr;
	const struct oc_transform *integ; /* NULL with an AEAD */
	uint8_t ekey[36];                 /* SK_e: key | salt */
	uint8_t akey[64];                 /* SK_a */
	uint64_t counter;                 /* AEAD/CTR IVs: unique per key */
};

/* ekey/akey lengths must be encr->key_len / integ->key_len. */
int oc_sk_init(struct oc_sk *sk, const struct oc_transform *encr, const struct oc_transform *integ,
	       const uint8_t *ekey, size_t ekeylen, const uint8_t *akey, size_t akeylen);
void oc_sk_wipe(struct oc_sk *sk);

/* Octets the sealed form of plen octets of payloads takes. */
size_t oc_sk_sealed_len(const struct oc_sk *sk, size_t plen);
/* out must be exactly oc_sk_sealed_len(sk, plen) octets. */
int oc_sk_seal(struct oc_sk *sk, const uint8_t *aad, size_t aadlen,
	       const uint8_t *plain, size_t plen, uint8_t *out, size_t outlen);
/* Checks the ICV (in constant time) before decrypting; writes the payloads
 * without padding into plain (room for inlen octets) and their length into
 * *plen.  OC_EAUTH for a bad ICV, OC_EPARSE for bad lengths or padding. */
int oc_sk_open(const struct oc_sk *sk, const uint8_t *aad, size_t aadlen,
	       const uint8_t *in, size_t inlen, uint8_t *plain, size_t *plen);

#endif
