/* CHILD SA rekeys without packet loss, in the simulated kernel (sim.c
 * check_flow): at every kernel action each outbound SA of one side has its
 * inbound SA on the other ("no packet can be sent that the peer cannot
 * receive"), and an old inbound SA goes only delete_rekeyed_delay_ms after
 * the peer stopped sending on it (packets in flight).  lib/ikev2/linger.c
 * is what this tests: the rekey's responder holds its new outbound SA
 * until the old CHILD SA's Delete, the old inbound SAs linger.  SEED /
 * SEED_END set the seeded loops' range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"

#define IKE1 "aes128gcm16-prfsha256-x25519"
#define ESP1 "aes128gcm16"
#define ESP_PFS "aes128gcm16-x25519"
enum { DELAY = 5000 };

static struct sim S;
static struct ike_conn ci, cr;
static uint32_t delay_cfg = DELAY;

static uint64_t first_seed(void)
{
	return getenv("SEED") ? strtoull(getenv("SEED"), NULL, 10) : 1;
}

static uint64_t last_seed(uint64_t dflt)
{
	return getenv("SEED_END") ? strtoull(getenv("SEED_END"), NULL, 10) : dflt;
}

static void tweak(int node, struct ike_engine_cfg *cfg)
{
	(void)node;
	cfg->delete_rekeyed_delay_ms = delay_cfg;
}

/* Up with one CHILD SA, then the data-path checks on. */
static void setup(uint64_t seed, bool async, const char *esp)
{
	sim_init_cfg(&S, seed, async, tweak);
	sim_conn(&ci, "initiator", 0, IKE1, esp, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, esp, "10.2.0.0/16", "10.1.0.0/16");
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 170000, sim_both_up));
	sim_run(&S, 1000);
	S.check_flow = true;
	S.linger_min_ms = delay_cfg;
}

static void assert_flow_ok(void)
{
	if (S.flow_violations || S.linger_violations)
		fprintf(stderr, "# %d flow, %d linger violations; first: %s\n", S.flow_violations,
			S.linger_violations, S.flow_first);
	assert_int_equal(S.flow_violations, 0);
	assert_int_equal(S.linger_violations, 0);
}

static bool has(int node, uint32_t spi, enum ike_dir dir)
{
	return sim_ksa_find(&S, node, spi, dir) != NULL;
}

/* One side rekeys: the old inbound SAs stay DELAY ms, then go; the old
 * outbound SAs go at once; the responder's new outbound SA comes only
 * with the initiator's Delete. */
static void rekey_by(int node)
{
	struct ike_child_info c0, c1, n0;
	unsigned k1;

	setup(42, false, ESP1);
	assert_true(sim_child(&S, 0, 0, &c0));
	assert_true(sim_child(&S, 1, 0, &c1));
	k1 = S.n[1 - node].nklog;
	assert_int_equal(ike_engine_rekey_child(S.n[node].e, S.now, sim_est_uid(&S, node),
						node ? c1.id : c0.id), 0);
	sim_run(&S, DELAY - 500);
	assert_true(sim_child(&S, 0, 0, &n0));
	assert_int_not_equal(n0.spi_in, c0.spi_in);
	/* Old inbound SAs still there, old outbound SAs gone, new pair up. */
	assert_true(has(0, c0.spi_in, IKE_DIR_IN) && has(1, c1.spi_in, IKE_DIR_IN));
	assert_false(has(0, c0.spi_out, IKE_DIR_OUT) || has(1, c1.spi_out, IKE_DIR_OUT));
	assert_true(has(0, n0.spi_out, IKE_DIR_OUT) && has(1, n0.spi_out, IKE_DIR_IN));
	assert_true(has(1, n0.spi_in, IKE_DIR_OUT) && has(0, n0.spi_in, IKE_DIR_IN));
	/* The responder's kernel actions: new inbound SA, (Delete) new outbound
	 * SA, old outbound SA out - in this order. */
	assert_int_equal(S.n[1 - node].klog[k1].op, IKE_KERNEL_ADD_SA);
	assert_int_equal(S.n[1 - node].klog[k1].dir, IKE_DIR_IN);
	assert_int_equal(S.n[1 - node].klog[k1 + 1].op, IKE_KERNEL_ADD_SA);
	assert_int_equal(S.n[1 - node].klog[k1 + 1].dir, IKE_DIR_OUT);
	assert_int_equal(S.n[1 - node].klog[k1 + 2].op, IKE_KERNEL_DEL_SA);
	assert_int_equal(S.n[1 - node].klog[k1 + 2].dir, IKE_DIR_OUT);
	assert_int_equal(S.n[1 - node].nklog, k1 + 3);
	assert_true(sim_log_has(&S, 1 - node, "installed (the rekeyed CHILD_SA is gone)"));
	sim_run(&S, 1000);
	assert_false(has(0, c0.spi_in, IKE_DIR_IN) || has(1, c1.spi_in, IKE_DIR_IN));
	assert_true(sim_consistent(&S, 1));
	assert_int_equal(S.n[0].del_sa_missing + S.n[1].del_sa_missing, 0);
	assert_flow_ok();
	sim_free(&S);
}

static void rekey_by_initiator(void **state)
{
	(void)state;
	rekey_by(0);
}

static void rekey_by_responder(void **state)
{
	(void)state;
	rekey_by(1);
}

/* Both rekey at once (§2.8.1), with and without loss: both winners. */
static void collision(void **state)
{
	int won[2] = { 0, 0 };

	(void)state;
	for (uint64_t seed = first_seed(); seed <= last_seed(16); seed++) {
		struct ike_child_info c0, c1;

		setup(seed, seed & 1, seed % 3 ? ESP1 : ESP_PFS);
		assert_true(sim_child(&S, 0, 0, &c0));
		assert_true(sim_child(&S, 1, 0, &c1));
		if (seed > 8) {
			S.drop_pm = 100;
			S.dup_pm = 100;
			S.jitter_ms = 300;
		}
		ike_engine_rekey_child(S.n[0].e, S.now, sim_est_uid(&S, 0), c0.id);
		ike_engine_rekey_child(S.n[1].e, S.now, sim_est_uid(&S, 1), c1.id);
		sim_run(&S, 200000);
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 300000);
		assert_true(sim_consistent(&S, 1));
		for (int i = 0; i < 2; i++)
			won[i] += sim_log_has(&S, i, "collision won");
		if (S.flow_violations || S.linger_violations)
			fprintf(stderr, "# seed %llu\n", (unsigned long long)seed);
		assert_flow_ok();
		assert_int_equal(S.n[0].del_sa_missing + S.n[1].del_sa_missing, 0);
		sim_free(&S);
	}
	printf("# collisions won: node 0 %d, node 1 %d\n", won[0], won[1]);
	assert_true(won[0] >= 2 && won[1] >= 2);
}

/* 20 % loss, 20 % duplicates, 2 s jitter, rekeys from alternating sides
 * (the CHILD SA and, every other seed, the IKE SA crossing them). */
static void lossy(void **state)
{
	int ok = 0, n = 0;

	(void)state;
	for (uint64_t seed = first_seed(); seed <= last_seed(24); seed++, n++) {
		setup(seed, seed & 1, seed % 3 ? ESP1 : ESP_PFS);
		S.drop_pm = 200;
		S.dup_pm = 200;
		S.jitter_ms = 2000;
		for (int round = 0; round < 4; round++) {
			int node = (int)((seed + (uint64_t)round) & 1);
			struct ike_child_info c;
			if (!sim_child(&S, node, 0, &c))
				break;
			ike_engine_rekey_child(S.n[node].e, S.now, sim_est_uid(&S, node), c.id);
			if (seed & 2)
				ike_engine_rekey_ike(S.n[1 - node].e, S.now, sim_est_uid(&S, 1 - node));
			sim_run(&S, 20000);
		}
		sim_run(&S, 200000);
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 400000);
		if (S.n[0].failed || S.n[1].failed) {
			/* A side gave up (6 datagrams lost in a row): its kernel state
			 * went, the other side's stays - not a rekey matter. */
			fprintf(stderr, "# seed %llu gave up\n", (unsigned long long)seed);
			sim_free(&S);
			continue;
		}
		assert_true(sim_consistent(&S, 1));
		if (S.flow_violations || S.linger_violations)
			fprintf(stderr, "# seed %llu\n", (unsigned long long)seed);
		assert_flow_ok();
		ok++;
		sim_free(&S);
	}
	printf("# lossy: %d of %d runs without a give-up, all without a flow violation\n", ok, n);
	assert_true(ok >= n - n / 10 - 1); /* give-ups: a 200-seed sweep has 4 % */
}

/* An IKE SA rekey moves the CHILD SAs: no kernel SA action, and the old
 * inbound SA of a CHILD rekey just before keeps its delay (it moves to
 * the new IKE SA, it does not go with the old one). */
static void ike_rekey_keeps_kernel(void **state)
{
	struct ike_child_info c0, n0;
	unsigned k0, k1;

	(void)state;
	setup(9, false, ESP1);
	assert_true(sim_child(&S, 0, 0, &c0));
	ike_engine_rekey_child(S.n[0].e, S.now, sim_est_uid(&S, 0), c0.id);
	sim_run(&S, 500);
	assert_true(has(0, c0.spi_in, IKE_DIR_IN));
	k0 = S.n[0].nklog;
	k1 = S.n[1].nklog;
	ike_engine_rekey_ike(S.n[1].e, S.now, sim_est_uid(&S, 1));
	sim_run(&S, 1000);
	assert_int_equal(S.n[0].ike_rekeyed + S.n[1].ike_rekeyed, 2);
	assert_int_equal(S.n[0].nklog, k0); /* nothing, though the old IKE SA went */
	assert_int_equal(S.n[1].nklog, k1);
	assert_true(has(0, c0.spi_in, IKE_DIR_IN));
	sim_run(&S, DELAY);
	assert_false(has(0, c0.spi_in, IKE_DIR_IN));
	assert_true(sim_consistent(&S, 1));
	/* Another IKE rekey with nothing lingering: no kernel action at all. */
	k0 = S.n[0].nklog;
	k1 = S.n[1].nklog;
	assert_true(sim_child(&S, 0, 0, &n0));
	ike_engine_rekey_ike(S.n[0].e, S.now, sim_est_uid(&S, 0));
	sim_run(&S, 30000);
	assert_int_equal(S.n[0].nklog, k0);
	assert_int_equal(S.n[1].nklog, k1);
	assert_true(sim_consistent(&S, 1));
	assert_flow_ok();
	sim_free(&S);
}

/* The kernel's hard expiry of a lingering SA is harmless (nothing else
 * goes, no DEL_SA for it later); the IKE SA going takes lingering SAs at
 * once; delay 0 deletes at once. */
static void expiry_ike_delete_and_zero(void **state)
{
	struct ike_child_info c0, c1, n0;

	(void)state;
	setup(11, false, ESP1);
	assert_true(sim_child(&S, 0, 0, &c0));
	assert_true(sim_child(&S, 1, 0, &c1));
	ike_engine_rekey_child(S.n[0].e, S.now, sim_est_uid(&S, 0), c0.id);
	sim_run(&S, 500);
	assert_true(sim_child(&S, 0, 0, &n0));
	sim_kernel_expire(&S, 0, c0.spi_in, IKE_DIR_IN);
	sim_kernel_expire(&S, 1, c1.spi_in, IKE_DIR_IN);
	assert_true(sim_child(&S, 0, 0, &c0));
	assert_int_equal(c0.id, n0.id);
	assert_true(sim_log_has(&S, 0, "expired in the kernel"));
	sim_run(&S, 2 * DELAY);
	assert_true(sim_consistent(&S, 1));
	assert_int_equal(S.n[0].del_sa_missing + S.n[1].del_sa_missing, 0);
	/* Rekey again, then the IKE SA goes within the delay. */
	S.check_flow = false; /* the teardown is not make-before-break */
	ike_engine_rekey_child(S.n[1].e, S.now, sim_est_uid(&S, 1), n0.id);
	sim_run(&S, 500);
	assert_int_equal(S.n[0].nsas, 3); /* new pair + old inbound */
	ike_engine_delete_ike(S.n[0].e, S.now, sim_est_uid(&S, 0));
	sim_run(&S, 500);
	assert_int_equal(ike_engine_sa_count(S.n[0].e) + ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	assert_int_equal(S.n[0].del_sa_missing + S.n[1].del_sa_missing, 0);
	sim_free(&S);
	/* delete_rekeyed_delay_ms 0: the old SAs go at once. */
	delay_cfg = 0;
	setup(12, false, ESP1);
	assert_true(sim_child(&S, 0, 0, &c0));
	ike_engine_rekey_child(S.n[0].e, S.now, sim_est_uid(&S, 0), c0.id);
	sim_run(&S, 500);
	assert_true(sim_consistent(&S, 1));
	delay_cfg = DELAY;
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rekey_by_initiator),
		cmocka_unit_test(rekey_by_responder),
		cmocka_unit_test(collision),
		cmocka_unit_test(lossy),
		cmocka_unit_test(ike_rekey_keeps_kernel),
		cmocka_unit_test(expiry_ike_delete_and_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
