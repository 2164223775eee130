/* The IKEv2 codec on malformed input: every kind of broken message is
 * rejected with the exact error (code, payload, field, offset, value) and the
 * right notify (RFC 7296 §2.5, §3.10.1); builder errors and error text. */
#include "ikev2_test_util.h"

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

	return cmocka_run_group_tests_name("ikev2 malformed", tests, NULL, NULL);
}
