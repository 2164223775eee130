/* Trap policies (traps.h).
 *
 * A trap is the CHILD SA's policies installed before any SA exists, with a
 * template (the trap's reqid) no SA satisfies yet: the kernel holds the
 * first matching packet and sends an ACQUIRE naming the reqid, and
 * ike_engine_acquire starts the CHILD SA with that same reqid.  Because the
 * SA and its policies then carry the trap's reqid, the backend counts the
 * trap and the CHILD SA as two owners of one policy: when the CHILD SA goes,
 * the trap remains and the next packet brings the tunnel up again. */
#define _GNU_SOURCE
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "traps.h"

/* Trap reqids come from the top of the 24-bit reqid space the kernel
 * backend maps into its range (plugins/kernel-xfrm), far above the engine's
 * own counter, which starts at 1. */
enum { TRAP_REQID_BASE = 0xf00000, TRAP_REQID_SPAN = 0x100000 };

static uint32_t next_trap_reqid(void)
{
	static uint32_t n;

	return TRAP_REQID_BASE + (n++ % TRAP_REQID_SPAN);
}

/* Emits ADD or DEL_POLICY for every selector pair of child ci, both ways
 * (the backend adds the forward policy of a tunnel's inbound one).
 * Returns the number of failures (logged). */
static int trap_policies(struct engine_glue *g, struct mapped_conn *m, unsigned ci,
			 enum ike_kernel_op op)
{
	const struct ike_conn *c = &m->ike;
	const struct ike_child_cfg *cc = &c->children[ci];
	int failed = 0;

	for (unsigned l = 0; l < cc->n_local_ts; l++)
		for (unsigned r = 0; r < cc->n_remote_ts; r++)
			for (int dir = 0; dir < 2; dir++) {
				bool out = dir == 0;
				struct ike_kernel k;
				char err[256];
				int rc;

				if (cc->local_ts[l].family != cc->remote_ts[r].family)
					continue;
				memset(&k, 0, sizeof(k));
				k.op = op;
				k.trap = true;
				k.reqid = m->trap_reqid[ci];
				k.dir = out ? IKE_DIR_OUT : IKE_DIR_IN;
				k.proto = cc->proto;
				k.mode = cc->mode;
				k.src = out ? c->local : c->remote;
				k.dst = out ? c->remote : c->local;
				k.ts_src = out ? cc->local_ts[l] : cc->remote_ts[r];
				k.ts_dst = out ? cc->remote_ts[r] : cc->local_ts[l];
				ike_kernel_set_marks(&k, cc);
				rc = op == IKE_KERNEL_ADD_POLICY
				     ? g->kops->add_policy(g->kctx, &k, err, sizeof(err))
				     : g->kops->del_policy(g->kctx, &k, err, sizeof(err));
				if (rc) {
					olog(LOG_KERNEL, LVL_ERROR, "kernel-%s: trap of %s/%s: %s",
					     g->kops->name, c->name, cc->name, err);
					failed++;
				}
			}
	return failed;
}

void trap_install(struct engine_glue *g, struct mapped_conn *m, unsigned ci)
{
	const struct ike_conn *c = &m->ike;

	if (ci >= c->n_children || m->trap_reqid[ci])
		return;
	/* The template's tunnel endpoints are the conn's addresses; a
	 * dynamic selector of an unknown local address would be 0.0.0.0/0
	 * and catch every packet of the host. */
	if (!c->local.family || !c->remote.family) {
		olog(LOG_CFG, LVL_ERROR, "connection %s, child %s: a trap needs local_addrs and "
		     "remote_addrs that are addresses, not %%any: no trap installed", c->name,
		     c->children[ci].name);
		return;
	}
	m->trap_reqid[ci] = next_trap_reqid();
	if (trap_policies(g, m, ci, IKE_KERNEL_ADD_POLICY)) {
		trap_policies(g, m, ci, IKE_KERNEL_DEL_POLICY); /* no half-made trap */
		m->trap_reqid[ci] = 0;
		return;
	}
	olog(LOG_KERNEL, LVL_INFO, "connection %s, child %s: trap installed (reqid %u): the "
	     "first matching packet starts it", c->name, c->children[ci].name, m->trap_reqid[ci]);
}

void traps_install(struct engine_glue *g, struct mapped_conn *m)
{
	for (unsigned ci = 0; ci < m->ike.n_children; ci++)
		if (m->trap[ci])
			trap_install(g, m, ci);
}

void traps_remove(struct engine_glue *g, struct mapped_conn *m)
{
	for (unsigned ci = 0; ci < m->ike.n_children; ci++)
		if (m->trap_reqid[ci]) {
			trap_policies(g, m, ci, IKE_KERNEL_DEL_POLICY);
			m->trap_reqid[ci] = 0;
		}
}

bool traps_acquire(struct engine_glue *g, const struct kernel_event *ev)
{
	for (size_t i = 0; i < g->n_conns; i++) {
		struct mapped_conn *m = g->conns[i];

		for (unsigned ci = 0; ci < m->ike.n_children; ci++) {
			char src[80] = "", dst[80] = "";
			uint64_t uid;

			if (m->retired || !m->trap_reqid[ci] || m->trap_reqid[ci] != ev->reqid)
				continue;
			ike_ts_format(&ev->ts_src, src, sizeof(src));
			ike_ts_format(&ev->ts_dst, dst, sizeof(dst));
			uid = ike_engine_acquire(g->e, glue_now(), &m->ike, ci, ev->reqid,
						 ev->ts_src.family ? &ev->ts_src : NULL,
						 ev->ts_dst.family ? &ev->ts_dst : NULL);
			if (uid)
				olog(LOG_KERNEL, LVL_INFO, "connection %s, child %s: packet %s -> %s hit "
				     "the trap: starting it (IKE SA %" PRIu64 ")", m->ike.name,
				     m->ike.children[ci].name, src, dst, uid);
			else
				olog(LOG_KERNEL, LVL_DEBUG, "connection %s, child %s: acquire for %s -> "
				     "%s: already being negotiated", m->ike.name,
				     m->ike.children[ci].name, src, dst);
			return true;
		}
	}
	return false;
}
