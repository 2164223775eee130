/* Lifetimes (engine.h DESIGN, rekey.c): when CHILD SAs and the IKE SA are
 * rekeyed (rekey time minus a random jitter, strongSwan's rekey_time /
 * rand_time), when an IKE SA ends (life time), when a superseded SA is
 * given up on; and the kernel policies of a reqid kept across a rekey
 * (make before break). */
#include "ikev2/internal.h"

static uint64_t jitter(struct ike_engine *e, uint32_t rand_s)
{
	uint32_t r = 0;

	if (!rand_s || ike_random(e, &r, sizeof(r)) != 0)
		return 0;
	return (uint64_t)r % ((uint64_t)rand_s * 1000 + 1);
}

static uint64_t rekey_time(struct ike_engine *e, uint32_t rekey_s, uint32_t rand_s)
{
	uint64_t t = (uint64_t)rekey_s * 1000, j = jitter(e, rand_s);

	if (!rekey_s)
		return 0;
	t = j < t ? t - j : 0;
	return e->now + (t < 1000 ? 1000 : t);
}

void rekey_child_times(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch)
{
	const struct ike_child_cfg *cc = &sa->conn->children[ch->cfg_index];

	ch->rekey_at = rekey_time(e, cc->rekey_seconds, cc->rand_seconds);
	ch->expire_at = cc->life_seconds ? e->now + (uint64_t)cc->life_seconds * 1000 : 0;
}

void rekey_ike_times(struct ike_engine *e, struct ike_sa *sa)
{
	const struct ike_conn *c = sa->conn;

	sa->rekey_at = rekey_time(e, c->ike_rekey_seconds, c->ike_rand_seconds);
	sa->expire_at = c->ike_life_seconds ? e->now + (uint64_t)c->ike_life_seconds * 1000 : 0;
}

void rekey_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now)
{
	bool run = false;

	if (sa->state == IKE_SA_DELETING && sa->rekeyed_deadline && now >= sa->rekeyed_deadline &&
	    !sa->req) {
		ike_sa_destroy(e, sa, "rekeyed; the peer did not delete the old IKE_SA");
		return;
	}
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	if (sa->expire_at && now >= sa->expire_at) {
		ike_log(e, sa, IKE_LOG_INFO, "IKE_SA lifetime over: deleting it");
		sa->expire_at = 0;
		sa->rekey_at = 0;
		sa->ntasks = 0;
		ike_queue_task(sa, TASK_DELETE_IKE, 0);
		run = true;
	} else if (sa->rekey_at && now >= sa->rekey_at) {
		sa->rekey_at = 0;
		ike_log(e, sa, IKE_LOG_INFO, "IKE_SA rekey time reached");
		ike_queue_task(sa, TASK_REKEY_IKE, 0);
		run = true;
	}
	for (struct ike_child *ch = sa->children; ch; ch = ch->next) {
		if (!ch->rekey_at || now < ch->rekey_at)
			continue;
		ch->rekey_at = 0;
		if (ch->superseded) {
			ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} rekeyed but not deleted by the "
				"peer: deleting it", ch->id);
			ike_queue_task(sa, TASK_DELETE_CHILD, ch->id);
		} else {
			ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} rekey time reached", ch->id);
			ike_queue_task(sa, TASK_REKEY_CHILD, ch->id);
		}
		run = true;
	}
	if (run)
		ike_run_tasks(e, sa);
}

uint64_t rekey_deadline(const struct ike_sa *sa)
{
	uint64_t t = UINT64_MAX;

	if (sa->state == IKE_SA_DELETING && sa->rekeyed_deadline && !sa->req)
		return sa->rekeyed_deadline;
	if (sa->state != IKE_SA_ESTABLISHED)
		return t;
	if (sa->rekey_at && sa->rekey_at < t)
		t = sa->rekey_at;
	if (sa->expire_at && sa->expire_at < t)
		t = sa->expire_at;
	for (const struct ike_child *ch = sa->children; ch; ch = ch->next)
		if (ch->rekey_at && ch->rekey_at < t)
			t = ch->rekey_at;
	return t;
}

/* ---- kernel policies across a rekey (make before break) ---- */

bool rekey_policy_install(struct ike_sa *sa, struct ike_child *ch)
{
	for (struct ike_child *o = sa->children; o; o = o->next)
		if (o != ch && o->reqid == ch->reqid && o->policies)
			return false;
	ch->policies = true;
	return true;
}

bool rekey_policy_remove(struct ike_sa *sa, struct ike_child *ch)
{
	if (!ch->policies)
		return false;
	ch->policies = false;
	for (struct ike_child *o = sa->children; o; o = o->next)
		if (o != ch && o->reqid == ch->reqid && o->installed) {
			o->policies = true;
			return false;
		}
	return true;
}
