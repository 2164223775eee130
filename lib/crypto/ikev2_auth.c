/* ikev2_auth.c - IKEv2 AUTH payload computation (ikev2_auth.h). */
#include "crypto/ikev2_auth.h"
#include "crypto/ikev2_kdf.h"
#include "ikev2_const.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509.h>

int oc_ikev2_signed_octets(const struct oc_transform *prf, const uint8_t *msg, size_t msglen,
			   const uint8_t *nonce, size_t noncelen, const uint8_t *sk_p, size_t sk_plen,
			   const uint8_t *id_body, size_t idlen, uint8_t **out, size_t *outlen)
{
	struct oc_iov v = { id_body, idlen };
	size_t n = msglen + noncelen + prf->out_len;
	uint8_t *o = malloc(n);
	int rc;

	if (!o)
		return OC_EBACKEND;
	memcpy(o, msg, msglen);
	memcpy(o + msglen, nonce, noncelen);
	rc = oc_prf(prf, sk_p, sk_plen, &v, 1, o + msglen + noncelen);
	if (rc) {
		free(o);
		return rc;
	}
	*out = o;
	*outlen = n;
	return 0;
}

int oc_ikev2_auth_psk(const struct oc_transform *prf, const uint8_t *psk, size_t psklen,
		      const uint8_t *octets, size_t len, uint8_t *auth)
{
	static const char pad[] = "Key Pad for IKEv2"; /* §2.15, 17 octets, no NUL */
	struct oc_iov p = { pad, sizeof(pad) - 1 }, o = { octets, len };
	uint8_t k[OC_MAX_PRF];
	int rc = oc_prf(prf, psk, psklen, &p, 1, k);
	if (rc == 0)
		rc = oc_prf(prf, k, prf->out_len, &o, 1, auth);
	oc_wipe(k, sizeof(k));
	return rc;
}

int oc_ikev2_auth_psk_verify(const struct oc_transform *prf, const uint8_t *psk, size_t psklen,
			     const uint8_t *octets, size_t len, const uint8_t *auth, size_t authlen)
{
	uint8_t want[OC_MAX_PRF];
	int rc = oc_ikev2_auth_psk(prf, psk, psklen, octets, len, want);
	if (rc == 0 && (authlen != prf->out_len || oc_memcmp_ct(want, auth, authlen) != 0))
		rc = OC_EAUTH;
	oc_wipe(want, sizeof(want));
	return rc;
}

static enum oc_hash hash_from_md(mbedtls_md_type_t md)
{
	switch (md) {
	case MBEDTLS_MD_SHA1: return OC_HASH_SHA1;
	case MBEDTLS_MD_SHA256: return OC_HASH_SHA256;
	case MBEDTLS_MD_SHA384: return OC_HASH_SHA384;
	case MBEDTLS_MD_SHA512: return OC_HASH_SHA512;
	default: return OC_HASH_NONE;
	}
}

static mbedtls_md_type_t md_from_hash(enum oc_hash h)
{
	switch (h) {
	case OC_HASH_SHA1: return MBEDTLS_MD_SHA1;
	case OC_HASH_SHA256: return MBEDTLS_MD_SHA256;
	case OC_HASH_SHA384: return MBEDTLS_MD_SHA384;
	case OC_HASH_SHA512: return MBEDTLS_MD_SHA512;
	default: return MBEDTLS_MD_NONE;
	}
}

/* The AlgorithmIdentifiers of RFC 7427 Appendix A: sha*WithRSAEncryption and
 * the hash AlgorithmIdentifiers inside RSASSA-PSS-params carry NULL
 * parameters, ecdsa-with-SHA* carries none (RFC 5758 §3.2).  PSS uses MGF1
 * with the same hash and a salt as long as the hash (RFC 8247 §3.2). */
int oc_sig_algid(enum oc_sig_scheme s, enum oc_hash h, uint8_t *buf, size_t cap, size_t *len)
{
	unsigned char *p = buf + cap;
	const char *oid = NULL, *hoid = NULL;
	size_t oidlen = 0, hoidlen = 0;
	mbedtls_md_type_t md = md_from_hash(h);
	int n = 0, r;

	/* mbedtls_asn1_write_algorithm_identifier counts the parameters
	 * written before it; W_ALG adds only its own octets. */
#define W(call)                                 \
	do {                                    \
		if ((r = (call)) < 0)           \
			return OC_ENOSPC;       \
		n += r;                         \
	} while (0)
#define W_ALG(oid_, len_, par_)                                                          \
	do {                                                                             \
		if ((r = mbedtls_asn1_write_algorithm_identifier(&p, buf, oid_, len_, par_)) < 0) \
			return OC_ENOSPC;                                                \
		n += r - (int)(par_);                                                    \
	} while (0)

	if (md == MBEDTLS_MD_NONE)
		return OC_EINVAL;
	switch (s) {
	case OC_SIG_RSA_PKCS1:
		if (mbedtls_oid_get_oid_by_sig_alg(MBEDTLS_PK_RSA, md, &oid, &oidlen) != 0)
			return OC_EINVAL;
		W(mbedtls_asn1_write_algorithm_identifier(&p, buf, oid, oidlen, 0));
		break;
	case OC_SIG_ECDSA:
		if (mbedtls_oid_get_oid_by_sig_alg(MBEDTLS_PK_ECDSA, md, &oid, &oidlen) != 0)
			return OC_EINVAL;
		W(mbedtls_asn1_write_oid(&p, buf, oid, oidlen));
		W(mbedtls_asn1_write_len(&p, buf, (size_t)n));
		W(mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
		break;
	case OC_SIG_RSA_PSS: {
		int part;
		if (mbedtls_oid_get_oid_by_md(md, &hoid, &hoidlen) != 0)
			return OC_EINVAL;
		/* [2] saltLength */
		part = n;
		W(mbedtls_asn1_write_int(&p, buf, (int)oc_hash_len(h)));
		W(mbedtls_asn1_write_len(&p, buf, (size_t)(n - part)));
		W(mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 2));
		/* [1] maskGenAlgorithm: mgf1 with the hash */
		part = n;
		int inner = n;
		W(mbedtls_asn1_write_algorithm_identifier(&p, buf, hoid, hoidlen, 0));
		W_ALG(MBEDTLS_OID_MGF1, MBEDTLS_OID_SIZE(MBEDTLS_OID_MGF1), (size_t)(n - inner));
		W(mbedtls_asn1_write_len(&p, buf, (size_t)(n - part)));
		W(mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 1));
		/* [0] hashAlgorithm */
		part = n;
		W(mbedtls_asn1_write_algorithm_identifier(&p, buf, hoid, hoidlen, 0));
		W(mbedtls_asn1_write_len(&p, buf, (size_t)(n - part)));
		W(mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0));
		/* RSASSA-PSS-params SEQUENCE, then the outer AlgorithmIdentifier */
		W(mbedtls_asn1_write_len(&p, buf, (size_t)n));
		W(mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
		W_ALG(MBEDTLS_OID_RSASSA_PSS, MBEDTLS_OID_SIZE(MBEDTLS_OID_RSASSA_PSS), (size_t)n);
		break;
	}
	default:
		return OC_EINVAL;
	}
#undef W
#undef W_ALG
	memmove(buf, p, (size_t)n);
	*len = (size_t)n;
	return 0;
}

static int ecdsa_method(unsigned method, unsigned *bits, enum oc_hash *h)
{
	switch (method) {
	case IKEV2_AUTH_ECDSA_SHA256_P256: *bits = 256; *h = OC_HASH_SHA256; return 0;
	case IKEV2_AUTH_ECDSA_SHA384_P384: *bits = 384; *h = OC_HASH_SHA384; return 0;
	case IKEV2_AUTH_ECDSA_SHA512_P521: *bits = 521; *h = OC_HASH_SHA512; return 0;
	}
	return OC_EINVAL;
}

int oc_ikev2_auth_sign(const struct oc_key *key, unsigned method, enum oc_hash hash, bool rsa_pss,
		       const uint8_t *octets, size_t len, uint8_t *auth, size_t *authlen)
{
	unsigned bits;
	enum oc_hash h;

	switch (method) {
	case IKEV2_AUTH_RSA_SIG:
		if (key->type != OC_KEY_RSA)
			return OC_EINVAL;
		return oc_sign(key, OC_SIG_RSA_PKCS1, OC_HASH_SHA1, octets, len, auth, authlen);
	case IKEV2_AUTH_ECDSA_SHA256_P256:
	case IKEV2_AUTH_ECDSA_SHA384_P384:
	case IKEV2_AUTH_ECDSA_SHA512_P521:
		ecdsa_method(method, &bits, &h);
		if (key->type != OC_KEY_EC || key->bits != bits)
			return OC_EINVAL; /* RFC 4754 §3: the method fixes the curve */
		return oc_sign(key, OC_SIG_ECDSA_RAW, h, octets, len, auth, authlen);
	case IKEV2_AUTH_DIGITAL_SIGNATURE: {
		enum oc_sig_scheme s = key->type == OC_KEY_EC ? OC_SIG_ECDSA
				       : rsa_pss ? OC_SIG_RSA_PSS : OC_SIG_RSA_PKCS1;
		size_t alen = 0, cap = *authlen, slen;
		int rc;
		if (cap < 2)
			return OC_ENOSPC;
		rc = oc_sig_algid(s, hash, auth + 1, cap - 1, &alen);
		if (rc)
			return rc;
		if (alen > 255)
			return OC_EINVAL;
		auth[0] = (uint8_t)alen; /* RFC 7427 §3: one-octet ASN.1 length */
		slen = cap - 1 - alen;
		rc = oc_sign(key, s, hash, octets, len, auth + 1 + alen, &slen);
		if (rc)
			return rc;
		*authlen = 1 + alen + slen;
		return 0;
	}
	}
	return OC_EUNAVAIL;
}

static int say(const char **why, const char *text, int rc)
{
	if (why)
		*why = text;
	return rc;
}

int oc_ikev2_auth_verify(const struct oc_key *key, unsigned method, const uint8_t *octets,
			 size_t len, const uint8_t *auth, size_t authlen, const char **why)
{
	unsigned bits;
	enum oc_hash h;
	int rc;

	switch (method) {
	case IKEV2_AUTH_RSA_SIG:
		if (key->type != OC_KEY_RSA)
			return say(why, "AUTH method RSA signature but the peer's key is not RSA", OC_EAUTH);
		rc = oc_verify(key, OC_SIG_RSA_PKCS1, OC_HASH_SHA1, octets, len, auth, authlen);
		return say(why, rc ? "RSA signature does not verify" : NULL, rc);
	case IKEV2_AUTH_ECDSA_SHA256_P256:
	case IKEV2_AUTH_ECDSA_SHA384_P384:
	case IKEV2_AUTH_ECDSA_SHA512_P521:
		ecdsa_method(method, &bits, &h);
		if (key->type != OC_KEY_EC || key->bits != bits)
			return say(why, "ECDSA AUTH method does not match the peer's key curve", OC_EAUTH);
		rc = oc_verify(key, OC_SIG_ECDSA_RAW, h, octets, len, auth, authlen);
		return say(why, rc ? "ECDSA signature does not verify" : NULL, rc);
	case IKEV2_AUTH_DIGITAL_SIGNATURE: {
		mbedtls_asn1_buf oid, params;
		mbedtls_md_type_t md, mgf_md;
		mbedtls_pk_type_t pk;
		int salt;
		enum oc_sig_scheme s;
		unsigned char *p, *end;
		if (authlen < 1 || (size_t)auth[0] + 1 > authlen)
			return say(why, "AUTH data shorter than its AlgorithmIdentifier", OC_EPARSE);
		p = (unsigned char *)auth + 1;
		end = p + auth[0];
		if (mbedtls_asn1_get_alg(&p, end, &oid, &params) != 0 || p != end)
			return say(why, "malformed AlgorithmIdentifier in AUTH", OC_EPARSE);
		if (mbedtls_oid_get_sig_alg(&oid, &md, &pk) != 0)
			return say(why, "unsupported signature algorithm in AUTH", OC_EUNAVAIL);
		if (pk == MBEDTLS_PK_RSASSA_PSS) {
			if (mbedtls_x509_get_rsassa_pss_params(&params, &md, &mgf_md, &salt) != 0)
				return say(why, "malformed RSASSA-PSS parameters in AUTH", OC_EPARSE);
			if (mgf_md != md || salt != (int)mbedtls_md_get_size(mbedtls_md_info_from_type(md)))
				return say(why, "unsupported RSASSA-PSS parameters (MGF1 hash or salt length)",
					   OC_EUNAVAIL);
			s = OC_SIG_RSA_PSS;
		} else if (pk == MBEDTLS_PK_RSA) {
			s = OC_SIG_RSA_PKCS1;
		} else if (pk == MBEDTLS_PK_ECDSA) {
			s = OC_SIG_ECDSA;
		} else {
			return say(why, "unsupported signature algorithm in AUTH", OC_EUNAVAIL);
		}
		h = hash_from_md(md);
		if (h == OC_HASH_NONE)
			return say(why, "unsupported hash in AUTH AlgorithmIdentifier", OC_EUNAVAIL);
		if ((s == OC_SIG_ECDSA) != (key->type == OC_KEY_EC))
			return say(why, "AUTH signature algorithm does not match the peer's key type", OC_EAUTH);
		rc = oc_verify(key, s, h, octets, len, p, authlen - 1 - auth[0]);
		return say(why, rc ? "digital signature does not verify" : NULL, rc);
	}
	}
	return say(why, "unsupported AUTH method", OC_EUNAVAIL);
}

static const struct {
	uint16_t id;
	enum oc_hash h;
} sig_hashes[] = {
	{ IKEV2_HASH_SHA2_256, OC_HASH_SHA256 },
	{ IKEV2_HASH_SHA2_384, OC_HASH_SHA384 },
	{ IKEV2_HASH_SHA2_512, OC_HASH_SHA512 },
};

size_t oc_sig_hash_notify(uint8_t *buf, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < 3 && n + 2 <= cap; i++) {
		buf[n++] = (uint8_t)(sig_hashes[i].id >> 8);
		buf[n++] = (uint8_t)sig_hashes[i].id;
	}
	return n;
}

int oc_sig_hash_choose(const struct oc_key *key, const uint8_t *data, size_t len, enum oc_hash *out)
{
	enum oc_hash want = OC_HASH_SHA256;
	bool has[3] = { false, false, false };

	if (key->type == OC_KEY_EC)
		want = key->bits > 384 ? OC_HASH_SHA512 : key->bits > 256 ? OC_HASH_SHA384 : OC_HASH_SHA256;
	else if (key->bits > 3072)
		want = OC_HASH_SHA512;
	else if (key->bits > 2048)
		want = OC_HASH_SHA384;
	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned id = (unsigned)data[i] << 8 | data[i + 1];
		for (int j = 0; j < 3; j++)
			if (sig_hashes[j].id == id)
				has[j] = true;
	}
	for (int j = 0; j < 3; j++)
		if (has[j] && sig_hashes[j].h == want) {
			*out = want;
			return 0;
		}
	for (int j = 2; j >= 0; j--)
		if (has[j]) {
			*out = sig_hashes[j].h;
			return 0;
		}
	return OC_EUNAVAIL;
}
