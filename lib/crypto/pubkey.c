/* pubkey.c - key loading and signature dispatch (pubkey.h). */
#include "crypto/pubkey.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/rsa.h>

static void fill_info(struct oc_key *k)
{
	switch (mbedtls_pk_get_type(&k->pk)) {
	case MBEDTLS_PK_RSA:
		k->type = OC_KEY_RSA;
		break;
	case MBEDTLS_PK_ECKEY:
	case MBEDTLS_PK_ECDSA:
		k->type = OC_KEY_EC;
		break;
	default:
		k->type = OC_KEY_NONE;
	}
	k->bits = (unsigned)mbedtls_pk_get_bitlen(&k->pk);
}

/* A wrong passphrase is OC_EAUTH.  mbedTLS 2.28 decrypts PKCS#8 only with
 * PBES2 using PBKDF2-HMAC-SHA1 and DES/3DES (or PKCS#12 PBE); OpenSSL 3's
 * default (AES-256-CBC, HMAC-SHA256) gives OC_EUNAVAIL: convert such a key
 * with "openssl pkcs8 -topk8 -v2 des3 -v2prf hmacWithSHA1", or use a
 * traditional encrypted PEM key, which may use AES. */
static int map_parse_error(int r)
{
	if (r == 0)
		return 0;
	if (r == MBEDTLS_ERR_PK_PASSWORD_MISMATCH || r == MBEDTLS_ERR_PK_PASSWORD_REQUIRED)
		return OC_EAUTH;
	if (r == MBEDTLS_ERR_PKCS5_FEATURE_UNAVAILABLE || r == MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE)
		return OC_EUNAVAIL;
	return OC_EPARSE;
}

static struct oc_key *key_new(void)
{
	struct oc_key *k = calloc(1, sizeof(*k));
	if (k)
		mbedtls_pk_init(&k->pk);
	return k;
}

void oc_key_free(struct oc_key *k)
{
	if (!k)
		return;
	mbedtls_pk_free(&k->pk); /* zeroizes the private parts */
	free(k);
}

/* mbedTLS wants PEM NUL-terminated and its length to include the NUL. */
static uint8_t *pem_terminated(const uint8_t *buf, size_t len, size_t *outlen)
{
	uint8_t *c = malloc(len + 1);
	if (!c)
		return NULL;
	memcpy(c, buf, len);
	c[len] = 0;
	*outlen = strstr((char *)c, "-----BEGIN") ? strlen((char *)c) + 1 : len;
	return c;
}

int oc_key_parse_private(const uint8_t *buf, size_t len, const char *passphrase,
			 struct oc_key **out)
{
	struct oc_key *k = key_new();
	size_t clen = 0;
	uint8_t *c = pem_terminated(buf, len, &clen);
	int r, rc = 0;

	if (!k || !c) {
		free(c);
		oc_key_free(k);
		return OC_EBACKEND;
	}
	r = mbedtls_pk_parse_key(&k->pk, c, clen, (const unsigned char *)passphrase,
				 passphrase ? strlen(passphrase) : 0);
	oc_wipe(c, len);
	free(c);
	rc = map_parse_error(r);
	if (rc) {
		oc_key_free(k);
		return rc;
	}
	fill_info(k);
	k->has_private = true;
	*out = k;
	return 0;
}

int oc_key_parse_public(const uint8_t *buf, size_t len, struct oc_key **out)
{
	struct oc_key *k = key_new();
	size_t clen = 0;
	uint8_t *c = pem_terminated(buf, len, &clen);
	int r;

	if (!k || !c) {
		free(c);
		oc_key_free(k);
		return OC_EBACKEND;
	}
	r = mbedtls_pk_parse_public_key(&k->pk, c, clen);
	free(c);
	if (r != 0) {
		oc_key_free(k);
		return OC_EPARSE;
	}
	fill_info(k);
	*out = k;
	return 0;
}

int oc_key_load_private_file(const char *path, const char *passphrase, struct oc_key **out)
{
	struct oc_key *k = key_new();
	int r;

	if (!k)
		return OC_EBACKEND;
	r = mbedtls_pk_parse_keyfile(&k->pk, path, passphrase);
	if (r != 0) {
		oc_key_free(k);
		return map_parse_error(r);
	}
	fill_info(k);
	k->has_private = true;
	*out = k;
	return 0;
}

int oc_key_from_pk(const mbedtls_pk_context *pk, struct oc_key **out)
{
	uint8_t der[2048];
	/* mbedtls_pk_write_pubkey_der takes a non-const context but only reads it. */
	int n = mbedtls_pk_write_pubkey_der((mbedtls_pk_context *)pk, der, sizeof(der));
	if (n <= 0)
		return OC_EPARSE;
	/* The DER is written at the end of the buffer. */
	return oc_key_parse_public(der + sizeof(der) - n, (size_t)n, out);
}

int oc_key_spki(const struct oc_key *k, uint8_t *buf, size_t cap, size_t *len)
{
	int n = mbedtls_pk_write_pubkey_der((mbedtls_pk_context *)&k->pk, buf, cap);
	if (n == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL)
		return OC_ENOSPC;
	if (n <= 0)
		return OC_EBACKEND;
	memmove(buf, buf + cap - n, (size_t)n);
	*len = (size_t)n;
	return 0;
}

int oc_key_spki_sha1(const struct oc_key *k, uint8_t out[20])
{
	uint8_t der[2048];
	size_t n = 0;
	int rc = oc_key_spki(k, der, sizeof(der), &n);
	if (rc)
		return rc;
	struct oc_iov v = { der, n };
	return oc_hash(OC_HASH_SHA1, &v, 1, out);
}

size_t oc_key_sig_len(const struct oc_key *k, enum oc_sig_scheme s)
{
	size_t flen = (k->bits + 7) / 8;
	if (k->type == OC_KEY_RSA)
		return flen;
	if (s == OC_SIG_ECDSA_RAW)
		return 2 * flen;
	return 2 * flen + 9; /* DER: SEQUENCE of two INTEGERs with sign octets */
}

int oc_sign(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
	    const uint8_t *data, size_t len, uint8_t *sig, size_t *siglen)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_SIG, s);
	if (!key || !key->has_private)
		return OC_EINVAL;
	return p && p->sign ? p->sign(key, s, h, data, len, sig, siglen) : OC_EUNAVAIL;
}

int oc_verify(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
	      const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen)
{
	const struct oc_provider *p = oc_provider_for(OC_KIND_SIG, s);
	if (!key)
		return OC_EINVAL;
	return p && p->verify ? p->verify(key, s, h, data, len, sig, siglen) : OC_EUNAVAIL;
}
