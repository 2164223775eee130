/* pki.c - certificate and CRL issuing (pki.h). */
#include "crypto/pki.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/ecp.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>

int oc_pki_genkey(enum oc_key_type type, unsigned bits, struct oc_key **out)
{
	struct oc_key *k = calloc(1, sizeof(*k));
	int r;

	if (!k)
		return OC_EBACKEND;
	mbedtls_pk_init(&k->pk);
	if (type == OC_KEY_RSA) {
		if (bits < 2048 || bits > 8192)
			goto inval;
		r = mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
		if (r == 0)
			r = mbedtls_rsa_gen_key(mbedtls_pk_rsa(k->pk), oc_rng_mbedtls, NULL, bits, 65537);
	} else if (type == OC_KEY_EC) {
		mbedtls_ecp_group_id id = bits == 256 ? MBEDTLS_ECP_DP_SECP256R1
					: bits == 384 ? MBEDTLS_ECP_DP_SECP384R1
					: bits == 521 ? MBEDTLS_ECP_DP_SECP521R1 : MBEDTLS_ECP_DP_NONE;
		if (id == MBEDTLS_ECP_DP_NONE)
			goto inval;
		r = mbedtls_pk_setup(&k->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
		if (r == 0)
			r = mbedtls_ecp_gen_key(id, mbedtls_pk_ec(k->pk), oc_rng_mbedtls, NULL);
	} else {
		goto inval;
	}
	if (r != 0) {
		oc_key_free(k);
		return OC_EBACKEND;
	}
	k->type = type;
	k->bits = (unsigned)mbedtls_pk_get_bitlen(&k->pk);
	k->has_private = true;
	*out = k;
	return 0;
inval:
	oc_key_free(k);
	return OC_EINVAL;
}

int oc_pki_key_pem(const struct oc_key *k, char *buf, size_t cap)
{
	return mbedtls_pk_write_key_pem((mbedtls_pk_context *)&k->pk, (unsigned char *)buf, cap) == 0
		       ? 0 : OC_ENOSPC;
}

void oc_pki_dn_compact(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	bool after_sep = true;
	for (; *in && n + 1 < cap; in++) {
		if ((*in == ' ' || *in == '\t') && after_sep)
			continue;
		after_sep = *in == ',' || *in == '=';
		out[n++] = *in;
	}
	/* trailing blanks before ',' and '=' are rare in configs; leave them */
	out[n] = 0;
}

void oc_pki_time(long long seconds_from_now, char out[15])
{
	time_t t = time(NULL) + (time_t)seconds_from_now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 15, "%Y%m%d%H%M%S", &tm);
}

/* SubjectAltName ::= GeneralNames (RFC 5280 §4.2.1.6), built backwards. */
static int san_der(const char *const *san, uint8_t *buf, size_t cap, uint8_t **start, size_t *len)
{
	unsigned char *p = buf + cap;
	size_t n = 0, count = 0;
	int r;

	while (san[count])
		count++;
	for (size_t i = count; i-- > 0;) {
		uint8_t ip[16];
		const char *s = san[i];
		unsigned char tag;
		const uint8_t *v = (const uint8_t *)s;
		size_t vlen = strlen(s);
		if (inet_pton(AF_INET, s, ip) == 1) {
			tag = 7, v = ip, vlen = 4;           /* iPAddress */
		} else if (inet_pton(AF_INET6, s, ip) == 1) {
			tag = 7, v = ip, vlen = 16;
		} else if (strchr(s, '@')) {
			tag = 1;                             /* rfc822Name */
		} else {
			tag = 2;                             /* dNSName */
		}
		if ((r = mbedtls_asn1_write_raw_buffer(&p, buf, v, vlen)) < 0)
			return OC_ENOSPC;
		n += (size_t)r;
		if ((r = mbedtls_asn1_write_len(&p, buf, vlen)) < 0)
			return OC_ENOSPC;
		n += (size_t)r;
		if ((r = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | tag)) < 0)
			return OC_ENOSPC;
		n += (size_t)r;
	}
	if ((r = mbedtls_asn1_write_len(&p, buf, n)) < 0)
		return OC_ENOSPC;
	n += (size_t)r;
	if ((r = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) < 0)
		return OC_ENOSPC;
	n += (size_t)r;
	*start = p;
	*len = n;
	return 0;
}

int oc_pki_issue(const struct oc_pki_cert *req, const struct oc_key *subject_key,
		 const struct oc_key *issuer_key, const mbedtls_x509_crt *issuer,
		 uint8_t *der, size_t cap, size_t *len)
{
	mbedtls_x509write_cert w;
	mbedtls_mpi serial;
	char subj[512], iss[512], nb[15], na[15];
	uint8_t sanbuf[1024], *san = NULL, sbytes[8];
	size_t sanlen = 0;
	int rc = OC_EINVAL, r;

	mbedtls_x509write_crt_init(&w);
	mbedtls_mpi_init(&serial);
	oc_pki_dn_compact(req->subject, subj, sizeof(subj));
	if (issuer) {
		char tmp[512];
		if (mbedtls_x509_dn_gets(tmp, sizeof(tmp), &issuer->subject) < 0)
			goto out;
		oc_pki_dn_compact(tmp, iss, sizeof(iss));
	} else {
		snprintf(iss, sizeof(iss), "%s", subj);
	}
	if (req->not_before)
		snprintf(nb, sizeof(nb), "%s", req->not_before);
	else
		oc_pki_time(-60, nb);
	if (req->not_after) {
		snprintf(na, sizeof(na), "%s", req->not_after);
	} else {
		struct tm tm = { 0 };
		time_t t;
		sscanf(nb, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		       &tm.tm_min, &tm.tm_sec);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm) + (time_t)(req->days ? req->days : 365) * 86400;
		gmtime_r(&t, &tm);
		strftime(na, sizeof(na), "%Y%m%d%H%M%S", &tm);
	}
	if (req->serial) {
		r = mbedtls_mpi_lset(&serial, req->serial);
	} else {
		if (oc_random(sbytes, sizeof(sbytes)) != 0)
			goto out;
		sbytes[0] &= 0x7f; /* positive (RFC 5280 §4.1.2.2) */
		sbytes[0] |= 0x01;
		r = mbedtls_mpi_read_binary(&serial, sbytes, sizeof(sbytes));
	}
	if (r != 0)
		goto out;

	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&w, (mbedtls_pk_context *)&subject_key->pk);
	mbedtls_x509write_crt_set_issuer_key(&w, (mbedtls_pk_context *)&issuer_key->pk);
	if (mbedtls_x509write_crt_set_serial(&w, &serial) != 0 ||
	    mbedtls_x509write_crt_set_validity(&w, nb, na) != 0 ||
	    mbedtls_x509write_crt_set_subject_name(&w, subj) != 0 ||
	    mbedtls_x509write_crt_set_issuer_name(&w, iss) != 0 ||
	    mbedtls_x509write_crt_set_basic_constraints(&w, req->ca, req->ca ? req->pathlen : -1) != 0 ||
	    mbedtls_x509write_crt_set_subject_key_identifier(&w) != 0 ||
	    mbedtls_x509write_crt_set_authority_key_identifier(&w) != 0)
		goto out;
	unsigned ku = req->key_usage ? req->key_usage
		      : req->ca ? (MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN)
				: MBEDTLS_X509_KU_DIGITAL_SIGNATURE;
	if (mbedtls_x509write_crt_set_key_usage(&w, ku) != 0)
		goto out;
	if (req->san && req->san[0]) {
		if ((rc = san_der(req->san, sanbuf, sizeof(sanbuf), &san, &sanlen)) != 0)
			goto out;
		rc = OC_EINVAL;
		if (mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_SUBJECT_ALT_NAME,
							MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME),
							0, san, sanlen) != 0)
			goto out;
	}
	r = mbedtls_x509write_crt_der(&w, der, cap, oc_rng_mbedtls, NULL);
	if (r <= 0) {
		rc = r == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL ? OC_ENOSPC : OC_EBACKEND;
		goto out;
	}
	memmove(der, der + cap - (size_t)r, (size_t)r);
	*len = (size_t)r;
	rc = 0;
out:
	mbedtls_x509write_crt_free(&w);
	mbedtls_mpi_free(&serial);
	return rc;
}

/* UTCTime "YYMMDDhhmmssZ" from "YYYYMMDDhhmmss" (RFC 5280 §5.1.2.4: UTCTime
 * through 2049). */
static int write_time(unsigned char **p, unsigned char *start, const char *t)
{
	char u[14];
	int r, n = 0;
	if (strlen(t) != 14)
		return -1;
	memcpy(u, t + 2, 12);
	u[12] = 'Z';
	if ((r = mbedtls_asn1_write_raw_buffer(p, start, (const unsigned char *)u, 13)) < 0)
		return r;
	n += r;
	if ((r = mbedtls_asn1_write_len(p, start, 13)) < 0)
		return r;
	n += r;
	if ((r = mbedtls_asn1_write_tag(p, start, MBEDTLS_ASN1_UTC_TIME)) < 0)
		return r;
	return n + r;
}

#define CHK(call)                       \
	do {                            \
		if ((r = (call)) < 0)   \
			goto nospace;   \
		n += (size_t)r;         \
	} while (0)

int oc_pki_crl(const mbedtls_x509_crt *ca, const struct oc_key *ca_key,
	       const struct oc_pki_revoked *revoked, size_t nrev,
	       const char *this_update, const char *next_update,
	       uint8_t *der, size_t cap, size_t *len)
{
	uint8_t tbs[8192], hash[32], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	unsigned char *p = tbs + sizeof(tbs);
	const char *oid;
	size_t oidlen, n = 0, siglen = 0, tbslen;
	int r;

	if (mbedtls_oid_get_oid_by_sig_alg(mbedtls_pk_get_type(&ca_key->pk) == MBEDTLS_PK_RSA
						   ? MBEDTLS_PK_RSA : MBEDTLS_PK_ECDSA,
					   MBEDTLS_MD_SHA256, &oid, &oidlen) != 0)
		return OC_EINVAL;

	/* revokedCertificates */
	if (nrev) {
		size_t all = 0;
		for (size_t i = nrev; i-- > 0;) {
			size_t one = n;
			const mbedtls_x509_buf *s = &revoked[i].cert->serial;
			CHK(write_time(&p, tbs, revoked[i].date));
			CHK(mbedtls_asn1_write_raw_buffer(&p, tbs, s->p, s->len));
			CHK(mbedtls_asn1_write_len(&p, tbs, s->len));
			CHK(mbedtls_asn1_write_tag(&p, tbs, MBEDTLS_ASN1_INTEGER));
			CHK(mbedtls_asn1_write_len(&p, tbs, n - one));
			CHK(mbedtls_asn1_write_tag(&p, tbs, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
		}
		all = n;
		CHK(mbedtls_asn1_write_len(&p, tbs, all));
		CHK(mbedtls_asn1_write_tag(&p, tbs, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
	}
	CHK(write_time(&p, tbs, next_update));
	CHK(write_time(&p, tbs, this_update));
	/* The issuer exactly as in the CA certificate's subject. */
	CHK(mbedtls_asn1_write_raw_buffer(&p, tbs, ca->subject_raw.p, ca->subject_raw.len));
	CHK(mbedtls_asn1_write_algorithm_identifier(&p, tbs, oid, oidlen, 0));
	CHK(mbedtls_asn1_write_int(&p, tbs, 1)); /* v2 */
	CHK(mbedtls_asn1_write_len(&p, tbs, n));
	CHK(mbedtls_asn1_write_tag(&p, tbs, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
	tbslen = n;

	struct oc_iov v = { p, tbslen };
	if (oc_hash(OC_HASH_SHA256, &v, 1, hash) != 0 ||
	    mbedtls_pk_sign((mbedtls_pk_context *)&ca_key->pk, MBEDTLS_MD_SHA256, hash, sizeof(hash),
			    sig, &siglen, oc_rng_mbedtls, NULL) != 0)
		return OC_EBACKEND;

	/* CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signature } */
	unsigned char *q = der + cap;
	n = 0;
	if ((r = mbedtls_x509_write_sig(&q, der, oid, oidlen, sig, siglen)) < 0)
		goto nospace;
	n += (size_t)r;
	if ((r = mbedtls_asn1_write_raw_buffer(&q, der, p, tbslen)) < 0)
		goto nospace;
	n += (size_t)r;
	if ((r = mbedtls_asn1_write_len(&q, der, n)) < 0)
		goto nospace;
	n += (size_t)r;
	if ((r = mbedtls_asn1_write_tag(&q, der, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) < 0)
		goto nospace;
	n += (size_t)r;
	memmove(der, q, n);
	*len = n;
	return 0;
nospace:
	return OC_ENOSPC;
}

int oc_pki_pem(const char *label, const uint8_t *der, size_t len, char *buf, size_t cap)
{
	char head[64], foot[64];
	size_t olen = 0;
	snprintf(head, sizeof(head), "-----BEGIN %s-----\n", label);
	snprintf(foot, sizeof(foot), "-----END %s-----\n", label);
	return mbedtls_pem_write_buffer(head, foot, der, len, (unsigned char *)buf, cap, &olen) == 0
		       ? 0 : OC_ENOSPC;
}
