#include "ike_hdr.h"

int ike_hdr_parse(const uint8_t *buf, size_t len, uint8_t major, struct ike_hdr *h,
		  struct ike_error *err)
{
	struct wire_reader r = wire_reader_init(buf, len);

	if (len < IKE_HDR_LEN)
		return ike_fail(err, IKE_PERR_TRUNCATED, major, 0, "message length", 0, (uint32_t)len);
	wire_get_u64(&r, &h->ispi);
	wire_get_u64(&r, &h->rspi);
	wire_get_u8(&r, &h->next_payload);
	wire_get_u8(&r, &h->version);
	wire_get_u8(&r, &h->exchange);
	wire_get_u8(&r, &h->flags);
	wire_get_u32(&r, &h->msgid);
	wire_get_u32(&r, &h->length);
	/* IKEv2 §3.1: a major version above ours is answered with
	 * INVALID_MAJOR_VERSION; the other version belongs to the other codec. */
	if ((h->version >> 4) != major)
		return ike_fail(err, IKE_PERR_BAD_VERSION, major, 0, "version", 17, h->version);
	if (h->length != len)
		return ike_fail(err, IKE_PERR_BAD_LENGTH, major, 0, "length", 24, h->length);
	return 0;
}

void ike_hdr_put(struct wire_writer *w, const struct ike_hdr *h, uint8_t next,
		 uint8_t default_version)
{
	wire_put_u64(w, h->ispi);
	wire_put_u64(w, h->rspi);
	wire_put_u8(w, next);
	wire_put_u8(w, h->version ? h->version : default_version);
	wire_put_u8(w, h->exchange);
	wire_put_u8(w, h->flags);
	wire_put_u32(w, h->msgid);
	wire_put_u32(w, 0);
}

void ike_hdr_set_length(struct wire_writer *w)
{
	wire_patch_u32(w, 24, (uint32_t)w->len);
}
