/* pki.h - a small PKI on mbedTLS's X.509 writer: keys, CA and end entity
 * certificates with subjectAltNames, CRLs.  Used by osprey-pki and by the
 * certificate tests, so neither needs another PKI tool. */
#ifndef OSPREY_CRYPTO_PKI_H
#define OSPREY_CRYPTO_PKI_H

#include "crypto/pubkey.h"
#include "crypto/x509.h"

/* RSA with bits (2048..4096) or EC with bits 256, 384, 521 (NIST curves). */
int oc_pki_genkey(enum oc_key_type type, unsigned bits, struct oc_key **out);
/* PEM of the private key (PKCS#1 for RSA, SEC1 for EC). */
int oc_pki_key_pem(const struct oc_key *k, char *buf, size_t cap);

struct oc_pki_cert {
	const char *subject;     /* "C=CH, O=osprey, CN=moon" */
	const char *const *san;  /* NULL-terminated: DNS names, emails (with '@'),
				    IPv4/IPv6 addresses; may be NULL */
	const char *not_before;  /* "YYYYMMDDhhmmss" UTC; NULL: now */
	const char *not_after;   /* NULL: not_before + days */
	unsigned days;           /* default 365 */
	bool ca;
	int pathlen;             /* CA only; -1 for none */
	unsigned key_usage;      /* MBEDTLS_X509_KU_*; 0: CA keyCertSign|cRLSign,
				    end entity digitalSignature */
	unsigned serial;         /* 0: random */
};

/* Issues a certificate for subject_key, signed by issuer_key; issuer is the
 * CA certificate, NULL for a self-signed one.  DER into der (*len set). */
int oc_pki_issue(const struct oc_pki_cert *req, const struct oc_key *subject_key,
		 const struct oc_key *issuer_key, const mbedtls_x509_crt *issuer,
		 uint8_t *der, size_t cap, size_t *len);

struct oc_pki_revoked {
	const mbedtls_x509_crt *cert;
	const char *date;        /* "YYYYMMDDhhmmss" UTC */
};
/* A v2 CRL of ca listing the revoked certificates.  mbedTLS 2.28 has no CRL
 * writer, so the DER (RFC 5280 §5.1) is assembled with its ASN.1 writer and
 * signed with mbedtls_pk_sign. */
int oc_pki_crl(const mbedtls_x509_crt *ca, const struct oc_key *ca_key,
	       const struct oc_pki_revoked *revoked, size_t n,
	       const char *this_update, const char *next_update,
	       uint8_t *der, size_t cap, size_t *len);

/* PEM armour: label "CERTIFICATE" or "X509 CRL". */
int oc_pki_pem(const char *label, const uint8_t *der, size_t len, char *buf, size_t cap);
/* "YYYYMMDDhhmmss" for now + seconds (may be negative). */
void oc_pki_time(long long seconds_from_now, char out[15]);
/* Copies a DN string dropping blanks after separators: mbedTLS's parser
 * wants "C=CH,O=osprey,CN=moon". */
void oc_pki_dn_compact(const char *in, char *out, size_t cap);

#endif
