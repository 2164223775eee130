/* SA payloads (§3.3): our proposals on the wire, and proposal selection
 * (§2.7): the responder picks one proposal and one transform per type. */
#include "ikev2/internal.h"

#include <stdio.h>
#include <string.h>

#include "ike_names.h"

static uint8_t wire_proto(enum oc_proto p)
{
	return p == OC_PROTO_IKE ? IKEV2_PROTO_IKE : p == OC_PROTO_AH ? IKEV2_PROTO_AH : IKEV2_PROTO_ESP;
}

static bool add_tr(struct ike_arena *a, struct ikev2_proposal *p, size_t cap, uint8_t type,
		   uint16_t id, uint16_t bits)
{
	struct ikev2_transform *t;

	if (p->ntransforms >= cap)
		return false;
	t = &p->transforms[p->ntransforms++];
	t->type = type;
	t->id = id;
	if (bits) {
		/* §3.3.5: Key Length is a TV attribute. */
		struct ike_attr *at = ike_arena_alloc(a, sizeof(*at));
		if (!at)
			return false;
		at->type = IKEV2_ATTR_KEY_LENGTH;
		at->tv = true;
		at->value = bits;
		t->attrs.count = 1;
		t->attrs.attrs = at;
	}
	return true;
}

static uint8_t *spi_bytes(struct ike_arena *a, uint32_t spi)
{
	uint8_t *s = ike_arena_alloc(a, 4);

	if (s) {
		s[0] = (uint8_t)(spi >> 24);
		s[1] = (uint8_t)(spi >> 16);
		s[2] = (uint8_t)(spi >> 8);
		s[3] = (uint8_t)spi;
	}
	return s;
}

int prop_build_sa(struct ike_arena *a, const struct oc_proposal *props, size_t n,
		  enum oc_proto proto, uint32_t spi, bool with_ke, struct ikev2_sa *out)
{
	out->nproposals = n;
	out->proposals = ike_arena_array(a, n, sizeof(*out->proposals));
	if (!out->proposals)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct oc_proposal *op = &props[i];
		struct ikev2_proposal *p = &out->proposals[i];
		size_t cap = (size_t)op->n_encr + op->n_integ + op->n_prf + op->n_ke + 2;
		bool ok = true;

		p->num = (uint8_t)(i + 1);
		p->protocol = wire_proto(proto);
		if (proto != OC_PROTO_IKE) {
			p->spi_size = 4;
			p->spi = spi_bytes(a, spi);
		}
		p->transforms = ike_arena_array(a, cap, sizeof(*p->transforms));
		if (!p->transforms || (proto != OC_PROTO_IKE && !p->spi))
			return -1;
		for (unsigned k = 0; k < op->n_encr; k++)
			ok &= add_tr(a, p, cap, IKEV2_TT_ENCR, op->encr[k]->id, op->encr[k]->key_bits);
		if (proto == OC_PROTO_IKE)
			for (unsigned k = 0; k < op->n_prf; k++)
				ok &= add_tr(a, p, cap, IKEV2_TT_PRF, op->prf[k]->id, 0);
		for (unsigned k = 0; k < op->n_integ; k++)
			ok &= add_tr(a, p, cap, IKEV2_TT_INTEG, op->integ[k]->id, 0);
		if (with_ke)
			for (unsigned k = 0; k < op->n_ke; k++)
				ok &= add_tr(a, p, cap, IKEV2_TT_KE, op->ke[k]->id, 0);
		if (proto != OC_PROTO_IKE) {
			if (op->esn & OC_ESN_YES)
				ok &= add_tr(a, p, cap, IKEV2_TT_ESN, IKEV2_ESN_YES, 0);
			if ((op->esn & OC_ESN_NO) || !op->esn)
				ok &= add_tr(a, p, cap, IKEV2_TT_ESN, IKEV2_ESN_NONE, 0);
		}
		if (!ok)
			return -1;
	}
	return 0;
}

static uint16_t key_bits(const struct ikev2_transform *t)
{
	const struct ike_attr *at = ike_attr_find(&t->attrs, IKEV2_ATTR_KEY_LENGTH);
	uint64_t v = 0;

	if (at && !ike_attr_get_uint(at, &v))
		return 0xffff;
	return (uint16_t)v;
}

static bool peer_has(const struct ikev2_proposal *p, uint8_t type, uint16_t id, uint16_t bits)
{
	for (size_t i = 0; i < p->ntransforms; i++) {
		const struct ikev2_transform *t = &p->transforms[i];
		if (t->type == type && t->id == id && (type != IKEV2_TT_ENCR || key_bits(t) == bits))
			return true;
	}
	return false;
}

static bool peer_has_type(const struct ikev2_proposal *p, uint8_t type)
{
	for (size_t i = 0; i < p->ntransforms; i++)
		if (p->transforms[i].type == type)
			return true;
	return false;
}

static const struct oc_transform *pick(const struct ikev2_proposal *p, uint8_t type,
				       const struct oc_transform *const *ours, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		if (peer_has(p, type, ours[k]->id, type == IKEV2_TT_ENCR ? ours[k]->key_bits : 0))
			return ours[k];
	return NULL;
}

/* One of our proposals against one of the peer's; group_hint (when not 0)
 * is the only acceptable group. */
static bool match(const struct ikev2_proposal *pp, const struct oc_proposal *op, bool need_ke,
		  uint16_t group_hint, struct ike_suite *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < pp->ntransforms; i++) {
		uint8_t t = pp->transforms[i].type;
		if (t != IKEV2_TT_ENCR && t != IKEV2_TT_PRF && t != IKEV2_TT_INTEG && t != IKEV2_TT_KE &&
		    t != IKEV2_TT_ESN)
			return false; /* a type we do not negotiate (§3.3.6) */
	}
	if (op->proto == OC_PROTO_AH) {
		/* AH: integrity (and ESN) only (§3.3.3). */
		if (peer_has_type(pp, IKEV2_TT_ENCR))
			return false;
	} else {
		s->encr = pick(pp, IKEV2_TT_ENCR, op->encr, op->n_encr);
		if (!s->encr)
			return false;
	}
	if (op->proto == OC_PROTO_IKE) {
		s->prf = pick(pp, IKEV2_TT_PRF, op->prf, op->n_prf);
		if (!s->prf)
			return false;
	}
	if (s->encr && s->encr->aead) {
		/* An AEAD takes no integrity algorithm, or only NONE (§3.3). */
		for (size_t i = 0; i < pp->ntransforms; i++)
			if (pp->transforms[i].type == IKEV2_TT_INTEG && pp->transforms[i].id != 0)
				return false;
	} else {
		s->integ = pick(pp, IKEV2_TT_INTEG, op->integ, op->n_integ);
		if (!s->integ)
			return false;
	}
	if (need_ke) {
		for (unsigned k = 0; k < op->n_ke && !s->group; k++)
			if ((!group_hint || op->ke[k]->id == group_hint) &&
			    peer_has(pp, IKEV2_TT_KE, op->ke[k]->id, 0))
				s->group = op->ke[k]->id;
		if (!s->group)
			return false;
	}
	if (op->proto != OC_PROTO_IKE) {
		bool yes = op->esn & OC_ESN_YES, no = (op->esn & OC_ESN_NO) || !op->esn;
		if (!peer_has_type(pp, IKEV2_TT_ESN))
			s->esn = false; /* absent: no ESN */
		else if (no && peer_has(pp, IKEV2_TT_ESN, IKEV2_ESN_NONE, 0))
			s->esn = false;
		else if (yes && peer_has(pp, IKEV2_TT_ESN, IKEV2_ESN_YES, 0))
			s->esn = true;
		else
			return false;
	}
	return true;
}

int prop_select(const struct ikev2_sa *peer, const struct oc_proposal *ours, size_t n,
		uint8_t protocol, bool need_ke, uint16_t group_hint, struct ike_suite *suite,
		uint8_t *num, uint32_t *peer_spi)
{
	/* Two passes for the IKE SA: first only the group whose KE payload the
	 * peer sent (so no INVALID_KE round trip is needed, §1.2), then any. */
	for (int pass = group_hint ? 0 : 1; pass < 2; pass++) {
		for (size_t k = 0; k < n; k++) {
			for (size_t i = 0; i < peer->nproposals; i++) {
				const struct ikev2_proposal *pp = &peer->proposals[i];
				if (pp->protocol != protocol)
					continue;
				if (protocol == IKEV2_PROTO_ESP || protocol == IKEV2_PROTO_AH) {
					if (pp->spi_size != 4)
						continue;
				}
				if (!match(pp, &ours[k], need_ke, pass == 0 ? group_hint : 0, suite))
					continue;
				*num = pp->num;
				if (peer_spi)
					*peer_spi = pp->spi_size == 4 ? wire_load_u32(pp->spi) : 0;
				return 0;
			}
		}
	}
	return -1;
}

int prop_build_chosen(struct ike_arena *a, const struct ike_suite *s, uint8_t protocol,
		      uint8_t num, uint32_t spi, struct ikev2_sa *out)
{
	struct ikev2_proposal *p = ike_arena_alloc(a, sizeof(*p));
	bool ok = true;

	if (!p)
		return -1;
	p->transforms = ike_arena_array(a, 5, sizeof(*p->transforms));
	if (!p->transforms)
		return -1;
	p->num = num;
	p->protocol = protocol;
	if (protocol != IKEV2_PROTO_IKE) {
		p->spi_size = 4;
		p->spi = spi_bytes(a, spi);
		if (!p->spi)
			return -1;
	}
	if (s->encr)
		ok &= add_tr(a, p, 5, IKEV2_TT_ENCR, s->encr->id, s->encr->key_bits);
	if (s->prf)
		ok &= add_tr(a, p, 5, IKEV2_TT_PRF, s->prf->id, 0);
	if (s->integ)
		ok &= add_tr(a, p, 5, IKEV2_TT_INTEG, s->integ->id, 0);
	if (s->group)
		ok &= add_tr(a, p, 5, IKEV2_TT_KE, s->group, 0);
	if (protocol != IKEV2_PROTO_IKE)
		ok &= add_tr(a, p, 5, IKEV2_TT_ESN, s->esn ? IKEV2_ESN_YES : IKEV2_ESN_NONE, 0);
	out->nproposals = 1;
	out->proposals = p;
	return ok ? 0 : -1;
}

static void append(char *buf, size_t len, size_t *off, const char *s)
{
	int n = snprintf(buf + *off, len - *off, "%s", s);

	if (n > 0)
		*off = *off + (size_t)n < len ? *off + (size_t)n : len - 1;
}

void prop_format_peer(const struct ikev2_sa *peer, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < peer->nproposals; i++) {
		const struct ikev2_proposal *p = &peer->proposals[i];
		append(buf, len, &off, i ? ", " : "");
		append(buf, len, &off, ikev2_protocol_name(p->protocol) ? ikev2_protocol_name(p->protocol) : "?");
		append(buf, len, &off, ":");
		for (size_t k = 0; k < p->ntransforms; k++) {
			const struct ikev2_transform *t = &p->transforms[k];
			const struct oc_transform *ot = oc_transform_find(t->type, t->id, key_bits(t));
			char tmp[48];

			if (t->type == IKEV2_TT_ESN)
				snprintf(tmp, sizeof(tmp), "%s", t->id ? "esn" : "noesn");
			else if (ot)
				snprintf(tmp, sizeof(tmp), "%s", ot->keyword);
			else
				snprintf(tmp, sizeof(tmp), "%s", ikev2_transform_id_name(t->type, t->id)
							     ? ikev2_transform_id_name(t->type, t->id)
							     : "unknown");
			append(buf, len, &off, k ? "/" : "");
			append(buf, len, &off, tmp);
		}
	}
}

void prop_format_ours(const struct oc_proposal *p, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		char tmp[256];
		if (oc_proposal_format(&p[i], tmp, sizeof(tmp)) < 0)
			snprintf(tmp, sizeof(tmp), "?");
		append(buf, len, &off, i ? ", " : "");
		append(buf, len, &off, tmp);
	}
}

bool prop_has_group(const struct oc_proposal *p, size_t n, uint16_t group)
{
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < p[i].n_ke; k++)
			if (p[i].ke[k]->id == group)
				return true;
	return false;
}

uint16_t prop_first_group(const struct oc_proposal *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].n_ke)
			return p[i].ke[0]->id;
	return 0;
}
