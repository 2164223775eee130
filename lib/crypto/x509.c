/* x509.c - trust store, chain verification and CERTREQ (x509.h). */
#include "crypto/x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/oid.h>

void oc_trust_init(struct oc_trust *t)
{
	memset(t, 0, sizeof(*t));
	mbedtls_x509_crt_init(&t->cas);
	mbedtls_x509_crl_init(&t->crls);
}

void oc_trust_free(struct oc_trust *t)
{
	mbedtls_x509_crt_free(&t->cas);
	mbedtls_x509_crl_free(&t->crls);
	memset(t, 0, sizeof(*t));
}

/* mbedTLS wants PEM NUL-terminated, with the NUL counted. */
static int parse_any(const uint8_t *buf, size_t len, bool crl, void *dst)
{
	uint8_t *c = malloc(len + 1);
	size_t clen = len;
	int r;
	if (!c)
		return OC_EBACKEND;
	memcpy(c, buf, len);
	c[len] = 0;
	if (strstr((char *)c, "-----BEGIN"))
		clen = strlen((char *)c) + 1;
	r = crl ? mbedtls_x509_crl_parse(dst, c, clen) : mbedtls_x509_crt_parse(dst, c, clen);
	free(c);
	/* A positive result counts PEM blocks that failed while others parsed. */
	return r < 0 ? OC_EPARSE : 0;
}

int oc_trust_add_ca(struct oc_trust *t, const uint8_t *buf, size_t len)
{
	int rc = parse_any(buf, len, false, &t->cas);
	if (rc == 0)
		t->n_cas++;
	return rc;
}

int oc_trust_add_crl(struct oc_trust *t, const uint8_t *buf, size_t len)
{
	int rc = parse_any(buf, len, true, &t->crls);
	if (rc == 0)
		t->n_crls++;
	return rc;
}

int oc_trust_add_ca_file(struct oc_trust *t, const char *path)
{
	if (mbedtls_x509_crt_parse_file(&t->cas, path) < 0)
		return OC_EPARSE;
	t->n_cas++;
	return 0;
}

int oc_trust_add_crl_file(struct oc_trust *t, const char *path)
{
	if (mbedtls_x509_crl_parse_file(&t->crls, path) != 0)
		return OC_EPARSE;
	t->n_crls++;
	return 0;
}

int oc_cert_parse(mbedtls_x509_crt *chain, const uint8_t *buf, size_t len)
{
	return parse_any(buf, len, false, chain);
}

int oc_cert_load_file(mbedtls_x509_crt *chain, const char *path)
{
	return mbedtls_x509_crt_parse_file(chain, path) < 0 ? OC_EPARSE : 0;
}

const char *oc_cert_status_name(enum oc_cert_status s)
{
	switch (s) {
	case OC_CERT_OK: return "ok";
	case OC_CERT_EXPIRED: return "expired";
	case OC_CERT_NOT_YET_VALID: return "not yet valid";
	case OC_CERT_UNKNOWN_ISSUER: return "unknown issuer";
	case OC_CERT_REVOKED: return "revoked";
	case OC_CERT_KEY_USAGE: return "wrong key usage";
	case OC_CERT_NOT_CA: return "issuer is not a CA";
	case OC_CERT_PATHLEN: return "path length constraint exceeded";
	case OC_CERT_BAD_SIGNATURE: return "bad signature";
	case OC_CERT_OTHER: return "verification failed";
	}
	return "?";
}

static void dn(const mbedtls_x509_name *n, char *buf, size_t len)
{
	if (mbedtls_x509_dn_gets(buf, len, n) < 0)
		snprintf(buf, len, "?");
}

static void when(const mbedtls_x509_time *t, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d UTC", t->year, t->mon, t->day,
		 t->hour, t->min, t->sec);
}

static bool same_name(const mbedtls_x509_buf *a, const mbedtls_x509_buf *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

static bool self_issued(const mbedtls_x509_crt *c)
{
	return same_name(&c->issuer_raw, &c->subject_raw);
}

/* The issuer of c among the peer's intermediates, else the trust store. */
static const mbedtls_x509_crt *find_issuer(const mbedtls_x509_crt *c, const mbedtls_x509_crt *chain,
					   const mbedtls_x509_crt *cas, bool *trusted)
{
	for (const mbedtls_x509_crt *i = cas; i && i->raw.p; i = i->next)
		if (same_name(&c->issuer_raw, &i->subject_raw)) {
			*trusted = true;
			return i;
		}
	for (const mbedtls_x509_crt *i = chain; i && i->raw.p; i = i->next)
		if (i != c && same_name(&c->issuer_raw, &i->subject_raw)) {
			*trusted = false;
			return i;
		}
	return NULL;
}

static enum oc_cert_status failv(enum oc_cert_status st, char *why, size_t whylen, const char *text)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", text);
	return st;
}

/* Why mbedTLS refused: the first problem found walking up from the end
 * entity, in the order a person fixing it needs (time, revocation, issuer,
 * CA flags, key usage, path length, signature). */
static enum oc_cert_status diagnose(struct oc_trust *t, mbedtls_x509_crt *chain, uint32_t flags,
				    char *why, size_t whylen)
{
	char subj[256], iss[256], date[64], text[768];
	const mbedtls_x509_crt *c = chain;
	int depth = 0;

	for (; c; depth++) {
		bool trusted = false;
		const mbedtls_x509_crt *up;
		dn(&c->subject, subj, sizeof(subj));
		if (mbedtls_x509_time_is_past(&c->valid_to)) {
			when(&c->valid_to, date, sizeof(date));
			snprintf(text, sizeof(text), "certificate '%s' expired on %s", subj, date);
			return failv(OC_CERT_EXPIRED, why, whylen, text);
		}
		if (mbedtls_x509_time_is_future(&c->valid_from)) {
			when(&c->valid_from, date, sizeof(date));
			snprintf(text, sizeof(text), "certificate '%s' is not valid before %s", subj, date);
			return failv(OC_CERT_NOT_YET_VALID, why, whylen, text);
		}
		for (const mbedtls_x509_crl *crl = &t->crls; crl && crl->raw.p; crl = crl->next) {
			if (!same_name(&crl->issuer_raw, &c->issuer_raw))
				continue;
			for (const mbedtls_x509_crl_entry *e = &crl->entry; e && e->raw.p; e = e->next)
				if (e->serial.len == c->serial.len &&
				    memcmp(e->serial.p, c->serial.p, e->serial.len) == 0) {
					char serial[128];
					mbedtls_x509_serial_gets(serial, sizeof(serial), &c->serial);
					when(&e->revocation_date, date, sizeof(date));
					dn(&crl->issuer, iss, sizeof(iss));
					snprintf(text, sizeof(text),
						 "certificate '%s' was revoked on %s (serial %s, CRL of '%s')",
						 subj, date, serial, iss);
					return failv(OC_CERT_REVOKED, why, whylen, text);
				}
		}
		if (depth == 0 && (c->ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
		    !(c->key_usage & (MBEDTLS_X509_KU_DIGITAL_SIGNATURE | MBEDTLS_X509_KU_NON_REPUDIATION))) {
			snprintf(text, sizeof(text), "wrong key usage: certificate '%s' may not sign "
				 "(no digitalSignature in keyUsage, RFC 4945 §5.1.3.2)", subj);
			return failv(OC_CERT_KEY_USAGE, why, whylen, text);
		}
		if (self_issued(c) && depth > 0)
			break;
		up = find_issuer(c, chain, &t->cas, &trusted);
		if (!up) {
			dn(&c->issuer, iss, sizeof(iss));
			snprintf(text, sizeof(text), "certificate '%s': unknown issuer '%s'", subj, iss);
			return failv(OC_CERT_UNKNOWN_ISSUER, why, whylen, text);
		}
		dn(&up->subject, iss, sizeof(iss));
		if (!up->ca_istrue) {
			snprintf(text, sizeof(text), "certificate '%s': issuer '%s' is not a CA "
				 "(basicConstraints)", subj, iss);
			return failv(OC_CERT_NOT_CA, why, whylen, text);
		}
		if ((up->ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
		    !(up->key_usage & MBEDTLS_X509_KU_KEY_CERT_SIGN)) {
			snprintf(text, sizeof(text), "wrong key usage: issuer '%s' lacks keyCertSign", iss);
			return failv(OC_CERT_KEY_USAGE, why, whylen, text);
		}
		/* mbedTLS stores pathLenConstraint + 1; 0 means none.  depth is
		 * the number of intermediate CAs below 'up'. */
		if (up->max_pathlen > 0 && depth > up->max_pathlen - 1) {
			snprintf(text, sizeof(text), "path length constraint of '%s' (%d) exceeded "
				 "by %d intermediate CAs below it", iss, up->max_pathlen - 1, depth);
			return failv(OC_CERT_PATHLEN, why, whylen, text);
		}
		if (trusted)
			break;
		c = up;
	}
	if (flags & (MBEDTLS_X509_BADCERT_NOT_TRUSTED)) {
		dn(&chain->subject, subj, sizeof(subj));
		snprintf(text, sizeof(text), "certificate '%s': no valid signature chain to a "
			 "configured CA", subj);
		return failv(OC_CERT_BAD_SIGNATURE, why, whylen, text);
	}
	snprintf(text, sizeof(text), "certificate verification failed (mbedTLS flags 0x%x)", flags);
	return failv(OC_CERT_OTHER, why, whylen, text);
}

enum oc_cert_status oc_cert_verify(struct oc_trust *t, mbedtls_x509_crt *chain,
				   char *why, size_t whylen)
{
	uint32_t flags = 0;
	char subj[256];
	int r;

	if (!chain || !chain->raw.p)
		return failv(OC_CERT_OTHER, why, whylen, "no certificate");
	r = mbedtls_x509_crt_verify_with_profile(chain, t->n_cas ? &t->cas : NULL,
						 t->n_crls ? &t->crls : NULL,
						 &mbedtls_x509_crt_profile_default, NULL, &flags, NULL, NULL);
	/* A stale CRL does not make the certificate invalid: revocation is what
	 * matters, and diagnose() still looks the serial up. */
	flags &= ~(uint32_t)(MBEDTLS_X509_BADCRL_EXPIRED | MBEDTLS_X509_BADCRL_FUTURE);
	if (r == 0 || flags == 0) {
		/* mbedTLS does not check the end entity's keyUsage for IKE. */
		if ((chain->ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
		    !(chain->key_usage & (MBEDTLS_X509_KU_DIGITAL_SIGNATURE | MBEDTLS_X509_KU_NON_REPUDIATION)))
			return diagnose(t, chain, flags, why, whylen);
		dn(&chain->subject, subj, sizeof(subj));
		if (why && whylen)
			snprintf(why, whylen, "certificate '%s' verified", subj);
		return OC_CERT_OK;
	}
	return diagnose(t, chain, flags, why, whylen);
}

int oc_cert_spki_sha1(const mbedtls_x509_crt *c, uint8_t out[20])
{
	struct oc_iov v = { c->pk_raw.p, c->pk_raw.len };
	return oc_hash(OC_HASH_SHA1, &v, 1, out);
}

int oc_certreq_build(const struct oc_trust *t, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	for (const mbedtls_x509_crt *c = &t->cas; c && c->raw.p; c = c->next) {
		if (n + 20 > cap)
			return OC_ENOSPC;
		if (oc_cert_spki_sha1(c, buf + n) != 0)
			return OC_EBACKEND;
		n += 20;
	}
	*len = n;
	return 0;
}

static bool requested(const mbedtls_x509_crt *c, const uint8_t *req, size_t reqlen)
{
	uint8_t h[20];
	if (oc_cert_spki_sha1(c, h) != 0)
		return false;
	for (size_t i = 0; i + 20 <= reqlen; i += 20)
		if (memcmp(req + i, h, 20) == 0)
			return true;
	return false;
}

int oc_certreq_select(const mbedtls_x509_crt *chain, const struct oc_trust *t,
		      const uint8_t *req, size_t reqlen)
{
	const mbedtls_x509_crt *c = chain;
	int sent = 1;
	for (int guard = 0; c && guard < 16; guard++) {
		bool trusted = false;
		const mbedtls_x509_crt *up = find_issuer(c, chain, &t->cas, &trusted);
		if (!up || up == c)
			return 0;
		if (requested(up, req, reqlen))
			return sent;
		if (trusted || self_issued(up))
			return 0;
		/* up is one of our intermediates: it goes out too. */
		sent++;
		c = up;
	}
	return 0;
}
