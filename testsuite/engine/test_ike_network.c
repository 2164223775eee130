/* The engines over a bad network: loss, duplicates, reordering, delay and
 * clock jumps; retransmission back-off, cached responses, half-open
 * timeout, cookies, NAT-T and kernel SPIs that come late. */
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

static void setup(uint64_t seed, bool async)
{
	sim_init(&S, seed, async);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
}

static bool two_children_gone(struct sim *s)
{
	return s->n[0].nsas == 0 && s->n[1].nsas == 0 && ike_engine_sa_count(s->n[0].e) == 0 &&
	       ike_engine_sa_count(s->n[1].e) == 0;
}

static void lossy_network_many_seeds(void **state)
{
	int ok = 0;

	for (uint64_t seed = 1; seed <= 24; seed++) {
		setup(seed, seed & 1);
		S.drop_pm = 250;
		S.dup_pm = 200;
		S.jitter_ms = 3000; /* reorders freely */
		assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
		if (sim_run_until(&S, 170000, sim_both_up)) {
			ok++;
			assert_int_equal(S.n[0].child_up, 1);
			assert_int_equal(S.n[1].child_up, 1);
			/* Liveness and delete survive the same network. */
			ike_engine_dpd(S.n[1].e, S.now, sim_first_uid(&S, 1));
			ike_engine_delete_ike(S.n[0].e, S.now, sim_first_uid(&S, 0));
			sim_run_until(&S, 400000, two_children_gone);
			assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
		}
		/* Either up, or both sides gave up cleanly: nothing half-done. */
		sim_run(&S, 400000);
		assert_int_equal(S.n[0].nsas, S.n[1].nsas);
		assert_int_equal(ike_engine_half_open(S.n[1].e), 0);
		sim_free(&S);
	}
	printf("# %d of 24 lossy runs established\n", ok);
	assert_true(ok >= 20);
}

static void retransmit_backoff_and_give_up(void **state)
{
	uint64_t t0;

	setup(3, false);
	S.drop_pm = 1000; /* nothing arrives */
	t0 = S.now;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_drain(&S);
	/* 4 s, then x1.8 each time: 4, 7.2, 12.96, 23.33, 41.99, 75.58 s. */
	assert_int_equal(ike_engine_next_timer(S.n[0].e), t0 + 4000);
	sim_run(&S, 4000);
	assert_int_equal(S.n[0].sent, 2);
	assert_int_equal(ike_engine_next_timer(S.n[0].e), t0 + 4000 + 7200);
	sim_run(&S, 160000 - 4000);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 1);
	assert_int_equal(S.n[0].sent, 6);
	sim_run(&S, 10000);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(S.n[0].failed, 1);
	sim_free(&S);
}

static void cached_response_for_duplicates(void **state)
{
	setup(5, false);
	S.dup_pm = 1000; /* every datagram twice */
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	sim_run(&S, 1000);
	/* Every request was answered twice from the cache, the duplicated
	 * responses were ignored; one SA each. */
	assert_int_equal(S.n[1].sent, 4);
	assert_int_equal(S.n[0].up, 1);
	assert_int_equal(S.n[1].up, 1);
	assert_int_equal(S.n[0].child_up, 1);
	sim_free(&S);
}

static bool responder_half_open(struct sim *s)
{
	return ike_engine_half_open(s->n[1].e) == 1 && s->n[1].sent == 1;
}

static void half_open_timeout(void **state)
{
	setup(9, false);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 1000, responder_half_open));
	S.drop_pm = 1000; /* the IKE_AUTH request never arrives */
	sim_run(&S, 29000);
	assert_int_equal(ike_engine_half_open(S.n[1].e), 1);
	sim_run(&S, 2000);
	assert_int_equal(ike_engine_half_open(S.n[1].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	sim_free(&S);
}

static void cookies_under_load(void **state)
{
	struct ike_engine_cfg cfg;

	setup(11, false);
	ike_engine_free(S.n[1].e);
	ike_engine_cfg_init(&cfg);
	cfg.inline_crypto = true;
	cfg.cookie_threshold = 0; /* always demand cookies */
	S.n[1].e = ike_engine_new(&cfg);
	ike_engine_add_conn(S.n[1].e, &cr);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	/* IKE_SA_INIT twice (without, then with the cookie), then IKE_AUTH. */
	assert_int_equal(S.n[0].sent, 3);
	assert_int_equal(S.n[1].sent, 3);
	sim_free(&S);
}

static void clock_jumps(void **state)
{
	setup(13, false);
	S.drop_pm = 1000;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_drain(&S);
	S.drop_pm = 0;
	/* A jump of an hour: every overdue timer fires once, the retransmit
	 * goes out and the exchange completes. */
	S.now += 3600000;
	ike_engine_tick(S.n[0].e, S.now);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	/* A clock that goes backwards is taken as standing still. */
	ike_engine_tick(S.n[0].e, S.now - 100000);
	ike_engine_dpd(S.n[0].e, S.now - 100000, sim_first_uid(&S, 0));
	sim_run(&S, 10000);
	assert_true(sim_both_up(&S));
	/* An established SA survives a jump of a day. */
	S.now += 86400000;
	ike_engine_tick(S.n[0].e, S.now);
	ike_engine_tick(S.n[1].e, S.now);
	sim_run(&S, 1000);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

static void nat_traversal(void **state)
{
	struct ike_sa_info a, b;

	setup(17, false);
	S.nat = true;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	assert_true(a.nat_local);
	assert_false(a.nat_remote);
	assert_true(b.nat_remote);
	assert_int_equal(a.local.port, 4500);
	assert_int_equal(b.local.port, 4500);
	assert_int_equal(b.remote.port, 44500); /* the NAT's mapping of 4500 */
	assert_true(S.n[0].sas[0].encap && S.n[1].sas[0].encap);
	/* Every IKE datagram on 4500 starts with the non-ESP marker. */
	assert_memory_equal(S.last[0], "\0\0\0\0", 4);
	/* Keepalives from the side behind the NAT, every 20 s. */
	sim_run(&S, 61000);
	assert_int_equal(S.n[0].keepalives, 3);
	assert_int_equal(S.n[1].keepalives, 0);
	ike_engine_dpd(S.n[1].e, S.now, b.uid);
	sim_run(&S, 1000);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

static void encap_forced(void **state)
{
	struct ike_sa_info b;

	setup(19, false);
	ci.encap = true;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	assert_true(b.nat_remote);
	assert_int_equal(b.local.port, 4500);
	assert_true(S.n[0].sas[0].encap && S.n[1].sas[0].encap);
	sim_free(&S);
}

static void late_kernel_spi(void **state)
{
	setup(23, false);
	S.n[1].hold_spi = true;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	sim_run(&S, 2000);
	/* The IKE_AUTH request waits (parked) for the responder's SPI. */
	assert_int_equal(S.n[1].up, 0);
	assert_int_not_equal(S.n[1].held_req, 0);
	S.n[1].hold_spi = false;
	ike_engine_kernel_spi(S.n[1].e, S.now, S.n[1].held_req, 0xc1000001u);
	assert_true(sim_run_until(&S, 1000, sim_both_up));
	assert_int_equal(S.n[1].child_up, 1);
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lossy_network_many_seeds),
		cmocka_unit_test(retransmit_backoff_and_give_up),
		cmocka_unit_test(cached_response_for_duplicates),
		cmocka_unit_test(half_open_timeout),
		cmocka_unit_test(cookies_under_load),
		cmocka_unit_test(clock_jumps),
		cmocka_unit_test(nat_traversal),
		cmocka_unit_test(encap_forced),
		cmocka_unit_test(late_kernel_spi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
