/* The IKEv1 / ISAKMP codec: every sample round-trips byte for byte and model
 * for model, decoded fields hold the values the samples put in, and every
 * kind of malformed message is rejected with the exact error (code, payload,
 * field, offset, value) and PAYLOAD-MALFORMED (RFC 2408 §3.14.1, §5.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_error.h"
#include "ike_names.h"
#include "ikev1_codec.h"
#include "msg_equal.h"
#include "samples.h"
#include "samples_int.h"

#define MAX_MSG 4096
#define ARENA_SIZE 65536

/* Two arenas, for comparing two parsed models. uint64_t keeps them aligned. */
static uint64_t arena_a_mem[ARENA_SIZE / 8], arena_b_mem[ARENA_SIZE / 8];

static struct ike_arena arena_a(void)
{
	return ike_arena_init(arena_a_mem, sizeof(arena_a_mem));
}

static struct ike_arena arena_b(void)
{
	return ike_arena_init(arena_b_mem, sizeof(arena_b_mem));
}

/* A heap copy of exactly len bytes, so ASan reports any read past the end. */
static uint8_t *exact_copy(const uint8_t *buf, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, buf, len);
	return p;
}

static const char *describe(const struct ike_error *err)
{
	static char line[256];

	ike_error_format(err, line, sizeof(line));
	return line;
}

static const struct sample *find_sample(const char *name)
{
	size_t i;

	for (i = 0; i < samples_count; i++)
		if (strcmp(samples[i].name, name) == 0)
			return &samples[i];
	fail_msg("no sample named %s", name);
	return NULL;
}

static size_t build_sample(const struct sample *s, uint8_t *buf, size_t cap)
{
	size_t len = 0;

	if (s->build(buf, cap, &len) != 0)
		fail_msg("%s: building the sample failed", s->name);
	return len;
}

/* A named sample, built and parsed; the model points into buf. */
struct parsed {
	uint8_t buf[MAX_MSG];
	size_t len;
	struct ikev1_msg msg;
};

static void parse_sample(const char *name, struct parsed *p)
{
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };

	p->len = build_sample(find_sample(name), p->buf, sizeof(p->buf));
	if (ikev1_parse(p->buf, p->len, &a, &p->msg, &err) != 0)
		fail_msg("%s: %s", name, describe(&err));
}

/* The i-th payload, which must be of type t. */
static const struct ikev1_payload *pl_at(const struct ikev1_msg *m, size_t i, uint8_t t)
{
	assert_true(i < m->chain.count);
	assert_int_equal(m->chain.pl[i].type, t);
	return &m->chain.pl[i];
}

static void assert_tv(const struct ike_attr *a, uint16_t type, uint16_t value)
{
	assert_int_equal(a->type, type);
	assert_true(a->tv);
	assert_int_equal(a->value, value);
}

/* A TLV attribute whose value is a big-endian number. */
static void assert_tlv_uint(const struct ike_attr *a, uint16_t type, uint16_t len, uint64_t value)
{
	uint64_t v = 0;

	assert_int_equal(a->type, type);
	assert_false(a->tv);
	assert_int_equal(a->len, len);
	assert_true(ike_attr_get_uint(a, &v));
	assert_true(v == value);
}

/* ---- malformed-input helpers ------------------------------------------ */

/* A message around a hand-written payload chain: the 28-byte header first,
 * so byte n of the chain is at message offset 28 + n. */
static size_t wrap(uint8_t *out, size_t cap, uint8_t first, const uint8_t *chain,
		   size_t chain_len)
{
	struct wire_writer w = wire_writer_init(out, cap);

	wire_put_u64(&w, SAMPLE_V1_CKY_I);
	wire_put_u64(&w, SAMPLE_V1_CKY_R);
	wire_put_u8(&w, first);
	wire_put_u8(&w, IKEV1_VERSION);
	wire_put_u8(&w, IKEV1_EXCH_MAIN);
	wire_put_u8(&w, 0);
	wire_put_u32(&w, 0);
	wire_put_u32(&w, (uint32_t)(IKEV1_HDR_LEN + chain_len));
	wire_put_bytes(&w, chain, chain_len);
	assert_false(w.overflow);
	return w.len;
}

static void expect_error(const uint8_t *msg, size_t len, enum ike_perr code, uint8_t payload,
			 const char *field, size_t offset, uint32_t value)
{
	uint8_t *copy = exact_copy(msg, len);
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	struct ikev1_msg m;
	int rc = ikev1_parse(copy, len, &a, &m, &err);

	free(copy);
	assert_int_equal(rc, -1);
	if (err.code != code || err.payload != payload || err.offset != offset)
		print_error("got: %s\n", describe(&err));
	assert_int_equal(err.code, code);
	assert_int_equal(err.version, 1);
	assert_int_equal(err.payload, payload);
	assert_non_null(err.field);
	assert_string_equal(err.field, field);
	assert_int_equal(err.offset, offset);
	assert_int_equal(err.value, value);
	assert_int_equal(ike_error_notify(&err), IKEV1_N_PAYLOAD_MALFORMED);
}

static void expect_chain_error(uint8_t first, const uint8_t *chain, size_t chain_len,
			       enum ike_perr code, uint8_t payload, const char *field,
			       size_t offset, uint32_t value)
{
	uint8_t msg[MAX_MSG];
	size_t len = wrap(msg, sizeof(msg), first, chain, chain_len);

	expect_error(msg, len, code, payload, field, offset, value);
}

/* Parses a hand-written chain that must be accepted, and checks that the
 * builder writes it back unchanged. */
static void expect_chain_ok(uint8_t first, const uint8_t *chain, size_t chain_len,
			    struct ikev1_msg *m, uint8_t *msg)
{
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	uint8_t out[MAX_MSG];
	size_t len = wrap(msg, MAX_MSG, first, chain, chain_len), out_len = 0;

	if (ikev1_parse(msg, len, &a, m, &err) != 0)
		fail_msg("%s", describe(&err));
	assert_int_equal(ikev1_build(m, out, sizeof(out), &out_len, &err), 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, msg, len);
}

/* A well-formed SA payload every SA case below breaks in one place. */
static const uint8_t sa_ok[] = {
	/* 28 */ 0x00, 0x00, 0x00, 0x30, /* SA header: last payload, length 48 */
	/* 32 */ 0x00, 0x00, 0x00, 0x01, /* DOI: IPsec */
	/* 36 */ 0x00, 0x00, 0x00, 0x01, /* situation: identity only */
	/* 40 */ 0x00, 0x00, 0x00, 0x24, /* proposal: last, length 36 */
	/* 44 */ 0x01, 0x01, 0x00, 0x02, /* #1, ISAKMP, SPI size 0, 2 transforms */
	/* 48 */ 0x03, 0x00, 0x00, 0x0c, /* transform: more follow, length 12 */
	/* 52 */ 0x01, 0x01, 0x00, 0x00, /* #1, KEY_IKE */
	/* 56 */ 0x80, 0x01, 0x00, 0x07, /* Encryption Algorithm AES-CBC, TV */
	/* 60 */ 0x00, 0x00, 0x00, 0x10, /* transform: last, length 16 */
	/* 64 */ 0x02, 0x01, 0x00, 0x00, /* #2, KEY_IKE */
	/* 68 */ 0x00, 0x0c, 0x00, 0x04, /* Life Duration, TLV of 4 bytes */
	/* 72 */ 0x00, 0x01, 0x51, 0x80, /* 86400 */
};

/* sa_ok with the byte at message offset off replaced. */
static void expect_sa_error(size_t off, uint8_t byte, enum ike_perr code, const char *field,
			    size_t offset, uint32_t value)
{
	uint8_t chain[sizeof(sa_ok)];

	memcpy(chain, sa_ok, sizeof(chain));
	chain[off - IKEV1_HDR_LEN] = byte;
	expect_chain_error(IKEV1_PL_SA, chain, sizeof(chain), code, IKEV1_PL_SA, field, offset,
			   value);
}

/* ---- the catalogue ---------------------------------------------------- */

static void catalogue_covers_every_payload_type(void **state)
{
	bool seen[256] = { false }, exch[256] = { false };
	bool encrypted = false, port4500 = false, tlv_life = false;
	static struct parsed p;
	size_t i, j, n = 0;
	unsigned t;

	for (i = 0; i < samples_count; i++) {
		const struct sample *s = &samples[i];

		for (j = 0; j < i; j++)
			assert_string_not_equal(s->name, samples[j].name);
		if (s->version != 1)
			continue;
		assert_true(s->port == 500 || s->port == 4500);
		n++;
		port4500 |= s->port == 4500;
		parse_sample(s->name, &p);
		exch[p.msg.hdr.exchange] = true;
		encrypted |= p.msg.encrypted != NULL;
		for (j = 0; j < p.msg.chain.count; j++) {
			const struct ikev1_payload *pl = &p.msg.chain.pl[j];

			seen[pl->type] = true;
			if (pl->type == IKEV1_PL_SA) {
				const struct ike_attr_list *l =
					&pl->u.sa.proposals[0].transforms[0].attrs;
				const struct ike_attr *a = ike_attr_find(l, IKEV1_ATTR_LIFE_DURATION);

				tlv_life |= a && !a->tv && a->len == 4;
			}
		}
	}
	assert_true(n >= 30);
	for (t = 0; t < 256; t++)
		if (ikev1_payload_known((uint8_t)t) && t != IKEV1_PL_P && t != IKEV1_PL_T)
			if (!seen[t])
				fail_msg("no IKEv1 sample has payload type %u", t);
	assert_true(seen[200]); /* an unknown one */
	assert_true(exch[IKEV1_EXCH_MAIN] && exch[IKEV1_EXCH_AGGRESSIVE]);
	assert_true(exch[IKEV1_EXCH_QUICK] && exch[IKEV1_EXCH_INFORMATIONAL]);
	assert_true(exch[IKEV1_EXCH_TRANSACTION]);
	assert_true(encrypted && port4500 && tlv_life);
}

/* build -> bytes; parse(bytes); build(parse(bytes)) == bytes;
 * parse(build(parse(bytes))) == parse(bytes). */
static void every_sample_round_trips(void **state)
{
	size_t i;

	for (i = 0; i < samples_count; i++) {
		const struct sample *s = &samples[i];
		uint8_t tmp[MAX_MSG], out[MAX_MSG], *bytes;
		struct ike_arena a = arena_a(), b = arena_b();
		struct ike_error err = { 0 };
		struct ikev1_msg m1, m2;
		struct ike_hdr h;
		size_t len, out_len = 0;

		if (s->version != 1)
			continue;
		len = build_sample(s, tmp, sizeof(tmp));
		bytes = exact_copy(tmp, len);
		if (ikev1_parse_header(bytes, len, &h, &err) != 0 ||
		    ikev1_parse(bytes, len, &a, &m1, &err) != 0)
			fail_msg("%s: %s", s->name, describe(&err));
		assert_int_equal(m1.hdr.length, len);
		assert_int_equal(h.exchange, m1.hdr.exchange);
		if (ikev1_build(&m1, out, sizeof(out), &out_len, &err) != 0)
			fail_msg("%s: rebuild: %s", s->name, describe(&err));
		if (out_len != len || memcmp(out, bytes, len) != 0)
			fail_msg("%s: rebuilt bytes differ", s->name);
		if (ikev1_parse(out, out_len, &b, &m2, &err) != 0)
			fail_msg("%s: reparse: %s", s->name, describe(&err));
		if (!ikev1_msg_equal(&m1, &m2))
			fail_msg("%s: models differ: %s", s->name, msg_equal_last_difference());
		free(bytes);
	}
}

/* Cutting a sample short anywhere (and fixing the header length to match)
 * never parses, never reads past the end, and answers PAYLOAD-MALFORMED;
 * only an encrypted body, opaque to the codec, can be cut anywhere. */
static void every_truncation_is_rejected(void **state)
{
	size_t i, cut;

	for (i = 0; i < samples_count; i++) {
		uint8_t tmp[MAX_MSG];
		size_t len;

		if (samples[i].version != 1)
			continue;
		len = build_sample(&samples[i], tmp, sizeof(tmp));
		for (cut = 0; cut < len; cut++) {
			uint8_t *p = exact_copy(tmp, cut);
			struct ike_arena a = arena_a();
			struct ike_error err = { 0 };
			struct ikev1_msg m;
			int rc;

			if (cut >= IKEV1_HDR_LEN) {
				p[24] = 0;
				p[25] = 0;
				p[26] = (uint8_t)(cut >> 8);
				p[27] = (uint8_t)cut;
			}
			rc = ikev1_parse(p, cut, &a, &m, &err);
			free(p);
			if (cut >= IKEV1_HDR_LEN && (tmp[19] & IKEV1_FLAG_ENCRYPTION)) {
				assert_int_equal(rc, 0);
				assert_int_equal(m.encrypted_len, cut - IKEV1_HDR_LEN);
				continue;
			}
			if (rc == 0)
				fail_msg("%s cut at %zu parsed", samples[i].name, cut);
			assert_true(err.code == IKE_PERR_TRUNCATED || err.code == IKE_PERR_BAD_LENGTH);
			assert_true(err.offset <= cut);
			assert_int_equal(ike_error_notify(&err), IKEV1_N_PAYLOAD_MALFORMED);
		}
	}
}

/* Damaging single bytes: whatever still parses must build to the same length
 * and parse back to an equal model (so parse and build agree on every
 * accepted input, not only on the samples); whatever fails must say where. */
static void mutated_samples_parse_and_build_consistently(void **state)
{
	static const uint8_t flips[] = { 0x01, 0x10, 0x80, 0xff };
	size_t i, pos, f, accepted = 0, rejected = 0;

	for (i = 0; i < samples_count; i++) {
		uint8_t tmp[MAX_MSG];
		size_t len;

		if (samples[i].version != 1)
			continue;
		len = build_sample(&samples[i], tmp, sizeof(tmp));
		for (pos = 0; pos < len; pos++) {
			for (f = 0; f < sizeof(flips); f++) {
				uint8_t *p = exact_copy(tmp, len), out[MAX_MSG];
				struct ike_arena a = arena_a(), b = arena_b();
				struct ike_error err = { 0 };
				struct ikev1_msg m1, m2;
				size_t out_len = 0;

				p[pos] ^= flips[f];
				if (ikev1_parse(p, len, &a, &m1, &err) != 0) {
					free(p);
					/* At most len: a missing header is reported where
					 * it should start, at the end. */
					if (err.code == IKE_PERR_OK || err.offset > len || !err.field)
						fail_msg("%s byte %zu ^ 0x%02x: bad error: %s",
							 samples[i].name, pos, flips[f], describe(&err));
					rejected++;
					continue;
				}
				accepted++;
				if (ikev1_build(&m1, out, sizeof(out), &out_len, &err) != 0)
					fail_msg("%s byte %zu ^ 0x%02x: rebuild: %s", samples[i].name,
						 pos, flips[f], describe(&err));
				assert_int_equal(out_len, len);
				if (ikev1_parse(out, out_len, &b, &m2, &err) != 0)
					fail_msg("%s byte %zu ^ 0x%02x: reparse: %s", samples[i].name,
						 pos, flips[f], describe(&err));
				if (!ikev1_msg_equal(&m1, &m2))
					fail_msg("%s byte %zu ^ 0x%02x: %s", samples[i].name, pos,
						 flips[f], msg_equal_last_difference());
				free(p);
			}
		}
	}
	assert_true(accepted > 0 && rejected > 0);
}

/* Any arena smaller than what a message needs fails cleanly (and an arena of
 * exactly that size, allocated to size so ASan watches its end, succeeds). */
static void every_arena_shortfall_is_too_many(void **state)
{
	size_t i, cap;

	for (i = 0; i < samples_count; i++) {
		uint8_t tmp[MAX_MSG];
		struct ike_arena a = arena_a();
		struct ike_error err = { 0 };
		struct ikev1_msg m;
		size_t len, need;

		if (samples[i].version != 1)
			continue;
		len = build_sample(&samples[i], tmp, sizeof(tmp));
		assert_int_equal(ikev1_parse(tmp, len, &a, &m, &err), 0);
		need = a.used;
		for (cap = 0; cap <= need; cap++) {
			void *mem = malloc(cap ? cap : 1);
			struct ike_arena small = ike_arena_init(mem, cap);
			struct ike_error e2 = { 0 };
			int rc = ikev1_parse(tmp, len, &small, &m, &e2);

			if (cap < need) {
				assert_int_equal(rc, -1);
				assert_int_equal(e2.code, IKE_PERR_TOO_MANY);
				assert_int_equal(ike_error_notify(&e2), IKEV1_N_PAYLOAD_MALFORMED);
			} else {
				assert_int_equal(rc, 0);
			}
			free(mem);
		}
	}
}

/* ---- decoded values of specific samples ------------------------------- */

static void main_mode_sa_fields(void **state)
{
	static const uint8_t vid_rfc3947[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
						 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
	static struct parsed p;
	const struct ikev1_payload *pl;
	const struct ikev1_proposal *pr;
	const struct ike_attr *at;

	parse_sample("v1-main-mode-1-sa", &p);
	assert_true(p.msg.hdr.ispi == SAMPLE_V1_CKY_I);
	assert_true(p.msg.hdr.rspi == 0);
	assert_int_equal(p.msg.hdr.version, 0x10);
	assert_int_equal(p.msg.hdr.exchange, IKEV1_EXCH_MAIN);
	assert_int_equal(p.msg.hdr.flags, 0);
	assert_int_equal(p.msg.hdr.next_payload, IKEV1_PL_SA);
	assert_null(p.msg.encrypted);
	assert_int_equal(p.msg.chain.count, 6);

	pl = pl_at(&p.msg, 0, IKEV1_PL_SA);
	assert_int_equal(pl->u.sa.doi, IKEV1_DOI_IPSEC);
	assert_int_equal(pl->u.sa.situation, IKEV1_SIT_IDENTITY_ONLY);
	assert_int_equal(pl->u.sa.nproposals, 1);
	pr = &pl->u.sa.proposals[0];
	assert_int_equal(pr->num, 1);
	assert_int_equal(pr->protocol, IKEV1_PROTO_ISAKMP);
	assert_int_equal(pr->spi_size, 0);
	assert_int_equal(pr->ntransforms, 3);
	assert_int_equal(pr->transforms[0].num, 1);
	assert_int_equal(pr->transforms[0].id, IKEV1_KEY_IKE);
	assert_int_equal(pr->transforms[0].attrs.count, 7);
	at = pr->transforms[0].attrs.attrs;
	assert_tv(&at[0], IKEV1_ATTR_ENCRYPTION_ALGORITHM, IKEV1_ENCR_AES_CBC);
	assert_tv(&at[1], IKEV1_ATTR_KEY_LENGTH, 256);
	assert_tv(&at[2], IKEV1_ATTR_HASH_ALGORITHM, IKEV1_HASH_SHA2_256);
	assert_tv(&at[3], IKEV1_ATTR_AUTHENTICATION_METHOD, IKEV1_AUTH_PSK);
	assert_tv(&at[4], IKEV1_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_2048);
	assert_tv(&at[5], IKEV1_ATTR_LIFE_TYPE, IKEV1_LIFE_SECONDS);
	assert_tlv_uint(&at[6], IKEV1_ATTR_LIFE_DURATION, 4, 86400);
	at = pr->transforms[1].attrs.attrs;
	assert_int_equal(pr->transforms[1].num, 2);
	assert_tv(&at[1], IKEV1_ATTR_KEY_LENGTH, 128);
	assert_tv(&at[6], IKEV1_ATTR_LIFE_DURATION, 28800);
	at = pr->transforms[2].attrs.attrs;
	assert_tv(&at[0], IKEV1_ATTR_ENCRYPTION_ALGORITHM, IKEV1_ENCR_3DES_CBC);
	assert_tv(&at[3], IKEV1_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_1024);

	pl = pl_at(&p.msg, 1, IKEV1_PL_VID);
	assert_int_equal(pl->u.vid.len, 16);
	assert_memory_equal(pl->u.vid.data, vid_rfc3947, 16);
	assert_int_equal(pl_at(&p.msg, 5, IKEV1_PL_VID)->u.vid.len, 8);
	assert_ptr_equal(ikev1_find(&p.msg.chain, IKEV1_PL_VID), &p.msg.chain.pl[1]);

	parse_sample("v1-main-mode-2-sa", &p);
	assert_true(p.msg.hdr.rspi == SAMPLE_V1_CKY_R);
	pr = &pl_at(&p.msg, 0, IKEV1_PL_SA)->u.sa.proposals[0];
	assert_int_equal(pr->ntransforms, 1);
	assert_tlv_uint(&pr->transforms[0].attrs.attrs[6], IKEV1_ATTR_LIFE_DURATION, 4, 86400);
}

static void main_mode_ke_fields(void **state)
{
	static struct parsed p;
	const struct ikev1_payload *pl;

	parse_sample("v1-main-mode-3-ke", &p);
	assert_int_equal(p.msg.chain.count, 4);
	pl = pl_at(&p.msg, 0, IKEV1_PL_KE);
	assert_int_equal(pl->u.ke.len, 256);
	assert_memory_equal(pl->u.ke.data, sample_modp2048_i, 256);
	pl = pl_at(&p.msg, 1, IKEV1_PL_NONCE);
	assert_int_equal(pl->u.nonce.len, 32);
	pl = pl_at(&p.msg, 2, IKEV1_PL_NATD);
	assert_int_equal(pl->u.natd.len, 32);
	assert_memory_equal(pl->u.natd.data, sample_natd_v1_a, 32);
	pl = pl_at(&p.msg, 3, IKEV1_PL_NATD);
	assert_memory_equal(pl->u.natd.data, sample_natd_v1_b, 32);

	parse_sample("v1-main-mode-4-ke", &p);
	assert_memory_equal(pl_at(&p.msg, 0, IKEV1_PL_KE)->u.ke.data, sample_modp2048_r, 256);

	parse_sample("v1-main-mode-3-ke-draft-natd", &p);
	pl = pl_at(&p.msg, 2, IKEV1_PL_NATD_DRAFT);
	assert_int_equal(pl->u.natd.len, 32);
	pl_at(&p.msg, 3, IKEV1_PL_NATD_DRAFT);
}

static void main_mode_id_fields(void **state)
{
	static const uint8_t cookies[16] = { 0xd1, 0xe2, 0xf3, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8,
					     0x5a, 0x6b, 0x7c, 0x8d, 0x9e, 0xaf, 0xb0, 0xc1 };
	static struct parsed p;
	const struct ikev1_payload *pl;

	parse_sample("v1-main-mode-5-id-hash", &p);
	pl = pl_at(&p.msg, 0, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_IPV4_ADDR);
	assert_int_equal(pl->u.id.protocol, 17);
	assert_int_equal(pl->u.id.port, 500);
	assert_int_equal(pl->u.id.len, 4);
	assert_memory_equal(pl->u.id.data, ((const uint8_t[]){ 192, 0, 2, 10 }), 4);
	pl = pl_at(&p.msg, 1, IKEV1_PL_HASH);
	assert_int_equal(pl->u.hash.len, 32);
	pl = pl_at(&p.msg, 2, IKEV1_PL_N);
	assert_int_equal(pl->u.notify.doi, IKEV1_DOI_IPSEC);
	assert_int_equal(pl->u.notify.protocol, IKEV1_PROTO_ISAKMP);
	assert_int_equal(pl->u.notify.type, IKEV1_N_INITIAL_CONTACT);
	assert_int_equal(pl->u.notify.spi_size, 16);
	assert_memory_equal(pl->u.notify.spi, cookies, 16);
	assert_int_equal(pl->u.notify.len, 0);

	parse_sample("v1-main-mode-6-id-hash", &p);
	pl = pl_at(&p.msg, 0, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_FQDN);
	assert_memory_equal(pl->u.id.data, "gw.example.org", pl->u.id.len);

	parse_sample("v1-main-mode-5-cert-sig", &p);
	pl = pl_at(&p.msg, 0, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_DER_ASN1_DN);
	assert_int_equal(pl->u.id.port, 0);
	assert_memory_equal(pl->u.id.data, sample_dn_gw, sizeof(sample_dn_gw));
	pl = pl_at(&p.msg, 1, IKEV1_PL_CERT);
	assert_int_equal(pl->u.cert.encoding, IKEV1_CERT_X509_SIG);
	assert_int_equal(pl->u.cert.len, sizeof(sample_cert_gw));
	pl = pl_at(&p.msg, 2, IKEV1_PL_CR);
	assert_int_equal(pl->u.cert.encoding, IKEV1_CERT_X509_SIG);
	assert_memory_equal(pl->u.cert.data, sample_dn_ca, sizeof(sample_dn_ca));
	pl = pl_at(&p.msg, 3, IKEV1_PL_SIG);
	assert_int_equal(pl->u.sig.len, 64);

	parse_sample("v1-main-mode-6-sig", &p);
	assert_int_equal(pl_at(&p.msg, 1, IKEV1_PL_SIG)->u.sig.len, 256);
}

static void encrypted_fields(void **state)
{
	static struct parsed p;

	parse_sample("v1-main-mode-5-encrypted", &p);
	assert_int_equal(p.msg.hdr.flags, IKEV1_FLAG_ENCRYPTION);
	assert_int_equal(p.msg.hdr.next_payload, IKEV1_PL_ID);
	assert_int_equal(p.msg.chain.count, 0);
	assert_ptr_equal(p.msg.encrypted, p.buf + IKEV1_HDR_LEN);
	assert_int_equal(p.msg.encrypted_len, sizeof(sample_v1_ciphertext));
	assert_memory_equal(p.msg.encrypted, sample_v1_ciphertext, sizeof(sample_v1_ciphertext));
	assert_int_equal(find_sample("v1-main-mode-5-encrypted")->port, 4500);

	parse_sample("v1-quick-mode-1-encrypted", &p);
	assert_int_equal(p.msg.hdr.next_payload, IKEV1_PL_HASH);
	assert_int_equal(p.msg.hdr.exchange, IKEV1_EXCH_QUICK);
	assert_int_equal(p.msg.hdr.msgid, 0x6b8b4567);
	assert_int_equal(p.msg.encrypted_len, 64);
}

static void aggressive_mode_fields(void **state)
{
	static struct parsed p;
	const struct ikev1_payload *pl;
	const struct ike_attr *at;

	parse_sample("v1-aggressive-mode-1", &p);
	assert_int_equal(p.msg.hdr.exchange, IKEV1_EXCH_AGGRESSIVE);
	at = ike_attr_find(&pl_at(&p.msg, 0, IKEV1_PL_SA)->u.sa.proposals[0].transforms[0].attrs,
			   IKEV1_ATTR_AUTHENTICATION_METHOD);
	assert_non_null(at);
	assert_tv(at, IKEV1_ATTR_AUTHENTICATION_METHOD, IKEV1_AUTH_XAUTH_INIT_PSK);
	pl_at(&p.msg, 1, IKEV1_PL_KE);
	pl_at(&p.msg, 2, IKEV1_PL_NONCE);
	pl = pl_at(&p.msg, 3, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_KEY_ID);
	assert_memory_equal(pl->u.id.data, "osprey-group", pl->u.id.len);
	pl_at(&p.msg, 6, IKEV1_PL_VID);

	parse_sample("v1-aggressive-mode-2", &p);
	assert_int_equal(p.msg.chain.count, 9);
	pl = pl_at(&p.msg, 3, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_IPV4_ADDR);
	pl_at(&p.msg, 4, IKEV1_PL_NATD);
	pl_at(&p.msg, 5, IKEV1_PL_NATD);
	pl_at(&p.msg, 6, IKEV1_PL_HASH);
}

static void quick_mode_fields(void **state)
{
	static struct parsed p;
	const struct ikev1_payload *pl;
	const struct ikev1_proposal *pr;
	const struct ike_attr *at;

	parse_sample("v1-quick-mode-1", &p);
	assert_int_equal(p.msg.hdr.msgid, 0x6b8b4567);
	pl_at(&p.msg, 0, IKEV1_PL_HASH);
	pl = pl_at(&p.msg, 1, IKEV1_PL_SA);
	assert_int_equal(pl->u.sa.nproposals, 2);
	pr = &pl->u.sa.proposals[0];
	assert_int_equal(pr->protocol, IKEV1_PROTO_ESP);
	assert_int_equal(pr->spi_size, 4);
	assert_memory_equal(pr->spi, ((const uint8_t[]){ 0x0c, 0x9e, 0x34, 0x11 }), 4);
	assert_int_equal(pr->transforms[0].id, IKEV1_ESP_AES);
	at = pr->transforms[0].attrs.attrs;
	assert_int_equal(pr->transforms[0].attrs.count, 8);
	assert_tv(&at[0], IKEV1_IPSEC_ATTR_SA_LIFE_TYPE, IKEV1_LIFE_SECONDS);
	assert_tlv_uint(&at[1], IKEV1_IPSEC_ATTR_SA_LIFE_DURATION, 4, 3600);
	assert_tv(&at[2], IKEV1_IPSEC_ATTR_SA_LIFE_TYPE, IKEV1_LIFE_KILOBYTES);
	assert_tlv_uint(&at[3], IKEV1_IPSEC_ATTR_SA_LIFE_DURATION, 4, 4608000);
	assert_tv(&at[5], IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, IKEV1_ENCAP_UDP_TUNNEL_RFC);
	assert_tv(&at[7], IKEV1_IPSEC_ATTR_KEY_LENGTH, 256);
	assert_int_equal(pl->u.sa.proposals[1].num, 2);
	assert_int_equal(pl->u.sa.proposals[1].transforms[0].id, IKEV1_ESP_3DES);
	pl_at(&p.msg, 2, IKEV1_PL_NONCE);
	pl_at(&p.msg, 3, IKEV1_PL_KE);
	pl = pl_at(&p.msg, 4, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_IPV4_ADDR_SUBNET);
	assert_int_equal(pl->u.id.len, 8);
	assert_memory_equal(pl->u.id.data, ((const uint8_t[]){ 10, 1, 0, 0, 255, 255, 255, 0 }), 8);
	pl_at(&p.msg, 5, IKEV1_PL_ID);
	pl = pl_at(&p.msg, 6, IKEV1_PL_NATOA);
	assert_int_equal(pl->u.natoa.id_type, IKEV1_ID_IPV4_ADDR);
	assert_int_equal(pl->u.natoa.len, 4);
	assert_memory_equal(pl->u.natoa.addr, ((const uint8_t[]){ 192, 168, 1, 10 }), 4);
	pl = pl_at(&p.msg, 7, IKEV1_PL_NATOA);
	assert_memory_equal(pl->u.natoa.addr, ((const uint8_t[]){ 198, 51, 100, 1 }), 4);

	parse_sample("v1-quick-mode-1-ipv6-ipcomp", &p);
	pl = pl_at(&p.msg, 1, IKEV1_PL_SA);
	assert_int_equal(pl->u.sa.nproposals, 2);
	assert_int_equal(pl->u.sa.proposals[0].num, 1);
	assert_int_equal(pl->u.sa.proposals[1].num, 1);
	pr = &pl->u.sa.proposals[1];
	assert_int_equal(pr->protocol, IKEV1_PROTO_IPCOMP);
	assert_int_equal(pr->spi_size, 2);
	assert_int_equal(wire_load_u16(pr->spi), 0x4e21);
	assert_int_equal(pr->transforms[0].id, IKEV1_IPCOMP_DEFLATE);
	pl = pl_at(&p.msg, 3, IKEV1_PL_ID);
	assert_int_equal(pl->u.id.type, IKEV1_ID_IPV6_ADDR_SUBNET);
	assert_int_equal(pl->u.id.len, 32);
	pl = pl_at(&p.msg, 5, IKEV1_PL_NATOA_DRAFT);
	assert_int_equal(pl->u.natoa.id_type, IKEV1_ID_IPV6_ADDR);
	assert_int_equal(pl->u.natoa.len, 16);
	assert_int_equal(pl->u.natoa.addr[0], 0xfd);
	assert_int_equal(pl->u.natoa.addr[15], 0x10);
}

static void informational_fields(void **state)
{
	static struct parsed p;
	const struct ikev1_payload *pl;

	parse_sample("v1-informational-dpd-r-u-there", &p);
	assert_int_equal(p.msg.hdr.exchange, IKEV1_EXCH_INFORMATIONAL);
	pl_at(&p.msg, 0, IKEV1_PL_HASH);
	pl = pl_at(&p.msg, 1, IKEV1_PL_N);
	assert_int_equal(pl->u.notify.type, IKEV1_N_R_U_THERE);
	assert_int_equal(pl->u.notify.protocol, IKEV1_PROTO_ISAKMP);
	assert_int_equal(pl->u.notify.spi_size, 16);
	assert_int_equal(pl->u.notify.len, 4);
	assert_int_equal(wire_load_u32(pl->u.notify.data), 0x3a97);
	assert_ptr_equal(ikev1_find_notify(&p.msg.chain, IKEV1_N_R_U_THERE), pl);
	parse_sample("v1-informational-dpd-r-u-there-ack", &p);
	assert_int_equal(pl_at(&p.msg, 1, IKEV1_PL_N)->u.notify.type, IKEV1_N_R_U_THERE_ACK);

	parse_sample("v1-informational-delete-esp", &p);
	pl = pl_at(&p.msg, 1, IKEV1_PL_D);
	assert_int_equal(pl->u.del.doi, IKEV1_DOI_IPSEC);
	assert_int_equal(pl->u.del.protocol, IKEV1_PROTO_ESP);
	assert_int_equal(pl->u.del.spi_size, 4);
	assert_int_equal(pl->u.del.nspis, 2);
	assert_int_equal(wire_load_u32(pl->u.del.spis + 4), 0xa5207d68);

	parse_sample("v1-informational-delete-isakmp", &p);
	pl = pl_at(&p.msg, 1, IKEV1_PL_D);
	assert_int_equal(pl->u.del.protocol, IKEV1_PROTO_ISAKMP);
	assert_int_equal(pl->u.del.spi_size, 16);
	assert_int_equal(pl->u.del.nspis, 1);

	parse_sample("v1-informational-no-proposal-chosen", &p);
	pl = pl_at(&p.msg, 0, IKEV1_PL_N);
	assert_int_equal(pl->u.notify.type, IKEV1_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(pl->u.notify.spi_size, 0);
	assert_null(pl->u.notify.spi);

	parse_sample("v1-informational-private-payload", &p);
	pl = pl_at(&p.msg, 1, 200);
	assert_false(ikev1_payload_known(200));
	assert_int_equal(pl->body_len, sizeof("osprey private payload"));
	assert_memory_equal(pl->body, "osprey private payload", pl->body_len);
}

static void transaction_fields(void **state)
{
	static struct parsed p;
	const struct ikev1_payload *pl;
	const struct ike_attr *at;

	parse_sample("v1-transaction-xauth-request", &p);
	assert_int_equal(p.msg.hdr.exchange, IKEV1_EXCH_TRANSACTION);
	pl = pl_at(&p.msg, 1, IKEV1_PL_ATTR);
	assert_int_equal(pl->u.attr.type, IKEV1_CFG_REQUEST);
	assert_int_equal(pl->u.attr.identifier, 0x2c1f);
	assert_int_equal(pl->u.attr.attrs.count, 3);
	at = pl->u.attr.attrs.attrs;
	assert_tv(&at[0], IKEV1_XAUTH_TYPE, IKEV1_XAUTH_TYPE_GENERIC);
	assert_int_equal(at[1].type, IKEV1_XAUTH_USER_NAME);
	assert_false(at[1].tv);
	assert_int_equal(at[1].len, 0);
	assert_int_equal(at[2].type, IKEV1_XAUTH_USER_PASSWORD);

	parse_sample("v1-transaction-xauth-reply", &p);
	pl = pl_at(&p.msg, 1, IKEV1_PL_ATTR);
	assert_int_equal(pl->u.attr.type, IKEV1_CFG_REPLY);
	at = ike_attr_find(&pl->u.attr.attrs, IKEV1_XAUTH_USER_NAME);
	assert_non_null(at);
	assert_int_equal(at->len, 5);
	assert_memory_equal(at->data, "alice", 5);
	at = ike_attr_find(&pl->u.attr.attrs, IKEV1_XAUTH_USER_PASSWORD);
	assert_memory_equal(at->data, "correct horse battery staple", at->len);

	parse_sample("v1-transaction-xauth-set-status", &p);
	pl = pl_at(&p.msg, 1, IKEV1_PL_ATTR);
	assert_int_equal(pl->u.attr.type, IKEV1_CFG_SET);
	assert_tv(&pl->u.attr.attrs.attrs[0], IKEV1_XAUTH_STATUS, IKEV1_XAUTH_STATUS_OK);
	parse_sample("v1-transaction-xauth-ack-status", &p);
	assert_int_equal(pl_at(&p.msg, 1, IKEV1_PL_ATTR)->u.attr.type, IKEV1_CFG_ACK);

	parse_sample("v1-transaction-modecfg-set", &p);
	pl = pl_at(&p.msg, 1, IKEV1_PL_ATTR);
	assert_int_equal(pl->u.attr.identifier, 0x4d21);
	at = &pl->u.attr.attrs.attrs[0];
	assert_int_equal(at->type, IKEV1_CFG_ATTR_INTERNAL_IP4_ADDRESS);
	assert_int_equal(at->len, 4);
	assert_memory_equal(at->data, ((const uint8_t[]){ 10, 1, 0, 5 }), 4);
	parse_sample("v1-transaction-modecfg-request", &p);
	at = ike_attr_find(&pl_at(&p.msg, 1, IKEV1_PL_ATTR)->u.attr.attrs,
			   IKEV1_CFG_ATTR_APPLICATION_VERSION);
	assert_non_null(at);
	assert_memory_equal(at->data, "osprey 0.1.0", at->len);
}

static void fragment_fields(void **state)
{
	static struct parsed p;
	const struct ikev1_payload *pl;

	parse_sample("v1-fragment-1", &p);
	pl = pl_at(&p.msg, 0, IKEV1_PL_FRAG);
	assert_int_equal(pl->u.frag.id, 1);
	assert_int_equal(pl->u.frag.number, 1);
	assert_int_equal(pl->u.frag.flags, 0);
	assert_int_equal(pl->u.frag.len, 64);
	/* The pieces are the encrypted main mode 5 message, header first. */
	assert_true(wire_load_u32(pl->u.frag.data) == (uint32_t)(SAMPLE_V1_CKY_I >> 32));
	assert_int_equal(pl->u.frag.data[16], IKEV1_PL_ID);
	parse_sample("v1-fragment-2-last", &p);
	pl = pl_at(&p.msg, 0, IKEV1_PL_FRAG);
	assert_int_equal(pl->u.frag.id, 1);
	assert_int_equal(pl->u.frag.number, 2);
	assert_int_equal(pl->u.frag.flags, IKEV1_FRAG_LAST);
	assert_int_equal(pl->u.frag.len, IKEV1_HDR_LEN + sizeof(sample_v1_ciphertext) - 64);
}

static void summaries_name_the_payloads(void **state)
{
	static struct parsed p;
	char line[512];

	parse_sample("v1-main-mode-1-sa", &p);
	ikev1_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "MAIN 0 [ SA VID VID VID VID VID ]");
	parse_sample("v1-quick-mode-1", &p);
	ikev1_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "QUICK 1804289383 [ HASH SA NONCE KE ID ID NAT-OA NAT-OA ]");
	parse_sample("v1-informational-dpd-r-u-there", &p);
	ikev1_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "INFORMATIONAL 1372775412 [ HASH N(R_U_THERE) ]");
	parse_sample("v1-main-mode-3-ke-draft-natd", &p);
	ikev1_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "MAIN 0 [ KE NONCE NAT-D(draft) NAT-D(draft) ]");
	parse_sample("v1-quick-mode-1-encrypted", &p);
	ikev1_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "QUICK 1804289383 [ encrypted 64 bytes ]");
	parse_sample("v1-informational-private-payload", &p);
	ikev1_msg_summary(&p.msg, line, sizeof(line));
	assert_non_null(strstr(line, "[ HASH 200 ]"));
}

/* ---- malformed: header and chain -------------------------------------- */

static void header_truncated(void **state)
{
	static const uint8_t hash[] = { 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t msg[MAX_MSG];

	wrap(msg, sizeof(msg), IKEV1_PL_HASH, hash, sizeof(hash));
	expect_error(msg, 27, IKE_PERR_TRUNCATED, 0, "message length", 0, 27);
	expect_error(msg, 1, IKE_PERR_TRUNCATED, 0, "message length", 0, 1);
}

static void header_wrong_major_version(void **state)
{
	uint8_t msg[MAX_MSG];
	size_t len = wrap(msg, sizeof(msg), IKEV1_PL_NONE, NULL, 0);

	msg[17] = 0x20; /* an IKEv2 message */
	expect_error(msg, len, IKE_PERR_BAD_VERSION, 0, "version", 17, 0x20);
	msg[17] = 0x00;
	expect_error(msg, len, IKE_PERR_BAD_VERSION, 0, "version", 17, 0);
}

static void header_length_not_datagram_length(void **state)
{
	static const uint8_t hash[] = { 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t msg[MAX_MSG];
	size_t len = wrap(msg, sizeof(msg), IKEV1_PL_HASH, hash, sizeof(hash));

	msg[27] = (uint8_t)(len + 4);
	expect_error(msg, len, IKE_PERR_BAD_LENGTH, 0, "length", 24, (uint32_t)len + 4);
	msg[24] = 0x01;
	msg[27] = (uint8_t)len;
	expect_error(msg, len, IKE_PERR_BAD_LENGTH, 0, "length", 24, 0x01000000 + (uint32_t)len);
}

static void payload_length_below_header(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x02, 1, 2, 3, 4 };

	expect_chain_error(IKEV1_PL_HASH, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV1_PL_HASH, "payload length", 30, 2);
}

static void payload_length_past_end(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x0d, 0x00, 0x00, 0x08, 1, 2, 3, 4, /* HASH, next VID */
		/* 36 */ 0x00, 0x00, 0x01, 0x00, 1, 2, 3, 4, /* claims 256 bytes */
	};

	expect_chain_error(IKEV1_PL_HASH, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_VID,
			   "payload length", 38, 256);
}

static void generic_header_truncated(void **state)
{
	static const uint8_t chain[] = { 0x0b, 0x00, 0x00, 0x08, 1, 2, 3, 4, 0x00, 0x00, 0x00 };

	expect_chain_error(IKEV1_PL_HASH, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV1_PL_N,
			   "generic payload header", 36, 3);
}

static void trailing_bytes_after_last_payload(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4, 0, 0, 0, 0, 0 };

	expect_chain_error(IKEV1_PL_HASH, chain, sizeof(chain), IKE_PERR_BAD_CHAIN, 0,
			   "trailing data after last payload", 36, 5);
}

/* A decrypted body carries the cipher's padding after the last payload
 * (RFC 2409 Appendix B): accepted only when the caller says so. */
static void padding_accepted_only_when_allowed(void **state)
{
	static const uint8_t plain[] = {
		/* 28 */ 0x0b, 0x00, 0x00, 0x08, 1, 2, 3, 4,                     /* HASH */
		/* 36 */ 0x00, 0x00, 0x00, 0x0c, 0, 0, 0, 1, 1, 0, 0x60, 0x02, /* N */
		/* 48 */ 0x00, 0x00, 0x00, 0x00,                                 /* padding */
	};
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	struct ikev1_chain c;

	assert_int_equal(ikev1_parse_chain(IKEV1_PL_HASH, plain, sizeof(plain), 28, 0, &a, &c,
					   &err),
			 -1);
	assert_int_equal(err.code, IKE_PERR_BAD_CHAIN);
	assert_string_equal(err.field, "trailing data after last payload");
	assert_int_equal(err.offset, 48);
	assert_int_equal(err.value, 4);

	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev1_parse_chain(IKEV1_PL_HASH, plain, sizeof(plain), 28,
					   IKEV1_PARSE_ALLOW_PADDING, &a, &c, &err),
			 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.pl[1].u.notify.type, IKEV1_N_INITIAL_CONTACT);

	/* ikev1_parse() never allows it: an unencrypted message has no padding. */
	expect_chain_error(IKEV1_PL_HASH, plain, sizeof(plain), IKE_PERR_BAD_CHAIN, 0,
			   "trailing data after last payload", 48, 4);
}

static void proposal_payload_at_top_level(void **state)
{
	static const uint8_t p[] = { 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00 };

	expect_chain_error(IKEV1_PL_P, p, sizeof(p), IKE_PERR_BAD_CHAIN, IKEV1_PL_P,
			   "proposal or transform outside an SA payload", 28, IKEV1_PL_P);
	expect_chain_error(IKEV1_PL_T, p, sizeof(p), IKE_PERR_BAD_CHAIN, IKEV1_PL_T,
			   "proposal or transform outside an SA payload", 28, IKEV1_PL_T);
}

static void unknown_payload_is_kept(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0xf0, 0x00, 0x00, 0x08, 1, 2, 3, 4, /* HASH, next 240 */
		/* 36 */ 0x00, 0x00, 0x00, 0x06, 'x', 'y',   /* private use 240 */
	};
	uint8_t msg[MAX_MSG];
	struct ikev1_msg m;

	expect_chain_ok(IKEV1_PL_HASH, chain, sizeof(chain), &m, msg);
	assert_int_equal(m.chain.count, 2);
	assert_int_equal(m.chain.pl[1].type, 240);
	assert_int_equal(m.chain.pl[1].body_len, 2);
	assert_ptr_equal(m.chain.pl[1].body, msg + 40);
}

/* ---- malformed: SA ---------------------------------------------------- */

static void sa_reference_parses(void **state)
{
	uint8_t msg[MAX_MSG];
	struct ikev1_msg m;
	const struct ikev1_proposal *pr;

	expect_chain_ok(IKEV1_PL_SA, sa_ok, sizeof(sa_ok), &m, msg);
	pr = &m.chain.pl[0].u.sa.proposals[0];
	assert_int_equal(pr->ntransforms, 2);
	assert_tv(&pr->transforms[0].attrs.attrs[0], IKEV1_ATTR_ENCRYPTION_ALGORITHM,
		  IKEV1_ENCR_AES_CBC);
	assert_tlv_uint(&pr->transforms[1].attrs.attrs[0], IKEV1_ATTR_LIFE_DURATION, 4, 86400);
}

static void sa_doi_not_ipsec(void **state)
{
	expect_sa_error(35, 0x02, IKE_PERR_BAD_VALUE, "DOI", 32, 2);
	expect_sa_error(35, 0x00, IKE_PERR_BAD_VALUE, "DOI", 32, 0);
}

static void sa_situation_not_identity_only(void **state)
{
	expect_sa_error(39, 0x02, IKE_PERR_BAD_VALUE, "situation", 36, 2);
	expect_sa_error(39, 0x03, IKE_PERR_BAD_VALUE, "situation", 36, 3);
}

static void sa_too_short_for_doi_and_situation(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01 };

	expect_chain_error(IKEV1_PL_SA, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_SA,
			   "payload length", 30, 8);
}

static void sa_proposal_length_past_payload(void **state)
{
	expect_sa_error(43, 0x25, IKE_PERR_BAD_LENGTH, "proposal length", 42, 37);
}

static void sa_proposal_length_below_minimum(void **state)
{
	expect_sa_error(43, 0x07, IKE_PERR_BAD_LENGTH, "proposal length", 42, 7);
}

static void sa_proposal_next_payload_invalid(void **state)
{
	/* RFC 2408 §3.5: a proposal's next payload is P (2) or 0. */
	expect_sa_error(40, IKEV1_PL_SA, IKE_PERR_BAD_VALUE, "proposal last substruc", 40, 1);
}

static void sa_proposal_more_but_none_follows(void **state)
{
	expect_sa_error(40, IKEV1_PL_P, IKE_PERR_BAD_CHAIN, "proposal last substruc", 40, 2);
}

static void sa_transform_count_mismatch(void **state)
{
	expect_sa_error(47, 1, IKE_PERR_BAD_VALUE, "number of transforms", 47, 1);
}

static void sa_spi_size_past_proposal(void **state)
{
	expect_sa_error(46, 40, IKE_PERR_TRUNCATED, "proposal SPI size", 46, 40);
}

static void sa_transform_length_past_proposal(void **state)
{
	expect_sa_error(63, 0x11, IKE_PERR_BAD_LENGTH, "transform length", 62, 17);
}

static void sa_transform_next_payload_invalid(void **state)
{
	/* RFC 2408 §3.6: a transform's next payload is T (3) or 0. */
	expect_sa_error(48, IKEV1_PL_P, IKE_PERR_BAD_VALUE, "transform last substruc", 48, 2);
}

static void sa_attribute_runs_past_transform(void **state)
{
	expect_sa_error(71, 0x05, IKE_PERR_TRUNCATED, "attribute length", 70, 5);
}

/* ---- malformed: other payloads ---------------------------------------- */

static void id_ipv4_with_five_bytes(void **state)
{
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0d, 0x01, 0x11, 0x01, 0xf4, 192, 0, 2, 10, 1,
	};

	expect_chain_error(IKEV1_PL_ID, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_ID,
			   "identification data", 36, 5);
}

static void id_subnet_without_mask(void **state)
{
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0c, 0x04, 0x00, 0x00, 0x00, 10, 1, 0, 0,
	};

	expect_chain_error(IKEV1_PL_ID, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_ID,
			   "identification data", 36, 4);
}

static void id_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x06, 0x01, 0x11 };

	expect_chain_error(IKEV1_PL_ID, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_ID,
			   "payload length", 30, 6);
}

static void notify_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x01,
					 0x00 };

	expect_chain_error(IKEV1_PL_N, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_N,
			   "payload length", 30, 10);
}

static void notify_spi_past_end(void **state)
{
	/* ISAKMP, SPI size 16, INITIAL-CONTACT, but no SPI. */
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x01, 0x10, 0x60, 0x02,
	};

	expect_chain_error(IKEV1_PL_N, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV1_PL_N,
			   "SPI size", 37, 16);
}

static void delete_spi_count_mismatch(void **state)
{
	/* Two ESP SPIs announced, one present. */
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01,
		0x03, 0x04, 0x00, 0x02, 0x0c, 0x9e, 0x34, 0x11,
	};

	expect_chain_error(IKEV1_PL_D, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV1_PL_D,
			   "number of SPIs", 38, 2);
}

static void natoa_bad_id_type(void **state)
{
	static const uint8_t fqdn[] = { 0x00, 0x00, 0x00, 0x0c, 0x02, 0x00, 0x00, 0x00,
					'a', '.', 'b', 'c' };
	static const uint8_t v4_long[] = {
		0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x00,
		192, 168, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0,
	};

	expect_chain_error(IKEV1_PL_NATOA, fqdn, sizeof(fqdn), IKE_PERR_BAD_VALUE,
			   IKEV1_PL_NATOA, "NAT-OA ID type", 32, IKEV1_ID_FQDN);
	expect_chain_error(IKEV1_PL_NATOA_DRAFT, v4_long, sizeof(v4_long), IKE_PERR_BAD_VALUE,
			   IKEV1_PL_NATOA_DRAFT, "NAT-OA ID type", 32, IKEV1_ID_IPV4_ADDR);
}

static void natoa_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x06, 0x01, 0x00 };

	expect_chain_error(IKEV1_PL_NATOA, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV1_PL_NATOA, "payload length", 30, 6);
}

static void attr_payload_attribute_past_end(void **state)
{
	/* REQUEST, identifier 0x2c1f, USER_NAME as a 5-byte TLV with no value. */
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x2c, 0x1f, 0x40, 0x89, 0x00, 0x05,
	};

	expect_chain_error(IKEV1_PL_ATTR, chain, sizeof(chain), IKE_PERR_TRUNCATED,
			   IKEV1_PL_ATTR, "attribute length", 38, 5);
}

static void attr_payload_attribute_header_truncated(void **state)
{
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0b, 0x01, 0x00, 0x2c, 0x1f, 0xc0, 0x88, 0x00,
	};

	expect_chain_error(IKEV1_PL_ATTR, chain, sizeof(chain), IKE_PERR_TRUNCATED,
			   IKEV1_PL_ATTR, "attribute header", 36, 3);
}

static void fragment_number_zero(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x01, 0xaa,
					 0xbb };

	expect_chain_error(IKEV1_PL_FRAG, chain, sizeof(chain), IKE_PERR_BAD_VALUE,
			   IKEV1_PL_FRAG, "fragment number", 34, 0);
}

static void fragment_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x07, 0x00, 0x01, 0x01 };

	expect_chain_error(IKEV1_PL_FRAG, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV1_PL_FRAG, "payload length", 30, 7);
}

/* ---- resources, builder errors, error text ---------------------------- */

static void tiny_arena_is_too_many(void **state)
{
	uint8_t buf[MAX_MSG];
	uint64_t mem[2];
	struct ike_arena a = ike_arena_init(mem, sizeof(mem));
	struct ike_error err = { 0 };
	struct ikev1_msg m;
	size_t len = build_sample(find_sample("v1-main-mode-1-sa"), buf, sizeof(buf));

	assert_int_equal(ikev1_parse(buf, len, &a, &m, &err), -1);
	assert_int_equal(err.code, IKE_PERR_TOO_MANY);
	assert_int_equal(err.version, 1);
	assert_int_equal(err.payload, IKEV1_PL_SA);
	assert_string_equal(err.field, "payloads");
	assert_int_equal(err.offset, 28);
	assert_int_equal(err.value, 6);
	assert_int_equal(ike_error_notify(&err), IKEV1_N_PAYLOAD_MALFORMED);

	/* An encrypted message needs no arena at all. */
	len = build_sample(find_sample("v1-main-mode-5-encrypted"), buf, sizeof(buf));
	a = ike_arena_init(mem, 0);
	assert_int_equal(ikev1_parse(buf, len, &a, &m, &err), 0);
}

static void builder_output_too_small(void **state)
{
	static const char *const names[] = { "v1-quick-mode-1", "v1-main-mode-5-encrypted" };
	size_t n, cap;

	for (n = 0; n < ARRAY_LEN(names); n++) {
		uint8_t buf[MAX_MSG];
		struct ike_arena a = arena_a();
		struct ike_error err = { 0 };
		struct ikev1_msg m;
		size_t len = build_sample(find_sample(names[n]), buf, sizeof(buf));

		assert_int_equal(ikev1_parse(buf, len, &a, &m, &err), 0);
		for (cap = 0; cap <= len; cap++) {
			uint8_t *out = malloc(cap ? cap : 1);
			struct ike_error e2 = { 0 };
			size_t out_len = 0;
			int rc = ikev1_build(&m, out, cap, &out_len, &e2);

			if (cap < len) {
				assert_int_equal(rc, -1);
				assert_int_equal(e2.code, IKE_PERR_NO_SPACE);
				assert_int_equal(e2.version, 1);
				assert_int_equal(e2.payload, 0);
				assert_string_equal(e2.field, "output buffer");
				assert_int_equal(e2.offset, cap);
			} else {
				assert_int_equal(rc, 0);
				assert_int_equal(out_len, len);
				assert_memory_equal(out, buf, len);
			}
			free(out);
		}
	}
}

static void builder_rejects_inconsistent_models(void **state)
{
	static const uint8_t body[4] = { 1, 2, 3, 4 };
	static struct ikev1_transform many[256];
	struct ikev1_proposal prop = { .num = 1, .protocol = IKEV1_PROTO_ISAKMP,
				       .ntransforms = 256, .transforms = many };
	struct ikev1_payload pl[2] = {
		{ .type = IKEV1_PL_HASH, .u.hash = { body, sizeof(body) } },
		{ .type = IKEV1_PL_P, .body = body, .body_len = sizeof(body) },
	};
	struct ikev1_msg m = { .hdr = { .exchange = IKEV1_EXCH_MAIN }, .chain = { 2, pl } };
	uint8_t out[MAX_MSG];
	struct ike_error err = { 0 };
	size_t len = 0;

	assert_int_equal(ikev1_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_int_equal(err.version, 1);
	assert_int_equal(err.payload, IKEV1_PL_P);
	assert_string_equal(err.field, "proposal or transform outside an SA payload");

	pl[1].type = IKEV1_PL_NONE;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev1_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_string_equal(err.field, "payload type");

	pl[1] = (struct ikev1_payload){ .type = IKEV1_PL_NATOA };
	pl[1].u.natoa.id_type = IKEV1_ID_IPV4_ADDR;
	pl[1].u.natoa.len = 5;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev1_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_int_equal(err.payload, IKEV1_PL_NATOA);
	assert_string_equal(err.field, "NAT-OA address length");
	assert_int_equal(err.value, 5);

	pl[1] = (struct ikev1_payload){
		.type = IKEV1_PL_SA, .u.sa = { IKEV1_DOI_IPSEC, IKEV1_SIT_IDENTITY_ONLY, 1, &prop },
	};
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev1_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_string_equal(err.field, "number of transforms");
	assert_int_equal(err.value, 256);
}

static void error_text_names_payload_and_field(void **state)
{
	uint8_t chain[sizeof(sa_ok)], msg[MAX_MSG];
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	struct ikev1_msg m;
	char line[256];
	size_t len;

	memcpy(chain, sa_ok, sizeof(chain));
	chain[35 - IKEV1_HDR_LEN] = 2;
	len = wrap(msg, sizeof(msg), IKEV1_PL_SA, chain, sizeof(chain));
	assert_int_equal(ikev1_parse(msg, len, &a, &m, &err), -1);
	ike_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "IKEv1 Security Association payload: field 'DOI' at offset 32: "
				  "invalid value (value 2)");

	err = (struct ike_error){ IKE_PERR_BAD_VALUE, 1, IKEV1_PL_NATOA_DRAFT, "NAT-OA ID type",
				  60, 2 };
	ike_error_format(&err, line, sizeof(line));
	assert_non_null(strstr(line, "NAT Original Address (draft) payload"));
	assert_non_null(strstr(line, "'NAT-OA ID type'"));
	assert_non_null(strstr(line, "offset 60"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_covers_every_payload_type),
		cmocka_unit_test(every_sample_round_trips),
		cmocka_unit_test(every_truncation_is_rejected),
		cmocka_unit_test(mutated_samples_parse_and_build_consistently),
		cmocka_unit_test(every_arena_shortfall_is_too_many),
		cmocka_unit_test(main_mode_sa_fields),
		cmocka_unit_test(main_mode_ke_fields),
		cmocka_unit_test(main_mode_id_fields),
		cmocka_unit_test(encrypted_fields),
		cmocka_unit_test(aggressive_mode_fields),
		cmocka_unit_test(quick_mode_fields),
		cmocka_unit_test(informational_fields),
		cmocka_unit_test(transaction_fields),
		cmocka_unit_test(fragment_fields),
		cmocka_unit_test(summaries_name_the_payloads),
		cmocka_unit_test(header_truncated),
		cmocka_unit_test(header_wrong_major_version),
		cmocka_unit_test(header_length_not_datagram_length),
		cmocka_unit_test(payload_length_below_header),
		cmocka_unit_test(payload_length_past_end),
		cmocka_unit_test(generic_header_truncated),
		cmocka_unit_test(trailing_bytes_after_last_payload),
		cmocka_unit_test(padding_accepted_only_when_allowed),
		cmocka_unit_test(proposal_payload_at_top_level),
		cmocka_unit_test(unknown_payload_is_kept),
		cmocka_unit_test(sa_reference_parses),
		cmocka_unit_test(sa_doi_not_ipsec),
		cmocka_unit_test(sa_situation_not_identity_only),
		cmocka_unit_test(sa_too_short_for_doi_and_situation),
		cmocka_unit_test(sa_proposal_length_past_payload),
		cmocka_unit_test(sa_proposal_length_below_minimum),
		cmocka_unit_test(sa_proposal_next_payload_invalid),
		cmocka_unit_test(sa_proposal_more_but_none_follows),
		cmocka_unit_test(sa_transform_count_mismatch),
		cmocka_unit_test(sa_spi_size_past_proposal),
		cmocka_unit_test(sa_transform_length_past_proposal),
		cmocka_unit_test(sa_transform_next_payload_invalid),
		cmocka_unit_test(sa_attribute_runs_past_transform),
		cmocka_unit_test(id_ipv4_with_five_bytes),
		cmocka_unit_test(id_subnet_without_mask),
		cmocka_unit_test(id_too_short),
		cmocka_unit_test(notify_too_short),
		cmocka_unit_test(notify_spi_past_end),
		cmocka_unit_test(delete_spi_count_mismatch),
		cmocka_unit_test(natoa_bad_id_type),
		cmocka_unit_test(natoa_too_short),
		cmocka_unit_test(attr_payload_attribute_past_end),
		cmocka_unit_test(attr_payload_attribute_header_truncated),
		cmocka_unit_test(fragment_number_zero),
		cmocka_unit_test(fragment_too_short),
		cmocka_unit_test(tiny_arena_is_too_many),
		cmocka_unit_test(builder_output_too_small),
		cmocka_unit_test(builder_rejects_inconsistent_models),
		cmocka_unit_test(error_text_names_payload_and_field),
	};

	return cmocka_run_group_tests_name("ikev1 codec", tests, NULL, NULL);
}
