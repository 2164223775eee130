/* ke.c - key exchange dispatch (ke.h). */
#include "crypto/ke.h"
#include "crypto/transforms.h"
#include "ikev2_const.h"

#include <stdlib.h>

static int ke_make(unsigned group, const uint8_t *priv, size_t privlen, struct oc_ke **out)
{
	const struct oc_transform *t = oc_transform_find(IKEV2_TT_KE, group, 0);
	const struct oc_provider *p;
	struct oc_ke *ke;
	int rc;

	if (!t)
		return OC_EINVAL;
	if (t->unavailable || !(p = oc_provider_for(OC_KIND_KE, group)) || !p->ke_keygen)
		return OC_EUNAVAIL;
	ke = calloc(1, sizeof(*ke));
	if (!ke)
		return OC_EBACKEND;
	ke->group = group;
	ke->prov = p;
	ke->pub_len = t->out_len;
	ke->secret_len = t->secret_len;
	rc = p->ke_keygen(group, priv, privlen, &ke->state, ke->pub, ke->pub_len);
	if (rc) {
		free(ke);
		return rc;
	}
	*out = ke;
	return 0;
}

int oc_ke_new(unsigned group, struct oc_ke **out)
{
	return ke_make(group, NULL, 0, out);
}

int oc_ke_new_fixed(unsigned group, const uint8_t *priv, size_t privlen, struct oc_ke **out)
{
	return priv ? ke_make(group, priv, privlen, out) : OC_EINVAL;
}

int oc_ke_shared(struct oc_ke *ke, const uint8_t *peer, size_t peerlen, uint8_t *secret)
{
	if (!ke || !peer)
		return OC_EINVAL;
	/* RFC 7296 §3.4: the KE data length is fixed by the group. */
	if (peerlen != ke->pub_len)
		return OC_EPEERVAL;
	return ke->prov->ke_derive(ke->state, peer, peerlen, secret, ke->secret_len);
}

void oc_ke_free(struct oc_ke *ke)
{
	if (!ke)
		return;
	ke->prov->ke_free(ke->state);
	oc_wipe(ke, sizeof(*ke));
	free(ke);
}
