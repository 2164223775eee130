/* CHILD SAs started by a trap policy (an XFRM ACQUIRE, engine.h
 * ike_engine_acquire): the CHILD SA gets the trap's reqid, the packet's
 * selectors go first in TSi / TSr (§2.9), and one negotiation runs per
 * reqid however many ACQUIREs come (the kernel sends one per flow).
 *
 * Where the CHILD SA is made: an established IKE SA of the conn
 * (CREATE_CHILD_SA, queued for its window as TASK_ACQUIRE), else an IKE SA
 * of the conn we are setting up as initiator (queued: it runs once that
 * one is up), else a new IKE SA whose IKE_AUTH carries it.  An IKE SA the
 * peer is setting up with us is not used: its conn may still change with
 * IDi (auth.c). */
#include "ikev2/internal.h"

#include <string.h>

/* Is a CHILD SA of reqid installed, being negotiated or waiting? */
static bool reqid_busy(const struct ike_engine *e, uint32_t reqid)
{
	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		for (const struct ike_child *ch = sa->children; ch; ch = ch->next)
			if (ch->reqid == reqid && !ch->failed)
				return true;
		if (sa->hs && sa->hs->reqid == reqid &&
		    (sa->hs->ccsa || sa->state < IKE_SA_ESTABLISHED))
			return true;
		for (const struct ike_acq *a = sa->acqs; a; a = a->next)
			if (a->reqid == reqid)
				return true;
	}
	return false;
}

/* An established IKE SA of c, else one we are setting up for it. */
static struct ike_sa *conn_sa(struct ike_engine *e, const struct ike_conn *c)
{
	struct ike_sa *setup = NULL;

	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->conn != c)
			continue;
		if (sa->state == IKE_SA_ESTABLISHED)
			return sa;
		if (!setup && sa->initiator && sa->state < IKE_SA_ESTABLISHED)
			setup = sa;
	}
	return setup;
}

uint64_t ike_engine_acquire(struct ike_engine *e, uint64_t now, const struct ike_conn *c,
			    unsigned ci, uint32_t reqid, const struct ike_ts *src,
			    const struct ike_ts *dst)
{
	struct ike_acq a = { .reqid = reqid, .ci = (uint8_t)ci };
	struct ike_acq *q;
	struct ike_sa *sa;
	uint64_t uid = 0;

	if (now > e->now)
		e->now = now;
	if (!c || ci >= c->n_children || !reqid) {
		ike_log(e, NULL, IKE_LOG_ERROR, "acquire for %s: no child config %u or no reqid",
			c ? c->name : "?", ci);
		return 0;
	}
	if (reqid_busy(e, reqid))
		return 0; /* one more ACQUIRE for a flow being handled */
	if (src) {
		a.pkt_ts[0] = *src;
		a.pkt_have |= 1;
	}
	if (dst) {
		a.pkt_ts[1] = *dst;
		a.pkt_have |= 2;
	}
	sa = conn_sa(e, c);
	if (!sa) {
		uid = ike_initiate(e, c, ci, &a);
		ike_log(e, NULL, IKE_LOG_INFO, "acquire for %s/%s (reqid %u): new IKE_SA %llu", c->name,
			c->children[ci].name, reqid, (unsigned long long)uid);
		ike_finish_input(e);
		return uid;
	}
	q = sa_alloc(sa, sizeof(*q));
	if (!q)
		return 0;
	*q = a;
	q->next = sa->acqs;
	sa->acqs = q;
	if (ike_queue_task(sa, TASK_ACQUIRE, reqid) != 0) {
		sa->acqs = q->next;
		sa_free(sa, q, sizeof(*q));
		ike_log(e, sa, IKE_LOG_ERROR, "acquire for %s (reqid %u): too many tasks queued",
			c->children[ci].name, reqid);
		return 0;
	}
	ike_log(e, sa, IKE_LOG_INFO, "acquire for %s (reqid %u): CHILD_SA on IKE_SA %llu%s",
		c->children[ci].name, reqid, (unsigned long long)sa->uid,
		sa->state == IKE_SA_ESTABLISHED ? "" : " once it is up");
	uid = sa->uid;
	ike_run_tasks(e, sa);
	ike_finish_input(e);
	return uid;
}

void acquire_run(struct ike_engine *e, struct ike_sa *sa, uint32_t reqid)
{
	struct ike_acq **pp = &sa->acqs, *a;
	struct ike_hs *hs;

	while (*pp && (*pp)->reqid != reqid)
		pp = &(*pp)->next;
	a = *pp;
	if (!a)
		return;
	*pp = a->next;
	hs = a->ci < sa->conn->n_children ? ike_hs_get(sa) : NULL;
	if (hs) {
		hs->ccsa = true;
		hs->child_cfg = a->ci;
		hs->child_group = child_pfs_group(&sa->conn->children[a->ci]);
		hs->reqid = a->reqid;
		hs->pkt_have = a->pkt_have;
		memcpy(hs->pkt_ts, a->pkt_ts, sizeof(hs->pkt_ts));
	}
	sa_free(sa, a, sizeof(*a));
	if (hs)
		rekey_send(e, sa);
}

void acquire_move(struct ike_sa *from, struct ike_sa *to)
{
	while (from->acqs) {
		struct ike_acq *a = from->acqs;

		from->acqs = a->next;
		a->next = to->acqs;
		to->acqs = a;
		from->mem -= sizeof(*a);
		to->mem += sizeof(*a);
	}
}

void acquire_free_all(struct ike_sa *sa)
{
	while (sa->acqs) {
		struct ike_acq *a = sa->acqs;

		sa->acqs = a->next;
		sa_free(sa, a, sizeof(*a));
	}
}

size_t acquire_ts(const struct ike_hs *hs, int which, const struct ike_ts *cfg, size_t n,
		  struct ike_ts *out)
{
	size_t k = 0;

	if (hs && (hs->pkt_have & (1u << which)))
		out[k++] = hs->pkt_ts[which];
	memcpy(out + k, cfg, n * sizeof(*cfg));
	return k + n;
}
