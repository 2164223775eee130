/* AH CHILD SAs (RFC 7296 §3.3.1 protocol 2, RFC 4302) in the simulated
 * world: proposals of integrity (+ESN) transforms only, keys per §2.17
 * without encryption keys, kernel actions with protocol AH, Deletes and
 * REKEY_SA naming protocol AH, and NO_PROPOSAL_CHOSEN across AH / ESP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ikev2_const.h"
#include "sim.h"

#define IKE1 "aes128gcm16-prfsha256-x25519"
#define AH1 "sha256"
#define AH_PFS "sha384-x25519,sha256-x25519"
#define ESP1 "aes128gcm16"

static struct sim S;
static struct ike_conn ci, cr;

/* proto_i / proto_r: the child's protocol on each side. */
static void setup(uint8_t proto_i, const char *props_i, uint8_t proto_r, const char *props_r)
{
	sim_init(&S, 4, false);
	sim_conn(&ci, "initiator", 0, IKE1, NULL, NULL, NULL);
	sim_conn(&cr, "responder", 1, IKE1, NULL, NULL, NULL);
	assert_int_equal(sim_add_child(&ci, "net", proto_i, props_i, "10.1.0.0/16",
				       "10.2.0.0/16"), 0);
	assert_int_equal(sim_add_child(&cr, "net", proto_r, props_r, "10.2.0.0/16",
				       "10.1.0.0/16"), 0);
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
}

/* Every kernel SA of node 0 is AH, has the integrity key of its other end
 * (node 1's SA of the same SPI, other direction) and no encryption. */
static void assert_ah_pairs(uint16_t integ_id, uint8_t key_len)
{
	assert_int_equal(S.n[0].nsas, S.n[1].nsas);
	for (size_t i = 0; i < S.n[0].nsas; i++) {
		const struct sim_ksa *a = &S.n[0].sas[i];
		const struct sim_ksa *b = sim_ksa_find(&S, 1, a->spi, a->dir == IKE_DIR_IN
								       ? IKE_DIR_OUT : IKE_DIR_IN);
		assert_non_null(b);
		assert_int_equal(a->proto, IKEV2_PROTO_AH);
		assert_int_equal(b->proto, IKEV2_PROTO_AH);
		assert_int_equal(a->encr_id, 0);
		assert_int_equal(a->enc_key_len, 0);
		assert_int_equal(b->enc_key_len, 0);
		assert_int_equal(a->integ_id, integ_id);
		assert_int_equal(a->integ_key_len, key_len);
		assert_int_equal(b->integ_key_len, key_len);
		assert_memory_equal(a->key, b->key, key_len);
	}
}

static void ah_both_roles(void **state)
{
	struct ike_child_info c;

	(void)state;
	setup(IKEV2_PROTO_AH, AH1, IKEV2_PROTO_AH, AH1);
	assert_int_equal(S.n[0].nsas, 2);
	assert_ah_pairs(12 /* AUTH_HMAC_SHA2_256_128 */, 32);
	/* The two directions have different keys. */
	assert_memory_not_equal(S.n[0].sas[0].key, S.n[0].sas[1].key, 32);
	assert_int_equal(S.n[0].last_policy_proto, IKEV2_PROTO_AH);
	assert_int_equal(S.n[1].last_policy_proto, IKEV2_PROTO_AH);
	assert_int_equal(S.n[0].policies, 2);
	assert_true(sim_child(&S, 0, 0, &c));
	assert_int_equal(c.encr_id, 0);
	assert_int_equal(c.integ_id, 12);
	/* A Delete of protocol AH removes both ends. */
	assert_int_equal(ike_engine_delete_child(S.n[1].e, S.now, sim_est_uid(&S, 1), c.id), 0);
	sim_run(&S, 5000);
	assert_int_equal(sim_nchildren(&S, 0), 0);
	assert_int_equal(sim_nchildren(&S, 1), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	assert_int_equal(S.n[0].policies + S.n[1].policies, 0);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

/* AH offered to an ESP child and ESP to an AH child: NO_PROPOSAL_CHOSEN,
 * the IKE SA stands without the CHILD SA (§1.2). */
static void ah_esp_mismatch(void **state)
{
	(void)state;
	for (int way = 0; way < 2; way++) {
		if (way == 0)
			setup(IKEV2_PROTO_AH, AH1, IKEV2_PROTO_ESP, ESP1);
		else
			setup(IKEV2_PROTO_ESP, ESP1, IKEV2_PROTO_AH, AH1);
		sim_run(&S, 1000);
		assert_int_equal(S.n[0].child_failed, 1);
		assert_int_equal(S.n[0].last_notify, IKEV2_N_NO_PROPOSAL_CHOSEN);
		assert_int_equal(sim_nchildren(&S, 0), 0);
		assert_int_equal(sim_nchildren(&S, 1), 0);
		assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
		assert_true(sim_log_has(&S, 1, "no ESP / AH proposal chosen"));
		assert_true(sim_both_up(&S));
		sim_free(&S);
	}
}

static int want_rekeys;

static bool rekeyed_and_clean(struct sim *s)
{
	return s->n[0].child_rekeyed == want_rekeys && s->n[1].child_rekeyed == want_rekeys &&
	       sim_nchildren(s, 0) == 1 && sim_nchildren(s, 1) == 1 && s->n[0].nsas == 2 &&
	       s->n[1].nsas == 2;
}

/* Rekeys from both sides with PFS: REKEY_SA names the AH SPI with
 * protocol AH, new AH SAs with new keys, the old pair deleted (Delete of
 * protocol AH), the policies stay. */
static void ah_rekey(void **state)
{
	struct ike_child_info old, now;
	uint8_t old_key[64];

	(void)state;
	setup(IKEV2_PROTO_AH, AH_PFS, IKEV2_PROTO_AH, AH_PFS);
	assert_ah_pairs(13 /* AUTH_HMAC_SHA2_384_192 */, 48);
	for (int side = 0; side < 2; side++) {
		want_rekeys = side + 1;

		assert_true(sim_child(&S, side, 0, &old));
		memcpy(old_key, sim_ksa_find(&S, side, old.spi_in, IKE_DIR_IN)->key, 48);
		assert_int_equal(ike_engine_rekey_child(S.n[side].e, S.now, sim_est_uid(&S, side),
							old.id), 0);
		assert_true(sim_run_until(&S, 20000, rekeyed_and_clean));
		assert_int_equal(S.n[0].child_rekeyed, want_rekeys);
		sim_run(&S, 2000);
		assert_true(sim_child(&S, side, 0, &now));
		assert_int_not_equal(now.spi_in, old.spi_in);
		assert_int_not_equal(now.spi_out, old.spi_out);
		assert_int_equal(now.reqid, old.reqid);
		assert_int_equal(now.group, 31 /* x25519: PFS */);
		assert_null(sim_ksa_find(&S, side, old.spi_in, IKE_DIR_IN));
		assert_memory_not_equal(sim_ksa_find(&S, side, now.spi_in, IKE_DIR_IN)->key,
					old_key, 48);
		assert_ah_pairs(13, 48);
		assert_int_equal(S.n[0].policies, 2);
		assert_int_equal(S.n[1].policies, 2);
	}
	assert_int_equal(S.n[0].del_sa_missing + S.n[1].del_sa_missing, 0);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ah_both_roles),
		cmocka_unit_test(ah_esp_mismatch),
		cmocka_unit_test(ah_rekey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
