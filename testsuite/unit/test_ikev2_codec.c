/* The IKEv2 codec: every sample round-trips byte for byte and model for
 * model, and decoded fields hold the values the samples put in. Rejected
 * input is tested in test_ikev2_malformed.c. */
#include "ikev2_test_util.h"

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
	};

	return cmocka_run_group_tests_name("ikev2 codec", tests, NULL, NULL);
}
