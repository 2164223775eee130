/* The engine's events (struct ike_event) on the daemon's side: log lines,
 * `ospreyctl watch` events, failure counters, the SA view's facts the
 * engine does not keep, and what a dead peer's connection does next
 * (dpd_action). */
#define _GNU_SOURCE
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine_priv.h"
#include "ike_names.h"
#include "ikev2_const.h"
#include "log.h"
#include "traps.h"

static enum log_level level_of(enum ike_log_level l)
{
	return l == IKE_LOG_ERROR ? LVL_ERROR : l == IKE_LOG_INFO ? LVL_INFO : LVL_DEBUG;
}

static void count_failure(struct engine_glue *g, uint16_t notify)
{
	struct osprey_stats *s = &g->d->stats;

	switch (notify) {
	case IKEV2_N_NO_PROPOSAL_CHOSEN: s->failures[FAIL_NO_PROPOSAL]++; break;
	case IKEV2_N_AUTHENTICATION_FAILED: s->failures[FAIL_AUTH]++; break;
	case IKEV2_N_TS_UNACCEPTABLE: s->failures[FAIL_TS_UNACCEPTABLE]++; break;
	case IKEV2_N_INVALID_KE_PAYLOAD: s->failures[FAIL_INVALID_KE]++; break;
	case IKEV2_N_INVALID_SYNTAX: s->failures[FAIL_INVALID_SYNTAX]++; break;
	default: s->failures[notify ? FAIL_INTERNAL : FAIL_TIMEOUT]++; break;
	}
}

static void note_child_up(struct engine_glue *g, const struct ike_event *ev)
{
	struct sa_meta *m = meta_get(g, ev->ike_uid, true);
	unsigned i = m->n_child < META_MAX_CHILDREN ? m->n_child++ : META_MAX_CHILDREN - 1;

	m->child[i].id = ev->child_id;
	m->child[i].up = time(NULL);
	m->child[i].name[0] = '\0';
	m->child[i].life = 0;
	m->child[i].in_packets = 0;
	if (ev->conn && ev->child_cfg >= 0 && ev->child_cfg < ev->conn->n_children) {
		const struct ike_child_cfg *cc = &ev->conn->children[ev->child_cfg];

		snprintf(m->child[i].name, sizeof(m->child[i].name), "%s", cc->name);
		m->child[i].life = cc->life_seconds;
	}
}

static void note_child_down(struct engine_glue *g, const struct ike_event *ev)
{
	struct sa_meta *m = meta_get(g, ev->ike_uid, false);

	for (unsigned i = 0; m && i < m->n_child; i++)
		if (m->child[i].id == ev->child_id) {
			m->child[i] = m->child[--m->n_child];
			return;
		}
}

static void our_proposals(const struct ike_conn *c, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < c->n_ike && off < len; i++) {
		char p[256];

		oc_proposal_format(&c->ike[i], p, sizeof(p));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", p);
	}
}

static void watch_event(struct engine_glue *g, const char *type, const struct ike_event *ev)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ike_sa", json_object_new_int64((int64_t)ev->ike_uid));
	if (ev->child_id)
		json_object_object_add(o, "child_sa", json_object_new_int64(ev->child_id));
	if (ev->conn)
		json_object_object_add(o, "conn", json_object_new_string(ev->conn->name));
	if (ev->notify)
		json_object_object_add(o, "notify", json_object_new_string(
			ikev2_notify_name(ev->notify)));
	if (ev->old_ike_uid) /* a rekey: the IKE SA it replaces */
		json_object_object_add(o, "rekeyed_ike_sa",
				       json_object_new_int64((int64_t)ev->old_ike_uid));
	if (ev->old_child_id)
		json_object_object_add(o, "rekeyed_child_sa",
				       json_object_new_int64(ev->old_child_id));
	json_object_object_add(o, "message", json_object_new_string(ev->text));
	daemon_event(g->d, type, o);
}

static void start_pending_child(struct engine_glue *g, uint64_t uid)
{
	struct sa_meta *m = meta_get(g, uid, false);

	if (m && m->pending_child >= 0) {
		unsigned ci = (unsigned)m->pending_child;

		m->pending_child = -1;
		if (ike_engine_create_child(g->e, glue_now(), uid, ci))
			olog(LOG_CHILD, LVL_ERROR, "IKE SA %" PRIu64 ": cannot start CHILD SA %u", uid,
			     ci);
	}
}

static struct mapped_conn *mapped_of(struct engine_glue *g, const struct ike_conn *c)
{
	for (size_t i = 0; c && i < g->n_conns; i++)
		if (&g->conns[i]->ike == c)
			return g->conns[i];
	return NULL;
}

/* The engine ended an IKE SA because DPD found the peer dead: each child's
 * dpd_action (clear: nothing more; trap: a trap brings it back on traffic;
 * restart: initiate again now, once for the whole conn). */
static void dead_peer(struct engine_glue *g, const struct ike_event *ev)
{
	struct mapped_conn *m = mapped_of(g, ev->conn);
	bool restarted = false;
	char err[256];

	if (!m || m->retired || !ev->dead_peer)
		return;
	for (unsigned ci = 0; ci < m->ike.n_children; ci++) {
		if (m->dpd_action[ci] == DPD_TRAP)
			trap_install(g, m, ci);
		else if (m->dpd_action[ci] == DPD_RESTART && !restarted) {
			restarted = true;
			olog(LOG_IKE, LVL_NOTICE, "connection %s: peer dead, restarting (dpd_action "
			     "= restart)", m->ike.name);
			if (glue_start_conn(g, m, (int)ci, err, sizeof(err)))
				olog(LOG_IKE, LVL_ERROR, "cannot restart %s: %s", m->ike.name, err);
		}
	}
}

void glue_event(struct engine_glue *g, const struct ike_event *ev)
{
	struct log_ctx ctx = { .conn = ev->conn ? ev->conn->name : NULL, .ike_sa = ev->ike_uid };
	char ours[600];

	vip_on_event(g, ev); /* virtual IPs (vip.c) */
	switch (ev->kind) {
	case IKE_EV_VIP:
		olog_ctx(LOG_IKE, LVL_NOTICE, &ctx, "%s", ev->text);
		break;
	case IKE_EV_LOG:
		olog_ctx(LOG_IKE, level_of(ev->level), &ctx, "%s", ev->text);
		break;
	case IKE_EV_IKE_UP:
		if (ev->old_ike_uid)
			meta_rekeyed(g, ev->old_ike_uid, ev->ike_uid);
		meta_get(g, ev->ike_uid, true)->up = time(NULL);
		olog_ctx(LOG_IKE, LVL_NOTICE, &ctx, "%s", ev->text);
		watch_event(g, "ike-up", ev);
		start_pending_child(g, ev->ike_uid);
		break;
	case IKE_EV_IKE_DOWN:
		meta_drop(g, ev->ike_uid);
		olog_ctx(LOG_IKE, LVL_NOTICE, &ctx, "%s", ev->text);
		watch_event(g, "ike-down", ev);
		if (!g->shutdown_done)
			dead_peer(g, ev);
		break;
	case IKE_EV_IKE_FAILED:
		count_failure(g, ev->notify);
		if (ev->notify == IKEV2_N_AUTHENTICATION_FAILED)
			olog_ctx(LOG_IKE, LVL_ERROR, &ctx, "%s: AUTHENTICATION_FAILED: %s",
				 ctx.conn ? ctx.conn : "-", ev->text);
		else if (ev->notify == IKEV2_N_NO_PROPOSAL_CHOSEN && ev->conn) {
			/* The responder's line lists both sides; as initiator
			 * only ours is known. */
			our_proposals(ev->conn, ours, sizeof(ours));
			olog_ctx(LOG_IKE, LVL_ERROR, &ctx, "%s: NO_PROPOSAL_CHOSEN: the peer accepted "
				 "none of our proposals: %s", ev->conn->name, ours);
		} else
			olog_ctx(LOG_IKE, LVL_ERROR, &ctx, "IKE SA failed%s%s: %s",
				 ev->notify ? ": " : "", ev->notify ? ikev2_notify_name(ev->notify) : "",
				 ev->text);
		watch_event(g, "ike-failed", ev);
		break;
	case IKE_EV_CHILD_UP:
		note_child_up(g, ev);
		olog_ctx(LOG_CHILD, LVL_NOTICE, &ctx, "%s", ev->text);
		watch_event(g, "child-up", ev);
		break;
	case IKE_EV_CHILD_DOWN:
		note_child_down(g, ev);
		olog_ctx(LOG_CHILD, LVL_NOTICE, &ctx, "%s", ev->text);
		watch_event(g, "child-down", ev);
		break;
	case IKE_EV_CHILD_FAILED:
		count_failure(g, ev->notify);
		olog_ctx(LOG_CHILD, LVL_ERROR, &ctx, "CHILD SA failed%s%s: %s",
			 ev->notify ? ": " : "", ev->notify ? ikev2_notify_name(ev->notify) : "",
			 ev->text);
		watch_event(g, "child-failed", ev);
		break;
	}
}
