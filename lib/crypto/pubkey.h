/* pubkey.h - private and public keys (RSA, ECDSA) for IKE signatures.
 *
 * Keys are parsed by mbedTLS: PEM or DER; PKCS#1 RSA, SEC1 EC, PKCS#8 and
 * encrypted PEM / PKCS#8 with a passphrase for private keys;
 * SubjectPublicKeyInfo for public keys. */
#ifndef OSPREY_CRYPTO_PUBKEY_H
#define OSPREY_CRYPTO_PUBKEY_H

#include "crypto/crypto.h"

#include <mbedtls/pk.h>

enum oc_key_type { OC_KEY_NONE = 0, OC_KEY_RSA, OC_KEY_EC };

struct oc_key {
	enum oc_key_type type;
	unsigned bits;        /* modulus or field size */
	bool has_private;
	mbedtls_pk_context pk;
};

/* buf may be PEM (NUL terminator optional) or DER.  passphrase may be NULL.
 * Returns OC_EPARSE for an undecodable key, OC_EAUTH for a wrong passphrase. */
int oc_key_parse_private(const uint8_t *buf, size_t len, const char *passphrase,
			 struct oc_key **out);
int oc_key_parse_public(const uint8_t *buf, size_t len, struct oc_key **out);
int oc_key_load_private_file(const char *path, const char *passphrase, struct oc_key **out);
/* Copies the public half of an mbedTLS key (a certificate's). */
int oc_key_from_pk(const mbedtls_pk_context *pk, struct oc_key **out);
void oc_key_free(struct oc_key *k);

/* DER SubjectPublicKeyInfo into buf; *len is set. */
int oc_key_spki(const struct oc_key *k, uint8_t *buf, size_t cap, size_t *len);
/* SHA-1 of the SubjectPublicKeyInfo: the CERTREQ authority hash
 * (RFC 7296 §3.7) and a KEY_ID. */
int oc_key_spki_sha1(const struct oc_key *k, uint8_t out[20]);
/* Maximum signature size in octets for this key. */
size_t oc_key_sig_len(const struct oc_key *k, enum oc_sig_scheme s);

/* Dispatch to the provider serving signatures. */
int oc_sign(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
	    const uint8_t *data, size_t len, uint8_t *sig, size_t *siglen);
int oc_verify(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
	      const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen);

#endif
