/* Kernel events in the simulated world: the kernel refusing a CHILD SA's
 * SA or policy (ike_engine_kernel_sa_error) and a trap policy's ACQUIRE
 * (ike_engine_acquire: reqid, packet selectors and narrowing §2.9, one
 * negotiation per reqid, CREATE_CHILD_SA or a new IKE SA, child config). */
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
#define ESP1 "aes128gcm16"

static struct sim S;
static struct ike_conn ci, cr;

/* Two child configs on both sides: "net" 10.1/16 <-> 10.2/16 and "net2"
 * 10.3/16 <-> 10.4/16; the responder's may be narrower (r_lts / r_rts). */
static void setup(const char *r_lts, const char *r_rts)
{
	sim_init(&S, 1, false);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, r_lts, r_rts);
	assert_int_equal(sim_add_child(&ci, "net2", IKEV2_PROTO_ESP, ESP1, "10.3.0.0/16",
				       "10.4.0.0/16"), 0);
	assert_int_equal(sim_add_child(&cr, "net2", IKEV2_PROTO_ESP, ESP1, "10.4.0.0/16",
				       "10.3.0.0/16"), 0);
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
}

static uint64_t establish(void)
{
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	return sim_est_uid(&S, 0);
}

static bool both_two_children(struct sim *s)
{
	return sim_nchildren(s, 0) == 2 && sim_nchildren(s, 1) == 2;
}

static uint64_t initiated(int node, enum ike_exch_stat x)
{
	struct ike_engine_stats st;

	ike_engine_get_stats(S.n[node].e, &st);
	return st.initiated[x];
}

/* The CHILD SA of child config cfg on node (false: none). */
static bool child_of_cfg(int node, unsigned cfg, struct ike_child_info *out)
{
	for (unsigned i = 0; i < sim_nchildren(&S, node); i++)
		if (sim_child(&S, node, i, out) && out->cfg_index == cfg)
			return true;
	return false;
}

/* The two ends hold the same CHILD SA: crossing SPIs and both kernel SAs. */
static void assert_pair(const struct ike_child_info *a)
{
	struct ike_child_info b;
	bool found = false;

	for (unsigned i = 0; i < sim_nchildren(&S, 1); i++)
		if (sim_child(&S, 1, i, &b) && b.spi_in == a->spi_out && b.spi_out == a->spi_in)
			found = true;
	assert_true(found);
	assert_non_null(sim_ksa_find(&S, 0, a->spi_in, IKE_DIR_IN));
	assert_non_null(sim_ksa_find(&S, 0, a->spi_out, IKE_DIR_OUT));
	assert_non_null(sim_ksa_find(&S, 1, a->spi_out, IKE_DIR_IN));
	assert_non_null(sim_ksa_find(&S, 1, a->spi_in, IKE_DIR_OUT));
}

/* ---- ike_engine_kernel_sa_error ---- */

/* The daemon reports the refusal once per failed action: three calls for
 * one CHILD SA delete it once, on both ends; the other CHILD SA and the
 * IKE SA stay; calls for a gone CHILD SA (or IKE SA) do nothing. */
static void sa_error_deletes_that_child(void **state)
{
	struct ike_child_info a, b;
	uint64_t uid, info0;
	uint32_t a_id;
	struct ike_out *o;

	(void)state;
	setup("10.2.0.0/16", "10.1.0.0/16");
	uid = establish();
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, uid, 1), 0);
	assert_true(sim_run_until(&S, 10000, both_two_children));
	assert_true(child_of_cfg(0, 0, &a));
	assert_true(child_of_cfg(0, 1, &b));
	assert_int_equal(S.n[0].nsas, 4);
	assert_int_equal(S.n[0].policies, 4);
	info0 = initiated(0, IKE_XS_INFORMATIONAL);
	a_id = a.id;

	/* A request in flight: the Delete has to wait for the window, the
	 * kernel state goes at once, the other calls find it failed. */
	assert_int_equal(ike_engine_dpd(S.n[0].e, S.now, uid), 0);
	for (int i = 0; i < 3; i++)
		ike_engine_kernel_sa_error(S.n[0].e, S.now, uid, a.id, "simulated EINVAL");
	sim_drain(&S);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].nsas, 2);
	assert_int_equal(S.n[0].policies, 2);
	assert_int_equal(sim_nchildren(&S, 0), 2); /* until its Delete is out */
	sim_run(&S, 5000);

	assert_int_equal(S.n[0].child_failed, 1);
	assert_true(sim_log_has(&S, 0, "simulated EINVAL"));
	/* The liveness check and one Delete. */
	assert_int_equal(initiated(0, IKE_XS_INFORMATIONAL) - info0, 2);
	assert_int_equal(sim_nchildren(&S, 0), 1);
	assert_int_equal(sim_nchildren(&S, 1), 1);
	assert_int_equal(S.n[1].child_down, 1);   /* the peer's half went */
	assert_int_equal(S.n[0].nsas, 2);
	assert_int_equal(S.n[1].nsas, 2);
	assert_int_equal(S.n[0].policies, 2);
	assert_int_equal(S.n[1].policies, 2);
	assert_int_equal(S.n[0].del_sa_missing + S.n[0].del_policy_missing, 0);
	assert_int_equal(S.n[1].del_sa_missing + S.n[1].del_policy_missing, 0);
	assert_null(sim_ksa_find(&S, 0, a.spi_in, IKE_DIR_IN));
	assert_null(sim_ksa_find(&S, 1, a.spi_out, IKE_DIR_IN));
	assert_true(sim_child(&S, 0, 0, &a));
	assert_int_equal(a.id, b.id);                /* the other one survived */
	assert_pair(&b);
	assert_true(sim_both_up(&S));
	assert_int_equal(S.n[0].down + S.n[1].down, 0);

	/* Gone CHILD SA, unknown IKE SA: no output at all. */
	ike_engine_kernel_sa_error(S.n[0].e, S.now, uid, a_id, "late");
	ike_engine_kernel_sa_error(S.n[0].e, S.now, uid + 100, b.id, "late");
	o = ike_engine_poll(S.n[0].e);
	assert_null(o);
	sim_free(&S);
}

static int policy_refusals;

/* Refuses the first ADD_POLICY only. */
static bool refuse_first_policy(struct sim *s, int node, const struct ike_kernel *k)
{
	(void)s;
	(void)node;
	return k->op == IKE_KERNEL_ADD_POLICY && policy_refusals++ == 0;
}

/* The kernel refuses one policy of a CREATE_CHILD_SA's CHILD SA at its
 * initiator: both SAs and the policy that went in are removed, the peer
 * deletes its half; the first CHILD SA is untouched. */
static void sa_error_policy_refused(void **state)
{
	struct ike_child_info a;
	uint64_t uid;

	(void)state;
	setup("10.2.0.0/16", "10.1.0.0/16");
	uid = establish();
	policy_refusals = 0;
	S.n[0].refuse = refuse_first_policy;
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, uid, 1), 0);
	sim_run(&S, 10000);

	assert_int_equal(S.n[0].refused, 1);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(sim_nchildren(&S, 0), 1);
	assert_int_equal(sim_nchildren(&S, 1), 1);
	assert_true(sim_child(&S, 0, 0, &a));
	assert_int_equal(a.cfg_index, 0);
	assert_pair(&a);
	assert_int_equal(S.n[0].nsas, 2);
	assert_int_equal(S.n[1].nsas, 2);
	assert_int_equal(S.n[0].policies, 2);
	assert_int_equal(S.n[1].policies, 2);
	/* DEL_POLICY for each one emitted, the refused one included. */
	assert_int_equal(S.n[0].del_policy_missing, 1);
	assert_int_equal(S.n[0].del_sa_missing, 0);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

static bool refuse_sa(struct sim *s, int node, const struct ike_kernel *k)
{
	(void)s;
	(void)node;
	return k->op == IKE_KERNEL_ADD_SA;
}

/* A rekey's new CHILD SA refused by the responder's kernel: it shares its
 * reqid's policies with the old CHILD SA, so its removal must leave them;
 * they go with the old one when the rekey's initiator deletes it. */
static void sa_error_rekeyed_child(void **state)
{
	struct ike_child_info a;
	uint64_t uid;

	(void)state;
	sim_init(&S, 2, false);
	sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
	uid = establish();
	assert_true(sim_child(&S, 0, 0, &a));
	S.n[1].refuse = refuse_sa;
	assert_int_equal(ike_engine_rekey_child(S.n[0].e, S.now, uid, a.id), 0);
	sim_run(&S, 20000);

	assert_int_equal(S.n[1].refused, 2);          /* both ADD_SAs */
	assert_int_equal(S.n[1].sa_errors_called, 2);
	assert_int_equal(S.n[1].child_failed, 1);
	assert_int_equal(sim_nchildren(&S, 0), 0);
	assert_int_equal(sim_nchildren(&S, 1), 0);
	assert_int_equal(S.n[0].nsas, 0);
	assert_int_equal(S.n[1].nsas, 0);
	assert_int_equal(S.n[0].policies, 0);
	assert_int_equal(S.n[1].policies, 0);
	assert_int_equal(S.n[0].del_policy_missing + S.n[1].del_policy_missing, 0);
	assert_int_equal(S.n[0].del_sa_missing, 0);
	assert_true(sim_both_up(&S));
	sim_free(&S);
}

/* ---- ike_engine_acquire ---- */

static void ts(const char *s, struct ike_ts *t)
{
	assert_int_equal(ike_ts_parse(s, t), 0);
}

static bool ts_is(const struct ike_ts *t, const char *s)
{
	struct ike_ts w;

	ts(s, &w);
	return t->family == w.family && t->proto == w.proto && t->port_lo == w.port_lo &&
	       t->port_hi == w.port_hi && !memcmp(t->start, w.start, 16) &&
	       !memcmp(t->end, w.end, 16);
}

/* Three ACQUIREs (one before, two during the negotiation) and three more
 * once up: one IKE SA, one CHILD SA with the trap's reqid.  The packet
 * (10.1.0.5:40000 -> 10.2.0.7:80, tcp) goes first in TSi / TSr; the
 * responder, configured narrower (10.2.0.0/24 <-> 10.1.0.0/24), answers
 * with its ranges that hold the packet, not the packet alone. */
static void acquire_narrows_once(void **state)
{
	struct ike_ts src, dst;
	struct ike_child_info c;
	uint64_t uid;

	(void)state;
	setup("10.2.0.0/24", "10.1.0.0/24");
	ts("10.1.0.5[tcp/40000]", &src);
	ts("10.2.0.7[tcp/80]", &dst);
	uid = ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 77, &src, &dst);
	assert_int_not_equal(uid, 0);
	sim_run(&S, 5); /* IKE_SA_INIT on its way */
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 77, &src, &dst), 0);
	sim_run(&S, 15);
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 77, &src, &dst), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	sim_run(&S, 2000);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 77, &src, &dst), 0);
	sim_run(&S, 2000);

	assert_int_equal(ike_engine_sa_count(S.n[0].e), 1);
	assert_int_equal(sim_est_uid(&S, 0), uid);
	assert_int_equal(initiated(0, IKE_XS_IKE_SA_INIT), 1);
	assert_int_equal(initiated(0, IKE_XS_CREATE_CHILD_SA), 0);
	assert_int_equal(sim_nchildren(&S, 0), 1);
	assert_int_equal(sim_nchildren(&S, 1), 1);
	assert_true(sim_child(&S, 0, 0, &c));
	assert_int_equal(c.reqid, 77);
	assert_int_equal(c.cfg_index, 0);
	assert_int_equal(c.n_local_ts, 1);
	assert_int_equal(c.n_remote_ts, 1);
	assert_true(ts_is(&c.local_ts[0], "10.1.0.0/24"));
	assert_true(ts_is(&c.remote_ts[0], "10.2.0.0/24"));
	assert_true(sim_child(&S, 1, 0, &c));
	assert_true(ts_is(&c.local_ts[0], "10.2.0.0/24"));
	assert_true(ts_is(&c.remote_ts[0], "10.1.0.0/24"));
	assert_int_equal(S.n[0].nsas, 2);
	assert_int_equal(S.n[0].policies, 2);
	for (size_t i = 0; i < S.n[0].nsas; i++)
		assert_int_equal(S.n[0].sas[i].reqid, 77);
	for (int i = 0; i < S.n[0].policies; i++)
		assert_int_equal(S.n[0].pol[i].reqid, 77);
	sim_free(&S);
}

/* Without a packet selector, and with a responder whose range does not
 * hold the packet: the responder's narrowing still finds its range. */
static void acquire_without_packet(void **state)
{
	struct ike_child_info c;
	struct ike_ts src;

	(void)state;
	setup("10.2.0.0/16", "10.1.0.0/24");
	ts("10.1.9.9", &src); /* outside the responder's 10.1.0.0/24 */
	assert_int_not_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 5, &src, NULL), 0);
	assert_true(sim_run_until(&S, 60000, sim_both_up));
	assert_true(sim_child(&S, 0, 0, &c));
	assert_int_equal(c.reqid, 5);
	assert_int_equal(c.n_local_ts, 1);
	assert_true(ts_is(&c.local_ts[0], "10.1.0.0/24"));
	assert_true(ts_is(&c.remote_ts[0], "10.2.0.0/16"));
	sim_free(&S);
}

/* An established IKE SA: the ACQUIRE of child config 1 is a
 * CREATE_CHILD_SA; repeated ACQUIREs start nothing more. */
static void acquire_established_uses_create_child(void **state)
{
	struct ike_child_info c;
	struct ike_ts src, dst;
	uint64_t uid;

	(void)state;
	setup("10.2.0.0/16", "10.1.0.0/16");
	uid = establish();
	ts("10.3.0.1", &src);
	ts("10.4.0.1", &dst);
	for (int i = 0; i < 3; i++) {
		uint64_t r = ike_engine_acquire(S.n[0].e, S.now, &ci, 1, 500, &src, &dst);
		assert_int_equal(r, i == 0 ? uid : 0);
		sim_run(&S, 3);
	}
	assert_true(sim_run_until(&S, 10000, both_two_children));
	sim_run(&S, 2000);
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 1, 500, &src, &dst), 0);
	sim_run(&S, 2000);

	assert_int_equal(initiated(0, IKE_XS_CREATE_CHILD_SA), 1);
	assert_int_equal(initiated(0, IKE_XS_IKE_SA_INIT), 1);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 1);
	assert_int_equal(sim_nchildren(&S, 0), 2);
	assert_int_equal(sim_nchildren(&S, 1), 2);
	assert_true(child_of_cfg(0, 1, &c));
	assert_int_equal(c.reqid, 500);
	assert_true(ts_is(&c.local_ts[0], "10.3.0.0/16"));
	assert_int_equal(S.n[0].last_child_cfg, 1);
	assert_int_equal(S.n[1].last_child_cfg, 1);
	assert_pair(&c);
	sim_free(&S);
}

/* No IKE SA: the ACQUIRE of child config 1 makes one whose IKE_AUTH
 * carries child config 1; an ACQUIRE of config 0 meanwhile waits for it
 * and becomes a CREATE_CHILD_SA. */
static void acquire_new_ike_sa_child_config(void **state)
{
	struct ike_child_info c;
	uint64_t uid;

	(void)state;
	setup("10.2.0.0/16", "10.1.0.0/16");
	uid = ike_engine_acquire(S.n[0].e, S.now, &ci, 1, 900, NULL, NULL);
	assert_int_not_equal(uid, 0);
	sim_run(&S, 5);
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 901, NULL, NULL), uid);
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 901, NULL, NULL), 0);
	assert_true(sim_run_until(&S, 60000, both_two_children));
	sim_run(&S, 2000);

	assert_int_equal(ike_engine_sa_count(S.n[0].e), 1);
	assert_int_equal(initiated(0, IKE_XS_IKE_SA_INIT), 1);
	assert_int_equal(initiated(0, IKE_XS_CREATE_CHILD_SA), 1);
	assert_true(child_of_cfg(0, 1, &c));
	assert_int_equal(c.reqid, 900);
	assert_int_equal(c.id, 1); /* the IKE_AUTH one */
	assert_pair(&c);
	assert_true(child_of_cfg(0, 0, &c));
	assert_int_equal(c.reqid, 901);
	assert_pair(&c);
	assert_true(child_of_cfg(1, 1, &c));
	/* Bad input: no such child config, no reqid. */
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 7, 902, NULL, NULL), 0);
	assert_int_equal(ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 0, NULL, NULL), 0);
	sim_free(&S);
}

/* 12 seeds over a lossy network (15 % loss, 15 % duplicates, jitter,
 * odd seeds with async crypto), an ACQUIRE every 2 s for a minute: one
 * IKE SA, one CHILD SA of the reqid on both ends, kernels matching. */
static void acquire_lossy(void **state)
{
	int ok = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct ike_child_info c;
		struct ike_ts src;

		sim_init(&S, seed, seed & 1);
		S.drop_pm = 150;
		S.dup_pm = 150;
		S.jitter_ms = 300;
		sim_conn(&ci, "initiator", 0, IKE1, ESP1, "10.1.0.0/16", "10.2.0.0/16");
		sim_conn(&cr, "responder", 1, IKE1, ESP1, "10.2.0.0/16", "10.1.0.0/16");
		ike_engine_add_conn(S.n[0].e, &ci);
		ike_engine_add_conn(S.n[1].e, &cr);
		ts("10.1.0.5", &src);
		for (int i = 0; i < 30; i++) {
			ike_engine_acquire(S.n[0].e, S.now, &ci, 0, 77, &src, NULL);
			sim_run(&S, 2000);
		}
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 200000);
		assert_true(ike_engine_sa_count(S.n[0].e) <= 1);
		if (sim_both_up(&S) && sim_nchildren(&S, 0) == 1 && sim_nchildren(&S, 1) == 1 &&
		    sim_child(&S, 0, 0, &c) && c.reqid == 77 && S.n[0].nsas == 2 &&
		    S.n[1].nsas == 2 && S.n[0].policies == 2 && S.n[1].policies == 2)
			ok++;
		else
			fprintf(stderr, "# seed %llu: SAs %zu/%zu children %u/%u kernel %zu/%zu\n",
				(unsigned long long)seed, ike_engine_sa_count(S.n[0].e),
				ike_engine_sa_count(S.n[1].e), sim_nchildren(&S, 0),
				sim_nchildren(&S, 1), S.n[0].nsas, S.n[1].nsas);
		/* Never a second CHILD SA of the reqid, whatever happened. */
		assert_true(sim_nchildren(&S, 0) <= 1);
		sim_free(&S);
	}
	fprintf(stderr, "# acquire over a lossy network: %d/12 consistent\n", ok);
	assert_true(ok >= 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sa_error_deletes_that_child),
		cmocka_unit_test(sa_error_policy_refused),
		cmocka_unit_test(sa_error_rekeyed_child),
		cmocka_unit_test(acquire_narrows_once),
		cmocka_unit_test(acquire_without_packet),
		cmocka_unit_test(acquire_established_uses_create_child),
		cmocka_unit_test(acquire_new_ike_sa_child_config),
		cmocka_unit_test(acquire_lossy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
