/* The engine on the event loop (engine_glue.h).
 *
 * Every input (a datagram, the timer, a finished crypto job, a control
 * command) is handed to the engine with the monotonic time, then drain()
 * polls every output: datagrams go to ike_io, kernel actions to the kernel
 * backend (an SPI comes straight back as an input), crypto jobs to the
 * workers, events to the log, the watchers and the counters.  Last, the
 * timer is re-armed to ike_engine_next_timer(). */
#define _GNU_SOURCE
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine_glue.h"
#include "engine_priv.h"
#include "pool.h"
#include "ike_names.h"
#include "ikev2_const.h"
#include "log.h"
#include "traps.h"
#include "util.h"

static const struct engine_ops glue_ops;

uint64_t glue_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void drain(struct engine_glue *g);
static void reap_conns(struct engine_glue *g);

static void arm_timer(struct engine_glue *g)
{
	uint64_t next = ike_engine_next_timer(g->e), now = glue_now(), ms;
	struct timeval tv;

	if (next == UINT64_MAX) {
		evtimer_del(g->timer);
		return;
	}
	ms = next > now ? next - now : 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(g->timer, &tv);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct engine_glue *g = arg;

	ike_engine_tick(g->e, glue_now());
	drain(g);
}

static void on_datagram(void *arg, const struct ike_endpoint *local,
			const struct ike_endpoint *remote, const uint8_t *buf, size_t len)
{
	struct engine_glue *g = arg;

	ike_engine_recv(g->e, glue_now(), local, remote, buf, len);
	drain(g);
}

static void on_job_done(struct ike_job *job, void *arg)
{
	struct engine_glue *g = arg;

	ike_engine_job_done(g->e, glue_now(), job);
	drain(g);
}

/* ---- kernel actions ---- */

static void do_kernel(struct engine_glue *g, const struct ike_kernel *k)
{
	char err[256] = "";
	uint32_t spi = 0;
	int rc = 0;

	switch (k->op) {
	case IKE_KERNEL_GET_SPI:
		rc = g->kops->get_spi(g->kctx, k, &spi, err, sizeof(err));
		if (rc == 0)
			ike_engine_kernel_spi(g->e, glue_now(), k->req, spi);
		else /* the engine gives the half-made CHILD SA up, tells the peer */
			ike_engine_kernel_spi_error(g->e, glue_now(), k->req, err);
		break;
	case IKE_KERNEL_ADD_SA:
		rc = g->kops->add_sa(g->kctx, k, err, sizeof(err));
		break;
	case IKE_KERNEL_DEL_SA:
		rc = g->kops->del_sa(g->kctx, k, err, sizeof(err));
		break;
	case IKE_KERNEL_ADD_POLICY:
		rc = g->kops->add_policy(g->kctx, k, err, sizeof(err));
		break;
	case IKE_KERNEL_DEL_POLICY:
		rc = g->kops->del_policy(g->kctx, k, err, sizeof(err));
		break;
	}
	if (!rc)
		return;
	olog(LOG_KERNEL, LVL_ERROR, "kernel-%s: %s (IKE SA %" PRIu64 ", CHILD SA %u)",
	     g->kops->name, err, k->ike_uid, k->child_id);
	/* A CHILD SA the kernel did not fully take is worse than none: the
	 * engine deletes it and tells the peer (other SAs are untouched). */
	if ((k->op == IKE_KERNEL_ADD_SA || k->op == IKE_KERNEL_ADD_POLICY) && k->ike_uid)
		ike_engine_kernel_sa_error(g->e, glue_now(), k->ike_uid, k->child_id, err);
}

/* Kernel events (kernel_ops.read_events): expiries reach the engine. */
static void kernel_event_cb(void *arg, const struct kernel_event *ev)
{
	struct engine_glue *g = arg;

	switch (ev->kind) {
	case KERNEL_EV_SOFT_EXPIRE: /* rekey (the engine ignores SAs rekeyed already) */
		olog(LOG_KERNEL, LVL_DEBUG, "kernel-%s: soft expiry of SA %08x", g->kops->name,
		     ev->spi);
		ike_engine_kernel_soft_expire(g->e, glue_now(), ev->spi);
		break;
	case KERNEL_EV_HARD_EXPIRE:
		olog(LOG_KERNEL, LVL_INFO, "kernel-%s: hard expiry of SA %08x: deleting its CHILD SA",
		     g->kops->name, ev->spi);
		ike_engine_kernel_expire(g->e, glue_now(), ev->spi);
		break;
	case KERNEL_EV_ACQUIRE:
		if (!traps_acquire(g, ev))
			olog(LOG_KERNEL, LVL_INFO, "kernel-%s: acquire for reqid %u: no trap of a "
			     "loaded connection has it (removed by a reload?)", g->kops->name,
			     ev->reqid);
		break;
	}
}

static void on_kernel_events(evutil_socket_t fd, short what, void *arg)
{
	struct engine_glue *g = arg;

	g->kops->read_events(g->kctx, kernel_event_cb, g);
	drain(g);
}

/* ---- the drain loop ---- */

static void drain(struct engine_glue *g)
{
	struct ike_out *o;

	/* An SPI answer or a job run inline re-enters the engine, which only
	 * queues more outputs: this loop picks them up. */
	if (g->draining)
		return;
	g->draining = true;
	while ((o = ike_engine_poll(g->e))) {
		switch (o->kind) {
		case IKE_OUT_SEND:
			if (g->io)
				ike_io_send(g->io, &o->u.send.local, &o->u.send.remote, o->u.send.data,
					    o->u.send.len);
			break;
		case IKE_OUT_KERNEL:
			do_kernel(g, &o->u.kernel);
			break;
		case IKE_OUT_JOB:
			workers_submit(g->w, o->u.job);
			break;
		case IKE_OUT_EVENT:
			glue_event(g, &o->u.event);
			break;
		}
		ike_out_free(o);
	}
	g->draining = false;
	arm_timer(g);
	reap_conns(g);
	if (g->shutdown_done && ike_engine_sa_count(g->e) == 0) {
		void (*done)(void *) = g->shutdown_done;

		g->shutdown_done = NULL;
		done(g->shutdown_arg);
	}
}

/* ---- connections ---- */

static struct mapped_conn *find_conn(struct engine_glue *g, const char *name)
{
	for (size_t i = g->n_conns; i-- > 0;)
		if (!g->conns[i]->retired && !strcmp(g->conns[i]->ike.name, name))
			return g->conns[i];
	return NULL;
}

/* Maps cn and gives it to the engine, in old's place when old is the
 * previous version of a changed conn.  0 or -1 (logged). */
static int add_conn(struct engine_glue *g, const struct conf_conn *cn, struct mapped_conn *old)
{
	struct mapped_conn *m = xcalloc(1, sizeof(*m));
	char err[512];
	int rc;

	if (conn_map(g->d->cfg, cn, m, err, sizeof(err))) {
		olog(LOG_CFG, LVL_WARNING, "connection %s is not loaded into the IKE engine: %s",
		     cn->name, err);
		mapped_conn_wipe(m);
		free(m);
		return -1;
	}
	rc = old && ike_engine_replace_conn(g->e, &old->ike, &m->ike) == 0 ? 0
		: ike_engine_add_conn(g->e, &m->ike);
	if (rc) {
		olog(LOG_CFG, LVL_ERROR, "connection %s: the engine refused it", cn->name);
		mapped_conn_wipe(m);
		free(m);
		return -1;
	}
	g->conns = xrealloc(g->conns, (g->n_conns + 1) * sizeof(*g->conns));
	g->conns[g->n_conns++] = m;
	/* The new traps first, then the old version's: the policies are
	 * never missing in between (the backend counts both as owners). */
	traps_install(g, m);
	if (old)
		traps_remove(g, old);
	olog(LOG_CFG, LVL_DEBUG, "connection %s %s the IKE engine", cn->name,
	     old ? "replaced in" : "loaded into");
	return 0;
}

/* Frees retired conns no SA uses any more (a crypto job out at a worker
 * may still read one: wait until none is). */
static void reap_conns(struct engine_glue *g)
{
	size_t k = 0;

	if (workers_pending(g->w))
		return;
	for (size_t i = 0; i < g->n_conns; i++) {
		struct mapped_conn *m = g->conns[i];

		if (m->retired && ike_engine_conn_refs(g->e, &m->ike) == 0) {
			olog(LOG_CFG, LVL_DEBUG, "connection %s: old version freed", m->ike.name);
			mapped_conn_wipe(m);
			free(m);
		} else {
			g->conns[k++] = m;
		}
	}
	g->n_conns = k;
}

struct sa_pick {
	const struct ike_conn *conn;	/* NULL: any */
	const struct strv *names;	/* NULL: any */
	bool established;
	uint64_t *uids;
	size_t n;
	bool first_only;
};

static int pick_sa(void *ctx, const struct ike_sa_info *si, const struct ike_child_info *ch,
		   unsigned n)
{
	struct sa_pick *p = ctx;

	if ((p->conn && si->conn != p->conn) || (p->established && si->state != IKE_SA_ESTABLISHED) ||
	    (p->names && !(si->conn && strv_contains(p->names, si->conn->name))))
		return 0;
	p->uids = xrealloc(p->uids, (p->n + 1) * sizeof(*p->uids));
	p->uids[p->n++] = si->uid;
	return p->first_only;
}

static uint64_t established_sa_of(struct engine_glue *g, const struct ike_conn *c)
{
	struct sa_pick p = { .conn = c, .established = true, .first_only = true };
	uint64_t uid;

	ike_engine_foreach_sa(g->e, pick_sa, &p);
	uid = p.n ? p.uids[0] : 0;
	free(p.uids);
	return uid;
}

int glue_start_conn(struct engine_glue *g, struct mapped_conn *m, int ci, char *err,
		    size_t errlen)
{
	uint64_t uid;

	/* A trapped child starts as its trap would: with the trap's reqid,
	 * so its SAs serve the trap's policies (and a second start while it
	 * is up or under way does nothing). */
	if (ci >= 0 && ci < m->ike.n_children && m->trap_reqid[ci]) {
		uid = ike_engine_acquire(g->e, glue_now(), &m->ike, (unsigned)ci,
					 m->trap_reqid[ci], NULL, NULL);
		drain(g);
		if (!uid) {
			snprintf(err, errlen, "child %s is up or being negotiated already",
				 m->ike.children[ci].name);
			return -1;
		}
		return 0;
	}
	/* An additional child goes into an established IKE SA of this
	 * version of the conn (after a reload changed it, the old version's
	 * SAs keep the old settings: a new IKE SA brings the new ones). */
	if (ci > 0 && (uid = established_sa_of(g, &m->ike))) {
		if (ike_engine_create_child(g->e, glue_now(), uid, (unsigned)ci)) {
			snprintf(err, errlen, "IKE SA %" PRIu64 " cannot start a CHILD SA now", uid);
			return -1;
		}
		drain(g);
		return 0;
	}
	if (!m->ike.remote.family) {
		snprintf(err, errlen, "remote_addrs is %%any: there is no peer to initiate to");
		return -1;
	}
	uid = ike_engine_initiate(g->e, glue_now(), &m->ike);
	if (!uid) {
		snprintf(err, errlen, "the engine could not start an IKE SA");
		drain(g);
		return -1;
	}
	if (ci > 0)
		meta_get(g, uid, true)->pending_child = ci;
	drain(g);
	return 0;
}

/* ---- engine_ops ---- */

static int op_initiate(void *ctx, const struct conf_conn *conn, const char *child, char *err,
		       size_t errlen)
{
	struct engine_glue *g = ctx;
	struct mapped_conn *m = find_conn(g, conn->name);
	int ci = 0;

	if (!m) {
		snprintf(err, errlen, "the connection is not loaded into the IKE engine (see the log)");
		return -1;
	}
	if (child && (ci = conn_child_index(&m->ike, child)) < 0) {
		snprintf(err, errlen, "no child '%s'", child);
		return -1;
	}
	return glue_start_conn(g, m, ci, err, errlen);
}

static int op_terminate(void *ctx, uint64_t ike_sa, char *err, size_t errlen)
{
	struct engine_glue *g = ctx;
	int rc = ike_engine_delete_ike(g->e, glue_now(), ike_sa);

	drain(g);
	if (rc)
		snprintf(err, errlen, "not established (cannot send a delete now)");
	return rc ? -1 : 0;
}

static int op_rekey(void *ctx, uint64_t ike_sa, char *err, size_t errlen)
{
	struct engine_glue *g = ctx;
	int rc = ike_engine_rekey_ike(g->e, glue_now(), ike_sa);

	drain(g);
	if (rc)
		snprintf(err, errlen, "not established (cannot rekey it now)");
	return rc ? -1 : 0;
}

static int op_rekey_children(void *ctx, uint64_t ike_sa, char *err, size_t errlen)
{
	struct engine_glue *g = ctx;
	struct ike_child_info ci;
	uint32_t ids[64];
	unsigned n = 0;
	int rc = 0;

	for (unsigned i = 0; n < 64 && ike_engine_child_info(g->e, ike_sa, i, &ci) == 0; i++)
		if (!ci.superseded)
			ids[n++] = ci.id;
	if (!n) {
		snprintf(err, errlen, "no CHILD SA to rekey");
		return -1;
	}
	for (unsigned i = 0; i < n && rc == 0; i++)
		rc = ike_engine_rekey_child(g->e, glue_now(), ike_sa, ids[i]);
	drain(g);
	if (rc)
		snprintf(err, errlen, "not established (cannot rekey its CHILD SAs now)");
	return rc ? -1 : 0;
}

static void delete_all(struct engine_glue *g)
{
	struct sa_pick p = { .established = false };

	ike_engine_foreach_sa(g->e, pick_sa, &p);
	for (size_t i = 0; i < p.n; i++)
		ike_engine_delete_ike(g->e, glue_now(), p.uids[i]);
	free(p.uids);
	drain(g);
}

/* Removed conns: the engine deletes their IKE SAs (the peer is told) and
 * stops answering for them; unrelated SAs are not touched. */
static void op_conns_removed(void *ctx, const struct strv *names)
{
	struct engine_glue *g = ctx;

	for (size_t i = 0; i < g->n_conns; i++) {
		struct mapped_conn *m = g->conns[i];
		int n;

		if (m->retired || !strv_contains(names, m->ike.name))
			continue;
		m->retired = true;
		traps_remove(g, m);
		n = ike_engine_remove_conn(g->e, glue_now(), &m->ike);
		olog(LOG_CFG, LVL_NOTICE, "connection %s removed: %d IKE SA%s deleted", m->ike.name,
		     n < 0 ? 0 : n, n == 1 ? "" : "s");
	}
	drain(g);
}

/* Added conns are loaded; a changed conn's new version takes the old one's
 * place in the engine (new SAs use it) while the old version's SAs keep
 * running until they end (then reap_conns frees it). */
static void op_reloaded(void *ctx, const struct conf_diff *diff)
{
	struct engine_glue *g = ctx;

	for (size_t i = 0; i < diff->added.n; i++)
		add_conn(g, conf_find_conn(g->d->cfg, diff->added.v[i]), NULL);
	for (size_t i = 0; i < diff->changed.n; i++) {
		struct mapped_conn *old = find_conn(g, diff->changed.v[i]);

		if (old)
			old->retired = true;
		if (add_conn(g, conf_find_conn(g->d->cfg, diff->changed.v[i]), old) && old) {
			/* The new version cannot be loaded: the old one stops
			 * answering (and trapping); its SAs run until they end. */
			ike_engine_replace_conn(g->e, &old->ike, NULL);
			traps_remove(g, old);
		}
	}
	reap_conns(g);
}

static void op_shutdown(void *ctx, void (*done)(void *arg), void *arg)
{
	struct engine_glue *g = ctx;

	g->shutdown_done = done;
	g->shutdown_arg = arg;
	for (size_t i = 0; i < g->n_conns; i++)
		traps_remove(g, g->conns[i]);
	delete_all(g);
}

/* The engine's counters into the daemon's (stats.h). */
static void fill_stats(struct engine_glue *g)
{
	static const enum stat_drop drop_map[IKE_DROP_COUNT] = {
		[IKE_DROP_MALFORMED] = DROP_MALFORMED, [IKE_DROP_UNKNOWN_SPI] = DROP_UNKNOWN_SPI,
		[IKE_DROP_INTEGRITY] = DROP_INTEGRITY, [IKE_DROP_WRONG_STATE] = DROP_WRONG_STATE,
		[IKE_DROP_TOO_LARGE] = DROP_TOO_LARGE,
		[IKE_DROP_HALF_OPEN_LIMIT] = DROP_RATE_LIMITED,
		[IKE_DROP_BAD_COOKIE] = DROP_BAD_COOKIE,
	};
	struct osprey_stats *s = &g->d->stats;
	struct ike_engine_stats es;

	ike_engine_get_stats(g->e, &es);
	for (int i = 0; i < IKE_XS_COUNT; i++) {
		/* enum stat_exchange lists the IKEv2 exchanges in the same order */
		s->initiated[EX_IKE_SA_INIT + i] = es.initiated[i];
		s->responded[EX_IKE_SA_INIT + i] = es.responded[i];
		s->exchanges[EX_IKE_SA_INIT + i] = es.initiated[i] + es.responded[i];
	}
	memset(s->dropped, 0, sizeof(s->dropped));
	for (int i = 0; i < IKE_DROP_COUNT; i++)
		s->dropped[drop_map[i]] += es.dropped[i];
	s->retransmits = es.retransmits;
	s->cookies_sent = es.cookies_sent;
	s->responses_resent = es.responses_resent;
}

static void op_refresh(void *ctx)
{
	glue_refresh_view(ctx);
	fill_stats(ctx);
}

static json_object *op_kernel_list(void *ctx)
{
	struct engine_glue *g = ctx;

	return g->kops->list(g->kctx);
}

static json_object *op_status(void *ctx)
{
	struct engine_glue *g = ctx;
	json_object *o = json_object_new_object();
	char socks[256] = "";

	if (g->io) {
		const struct ike_io_stats *s = ike_io_stats(g->io);

		ike_io_describe(g->io, socks, sizeof(socks));
		json_object_object_add(o, "datagrams_in", json_object_new_int64((int64_t)s->rx));
		json_object_object_add(o, "datagrams_out", json_object_new_int64((int64_t)s->tx));
		json_object_object_add(o, "send_errors", json_object_new_int64((int64_t)s->tx_errors));
	}
	json_object_object_add(o, "sockets", json_object_new_string(socks));
	json_object_object_add(o, "kernel_backend", json_object_new_string(g->kops->name));
	json_object_object_add(o, "crypto_threads",
			       json_object_new_int64(workers_threads(g->w)));
	json_object_object_add(o, "crypto_jobs_pending",
			       json_object_new_int64((int64_t)workers_pending(g->w)));
	json_object_object_add(o, "half_open",
			       json_object_new_int64((int64_t)ike_engine_half_open(g->e)));
	json_object_object_add(o, "memory", json_object_new_int64((int64_t)ike_engine_memory(g->e)));
	return o;
}

static const struct engine_ops glue_ops = {
	.initiate = op_initiate,
	.terminate = op_terminate,
	.rekey = op_rekey,
	.rekey_children = op_rekey_children,
	.conns_removed = op_conns_removed,
	.reloaded = op_reloaded,
	.shutdown = op_shutdown,
	.refresh = op_refresh,
	.kernel_list = op_kernel_list,
	.status = op_status,
};

/* ---- start and stop ---- */

int engine_glue_start(struct ospreyd *d)
{
	const struct conf_kernel *kc = &d->cfg->kernel;
	struct engine_glue *g;
	struct ike_engine_cfg ec;
	char err[512];

	if (!kernel_backend(kc->backend)) {
		olog(LOG_KERNEL, LVL_ERROR, "kernel backend '%s' is not in this build (there are "
		     "\"xfrm\" and \"dryrun\"): the IKE engine is not started", kc->backend);
		return -1;
	}
	g = xcalloc(1, sizeof(*g));
	g->d = d;
	g->kops = kernel_backend(kc->backend);
	g->kctx = g->kops->open(kc, err, sizeof(err));
	if (!g->kctx) {
		olog(LOG_KERNEL, LVL_ERROR, "kernel-%s: %s", g->kops->name, err);
		free(g);
		return -1;
	}
	ike_engine_cfg_init(&ec);
	ec.natt_port = d->cfg->daemon.nat_port;
	g->e = ike_engine_new(&ec);
	g->timer = evtimer_new(d->base, on_timer, g);
	g->w = workers_new(d->base, 0, on_job_done, g, err, sizeof(err));
	if (!g->e || !g->timer || !g->w) {
		olog(LOG_IKE, LVL_ERROR, "cannot start the IKE engine: %s",
		     !g->w ? err : "out of memory");
		d->engine_ctx = g;
		engine_glue_free(d);
		return -1;
	}
	if (g->kops->event_fd && g->kops->read_events) {
		int kfd = g->kops->event_fd(g->kctx);

		if (kfd >= 0) {
			g->kev = event_new(d->base, kfd, EV_READ | EV_PERSIST, on_kernel_events, g);
			if (!g->kev || event_add(g->kev, NULL))
				olog(LOG_KERNEL, LVL_ERROR, "kernel-%s: cannot watch kernel events: "
				     "expiries will not rekey", g->kops->name);
		}
	}
	g->io = ike_io_open(d->base, d->cfg->daemon.ike_port, d->cfg->daemon.nat_port, on_datagram,
			    g, err, sizeof(err));
	if (!g->io)
		olog(LOG_NET, LVL_ERROR, "no IKE socket could be opened (%s): only initiating is "
		     "impossible too; the daemon keeps running for its control socket", err);
	d->engine = &glue_ops;
	d->engine_ctx = g;
	for (size_t i = 0; i < d->cfg->n_conns; i++)
		add_conn(g, &d->cfg->conns[i], NULL);
	traffic_start(g);
	olog(LOG_IKE, LVL_INFO, "IKE engine started: %zu connection%s, %u crypto thread%s, "
	     "kernel backend %s", g->n_conns, g->n_conns == 1 ? "" : "s", workers_threads(g->w),
	     workers_threads(g->w) == 1 ? "" : "s", g->kops->name);
	for (size_t i = 0; i < g->n_conns; i++)
		if (g->conns[i]->start) {
			if (glue_start_conn(g, g->conns[i], 0, err, sizeof(err)))
				olog(LOG_IKE, LVL_ERROR, "cannot start %s: %s", g->conns[i]->ike.name,
				     err);
		}
	return 0;
}

void engine_glue_free(struct ospreyd *d)
{
	struct engine_glue *g = d->engine_ctx;

	if (!g)
		return;
	/* Workers first: no job may come back into a freed engine. */
	workers_free(g->w);
	ike_io_close(g->io);
	if (g->timer)
		event_free(g->timer);
	if (g->kev)
		event_free(g->kev);
	traffic_stop(g);
	if (g->e)
		ike_engine_free(g->e);
	for (size_t i = 0; i < g->n_conns; i++) {
		mapped_conn_wipe(g->conns[i]);
		free(g->conns[i]);
	}
	free(g->conns);
	free(g->meta);
	vip_free(g);
	pool_registry_free();
	if (g->kctx)
		g->kops->close(g->kctx);
	sa_table_clear(&d->sas);
	free(g);
	d->engine = NULL;
	d->engine_ctx = NULL;
}
