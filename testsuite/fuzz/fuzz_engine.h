/* Shared harness of the engine targets (fuzz_engine_init.c,
 * fuzz_engine_sk.c): IKEv2 engines (lib/ikev2) in memory, a tiny kernel
 * that answers GET_SPI at once, inline crypto, a deterministic RNG, and the
 * invariants every engine output and every reap must keep.
 *
 * Invariants (a violation calls abort()):
 *   - every datagram an engine sends parses with ikev2_parse (after the
 *     non-ESP marker on the NAT-T port; a keepalive is one 0xff octet);
 *   - every IKE SA's memory count is at least sizeof(struct ike_sa) and
 *     below FE_SA_MEM_MAX (a count that went below zero wraps around);
 *   - when the last SA of an engine is reaped, ike_engine_memory() is back
 *     at the empty engine's figure, and the allocator got back at least the
 *     bytes the SAs counted (a count above what was allocated is drift).
 *
 * Everything is static: each target is one translation unit plus lib/. */
#ifndef OSPREY_FUZZ_ENGINE_H
#define OSPREY_FUZZ_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ikev2/engine.h"
#include "ikev2/internal.h"
#include "ikev2_const.h"

/* ASan's heap figure (sanitizer/allocator_interface.h); weak, so that a
 * build without ASan (a coverage build) links and skips the heap check. */
size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

static size_t fe_heap(void)
{
	return __sanitizer_get_current_allocated_bytes ? __sanitizer_get_current_allocated_bytes()
						       : 0;
}

enum { FE_SA_MEM_MAX = 4 * 1024 * 1024, FE_QUEUE = 32, FE_DGRAM = 2 * IKE_MAX_MSG + 8 };

/* ---------------------------------------------------------------- RNG */

static uint64_t fe_xs(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static int fe_rng(void *ctx, void *buf, size_t n)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(fe_xs(ctx) >> 24);
	return 0;
}

/* ------------------------------------------------------------- a node */

struct fe_node {
	struct ike_engine *e;
	struct ike_endpoint addr;  /* port 500 */
	uint64_t rng;
	uint32_t next_spi;
	uint8_t id;                /* 0 or 1: in the kernel SPIs */
	size_t empty_mem;          /* ike_engine_memory() without SAs */
	unsigned up, down, child_up, failed, sent;
};

static void fe_node_new(struct fe_node *n, uint8_t id, const char *addr, uint64_t seed)
{
	struct ike_engine_cfg cfg;

	memset(n, 0, sizeof(*n));
	n->id = id;
	n->rng = seed;
	n->next_spi = 1;
	ike_engine_cfg_init(&cfg);
	cfg.rng.fn = fe_rng;
	cfg.rng.ctx = &n->rng;
	cfg.inline_crypto = true;
	n->e = ike_engine_new(&cfg);
	FUZZ_CHECK(n->e, "ike_engine_new failed");
	ike_endpoint_parse(addr, 500, &n->addr);
	n->empty_mem = ike_engine_memory(n->e);
}

static void fe_node_free(struct fe_node *n)
{
	ike_engine_free(n->e);
	n->e = NULL;
}

/* ------------------------------------------------------------ outputs */

static _Alignas(8) uint8_t fe_arena[IKE_ARENA * 2];

/* A datagram the engine sends must parse; returns the IKE part (NULL for
 * a keepalive). */
static const uint8_t *fe_check_dgram(const struct ike_out *o, uint16_t natt_port, size_t *ike_len,
				     struct ikev2_msg *m)
{
	const uint8_t *d = o->u.send.data;
	size_t n = o->u.send.len, off = 0;
	struct ike_arena a = ike_arena_init(fe_arena, sizeof(fe_arena));
	struct ike_error err = { 0 };

	FUZZ_CHECK(n > 0 && d, "engine sent an empty datagram");
	if (o->u.send.local.port == natt_port) {
		enum natt_kind k = natt_classify(d, n, &off);

		if (k == NATT_KEEPALIVE)
			return NULL;
		FUZZ_CHECK(k == NATT_IKE, "engine sent %zu octets on the NAT-T port that are %s", n,
			   natt_kind_name(k));
		d += off;
		n -= off;
	}
	if (ikev2_parse(d, n, &a, m, &err) != 0) {
		char text[256];

		fuzz_error_text(&err, text, sizeof(text));
		FUZZ_CHECK(0, "engine sent a datagram of %zu octets that does not parse: %s", n,
			   text);
	}
	FUZZ_CHECK(m->hdr.length == n, "engine sent %zu octets, header says %u", n,
		   (unsigned)m->hdr.length);
	*ike_len = n;
	return d;
}

/* Per-SA memory counts must stay sane. */
static int fe_sa_visit(void *ctx, const struct ike_sa_info *sa, const struct ike_child_info *ch,
		       unsigned n)
{
	(void)ctx;
	(void)ch;
	FUZZ_CHECK(sa->memory >= ike_engine_sizeof_sa() && sa->memory < FE_SA_MEM_MAX,
		   "IKE SA %llu counts %zu bytes (sizeof %zu): the count drifted",
		   (unsigned long long)sa->uid, sa->memory, ike_engine_sizeof_sa());
	FUZZ_CHECK(n == sa->nchildren, "SA walk gives %u children, info %u", n, sa->nchildren);
	return 0;
}

static void fe_check_memory(const struct fe_node *n)
{
	size_t total = 0;
	size_t visited = ike_engine_foreach_sa(n->e, fe_sa_visit, &total);

	FUZZ_CHECK(visited == ike_engine_sa_count(n->e), "SA walk visits %zu of %zu SAs", visited,
		   ike_engine_sa_count(n->e));
	FUZZ_CHECK(ike_engine_half_open(n->e) <= ike_engine_sa_count(n->e),
		   "%zu half-open SAs among %zu", ike_engine_half_open(n->e),
		   ike_engine_sa_count(n->e));
	if (ike_engine_sa_count(n->e) == 0)
		FUZZ_CHECK(ike_engine_memory(n->e) == n->empty_mem,
			   "no SA left but the engine counts %zu bytes (empty: %zu)",
			   ike_engine_memory(n->e), n->empty_mem);
}

/* Around an input that may free SAs: what the SAs counted and what the
 * allocator holds. */
struct fe_probe {
	size_t counted, heap;
};

static void fe_probe_begin(struct fe_probe *p, const struct fe_node *n)
{
	p->counted = ike_engine_memory(n->e) - n->empty_mem;
	p->heap = fe_heap();
}

/* Call with every output drained and freed.  When the engine has no SA
 * left, the heap must have shrunk by at least what the SAs counted. */
static void fe_probe_end(const struct fe_probe *p, const struct fe_node *n)
{
	size_t heap = fe_heap();

	fe_check_memory(n);
	if (ike_engine_sa_count(n->e) != 0 || p->counted == 0 || !p->heap)
		return;
	FUZZ_CHECK(heap <= p->heap && p->heap - heap >= p->counted,
		   "SAs counting %zu bytes were freed, but the heap went from %zu to %zu bytes",
		   p->counted, p->heap, heap);
}

/* ------------------------------------------------------------ a world */

/* A datagram in flight between the two nodes of a pair. */
struct fe_dgram {
	int to;
	struct ike_endpoint src, dst;
	size_t len;
	uint8_t data[FE_DGRAM];
};

/* Called for every datagram a node sends (already checked to parse);
 * returns true to deliver it to the other node. */
typedef bool (*fe_send_fn)(void *ctx, int from, const struct ike_out *o, const uint8_t *ike,
			   size_t ike_len, const struct ikev2_msg *m);

struct fe_world {
	uint64_t now;
	struct fe_node *n[2];
	struct fe_dgram *q[FE_QUEUE];
	size_t nq;
	fe_send_fn on_send;
	void *ctx;
};

static struct fe_dgram fe_dgrams[FE_QUEUE];
static bool fe_dgram_used[FE_QUEUE];

static struct fe_dgram *fe_dgram_get(void)
{
	for (size_t i = 0; i < FE_QUEUE; i++)
		if (!fe_dgram_used[i]) {
			fe_dgram_used[i] = true;
			return &fe_dgrams[i];
		}
	return NULL;
}

static void fe_dgram_put(struct fe_dgram *d)
{
	fe_dgram_used[d - fe_dgrams] = false;
}

/* Drains one node: the kernel answers GET_SPI at once, jobs run here (not
 * expected with inline crypto), datagrams are checked and handed to
 * w->on_send (queued for the other node when it says so). */
static bool fe_drain_node(struct fe_world *w, int i)
{
	struct fe_node *n = w->n[i];
	struct ike_out *o;
	bool any = false;

	if (!n || !n->e)
		return false;
	while ((o = ike_engine_poll(n->e))) {
		any = true;
		switch (o->kind) {
		case IKE_OUT_SEND: {
			struct ikev2_msg m;
			size_t ilen = 0;
			const uint8_t *ike = fe_check_dgram(o, n->e->cfg.natt_port, &ilen, &m);

			n->sent++;
			if (ike && w->on_send && w->on_send(w->ctx, i, o, ike, ilen, &m) &&
			    w->n[1 - i] && w->nq < FE_QUEUE && o->u.send.len <= FE_DGRAM) {
				struct fe_dgram *d = fe_dgram_get();

				if (d) {
					d->to = 1 - i;
					d->src = o->u.send.local;
					d->dst = o->u.send.remote;
					d->len = o->u.send.len;
					memcpy(d->data, o->u.send.data, d->len);
					w->q[w->nq++] = d;
				}
			}
			break;
		}
		case IKE_OUT_KERNEL:
			if (o->u.kernel.op == IKE_KERNEL_GET_SPI)
				ike_engine_kernel_spi(n->e, w->now, o->u.kernel.req,
						      0xc0000000u | ((uint32_t)n->id << 16) |
							      n->next_spi++);
			break;
		case IKE_OUT_JOB:
			ike_job_run(o->u.job);
			ike_engine_job_done(n->e, w->now, o->u.job);
			break;
		case IKE_OUT_EVENT:
			switch (o->u.event.kind) {
			case IKE_EV_IKE_UP: n->up++; break;
			case IKE_EV_IKE_DOWN: n->down++; break;
			case IKE_EV_CHILD_UP: n->child_up++; break;
			case IKE_EV_IKE_FAILED: n->failed++; break;
			default: break;
			}
			if (getenv("FUZZ_ENGINE_VERBOSE"))
				fprintf(stderr, "[%d] %s\n", i, o->u.event.text);
			break;
		}
		ike_out_free(o);
	}
	return any;
}

static void fe_drain(struct fe_world *w)
{
	while ((int)fe_drain_node(w, 0) | (int)fe_drain_node(w, 1))
		;
}

/* Delivers queued datagrams (and what they cause) until none is left. */
static void fe_pump(struct fe_world *w)
{
	fe_drain(w);
	while (w->nq) {
		struct fe_dgram *d = w->q[0];

		memmove(&w->q[0], &w->q[1], (w->nq - 1) * sizeof(w->q[0]));
		w->nq--;
		w->now += 10;
		if (w->n[d->to] && w->n[d->to]->e)
			ike_engine_recv(w->n[d->to]->e, w->now, &d->dst, &d->src, d->data, d->len);
		fe_dgram_put(d);
		fe_drain(w);
	}
}

FUZZ_FN void fe_flush(struct fe_world *w)
{
	while (w->nq)
		fe_dgram_put(w->q[--w->nq]);
}

/* ------------------------------------------------------------- conns */

static const uint8_t fe_psk[] = "fuzz-psk-not-secret";

static void fe_conn(struct ike_conn *c, const char *name, const char *local, const char *remote,
		    const char *ike, const char *esp, const char *lts, const char *rts)
{
	char err[160], list[256], *save = NULL;
	struct ike_child_cfg *ch;

	ike_conn_init(c, name);
	ike_endpoint_parse(local, 0, &c->local);
	ike_endpoint_parse(remote, 0, &c->remote);
	c->psk = fe_psk;
	c->psk_len = sizeof(fe_psk) - 1;
	snprintf(list, sizeof(list), "%s", ike);
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		FUZZ_CHECK(ike_conn_add_ike_proposal(c, t, err, sizeof(err)) == 0,
			   "bad IKE proposal %s: %s", t, err);
	if (!esp)
		return;
	ch = ike_conn_add_child(c, "net");
	FUZZ_CHECK(ch, "ike_conn_add_child failed");
	snprintf(list, sizeof(list), "%s", esp);
	save = NULL;
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		FUZZ_CHECK(ike_child_add_esp_proposal(ch, t, err, sizeof(err)) == 0,
			   "bad ESP proposal %s: %s", t, err);
	FUZZ_CHECK(ike_ts_add(ch, true, lts) == 0 && ike_ts_add(ch, false, rts) == 0, "bad TS");
}

/* A second child config with PFS (KE in the ESP proposal), for
 * CREATE_CHILD_SA. */
FUZZ_FN void fe_conn_pfs_child(struct ike_conn *c, const char *esp, const char *lts,
			      const char *rts)
{
	struct ike_child_cfg *ch = ike_conn_add_child(c, "pfs");
	char err[160];

	FUZZ_CHECK(ch && ike_child_add_esp_proposal(ch, esp, err, sizeof(err)) == 0,
		   "bad ESP proposal %s", esp);
	FUZZ_CHECK(ike_ts_add(ch, true, lts) == 0 && ike_ts_add(ch, false, rts) == 0, "bad TS");
}

/* The first (only) IKE SA of an engine, through the internals. */
FUZZ_FN struct ike_sa *fe_first_sa(struct fe_node *n)
{
	for (struct ike_sa *sa = n->e->sas; sa; sa = sa->next)
		if (sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

/* ------------------------------------------------------- seed output */

static void fe_seed_write(const char *dir, const char *name, const uint8_t *a, size_t alen,
			  const uint8_t *b, size_t blen)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	FUZZ_CHECK(f, "cannot write %s", path);
	if (alen)
		fwrite(a, 1, alen, f);
	if (blen)
		fwrite(b, 1, blen, f);
	fclose(f);
}

#endif
