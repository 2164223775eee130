/* Shared checks of the libFuzzer targets: parse, print, build, re-parse,
 * build again. Everything here is static: each target is one translation
 * unit plus the library sources.
 *
 * The invariants (a violation calls abort(), which libFuzzer reports as a
 * crash and saves the input):
 *   - a parse either succeeds or fails with an ike_error that names a code,
 *     a field, the right version and an offset inside the message;
 *   - a parse that succeeds with a small arena also succeeds with the big
 *     one, and a parse that fails with the big arena fails with the small
 *     one too (an exhausted arena may only turn success into TOO_MANY);
 *   - a parsed model builds (no INVALID_MODEL, no NO_SPACE), to exactly as
 *     many bytes as were parsed (padding aside), the result parses again,
 *     and building that second model gives the same bytes. */
#ifndef OSPREY_FUZZ_COMMON_H
#define OSPREY_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_attr.h"
#include "ike_error.h"
#include "ikev1_codec.h"
#include "ikev2_codec.h"
#include "natt.h"

/* The daemon's decoder parses into 256 KiB; so do the targets. The small
 * arena exercises the TOO_MANY paths on ordinary messages. */
#define FUZZ_ARENA_BIG (256 * 1024)
#define FUZZ_ARENA_SMALL 768
/* Where the inner chain of an SK payload or an IKEv1 body starts. */
#define FUZZ_CHAIN_BASE 28

static _Alignas(8) uint8_t fuzz_arena_a[FUZZ_ARENA_BIG];
static _Alignas(8) uint8_t fuzz_arena_b[FUZZ_ARENA_BIG];
static _Alignas(8) uint8_t fuzz_arena_s[FUZZ_ARENA_SMALL];

/* Each target uses a part of this file. */
#define FUZZ_FN static __attribute__((unused))

#define FUZZ_CHECK(cond, ...)                                                            \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "FUZZ INVARIANT VIOLATED at %s:%d: ", __FILE__,   \
				__LINE__);                                               \
			fprintf(stderr, __VA_ARGS__);                                    \
			fputc('\n', stderr);                                             \
			abort();                                                         \
		}                                                                        \
	} while (0)

FUZZ_FN void fuzz_error_text(const struct ike_error *e, char *buf, size_t len)
{
	if (len)
		buf[0] = 0;
	ike_error_format(e, buf, len);
}

/* A failed parse must say why, where, and for which version; the text and
 * the notify to answer with must come out for any error. */
FUZZ_FN void fuzz_check_error(int rc, const struct ike_error *e, uint8_t version, size_t total)
{
	char text[512], tiny[12];

	if (rc == 0) {
		FUZZ_CHECK(e->code == IKE_PERR_OK, "parse succeeded but recorded error %d", e->code);
		return;
	}
	FUZZ_CHECK(rc == -1, "parse returned %d", rc);
	fuzz_error_text(e, text, sizeof(text));
	FUZZ_CHECK(e->code != IKE_PERR_OK, "parse failed without an error code");
	FUZZ_CHECK(e->code != IKE_PERR_NO_SPACE && e->code != IKE_PERR_INVALID_MODEL,
		   "parser reported a builder error: %s", text);
	FUZZ_CHECK(e->field != NULL, "parse error without a field: %s", text);
	FUZZ_CHECK(e->version == version, "IKEv%u error from the IKEv%u parser: %s", e->version,
		   version, text);
	FUZZ_CHECK(e->offset <= total, "error offset %zu past the message (%zu bytes): %s",
		   e->offset, total, text);
	FUZZ_CHECK(strlen(text) > 0, "empty error text");
	fuzz_error_text(e, tiny, sizeof(tiny));
	(void)ike_error_notify(e);
	(void)ike_perr_name(e->code);
}

FUZZ_FN void fuzz_build_failed(const char *what, const struct ike_error *e)
{
	char text[512];

	fuzz_error_text(e, text, sizeof(text));
	FUZZ_CHECK(0, "%s: a parsed model does not build: %s", what, text);
}

FUZZ_FN void fuzz_same_bytes(const char *what, const uint8_t *a, size_t alen, const uint8_t *b,
			    size_t blen)
{
	size_t i;

	FUZZ_CHECK(alen == blen, "%s: second build is %zu bytes, first %zu", what, blen, alen);
	for (i = 0; i < alen; i++)
		FUZZ_CHECK(a[i] == b[i], "%s: builds differ at byte %zu (0x%02x vs 0x%02x)", what, i,
			   a[i], b[i]);
}

FUZZ_FN void fuzz_attrs(const struct ike_attr_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		const struct ike_attr *a = &l->attrs[i];
		const struct ike_attr *f;
		uint64_t v = 0;
		bool ok = ike_attr_get_uint(a, &v);

		FUZZ_CHECK(!(a->type & IKE_ATTR_FORMAT_TV), "attribute type keeps the AF bit");
		if (a->tv)
			FUZZ_CHECK(ok && v == a->value, "TV attribute value lost");
		else
			FUZZ_CHECK(ok == (a->len >= 1 && a->len <= 8), "TLV of %u bytes: get_uint %d",
				   a->len, ok);
		f = ike_attr_find(l, a->type);
		FUZZ_CHECK(f && f <= a, "ike_attr_find misses attribute %u", a->type);
	}
}

FUZZ_FN size_t fuzz_cap(size_t len)
{
	return 2 * len + 1024;
}

/* ---------------------------------------------------------------- IKEv2 */

FUZZ_FN void fuzz_v2_walk(const struct ikev2_chain *c)
{
	char sum[1024], small[24];
	size_t i, p, t;

	ikev2_chain_summary(c, sum, sizeof(sum));
	ikev2_chain_summary(c, small, sizeof(small));
	for (i = 0; i < c->count; i++) {
		const struct ikev2_payload *pl = &c->pl[i];

		FUZZ_CHECK(ikev2_find(c, pl->type) != NULL, "ikev2_find misses payload %u", pl->type);
		if (pl->type == IKEV2_PL_NOTIFY)
			FUZZ_CHECK(ikev2_find_notify(c, pl->u.notify.type) != NULL,
				   "ikev2_find_notify misses %u", pl->u.notify.type);
		if (pl->type != IKEV2_PL_SA)
			continue;
		for (p = 0; p < pl->u.sa.nproposals; p++)
			for (t = 0; t < pl->u.sa.proposals[p].ntransforms; t++)
				fuzz_attrs(&pl->u.sa.proposals[p].transforms[t].attrs);
	}
}

/* Builds a parsed chain, parses the bytes again and builds once more. */
FUZZ_FN void fuzz_v2_chain_roundtrip(const struct ikev2_chain *c, size_t parsed_len)
{
	size_t cap = fuzz_cap(parsed_len), l1 = 0, l2 = 0;
	uint8_t *o1 = malloc(cap), *o2 = malloc(cap);
	struct ike_arena arena = ike_arena_init(fuzz_arena_b, sizeof(fuzz_arena_b));
	struct ike_error e = { 0 };
	struct ikev2_chain c2;
	uint8_t first = c->count ? c->pl[0].type : IKEV2_PL_NONE;
	int rc;

	FUZZ_CHECK(o1 && o2, "out of memory");
	if (ikev2_build_chain(c, o1, cap, &l1, &e))
		fuzz_build_failed("ikev2_build_chain", &e);
	FUZZ_CHECK(l1 == parsed_len, "IKEv2 chain of %zu bytes builds to %zu", parsed_len, l1);
	rc = ikev2_parse_chain(first, o1, l1, FUZZ_CHAIN_BASE, &arena, &c2, &e);
	if (rc) {
		char text[512];

		fuzz_error_text(&e, text, sizeof(text));
		FUZZ_CHECK(0, "built IKEv2 chain does not parse: %s", text);
	}
	FUZZ_CHECK(c2.count == c->count, "IKEv2 chain: %zu payloads, reparsed %zu", c->count,
		   c2.count);
	if (ikev2_build_chain(&c2, o2, cap, &l2, &e))
		fuzz_build_failed("ikev2_build_chain (second)", &e);
	fuzz_same_bytes("ikev2_build_chain", o1, l1, o2, l2);
	free(o1);
	free(o2);
}

FUZZ_FN void fuzz_v2_msg_roundtrip(const struct ikev2_msg *m, size_t parsed_len)
{
	size_t cap = fuzz_cap(parsed_len), l1 = 0, l2 = 0;
	uint8_t *o1 = malloc(cap), *o2 = malloc(cap);
	struct ike_arena arena = ike_arena_init(fuzz_arena_b, sizeof(fuzz_arena_b));
	struct ike_error e = { 0 };
	struct ikev2_msg m2;

	FUZZ_CHECK(o1 && o2, "out of memory");
	if (ikev2_build(m, o1, cap, &l1, &e))
		fuzz_build_failed("ikev2_build", &e);
	FUZZ_CHECK(l1 == parsed_len, "IKEv2 message of %zu bytes builds to %zu", parsed_len, l1);
	if (ikev2_parse(o1, l1, &arena, &m2, &e)) {
		char text[512];

		fuzz_error_text(&e, text, sizeof(text));
		FUZZ_CHECK(0, "built IKEv2 message does not parse: %s", text);
	}
	FUZZ_CHECK(m2.chain.count == m->chain.count && m2.hdr.exchange == m->hdr.exchange &&
			   m2.hdr.msgid == m->hdr.msgid && m2.hdr.ispi == m->hdr.ispi &&
			   m2.hdr.rspi == m->hdr.rspi && m2.hdr.flags == m->hdr.flags,
		   "IKEv2 header or payload count changed in the round trip");
	if (ikev2_build(&m2, o2, cap, &l2, &e))
		fuzz_build_failed("ikev2_build (second)", &e);
	fuzz_same_bytes("ikev2_build", o1, l1, o2, l2);
	free(o1);
	free(o2);
}

/* A chain as the engine sees it after decrypting an SK payload. */
FUZZ_FN void fuzz_v2_chain(uint8_t first, const uint8_t *buf, size_t len)
{
	struct ike_arena big = ike_arena_init(fuzz_arena_a, sizeof(fuzz_arena_a));
	struct ike_arena small = ike_arena_init(fuzz_arena_s, sizeof(fuzz_arena_s));
	struct ike_error e = { 0 }, es = { 0 };
	struct ikev2_chain c, cs;
	int rc, rcs;

	rcs = ikev2_parse_chain(first, buf, len, FUZZ_CHAIN_BASE, &small, &cs, &es);
	fuzz_check_error(rcs, &es, 2, FUZZ_CHAIN_BASE + len);
	rc = ikev2_parse_chain(first, buf, len, FUZZ_CHAIN_BASE, &big, &c, &e);
	fuzz_check_error(rc, &e, 2, FUZZ_CHAIN_BASE + len);
	FUZZ_CHECK(rc == 0 || rcs != 0, "IKEv2 chain parses with the small arena only");
	FUZZ_CHECK(rc != 0 || rcs == 0 || es.code == IKE_PERR_TOO_MANY,
		   "small arena failed with %d where the big one succeeded", es.code);
	if (rc)
		return;
	fuzz_v2_walk(&c);
	fuzz_v2_chain_roundtrip(&c, len);
}

/* A whole IKEv2 message, as received on port 500 (or after the non-ESP
 * marker on 4500). */
FUZZ_FN void fuzz_v2_message(const uint8_t *buf, size_t len)
{
	struct ike_arena big = ike_arena_init(fuzz_arena_a, sizeof(fuzz_arena_a));
	struct ike_arena small = ike_arena_init(fuzz_arena_s, sizeof(fuzz_arena_s));
	struct ike_error e = { 0 }, es = { 0 }, eh = { 0 };
	struct ikev2_msg m, ms;
	struct ike_hdr h;
	char sum[1024], small_sum[16];
	int rc, rcs, rch;
	const struct ikev2_payload *sk;

	rch = ikev2_parse_header(buf, len, &h, &eh);
	fuzz_check_error(rch, &eh, 2, len);
	rcs = ikev2_parse(buf, len, &small, &ms, &es);
	fuzz_check_error(rcs, &es, 2, len);
	rc = ikev2_parse(buf, len, &big, &m, &e);
	fuzz_check_error(rc, &e, 2, len);
	FUZZ_CHECK(rc == 0 || rcs != 0, "IKEv2 message parses with the small arena only");
	FUZZ_CHECK(rc != 0 || rcs == 0 || es.code == IKE_PERR_TOO_MANY,
		   "small arena failed with %d where the big one succeeded", es.code);
	FUZZ_CHECK(rch == 0 || rc != 0, "header rejected but the message parsed");
	if (rc)
		return;
	ikev2_msg_summary(&m, sum, sizeof(sum));
	ikev2_msg_summary(&m, small_sum, sizeof(small_sum));
	fuzz_v2_walk(&m.chain);
	fuzz_v2_msg_roundtrip(&m, len);
	/* Treat the SK contents as if a null cipher had decrypted them. */
	sk = ikev2_find(&m.chain, IKEV2_PL_SK);
	if (sk) {
		/* Copied out: fuzz_v2_chain reuses the arena the model lives in. */
		struct ikev2_sk inner = sk->u.sk;

		fuzz_v2_chain(inner.first_inner, inner.data, inner.len);
	}
}

/* ---------------------------------------------------------------- IKEv1 */

FUZZ_FN void fuzz_v1_walk(const struct ikev1_chain *c)
{
	char sum[1024], small[24];
	size_t i, p, t;

	ikev1_chain_summary(c, sum, sizeof(sum));
	ikev1_chain_summary(c, small, sizeof(small));
	for (i = 0; i < c->count; i++) {
		const struct ikev1_payload *pl = &c->pl[i];

		FUZZ_CHECK(ikev1_find(c, pl->type) != NULL, "ikev1_find misses payload %u", pl->type);
		if (pl->type == IKEV1_PL_N)
			FUZZ_CHECK(ikev1_find_notify(c, pl->u.notify.type) != NULL,
				   "ikev1_find_notify misses %u", pl->u.notify.type);
		if (pl->type == IKEV1_PL_ATTR)
			fuzz_attrs(&pl->u.attr.attrs);
		if (pl->type != IKEV1_PL_SA)
			continue;
		for (p = 0; p < pl->u.sa.nproposals; p++)
			for (t = 0; t < pl->u.sa.proposals[p].ntransforms; t++)
				fuzz_attrs(&pl->u.sa.proposals[p].transforms[t].attrs);
	}
}

/* parsed_len: the bytes the payloads filled (the chain without padding). */
FUZZ_FN void fuzz_v1_chain_roundtrip(const struct ikev1_chain *c, size_t parsed_len, bool padded)
{
	size_t cap = fuzz_cap(parsed_len), l1 = 0, l2 = 0;
	uint8_t *o1 = malloc(cap), *o2 = malloc(cap);
	struct ike_arena arena = ike_arena_init(fuzz_arena_b, sizeof(fuzz_arena_b));
	struct ike_error e = { 0 };
	struct ikev1_chain c2;
	uint8_t first = c->count ? c->pl[0].type : IKEV1_PL_NONE;

	FUZZ_CHECK(o1 && o2, "out of memory");
	if (ikev1_build_chain(c, o1, cap, &l1, &e))
		fuzz_build_failed("ikev1_build_chain", &e);
	if (padded)
		FUZZ_CHECK(l1 <= parsed_len, "IKEv1 chain of %zu bytes builds to %zu", parsed_len, l1);
	else
		FUZZ_CHECK(l1 == parsed_len, "IKEv1 chain of %zu bytes builds to %zu", parsed_len, l1);
	/* The builder writes no padding, so the strict parse must accept it. */
	if (ikev1_parse_chain(first, o1, l1, FUZZ_CHAIN_BASE, 0, &arena, &c2, &e)) {
		char text[512];

		fuzz_error_text(&e, text, sizeof(text));
		FUZZ_CHECK(0, "built IKEv1 chain does not parse: %s", text);
	}
	FUZZ_CHECK(c2.count == c->count, "IKEv1 chain: %zu payloads, reparsed %zu", c->count,
		   c2.count);
	if (ikev1_build_chain(&c2, o2, cap, &l2, &e))
		fuzz_build_failed("ikev1_build_chain (second)", &e);
	fuzz_same_bytes("ikev1_build_chain", o1, l1, o2, l2);
	free(o1);
	free(o2);
}

FUZZ_FN void fuzz_v1_chain(uint8_t first, const uint8_t *buf, size_t len, unsigned flags)
{
	struct ike_arena big = ike_arena_init(fuzz_arena_a, sizeof(fuzz_arena_a));
	struct ike_arena small = ike_arena_init(fuzz_arena_s, sizeof(fuzz_arena_s));
	struct ike_error e = { 0 }, es = { 0 };
	struct ikev1_chain c, cs;
	int rc, rcs;

	rcs = ikev1_parse_chain(first, buf, len, FUZZ_CHAIN_BASE, flags, &small, &cs, &es);
	fuzz_check_error(rcs, &es, 1, FUZZ_CHAIN_BASE + len);
	rc = ikev1_parse_chain(first, buf, len, FUZZ_CHAIN_BASE, flags, &big, &c, &e);
	fuzz_check_error(rc, &e, 1, FUZZ_CHAIN_BASE + len);
	FUZZ_CHECK(rc == 0 || rcs != 0, "IKEv1 chain parses with the small arena only");
	FUZZ_CHECK(rc != 0 || rcs == 0 || es.code == IKE_PERR_TOO_MANY,
		   "small arena failed with %d where the big one succeeded", es.code);
	if (rc)
		return;
	fuzz_v1_walk(&c);
	fuzz_v1_chain_roundtrip(&c, len, flags & IKEV1_PARSE_ALLOW_PADDING);
}

FUZZ_FN void fuzz_v1_msg_roundtrip(const struct ikev1_msg *m, size_t parsed_len)
{
	size_t cap = fuzz_cap(parsed_len), l1 = 0, l2 = 0;
	uint8_t *o1 = malloc(cap), *o2 = malloc(cap);
	struct ike_arena arena = ike_arena_init(fuzz_arena_b, sizeof(fuzz_arena_b));
	struct ike_error e = { 0 };
	struct ikev1_msg m2;

	FUZZ_CHECK(o1 && o2, "out of memory");
	if (ikev1_build(m, o1, cap, &l1, &e))
		fuzz_build_failed("ikev1_build", &e);
	FUZZ_CHECK(l1 == parsed_len, "IKEv1 message of %zu bytes builds to %zu", parsed_len, l1);
	if (ikev1_parse(o1, l1, &arena, &m2, &e)) {
		char text[512];

		fuzz_error_text(&e, text, sizeof(text));
		FUZZ_CHECK(0, "built IKEv1 message does not parse: %s", text);
	}
	FUZZ_CHECK(m2.chain.count == m->chain.count && m2.hdr.exchange == m->hdr.exchange &&
			   m2.hdr.msgid == m->hdr.msgid && m2.hdr.ispi == m->hdr.ispi &&
			   m2.hdr.rspi == m->hdr.rspi && m2.hdr.flags == m->hdr.flags &&
			   (m2.encrypted != NULL) == (m->encrypted != NULL) &&
			   m2.encrypted_len == m->encrypted_len,
		   "IKEv1 header, payload count or ciphertext changed in the round trip");
	if (ikev1_build(&m2, o2, cap, &l2, &e))
		fuzz_build_failed("ikev1_build (second)", &e);
	fuzz_same_bytes("ikev1_build", o1, l1, o2, l2);
	free(o1);
	free(o2);
}

FUZZ_FN void fuzz_v1_message(const uint8_t *buf, size_t len)
{
	struct ike_arena big = ike_arena_init(fuzz_arena_a, sizeof(fuzz_arena_a));
	struct ike_arena small = ike_arena_init(fuzz_arena_s, sizeof(fuzz_arena_s));
	struct ike_error e = { 0 }, es = { 0 }, eh = { 0 };
	struct ikev1_msg m, ms;
	struct ike_hdr h;
	char sum[1024], small_sum[16];
	int rc, rcs, rch;

	rch = ikev1_parse_header(buf, len, &h, &eh);
	fuzz_check_error(rch, &eh, 1, len);
	rcs = ikev1_parse(buf, len, &small, &ms, &es);
	fuzz_check_error(rcs, &es, 1, len);
	rc = ikev1_parse(buf, len, &big, &m, &e);
	fuzz_check_error(rc, &e, 1, len);
	FUZZ_CHECK(rc == 0 || rcs != 0, "IKEv1 message parses with the small arena only");
	FUZZ_CHECK(rc != 0 || rcs == 0 || es.code == IKE_PERR_TOO_MANY,
		   "small arena failed with %d where the big one succeeded", es.code);
	FUZZ_CHECK(rch == 0 || rc != 0, "header rejected but the message parsed");
	if (rc)
		return;
	FUZZ_CHECK(!(m.hdr.flags & IKEV1_FLAG_ENCRYPTION) == !m.encrypted,
		   "encryption flag and ciphertext disagree");
	ikev1_msg_summary(&m, sum, sizeof(sum));
	ikev1_msg_summary(&m, small_sum, sizeof(small_sum));
	fuzz_v1_walk(&m.chain);
	fuzz_v1_msg_roundtrip(&m, len);
	/* Treat the ciphertext as if a null cipher had decrypted it: the
	 * engine parses the plaintext allowing the cipher's padding. */
	if (m.encrypted)
		fuzz_v1_chain(m.hdr.next_payload, m.encrypted, m.encrypted_len,
			      IKEV1_PARSE_ALLOW_PADDING);
}

/* ------------------------------------------------- datagrams (500, 4500) */

/* What the daemon does with a datagram: on 4500, tell IKE from ESP and
 * keepalives; then pick the codec by the version octet. */
FUZZ_FN void fuzz_ike_datagram(const uint8_t *buf, size_t len, bool natt)
{
	size_t off = (size_t)-1;
	uint8_t *wrapped;
	size_t wlen, woff = 0;

	if (natt) {
		enum natt_kind k = natt_classify(buf, len, &off);

		(void)natt_kind_name(k);
		switch (k) {
		case NATT_KEEPALIVE:
			FUZZ_CHECK(len == 1 && buf[0] == NATT_KEEPALIVE_BYTE, "bad keepalive");
			return;
		case NATT_INVALID:
			FUZZ_CHECK(len < NATT_NON_ESP_MARKER_LEN, "%zu bytes called invalid", len);
			return;
		case NATT_ESP:
			FUZZ_CHECK(len >= NATT_NON_ESP_MARKER_LEN &&
					   (buf[0] | buf[1] | buf[2] | buf[3]) != 0,
				   "ESP without an SPI");
			return;
		case NATT_IKE:
			break;
		default:
			FUZZ_CHECK(0, "natt_classify returned %d", (int)k);
		}
		FUZZ_CHECK(off == NATT_NON_ESP_MARKER_LEN && off <= len, "IKE at offset %zu", off);
		buf += off;
		len -= off;
		/* Wrapping the IKE part again gives the same datagram. */
		wrapped = malloc(len + NATT_NON_ESP_MARKER_LEN);
		FUZZ_CHECK(wrapped, "out of memory");
		FUZZ_CHECK(natt_wrap_ike(wrapped, len + NATT_NON_ESP_MARKER_LEN - 1, buf, len) == 0,
			   "natt_wrap_ike overflows its buffer");
		wlen = natt_wrap_ike(wrapped, len + NATT_NON_ESP_MARKER_LEN, buf, len);
		FUZZ_CHECK(wlen == len + NATT_NON_ESP_MARKER_LEN, "natt_wrap_ike returned %zu", wlen);
		FUZZ_CHECK(natt_classify(wrapped, wlen, &woff) == NATT_IKE &&
				   woff == NATT_NON_ESP_MARKER_LEN &&
				   (len == 0 || memcmp(wrapped + woff, buf, len) == 0),
			   "a wrapped IKE message does not classify as IKE");
		free(wrapped);
	}
	if (len > 17 && (buf[17] >> 4) == 1)
		fuzz_v1_message(buf, len);
	else
		fuzz_v2_message(buf, len);
}

#endif
