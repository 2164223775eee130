/* Deep structural equality of parsed IKE messages (see msg_equal.h). */
#include "msg_equal.h"

#include <stdio.h>
#include <string.h>

/* The first difference found, for test failure messages. */
static const char *diff_field;
static char diff_text[160];

/* Records what differed and makes the comparison fail. */
#define SAME(cond, what)                       \
	do {                                   \
		if (!(cond)) {                 \
			diff_field = (what);   \
			return false;          \
		}                              \
	} while (0)

const char *msg_equal_last_difference(void)
{
	return diff_text[0] ? diff_text : (diff_field ? diff_field : "none");
}

static void note_payload(size_t index, unsigned type)
{
	snprintf(diff_text, sizeof(diff_text), "payload %zu (type %u): %s", index, type,
		 diff_field ? diff_field : "?");
}

/* The bytes behind two pointers; NULL and an empty run are the same thing. */
static bool bytes_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return false;
	if (alen == 0)
		return true;
	if (!a || !b)
		return false;
	return memcmp(a, b, alen) == 0;
}

static bool attrs_equal(const struct ike_attr_list *a, const struct ike_attr_list *b)
{
	size_t i;

	SAME(a->count == b->count, "attribute count");
	for (i = 0; i < a->count; i++) {
		const struct ike_attr *x = &a->attrs[i], *y = &b->attrs[i];

		SAME(x->type == y->type, "attribute type");
		SAME(x->tv == y->tv, "attribute format");
		if (x->tv)
			SAME(x->value == y->value, "attribute value");
		else
			SAME(bytes_equal(x->data, x->len, y->data, y->len), "attribute data");
	}
	return true;
}

/* ---- IKEv2 ------------------------------------------------------------ */

static bool v2_sa_equal(const struct ikev2_sa *a, const struct ikev2_sa *b)
{
	size_t i, t;

	SAME(a->nproposals == b->nproposals, "number of proposals");
	for (i = 0; i < a->nproposals; i++) {
		const struct ikev2_proposal *p = &a->proposals[i], *q = &b->proposals[i];

		SAME(p->num == q->num, "proposal number");
		SAME(p->protocol == q->protocol, "proposal protocol");
		SAME(p->spi_size == q->spi_size, "proposal SPI size");
		SAME(bytes_equal(p->spi, p->spi_size, q->spi, q->spi_size), "proposal SPI");
		SAME(p->ntransforms == q->ntransforms, "number of transforms");
		for (t = 0; t < p->ntransforms; t++) {
			const struct ikev2_transform *x = &p->transforms[t], *y = &q->transforms[t];

			SAME(x->type == y->type, "transform type");
			SAME(x->id == y->id, "transform ID");
			if (!attrs_equal(&x->attrs, &y->attrs))
				return false;
		}
	}
	return true;
}

static bool v2_ts_equal(const struct ikev2_ts_list *a, const struct ikev2_ts_list *b)
{
	size_t i, alen;

	SAME(a->count == b->count, "number of TSs");
	for (i = 0; i < a->count; i++) {
		const struct ikev2_ts *x = &a->ts[i], *y = &b->ts[i];

		SAME(x->type == y->type, "TS type");
		SAME(x->ip_proto == y->ip_proto, "TS IP protocol");
		alen = x->type == IKEV2_TS_IPV4_ADDR_RANGE ? 4
		       : x->type == IKEV2_TS_IPV6_ADDR_RANGE ? 16 : 0;
		if (alen) {
			SAME(x->start_port == y->start_port, "TS start port");
			SAME(x->end_port == y->end_port, "TS end port");
			SAME(memcmp(x->start, y->start, alen) == 0, "TS start address");
			SAME(memcmp(x->end, y->end, alen) == 0, "TS end address");
		} else {
			SAME(bytes_equal(x->data, x->len, y->data, y->len), "TS data");
		}
	}
	return true;
}

static bool v2_cp_equal(const struct ikev2_cp *a, const struct ikev2_cp *b)
{
	size_t i;

	SAME(a->type == b->type, "CFG type");
	SAME(a->nattrs == b->nattrs, "number of CP attributes");
	for (i = 0; i < a->nattrs; i++) {
		const struct ikev2_cfg_attr *x = &a->attrs[i], *y = &b->attrs[i];

		SAME(x->type == y->type, "CP attribute type");
		SAME(bytes_equal(x->data, x->len, y->data, y->len), "CP attribute value");
	}
	return true;
}

static bool v2_payload_equal(const struct ikev2_payload *a, const struct ikev2_payload *b)
{
	SAME(a->type == b->type, "payload type");
	SAME(a->critical == b->critical, "critical bit");
	switch (a->type) {
	case IKEV2_PL_SA:
		return v2_sa_equal(&a->u.sa, &b->u.sa);
	case IKEV2_PL_KE:
		SAME(a->u.ke.group == b->u.ke.group, "KE group");
		SAME(bytes_equal(a->u.ke.data, a->u.ke.len, b->u.ke.data, b->u.ke.len), "KE data");
		return true;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		SAME(a->u.id.type == b->u.id.type, "ID type");
		SAME(bytes_equal(a->u.id.data, a->u.id.len, b->u.id.data, b->u.id.len), "ID data");
		return true;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		SAME(a->u.cert.encoding == b->u.cert.encoding, "certificate encoding");
		SAME(bytes_equal(a->u.cert.data, a->u.cert.len, b->u.cert.data, b->u.cert.len),
		     "certificate data");
		return true;
	case IKEV2_PL_AUTH:
		SAME(a->u.auth.method == b->u.auth.method, "auth method");
		SAME(bytes_equal(a->u.auth.data, a->u.auth.len, b->u.auth.data, b->u.auth.len),
		     "auth data");
		return true;
	case IKEV2_PL_NONCE:
		SAME(bytes_equal(a->u.nonce.data, a->u.nonce.len, b->u.nonce.data, b->u.nonce.len),
		     "nonce data");
		return true;
	case IKEV2_PL_NOTIFY: {
		const struct ikev2_notify *x = &a->u.notify, *y = &b->u.notify;

		SAME(x->protocol == y->protocol, "notify protocol");
		SAME(x->spi_size == y->spi_size, "notify SPI size");
		SAME(x->type == y->type, "notify type");
		SAME(bytes_equal(x->spi, x->spi_size, y->spi, y->spi_size), "notify SPI");
		SAME(bytes_equal(x->data, x->len, y->data, y->len), "notify data");
		return true;
	}
	case IKEV2_PL_DELETE: {
		const struct ikev2_delete *x = &a->u.del, *y = &b->u.del;

		SAME(x->protocol == y->protocol, "delete protocol");
		SAME(x->spi_size == y->spi_size, "delete SPI size");
		SAME(x->nspis == y->nspis, "number of SPIs");
		SAME(bytes_equal(x->spis, (size_t)x->spi_size * x->nspis, y->spis,
				 (size_t)y->spi_size * y->nspis),
		     "delete SPIs");
		return true;
	}
	case IKEV2_PL_VENDOR:
		SAME(bytes_equal(a->u.vendor.data, a->u.vendor.len, b->u.vendor.data,
				 b->u.vendor.len),
		     "vendor ID");
		return true;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		return v2_ts_equal(&a->u.ts, &b->u.ts);
	case IKEV2_PL_SK:
		SAME(a->u.sk.first_inner == b->u.sk.first_inner, "SK next payload");
		SAME(bytes_equal(a->u.sk.data, a->u.sk.len, b->u.sk.data, b->u.sk.len), "SK data");
		return true;
	case IKEV2_PL_SKF: {
		const struct ikev2_skf *x = &a->u.skf, *y = &b->u.skf;

		SAME(x->first_inner == y->first_inner, "SKF next payload");
		SAME(x->number == y->number, "fragment number");
		SAME(x->total == y->total, "total fragments");
		SAME(bytes_equal(x->data, x->len, y->data, y->len), "SKF data");
		return true;
	}
	case IKEV2_PL_CP:
		return v2_cp_equal(&a->u.cp, &b->u.cp);
	case IKEV2_PL_EAP: {
		const struct ikev2_eap *x = &a->u.eap, *y = &b->u.eap;

		SAME(x->code == y->code, "EAP code");
		SAME(x->identifier == y->identifier, "EAP identifier");
		if (x->code == IKEV2_EAP_REQUEST || x->code == IKEV2_EAP_RESPONSE)
			SAME(x->type == y->type, "EAP type");
		SAME(bytes_equal(x->data, x->len, y->data, y->len), "EAP data");
		return true;
	}
	default:
		SAME(bytes_equal(a->body, a->body_len, b->body, b->body_len), "raw body");
		return true;
	}
}

bool ikev2_chain_equal(const struct ikev2_chain *a, const struct ikev2_chain *b)
{
	size_t i;

	diff_field = NULL;
	diff_text[0] = '\0';
	SAME(a->count == b->count, "number of payloads");
	for (i = 0; i < a->count; i++) {
		if (!v2_payload_equal(&a->pl[i], &b->pl[i])) {
			note_payload(i, a->pl[i].type);
			return false;
		}
	}
	return true;
}

bool ikev2_msg_equal(const struct ikev2_msg *a, const struct ikev2_msg *b)
{
	diff_field = NULL;
	diff_text[0] = '\0';
	SAME(a->hdr.ispi == b->hdr.ispi, "initiator SPI");
	SAME(a->hdr.rspi == b->hdr.rspi, "responder SPI");
	SAME(a->hdr.version == b->hdr.version, "version");
	SAME(a->hdr.exchange == b->hdr.exchange, "exchange type");
	SAME(a->hdr.flags == b->hdr.flags, "flags");
	SAME(a->hdr.msgid == b->hdr.msgid, "message ID");
	return ikev2_chain_equal(&a->chain, &b->chain);
}

/* ---- IKEv1 ------------------------------------------------------------ */

static bool v1_sa_equal(const struct ikev1_sa *a, const struct ikev1_sa *b)
{
	size_t i, t;

	SAME(a->doi == b->doi, "DOI");
	SAME(a->situation == b->situation, "situation");
	SAME(a->nproposals == b->nproposals, "number of proposals");
	for (i = 0; i < a->nproposals; i++) {
		const struct ikev1_proposal *p = &a->proposals[i], *q = &b->proposals[i];

		SAME(p->num == q->num, "proposal number");
		SAME(p->protocol == q->protocol, "proposal protocol");
		SAME(p->spi_size == q->spi_size, "proposal SPI size");
		SAME(bytes_equal(p->spi, p->spi_size, q->spi, q->spi_size), "proposal SPI");
		SAME(p->ntransforms == q->ntransforms, "number of transforms");
		for (t = 0; t < p->ntransforms; t++) {
			const struct ikev1_transform *x = &p->transforms[t], *y = &q->transforms[t];

			SAME(x->num == y->num, "transform number");
			SAME(x->id == y->id, "transform ID");
			if (!attrs_equal(&x->attrs, &y->attrs))
				return false;
		}
	}
	return true;
}

static bool v1_blob_equal(const struct ikev1_blob *a, const struct ikev1_blob *b)
{
	return bytes_equal(a->data, a->len, b->data, b->len);
}

static bool v1_payload_equal(const struct ikev1_payload *a, const struct ikev1_payload *b)
{
	SAME(a->type == b->type, "payload type");
	switch (a->type) {
	case IKEV1_PL_SA:
		return v1_sa_equal(&a->u.sa, &b->u.sa);
	case IKEV1_PL_KE:
		SAME(v1_blob_equal(&a->u.ke, &b->u.ke), "KE data");
		return true;
	case IKEV1_PL_HASH:
		SAME(v1_blob_equal(&a->u.hash, &b->u.hash), "hash data");
		return true;
	case IKEV1_PL_SIG:
		SAME(v1_blob_equal(&a->u.sig, &b->u.sig), "signature data");
		return true;
	case IKEV1_PL_NONCE:
		SAME(v1_blob_equal(&a->u.nonce, &b->u.nonce), "nonce data");
		return true;
	case IKEV1_PL_VID:
		SAME(v1_blob_equal(&a->u.vid, &b->u.vid), "vendor ID");
		return true;
	case IKEV1_PL_NATD:
	case IKEV1_PL_NATD_DRAFT:
		SAME(v1_blob_equal(&a->u.natd, &b->u.natd), "NAT-D hash");
		return true;
	case IKEV1_PL_ID:
		SAME(a->u.id.type == b->u.id.type, "ID type");
		SAME(a->u.id.protocol == b->u.id.protocol, "ID protocol");
		SAME(a->u.id.port == b->u.id.port, "ID port");
		SAME(bytes_equal(a->u.id.data, a->u.id.len, b->u.id.data, b->u.id.len), "ID data");
		return true;
	case IKEV1_PL_CERT:
	case IKEV1_PL_CR:
		SAME(a->u.cert.encoding == b->u.cert.encoding, "certificate encoding");
		SAME(bytes_equal(a->u.cert.data, a->u.cert.len, b->u.cert.data, b->u.cert.len),
		     "certificate data");
		return true;
	case IKEV1_PL_N: {
		const struct ikev1_notify *x = &a->u.notify, *y = &b->u.notify;

		SAME(x->doi == y->doi, "notify DOI");
		SAME(x->protocol == y->protocol, "notify protocol");
		SAME(x->spi_size == y->spi_size, "notify SPI size");
		SAME(x->type == y->type, "notify type");
		SAME(bytes_equal(x->spi, x->spi_size, y->spi, y->spi_size), "notify SPI");
		SAME(bytes_equal(x->data, x->len, y->data, y->len), "notify data");
		return true;
	}
	case IKEV1_PL_D: {
		const struct ikev1_delete *x = &a->u.del, *y = &b->u.del;

		SAME(x->doi == y->doi, "delete DOI");
		SAME(x->protocol == y->protocol, "delete protocol");
		SAME(x->spi_size == y->spi_size, "delete SPI size");
		SAME(x->nspis == y->nspis, "number of SPIs");
		SAME(bytes_equal(x->spis, (size_t)x->spi_size * x->nspis, y->spis,
				 (size_t)y->spi_size * y->nspis),
		     "delete SPIs");
		return true;
	}
	case IKEV1_PL_NATOA:
	case IKEV1_PL_NATOA_DRAFT:
		SAME(a->u.natoa.id_type == b->u.natoa.id_type, "NAT-OA ID type");
		SAME(a->u.natoa.len == b->u.natoa.len, "NAT-OA address length");
		SAME(a->u.natoa.len <= sizeof(a->u.natoa.addr), "NAT-OA address length");
		SAME(memcmp(a->u.natoa.addr, b->u.natoa.addr, a->u.natoa.len) == 0,
		     "NAT-OA address");
		return true;
	case IKEV1_PL_ATTR:
		SAME(a->u.attr.type == b->u.attr.type, "attribute payload type");
		SAME(a->u.attr.identifier == b->u.attr.identifier, "attribute payload identifier");
		return attrs_equal(&a->u.attr.attrs, &b->u.attr.attrs);
	case IKEV1_PL_FRAG: {
		const struct ikev1_frag *x = &a->u.frag, *y = &b->u.frag;

		SAME(x->id == y->id, "fragment ID");
		SAME(x->number == y->number, "fragment number");
		SAME(x->flags == y->flags, "fragment flags");
		SAME(bytes_equal(x->data, x->len, y->data, y->len), "fragment data");
		return true;
	}
	default:
		SAME(bytes_equal(a->body, a->body_len, b->body, b->body_len), "raw body");
		return true;
	}
}

bool ikev1_chain_equal(const struct ikev1_chain *a, const struct ikev1_chain *b)
{
	size_t i;

	diff_field = NULL;
	diff_text[0] = '\0';
	SAME(a->count == b->count, "number of payloads");
	for (i = 0; i < a->count; i++) {
		if (!v1_payload_equal(&a->pl[i], &b->pl[i])) {
			note_payload(i, a->pl[i].type);
			return false;
		}
	}
	return true;
}

bool ikev1_msg_equal(const struct ikev1_msg *a, const struct ikev1_msg *b)
{
	diff_field = NULL;
	diff_text[0] = '\0';
	SAME(a->hdr.ispi == b->hdr.ispi, "initiator cookie");
	SAME(a->hdr.rspi == b->hdr.rspi, "responder cookie");
	SAME(a->hdr.version == b->hdr.version, "version");
	SAME(a->hdr.exchange == b->hdr.exchange, "exchange type");
	SAME(a->hdr.flags == b->hdr.flags, "flags");
	SAME(a->hdr.msgid == b->hdr.msgid, "message ID");
	SAME((a->encrypted != NULL) == (b->encrypted != NULL), "encrypted body present");
	if (a->encrypted) {
		SAME(a->hdr.next_payload == b->hdr.next_payload, "first encrypted payload");
		SAME(bytes_equal(a->encrypted, a->encrypted_len, b->encrypted, b->encrypted_len),
		     "encrypted body");
	}
	return ikev1_chain_equal(&a->chain, &b->chain);
}
