/* NAT detection hashes (§2.23) and stateless cookies (§2.6). */
#include "ikev2/internal.h"

#include <string.h>

#include "crypto/crypto.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* SHA-1(SPIi | SPIr | IP address | port), §2.23. */
void natd_hash(uint64_t ispi, uint64_t rspi, const struct ike_endpoint *ep, uint8_t out[20])
{
	uint8_t spis[16], port[2] = { (uint8_t)(ep->port >> 8), (uint8_t)ep->port };
	struct oc_iov in[3] = {
		{ spis, 16 }, { ep->addr, ep->family == 4 ? 4 : 16 }, { port, 2 },
	};

	put64(spis, ispi);
	put64(spis + 8, rspi);
	if (oc_hash(OC_HASH_SHA1, in, 3, out) != 0)
		memset(out, 0, 20);
}

/* Hash(Ni | IPi | SPIi | <secret>), §2.6: the responder keeps no state for
 * it, and only the initiator that saw our answer can return it. */
void cookie_make(const struct ike_engine *e, const uint8_t *ni, size_t nilen,
		 const struct ike_endpoint *remote, uint64_t ispi, uint8_t out[20])
{
	uint8_t spi[8];
	struct oc_iov in[4] = {
		{ ni, nilen }, { remote->addr, remote->family == 4 ? 4 : 16 }, { spi, 8 },
		{ e->cookie_secret, sizeof(e->cookie_secret) },
	};

	put64(spi, ispi);
	if (oc_hash(OC_HASH_SHA1, in, 4, out) != 0)
		memset(out, 0, 20);
}
