/* Data attributes in the ISAKMP TV/TLV form (RFC 2408 §3.3), shared by IKEv2
 * transform attributes (RFC 7296 §3.3.5), IKEv1 SA attributes and the IKEv1
 * Mode Config / XAUTH attribute payload. */
#ifndef OSPREY_IKE_ATTR_H
#define OSPREY_IKE_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_error.h"
#include "wire.h"

#define IKE_ATTR_FORMAT_TV 0x8000 /* the AF bit: the value is the 16-bit length field */

struct ike_attr {
	uint16_t type;        /* without the AF bit */
	bool tv;              /* true: basic form, value in .value */
	uint16_t value;       /* basic (TV) value */
	const uint8_t *data;  /* variable (TLV) value */
	uint16_t len;         /* variable value length */
};

struct ike_attr_list {
	size_t count;
	struct ike_attr *attrs;
};

struct ike_parse_ctx {
	struct ike_arena *arena;
	struct ike_error *err;
	uint8_t version;         /* 1 or 2, for error reports */
	const uint8_t *msg_base; /* start of the message, for error offsets */
};

static inline size_t ike_ctx_off(const struct ike_parse_ctx *c, const uint8_t *p)
{
	return (size_t)(p - c->msg_base);
}

/* Parses a run of attributes filling exactly buf[0..len). */
int ike_attrs_parse(struct ike_parse_ctx *c, uint8_t payload, const uint8_t *buf, size_t len,
		    struct ike_attr_list *out);
void ike_attrs_build(struct wire_writer *w, const struct ike_attr_list *l);
size_t ike_attrs_size(const struct ike_attr_list *l);

const struct ike_attr *ike_attr_find(const struct ike_attr_list *l, uint16_t type);
/* The value of a TV attribute, or of a TLV one of at most 8 bytes
 * (IKEv1 sends long lifetimes as TLV). */
bool ike_attr_get_uint(const struct ike_attr *a, uint64_t *v);


/* Proposals and transforms in both versions are runs of substructures with a
 * common 4-byte header: a "more" byte (0 on the last, else 2 for proposals and
 * 3 for transforms: RFC 7296 §3.3.1-2, RFC 2408 §3.5-6), a reserved byte and
 * a 16-bit length. This checks such a run fills buf exactly, every item at
 * least min_len long, and returns the number of items. */
struct ike_substruct_kind {
	uint8_t more;       /* 2 or 3 */
	size_t min_len;     /* 8 */
	const char *header; /* field names for error reports */
	const char *length;
	const char *last;
};
extern const struct ike_substruct_kind ike_proposal_kind, ike_transform_kind;

int ike_substructs_count(struct ike_parse_ctx *c, uint8_t payload,
			 const struct ike_substruct_kind *k, const uint8_t *buf, size_t len,
			 size_t *count);

#endif
