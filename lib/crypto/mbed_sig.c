/* mbed_sig.c - RSA and ECDSA signatures of the mbedTLS provider. */
#include "crypto/mbed_internal.h"
#include "crypto/pubkey.h"

#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/rsa.h>

/* OC_HASH_NONE: data already is the digest, signed without a DigestInfo
 * (IKEv1 signs HASH_I / HASH_R that way, RFC 2409 §5.1). */
static int digest(enum oc_hash h, const uint8_t *data, size_t len, uint8_t *out, size_t *olen)
{
	struct oc_iov v = { data, len };
	if (h == OC_HASH_NONE) {
		if (len == 0 || len > 64)
			return OC_EINVAL;
		memcpy(out, data, len);
		*olen = len;
		return 0;
	}
	*olen = oc_hash_len(h);
	return *olen ? oc_hash(h, &v, 1, out) : OC_EINVAL;
}

int oc_mbed_sign(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
		 const uint8_t *data, size_t len, uint8_t *sig, size_t *siglen)
{
	/* The provider sets the RSA padding mode per call: the key object is
	 * logically const, its mbedTLS context is not. */
	mbedtls_pk_context *pk = (mbedtls_pk_context *)&key->pk;
	mbedtls_md_type_t md = oc_mbed_md(h);
	uint8_t hash[64];
	size_t hlen;
	int rc = digest(h, data, len, hash, &hlen);

	if (rc)
		return rc;
	if (h == OC_HASH_NONE && s == OC_SIG_RSA_PSS)
		return OC_EINVAL;
	switch (s) {
	case OC_SIG_RSA_PKCS1:
	case OC_SIG_RSA_PSS: {
		if (key->type != OC_KEY_RSA)
			return OC_EINVAL;
		mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
		size_t n = mbedtls_rsa_get_len(rsa);
		if (*siglen < n)
			return OC_ENOSPC;
		int r;
		if (s == OC_SIG_RSA_PKCS1) {
			mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
			r = mbedtls_rsa_pkcs1_sign(rsa, oc_rng_mbedtls, NULL, MBEDTLS_RSA_PRIVATE, md,
						   (unsigned)hlen, hash, sig);
		} else {
			/* RFC 7427 / RFC 8247: MGF1 with the same hash, salt as long as the hash. */
			mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
			r = mbedtls_rsa_rsassa_pss_sign_ext(rsa, oc_rng_mbedtls, NULL, md, (unsigned)hlen,
							    hash, (int)hlen, sig);
		}
		mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
		if (r != 0)
			return OC_EBACKEND;
		*siglen = n;
		return 0;
	}
	case OC_SIG_ECDSA: {
		if (key->type != OC_KEY_EC)
			return OC_EINVAL;
		size_t n = 0;
		uint8_t tmp[MBEDTLS_ECDSA_MAX_LEN];
		if (mbedtls_pk_sign(pk, md, hash, hlen, tmp, &n, oc_rng_mbedtls, NULL) != 0)
			return OC_EBACKEND;
		if (*siglen < n)
			return OC_ENOSPC;
		memcpy(sig, tmp, n);
		*siglen = n;
		return 0;
	}
	case OC_SIG_ECDSA_RAW: {
		if (key->type != OC_KEY_EC)
			return OC_EINVAL;
		mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
		size_t flen = (ec->grp.pbits + 7) / 8;
		mbedtls_mpi r, sv;
		if (*siglen < 2 * flen)
			return OC_ENOSPC;
		mbedtls_mpi_init(&r);
		mbedtls_mpi_init(&sv);
		rc = OC_EBACKEND;
		/* RFC 4754 §7: r and s each as long as the group's field. */
		if (mbedtls_ecdsa_sign(&ec->grp, &r, &sv, &ec->d, hash, hlen, oc_rng_mbedtls, NULL) == 0 &&
		    mbedtls_mpi_write_binary(&r, sig, flen) == 0 &&
		    mbedtls_mpi_write_binary(&sv, sig + flen, flen) == 0) {
			*siglen = 2 * flen;
			rc = 0;
		}
		mbedtls_mpi_free(&r);
		mbedtls_mpi_free(&sv);
		return rc;
	}
	default:
		return OC_EUNAVAIL;
	}
}

int oc_mbed_verify(const struct oc_key *key, enum oc_sig_scheme s, enum oc_hash h,
		   const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen)
{
	mbedtls_pk_context *pk = (mbedtls_pk_context *)&key->pk;
	mbedtls_md_type_t md = oc_mbed_md(h);
	uint8_t hash[64];
	size_t hlen;
	int rc = digest(h, data, len, hash, &hlen);

	if (rc)
		return rc;
	if (h == OC_HASH_NONE && s == OC_SIG_RSA_PSS)
		return OC_EINVAL;
	switch (s) {
	case OC_SIG_RSA_PKCS1:
	case OC_SIG_RSA_PSS: {
		if (key->type != OC_KEY_RSA)
			return OC_EAUTH;
		mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
		if (siglen != mbedtls_rsa_get_len(rsa))
			return OC_EAUTH;
		int r;
		if (s == OC_SIG_RSA_PKCS1) {
			mbedtls_rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
			r = mbedtls_rsa_pkcs1_verify(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md,
						     (unsigned)hlen, hash, sig);
		} else {
			r = mbedtls_rsa_rsassa_pss_verify_ext(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md,
							      (unsigned)hlen, hash, md, (int)hlen, sig);
		}
		return r == 0 ? 0 : OC_EAUTH;
	}
	case OC_SIG_ECDSA:
		if (key->type != OC_KEY_EC)
			return OC_EAUTH;
		return mbedtls_pk_verify(pk, md, hash, hlen, sig, siglen) == 0 ? 0 : OC_EAUTH;
	case OC_SIG_ECDSA_RAW: {
		if (key->type != OC_KEY_EC)
			return OC_EAUTH;
		mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
		size_t flen = (ec->grp.pbits + 7) / 8;
		mbedtls_mpi r, sv;
		if (siglen != 2 * flen)
			return OC_EAUTH;
		mbedtls_mpi_init(&r);
		mbedtls_mpi_init(&sv);
		rc = OC_EAUTH;
		if (mbedtls_mpi_read_binary(&r, sig, flen) == 0 &&
		    mbedtls_mpi_read_binary(&sv, sig + flen, flen) == 0 &&
		    mbedtls_ecdsa_verify(&ec->grp, hash, hlen, &ec->Q, &r, &sv) == 0)
			rc = 0;
		mbedtls_mpi_free(&r);
		mbedtls_mpi_free(&sv);
		return rc;
	}
	default:
		return OC_EUNAVAIL;
	}
}
