/* mbed_ke.c - Diffie-Hellman and ECDH of the mbedTLS provider.
 *
 * Encodings on the wire:
 *  MODP: g^x mod p, big-endian, zero-padded to the length of p; the shared
 *        secret likewise (RFC 7296 §2.14, §3.4).
 *  ECP and brainpool: x | y, each the field length, no point-format octet;
 *        the shared secret is the x coordinate (RFC 5903 §7, RFC 6954 §3).
 *  Curve25519/448: the RFC 7748 little-endian u-coordinate (RFC 8031 §2).
 * Peer values are checked before use (RFC 6989): 1 < y < p-1 for MODP, a
 * point on the curve for ECP, and an all-zero X25519/X448 result is refused
 * (RFC 8031 §2.2). */
#include "crypto/mbed_internal.h"
#include "crypto/modp_groups.h"
#include "ikev2_const.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/dhm.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>

enum ke_type { KE_MODP, KE_ECP, KE_MONT };

struct ke_state {
	enum ke_type type;
	unsigned group;
	size_t plen; /* field / modulus length in octets */
	mbedtls_dhm_context dhm;
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
};

static const struct oc_modp_group *modp_find(unsigned group)
{
	for (const struct oc_modp_group *g = oc_modp_groups; g->group; g++)
		if (g->group == group)
			return g;
	return NULL;
}

static mbedtls_ecp_group_id ecp_id(unsigned group, enum ke_type *type)
{
	*type = KE_ECP;
	switch (group) {
	case IKEV2_GROUP_ECP_256: return MBEDTLS_ECP_DP_SECP256R1;
	case IKEV2_GROUP_ECP_384: return MBEDTLS_ECP_DP_SECP384R1;
	case IKEV2_GROUP_ECP_521: return MBEDTLS_ECP_DP_SECP521R1;
	case IKEV2_GROUP_ECP_192: return MBEDTLS_ECP_DP_SECP192R1;
	case IKEV2_GROUP_ECP_224: return MBEDTLS_ECP_DP_SECP224R1;
	case IKEV2_GROUP_BRAINPOOL_P256: return MBEDTLS_ECP_DP_BP256R1;
	case IKEV2_GROUP_BRAINPOOL_P384: return MBEDTLS_ECP_DP_BP384R1;
	case IKEV2_GROUP_BRAINPOOL_P512: return MBEDTLS_ECP_DP_BP512R1;
	case IKEV2_GROUP_CURVE25519: *type = KE_MONT; return MBEDTLS_ECP_DP_CURVE25519;
	case IKEV2_GROUP_CURVE448: *type = KE_MONT; return MBEDTLS_ECP_DP_CURVE448;
	default: return MBEDTLS_ECP_DP_NONE;
	}
}

bool oc_mbed_has_group(unsigned group)
{
	enum ke_type t;
	mbedtls_ecp_group_id id = ecp_id(group, &t);
	if (id != MBEDTLS_ECP_DP_NONE)
		return mbedtls_ecp_curve_info_from_grp_id(id) != NULL;
	return modp_find(group) != NULL;
}

void oc_mbed_ke_free(void *state)
{
	struct ke_state *s = state;
	if (!s)
		return;
	mbedtls_dhm_free(&s->dhm);  /* zeroizes X and K */
	mbedtls_ecp_group_free(&s->grp);
	mbedtls_mpi_free(&s->d);    /* mbedtls_mpi_free zeroizes the limbs */
	oc_wipe(s, sizeof(*s));
	free(s);
}

static int modp_keygen(struct ke_state *s, const struct oc_modp_group *g,
		       const uint8_t *priv, size_t privlen, uint8_t *pub, size_t publen)
{
	mbedtls_mpi P, G;
	int rc = OC_EBACKEND;

	if (publen != g->len)
		return OC_EINVAL;
	mbedtls_mpi_init(&P);
	mbedtls_mpi_init(&G);
	if (mbedtls_mpi_read_binary(&P, g->p, g->len) != 0 || mbedtls_mpi_lset(&G, 2) != 0 ||
	    mbedtls_dhm_set_group(&s->dhm, &P, &G) != 0)
		goto out;
	if (!priv) {
		/* A private exponent as long as p (mbedTLS keeps it in [2, p-2]). */
		if (mbedtls_dhm_make_public(&s->dhm, (int)g->len, pub, publen, oc_rng_mbedtls, NULL) == 0)
			rc = 0;
	} else {
		/* Known-answer tests: the exponent is given. */
		if (mbedtls_mpi_read_binary(&s->dhm.X, priv, privlen) == 0 &&
		    mbedtls_mpi_exp_mod(&s->dhm.GX, &s->dhm.G, &s->dhm.X, &s->dhm.P, &s->dhm.RP) == 0 &&
		    mbedtls_mpi_write_binary(&s->dhm.GX, pub, publen) == 0)
			rc = 0;
	}
out:
	mbedtls_mpi_free(&P);
	mbedtls_mpi_free(&G);
	return rc;
}

/* Writes the public point in the IKE encoding. */
static int ec_write_pub(struct ke_state *s, const mbedtls_ecp_point *Q, uint8_t *pub, size_t publen)
{
	uint8_t buf[2 * 66 + 1];
	size_t olen = 0;

	if (s->type == KE_MONT) {
		if (publen != s->plen)
			return OC_EINVAL;
		return mbedtls_ecp_point_write_binary(&s->grp, Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
						      pub, publen) == 0 && olen == publen ? 0 : OC_EBACKEND;
	}
	if (publen != 2 * s->plen)
		return OC_EINVAL;
	if (mbedtls_ecp_point_write_binary(&s->grp, Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
					   buf, sizeof(buf)) != 0 || olen != publen + 1)
		return OC_EBACKEND;
	memcpy(pub, buf + 1, publen); /* drop the 0x04 octet (RFC 5903 §7) */
	return 0;
}

static int ec_keygen(struct ke_state *s, mbedtls_ecp_group_id id,
		     const uint8_t *priv, size_t privlen, uint8_t *pub, size_t publen)
{
	mbedtls_ecp_point Q;
	int rc = OC_EBACKEND;

	if (mbedtls_ecp_group_load(&s->grp, id) != 0)
		return OC_EUNAVAIL;
	s->plen = (s->grp.pbits + 7) / 8;
	mbedtls_ecp_point_init(&Q);
	if (!priv) {
		if (mbedtls_ecdh_gen_public(&s->grp, &s->d, &Q, oc_rng_mbedtls, NULL) != 0)
			goto out;
	} else {
		if (id == MBEDTLS_ECP_DP_CURVE448) {
			/* mbedtls_ecp_read_key of 2.28 only knows Curve25519 among the
			 * Montgomery curves: decode and clamp as RFC 7748 §5 says. */
			uint8_t k[56];
			if (privlen != sizeof(k)) {
				rc = OC_EINVAL;
				goto out;
			}
			memcpy(k, priv, sizeof(k));
			k[0] &= 252;
			k[55] |= 128;
			int r = mbedtls_mpi_read_binary_le(&s->d, k, sizeof(k));
			oc_wipe(k, sizeof(k));
			if (r != 0 || mbedtls_ecp_mul(&s->grp, &Q, &s->d, &s->grp.G, oc_rng_mbedtls, NULL) != 0)
				goto out;
			rc = ec_write_pub(s, &Q, pub, publen);
			goto out;
		}
		mbedtls_ecp_keypair kp;
		mbedtls_ecp_keypair_init(&kp);
		/* mbedtls_ecp_read_key reads RFC 7748 scalars little-endian and clamps them. */
		int r = mbedtls_ecp_read_key(id, &kp, priv, privlen);
		if (r == 0)
			r = mbedtls_mpi_copy(&s->d, &kp.d);
		mbedtls_ecp_keypair_free(&kp);
		if (r != 0) {
			rc = OC_EINVAL;
			goto out;
		}
		if (mbedtls_ecp_mul(&s->grp, &Q, &s->d, &s->grp.G, oc_rng_mbedtls, NULL) != 0)
			goto out;
	}
	rc = ec_write_pub(s, &Q, pub, publen);
out:
	mbedtls_ecp_point_free(&Q);
	return rc;
}

int oc_mbed_ke_keygen(unsigned group, const uint8_t *priv, size_t privlen,
		      void **state, uint8_t *pub, size_t publen)
{
	struct ke_state *s = calloc(1, sizeof(*s));
	enum ke_type t;
	mbedtls_ecp_group_id id = ecp_id(group, &t);
	const struct oc_modp_group *g = NULL;
	int rc;

	if (!s)
		return OC_EBACKEND;
	mbedtls_dhm_init(&s->dhm);
	mbedtls_ecp_group_init(&s->grp);
	mbedtls_mpi_init(&s->d);
	s->group = group;
	if (id != MBEDTLS_ECP_DP_NONE) {
		s->type = t;
		rc = ec_keygen(s, id, priv, privlen, pub, publen);
	} else if ((g = modp_find(group)) != NULL) {
		s->type = KE_MODP;
		s->plen = g->len;
		rc = modp_keygen(s, g, priv, privlen, pub, publen);
	} else {
		rc = OC_EUNAVAIL;
	}
	if (rc != 0) {
		oc_mbed_ke_free(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int modp_derive(struct ke_state *s, const uint8_t *peer, size_t peerlen,
		       uint8_t *secret, size_t secretlen)
{
	mbedtls_mpi y, pm1;
	size_t olen = 0;
	int rc = OC_EPEERVAL;

	if (peerlen != s->plen || secretlen != s->plen)
		return OC_EINVAL;
	mbedtls_mpi_init(&y);
	mbedtls_mpi_init(&pm1);
	/* RFC 6989 §2.1: 1 < y < p-1. */
	if (mbedtls_mpi_read_binary(&y, peer, peerlen) != 0 ||
	    mbedtls_mpi_sub_int(&pm1, &s->dhm.P, 1) != 0)
		goto out;
	if (mbedtls_mpi_cmp_int(&y, 1) <= 0 || mbedtls_mpi_cmp_mpi(&y, &pm1) >= 0)
		goto out;
	if (mbedtls_dhm_read_public(&s->dhm, peer, peerlen) != 0 ||
	    mbedtls_dhm_calc_secret(&s->dhm, secret, secretlen, &olen, oc_rng_mbedtls, NULL) != 0) {
		rc = OC_EBACKEND;
		goto out;
	}
	/* mbedTLS drops leading zero octets; IKE keeps the length of p. */
	if (olen < secretlen) {
		memmove(secret + (secretlen - olen), secret, olen);
		memset(secret, 0, secretlen - olen);
	}
	rc = 0;
out:
	mbedtls_mpi_free(&y);
	mbedtls_mpi_free(&pm1);
	return rc;
}

static int ec_derive(struct ke_state *s, const uint8_t *peer, size_t peerlen,
		     uint8_t *secret, size_t secretlen)
{
	mbedtls_ecp_point Q;
	mbedtls_mpi z;
	uint8_t buf[2 * 66 + 1];
	int rc = OC_EPEERVAL;

	if (secretlen != s->plen)
		return OC_EINVAL;
	mbedtls_ecp_point_init(&Q);
	mbedtls_mpi_init(&z);
	if (s->type == KE_ECP) {
		if (peerlen != 2 * s->plen)
			goto out;
		buf[0] = 0x04;
		memcpy(buf + 1, peer, peerlen);
		if (mbedtls_ecp_point_read_binary(&s->grp, &Q, buf, peerlen + 1) != 0)
			goto out;
	} else {
		if (peerlen != s->plen ||
		    mbedtls_ecp_point_read_binary(&s->grp, &Q, peer, peerlen) != 0)
			goto out;
	}
	/* On the curve, not the point at infinity, coordinates below p
	 * (RFC 6989 §2.3); for Montgomery curves mbedTLS also refuses the
	 * known low-order points. */
	if (mbedtls_ecp_check_pubkey(&s->grp, &Q) != 0)
		goto out;
	if (mbedtls_ecdh_compute_shared(&s->grp, &z, &Q, &s->d, oc_rng_mbedtls, NULL) != 0)
		goto out;
	if (s->type == KE_MONT) {
		if (mbedtls_mpi_write_binary_le(&z, secret, secretlen) != 0) {
			rc = OC_EBACKEND;
			goto out;
		}
		/* RFC 8031 §2.2: an all-zero shared secret MUST be rejected. */
		uint8_t acc = 0;
		for (size_t i = 0; i < secretlen; i++)
			acc |= secret[i];
		if (acc == 0)
			goto out;
	} else if (mbedtls_mpi_write_binary(&z, secret, secretlen) != 0) {
		rc = OC_EBACKEND;
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		oc_wipe(secret, secretlen);
	mbedtls_ecp_point_free(&Q);
	mbedtls_mpi_free(&z);
	return rc;
}

int oc_mbed_ke_derive(void *state, const uint8_t *peer, size_t peerlen,
		      uint8_t *secret, size_t secretlen)
{
	struct ke_state *s = state;
	if (!s)
		return OC_EINVAL;
	return s->type == KE_MODP ? modp_derive(s, peer, peerlen, secret, secretlen)
				  : ec_derive(s, peer, peerlen, secret, secretlen);
}
