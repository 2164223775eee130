/* IKE_AUTH (§1.2, §2.15): identities, AUTH with a shared key or a
 * signature (RSA, ECDSA, RFC 7427; certificates and jobs in sig.c),
 * connection selection by identity,
 * INITIAL_CONTACT (§2.4), and the first CHILD SA (child.c). */
#include "ikev2/internal.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/ikev2_auth.h"

enum { MAX_AUTH = 1024 };

/* Our identity: the configured one, else our IP address (§3.5). */
static void our_id(const struct ike_sa *sa, struct oc_id *id)
{
	if (sa->conn->local_id.type != OC_ID_ANY) {
		*id = sa->conn->local_id;
		return;
	}
	memset(id, 0, sizeof(*id));
	id->type = sa->local.family == 6 ? IKEV2_ID_IPV6_ADDR : IKEV2_ID_IPV4_ADDR;
	id->len = sa->local.family == 6 ? 16 : 4;
	memcpy(id->data, sa->local.addr, id->len);
}

/* The ID payload body: type, three reserved octets, data (§3.5). */
static size_t id_body(const struct oc_id *id, uint8_t *buf, size_t cap)
{
	if (4 + id->len > cap)
		return 0;
	buf[0] = id->type;
	buf[1] = buf[2] = buf[3] = 0;
	memcpy(buf + 4, id->data, id->len);
	return 4 + id->len;
}

/* The octets one side signs (§2.15): the initiator's are its IKE_SA_INIT
 * request, Nr and prf(SK_pi, IDi'); the responder's its response, Ni and
 * prf(SK_pr, IDr').  ours: our side's, else the peer's. */
static int signed_octets(struct ike_sa *sa, bool ours, const uint8_t *idb, size_t idlen,
			 uint8_t **oct, size_t *olen)
{
	struct ike_hs *hs = sa->hs;
	bool i = ours ? sa->initiator : !sa->initiator;

	return oc_ikev2_signed_octets(sa->suite.prf, i ? hs->init_req : hs->init_resp,
				      i ? hs->init_req_len : hs->init_resp_len, i ? hs->nr : hs->ni,
				      i ? hs->nr_len : hs->ni_len, i ? hs->sk_pi : hs->sk_pr,
				      sa->suite.prf->out_len, idb, idlen, oct, olen);
}

/* Our AUTH: a shared key MIC computed here, or a signature made by a
 * crypto job (sig.c).  0: auth is there; 1: the job runs, come back on
 * resume; < 0: error. */
static int make_auth(struct ike_engine *e, struct ike_sa *sa, const uint8_t *idb, size_t idlen,
		     uint8_t *method, uint8_t *auth, size_t *authlen)
{
	struct ike_hs *hs = sa->hs;
	uint8_t *oct;
	size_t olen;
	int rc;

	if (sa->conn->local_auth != IKE_AUTH_PSK && hs->my_auth && hs->auth_conn == sa->conn) {
		if (hs->my_auth_len > *authlen)
			return -1;
		memcpy(auth, hs->my_auth, hs->my_auth_len);
		*authlen = hs->my_auth_len;
		*method = hs->my_method;
		return 0;
	}
	if (hs->sign_job)
		return 1;
	if (signed_octets(sa, true, idb, idlen, &oct, &olen) != 0)
		return -1;
	if (sa->conn->local_auth == IKE_AUTH_PSK) {
		*method = IKEV2_AUTH_PSK;
		*authlen = sa->suite.prf->out_len;
		rc = oc_ikev2_auth_psk(sa->suite.prf, sa->conn->psk, sa->conn->psk_len, oct, olen, auth);
		rc = rc ? -1 : 0;
	} else {
		rc = sig_start_sign(e, sa, oct, olen) == 0 ? 1 : -1;
	}
	oc_wipe(oct, olen);
	free(oct);
	return rc;
}

static const char auth_pending[] = "verification in progress";

/* Checks the peer's AUTH; NULL when good, auth_pending while a VERIFY job
 * runs (sig.c), else why not. */
static const char *check_auth(struct ike_engine *e, struct ike_sa *sa,
			      const struct ikev2_chain *c, const struct oc_id *peer,
			      const struct ikev2_payload *idp, const struct ikev2_payload *ap)
{
	struct ike_hs *hs = sa->hs;
	const char *why = NULL;
	uint8_t *oct;
	size_t olen;

	if (sa->conn->remote_auth != IKE_AUTH_PSK && hs->verified && hs->auth_conn == sa->conn)
		return hs->verify_rc ? hs->verify_why : NULL;
	if (hs->verify_job)
		return auth_pending;
	if (signed_octets(sa, false, idp->body, idp->body_len, &oct, &olen) != 0)
		return "cannot compute signed octets";
	if (sa->conn->remote_auth == IKE_AUTH_PSK) {
		if (ap->u.auth.method != IKEV2_AUTH_PSK)
			why = "peer did not use a shared key";
		else if (oc_ikev2_auth_psk_verify(sa->suite.prf, sa->conn->psk, sa->conn->psk_len, oct,
						  olen, ap->u.auth.data, ap->u.auth.len) != 0)
			why = "shared key AUTH does not verify";
	} else if (ap->u.auth.method == IKEV2_AUTH_PSK) {
		why = "peer used a shared key, we want a signature";
	} else if (sig_start_verify(e, sa, c, peer, ap, oct, olen) != 0) {
		why = "cannot start the signature check";
	} else {
		why = auth_pending;
	}
	oc_wipe(oct, olen);
	free(oct);
	return why;
}

/* §2.4: INITIAL_CONTACT only when we have no other IKE SA with the peer
 * (a second SA of a conn, e.g. after a reload changed it, must not make
 * the peer drop the first). */
static bool other_sa_with_peer(const struct ike_engine *e, const struct ike_sa *sa)
{
	for (const struct ike_sa *o = e->sas; o; o = o->next)
		if (o != sa && (o->state == IKE_SA_ESTABLISHED || o->state == IKE_SA_DELETING) &&
		    o->remote.family == sa->remote.family &&
		    memcmp(o->remote.addr, sa->remote.addr, 16) == 0)
			return true;
	return false;
}

void auth_send_request(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_hs *hs = sa->hs;
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	struct oc_id id;
	uint8_t idb[4 + sizeof(id.data)], auth[MAX_AUTH], method, creq[20 * 32];
	size_t idlen, authlen = sizeof(auth);
	int rc;

	if (!hs || hs->spi_req || hs->ke_pending || hs->sign_job || sa->req ||
	    (sa->conn->n_children && !hs->spi_in))
		return; /* resume() comes back when the SPI / signature is there */
	our_id(sa, &id);
	idlen = id_body(&id, idb, sizeof(idb));
	rc = make_auth(e, sa, idb, idlen, &method, auth, &authlen);
	if (rc == 1)
		return; /* the SIGN job runs; resume() comes back */
	if (rc != 0) {
		ike_sa_destroy(e, sa, "cannot compute AUTH");
		return;
	}
	p = mb_add(&m, IKEV2_PL_IDI);
	p->u.id.type = id.type;
	p->u.id.data = id.data;
	p->u.id.len = id.len;
	/* §1.2: IDi, [CERT,] [INITIAL_CONTACT,] [CERTREQ,] [IDr,] AUTH, ... */
	if (sa->conn->local_auth == IKE_AUTH_PUBKEY)
		sig_add_certs(e, sa, &m, hs->certreq, hs->certreq_len);
	if (sa->conn->initial_contact && !other_sa_with_peer(e, sa))
		mb_notify(&m, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	sig_add_certreq(sa, &m, creq, sizeof(creq));
	if (sa->conn->remote_id.type != OC_ID_ANY) {
		p = mb_add(&m, IKEV2_PL_IDR);
		p->u.id.type = sa->conn->remote_id.type;
		p->u.id.data = sa->conn->remote_id.data;
		p->u.id.len = sa->conn->remote_id.len;
	}
	p = mb_add(&m, IKEV2_PL_AUTH);
	p->u.auth.method = method;
	p->u.auth.data = auth;
	p->u.auth.len = authlen;
	cp_request(e, sa, &m); /* virtual IPs (cp.c): CP(CFG_REQUEST) before SAi2 (§1.2) */
	if (sa->conn->n_children) {
		/* hs->child_cfg: 0, or the trap's config (ike_engine_acquire). */
		if (child_offer(e, sa, &m, hs->child_cfg, hs->spi_in, true, NULL) != 0) {
			ike_sa_destroy(e, sa, "cannot build CHILD_SA proposal");
			return;
		}
	}
	sa->state = IKE_SA_AUTH_SENT;
	if (ike_send_request(e, sa, IKEV2_EXCH_IKE_AUTH, &m) != 0)
		ike_sa_destroy(e, sa, "cannot send IKE_AUTH");
	oc_wipe(auth, sizeof(auth));
}

static bool conn_accepts_suite(const struct ike_conn *c, const struct ike_suite *s)
{
	for (unsigned i = 0; i < c->n_ike; i++) {
		const struct oc_proposal *p = &c->ike[i];
		bool e = false, r = false, n = !s->integ, g = false;
		for (unsigned k = 0; k < p->n_encr; k++)
			e |= p->encr[k] == s->encr;
		for (unsigned k = 0; k < p->n_prf; k++)
			r |= p->prf[k] == s->prf;
		for (unsigned k = 0; k < p->n_integ; k++)
			n |= p->integ[k] == s->integ;
		for (unsigned k = 0; k < p->n_ke; k++)
			g |= p->ke[k]->id == s->group;
		if (e && r && n && g)
			return true;
	}
	return false;
}

/* Connection selection, second step: the peer's identity (and the IDr it
 * asked for) among the conns for these addresses. */
static const struct ike_conn *select_by_id(struct ike_engine *e, struct ike_sa *sa,
					   const struct oc_id *peer, const struct ikev2_payload *idr)
{
	struct oc_id want;
	bool have_want = idr && oc_id_from_payload(idr->u.id.type, idr->u.id.data, idr->u.id.len,
						   &want) == 0;

	for (size_t i = 0; i <= e->nconns; i++) {
		/* The conn chosen by address comes first. */
		const struct ike_conn *c = i == 0 ? sa->conn : e->conns[i - 1];
		if (i > 0 && c == sa->conn)
			continue;
		if (!ike_ep_match(&c->local, &sa->local) || !ike_ep_match(&c->remote, &sa->remote))
			continue;
		if (c->remote_id.type != OC_ID_ANY && !oc_id_match(&c->remote_id, peer))
			continue;
		if (have_want && c->local_id.type != OC_ID_ANY && !oc_id_match(&want, &c->local_id))
			continue;
		if (!conn_accepts_suite(c, &sa->suite))
			continue;
		return c;
	}
	return NULL;
}

static void established(struct ike_engine *e, struct ike_sa *sa)
{
	if (!sa->initiator)
		e->half_open--;
	sa->state = IKE_SA_ESTABLISHED;
	sa->last_recv = e->now;
	if (sa->nat_local)
		sa->keepalive_deadline = e->now + sa->conn->keepalive_ms;
	ike_hs_free(sa);
	rekey_ike_times(e, sa);
	ike_event(e, sa, IKE_EV_IKE_UP, 0, 0, "IKE_SA %s established (%s)", sa->conn->name,
		  sa->initiator ? "initiator" : "responder");
}

/* §2.4: INITIAL_CONTACT: the peer has no other SAs with us any more. */
static void initial_contact(struct ike_engine *e, struct ike_sa *sa)
{
	for (struct ike_sa *o = e->sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state == IKE_SA_ESTABLISHED &&
		    o->remote.family == sa->remote.family &&
		    memcmp(o->remote.addr, sa->remote.addr, 16) == 0)
			ike_sa_destroy(e, o, "replaced (INITIAL_CONTACT)");
}

void auth_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			 const struct ikev2_chain *c)
{
	const struct ikev2_payload *idi = ikev2_find(c, IKEV2_PL_IDI);
	const struct ikev2_payload *idr = ikev2_find(c, IKEV2_PL_IDR);
	const struct ikev2_payload *ap = ikev2_find(c, IKEV2_PL_AUTH);
	struct ike_hs *hs = sa->hs;
	struct ike_mb m = { .n = 0 };
	struct ikev2_payload *p;
	const struct ike_conn *conn;
	struct oc_id peer, id;
	const char *why;
	uint8_t idb[4 + sizeof(id.data)], auth[MAX_AUTH], method, creq[20 * 32];
	size_t idlen, authlen = sizeof(auth), creqlen;
	uint16_t child_err;
	int rc;

	if (!idi || !ap) {
		mb_notify(&m, 0, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		ike_send_response(e, sa, h, &m);
		ike_sa_destroy(e, sa, "IKE_AUTH without IDi or AUTH");
		return;
	}
	if (oc_id_from_payload(idi->u.id.type, idi->u.id.data, idi->u.id.len, &peer) != 0 ||
	    !(conn = select_by_id(e, sa, &peer, idr))) {
		why = "no connection for the peer's identity";
		goto auth_failed;
	}
	sa->conn = conn;
	our_id(sa, &id);
	idlen = id_body(&id, idb, sizeof(idb));
	why = check_auth(e, sa, c, &peer, idi, ap);
	if (why == auth_pending) {
		/* Sign meanwhile: both jobs run at once; the request is handled
		 * again when both are back (engine.h: restartable handlers). */
		if (make_auth(e, sa, idb, idlen, &method, auth, &authlen) < 0) {
			why = "cannot compute our AUTH";
			goto auth_failed;
		}
		ike_park(sa, h, e->in_first, e->plain, e->in_plen);
		return;
	}
	if (why)
		goto auth_failed;
	rc = make_auth(e, sa, idb, idlen, &method, auth, &authlen);
	if (rc == 1) {
		ike_park(sa, h, e->in_first, e->plain, e->in_plen);
		return;
	}
	if (rc != 0) {
		why = "cannot compute our AUTH";
		goto auth_failed;
	}
	if (ikev2_find_notify(c, IKEV2_N_INITIAL_CONTACT))
		initial_contact(e, sa);
	p = mb_add(&m, IKEV2_PL_IDR);
	p->u.id.type = id.type;
	p->u.id.data = id.data;
	p->u.id.len = id.len;
	if (conn->local_auth == IKE_AUTH_PUBKEY) {
		creqlen = sig_certreq_data(c, creq, sizeof(creq));
		sig_add_certs(e, sa, &m, creq, creqlen);
	}
	p = mb_add(&m, IKEV2_PL_AUTH);
	p->u.auth.method = method;
	p->u.auth.data = auth;
	p->u.auth.len = authlen;
	/* The IKE SA stands even when the CHILD SA fails (§1.2, §2.21.2).
	 * Virtual IPs (cp.c) first: the CHILD SA's selectors use them. */
	child_err = cp_respond(e, sa, c, &m, &peer);
	if (!child_err)
		child_err = child_respond(e, sa, hs, c, &m, hs->ni, hs->ni_len, hs->nr, hs->nr_len,
					  NULL, 0, true, -1);
	if (child_err)
		mb_notify(&m, 0, child_err, NULL, 0);
	if (ike_send_response(e, sa, h, &m) != 0) {
		ike_sa_destroy(e, sa, "cannot send IKE_AUTH response");
		return;
	}
	oc_wipe(auth, sizeof(auth));
	established(e, sa);
	return;
auth_failed:
	ike_log(e, sa, IKE_LOG_ERROR, "authentication of the peer failed: %s", why);
	ike_event(e, sa, IKE_EV_IKE_FAILED, 0, IKEV2_N_AUTHENTICATION_FAILED, "%s", why);
	m.n = 0;
	mb_notify(&m, 0, IKEV2_N_AUTHENTICATION_FAILED, NULL, 0);
	ike_send_response(e, sa, h, &m);
	ike_sa_destroy(e, sa, "authentication failed");
}

void auth_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c)
{
	const struct ikev2_payload *idr = ikev2_find(c, IKEV2_PL_IDR);
	const struct ikev2_payload *ap = ikev2_find(c, IKEV2_PL_AUTH);
	struct ike_hs *hs = sa->hs;
	struct oc_id peer;
	const char *why = NULL;
	bool vip_ok;

	ike_clear_request(sa);
	if (!hs)
		return;
	if (!idr || !ap) {
		const struct ikev2_payload *n = c->count && c->pl[0].type == IKEV2_PL_NOTIFY ? &c->pl[0] : NULL;
		uint16_t t = n ? n->u.notify.type : IKEV2_N_INVALID_SYNTAX;
		ike_log(e, sa, IKE_LOG_ERROR, "IKE_AUTH refused by the peer (notify %u)", t);
		ike_event(e, sa, IKE_EV_IKE_FAILED, 0, t, "IKE_AUTH refused");
		ike_sa_destroy(e, sa, "IKE_AUTH refused");
		return;
	}
	if (oc_id_from_payload(idr->u.id.type, idr->u.id.data, idr->u.id.len, &peer) != 0 ||
	    (sa->conn->remote_id.type != OC_ID_ANY && !oc_id_match(&sa->conn->remote_id, &peer)))
		why = "the responder's identity is not the one configured";
	if (!why)
		why = check_auth(e, sa, c, &peer, idr, ap);
	if (why == auth_pending) {
		ike_park(sa, h, e->in_first, e->plain, e->in_plen);
		return; /* the request is answered: no retransmits meanwhile */
	}
	if (why) {
		ike_log(e, sa, IKE_LOG_ERROR, "authentication of the responder failed: %s", why);
		ike_event(e, sa, IKE_EV_IKE_FAILED, 0, IKEV2_N_AUTHENTICATION_FAILED, "%s", why);
		/* §2.21.2: tell the responder in a separate INFORMATIONAL. */
		sa->state = IKE_SA_ESTABLISHED;
		info_send_notify(e, sa, IKEV2_N_AUTHENTICATION_FAILED);
		ike_sa_destroy(e, sa, "authentication failed");
		return;
	}
	sa->state = IKE_SA_ESTABLISHED;
	vip_ok = cp_accept(e, sa, c) == 0; /* cp.c: before the CHILD SA uses it */
	if (sa->conn->n_children) {
		uint16_t err = 0;
		for (size_t i = 0; i < c->count; i++)
			if (c->pl[i].type == IKEV2_PL_NOTIFY && c->pl[i].u.notify.type < IKEV2_N_STATUS_MIN)
				err = c->pl[i].u.notify.type;
		if (err) {
			ike_log(e, sa, IKE_LOG_ERROR, "CHILD_SA refused by the peer (notify %u)", err);
			ike_event(e, sa, IKE_EV_CHILD_FAILED, 0, err, "CHILD_SA refused");
		} else if (!vip_ok) {
			ike_event(e, sa, IKE_EV_CHILD_FAILED, 0, 0, "no virtual IP assigned");
		} else if (child_accept(e, sa, hs, c, hs->child_cfg, hs->ni, hs->ni_len, hs->nr,
					hs->nr_len, NULL, 0, true) != 0) {
			ike_event(e, sa, IKE_EV_CHILD_FAILED, 0, 0, "unacceptable CHILD_SA response");
		}
	}
	established(e, sa);
}
