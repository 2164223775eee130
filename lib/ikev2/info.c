/* INFORMATIONAL (§1.4): deleting CHILD SAs and the IKE SA in both
 * directions, error notifies, and empty liveness checks. */
#include "ikev2/internal.h"

#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint8_t proto_of(const struct ike_sa *sa, const struct ike_child *ch)
{
	return child_cfg_proto(&sa->conn->children[ch->cfg_index]);
}

void info_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			 const struct ikev2_chain *c)
{
	/* Our SPIs for the answer, by protocol: [0] ESP, [1] AH (§3.11). */
	uint8_t spis[2][4 * 64];
	uint16_t nspis[2] = { 0, 0 };
	bool delete_ike = false;
	struct ike_mb m = { .n = 0 };

	for (size_t i = 0; i < c->count; i++) {
		const struct ikev2_payload *p = &c->pl[i];
		if (p->type == IKEV2_PL_DELETE) {
			const struct ikev2_delete *d = &p->u.del;
			if (d->protocol == IKEV2_PROTO_IKE) {
				delete_ike = true;
				continue;
			}
			if ((d->protocol != IKEV2_PROTO_ESP && d->protocol != IKEV2_PROTO_AH) ||
			    d->spi_size != 4)
				continue;
			for (uint16_t k = 0; k < d->nspis; k++) {
				/* The peer names its inbound SPI: our outbound one (§3.11). */
				uint32_t spi = wire_load_u32(d->spis + 4 * k);
				struct ike_child *ch = child_by_spi(sa, spi, false);
				struct ike_sa *in = sa;
				if (!ch && sa->successor) {
					/* Rekeyed meanwhile: the CHILD SA moved (rekey.c). */
					in = ike_sa_by_uid(e, sa->successor);
					ch = in ? child_by_spi(in, spi, false) : NULL;
				}
				if (!ch || proto_of(in, ch) != d->protocol)
					continue;
				int x = d->protocol == IKEV2_PROTO_AH;
				if (nspis[x] < 64)
					put32(spis[x] + 4 * nspis[x]++, ch->spi_in);
				child_remove(e, in, ch, "deleted by peer");
			}
		} else if (p->type == IKEV2_PL_NOTIFY &&
			   p->u.notify.type == IKEV2_N_AUTHENTICATION_FAILED) {
			ike_log(e, sa, IKE_LOG_ERROR, "peer says authentication failed");
			ike_event(e, sa, IKE_EV_IKE_FAILED, 0, IKEV2_N_AUTHENTICATION_FAILED,
				  "peer rejected our authentication");
			delete_ike = true;
		}
	}
	for (int x = 0; x < 2 && !delete_ike; x++) {
		/* §1.4.1: answer with the SPIs of our halves of the pairs. */
		struct ikev2_payload *p;
		if (!nspis[x])
			continue;
		p = mb_add(&m, IKEV2_PL_DELETE);
		p->u.del.protocol = x ? IKEV2_PROTO_AH : IKEV2_PROTO_ESP;
		p->u.del.spi_size = 4;
		p->u.del.nspis = nspis[x];
		p->u.del.spis = spis[x];
	}
	ike_send_response(e, sa, h, &m);
	if (delete_ike)
		ike_sa_destroy(e, sa, "deleted by peer");
}

void info_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c)
{
	(void)h;
	(void)c;
	ike_clear_request(sa);
	/* Only the answer to our Delete ends it: an SA superseded by a rekey
	 * is DELETING too, and may still see answers to other requests. */
	if (sa->state == IKE_SA_DELETING && sa->delete_sent)
		ike_sa_destroy(e, sa, "deleted");
}

void info_send_delete_child(struct ike_engine *e, struct ike_sa *sa, uint32_t child_id)
{
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	struct ike_child *ch;
	uint8_t spi[4];

	for (ch = sa->children; ch && ch->id != child_id; ch = ch->next)
		;
	if (!ch)
		return;
	put32(spi, ch->spi_in);
	p = mb_add(&m, IKEV2_PL_DELETE);
	p->u.del.protocol = proto_of(sa, ch);
	p->u.del.spi_size = 4;
	p->u.del.nspis = 1;
	p->u.del.spis = spi;
	/* Our inbound SA goes now; the peer removes its pair on receipt. */
	child_remove(e, sa, ch, "deleted locally");
	ike_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &m);
}

void info_send_delete_ike(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p = mb_add(&m, IKEV2_PL_DELETE);

	p->u.del.protocol = IKEV2_PROTO_IKE;
	sa->state = IKE_SA_DELETING;
	sa->delete_sent = true;
	if (ike_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &m) != 0)
		ike_sa_destroy(e, sa, "deleted");
}

void info_send_empty(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_mb m = { .n = 0 };

	ike_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &m);
}

void info_send_notify(struct ike_engine *e, struct ike_sa *sa, uint16_t type)
{
	struct ike_mb m = { .n = 0 };

	mb_notify(&m, 0, type, NULL, 0);
	ike_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &m);
}
