/* Address pools for virtual IPs (RFC 7296 §2.19, §3.15): a responder
 * leases an address of a pool to each peer that asks for one in a
 * CP(CFG_REQUEST).
 *
 * A lease belongs to the peer's identity (its IDi): while any IKE SA of
 * that identity holds it the lease is "online" (counted by references);
 * when the last one goes it stays "offline", reserved for the same
 * identity, which gets the same address again when it comes back.  Only
 * when every address has been leased once are offline leases of other
 * identities re-used, the one released longest ago first.  When every
 * address is online the pool is exhausted.
 *
 * Plain memory, no I/O: the daemon owns pools (one per configured
 * `pools` section) and hands them to conns (ike_conn.pools); the engine
 * calls acquire when it answers IKE_AUTH and release when the IKE SA goes.
 * Identities are looked up linearly: fine for the pool sizes a gateway
 * hands out by hand (a few thousand leases). */
#ifndef OSPREY_IKEV2_POOL_H
#define OSPREY_IKEV2_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/identity.h"
#include "ikev2/conn.h"

struct ike_pool;

/* At most this many addresses of a larger range are used. */
enum { IKE_POOL_MAX = 1 << 20 };

/* range: "10.3.0.0/28" (a subnet: its first address and, for IPv4 below
 * /31, its broadcast address are not handed out), "10.3.0.5-10.3.0.9"
 * (inclusive) or one address; IPv4 or IPv6.  NULL with a sentence in err
 * when the text is no such range. */
struct ike_pool *ike_pool_new(const char *name, const char *range, char *err, size_t errlen);
void ike_pool_free(struct ike_pool *p);
const char *ike_pool_name(const struct ike_pool *p);
uint8_t ike_pool_family(const struct ike_pool *p);   /* 4 or 6 */
uint32_t ike_pool_size(const struct ike_pool *p);    /* addresses it hands out */
uint32_t ike_pool_online(const struct ike_pool *p);  /* leases in use */
uint32_t ike_pool_offline(const struct ike_pool *p); /* kept for their identity */

/* A lease for id (one more reference when it has one): 0 and the address
 * in out (port 0), -1 when the pool is exhausted. */
int ike_pool_acquire(struct ike_pool *p, const struct oc_id *id, struct ike_endpoint *out);
/* One more reference to the online lease of addr (an IKE SA rekeyed: the
 * new one holds the address too); -1 when addr is not leased. */
int ike_pool_ref(struct ike_pool *p, const struct ike_endpoint *addr);
/* One reference less; the lease goes offline at 0. */
void ike_pool_release(struct ike_pool *p, const struct ike_endpoint *addr);
/* The identity holding addr's lease (online or offline) into out; -1 none. */
int ike_pool_owner(const struct ike_pool *p, const struct ike_endpoint *addr, struct oc_id *out);

#endif
