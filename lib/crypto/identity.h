/* identity.h - IKE identities (RFC 7296 §3.5, RFC 2407 §4.6.2) as
 * strongSwan users write them, and matching against peers and certificates.
 *
 * String forms: "192.0.2.1" (ID_IPV4_ADDR), "2001:db8::1" (ID_IPV6_ADDR),
 * "C=CH, O=osprey, CN=moon" (ID_DER_ASN1_DN), "user@example.org"
 * (ID_RFC822_ADDR), "moon.example.org" or "@moon.example.org" (ID_FQDN),
 * "@#0a1b2c" (ID_KEY_ID, hex), "%any" (matches every identity).  A type
 * prefix forces the type: "fqdn:", "email:", "dn:", "keyid:", "ipv4:", "ipv6:".
 * Wildcards: "*" as an RDN value in a DN ("C=CH, O=osprey, CN=*"), and a
 * leading "*" in an FQDN or email ("*.example.org", "*@example.org"). */
#ifndef OSPREY_CRYPTO_IDENTITY_H
#define OSPREY_CRYPTO_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crt.h>

enum { OC_ID_ANY = 0 }; /* otherwise an IKEV2_ID_* type */

struct oc_id {
	uint8_t type;
	size_t len;
	uint8_t data[512]; /* the ID payload's identification data */
};

int oc_id_from_string(const char *s, struct oc_id *id);
/* From an ID payload (type and data as received). */
int oc_id_from_payload(uint8_t type, const uint8_t *data, size_t len, struct oc_id *id);
/* Back to the string form; DNs as mbedTLS prints them. */
int oc_id_to_string(const struct oc_id *id, char *buf, size_t len);

/* Does the configured pattern accept the peer's identity? */
bool oc_id_match(const struct oc_id *pattern, const struct oc_id *peer);
/* Does the certificate hold the identity: its subject DN for a DN, one of
 * its subjectAltNames (dNSName, rfc822Name, iPAddress) otherwise, the SHA-1
 * of its SubjectPublicKeyInfo for a KEY_ID. */
bool oc_id_match_cert(const struct oc_id *pattern, const mbedtls_x509_crt *cert);

#endif
