/* IKEv2 parser (RFC 7296 §3). Every length is checked against its container
 * before anything is read; the first problem found is reported with the
 * payload, field and offset, and the message is rejected whole. */
#include "ikev2_codec.h"

#include <stdio.h>
#include <string.h>

#include "ike_names.h"

#define V2 2

static int fail(struct ike_parse_ctx *c, enum ike_perr code, uint8_t pl, const char *field,
		const uint8_t *at, uint32_t value)
{
	return ike_fail(c->err, code, V2, pl, field, ike_ctx_off(c, at), value);
}

int ikev2_parse_header(const uint8_t *buf, size_t len, struct ike_hdr *h, struct ike_error *err)
{
	return ike_hdr_parse(buf, len, V2, h, err);
}

static int parse_sa(struct ike_parse_ctx *c, struct wire_reader *r, struct ikev2_sa *sa)
{
	size_t n, i, t, ntr;

	if (ike_substructs_count(c, IKEV2_PL_SA, &ike_proposal_kind, r->buf, r->len, &n))
		return -1;
	/* §3.3.1: proposals are numbered 1, 2, ... in a one-octet field, so
	 * there are at most 255 (and the builder writes no more). */
	if (n > 255)
		return fail(c, IKE_PERR_BAD_VALUE, IKEV2_PL_SA, "number of proposals", r->buf,
			    (uint32_t)n);
	sa->nproposals = n;
	sa->proposals = ike_arena_array(c->arena, n, sizeof(*sa->proposals));
	if (n && !sa->proposals)
		return fail(c, IKE_PERR_TOO_MANY, IKEV2_PL_SA, "proposals", r->buf, (uint32_t)n);

	for (i = 0; i < n; i++) {
		struct ikev2_proposal *p = &sa->proposals[i];
		const uint8_t *at = r->buf + r->off;
		uint16_t plen = wire_load_u16(at + 2);
		struct wire_reader pr = wire_reader_init(at, plen);

		wire_skip(r, plen);
		p->num = at[4];
		p->protocol = at[5];
		p->spi_size = at[6];
		wire_skip(&pr, 8);
		if (!wire_get_ref(&pr, p->spi_size, &p->spi))
			return fail(c, IKE_PERR_TRUNCATED, IKEV2_PL_SA, "proposal SPI size", at + 6,
				    p->spi_size);
		if (p->spi_size == 0)
			p->spi = NULL;
		if (ike_substructs_count(c, IKEV2_PL_SA, &ike_transform_kind, pr.buf + pr.off,
					 wire_left(&pr), &ntr))
			return -1;
		if (ntr != at[7])
			return fail(c, IKE_PERR_BAD_VALUE, IKEV2_PL_SA, "number of transforms", at + 7,
				    at[7]);
		p->ntransforms = ntr;
		p->transforms = ike_arena_array(c->arena, ntr, sizeof(*p->transforms));
		if (ntr && !p->transforms)
			return fail(c, IKE_PERR_TOO_MANY, IKEV2_PL_SA, "transforms", at + 7, at[7]);
		for (t = 0; t < ntr; t++) {
			struct ikev2_transform *tr = &p->transforms[t];
			const uint8_t *tat = pr.buf + pr.off;
			uint16_t tlen = wire_load_u16(tat + 2);

			tr->type = tat[4];
			tr->id = wire_load_u16(tat + 6);
			if (ike_attrs_parse(c, IKEV2_PL_SA, tat + 8, tlen - 8, &tr->attrs))
				return -1;
			wire_skip(&pr, tlen);
		}
	}
	return 0;
}

static int parse_ts(struct ike_parse_ctx *c, uint8_t pt, struct wire_reader *r,
		    struct ikev2_ts_list *l)
{
	const uint8_t *at = r->buf + r->off;
	uint8_t count;
	size_t i;

	if (!wire_get_u8(r, &count) || !wire_skip(r, 3))
		return fail(c, IKE_PERR_TRUNCATED, pt, "number of TSs", at, (uint32_t)wire_left(r));
	l->count = count;
	l->ts = ike_arena_array(c->arena, count, sizeof(*l->ts));
	if (count && !l->ts)
		return fail(c, IKE_PERR_TOO_MANY, pt, "traffic selectors", at, count);
	for (i = 0; i < count; i++) {
		struct ikev2_ts *ts = &l->ts[i];
		const uint8_t *tat = r->buf + r->off;
		uint16_t slen;
		size_t alen;

		if (wire_left(r) < 4)
			return fail(c, IKE_PERR_TRUNCATED, pt, "traffic selector header", tat,
				    (uint32_t)wire_left(r));
		ts->type = tat[0];
		ts->ip_proto = tat[1];
		slen = wire_load_u16(tat + 2);
		if (slen < 4 || slen > wire_left(r))
			return fail(c, IKE_PERR_BAD_LENGTH, pt, "selector length", tat + 2, slen);
		switch (ts->type) {
		case IKEV2_TS_IPV4_ADDR_RANGE: alen = 4; break;
		case IKEV2_TS_IPV6_ADDR_RANGE: alen = 16; break;
		default: alen = 0; break;
		}
		if (alen) {
			if (slen != 8 + 2 * alen)
				return fail(c, IKE_PERR_BAD_LENGTH, pt, "selector length", tat + 2, slen);
			ts->start_port = wire_load_u16(tat + 4);
			ts->end_port = wire_load_u16(tat + 6);
			memcpy(ts->start, tat + 8, alen);
			memcpy(ts->end, tat + 8 + alen, alen);
		} else {
			ts->data = tat + 4;
			ts->len = slen - 4;
		}
		wire_skip(r, slen);
	}
	if (wire_left(r))
		return fail(c, IKE_PERR_BAD_LENGTH, pt, "payload length", r->buf + r->off,
			    (uint32_t)wire_left(r));
	return 0;
}

static int parse_cp(struct ike_parse_ctx *c, struct wire_reader *r, struct ikev2_cp *cp)
{
	struct wire_reader scan;
	const uint8_t *at = r->buf + r->off;
	size_t n = 0, i;

	if (!wire_get_u8(r, &cp->type) || !wire_skip(r, 3))
		return fail(c, IKE_PERR_TRUNCATED, IKEV2_PL_CP, "CFG type", at, (uint32_t)wire_left(r));
	scan = *r;
	while (wire_left(&scan)) {
		const uint8_t *aat = scan.buf + scan.off;
		size_t avail = wire_left(&scan); /* reported as is: reading consumes some */
		uint16_t type, alen;

		if (!wire_get_u16(&scan, &type) || !wire_get_u16(&scan, &alen))
			return fail(c, IKE_PERR_TRUNCATED, IKEV2_PL_CP, "attribute header", aat,
				    (uint32_t)avail);
		if (!wire_skip(&scan, alen))
			return fail(c, IKE_PERR_BAD_LENGTH, IKEV2_PL_CP, "attribute length", aat + 2, alen);
		n++;
	}
	cp->nattrs = n;
	cp->attrs = ike_arena_array(c->arena, n, sizeof(*cp->attrs));
	if (n && !cp->attrs)
		return fail(c, IKE_PERR_TOO_MANY, IKEV2_PL_CP, "attributes", at, (uint32_t)n);
	for (i = 0; i < n; i++) {
		uint16_t type;

		wire_get_u16(r, &type);
		cp->attrs[i].type = type & 0x7fff; /* the top bit is reserved (§3.15.1) */
		wire_get_u16(r, &cp->attrs[i].len);
		wire_get_ref(r, cp->attrs[i].len, &cp->attrs[i].data);
	}
	return 0;
}

static int parse_body(struct ike_parse_ctx *c, struct ikev2_payload *p, uint8_t next)
{
	struct wire_reader r = wire_reader_init(p->body, p->body_len);
	const uint8_t *at = p->body;
	uint8_t pt = p->type;

	/* Fixed-size parts first; a too-short body is one error for all. */
	static const uint8_t fixed[] = {
		[IKEV2_PL_KE] = 4, [IKEV2_PL_IDI] = 4, [IKEV2_PL_IDR] = 4, [IKEV2_PL_CERT] = 1,
		[IKEV2_PL_CERTREQ] = 1, [IKEV2_PL_AUTH] = 4, [IKEV2_PL_NOTIFY] = 4,
		[IKEV2_PL_DELETE] = 4, [IKEV2_PL_TSI] = 4, [IKEV2_PL_TSR] = 4, [IKEV2_PL_CP] = 4,
		[IKEV2_PL_EAP] = 4, [IKEV2_PL_SKF] = 4,
	};
	if (pt < sizeof(fixed) && p->body_len < fixed[pt])
		return fail(c, IKE_PERR_BAD_LENGTH, pt, "payload length", at - 2,
			    (uint32_t)(p->body_len + IKEV2_PAYLOAD_HDR_LEN));

	switch (pt) {
	case IKEV2_PL_SA:
		return parse_sa(c, &r, &p->u.sa);
	case IKEV2_PL_KE:
		p->u.ke.group = wire_load_u16(at);
		p->u.ke.data = at + 4;
		p->u.ke.len = p->body_len - 4;
		return 0;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		p->u.id.type = at[0];
		p->u.id.data = at + 4;
		p->u.id.len = p->body_len - 4;
		if ((p->u.id.type == IKEV2_ID_IPV4_ADDR && p->u.id.len != 4) ||
		    (p->u.id.type == IKEV2_ID_IPV6_ADDR && p->u.id.len != 16))
			return fail(c, IKE_PERR_BAD_LENGTH, pt, "identification data", at + 4,
				    (uint32_t)p->u.id.len);
		return 0;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		p->u.cert.encoding = at[0];
		p->u.cert.data = at + 1;
		p->u.cert.len = p->body_len - 1;
		return 0;
	case IKEV2_PL_AUTH:
		p->u.auth.method = at[0];
		p->u.auth.data = at + 4;
		p->u.auth.len = p->body_len - 4;
		return 0;
	case IKEV2_PL_NONCE:
		p->u.nonce.data = at;
		p->u.nonce.len = p->body_len;
		return 0;
	case IKEV2_PL_NOTIFY: {
		struct ikev2_notify *n = &p->u.notify;

		wire_get_u8(&r, &n->protocol);
		wire_get_u8(&r, &n->spi_size);
		wire_get_u16(&r, &n->type);
		if (!wire_get_ref(&r, n->spi_size, &n->spi))
			return fail(c, IKE_PERR_TRUNCATED, pt, "SPI size", at + 1, n->spi_size);
		if (!n->spi_size)
			n->spi = NULL;
		n->data = r.buf + r.off;
		n->len = wire_left(&r);
		return 0;
	}
	case IKEV2_PL_DELETE: {
		struct ikev2_delete *d = &p->u.del;

		wire_get_u8(&r, &d->protocol);
		wire_get_u8(&r, &d->spi_size);
		wire_get_u16(&r, &d->nspis);
		if ((size_t)d->spi_size * d->nspis != wire_left(&r))
			return fail(c, IKE_PERR_BAD_LENGTH, pt, "number of SPIs", at + 2, d->nspis);
		d->spis = d->nspis ? r.buf + r.off : NULL;
		return 0;
	}
	case IKEV2_PL_VENDOR:
		p->u.vendor.data = at;
		p->u.vendor.len = p->body_len;
		return 0;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		return parse_ts(c, pt, &r, &p->u.ts);
	case IKEV2_PL_SK:
		p->u.sk.first_inner = next;
		p->u.sk.data = at;
		p->u.sk.len = p->body_len;
		return 0;
	case IKEV2_PL_SKF:
		p->u.skf.first_inner = next;
		p->u.skf.number = wire_load_u16(at);
		p->u.skf.total = wire_load_u16(at + 2);
		p->u.skf.data = at + 4;
		p->u.skf.len = p->body_len - 4;
		/* RFC 7383 §2.5: numbering starts at 1 and never exceeds the total. */
		if (p->u.skf.number == 0 || p->u.skf.number > p->u.skf.total)
			return fail(c, IKE_PERR_BAD_VALUE, pt, "fragment number", at, p->u.skf.number);
		return 0;
	case IKEV2_PL_CP:
		return parse_cp(c, &r, &p->u.cp);
	case IKEV2_PL_EAP: {
		struct ikev2_eap *e = &p->u.eap;
		uint16_t elen = wire_load_u16(at + 2);

		e->code = at[0];
		e->identifier = at[1];
		/* RFC 3748 §4: the EAP length covers the whole EAP packet. */
		if (elen != p->body_len)
			return fail(c, IKE_PERR_BAD_LENGTH, pt, "EAP length", at + 2, elen);
		if (e->code == IKEV2_EAP_REQUEST || e->code == IKEV2_EAP_RESPONSE) {
			if (p->body_len < 5)
				return fail(c, IKE_PERR_BAD_LENGTH, pt, "EAP length", at + 2, elen);
			e->type = at[4];
			e->data = at + 5;
			e->len = p->body_len - 5;
		} else {
			e->data = at + 4;
			e->len = p->body_len - 4;
		}
		return 0;
	}
	default:
		return 0; /* kept as a raw body */
	}
}

bool ikev2_payload_known(uint8_t type)
{
	return (type >= IKEV2_PL_SA && type <= IKEV2_PL_EAP) || type == IKEV2_PL_SKF;
}

int ikev2_parse_chain(uint8_t first, const uint8_t *buf, size_t len, size_t base_off,
		      struct ike_arena *arena, struct ikev2_chain *chain, struct ike_error *err)
{
	struct ike_parse_ctx c = {
		.arena = arena, .err = err, .version = V2, .msg_base = buf - base_off,
	};
	struct wire_reader r = wire_reader_init(buf, len);
	uint8_t type = first;
	size_t n = 0, i;

	/* Walk the chain once to validate the generic headers and count. */
	while (type != IKEV2_PL_NONE) {
		const uint8_t *at = r.buf + r.off;
		uint16_t plen;

		if (wire_left(&r) < IKEV2_PAYLOAD_HDR_LEN)
			return fail(&c, IKE_PERR_TRUNCATED, type, "generic payload header", at,
				    (uint32_t)wire_left(&r));
		plen = wire_load_u16(at + 2);
		if (plen < IKEV2_PAYLOAD_HDR_LEN || plen > wire_left(&r))
			return fail(&c, IKE_PERR_BAD_LENGTH, type, "payload length", at + 2, plen);
		if (!ikev2_payload_known(type) && (at[1] & IKEV2_CRITICAL))
			return fail(&c, IKE_PERR_UNSUPPORTED_CRITICAL, type, "critical bit", at + 1, type);
		wire_skip(&r, plen);
		n++;
		if (type == IKEV2_PL_SK || type == IKEV2_PL_SKF) {
			if (wire_left(&r))
				return fail(&c, IKE_PERR_BAD_CHAIN, type, "encrypted payload not last",
					    r.buf + r.off, (uint32_t)wire_left(&r));
			break;
		}
		type = at[0];
	}
	if (wire_left(&r))
		return fail(&c, IKE_PERR_BAD_CHAIN, 0, "trailing data after last payload",
			    r.buf + r.off, (uint32_t)wire_left(&r));

	chain->count = n;
	chain->pl = ike_arena_array(arena, n, sizeof(*chain->pl));
	if (n && !chain->pl)
		return fail(&c, IKE_PERR_TOO_MANY, first, "payloads", buf, (uint32_t)n);
	r = wire_reader_init(buf, len);
	type = first;
	for (i = 0; i < n; i++) {
		struct ikev2_payload *p = &chain->pl[i];
		const uint8_t *at = r.buf + r.off;
		uint16_t plen = wire_load_u16(at + 2);

		p->type = type;
		p->critical = at[1] & IKEV2_CRITICAL;
		p->body = at + IKEV2_PAYLOAD_HDR_LEN;
		p->body_len = plen - IKEV2_PAYLOAD_HDR_LEN;
		if (parse_body(&c, p, at[0]))
			return -1;
		wire_skip(&r, plen);
		type = at[0];
	}
	return 0;
}

int ikev2_parse(const uint8_t *buf, size_t len, struct ike_arena *arena, struct ikev2_msg *msg,
		struct ike_error *err)
{
	if (ikev2_parse_header(buf, len, &msg->hdr, err))
		return -1;
	return ikev2_parse_chain(msg->hdr.next_payload, buf + IKEV2_HDR_LEN, len - IKEV2_HDR_LEN,
				 IKEV2_HDR_LEN, arena, &msg->chain, err);
}

const struct ikev2_payload *ikev2_find(const struct ikev2_chain *c, uint8_t type)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (c->pl[i].type == type)
			return &c->pl[i];
	return NULL;
}

const struct ikev2_payload *ikev2_find_notify(const struct ikev2_chain *c, uint16_t ntype)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (c->pl[i].type == IKEV2_PL_NOTIFY && c->pl[i].u.notify.type == ntype)
			return &c->pl[i];
	return NULL;
}

int ikev2_chain_summary(const struct ikev2_chain *c, char *buf, size_t len)
{
	size_t i, used = 0;
	char num[16];
	int n;

	n = snprintf(buf, len, "[");
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < c->count && used < len; i++) {
		const struct ikev2_payload *p = &c->pl[i];
		const char *name = ike_name_or_number(ikev2_payload_short(p->type), p->type, num);

		if (p->type == IKEV2_PL_NOTIFY) {
			char nnum[16];

			n = snprintf(buf + used, len - used, " N(%s)",
				     ike_name_or_number(ikev2_notify_name(p->u.notify.type),
							p->u.notify.type, nnum));
		} else if (p->type == IKEV2_PL_SKF) {
			n = snprintf(buf + used, len - used, " SKF(%u/%u)", p->u.skf.number,
				     p->u.skf.total);
		} else {
			n = snprintf(buf + used, len - used, " %s", name);
		}
		if (n < 0)
			return n;
		used += (size_t)n;
	}
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, " ]");
	return (int)used;
}

int ikev2_msg_summary(const struct ikev2_msg *m, char *buf, size_t len)
{
	char num[16], chain[512];

	ikev2_chain_summary(&m->chain, chain, sizeof(chain));
	return snprintf(buf, len, "%s %s %u %s",
			ike_name_or_number(ikev2_exchange_name(m->hdr.exchange), m->hdr.exchange, num),
			(m->hdr.flags & IKEV2_FLAG_RESPONSE) ? "response" : "request", m->hdr.msgid,
			chain);
}
