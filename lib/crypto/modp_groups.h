/* modp_groups.h - the MODP Diffie-Hellman primes (RFC 2409, RFC 3526). */
#ifndef OSPREY_CRYPTO_MODP_GROUPS_H
#define OSPREY_CRYPTO_MODP_GROUPS_H

#include <stddef.h>
#include <stdint.h>

struct oc_modp_group {
	unsigned group;    /* IKEV2_GROUP_MODP_* (same numbers in IKEv1) */
	size_t len;        /* octets of p, and of every public value */
	const uint8_t *p;  /* big-endian prime; the generator is 2 */
};

/* Terminated by an entry with group 0. */
extern const struct oc_modp_group oc_modp_groups[];

#endif
