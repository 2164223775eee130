/* The conn set (added, removed, replaced on reload: engine.h) and locally
 * started tasks: requests waiting for the window (§2.3), initiated by the
 * caller (CREATE_CHILD_SA, Delete, liveness check). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int ike_engine_add_conn(struct ike_engine *e, const struct ike_conn *c)
{
	const struct ike_conn **n = realloc(e->conns, (e->nconns + 1) * sizeof(*n));

	if (!n)
		return -1;
	n[e->nconns++] = c;
	e->conns = n;
	return 0;
}


/* ---- tasks: local requests waiting for the window (§2.3) ---- */

int ike_queue_task(struct ike_sa *sa, uint8_t kind, uint32_t arg)
{
	if (sa->ntasks >= sizeof(sa->tasks) / sizeof(sa->tasks[0]))
		return -1;
	for (unsigned i = 0; i < sa->ntasks; i++)
		if ((kind == TASK_REKEY_CHILD || kind == TASK_REKEY_IKE || kind == TASK_ACQUIRE) &&
		    sa->tasks[i].kind == kind && sa->tasks[i].arg == arg)
			return 0; /* already queued */
	sa->tasks[sa->ntasks].kind = kind;
	sa->tasks[sa->ntasks].arg = arg;
	sa->ntasks++;
	return 0;
}

void ike_run_tasks(struct ike_engine *e, struct ike_sa *sa)
{
	while (sa->state == IKE_SA_ESTABLISHED && !sa->req && sa->ntasks &&
	       !(sa->hs && sa->hs->ccsa)) {
		uint8_t kind = sa->tasks[0].kind;
		uint32_t arg = sa->tasks[0].arg;

		if (kind == TASK_REKEY_IKE && sa->rhs)
			break; /* after the peer's CREATE_CHILD_SA being answered */

		memmove(&sa->tasks[0], &sa->tasks[1], (size_t)(sa->ntasks - 1) * sizeof(sa->tasks[0]));
		sa->ntasks--;
		switch (kind) {
		case TASK_CREATE_CHILD:
			ccsa_send_request(e, sa, arg);
			break;
		case TASK_DELETE_CHILD:
			info_send_delete_child(e, sa, arg);
			break;
		case TASK_DELETE_IKE:
			info_send_delete_ike(e, sa);
			break;
		case TASK_DPD:
			info_send_empty(e, sa);
			break;
		case TASK_REKEY_CHILD:
			rekey_child_start(e, sa, arg);
			break;
		case TASK_REKEY_IKE:
			rekey_ike_start(e, sa);
			break;
		case TASK_ACQUIRE:
			acquire_run(e, sa, arg);
			break;
		}
	}
}


static struct ike_sa *established(struct ike_engine *e, uint64_t now, uint64_t uid)
{
	struct ike_sa *sa;

	if (now > e->now)
		e->now = now;
	sa = ike_sa_by_uid(e, uid);
	return sa && sa->state == IKE_SA_ESTABLISHED ? sa : NULL;
}

static int task(struct ike_engine *e, uint64_t now, uint64_t uid, uint8_t kind, uint32_t arg)
{
	struct ike_sa *sa = established(e, now, uid);
	int rc;

	if (!sa)
		return -1;
	rc = ike_queue_task(sa, kind, arg);
	ike_run_tasks(e, sa);
	ike_finish_input(e);
	return rc;
}

int ike_engine_create_child(struct ike_engine *e, uint64_t now, uint64_t uid, unsigned ci)
{
	struct ike_sa *sa = ike_sa_by_uid(e, uid);

	if (!sa || ci >= sa->conn->n_children)
		return -1;
	return task(e, now, uid, TASK_CREATE_CHILD, ci);
}

int ike_engine_delete_child(struct ike_engine *e, uint64_t now, uint64_t uid, uint32_t child_id)
{
	return task(e, now, uid, TASK_DELETE_CHILD, child_id);
}

int ike_engine_delete_ike(struct ike_engine *e, uint64_t now, uint64_t uid)
{
	return task(e, now, uid, TASK_DELETE_IKE, 0);
}

int ike_engine_dpd(struct ike_engine *e, uint64_t now, uint64_t uid)
{
	return task(e, now, uid, TASK_DPD, 0);
}

int ike_engine_rekey_child(struct ike_engine *e, uint64_t now, uint64_t uid, uint32_t child_id)
{
	struct ike_sa *sa = ike_sa_by_uid(e, uid);
	struct ike_child *ch = sa ? child_by_id(sa, child_id) : NULL;

	if (!ch || ch->superseded || ch->failed)
		return -1;
	return task(e, now, uid, TASK_REKEY_CHILD, child_id);
}

int ike_engine_rekey_ike(struct ike_engine *e, uint64_t now, uint64_t uid)
{
	return task(e, now, uid, TASK_REKEY_IKE, 0);
}

/* ---- reload ---- */

static ssize_t conn_index(const struct ike_engine *e, const struct ike_conn *c)
{
	for (size_t i = 0; i < e->nconns; i++)
		if (e->conns[i] == c)
			return (ssize_t)i;
	return -1;
}

static bool uses_conn(const struct ike_sa *sa, const struct ike_conn *c)
{
	return sa->state != IKE_SA_DEAD &&
	       (sa->conn == c || (sa->hs && sa->hs->auth_conn == c));
}

int ike_engine_remove_conn(struct ike_engine *e, uint64_t now, const struct ike_conn *c)
{
	ssize_t i = conn_index(e, c);
	int n = 0;

	if (i < 0)
		return -1;
	if (now > e->now)
		e->now = now;
	memmove(&e->conns[i], &e->conns[i + 1], (e->nconns - (size_t)i - 1) * sizeof(*e->conns));
	e->nconns--;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (!uses_conn(sa, c))
			continue;
		n++;
		if (sa->state == IKE_SA_DELETING)
			continue; /* its Delete is on the way */
		if (sa->state != IKE_SA_ESTABLISHED) {
			ike_log(e, sa, IKE_LOG_INFO, "connection %s removed: IKE_SA being set up "
				"dropped", c->name);
			ike_sa_destroy(e, sa, "connection removed");
			continue;
		}
		/* The Delete replaces whatever else was waiting: a CREATE_CHILD_SA
		 * in flight is answered or times out, then the Delete goes. */
		ike_log(e, sa, IKE_LOG_INFO, "connection %s removed: deleting its IKE_SA", c->name);
		sa->ntasks = 0;
		ike_queue_task(sa, TASK_DELETE_IKE, 0);
		ike_run_tasks(e, sa);
	}
	ike_finish_input(e);
	return n;
}

int ike_engine_replace_conn(struct ike_engine *e, const struct ike_conn *old,
			    const struct ike_conn *nc)
{
	ssize_t i = conn_index(e, old);

	if (i < 0)
		return -1;
	if (nc) {
		e->conns[i] = nc;
	} else {
		memmove(&e->conns[i], &e->conns[i + 1],
			(e->nconns - (size_t)i - 1) * sizeof(*e->conns));
		e->nconns--;
	}
	return 0;
}

size_t ike_engine_conn_refs(const struct ike_engine *e, const struct ike_conn *c)
{
	size_t n = 0;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next)
		n += uses_conn(sa, c);
	return n;
}
