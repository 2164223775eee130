/* mbed_internal.h - the pieces of the mbedTLS provider (mbed_*.c). */
#ifndef OSPREY_CRYPTO_MBED_INTERNAL_H
#define OSPREY_CRYPTO_MBED_INTERNAL_H

#include "crypto/crypto.h"

#include <mbedtls/md.h>

mbedtls_md_type_t oc_mbed_md(enum oc_hash h);

/* mbed_sym.c */
int oc_mbed_hash(enum oc_hash h, const struct oc_iov *in, size_t nin, uint8_t *out);
int oc_mbed_mac(enum oc_mac m, const uint8_t *key, size_t keylen,
		const struct oc_iov *in, size_t nin, uint8_t *out);
int oc_mbed_crypt(enum oc_cipher c, bool encrypt, const uint8_t *key, size_t keylen,
		  const uint8_t *iv, size_t ivlen, const uint8_t *in, size_t len, uint8_t *out);
int oc_mbed_aead_seal(enum oc_cipher c, const uint8_t *key, size_t keylen,
		      const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		      const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen);
int oc_mbed_aead_open(enum oc_cipher c, const uint8_t *key, size_t keylen,
		      const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		      const uint8_t *in, size_t len, uint8_t *out, const uint8_t *tag, size_t taglen);

/* mbed_ke.c */
bool oc_mbed_has_group(unsigned group);
int oc_mbed_ke_keygen(unsigned group, const uint8_t *priv, size_t privlen,
		      void **state, uint8_t *pub, size_t publen);
int oc_mbed_ke_derive(void *state, const uint8_t *peer, size_t peerlen,
		      uint8_t *secret, size_t secretlen);
void oc_mbed_ke_free(void *state);

/* mbed_sig.c */
int oc_mbed_sign(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
		 const uint8_t *data, size_t len, uint8_t *sig, size_t *siglen);
int oc_mbed_verify(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
		   const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen);

#endif
