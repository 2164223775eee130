/* The kernel's traffic counters as signs of life for dead peer detection.
 *
 * An IKE SA whose CHILD SAs carry traffic from the peer does not need an
 * INFORMATIONAL to prove the peer alive (RFC 7296 §1.4 asks for a check
 * only when nothing was heard).  Every poll interval the inbound SAs of
 * established IKE SAs with DPD are read (kernel_ops.sa_stats); when one
 * counted packets since the last poll, ike_engine_peer_traffic() moves the
 * SA's DPD clock on.  A dead peer sends nothing, so its check still comes. */
#define _GNU_SOURCE
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine_priv.h"
#include "util.h"

enum { POLL_MIN_MS = 1000, POLL_MAX_MS = 10000 };

struct poll_item {
	struct ike_sa_info si;
	struct ike_child_info ci;
};

struct poll_list {
	struct poll_item *v;
	size_t n, cap;
};

/* The engine walk may not call back into the engine: collect first. */
static int collect(void *ctx, const struct ike_sa_info *si, const struct ike_child_info *ci,
		   unsigned n)
{
	struct poll_list *l = ctx;

	if (si->state != IKE_SA_ESTABLISHED || !si->conn || !si->conn->dpd_delay_ms)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 64;
			l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		}
		l->v[l->n].si = *si;
		l->v[l->n].ci = ci[i];
		l->n++;
	}
	return 0;
}

/* Half the shortest dpd_delay of the loaded conns, within 1 to 10 s: a busy
 * SA is seen busy before its check is due. */
static uint64_t poll_interval(const struct engine_glue *g)
{
	uint64_t ms = POLL_MAX_MS;

	for (size_t i = 0; i < g->n_conns; i++) {
		uint32_t d = g->conns[i]->ike.dpd_delay_ms;

		if (d && d / 2 < ms)
			ms = d / 2;
	}
	return ms < POLL_MIN_MS ? POLL_MIN_MS : ms;
}

static void arm(struct engine_glue *g)
{
	uint64_t ms = poll_interval(g);
	struct timeval tv = { .tv_sec = (time_t)(ms / 1000),
			      .tv_usec = (suseconds_t)(ms % 1000) * 1000 };

	evtimer_add(g->traffic, &tv);
}

static void on_poll(evutil_socket_t fd, short what, void *arg)
{
	struct engine_glue *g = arg;
	struct poll_list l = { 0 };
	struct sa_meta *m = NULL;

	(void)fd;
	(void)what;
	ike_engine_foreach_sa(g->e, collect, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct kernel_sa_stats st;

		/* An IKE SA's CHILD SAs come one after the other: one lookup. */
		if (i == 0 || l.v[i].si.uid != l.v[i - 1].si.uid)
			m = meta_get(g, l.v[i].si.uid, false);
		if (!m || !glue_sa_counters(g, &l.v[i].si, &l.v[i].ci, true, &st))
			continue;
		for (unsigned c = 0; c < m->n_child; c++) {
			if (m->child[c].id != l.v[i].ci.id)
				continue;
			if (st.packets > m->child[c].in_packets)
				ike_engine_peer_traffic(g->e, glue_now(), l.v[i].si.uid);
			m->child[c].in_packets = st.packets;
			break;
		}
	}
	free(l.v);
	arm(g);
}

void traffic_start(struct engine_glue *g)
{
	if (!g->kops->sa_stats || g->traffic)
		return;
	g->traffic = evtimer_new(g->d->base, on_poll, g);
	if (g->traffic)
		arm(g);
}

void traffic_stop(struct engine_glue *g)
{
	if (g->traffic)
		event_free(g->traffic);
	g->traffic = NULL;
}
