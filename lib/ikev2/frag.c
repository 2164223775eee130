/* IKE fragmentation (RFC 7383): splitting an encrypted message into SKF
 * fragments, each protected on its own (§2.5), and reassembling received
 * fragments with limits on their count, total size and time (§2.6).
 *
 * A fragmented message is kept as its fragments back to back (each a whole
 * IKE message with its own length field), so the retransmission and the
 * response cache (msg.c) resend every fragment (§2.6.1). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

enum { SKF_HDR = 8 }; /* generic payload header + Fragment Number + Total Fragments */

/* The largest IKE message that fits the configured fragment size, which
 * counts the IP and UDP headers (RFC 7383 §2.5.1) and the non-ESP marker. */
static size_t max_message(const struct ike_engine *e, const struct ike_sa *sa)
{
	size_t over = (sa->remote.family == 6 ? 40 : 20) + 8 + (sa->local.port == e->cfg.natt_port ? 4 : 0);

	return sa->conn->frag_size > over ? sa->conn->frag_size - over : 0;
}

bool frag_needed(const struct ike_engine *e, const struct ike_sa *sa, uint8_t exchange,
		 size_t msglen)
{
	/* §2.5: only after both announced support, never IKE_SA_INIT. */
	return sa->frag_ok && sa->conn->frag_size && exchange != IKEV2_EXCH_IKE_SA_INIT &&
	       msglen > max_message(e, sa);
}

size_t frag_build(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h, uint8_t first,
		  const uint8_t *plain, size_t plen)
{
	size_t maxmsg = max_message(e, sa), avail, chunk, total, off = 0, out = 0;

	if (maxmsg <= IKEV2_HDR_LEN + SKF_HDR + 64)
		return 0;
	avail = maxmsg - IKEV2_HDR_LEN - SKF_HDR;
	/* The most plaintext whose IV | ciphertext | padding | ICV fits. */
	for (chunk = avail; chunk > 0 && oc_sk_sealed_len(&sa->sk_out, chunk) > avail; chunk--)
		;
	if (!chunk)
		return 0;
	total = (plen + chunk - 1) / chunk;
	if (total == 0 || total > 0xffff)
		return 0;
	for (size_t num = 1; num <= total; num++) {
		size_t n = plen - off < chunk ? plen - off : chunk;
		size_t sealed = oc_sk_sealed_len(&sa->sk_out, n);
		struct wire_writer w;

		if (out + IKEV2_HDR_LEN + SKF_HDR + sealed > sizeof(e->buf))
			return 0;
		w = wire_writer_init(e->buf + out, sizeof(e->buf) - out);
		ike_hdr_put(&w, h, IKEV2_PL_SKF, IKEV2_VERSION);
		/* §2.5: Next Payload is the first inner payload in fragment 1 only. */
		wire_put_u8(&w, num == 1 ? first : IKEV2_PL_NONE);
		wire_put_u8(&w, 0);
		wire_put_u16(&w, (uint16_t)(SKF_HDR + sealed));
		wire_put_u16(&w, (uint16_t)num);
		wire_put_u16(&w, (uint16_t)total);
		wire_put_zero(&w, sealed);
		ike_hdr_set_length(&w);
		/* Header and SKF header are the associated data (§2.5). */
		if (oc_sk_seal(&sa->sk_out, e->buf + out, IKEV2_HDR_LEN + SKF_HDR, plain + off, n,
			       e->buf + out + IKEV2_HDR_LEN + SKF_HDR, sealed) != 0)
			return 0;
		off += n;
		out += w.len;
	}
	ike_log(e, sa, IKE_LOG_DEBUG, "message %u sent in %zu fragments", h->msgid, total);
	return out;
}

static void slot_free(struct ike_sa *sa, int dir)
{
	struct ike_frags *f = sa->frags[dir];

	if (!f)
		return;
	for (unsigned i = 0; i < IKE_FRAG_MAX; i++)
		if (f->part[i]) {
			oc_wipe(f->part[i], f->part_len[i]);
			/* An empty fragment took 1 octet (frag_input). */
			sa_free(sa, f->part[i], f->part_len[i] ? f->part_len[i] : 1);
		}
	sa_free(sa, f, sizeof(*f));
	sa->frags[dir] = NULL;
}

void frag_free(struct ike_sa *sa)
{
	slot_free(sa, 0);
	slot_free(sa, 1);
}

int frag_input(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
	       const struct ikev2_msg *m, uint8_t *first, size_t *plen)
{
	const struct ikev2_payload *p = ikev2_find(&m->chain, IKEV2_PL_SKF);
	int dir = (m->hdr.flags & IKEV2_FLAG_RESPONSE) ? 1 : 0;
	const struct ikev2_skf *skf;
	struct ike_frags *f;
	size_t aad, n, len = 0;
	uint16_t num, total;

	if (!p || !sa->sk_in.encr || !sa->conn->frag_size)
		return -1; /* we did not announce support: not for us (§2.3) */
	skf = &p->u.skf;
	num = skf->number;
	total = skf->total;
	if (total > e->cfg.frag_max_count || total > IKE_FRAG_MAX) {
		ike_log(e, sa, IKE_LOG_ERROR,
			"message %u: %u fragments exceed the limit of %u, dropped", m->hdr.msgid,
			total, e->cfg.frag_max_count);
		slot_free(sa, dir);
		return 1;
	}
	f = sa->frags[dir];
	if (f && f->msgid == m->hdr.msgid && total < f->total)
		return 1; /* §2.6: an older, larger split of the same message */
	if (f && (f->msgid != m->hdr.msgid || total > f->total)) {
		slot_free(sa, dir); /* another message, or resent in smaller pieces */
		f = NULL;
	}
	if (f && f->part[num - 1])
		return 1; /* duplicate */
	aad = (size_t)(skf->data - buf);
	if (skf->len > sizeof(e->plain) ||
	    oc_sk_open(&sa->sk_in, buf, aad, skf->data, skf->len, e->plain, &n) != 0)
		return -1; /* §2.6: each fragment is checked alone; bad ones dropped */
	if (!f) {
		f = sa_alloc(sa, sizeof(*f));
		if (!f)
			return 1;
		sa->frags[dir] = f;
		f->msgid = m->hdr.msgid;
		f->total = total;
		f->deadline = e->now + e->cfg.frag_timeout_ms;
	}
	if (f->bytes + n > e->cfg.frag_max_bytes || f->bytes + n > sizeof(e->plain)) {
		ike_log(e, sa, IKE_LOG_ERROR,
			"message %u: reassembly exceeds %u bytes, dropped", m->hdr.msgid,
			e->cfg.frag_max_bytes);
		slot_free(sa, dir);
		return 1;
	}
	f->part[num - 1] = sa_alloc(sa, n ? n : 1);
	if (!f->part[num - 1])
		return 1;
	memcpy(f->part[num - 1], e->plain, n);
	f->part_len[num - 1] = (uint16_t)n;
	f->bytes += n;
	if (num == 1)
		f->first = skf->first_inner;
	if (++f->have < f->total)
		return 1;
	for (unsigned i = 0; i < f->total; i++) {
		memcpy(e->plain + len, f->part[i], f->part_len[i]);
		len += f->part_len[i];
	}
	*first = f->first;
	*plen = len;
	ike_log(e, sa, IKE_LOG_DEBUG, "message %u reassembled from %u fragments (%zu bytes)",
		m->hdr.msgid, f->total, len);
	slot_free(sa, dir);
	return 0;
}

void frag_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now)
{
	for (int dir = 0; dir < 2; dir++) {
		struct ike_frags *f = sa->frags[dir];
		if (f && now >= f->deadline) {
			ike_log(e, sa, IKE_LOG_ERROR,
				"message %u: reassembly timed out with %u of %u fragments, dropped",
				f->msgid, f->have, f->total);
			slot_free(sa, dir);
		}
	}
}

uint64_t frag_deadline(const struct ike_sa *sa)
{
	uint64_t t = UINT64_MAX;

	for (int dir = 0; dir < 2; dir++)
		if (sa->frags[dir] && sa->frags[dir]->deadline < t)
			t = sa->frags[dir]->deadline;
	return t;
}
