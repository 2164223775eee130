#include "ike_attr.h"

int ike_attrs_parse(struct ike_parse_ctx *c, uint8_t payload, const uint8_t *buf, size_t len,
		    struct ike_attr_list *out)
{
	struct wire_reader r = wire_reader_init(buf, len);
	size_t count = 0, i;
	uint16_t type, lv;

	/* First pass: validate and count, so the array is allocated once. */
	while (wire_left(&r)) {
		const uint8_t *at = r.buf + r.off;
		size_t avail = wire_left(&r); /* reported as is: reading consumes some */

		if (!wire_get_u16(&r, &type) || !wire_get_u16(&r, &lv))
			return ike_fail(c->err, IKE_PERR_TRUNCATED, c->version, payload,
					"attribute header", ike_ctx_off(c, at), (uint32_t)avail);
		if (!(type & IKE_ATTR_FORMAT_TV) && !wire_skip(&r, lv))
			return ike_fail(c->err, IKE_PERR_TRUNCATED, c->version, payload,
					"attribute length", ike_ctx_off(c, at) + 2, lv);
		count++;
	}
	out->count = count;
	out->attrs = NULL;
	if (!count)
		return 0;
	out->attrs = ike_arena_array(c->arena, count, sizeof(*out->attrs));
	if (!out->attrs)
		return ike_fail(c->err, IKE_PERR_TOO_MANY, c->version, payload, "attributes",
				ike_ctx_off(c, buf), (uint32_t)count);
	r = wire_reader_init(buf, len);
	for (i = 0; i < count; i++) {
		struct ike_attr *a = &out->attrs[i];

		wire_get_u16(&r, &type);
		wire_get_u16(&r, &lv);
		a->type = type & ~IKE_ATTR_FORMAT_TV;
		a->tv = type & IKE_ATTR_FORMAT_TV;
		if (a->tv) {
			a->value = lv;
		} else {
			a->len = lv;
			wire_get_ref(&r, lv, &a->data);
		}
	}
	return 0;
}

size_t ike_attrs_size(const struct ike_attr_list *l)
{
	size_t n = 0, i;

	for (i = 0; i < l->count; i++)
		n += 4 + (l->attrs[i].tv ? 0 : l->attrs[i].len);
	return n;
}

void ike_attrs_build(struct wire_writer *w, const struct ike_attr_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		const struct ike_attr *a = &l->attrs[i];

		if (a->tv) {
			wire_put_u16(w, a->type | IKE_ATTR_FORMAT_TV);
			wire_put_u16(w, a->value);
		} else {
			wire_put_u16(w, a->type & ~IKE_ATTR_FORMAT_TV);
			wire_put_u16(w, a->len);
			wire_put_bytes(w, a->data, a->len);
		}
	}
}

const struct ike_attr *ike_attr_find(const struct ike_attr_list *l, uint16_t type)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->attrs[i].type == type)
			return &l->attrs[i];
	return NULL;
}

bool ike_attr_get_uint(const struct ike_attr *a, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (a->tv) {
		*v = a->value;
		return true;
	}
	if (a->len == 0 || a->len > 8)
		return false;
	for (i = 0; i < a->len; i++)
		x = (x << 8) | a->data[i];
	*v = x;
	return true;
}

const struct ike_substruct_kind ike_proposal_kind = {
	.more = 2, .min_len = 8, .header = "proposal header", .length = "proposal length",
	.last = "proposal last substruc",
};
const struct ike_substruct_kind ike_transform_kind = {
	.more = 3, .min_len = 8, .header = "transform header", .length = "transform length",
	.last = "transform last substruc",
};

int ike_substructs_count(struct ike_parse_ctx *c, uint8_t payload,
			 const struct ike_substruct_kind *k, const uint8_t *buf, size_t len,
			 size_t *count)
{
	struct wire_reader r = wire_reader_init(buf, len);
	size_t n = 0;

	while (wire_left(&r)) {
		const uint8_t *at = r.buf + r.off;
		uint8_t last;
		uint16_t ilen;

		if (wire_left(&r) < k->min_len)
			return ike_fail(c->err, IKE_PERR_TRUNCATED, c->version, payload, k->header,
					ike_ctx_off(c, at), (uint32_t)wire_left(&r));
		last = at[0];
		ilen = wire_load_u16(at + 2);
		if (last != 0 && last != k->more)
			return ike_fail(c->err, IKE_PERR_BAD_VALUE, c->version, payload, k->last,
					ike_ctx_off(c, at), last);
		if (ilen < k->min_len || ilen > wire_left(&r))
			return ike_fail(c->err, IKE_PERR_BAD_LENGTH, c->version, payload, k->length,
					ike_ctx_off(c, at) + 2, ilen);
		wire_skip(&r, ilen);
		n++;
		if ((last == 0) != (wire_left(&r) == 0))
			return ike_fail(c->err, IKE_PERR_BAD_CHAIN, c->version, payload, k->last,
					ike_ctx_off(c, at), last);
	}
	*count = n;
	return 0;
}
