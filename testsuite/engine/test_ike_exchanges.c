/* Two engines talking in memory: every exchange in both roles, and each
 * failure answered with its notify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ikev2_const.h"
#include "sim.h"

#define IKE1 "aes128gcm16-prfsha256-x25519"
#define ESP1 "aes128gcm16"

static struct sim S;
static struct ike_conn ci, cr;

static void setup_pair(const char *ike_i, const char *ike_r, const char *esp_i, const char *esp_r,
		       bool async)
{
	sim_init(&S, 42, async);
	sim_conn(&ci, "initiator", 0, ike_i, esp_i, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, ike_r, esp_r, "10.2.0.0/16", "10.1.0.0/16");
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
}

static void establish(void)
{
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
}

static void psk_both_roles(void **state)
{
	struct ike_sa_info a, b;
	struct ike_child_info ca, cb;

	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	establish();
	assert_int_equal(S.n[0].up, 1);
	assert_int_equal(S.n[1].up, 1);
	assert_int_equal(S.n[0].child_up, 1);
	assert_int_equal(S.n[1].child_up, 1);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	assert_true(a.initiator);
	assert_false(b.initiator);
	assert_true(a.ispi == b.ispi && a.rspi == b.rspi);
	assert_int_equal(a.encr_id, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(a.group, IKEV2_GROUP_CURVE25519);
	assert_int_equal(a.msgid_out, 2);
	assert_int_equal(b.msgid_in, 2);
	assert_false(a.nat_local || a.nat_remote);
	/* The kernels hold two SAs each, with crossing SPIs and equal keys. */
	assert_int_equal(S.n[0].nsas, 2);
	assert_int_equal(S.n[1].nsas, 2);
	assert_int_equal(ike_engine_child_info(S.n[0].e, a.uid, 0, &ca), 0);
	assert_int_equal(ike_engine_child_info(S.n[1].e, b.uid, 0, &cb), 0);
	assert_int_equal(ca.spi_in, cb.spi_out);
	assert_int_equal(ca.spi_out, cb.spi_in);
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++)
			if (S.n[0].sas[i].spi == S.n[1].sas[k].spi) {
				assert_int_equal(S.n[0].sas[i].keylen, 20);
				assert_memory_equal(S.n[0].sas[i].key, S.n[1].sas[k].key, 20);
				assert_int_not_equal(S.n[0].sas[i].dir, S.n[1].sas[k].dir);
			}
	assert_int_equal(S.n[0].policies, 2);
	assert_int_equal(S.n[1].policies, 2);
	assert_int_equal(ike_engine_half_open(S.n[1].e), 0);
	sim_free(&S);
}


static void async_crypto_jobs(void **state)
{
	setup_pair(IKE1, IKE1, ESP1, ESP1, true);
	establish();
	assert_int_equal(S.n[0].child_up + S.n[1].child_up, 2);
	sim_free(&S);
}

static void proposals_and_invalid_ke(void **state)
{
	struct ike_sa_info a;

	/* The initiator's first proposal (and so its first KE) is MODP 2048,
	 * which the responder does not accept: INVALID_KE_PAYLOAD, retry. */
	setup_pair("aes256-sha256-modp2048,aes128gcm16-prfsha256-ecp256,aes128-sha1-x25519",
		   "aes192-sha384-ecp384,aes128gcm16-prfsha256-ecp256", ESP1, ESP1, false);
	establish();
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(a.group, IKEV2_GROUP_ECP_256);
	assert_int_equal(a.encr_id, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(a.prf_id, IKEV2_PRF_HMAC_SHA2_256);
	sim_free(&S);
}

static void no_proposal_chosen(void **state)
{
	setup_pair("aes128-sha256-modp2048", "aes256gcm16-prfsha384-ecp384", ESP1, ESP1, false);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	sim_free(&S);
}

static void authentication_failed(void **state)
{
	static const uint8_t other[] = "another-psk";

	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	cr.psk = other;
	cr.psk_len = sizeof(other) - 1;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[1].failed, 1);
	assert_int_equal(S.n[1].last_notify, IKEV2_N_AUTHENTICATION_FAILED);
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_AUTHENTICATION_FAILED);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	sim_free(&S);
}

static void responder_auth_fails_at_initiator(void **state)
{
	/* The responder accepts the initiator, but the initiator expects a
	 * signature from the responder and gets a shared key AUTH. */
	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	ci.remote_auth = IKE_AUTH_PUBKEY;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_AUTHENTICATION_FAILED);
	/* The responder learns it from the INFORMATIONAL notify. */
	assert_int_equal(S.n[1].failed, 1);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	sim_free(&S);
}

static void ts_narrowing(void **state)
{
	struct ike_child_info c0, c1;
	char buf[128];

	sim_init(&S, 7, false);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.3.0/24,10.9.0.0/16", "10.1.5.0/24[tcp/80]");
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
	establish();
	assert_int_equal(ike_engine_child_info(S.n[0].e, sim_first_uid(&S, 0), 0, &c0), 0);
	assert_int_equal(ike_engine_child_info(S.n[1].e, sim_first_uid(&S, 1), 0, &c1), 0);
	assert_int_equal(c0.n_local_ts, 1);
	assert_int_equal(c0.n_remote_ts, 1);
	ike_ts_format(&c0.local_ts[0], buf, sizeof(buf));
	assert_string_equal(buf, "10.1.5.0..10.1.5.255[6/80-80]");
	ike_ts_format(&c0.remote_ts[0], buf, sizeof(buf));
	assert_string_equal(buf, "10.2.3.0..10.2.3.255");
	assert_memory_equal(&c0.local_ts[0], &c1.remote_ts[0], sizeof(struct ike_ts));
	sim_free(&S);
}

static void ts_unacceptable(void **state)
{
	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	cr.children[0].n_remote_ts = 0;
	ike_ts_add(&cr.children[0], false, "172.16.0.0/12");
	establish(); /* the IKE SA stands without its CHILD SA */
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_TS_UNACCEPTABLE);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	sim_free(&S);
}

static void esp_no_proposal(void **state)
{
	setup_pair(IKE1, IKE1, "aes256gcm16", "aes128-sha256", false);
	establish();
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	sim_free(&S);
}

static void transport_mode_cbc(void **state)
{
	struct ike_child_info c0;

	setup_pair("aes256-sha384-ecp384", "aes256-sha384-ecp384", "aes256-sha256", "aes256-sha256",
		   false);
	ci.children[0].mode = IKE_MODE_TRANSPORT;
	cr.children[0].mode = IKE_MODE_TRANSPORT;
	establish();
	assert_int_equal(ike_engine_child_info(S.n[0].e, sim_first_uid(&S, 0), 0, &c0), 0);
	assert_int_equal(c0.mode, IKE_MODE_TRANSPORT);
	assert_int_equal(c0.integ_id, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(S.n[1].sas[0].mode, IKE_MODE_TRANSPORT);
	assert_int_equal(S.n[1].sas[0].keylen, 32 + 32);
	sim_free(&S);
}

static void add_pfs_child(struct ike_conn *c, bool local_first)
{
	struct ike_child_cfg *ch = ike_conn_add_child(c, "pfs");
	char err[128];

	assert_int_equal(ike_child_add_esp_proposal(ch, "aes128gcm16-ecp256", err, sizeof(err)), 0);
	ike_ts_add(ch, true, local_first ? "10.3.0.0/16" : "10.4.0.0/16");
	ike_ts_add(ch, false, local_first ? "10.4.0.0/16" : "10.3.0.0/16");
}

static void create_child_sa_pfs_both_roles(void **state)
{
	struct ike_child_info c;

	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	add_pfs_child(&ci, true);
	add_pfs_child(&cr, false);
	establish();
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, sim_first_uid(&S, 0), 1), 0);
	sim_run(&S, 30000);
	assert_int_equal(S.n[0].child_up, 2);
	assert_int_equal(S.n[1].child_up, 2);
	assert_int_equal(S.n[0].nsas, 4);
	assert_int_equal(ike_engine_child_info(S.n[0].e, sim_first_uid(&S, 0), 0, &c), 0);
	assert_int_equal(c.group, IKEV2_GROUP_ECP_256);
	/* And from the responder's side (it initiates this exchange). */
	assert_int_equal(ike_engine_create_child(S.n[1].e, S.now, sim_first_uid(&S, 1), 1), 0);
	sim_run(&S, 30000);
	assert_int_equal(S.n[0].child_up, 3);
	assert_int_equal(S.n[1].child_up, 3);
	assert_int_equal(S.n[1].nsas, 6);
	sim_free(&S);
}

static void informational_both_roles(void **state)
{
	struct ike_child_info c;
	struct ike_sa_info a;

	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	establish();
	/* Liveness check each way. */
	assert_int_equal(ike_engine_dpd(S.n[0].e, S.now, sim_first_uid(&S, 0)), 0);
	assert_int_equal(ike_engine_dpd(S.n[1].e, S.now, sim_first_uid(&S, 1)), 0);
	sim_run(&S, 30000);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(a.msgid_out, 3);
	assert_int_equal(a.msgid_in, 1);
	/* The responder deletes the CHILD SA. */
	assert_int_equal(ike_engine_child_info(S.n[1].e, sim_first_uid(&S, 1), 0, &c), 0);
	assert_int_equal(ike_engine_delete_child(S.n[1].e, S.now, sim_first_uid(&S, 1), c.id), 0);
	sim_run(&S, 30000);
	assert_int_equal(S.n[0].child_down, 1);
	assert_int_equal(S.n[1].child_down, 1);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	assert_int_equal(S.n[0].policies + S.n[1].policies, 0);
	/* The initiator deletes the IKE SA. */
	assert_int_equal(ike_engine_delete_ike(S.n[0].e, S.now, sim_first_uid(&S, 0)), 0);
	sim_run(&S, 30000);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	sim_free(&S);
}

static void delete_ike_by_responder_with_children(void **state)
{
	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	establish();
	assert_int_equal(ike_engine_delete_ike(S.n[1].e, S.now, sim_first_uid(&S, 1)), 0);
	sim_run(&S, 30000);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	assert_int_equal(S.n[0].child_down + S.n[1].child_down, 2);
	sim_free(&S);
}

static void conn_selection_by_identity(void **state)
{
	static const uint8_t alice_psk[] = "alice-psk", bob_psk[] = "bob-psk";
	static struct ike_conn alice, bob;
	struct ike_sa_info b;

	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	/* Responder: two conns for the same addresses, told apart by IDi. */
	sim_conn(&alice, "alice", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	sim_conn(&bob, "bob", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	oc_id_from_string("alice@example.org", &alice.remote_id);
	oc_id_from_string("bob@example.org", &bob.remote_id);
	alice.psk = alice_psk;
	alice.psk_len = sizeof(alice_psk) - 1;
	bob.psk = bob_psk;
	bob.psk_len = sizeof(bob_psk) - 1;
	ike_engine_free(S.n[1].e);
	{
		struct ike_engine_cfg cfg;
		ike_engine_cfg_init(&cfg);
		cfg.inline_crypto = true;
		S.n[1].e = ike_engine_new(&cfg);
	}
	ike_engine_add_conn(S.n[1].e, &alice);
	ike_engine_add_conn(S.n[1].e, &bob);
	oc_id_from_string("bob@example.org", &ci.local_id);
	ci.psk = bob_psk;
	ci.psk_len = sizeof(bob_psk) - 1;
	establish();
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	assert_ptr_equal(b.conn, &bob);
	sim_free(&S);
}

static void initial_contact_replaces(void **state)
{
	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	establish();
	ike_engine_free(S.n[0].e); /* the initiator reboots */
	{
		struct ike_engine_cfg cfg;
		ike_engine_cfg_init(&cfg);
		cfg.inline_crypto = true;
		S.n[0].e = ike_engine_new(&cfg);
		S.n[0].nsas = 0;
		S.n[0].policies = 0;
	}
	ike_engine_add_conn(S.n[0].e, &ci);
	establish();
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 1);
	assert_int_equal(S.n[1].down, 1);
	assert_int_equal(S.n[1].nsas, 2);
	sim_free(&S);
}

static void memory_per_sa(void **state)
{
	struct ike_sa_info a, b;

	setup_pair(IKE1, IKE1, ESP1, ESP1, false);
	establish();
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	printf("# sizeof(struct ike_sa) %zu, sizeof(struct ike_child) %zu\n",
	       ike_engine_sizeof_sa(), ike_engine_sizeof_child());
	printf("# IKE SA + CHILD SA allocated: initiator %zu bytes, responder %zu bytes\n", a.memory,
	       b.memory);
	assert_true(a.memory <= 4096);
	assert_true(b.memory <= 4096);
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(psk_both_roles),
		cmocka_unit_test(async_crypto_jobs),
		cmocka_unit_test(proposals_and_invalid_ke),
		cmocka_unit_test(no_proposal_chosen),
		cmocka_unit_test(authentication_failed),
		cmocka_unit_test(responder_auth_fails_at_initiator),
		cmocka_unit_test(ts_narrowing),
		cmocka_unit_test(ts_unacceptable),
		cmocka_unit_test(esp_no_proposal),
		cmocka_unit_test(transport_mode_cbc),
		cmocka_unit_test(create_child_sa_pfs_both_roles),
		cmocka_unit_test(informational_both_roles),
		cmocka_unit_test(delete_ike_by_responder_with_children),
		cmocka_unit_test(conn_selection_by_identity),
		cmocka_unit_test(initial_contact_replaces),
		cmocka_unit_test(memory_per_sa),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
