/* Handshake state (struct ike_hs: ours in sa->hs, the responder side of a
 * CREATE_CHILD_SA in sa->rhs) and requests or responses parked until a
 * missing input arrives (engine.h DESIGN). */
#include "ikev2/internal.h"

#include <string.h>

#include "crypto/crypto.h"

struct ike_hs *ike_hs_get(struct ike_sa *sa)
{
	if (!sa->hs)
		sa->hs = sa_alloc(sa, sizeof(*sa->hs));
	return sa->hs;
}

void ike_hs_release(struct ike_sa *sa, struct ike_hs **hp)
{
	struct ike_hs *hs = *hp;

	if (!hs)
		return;
	if (hs->ke) {
		oc_ke_free(hs->ke);
		sa->mem -= sizeof(struct oc_ke);
	}
	sa_free(sa, hs->gir, hs->gir_len);
	sa_free(sa, hs->init_req, hs->init_req_len);
	sa_free(sa, hs->init_resp, hs->init_resp_len);
	sa_free(sa, hs->cookie, hs->cookie_len);
	sa_free(sa, hs->certreq, hs->certreq_len);
	if (hs->my_auth)
		oc_wipe(hs->my_auth, hs->my_auth_len);
	sa_free(sa, hs->my_auth, hs->my_auth_len);
	sa_free(sa, hs, sizeof(*hs));
	*hp = NULL;
}

void ike_hs_free(struct ike_sa *sa)
{
	ike_hs_release(sa, &sa->hs);
}

struct ike_hs *ike_rhs_get(struct ike_sa *sa)
{
	if (!sa->rhs)
		sa->rhs = sa_alloc(sa, sizeof(*sa->rhs));
	return sa->rhs;
}

void ike_rhs_free(struct ike_sa *sa)
{
	ike_hs_release(sa, &sa->rhs);
}

int ike_park_to(struct ike_sa *sa, struct ike_parked **pp, const struct ike_hdr *h, uint8_t first,
		const uint8_t *p, size_t n)
{
	ike_unpark_from(sa, pp);
	*pp = sa_alloc(sa, sizeof(**pp) + n);
	if (!*pp)
		return -1;
	(*pp)->hdr = *h;
	(*pp)->first = first;
	(*pp)->len = n;
	memcpy((*pp)->data, p, n);
	return 0;
}

void ike_unpark_from(struct ike_sa *sa, struct ike_parked **pp)
{
	if (*pp)
		sa_free(sa, *pp, sizeof(**pp) + (*pp)->len);
	*pp = NULL;
}

int ike_park(struct ike_sa *sa, const struct ike_hdr *h, uint8_t first, const uint8_t *p, size_t n)
{
	return ike_park_to(sa, &sa->parked, h, first, p, n);
}

void ike_unpark(struct ike_sa *sa)
{
	ike_unpark_from(sa, &sa->parked);
}
