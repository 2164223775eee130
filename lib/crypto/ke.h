/* ke.h - one side of a key exchange (Diffie-Hellman, ECDH, X25519/X448). */
#ifndef OSPREY_CRYPTO_KE_H
#define OSPREY_CRYPTO_KE_H

#include "crypto/crypto.h"

struct oc_ke {
	unsigned group;                  /* IKEV2_GROUP_* (= IKEv1 group for 1-30) */
	const struct oc_provider *prov;  /* the backend holding the private value */
	void *state;
	size_t pub_len, secret_len;
	uint8_t pub[1024];               /* our public value, IKE encoding */
};

/* A fresh key pair.  OC_EUNAVAIL names a group no provider serves; the
 * registry's 'unavailable' text says why (transforms.h). */
int oc_ke_new(unsigned group, struct oc_ke **out);
/* Known-answer tests only: the private value is given (big-endian for MODP
 * and ECP, RFC 7748 little-endian for Curve25519/448). */
int oc_ke_new_fixed(unsigned group, const uint8_t *priv, size_t privlen, struct oc_ke **out);
/* Validates the peer's public value and computes the shared secret;
 * secret must hold ke->secret_len octets.  OC_EPEERVAL for a bad value. */
int oc_ke_shared(struct oc_ke *ke, const uint8_t *peer, size_t peerlen, uint8_t *secret);
/* Wipes the private value. */
void oc_ke_free(struct oc_ke *ke);

#endif
