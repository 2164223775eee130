/* IKEv2 builder: writes a message model to bytes. Next-payload fields and all
 * lengths are derived here, so a model cannot disagree with its encoding. */
#include "ikev2_codec.h"

#define V2 2

static int model_error(struct ike_error *err, uint8_t pt, const char *field, uint32_t value)
{
	return ike_fail(err, IKE_PERR_INVALID_MODEL, V2, pt, field, 0, value);
}

static int build_sa(struct wire_writer *w, const struct ikev2_sa *sa, struct ike_error *err)
{
	size_t i, t;

	if (sa->nproposals > 255)
		return model_error(err, IKEV2_PL_SA, "number of proposals", (uint32_t)sa->nproposals);
	for (i = 0; i < sa->nproposals; i++) {
		const struct ikev2_proposal *p = &sa->proposals[i];
		size_t start = w->len;

		if (p->ntransforms > 255)
			return model_error(err, IKEV2_PL_SA, "number of transforms",
					   (uint32_t)p->ntransforms);
		wire_put_u8(w, i + 1 < sa->nproposals ? 2 : 0);
		wire_put_u8(w, 0);
		wire_put_u16(w, 0); /* proposal length, patched below */
		wire_put_u8(w, p->num);
		wire_put_u8(w, p->protocol);
		wire_put_u8(w, p->spi_size);
		wire_put_u8(w, (uint8_t)p->ntransforms);
		wire_put_bytes(w, p->spi, p->spi_size);
		for (t = 0; t < p->ntransforms; t++) {
			const struct ikev2_transform *tr = &p->transforms[t];
			size_t tlen = 8 + ike_attrs_size(&tr->attrs);

			if (tlen > UINT16_MAX)
				return model_error(err, IKEV2_PL_SA, "transform length", (uint32_t)tlen);
			wire_put_u8(w, t + 1 < p->ntransforms ? 3 : 0);
			wire_put_u8(w, 0);
			wire_put_u16(w, (uint16_t)tlen);
			wire_put_u8(w, tr->type);
			wire_put_u8(w, 0);
			wire_put_u16(w, tr->id);
			ike_attrs_build(w, &tr->attrs);
		}
		if (w->len - start > UINT16_MAX)
			return model_error(err, IKEV2_PL_SA, "proposal length",
					   (uint32_t)(w->len - start));
		wire_patch_u16(w, start + 2, (uint16_t)(w->len - start));
	}
	return 0;
}

static int build_ts(struct wire_writer *w, const struct ikev2_ts_list *l, uint8_t pt,
		    struct ike_error *err)
{
	size_t i, alen;

	if (l->count > 255)
		return model_error(err, pt, "number of TSs", (uint32_t)l->count);
	wire_put_u8(w, (uint8_t)l->count);
	wire_put_zero(w, 3);
	for (i = 0; i < l->count; i++) {
		const struct ikev2_ts *ts = &l->ts[i];

		alen = ts->type == IKEV2_TS_IPV4_ADDR_RANGE ? 4
		       : ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? 16 : 0;
		wire_put_u8(w, ts->type);
		wire_put_u8(w, ts->ip_proto);
		if (alen) {
			wire_put_u16(w, (uint16_t)(8 + 2 * alen));
			wire_put_u16(w, ts->start_port);
			wire_put_u16(w, ts->end_port);
			wire_put_bytes(w, ts->start, alen);
			wire_put_bytes(w, ts->end, alen);
		} else {
			if (ts->len > UINT16_MAX - 4)
				return model_error(err, pt, "selector length", ts->len);
			wire_put_u16(w, (uint16_t)(4 + ts->len));
			wire_put_bytes(w, ts->data, ts->len);
		}
	}
	return 0;
}

static int build_body(struct wire_writer *w, const struct ikev2_payload *p, struct ike_error *err)
{
	size_t i;

	switch (p->type) {
	case IKEV2_PL_SA:
		return build_sa(w, &p->u.sa, err);
	case IKEV2_PL_KE:
		wire_put_u16(w, p->u.ke.group);
		wire_put_u16(w, 0);
		wire_put_bytes(w, p->u.ke.data, p->u.ke.len);
		return 0;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		wire_put_u8(w, p->u.id.type);
		wire_put_zero(w, 3);
		wire_put_bytes(w, p->u.id.data, p->u.id.len);
		return 0;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		wire_put_u8(w, p->u.cert.encoding);
		wire_put_bytes(w, p->u.cert.data, p->u.cert.len);
		return 0;
	case IKEV2_PL_AUTH:
		wire_put_u8(w, p->u.auth.method);
		wire_put_zero(w, 3);
		wire_put_bytes(w, p->u.auth.data, p->u.auth.len);
		return 0;
	case IKEV2_PL_NONCE:
		wire_put_bytes(w, p->u.nonce.data, p->u.nonce.len);
		return 0;
	case IKEV2_PL_NOTIFY:
		wire_put_u8(w, p->u.notify.protocol);
		wire_put_u8(w, p->u.notify.spi_size);
		wire_put_u16(w, p->u.notify.type);
		wire_put_bytes(w, p->u.notify.spi, p->u.notify.spi_size);
		wire_put_bytes(w, p->u.notify.data, p->u.notify.len);
		return 0;
	case IKEV2_PL_DELETE:
		wire_put_u8(w, p->u.del.protocol);
		wire_put_u8(w, p->u.del.spi_size);
		wire_put_u16(w, p->u.del.nspis);
		wire_put_bytes(w, p->u.del.spis, (size_t)p->u.del.spi_size * p->u.del.nspis);
		return 0;
	case IKEV2_PL_VENDOR:
		wire_put_bytes(w, p->u.vendor.data, p->u.vendor.len);
		return 0;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		return build_ts(w, &p->u.ts, p->type, err);
	case IKEV2_PL_SK:
		wire_put_bytes(w, p->u.sk.data, p->u.sk.len);
		return 0;
	case IKEV2_PL_SKF:
		wire_put_u16(w, p->u.skf.number);
		wire_put_u16(w, p->u.skf.total);
		wire_put_bytes(w, p->u.skf.data, p->u.skf.len);
		return 0;
	case IKEV2_PL_CP:
		wire_put_u8(w, p->u.cp.type);
		wire_put_zero(w, 3);
		for (i = 0; i < p->u.cp.nattrs; i++) {
			wire_put_u16(w, p->u.cp.attrs[i].type & 0x7fff);
			wire_put_u16(w, p->u.cp.attrs[i].len);
			wire_put_bytes(w, p->u.cp.attrs[i].data, p->u.cp.attrs[i].len);
		}
		return 0;
	case IKEV2_PL_EAP: {
		bool typed = p->u.eap.code == IKEV2_EAP_REQUEST || p->u.eap.code == IKEV2_EAP_RESPONSE;
		size_t elen = 4 + (typed ? 1 : 0) + p->u.eap.len;

		if (elen > UINT16_MAX)
			return model_error(err, IKEV2_PL_EAP, "EAP length", (uint32_t)elen);
		wire_put_u8(w, p->u.eap.code);
		wire_put_u8(w, p->u.eap.identifier);
		wire_put_u16(w, (uint16_t)elen);
		if (typed)
			wire_put_u8(w, p->u.eap.type);
		wire_put_bytes(w, p->u.eap.data, p->u.eap.len);
		return 0;
	}
	default:
		wire_put_bytes(w, p->body, p->body_len);
		return 0;
	}
}

static int build_chain(struct wire_writer *w, const struct ikev2_chain *c, struct ike_error *err)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		const struct ikev2_payload *p = &c->pl[i];
		size_t start = w->len;
		uint8_t next = i + 1 < c->count ? c->pl[i + 1].type : IKEV2_PL_NONE;

		/* §3.14: SK is last, and its next-payload field names the first
		 * payload inside it. */
		if (p->type == IKEV2_PL_SK || p->type == IKEV2_PL_SKF) {
			if (i + 1 != c->count)
				return model_error(err, p->type, "encrypted payload not last", (uint32_t)i);
			next = p->type == IKEV2_PL_SK ? p->u.sk.first_inner : p->u.skf.first_inner;
		}
		if (p->type == IKEV2_PL_NONE)
			return model_error(err, 0, "payload type", 0);
		wire_put_u8(w, next);
		wire_put_u8(w, p->critical ? IKEV2_CRITICAL : 0);
		wire_put_u16(w, 0); /* payload length, patched below */
		if (build_body(w, p, err))
			return -1;
		if (w->len - start > UINT16_MAX)
			return model_error(err, p->type, "payload length", (uint32_t)(w->len - start));
		wire_patch_u16(w, start + 2, (uint16_t)(w->len - start));
	}
	if (w->overflow)
		return ike_fail(err, IKE_PERR_NO_SPACE, V2, 0, "output buffer", w->cap, (uint32_t)w->cap);
	return 0;
}

int ikev2_build_chain(const struct ikev2_chain *c, uint8_t *out, size_t cap, size_t *out_len,
		      struct ike_error *err)
{
	struct wire_writer w = wire_writer_init(out, cap);

	if (build_chain(&w, c, err))
		return -1;
	*out_len = w.len;
	return 0;
}

int ikev2_build(const struct ikev2_msg *m, uint8_t *out, size_t cap, size_t *out_len,
		struct ike_error *err)
{
	struct wire_writer w = wire_writer_init(out, cap);

	ike_hdr_put(&w, &m->hdr, m->chain.count ? m->chain.pl[0].type : IKEV2_PL_NONE,
		    IKEV2_VERSION);
	if (build_chain(&w, &m->chain, err))
		return -1;
	ike_hdr_set_length(&w);
	*out_len = w.len;
	return 0;
}
