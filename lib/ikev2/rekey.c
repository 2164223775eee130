/* Rekeying (engine.h DESIGN): CHILD SAs by CREATE_CHILD_SA with
 * N(REKEY_SA) (§1.3.3, §2.8), the IKE SA with SA(IKE), KE, Ni (§1.3.2,
 * §2.18), collisions of simultaneous rekeys (§2.8.1, §2.8.2), INVALID_KE
 * retries of CREATE_CHILD_SA (§1.3).  The lifetimes that start them are
 * lifetime.c's. */
#include "ikev2/internal.h"

#include <string.h>

#include "crypto/crypto.h"

enum { MAX_KE_RETRIES = 3, RETRY_MS = 10000, REKEYED_LINGER_MS = 300000 };

/* How long the peer may retransmit a request before it gives up (§2.1). */
uint64_t ike_retransmit_span(const struct ike_conn *c)
{
	double t = c->rto_ms ? c->rto_ms : 4000, f = c->rto_factor >= 1.0 ? c->rto_factor : 1.8;
	double sum = 0;

	for (unsigned i = 0; i <= c->rto_tries; i++, t *= f)
		sum += t;
	return (uint64_t)sum;
}

/* A rekeyed CHILD SA waits for the peer's Delete; when none comes (lost
 * with an IKE SA that went meanwhile) we delete it ourselves, once the
 * rekey's initiator has had our answer or given up (make before break on
 * its side too). */
static void supersede_child(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch)
{
	ch->superseded = true;
	ch->rekey_at = e->now + ike_retransmit_span(sa->conn) + 30000;
}

/* ---- helpers ---- */

/* Compares nonces as numbers of their length (§2.8.1: "lowest"). */
static int nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c)
		return c;
	return al < bl ? -1 : al > bl;
}

static void lowest(const uint8_t *a, size_t al, const uint8_t *b, size_t bl, uint8_t *out,
		   uint16_t *outl)
{
	bool first = nonce_cmp(a, al, b, bl) <= 0;

	memcpy(out, first ? a : b, first ? al : bl);
	*outl = (uint16_t)(first ? al : bl);
}

/* Does our exchange (ni, nr) hold the lowest of the four nonces? */
static bool ours_lowest(const struct ike_hs *hs, const uint8_t *nr, size_t nrlen)
{
	uint8_t lo[256];
	uint16_t lol;

	lowest(hs->ni, hs->ni_len, nr, nrlen, lo, &lol);
	return nonce_cmp(lo, lol, hs->coll_nonce, hs->coll_nonce_len) < 0;
}

static int queue_front(struct ike_sa *sa, uint8_t kind, uint32_t arg)
{
	if (ike_queue_task(sa, kind, arg) != 0)
		return -1;
	if (sa->ntasks > 1) {
		__typeof__(sa->tasks[0]) t = sa->tasks[sa->ntasks - 1];
		memmove(&sa->tasks[1], &sa->tasks[0], (size_t)(sa->ntasks - 1) * sizeof(sa->tasks[0]));
		sa->tasks[0] = t;
	}
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint16_t first_error(const struct ikev2_chain *c)
{
	for (size_t i = 0; i < c->count; i++)
		if (c->pl[i].type == IKEV2_PL_NOTIFY && c->pl[i].u.notify.type < IKEV2_N_STATUS_MIN)
			return c->pl[i].u.notify.type;
	return 0;
}

static uint64_t new_ike_spi(struct ike_engine *e)
{
	uint64_t spi = 0;

	while (spi == 0)
		if (ike_random(e, &spi, sizeof(spi)) != 0)
			return 0;
	return spi;
}

/* ---- starting a rekey ---- */

void rekey_child_start(struct ike_engine *e, struct ike_sa *sa, uint32_t child_id)
{
	struct ike_child *ch = child_by_id(sa, child_id);
	struct ike_hs *hs;

	if (!ch || ch->superseded || ch->failed)
		return; /* gone, rekeyed or refused by the kernel meanwhile */
	hs = ike_hs_get(sa);
	if (!hs)
		return;
	hs->ccsa = true;
	hs->child_cfg = ch->cfg_index;
	hs->child_group = child_pfs_group(&sa->conn->children[ch->cfg_index]);
	hs->rekey_child = ch->id;
	hs->reqid = ch->reqid;
	ike_log(e, sa, IKE_LOG_INFO, "rekeying CHILD_SA {%u} (SPIs %08x_i %08x_o)", ch->id,
		ch->spi_in, ch->spi_out);
	rekey_send(e, sa);
}

void rekey_ike_start(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = ike_hs_get(sa);

	if (!hs)
		return;
	hs->ccsa = true;
	hs->rekey_ike = true;
	hs->child_group = sa->suite.group;
	hs->new_spi = new_ike_spi(e);
	ike_log(e, sa, IKE_LOG_INFO, "rekeying IKE_SA");
	rekey_send(e, sa);
}

/* Our CREATE_CHILD_SA: an additional CHILD SA, a CHILD SA rekey or an IKE
 * SA rekey.  Restartable: waits for the SPI and the key pair. */
void rekey_send(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	struct ike_child *old = NULL;
	uint8_t rspi[4], ispi[IKE_CONN_MAX_PROPOSALS][8];

	if (!hs || !hs->ccsa)
		return;
	if (hs->rekey_child && !(old = child_by_id(sa, hs->rekey_child))) {
		ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} gone: rekey given up", hs->rekey_child);
		ike_hs_free(sa);
		return;
	}
	if (!hs->rekey_ike && !hs->spi_in && !hs->spi_req && !hs->spi_failed)
		ike_request_spi(e, sa);
	if (hs->child_group && !hs->ke && !hs->ke_pending &&
	    ike_start_ke(e, sa, hs->child_group, NULL, 0) != 0)
		goto fail;
	if (hs->spi_req || hs->ke_pending || (!hs->rekey_ike && !hs->spi_in) || sa->req)
		return; /* ike_resume() calls again */
	hs->ni_len = IKE_NONCE_LEN;
	if (ike_random(e, hs->ni, hs->ni_len) != 0)
		goto fail;
	if (hs->rekey_ike) {
		struct ike_arena a = ike_build_arena(e);

		p = mb_add(&m, IKEV2_PL_SA);
		if (!p || prop_build_sa(&a, sa->conn->ike, sa->conn->n_ike, OC_PROTO_IKE, 0, true,
					&p->u.sa) != 0)
			goto fail;
		/* §3.3.1: the SPI of the new IKE SA in every proposal. */
		for (size_t i = 0; i < p->u.sa.nproposals && i < IKE_CONN_MAX_PROPOSALS; i++) {
			put64(ispi[i], hs->new_spi);
			p->u.sa.proposals[i].spi_size = 8;
			p->u.sa.proposals[i].spi = ispi[i];
		}
	} else {
		if (old) {
			/* §1.3.3: the SPI we receive on, of the SA being rekeyed. */
			put32(rspi, old->spi_in);
			mb_notify(&m, child_cfg_proto(&sa->conn->children[old->cfg_index]),
				  IKEV2_N_REKEY_SA, NULL, 0);
			m.pl[m.n - 1].u.notify.spi_size = 4;
			m.pl[m.n - 1].u.notify.spi = rspi;
		}
		if (child_offer(e, sa, &m, hs->child_cfg, hs->spi_in, false, old) != 0)
			goto fail;
	}
	p = mb_add(&m, IKEV2_PL_NONCE);
	if (!p)
		goto fail;
	p->u.nonce.data = hs->ni;
	p->u.nonce.len = hs->ni_len;
	if (hs->child_group && hs->ke) {
		p = mb_add(&m, IKEV2_PL_KE);
		if (!p)
			goto fail;
		p->u.ke.group = (uint16_t)hs->ke->group;
		p->u.ke.data = hs->ke->pub;
		p->u.ke.len = hs->ke->pub_len;
	}
	if (ike_send_request(e, sa, IKEV2_EXCH_CREATE_CHILD_SA, &m) == 0)
		return;
fail:
	ike_log(e, sa, IKE_LOG_ERROR, "cannot start CREATE_CHILD_SA");
	ike_hs_free(sa);
}

/* ---- CHILD SA rekey, responder ---- */

int rekey_child_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			const struct ikev2_chain *c, struct ike_child **old)
{
	const struct ikev2_payload *n = ikev2_find_notify(c, IKEV2_N_REKEY_SA);
	struct ike_mb m = { .n = 0 };
	struct ike_child *ch;
	struct ike_hs *hs;
	uint16_t err = 0;

	*old = NULL;
	if (!n)
		return 0;
	/* The peer names its inbound SPI: our outbound one (§1.3.3). */
	ch = n->u.notify.spi_size == 4 && n->u.notify.spi
		     ? child_by_spi(sa, wire_load_u32(n->u.notify.spi), false) : NULL;
	/* The notify's protocol is the SA's: ESP or AH (§3.10). */
	if (ch && n->u.notify.protocol != child_cfg_proto(&sa->conn->children[ch->cfg_index]))
		ch = NULL;
	if (!ch) {
		err = IKEV2_N_CHILD_SA_NOT_FOUND; /* §2.25 */
		ike_log(e, sa, IKE_LOG_INFO, "peer rekeys a CHILD_SA we do not have");
	} else if (ch->superseded || ch->failed) {
		/* Being deleted after our rekey, or after a kernel error (§2.25). */
		err = IKEV2_N_TEMPORARY_FAILURE;
		ike_log(e, sa, IKE_LOG_INFO, "peer rekeys CHILD_SA {%u} that is rekeyed already",
			ch->id);
	}
	if (err) {
		mb_notify(&m, 0, err, NULL, 0);
		ike_send_response(e, sa, h, &m);
		ike_rhs_free(sa);
		return -1;
	}
	hs = ike_rhs_get(sa);
	if (!hs)
		return -1;
	hs->rekey_child = ch->id;
	hs->reqid = ch->reqid;
	*old = ch;
	return 1;
}

void rekey_child_answered(struct ike_engine *e, struct ike_sa *sa, const uint8_t *ni, size_t nilen,
			  const uint8_t *nr, size_t nrlen)
{
	struct ike_child *old = child_by_id(sa, sa->rhs->rekey_child), *nw = sa->children;
	struct ike_hs *ours = sa->hs;

	if (!old || !nw || nw == old)
		return;
	if (ours && ours->ccsa && ours->rekey_child == old->id) {
		/* §2.8.1: both ends rekey it; decided when ours completes. */
		ours->coll = true;
		lowest(ni, nilen, nr, nrlen, ours->coll_nonce, &ours->coll_nonce_len);
		ours->coll_child = nw->id;
		ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} rekey collision: the peer's made {%u}",
			old->id, nw->id);
		return;
	}
	supersede_child(e, sa, old); /* the peer deletes it */
	ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} rekeyed by the peer: {%u} replaces it", old->id,
		nw->id);
}

/* ---- IKE SA rekey: the new SA ---- */

static void move_children(struct ike_engine *e, struct ike_sa *from, struct ike_sa *to)
{
	struct ike_child **tail = &to->children;

	while (*tail)
		tail = &(*tail)->next;
	while (from->children) {
		struct ike_child *ch = from->children;
		size_t n = sizeof(*ch) + (size_t)(ch->n_local_ts + ch->n_remote_ts) * sizeof(*ch->ts);

		from->children = ch->next;
		ch->next = NULL;
		*tail = ch;
		tail = &ch->next;
		from->mem -= n;
		to->mem += n;
	}
	if (from->next_child_id > to->next_child_id)
		to->next_child_id = from->next_child_id;
	acquire_move(from, to); /* with their TASK_ACQUIRE */
	linger_move(from, to); /* and the old inbound SAs of rekeyed ones */
	for (unsigned i = 0; i < from->ntasks; i++)
		if (from->tasks[i].kind != TASK_REKEY_IKE && from->tasks[i].kind != TASK_DELETE_IKE)
			ike_queue_task(to, from->tasks[i].kind, from->tasks[i].arg);
	from->ntasks = 0;
	from->rekey_at = from->expire_at = 0;
	from->successor = to->uid;
	ike_log(e, to, IKE_LOG_INFO, "IKE_SA %llu takes over the CHILD_SAs of IKE_SA %llu",
		(unsigned long long)to->uid, (unsigned long long)from->uid);
	ike_run_tasks(e, to); /* the tasks moved along: nothing else starts them */
}

/* The old SA is superseded: the peer deletes it (or we do). */
static void supersede(struct ike_engine *e, struct ike_sa *old, struct ike_sa *nw)
{
	move_children(e, old, nw);
	if (old->state == IKE_SA_ESTABLISHED)
		old->state = IKE_SA_DELETING;
	old->rekeyed_deadline = e->now + REKEYED_LINGER_MS;
}

void rekey_on_destroy(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *to;

	if (!sa->children || !sa->hs || !sa->hs->rekey_ike || !sa->hs->coll)
		return;
	to = ike_sa_by_uid(e, sa->hs->coll_uid);
	if (to && to != sa && to->state == IKE_SA_ESTABLISHED)
		move_children(e, sa, to);
}

/* A new IKE SA from old's rekey (§2.18): SKEYSEED from old's SK_d. */
static struct ike_sa *new_ike_sa(struct ike_engine *e, struct ike_sa *old, bool we_initiated,
				 uint64_t our_spi, uint64_t peer_spi, const struct ike_suite *suite,
				 const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
				 const uint8_t *gir, size_t girlen)
{
	struct ike_sa *n = ike_sa_new(e, old->conn, we_initiated);
	struct oc_ikev2_keys k;
	struct ike_out *ev;
	uint8_t spii[8], spir[8];
	int rc;

	if (!n)
		return NULL;
	if (!we_initiated)
		e->half_open--; /* ike_sa_new counts a responder's SA as half-open */
	n->ispi = we_initiated ? our_spi : peer_spi;
	n->rspi = we_initiated ? peer_spi : our_spi;
	n->local = old->local;
	n->remote = old->remote;
	n->nat_local = old->nat_local;
	n->nat_remote = old->nat_remote;
	n->natt = old->natt;
	n->frag_ok = old->frag_ok;
	n->suite = *suite;
	n->state = IKE_SA_ESTABLISHED;
	n->last_recv = e->now;
	n->next_child_id = old->next_child_id;
	cp_rekeyed(old, n); /* virtual IPs and their leases move along (cp.c) */
	ike_sa_hash(e, n);
	put64(spii, n->ispi);
	put64(spir, n->rspi);
	memset(&k, 0, sizeof(k));
	rc = oc_ikev2_skeyseed_rekey(old->suite.prf, old->sk_d, old->suite.prf->out_len, gir, girlen,
				     ni, nilen, nr, nrlen, k.skeyseed);
	if (rc == 0)
		rc = oc_ikev2_derive(suite->prf, suite->encr, suite->integ, ni, nilen, nr, nrlen, spii,
				     spir, &k);
	if (rc == 0) {
		bool i = n->initiator;
		rc = oc_sk_init(&n->sk_out, suite->encr, suite->integ, i ? k.sk_ei : k.sk_er, k.e_len,
				i ? k.sk_ai : k.sk_ar, k.a_len);
		if (rc == 0)
			rc = oc_sk_init(&n->sk_in, suite->encr, suite->integ, i ? k.sk_er : k.sk_ei,
					k.e_len, i ? k.sk_ar : k.sk_ai, k.a_len);
		memcpy(n->sk_d, k.sk_d, k.d_len);
	}
	oc_ikev2_keys_wipe(&k);
	if (rc != 0) {
		ike_log(e, old, IKE_LOG_ERROR, "rekeyed IKE_SA: key derivation failed: %s",
			oc_strerror(rc));
		n->state = IKE_SA_DEAD; /* reaped; never announced */
		return NULL;
	}
	if (n->nat_local)
		n->keepalive_deadline = e->now + n->conn->keepalive_ms;
	rekey_ike_times(e, n);
	ike_event(e, n, IKE_EV_IKE_UP, 0, 0, "IKE_SA %s rekeyed: %llu replaces %llu (SPIs %016llx_i "
		  "%016llx_r)", n->conn->name, (unsigned long long)n->uid, (unsigned long long)old->uid,
		  (unsigned long long)n->ispi, (unsigned long long)n->rspi);
	ev = ike_out_last(e);
	if (ev && ev->kind == IKE_OUT_EVENT)
		ev->u.event.old_ike_uid = old->uid;
	return n;
}

/* ---- IKE SA rekey, responder ---- */

static void answer(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h, uint16_t type,
		   const void *data, size_t len)
{
	struct ike_mb m = { .n = 0 };

	mb_notify(&m, 0, type, data, len);
	ike_send_response(e, sa, h, &m);
	ike_rhs_free(sa);
}

bool rekey_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c)
{
	const struct ikev2_payload *psa = ikev2_find(c, IKEV2_PL_SA);
	const struct ikev2_payload *ni = ikev2_find(c, IKEV2_PL_NONCE);
	const struct ikev2_payload *ke = ikev2_find(c, IKEV2_PL_KE);
	const struct ikev2_proposal *pp = NULL;
	struct ike_arena a = ike_build_arena(e);
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	struct ike_suite suite;
	struct ike_hs *hs;
	struct ike_sa *n;
	uint8_t num = 0, spi[8];

	if (!psa || !psa->u.sa.nproposals || psa->u.sa.proposals[0].protocol != IKEV2_PROTO_IKE)
		return false;
	if (sa->hs && sa->hs->ccsa && !sa->hs->rekey_ike) {
		/* Our CREATE_CHILD_SA runs on this SA: rekey it after (§2.25). */
		answer(e, sa, h, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return true;
	}
	if (!ni || ni->u.nonce.len < 16 || ni->u.nonce.len > 256 || !ke) {
		answer(e, sa, h, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return true;
	}
	if (prop_select(&psa->u.sa, sa->conn->ike, sa->conn->n_ike, IKEV2_PROTO_IKE, true,
			ke->u.ke.group, &suite, &num, NULL) != 0) {
		answer(e, sa, h, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return true;
	}
	if (suite.group != ke->u.ke.group) {
		uint8_t g[2] = { (uint8_t)(suite.group >> 8), (uint8_t)suite.group };
		answer(e, sa, h, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return true;
	}
	for (size_t i = 0; i < psa->u.sa.nproposals; i++)
		if (psa->u.sa.proposals[i].num == num)
			pp = &psa->u.sa.proposals[i];
	if (!pp || pp->spi_size != 8 || !load64(pp->spi)) {
		answer(e, sa, h, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return true;
	}
	hs = ike_rhs_get(sa);
	if (!hs)
		return true;
	if (!hs->gir) {
		/* g^ir on a worker, then this request again. */
		if (!hs->ke_pending &&
		    ike_start_ke_hs(e, sa, hs, suite.group, ke->u.ke.data, ke->u.ke.len) != 0) {
			ike_rhs_free(sa);
			return true;
		}
		ike_park_to(sa, &sa->rparked, h, e->in_first, e->plain, e->in_plen);
		return true;
	}
	hs->nr_len = IKE_NONCE_LEN;
	if (!hs->new_spi)
		hs->new_spi = new_ike_spi(e);
	if (ike_random(e, hs->nr, hs->nr_len) != 0 || !hs->new_spi || !hs->ke)
		return true;
	n = new_ike_sa(e, sa, false, hs->new_spi, load64(pp->spi), &suite, ni->u.nonce.data,
		       ni->u.nonce.len, hs->nr, hs->nr_len, hs->gir, hs->gir_len);
	if (!n) {
		answer(e, sa, h, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return true;
	}
	p = mb_add(&m, IKEV2_PL_SA);
	if (!p || prop_build_chosen(&a, &suite, IKEV2_PROTO_IKE, num, 0, &p->u.sa) != 0) {
		ike_sa_destroy(e, n, "cannot build the rekey response");
		answer(e, sa, h, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return true;
	}
	put64(spi, hs->new_spi);
	p->u.sa.proposals[0].spi_size = 8;
	p->u.sa.proposals[0].spi = spi;
	p = mb_add(&m, IKEV2_PL_NONCE);
	p->u.nonce.data = hs->nr;
	p->u.nonce.len = hs->nr_len;
	p = mb_add(&m, IKEV2_PL_KE);
	p->u.ke.group = (uint16_t)hs->ke->group;
	p->u.ke.data = hs->ke->pub;
	p->u.ke.len = hs->ke->pub_len;
	ike_send_response(e, sa, h, &m);
	if (sa->hs && sa->hs->rekey_ike) {
		/* §2.8.2: both ends rekey the IKE SA; decided when ours completes. */
		struct ike_hs *ours = sa->hs;
		ours->coll = true;
		lowest(ni->u.nonce.data, ni->u.nonce.len, hs->nr, hs->nr_len, ours->coll_nonce,
		       &ours->coll_nonce_len);
		ours->coll_uid = n->uid;
		ike_log(e, sa, IKE_LOG_INFO, "IKE_SA rekey collision: the peer's made IKE_SA %llu",
			(unsigned long long)n->uid);
	} else {
		supersede(e, sa, n);
	}
	ike_rhs_free(sa);
	return true;
}

/* ---- responses to our rekeys ---- */

static bool retry_ke(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c)
{
	const struct ikev2_payload *n = ikev2_find_notify(c, IKEV2_N_INVALID_KE_PAYLOAD);
	struct ike_hs *hs = sa->hs;
	uint16_t g;
	bool ok;

	if (!n)
		return false;
	g = n->u.notify.len == 2 ? wire_load_u16(n->u.notify.data) : 0;
	ok = hs->rekey_ike ? prop_has_group(sa->conn->ike, sa->conn->n_ike, g)
			   : prop_has_group(sa->conn->children[hs->child_cfg].esp,
					    sa->conn->children[hs->child_cfg].n_esp, g);
	if (!ok || !g || g == hs->child_group || ++hs->init_tries > MAX_KE_RETRIES) {
		ike_log(e, sa, IKE_LOG_ERROR, "CREATE_CHILD_SA: peer wants group %u which we do not "
			"accept", g);
		return false;
	}
	ike_log(e, sa, IKE_LOG_INFO, "CREATE_CHILD_SA: peer wants group %u instead of %u, retrying",
		g, hs->child_group);
	hs->child_group = g;
	if (ike_start_ke(e, sa, g, NULL, 0) != 0)
		ike_hs_free(sa);
	return true; /* resume() sends again with the new key pair */
}

static void child_rekeyed(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
			  const uint8_t *nr, size_t nrlen)
{
	struct ike_child *old = child_by_id(sa, hs->rekey_child), *nw = sa->children;

	if (hs->coll && ours_lowest(hs, nr, nrlen)) {
		/* §2.8.1: ours holds the lowest nonce: it is redundant and we
		 * delete it; the peer deletes the old one (it may have). */
		ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} rekey collision lost: deleting our "
			"redundant {%u}", hs->rekey_child, nw->id);
		if (old)
			supersede_child(e, sa, old);
		nw->superseded = true;
		queue_front(sa, TASK_DELETE_CHILD, nw->id);
		return;
	}
	if (!old) {
		/* Deleted by the peer meanwhile: the new one replaces it. */
		ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} gone meanwhile: {%u} replaces it",
			hs->rekey_child, nw->id);
		return;
	}
	if (hs->coll) {
		/* §2.8.1 won: the peer's SA is redundant and the peer deletes
		 * it; we never send on it (its outbound SA was held back). */
		struct ike_child *red = child_by_id(sa, hs->coll_child);
		if (red && red != nw && red != old) {
			linger_drop_out(sa, red);
			supersede_child(e, sa, red);
		}
	}
	supersede_child(e, sa, old);
	ike_log(e, sa, IKE_LOG_INFO, "CHILD_SA {%u} rekeyed: {%u} replaces it%s", old->id, nw->id,
		hs->coll ? " (collision won)" : "");
	queue_front(sa, TASK_DELETE_CHILD, old->id);
}

static void child_rekey_failed(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
			       uint16_t err)
{
	struct ike_child *old = child_by_id(sa, hs->rekey_child);

	ike_log(e, sa, IKE_LOG_ERROR, "rekeying CHILD_SA {%u} failed (notify %u)", hs->rekey_child,
		err);
	if (!old)
		return;
	if (hs->coll) {
		supersede_child(e, sa, old); /* the peer's rekey replaced it */
	} else {
		/* TEMPORARY_FAILURE and the like: try again a bit later (§2.25).
		 * CHILD_SA_NOT_FOUND too: the peer may not have our answer
		 * that made it yet; a CHILD SA it really lacks ends at its
		 * hard lifetime. */
		old->rekey_at = e->now + RETRY_MS;
	}
}

static void ike_rekeyed(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
			const struct ike_suite *suite, uint64_t peer_spi, const uint8_t *nr,
			size_t nrlen)
{
	struct ike_sa *n = new_ike_sa(e, sa, true, hs->new_spi, peer_spi, suite, hs->ni, hs->ni_len,
				      nr, nrlen, hs->gir, hs->gir_len);
	struct ike_sa *peers = hs->coll ? ike_sa_by_uid(e, hs->coll_uid) : NULL;

	if (!n) {
		if (peers)
			supersede(e, sa, peers);
		return;
	}
	if (peers && ours_lowest(hs, nr, nrlen)) {
		/* §2.8.2: ours is redundant: we delete it, the peer's new IKE
		 * SA takes the CHILD SAs, the peer deletes the old one. */
		ike_log(e, sa, IKE_LOG_INFO, "IKE_SA rekey collision lost: deleting our redundant "
			"IKE_SA %llu", (unsigned long long)n->uid);
		supersede(e, sa, peers);
		info_send_delete_ike(e, n);
		return;
	}
	ike_log(e, sa, IKE_LOG_INFO, "IKE_SA rekeyed%s: deleting the old one",
		peers ? " (collision won)" : "");
	if (peers && !peers->children) {
		/* The peer deletes its redundant IKE SA (§2.8.2); should it
		 * never learn it lost (its response lost, the old SA gone),
		 * ours goes after a while. */
		peers->state = IKE_SA_DELETING;
		peers->rekeyed_deadline = e->now + REKEYED_LINGER_MS;
	}
	move_children(e, sa, n);
	ike_hs_free(sa);
	info_send_delete_ike(e, sa);
}

bool rekey_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			   const struct ikev2_chain *c)
{
	struct ike_hs *hs = sa->hs;
	const struct ikev2_payload *nr = ikev2_find(c, IKEV2_PL_NONCE);
	const struct ikev2_payload *ke = ikev2_find(c, IKEV2_PL_KE);
	const struct ikev2_payload *psa = ikev2_find(c, IKEV2_PL_SA);
	struct ike_suite suite;
	uint16_t err;
	uint8_t num;

	if (retry_ke(e, sa, c))
		return true;
	if (!hs->rekey_child && !hs->rekey_ike)
		return false;
	err = first_error(c);
	if (!err && (!nr || nr->u.nonce.len < 16 || nr->u.nonce.len > 256))
		err = IKEV2_N_INVALID_SYNTAX;
	if (!err && hs->child_group && (!ke || ke->u.ke.group != hs->child_group))
		err = IKEV2_N_INVALID_KE_PAYLOAD;
	if (!err && hs->rekey_ike &&
	    (!psa || psa->u.sa.nproposals != 1 || psa->u.sa.proposals[0].spi_size != 8 ||
	     !load64(psa->u.sa.proposals[0].spi) ||
	     prop_select(&psa->u.sa, sa->conn->ike, sa->conn->n_ike, IKEV2_PROTO_IKE, true,
			 hs->child_group, &suite, &num, NULL) != 0))
		err = IKEV2_N_NO_PROPOSAL_CHOSEN;
	if (err) {
		if (hs->rekey_child) {
			child_rekey_failed(e, sa, hs, err);
		} else {
			struct ike_sa *peers = hs->coll ? ike_sa_by_uid(e, hs->coll_uid) : NULL;
			ike_log(e, sa, IKE_LOG_ERROR, "rekeying IKE_SA failed (notify %u)", err);
			if (peers)
				supersede(e, sa, peers); /* the peer's rekey stands */
			else if (err == IKEV2_N_TEMPORARY_FAILURE)
				sa->rekey_at = e->now + RETRY_MS;
		}
		ike_hs_free(sa);
		return true;
	}
	if (hs->child_group && !hs->gir) {
		/* g^ir on a worker, then this response again. */
		if (ike_start_ke(e, sa, hs->child_group, ke->u.ke.data, ke->u.ke.len) == 0)
			ike_park(sa, h, e->in_first, e->plain, e->in_plen);
		else
			ike_hs_free(sa);
		return true;
	}
	if (hs->rekey_ike) {
		ike_rekeyed(e, sa, hs, &suite, load64(psa->u.sa.proposals[0].spi), nr->u.nonce.data,
			    nr->u.nonce.len);
		ike_hs_free(sa);
		return true;
	}
	if (child_accept(e, sa, hs, c, hs->child_cfg, hs->ni, hs->ni_len, nr->u.nonce.data,
			 nr->u.nonce.len, hs->gir, hs->gir_len, false) != 0) {
		child_rekey_failed(e, sa, hs, 0);
	} else {
		child_rekeyed(e, sa, hs, nr->u.nonce.data, nr->u.nonce.len);
	}
	ike_hs_free(sa);
	return true;
}
