/* The IKEv2 codec: every sample round-trips byte for byte and model for
 * model, decoded fields hold the values the samples put in, and every kind
 * of malformed message is rejected with the exact error (code, payload,
 * field, offset, value) and the right notify (RFC 7296 §2.5, §3.10.1). */
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
#include "ikev2_codec.h"
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
	struct ikev2_msg msg;
};

static void parse_sample(const char *name, struct parsed *p)
{
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };

	p->len = build_sample(find_sample(name), p->buf, sizeof(p->buf));
	if (ikev2_parse(p->buf, p->len, &a, &p->msg, &err) != 0)
		fail_msg("%s: %s", name, describe(&err));
}

/* The i-th payload, which must be of type t. */
static const struct ikev2_payload *pl_at(const struct ikev2_msg *m, size_t i, uint8_t t)
{
	assert_true(i < m->chain.count);
	assert_int_equal(m->chain.pl[i].type, t);
	return &m->chain.pl[i];
}

static void assert_ts4(const struct ikev2_ts *ts, uint8_t proto, uint16_t sport, uint16_t eport,
		       const uint8_t start[4], const uint8_t end[4])
{
	assert_int_equal(ts->type, IKEV2_TS_IPV4_ADDR_RANGE);
	assert_int_equal(ts->ip_proto, proto);
	assert_int_equal(ts->start_port, sport);
	assert_int_equal(ts->end_port, eport);
	assert_memory_equal(ts->start, start, 4);
	assert_memory_equal(ts->end, end, 4);
}

/* ---- malformed-input helpers ------------------------------------------ */

/* A message around a hand-written payload chain: the 28-byte header first,
 * so byte n of the chain is at message offset 28 + n. */
static size_t wrap(uint8_t *out, size_t cap, uint8_t first, const uint8_t *chain,
		   size_t chain_len)
{
	struct wire_writer w = wire_writer_init(out, cap);

	wire_put_u64(&w, SAMPLE_V2_SPI_I);
	wire_put_u64(&w, SAMPLE_V2_SPI_R);
	wire_put_u8(&w, first);
	wire_put_u8(&w, IKEV2_VERSION);
	wire_put_u8(&w, IKEV2_EXCH_IKE_SA_INIT);
	wire_put_u8(&w, IKEV2_FLAG_INITIATOR);
	wire_put_u32(&w, 0);
	wire_put_u32(&w, (uint32_t)(IKEV2_HDR_LEN + chain_len));
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
	struct ikev2_msg m;
	int rc = ikev2_parse(copy, len, &a, &m, &err);

	free(copy);
	assert_int_equal(rc, -1);
	if (err.code != code || err.payload != payload || err.offset != offset)
		print_error("got: %s\n", describe(&err));
	assert_int_equal(err.code, code);
	assert_int_equal(err.version, 2);
	assert_int_equal(err.payload, payload);
	assert_non_null(err.field);
	assert_string_equal(err.field, field);
	assert_int_equal(err.offset, offset);
	assert_int_equal(err.value, value);
	assert_int_equal(ike_error_notify(&err), code == IKE_PERR_UNSUPPORTED_CRITICAL
							 ? IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD
							 : IKEV2_N_INVALID_SYNTAX);
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
			    struct ikev2_msg *m, uint8_t *msg)
{
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	uint8_t out[MAX_MSG];
	size_t len = wrap(msg, MAX_MSG, first, chain, chain_len), out_len = 0;

	if (ikev2_parse(msg, len, &a, m, &err) != 0)
		fail_msg("%s", describe(&err));
	assert_int_equal(ikev2_build(m, out, sizeof(out), &out_len, &err), 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, msg, len);
}

/* A well-formed SA payload every SA case below breaks in one place. */
static const uint8_t sa_ok[] = {
	/* 28 */ 0x00, 0x00, 0x00, 0x20, /* SA header: last payload, length 32 */
	/* 32 */ 0x00, 0x00, 0x00, 0x1c, /* proposal: last, length 28 */
	/* 36 */ 0x01, 0x01, 0x00, 0x02, /* #1, IKE, SPI size 0, 2 transforms */
	/* 40 */ 0x03, 0x00, 0x00, 0x0c, /* transform: more follow, length 12 */
	/* 44 */ 0x01, 0x00, 0x00, 0x0c, /* ENCR AES_CBC */
	/* 48 */ 0x80, 0x0e, 0x01, 0x00, /* Key Length 256, TV */
	/* 52 */ 0x00, 0x00, 0x00, 0x08, /* transform: last, length 8 */
	/* 56 */ 0x04, 0x00, 0x00, 0x1f, /* KE Curve25519 */
};

/* sa_ok with the byte at message offset off replaced. */
static void expect_sa_error(size_t off, uint8_t byte, enum ike_perr code, const char *field,
			    size_t offset, uint32_t value)
{
	uint8_t chain[sizeof(sa_ok)];

	memcpy(chain, sa_ok, sizeof(chain));
	chain[off - IKEV2_HDR_LEN] = byte;
	expect_chain_error(IKEV2_PL_SA, chain, sizeof(chain), code, IKEV2_PL_SA, field, offset,
			   value);
}

/* ---- the catalogue ---------------------------------------------------- */

static void catalogue_covers_every_payload_type(void **state)
{
	bool seen[256] = { false }, exch[256] = { false };
	bool id_seen[256] = { false }, auth_seen[256] = { false };
	bool ts4 = false, ts6 = false, eap_codes[8] = { false }, port4500 = false;
	static struct parsed p;
	size_t i, j, k, n = 0;
	unsigned t;

	for (i = 0; i < samples_count; i++) {
		const struct sample *s = &samples[i];

		for (j = 0; j < i; j++)
			assert_string_not_equal(s->name, samples[j].name);
		assert_true(s->port == 500 || s->port == 4500);
		if (s->version != 2)
			continue;
		n++;
		port4500 |= s->port == 4500;
		parse_sample(s->name, &p);
		exch[p.msg.hdr.exchange] = true;
		for (j = 0; j < p.msg.chain.count; j++) {
			const struct ikev2_payload *pl = &p.msg.chain.pl[j];

			seen[pl->type] = true;
			if (pl->type == IKEV2_PL_IDI || pl->type == IKEV2_PL_IDR)
				id_seen[pl->u.id.type] = true;
			if (pl->type == IKEV2_PL_AUTH)
				auth_seen[pl->u.auth.method] = true;
			if (pl->type == IKEV2_PL_EAP && pl->u.eap.code < 8)
				eap_codes[pl->u.eap.code] = true;
			if (pl->type == IKEV2_PL_TSI || pl->type == IKEV2_PL_TSR)
				for (k = 0; k < pl->u.ts.count; k++) {
					ts4 |= pl->u.ts.ts[k].type == IKEV2_TS_IPV4_ADDR_RANGE;
					ts6 |= pl->u.ts.ts[k].type == IKEV2_TS_IPV6_ADDR_RANGE;
				}
		}
	}
	assert_true(n >= 35);
	for (t = 0; t < 256; t++)
		if (ikev2_payload_known((uint8_t)t))
			if (!seen[t])
				fail_msg("no IKEv2 sample has payload type %u", t);
	assert_true(seen[200]); /* an unknown one */
	assert_true(exch[IKEV2_EXCH_IKE_SA_INIT] && exch[IKEV2_EXCH_IKE_AUTH]);
	assert_true(exch[IKEV2_EXCH_CREATE_CHILD_SA] && exch[IKEV2_EXCH_INFORMATIONAL]);
	assert_true(id_seen[IKEV2_ID_FQDN] && id_seen[IKEV2_ID_IPV4_ADDR]);
	assert_true(id_seen[IKEV2_ID_DER_ASN1_DN] && id_seen[IKEV2_ID_RFC822_ADDR]);
	assert_true(id_seen[IKEV2_ID_KEY_ID] && id_seen[IKEV2_ID_IPV6_ADDR]);
	assert_true(auth_seen[IKEV2_AUTH_PSK] && auth_seen[IKEV2_AUTH_RSA_SIG]);
	assert_true(auth_seen[IKEV2_AUTH_ECDSA_SHA256_P256]);
	assert_true(auth_seen[IKEV2_AUTH_DIGITAL_SIGNATURE]);
	assert_true(eap_codes[IKEV2_EAP_REQUEST] && eap_codes[IKEV2_EAP_RESPONSE]);
	assert_true(eap_codes[IKEV2_EAP_SUCCESS]);
	assert_true(ts4 && ts6 && port4500);
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
		struct ikev2_msg m1, m2;
		struct ike_hdr h;
		size_t len, out_len = 0;

		if (s->version != 2)
			continue;
		len = build_sample(s, tmp, sizeof(tmp));
		bytes = exact_copy(tmp, len);
		if (ikev2_parse_header(bytes, len, &h, &err) != 0 ||
		    ikev2_parse(bytes, len, &a, &m1, &err) != 0)
			fail_msg("%s: %s", s->name, describe(&err));
		assert_int_equal(m1.hdr.length, len);
		assert_int_equal(h.exchange, m1.hdr.exchange);
		if (ikev2_build(&m1, out, sizeof(out), &out_len, &err) != 0)
			fail_msg("%s: rebuild: %s", s->name, describe(&err));
		if (out_len != len || memcmp(out, bytes, len) != 0)
			fail_msg("%s: rebuilt bytes differ", s->name);
		if (ikev2_parse(out, out_len, &b, &m2, &err) != 0)
			fail_msg("%s: reparse: %s", s->name, describe(&err));
		if (!ikev2_msg_equal(&m1, &m2))
			fail_msg("%s: models differ: %s", s->name, msg_equal_last_difference());
		free(bytes);
	}
}

/* Cutting a sample short anywhere (and fixing the header length to match)
 * never parses, never reads past the end, and answers INVALID_SYNTAX. */
static void every_truncation_is_rejected(void **state)
{
	size_t i, cut;

	for (i = 0; i < samples_count; i++) {
		uint8_t tmp[MAX_MSG];
		size_t len;

		if (samples[i].version != 2)
			continue;
		len = build_sample(&samples[i], tmp, sizeof(tmp));
		for (cut = 0; cut < len; cut++) {
			uint8_t *p = exact_copy(tmp, cut);
			struct ike_arena a = arena_a();
			struct ike_error err = { 0 };
			struct ikev2_msg m;

			if (cut >= IKEV2_HDR_LEN) {
				p[24] = 0;
				p[25] = 0;
				p[26] = (uint8_t)(cut >> 8);
				p[27] = (uint8_t)cut;
			}
			if (ikev2_parse(p, cut, &a, &m, &err) == 0)
				fail_msg("%s cut at %zu parsed", samples[i].name, cut);
			assert_true(err.code == IKE_PERR_TRUNCATED || err.code == IKE_PERR_BAD_LENGTH);
			assert_true(err.offset <= cut);
			assert_int_equal(ike_error_notify(&err), IKEV2_N_INVALID_SYNTAX);
			free(p);
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

		if (samples[i].version != 2)
			continue;
		len = build_sample(&samples[i], tmp, sizeof(tmp));
		for (pos = 0; pos < len; pos++) {
			for (f = 0; f < sizeof(flips); f++) {
				uint8_t *p = exact_copy(tmp, len), out[MAX_MSG];
				struct ike_arena a = arena_a(), b = arena_b();
				struct ike_error err = { 0 };
				struct ikev2_msg m1, m2;
				size_t out_len = 0;

				p[pos] ^= flips[f];
				if (ikev2_parse(p, len, &a, &m1, &err) != 0) {
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
				if (ikev2_build(&m1, out, sizeof(out), &out_len, &err) != 0)
					fail_msg("%s byte %zu ^ 0x%02x: rebuild: %s", samples[i].name,
						 pos, flips[f], describe(&err));
				assert_int_equal(out_len, len);
				if (ikev2_parse(out, out_len, &b, &m2, &err) != 0)
					fail_msg("%s byte %zu ^ 0x%02x: reparse: %s", samples[i].name,
						 pos, flips[f], describe(&err));
				if (!ikev2_msg_equal(&m1, &m2))
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
		struct ikev2_msg m;
		size_t len, need;

		if (samples[i].version != 2)
			continue;
		len = build_sample(&samples[i], tmp, sizeof(tmp));
		assert_int_equal(ikev2_parse(tmp, len, &a, &m, &err), 0);
		need = a.used;
		for (cap = 0; cap <= need; cap++) {
			void *mem = malloc(cap ? cap : 1);
			struct ike_arena small = ike_arena_init(mem, cap);
			struct ike_error e2 = { 0 };
			int rc = ikev2_parse(tmp, len, &small, &m, &e2);

			if (cap < need) {
				assert_int_equal(rc, -1);
				assert_int_equal(e2.code, IKE_PERR_TOO_MANY);
				assert_int_equal(ike_error_notify(&e2), IKEV2_N_INVALID_SYNTAX);
			} else {
				assert_int_equal(rc, 0);
			}
			free(mem);
		}
	}
}

/* ---- decoded values of specific samples ------------------------------- */

static void init_request_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;
	const struct ikev2_proposal *pr;
	static const uint8_t hashes[] = { 0, 2, 0, 3, 0, 4 };

	parse_sample("v2-ike-sa-init-request", &p);
	assert_true(p.msg.hdr.ispi == SAMPLE_V2_SPI_I);
	assert_true(p.msg.hdr.rspi == 0);
	assert_int_equal(p.msg.hdr.version, 0x20);
	assert_int_equal(p.msg.hdr.exchange, IKEV2_EXCH_IKE_SA_INIT);
	assert_int_equal(p.msg.hdr.flags, IKEV2_FLAG_INITIATOR);
	assert_int_equal(p.msg.hdr.msgid, 0);
	assert_int_equal(p.msg.hdr.next_payload, IKEV2_PL_SA);
	assert_int_equal(p.msg.chain.count, 8);
	/* On the wire: the SA payload header right after the IKE header. */
	assert_int_equal(p.buf[28], IKEV2_PL_KE);
	assert_int_equal(p.buf[29], 0);

	pl = pl_at(&p.msg, 0, IKEV2_PL_SA);
	assert_int_equal(pl->u.sa.nproposals, 2);
	pr = &pl->u.sa.proposals[0];
	assert_int_equal(pr->num, 1);
	assert_int_equal(pr->protocol, IKEV2_PROTO_IKE);
	assert_int_equal(pr->spi_size, 0);
	assert_null(pr->spi);
	assert_int_equal(pr->ntransforms, 8);
	assert_int_equal(pr->transforms[0].type, IKEV2_TT_ENCR);
	assert_int_equal(pr->transforms[0].id, IKEV2_ENCR_AES_CBC);
	assert_int_equal(pr->transforms[0].attrs.count, 1);
	assert_int_equal(pr->transforms[0].attrs.attrs[0].type, IKEV2_ATTR_KEY_LENGTH);
	assert_true(pr->transforms[0].attrs.attrs[0].tv);
	assert_int_equal(pr->transforms[0].attrs.attrs[0].value, 256);
	assert_int_equal(pr->transforms[1].attrs.attrs[0].value, 128);
	assert_int_equal(pr->transforms[2].type, IKEV2_TT_PRF);
	assert_int_equal(pr->transforms[2].id, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(pr->transforms[2].attrs.count, 0);
	assert_int_equal(pr->transforms[4].type, IKEV2_TT_INTEG);
	assert_int_equal(pr->transforms[4].id, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(pr->transforms[5].type, IKEV2_TT_KE);
	assert_int_equal(pr->transforms[5].id, IKEV2_GROUP_CURVE25519);
	assert_int_equal(pr->transforms[7].id, IKEV2_GROUP_MODP_2048);
	pr = &pl->u.sa.proposals[1];
	assert_int_equal(pr->num, 2);
	assert_int_equal(pr->ntransforms, 5);
	assert_int_equal(pr->transforms[0].id, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(pr->transforms[1].id, IKEV2_ENCR_CHACHA20_POLY1305);
	assert_int_equal(pr->transforms[1].attrs.count, 0);

	pl = pl_at(&p.msg, 1, IKEV2_PL_KE);
	assert_int_equal(pl->u.ke.group, IKEV2_GROUP_CURVE25519);
	assert_int_equal(pl->u.ke.len, 32);
	assert_memory_equal(pl->u.ke.data, sample_x25519_i, 32);
	pl = pl_at(&p.msg, 2, IKEV2_PL_NONCE);
	assert_int_equal(pl->u.nonce.len, 32);
	assert_memory_equal(pl->u.nonce.data, sample_nonce_i, 32);
	pl = pl_at(&p.msg, 3, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	assert_int_equal(pl->u.notify.protocol, 0);
	assert_int_equal(pl->u.notify.spi_size, 0);
	assert_int_equal(pl->u.notify.len, 20);
	assert_memory_equal(pl->u.notify.data, sample_natd_v2_i_src, 20);
	assert_int_equal(pl_at(&p.msg, 4, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_NAT_DETECTION_DESTINATION_IP);
	pl = pl_at(&p.msg, 5, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED);
	assert_int_equal(pl->u.notify.len, 0);
	pl = pl_at(&p.msg, 6, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_SIGNATURE_HASH_ALGORITHMS);
	assert_int_equal(pl->u.notify.len, sizeof(hashes));
	assert_memory_equal(pl->u.notify.data, hashes, sizeof(hashes));
	pl = pl_at(&p.msg, 7, IKEV2_PL_VENDOR);
	assert_int_equal(pl->u.vendor.len, 16);
	assert_ptr_equal(ikev2_find_notify(&p.msg.chain, IKEV2_N_NAT_DETECTION_SOURCE_IP),
			 &p.msg.chain.pl[3]);
	assert_ptr_equal(ikev2_find(&p.msg.chain, IKEV2_PL_VENDOR), &p.msg.chain.pl[7]);
	assert_null(ikev2_find(&p.msg.chain, IKEV2_PL_AUTH));
}

static void init_response_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;
	const struct ikev2_proposal *pr;

	parse_sample("v2-ike-sa-init-response", &p);
	assert_true(p.msg.hdr.rspi == SAMPLE_V2_SPI_R);
	assert_int_equal(p.msg.hdr.flags, IKEV2_FLAG_RESPONSE);
	pl = pl_at(&p.msg, 0, IKEV2_PL_SA);
	assert_int_equal(pl->u.sa.nproposals, 1);
	pr = &pl->u.sa.proposals[0];
	assert_int_equal(pr->ntransforms, 4);
	assert_int_equal(pr->transforms[0].attrs.attrs[0].value, 256);
	assert_int_equal(pr->transforms[3].type, IKEV2_TT_KE);
	assert_int_equal(pl_at(&p.msg, 1, IKEV2_PL_KE)->u.ke.group, IKEV2_GROUP_CURVE25519);
	pl = pl_at(&p.msg, 5, IKEV2_PL_CERTREQ);
	assert_int_equal(pl->u.cert.encoding, IKEV2_CERT_X509_SIG);
	assert_int_equal(pl->u.cert.len, 20);
	assert_memory_equal(pl->u.cert.data, sample_ca_keyid, 20);
}

static void init_error_responses_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;

	parse_sample("v2-ike-sa-init-response-invalid-ke", &p);
	assert_int_equal(p.msg.chain.count, 1);
	assert_true(p.msg.hdr.rspi == 0);
	pl = pl_at(&p.msg, 0, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_INVALID_KE_PAYLOAD);
	assert_int_equal(pl->u.notify.len, 2);
	assert_int_equal(wire_load_u16(pl->u.notify.data), IKEV2_GROUP_MODP_2048);

	parse_sample("v2-ike-sa-init-request-modp2048", &p);
	pl = pl_at(&p.msg, 1, IKEV2_PL_KE);
	assert_int_equal(pl->u.ke.group, IKEV2_GROUP_MODP_2048);
	assert_int_equal(pl->u.ke.len, 256);
	assert_memory_equal(pl->u.ke.data, sample_modp2048_i, 256);

	parse_sample("v2-ike-sa-init-response-cookie", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_COOKIE);
	assert_int_equal(pl->u.notify.len, sizeof(sample_cookie));

	parse_sample("v2-ike-sa-init-request-cookie-retry", &p);
	assert_int_equal(p.msg.chain.count, 6);
	pl = pl_at(&p.msg, 0, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_COOKIE);
	assert_memory_equal(pl->u.notify.data, sample_cookie, sizeof(sample_cookie));
	pl_at(&p.msg, 1, IKEV2_PL_SA);

	parse_sample("v2-ike-sa-init-response-no-proposal-chosen", &p);
	assert_int_equal(pl_at(&p.msg, 0, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_true(ikev2_notify_is_error(IKEV2_N_NO_PROPOSAL_CHOSEN));
}

static void auth_psk_fields(void **state)
{
	static struct parsed p;
	static const uint8_t zero4[4], ones4[4] = { 255, 255, 255, 255 };
	static const uint8_t vip[4] = { 10, 1, 0, 5 }, lan_start[4] = { 10, 0, 0, 0 },
			     lan_end[4] = { 10, 0, 255, 255 }, gw[4] = { 198, 51, 100, 1 },
			     spi_i[4] = { 0xc4, 0x1f, 0x00, 0x2a };
	const struct ikev2_payload *pl;
	const struct ikev2_ts *ts;

	parse_sample("v2-ike-auth-request-psk", &p);
	assert_int_equal(p.msg.hdr.exchange, IKEV2_EXCH_IKE_AUTH);
	assert_int_equal(p.msg.hdr.msgid, 1);
	pl = pl_at(&p.msg, 0, IKEV2_PL_IDI);
	assert_int_equal(pl->u.id.type, IKEV2_ID_FQDN);
	assert_int_equal(pl->u.id.len, strlen("client.example.org"));
	assert_memory_equal(pl->u.id.data, "client.example.org", pl->u.id.len);
	assert_int_equal(pl_at(&p.msg, 1, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_INITIAL_CONTACT);
	pl = pl_at(&p.msg, 2, IKEV2_PL_IDR);
	assert_int_equal(pl->u.id.type, IKEV2_ID_IPV4_ADDR);
	assert_int_equal(pl->u.id.len, 4);
	assert_memory_equal(pl->u.id.data, gw, 4);
	pl = pl_at(&p.msg, 3, IKEV2_PL_AUTH);
	assert_int_equal(pl->u.auth.method, IKEV2_AUTH_PSK);
	assert_int_equal(pl->u.auth.len, 32);
	pl = pl_at(&p.msg, 4, IKEV2_PL_CP);
	assert_int_equal(pl->u.cp.type, IKEV2_CFG_REQUEST);
	assert_int_equal(pl->u.cp.nattrs, 3);
	assert_int_equal(pl->u.cp.attrs[0].type, IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS);
	assert_int_equal(pl->u.cp.attrs[0].len, 0);
	assert_int_equal(pl->u.cp.attrs[1].type, IKEV2_CFG_ATTR_INTERNAL_IP4_DNS);
	assert_int_equal(pl->u.cp.attrs[2].type, IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS);
	pl = pl_at(&p.msg, 5, IKEV2_PL_SA);
	assert_int_equal(pl->u.sa.nproposals, 2);
	assert_int_equal(pl->u.sa.proposals[0].protocol, IKEV2_PROTO_ESP);
	assert_int_equal(pl->u.sa.proposals[0].spi_size, 4);
	assert_memory_equal(pl->u.sa.proposals[0].spi, spi_i, 4);
	assert_int_equal(pl->u.sa.proposals[0].ntransforms, 3);
	assert_int_equal(pl->u.sa.proposals[0].transforms[2].type, IKEV2_TT_ESN);
	assert_int_equal(pl->u.sa.proposals[1].ntransforms, 5);
	assert_int_equal(pl->u.sa.proposals[1].transforms[4].id, IKEV2_ESN_YES);
	pl = pl_at(&p.msg, 6, IKEV2_PL_TSI);
	assert_int_equal(pl->u.ts.count, 2);
	assert_ts4(&pl->u.ts.ts[0], 0, 0, 65535, zero4, ones4);
	ts = &pl->u.ts.ts[1];
	assert_int_equal(ts->type, IKEV2_TS_IPV6_ADDR_RANGE);
	assert_int_equal(ts->end_port, 65535);
	assert_int_equal(ts->start[0], 0);
	assert_int_equal(ts->end[15], 0xff);
	pl_at(&p.msg, 7, IKEV2_PL_TSR);
	assert_int_equal(pl_at(&p.msg, 8, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED);
	assert_int_equal(pl_at(&p.msg, 9, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_MOBIKE_SUPPORTED);

	parse_sample("v2-ike-auth-response-psk", &p);
	pl = pl_at(&p.msg, 2, IKEV2_PL_CP);
	assert_int_equal(pl->u.cp.type, IKEV2_CFG_REPLY);
	assert_int_equal(pl->u.cp.nattrs, 4);
	assert_int_equal(pl->u.cp.attrs[0].len, 4);
	assert_memory_equal(pl->u.cp.attrs[0].data, vip, 4);
	assert_int_equal(pl->u.cp.attrs[2].type, IKEV2_CFG_ATTR_INTERNAL_IP4_DNS);
	assert_memory_equal(pl->u.cp.attrs[2].data, ((const uint8_t[]){ 10, 0, 0, 54 }), 4);
	assert_int_equal(pl->u.cp.attrs[3].len, 17);
	assert_int_equal(pl->u.cp.attrs[3].data[16], 64); /* prefix length */
	pl = pl_at(&p.msg, 3, IKEV2_PL_SA);
	assert_int_equal(pl->u.sa.nproposals, 1);
	assert_int_equal(pl->u.sa.proposals[0].ntransforms, 2);
	pl = pl_at(&p.msg, 4, IKEV2_PL_TSI);
	assert_int_equal(pl->u.ts.count, 1);
	assert_ts4(&pl->u.ts.ts[0], 0, 0, 65535, vip, vip);
	pl = pl_at(&p.msg, 5, IKEV2_PL_TSR);
	assert_ts4(&pl->u.ts.ts[0], 0, 0, 65535, lan_start, lan_end);
}

static void auth_signature_fields(void **state)
{
	static struct parsed p;
	static const uint8_t host_i[4] = { 192, 0, 2, 10 }, host_r[4] = { 198, 51, 100, 1 };
	const struct ikev2_payload *pl;
	const struct ikev2_ts *ts;

	parse_sample("v2-ike-auth-request-rsa-transport", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_IDI);
	assert_int_equal(pl->u.id.type, IKEV2_ID_DER_ASN1_DN);
	assert_int_equal(pl->u.id.len, sizeof(sample_dn_alice));
	assert_memory_equal(pl->u.id.data, sample_dn_alice, sizeof(sample_dn_alice));
	assert_int_equal(pl_at(&p.msg, 1, IKEV2_PL_CERTREQ)->u.cert.encoding, IKEV2_CERT_X509_SIG);
	assert_int_equal(pl_at(&p.msg, 2, IKEV2_PL_IDR)->u.id.type, IKEV2_ID_DER_ASN1_DN);
	pl = pl_at(&p.msg, 3, IKEV2_PL_AUTH);
	assert_int_equal(pl->u.auth.method, IKEV2_AUTH_RSA_SIG);
	assert_int_equal(pl->u.auth.len, 256);
	assert_int_equal(pl_at(&p.msg, 4, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_USE_TRANSPORT_MODE);
	pl = pl_at(&p.msg, 6, IKEV2_PL_TSI);
	assert_int_equal(pl->u.ts.count, 2);
	assert_ts4(&pl->u.ts.ts[0], 17, 0, 65535, host_i, host_i);
	pl = pl_at(&p.msg, 7, IKEV2_PL_TSR);
	assert_ts4(&pl->u.ts.ts[0], 17, 1701, 1701, host_r, host_r);
	assert_ts4(&pl->u.ts.ts[1], 6, 443, 443, host_r, host_r);

	parse_sample("v2-ike-auth-response-ecdsa-transport", &p);
	pl = pl_at(&p.msg, 1, IKEV2_PL_CERT);
	assert_int_equal(pl->u.cert.encoding, IKEV2_CERT_X509_SIG);
	assert_int_equal(pl->u.cert.len, sizeof(sample_cert_gw));
	assert_memory_equal(pl->u.cert.data, sample_cert_gw, sizeof(sample_cert_gw));
	pl = pl_at(&p.msg, 2, IKEV2_PL_AUTH);
	assert_int_equal(pl->u.auth.method, IKEV2_AUTH_ECDSA_SHA256_P256);
	assert_int_equal(pl->u.auth.len, 64);

	parse_sample("v2-ike-auth-request-digsig-ipv6", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_IDI);
	assert_int_equal(pl->u.id.type, IKEV2_ID_RFC822_ADDR);
	assert_memory_equal(pl->u.id.data, "alice@example.org", pl->u.id.len);
	pl = pl_at(&p.msg, 1, IKEV2_PL_IDR);
	assert_int_equal(pl->u.id.type, IKEV2_ID_IPV6_ADDR);
	assert_int_equal(pl->u.id.len, 16);
	assert_int_equal(pl->u.id.data[15], 1);
	pl = pl_at(&p.msg, 2, IKEV2_PL_AUTH);
	assert_int_equal(pl->u.auth.method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	assert_int_equal(pl->u.auth.data[0], 12); /* RFC 7427 §3: AlgorithmIdentifier length */
	ts = &pl_at(&p.msg, 5, IKEV2_PL_TSR)->u.ts.ts[0];
	assert_int_equal(ts->type, IKEV2_TS_IPV6_ADDR_RANGE);
	assert_int_equal(ts->ip_proto, 17);
	assert_int_equal(ts->start_port, 53);
	assert_int_equal(ts->end_port, 53);
	assert_memory_equal(ts->start, ((const uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8, 0, 0x53 }), 6);
	assert_int_equal(ts->end[15], 0xff);
	assert_int_equal(ts->end[14], 0);
}

static void auth_eap_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;

	parse_sample("v2-ike-auth-request-eap", &p);
	assert_null(ikev2_find(&p.msg.chain, IKEV2_PL_AUTH));
	pl = pl_at(&p.msg, 0, IKEV2_PL_IDI);
	assert_int_equal(pl->u.id.type, IKEV2_ID_KEY_ID);
	assert_memory_equal(pl->u.id.data, "alice-key-01", pl->u.id.len);

	parse_sample("v2-ike-auth-response-eap-identity", &p);
	pl = pl_at(&p.msg, 3, IKEV2_PL_EAP);
	assert_int_equal(pl->u.eap.code, IKEV2_EAP_REQUEST);
	assert_int_equal(pl->u.eap.identifier, 1);
	assert_int_equal(pl->u.eap.type, 1); /* Identity */
	assert_int_equal(pl->u.eap.len, 0);
	assert_int_equal(wire_load_u16(pl->body + 2), 5); /* EAP length */

	parse_sample("v2-ike-auth-request-eap-identity", &p);
	assert_int_equal(p.msg.hdr.msgid, 2);
	pl = pl_at(&p.msg, 0, IKEV2_PL_EAP);
	assert_int_equal(pl->u.eap.code, IKEV2_EAP_RESPONSE);
	assert_int_equal(pl->u.eap.len, strlen("alice@example.org"));
	assert_memory_equal(pl->u.eap.data, "alice@example.org", pl->u.eap.len);

	parse_sample("v2-ike-auth-response-eap-md5", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_EAP);
	assert_int_equal(pl->u.eap.type, 4);
	assert_int_equal(pl->u.eap.data[0], 16); /* Value-Size */

	parse_sample("v2-ike-auth-response-eap-success", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_EAP);
	assert_int_equal(pl->u.eap.code, IKEV2_EAP_SUCCESS);
	assert_int_equal(pl->u.eap.identifier, 2);
	assert_int_equal(pl->u.eap.len, 0);
	assert_int_equal(pl->body_len, 4);

	parse_sample("v2-ike-auth-response-eap-auth", &p);
	assert_int_equal(pl_at(&p.msg, 0, IKEV2_PL_AUTH)->u.auth.method, IKEV2_AUTH_PSK);
	assert_int_equal(pl_at(&p.msg, 1, IKEV2_PL_CP)->u.cp.type, IKEV2_CFG_REPLY);
}

static void child_sa_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;
	const struct ikev2_proposal *pr;

	parse_sample("v2-create-child-sa-request-rekey-esp", &p);
	assert_int_equal(p.msg.hdr.exchange, IKEV2_EXCH_CREATE_CHILD_SA);
	pl = pl_at(&p.msg, 0, IKEV2_PL_NOTIFY);
	assert_int_equal(pl->u.notify.type, IKEV2_N_REKEY_SA);
	assert_int_equal(pl->u.notify.protocol, IKEV2_PROTO_ESP);
	assert_int_equal(pl->u.notify.spi_size, 4);
	assert_memory_equal(pl->u.notify.spi, ((const uint8_t[]){ 0xc4, 0x1f, 0x00, 0x2a }), 4);
	assert_int_equal(pl->u.notify.len, 0);
	pr = &pl_at(&p.msg, 1, IKEV2_PL_SA)->u.sa.proposals[0];
	assert_int_equal(pr->ntransforms, 3);
	assert_int_equal(pr->transforms[1].type, IKEV2_TT_KE);
	assert_int_equal(pr->transforms[1].id, IKEV2_GROUP_CURVE25519);
	pl_at(&p.msg, 2, IKEV2_PL_NONCE);
	pl_at(&p.msg, 3, IKEV2_PL_KE);

	parse_sample("v2-create-child-sa-request-rekey-ike", &p);
	pr = &pl_at(&p.msg, 0, IKEV2_PL_SA)->u.sa.proposals[0];
	assert_int_equal(pr->protocol, IKEV2_PROTO_IKE);
	assert_int_equal(pr->spi_size, 8);
	assert_int_equal(pr->spi[0], 0x9b);
	assert_int_equal(pr->spi[7], 0x86);
	assert_int_equal(pr->ntransforms, 5);
}

static void informational_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;

	parse_sample("v2-informational-request-delete-ike", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_DELETE);
	assert_int_equal(pl->u.del.protocol, IKEV2_PROTO_IKE);
	assert_int_equal(pl->u.del.spi_size, 0);
	assert_int_equal(pl->u.del.nspis, 0);
	assert_null(pl->u.del.spis);

	parse_sample("v2-informational-request-delete-esp", &p);
	assert_int_equal(p.msg.hdr.flags, 0); /* a request from the original responder */
	pl = pl_at(&p.msg, 0, IKEV2_PL_DELETE);
	assert_int_equal(pl->u.del.protocol, IKEV2_PROTO_ESP);
	assert_int_equal(pl->u.del.spi_size, 4);
	assert_int_equal(pl->u.del.nspis, 3);
	assert_int_equal(wire_load_u32(pl->u.del.spis + 8), 0xcd937107);

	parse_sample("v2-informational-request-empty", &p);
	assert_int_equal(p.len, IKEV2_HDR_LEN);
	assert_int_equal(p.msg.chain.count, 0);
	assert_int_equal(p.msg.hdr.next_payload, IKEV2_PL_NONE);
	parse_sample("v2-informational-response-empty", &p);
	assert_int_equal(p.msg.hdr.flags, IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE);

	parse_sample("v2-informational-request-mobike-update", &p);
	assert_int_equal(pl_at(&p.msg, 0, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_UPDATE_SA_ADDRESSES);
	assert_int_equal(pl_at(&p.msg, 3, IKEV2_PL_NOTIFY)->u.notify.len, 16);
}

static void encrypted_fields(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;

	parse_sample("v2-ike-auth-request-sk", &p);
	assert_int_equal(p.msg.hdr.next_payload, IKEV2_PL_SK);
	assert_int_equal(p.msg.chain.count, 1);
	pl = pl_at(&p.msg, 0, IKEV2_PL_SK);
	assert_int_equal(pl->u.sk.first_inner, IKEV2_PL_IDI);
	assert_int_equal(pl->u.sk.len, sizeof(sample_sk_body));
	assert_memory_equal(pl->u.sk.data, sample_sk_body, sizeof(sample_sk_body));
	assert_int_equal(p.buf[28], IKEV2_PL_IDI); /* the SK header names the inner payload */

	parse_sample("v2-create-child-sa-request-sk", &p);
	assert_int_equal(pl_at(&p.msg, 0, IKEV2_PL_SK)->u.sk.first_inner, IKEV2_PL_NOTIFY);
	parse_sample("v2-informational-response-sk-empty", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_SK);
	assert_int_equal(pl->u.sk.first_inner, IKEV2_PL_NONE);
	assert_int_equal(pl->u.sk.len, 48);

	parse_sample("v2-ike-auth-request-skf-1-of-3", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_SKF);
	assert_int_equal(pl->u.skf.number, 1);
	assert_int_equal(pl->u.skf.total, 3);
	assert_int_equal(pl->u.skf.first_inner, IKEV2_PL_IDI);
	assert_int_equal(pl->u.skf.len, 96);
	parse_sample("v2-ike-auth-request-skf-2-of-3", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_SKF);
	assert_int_equal(pl->u.skf.number, 2);
	assert_int_equal(pl->u.skf.first_inner, IKEV2_PL_NONE);
	parse_sample("v2-ike-auth-request-skf-3-of-3", &p);
	pl = pl_at(&p.msg, 0, IKEV2_PL_SKF);
	assert_int_equal(pl->u.skf.number, 3);
	assert_int_equal(pl->u.skf.total, 3);
	assert_int_equal(pl->u.skf.len, 64);
	assert_int_equal(find_sample("v2-ike-auth-request-skf-3-of-3")->port, 4500);
}

static void unknown_payload_sample_keeps_body(void **state)
{
	static struct parsed p;
	const struct ikev2_payload *pl;

	parse_sample("v2-ike-sa-init-request-unknown-payload", &p);
	assert_false(ikev2_payload_known(200));
	assert_int_equal(p.msg.chain.count, 6);
	pl = pl_at(&p.msg, 3, 200);
	assert_false(pl->critical);
	assert_int_equal(pl->body_len, sizeof("osprey private payload"));
	assert_memory_equal(pl->body, "osprey private payload", pl->body_len);
	/* The chain goes on past it. */
	assert_int_equal(pl_at(&p.msg, 4, IKEV2_PL_NOTIFY)->u.notify.type,
			 IKEV2_N_NAT_DETECTION_SOURCE_IP);
}

static void summaries_name_the_payloads(void **state)
{
	static struct parsed p;
	char line[512];

	parse_sample("v2-ike-sa-init-request", &p);
	ikev2_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) "
				  "N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) "
				  "N(SIGNATURE_HASH_ALGORITHMS) V ]");
	parse_sample("v2-ike-auth-response-psk", &p);
	ikev2_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "IKE_AUTH response 1 [ IDr AUTH CP SA TSi TSr "
				  "N(ESP_TFC_PADDING_NOT_SUPPORTED) N(MOBIKE_SUPPORTED) ]");
	parse_sample("v2-ike-auth-request-skf-2-of-3", &p);
	ikev2_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "IKE_AUTH request 1 [ SKF(2/3) ]");
	parse_sample("v2-ike-sa-init-request-unknown-payload", &p);
	ikev2_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "IKE_SA_INIT request 0 [ SA KE No 200 "
				  "N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) ]");
	parse_sample("v2-informational-response-empty", &p);
	ikev2_msg_summary(&p.msg, line, sizeof(line));
	assert_string_equal(line, "INFORMATIONAL response 1 [ ]");
	/* A short buffer truncates, never overflows. */
	parse_sample("v2-ike-sa-init-request", &p);
	ikev2_msg_summary(&p.msg, line, 20);
	assert_int_equal(strlen(line), 19);
}

/* ---- malformed: the header -------------------------------------------- */

static void header_truncated(void **state)
{
	static const uint8_t nonce[] = { 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t msg[MAX_MSG];
	size_t len = wrap(msg, sizeof(msg), IKEV2_PL_NONCE, nonce, sizeof(nonce));

	assert_true(len > 27);
	expect_error(msg, 27, IKE_PERR_TRUNCATED, 0, "message length", 0, 27);
	expect_error(msg, 0, IKE_PERR_TRUNCATED, 0, "message length", 0, 0);
}

static void header_wrong_major_version(void **state)
{
	uint8_t msg[MAX_MSG];
	size_t len = wrap(msg, sizeof(msg), IKEV2_PL_NONE, NULL, 0);

	msg[17] = 0x10; /* an IKEv1 message */
	expect_error(msg, len, IKE_PERR_BAD_VERSION, 0, "version", 17, 0x10);
	msg[17] = 0x30;
	expect_error(msg, len, IKE_PERR_BAD_VERSION, 0, "version", 17, 0x30);
}

static void header_length_not_datagram_length(void **state)
{
	static const uint8_t nonce[] = { 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t msg[MAX_MSG];
	size_t len = wrap(msg, sizeof(msg), IKEV2_PL_NONCE, nonce, sizeof(nonce));

	msg[27] = (uint8_t)(len + 1);
	expect_error(msg, len, IKE_PERR_BAD_LENGTH, 0, "length", 24, (uint32_t)len + 1);
	msg[27] = (uint8_t)(len - 1);
	expect_error(msg, len, IKE_PERR_BAD_LENGTH, 0, "length", 24, (uint32_t)len - 1);
}

/* ---- malformed: the payload chain ------------------------------------- */

static void payload_length_below_header(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x03, 1, 2, 3, 4 };

	expect_chain_error(IKEV2_PL_NONCE, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV2_PL_NONCE, "payload length", 30, 3);
}

static void payload_length_past_end(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x28, 0x00, 0x00, 0x08, 1, 2, 3, 4,     /* Nonce, next Nonce */
		/* 36 */ 0x00, 0x00, 0x00, 0x10, 1, 2, 3, 4,     /* claims 16 bytes, has 8 */
	};

	expect_chain_error(IKEV2_PL_NONCE, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV2_PL_NONCE, "payload length", 38, 16);
}

static void generic_header_truncated(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x2b, 0x00, 0x00, 0x08, 1, 2, 3, 4, /* Nonce, next V */
		/* 36 */ 0x00, 0x00,                         /* half a header */
	};

	expect_chain_error(IKEV2_PL_NONCE, chain, sizeof(chain), IKE_PERR_TRUNCATED,
			   IKEV2_PL_VENDOR, "generic payload header", 36, 2);
}

static void trailing_bytes_after_last_payload(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4,
		/* 36 */ 0xaa, 0xbb, 0xcc,
	};

	expect_chain_error(IKEV2_PL_NONCE, chain, sizeof(chain), IKE_PERR_BAD_CHAIN, 0,
			   "trailing data after last payload", 36, 3);
}

static void sk_not_last(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x28, 0x00, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44, /* SK, inner Nonce */
		/* 36 */ 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4,             /* something after */
	};

	expect_chain_error(IKEV2_PL_SK, chain, sizeof(chain), IKE_PERR_BAD_CHAIN, IKEV2_PL_SK,
			   "encrypted payload not last", 36, 8);
	expect_chain_error(IKEV2_PL_SKF, (const uint8_t[]){ 0x00, 0x00, 0x00, 0x08, 0, 1, 0, 1,
							    0x00, 0x00, 0x00, 0x04 },
			   12, IKE_PERR_BAD_CHAIN, IKEV2_PL_SKF, "encrypted payload not last", 36,
			   4);
}

static void unknown_critical_payload(void **state)
{
	static const uint8_t first[] = { 0x00, 0x80, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t later[] = {
		/* 28 */ 0xc8, 0x00, 0x00, 0x08, 1, 2, 3, 4, /* Nonce, next type 200 */
		/* 36 */ 0x00, 0x81, 0x00, 0x05, 0x00,       /* critical (reserved bit too) */
	};

	expect_chain_error(200, first, sizeof(first), IKE_PERR_UNSUPPORTED_CRITICAL, 200,
			   "critical bit", 29, 200);
	expect_chain_error(IKEV2_PL_NONCE, later, sizeof(later), IKE_PERR_UNSUPPORTED_CRITICAL,
			   200, "critical bit", 37, 200);
	/* GSPM (RFC 6467) is registered but not modelled: unknown to the codec. */
	expect_chain_error(IKEV2_PL_GSPM, first, sizeof(first), IKE_PERR_UNSUPPORTED_CRITICAL,
			   IKEV2_PL_GSPM, "critical bit", 29, IKEV2_PL_GSPM);
}

static void unknown_non_critical_payload_is_kept(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0xc8, 0x00, 0x00, 0x08, 1, 2, 3, 4, /* Nonce, next 200 */
		/* 36 */ 0x28, 0x00, 0x00, 0x07, 'a', 'b', 'c', /* 200, next Nonce */
		/* 43 */ 0x00, 0x00, 0x00, 0x05, 9,
	};
	uint8_t msg[MAX_MSG];
	struct ikev2_msg m;

	expect_chain_ok(IKEV2_PL_NONCE, chain, sizeof(chain), &m, msg);
	assert_int_equal(m.chain.count, 3);
	assert_int_equal(m.chain.pl[1].type, 200);
	assert_false(m.chain.pl[1].critical);
	assert_int_equal(m.chain.pl[1].body_len, 3);
	assert_memory_equal(m.chain.pl[1].body, "abc", 3);
	assert_ptr_equal(m.chain.pl[1].body, msg + 40);
	assert_int_equal(m.chain.pl[2].u.nonce.len, 1);
}

static void known_payload_with_critical_bit(void **state)
{
	/* §2.5: the bit only matters for unknown types; it is kept. */
	static const uint8_t chain[] = { 0x00, 0x80, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t msg[MAX_MSG];
	struct ikev2_msg m;

	expect_chain_ok(IKEV2_PL_NONCE, chain, sizeof(chain), &m, msg);
	assert_true(m.chain.pl[0].critical);
}

/* ---- malformed: SA ---------------------------------------------------- */

static void sa_reference_parses(void **state)
{
	uint8_t msg[MAX_MSG];
	struct ikev2_msg m;
	const struct ikev2_proposal *pr;

	expect_chain_ok(IKEV2_PL_SA, sa_ok, sizeof(sa_ok), &m, msg);
	pr = &m.chain.pl[0].u.sa.proposals[0];
	assert_int_equal(m.chain.pl[0].u.sa.nproposals, 1);
	assert_int_equal(pr->ntransforms, 2);
	assert_int_equal(pr->transforms[0].attrs.attrs[0].value, 256);
	assert_int_equal(pr->transforms[1].id, IKEV2_GROUP_CURVE25519);
}

static void sa_proposal_length_past_payload(void **state)
{
	expect_sa_error(35, 0x1d, IKE_PERR_BAD_LENGTH, "proposal length", 34, 29);
}

static void sa_proposal_length_below_minimum(void **state)
{
	expect_sa_error(35, 0x04, IKE_PERR_BAD_LENGTH, "proposal length", 34, 4);
}

static void sa_proposal_shorter_than_its_content(void **state)
{
	/* The proposal says "last" but leaves a byte of the SA unaccounted for. */
	expect_sa_error(35, 0x1b, IKE_PERR_BAD_CHAIN, "proposal last substruc", 32, 0);
}

static void sa_proposal_more_but_none_follows(void **state)
{
	expect_sa_error(32, 0x02, IKE_PERR_BAD_CHAIN, "proposal last substruc", 32, 2);
}

static void sa_proposal_last_substruc_invalid(void **state)
{
	/* 3 is the transform value; proposals use 0 or 2 (§3.3.1). */
	expect_sa_error(32, 0x03, IKE_PERR_BAD_VALUE, "proposal last substruc", 32, 3);
}

static void sa_transform_count_mismatch(void **state)
{
	expect_sa_error(39, 3, IKE_PERR_BAD_VALUE, "number of transforms", 39, 3);
	expect_sa_error(39, 1, IKE_PERR_BAD_VALUE, "number of transforms", 39, 1);
}

static void sa_spi_size_past_proposal(void **state)
{
	expect_sa_error(38, 32, IKE_PERR_TRUNCATED, "proposal SPI size", 38, 32);
}

static void sa_transform_length_past_proposal(void **state)
{
	expect_sa_error(55, 0x09, IKE_PERR_BAD_LENGTH, "transform length", 54, 9);
}

static void sa_transform_header_truncated(void **state)
{
	/* The first transform swallows 4 bytes of the second. */
	expect_sa_error(43, 0x10, IKE_PERR_TRUNCATED, "transform header", 56, 4);
}

static void sa_transform_last_but_more_follow(void **state)
{
	expect_sa_error(40, 0x00, IKE_PERR_BAD_CHAIN, "transform last substruc", 40, 0);
}

static void sa_attribute_runs_past_transform(void **state)
{
	static const uint8_t tlv5[4] = { 0x00, 0x0e, 0x00, 0x05 };
	uint8_t chain[sizeof(sa_ok)];

	memcpy(chain, sa_ok, sizeof(chain));
	/* 48: Key Length as a TLV of 5 bytes; the transform has none left. */
	memcpy(chain + 48 - IKEV2_HDR_LEN, tlv5, sizeof(tlv5));
	expect_chain_error(IKEV2_PL_SA, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV2_PL_SA,
			   "attribute length", 50, 5);
}

static void sa_attribute_header_truncated(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x16, /* SA, length 22 */
		/* 32 */ 0x00, 0x00, 0x00, 0x12, /* proposal, length 18 */
		/* 36 */ 0x01, 0x01, 0x00, 0x01,
		/* 40 */ 0x00, 0x00, 0x00, 0x0a, /* transform, length 10 */
		/* 44 */ 0x01, 0x00, 0x00, 0x0c,
		/* 48 */ 0x80, 0x0e,             /* half an attribute */
	};

	expect_chain_error(IKEV2_PL_SA, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV2_PL_SA,
			   "attribute header", 48, 2);
}

static void sa_body_shorter_than_proposal_header(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x04 };

	expect_chain_error(IKEV2_PL_SA, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV2_PL_SA,
			   "proposal header", 32, 4);
}

/* ---- malformed: other payloads ---------------------------------------- */

static void ke_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x06, 0x00, 0x1f };

	expect_chain_error(IKEV2_PL_KE, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_KE,
			   "payload length", 30, 6);
}

static void id_ipv4_with_five_bytes(void **state)
{
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0d, 0x01, 0x00, 0x00, 0x00, 192, 0, 2, 10, 1,
	};

	expect_chain_error(IKEV2_PL_IDI, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_IDI,
			   "identification data", 36, 5);
}

static void id_ipv6_with_four_bytes(void **state)
{
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0c, 0x05, 0x00, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8,
	};

	expect_chain_error(IKEV2_PL_IDR, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_IDR,
			   "identification data", 36, 4);
}

static void notify_spi_past_end(void **state)
{
	/* ESP, SPI size 4, REKEY_SA, but no SPI. */
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x08, 0x03, 0x04, 0x40, 0x09 };

	expect_chain_error(IKEV2_PL_NOTIFY, chain, sizeof(chain), IKE_PERR_TRUNCATED,
			   IKEV2_PL_NOTIFY, "SPI size", 33, 4);
}

static void notify_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x40 };

	expect_chain_error(IKEV2_PL_NOTIFY, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV2_PL_NOTIFY, "payload length", 30, 7);
}

static void delete_spi_count_mismatch(void **state)
{
	/* Three 4-byte ESP SPIs announced, one present. */
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0c, 0x03, 0x04, 0x00, 0x03, 0xc0, 0x00, 0x00, 0x01,
	};

	expect_chain_error(IKEV2_PL_DELETE, chain, sizeof(chain), IKE_PERR_BAD_LENGTH,
			   IKEV2_PL_DELETE, "number of SPIs", 34, 3);
}

static void ts_ipv4_selector_length_wrong(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x1c, 0x01, 0x00, 0x00, 0x00,
		/* 36 */ 0x07, 0x00, 0x00, 0x14, 0x00, 0x00, 0xff, 0xff, /* IPv4, length 20 */
		/* 44 */ 10, 0, 0, 0, 10, 0, 0, 255, 0, 0, 0, 0,
	};

	expect_chain_error(IKEV2_PL_TSI, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_TSI,
			   "selector length", 38, 20);
}

static void ts_ipv6_selector_length_wrong(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x18, 0x01, 0x00, 0x00, 0x00,
		/* 36 */ 0x08, 0x00, 0x00, 0x10, 0x00, 0x00, 0xff, 0xff, /* IPv6, IPv4 length */
		/* 44 */ 10, 0, 0, 0, 10, 0, 0, 255,
	};

	expect_chain_error(IKEV2_PL_TSR, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_TSR,
			   "selector length", 38, 16);
}

static void ts_selector_past_payload(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x00,
		/* 36 */ 0x07, 0x00, 0x00, 0x10, 0x00, 0x00, 0xff, 0xff, 10, 0, 0, 0,
	};

	expect_chain_error(IKEV2_PL_TSI, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_TSI,
			   "selector length", 38, 16);
}

static void ts_count_larger_than_selectors(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x18, 0x02, 0x00, 0x00, 0x00, /* 2 TSs */
		/* 36 */ 0x07, 0x00, 0x00, 0x10, 0x00, 0x00, 0xff, 0xff,
		/* 44 */ 10, 0, 0, 0, 10, 0, 0, 255,
	};

	expect_chain_error(IKEV2_PL_TSI, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV2_PL_TSI,
			   "traffic selector header", 52, 0);
}

static void ts_bytes_after_selectors(void **state)
{
	static const uint8_t chain[] = {
		/* 28 */ 0x00, 0x00, 0x00, 0x1c, 0x01, 0x00, 0x00, 0x00,
		/* 36 */ 0x07, 0x00, 0x00, 0x10, 0x00, 0x00, 0xff, 0xff,
		/* 44 */ 10, 0, 0, 0, 10, 0, 0, 255,
		/* 52 */ 0, 0, 0, 0,
	};

	expect_chain_error(IKEV2_PL_TSI, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_TSI,
			   "payload length", 52, 4);
}

static void ts_other_type_is_kept_opaque(void **state)
{
	/* TS_SECLABEL (RFC 9478): not an address range, kept as data. */
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0f, 0x01, 0x00, 0x00, 0x00,
		0x0a, 0x00, 0x00, 0x07, 's', '0', 0,
	};
	uint8_t msg[MAX_MSG];
	struct ikev2_msg m;

	expect_chain_ok(IKEV2_PL_TSI, chain, sizeof(chain), &m, msg);
	assert_int_equal(m.chain.pl[0].u.ts.ts[0].type, IKEV2_TS_SECLABEL);
	assert_int_equal(m.chain.pl[0].u.ts.ts[0].len, 3);
}

static void eap_length_mismatch(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x0b, 0x02, 0x01, 0x00, 0x08, 0x01,
					 'a', 'b' };

	expect_chain_error(IKEV2_PL_EAP, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_EAP,
			   "EAP length", 34, 8);
}

static void eap_request_without_type(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x08, 0x01, 0x05, 0x00, 0x04 };

	expect_chain_error(IKEV2_PL_EAP, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_EAP,
			   "EAP length", 34, 4);
}

static void cp_attribute_past_end(void **state)
{
	static const uint8_t chain[] = {
		0x00, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x04,
	};

	expect_chain_error(IKEV2_PL_CP, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_CP,
			   "attribute length", 38, 4);
}

static void cp_attribute_header_truncated(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x00, 0x00, 0x00,
					 0x01 };

	expect_chain_error(IKEV2_PL_CP, chain, sizeof(chain), IKE_PERR_TRUNCATED, IKEV2_PL_CP,
			   "attribute header", 36, 2);
}

static void skf_fragment_number_zero(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x03,
					 0xaa, 0xbb, 0xcc, 0xdd };

	expect_chain_error(IKEV2_PL_SKF, chain, sizeof(chain), IKE_PERR_BAD_VALUE, IKEV2_PL_SKF,
			   "fragment number", 32, 0);
}

static void skf_fragment_number_above_total(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x03,
					 0xaa, 0xbb, 0xcc, 0xdd };

	expect_chain_error(IKEV2_PL_SKF, chain, sizeof(chain), IKE_PERR_BAD_VALUE, IKEV2_PL_SKF,
			   "fragment number", 32, 4);
}

static void skf_too_short(void **state)
{
	static const uint8_t chain[] = { 0x00, 0x00, 0x00, 0x06, 0x00, 0x01 };

	expect_chain_error(IKEV2_PL_SKF, chain, sizeof(chain), IKE_PERR_BAD_LENGTH, IKEV2_PL_SKF,
			   "payload length", 30, 6);
}

/* ---- resources, builder errors, inner chains, error text -------------- */

static void tiny_arena_is_too_many(void **state)
{
	uint8_t buf[MAX_MSG];
	uint64_t mem[4];
	struct ike_arena a = ike_arena_init(mem, sizeof(mem));
	struct ike_error err = { 0 };
	struct ikev2_msg m;
	size_t len = build_sample(find_sample("v2-ike-sa-init-request"), buf, sizeof(buf));

	assert_int_equal(ikev2_parse(buf, len, &a, &m, &err), -1);
	assert_int_equal(err.code, IKE_PERR_TOO_MANY);
	assert_int_equal(err.payload, IKEV2_PL_SA);
	assert_string_equal(err.field, "payloads");
	assert_int_equal(err.offset, 28);
	assert_int_equal(err.value, 8);
	assert_int_equal(ike_error_notify(&err), IKEV2_N_INVALID_SYNTAX);

	/* Room for the payload array but not for the proposals. */
	{
		static uint64_t big[(8 * sizeof(struct ikev2_payload) + 8) / 8];
		struct ike_arena b = ike_arena_init(big, sizeof(big));
		struct ike_error e2 = { 0 };

		assert_int_equal(ikev2_parse(buf, len, &b, &m, &e2), -1);
		assert_int_equal(e2.code, IKE_PERR_TOO_MANY);
		assert_int_equal(e2.payload, IKEV2_PL_SA);
		assert_string_equal(e2.field, "proposals");
		assert_int_equal(e2.offset, 32);
		assert_int_equal(e2.value, 2);
	}
}

static void builder_output_too_small(void **state)
{
	uint8_t buf[MAX_MSG];
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	struct ikev2_msg m;
	size_t len = build_sample(find_sample("v2-ike-auth-request-psk"), buf, sizeof(buf)), cap;

	assert_int_equal(ikev2_parse(buf, len, &a, &m, &err), 0);
	for (cap = 0; cap <= len; cap++) {
		uint8_t *out = malloc(cap ? cap : 1);
		struct ike_error e2 = { 0 };
		size_t out_len = 0;
		int rc = ikev2_build(&m, out, cap, &out_len, &e2);

		if (cap < len) {
			assert_int_equal(rc, -1);
			assert_int_equal(e2.code, IKE_PERR_NO_SPACE);
			assert_int_equal(e2.version, 2);
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

static void builder_rejects_inconsistent_models(void **state)
{
	static const uint8_t body[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ikev2_payload pl[2] = {
		{ .type = IKEV2_PL_SK, .u.sk = { IKEV2_PL_IDI, body, sizeof(body) } },
		{ .type = IKEV2_PL_NONCE, .u.nonce = { body, 4 } },
	};
	struct ikev2_msg m = { .hdr = { .exchange = IKEV2_EXCH_IKE_AUTH },
			       .chain = { 2, pl } };
	static struct ikev2_transform many[256];
	struct ikev2_proposal prop = { .num = 1, .protocol = IKEV2_PROTO_IKE,
				       .ntransforms = 256, .transforms = many };
	static struct ikev2_ts sels[256];
	uint8_t out[MAX_MSG];
	struct ike_error err = { 0 };
	size_t len = 0;

	/* SK not last (§3.14) */
	assert_int_equal(ikev2_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_int_equal(err.payload, IKEV2_PL_SK);
	assert_string_equal(err.field, "encrypted payload not last");
	pl[0].type = IKEV2_PL_SKF;
	pl[0].u.skf = (struct ikev2_skf){ IKEV2_PL_IDI, 1, 2, body, sizeof(body) };
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev2_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_int_equal(err.payload, IKEV2_PL_SKF);

	/* A payload of type 0 cannot be chained. */
	pl[0] = pl[1];
	pl[1].type = IKEV2_PL_NONE;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev2_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_string_equal(err.field, "payload type");

	/* More transforms than the one-byte count can say. */
	pl[0] = (struct ikev2_payload){ .type = IKEV2_PL_SA, .u.sa = { 1, &prop } };
	m.chain.count = 1;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev2_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_string_equal(err.field, "number of transforms");
	assert_int_equal(err.value, 256);

	/* ... and more selectors. */
	pl[0] = (struct ikev2_payload){ .type = IKEV2_PL_TSI, .u.ts = { 256, sels } };
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev2_build(&m, out, sizeof(out), &len, &err), -1);
	assert_int_equal(err.code, IKE_PERR_INVALID_MODEL);
	assert_int_equal(err.payload, IKEV2_PL_TSI);
	assert_string_equal(err.field, "number of TSs");
}

/* After decryption the inner chain is parsed alone; errors still carry the
 * offset in the whole message. */
static void inner_chain_reports_message_offsets(void **state)
{
	static const uint8_t inner[] = {
		/* +0 */ 0x24, 0x00, 0x00, 0x0c, 0x02, 0x00, 0x00, 0x00, 'a', '.', 'b', 'c', /* IDi */
		/* +12 */ 0x00, 0x00, 0x00, 0x0d, 0x01, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, /* IDr */
	};
	uint8_t out[64];
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	struct ikev2_chain c;
	size_t out_len = 0;

	/* Cut after IDi, whose next-payload field still names IDr. */
	assert_int_equal(ikev2_parse_chain(IKEV2_PL_IDI, inner, 12, 48, &a, &c, &err), -1);
	assert_int_equal(err.code, IKE_PERR_TRUNCATED);
	assert_int_equal(err.payload, IKEV2_PL_IDR);
	assert_string_equal(err.field, "generic payload header");
	assert_int_equal(err.offset, 48 + 12);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ikev2_parse_chain(IKEV2_PL_IDI, inner, sizeof(inner), 48, &a, &c, &err),
			 -1);
	assert_int_equal(err.code, IKE_PERR_BAD_LENGTH);
	assert_int_equal(err.payload, IKEV2_PL_IDR);
	assert_string_equal(err.field, "identification data");
	assert_int_equal(err.offset, 48 + 12 + 8);

	/* The first payload alone, as a chain, round-trips through build_chain. */
	{
		uint8_t one[12];

		memcpy(one, inner, 12);
		one[0] = 0;
		memset(&err, 0, sizeof(err));
		assert_int_equal(ikev2_parse_chain(IKEV2_PL_IDI, one, 12, 48, &a, &c, &err), 0);
		assert_int_equal(c.count, 1);
		assert_int_equal(ikev2_build_chain(&c, out, sizeof(out), &out_len, &err), 0);
		assert_int_equal(out_len, 12);
		assert_memory_equal(out, one, 12);
	}
}

static void error_text_names_payload_and_field(void **state)
{
	uint8_t chain[sizeof(sa_ok)], msg[MAX_MSG];
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };
	struct ikev2_msg m;
	char line[256];
	size_t len;

	memcpy(chain, sa_ok, sizeof(chain));
	chain[35 - IKEV2_HDR_LEN] = 0x1d;
	len = wrap(msg, sizeof(msg), IKEV2_PL_SA, chain, sizeof(chain));
	assert_int_equal(ikev2_parse(msg, len, &a, &m, &err), -1);
	ike_error_format(&err, line, sizeof(line));
	assert_string_equal(line, "IKEv2 Security Association payload: field 'proposal length' "
				  "at offset 34: bad length (value 29)");

	memset(&err, 0, sizeof(err));
	msg[17] = 0x10;
	assert_int_equal(ikev2_parse(msg, len, &a, &m, &err), -1);
	ike_error_format(&err, line, sizeof(line));
	assert_non_null(strstr(line, "IKEv2 header"));
	assert_non_null(strstr(line, "'version'"));
	assert_non_null(strstr(line, "offset 17"));

	/* An unknown payload is named by its number. */
	err = (struct ike_error){ IKE_PERR_UNSUPPORTED_CRITICAL, 2, 200, "critical bit", 29, 200 };
	ike_error_format(&err, line, sizeof(line));
	assert_non_null(strstr(line, "IKEv2 200 payload"));
	assert_non_null(strstr(line, "unsupported critical payload"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_covers_every_payload_type),
		cmocka_unit_test(every_sample_round_trips),
		cmocka_unit_test(every_truncation_is_rejected),
		cmocka_unit_test(mutated_samples_parse_and_build_consistently),
		cmocka_unit_test(every_arena_shortfall_is_too_many),
		cmocka_unit_test(init_request_fields),
		cmocka_unit_test(init_response_fields),
		cmocka_unit_test(init_error_responses_fields),
		cmocka_unit_test(auth_psk_fields),
		cmocka_unit_test(auth_signature_fields),
		cmocka_unit_test(auth_eap_fields),
		cmocka_unit_test(child_sa_fields),
		cmocka_unit_test(informational_fields),
		cmocka_unit_test(encrypted_fields),
		cmocka_unit_test(unknown_payload_sample_keeps_body),
		cmocka_unit_test(summaries_name_the_payloads),
		cmocka_unit_test(header_truncated),
		cmocka_unit_test(header_wrong_major_version),
		cmocka_unit_test(header_length_not_datagram_length),
		cmocka_unit_test(payload_length_below_header),
		cmocka_unit_test(payload_length_past_end),
		cmocka_unit_test(generic_header_truncated),
		cmocka_unit_test(trailing_bytes_after_last_payload),
		cmocka_unit_test(sk_not_last),
		cmocka_unit_test(unknown_critical_payload),
		cmocka_unit_test(unknown_non_critical_payload_is_kept),
		cmocka_unit_test(known_payload_with_critical_bit),
		cmocka_unit_test(sa_reference_parses),
		cmocka_unit_test(sa_proposal_length_past_payload),
		cmocka_unit_test(sa_proposal_length_below_minimum),
		cmocka_unit_test(sa_proposal_shorter_than_its_content),
		cmocka_unit_test(sa_proposal_more_but_none_follows),
		cmocka_unit_test(sa_proposal_last_substruc_invalid),
		cmocka_unit_test(sa_transform_count_mismatch),
		cmocka_unit_test(sa_spi_size_past_proposal),
		cmocka_unit_test(sa_transform_length_past_proposal),
		cmocka_unit_test(sa_transform_header_truncated),
		cmocka_unit_test(sa_transform_last_but_more_follow),
		cmocka_unit_test(sa_attribute_runs_past_transform),
		cmocka_unit_test(sa_attribute_header_truncated),
		cmocka_unit_test(sa_body_shorter_than_proposal_header),
		cmocka_unit_test(ke_too_short),
		cmocka_unit_test(id_ipv4_with_five_bytes),
		cmocka_unit_test(id_ipv6_with_four_bytes),
		cmocka_unit_test(notify_spi_past_end),
		cmocka_unit_test(notify_too_short),
		cmocka_unit_test(delete_spi_count_mismatch),
		cmocka_unit_test(ts_ipv4_selector_length_wrong),
		cmocka_unit_test(ts_ipv6_selector_length_wrong),
		cmocka_unit_test(ts_selector_past_payload),
		cmocka_unit_test(ts_count_larger_than_selectors),
		cmocka_unit_test(ts_bytes_after_selectors),
		cmocka_unit_test(ts_other_type_is_kept_opaque),
		cmocka_unit_test(eap_length_mismatch),
		cmocka_unit_test(eap_request_without_type),
		cmocka_unit_test(cp_attribute_past_end),
		cmocka_unit_test(cp_attribute_header_truncated),
		cmocka_unit_test(skf_fragment_number_zero),
		cmocka_unit_test(skf_fragment_number_above_total),
		cmocka_unit_test(skf_too_short),
		cmocka_unit_test(tiny_arena_is_too_many),
		cmocka_unit_test(builder_output_too_small),
		cmocka_unit_test(builder_rejects_inconsistent_models),
		cmocka_unit_test(inner_chain_reports_message_offsets),
		cmocka_unit_test(error_text_names_payload_and_field),
	};

	return cmocka_run_group_tests_name("ikev2 codec", tests, NULL, NULL);
}
