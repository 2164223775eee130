/* x509.h - certificates: trust store, chain verification with precise
 * errors, CERTREQ authorities (RFC 7296 §3.6, §3.7; RFC 4945). */
#ifndef OSPREY_CRYPTO_X509_H
#define OSPREY_CRYPTO_X509_H

#include "crypto/crypto.h"

#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

/* The configured CAs and CRLs. */
struct oc_trust {
	mbedtls_x509_crt cas;
	mbedtls_x509_crl crls;
	size_t n_cas, n_crls;
};

void oc_trust_init(struct oc_trust *t);
void oc_trust_free(struct oc_trust *t);
/* PEM (one or more certificates) or DER.  OC_EPARSE when nothing parses. */
int oc_trust_add_ca(struct oc_trust *t, const uint8_t *buf, size_t len);
int oc_trust_add_ca_file(struct oc_trust *t, const char *path);
int oc_trust_add_crl(struct oc_trust *t, const uint8_t *buf, size_t len);
int oc_trust_add_crl_file(struct oc_trust *t, const char *path);

/* Appends certificates (PEM or DER) to a chain list. */
int oc_cert_parse(mbedtls_x509_crt *chain, const uint8_t *buf, size_t len);
int oc_cert_load_file(mbedtls_x509_crt *chain, const char *path);

enum oc_cert_status {
	OC_CERT_OK = 0,
	OC_CERT_EXPIRED,
	OC_CERT_NOT_YET_VALID,
	OC_CERT_UNKNOWN_ISSUER,
	OC_CERT_REVOKED,
	OC_CERT_KEY_USAGE,       /* end entity without digitalSignature, CA without keyCertSign */
	OC_CERT_NOT_CA,          /* an issuer without basicConstraints CA:TRUE */
	OC_CERT_PATHLEN,         /* a CA's pathLenConstraint exceeded */
	OC_CERT_BAD_SIGNATURE,
	OC_CERT_OTHER,
};
const char *oc_cert_status_name(enum oc_cert_status s);

/* Verifies the peer's chain (end entity first, then the intermediates it
 * sent) up to a configured CA, at the current time, with the CRLs.  why
 * receives one line such as "certificate 'CN=moon' was revoked on
 * 2024-05-01 12:00:00 UTC (serial 03, CRL of 'CN=Test CA')". */
enum oc_cert_status oc_cert_verify(struct oc_trust *t, mbedtls_x509_crt *chain,
				   char *why, size_t whylen);

/* CERTREQ data: the SHA-1 of each configured CA's SubjectPublicKeyInfo,
 * concatenated (RFC 7296 §3.7). */
int oc_certreq_build(const struct oc_trust *t, uint8_t *buf, size_t cap, size_t *len);
/* Which certificates to send for a received CERTREQ: walks from our end
 * entity certificate (chain[0]) up through chain and the trust store; when
 * an issuer's key hash is requested, returns how many certificates of chain
 * to send (1 = the end entity only).  Returns 0 when no requested CA is an
 * issuer of ours (the caller then sends its end entity certificate anyway,
 * as RFC 7296 §3.7 allows). */
int oc_certreq_select(const mbedtls_x509_crt *chain, const struct oc_trust *t,
		      const uint8_t *req, size_t reqlen);
/* SHA-1 of a certificate's SubjectPublicKeyInfo. */
int oc_cert_spki_sha1(const mbedtls_x509_crt *c, uint8_t out[20]);

#endif
