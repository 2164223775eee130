/* Rekeying in the simulated world: CHILD SAs (§2.8) and the IKE SA
 * (§2.18) from either side, by command, by timer and by the kernel's soft
 * expiry; collisions (§2.8.1, §2.8.2); INVALID_KE retries; and all of it
 * over a network that drops, duplicates and reorders.  SEED / SEED_END
 * set the seeded loops' range (with SIM_VERBOSE=1 to replay one run). */
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
#define ESP_PFS "aes128gcm16-x25519"

static struct sim S;
static struct ike_conn ci, cr;

/* SEED=n starts the seeded loops at n, SEED_END=m ends them at m. */
static uint64_t first_seed(void)
{
	return getenv("SEED") ? strtoull(getenv("SEED"), NULL, 10) : 1;
}

static uint64_t last_seed(uint64_t dflt)
{
	return getenv("SEED_END") ? strtoull(getenv("SEED_END"), NULL, 10) : dflt;
}

static void setup_esp(uint64_t seed, bool async, const char *esp_i, const char *esp_r)
{
	sim_init(&S, seed, async);
	sim_conn(&ci, "initiator", 0, IKE1, esp_i, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(&cr, "responder", 1, IKE1, esp_r, "10.2.0.0/16", "10.1.0.0/16");
	ike_engine_add_conn(S.n[0].e, &ci);
	ike_engine_add_conn(S.n[1].e, &cr);
}

static void setup(uint64_t seed, bool async)
{
	setup_esp(seed, async, ESP1, ESP1);
}

/* Up; from then on the simulated kernels check the data path (sim.h
 * check_flow; test_ike_rekey_flow.c tests it in detail). */
static void establish(void)
{
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &ci), 0);
	assert_true(sim_run_until(&S, 170000, sim_both_up));
	sim_drain(&S);
	S.check_flow = true;
	S.linger_min_ms = 5000;
}

/* No packet could be sent that the peer could not receive (rekeys only:
 * not for runs where a side gave up or an IKE SA was deleted). */
static bool no_loss(void)
{
	if (S.flow_violations || S.linger_violations)
		fprintf(stderr, "# %d flow, %d linger violations; first: %s\n", S.flow_violations,
			S.linger_violations, S.flow_first);
	return !S.flow_violations && !S.linger_violations;
}

/* The uid of node's established IKE SA (0: none or more than one). */
static uint64_t est_uid(struct sim *s, int node)
{
	struct ike_sa_info info;
	uint64_t uid = 0;
	int n = 0;

	for (size_t i = 0; ike_engine_sa_at(s->n[node].e, i, &info) == 0; i++)
		if (info.state == IKE_SA_ESTABLISHED) {
			uid = info.uid;
			n++;
		}
	return n == 1 ? uid : 0;
}

static bool child_at(struct sim *s, int node, unsigned idx, struct ike_child_info *c)
{
	uint64_t uid = est_uid(s, node);

	return uid && ike_engine_child_info(s->n[node].e, uid, idx, c) == 0;
}

static bool consistent_n(struct sim *s, unsigned want_children)
{
	return sim_consistent(s, want_children);
}

static int dump_sa(void *ctx, const struct ike_sa_info *sa, const struct ike_child_info *c,
		   unsigned n)
{
	fprintf(stderr, "#   SA %llu state %d %s %016llx/%016llx children %u\n",
		(unsigned long long)sa->uid, sa->state, sa->initiator ? "I" : "R",
		(unsigned long long)sa->ispi, (unsigned long long)sa->rspi, n);
	for (unsigned i = 0; i < n; i++)
		fprintf(stderr, "#     child %u %08x/%08x%s\n", c[i].id, c[i].spi_in, c[i].spi_out,
			c[i].superseded ? " superseded" : "");
	return 0;
}

static void dump(struct sim *s, const char *what)
{
	fprintf(stderr, "# %s\n", what);
	for (int i = 0; i < 2; i++) {
		struct ike_engine_stats st;

		ike_engine_get_stats(s->n[i].e, &st);
		fprintf(stderr, "#  node %d: kernel SAs %zu policies %d; drops: unknown SPI %llu, "
			"integrity %llu, wrong state %llu, malformed %llu\n", i, s->n[i].nsas,
			s->n[i].policies, (unsigned long long)st.dropped[IKE_DROP_UNKNOWN_SPI],
			(unsigned long long)st.dropped[IKE_DROP_INTEGRITY],
			(unsigned long long)st.dropped[IKE_DROP_WRONG_STATE],
			(unsigned long long)st.dropped[IKE_DROP_MALFORMED]);
		for (size_t k = 0; k < s->n[i].nsas; k++)
			fprintf(stderr, "#     ksa %08x %s\n", s->n[i].sas[k].spi,
				s->n[i].sas[k].dir == IKE_DIR_IN ? "in" : "out");
		ike_engine_foreach_sa(s->n[i].e, dump_sa, NULL);
	}
}

static int count_children(void *ctx, const struct ike_sa_info *sa,
			  const struct ike_child_info *c, unsigned n)
{
	*(size_t *)ctx += n;
	return 0;
}

/* A run that gave up (a peer stopped answering: 6 datagrams lost in a row)
 * leaves each kernel with exactly the SAs its engine still has; without
 * DPD the side that did not give up keeps its IKE SA. */
static void assert_gave_up_cleanly(struct sim *s)
{
	assert_true(s->n[0].failed + s->n[1].failed > 0);
	for (int i = 0; i < 2; i++) {
		size_t children = 0;
		ike_engine_foreach_sa(s->n[i].e, count_children, &children);
		assert_int_equal(s->n[i].nsas, 2 * children);
	}
}

static bool consistent(struct sim *s)
{
	return consistent_n(s, 1);
}

/* Make before break: once up, a kernel never lacks an SA in a direction. */
static bool never_bare(int node)
{
	int count[2] = { 0, 0 };

	for (unsigned i = 0; i < S.n[node].nklog; i++) {
		int d = S.n[node].klog[i].dir == IKE_DIR_IN ? 0 : 1;
		count[d] += S.n[node].klog[i].op == IKE_KERNEL_ADD_SA ? 1 : -1;
		if (count[d] <= 0) {
			fprintf(stderr, "# node %d: no %s SA after kernel op %u (SPI %08x)\n", node,
				d ? "outbound" : "inbound", i, S.n[node].klog[i].spi);
			return false;
		}
	}
	return true;
}

static void assert_never_bare(int node)
{
	assert_true(never_bare(node));
}

static uint32_t spi_in_of(int node)
{
	struct ike_child_info c;

	assert_true(child_at(&S, node, 0, &c));
	return c.spi_in;
}

static void child_rekey_both_roles(void **state)
{
	struct ike_child_info c0, c1, n0;
	uint32_t old_in0, old_in1;

	setup(42, false);
	establish();
	assert_true(child_at(&S, 0, 0, &c0));
	assert_true(child_at(&S, 1, 0, &c1));
	old_in0 = c0.spi_in;
	old_in1 = c1.spi_in;
	/* The initiator rekeys. */
	assert_int_equal(ike_engine_rekey_child(S.n[0].e, S.now, est_uid(&S, 0), c0.id), 0);
	sim_run(&S, 30000);
	assert_true(consistent(&S));
	sim_run(&S, 1000);
	assert_true(consistent(&S));
	assert_true(child_at(&S, 0, 0, &n0));
	assert_int_not_equal(n0.spi_in, old_in0);
	assert_int_not_equal(n0.spi_out, old_in1);
	assert_int_equal(n0.reqid, c0.reqid); /* same reqid: policies stay */
	assert_int_equal(S.n[0].child_rekeyed, 1);
	assert_int_equal(S.n[1].child_rekeyed, 1);
	assert_int_equal(S.n[0].child_down, 1);
	assert_int_equal(S.n[1].child_down, 1);
	assert_true(sim_log_has(&S, 1, "rekeyed by the peer"));
	/* The kernels got the new SAs with equal keys. */
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++)
			if (S.n[0].sas[i].spi == S.n[1].sas[k].spi)
				assert_memory_equal(S.n[0].sas[i].key, S.n[1].sas[k].key, 20);
	/* Now the responder rekeys. */
	assert_int_equal(ike_engine_rekey_child(S.n[1].e, S.now, est_uid(&S, 1), n0.id), 0);
	sim_run(&S, 30000);
	assert_true(consistent(&S));
	sim_run(&S, 1000);
	assert_true(consistent(&S));
	assert_int_not_equal(spi_in_of(0), n0.spi_in);
	assert_int_equal(S.n[0].child_rekeyed, 2);
	assert_int_equal(S.n[1].child_down, 2);
	assert_never_bare(0);
	assert_never_bare(1);
	assert_true(no_loss());
	/* Rekeying a CHILD SA that is not there is refused. */
	assert_int_equal(ike_engine_rekey_child(S.n[1].e, S.now, est_uid(&S, 1), 999), -1);
	sim_free(&S);
}

/* PFS with a group the responder does not like first: INVALID_KE_PAYLOAD,
 * then the retry with the group it asked for. */
static void child_rekey_pfs_invalid_ke(void **state)
{
	struct ike_child_info c;

	for (int async = 0; async < 2; async++) {
		setup_esp(7, async, "aes128gcm16-ecp256-x25519", "aes128gcm16-x25519");
		establish();
		assert_true(child_at(&S, 0, 0, &c));
		assert_int_equal(c.group, 0); /* IKE_AUTH: no PFS */
		assert_int_equal(ike_engine_rekey_child(S.n[0].e, S.now, est_uid(&S, 0), c.id), 0);
		sim_run(&S, 30000);
	assert_true(consistent(&S));
		assert_true(child_at(&S, 0, 0, &c));
		assert_int_equal(c.group, IKEV2_GROUP_CURVE25519);
		assert_true(sim_log_has(&S, 0, "peer wants group 31 instead of 19"));
		/* The responder side needs no retry. */
		assert_int_equal(ike_engine_rekey_child(S.n[1].e, S.now, est_uid(&S, 1), c.id), 0);
		sim_run(&S, 30000);
		assert_true(consistent(&S));
		assert_true(child_at(&S, 1, 0, &c));
		assert_int_equal(c.group, IKEV2_GROUP_CURVE25519);
		assert_never_bare(0);
		assert_never_bare(1);
		sim_free(&S);
	}
}

/* Both ends rekey the same CHILD SA at once (§2.8.1): both exchanges
 * complete, the SA with the lowest nonce goes, one pair stays.  Every third
 * seed with PFS (KE jobs on both sides of both exchanges at once). */
static void child_rekey_collision(void **state)
{
	int collided = 0;

	for (uint64_t seed = first_seed(); seed <= last_seed(12); seed++) {
		struct ike_child_info c0, c1;

		setup_esp(seed, seed & 1, seed % 3 ? ESP1 : ESP_PFS, seed % 3 ? ESP1 : ESP_PFS);
		establish();
		assert_true(child_at(&S, 0, 0, &c0));
		assert_true(child_at(&S, 1, 0, &c1));
		if (seed > 6) {
			S.drop_pm = 100;
			S.dup_pm = 100;
			S.jitter_ms = 300;
		}
		assert_int_equal(ike_engine_rekey_child(S.n[0].e, S.now, est_uid(&S, 0), c0.id), 0);
		assert_int_equal(ike_engine_rekey_child(S.n[1].e, S.now, est_uid(&S, 1), c1.id), 0);
		sim_run(&S, 200000);
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 300000); /* a rekeyed SA whose Delete was lost goes by then */
		assert_true(consistent(&S));
		assert_int_not_equal(spi_in_of(0), c0.spi_in);
		assert_int_not_equal(spi_in_of(1), c1.spi_in);
		collided += sim_log_has(&S, 0, "collision") || sim_log_has(&S, 1, "collision");
		assert_never_bare(0);
		assert_never_bare(1);
		assert_true(no_loss());
		sim_free(&S);
	}
	printf("# %d of %llu runs collided\n", collided,
	       (unsigned long long)(last_seed(12) - first_seed() + 1));
	assert_true(collided >= 6);
}

static void child_rekey_lossy(void **state)
{
	int ok = 0;

	for (uint64_t seed = first_seed(); seed <= last_seed(24); seed++) {
		setup_esp(seed, seed & 1, seed % 3 ? ESP1 : ESP_PFS, seed % 3 ? ESP1 : ESP_PFS);
		establish();
		S.drop_pm = 200;
		S.dup_pm = 200;
		S.jitter_ms = 2000;
		for (int round = 0; round < 4; round++) {
			int node = (int)((seed + (uint64_t)round) & 1);
			struct ike_child_info c;
			if (!child_at(&S, node, 0, &c))
				break;
			ike_engine_rekey_child(S.n[node].e, S.now, est_uid(&S, node), c.id);
			sim_run(&S, 20000);
		}
		sim_run(&S, 200000);
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 300000); /* a rekeyed SA whose Delete was lost goes by then */
		/* Rekeyed and consistent, or the IKE SA given up on both sides
		 * (a peer that stops answering) with nothing left behind. */
		if (consistent(&S)) {
			ok++;
			if (!never_bare(0) || !never_bare(1))
				fprintf(stderr, "# seed %llu\n", (unsigned long long)seed);
			assert_never_bare(0);
			assert_never_bare(1);
			if (!S.n[0].failed && !S.n[1].failed)
				assert_true(no_loss());
		} else {
			fprintf(stderr, "# seed %llu gave up\n", (unsigned long long)seed);
			sim_run(&S, 400000);
			if (!S.n[0].failed && !S.n[1].failed)
				dump(&S, "inconsistent");
			assert_gave_up_cleanly(&S);
		}
		sim_free(&S);
	}
	printf("# %d of %llu lossy rekey runs consistent\n", ok,
	       (unsigned long long)(last_seed(24) - first_seed() + 1));
	assert_true(ok >= 22);
}

static void set_child_times(struct ike_conn *c, uint32_t rekey, uint32_t rnd, uint32_t life)
{
	c->children[0].rekey_seconds = rekey;
	c->children[0].rand_seconds = rnd;
	c->children[0].life_seconds = life;
}

/* rekey_time minus a random rand_time, the kernel's soft expiry, and the
 * hard expiry deleting. */
static void child_rekey_timer_soft_hard(void **state)
{
	struct ike_child_info c;
	uint64_t t0;

	setup(11, false);
	set_child_times(&ci, 120, 20, 150);
	set_child_times(&cr, 120, 20, 150);
	establish();
	t0 = S.now;
	assert_true(S.n[0].last_soft >= 100 && S.n[0].last_soft <= 120);
	assert_true(child_at(&S, 0, 0, &c));
	assert_true(c.rekey_at >= t0 + 99000 && c.rekey_at <= t0 + 120000);
	assert_true(c.expire_at >= t0 + 149000 && c.expire_at <= t0 + 150000);
	sim_run(&S, 99000 - 1000);
	assert_int_equal(S.n[0].child_rekeyed + S.n[1].child_rekeyed, 0);
	sim_run(&S, 23000);
	assert_true(consistent(&S));
	assert_true(S.n[0].child_rekeyed >= 1);
	/* The kernel says soft: rekey now. */
	{
		int before = S.n[1].child_rekeyed;
		ike_engine_kernel_soft_expire(S.n[1].e, S.now, spi_in_of(1));
		sim_run(&S, 10000); /* the old inbound SAs linger 5 s */
		assert_true(consistent(&S));
		assert_int_equal(S.n[1].child_rekeyed, before + 1);
	}
	/* Hard: the CHILD SA goes on both sides. */
	ike_engine_kernel_expire(S.n[0].e, S.now, spi_in_of(0));
	sim_run(&S, 5000);
	assert_true(consistent_n(&S, 0));
	sim_free(&S);
}

static void ike_rekey_both_roles(void **state)
{
	struct ike_sa_info a, b, n;
	struct ike_child_info c0, c1;
	unsigned kops0;

	setup(5, false);
	establish();
	assert_int_equal(ike_engine_sa_info(S.n[0].e, est_uid(&S, 0), &a), 0);
	assert_true(child_at(&S, 0, 0, &c0));
	kops0 = S.n[0].nklog;
	assert_int_equal(ike_engine_rekey_ike(S.n[0].e, S.now, a.uid), 0);
	sim_run(&S, 30000);
	assert_true(consistent(&S));
	assert_int_equal(ike_engine_sa_info(S.n[0].e, est_uid(&S, 0), &n), 0);
	assert_int_not_equal(n.uid, a.uid);
	assert_true(n.ispi != a.ispi && n.rspi != a.rspi);
	assert_true(n.initiator);
	assert_int_equal(n.msgid_out, 0); /* message IDs restart */
	assert_int_equal(S.n[0].ike_rekeyed, 1);
	assert_int_equal(S.n[0].last_old_ike, a.uid);
	assert_int_equal(S.n[1].ike_rekeyed, 1);
	/* The CHILD SA moved untouched: no kernel SA changes. */
	assert_true(child_at(&S, 0, 0, &c1));
	assert_int_equal(c1.spi_in, c0.spi_in);
	assert_int_equal(c1.id, c0.id);
	assert_int_equal(S.n[0].nklog, kops0);
	assert_int_equal(S.n[0].child_down + S.n[1].child_down, 0);
	/* The new IKE SA works: liveness and a CHILD SA rekey on it. */
	assert_int_equal(ike_engine_dpd(S.n[1].e, S.now, est_uid(&S, 1)), 0);
	assert_int_equal(ike_engine_rekey_child(S.n[1].e, S.now, est_uid(&S, 1), c1.id), 0);
	sim_run(&S, 30000);
	assert_true(consistent(&S));
	assert_int_equal(ike_engine_sa_info(S.n[0].e, est_uid(&S, 0), &n), 0);
	assert_int_equal(n.msgid_in, 3); /* DPD, CREATE_CHILD_SA, Delete */
	/* The responder rekeys the IKE SA: it becomes the new SA's initiator. */
	assert_int_equal(ike_engine_sa_info(S.n[1].e, est_uid(&S, 1), &b), 0);
	assert_int_equal(ike_engine_rekey_ike(S.n[1].e, S.now, b.uid), 0);
	sim_run(&S, 30000);
	assert_true(consistent(&S));
	assert_int_equal(ike_engine_sa_info(S.n[1].e, est_uid(&S, 1), &n), 0);
	assert_true(n.initiator);
	assert_int_not_equal(n.uid, b.uid);
	assert_int_equal(S.n[1].ike_rekeyed, 2);
	assert_int_equal(S.n[0].down, 2); /* the two old IKE SAs */
	assert_int_equal(S.n[0].child_down, 1);
	assert_never_bare(0);
	assert_never_bare(1);
	assert_true(no_loss());
	sim_free(&S);
}

static void ike_rekey_collision(void **state)
{
	int collided = 0;

	for (uint64_t seed = first_seed(); seed <= last_seed(12); seed++) {
		struct ike_sa_info a, b;
		struct ike_child_info c0;

		setup(seed, seed & 1);
		establish();
		assert_true(child_at(&S, 0, 0, &c0));
		assert_int_equal(ike_engine_sa_info(S.n[0].e, est_uid(&S, 0), &a), 0);
		assert_int_equal(ike_engine_sa_info(S.n[1].e, est_uid(&S, 1), &b), 0);
		if (seed > 6) {
			S.drop_pm = 100;
			S.dup_pm = 100;
			S.jitter_ms = 300;
		}
		assert_int_equal(ike_engine_rekey_ike(S.n[0].e, S.now, a.uid), 0);
		assert_int_equal(ike_engine_rekey_ike(S.n[1].e, S.now, b.uid), 0);
		sim_run(&S, 200000);
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 400000);
		if (!consistent(&S)) {
			fprintf(stderr, "# seed %llu\n", (unsigned long long)seed);
			dump(&S, "inconsistent");
		}
		assert_true(consistent(&S));
		assert_int_not_equal(est_uid(&S, 0), a.uid);
		assert_int_equal(spi_in_of(0), c0.spi_in);
		collided += sim_log_has(&S, 0, "collision") || sim_log_has(&S, 1, "collision");
		assert_never_bare(0);
		assert_never_bare(1);
		assert_true(no_loss());
		sim_free(&S);
	}
	printf("# %d of %llu runs collided\n", collided,
	       (unsigned long long)(last_seed(12) - first_seed() + 1));
	assert_true(collided >= 6);
}

static void ike_rekey_lossy(void **state)
{
	int ok = 0;

	for (uint64_t seed = first_seed(); seed <= last_seed(24); seed++) {
		setup(seed, seed & 1);
		establish();
		S.drop_pm = 200;
		S.dup_pm = 200;
		S.jitter_ms = 2000;
		for (int round = 0; round < 3; round++) {
			int node = (int)((seed + (uint64_t)round) & 1);
			uint64_t uid = est_uid(&S, node);
			struct ike_child_info c;
			if (!uid)
				break;
			ike_engine_rekey_ike(S.n[node].e, S.now, uid);
			if (child_at(&S, 1 - node, 0, &c))
				ike_engine_rekey_child(S.n[1 - node].e, S.now, est_uid(&S, 1 - node), c.id);
			sim_run(&S, 30000);
		}
		sim_run(&S, 200000);
		S.drop_pm = S.dup_pm = 0;
		sim_run(&S, 400000);
		if (consistent(&S)) {
			ok++;
			assert_never_bare(0);
			assert_never_bare(1);
			if (!S.n[0].failed && !S.n[1].failed)
				assert_true(no_loss());
		} else {
			fprintf(stderr, "# seed %llu gave up\n", (unsigned long long)seed);
			if (!S.n[0].failed && !S.n[1].failed)
				dump(&S, "inconsistent");
			assert_gave_up_cleanly(&S);
		}
		sim_free(&S);
	}
	printf("# %d of %llu lossy IKE rekey runs consistent\n", ok,
	       (unsigned long long)(last_seed(24) - first_seed() + 1));
	assert_true(ok >= 22);
}

/* ike_rekey_seconds - random(ike_rand_seconds); ike_life_seconds ends it. */
static void ike_rekey_timer_and_life(void **state)
{
	uint64_t uid;

	setup(3, false);
	ci.ike_rekey_seconds = 200;
	ci.ike_rand_seconds = 20;
	ci.ike_life_seconds = 400;
	establish();
	uid = est_uid(&S, 0);
	sim_run(&S, 170000);
	assert_int_equal(est_uid(&S, 0), uid);
	sim_run(&S, 40000);
	assert_true(consistent(&S));
	assert_int_not_equal(est_uid(&S, 0), uid);
	assert_int_equal(S.n[0].ike_rekeyed, 1);
	sim_free(&S);
	/* Without rekeying, the IKE SA ends at its life time. */
	setup(4, false);
	cr.ike_life_seconds = 100;
	establish();
	sim_run(&S, 95000);
	assert_true(consistent(&S));
	sim_run(&S, 10000);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 0);
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(child_rekey_both_roles),
		cmocka_unit_test(child_rekey_pfs_invalid_ke),
		cmocka_unit_test(child_rekey_collision),
		cmocka_unit_test(child_rekey_lossy),
		cmocka_unit_test(child_rekey_timer_soft_hard),
		cmocka_unit_test(ike_rekey_both_roles),
		cmocka_unit_test(ike_rekey_collision),
		cmocka_unit_test(ike_rekey_lossy),
		cmocka_unit_test(ike_rekey_timer_and_life),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
