/* Internals shared by engine_glue.c (the loop side) and engine_view.c (what
 * the control socket shows). */
#ifndef OSPREY_DAEMON_ENGINE_PRIV_H
#define OSPREY_DAEMON_ENGINE_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conn_map.h"
#include "daemon.h"
#include "ike_io.h"
#include "ikev2/engine.h"
#include "kernel.h"
#include "workers.h"

enum { META_MAX_CHILDREN = 16 };

/* What the engine does not keep but the SA view shows. */
struct sa_meta {
	uint64_t uid;
	time_t up;			/* IKE SA established (wall clock), 0: not yet */
	int pending_child;		/* child config to add once up, -1: none */
	struct {
		uint32_t id;
		time_t up;
		uint32_t life;
		char name[32];
		uint64_t in_packets;	/* inbound SA's packets at the last poll (traffic.c) */
	} child[META_MAX_CHILDREN];
	unsigned n_child;
};

struct engine_glue {
	struct ospreyd *d;
	struct ike_engine *e;
	struct event *timer;
	struct event *kev;		/* the kernel backend's event fd, or NULL */
	struct event *traffic;		/* the counters poll for DPD (traffic.c), or NULL */
	struct ike_io *io;
	struct workers *w;
	const struct kernel_ops *kops;
	void *kctx;
	struct mapped_conn **conns;	/* every conn given to the engine (kept: SAs point in) */
	size_t n_conns;
	struct sa_meta *meta;
	size_t n_meta;
	bool draining;
	bool view_dirty;
	void (*shutdown_done)(void *arg);
	void *shutdown_arg;
	struct glue_vips *vips;		/* virtual IPs put on interfaces (vip.c) */
};

uint64_t glue_now(void);
struct sa_meta *meta_get(struct engine_glue *g, uint64_t uid, bool create);
void meta_drop(struct engine_glue *g, uint64_t uid);
/* IKE SA old was rekeyed into nw: its CHILD SAs' facts move along. */
void meta_rekeyed(struct engine_glue *g, uint64_t old, uint64_t nw);
/* Rebuilds d->sas from the engine when something changed. */
void glue_refresh_view(struct engine_glue *g);
void sa_table_clear(struct sa_table *t);
/* vip.c: virtual IPs from the engine's events (IKE_EV_VIP, IKE_UP of a
 * rekey, IKE_DOWN) onto / off interfaces; vip_free at the end. */
void vip_on_event(struct engine_glue *g, const struct ike_event *ev);
void vip_free(struct engine_glue *g);
/* Starts child config ci of m (engine_glue.c): CREATE_CHILD_SA on an
 * established IKE SA of m for ci > 0, else a new IKE SA.  0, or -1 with
 * the reason in err. */
int glue_start_conn(struct engine_glue *g, struct mapped_conn *m, int ci, char *err,
		    size_t errlen);
/* The kernel's counters of CHILD SA ci's inbound (in) or outbound SA
 * (engine_view.c); false when the backend has none or the SA is gone. */
bool glue_sa_counters(struct engine_glue *g, const struct ike_sa_info *si,
		      const struct ike_child_info *ci, bool in, struct kernel_sa_stats *st);
/* Polls the inbound SAs' counters of IKE SAs with DPD; traffic from the
 * peer tells the engine it is alive (traffic.c).  Nothing without a
 * backend that counts. */
void traffic_start(struct engine_glue *g);
void traffic_stop(struct engine_glue *g);
/* An engine event (engine_events.c). */
void glue_event(struct engine_glue *g, const struct ike_event *ev);

#endif
