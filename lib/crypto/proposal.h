/* proposal.h - proposal strings as strongSwan users write them.
 *
 * "aes256gcm16-prfsha384-ecp384", "aes128-sha256-x25519",
 * "aes256-sha1-modp2048", "3des-sha1-modp1024", and for ESP
 * "aes128gcm16-modp2048-esn".  Keywords are separated by '-'; each names one
 * transform (transforms.h).  For IKE without a PRF keyword, the PRFs follow
 * the integrity algorithms (sha256 -> prfsha256), as in strongSwan. */
#ifndef OSPREY_CRYPTO_PROPOSAL_H
#define OSPREY_CRYPTO_PROPOSAL_H

#include "crypto/transforms.h"

enum oc_proto { OC_PROTO_IKE, OC_PROTO_ESP, OC_PROTO_AH };
enum { OC_PROPOSAL_MAX = 16 };

enum { OC_ESN_NO = 1, OC_ESN_YES = 2 }; /* bit flags of oc_proposal.esn */

struct oc_proposal {
	enum oc_proto proto;
	uint8_t n_encr, n_integ, n_prf, n_ke;
	const struct oc_transform *encr[OC_PROPOSAL_MAX];
	const struct oc_transform *integ[OC_PROPOSAL_MAX];
	const struct oc_transform *prf[OC_PROPOSAL_MAX];
	const struct oc_transform *ke[OC_PROPOSAL_MAX];
	bool prf_implicit;  /* PRFs taken from the integrity algorithms */
	uint8_t esn;        /* ESP/AH: OC_ESN_* flags, 0 when not given */
};

/* Parses s.  On error returns OC_EINVAL and writes a message into err, such
 * as "unknown algorithm 'aes257' in proposal 'aes257-sha1-modp2048'; valid
 * keywords: aes128 aes192 ...". */
int oc_proposal_parse(const char *s, enum oc_proto proto, struct oc_proposal *p,
		      char *err, size_t errlen);
/* Prints canonical keywords; parsing the result gives the same proposal.
 * Returns the length (as snprintf) or -1. */
int oc_proposal_format(const struct oc_proposal *p, char *buf, size_t len);

#endif
