/* Certificates, private keys, CAs and CRLs of connections (conn_pki.h), and
 * their check at configuration load (conf_check_pki). */
#define _GNU_SOURCE
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_priv.h"
#include "conn_pki.h"
#include "util.h"

static const char *key_error(int rc)
{
	if (rc == OC_EAUTH)
		return "the key is encrypted (passphrases are not supported: store it unencrypted, "
		       "readable by root and the daemon's group only)";
	return "not a PEM or DER private key (PKCS#1, SEC1 or PKCS#8)";
}

static void subject(const mbedtls_x509_crt *c, char *buf, size_t len)
{
	if (mbedtls_x509_dn_gets(buf, len, &c->subject) < 0)
		snprintf(buf, len, "?");
}

static mbedtls_x509_crt *new_chain(void)
{
	mbedtls_x509_crt *c = xmalloc(sizeof(*c));

	mbedtls_x509_crt_init(c);
	return c;
}

/* Appends the certificates of every file; -1 with err naming the file. */
static int load_certs(const struct strv *files, mbedtls_x509_crt *chain, const char *what,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < files->n; i++)
		if (oc_cert_load_file(chain, files->v[i]) != 0) {
			snprintf(err, errlen, "%s file %s: %s", what, files->v[i],
				 access(files->v[i], R_OK) ? "cannot be read"
				 : "no certificate in it (expected PEM or DER X.509)");
			return -1;
		}
	return 0;
}

int conn_pki_find_key(const struct osp_config *cfg, const mbedtls_x509_crt *cert,
		      struct oc_key **key)
{
	uint8_t want[20], have[20];

	*key = NULL;
	if (oc_cert_spki_sha1(cert, want) != 0)
		return -1;
	for (size_t i = 0; i < cfg->n_secrets; i++) {
		const struct conf_secret *s = &cfg->secrets[i];
		struct oc_key *k = NULL;

		if (s->kind != SECRET_PRIVATE || !s->file)
			continue;
		if (oc_key_load_private_file(s->file, NULL, &k) != 0)
			continue;
		if (oc_key_spki_sha1(k, have) == 0 && !memcmp(want, have, sizeof(want))) {
			*key = k;
			return (int)i;
		}
		oc_key_free(k);
	}
	return -1;
}

/* The trust anchors: remote.cacerts when given, else every authority; the
 * CRLs of every authority. */
static int load_trust(const struct osp_config *cfg, const struct conf_conn *cn,
		      struct oc_trust *t, char *err, size_t errlen)
{
	const struct strv *ca = &cn->remote.cacerts;

	for (size_t i = 0; i < ca->n; i++)
		if (oc_trust_add_ca_file(t, ca->v[i]) != 0) {
			snprintf(err, errlen, "remote.cacerts: no certificate in %s", ca->v[i]);
			return -1;
		}
	for (size_t i = 0; i < cfg->n_authorities; i++) {
		const struct conf_authority *a = &cfg->authorities[i];

		if (!ca->n && a->cacert && oc_trust_add_ca_file(t, a->cacert) != 0) {
			snprintf(err, errlen, "authorities.%s.cacert: no certificate in %s", a->name,
				 a->cacert);
			return -1;
		}
		for (size_t j = 0; j < a->crls.n; j++)
			if (oc_trust_add_crl_file(t, a->crls.v[j]) != 0) {
				snprintf(err, errlen, "authorities.%s.crls: no CRL in %s", a->name,
					 a->crls.v[j]);
				return -1;
			}
	}
	return 0;
}

int conn_pki_load(const struct osp_config *cfg, const struct conf_conn *cn,
		  struct conn_pki *out, char *err, size_t errlen)
{
	char e[600], dn[256];

	memset(out, 0, sizeof(*out));
	if (cn->local.method == AUTH_PUBKEY) {
		out->certs = new_chain();
		if (load_certs(&cn->local.certs, out->certs, "local.certs: certificate", e,
			       sizeof(e))) {
			snprintf(err, errlen, "%s", e);
			return -1;
		}
		if (!out->certs->raw.p) {
			snprintf(err, errlen, "local.auth = \"pubkey\" but local.certs names no "
				 "certificate");
			return -1;
		}
		if (conn_pki_find_key(cfg, out->certs, &out->key) < 0) {
			subject(out->certs, dn, sizeof(dn));
			snprintf(err, errlen, "no private key in secrets { private-... } matches the "
				 "certificate '%s'", dn);
			return -1;
		}
	}
	if (cn->remote.method != AUTH_PUBKEY)
		return 0;
	if (cn->remote.certs.n) {
		mbedtls_x509_crt peer;
		int rc;

		mbedtls_x509_crt_init(&peer);
		rc = load_certs(&cn->remote.certs, &peer, "remote.certs: certificate", e, sizeof(e));
		if (!rc)
			rc = oc_key_from_pk(&peer.pk, &out->peer_pubkey);
		mbedtls_x509_crt_free(&peer);
		if (rc) {
			snprintf(err, errlen, "%s", rc < 0 && e[0] ? e : "remote.certs: unusable key");
			return -1;
		}
		return 0;
	}
	out->trust = xmalloc(sizeof(*out->trust));
	oc_trust_init(out->trust);
	if (load_trust(cfg, cn, out->trust, err, errlen))
		return -1;
	if (!out->trust->n_cas) {
		snprintf(err, errlen, "remote.auth = \"pubkey\" but there is no CA to verify the "
			 "peer's certificate (authorities { ... } or remote.cacerts)");
		return -1;
	}
	return 0;
}

void conn_pki_free(struct conn_pki *p)
{
	if (p->certs) {
		mbedtls_x509_crt_free(p->certs);
		free(p->certs);
	}
	if (p->trust) {
		oc_trust_free(p->trust);
		free(p->trust);
	}
	oc_key_free(p->key);
	oc_key_free(p->peer_pubkey);
	memset(p, 0, sizeof(*p));
}

/* ---- --check-config: every certificate, key and CRL file must parse ---- */

static void err_at(struct pctx *P, const struct conf_where *at, const char *setting,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void err_at(struct pctx *P, const struct conf_where *at, const char *setting,
		   const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conf_err_add(P->errs, at->file, at->line, setting, "%s", msg);
}

/* Files that cannot be read were reported by conf_check_all already. */
static void check_cert_files(struct pctx *P, const struct conf_where *at, const char *setting,
			     const struct strv *files, const char *what)
{
	for (size_t i = 0; i < files->n; i++) {
		mbedtls_x509_crt c;

		if (access(files->v[i], R_OK))
			continue;
		mbedtls_x509_crt_init(&c);
		if (oc_cert_load_file(&c, files->v[i]) != 0)
			err_at(P, at, setting, "%s file %s holds no certificate (expected PEM or DER "
			       "X.509)", what, files->v[i]);
		mbedtls_x509_crt_free(&c);
	}
}

static void check_conn_pki(struct pctx *P, const struct conf_conn *cn)
{
	char set[300], dn[256];
	mbedtls_x509_crt c;
	struct oc_key *k = NULL;
	size_t nerr = P->errs->n;

	snprintf(set, sizeof(set), "connections.%s.local.certs", cn->name);
	check_cert_files(P, &cn->at, set, &cn->local.certs, "certificate");
	snprintf(set, sizeof(set), "connections.%s.remote.certs", cn->name);
	check_cert_files(P, &cn->at, set, &cn->remote.certs, "certificate");
	snprintf(set, sizeof(set), "connections.%s.remote.cacerts", cn->name);
	check_cert_files(P, &cn->at, set, &cn->remote.cacerts, "CA certificate");
	if (cn->local.method != AUTH_PUBKEY || !cn->local.certs.n || P->errs->n != nerr)
		return;
	/* The first certificate is ours: a private key must match it. */
	mbedtls_x509_crt_init(&c);
	if (oc_cert_load_file(&c, cn->local.certs.v[0]) == 0 &&
	    conn_pki_find_key(P->cfg, &c, &k) < 0) {
		subject(&c, dn, sizeof(dn));
		snprintf(set, sizeof(set), "connections.%s.local.certs", cn->name);
		err_at(P, &cn->at, set, "no private key in secrets { private-... } matches the "
		       "certificate '%s' of %s", dn, cn->local.certs.v[0]);
	}
	oc_key_free(k);
	mbedtls_x509_crt_free(&c);
}

void conf_check_pki(struct pctx *P)
{
	struct osp_config *c = P->cfg;
	char set[300];

	for (size_t i = 0; i < c->n_secrets; i++) {
		struct conf_secret *s = &c->secrets[i];
		struct oc_key *k = NULL;
		int rc;

		if (s->kind != SECRET_PRIVATE || !s->file || access(s->file, R_OK))
			continue;
		snprintf(set, sizeof(set), "secrets.%s.file", s->name);
		rc = oc_key_load_private_file(s->file, NULL, &k);
		if (rc)
			err_at(P, &s->at, set, "private key file %s: %s", s->file, key_error(rc));
		oc_key_free(k);
	}
	for (size_t i = 0; i < c->n_authorities; i++) {
		struct conf_authority *a = &c->authorities[i];
		struct strv one = { 0 };

		snprintf(set, sizeof(set), "authorities.%s.cacert", a->name);
		if (a->cacert) {
			strv_add(&one, a->cacert);
			check_cert_files(P, &a->at, set, &one, "CA certificate");
			strv_free(&one);
		}
		snprintf(set, sizeof(set), "authorities.%s.crls", a->name);
		for (size_t j = 0; j < a->crls.n; j++) {
			struct oc_trust t;

			if (access(a->crls.v[j], R_OK)) {
				err_at(P, &a->at, set, "cannot read CRL file %s: %m", a->crls.v[j]);
				continue;
			}
			oc_trust_init(&t);
			if (oc_trust_add_crl_file(&t, a->crls.v[j]) != 0)
				err_at(P, &a->at, set, "CRL file %s holds no CRL (expected PEM or DER "
				       "X.509 CRL)", a->crls.v[j]);
			oc_trust_free(&t);
		}
	}
	for (size_t i = 0; i < c->n_conns; i++)
		check_conn_pki(P, &c->conns[i]);
}
