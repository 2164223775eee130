/* mbed_provider.c - the built-in provider: everything through mbedTLS 2.28. */
#include "crypto/mbed_internal.h"

static bool mbed_has(enum oc_kind kind, unsigned alg)
{
	switch (kind) {
	case OC_KIND_HASH: return alg > OC_HASH_NONE && alg < OC_HASH_COUNT;
	case OC_KIND_MAC: return alg > OC_MAC_NONE && alg < OC_MAC_COUNT;
	case OC_KIND_CIPHER: return alg > OC_CIPHER_NONE && alg < OC_CIPHER_COUNT;
	case OC_KIND_KE: return oc_mbed_has_group(alg);
	case OC_KIND_SIG: return alg > OC_SIG_NONE && alg < OC_SIG_COUNT;
	}
	return false;
}

static const struct oc_provider mbed = {
	.name = "mbedtls",
	.has = mbed_has,
	.hash = oc_mbed_hash,
	.mac = oc_mbed_mac,
	.crypt = oc_mbed_crypt,
	.aead_seal = oc_mbed_aead_seal,
	.aead_open = oc_mbed_aead_open,
	.ke_keygen = oc_mbed_ke_keygen,
	.ke_derive = oc_mbed_ke_derive,
	.ke_free = oc_mbed_ke_free,
	.sign = oc_mbed_sign,
	.verify = oc_mbed_verify,
};

const struct oc_provider *oc_mbedtls_provider(void)
{
	return &mbed;
}
