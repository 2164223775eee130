/* Messages: building, SK protection (§3.14), sending from the SA's
 * endpoints, message IDs with a window of one (§2.3), retransmission with
 * exponential back-off and the response cache (§2.1). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "natt.h"

struct ike_arena ike_build_arena(struct ike_engine *e)
{
	return ike_arena_init(e->barena, sizeof(e->barena));
}

struct ikev2_payload *mb_add(struct ike_mb *m, uint8_t type)
{
	struct ikev2_payload *p;

	if (m->n >= sizeof(m->pl) / sizeof(m->pl[0]))
		return NULL;
	p = &m->pl[m->n++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	return p;
}

void mb_notify(struct ike_mb *m, uint8_t proto, uint16_t type, const void *data, size_t len)
{
	struct ikev2_payload *p = mb_add(m, IKEV2_PL_NOTIFY);

	if (!p)
		return;
	p->u.notify.protocol = proto;
	p->u.notify.type = type;
	p->u.notify.data = data;
	p->u.notify.len = len;
}

size_t ike_build_plain(struct ike_engine *e, const struct ike_hdr *h, struct ike_mb *m)
{
	struct ikev2_msg msg = { .hdr = *h, .chain = { .count = m->n, .pl = m->pl } };
	struct ike_error err = { 0 };
	size_t len;

	if (ikev2_build(&msg, e->buf, sizeof(e->buf), &len, &err) != 0)
		return 0;
	return len;
}

/* Header | SK header | IV | encrypted inner chain | ICV into e->buf. */
static size_t build_encrypted(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			      struct ike_mb *m)
{
	struct ikev2_chain c = { .count = m->n, .pl = m->pl };
	struct ike_error err = { 0 };
	struct wire_writer w;
	size_t plen, sealed;

	if (ikev2_build_chain(&c, e->bplain, sizeof(e->bplain), &plen, &err) != 0)
		return 0;
	sealed = oc_sk_sealed_len(&sa->sk_out, plen);
	if (frag_needed(e, sa, h->exchange, IKEV2_HDR_LEN + 4 + sealed)) {
		size_t n = frag_build(e, sa, h, m->n ? m->pl[0].type : IKEV2_PL_NONE, e->bplain, plen);
		oc_wipe(e->bplain, plen);
		return n;
	}
	if (IKEV2_HDR_LEN + 4 + sealed > IKE_MAX_MSG)
		return 0;
	w = wire_writer_init(e->buf, sizeof(e->buf));
	ike_hdr_put(&w, h, IKEV2_PL_SK, IKEV2_VERSION);
	wire_put_u8(&w, m->n ? m->pl[0].type : IKEV2_PL_NONE);
	wire_put_u8(&w, 0);
	wire_put_u16(&w, (uint16_t)(4 + sealed));
	wire_put_zero(&w, sealed);
	ike_hdr_set_length(&w);
	/* The header and SK header carry their final lengths: they are the
	 * associated data (§3.14, RFC 5282 §5.1). */
	if (oc_sk_seal(&sa->sk_out, e->buf, IKEV2_HDR_LEN + 4, e->bplain, plen,
		       e->buf + IKEV2_HDR_LEN + 4, sealed) != 0)
		return 0;
	oc_wipe(e->bplain, plen);
	return w.len;
}

static void send_one(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	if (sa->local.port == e->cfg.natt_port) {
		size_t n = natt_wrap_ike(e->wrap, sizeof(e->wrap), buf, len);
		if (n)
			ike_emit_send(e, &sa->local, &sa->remote, e->wrap, n);
		return;
	}
	ike_emit_send(e, &sa->local, &sa->remote, buf, len);
}

/* buf holds one message or its fragments back to back (frag.c): each goes
 * out as a datagram of its own, split by the IKE header's length field. */
void ike_sa_send(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	while (len >= IKEV2_HDR_LEN) {
		size_t n = wire_load_u32(buf + 24);
		if (n < IKEV2_HDR_LEN || n > len)
			n = len;
		send_one(e, sa, buf, n);
		buf += n;
		len -= n;
	}
}

static uint64_t rto(const struct ike_sa *sa)
{
	double t = sa->conn->rto_ms ? sa->conn->rto_ms : 4000;
	double f = sa->conn->rto_factor >= 1.0 ? sa->conn->rto_factor : 1.8;

	for (unsigned i = 0; i < sa->req_tries; i++)
		t *= f;
	return (uint64_t)t;
}

void ike_clear_request(struct ike_sa *sa)
{
	sa_free(sa, sa->req, sa->req_len);
	sa->req = NULL;
	sa->req_len = 0;
}

/* Keeps the request for retransmission and sends it. */
static int send_and_keep(struct ike_engine *e, struct ike_sa *sa, uint8_t exch, const uint8_t *buf,
			 size_t len)
{
	ike_clear_request(sa);
	sa->req = sa_alloc(sa, len);
	if (!sa->req)
		return -1;
	memcpy(sa->req, buf, len);
	sa->req_len = len;
	sa->req_exch = exch;
	sa->req_tries = 0;
	sa->req_deadline = e->now + rto(sa);
	ike_sa_send(e, sa, buf, len);
	return 0;
}

int ike_send_request(struct ike_engine *e, struct ike_sa *sa, uint8_t exch, struct ike_mb *m)
{
	struct ike_hdr h = {
		.ispi = sa->ispi, .rspi = sa->rspi, .exchange = exch,
		.flags = sa->initiator ? IKEV2_FLAG_INITIATOR : 0, .msgid = sa->msgid_out,
	};
	size_t len;

	if (sa->req)
		return -1; /* window of one (§2.3) */
	len = exch == IKEV2_EXCH_IKE_SA_INIT ? ike_build_plain(e, &h, m) : build_encrypted(e, sa, &h, m);
	if (!len)
		return -1;
	sa->msgid_out++;
	if (ike_xs_index(exch) >= 0)
		e->stats.initiated[ike_xs_index(exch)]++;
	return send_and_keep(e, sa, exch, e->buf, len);
}

int ike_send_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *req,
		      struct ike_mb *m)
{
	struct ike_hdr h = {
		.ispi = sa->ispi, .rspi = sa->rspi, .exchange = req->exchange,
		.flags = IKEV2_FLAG_RESPONSE | (sa->initiator ? IKEV2_FLAG_INITIATOR : 0),
		.msgid = req->msgid,
	};
	size_t len = req->exchange == IKEV2_EXCH_IKE_SA_INIT ? ike_build_plain(e, &h, m)
							      : build_encrypted(e, sa, &h, m);

	if (!len)
		return -1;
	/* Cache it: a retransmitted request gets the same bytes (§2.1). */
	sa_free(sa, sa->resp, sa->resp_len);
	sa->resp = sa_alloc(sa, len);
	sa->resp_len = sa->resp ? len : 0;
	if (sa->resp)
		memcpy(sa->resp, e->buf, len);
	sa->msgid_in = req->msgid + 1;
	if (ike_xs_index(req->exchange) >= 0)
		e->stats.responded[ike_xs_index(req->exchange)]++;
	ike_sa_send(e, sa, e->buf, len);
	return 0;
}

void ike_send_plain_notify(struct ike_engine *e, const struct ike_hdr *req,
			   const struct ike_endpoint *local, const struct ike_endpoint *remote,
			   uint16_t type, const void *data, size_t len)
{
	struct ike_hdr h = {
		.ispi = req->ispi, .exchange = req->exchange, .flags = IKEV2_FLAG_RESPONSE,
		.msgid = req->msgid,
	};
	struct ike_mb m = { .n = 0 };
	size_t n;

	mb_notify(&m, 0, type, data, len);
	n = ike_build_plain(e, &h, &m);
	if (!n)
		return;
	e->stats.responded[IKE_XS_IKE_SA_INIT]++;
	if (type == IKEV2_N_COOKIE)
		e->stats.cookies_sent++;
	if (local->port == e->cfg.natt_port) {
		size_t w = natt_wrap_ike(e->wrap, sizeof(e->wrap), e->buf, n);
		if (w)
			ike_emit_send(e, local, remote, e->wrap, w);
		return;
	}
	ike_emit_send(e, local, remote, e->buf, n);
}

int ike_decrypt(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf, size_t len,
		const struct ikev2_msg *outer, struct ikev2_chain *inner, uint8_t *first,
		size_t *plen)
{
	const struct ikev2_payload *sk = ikev2_find(&outer->chain, IKEV2_PL_SK);
	size_t aad;

	(void)len;
	if (!sk || !sa->sk_in.encr)
		return -1;
	aad = (size_t)(sk->u.sk.data - buf);
	if (sk->u.sk.len > sizeof(e->plain))
		return -1;
	if (oc_sk_open(&sa->sk_in, buf, aad, sk->u.sk.data, sk->u.sk.len, e->plain, plen) != 0)
		return -1;
	*first = sk->u.sk.first_inner;
	return ike_parse_inner(e, sa, *first, *plen, inner);
}

int ike_parse_inner(struct ike_engine *e, struct ike_sa *sa, uint8_t first, size_t plen,
		    struct ikev2_chain *inner)
{
	struct ike_error err = { 0 };
	/* The outer model is no longer needed: reuse the parse arena. */
	struct ike_arena a = ike_arena_init(e->arena, sizeof(e->arena));

	if (ikev2_parse_chain(first, e->plain, plen, IKEV2_HDR_LEN + IKEV2_PAYLOAD_HDR_LEN, &a,
			      inner, &err) != 0) {
		char why[160];
		ike_error_format(&err, why, sizeof(why));
		ike_log(e, sa, IKE_LOG_ERROR, "malformed encrypted payloads: %s", why);
		return -2;
	}
	return 0;
}

void ike_retransmit_check(struct ike_engine *e, struct ike_sa *sa, uint64_t now)
{
	uint8_t tries = sa->conn->rto_tries;

	if (!sa->req || now < sa->req_deadline)
		return;
	if (sa->req_tries >= tries && sa->delete_sent && sa->successor) {
		/* The Delete of an IKE SA replaced by a rekey: the peer may
		 * have dropped it already (its answer lost); nothing failed. */
		ike_log(e, sa, IKE_LOG_INFO, "no answer to the Delete of the rekeyed IKE_SA");
		ike_clear_request(sa);
		ike_sa_destroy(e, sa, "rekeyed");
		return;
	}
	if (sa->req_tries >= tries) {
		/* An established SA whose peer stopped answering (a DPD or any
		 * other request): a dead peer (§1.4, §2.4). */
		bool dead = sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_DELETING;

		sa->peer_dead = dead; /* events say so (ike_event.dead_peer) */
		ike_log(e, sa, IKE_LOG_ERROR, "giving up after %u retransmits", sa->req_tries);
		ike_event(e, sa, IKE_EV_IKE_FAILED, 0, 0, "peer not responding%s",
			  dead ? " (dead peer)" : "");
		ike_clear_request(sa);
		ike_sa_destroy(e, sa, dead ? "dead peer, no answer to our request"
				     : "peer not responding");
		return;
	}
	sa->req_tries++;
	ike_log(e, sa, IKE_LOG_DEBUG, "retransmit %u of request %u", sa->req_tries,
		sa->msgid_out - 1);
	sa->req_deadline = now + rto(sa);
	e->stats.retransmits++;
	ike_sa_send(e, sa, sa->req, sa->req_len);
}
