/* The simulated world of sim.h.  Everything is driven by one seeded
 * generator, so a failing run replays exactly. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t xs(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ULL;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static int node_rng(void *ctx, void *buf, size_t n)
{
	uint64_t *st = ctx;
	uint8_t *p = buf;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(xs(st) >> 24);
	return 0;
}

void sim_init(struct sim *s, uint64_t seed, bool async_crypto)
{
	sim_init_cfg(s, seed, async_crypto, NULL);
}

void sim_init_cfg(struct sim *s, uint64_t seed, bool async_crypto,
		  void (*tweak)(int node, struct ike_engine_cfg *cfg))
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	s->now = 1000000;
	s->delay_ms = 10;
	s->async_crypto = async_crypto;
	for (int i = 0; i < 2; i++) {
		struct ike_engine_cfg cfg;
		ike_engine_cfg_init(&cfg);
		s->n[i].rng_state = seed * 2654435761u + (uint64_t)i + 1;
		cfg.rng.fn = node_rng;
		cfg.rng.ctx = &s->n[i].rng_state;
		cfg.inline_crypto = !async_crypto;
		if (tweak)
			tweak(i, &cfg);
		s->n[i].e = ike_engine_new(&cfg);
		ike_endpoint_parse(i == 0 ? "192.0.2.1" : "192.0.2.2", 500, &s->n[i].addr);
		s->n[i].next_spi = 1;
	}
	s->verbose = getenv("SIM_VERBOSE") != NULL;
}

void sim_free(struct sim *s)
{
	for (int i = 0; i < 2; i++) {
		for (size_t k = 0; k < s->n[i].njobs; k++)
			ike_job_free(s->n[i].jobs[k]);
		ike_engine_free(s->n[i].e);
	}
	for (size_t k = 0; k < s->nq; k++)
		free(s->q[k]);
}

static void enqueue(struct sim *s, int from, const struct ike_out *o)
{
	struct sim_pkt *p;
	bool dup;

	if (s->nq >= SIM_MAX_PKT || o->u.send.len > sizeof(p->data))
		return;
	if (s->filter && s->filter(s, from, o->u.send.data, o->u.send.len)) {
		s->filtered++;
		return;
	}
	if (xs(&s->seed) % 1000 < s->drop_pm) {
		s->dropped++;
		return;
	}
	dup = xs(&s->seed) % 1000 < s->dup_pm;
	p = calloc(1, sizeof(*p));
	p->to = 1 - from;
	p->src = o->u.send.local;
	p->dst = o->u.send.remote;
	if (s->nat && from == 0)
		p->src.port = (uint16_t)(p->src.port + 40000); /* the NAT's mapping */
	p->len = o->u.send.len;
	memcpy(p->data, o->u.send.data, p->len);
	p->at = s->now + s->delay_ms + (s->jitter_ms ? xs(&s->seed) % s->jitter_ms : 0);
	s->q[s->nq++] = p;
	if (dup && s->nq < SIM_MAX_PKT) {
		struct sim_pkt *d = malloc(sizeof(*d));
		*d = *p;
		d->at += 1 + xs(&s->seed) % 50;
		s->q[s->nq++] = d;
	}
}

static void flow_violation(struct sim *s, unsigned node, uint32_t spi)
{
	if (!s->flow_violations++ && !s->linger_violations)
		snprintf(s->flow_first, sizeof(s->flow_first), "node %u sends on SA %08x its peer "
			 "lacks (t=%llu)", node, spi, (unsigned long long)s->now);
}

/* check_flow: every outbound SA of either node has its inbound SA on the
 * other one. */
static void check_flow(struct sim *s)
{
	for (int i = 0; i < 2; i++)
		for (size_t j = 0; j < s->n[i].nsas; j++) {
			const struct sim_ksa *a = &s->n[i].sas[j];
			if (a->dir == IKE_DIR_OUT && !sim_ksa_find(s, 1 - i, a->spi, IKE_DIR_IN))
				flow_violation(s, (unsigned)i, a->spi);
		}
}

/* check_flow: node i deletes inbound SA spi: when did the peer stop
 * sending on it? */
static void check_linger(struct sim *s, int i, uint32_t spi)
{
	const struct sim_node *p = &s->n[1 - i];

	for (unsigned k = 0; k < p->nout_gone && k < 64; k++)
		if (p->out_gone[k].spi == spi && s->now - p->out_gone[k].at < s->linger_min_ms) {
			if (!s->linger_violations++ && !s->flow_violations)
				snprintf(s->flow_first, sizeof(s->flow_first), "node %d deleted "
					 "inbound SA %08x %llu ms after the peer's outbound one", i,
					 spi, (unsigned long long)(s->now - p->out_gone[k].at));
		}
}

static void kernel(struct sim *s, int i, const struct ike_kernel *k)
{
	struct sim_node *n = &s->n[i];

	switch (k->op) {
	case IKE_KERNEL_GET_SPI:
		if (n->hold_spi) {
			n->held_req = k->req;
			break;
		}
		if (n->fail_spi) {
			ike_engine_kernel_spi_error(n->e, s->now, k->req, "simulated ENOMEM");
			break;
		}
		ike_engine_kernel_spi(n->e, s->now, k->req, 0xc0000000u | ((uint32_t)i << 16) | n->next_spi++);
		break;
	case IKE_KERNEL_ADD_SA:
		if (n->refuse && n->refuse(s, i, k)) {
			n->refused++;
			n->sa_errors_called++;
			ike_engine_kernel_sa_error(n->e, s->now, k->ike_uid, k->child_id,
						   "simulated EINVAL");
			break;
		}
		n->last_soft = k->soft_seconds;
		if (n->nklog < 512) {
			n->klog[n->nklog].op = k->op;
			n->klog[n->nklog].dir = k->dir;
			n->klog[n->nklog++].spi = k->spi;
		}
		if (n->nsas < SIM_MAX_KSA) {
			struct sim_ksa *a = &n->sas[n->nsas++];
			a->spi = k->spi;
			a->dir = k->dir;
			a->encap = k->encap;
			a->mode = k->mode;
			a->encr_id = k->encr_id;
			a->integ_id = k->integ_id;
			a->proto = k->proto;
			a->reqid = k->reqid;
			a->enc_key_len = k->enc_key_len;
			a->integ_key_len = k->integ_key_len;
			memcpy(a->key, k->enc_key, k->enc_key_len);
			memcpy(a->key + k->enc_key_len, k->integ_key, k->integ_key_len);
			a->keylen = (size_t)k->enc_key_len + k->integ_key_len;
		}
		break;
	case IKE_KERNEL_DEL_SA:
		if (n->nklog < 512) {
			n->klog[n->nklog].op = k->op;
			n->klog[n->nklog].dir = k->dir;
			n->klog[n->nklog++].spi = k->spi;
		}
		if (s->check_flow && k->dir == IKE_DIR_IN)
			check_linger(s, i, k->spi);
		if (k->dir == IKE_DIR_OUT) {
			n->out_gone[n->nout_gone % 64].spi = k->spi;
			n->out_gone[n->nout_gone++ % 64].at = s->now;
		}
		for (size_t j = 0;; j++) {
			if (j == n->nsas) {
				n->del_sa_missing++;
				break;
			}
			if (n->sas[j].spi == k->spi && n->sas[j].dir == k->dir) {
				n->sas[j] = n->sas[--n->nsas];
				break;
			}
		}
		break;
	case IKE_KERNEL_ADD_POLICY:
		if (n->refuse && n->refuse(s, i, k)) {
			n->refused++;
			n->sa_errors_called++;
			ike_engine_kernel_sa_error(n->e, s->now, k->ike_uid, k->child_id,
						   "simulated EEXIST");
			break;
		}
		n->last_policy_proto = k->proto;
		if (n->policies < SIM_MAX_KSA) {
			n->pol[n->policies].reqid = k->reqid;
			n->pol[n->policies].dir = k->dir;
			n->pol[n->policies].src = k->ts_src;
			n->pol[n->policies].dst = k->ts_dst;
			n->policies++;
		}
		break;
	case IKE_KERNEL_DEL_POLICY:
		for (int j = 0;; j++) {
			if (j == n->policies) {
				n->del_policy_missing++;
				break;
			}
			if (n->pol[j].dir == k->dir &&
			    !memcmp(&n->pol[j].src, &k->ts_src, sizeof(k->ts_src)) &&
			    !memcmp(&n->pol[j].dst, &k->ts_dst, sizeof(k->ts_dst))) {
				n->pol[j] = n->pol[--n->policies];
				break;
			}
		}
		break;
	}
	if (s->check_flow && (k->op == IKE_KERNEL_ADD_SA || k->op == IKE_KERNEL_DEL_SA))
		check_flow(s);
}

void sim_kernel_expire(struct sim *s, int node, uint32_t spi, enum ike_dir dir)
{
	struct sim_node *n = &s->n[node];

	for (size_t j = 0; j < n->nsas; j++)
		if (n->sas[j].spi == spi && n->sas[j].dir == dir) {
			n->sas[j] = n->sas[--n->nsas];
			break;
		}
	ike_engine_kernel_expire(n->e, s->now, spi);
	sim_drain(s);
}

static bool drain_node(struct sim *s, int i)
{
	struct sim_node *n = &s->n[i];
	struct ike_out *o;
	bool any = false;

	while ((o = ike_engine_poll(n->e))) {
		any = true;
		switch (o->kind) {
		case IKE_OUT_SEND:
			n->sent++;
			if (o->u.send.len > n->max_len)
				n->max_len = o->u.send.len;
			if (o->u.send.len == 1 && o->u.send.data[0] == 0xff) {
				n->keepalives++;
			} else {
				memcpy(s->last[i], o->u.send.data, o->u.send.len);
				s->last_len[i] = o->u.send.len;
			}
			enqueue(s, i, o);
			break;
		case IKE_OUT_KERNEL:
			kernel(s, i, &o->u.kernel);
			break;
		case IKE_OUT_JOB:
			if (n->njobs < SIM_MAX_JOBS)
				n->jobs[n->njobs++] = o->u.job;
			else
				ike_job_free(o->u.job);
			break;
		case IKE_OUT_EVENT:
			snprintf(n->log[n->nlog++ % 64], sizeof(n->log[0]), "%s", o->u.event.text);
			if (s->verbose)
				fprintf(stderr, "[%d %llu] %s\n", i, (unsigned long long)s->now, o->u.event.text);
			switch (o->u.event.kind) {
			case IKE_EV_IKE_UP:
				n->up++;
				if (o->u.event.old_ike_uid) {
					n->ike_rekeyed++;
					n->last_old_ike = o->u.event.old_ike_uid;
				}
				break;
			case IKE_EV_IKE_DOWN: n->down++; break;
			case IKE_EV_CHILD_UP:
				n->child_up++;
				n->last_child_cfg = o->u.event.child_cfg;
				n->child_rekeyed += o->u.event.old_child_id != 0;
				break;
			case IKE_EV_CHILD_DOWN: n->child_down++; break;
			case IKE_EV_CHILD_FAILED: n->child_failed++; n->last_notify = o->u.event.notify; break;
			case IKE_EV_IKE_FAILED: n->failed++; n->last_notify = o->u.event.notify; break;
			case IKE_EV_VIP:
				n->vip = o->u.event.vip;
				n->vip_events++;
				n->policies_at_vip = n->policies;
				break;
			default: break;
			}
			break;
		}
		ike_out_free(o);
	}
	return any;
}

void sim_drain(struct sim *s)
{
	bool any = true;

	while (any) {
		any = drain_node(s, 0) | drain_node(s, 1);
		for (int i = 0; i < 2; i++) {
			struct sim_node *n = &s->n[i];
			/* The worker finishes jobs last-in first-out: results come
			 * back in another order than asked. */
			while (n->njobs) {
				struct ike_job *j = n->jobs[--n->njobs];
				ike_job_run(j);
				ike_engine_job_done(n->e, s->now, j);
				any = true;
			}
		}
	}
}

static void deliver(struct sim *s, struct sim_pkt *p)
{
	struct ike_endpoint local = p->dst;

	if (s->nat && p->to == 0)
		local.port = (uint16_t)(local.port - 40000);
	s->delivered++;
	ike_engine_recv(s->n[p->to].e, s->now, &local, &p->src, p->data, p->len);
}

bool sim_run_until(struct sim *s, uint64_t max_ms, bool (*cond)(struct sim *s))
{
	uint64_t end = s->now + max_ms;

	for (;;) {
		uint64_t next = UINT64_MAX;
		sim_drain(s);
		if (cond && cond(s))
			return true;
		for (size_t k = 0; k < s->nq; k++)
			if (s->q[k]->at < next)
				next = s->q[k]->at;
		for (int i = 0; i < 2; i++) {
			uint64_t t = ike_engine_next_timer(s->n[i].e);
			if (t < next)
				next = t;
		}
		if (next == UINT64_MAX || next > end) {
			s->now = end;
			return cond ? cond(s) : true;
		}
		if (next > s->now)
			s->now = next;
		for (size_t k = 0; k < s->nq;) {
			if (s->q[k]->at <= s->now) {
				struct sim_pkt *p = s->q[k];
				memmove(&s->q[k], &s->q[k + 1], (s->nq - k - 1) * sizeof(s->q[0]));
				s->nq--;
				deliver(s, p);
				free(p);
				sim_drain(s);
			} else {
				k++;
			}
		}
		for (int i = 0; i < 2; i++)
			if (ike_engine_next_timer(s->n[i].e) <= s->now)
				ike_engine_tick(s->n[i].e, s->now);
	}
}

void sim_run(struct sim *s, uint64_t max_ms)
{
	sim_run_until(s, max_ms, NULL);
}

static void split_add(const char *list, void (*fn)(void *, const char *), void *ctx)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		fn(ctx, t);
}

static void add_ike(void *c, const char *s)
{
	char err[256];
	if (ike_conn_add_ike_proposal(c, s, err, sizeof(err)) != 0)
		fprintf(stderr, "bad proposal %s: %s\n", s, err);
}

static void add_esp(void *c, const char *s)
{
	char err[256];
	if (ike_child_add_esp_proposal(c, s, err, sizeof(err)) != 0)
		fprintf(stderr, "bad proposal %s: %s\n", s, err);
}

static void add_lts(void *c, const char *s)
{
	if (ike_ts_add(c, true, s) != 0)
		fprintf(stderr, "bad ts %s\n", s);
}

static void add_rts(void *c, const char *s)
{
	if (ike_ts_add(c, false, s) != 0)
		fprintf(stderr, "bad ts %s\n", s);
}

static const uint8_t sim_psk[] = "sim-psk-not-secret";

void sim_conn(struct ike_conn *c, const char *name, int me, const char *ike, const char *esp,
	      const char *lts, const char *rts)
{
	struct ike_child_cfg *ch;

	ike_conn_init(c, name);
	ike_endpoint_parse(me == 0 ? "192.0.2.1" : "192.0.2.2", 0, &c->local);
	ike_endpoint_parse(me == 0 ? "192.0.2.2" : "192.0.2.1", 0, &c->remote);
	c->psk = sim_psk;
	c->psk_len = sizeof(sim_psk) - 1;
	split_add(ike, add_ike, c);
	if (esp) {
		ch = ike_conn_add_child(c, "net");
		split_add(esp, add_esp, ch);
		split_add(lts, add_lts, ch);
		split_add(rts, add_rts, ch);
	}
}

size_t sim_state_count(struct sim *s, int node, enum ike_sa_state st)
{
	struct ike_sa_info info;
	size_t n = 0;

	for (size_t i = 0; ike_engine_sa_at(s->n[node].e, i, &info) == 0; i++)
		n += info.state == st;
	return n;
}

uint64_t sim_first_uid(struct sim *s, int node)
{
	struct ike_sa_info info;

	return ike_engine_sa_at(s->n[node].e, 0, &info) == 0 ? info.uid : 0;
}

bool sim_both_up(struct sim *s)
{
	return sim_state_count(s, 0, IKE_SA_ESTABLISHED) == 1 &&
	       sim_state_count(s, 1, IKE_SA_ESTABLISHED) == 1;
}

bool sim_log_has(struct sim *s, int node, const char *text)
{
	struct sim_node *n = &s->n[node];

	for (unsigned i = 0; i < 64 && i < n->nlog; i++)
		if (strstr(n->log[i], text))
			return true;
	return false;
}

uint64_t sim_est_uid(struct sim *s, int node)
{
	struct ike_sa_info info;
	uint64_t uid = 0;
	int n = 0;

	for (size_t i = 0; ike_engine_sa_at(s->n[node].e, i, &info) == 0; i++)
		if (info.state == IKE_SA_ESTABLISHED) {
			uid = info.uid;
			n++;
		}
	return n == 1 ? uid : 0;
}

bool sim_child(struct sim *s, int node, unsigned idx, struct ike_child_info *c)
{
	uint64_t uid = sim_est_uid(s, node);

	return uid && ike_engine_child_info(s->n[node].e, uid, idx, c) == 0;
}

unsigned sim_nchildren(struct sim *s, int node)
{
	struct ike_sa_info info;
	uint64_t uid = sim_est_uid(s, node);

	return uid && ike_engine_sa_info(s->n[node].e, uid, &info) == 0 ? info.nchildren : 0;
}

const struct sim_ksa *sim_ksa_find(struct sim *s, int node, uint32_t spi, enum ike_dir dir)
{
	for (size_t i = 0; i < s->n[node].nsas; i++)
		if (s->n[node].sas[i].spi == spi && s->n[node].sas[i].dir == dir)
			return &s->n[node].sas[i];
	return NULL;
}

int sim_add_child(struct ike_conn *c, const char *name, uint8_t proto, const char *props,
		  const char *lts, const char *rts)
{
	struct ike_child_cfg *ch = ike_conn_add_child(c, name);

	if (!ch)
		return -1;
	ch->proto = proto; /* before the proposals: AH ones parse differently */
	split_add(props, add_esp, ch);
	split_add(lts, add_lts, ch);
	split_add(rts, add_rts, ch);
	return ch->n_esp && ch->n_local_ts && ch->n_remote_ts ? 0 : -1;
}

/* Both sides agree: one IKE SA each (the same SPIs, nothing else left),
 * the same CHILD SAs with crossing SPIs, none waiting for a Delete, and
 * the kernels hold exactly their SAs and policies. */
bool sim_consistent(struct sim *s, unsigned want_children)
{
	struct ike_sa_info a, b;
	struct ike_child_info x, y;

	if (ike_engine_sa_count(s->n[0].e) != 1 || ike_engine_sa_count(s->n[1].e) != 1)
		return false;
	if (ike_engine_sa_info(s->n[0].e, sim_est_uid(s, 0), &a) ||
	    ike_engine_sa_info(s->n[1].e, sim_est_uid(s, 1), &b))
		return false;
	if (a.ispi != b.ispi || a.rspi != b.rspi || a.nchildren != want_children ||
	    b.nchildren != want_children)
		return false;
	for (unsigned i = 0; i < a.nchildren; i++) {
		bool found = false;
		if (!sim_child(s, 0, i, &x) || x.superseded)
			return false;
		for (unsigned k = 0; k < b.nchildren; k++)
			if (sim_child(s, 1, k, &y) && !y.superseded && y.spi_in == x.spi_out &&
			    y.spi_out == x.spi_in)
				found = true;
		if (!found)
			return false;
	}
	return s->n[0].nsas == 2 * want_children && s->n[1].nsas == 2 * want_children &&
	       s->n[0].policies == 2 * (int)want_children &&
	       s->n[1].policies == 2 * (int)want_children;
}
