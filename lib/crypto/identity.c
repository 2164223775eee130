/* identity.c - IKE identities (identity.h). */
#include "crypto/identity.h"
#include "crypto/crypto.h"
#include "crypto/pki.h"
#include "ikev2_const.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509.h>

static int set(struct oc_id *id, uint8_t type, const void *p, size_t n)
{
	if (n > sizeof(id->data))
		return OC_EINVAL;
	id->type = type;
	id->len = n;
	memcpy(id->data, p, n);
	return 0;
}

/* DN text to DER with mbedTLS's own parser and writer. */
static int dn_to_der(const char *s, struct oc_id *id)
{
	mbedtls_asn1_named_data *names = NULL;
	char compact[512];
	unsigned char buf[512], *p = buf + sizeof(buf);
	int n, rc = OC_EINVAL;

	oc_pki_dn_compact(s, compact, sizeof(compact));
	if (mbedtls_x509_string_to_names(&names, compact) != 0)
		goto out;
	n = mbedtls_x509_write_names(&p, buf, names);
	if (n <= 0)
		goto out;
	rc = set(id, IKEV2_ID_DER_ASN1_DN, p, (size_t)n);
out:
	mbedtls_asn1_free_named_data_list(&names);
	return rc;
}

static int hex_decode(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	while (isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1])) {
		unsigned v;
		if (n == cap || sscanf(s, "%2x", &v) != 1)
			return OC_EINVAL;
		out[n++] = (uint8_t)v;
		s += 2;
		if (*s == ':')
			s++;
	}
	if (*s)
		return OC_EINVAL;
	*len = n;
	return 0;
}

int oc_id_from_string(const char *s, struct oc_id *id)
{
	uint8_t ip[16];
	size_t n;

	memset(id, 0, sizeof(*id));
	if (!s || !*s)
		return OC_EINVAL;
	if (!strcmp(s, "%any") || !strcmp(s, "*"))
		return set(id, OC_ID_ANY, "", 0);
	if (!strncmp(s, "fqdn:", 5))
		return set(id, IKEV2_ID_FQDN, s + 5, strlen(s + 5));
	if (!strncmp(s, "email:", 6))
		return set(id, IKEV2_ID_RFC822_ADDR, s + 6, strlen(s + 6));
	if (!strncmp(s, "dn:", 3) || !strncmp(s, "asn1dn:", 7))
		return dn_to_der(strchr(s, ':') + 1, id);
	if (!strncmp(s, "keyid:", 6) || !strncmp(s, "@#", 2)) {
		int rc = hex_decode(s + (s[0] == '@' ? 2 : 6), id->data, sizeof(id->data), &n);
		if (rc == 0) {
			id->type = IKEV2_ID_KEY_ID;
			id->len = n;
		}
		return rc;
	}
	if (!strncmp(s, "ipv4:", 5) || inet_pton(AF_INET, s, ip) == 1)
		return inet_pton(AF_INET, s[4] == ':' ? s + 5 : s, ip) == 1
			       ? set(id, IKEV2_ID_IPV4_ADDR, ip, 4) : OC_EINVAL;
	if (!strncmp(s, "ipv6:", 5) || inet_pton(AF_INET6, s, ip) == 1)
		return inet_pton(AF_INET6, strncmp(s, "ipv6:", 5) ? s : s + 5, ip) == 1
			       ? set(id, IKEV2_ID_IPV6_ADDR, ip, 16) : OC_EINVAL;
	if (s[0] == '@')
		return set(id, IKEV2_ID_FQDN, s + 1, strlen(s + 1));
	if (strchr(s, '='))
		return dn_to_der(s, id);
	if (strchr(s, '@'))
		return set(id, IKEV2_ID_RFC822_ADDR, s, strlen(s));
	return set(id, IKEV2_ID_FQDN, s, strlen(s));
}

int oc_id_from_payload(uint8_t type, const uint8_t *data, size_t len, struct oc_id *id)
{
	memset(id, 0, sizeof(*id));
	return set(id, type, data, len);
}

/* Parses a DER Name into mbedTLS's list. */
static int parse_dn(const uint8_t *der, size_t len, mbedtls_x509_name *name)
{
	unsigned char *p = (unsigned char *)der, *end = p + len;
	size_t l;
	memset(name, 0, sizeof(*name));
	if (mbedtls_asn1_get_tag(&p, end, &l, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
	    p + l != end)
		return OC_EPARSE;
	return mbedtls_x509_get_name(&p, end, name) == 0 ? 0 : OC_EPARSE;
}

static void free_dn(mbedtls_x509_name *name)
{
	mbedtls_x509_name *n = name->next;
	while (n) {
		mbedtls_x509_name *next = n->next;
		free(n);
		n = next;
	}
}

int oc_id_to_string(const struct oc_id *id, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	switch (id->type) {
	case OC_ID_ANY:
		return snprintf(buf, len, "%%any");
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR:
		if ((id->len != 4 && id->len != 16) ||
		    !inet_ntop(id->len == 4 ? AF_INET : AF_INET6, id->data, a, sizeof(a)))
			return OC_EINVAL;
		return snprintf(buf, len, "%s", a);
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		return snprintf(buf, len, "%.*s", (int)id->len, (const char *)id->data);
	case IKEV2_ID_DER_ASN1_DN: {
		mbedtls_x509_name n;
		int r;
		if (parse_dn(id->data, id->len, &n) != 0)
			return OC_EPARSE;
		r = mbedtls_x509_dn_gets(buf, len, &n);
		free_dn(&n);
		return r < 0 ? OC_ENOSPC : r;
	}
	case IKEV2_ID_KEY_ID: {
		size_t off = (size_t)snprintf(buf, len, "@#");
		for (size_t i = 0; i < id->len && off + 3 <= len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%02x", id->data[i]);
		return (int)off;
	}
	}
	return snprintf(buf, len, "(ID type %u, %zu octets)", id->type, id->len);
}

/* "*" alone matches all; a leading "*" matches any prefix (suffix match). */
static bool wild_eq(const uint8_t *pat, size_t plen, const uint8_t *v, size_t vlen)
{
	if (plen == 1 && pat[0] == '*')
		return true;
	if (plen >= 1 && pat[0] == '*') {
		size_t tail = plen - 1;
		return vlen >= tail && strncasecmp((const char *)pat + 1, (const char *)v + vlen - tail, tail) == 0;
	}
	return plen == vlen && strncasecmp((const char *)pat, (const char *)v, vlen) == 0;
}

/* Same RDNs in the same order; a pattern value "*" matches any value. */
static bool dn_match(const mbedtls_x509_name *pat, const mbedtls_x509_name *dn)
{
	for (; pat && dn; pat = pat->next, dn = dn->next) {
		if (pat->oid.len != dn->oid.len || memcmp(pat->oid.p, dn->oid.p, pat->oid.len) != 0)
			return false;
		if (pat->val.len == 1 && pat->val.p[0] == '*')
			continue;
		if (pat->val.len != dn->val.len ||
		    strncasecmp((const char *)pat->val.p, (const char *)dn->val.p, dn->val.len) != 0)
			return false;
	}
	return pat == NULL && dn == NULL;
}

static bool dn_der_match(const uint8_t *pder, size_t plen, const mbedtls_x509_name *dn)
{
	mbedtls_x509_name p;
	bool ok;
	if (parse_dn(pder, plen, &p) != 0)
		return false;
	ok = dn_match(&p, dn);
	free_dn(&p);
	return ok;
}

bool oc_id_match(const struct oc_id *pattern, const struct oc_id *peer)
{
	if (pattern->type == OC_ID_ANY)
		return true;
	if (pattern->type != peer->type)
		return false;
	switch (pattern->type) {
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		return wild_eq(pattern->data, pattern->len, peer->data, peer->len);
	case IKEV2_ID_DER_ASN1_DN: {
		mbedtls_x509_name d;
		bool ok;
		if (parse_dn(peer->data, peer->len, &d) != 0)
			return false;
		ok = dn_der_match(pattern->data, pattern->len, &d);
		free_dn(&d);
		return ok;
	}
	default:
		return pattern->len == peer->len && memcmp(pattern->data, peer->data, peer->len) == 0;
	}
}

/* Walks the subjectAltName extension (RFC 5280 §4.2.1.6) of the raw v3
 * extensions: mbedTLS 2.28 only lists dNSName entries itself. */
static bool san_match(const struct oc_id *pat, const mbedtls_x509_crt *c)
{
	unsigned char *p = c->v3_ext.p, *end = p + c->v3_ext.len;
	size_t len;
	unsigned want = pat->type == IKEV2_ID_FQDN ? 2 : pat->type == IKEV2_ID_RFC822_ADDR ? 1 : 7;

	if (!p)
		return false;
	if (*p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 3) &&
	    mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 3) != 0)
		return false;
	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
		return false;
	end = p + len;
	while (p < end) {
		unsigned char *ext_end;
		mbedtls_asn1_buf oid;
		int critical = 0;
		if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
			return false;
		ext_end = p + len;
		if (mbedtls_asn1_get_tag(&p, ext_end, &oid.len, MBEDTLS_ASN1_OID) != 0)
			return false;
		oid.p = p;
		p += oid.len;
		if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN)
			mbedtls_asn1_get_bool(&p, ext_end, &critical);
		if (MBEDTLS_OID_CMP(MBEDTLS_OID_SUBJECT_ALT_NAME, &oid) == 0) {
			size_t l;
			if (mbedtls_asn1_get_tag(&p, ext_end, &l, MBEDTLS_ASN1_OCTET_STRING) != 0 ||
			    mbedtls_asn1_get_tag(&p, ext_end, &l, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
				return false;
			unsigned char *gend = p + l;
			while (p < gend) {
				unsigned tag = *p & 0x1f;
				bool constructed = *p & MBEDTLS_ASN1_CONSTRUCTED;
				p++;
				if (mbedtls_asn1_get_len(&p, gend, &l) != 0)
					return false;
				if (!constructed && tag == want &&
				    (want == 7 ? (l == pat->len && memcmp(p, pat->data, l) == 0)
					       : wild_eq(pat->data, pat->len, p, l)))
					return true;
				p += l;
			}
			return false;
		}
		p = ext_end;
	}
	return false;
}

bool oc_id_match_cert(const struct oc_id *pattern, const mbedtls_x509_crt *cert)
{
	switch (pattern->type) {
	case OC_ID_ANY:
		return true;
	case IKEV2_ID_DER_ASN1_DN:
		return dn_der_match(pattern->data, pattern->len, &cert->subject);
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR:
		return san_match(pattern, cert);
	case IKEV2_ID_KEY_ID: {
		uint8_t h[20];
		struct oc_iov v = { cert->pk_raw.p, cert->pk_raw.len };
		return pattern->len == 20 && oc_hash(OC_HASH_SHA1, &v, 1, h) == 0 &&
		       memcmp(h, pattern->data, 20) == 0;
	}
	}
	return false;
}
