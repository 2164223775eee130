/* provider.c - provider registration and dispatch (crypto.h). */
#include "crypto/crypto.h"

#include <mbedtls/platform_util.h>

/* A handful of backends at most: mbedTLS plus one accelerator. */
enum { MAX_PROVIDERS = 4 };

static struct {
	const struct oc_provider *p;
	int priority;
} providers[MAX_PROVIDERS];
static size_t n_providers;

static void ensure_default(void)
{
	if (n_providers == 0) {
		providers[0].p = oc_mbedtls_provider();
		providers[0].priority = 0;
		n_providers = 1;
	}
}

int oc_provider_register(const struct oc_provider *p, int priority)
{
	ensure_default();
	if (!p || !p->has)
		return OC_EINVAL;
	if (n_providers == MAX_PROVIDERS)
		return OC_ENOSPC;
	/* Keep the table sorted by descending priority so lookup takes the first hit. */
	size_t i = n_providers;
	while (i > 0 && providers[i - 1].priority < priority) {
		providers[i] = providers[i - 1];
		i--;
	}
	providers[i].p = p;
	providers[i].priority = priority;
	n_providers++;
	return OC_OK;
}

const struct oc_provider *oc_provider_for(enum oc_kind kind, unsigned alg)
{
	ensure_default();
	for (size_t i = 0; i < n_providers; i++)
		if (providers[i].p->has(kind, alg))
			return providers[i].p;
	return NULL;
}

const char *oc_strerror(int err)
{
	switch (err) {
	case OC_OK: return "success";
	case OC_EINVAL: return "invalid argument";
	case OC_EUNAVAIL: return "algorithm not available in any crypto provider";
	case OC_EBACKEND: return "crypto backend failure";
	case OC_EPEERVAL: return "invalid peer public value";
	case OC_EAUTH: return "integrity check or signature verification failed";
	case OC_ENOSPC: return "output buffer too small";
	case OC_EPARSE: return "malformed input";
	case OC_ERNG: return "random generator failure";
	}
	return "unknown crypto error";
}

size_t oc_hash_len(enum oc_hash h)
{
	switch (h) {
	case OC_HASH_MD5: return 16;
	case OC_HASH_SHA1: return 20;
	case OC_HASH_SHA256: return 32;
	case OC_HASH_SHA384: return 48;
	case OC_HASH_SHA512: return 64;
	default: return 0;
	}
}

size_t oc_mac_len(enum oc_mac m)
{
	switch (m) {
	case OC_MAC_HMAC_MD5: return 16;
	case OC_MAC_HMAC_SHA1: return 20;
	case OC_MAC_HMAC_SHA256: return 32;
	case OC_MAC_HMAC_SHA384: return 48;
	case OC_MAC_HMAC_SHA512: return 64;
	case OC_MAC_AES_XCBC: return 16;
	case OC_MAC_AES_CMAC: return 16;
	default: return 0;
	}
}

int oc_hash(enum oc_hash h, const struct oc_iov *in, size_t nin, uint8_t *out)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_HASH, h);
	return p && p->hash ? p->hash(h, in, nin, out) : OC_EUNAVAIL;
}

int oc_mac(enum oc_mac m, const uint8_t *key, size_t keylen,
	   const struct oc_iov *in, size_t nin, uint8_t *out)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_MAC, m);
	return p && p->mac ? p->mac(m, key, keylen, in, nin, out) : OC_EUNAVAIL;
}

int oc_crypt(enum oc_cipher c, bool encrypt, const uint8_t *key, size_t keylen,
	     const uint8_t *iv, size_t ivlen, const uint8_t *in, size_t len, uint8_t *out)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_CIPHER, c);
	return p && p->crypt ? p->crypt(c, encrypt, key, keylen, iv, ivlen, in, len, out)
			     : OC_EUNAVAIL;
}

int oc_aead_seal(enum oc_cipher c, const uint8_t *key, size_t keylen,
		 const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		 const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_CIPHER, c);
	return p && p->aead_seal ? p->aead_seal(c, key, keylen, nonce, noncelen, aad, naad,
						 in, len, out, tag, taglen)
				 : OC_EUNAVAIL;
}

int oc_aead_open(enum oc_cipher c, const uint8_t *key, size_t keylen,
		 const uint8_t *nonce, size_t noncelen, const struct oc_iov *aad, size_t naad,
		 const uint8_t *in, size_t len, uint8_t *out, const uint8_t *tag, size_t taglen)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_CIPHER, c);
	return p && p->aead_open ? p->aead_open(c, key, keylen, nonce, noncelen, aad, naad,
						 in, len, out, tag, taglen)
				 : OC_EUNAVAIL;
}

void oc_wipe(void *p, size_t n)
{
	if (p && n)
		mbedtls_platform_zeroize(p, n);
}

int oc_memcmp_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d != 0;
}
