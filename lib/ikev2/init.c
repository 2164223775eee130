/* IKE_SA_INIT (§1.2) in both roles: proposals, KE and nonces, NAT detection
 * (§2.23), cookies (§2.6), INVALID_KE_PAYLOAD and retry (§1.2), fragmentation
 * and signature hash support notifies (RFC 7383 §2.3, RFC 7427 §4). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/ikev2_auth.h"
#include "ike_names.h"

enum { MAX_INIT_RETRIES = 3, COOKIE_LEN = 20 };

static uint8_t *dup_bytes(struct ike_sa *sa, const uint8_t *p, size_t n)
{
	uint8_t *d = sa_alloc(sa, n ? n : 1);

	if (d)
		memcpy(d, p, n);
	return d;
}

/* Notifies every IKE_SA_INIT message of ours carries. */
static void add_common_notifies(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m,
				uint64_t rspi, uint8_t natd[2][IKE_NATD_LEN], uint8_t *sigh,
				size_t sighcap)
{
	size_t n;

	natd_hash(sa->ispi, rspi, &sa->local, natd[0]);
	if (sa->conn->encap) {
		/* encap = yes: a source hash that cannot match makes the peer see
		 * a NAT, so both ends encapsulate ESP in UDP. */
		ike_random(e, natd[0], IKE_NATD_LEN);
	}
	natd_hash(sa->ispi, rspi, &sa->remote, natd[1]);
	mb_notify(m, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd[0], IKE_NATD_LEN);
	mb_notify(m, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd[1], IKE_NATD_LEN);
	if (sa->conn->frag_size)
		mb_notify(m, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	n = oc_sig_hash_notify(sigh, sighcap);
	mb_notify(m, 0, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, sigh, n);
}

/* Reads the peer's NAT detection notifies and the capability notifies. */
static void read_notifies(struct ike_sa *sa, const struct ikev2_chain *c, uint64_t rspi)
{
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];
	bool have_src = false, have_dst = false, src_ok = false, dst_ok = false;

	natd_hash(sa->ispi, rspi, &sa->remote, src);
	natd_hash(sa->ispi, rspi, &sa->local, dst);
	for (size_t i = 0; i < c->count; i++) {
		const struct ikev2_payload *p = &c->pl[i];
		if (p->type != IKEV2_PL_NOTIFY)
			continue;
		const struct ikev2_notify *n = &p->u.notify;
		switch (n->type) {
		case IKEV2_N_NAT_DETECTION_SOURCE_IP:
			have_src = true;
			src_ok |= n->len == IKE_NATD_LEN && memcmp(n->data, src, IKE_NATD_LEN) == 0;
			break;
		case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
			have_dst = true;
			dst_ok |= n->len == IKE_NATD_LEN && memcmp(n->data, dst, IKE_NATD_LEN) == 0;
			break;
		case IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED:
			sa->frag_ok = true;
			break;
		case IKEV2_N_SIGNATURE_HASH_ALGORITHMS:
			if (sa->hs) {
				size_t k = n->len < sizeof(sa->hs->peer_hashes) ? n->len
					   : sizeof(sa->hs->peer_hashes);
				memcpy(sa->hs->peer_hashes, n->data, k);
				/* even an empty list says "RFC 7427 spoken here" */
				sa->hs->peer_hashes_len = (uint8_t)(k ? k : 0);
			}
			break;
		}
	}
	/* Without both notifies the peer does not do NAT-T: assume no NAT. */
	if (have_src && have_dst) {
		sa->nat_remote = !src_ok;
		sa->nat_local = !dst_ok;
	}
	if (sa->conn->encap)
		sa->nat_local = true;
}

/* SKEYSEED and SK_* (§2.14), SK payload keys for both directions. */
int init_derive_keys(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;
	struct oc_ikev2_keys k;
	uint8_t spii[8], spir[8];
	int rc;

	for (int i = 0; i < 8; i++) {
		spii[i] = (uint8_t)(sa->ispi >> (56 - 8 * i));
		spir[i] = (uint8_t)(sa->rspi >> (56 - 8 * i));
	}
	memset(&k, 0, sizeof(k));
	rc = oc_ikev2_skeyseed(sa->suite.prf, hs->ni, hs->ni_len, hs->nr, hs->nr_len, hs->gir,
			       hs->gir_len, k.skeyseed);
	if (rc == 0)
		rc = oc_ikev2_derive(sa->suite.prf, sa->suite.encr, sa->suite.integ, hs->ni, hs->ni_len,
				     hs->nr, hs->nr_len, spii, spir, &k);
	if (rc == 0) {
		const uint8_t *eo = sa->initiator ? k.sk_ei : k.sk_er, *ei = sa->initiator ? k.sk_er : k.sk_ei;
		const uint8_t *ao = sa->initiator ? k.sk_ai : k.sk_ar, *ai = sa->initiator ? k.sk_ar : k.sk_ai;
		rc = oc_sk_init(&sa->sk_out, sa->suite.encr, sa->suite.integ, eo, k.e_len, ao, k.a_len);
		if (rc == 0)
			rc = oc_sk_init(&sa->sk_in, sa->suite.encr, sa->suite.integ, ei, k.e_len, ai, k.a_len);
		memcpy(sa->sk_d, k.sk_d, k.d_len);
		memcpy(hs->sk_pi, k.sk_pi, k.p_len);
		memcpy(hs->sk_pr, k.sk_pr, k.p_len);
	}
	oc_ikev2_keys_wipe(&k);
	/* g^ir is not needed any more: the first CHILD SA uses no PFS (§2.17). */
	sa_free(sa, hs->gir, hs->gir_len);
	hs->gir = NULL;
	hs->gir_len = 0;
	if (hs->ke) {
		oc_ke_free(hs->ke);
		sa->mem -= sizeof(struct oc_ke);
		hs->ke = NULL;
	}
	if (rc != 0)
		ike_log(e, sa, IKE_LOG_ERROR, "key derivation failed: %s", oc_strerror(rc));
	return rc;
}

/* ---- initiator ---- */

void init_send(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;
	struct ike_arena a = ike_build_arena(e);
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	uint8_t natd[2][IKE_NATD_LEN], sigh[16];

	if (!hs || !hs->ke)
		return;
	if (!hs->ni_len) {
		hs->ni_len = IKE_NONCE_LEN;
		if (ike_random(e, hs->ni, hs->ni_len) != 0) {
			ike_sa_destroy(e, sa, "no randomness");
			return;
		}
	}
	if (hs->cookie)
		mb_notify(&m, 0, IKEV2_N_COOKIE, hs->cookie, hs->cookie_len); /* first (§2.6) */
	p = mb_add(&m, IKEV2_PL_SA);
	if (prop_build_sa(&a, sa->conn->ike, sa->conn->n_ike, OC_PROTO_IKE, 0, true, &p->u.sa) != 0)
		goto fail;
	p = mb_add(&m, IKEV2_PL_KE);
	p->u.ke.group = (uint16_t)hs->ke->group;
	p->u.ke.data = hs->ke->pub;
	p->u.ke.len = hs->ke->pub_len;
	p = mb_add(&m, IKEV2_PL_NONCE);
	p->u.nonce.data = hs->ni;
	p->u.nonce.len = hs->ni_len;
	add_common_notifies(e, sa, &m, 0, natd, sigh, sizeof(sigh));
	/* A new IKE_SA_INIT after COOKIE or INVALID_KE keeps message ID 0. */
	ike_clear_request(sa);
	sa->msgid_out = 0;
	if (ike_send_request(e, sa, IKEV2_EXCH_IKE_SA_INIT, &m) != 0)
		goto fail;
	sa_free(sa, hs->init_req, hs->init_req_len);
	hs->init_req = dup_bytes(sa, sa->req, sa->req_len);
	hs->init_req_len = hs->init_req ? sa->req_len : 0;
	ike_log(e, sa, IKE_LOG_INFO, "sending IKE_SA_INIT request (group %u)", hs->ke->group);
	return;
fail:
	ike_sa_destroy(e, sa, "cannot build IKE_SA_INIT");
}

static uint16_t first_error(const struct ikev2_chain *c)
{
	for (size_t i = 0; i < c->count; i++)
		if (c->pl[i].type == IKEV2_PL_NOTIFY && c->pl[i].u.notify.type < IKEV2_N_STATUS_MIN)
			return c->pl[i].u.notify.type;
	return 0;
}

void init_handle_response(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
			  size_t len, const struct ikev2_msg *m)
{
	const struct ikev2_chain *c = &m->chain;
	struct ike_hs *hs = sa->hs;
	const struct ikev2_payload *n, *psa, *ke, *nr;
	uint16_t err;
	uint8_t num;

	if (!hs || hs->ke_pending)
		return;
	n = ikev2_find_notify(c, IKEV2_N_COOKIE);
	if (n) {
		/* §2.6: repeat the request with the cookie in front. */
		if (++hs->init_tries > MAX_INIT_RETRIES || n->u.notify.len < 1 || n->u.notify.len > 64)
			goto fail_msg;
		sa_free(sa, hs->cookie, hs->cookie_len);
		hs->cookie = dup_bytes(sa, n->u.notify.data, n->u.notify.len);
		hs->cookie_len = hs->cookie ? n->u.notify.len : 0;
		ike_log(e, sa, IKE_LOG_INFO, "responder demands a cookie, retrying");
		init_send(e, sa);
		return;
	}
	n = ikev2_find_notify(c, IKEV2_N_INVALID_KE_PAYLOAD);
	if (n) {
		uint16_t g = n->u.notify.len == 2 ? wire_load_u16(n->u.notify.data) : 0;
		if (++hs->init_tries > MAX_INIT_RETRIES || !hs->ke || g == hs->ke->group ||
		    !prop_has_group(sa->conn->ike, sa->conn->n_ike, g)) {
			ike_log(e, sa, IKE_LOG_ERROR, "peer wants group %u which we do not accept", g);
			goto fail_notify;
		}
		ike_log(e, sa, IKE_LOG_INFO, "peer wants group %u instead of %u, retrying", g,
			hs->ke->group);
		ike_clear_request(sa);
		if (ike_start_ke(e, sa, g, NULL, 0) != 0)
			ike_sa_destroy(e, sa, "cannot start key exchange");
		return; /* resume() sends again once the new key pair is there */
	}
	err = first_error(c);
	if (err) {
		ike_log(e, sa, IKE_LOG_ERROR, "IKE_SA_INIT failed: peer answered %s",
			ikev2_notify_name(err) ? ikev2_notify_name(err) : "an error");
		ike_event(e, sa, IKE_EV_IKE_FAILED, 0, err, "peer answered notify %u", err);
		ike_clear_request(sa);
		ike_sa_destroy(e, sa, "IKE_SA_INIT refused");
		return;
	}
	psa = ikev2_find(c, IKEV2_PL_SA);
	ke = ikev2_find(c, IKEV2_PL_KE);
	nr = ikev2_find(c, IKEV2_PL_NONCE);
	if (!psa || !ke || !nr || m->hdr.rspi == 0 || psa->u.sa.nproposals != 1 ||
	    nr->u.nonce.len < 16 || nr->u.nonce.len > 256)
		goto fail_msg;
	/* The responder must pick one of ours, with one transform per type. */
	if (prop_select(&psa->u.sa, sa->conn->ike, sa->conn->n_ike, IKEV2_PROTO_IKE, true, 0,
			&sa->suite, &num, NULL) != 0 ||
	    ke->u.ke.group != sa->suite.group || !hs->ke || ke->u.ke.group != hs->ke->group) {
		ike_log(e, sa, IKE_LOG_ERROR, "responder chose a proposal we did not offer");
		goto fail_msg;
	}
	sa->rspi = m->hdr.rspi;
	memcpy(hs->nr, nr->u.nonce.data, nr->u.nonce.len);
	hs->nr_len = (uint16_t)nr->u.nonce.len;
	hs->init_resp = dup_bytes(sa, buf, len);
	hs->init_resp_len = hs->init_resp ? len : 0;
	read_notifies(sa, c, sa->rspi);
	if (ikev2_find(c, IKEV2_PL_CERTREQ)) {
		/* §3.7: kept to choose the certificates we send in IKE_AUTH. */
		uint8_t creq[20 * 32];
		size_t cn = sig_certreq_data(c, creq, sizeof(creq));
		hs->certreq = dup_bytes(sa, creq, cn);
		hs->certreq_len = hs->certreq ? cn : 0;
	}
	ike_clear_request(sa); /* answered: no more retransmits */
	if (ike_start_ke(e, sa, sa->suite.group, ke->u.ke.data, ke->u.ke.len) != 0)
		ike_sa_destroy(e, sa, "cannot start key exchange");
	return;
fail_msg:
	ike_log(e, sa, IKE_LOG_ERROR, "invalid IKE_SA_INIT response");
fail_notify:
	ike_event(e, sa, IKE_EV_IKE_FAILED, 0, 0, "IKE_SA_INIT failed");
	ike_clear_request(sa);
	ike_sa_destroy(e, sa, "IKE_SA_INIT failed");
}

void init_resume_initiator(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;

	if (!sa->rspi) {
		if (!sa->req)
			init_send(e, sa); /* our key pair is ready */
		return;
	}
	if (!hs->gir)
		return;
	if (init_derive_keys(e, sa) != 0) {
		ike_sa_destroy(e, sa, "key derivation failed");
		return;
	}
	if (sa->nat_local || sa->nat_remote) {
		/* §2.23: continue on the NAT-T port, with the non-ESP marker. */
		sa->natt = true;
		sa->local.port = e->cfg.natt_port;
		if (sa->remote.port == 500)
			sa->remote.port = 4500;
		ike_log(e, sa, IKE_LOG_INFO, "NAT detected (local %d, remote %d), moving to port %u",
			sa->nat_local, sa->nat_remote, sa->local.port);
	}
	sa->state = IKE_SA_AUTH_WAIT;
	auth_send_request(e, sa);
}

/* ---- responder ---- */

static void no_proposal_log(struct ike_engine *e, const struct ikev2_sa *peer,
			    const struct ike_conn *c)
{
	char theirs[512], ours[512];

	prop_format_peer(peer, theirs, sizeof(theirs));
	prop_format_ours(c->ike, c->n_ike, ours, sizeof(ours));
	ike_log(e, NULL, IKE_LOG_ERROR,
		"no proposal chosen: peer offered %s; %s accepts %s", theirs, c->name, ours);
}

void init_handle_request(struct ike_engine *e, const uint8_t *buf, size_t len,
			 const struct ikev2_msg *m, const struct ike_endpoint *local,
			 const struct ike_endpoint *remote)
{
	const struct ikev2_chain *c = &m->chain;
	const struct ikev2_payload *psa = ikev2_find(c, IKEV2_PL_SA);
	const struct ikev2_payload *ke = ikev2_find(c, IKEV2_PL_KE);
	const struct ikev2_payload *ni = ikev2_find(c, IKEV2_PL_NONCE);
	const struct ike_conn *conn = NULL, *first;
	struct ike_suite suite;
	uint8_t num = 0;
	struct ike_sa *sa;
	struct ike_hs *hs;

	if (m->hdr.rspi != 0)
		return;
	if (!psa || !ke || !ni || ni->u.nonce.len < 16 || ni->u.nonce.len > 256) {
		ike_send_plain_notify(e, &m->hdr, local, remote, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	first = ike_conn_by_addr(e, local, remote, 0);
	if (!first) {
		ike_log(e, NULL, IKE_LOG_ERROR, "no connection for this address pair");
		ike_send_plain_notify(e, &m->hdr, local, remote, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (e->half_open >= e->cfg.cookie_threshold) {
		/* §2.6: under load, only initiators that can receive at their
		 * address get state; the cookie must come first. */
		uint8_t want[COOKIE_LEN];
		const struct ikev2_payload *ck = c->count ? &c->pl[0] : NULL;
		cookie_make(e, ni->u.nonce.data, ni->u.nonce.len, remote, m->hdr.ispi, want);
		if (!ck || ck->type != IKEV2_PL_NOTIFY || ck->u.notify.type != IKEV2_N_COOKIE ||
		    ck->u.notify.len != COOKIE_LEN || memcmp(ck->u.notify.data, want, COOKIE_LEN) != 0) {
			if (ck && ck->type == IKEV2_PL_NOTIFY && ck->u.notify.type == IKEV2_N_COOKIE)
				IKE_DROP(e, IKE_DROP_BAD_COOKIE);
			ike_send_plain_notify(e, &m->hdr, local, remote, IKEV2_N_COOKIE, want,
					      COOKIE_LEN);
			return;
		}
	}
	if (e->half_open >= e->cfg.max_half_open) {
		IKE_DROP(e, IKE_DROP_HALF_OPEN_LIMIT);
		return;
	}
	/* Connection selection, first step: by addresses, the first whose
	 * proposals match (the identity refines it in IKE_AUTH). */
	for (size_t i = 0; i < e->nconns; i++) {
		const struct ike_conn *cand = ike_conn_by_addr(e, local, remote, i);
		if (!cand)
			break;
		while (e->conns[i] != cand)
			i++;
		if (prop_select(&psa->u.sa, cand->ike, cand->n_ike, IKEV2_PROTO_IKE, true,
				ke->u.ke.group, &suite, &num, NULL) == 0) {
			conn = cand;
			break;
		}
	}
	if (!conn) {
		no_proposal_log(e, &psa->u.sa, first);
		ike_send_plain_notify(e, &m->hdr, local, remote, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (suite.group != ke->u.ke.group) {
		/* §1.2: tell the initiator which group to use. */
		uint8_t g[2] = { (uint8_t)(suite.group >> 8), (uint8_t)suite.group };
		ike_log(e, NULL, IKE_LOG_INFO, "peer sent KE group %u, requesting group %u",
			ke->u.ke.group, suite.group);
		ike_send_plain_notify(e, &m->hdr, local, remote, IKEV2_N_INVALID_KE_PAYLOAD, g, 2);
		return;
	}
	sa = ike_sa_new(e, conn, false);
	if (!sa)
		return;
	sa->ispi = m->hdr.ispi;
	sa->local = *local;
	sa->remote = *remote;
	sa->suite = suite;
	sa->state = IKE_SA_INIT_WAIT;
	sa->half_open_deadline = e->now + conn->half_open_ms;
	do {
		if (ike_random(e, &sa->rspi, sizeof(sa->rspi)) != 0) {
			ike_sa_destroy(e, sa, "no randomness");
			return;
		}
	} while (sa->rspi == 0);
	ike_sa_hash(e, sa);
	hs = ike_hs_get(sa);
	if (!hs) {
		ike_sa_destroy(e, sa, "out of memory");
		return;
	}
	memcpy(hs->ni, ni->u.nonce.data, ni->u.nonce.len);
	hs->ni_len = (uint16_t)ni->u.nonce.len;
	hs->prop_num = num;
	hs->init_req = dup_bytes(sa, buf, len);
	hs->init_req_len = hs->init_req ? len : 0;
	read_notifies(sa, c, 0);
	ike_log(e, sa, IKE_LOG_INFO, "IKE_SA_INIT request from peer, conn %s, group %u", conn->name,
		suite.group);
	/* The first CHILD SA's SPI, ready before IKE_AUTH arrives. */
	if (conn->n_children)
		ike_request_spi(e, sa);
	if (ike_start_ke(e, sa, suite.group, ke->u.ke.data, ke->u.ke.len) != 0)
		ike_sa_destroy(e, sa, "cannot start key exchange");
}

void init_resume_responder(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;
	struct ike_arena a = ike_build_arena(e);
	struct ike_mb m = { .n = 0 };
	struct ike_hdr req = { .exchange = IKEV2_EXCH_IKE_SA_INIT, .msgid = 0 };
	struct ikev2_payload *p;
	uint8_t natd[2][IKE_NATD_LEN], sigh[16], creq[20 * 32];

	if (!hs->gir || !hs->ke || sa->resp)
		return;
	hs->nr_len = IKE_NONCE_LEN;
	if (ike_random(e, hs->nr, hs->nr_len) != 0)
		goto fail;
	p = mb_add(&m, IKEV2_PL_SA);
	if (prop_build_chosen(&a, &sa->suite, IKEV2_PROTO_IKE, hs->prop_num, 0, &p->u.sa) != 0)
		goto fail;
	p = mb_add(&m, IKEV2_PL_KE);
	p->u.ke.group = (uint16_t)hs->ke->group;
	p->u.ke.data = hs->ke->pub;
	p->u.ke.len = hs->ke->pub_len;
	p = mb_add(&m, IKEV2_PL_NONCE);
	p->u.nonce.data = hs->nr;
	p->u.nonce.len = hs->nr_len;
	sig_add_certreq(sa, &m, creq, sizeof(creq)); /* §1.2: [CERTREQ] after Nr */
	add_common_notifies(e, sa, &m, sa->rspi, natd, sigh, sizeof(sigh));
	if (ike_send_response(e, sa, &req, &m) != 0)
		goto fail;
	hs->init_resp = dup_bytes(sa, sa->resp, sa->resp_len);
	hs->init_resp_len = hs->init_resp ? sa->resp_len : 0;
	if (init_derive_keys(e, sa) != 0)
		goto fail;
	sa->state = IKE_SA_AUTH_WAIT;
	return;
fail:
	ike_sa_destroy(e, sa, "cannot answer IKE_SA_INIT");
}
