/* The engine object: SA table, inputs, timers and the output queue
 * (engine.h DESIGN).  Exchange logic lives in init.c, auth.c, child.c and
 * info.c; this file routes datagrams to them (§2.3 message IDs, §2.21
 * error handling for unauthenticated input). */
#include "ikev2/internal.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "natt.h"

void ike_engine_cfg_init(struct ike_engine_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->cookie_threshold = 10;
	cfg->natt_port = 4500;
	cfg->max_half_open = 1000;
	cfg->frag_max_count = 32;
	cfg->frag_max_bytes = IKE_MAX_MSG;
	cfg->frag_timeout_ms = 10000;
	cfg->delete_rekeyed_delay_ms = 5000;
}

static int default_rng(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	return oc_random(buf, n);
}

int ike_random(struct ike_engine *e, void *buf, size_t n)
{
	return e->cfg.rng.fn(e->cfg.rng.ctx, buf, n);
}

struct ike_engine *ike_engine_new(const struct ike_engine_cfg *cfg)
{
	struct ike_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->cfg = *cfg;
	if (!e->cfg.rng.fn)
		e->cfg.rng.fn = default_rng;
	if (!e->cfg.natt_port)
		e->cfg.natt_port = 4500;
	if (!e->cfg.frag_max_count || e->cfg.frag_max_count > IKE_FRAG_MAX)
		e->cfg.frag_max_count = e->cfg.frag_max_count ? IKE_FRAG_MAX : 32;
	if (!e->cfg.frag_max_bytes || e->cfg.frag_max_bytes > IKE_MAX_MSG)
		e->cfg.frag_max_bytes = IKE_MAX_MSG;
	if (!e->cfg.frag_timeout_ms)
		e->cfg.frag_timeout_ms = 10000;
	e->out_tail = &e->out_head;
	e->next_uid = 1;
	e->next_req = 1;
	e->next_job = 1;
	e->next_reqid = 1;
	if (ike_random(e, e->cookie_secret, sizeof(e->cookie_secret)) != 0) {
		free(e);
		return NULL;
	}
	return e;
}

static void sa_free_all(struct ike_engine *e, struct ike_sa *sa);

void ike_engine_free(struct ike_engine *e)
{
	struct ike_out *o;

	if (!e)
		return;
	while (e->sas) {
		struct ike_sa *sa = e->sas;
		e->sas = sa->next;
		sa_free_all(e, sa);
	}
	while ((o = ike_engine_poll(e))) {
		if (o->kind == IKE_OUT_JOB)
			ike_job_free(o->u.job);
		ike_out_free(o);
	}
	for (size_t i = 0; i < e->ndone; i++)
		ike_job_free(e->done_head[i]);
	free(e->conns);
	oc_wipe(e->cookie_secret, sizeof(e->cookie_secret));
	free(e);
}

/* ---- memory accounting: every SA allocation goes through these ---- */

void *sa_alloc(struct ike_sa *sa, size_t n)
{
	void *p = calloc(1, n);

	if (p)
		sa->mem += n;
	return p;
}

void sa_free(struct ike_sa *sa, void *p, size_t n)
{
	if (!p)
		return;
	oc_wipe(p, n);
	free(p);
	sa->mem -= n;
}

/* ---- outputs ---- */

struct ike_out *ike_out_new(struct ike_engine *e, enum ike_out_kind k, size_t extra)
{
	struct ike_out *o = calloc(1, sizeof(*o) + extra);

	if (!o)
		return NULL;
	o->kind = k;
	*e->out_tail = o;
	e->out_tail = &o->next;
	return o;
}

struct ike_out *ike_out_last(struct ike_engine *e)
{
	if (e->out_tail == &e->out_head)
		return NULL;
	return (struct ike_out *)((char *)e->out_tail - offsetof(struct ike_out, next));
}

struct ike_out *ike_engine_poll(struct ike_engine *e)
{
	struct ike_out *o = e->out_head;

	if (!o)
		return NULL;
	e->out_head = o->next;
	if (!e->out_head)
		e->out_tail = &e->out_head;
	o->next = NULL;
	return o;
}

void ike_out_free(struct ike_out *o)
{
	if (o && o->kind == IKE_OUT_KERNEL)
		oc_wipe(&o->u.kernel, sizeof(o->u.kernel));
	free(o);
}

void ike_emit_send(struct ike_engine *e, const struct ike_endpoint *local,
		   const struct ike_endpoint *remote, const uint8_t *buf, size_t len)
{
	struct ike_out *o = ike_out_new(e, IKE_OUT_SEND, len);

	if (!o)
		return;
	o->u.send.local = *local;
	o->u.send.remote = *remote;
	o->u.send.len = len;
	o->u.send.data = (uint8_t *)(o + 1);
	memcpy(o->u.send.data, buf, len);
}

void ike_emit_kernel(struct ike_engine *e, const struct ike_kernel *k)
{
	struct ike_out *o = ike_out_new(e, IKE_OUT_KERNEL, 0);

	if (o)
		o->u.kernel = *k;
}

static void vevent(struct ike_engine *e, struct ike_sa *sa, enum ike_event_kind k,
		   enum ike_log_level lvl, uint32_t child, uint16_t notify, const char *fmt,
		   va_list ap)
{
	struct ike_out *o = ike_out_new(e, IKE_OUT_EVENT, 0);
	int n;

	if (!o)
		return;
	o->u.event.kind = k;
	o->u.event.level = lvl;
	o->u.event.ike_uid = sa ? sa->uid : 0;
	o->u.event.conn = sa ? sa->conn : NULL;
	o->u.event.child_id = child;
	o->u.event.child_cfg = -1;
	for (const struct ike_child *ch = sa && child ? sa->children : NULL; ch; ch = ch->next)
		if (ch->id == child)
			o->u.event.child_cfg = ch->cfg_index;
	o->u.event.notify = notify;
	o->u.event.dead_peer = sa && sa->peer_dead;
	n = snprintf(o->u.event.text, sizeof(o->u.event.text), "<%s|%llu> ",
		     sa && sa->conn ? sa->conn->name : "-", sa ? (unsigned long long)sa->uid : 0ULL);
	if (n < 0 || (size_t)n >= sizeof(o->u.event.text))
		n = 0;
	vsnprintf(o->u.event.text + n, sizeof(o->u.event.text) - (size_t)n, fmt, ap);
}

void ike_log(struct ike_engine *e, struct ike_sa *sa, enum ike_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vevent(e, sa, IKE_EV_LOG, lvl, 0, 0, fmt, ap);
	va_end(ap);
}

void ike_event(struct ike_engine *e, struct ike_sa *sa, enum ike_event_kind k, uint32_t child,
	       uint16_t notify, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vevent(e, sa, k, IKE_LOG_INFO, child, notify, fmt, ap);
	va_end(ap);
}

/* ---- SA table: a hash on our own SPI ---- */

static uint64_t local_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->ispi : sa->rspi;
}

static unsigned spi_bucket(uint64_t spi)
{
	return (unsigned)((spi ^ (spi >> 17) ^ (spi >> 41)) & 255);
}

void ike_sa_hash(struct ike_engine *e, struct ike_sa *sa)
{
	unsigned b = spi_bucket(local_spi(sa));

	sa->hnext = e->hash[b];
	e->hash[b] = sa;
}

static void sa_unhash(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa **pp = &e->hash[spi_bucket(local_spi(sa))];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == sa) {
			*pp = sa->hnext;
			return;
		}
}

static struct ike_sa *sa_by_spi(struct ike_engine *e, uint64_t spi)
{
	struct ike_sa *sa;

	for (sa = e->hash[spi_bucket(spi)]; sa; sa = sa->hnext)
		if (local_spi(sa) == spi && sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

static unsigned uid_bucket(uint64_t uid)
{
	return (unsigned)(uid & 1023);
}

struct ike_sa *ike_sa_by_uid(struct ike_engine *e, uint64_t uid)
{
	for (struct ike_sa *sa = e->uhash[uid_bucket(uid)]; sa; sa = sa->unext)
		if (sa->uid == uid && sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

static void sa_unhash_uid(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa **pp = &e->uhash[uid_bucket(sa->uid)];

	for (; *pp; pp = &(*pp)->unext)
		if (*pp == sa) {
			*pp = sa->unext;
			return;
		}
}

struct ike_sa *ike_sa_new(struct ike_engine *e, const struct ike_conn *c, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->mem = sizeof(*sa);
	sa->uid = e->next_uid++;
	sa->conn = c;
	sa->initiator = initiator;
	sa->next_child_id = 1;
	sa->next = e->sas;
	e->sas = sa;
	sa->unext = e->uhash[uid_bucket(sa->uid)];
	e->uhash[uid_bucket(sa->uid)] = sa;
	e->nsas++;
	if (!initiator)
		e->half_open++;
	return sa;
}

bool ike_sa_half_open(const struct ike_sa *sa)
{
	return !sa->initiator && sa->state != IKE_SA_ESTABLISHED && sa->state != IKE_SA_DELETING &&
	       sa->state != IKE_SA_DEAD;
}

void ike_sa_destroy(struct ike_engine *e, struct ike_sa *sa, const char *why)
{
	if (sa->state == IKE_SA_DEAD)
		return;
	rekey_on_destroy(e, sa);
	cp_release(e, sa); /* leased virtual IPs back to their pools */
	if (ike_sa_half_open(sa))
		e->half_open--;
	for (struct ike_child *ch = sa->children; ch; ch = ch->next) {
		if (ch->installed) {
			child_delete_kernel(e, sa, ch);
			ike_event(e, sa, IKE_EV_CHILD_DOWN, ch->id, 0, "CHILD_SA %u deleted (%s)",
				  ch->id, why);
		}
	}
	linger_orphaned(e, sa); /* our Deletes it carried go again elsewhere */
	linger_flush(e, sa);    /* the rekeyed inbound SAs still here go with it */
	ike_event(e, sa, IKE_EV_IKE_DOWN, 0, 0, "IKE_SA deleted: %s", why);
	sa->state = IKE_SA_DEAD; /* freed by the reaper at the end of the input */
}

static void sa_free_all(struct ike_engine *e, struct ike_sa *sa)
{
	(void)e;
	while (sa->children) {
		struct ike_child *ch = sa->children;
		sa->children = ch->next;
		child_free(sa, ch);
	}
	acquire_free_all(sa);
	linger_free_all(sa);
	ike_hs_free(sa);
	ike_rhs_free(sa);
	ike_unpark(sa);
	ike_unpark_from(sa, &sa->rparked);
	frag_free(sa);
	cp_free(sa);
	ike_clear_request(sa);
	sa_free(sa, sa->resp, sa->resp_len);
	oc_sk_wipe(&sa->sk_in);
	oc_sk_wipe(&sa->sk_out);
	oc_wipe(sa, sizeof(*sa));
	free(sa);
}

static void reap(struct ike_engine *e)
{
	struct ike_sa **pp = &e->sas;

	while (*pp) {
		struct ike_sa *sa = *pp;
		if (sa->state == IKE_SA_DEAD) {
			*pp = sa->next;
			sa_unhash(e, sa);
			sa_unhash_uid(e, sa);
			e->nsas--;
			sa_free_all(e, sa);
		} else {
			pp = &sa->next;
		}
	}
}

/* Runs at the end of every input: inline job completions, then dead SAs. */
void ike_finish_input(struct ike_engine *e)
{
	ike_jobs_deliver_inline(e);
	reap(e);
}

uint32_t ike_new_reqid(struct ike_engine *e)
{
	return e->next_reqid++;
}

/* ---- inbound datagrams ---- */

/* Parses a parked message again into e->plain (NULL when it does not). */
static bool unpark_chain(struct ike_engine *e, struct ike_sa *sa, struct ike_parked **pp,
			 struct ike_hdr *h, struct ikev2_chain *c)
{
	struct ike_parked *p = *pp;
	struct ike_error err = { 0 };
	struct ike_arena a = ike_arena_init(e->arena, sizeof(e->arena));

	memcpy(e->plain, p->data, p->len);
	if (ikev2_parse_chain(p->first, e->plain, p->len, IKEV2_HDR_LEN + 4, &a, c, &err) != 0)
		return false;
	*h = p->hdr;
	e->in_first = p->first; /* a handler may park it again */
	e->in_plen = p->len;
	ike_unpark_from(sa, pp);
	return true;
}

/* The responder side of a CREATE_CHILD_SA (sa->rhs) got what it waited for. */
static void resume_responder(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->rhs;
	struct ikev2_chain c;
	struct ike_hdr h;

	if (!hs || hs->ke_pending || hs->spi_req || !sa->rparked || sa->state == IKE_SA_DEAD)
		return;
	if (unpark_chain(e, sa, &sa->rparked, &h, &c))
		ccsa_handle_request(e, sa, &h, &c);
	ike_run_tasks(e, sa);
}

/* Continues whatever was waiting for an SPI or a KE result. */
void ike_resume(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;

	resume_responder(e, sa);
	if (!hs || hs->ke_pending || hs->spi_req || hs->sign_job || hs->verify_job ||
	    sa->state == IKE_SA_DEAD)
		return;
	if (sa->parked) {
		struct ikev2_chain c;
		struct ike_hdr h;

		if (!unpark_chain(e, sa, &sa->parked, &h, &c))
			return;
		if (h.flags & IKEV2_FLAG_RESPONSE) {
			if (h.exchange == IKEV2_EXCH_CREATE_CHILD_SA)
				ccsa_handle_response(e, sa, &h, &c);
			else if (h.exchange == IKEV2_EXCH_IKE_AUTH)
				auth_handle_response(e, sa, &h, &c);
		} else if (h.exchange == IKEV2_EXCH_IKE_AUTH) {
			auth_handle_request(e, sa, &h, &c);
		}
		ike_run_tasks(e, sa);
		return;
	}
	if (sa->initiator && sa->state == IKE_SA_INIT_SENT)
		init_resume_initiator(e, sa);
	else if (!sa->initiator && sa->state == IKE_SA_INIT_WAIT)
		init_resume_responder(e, sa);
	else if (sa->initiator && sa->state == IKE_SA_AUTH_WAIT)
		auth_send_request(e, sa);
	else if (sa->state == IKE_SA_ESTABLISHED && hs->ccsa && !sa->req)
		rekey_send(e, sa);
}

static struct ike_sa *half_open_by_ispi(struct ike_engine *e, uint64_t ispi,
					const struct ike_endpoint *remote)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->initiator && sa->ispi == ispi && sa->state != IKE_SA_DEAD &&
		    sa->remote.family == remote->family && sa->remote.port == remote->port &&
		    memcmp(sa->remote.addr, remote->addr, 16) == 0)
			return sa;
	return NULL;
}

static void handle_encrypted(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
			     size_t len, const struct ikev2_msg *m)
{
	bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	struct ikev2_chain inner;
	uint8_t first;
	size_t plen;
	int rc;
	const struct ikev2_payload *skf = ikev2_find(&m->chain, IKEV2_PL_SKF);

	if (!response) {
		if (m->hdr.msgid + 1 == sa->msgid_in && sa->resp) {
			/* §2.1: a retransmitted request gets the cached response
			 * again; a fragmented one only for its fragment 1, not
			 * once per fragment (RFC 7383 §2.6.1). */
			if (!skf || skf->u.skf.number == 1) {
				ike_sa_send(e, sa, sa->resp, sa->resp_len);
				e->stats.responses_resent++;
			}
			return;
		}
		bool busy = sa->rparked ||
			    (sa->parked && !(sa->parked->hdr.flags & IKEV2_FLAG_RESPONSE));

		if (m->hdr.msgid != sa->msgid_in || busy) {
			if (!busy)
				IKE_DROP(e, IKE_DROP_WRONG_STATE);
			return; /* out of window, or already being handled */
		}
	} else if (!sa->req || m->hdr.msgid + 1 != sa->msgid_out) {
		IKE_DROP(e, IKE_DROP_WRONG_STATE);
		return; /* not the answer to our outstanding request */
	}
	if (skf) {
		rc = frag_input(e, sa, buf, m, &first, &plen);
		if (rc == 1)
			return; /* more fragments to come (or dropped, logged) */
		if (rc == 0)
			rc = ike_parse_inner(e, sa, first, plen, &inner);
	} else {
		rc = ike_decrypt(e, sa, buf, len, m, &inner, &first, &plen);
	}
	if (rc == -1) {
		IKE_DROP(e, IKE_DROP_INTEGRITY);
		return; /* §2.21.2: failed integrity check: drop, no answer */
	}
	if (rc == -2) {
		/* Authentic but malformed: INVALID_SYNTAX (§2.21.2, §3.10.1). */
		if (!response) {
			struct ike_mb mb = { .n = 0 };
			mb_notify(&mb, 0, IKEV2_N_INVALID_SYNTAX, NULL, 0);
			ike_send_response(e, sa, &m->hdr, &mb);
			if (m->hdr.exchange == IKEV2_EXCH_IKE_AUTH)
				ike_sa_destroy(e, sa, "invalid syntax in IKE_AUTH");
		} else {
			ike_clear_request(sa);
			ike_sa_destroy(e, sa, "invalid syntax in response");
		}
		return;
	}
	/* Authentic (integrity checked): the peer is alive (DPD, §1.4). */
	sa->last_recv = e->now;
	e->in_first = first;
	e->in_plen = plen;
	if (response) {
		switch (sa->req_exch) {
		case IKEV2_EXCH_IKE_AUTH:
			auth_handle_response(e, sa, &m->hdr, &inner);
			break;
		case IKEV2_EXCH_CREATE_CHILD_SA:
			ccsa_handle_response(e, sa, &m->hdr, &inner);
			break;
		case IKEV2_EXCH_INFORMATIONAL:
			info_handle_response(e, sa, &m->hdr, &inner);
			break;
		}
		ike_run_tasks(e, sa);
		return;
	}
	switch (m->hdr.exchange) {
	case IKEV2_EXCH_IKE_AUTH:
		if (sa->initiator || sa->state != IKE_SA_AUTH_WAIT)
			return;
		if (!sa->hs || sa->hs->spi_req || sa->hs->ke_pending) {
			/* The child's SPI is not there yet: continue when it is. */
			if (sa->hs)
				ike_park(sa, &m->hdr, first, e->plain, plen);
			return;
		}
		auth_handle_request(e, sa, &m->hdr, &inner);
		break;
	case IKEV2_EXCH_CREATE_CHILD_SA:
		if (sa->state == IKE_SA_ESTABLISHED) {
			ccsa_handle_request(e, sa, &m->hdr, &inner);
		} else if (sa->state == IKE_SA_DELETING) {
			/* §2.25: being deleted (or rekeyed): try again later. */
			struct ike_mb mb = { .n = 0 };
			mb_notify(&mb, 0, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
			ike_send_response(e, sa, &m->hdr, &mb);
		}
		break;
	case IKEV2_EXCH_INFORMATIONAL:
		if (sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_DELETING)
			info_handle_request(e, sa, &m->hdr, &inner);
		break;
	default: {
		/* Unknown exchange on an SA (§2.21.2 leaves it to us): INVALID_SYNTAX. */
		struct ike_mb mb = { .n = 0 };
		mb_notify(&mb, 0, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		ike_send_response(e, sa, &m->hdr, &mb);
	}
	}
	ike_run_tasks(e, sa);
}

void ike_engine_recv(struct ike_engine *e, uint64_t now, const struct ike_endpoint *local,
		     const struct ike_endpoint *remote, const uint8_t *buf, size_t len)
{
	struct ike_error err = { 0 };
	struct ikev2_msg m;
	struct ike_arena a = ike_arena_init(e->arena, sizeof(e->arena));
	struct ike_sa *sa;

	if (now > e->now)
		e->now = now;
	if (local->port == e->cfg.natt_port) {
		size_t off = 0;
		if (natt_classify(buf, len, &off) != NATT_IKE)
			return; /* keepalive, or ESP the kernel should have taken */
		buf += off;
		len -= off;
	}
	if (len > IKE_MAX_MSG) {
		IKE_DROP(e, IKE_DROP_TOO_LARGE);
		return;
	}
	if (ikev2_parse_header(buf, len, &m.hdr, &err) != 0) {
		IKE_DROP(e, IKE_DROP_MALFORMED);
		return;
	}
	if (m.hdr.exchange == IKEV2_EXCH_IKE_SA_INIT) {
		if (ikev2_parse(buf, len, &a, &m, &err) != 0) {
			IKE_DROP(e, IKE_DROP_MALFORMED);
			/* Nothing authenticated yet: answer syntax errors only to
			 * requests, statelessly (§2.21.1). */
			if (!(m.hdr.flags & IKEV2_FLAG_RESPONSE) && m.hdr.rspi == 0)
				ike_send_plain_notify(e, &m.hdr, local, remote, ike_error_notify(&err),
						      NULL, 0);
			goto out;
		}
		if (!(m.hdr.flags & IKEV2_FLAG_RESPONSE)) {
			if (!(m.hdr.flags & IKEV2_FLAG_INITIATOR) || m.hdr.msgid != 0) {
				IKE_DROP(e, IKE_DROP_MALFORMED);
				goto out;
			}
			sa = half_open_by_ispi(e, m.hdr.ispi, remote);
			if (sa) {
				if (sa->resp) {
					ike_sa_send(e, sa, sa->resp, sa->resp_len);
					e->stats.responses_resent++;
				}
				goto out; /* retransmission: cached answer or still working */
			}
			init_handle_request(e, buf, len, &m, local, remote);
		} else {
			sa = sa_by_spi(e, m.hdr.ispi);
			if (sa && sa->initiator && sa->state == IKE_SA_INIT_SENT && sa->req)
				init_handle_response(e, sa, buf, len, &m);
			else
				IKE_DROP(e, sa ? IKE_DROP_WRONG_STATE : IKE_DROP_UNKNOWN_SPI);
		}
		goto out;
	}
	sa = sa_by_spi(e, (m.hdr.flags & IKEV2_FLAG_INITIATOR) ? m.hdr.rspi : m.hdr.ispi);
	if (!sa || sa->ispi != m.hdr.ispi || sa->rspi != m.hdr.rspi ||
	    sa->initiator == !!(m.hdr.flags & IKEV2_FLAG_INITIATOR)) {
		IKE_DROP(e, IKE_DROP_UNKNOWN_SPI);
		goto out; /* §2.21.4 would allow INVALID_IKE_SPI; we stay silent */
	}
	if (ikev2_parse(buf, len, &a, &m, &err) != 0) {
		IKE_DROP(e, IKE_DROP_MALFORMED);
		goto out;
	}
	/* NAT-T: the initiator floats to the NAT-T port; the responder follows
	 * the port the peer uses now (§2.23). */
	if (!sa->natt && local->port == e->cfg.natt_port) {
		sa->natt = true;
		sa->local.port = local->port;
		sa->remote.port = remote->port;
	}
	handle_encrypted(e, sa, buf, len, &m);
out:
	ike_finish_input(e);
}

/* ---- locally started actions ---- */

uint64_t ike_initiate(struct ike_engine *e, const struct ike_conn *c, unsigned ci,
		      const struct ike_acq *acq)
{
	struct ike_sa *sa;
	struct ike_hs *hs;
	uint64_t uid;

	if (c->remote.family == 0 || c->n_ike == 0 || (c->n_children && ci >= c->n_children))
		return 0;
	sa = ike_sa_new(e, c, true);
	if (!sa)
		return 0;
	uid = sa->uid;
	sa->local = c->local;
	sa->remote = c->remote;
	if (!sa->local.port)
		sa->local.port = 500;
	if (!sa->remote.port)
		sa->remote.port = 500;
	sa->state = IKE_SA_INIT_SENT;
	do {
		if (ike_random(e, &sa->ispi, sizeof(sa->ispi)) != 0) {
			ike_sa_destroy(e, sa, "no randomness");
			return 0;
		}
	} while (sa->ispi == 0 || sa_by_spi(e, sa->ispi));
	ike_sa_hash(e, sa);
	ike_event(e, sa, IKE_EV_LOG, 0, 0, "initiating IKE_SA %s to %u", c->name, sa->remote.port);
	hs = ike_hs_get(sa);
	if (!hs) {
		ike_sa_destroy(e, sa, "out of memory");
		return 0;
	}
	/* The CHILD SA of IKE_AUTH (auth.c): config ci, an ACQUIRE's reqid
	 * and packet selectors. */
	hs->child_cfg = (uint8_t)ci;
	if (acq) {
		hs->reqid = acq->reqid;
		hs->pkt_have = acq->pkt_have;
		memcpy(hs->pkt_ts, acq->pkt_ts, sizeof(hs->pkt_ts));
	}
	if (c->n_children)
		ike_request_spi(e, sa);
	if (ike_start_ke(e, sa, prop_first_group(c->ike, c->n_ike), NULL, 0) != 0)
		ike_sa_destroy(e, sa, "cannot start key exchange");
	return uid;
}

uint64_t ike_engine_initiate(struct ike_engine *e, uint64_t now, const struct ike_conn *c)
{
	uint64_t uid;

	if (now > e->now)
		e->now = now;
	uid = ike_initiate(e, c, 0, NULL);
	ike_finish_input(e);
	return uid;
}

/* ---- timers ---- */

void ike_engine_tick(struct ike_engine *e, uint64_t now)
{
	static const uint8_t keepalive = NATT_KEEPALIVE_BYTE;

	if (now > e->now)
		e->now = now;
	now = e->now;
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		if (sa->half_open_deadline && now >= sa->half_open_deadline && ike_sa_half_open(sa)) {
			ike_log(e, sa, IKE_LOG_INFO, "half-open IKE_SA timed out");
			ike_sa_destroy(e, sa, "half-open timeout");
			continue;
		}
		ike_retransmit_check(e, sa, now);
		frag_tick(e, sa, now);
		if (sa->state != IKE_SA_DEAD)
			rekey_tick(e, sa, now);
		if (sa->state != IKE_SA_DEAD)
			dpd_tick(e, sa, now);
		if (sa->state != IKE_SA_DEAD)
			linger_tick(e, sa, now);
		if (sa->state == IKE_SA_ESTABLISHED && sa->nat_local && sa->keepalive_deadline &&
		    now >= sa->keepalive_deadline) {
			/* RFC 3948 §2.3: keep the NAT mapping alive. */
			ike_emit_send(e, &sa->local, &sa->remote, &keepalive, 1);
			sa->keepalive_deadline = now + sa->conn->keepalive_ms;
		}
	}
	ike_finish_input(e);
}

uint64_t ike_engine_next_timer(const struct ike_engine *e)
{
	uint64_t t = UINT64_MAX;

	for (const struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		if (sa->req && sa->req_deadline < t)
			t = sa->req_deadline;
		if (frag_deadline(sa) < t)
			t = frag_deadline(sa);
		if (rekey_deadline(sa) < t)
			t = rekey_deadline(sa);
		if (dpd_deadline(sa) < t)
			t = dpd_deadline(sa);
		if (linger_deadline(sa) < t)
			t = linger_deadline(sa);
		if (ike_sa_half_open(sa) && sa->half_open_deadline && sa->half_open_deadline < t)
			t = sa->half_open_deadline;
		if (sa->state == IKE_SA_ESTABLISHED && sa->nat_local && sa->keepalive_deadline &&
		    sa->keepalive_deadline < t)
			t = sa->keepalive_deadline;
	}
	return t;
}
