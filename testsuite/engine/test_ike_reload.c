/* Reload support, SA walk, child config index, kernel SPI failures and
 * counters of the engine (engine.h: reload, ike_engine_foreach_sa,
 * ike_engine_kernel_spi_error, counters). */
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
#define ESP2 "chacha20poly1305"

static struct sim S;
/* Node 0 initiates a and b; node 1 answers them (told apart by IDi). */
static struct ike_conn a0, b0, a1, b1, a0new;

static void conn_pair(struct ike_conn *c0, struct ike_conn *c1, const char *name, const char *id,
		      const char *esp0, const char *esp1)
{
	sim_conn(c0, name, 0, IKE1, esp0, "10.1.0.0/16", "10.2.0.0/16");
	sim_conn(c1, name, 1, IKE1, esp1, "10.2.0.0/16", "10.1.0.0/16");
	oc_id_from_string(id, &c0->local_id);
	oc_id_from_string(id, &c1->remote_id);
}

static void setup(void)
{
	sim_init(&S, 7, false);
	conn_pair(&a0, &a1, "a", "a@example.org", ESP1, ESP1 "," ESP2);
	conn_pair(&b0, &b1, "b", "b@example.org", ESP1, ESP1);
	ike_engine_add_conn(S.n[0].e, &a0);
	ike_engine_add_conn(S.n[0].e, &b0);
	ike_engine_add_conn(S.n[1].e, &a1);
	ike_engine_add_conn(S.n[1].e, &b1);
}

static bool two_up(struct sim *s)
{
	return sim_state_count(s, 0, IKE_SA_ESTABLISHED) == 2 &&
	       sim_state_count(s, 1, IKE_SA_ESTABLISHED) == 2 && s->n[0].child_up == 2 &&
	       s->n[1].child_up == 2;
}

static uint64_t uid_of(int node, const struct ike_conn *c)
{
	struct ike_sa_info si;

	for (size_t i = 0; ike_engine_sa_at(S.n[node].e, i, &si) == 0; i++)
		if (si.conn == c)
			return si.uid;
	return 0;
}

static void establish_both(void)
{
	setup();
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &b0), 0);
	assert_true(sim_run_until(&S, 60000, two_up));
}

static void remove_conn_deletes_its_sas(void **state)
{
	struct ike_sa_info before, after, peer;
	struct ike_child_info cb, ca;

	establish_both();
	assert_int_equal(ike_engine_sa_info(S.n[0].e, uid_of(0, &a0), &before), 0);
	assert_int_equal(ike_engine_child_info(S.n[0].e, before.uid, 0, &cb), 0);
	assert_int_equal(ike_engine_remove_conn(S.n[0].e, S.now, &b0), 1);
	assert_int_equal(ike_engine_remove_conn(S.n[0].e, S.now, &b0), -1);
	sim_run(&S, 10000);
	/* b is gone on both sides (the peer was told), a is untouched. */
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 1);
	assert_int_equal(ike_engine_sa_count(S.n[1].e), 1);
	assert_int_equal(uid_of(1, &b1), 0);
	assert_int_equal(ike_engine_conn_refs(S.n[0].e, &b0), 0);
	assert_int_equal(ike_engine_conn_refs(S.n[0].e, &a0), 1);
	assert_int_equal(ike_engine_sa_info(S.n[0].e, before.uid, &after), 0);
	assert_true(after.ispi == before.ispi && after.rspi == before.rspi);
	assert_int_equal(ike_engine_child_info(S.n[0].e, after.uid, 0, &ca), 0);
	assert_int_equal(ca.spi_in, cb.spi_in);
	assert_int_equal(ca.spi_out, cb.spi_out);
	assert_int_equal(ike_engine_sa_info(S.n[1].e, uid_of(1, &a1), &peer), 0);
	assert_true(peer.ispi == before.ispi);
	assert_int_equal(S.n[0].nsas, 2); /* a's CHILD SA only in the kernels */
	assert_int_equal(S.n[1].nsas, 2);
	assert_int_equal(S.n[0].policies, 2);
	assert_int_equal(S.n[1].policies, 2);
	/* b no longer answers: node 1 initiating b is refused. */
	b1.local_id = b0.local_id;
	assert_int_not_equal(ike_engine_initiate(S.n[1].e, S.now, &b1), 0);
	sim_run(&S, 60000);
	assert_int_equal(sim_state_count(&S, 1, IKE_SA_ESTABLISHED), 1);
	assert_true(S.n[1].failed >= 1);
	sim_free(&S);
}

static void remove_conn_half_open(void **state)
{
	setup();
	S.n[0].hold_spi = true;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &b0), 0);
	sim_run(&S, 100);
	assert_int_equal(ike_engine_conn_refs(S.n[0].e, &b0), 1);
	assert_int_equal(ike_engine_remove_conn(S.n[0].e, S.now, &b0), 1);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	assert_int_equal(ike_engine_conn_refs(S.n[0].e, &b0), 0);
	/* The SPI answer for the dropped SA is ignored. */
	ike_engine_kernel_spi(S.n[0].e, S.now, S.n[0].held_req, 0xc0001234u);
	sim_run(&S, 60000);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	sim_free(&S);
}

static void replace_conn_keeps_old_sas(void **state)
{
	struct ike_sa_info before, after;
	struct ike_child_info c;
	uint64_t nu;

	establish_both();
	assert_int_equal(ike_engine_sa_info(S.n[0].e, uid_of(0, &a0), &before), 0);
	/* a changed: another ESP proposal. */
	conn_pair(&a0new, &a1, "a", "a@example.org", ESP2, ESP1 "," ESP2);
	assert_int_equal(ike_engine_replace_conn(S.n[0].e, &a0, &a0new), 0);
	assert_int_equal(ike_engine_replace_conn(S.n[0].e, &a0, &a0new), -1);
	sim_run(&S, 5000);
	assert_int_equal(ike_engine_sa_info(S.n[0].e, before.uid, &after), 0);
	assert_true(after.conn == &a0 && after.ispi == before.ispi && after.rspi == before.rspi);
	assert_int_equal(ike_engine_conn_refs(S.n[0].e, &a0), 1);
	/* The new version makes new SAs; the peer keeps the old one (no
	 * INITIAL_CONTACT while we have another SA with it). */
	nu = ike_engine_initiate(S.n[0].e, S.now, &a0new);
	assert_int_not_equal(nu, 0);
	sim_run(&S, 10000);
	assert_int_equal(sim_state_count(&S, 0, IKE_SA_ESTABLISHED), 3);
	assert_int_equal(sim_state_count(&S, 1, IKE_SA_ESTABLISHED), 3);
	assert_int_equal(ike_engine_child_info(S.n[0].e, nu, 0, &c), 0);
	assert_int_equal(c.encr_id, IKEV2_ENCR_CHACHA20_POLY1305);
	assert_int_equal(ike_engine_child_info(S.n[0].e, before.uid, 0, &c), 0);
	assert_int_equal(c.encr_id, IKEV2_ENCR_AES_GCM_16);
	/* The old SA ends: nothing uses the old conn any more. */
	assert_int_equal(ike_engine_delete_ike(S.n[0].e, S.now, before.uid), 0);
	sim_run(&S, 10000);
	assert_int_equal(ike_engine_conn_refs(S.n[0].e, &a0), 0);
	/* nc NULL: the conn only stops answering. */
	assert_int_equal(ike_engine_replace_conn(S.n[1].e, &b1, NULL), 0);
	assert_int_equal(sim_state_count(&S, 1, IKE_SA_ESTABLISHED), 2);
	sim_free(&S);
}

struct walk {
	size_t n, children;
	int cfg1;
	int stop_after;
};

static int visit(void *ctx, const struct ike_sa_info *si, const struct ike_child_info *ch,
		 unsigned n)
{
	struct walk *w = ctx;

	w->n++;
	w->children += n;
	for (unsigned i = 0; i < n; i++)
		if (ch[i].cfg_index == 1)
			w->cfg1++;
	return w->stop_after && (int)w->n >= w->stop_after;
}

static void foreach_and_child_index(void **state)
{
	struct walk w = { 0 };
	struct ike_child_cfg *two;
	struct ike_child_info ci;
	uint64_t uid;

	setup();
	/* a gets a second child config on both sides. */
	two = ike_conn_add_child(&a0, "two");
	*two = a0.children[0];
	snprintf(two->name, sizeof(two->name), "two");
	two = ike_conn_add_child(&a1, "two");
	*two = a1.children[0];
	snprintf(two->name, sizeof(two->name), "two");
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &b0), 0);
	assert_true(sim_run_until(&S, 60000, two_up));
	assert_int_equal(S.n[0].last_child_cfg, 0);
	uid = uid_of(0, &a0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, uid, 1), 0);
	sim_run(&S, 10000);
	assert_int_equal(S.n[0].child_up, 6);
	assert_int_equal(S.n[0].last_child_cfg, 1);
	/* (The responder picks its first config whose selectors fit: 0.) */
	assert_int_equal(S.n[1].last_child_cfg, 0);
	assert_int_equal(ike_engine_child_info(S.n[0].e, uid, 0, &ci), 0);
	assert_int_equal(ike_engine_foreach_sa(S.n[0].e, visit, &w), 2);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.children, 6); /* more than the walk's stack array */
	assert_int_equal(w.cfg1, 4);
	memset(&w, 0, sizeof(w));
	w.stop_after = 1;
	assert_int_equal(ike_engine_foreach_sa(S.n[1].e, visit, &w), 1);
	sim_free(&S);
}

static bool one_up(struct sim *s)
{
	return sim_state_count(s, 0, IKE_SA_ESTABLISHED) == 1 &&
	       sim_state_count(s, 1, IKE_SA_ESTABLISHED) == 1;
}

static void spi_failure_responder_auth(void **state)
{
	setup();
	S.n[1].fail_spi = true;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_true(sim_run_until(&S, 60000, one_up));
	sim_run(&S, 1000);
	/* The IKE SA stands without its CHILD SA (§1.2); the peer was told. */
	assert_int_equal(S.n[0].child_up, 0);
	assert_int_equal(S.n[1].child_up, 0);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_NO_PROPOSAL_CHOSEN);
	assert_true(sim_log_has(&S, 1, "could not allocate an inbound ESP SPI"));
	assert_int_equal(S.n[0].nsas + S.n[1].nsas, 0);
	sim_free(&S);
}

static void spi_failure_create_child(void **state)
{
	uint64_t uid;
	int sent;

	setup();
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_true(sim_run_until(&S, 60000, one_up));
	uid = uid_of(0, &a0);
	/* Responder side: TEMPORARY_FAILURE (§2.25). */
	S.n[1].fail_spi = true;
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, uid, 0), 0);
	sim_run(&S, 5000);
	assert_int_equal(S.n[0].child_failed, 1);
	assert_int_equal(S.n[0].last_notify, IKEV2_N_TEMPORARY_FAILURE);
	assert_int_equal(S.n[1].nsas, 2);
	/* Initiator side: nothing is sent, the IKE SA stays. */
	S.n[1].fail_spi = false;
	S.n[0].fail_spi = true;
	sent = S.n[0].sent;
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, uid, 0), 0);
	sim_run(&S, 5000);
	assert_int_equal(S.n[0].child_failed, 2);
	assert_int_equal(S.n[0].sent, sent);
	assert_true(sim_log_has(&S, 0, "could not allocate an inbound ESP SPI"));
	/* The SA still works. */
	S.n[0].fail_spi = false;
	assert_int_equal(ike_engine_create_child(S.n[0].e, S.now, uid, 0), 0);
	sim_run(&S, 5000);
	assert_int_equal(S.n[0].child_up, 2);
	assert_int_equal(sim_state_count(&S, 0, IKE_SA_ESTABLISHED), 1);
	sim_free(&S);
}

static void spi_failure_initiator_first_child(void **state)
{
	setup();
	S.n[0].fail_spi = true;
	assert_int_equal(ike_engine_initiate(S.n[0].e, S.now, &a0) != 0, 1);
	sim_run(&S, 60000);
	assert_int_equal(S.n[0].failed, 1);
	assert_int_equal(ike_engine_sa_count(S.n[0].e), 0);
	sim_free(&S);
}

static int drops_left;

static bool drop_first_from_responder(struct sim *s, int from, const uint8_t *d, size_t len)
{
	if (from == 1 && drops_left > 0) {
		drops_left--;
		return true;
	}
	return false;
}

static void counters(void **state)
{
	struct ike_engine_stats s0, s1;
	uint8_t buf[4096], junk[12] = { 1, 2, 3 };
	size_t len;

	setup();
	drops_left = 1;
	S.filter = drop_first_from_responder;
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_true(sim_run_until(&S, 60000, one_up));
	ike_engine_get_stats(S.n[0].e, &s0);
	ike_engine_get_stats(S.n[1].e, &s1);
	assert_int_equal(s0.initiated[IKE_XS_IKE_SA_INIT], 1);
	assert_int_equal(s0.initiated[IKE_XS_IKE_AUTH], 1);
	assert_int_equal(s1.responded[IKE_XS_IKE_SA_INIT], 1);
	assert_int_equal(s1.responded[IKE_XS_IKE_AUTH], 1);
	assert_int_equal(s0.retransmits, 1);
	assert_int_equal(s1.responses_resent, 1);
	/* INFORMATIONAL both ways. */
	assert_int_equal(ike_engine_dpd(S.n[0].e, S.now, uid_of(0, &a0)), 0);
	sim_run(&S, 5000);
	ike_engine_get_stats(S.n[0].e, &s0);
	ike_engine_get_stats(S.n[1].e, &s1);
	assert_int_equal(s0.initiated[IKE_XS_INFORMATIONAL], 1);
	assert_int_equal(s1.responded[IKE_XS_INFORMATIONAL], 1);
	/* Drops: garbage, too large, unknown SPI, integrity, wrong state. */
	len = S.last_len[0];
	memcpy(buf, S.last[0], len); /* the INFORMATIONAL request */
	ike_engine_recv(S.n[1].e, S.now, &S.n[1].addr, &S.n[0].addr, junk, sizeof(junk));
	ike_engine_recv(S.n[1].e, S.now, &S.n[1].addr, &S.n[0].addr, buf, 9000);
	ike_engine_recv(S.n[1].e, S.now, &S.n[1].addr, &S.n[0].addr, buf, len); /* replay */
	buf[23] = 5; /* message ID 2 -> 5: out of the window */
	ike_engine_recv(S.n[1].e, S.now, &S.n[1].addr, &S.n[0].addr, buf, len);
	buf[0] ^= 0xff; /* initiator SPI */
	ike_engine_recv(S.n[1].e, S.now, &S.n[1].addr, &S.n[0].addr, buf, len);
	ike_engine_get_stats(S.n[1].e, &s1);
	assert_int_equal(s1.dropped[IKE_DROP_MALFORMED], 1);
	assert_int_equal(s1.dropped[IKE_DROP_TOO_LARGE], 1);
	assert_int_equal(s1.dropped[IKE_DROP_WRONG_STATE], 1);
	assert_int_equal(s1.dropped[IKE_DROP_UNKNOWN_SPI], 1);
	assert_int_equal(s1.responses_resent, 2);
	assert_string_equal(ike_drop_reason_name(IKE_DROP_INTEGRITY), "integrity");
	assert_string_equal(ike_exch_stat_name(IKE_XS_CREATE_CHILD_SA), "create_child_sa");
	sim_free(&S);
}

static void integrity_drop(void **state)
{
	struct ike_engine_stats s1;
	uint8_t buf[4096];
	size_t len;

	setup();
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_true(sim_run_until(&S, 60000, one_up));
	/* The next request (message ID 2) with a flipped ICV byte. */
	S.delay_ms = 1000;
	assert_int_equal(ike_engine_dpd(S.n[0].e, S.now, uid_of(0, &a0)), 0);
	sim_drain(&S);
	len = S.last_len[0];
	memcpy(buf, S.last[0], len);
	buf[len - 1] ^= 1;
	ike_engine_recv(S.n[1].e, S.now, &S.n[1].addr, &S.n[0].addr, buf, len);
	ike_engine_get_stats(S.n[1].e, &s1);
	assert_int_equal(s1.dropped[IKE_DROP_INTEGRITY], 1);
	sim_run(&S, 5000); /* the intact one still works */
	ike_engine_get_stats(S.n[1].e, &s1);
	assert_int_equal(s1.responded[IKE_XS_INFORMATIONAL], 1);
	sim_free(&S);
}

static void tweak_cookies(int node, struct ike_engine_cfg *cfg)
{
	if (node == 1)
		cfg->cookie_threshold = 0;
}

static void cookie_counter(void **state)
{
	struct ike_engine_stats s0, s1;

	sim_init_cfg(&S, 9, false, tweak_cookies);
	conn_pair(&a0, &a1, "a", "a@example.org", ESP1, ESP1);
	ike_engine_add_conn(S.n[0].e, &a0);
	ike_engine_add_conn(S.n[1].e, &a1);
	assert_int_not_equal(ike_engine_initiate(S.n[0].e, S.now, &a0), 0);
	assert_true(sim_run_until(&S, 60000, one_up));
	ike_engine_get_stats(S.n[0].e, &s0);
	ike_engine_get_stats(S.n[1].e, &s1);
	assert_int_equal(s1.cookies_sent, 1);
	assert_int_equal(s0.initiated[IKE_XS_IKE_SA_INIT], 2);
	assert_int_equal(s1.responded[IKE_XS_IKE_SA_INIT], 2);
	sim_free(&S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remove_conn_deletes_its_sas),
		cmocka_unit_test(remove_conn_half_open),
		cmocka_unit_test(replace_conn_keeps_old_sas),
		cmocka_unit_test(foreach_and_child_index),
		cmocka_unit_test(spi_failure_responder_auth),
		cmocka_unit_test(spi_failure_create_child),
		cmocka_unit_test(spi_failure_initiator_first_child),
		cmocka_unit_test(counters),
		cmocka_unit_test(integrity_drop),
		cmocka_unit_test(cookie_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
