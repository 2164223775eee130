/* rng.c - the random generator: mbedTLS CTR_DRBG seeded from getrandom(2).
 *
 * One generator per thread, seeded on first use in that thread, so crypto
 * jobs can run on worker threads (lib/ikev2/engine.h) without locking. */
#include "crypto/crypto.h"

#include <errno.h>
#include <sys/random.h>

#include <mbedtls/ctr_drbg.h>

static __thread mbedtls_ctr_drbg_context drbg;
static __thread bool seeded;

/* Entropy callback: the kernel's CSPRNG, blocking until it is initialised. */
static int kernel_entropy(void *ctx, unsigned char *buf, size_t n)
{
	(void)ctx;
	while (n > 0) {
		ssize_t r = getrandom(buf, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
		}
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

static int ensure_seeded(void)
{
	static const unsigned char pers[] = "osprey ike";
	if (seeded)
		return 0;
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, kernel_entropy, NULL, pers, sizeof(pers) - 1) != 0) {
		mbedtls_ctr_drbg_free(&drbg);
		return OC_ERNG;
	}
	/* Reseed from the kernel at the DRBG's default interval. */
	mbedtls_ctr_drbg_set_prediction_resistance(&drbg, MBEDTLS_CTR_DRBG_PR_OFF);
	seeded = true;
	return 0;
}

int oc_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	if (ensure_seeded() != 0)
		return OC_ERNG;
	/* mbedTLS limits one request to MBEDTLS_CTR_DRBG_MAX_REQUEST bytes. */
	while (n > 0) {
		size_t chunk = n > MBEDTLS_CTR_DRBG_MAX_REQUEST ? MBEDTLS_CTR_DRBG_MAX_REQUEST : n;
		if (mbedtls_ctr_drbg_random(&drbg, p, chunk) != 0)
			return OC_ERNG;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

int oc_rng_mbedtls(void *p_rng, unsigned char *buf, size_t n)
{
	(void)p_rng;
	return oc_random(buf, n) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}
