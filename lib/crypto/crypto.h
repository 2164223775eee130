/*
 * crypto.h - the crypto provider interface.
 *
 * Every cryptographic operation osprey performs goes through a provider: a
 * table of operations for one backend.  The built-in provider calls mbedTLS
 * 2.28 (mbed_*.c).  A second backend (the planned OpenSSL libcrypto plugin for
 * concentrators) registers its own table with a higher priority, and from then
 * on every algorithm it claims is served by it; the rest still falls back to
 * mbedTLS.  Callers never see which backend runs.
 *
 * The operations are one-shot and take lists of buffers (struct oc_iov),
 * because IKE computes its PRFs, MACs and hashes over concatenations
 * (Ni | Nr | SPIi | SPIr, message | nonce | prf(SK_p, ID), ...).
 *
 * Algorithms are named by the small internal enums below; the IANA numbers
 * (ikev2_const.h, ikev1_const.h) are mapped onto them by the transform
 * registry (transforms.h).
 */
#ifndef OSPREY_CRYPTO_H
#define OSPREY_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Results: 0 on success, one of these (negative) otherwise. */
enum oc_err {
	OC_OK = 0,
	OC_EINVAL = -1,      /* bad argument: wrong length, unknown id */
	OC_EUNAVAIL = -2,    /* algorithm known but no provider implements it */
	OC_EBACKEND = -3,    /* the backend failed (out of memory, internal error) */
	OC_EPEERVAL = -4,    /* the peer's public value is invalid (RFC 6989) */
	OC_EAUTH = -5,       /* ICV, MAC or signature did not verify */
	OC_ENOSPC = -6,      /* output buffer too small */
	OC_EPARSE = -7,      /* malformed input (padding, encoding, ASN.1) */
	OC_ERNG = -8,        /* the random generator failed */
};

const char *oc_strerror(int err);

/* One input buffer of a concatenation. */
struct oc_iov {
	const void *p;
	size_t n;
};

/* Hash functions (plain digests: IKEv1 IVs, RFC 7427 signatures, CERTREQ). */
enum oc_hash {
	OC_HASH_NONE = 0,
	OC_HASH_MD5,
	OC_HASH_SHA1,
	OC_HASH_SHA256,
	OC_HASH_SHA384,
	OC_HASH_SHA512,
	OC_HASH_COUNT
};
size_t oc_hash_len(enum oc_hash h);

/* Keyed MACs; a PRF and an integrity algorithm are both a MAC, the latter
 * truncated (RFC 2404, RFC 4868). */
enum oc_mac {
	OC_MAC_NONE = 0,
	OC_MAC_HMAC_MD5,
	OC_MAC_HMAC_SHA1,
	OC_MAC_HMAC_SHA256,
	OC_MAC_HMAC_SHA384,
	OC_MAC_HMAC_SHA512,
	OC_MAC_AES_XCBC,   /* RFC 3566 with RFC 4434's variable key length */
	OC_MAC_AES_CMAC,   /* RFC 4493 with RFC 4615's variable key length */
	OC_MAC_COUNT
};
size_t oc_mac_len(enum oc_mac m);

/* Ciphers.  CBC and CTR take a separate IV; the AEADs a full nonce. */
enum oc_cipher {
	OC_CIPHER_NONE = 0,
	OC_CIPHER_AES_CBC,
	OC_CIPHER_AES_CTR,       /* RFC 3686 counter block: nonce | IV | counter */
	OC_CIPHER_3DES_CBC,
	OC_CIPHER_AES_GCM,
	OC_CIPHER_AES_CCM,
	OC_CIPHER_CHACHA20_POLY1305,
	OC_CIPHER_COUNT
};

/* Signature schemes.  The hash is given separately. */
enum oc_sig_scheme {
	OC_SIG_NONE = 0,
	OC_SIG_RSA_PKCS1,  /* RSASSA-PKCS1-v1_5; with OC_HASH_NONE the data is a
			      digest signed without DigestInfo (IKEv1) */
	OC_SIG_RSA_PSS,    /* RSASSA-PSS, MGF1 with the same hash, salt = hash length */
	OC_SIG_ECDSA,      /* DER-encoded Ecdsa-Sig-Value (RFC 7427) */
	OC_SIG_ECDSA_RAW,  /* r | s, fixed length (RFC 4754) */
	OC_SIG_COUNT
};

struct oc_key; /* pubkey.h */

/*
 * A provider's operation table.  Any pointer may be NULL; has() says which
 * algorithms of a kind the provider serves.  Secrets handed to a provider are
 * owned by the caller; anything the provider copies it must wipe.
 */
enum oc_kind { OC_KIND_HASH, OC_KIND_MAC, OC_KIND_CIPHER, OC_KIND_KE, OC_KIND_SIG };

struct oc_provider {
	const char *name;
	bool (*has)(enum oc_kind kind, unsigned alg);

	int (*hash)(enum oc_hash h, const struct oc_iov *in, size_t nin, uint8_t *out);
	/* out receives the full MAC (oc_mac_len). */
	int (*mac)(enum oc_mac m, const uint8_t *key, size_t keylen,
		   const struct oc_iov *in, size_t nin, uint8_t *out);
	/* CBC (len a multiple of the block size, no padding) and CTR. */
	int (*crypt)(enum oc_cipher c, bool encrypt, const uint8_t *key, size_t keylen,
		     const uint8_t *iv, size_t ivlen, const uint8_t *in, size_t len, uint8_t *out);
	/* AEAD: open verifies the tag in constant time before returning plaintext. */
	int (*aead_seal)(enum oc_cipher c, const uint8_t *key, size_t keylen,
			 const uint8_t *nonce, size_t noncelen,
			 const struct oc_iov *aad, size_t naad,
			 const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen);
	int (*aead_open)(enum oc_cipher c, const uint8_t *key, size_t keylen,
			 const uint8_t *nonce, size_t noncelen,
			 const struct oc_iov *aad, size_t naad,
			 const uint8_t *in, size_t len, uint8_t *out, const uint8_t *tag, size_t taglen);

	/* Key exchange, by IKEv2 group number (IKEV2_GROUP_*).  keygen makes a
	 * fresh private value (or takes priv, for known-answer tests), writes the
	 * public value in the IKE encoding and keeps the private part in *state.
	 * derive validates the peer's value and writes the shared secret, both in
	 * the IKE encoding (RFC 7296 §3.4, RFC 5903 §7, RFC 8031 §2). */
	int (*ke_keygen)(unsigned group, const uint8_t *priv, size_t privlen,
			 void **state, uint8_t *pub, size_t publen);
	int (*ke_derive)(void *state, const uint8_t *peer, size_t peerlen,
			 uint8_t *secret, size_t secretlen);
	void (*ke_free)(void *state);

	/* Signatures with keys loaded by pubkey.c. data is the message (the
	 * provider hashes it) and for OC_SIG_ECDSA_RAW *siglen must be set. */
	int (*sign)(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
		    const uint8_t *data, size_t len, uint8_t *sig, size_t *siglen);
	int (*verify)(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
		      const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen);
};

/* Registers a provider.  Later registrations with a higher priority win;
 * the mbedTLS provider is registered at priority 0 on first use. */
int oc_provider_register(const struct oc_provider *p, int priority);
/* The provider serving an algorithm, or NULL. */
const struct oc_provider *oc_provider_for(enum oc_kind kind, unsigned alg);
/* The built-in mbedTLS provider. */
const struct oc_provider *oc_mbedtls_provider(void);

/* Convenience wrappers that dispatch through oc_provider_for(). */
int oc_hash(enum oc_hash h, const struct oc_iov *in, size_t nin, uint8_t *out);
int oc_mac(enum oc_mac m, const uint8_t *key, size_t keylen,
	   const struct oc_iov *in, size_t nin, uint8_t *out);
int oc_crypt(enum oc_cipher c, bool encrypt, const uint8_t *key, size_t keylen,
	     const uint8_t *iv, size_t ivlen, const uint8_t *in, size_t len, uint8_t *out);
int oc_aead_seal(enum oc_cipher c, const uint8_t *key, size_t keylen,
		 const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		 const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen);
int oc_aead_open(enum oc_cipher c, const uint8_t *key, size_t keylen,
		 const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		 const uint8_t *in, size_t len, uint8_t *out, const uint8_t *tag, size_t taglen);

/* Wipes memory the compiler may not elide (mbedtls_platform_zeroize). */
void oc_wipe(void *p, size_t n);
/* Constant-time comparison: 0 when equal. */
int oc_memcmp_ct(const void *a, const void *b, size_t n);

/* Randomness: CTR_DRBG seeded from getrandom(2) (rng.c). */
int oc_random(void *buf, size_t n);
/* The same generator as an mbedTLS f_rng callback (p_rng ignored). */
int oc_rng_mbedtls(void *p_rng, unsigned char *buf, size_t n);

#endif /* OSPREY_CRYPTO_H */
