/* Dead peer detection (§1.4, conn->dpd_delay_ms) in the simulated world:
 * a silenced peer ends the IKE SA within dpd_delay plus the retransmission
 * span (kernel state deleted, "dead peer" in the events); a healthy peer
 * gets liveness checks only when the SA is idle; losses and clock jumps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sim.h"

#define IKE1 "aes128gcm16-prfsha256-x25519"
#define ESP1 "aes128gcm16"
#define DPD_MS 30000

static struct sim S;
static struct ike_conn ci, cr;

/* Node 0 runs DPD (and node 1 too when both). */
static void setup(bool both)
{
	sim_init(&S, 3, false);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	ci.dpd_delay_ms = DPD_MS;
	cr.dpd_delay_ms = both ? DPD_MS : 0;
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
}

static uint64_t informational(int node)
{
	struct ike_engine_stats st;

	ike_engine_get_stats(S.n[node].e, &st);
	return st.initiated[IKE_XS_INFORMATIONAL];
}

/* The retransmission span of the defaults: 4 s x 1.8^n, 5 retries (§2.1). */
static uint64_t retransmit_span(void)
{
	double t = 4000, sum = 0;

	for (int i = 0; i <= 5; i++, t *= 1.8)
		sum += t;
	return (uint64_t)sum;
}

static bool drop_all(struct sim *s, int from, const uint8_t *data, size_t len)
{
	(void)s;
	(void)from;
	(void)data;
	(void)len;
	return true;
}

static bool node0_empty(struct sim *s)
{
	return ike_engine_sa_count(s->n[0].e) == 0;
}

/* The peer goes silent right after the IKE SA came up. */
static void dead_peer(void **state)
{
	uint64_t t0, took;

	(void)state;
	setup(false);
	assert_int_equal(S.n[0].nsas, 2);
	t0 = S.now;
	S.filter = drop_all;
	assert_true(sim_run_until(&S, DPD_MS + retransmit_span() + 10000, node0_empty));
	took = S.now - t0;
	fprintf(stderr, "# dead peer detected after %llu ms (dpd %u + span %llu)\n",
		(unsigned long long)took, DPD_MS, (unsigned long long)retransmit_span());
	assert_true(took >= DPD_MS + retransmit_span() - 100);
	assert_true(took <= DPD_MS + retransmit_span() + 100);
	assert_int_equal(informational(0), 1);  /* one DPD, retransmitted */
	assert_true(sim_log_has(&S, 0, "dead peer"));
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(S.n[0].down, 1);
	assert_int_equal(S.n[0].child_down, 1);
	assert_int_equal(S.n[0].nsas, 0);         /* DEL_SA and DEL_POLICY went out */
	assert_int_equal(S.n[0].policies, 0);
	assert_int_equal(S.n[0].del_sa_missing + S.n[0].del_policy_missing, 0);
	sim_free(&S);
}

/* While the peer talks (a request every 10 s) no DPD goes out; idle for
 * 10 minutes, one every DPD_MS; nothing ends. */
static void healthy_peer_idle_only(void **state)
{
	uint64_t idle_from, n;

	(void)state;
	setup(false);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(ike_engine_dpd(S.n[1].e, S.now, sim_est_uid(&S, 1)), 0);
		sim_run(&S, 10000);
	}
	assert_int_equal(informational(0), 0);
	idle_from = S.now;
	sim_run(&S, 600000);
	n = informational(0);
	fprintf(stderr, "# %llu DPDs in %llu ms idle\n", (unsigned long long)n,
		(unsigned long long)(S.now - idle_from));
	assert_true(n >= 19 && n <= 20);
	assert_true(sim_both_up(&S));
	assert_int_equal(S.n[0].down + S.n[1].down + S.n[0].failed, 0);
	assert_int_equal(S.n[0].nsas, 2);
	assert_int_equal(S.n[1].nsas, 2);
	sim_free(&S);
}

/* Both ends run DPD: each one's check counts as traffic for the other, so
 * together they send about one per DPD_MS, not two. */
static void healthy_peer_both_sides(void **state)
{
	uint64_t n;

	(void)state;
	setup(true);
	sim_run(&S, 600000);
	n = informational(0) + informational(1);
	fprintf(stderr, "# both sides: %llu + %llu DPDs in 600 s\n",
		(unsigned long long)informational(0), (unsigned long long)informational(1));
	assert_true(n >= 19 && n <= 21);
	assert_true(sim_both_up(&S));
	assert_int_equal(S.n[0].down + S.n[1].down, 0);
	sim_free(&S);
}

static int to_drop;

/* Drops the next to_drop datagrams of node 0. */
static bool drop_some(struct sim *s, int from, const uint8_t *data, size_t len)
{
	(void)s;
	(void)data;
	(void)len;
	return from == 0 && to_drop > 0 && to_drop--;
}

/* Lost DPDs are retransmitted; an answer before the end keeps the SA. */
static void dpd_lost_then_answered(void **state)
{
	(void)state;
	setup(false);
	to_drop = 3;
	S.filter = drop_some;
	sim_run(&S, DPD_MS + 60000);
	assert_int_equal(to_drop, 0);
	assert_true(sim_both_up(&S));
	assert_int_equal(S.n[0].failed + S.n[0].down, 0);
	assert_true(informational(0) >= 1);
	sim_free(&S);
}

/* A clock going back is ignored; a jump forward (a suspend) gives one
 * check at once, then one per DPD_MS again. */
static void clock_jumps(void **state)
{
	uint64_t before;

	(void)state;
	setup(false);
	sim_run(&S, 10000);
	before = informational(0);
	ike_engine_tick(S.n[0].e, S.now - 500000);
	sim_drain(&S);
	assert_int_equal(informational(0), before);
	S.now += 3600000;
	sim_run(&S, 1000);
	assert_int_equal(informational(0), before + 1);
	sim_run(&S, DPD_MS - 2000);
	assert_int_equal(informational(0), before + 1);
	sim_run(&S, 3000);
	assert_int_equal(informational(0), before + 2);
	assert_true(sim_both_up(&S));
	assert_int_equal(S.n[0].failed + S.n[0].down, 0);
	sim_free(&S);
}

/* ESP from the peer (ike_engine_peer_traffic, fed by the daemon from the
 * kernel's counters) counts as a sign of life: a busy SA sends no DPD; once
 * the traffic stops, the check comes dpd_delay after the last packet. */
static void esp_traffic_holds_dpd_back(void **state)
{
	(void)state;
	uint64_t base, uid;

	setup(false);
	base = informational(0);
	uid = sim_est_uid(&S, 0);
	for (int i = 0; i < 20; i++) {	/* 200 s of traffic, reported every 10 s */
		sim_run(&S, 10000);
		ike_engine_peer_traffic(S.n[0].e, S.now, uid);
		sim_drain(&S);
	}
	assert_int_equal(informational(0) - base, 0);
	sim_run(&S, DPD_MS - 2000);
	assert_int_equal(informational(0) - base, 0);
	sim_run(&S, 4000);
	assert_int_equal(informational(0) - base, 1);
	/* An unknown or gone IKE SA: nothing happens. */
	ike_engine_peer_traffic(S.n[0].e, S.now, 999999);
	sim_drain(&S);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dead_peer),
		cmocka_unit_test(healthy_peer_idle_only),
		cmocka_unit_test(healthy_peer_both_sides),
		cmocka_unit_test(dpd_lost_then_answered),
		cmocka_unit_test(clock_jumps),
		cmocka_unit_test(esp_traffic_holds_dpd_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
