/* The daemon's address pools for virtual IPs (pools { } in osprey.conf).
 *
 * The allocator is lib/ikev2/pool.h (the engine leases synchronously while
 * it answers IKE_AUTH); this registry owns the pool objects.  A pool is
 * looked up by name and address range: a reload that keeps both keeps the
 * object and so every lease (online, and offline ones kept for an identity);
 * a changed range makes a new pool (conf_diff counts the conns naming it
 * as changed, so their new versions are mapped to it), while SAs of the
 * old conn versions release into the old object.  Pools live
 * until pool_registry_free (the engine is gone by then). */
#ifndef OSPREY_DAEMON_POOL_H
#define OSPREY_DAEMON_POOL_H

#include <stddef.h>

#include "conf.h"
#include "ikev2/pool.h"

/* The pool for p (made on first use); NULL with a sentence in err. */
struct ike_pool *pool_registry_get(const struct conf_pool *p, char *err, size_t errlen);
/* The pool currently registered under name, or NULL. */
struct ike_pool *pool_registry_find(const char *name);
void pool_registry_free(void);

#endif
