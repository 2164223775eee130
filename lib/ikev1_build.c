/* IKEv1 / ISAKMP builder. Next-payload fields and lengths come from the model. */
#include "ikev1_codec.h"

#define V1 1

static int model_error(struct ike_error *err, uint8_t pt, const char *field, uint32_t value)
{
	return ike_fail(err, IKE_PERR_INVALID_MODEL, V1, pt, field, 0, value);
}

static int build_sa(struct wire_writer *w, const struct ikev1_sa *sa, struct ike_error *err)
{
	size_t i, t;

	wire_put_u32(w, sa->doi);
	wire_put_u32(w, sa->situation);
	for (i = 0; i < sa->nproposals; i++) {
		const struct ikev1_proposal *p = &sa->proposals[i];
		size_t start = w->len;

		if (p->ntransforms > 255)
			return model_error(err, IKEV1_PL_SA, "number of transforms",
					   (uint32_t)p->ntransforms);
		wire_put_u8(w, i + 1 < sa->nproposals ? IKEV1_PL_P : IKEV1_PL_NONE);
		wire_put_u8(w, 0);
		wire_put_u16(w, 0); /* proposal length, patched below */
		wire_put_u8(w, p->num);
		wire_put_u8(w, p->protocol);
		wire_put_u8(w, p->spi_size);
		wire_put_u8(w, (uint8_t)p->ntransforms);
		wire_put_bytes(w, p->spi, p->spi_size);
		for (t = 0; t < p->ntransforms; t++) {
			const struct ikev1_transform *tr = &p->transforms[t];
			size_t tlen = 8 + ike_attrs_size(&tr->attrs);

			if (tlen > UINT16_MAX)
				return model_error(err, IKEV1_PL_SA, "transform length", (uint32_t)tlen);
			wire_put_u8(w, t + 1 < p->ntransforms ? IKEV1_PL_T : IKEV1_PL_NONE);
			wire_put_u8(w, 0);
			wire_put_u16(w, (uint16_t)tlen);
			wire_put_u8(w, tr->num);
			wire_put_u8(w, tr->id);
			wire_put_u16(w, 0);
			ike_attrs_build(w, &tr->attrs);
		}
		if (w->len - start > UINT16_MAX)
			return model_error(err, IKEV1_PL_SA, "proposal length",
					   (uint32_t)(w->len - start));
		wire_patch_u16(w, start + 2, (uint16_t)(w->len - start));
	}
	return 0;
}

static int build_body(struct wire_writer *w, const struct ikev1_payload *p, struct ike_error *err)
{
	switch (p->type) {
	case IKEV1_PL_SA:
		return build_sa(w, &p->u.sa, err);
	case IKEV1_PL_P:
	case IKEV1_PL_T:
		return model_error(err, p->type, "proposal or transform outside an SA payload", p->type);
	case IKEV1_PL_KE:
	case IKEV1_PL_HASH:
	case IKEV1_PL_SIG:
	case IKEV1_PL_NONCE:
	case IKEV1_PL_VID:
	case IKEV1_PL_NATD:
	case IKEV1_PL_NATD_DRAFT:
		wire_put_bytes(w, p->u.ke.data, p->u.ke.len);
		return 0;
	case IKEV1_PL_ID:
		wire_put_u8(w, p->u.id.type);
		wire_put_u8(w, p->u.id.protocol);
		wire_put_u16(w, p->u.id.port);
		wire_put_bytes(w, p->u.id.data, p->u.id.len);
		return 0;
	case IKEV1_PL_CERT:
	case IKEV1_PL_CR:
		wire_put_u8(w, p->u.cert.encoding);
		wire_put_bytes(w, p->u.cert.data, p->u.cert.len);
		return 0;
	case IKEV1_PL_N:
		wire_put_u32(w, p->u.notify.doi);
		wire_put_u8(w, p->u.notify.protocol);
		wire_put_u8(w, p->u.notify.spi_size);
		wire_put_u16(w, p->u.notify.type);
		wire_put_bytes(w, p->u.notify.spi, p->u.notify.spi_size);
		wire_put_bytes(w, p->u.notify.data, p->u.notify.len);
		return 0;
	case IKEV1_PL_D:
		wire_put_u32(w, p->u.del.doi);
		wire_put_u8(w, p->u.del.protocol);
		wire_put_u8(w, p->u.del.spi_size);
		wire_put_u16(w, p->u.del.nspis);
		wire_put_bytes(w, p->u.del.spis, (size_t)p->u.del.spi_size * p->u.del.nspis);
		return 0;
	case IKEV1_PL_NATOA:
	case IKEV1_PL_NATOA_DRAFT:
		if (p->u.natoa.len != 4 && p->u.natoa.len != 16)
			return model_error(err, p->type, "NAT-OA address length",
					   (uint32_t)p->u.natoa.len);
		wire_put_u8(w, p->u.natoa.id_type);
		wire_put_zero(w, 3);
		wire_put_bytes(w, p->u.natoa.addr, p->u.natoa.len);
		return 0;
	case IKEV1_PL_ATTR:
		wire_put_u8(w, p->u.attr.type);
		wire_put_u8(w, 0);
		wire_put_u16(w, p->u.attr.identifier);
		ike_attrs_build(w, &p->u.attr.attrs);
		return 0;
	case IKEV1_PL_FRAG:
		wire_put_u16(w, p->u.frag.id);
		wire_put_u8(w, p->u.frag.number);
		wire_put_u8(w, p->u.frag.flags);
		wire_put_bytes(w, p->u.frag.data, p->u.frag.len);
		return 0;
	default:
		wire_put_bytes(w, p->body, p->body_len);
		return 0;
	}
}

static int build_chain(struct wire_writer *w, const struct ikev1_chain *c, struct ike_error *err)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		const struct ikev1_payload *p = &c->pl[i];
		size_t start = w->len;

		if (p->type == IKEV1_PL_NONE)
			return model_error(err, 0, "payload type", 0);
		wire_put_u8(w, i + 1 < c->count ? c->pl[i + 1].type : IKEV1_PL_NONE);
		wire_put_u8(w, 0);
		wire_put_u16(w, 0); /* payload length, patched below */
		if (build_body(w, p, err))
			return -1;
		if (w->len - start > UINT16_MAX)
			return model_error(err, p->type, "payload length", (uint32_t)(w->len - start));
		wire_patch_u16(w, start + 2, (uint16_t)(w->len - start));
	}
	if (w->overflow)
		return ike_fail(err, IKE_PERR_NO_SPACE, V1, 0, "output buffer", w->cap, (uint32_t)w->cap);
	return 0;
}

int ikev1_build_chain(const struct ikev1_chain *c, uint8_t *out, size_t cap, size_t *out_len,
		      struct ike_error *err)
{
	struct wire_writer w = wire_writer_init(out, cap);

	if (build_chain(&w, c, err))
		return -1;
	*out_len = w.len;
	return 0;
}

int ikev1_build(const struct ikev1_msg *m, uint8_t *out, size_t cap, size_t *out_len,
		struct ike_error *err)
{
	struct wire_writer w = wire_writer_init(out, cap);
	uint8_t next;

	if (m->encrypted)
		next = m->hdr.next_payload;
	else
		next = m->chain.count ? m->chain.pl[0].type : IKEV1_PL_NONE;
	ike_hdr_put(&w, &m->hdr, next, IKEV1_VERSION);
	if (m->encrypted) {
		wire_put_bytes(&w, m->encrypted, m->encrypted_len);
		if (w.overflow)
			return ike_fail(err, IKE_PERR_NO_SPACE, V1, 0, "output buffer", cap,
					(uint32_t)cap);
	} else if (build_chain(&w, &m->chain, err)) {
		return -1;
	}
	ike_hdr_set_length(&w);
	*out_len = w.len;
	return 0;
}
