/* proposal.c - parsing and printing proposal strings (proposal.h). */
#include "crypto/proposal.h"
#include "ikev2_const.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends every canonical keyword valid for proto to err. */
static void list_keywords(enum oc_proto proto, char *err, size_t errlen)
{
	size_t off = strlen(err);
	for (size_t i = 0; oc_transform_at(i); i++) {
		const struct oc_transform *t = oc_transform_at(i);
		if (proto != OC_PROTO_IKE && t->type == IKEV2_TT_PRF)
			continue;
		if (proto == OC_PROTO_AH && t->type == IKEV2_TT_ENCR)
			continue;
		if (!oc_transform_available(t))
			continue;
		int n = snprintf(err + off, errlen > off ? errlen - off : 0, " %s", t->keyword);
		if (n < 0 || (size_t)n >= errlen - off)
			return;
		off += (size_t)n;
	}
	if (proto != OC_PROTO_IKE && off < errlen)
		snprintf(err + off, errlen - off, " esn noesn");
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return OC_EINVAL;
}

static bool add(const struct oc_transform **arr, uint8_t *n, const struct oc_transform *t)
{
	for (uint8_t i = 0; i < *n; i++)
		if (arr[i] == t)
			return true; /* a repeated keyword counts once */
	if (*n == OC_PROPOSAL_MAX)
		return false;
	arr[(*n)++] = t;
	return true;
}

int oc_proposal_parse(const char *s, enum oc_proto proto, struct oc_proposal *p,
		      char *err, size_t errlen)
{
	char tok[64];
	const char *q = s;
	size_t n_aead = 0;

	memset(p, 0, sizeof(*p));
	p->proto = proto;
	if (!s || !*s)
		return fail(err, errlen, "empty proposal");
	while (*q) {
		const char *dash = strchr(q, '-');
		size_t len = dash ? (size_t)(dash - q) : strlen(q);
		if (len == 0 || len >= sizeof(tok))
			return fail(err, errlen, "empty or overlong keyword in proposal '%s'", s);
		memcpy(tok, q, len);
		tok[len] = 0;
		q += len + (dash ? 1 : 0);
		if (dash && !*q)
			return fail(err, errlen, "proposal '%s' ends with '-'", s);

		if (proto != OC_PROTO_IKE && (!strcmp(tok, "esn") || !strcmp(tok, "noesn"))) {
			p->esn |= tok[0] == 'e' ? OC_ESN_YES : OC_ESN_NO;
			continue;
		}
		const struct oc_transform *t = oc_transform_by_keyword(tok);
		if (!t || (proto != OC_PROTO_IKE && t->type == IKEV2_TT_PRF) ||
		    (proto == OC_PROTO_AH && t->type == IKEV2_TT_ENCR)) {
			fail(err, errlen, "unknown algorithm '%s' in proposal '%s'; valid keywords:", tok, s);
			list_keywords(proto, err, errlen);
			return OC_EINVAL;
		}
		if (!oc_transform_available(t)) {
			char why[160];
			snprintf(why, sizeof(why), "%s", t->unavailable ? t->unavailable
						  : "no crypto provider implements it");
			return fail(err, errlen, "algorithm '%s' is not available: %s", tok, why);
		}
		bool ok = true;
		switch (t->type) {
		case IKEV2_TT_ENCR:
			ok = add(p->encr, &p->n_encr, t);
			n_aead += t->aead;
			break;
		case IKEV2_TT_INTEG: ok = add(p->integ, &p->n_integ, t); break;
		case IKEV2_TT_PRF: ok = add(p->prf, &p->n_prf, t); break;
		case IKEV2_TT_KE: ok = add(p->ke, &p->n_ke, t); break;
		}
		if (!ok)
			return fail(err, errlen, "too many algorithms in proposal '%s'", s);
	}

	if (proto != OC_PROTO_AH && p->n_encr == 0)
		return fail(err, errlen, "proposal '%s' has no encryption algorithm", s);
	if (n_aead && n_aead != p->n_encr)
		return fail(err, errlen, "proposal '%s' mixes AEAD and non-AEAD encryption; "
			    "write them as separate proposals", s);
	if (n_aead && p->n_integ)
		return fail(err, errlen, "proposal '%s': an AEAD algorithm takes no integrity "
			    "algorithm", s);
	if (!n_aead && p->n_integ == 0)
		return fail(err, errlen, "proposal '%s' has no integrity algorithm", s);
	if (proto == OC_PROTO_IKE) {
		if (p->n_prf == 0) {
			if (n_aead)
				return fail(err, errlen, "proposal '%s': an AEAD IKE proposal needs a "
					    "PRF keyword (e.g. prfsha256)", s);
			for (uint8_t i = 0; i < p->n_integ; i++) {
				const struct oc_transform *prf =
					oc_transform_find(IKEV2_TT_PRF, p->integ[i]->prf, 0);
				if (prf && oc_transform_available(prf))
					add(p->prf, &p->n_prf, prf);
			}
			p->prf_implicit = true;
		}
		if (p->n_ke == 0)
			return fail(err, errlen, "proposal '%s' has no key exchange method", s);
	}
	return 0;
}

int oc_proposal_format(const struct oc_proposal *p, char *buf, size_t len)
{
	size_t off = 0;
	const struct oc_transform *const *lists[4] = { p->encr, p->integ, p->prf, p->ke };
	uint8_t counts[4] = { p->n_encr, p->n_integ, p->prf_implicit ? 0 : p->n_prf, p->n_ke };

	if (len)
		buf[0] = 0;
	for (int l = 0; l < 4; l++)
		for (uint8_t i = 0; i < counts[l]; i++) {
			int n = snprintf(buf + off, len > off ? len - off : 0, "%s%s",
					 off ? "-" : "", lists[l][i]->keyword);
			if (n < 0)
				return -1;
			off += (size_t)n;
		}
	if (p->esn & OC_ESN_YES)
		off += (size_t)snprintf(buf + off, len > off ? len - off : 0, "-esn");
	if (p->esn & OC_ESN_NO)
		off += (size_t)snprintf(buf + off, len > off ? len - off : 0, "-noesn");
	return (int)off;
}
