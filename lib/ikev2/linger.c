/* The kernel side of a CHILD SA rekey without packet loss (RFC 7296 §2.8
 * leaves the timing of the switch to the implementation).  Two rules:
 *
 * - The rekey's responder installs its new inbound SA when it answers but
 *   holds the new outbound SA back: the kernel sends on the newest
 *   outbound SA of a reqid at once, and the initiator installs its new
 *   inbound SA only when our answer arrives.  The initiator's Delete of
 *   the old CHILD SA proves it has it (it sends the Delete after the
 *   answer, window 1, §2.3), so the old CHILD SA going releases the held
 *   SA (linger_release_for, from child_remove).  Fallback: the initiator's
 *   retransmission span, by which it has our answer or has given up.
 *
 * - The old CHILD SA's outbound SA goes at once, its inbound SA stays for
 *   cfg.delete_rekeyed_delay_ms: the peer sends on its old outbound SA
 *   until it has processed the Delete, and packets are in flight.  When we
 *   sent the Delete the delay starts with its answer (a lost Delete keeps
 *   the peer on the old SA for the retransmissions), when the peer sent
 *   it, at once (it stopped sending before it sent the Delete).  Lingering
 *   SAs move with an IKE rekey; a Delete of ours still unanswered when its
 *   IKE SA went is sent again on the successor (TASK_REDELETE): the peer
 *   would otherwise stay on the old SA.  The IKE SA going takes them at
 *   once; ike_engine_free emits nothing; a kernel hard expiry forgets one.
 *   The DEL_SA keeps the ike_uid of the IKE SA it was made on (the kernel
 *   plugins delete by SPI). */
#include "ikev2/internal.h"

#include <string.h>

void linger_hold_out(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch,
		     const struct ike_kernel *add, uint32_t replaces)
{
	struct ike_held_out *h = sa_alloc(sa, sizeof(*h));

	if (!h) {
		ike_emit_kernel(e, add); /* no memory to wait: the old behaviour */
		return;
	}
	h->add = *add;
	h->replaces = replaces;
	h->at = e->now + ike_retransmit_span(sa->conn);
	ch->held = h;
	ch->out_never = true;
}

void linger_drop_out(struct ike_sa *sa, struct ike_child *ch)
{
	if (!ch->held)
		return;
	oc_wipe(ch->held, sizeof(*ch->held));
	sa_free(sa, ch->held, sizeof(*ch->held));
	ch->held = NULL;
}

static void release(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch,
		    const char *why)
{
	struct ike_kernel *k = &ch->held->add;

	/* The soft lifetime counts from now, as the SA starts now. */
	k->soft_seconds = ch->rekey_at > e->now ? (uint32_t)((ch->rekey_at - e->now + 999) / 1000)
			  : k->soft_seconds;
	ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u}: outbound SA %08x installed (%s)", ch->id,
		ch->spi_out, why);
	ike_emit_kernel(e, k);
	ch->out_never = false;
	linger_drop_out(sa, ch);
}

void linger_release_for(struct ike_engine *e, struct ike_sa *sa, uint32_t old_id)
{
	for (struct ike_child *ch = sa->children; ch; ch = ch->next)
		if (ch->held && ch->held->replaces == old_id)
			release(e, sa, ch, "the rekeyed CHILD_SA is gone");
}

bool linger_add(struct ike_engine *e, struct ike_sa *sa, const struct ike_kernel *del)
{
	struct ike_linger *l;

	if (!e->cfg.delete_rekeyed_delay_ms || sa->state == IKE_SA_DEAD)
		return false;
	l = sa_alloc(sa, sizeof(*l));
	if (!l)
		return false;
	l->del = *del;
	l->at = e->now + e->cfg.delete_rekeyed_delay_ms;
	l->next = sa->lingers;
	sa->lingers = l;
	return true;
}

void linger_wait_answer(struct ike_sa *sa, uint32_t spi)
{
	for (struct ike_linger *l = sa->lingers; l; l = l->next)
		if (l->del.spi == spi) {
			l->at = 0;
			l->wait_uid = sa->uid;
		}
}

void linger_orphaned(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *at = sa->successor ? ike_sa_by_uid(e, sa->successor) : NULL;

	for (int hops = 0; at && hops < 8; hops++) {
		bool queued = false;
		for (struct ike_linger *l = at->lingers; l; l = l->next) {
			if (l->at || l->wait_uid != sa->uid)
				continue;
			/* The peer keeps sending on the old SA until it has the
			 * Delete (its new outbound SA is held back for it). */
			if (at->state == IKE_SA_ESTABLISHED &&
			    ike_queue_task(at, TASK_REDELETE, l->del.spi) == 0) {
				l->wait_uid = 0;
				queued = true;
			} else {
				l->at = e->now + e->cfg.delete_rekeyed_delay_ms;
			}
		}
		if (queued)
			ike_run_tasks(e, at);
		at = at->successor ? ike_sa_by_uid(e, at->successor) : NULL;
	}
}

void linger_answered(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *at = sa;

	/* An IKE rekey may have moved them on while our Delete was out. */
	for (int hops = 0; at && hops < 8; hops++) {
		for (struct ike_linger *l = at->lingers; l; l = l->next)
			if (!l->at && l->wait_uid == sa->uid)
				l->at = e->now + e->cfg.delete_rekeyed_delay_ms;
		at = at->successor ? ike_sa_by_uid(e, at->successor) : NULL;
	}
}

static void emit_and_free(struct ike_engine *e, struct ike_sa *sa, struct ike_linger **pp)
{
	struct ike_linger *l = *pp;

	*pp = l->next;
	ike_emit_kernel(e, &l->del);
	sa_free(sa, l, sizeof(*l));
}

void linger_flush(struct ike_engine *e, struct ike_sa *sa)
{
	while (sa->lingers)
		emit_and_free(e, sa, &sa->lingers);
}

void linger_move(struct ike_sa *from, struct ike_sa *to)
{
	while (from->lingers) {
		struct ike_linger *l = from->lingers;
		from->lingers = l->next;
		l->next = to->lingers;
		to->lingers = l;
		from->mem -= sizeof(*l);
		to->mem += sizeof(*l);
	}
}

uint8_t linger_proto(const struct ike_sa *sa, uint32_t spi)
{
	for (const struct ike_linger *l = sa->lingers; l; l = l->next)
		if (l->del.spi == spi)
			return l->del.proto;
	return 0;
}

bool linger_forget(struct ike_engine *e, uint32_t spi, bool remove)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		for (struct ike_linger **pp = &sa->lingers; *pp; pp = &(*pp)->next)
			if ((*pp)->del.spi == spi) {
				struct ike_linger *l = *pp;
				if (!remove)
					return true;
				ike_log(e, sa, IKE_LOG_INFO, "lingering inbound SA %08x expired in the "
					"kernel", spi);
				*pp = l->next;
				sa_free(sa, l, sizeof(*l));
				return true;
			}
	return false;
}

void linger_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now)
{
	for (struct ike_linger **pp = &sa->lingers; *pp;) {
		if ((*pp)->at && now >= (*pp)->at)
			emit_and_free(e, sa, pp);
		else
			pp = &(*pp)->next;
	}
	for (struct ike_child *ch = sa->children; ch; ch = ch->next)
		if (ch->held && now >= ch->held->at)
			release(e, sa, ch, "no Delete of the rekeyed CHILD_SA came");
}

uint64_t linger_deadline(const struct ike_sa *sa)
{
	uint64_t t = UINT64_MAX;

	for (const struct ike_linger *l = sa->lingers; l; l = l->next)
		if (l->at && l->at < t)
			t = l->at;
	for (const struct ike_child *ch = sa->children; ch; ch = ch->next)
		if (ch->held && ch->held->at < t)
			t = ch->held->at;
	return t;
}

void linger_free_all(struct ike_sa *sa)
{
	while (sa->lingers) {
		struct ike_linger *l = sa->lingers;
		sa->lingers = l->next;
		sa_free(sa, l, sizeof(*l));
	}
}
