/* Dead peer detection (§1.4, strongSwan's dpd_delay): an established IKE
 * SA that has heard nothing authentic from its peer for conn->dpd_delay_ms
 * sends an empty INFORMATIONAL.  An unanswered one ends the IKE SA after
 * the usual retransmissions (msg.c: IKE_FAILED and IKE_DOWN "dead peer",
 * the CHILD SAs' kernel state deleted).  One timestamp per SA
 * (sa->last_recv, set for every message that passes the integrity check);
 * no timer of its own: the deadline is derived when asked. */
#include "ikev2/internal.h"

static bool dpd_queued(const struct ike_sa *sa)
{
	for (unsigned i = 0; i < sa->ntasks; i++)
		if (sa->tasks[i].kind == TASK_DPD)
			return true;
	return false;
}

/* A request of ours in flight already checks liveness (its retransmits
 * end a dead SA), so no DPD then; nor twice in the queue. */
uint64_t dpd_deadline(const struct ike_sa *sa)
{
	uint32_t d = sa->conn->dpd_delay_ms;

	if (!d || sa->state != IKE_SA_ESTABLISHED || sa->req || dpd_queued(sa))
		return UINT64_MAX;
	return sa->last_recv + d;
}

void ike_engine_peer_traffic(struct ike_engine *e, uint64_t now, uint64_t ike_uid)
{
	struct ike_sa *sa;

	if (now > e->now)
		e->now = now;
	sa = ike_sa_by_uid(e, ike_uid);
	/* ESP from the peer proves it alive as well as an IKE message does
	 * (RFC 7296 §1.4 only asks for a check when nothing was heard). */
	if (sa && sa->state == IKE_SA_ESTABLISHED && e->now > sa->last_recv)
		sa->last_recv = e->now;
	ike_finish_input(e);
}

void dpd_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now)
{
	if (now < dpd_deadline(sa))
		return;
	ike_log(e, sa, IKE_LOG_DEBUG, "nothing from the peer for %u ms: liveness check",
		sa->conn->dpd_delay_ms);
	/* Once answered, last_recv moves on; until then sa->req (or the
	 * queued task) holds the deadline back. */
	ike_queue_task(sa, TASK_DPD, 0);
	ike_run_tasks(e, sa);
}
