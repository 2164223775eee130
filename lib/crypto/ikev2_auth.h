/* ikev2_auth.h - the IKEv2 AUTH payload (RFC 7296 §2.15, RFC 4754,
 * RFC 7427). */
#ifndef OSPREY_CRYPTO_IKEV2_AUTH_H
#define OSPREY_CRYPTO_IKEV2_AUTH_H

#include "crypto/pubkey.h"
#include "crypto/transforms.h"

/* InitiatorSignedOctets / ResponderSignedOctets (§2.15):
 *   RealMessage | Nonce of the peer | prf(SK_p, RestOfIDPayload)
 * id_body is the ID payload after its generic header (ID type, reserved,
 * data).  *out is malloc'd; free it with free(). */
int oc_ikev2_signed_octets(const struct oc_transform *prf, const uint8_t *msg, size_t msglen,
			   const uint8_t *nonce, size_t noncelen, const uint8_t *sk_p, size_t sk_plen,
			   const uint8_t *id_body, size_t idlen, uint8_t **out, size_t *outlen);

/* Shared Key MIC (method 2): prf(prf(secret, "Key Pad for IKEv2"), octets).
 * auth receives prf->out_len octets. */
int oc_ikev2_auth_psk(const struct oc_transform *prf, const uint8_t *psk, size_t psklen,
		      const uint8_t *octets, size_t len, uint8_t *auth);
/* Constant-time check of a received shared key AUTH; OC_EAUTH on mismatch. */
int oc_ikev2_auth_psk_verify(const struct oc_transform *prf, const uint8_t *psk, size_t psklen,
			     const uint8_t *octets, size_t len, const uint8_t *auth, size_t authlen);

/* Signature AUTH data for method IKEV2_AUTH_RSA_SIG (1: PKCS#1 v1.5, SHA-1),
 * IKEV2_AUTH_ECDSA_SHA256_P256 / 384_P384 / 512_P521 (9-11: RFC 4754 r|s)
 * or IKEV2_AUTH_DIGITAL_SIGNATURE (14: RFC 7427, length | AlgorithmIdentifier
 * | signature; hash from oc_sig_hash_choose, RSA keys use PSS when rsa_pss).
 * *authlen is the capacity in, the length out. */
int oc_ikev2_auth_sign(const struct oc_key *key, unsigned method, enum oc_hash hash, bool rsa_pss,
		       const uint8_t *octets, size_t len, uint8_t *auth, size_t *authlen);
/* Verifies received AUTH data with the peer's public key.  On failure *why
 * (when not NULL) says what was wrong. */
int oc_ikev2_auth_verify(const struct oc_key *key, unsigned method, const uint8_t *octets,
			 size_t len, const uint8_t *auth, size_t authlen, const char **why);

/* SIGNATURE_HASH_ALGORITHMS notify data (RFC 7427 §4): the 16-bit hash
 * identifiers we verify with: SHA2-256, SHA2-384, SHA2-512. */
size_t oc_sig_hash_notify(uint8_t *buf, size_t cap);
/* Picks the hash to sign with from the peer's notify data: the one that
 * matches the key's strength if the peer has it, else the strongest common
 * one.  OC_EUNAVAIL when there is none in common. */
int oc_sig_hash_choose(const struct oc_key *key, const uint8_t *data, size_t len, enum oc_hash *out);

/* RFC 7427 AlgorithmIdentifier DER for a scheme and hash (exposed for tests). */
int oc_sig_algid(enum oc_sig_scheme s, enum oc_hash h, uint8_t *buf, size_t cap, size_t *len);

#endif
