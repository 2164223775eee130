/* CHILD SAs: proposals and traffic selectors in both roles (§2.9), KEYMAT
 * (§2.17), kernel actions, and CREATE_CHILD_SA for additional CHILD SAs
 * with optional PFS (§1.3.1); rekeys are rekey.c's. */
#include "ikev2/internal.h"

#include <string.h>

#include "crypto/crypto.h"

static bool cfg_wants_pfs(const struct ike_child_cfg *cc)
{
	return prop_first_group(cc->esp, cc->n_esp) != 0;
}

uint16_t child_pfs_group(const struct ike_child_cfg *cc)
{
	return prop_first_group(cc->esp, cc->n_esp);
}

/* §3.3.1: ESP (3) unless the config says AH (2); a zeroed config is ESP. */
uint8_t child_cfg_proto(const struct ike_child_cfg *cc)
{
	return cc->proto == IKEV2_PROTO_AH ? IKEV2_PROTO_AH : IKEV2_PROTO_ESP;
}

static bool cfg_is_ah(const struct ike_child_cfg *cc)
{
	return child_cfg_proto(cc) == IKEV2_PROTO_AH;
}

int child_offer(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m, unsigned ci,
		uint32_t spi, bool ike_auth, const struct ike_child *like)
{
	const struct ike_child_cfg *cc = &sa->conn->children[ci];
	struct ike_arena a = ike_build_arena(e);
	struct ike_ts ts[IKE_CONN_MAX_TS + 1], cfg[IKE_CONN_MAX_TS];
	struct ikev2_payload *p;
	size_t n;

	/* The arena is shared with the caller's other payloads only through
	 * pointers into conn and hs, so a fresh one is safe here. */
	if (cc->mode == IKE_MODE_TRANSPORT)
		mb_notify(m, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	if (cc->no_tfc_padding && !cfg_is_ah(cc))
		mb_notify(m, 0, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL, 0);
	p = mb_add(m, IKEV2_PL_SA);
	if (!p || prop_build_sa(&a, cc->esp, cc->n_esp, cfg_is_ah(cc) ? OC_PROTO_AH : OC_PROTO_ESP,
				spi, !ike_auth, &p->u.sa) != 0)
		return -1;
	/* A rekey keeps the old selectors; a new CHILD SA offers the config's
	 * (narrowed to virtual IPs, cp.c), after an ACQUIRE's packet
	 * selectors (acquire.c, §2.9). */
	p = mb_add(m, IKEV2_PL_TSI);
	n = like ? 0 : acquire_ts(sa->hs, 0, cfg, cp_ts(sa, cc, true, cfg), ts);
	if (!p || !(like ? ts_list_add(&a, &p->u.ts, like->ts, like->n_local_ts)
			 : n && ts_list_add(&a, &p->u.ts, ts, n)))
		return -1;
	p = mb_add(m, IKEV2_PL_TSR);
	n = like ? 0 : acquire_ts(sa->hs, 1, cfg, cp_ts(sa, cc, false, cfg), ts);
	if (!p || !(like ? ts_list_add(&a, &p->u.ts, like->ts + like->n_local_ts, like->n_remote_ts)
			 : n && ts_list_add(&a, &p->u.ts, ts, n)))
		return -1;
	/* Keep the arena's content alive: it lives in e->barena until sent. */
	return 0;
}

/* The fields every SA action of CHILD SA ch shares (direction in or out). */
static void sa_action(const struct ike_sa *sa, const struct ike_child *ch,
		      enum ike_kernel_op op, bool in, struct ike_kernel *k)
{
	const struct ike_child_cfg *cc = &sa->conn->children[ch->cfg_index];

	memset(k, 0, sizeof(*k));
	k->op = op;
	k->ike_uid = sa->uid;
	k->child_id = ch->id;
	k->reqid = ch->reqid;
	k->dir = in ? IKE_DIR_IN : IKE_DIR_OUT;
	ike_kernel_set_marks(k, cc);
	k->proto = child_cfg_proto(cc);
	k->spi = in ? ch->spi_in : ch->spi_out;
	k->src = in ? sa->remote : sa->local;
	k->dst = in ? sa->local : sa->remote;
}

/* A policy for local selector l and remote selector r: only when both are
 * of one address family (a dual-stack CHILD SA, e.g. with an IPv4 and an
 * IPv6 virtual IP, has IPv4 and IPv6 selectors on each side). */
static bool ts_pair(const struct ike_child *ch, unsigned l, unsigned r)
{
	return ch->ts[l].family == ch->ts[ch->n_local_ts + r].family;
}

/* ADD or DEL_POLICY, out and in, for every selector pair of ch (the kernel
 * backend adds the forward policy of a tunnel's inbound one). */
static void emit_policies(struct ike_engine *e, const struct ike_sa *sa,
			  const struct ike_child *ch, enum ike_kernel_op op)
{
	struct ike_kernel k;

	for (unsigned l = 0; l < ch->n_local_ts; l++)
		for (unsigned r = 0; r < ch->n_remote_ts; r++)
			for (int dir = 0; dir < 2 && ts_pair(ch, l, r); dir++) {
				const struct ike_ts *lts = &ch->ts[l];
				const struct ike_ts *rts = &ch->ts[ch->n_local_ts + r];

				/* A policy's direction is the SA's: out first. */
				sa_action(sa, ch, op, dir == 1, &k);
				k.spi = 0;
				k.mode = ch->transport ? IKE_MODE_TRANSPORT : IKE_MODE_TUNNEL;
				k.ts_src = dir == 0 ? *lts : *rts;
				k.ts_dst = dir == 0 ? *rts : *lts;
				ike_emit_kernel(e, &k);
			}
}

/* KEYMAT split (§2.17): encryption then integrity key for the initiator to
 * responder direction, then the same for the other one (AH: integrity keys
 * only).  "Initiator" is the initiator of the exchange that made the CHILD
 * SA (the Ni of the KEYMAT), not of the IKE SA: they differ for a
 * CREATE_CHILD_SA the IKE SA's responder starts, and after an IKE SA
 * rekey. */
static int install(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch,
		   const struct ike_suite *s, const uint8_t *ni, size_t nilen, const uint8_t *nr,
		   size_t nrlen, const uint8_t *gir, size_t girlen, bool exch_initiator,
		   uint32_t hold_out_for)
{
	const struct ike_child_cfg *cc = &sa->conn->children[ch->cfg_index];
	size_t ek = s->encr ? s->encr->key_len : 0, ak = s->integ ? s->integ->key_len : 0;
	uint8_t km[2 * (OC_MAX_ENCR_KEY + OC_MAX_INTEG_KEY)];
	struct ike_kernel k;
	int rc;

	rc = oc_ikev2_child_keymat(sa->suite.prf, sa->sk_d, sa->suite.prf->out_len, gir, girlen, ni,
				   nilen, nr, nrlen, km, 2 * (ek + ak));
	if (rc != 0)
		return rc;
	for (int dir = 0; dir < 2; dir++) {
		/* dir 0: inbound; it carries responder->initiator traffic for the
		 * initiator and initiator->responder traffic for the responder. */
		bool i2r = (dir == 0) != exch_initiator;
		const uint8_t *keys = km + (i2r ? 0 : ek + ak);

		sa_action(sa, ch, IKE_KERNEL_ADD_SA, dir == 0, &k);
		k.mode = ch->transport ? IKE_MODE_TRANSPORT : IKE_MODE_TUNNEL;
		k.encap = ch->encap;
		k.esn = s->esn;
		k.tfc_ok = ch->tfc_ok;
		k.encr_id = s->encr ? s->encr->id : 0;
		k.encr_bits = s->encr ? s->encr->key_bits : 0;
		k.integ_id = s->integ ? s->integ->id : 0;
		k.enc_key_len = (uint8_t)ek;
		k.integ_key_len = (uint8_t)ak;
		memcpy(k.enc_key, keys, ek);
		memcpy(k.integ_key, keys + ek, ak);
		k.life_seconds = cc->life_seconds;
		k.soft_seconds = ch->rekey_at ? (uint32_t)((ch->rekey_at - e->now + 999) / 1000) : 0;
		k.life_bytes = cc->life_bytes;
		k.life_packets = cc->life_packets;
		k.soft_bytes = cc->rekey_bytes;
		k.soft_packets = cc->rekey_packets;
		if (dir == 1 && hold_out_for)
			linger_hold_out(e, sa, ch, &k, hold_out_for); /* until the old one goes */
		else
			ike_emit_kernel(e, &k);
	}
	oc_wipe(km, sizeof(km));
	oc_wipe(&k, sizeof(k));
	ch->installed = true;
	if (!rekey_policy_install(sa, ch))
		return 0; /* a CHILD SA of this reqid keeps its policies (rekey) */
	emit_policies(e, sa, ch, IKE_KERNEL_ADD_POLICY);
	return 0;
}

static struct ike_child *child_new(struct ike_engine *e, struct ike_sa *sa, unsigned ci,
				   const struct ike_ts *l, size_t nl, const struct ike_ts *r, size_t nr,
				   uint32_t reqid)
{
	struct ike_child *ch = sa_alloc(sa, sizeof(*ch));

	if (!ch)
		return NULL;
	ch->ts = sa_alloc(sa, (nl + nr) * sizeof(*ch->ts));
	if (!ch->ts) {
		sa_free(sa, ch, sizeof(*ch));
		return NULL;
	}
	memcpy(ch->ts, l, nl * sizeof(*l));
	memcpy(ch->ts + nl, r, nr * sizeof(*r));
	ch->n_local_ts = (uint8_t)nl;
	ch->n_remote_ts = (uint8_t)nr;
	ch->cfg_index = (uint8_t)ci;
	ch->id = sa->next_child_id++;
	ch->reqid = reqid ? reqid : ike_new_reqid(e);
	ch->encap = sa->nat_local || sa->nat_remote;
	ch->tfc_ok = true;
	ch->next = sa->children;
	sa->children = ch;
	return ch;
}

void child_free(struct ike_sa *sa, struct ike_child *ch)
{
	linger_drop_out(sa, ch);
	sa_free(sa, ch->ts, (size_t)(ch->n_local_ts + ch->n_remote_ts) * sizeof(*ch->ts));
	sa_free(sa, ch, sizeof(*ch));
}

struct ike_child *child_by_id(struct ike_sa *sa, uint32_t id)
{
	for (struct ike_child *ch = sa->children; ch; ch = ch->next)
		if (ch->id == id)
			return ch;
	return NULL;
}

void child_remove(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch, const char *why)
{
	struct ike_child **pp = &sa->children;

	/* A rekey's new outbound SA held back for this one goes in first
	 * (make before break). */
	linger_release_for(e, sa, ch->id);
	if (ch->installed)
		child_delete_kernel(e, sa, ch);
	ike_event(e, sa, IKE_EV_CHILD_DOWN, ch->id, 0, "CHILD_SA {%u} deleted (%s)", ch->id, why);
	while (*pp && *pp != ch)
		pp = &(*pp)->next;
	if (*pp)
		*pp = ch->next;
	child_free(sa, ch);
}

struct ike_child *child_by_spi(struct ike_sa *sa, uint32_t spi, bool inbound)
{
	for (struct ike_child *ch = sa->children; ch; ch = ch->next)
		if ((inbound ? ch->spi_in : ch->spi_out) == spi)
			return ch;
	return NULL;
}

/* Rekeyed (by us, the peer or both at once: a collision loser may get the
 * winner's Delete before it knows), so the peer sends on a successor. */
static bool replaced(struct ike_sa *sa, const struct ike_child *ch)
{
	if (ch->failed)
		return false;
	if (ch->superseded)
		return true;
	for (const struct ike_child *o = sa->children; o; o = o->next)
		if (o != ch && o->reqid == ch->reqid && o->installed && !o->failed)
			return true;
	return false;
}

void child_delete_kernel(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch)
{
	struct ike_kernel k;

	for (int dir = 0; dir < 2; dir++) {
		sa_action(sa, ch, IKE_KERNEL_DEL_SA, dir == 0, &k);
		if (dir == 1 && ch->out_never) {
			linger_drop_out(sa, ch); /* held back, never installed */
			continue;
		}
		/* A rekeyed SA's inbound half stays a while (linger.c). */
		if (dir == 0 && replaced(sa, ch) && linger_add(e, sa, &k))
			continue;
		ike_emit_kernel(e, &k);
	}
	ch->installed = false;
	if (!rekey_policy_remove(sa, ch))
		return; /* another CHILD SA of the reqid takes the policies over */
	emit_policies(e, sa, ch, IKE_KERNEL_DEL_POLICY);
}

/* Responder: which child config, which proposal, which selectors. */
struct pick {
	unsigned ci;
	struct ike_suite suite;
	uint8_t num;
	uint32_t peer_spi;
	struct ike_ts l[IKE_CONN_MAX_TS], r[IKE_CONN_MAX_TS];
	size_t nl, nr;
};

static uint16_t child_pick(struct ike_sa *sa, const struct ikev2_chain *c, bool ike_auth,
			   int only_ci, struct pick *pk)
{
	const struct ikev2_payload *psa = ikev2_find(c, IKEV2_PL_SA);
	const struct ikev2_payload *tsi = ikev2_find(c, IKEV2_PL_TSI);
	const struct ikev2_payload *tsr = ikev2_find(c, IKEV2_PL_TSR);
	const struct ikev2_payload *ke = ikev2_find(c, IKEV2_PL_KE);
	uint16_t err = IKEV2_N_NO_PROPOSAL_CHOSEN;
	struct ike_ts lts[IKE_CONN_MAX_TS], rts[IKE_CONN_MAX_TS];

	if (!psa || !tsi || !tsr)
		return IKEV2_N_INVALID_SYNTAX;
	for (unsigned ci = 0; ci < sa->conn->n_children; ci++) {
		const struct ike_child_cfg *cc = &sa->conn->children[ci];
		bool pfs = !ike_auth && cfg_wants_pfs(cc);
		if (only_ci >= 0 && ci != (unsigned)only_ci)
			continue;
		/* The group of the peer's KE first (no INVALID_KE round trip). */
		/* An AH child takes AH proposals only, an ESP child ESP ones. */
		if (prop_select(&psa->u.sa, cc->esp, cc->n_esp, child_cfg_proto(cc), pfs,
				pfs && ke ? ke->u.ke.group : 0, &pk->suite, &pk->num,
				&pk->peer_spi) != 0)
			continue;
		/* §2.9: TSi is the initiator's side, our remote one (narrowed
		 * to its virtual IPs, cp.c). */
		pk->nr = ts_narrow(&tsi->u.ts, rts, cp_ts(sa, cc, false, rts), pk->r, IKE_CONN_MAX_TS);
		pk->nl = ts_narrow(&tsr->u.ts, lts, cp_ts(sa, cc, true, lts), pk->l, IKE_CONN_MAX_TS);
		if (!pk->nr || !pk->nl) {
			err = IKEV2_N_TS_UNACCEPTABLE;
			continue;
		}
		pk->ci = ci;
		return 0;
	}
	return err;
}

uint16_t child_respond(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
		       const struct ikev2_chain *c, struct ike_mb *m, const uint8_t *ni,
		       size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir,
		       size_t girlen, bool ike_auth, int only_ci)
{
	struct ike_arena a = ike_build_arena(e);
	struct ike_out *ev;
	struct ikev2_payload *p;
	struct ike_child *ch;
	struct pick pk;
	uint16_t err;
	bool transport;

	if (ike_auth && !ikev2_find(c, IKEV2_PL_SA))
		return 0; /* no CHILD SA asked for */
	err = child_pick(sa, c, ike_auth, only_ci, &pk);
	if (err) {
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA not created: %s",
			err == IKEV2_N_TS_UNACCEPTABLE ? "traffic selectors unacceptable"
			: err == IKEV2_N_NO_PROPOSAL_CHOSEN ? "no ESP / AH proposal chosen"
			: "invalid syntax");
		return err;
	}
	if (!hs || !hs->spi_in) {
		/* No SPI from the kernel: in IKE_AUTH the IKE SA stands without
		 * the CHILD SA (§1.2), NO_PROPOSAL_CHOSEN as strongSwan does;
		 * a CREATE_CHILD_SA may be tried again later (§2.25). */
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA not created: no SPI from the kernel");
		return ike_auth ? IKEV2_N_NO_PROPOSAL_CHOSEN : IKEV2_N_TEMPORARY_FAILURE;
	}
	transport = ikev2_find_notify(c, IKEV2_N_USE_TRANSPORT_MODE) &&
		    sa->conn->children[pk.ci].mode == IKE_MODE_TRANSPORT;
	ch = child_new(e, sa, pk.ci, pk.l, pk.nl, pk.r, pk.nr, hs->reqid);
	if (!ch)
		return IKEV2_N_TEMPORARY_FAILURE;
	rekey_child_times(e, sa, ch);
	ch->spi_in = hs->spi_in;
	hs->spi_in = 0;
	ch->spi_out = pk.peer_spi;
	ch->transport = transport;
	ch->tfc_ok = !ikev2_find_notify(c, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED);
	ch->encr_id = pk.suite.encr ? pk.suite.encr->id : 0;
	ch->encr_bits = pk.suite.encr ? pk.suite.encr->key_bits : 0;
	ch->integ_id = pk.suite.integ ? pk.suite.integ->id : 0;
	ch->group = pk.suite.group;
	/* A rekey's responder: the new outbound SA waits for the old CHILD
	 * SA's Delete (linger.c). */
	if (install(e, sa, ch, &pk.suite, ni, nilen, nr, nrlen, gir, girlen, false,
		    hs->rekey_child) != 0) {
		linger_drop_out(sa, ch);
		sa->children = ch->next;
		child_free(sa, ch);
		return IKEV2_N_TEMPORARY_FAILURE;
	}
	if (transport)
		mb_notify(m, 0, IKEV2_N_USE_TRANSPORT_MODE, NULL, 0);
	if (sa->conn->children[pk.ci].no_tfc_padding && !cfg_is_ah(&sa->conn->children[pk.ci]))
		mb_notify(m, 0, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL, 0);
	p = mb_add(m, IKEV2_PL_SA);
	if (p)
		prop_build_chosen(&a, &pk.suite, child_cfg_proto(&sa->conn->children[pk.ci]), pk.num,
				  ch->spi_in, &p->u.sa);
	p = mb_add(m, IKEV2_PL_TSI);
	if (p)
		ts_list_add(&a, &p->u.ts, pk.r, pk.nr);
	p = mb_add(m, IKEV2_PL_TSR);
	if (p)
		ts_list_add(&a, &p->u.ts, pk.l, pk.nl);
	ike_event(e, sa, IKE_EV_CHILD_UP, ch->id, 0, "CHILD_SA %s{%u} established, SPIs %08x_i %08x_o",
		  sa->conn->children[pk.ci].name, ch->id, ch->spi_in, ch->spi_out);
	ev = ike_out_last(e);
	if (ev && ev->kind == IKE_OUT_EVENT)
		ev->u.event.old_child_id = hs->rekey_child;
	return 0;
}

int child_accept(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
		 const struct ikev2_chain *c, unsigned ci, const uint8_t *ni, size_t nilen,
		 const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen, bool ike_auth)
{
	struct ike_out *ev;
	const struct ike_child_cfg *cc = &sa->conn->children[ci];
	const struct ikev2_payload *psa = ikev2_find(c, IKEV2_PL_SA);
	const struct ikev2_payload *tsi = ikev2_find(c, IKEV2_PL_TSI);
	const struct ikev2_payload *tsr = ikev2_find(c, IKEV2_PL_TSR);
	struct ike_ts l[IKE_CONN_MAX_TS], r[IKE_CONN_MAX_TS];
	struct ike_suite s;
	struct ike_child *ch;
	uint32_t peer_spi = 0;
	uint8_t num;
	size_t nl, nr_;

	if (!psa || !tsi || !tsr || psa->u.sa.nproposals != 1 ||
	    prop_select(&psa->u.sa, cc->esp, cc->n_esp, child_cfg_proto(cc), !ike_auth && cfg_wants_pfs(cc),
			0, &s, &num, &peer_spi) != 0) {
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA response: proposal we did not offer");
		return -1;
	}
	/* §2.9: the responder may narrow, never widen. */
	if (!ts_subset(&tsi->u.ts, cc->local_ts, cc->n_local_ts) ||
	    !ts_subset(&tsr->u.ts, cc->remote_ts, cc->n_remote_ts) ||
	    tsi->u.ts.count > IKE_CONN_MAX_TS || tsr->u.ts.count > IKE_CONN_MAX_TS) {
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA response: traffic selectors widened");
		return -1;
	}
	nl = tsi->u.ts.count;
	nr_ = tsr->u.ts.count;
	for (size_t i = 0; i < nl; i++)
		ts_from_wire(&tsi->u.ts.ts[i], &l[i]);
	for (size_t i = 0; i < nr_; i++)
		ts_from_wire(&tsr->u.ts.ts[i], &r[i]);
	/* Our side narrowed to our virtual IPs (cp.c), whatever the
	 * responder did. */
	nl = cp_narrow(sa, true, l, nl, l, IKE_CONN_MAX_TS);
	nr_ = cp_narrow(sa, false, r, nr_, r, IKE_CONN_MAX_TS);
	if (!nl || !nr_) {
		ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA response: traffic selectors without our "
			"virtual IP");
		return -1;
	}
	ch = child_new(e, sa, ci, l, nl, r, nr_, hs->reqid);
	if (!ch)
		return -1;
	rekey_child_times(e, sa, ch);
	ch->spi_in = hs->spi_in;
	ch->spi_out = peer_spi;
	ch->transport = cc->mode == IKE_MODE_TRANSPORT &&
			ikev2_find_notify(c, IKEV2_N_USE_TRANSPORT_MODE);
	if (cc->mode == IKE_MODE_TRANSPORT && !ch->transport)
		ike_log(e, sa, IKE_LOG_INFO, "peer refused transport mode, using tunnel mode");
	ch->tfc_ok = !ikev2_find_notify(c, IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED);
	ch->encr_id = s.encr ? s.encr->id : 0;
	ch->encr_bits = s.encr ? s.encr->key_bits : 0;
	ch->integ_id = s.integ ? s.integ->id : 0;
	ch->group = s.group;
	if (install(e, sa, ch, &s, ni, nilen, nr, nrlen, gir, girlen, true, 0) != 0) {
		sa->children = ch->next;
		child_free(sa, ch);
		return -1;
	}
	ike_event(e, sa, IKE_EV_CHILD_UP, ch->id, 0, "CHILD_SA %s{%u} established, SPIs %08x_i %08x_o",
		  cc->name, ch->id, ch->spi_in, ch->spi_out);
	ev = ike_out_last(e);
	if (ev && ev->kind == IKE_OUT_EVENT)
		ev->u.event.old_child_id = hs->rekey_child;
	return 0;
}

/* ---- CREATE_CHILD_SA for an additional CHILD SA (§1.3.1) ---- */

void ccsa_send_request(struct ike_engine *e, struct ike_sa *sa, unsigned ci)
{
	struct ike_hs *hs = ike_hs_get(sa);
	const struct ike_child_cfg *cc = &sa->conn->children[ci];

	if (!hs)
		return;
	if (!hs->ccsa) {
		hs->ccsa = true;
		hs->child_cfg = (uint8_t)ci;
		hs->child_group = child_pfs_group(cc);
	}
	rekey_send(e, sa);
}

void ccsa_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			 const struct ikev2_chain *c)
{
	const struct ikev2_payload *ni = ikev2_find(c, IKEV2_PL_NONCE);
	const struct ikev2_payload *ke = ikev2_find(c, IKEV2_PL_KE);
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	struct ike_child *old = NULL;
	struct ike_hs *hs;
	struct pick pk;
	uint16_t err;
	int only_ci = -1, rk;

	if (sa->state != IKE_SA_ESTABLISHED) {
		/* Parked, then the IKE SA was rekeyed or is being deleted
		 * meanwhile (a collision resolved by our own rekey): §2.25. */
		mb_notify(&m, 0, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		ike_send_response(e, sa, h, &m);
		ike_rhs_free(sa);
		return;
	}
	/* Rekeys of the IKE SA and of a CHILD SA (rekey.c). */
	if (rekey_handle_request(e, sa, h, c))
		return;
	rk = rekey_child_request(e, sa, h, c, &old);
	if (rk < 0)
		return;
	if (old)
		only_ci = old->cfg_index;
	err = ni && ni->u.nonce.len >= 16 && ni->u.nonce.len <= 256
		      ? child_pick(sa, c, false, only_ci, &pk) : IKEV2_N_INVALID_SYNTAX;
	if (!err && pk.suite.group && (!ke || ke->u.ke.group != pk.suite.group)) {
		uint8_t g[2] = { (uint8_t)(pk.suite.group >> 8), (uint8_t)pk.suite.group };
		mb_notify(&m, 0, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		ike_send_response(e, sa, h, &m);
		ike_rhs_free(sa);
		return;
	}
	if (err) {
		mb_notify(&m, 0, err, NULL, 0);
		ike_send_response(e, sa, h, &m);
		ike_rhs_free(sa);
		return;
	}
	hs = ike_rhs_get(sa);
	if (!hs)
		return;
	hs->child_cfg = (uint8_t)pk.ci;
	if (hs->spi_failed) {
		ike_log(e, sa, IKE_LOG_ERROR, "CREATE_CHILD_SA refused (TEMPORARY_FAILURE): no SPI "
			"from the kernel");
		mb_notify(&m, 0, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		ike_send_response(e, sa, h, &m);
		ike_rhs_free(sa);
		return;
	}
	/* Restartable: get the SPI and the PFS secret, then come back. */
	if (!hs->spi_in || (pk.suite.group && !hs->gir)) {
		if (!hs->spi_in)
			ike_request_spi_hs(e, sa, hs);
		if (pk.suite.group && !hs->gir && !hs->ke_pending &&
		    ike_start_ke_hs(e, sa, hs, pk.suite.group, ke->u.ke.data, ke->u.ke.len) != 0) {
			ike_rhs_free(sa);
			return;
		}
		ike_park_to(sa, &sa->rparked, h, e->in_first, e->plain, e->in_plen);
		return;
	}
	hs->nr_len = IKE_NONCE_LEN;
	if (ike_random(e, hs->nr, hs->nr_len) != 0)
		return;
	err = child_respond(e, sa, hs, c, &m, ni->u.nonce.data, ni->u.nonce.len, hs->nr, hs->nr_len,
			    hs->gir, hs->gir_len, false, only_ci);
	if (err) {
		m.n = 0;
		mb_notify(&m, 0, err, NULL, 0);
	} else {
		if (hs->rekey_child)
			rekey_child_answered(e, sa, ni->u.nonce.data, ni->u.nonce.len, hs->nr,
					     hs->nr_len);
		p = mb_add(&m, IKEV2_PL_NONCE);
		p->u.nonce.data = hs->nr;
		p->u.nonce.len = hs->nr_len;
		if (pk.suite.group && hs->ke) {
			p = mb_add(&m, IKEV2_PL_KE);
			p->u.ke.group = (uint16_t)hs->ke->group;
			p->u.ke.data = hs->ke->pub;
			p->u.ke.len = hs->ke->pub_len;
		}
	}
	ike_send_response(e, sa, h, &m);
	ike_rhs_free(sa);
}

void ccsa_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c)
{
	struct ike_hs *hs = sa->hs;
	const struct ikev2_payload *nr = ikev2_find(c, IKEV2_PL_NONCE);
	const struct ikev2_payload *ke = ikev2_find(c, IKEV2_PL_KE);
	uint16_t err = 0;

	ike_clear_request(sa);
	if (!hs || !hs->ccsa)
		return;
	/* INVALID_KE_PAYLOAD retry, rekeys of CHILD SAs and the IKE SA. */
	if (rekey_handle_response(e, sa, h, c))
		return;
	for (size_t i = 0; i < c->count; i++)
		if (c->pl[i].type == IKEV2_PL_NOTIFY && c->pl[i].u.notify.type < IKEV2_N_STATUS_MIN)
			err = c->pl[i].u.notify.type;
	if (!err && (!nr || nr->u.nonce.len < 16 || nr->u.nonce.len > 256))
		err = IKEV2_N_INVALID_SYNTAX;
	if (!err && hs->child_group && (!ke || ke->u.ke.group != hs->child_group))
		err = IKEV2_N_INVALID_KE_PAYLOAD;
	if (err) {
		ike_log(e, sa, IKE_LOG_ERROR, "CREATE_CHILD_SA failed (notify %u)", err);
		ike_event(e, sa, IKE_EV_CHILD_FAILED, 0, err, "CREATE_CHILD_SA failed");
		ike_hs_free(sa);
		return;
	}
	if (hs->child_group && !hs->gir) {
		/* PFS: compute g^ir on a worker, then handle this again. */
		if (ike_start_ke(e, sa, hs->child_group, ke->u.ke.data, ke->u.ke.len) == 0)
			ike_park(sa, h, e->in_first, e->plain, e->in_plen);
		else
			ike_hs_free(sa);
		return;
	}
	if (child_accept(e, sa, hs, c, hs->child_cfg, hs->ni, hs->ni_len, nr->u.nonce.data,
			 nr->u.nonce.len, hs->gir, hs->gir_len, false) != 0)
		ike_event(e, sa, IKE_EV_CHILD_FAILED, 0, 0, "unacceptable CREATE_CHILD_SA response");
	ike_hs_free(sa);
}
