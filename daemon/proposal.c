/* Proposal validation for the configuration, by lib/crypto's transform
 * registry and proposal parser (lib/crypto/proposal.h): a keyword is valid
 * when the registry knows it and a crypto provider implements it. This file
 * adds what the configuration needs on top: a "did you mean" for a
 * mistyped keyword, and the IKEv1 restrictions (a transform without an
 * IKEv1 value cannot be proposed in IKEv1). */
#define _GNU_SOURCE
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "crypto/proposal.h"
#include "ikev2_const.h"

#define MAX_KEYWORDS 128

/* Whether the parser accepts keyword kw at all for proto. */
static bool known(const char *kw, enum oc_proto proto)
{
	const struct oc_transform *t;

	if (proto != OC_PROTO_IKE && (!strcmp(kw, "esn") || !strcmp(kw, "noesn")))
		return true;
	t = oc_transform_by_keyword(kw);
	return t && !(proto != OC_PROTO_IKE && t->type == IKEV2_TT_PRF);
}

/* The closest valid keyword to an unknown one, or NULL. */
static const char *suggest(const char *tok, enum oc_proto proto)
{
	const char *cands[MAX_KEYWORDS + 2];
	size_t n = 0;

	for (size_t i = 0; oc_transform_at(i) && n < MAX_KEYWORDS; i++) {
		const struct oc_transform *t = oc_transform_at(i);

		if (known(t->keyword, proto) && oc_transform_available(t))
			cands[n++] = t->keyword;
	}
	if (proto != OC_PROTO_IKE) {
		cands[n++] = "esn";
		cands[n++] = "noesn";
	}
	return closest_word(tok, cands, n);
}

/* Finds the first keyword of proposal the parser does not know. */
static bool first_unknown(const char *proposal, enum oc_proto proto, char *tok, size_t toklen)
{
	for (const char *p = proposal; *p;) {
		size_t len = strcspn(p, "-");

		if (len && len < toklen) {
			memcpy(tok, p, len);
			tok[len] = '\0';
			if (!known(tok, proto))
				return true;
		}
		p += len + (p[len] == '-');
	}
	return false;
}

/* Inserts " (did you mean 'best'?)" after the first 'tok' in err. */
static void add_suggestion(char *err, size_t errlen, const char *tok, const char *best)
{
	char quoted[80], tail[2048];
	char *at;

	snprintf(quoted, sizeof(quoted), "'%s'", tok);
	at = strstr(err, quoted);
	if (!at)
		return;
	at += strlen(quoted);
	snprintf(tail, sizeof(tail), "%s", at);
	snprintf(at, errlen - (size_t)(at - err), " (did you mean '%s'?)%s", best, tail);
}

/* The proposal is already quoted at the start of the configuration error;
 * drop the parser's repetitions of it so the line says it once. */
static void drop_repeat(char *err, const char *proposal)
{
	static const char *const pre[] = { " in proposal '", "proposal '", "proposal '" };
	static const char *const post[] = { "'", "': ", "' " };
	char rep[320];
	char *at;

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		snprintf(rep, sizeof(rep), "%s%s%s", pre[i], proposal, post[i]);
		at = strstr(err, rep);
		if (at)
			memmove(at, at + strlen(rep), strlen(at + strlen(rep)) + 1);
	}
}

/* IKEv1 can only carry transforms that have an IKEv1 value: phase 1 takes
 * the cipher, the hash (the PRF) and the group; phase 2 the ESP cipher, the
 * authentication algorithm and the PFS group. */
static const char *not_in_ikev1(const struct oc_proposal *p, bool esp)
{
	for (uint8_t i = 0; i < p->n_encr; i++)
		if (!(esp ? p->encr[i]->v1_esp : p->encr[i]->v1))
			return p->encr[i]->keyword;
	for (uint8_t i = 0; esp && i < p->n_integ; i++)
		if (!p->integ[i]->v1_esp)
			return p->integ[i]->keyword;
	for (uint8_t i = 0; !esp && i < p->n_integ; i++) {
		const struct oc_transform *prf = oc_transform_find(IKEV2_TT_PRF, p->integ[i]->prf, 0);

		if (!prf || !prf->v1)
			return p->integ[i]->keyword;
	}
	for (uint8_t i = 0; !esp && i < p->n_prf; i++)
		if (!p->prf[i]->v1)
			return p->prf[i]->keyword;
	for (uint8_t i = 0; i < p->n_ke; i++)
		if (!p->ke[i]->v1)
			return p->ke[i]->keyword;
	return NULL;
}

int config_check_proposal(const char *proposal, int proto_num, int version, char *err,
			  size_t errlen)
{
	enum oc_proto proto = (enum oc_proto)proto_num;
	bool esp = proto != OC_PROTO_IKE;	/* AH proposals follow ESP's rules */
	const struct oc_transform *t;
	struct oc_proposal p;
	const char *bad;
	char tok[64];

	if (!strcmp(proposal, "default"))
		return 0;
	if (oc_proposal_parse(proposal, proto, &p, err, errlen) == 0) {
		bad = version == 1 ? not_in_ikev1(&p, esp) : NULL;
		if (!bad)
			return 0;
		snprintf(err, errlen, "'%s' is not available with IKEv1", bad);
		return -1;
	}
	if (first_unknown(proposal, proto, tok, sizeof(tok))) {
		const char *best;

		/* The parser calls a PRF in an ESP proposal unknown; say why. */
		t = oc_transform_by_keyword(tok);
		if (t && t->type == IKEV2_TT_PRF) {
			snprintf(err, errlen, "'%s' is a PRF, which %s proposals do not have", tok,
				 proto == OC_PROTO_AH ? "AH" : "ESP");
			return -1;
		}
		best = suggest(tok, proto);
		if (best)
			add_suggestion(err, errlen, tok, best);
	}
	drop_repeat(err, proposal);
	return -1;
}
