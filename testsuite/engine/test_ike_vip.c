/* Virtual IPs (RFC 7296 §2.19, §3.15): a "road warrior" engine (node 0)
 * asks for an address in IKE_AUTH, the gateway (node 1) leases one from a
 * pool by the peer's identity; CHILD SA selectors are narrowed to it on
 * both sides; leases come back when the IKE SA goes, survive an IKE SA
 * rekey, and the same identity gets the same address again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "ikev2/pool.h"
#include "ikev2_const.h"
#include "sim.h"

#define IKE1 "aes128gcm16-prfsha256-x25519"
#define ESP1 "aes128gcm16"

static struct sim S;
static struct ike_conn rw, rw2, gw;
static struct ike_pool *pool4, *pool6;

/* Road warrior: local any (narrowed to the VIP), remote the gateway's
 * subnet; gateway: pool, remote any (narrowed to the peer's VIP). */
static void setup(const char *range4, const char *range6, bool want4, bool want6)
{
	char err[200];

	sim_init(&S, 7, false);
	sim_conn(&rw, "rw", 0, IKE1, ESP1, want6 && !want4 ? "::/0" : "0.0.0.0/0",
		 want6 && !want4 ? "2001:db8:2::/64" : "10.2.0.0/16");
	sim_conn(&gw, "gw", 1, IKE1, ESP1, "10.2.0.0/16,2001:db8:2::/64", "0.0.0.0/0,::/0");
	oc_id_from_string("rw1@example.org", &rw.local_id);
	if (want4)
		rw.vip_families[rw.n_vips++] = 4;
	if (want6)
		rw.vip_families[rw.n_vips++] = 6;
	pool4 = range4 ? ike_pool_new("p4", range4, err, sizeof(err)) : NULL;
	pool6 = range6 ? ike_pool_new("p6", range6, err, sizeof(err)) : NULL;
	if (pool4)
		gw.pools[gw.n_pools++] = pool4;
	if (pool6)
		gw.pools[gw.n_pools++] = pool6;
	ike_engine_add_conn(S.n[0].e, &rw);
	ike_engine_add_conn(S.n[1].e, &gw);
}

static void teardown(void)
{
	sim_free(&S);
	ike_pool_free(pool4);
	ike_pool_free(pool6);
	pool4 = pool6 = NULL;
}

static void addr_is(const struct ike_endpoint *ep, const char *want)
{
	char a[64];

	assert_int_not_equal(ep->family, 0);
	inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, a, sizeof(a));
	assert_string_equal(a, want);
}

/* A host selector (start == end) on addr. */
static void ts_is_host(const struct ike_ts *ts, const char *want)
{
	struct ike_endpoint ep = { .family = ts->family };
	size_t n = ts->family == 4 ? 4 : 16;

	assert_memory_equal(ts->start, ts->end, n);
	memcpy(ep.addr, ts->start, n);
	addr_is(&ep, want);
}

static uint64_t up_with(const struct ike_conn *c)
{
	uint64_t uid = ike_engine_initiate(S.n[0].e, S.now, c);

	assert_int_not_equal(uid, 0);
	sim_run(&S, 60000);
	return uid;
}

static void vip_from_pool(void **state)
{
	struct ike_sa_info a, b;
	struct ike_child_info ca, cb;

	setup("10.3.0.0/28", NULL, true, false);
	assert_int_equal(ike_pool_size(pool4), 14); /* .1 - .14 */
	up_with(&rw);
	assert_int_equal(S.n[0].child_up, 1);
	assert_int_equal(S.n[1].child_up, 1);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	addr_is(&a.vip[0], "10.3.0.1");
	addr_is(&b.vip[0], "10.3.0.1");
	assert_int_equal(a.vip[1].family, 0);
	/* The event came once, before any policy of the CHILD SA. */
	assert_int_equal(S.n[0].vip_events, 1);
	addr_is(&S.n[0].vip, "10.3.0.1");
	assert_int_equal(S.n[0].policies_at_vip, 0);
	assert_int_equal(S.n[0].policies, 2);
	/* Selectors: VIP/32 === 10.2.0.0/16 on both sides. */
	assert_int_equal(ike_engine_child_info(S.n[0].e, a.uid, 0, &ca), 0);
	assert_int_equal(ike_engine_child_info(S.n[1].e, b.uid, 0, &cb), 0);
	assert_int_equal(ca.n_local_ts, 1);
	ts_is_host(&ca.local_ts[0], "10.3.0.1");
	assert_int_equal(cb.n_remote_ts, 1);
	ts_is_host(&cb.remote_ts[0], "10.3.0.1");
	assert_int_equal(cb.n_local_ts, 1);
	assert_int_equal(cb.local_ts[0].family, 4);
	assert_int_equal(ike_pool_online(pool4), 1);
	/* An additional CHILD SA offers the VIP itself as TSi. */
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, a.uid, 0), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[0].child_up, 2);
	assert_int_equal(ike_engine_child_info(S.n[1].e, b.uid, 0, &cb), 0);
	ts_is_host(&cb.remote_ts[0], "10.3.0.1");
	/* The IKE SA goes: the lease goes offline, kept for the identity. */
	assert_int_equal(ike_engine_delete_ike(S.n[0].e, S.now, a.uid), 0);
	sim_run(&S, 60000);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(ike_pool_online(pool4), 0);
	assert_int_equal(ike_pool_offline(pool4), 1);
	teardown();
}

static void same_identity_same_address(void **state)
{
	struct ike_sa_info a;
	struct oc_id owner, want;

	setup("10.3.0.0/28", NULL, true, false);
	rw2 = rw;
	snprintf(rw2.name, sizeof(rw2.name), "rw2");
	oc_id_from_string("rw2@example.org", &rw2.local_id);
	ike_engine_add_conn(S.n[0].e, &rw2);
	/* rw1 first, then rw2: .1 and .2 */
	up_with(&rw);
	up_with(&rw2);
	assert_int_equal(S.n[0].vip_events, 2);
	addr_is(&S.n[0].vip, "10.3.0.2");
	assert_int_equal(ike_pool_online(pool4), 2);
	{
		struct ike_endpoint v = S.n[0].vip;
		assert_int_equal(ike_pool_owner(pool4, &v, &owner), 0);
		oc_id_from_string("rw2@example.org", &want);
		assert_int_equal(owner.len, want.len);
		assert_memory_equal(owner.data, want.data, want.len);
	}
	/* Both go; they come back in the other order: each gets its own
	 * address again. */
	for (size_t i = 0; ike_engine_sa_at(S.n[0].e, 0, &a) == 0 && i < 4; i++) {
		ike_engine_delete_ike(S.n[0].e, S.now, a.uid);
		sim_run(&S, 60000);
	}
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_pool_online(pool4), 0);
	assert_int_equal(ike_pool_offline(pool4), 2);
	up_with(&rw2);
	addr_is(&S.n[0].vip, "10.3.0.2");
	up_with(&rw);
	addr_is(&S.n[0].vip, "10.3.0.1");
	assert_int_equal(ike_pool_online(pool4), 2);
	teardown();
}

static void pool_exhausted(void **state)
{
	struct ike_sa_info a;

	/* One address: rw1 holds it, rw2 finds the pool exhausted. */
	setup("10.3.0.9", NULL, true, false);
	rw2 = rw;
	snprintf(rw2.name, sizeof(rw2.name), "rw2");
	oc_id_from_string("rw2@example.org", &rw2.local_id);
	ike_engine_add_conn(S.n[0].e, &rw2);
	up_with(&rw);
	addr_is(&S.n[0].vip, "10.3.0.9");
	up_with(&rw2);
	/* §3.10.1: INTERNAL_ADDRESS_FAILURE, no CHILD SA; the IKE SA stands. */
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_INTERNAL_ADDRESS_FAILURE);
	assert_true(sim_log_has(&S, 1, "pool p4 exhausted"));
	assert_int_equal(S.n[0].vip_events, 1);
	assert_int_equal(S.n[0].child_up, 1);
	assert_int_equal(S.n[1].child_up, 1);
	assert_int_equal(sim_state_count(&S, 0, IKE_SA_ESTABLISHED), 2);
	assert_int_equal(ike_pool_online(pool4), 1);
	/* rw1 leaves; its offline lease is the only address, so rw2 takes it
	 * over on its next try. */
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	for (size_t i = 0; ike_engine_sa_at(S.n[0].e, 0, &a) == 0 && i < 4; i++) {
		ike_engine_delete_ike(S.n[0].e, S.now, a.uid);
		sim_run(&S, 60000);
	}
	up_with(&rw2);
	addr_is(&S.n[0].vip, "10.3.0.9");
	assert_int_equal(S.n[0].child_up, 2);
	teardown();
}

static void no_cp_request_refused(void **state)
{
	/* A peer asking for no address from a conn with pools must not get
	 * a CHILD SA for 0.0.0.0/0: FAILED_CP_REQUIRED. */
	setup("10.3.0.0/28", NULL, false, false);
	up_with(&rw);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_FAILED_CP_REQUIRED);
	assert_int_equal(S.n[1].child_up, 0);
	assert_int_equal(ike_pool_online(pool4), 0);
	teardown();
}

static void no_pool_no_vip(void **state)
{
	/* Asked for an address, the gateway has no pool: no CP reply, the
	 * initiator fails the CHILD SA (it would have no source address). */
	setup(NULL, NULL, true, false);
	up_with(&rw);
	assert_int_equal(S.n[0].vip_events, 0);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_true(sim_log_has(&S, 0, "the responder assigned none"));
	assert_int_equal(S.n[0].policies, 0);
	teardown();
}

static void unusable_address_refused(void **state)
{
	/* A gateway handing out 0.0.0.0: not put on an interface. */
	setup("0.0.0.0", NULL, true, false);
	up_with(&rw);
	assert_int_equal(S.n[0].vip_events, 0);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_true(sim_log_has(&S, 0, "the responder assigned 0.0.0.0, which is no address"));
	assert_int_equal(S.n[0].policies, 0);
	teardown();
}

static void ipv6_and_both(void **state)
{
	struct ike_sa_info a, b;
	struct ike_child_info ca;

	setup(NULL, "2001:db8:3::/120", false, true);
	up_with(&rw);
	assert_int_equal(S.n[0].child_up, 1);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	addr_is(&a.vip[0], "2001:db8:3::1");
	assert_int_equal(ike_engine_child_info(S.n[0].e, a.uid, 0, &ca), 0);
	ts_is_host(&ca.local_ts[0], "2001:db8:3::1");
	teardown();

	/* Both families in one CP. */
	setup("10.3.0.0/28", "2001:db8:3::/120", true, true);
	rw.children[0].n_local_ts = 0;
	ike_ts_add(&rw.children[0], true, "0.0.0.0/0");
	ike_ts_add(&rw.children[0], true, "::/0");
	ike_ts_add(&rw.children[0], false, "2001:db8:2::/64");
	up_with(&rw);
	assert_int_equal(S.n[0].vip_events, 2);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	addr_is(&a.vip[0], "10.3.0.1");
	addr_is(&a.vip[1], "2001:db8:3::1");
	addr_is(&b.vip[1], "2001:db8:3::1");
	/* Policies only for same-family pairs: (v4, v4) and (v6, v6), out and
	 * in each, on both sides. */
	assert_int_equal(S.n[0].policies, 4);
	assert_int_equal(S.n[1].policies, 4);
	assert_int_equal(ike_pool_online(pool4), 1);
	assert_int_equal(ike_pool_online(pool6), 1);
	teardown();
}

static void ike_rekey_keeps_lease(void **state)
{
	struct ike_sa_info a, b;

	setup("10.3.0.0/28", NULL, true, false);
	up_with(&rw);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_rekey_ike(S.n[0].e, S.now, a.uid), 0);
	sim_run(&S, 60000);
	assert_int_equal(S.n[0].ike_rekeyed, 1);
	/* The old IKE SA is gone on both sides; the new one holds the VIP. */
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 1);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 1);
	assert_int_equal(ike_engine_sa_at(S.n[0].e, 0, &a), 0);
	assert_int_equal(ike_engine_sa_at(S.n[1].e, 0, &b), 0);
	addr_is(&a.vip[0], "10.3.0.1");
	addr_is(&b.vip[0], "10.3.0.1");
	assert_int_equal(ike_pool_online(pool4), 1);
	assert_int_equal(S.n[0].vip_events, 1);
	ike_engine_delete_ike(S.n[0].e, S.now, a.uid);
	sim_run(&S, 60000);
	assert_int_equal(ike_pool_online(pool4), 0);
	assert_int_equal(ike_pool_offline(pool4), 1);
	teardown();
}

static void pool_ranges(void **state)
{
	char err[200];
	struct ike_pool *p;
	struct ike_endpoint v;
	struct oc_id id;

	oc_id_from_string("x@example.org", &id);
	p = ike_pool_new("r", "10.3.0.250-10.3.1.2", err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(ike_pool_size(p), 9);
	ike_pool_free(p);
	p = ike_pool_new("r", "10.3.0.0/31", err, sizeof(err));
	assert_int_equal(ike_pool_size(p), 2);
	assert_int_equal(ike_pool_acquire(p, &id, &v), 0);
	addr_is(&v, "10.3.0.0");
	ike_pool_free(p);
	p = ike_pool_new("r", "2001:db8::/64", err, sizeof(err));
	assert_int_equal(ike_pool_size(p), IKE_POOL_MAX);
	ike_pool_free(p);
	assert_null(ike_pool_new("r", "10.3.0.9-10.3.0.1", err, sizeof(err)));
	assert_non_null(strstr(err, "ends before"));
	assert_null(ike_pool_new("r", "10.3.0.0/33", err, sizeof(err)));
	assert_null(ike_pool_new("r", "10.3.0.1-2001:db8::1", err, sizeof(err)));
	assert_null(ike_pool_new("r", "nonsense", err, sizeof(err)));
	assert_non_null(strstr(err, "no address range"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vip_from_pool),
		cmocka_unit_test(same_identity_same_address),
		cmocka_unit_test(pool_exhausted),
		cmocka_unit_test(no_cp_request_refused),
		cmocka_unit_test(no_pool_no_vip),
		cmocka_unit_test(unusable_address_refused),
		cmocka_unit_test(ipv6_and_both),
		cmocka_unit_test(ike_rekey_keeps_lease),
		cmocka_unit_test(pool_ranges),
	};
	return cmocka_run_group_tests_name("IKEv2 virtual IPs", tests, NULL, NULL);
}
