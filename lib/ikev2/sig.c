/* Signature authentication in IKE_AUTH: our AUTH signature and the check of
 * the peer's run as crypto jobs (engine.h DESIGN); CERT payloads chosen by
 * the peer's CERTREQ and CERTREQ built from our CAs (RFC 7296 §3.6, §3.7);
 * the peer's chain verified against the conn's CAs and its identity matched
 * against the end entity certificate (§2.15, §3.5; RFC 4945 §3.1).
 *
 * AUTH methods (§3.8): RSA PKCS#1 v1.5 with SHA-1 (1), ECDSA with
 * SHA-256/384/512 on P-256/384/521 (9/10/11, RFC 4754), and the RFC 7427
 * Digital Signature (14) with RSA-PSS, RSA PKCS#1 v1.5 or ECDSA, the hash
 * taken from the peer's SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4). */
#include "ikev2/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/ikev2_auth.h"

enum { MAX_CERTS = 8 };

static void sig_why(struct ike_sig_job *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sig_why(struct ike_sig_job *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap); /* truncated if need be */
	va_end(ap);
}

static const char *hash_name(int h)
{
	return h == OC_HASH_SHA512 ? "SHA-512" : h == OC_HASH_SHA384 ? "SHA-384" : "SHA-256";
}

/* The worker side of a VERIFY job; 0 or an OC_E* code with s->why set. */
static int verify(struct ike_sig_job *s)
{
	mbedtls_x509_crt chain;
	struct oc_key *key = NULL;
	const struct oc_key *k = s->pubkey;
	const char *why = NULL;
	char w[192];
	int rc = OC_EAUTH;

	mbedtls_x509_crt_init(&chain);
	if (!k) {
		size_t off = 0;
		enum oc_cert_status st;
		if (!s->trust || s->trust->n_cas == 0) {
			sig_why(s, "no CA and no public key configured for the peer");
			goto out;
		}
		if (s->ncerts == 0) {
			sig_why(s, "the peer sent no X.509 certificate");
			goto out;
		}
		for (unsigned i = 0; i < s->ncerts; i++) {
			if (oc_cert_parse(&chain, s->certs + off, s->cert_len[i]) != 0) {
				sig_why(s, "cannot parse the peer's certificate %u", i + 1);
				goto out;
			}
			off += s->cert_len[i];
		}
		st = oc_cert_verify(s->trust, &chain, w, sizeof(w));
		if (st != OC_CERT_OK) {
			sig_why(s, "certificate verification failed (%s): %s", oc_cert_status_name(st), w);
			goto out;
		}
		/* §2.15 / RFC 4945 §3.1: the identity must be in the certificate. */
		if (!oc_id_match_cert(&s->id, &chain)) {
			char ids[160], subj[160];
			oc_id_to_string(&s->id, ids, sizeof(ids));
			if (mbedtls_x509_dn_gets(subj, sizeof(subj), &chain.subject) < 0)
				snprintf(subj, sizeof(subj), "?");
			sig_why(s, "identity '%s' is not the subject or a subjectAltName of '%s'", ids, subj);
			goto out;
		}
		if (oc_key_from_pk(&chain.pk, &key) != 0) {
			sig_why(s, "unusable public key in the peer's certificate");
			goto out;
		}
		k = key;
	}
	rc = oc_ikev2_auth_verify(k, s->method, s->octets, s->octets_len, s->auth, s->auth_len, &why);
	if (rc == 0) {
		char subj[160] = "raw public key";
		if (!s->pubkey && mbedtls_x509_dn_gets(subj, sizeof(subj), &chain.subject) < 0)
			snprintf(subj, sizeof(subj), "?");
		sig_why(s, "AUTH method %u, %s", s->method, subj);
	} else
		sig_why(s, "%s (AUTH method %s)", why ? why : "signature does not verify",
			s->method == IKEV2_AUTH_DIGITAL_SIGNATURE ? "14, RFC 7427"
			: s->method == IKEV2_AUTH_RSA_SIG ? "1, RSA" : "ECDSA");
out:
	if (key)
		oc_key_free(key);
	mbedtls_x509_crt_free(&chain);
	return rc;
}

void sig_job_run(struct ike_sig_job *s, int *result)
{
	if (s->verify) {
		*result = verify(s);
		return;
	}
	s->auth_len = sizeof(s->auth);
	*result = oc_ikev2_auth_sign(s->key, s->method, (enum oc_hash)s->hash, s->pss, s->octets,
				     s->octets_len, s->auth, &s->auth_len);
}

void sig_job_free(struct ike_sig_job *s)
{
	if (!s)
		return;
	if (s->octets) {
		oc_wipe(s->octets, s->octets_len);
		free(s->octets);
	}
	free(s->certs);
	oc_wipe(s, sizeof(*s));
	free(s);
}

static struct ike_job *new_job(struct ike_engine *e, struct ike_sa *sa, bool verify,
			       const uint8_t *octets, size_t len)
{
	struct ike_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->sig = calloc(1, sizeof(*j->sig));
	if (j->sig)
		j->sig->octets = malloc(len ? len : 1);
	if (!j->sig || !j->sig->octets) {
		ike_job_free(j);
		return NULL;
	}
	memcpy(j->sig->octets, octets, len);
	j->sig->octets_len = len;
	j->sig->verify = verify;
	j->sig->conn = sa->conn;
	j->kind = verify ? IKE_JOB_VERIFY : IKE_JOB_SIGN;
	j->ike_uid = sa->uid;
	j->id = e->next_job++;
	return j;
}

/* §3.8 / RFC 7427 §4: the method, and for 14 the hash. */
static unsigned choose_method(const struct ike_sa *sa, const struct oc_key *k, enum oc_hash *h)
{
	const struct ike_hs *hs = sa->hs;
	enum ike_sig_mode mode = sa->conn->sig_mode;

	*h = OC_HASH_SHA256;
	if ((mode == IKE_SIG_AUTO && hs->peer_hashes_len) || mode == IKE_SIG_RFC7427) {
		if (oc_sig_hash_choose(k, hs->peer_hashes, hs->peer_hashes_len, h) == 0)
			return IKEV2_AUTH_DIGITAL_SIGNATURE;
		*h = OC_HASH_SHA256;
	}
	if (k->type == OC_KEY_RSA)
		return IKEV2_AUTH_RSA_SIG;
	return k->bits > 384 ? IKEV2_AUTH_ECDSA_SHA512_P521
	       : k->bits > 256 ? IKEV2_AUTH_ECDSA_SHA384_P384 : IKEV2_AUTH_ECDSA_SHA256_P256;
}

int sig_start_sign(struct ike_engine *e, struct ike_sa *sa, const uint8_t *octets, size_t len)
{
	const struct oc_key *k = sa->conn->privkey;
	struct ike_job *j;
	enum oc_hash h;

	if (!k || !k->has_private)
		return -1;
	j = new_job(e, sa, false, octets, len);
	if (!j)
		return -1;
	j->sig->key = k;
	j->sig->method = choose_method(sa, k, &h);
	j->sig->hash = (int)h;
	j->sig->pss = sa->conn->rsa_pss;
	sa->hs->sign_job = j->id;
	sa->hs->auth_conn = sa->conn;
	return ike_submit_job(e, j);
}

int sig_start_verify(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c,
		     const struct oc_id *peer, const struct ikev2_payload *ap, const uint8_t *octets,
		     size_t len)
{
	struct ike_job *j;
	size_t total = 0, off = 0;

	if (ap->u.auth.len > sizeof(j->sig->auth))
		return -1;
	j = new_job(e, sa, true, octets, len);
	if (!j)
		return -1;
	j->sig->pubkey = sa->conn->peer_pubkey;
	j->sig->trust = sa->conn->trust;
	j->sig->id = *peer;
	j->sig->method = ap->u.auth.method;
	memcpy(j->sig->auth, ap->u.auth.data, ap->u.auth.len);
	j->sig->auth_len = ap->u.auth.len;
	/* §3.6: the first CERT holds the key that signs AUTH; the others may
	 * help build the chain.  Only X.509 Certificate - Signature (4). */
	for (size_t i = 0; i < c->count; i++)
		if (c->pl[i].type == IKEV2_PL_CERT && c->pl[i].u.cert.encoding == IKEV2_CERT_X509_SIG)
			total += c->pl[i].u.cert.len;
	j->sig->certs = malloc(total ? total : 1);
	if (!j->sig->certs) {
		ike_job_free(j);
		return -1;
	}
	for (size_t i = 0; i < c->count && j->sig->ncerts < MAX_CERTS; i++) {
		const struct ikev2_payload *p = &c->pl[i];
		if (p->type != IKEV2_PL_CERT || p->u.cert.encoding != IKEV2_CERT_X509_SIG ||
		    p->u.cert.len > UINT16_MAX)
			continue;
		memcpy(j->sig->certs + off, p->u.cert.data, p->u.cert.len);
		j->sig->cert_len[j->sig->ncerts++] = (uint16_t)p->u.cert.len;
		off += p->u.cert.len;
	}
	sa->hs->verify_job = j->id;
	sa->hs->verified = false;
	return ike_submit_job(e, j);
}

void sig_job_deliver(struct ike_engine *e, struct ike_sa *sa, struct ike_job *j)
{
	struct ike_hs *hs = sa->hs;
	struct ike_sig_job *s = j->sig;

	if (j->kind == IKE_JOB_SIGN && hs->sign_job == j->id) {
		hs->sign_job = 0;
		if (j->result != 0) {
			ike_log(e, sa, IKE_LOG_ERROR, "cannot sign AUTH (method %u): %s", s->method,
				oc_strerror(j->result));
			ike_job_free(j);
			ike_sa_destroy(e, sa, "cannot compute AUTH");
			return;
		}
		sa_free(sa, hs->my_auth, hs->my_auth_len);
		hs->my_auth = sa_alloc(sa, s->auth_len);
		if (!hs->my_auth) {
			ike_job_free(j);
			ike_sa_destroy(e, sa, "out of memory");
			return;
		}
		memcpy(hs->my_auth, s->auth, s->auth_len);
		hs->my_auth_len = s->auth_len;
		hs->my_method = (uint8_t)s->method;
		hs->auth_conn = s->conn;
		ike_log(e, sa, IKE_LOG_INFO, "AUTH signed with method %u (%s, %s)", s->method,
			s->key->type == OC_KEY_EC ? "ECDSA"
			: s->method == IKEV2_AUTH_RSA_SIG ? "RSA PKCS#1 v1.5"
			: s->pss ? "RSASSA-PSS" : "RSA PKCS#1 v1.5",
			s->method == IKEV2_AUTH_RSA_SIG ? "SHA-1"
			: s->method == IKEV2_AUTH_DIGITAL_SIGNATURE ? hash_name(s->hash)
			: hash_name(s->method == IKEV2_AUTH_ECDSA_SHA512_P521 ? OC_HASH_SHA512
				    : s->method == IKEV2_AUTH_ECDSA_SHA384_P384 ? OC_HASH_SHA384
				    : OC_HASH_SHA256));
	} else if (j->kind == IKE_JOB_VERIFY && hs->verify_job == j->id) {
		hs->verify_job = 0;
		hs->verified = true;
		hs->verify_rc = j->result;
		hs->auth_conn = s->conn;
		memcpy(hs->verify_why, s->why, sizeof(hs->verify_why));
		if (j->result == 0)
			ike_log(e, sa, IKE_LOG_INFO, "peer's AUTH verified (%s)", s->why);
	} else {
		ike_job_free(j); /* an old job of an exchange that moved on */
		return;
	}
	ike_job_free(j);
	ike_resume(e, sa);
}

void sig_add_certs(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m, const uint8_t *req,
		   size_t reqlen)
{
	const struct ike_conn *c = sa->conn;
	struct ikev2_payload *p;
	const mbedtls_x509_crt *crt;
	int n = 0, have = 0;

	if (!c->certs) {
		if (c->cert_der && (p = mb_add(m, IKEV2_PL_CERT))) {
			p->u.cert.encoding = IKEV2_CERT_X509_SIG;
			p->u.cert.data = c->cert_der;
			p->u.cert.len = c->cert_len;
		}
		return;
	}
	for (crt = c->certs; crt && crt->raw.p; crt = crt->next)
		have++;
	/* §3.7: a CERTREQ names the CAs the peer trusts; send the chain up to
	 * the first of them.  Without a match (or a CERTREQ) send all we have. */
	if (reqlen && c->trust)
		n = oc_certreq_select(c->certs, c->trust, req, reqlen);
	ike_log(e, sa, IKE_LOG_INFO, "sending %d certificate%s (%s)", n > 0 && n <= have ? n : have,
		(n > 0 && n <= have ? n : have) == 1 ? "" : "s",
		!reqlen ? "no CERTREQ" : n > 0 ? "CERTREQ matched" : "CERTREQ not matched");
	if (n <= 0 || n > have)
		n = have;
	crt = c->certs;
	for (int i = 0; i < n && crt; i++, crt = crt->next) {
		if (!(p = mb_add(m, IKEV2_PL_CERT)))
			return;
		p->u.cert.encoding = IKEV2_CERT_X509_SIG;
		p->u.cert.data = crt->raw.p;
		p->u.cert.len = crt->raw.len;
	}
}

void sig_add_certreq(struct ike_sa *sa, struct ike_mb *m, uint8_t *buf, size_t cap)
{
	const struct ike_conn *c = sa->conn;
	struct ikev2_payload *p;
	size_t len = 0;

	if (c->remote_auth != IKE_AUTH_PUBKEY || c->peer_pubkey || !c->trust || !c->trust->n_cas)
		return;
	if (oc_certreq_build(c->trust, buf, cap, &len) != 0 || !len)
		return;
	p = mb_add(m, IKEV2_PL_CERTREQ);
	if (!p)
		return;
	p->u.cert.encoding = IKEV2_CERT_X509_SIG;
	p->u.cert.data = buf;
	p->u.cert.len = len;
}

size_t sig_certreq_data(const struct ikev2_chain *c, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < c->count; i++) {
		const struct ikev2_payload *p = &c->pl[i];
		size_t k;
		if (p->type != IKEV2_PL_CERTREQ || p->u.cert.encoding != IKEV2_CERT_X509_SIG)
			continue;
		k = p->u.cert.len - p->u.cert.len % 20; /* whole SHA-1 hashes only */
		if (n + k > cap)
			k = (cap - n) - (cap - n) % 20;
		memcpy(buf + n, p->u.cert.data, k);
		n += k;
	}
	return n;
}
