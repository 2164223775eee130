/* osprey-pki - make keys, CAs, certificates with subjectAltNames, and CRLs.
 *
 *   osprey-pki key   --type rsa|ecdsa [--size BITS]
 *   osprey-pki self  --key CA.key --dn DN [--days N] [--pathlen N]
 *   osprey-pki issue --key KEY --cakey CA.key --cacert CA.crt --dn DN
 *                    [--san NAME]... [--days N] [--ca [--pathlen N]]
 *                    [--not-before T --not-after T] [--serial N] [--usage LIST]
 *   osprey-pki crl   --cakey CA.key --cacert CA.crt [--revoke CERT[@T]]... [--days N]
 *
 * Output (PEM) goes to stdout or --out FILE.  T is YYYYMMDDhhmmss in UTC.
 * --usage takes a comma list of digitalSignature, keyEncipherment,
 * keyCertSign, cRLSign.  Everything is done by lib/crypto/pki.c on mbedTLS. */
#include "crypto/pki.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LIST = 32 };

struct opts {
	const char *type, *key, *cakey, *cacert, *dn, *out, *not_before, *not_after, *usage;
	const char *san[MAX_LIST + 1];
	const char *revoke[MAX_LIST];
	size_t n_san, n_revoke;
	unsigned size, days, serial;
	int pathlen;
	bool ca;
};

static int usage(void)
{
	fputs("usage: osprey-pki key   --type rsa|ecdsa [--size BITS]\n"
	      "       osprey-pki self  --key CA.key --dn DN [--days N] [--pathlen N]\n"
	      "       osprey-pki issue --key KEY --cakey CA.key --cacert CA.crt --dn DN [--san NAME]...\n"
	      "                        [--days N] [--ca [--pathlen N]] [--not-before T --not-after T]\n"
	      "                        [--serial N] [--usage digitalSignature,keyEncipherment,...]\n"
	      "       osprey-pki crl   --cakey CA.key --cacert CA.crt [--revoke CERT[@T]]... [--days N]\n"
	      "  common: --out FILE (default stdout); T = YYYYMMDDhhmmss UTC\n", stderr);
	return 2;
}

static int emit(const struct opts *o, const char *text)
{
	FILE *f = o->out ? fopen(o->out, "w") : stdout;
	if (!f) {
		perror(o->out);
		return 1;
	}
	fputs(text, f);
	if (o->out && fclose(f) != 0) {
		perror(o->out);
		return 1;
	}
	return 0;
}

static struct oc_key *load_key(const char *path, bool need_private)
{
	struct oc_key *k = NULL;
	int rc = oc_key_load_private_file(path, getenv("OSPREY_PKI_PASSPHRASE"), &k);
	if (rc && !need_private) {
		mbedtls_pk_context pk;
		mbedtls_pk_init(&pk);
		if (mbedtls_pk_parse_public_keyfile(&pk, path) == 0)
			rc = oc_key_from_pk(&pk, &k);
		mbedtls_pk_free(&pk);
	}
	if (rc) {
		fprintf(stderr, "osprey-pki: cannot load key '%s': %s\n", path, oc_strerror(rc));
		return NULL;
	}
	return k;
}

static unsigned parse_usage(const char *list)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "digitalSignature", MBEDTLS_X509_KU_DIGITAL_SIGNATURE },
		{ "nonRepudiation", MBEDTLS_X509_KU_NON_REPUDIATION },
		{ "keyEncipherment", MBEDTLS_X509_KU_KEY_ENCIPHERMENT },
		{ "keyAgreement", MBEDTLS_X509_KU_KEY_AGREEMENT },
		{ "keyCertSign", MBEDTLS_X509_KU_KEY_CERT_SIGN },
		{ "cRLSign", MBEDTLS_X509_KU_CRL_SIGN },
	};
	unsigned ku = 0;
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(t, names[i].name))
				break;
		if (i == sizeof(names) / sizeof(names[0])) {
			fprintf(stderr, "osprey-pki: unknown key usage '%s'\n", t);
			return 0;
		}
		ku |= names[i].bit;
	}
	return ku;
}

static int cmd_key(const struct opts *o)
{
	struct oc_key *k;
	char pem[16384];
	bool rsa = o->type && !strcmp(o->type, "rsa");
	if (!o->type || (!rsa && strcmp(o->type, "ecdsa")))
		return usage();
	int rc = oc_pki_genkey(rsa ? OC_KEY_RSA : OC_KEY_EC, o->size ? o->size : rsa ? 3072 : 256, &k);
	if (rc) {
		fprintf(stderr, "osprey-pki: key generation failed: %s\n", oc_strerror(rc));
		return 1;
	}
	rc = oc_pki_key_pem(k, pem, sizeof(pem));
	oc_key_free(k);
	if (rc == 0)
		rc = emit(o, pem);
	oc_wipe(pem, sizeof(pem));
	return rc ? 1 : 0;
}

static int cmd_cert(const struct opts *o, bool self)
{
	struct oc_key *key = NULL, *cakey = NULL;
	mbedtls_x509_crt ca;
	uint8_t der[8192];
	char pem[12288];
	size_t n;
	int rc = 1;

	mbedtls_x509_crt_init(&ca);
	if (!o->key || !o->dn || (!self && (!o->cakey || !o->cacert)))
		return usage();
	if (!(key = load_key(o->key, self)))
		goto out;
	if (!self) {
		if (!(cakey = load_key(o->cakey, true)))
			goto out;
		if (oc_cert_load_file(&ca, o->cacert) != 0) {
			fprintf(stderr, "osprey-pki: cannot load CA certificate '%s'\n", o->cacert);
			goto out;
		}
	}
	struct oc_pki_cert req = {
		.subject = o->dn, .san = o->n_san ? o->san : NULL, .not_before = o->not_before,
		.not_after = o->not_after, .days = o->days, .ca = self || o->ca, .pathlen = o->pathlen,
		.serial = o->serial,
	};
	if (o->usage && !(req.key_usage = parse_usage(o->usage)))
		goto out;
	int r = oc_pki_issue(&req, key, self ? key : cakey, self ? NULL : &ca, der, sizeof(der), &n);
	if (r) {
		fprintf(stderr, "osprey-pki: cannot issue '%s': %s\n", o->dn, oc_strerror(r));
		goto out;
	}
	if (oc_pki_pem("CERTIFICATE", der, n, pem, sizeof(pem)) == 0)
		rc = emit(o, pem);
out:
	oc_key_free(key);
	oc_key_free(cakey);
	mbedtls_x509_crt_free(&ca);
	return rc;
}

static int cmd_crl(const struct opts *o)
{
	struct oc_key *cakey = NULL;
	mbedtls_x509_crt ca, certs[MAX_LIST];
	struct oc_pki_revoked list[MAX_LIST];
	char dates[MAX_LIST][15], now[15], next[15], pem[16384];
	uint8_t der[12288];
	size_t n, i;
	int rc = 1;

	mbedtls_x509_crt_init(&ca);
	for (i = 0; i < MAX_LIST; i++)
		mbedtls_x509_crt_init(&certs[i]);
	if (!o->cakey || !o->cacert)
		return usage();
	if (!(cakey = load_key(o->cakey, true)) || oc_cert_load_file(&ca, o->cacert) != 0) {
		fprintf(stderr, "osprey-pki: cannot load the CA key or certificate\n");
		goto out;
	}
	oc_pki_time(0, now);
	oc_pki_time((long long)(o->days ? o->days : 30) * 86400, next);
	for (i = 0; i < o->n_revoke; i++) {
		char path[1024];
		const char *at = strrchr(o->revoke[i], '@');
		snprintf(path, sizeof(path), "%.*s", at ? (int)(at - o->revoke[i]) : (int)strlen(o->revoke[i]),
			 o->revoke[i]);
		snprintf(dates[i], sizeof(dates[i]), "%s", at ? at + 1 : now);
		if (strlen(dates[i]) != 14 || oc_cert_load_file(&certs[i], path) != 0) {
			fprintf(stderr, "osprey-pki: bad --revoke '%s'\n", o->revoke[i]);
			goto out;
		}
		list[i] = (struct oc_pki_revoked){ &certs[i], dates[i] };
	}
	if (oc_pki_crl(&ca, cakey, list, o->n_revoke, now, next, der, sizeof(der), &n) != 0 ||
	    oc_pki_pem("X509 CRL", der, n, pem, sizeof(pem)) != 0) {
		fprintf(stderr, "osprey-pki: cannot make the CRL\n");
		goto out;
	}
	rc = emit(o, pem);
out:
	oc_key_free(cakey);
	mbedtls_x509_crt_free(&ca);
	for (i = 0; i < MAX_LIST; i++)
		mbedtls_x509_crt_free(&certs[i]);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "type", 1, NULL, 't' }, { "size", 1, NULL, 's' }, { "key", 1, NULL, 'k' },
		{ "cakey", 1, NULL, 'K' }, { "cacert", 1, NULL, 'C' }, { "dn", 1, NULL, 'd' },
		{ "san", 1, NULL, 'a' }, { "days", 1, NULL, 'D' }, { "ca", 0, NULL, 'c' },
		{ "pathlen", 1, NULL, 'p' }, { "not-before", 1, NULL, 'b' }, { "not-after", 1, NULL, 'e' },
		{ "serial", 1, NULL, 'S' }, { "usage", 1, NULL, 'u' }, { "revoke", 1, NULL, 'r' },
		{ "out", 1, NULL, 'o' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct opts o = { .pathlen = -1 };
	int c;

	if (argc < 2)
		return usage();
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 't': o.type = optarg; break;
		case 's': o.size = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': o.key = optarg; break;
		case 'K': o.cakey = optarg; break;
		case 'C': o.cacert = optarg; break;
		case 'd': o.dn = optarg; break;
		case 'a':
			if (o.n_san == MAX_LIST)
				return usage();
			o.san[o.n_san++] = optarg;
			break;
		case 'D': o.days = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': o.ca = true; break;
		case 'p': o.pathlen = atoi(optarg); break;
		case 'b': o.not_before = optarg; break;
		case 'e': o.not_after = optarg; break;
		case 'S': o.serial = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'u': o.usage = optarg; break;
		case 'r':
			if (o.n_revoke == MAX_LIST)
				return usage();
			o.revoke[o.n_revoke++] = optarg;
			break;
		case 'o': o.out = optarg; break;
		default: return usage();
		}
	}
	if (!strcmp(argv[1], "key"))
		return cmd_key(&o);
	if (!strcmp(argv[1], "self"))
		return cmd_cert(&o, true);
	if (!strcmp(argv[1], "issue"))
		return cmd_cert(&o, false);
	if (!strcmp(argv[1], "crl"))
		return cmd_crl(&o);
	return usage();
}
