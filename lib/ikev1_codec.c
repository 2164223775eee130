/* IKEv1 / ISAKMP parser (RFC 2408 §3, RFC 2407 §4.6, RFC 3947). */
#include "ikev1_codec.h"

#include <stdio.h>
#include <string.h>

#include "ike_names.h"

#define V1 1

static int fail(struct ike_parse_ctx *c, enum ike_perr code, uint8_t pl, const char *field,
		const uint8_t *at, uint32_t value)
{
	return ike_fail(c->err, code, V1, pl, field, ike_ctx_off(c, at), value);
}

int ikev1_parse_header(const uint8_t *buf, size_t len, struct ike_hdr *h, struct ike_error *err)
{
	return ike_hdr_parse(buf, len, V1, h, err);
}

static int parse_sa(struct ike_parse_ctx *c, const uint8_t *at, size_t len, struct ikev1_sa *sa)
{
	struct wire_reader r = wire_reader_init(at, len);
	size_t n, i, t, ntr;

	if (len < 8)
		return fail(c, IKE_PERR_BAD_LENGTH, IKEV1_PL_SA, "payload length", at - 2,
			    (uint32_t)len + 4);
	wire_get_u32(&r, &sa->doi);
	wire_get_u32(&r, &sa->situation);
	/* RFC 2407 §4.6.1: only the IPsec DOI is defined, and labelled
	 * situations (secrecy, integrity) would add fields nobody sends. */
	if (sa->doi != IKEV1_DOI_IPSEC)
		return fail(c, IKE_PERR_BAD_VALUE, IKEV1_PL_SA, "DOI", at, sa->doi);
	if (sa->situation != IKEV1_SIT_IDENTITY_ONLY)
		return fail(c, IKE_PERR_BAD_VALUE, IKEV1_PL_SA, "situation", at + 4, sa->situation);
	if (ike_substructs_count(c, IKEV1_PL_SA, &ike_proposal_kind, at + 8, len - 8, &n))
		return -1;
	sa->nproposals = n;
	sa->proposals = ike_arena_array(c->arena, n, sizeof(*sa->proposals));
	if (n && !sa->proposals)
		return fail(c, IKE_PERR_TOO_MANY, IKEV1_PL_SA, "proposals", at, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ikev1_proposal *p = &sa->proposals[i];
		const uint8_t *pat = r.buf + r.off;
		uint16_t plen = wire_load_u16(pat + 2);
		struct wire_reader pr = wire_reader_init(pat, plen);

		wire_skip(&r, plen);
		p->num = pat[4];
		p->protocol = pat[5];
		p->spi_size = pat[6];
		wire_skip(&pr, 8);
		if (!wire_get_ref(&pr, p->spi_size, &p->spi))
			return fail(c, IKE_PERR_TRUNCATED, IKEV1_PL_SA, "proposal SPI size", pat + 6,
				    p->spi_size);
		if (!p->spi_size)
			p->spi = NULL;
		if (ike_substructs_count(c, IKEV1_PL_SA, &ike_transform_kind, pr.buf + pr.off,
					 wire_left(&pr), &ntr))
			return -1;
		if (ntr != pat[7])
			return fail(c, IKE_PERR_BAD_VALUE, IKEV1_PL_SA, "number of transforms", pat + 7,
				    pat[7]);
		p->ntransforms = ntr;
		p->transforms = ike_arena_array(c->arena, ntr, sizeof(*p->transforms));
		if (ntr && !p->transforms)
			return fail(c, IKE_PERR_TOO_MANY, IKEV1_PL_SA, "transforms", pat + 7, pat[7]);
		for (t = 0; t < ntr; t++) {
			struct ikev1_transform *tr = &p->transforms[t];
			const uint8_t *tat = pr.buf + pr.off;
			uint16_t tlen = wire_load_u16(tat + 2);

			tr->num = tat[4];
			tr->id = tat[5];
			if (ike_attrs_parse(c, IKEV1_PL_SA, tat + 8, tlen - 8, &tr->attrs))
				return -1;
			wire_skip(&pr, tlen);
		}
	}
	return 0;
}

/* Identification data sizes fixed by RFC 2407 §4.6.2.1-12; 0 = variable. */
static size_t id_data_len(uint8_t type)
{
	switch (type) {
	case IKEV1_ID_IPV4_ADDR: return 4;
	case IKEV1_ID_IPV4_ADDR_SUBNET:
	case IKEV1_ID_IPV4_ADDR_RANGE: return 8;
	case IKEV1_ID_IPV6_ADDR: return 16;
	case IKEV1_ID_IPV6_ADDR_SUBNET:
	case IKEV1_ID_IPV6_ADDR_RANGE: return 32;
	default: return 0;
	}
}

static int parse_body(struct ike_parse_ctx *c, struct ikev1_payload *p)
{
	const uint8_t *at = p->body;
	size_t len = p->body_len;
	uint8_t pt = p->type;
	static const uint8_t fixed[] = {
		[IKEV1_PL_ID] = 4, [IKEV1_PL_CERT] = 1, [IKEV1_PL_CR] = 1, [IKEV1_PL_N] = 8,
		[IKEV1_PL_D] = 8, [IKEV1_PL_ATTR] = 4, [IKEV1_PL_NATOA] = 4,
		[IKEV1_PL_NATOA_DRAFT] = 4, [IKEV1_PL_FRAG] = 4,
	};

	if (pt < sizeof(fixed) && len < fixed[pt])
		return fail(c, IKE_PERR_BAD_LENGTH, pt, "payload length", at - 2, (uint32_t)len + 4);

	switch (pt) {
	case IKEV1_PL_SA:
		return parse_sa(c, at, len, &p->u.sa);
	case IKEV1_PL_P:
	case IKEV1_PL_T:
		return fail(c, IKE_PERR_BAD_CHAIN, pt, "proposal or transform outside an SA payload",
			    at - 4, pt);
	case IKEV1_PL_KE:
	case IKEV1_PL_HASH:
	case IKEV1_PL_SIG:
	case IKEV1_PL_NONCE:
	case IKEV1_PL_VID:
	case IKEV1_PL_NATD:
	case IKEV1_PL_NATD_DRAFT:
		/* All of these are a single opaque value; the union members alias. */
		p->u.ke.data = at;
		p->u.ke.len = len;
		return 0;
	case IKEV1_PL_ID: {
		size_t want = id_data_len(at[0]);

		p->u.id.type = at[0];
		p->u.id.protocol = at[1];
		p->u.id.port = wire_load_u16(at + 2);
		p->u.id.data = at + 4;
		p->u.id.len = len - 4;
		if (want && p->u.id.len != want)
			return fail(c, IKE_PERR_BAD_LENGTH, pt, "identification data", at + 4,
				    (uint32_t)p->u.id.len);
		return 0;
	}
	case IKEV1_PL_CERT:
	case IKEV1_PL_CR:
		p->u.cert.encoding = at[0];
		p->u.cert.data = at + 1;
		p->u.cert.len = len - 1;
		return 0;
	case IKEV1_PL_N: {
		struct ikev1_notify *n = &p->u.notify;

		n->doi = wire_load_u32(at);
		n->protocol = at[4];
		n->spi_size = at[5];
		n->type = wire_load_u16(at + 6);
		if (len - 8 < n->spi_size)
			return fail(c, IKE_PERR_TRUNCATED, pt, "SPI size", at + 5, n->spi_size);
		n->spi = n->spi_size ? at + 8 : NULL;
		n->data = at + 8 + n->spi_size;
		n->len = len - 8 - n->spi_size;
		return 0;
	}
	case IKEV1_PL_D: {
		struct ikev1_delete *d = &p->u.del;

		d->doi = wire_load_u32(at);
		d->protocol = at[4];
		d->spi_size = at[5];
		d->nspis = wire_load_u16(at + 6);
		if ((size_t)d->spi_size * d->nspis != len - 8)
			return fail(c, IKE_PERR_BAD_LENGTH, pt, "number of SPIs", at + 6, d->nspis);
		d->spis = d->nspis ? at + 8 : NULL;
		return 0;
	}
	case IKEV1_PL_NATOA:
	case IKEV1_PL_NATOA_DRAFT: {
		struct ikev1_natoa *o = &p->u.natoa;

		o->id_type = at[0];
		o->len = len - 4;
		if (!((o->id_type == IKEV1_ID_IPV4_ADDR && o->len == 4) ||
		      (o->id_type == IKEV1_ID_IPV6_ADDR && o->len == 16)))
			return fail(c, IKE_PERR_BAD_VALUE, pt, "NAT-OA ID type", at, o->id_type);
		memcpy(o->addr, at + 4, o->len);
		return 0;
	}
	case IKEV1_PL_ATTR:
		p->u.attr.type = at[0];
		p->u.attr.identifier = wire_load_u16(at + 2);
		return ike_attrs_parse(c, pt, at + 4, len - 4, &p->u.attr.attrs);
	case IKEV1_PL_FRAG:
		p->u.frag.id = wire_load_u16(at);
		p->u.frag.number = at[2];
		p->u.frag.flags = at[3];
		p->u.frag.data = at + 4;
		p->u.frag.len = len - 4;
		if (p->u.frag.number == 0)
			return fail(c, IKE_PERR_BAD_VALUE, pt, "fragment number", at + 2, 0);
		return 0;
	default:
		return 0; /* kept as a raw body */
	}
}

bool ikev1_payload_known(uint8_t type)
{
	return (type >= IKEV1_PL_SA && type <= IKEV1_PL_ATTR) || type == IKEV1_PL_NATD ||
	       type == IKEV1_PL_NATOA || type == IKEV1_PL_NATD_DRAFT ||
	       type == IKEV1_PL_NATOA_DRAFT || type == IKEV1_PL_FRAG;
}

int ikev1_parse_chain(uint8_t first, const uint8_t *buf, size_t len, size_t base_off,
		      unsigned flags, struct ike_arena *arena, struct ikev1_chain *chain,
		      struct ike_error *err)
{
	struct ike_parse_ctx c = {
		.arena = arena, .err = err, .version = V1, .msg_base = buf - base_off,
	};
	struct wire_reader r = wire_reader_init(buf, len);
	uint8_t type = first;
	size_t n = 0, i;

	while (type != IKEV1_PL_NONE) {
		const uint8_t *at = r.buf + r.off;
		uint16_t plen;

		if (wire_left(&r) < IKEV1_PAYLOAD_HDR_LEN)
			return fail(&c, IKE_PERR_TRUNCATED, type, "generic payload header", at,
				    (uint32_t)wire_left(&r));
		plen = wire_load_u16(at + 2);
		if (plen < IKEV1_PAYLOAD_HDR_LEN || plen > wire_left(&r))
			return fail(&c, IKE_PERR_BAD_LENGTH, type, "payload length", at + 2, plen);
		wire_skip(&r, plen);
		n++;
		type = at[0];
	}
	if (wire_left(&r) && !(flags & IKEV1_PARSE_ALLOW_PADDING))
		return fail(&c, IKE_PERR_BAD_CHAIN, 0, "trailing data after last payload",
			    r.buf + r.off, (uint32_t)wire_left(&r));

	chain->count = n;
	chain->pl = ike_arena_array(arena, n, sizeof(*chain->pl));
	if (n && !chain->pl)
		return fail(&c, IKE_PERR_TOO_MANY, first, "payloads", buf, (uint32_t)n);
	r = wire_reader_init(buf, len);
	type = first;
	for (i = 0; i < n; i++) {
		struct ikev1_payload *p = &chain->pl[i];
		const uint8_t *at = r.buf + r.off;
		uint16_t plen = wire_load_u16(at + 2);

		p->type = type;
		p->body = at + IKEV1_PAYLOAD_HDR_LEN;
		p->body_len = plen - IKEV1_PAYLOAD_HDR_LEN;
		if (parse_body(&c, p))
			return -1;
		wire_skip(&r, plen);
		type = at[0];
	}
	return 0;
}

int ikev1_parse(const uint8_t *buf, size_t len, struct ike_arena *arena, struct ikev1_msg *msg,
		struct ike_error *err)
{
	memset(&msg->chain, 0, sizeof(msg->chain));
	msg->encrypted = NULL;
	msg->encrypted_len = 0;
	if (ikev1_parse_header(buf, len, &msg->hdr, err))
		return -1;
	if (msg->hdr.flags & IKEV1_FLAG_ENCRYPTION) {
		msg->encrypted = buf + IKEV1_HDR_LEN;
		msg->encrypted_len = len - IKEV1_HDR_LEN;
		return 0;
	}
	return ikev1_parse_chain(msg->hdr.next_payload, buf + IKEV1_HDR_LEN, len - IKEV1_HDR_LEN,
				 IKEV1_HDR_LEN, 0, arena, &msg->chain, err);
}

const struct ikev1_payload *ikev1_find(const struct ikev1_chain *c, uint8_t type)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (c->pl[i].type == type)
			return &c->pl[i];
	return NULL;
}

const struct ikev1_payload *ikev1_find_notify(const struct ikev1_chain *c, uint16_t ntype)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (c->pl[i].type == IKEV1_PL_N && c->pl[i].u.notify.type == ntype)
			return &c->pl[i];
	return NULL;
}

int ikev1_chain_summary(const struct ikev1_chain *c, char *buf, size_t len)
{
	size_t i, used;
	char num[16];
	int n;

	n = snprintf(buf, len, "[");
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < c->count && used < len; i++) {
		const struct ikev1_payload *p = &c->pl[i];

		if (p->type == IKEV1_PL_N)
			n = snprintf(buf + used, len - used, " N(%s)",
				     ike_name_or_number(ikev1_notify_name(p->u.notify.type),
							p->u.notify.type, num));
		else
			n = snprintf(buf + used, len - used, " %s",
				     ike_name_or_number(ikev1_payload_short(p->type), p->type, num));
		if (n < 0)
			return n;
		used += (size_t)n;
	}
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, " ]");
	return (int)used;
}

int ikev1_msg_summary(const struct ikev1_msg *m, char *buf, size_t len)
{
	char num[16], chain[512];

	if (m->encrypted)
		snprintf(chain, sizeof(chain), "[ encrypted %zu bytes ]", m->encrypted_len);
	else
		ikev1_chain_summary(&m->chain, chain, sizeof(chain));
	return snprintf(buf, len, "%s %u %s",
			ike_name_or_number(ikev1_exchange_name(m->hdr.exchange), m->hdr.exchange, num),
			m->hdr.msgid, chain);
}
