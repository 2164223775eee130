/* transforms.c - the transform registry (transforms.h).
 *
 * Sizes: RFC 3602 (AES-CBC), RFC 2451 (3DES), RFC 5930 / RFC 3686 (AES-CTR:
 * 4-octet nonce after the key), RFC 5282 §7.1 (GCM: 4-octet salt; CCM:
 * 3-octet salt; 8-octet IV), RFC 7634 §2 (ChaCha20-Poly1305: 32-octet key,
 * 4-octet salt, 8-octet IV), RFC 2404 / RFC 4868 / RFC 3566 / RFC 4494
 * (truncated integrity), RFC 4434 / RFC 4615 (AES PRFs take 16-octet keys),
 * RFC 5903 / RFC 6954 / RFC 8031 / RFC 3526 (public value lengths). */
#include "crypto/transforms.h"
#include "ikev1_const.h"
#include "ikev2_const.h"

#include <string.h>
#include <strings.h>

#define ENCR_CBC(idv, bits, kw, al, v1v, espv, a, blk) \
	{ .type = IKEV2_TT_ENCR, .id = idv, .key_bits = bits, .keyword = kw, .aliases = al, \
	  .v1 = v1v, .v1_esp = espv, .alg = a, .key_len = (bits) / 8, .block_len = blk, .iv_len = blk }
#define ENCR_CTR(bits, kw) \
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_CTR, .key_bits = bits, .keyword = kw, \
	  .v1_esp = IKEV1_ESP_AES_CTR, .alg = OC_CIPHER_AES_CTR, .key_len = (bits) / 8 + 4, \
	  .salt_len = 4, .block_len = 1, .iv_len = 8 }
#define ENCR_AEAD(idv, bits, kw, al, espv, a, salt, icv) \
	{ .type = IKEV2_TT_ENCR, .id = idv, .key_bits = bits, .keyword = kw, .aliases = al, \
	  .v1_esp = espv, .alg = a, .aead = true, .key_len = (bits) / 8 + (salt), .salt_len = salt, \
	  .block_len = 1, .iv_len = 8, .icv_len = icv }
#define PRF(idv, kw, al, v1v, m, h, klen, olen) \
	{ .type = IKEV2_TT_PRF, .id = idv, .keyword = kw, .aliases = al, .v1 = v1v, .alg = m, \
	  .hash = h, .key_len = klen, .out_len = olen }
#define INTEG(idv, kw, al, espv, m, p, klen, icv) \
	{ .type = IKEV2_TT_INTEG, .id = idv, .keyword = kw, .aliases = al, .v1_esp = espv, \
	  .alg = m, .prf = p, .key_len = klen, .icv_len = icv }
#define KE(idv, kw, al, v1v, pub, sec) \
	{ .type = IKEV2_TT_KE, .id = idv, .keyword = kw, .aliases = al, .v1 = v1v, \
	  .out_len = pub, .secret_len = sec }
#define KE_NA(idv, kw, al, v1v, pub, sec, why) \
	{ .type = IKEV2_TT_KE, .id = idv, .keyword = kw, .aliases = al, .v1 = v1v, \
	  .out_len = pub, .secret_len = sec, .unavailable = why }

static const struct oc_transform table[] = {
	/* ENCR */
	ENCR_CBC(IKEV2_ENCR_AES_CBC, 128, "aes128", "aes", IKEV1_ENCR_AES_CBC, IKEV1_ESP_AES, OC_CIPHER_AES_CBC, 16),
	ENCR_CBC(IKEV2_ENCR_AES_CBC, 192, "aes192", NULL, IKEV1_ENCR_AES_CBC, IKEV1_ESP_AES, OC_CIPHER_AES_CBC, 16),
	ENCR_CBC(IKEV2_ENCR_AES_CBC, 256, "aes256", NULL, IKEV1_ENCR_AES_CBC, IKEV1_ESP_AES, OC_CIPHER_AES_CBC, 16),
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_3DES, .keyword = "3des", .v1 = IKEV1_ENCR_3DES_CBC,
	  .v1_esp = IKEV1_ESP_3DES, .alg = OC_CIPHER_3DES_CBC, .key_len = 24, .block_len = 8, .iv_len = 8 },
	ENCR_CTR(128, "aes128ctr"),
	ENCR_CTR(192, "aes192ctr"),
	ENCR_CTR(256, "aes256ctr"),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_8, 128, "aes128gcm8", "aes128gcm64", IKEV1_ESP_AES_GCM_8, OC_CIPHER_AES_GCM, 4, 8),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_8, 192, "aes192gcm8", "aes192gcm64", IKEV1_ESP_AES_GCM_8, OC_CIPHER_AES_GCM, 4, 8),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_8, 256, "aes256gcm8", "aes256gcm64", IKEV1_ESP_AES_GCM_8, OC_CIPHER_AES_GCM, 4, 8),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_12, 128, "aes128gcm12", "aes128gcm96", IKEV1_ESP_AES_GCM_12, OC_CIPHER_AES_GCM, 4, 12),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_12, 192, "aes192gcm12", "aes192gcm96", IKEV1_ESP_AES_GCM_12, OC_CIPHER_AES_GCM, 4, 12),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_12, 256, "aes256gcm12", "aes256gcm96", IKEV1_ESP_AES_GCM_12, OC_CIPHER_AES_GCM, 4, 12),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_16, 128, "aes128gcm16", "aes128gcm128 aes128gcm", IKEV1_ESP_AES_GCM_16, OC_CIPHER_AES_GCM, 4, 16),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_16, 192, "aes192gcm16", "aes192gcm128 aes192gcm", IKEV1_ESP_AES_GCM_16, OC_CIPHER_AES_GCM, 4, 16),
	ENCR_AEAD(IKEV2_ENCR_AES_GCM_16, 256, "aes256gcm16", "aes256gcm128 aes256gcm", IKEV1_ESP_AES_GCM_16, OC_CIPHER_AES_GCM, 4, 16),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_8, 128, "aes128ccm8", "aes128ccm64", IKEV1_ESP_AES_CCM_8, OC_CIPHER_AES_CCM, 3, 8),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_8, 192, "aes192ccm8", "aes192ccm64", IKEV1_ESP_AES_CCM_8, OC_CIPHER_AES_CCM, 3, 8),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_8, 256, "aes256ccm8", "aes256ccm64", IKEV1_ESP_AES_CCM_8, OC_CIPHER_AES_CCM, 3, 8),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_12, 128, "aes128ccm12", "aes128ccm96", IKEV1_ESP_AES_CCM_12, OC_CIPHER_AES_CCM, 3, 12),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_12, 192, "aes192ccm12", "aes192ccm96", IKEV1_ESP_AES_CCM_12, OC_CIPHER_AES_CCM, 3, 12),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_12, 256, "aes256ccm12", "aes256ccm96", IKEV1_ESP_AES_CCM_12, OC_CIPHER_AES_CCM, 3, 12),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_16, 128, "aes128ccm16", "aes128ccm128 aes128ccm", IKEV1_ESP_AES_CCM_16, OC_CIPHER_AES_CCM, 3, 16),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_16, 192, "aes192ccm16", "aes192ccm128 aes192ccm", IKEV1_ESP_AES_CCM_16, OC_CIPHER_AES_CCM, 3, 16),
	ENCR_AEAD(IKEV2_ENCR_AES_CCM_16, 256, "aes256ccm16", "aes256ccm128 aes256ccm", IKEV1_ESP_AES_CCM_16, OC_CIPHER_AES_CCM, 3, 16),
	/* No Key Length attribute: the key is always 256 bits (RFC 7634 §2). */
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_CHACHA20_POLY1305, .keyword = "chacha20poly1305",
	  .alg = OC_CIPHER_CHACHA20_POLY1305, .aead = true, .key_len = 36, .salt_len = 4,
	  .block_len = 1, .iv_len = 8, .icv_len = 16 },

	/* PRF */
	PRF(IKEV2_PRF_HMAC_MD5, "prfmd5", NULL, IKEV1_HASH_MD5, OC_MAC_HMAC_MD5, OC_HASH_MD5, 16, 16),
	PRF(IKEV2_PRF_HMAC_SHA1, "prfsha1", NULL, IKEV1_HASH_SHA, OC_MAC_HMAC_SHA1, OC_HASH_SHA1, 20, 20),
	PRF(IKEV2_PRF_HMAC_SHA2_256, "prfsha256", "prfsha2_256", IKEV1_HASH_SHA2_256, OC_MAC_HMAC_SHA256, OC_HASH_SHA256, 32, 32),
	PRF(IKEV2_PRF_HMAC_SHA2_384, "prfsha384", "prfsha2_384", IKEV1_HASH_SHA2_384, OC_MAC_HMAC_SHA384, OC_HASH_SHA384, 48, 48),
	PRF(IKEV2_PRF_HMAC_SHA2_512, "prfsha512", "prfsha2_512", IKEV1_HASH_SHA2_512, OC_MAC_HMAC_SHA512, OC_HASH_SHA512, 64, 64),
	PRF(IKEV2_PRF_AES128_XCBC, "prfaesxcbc", NULL, 0, OC_MAC_AES_XCBC, 0, 16, 16),
	PRF(IKEV2_PRF_AES128_CMAC, "prfaescmac", NULL, 0, OC_MAC_AES_CMAC, 0, 16, 16),

	/* INTEG */
	INTEG(IKEV2_INTEG_HMAC_MD5_96, "md5", NULL, IKEV1_AUTH_ALG_HMAC_MD5, OC_MAC_HMAC_MD5, IKEV2_PRF_HMAC_MD5, 16, 12),
	INTEG(IKEV2_INTEG_HMAC_SHA1_96, "sha1", "sha", IKEV1_AUTH_ALG_HMAC_SHA, OC_MAC_HMAC_SHA1, IKEV2_PRF_HMAC_SHA1, 20, 12),
	INTEG(IKEV2_INTEG_HMAC_SHA2_256_128, "sha256", "sha2_256", IKEV1_AUTH_ALG_HMAC_SHA2_256, OC_MAC_HMAC_SHA256, IKEV2_PRF_HMAC_SHA2_256, 32, 16),
	INTEG(IKEV2_INTEG_HMAC_SHA2_384_192, "sha384", "sha2_384", IKEV1_AUTH_ALG_HMAC_SHA2_384, OC_MAC_HMAC_SHA384, IKEV2_PRF_HMAC_SHA2_384, 48, 24),
	INTEG(IKEV2_INTEG_HMAC_SHA2_512_256, "sha512", "sha2_512", IKEV1_AUTH_ALG_HMAC_SHA2_512, OC_MAC_HMAC_SHA512, IKEV2_PRF_HMAC_SHA2_512, 64, 32),
	INTEG(IKEV2_INTEG_AES_XCBC_96, "aesxcbc", NULL, IKEV1_AUTH_ALG_AES_XCBC_MAC, OC_MAC_AES_XCBC, IKEV2_PRF_AES128_XCBC, 16, 12),
	INTEG(IKEV2_INTEG_AES_CMAC_96, "aescmac", NULL, 0, OC_MAC_AES_CMAC, IKEV2_PRF_AES128_CMAC, 16, 12),

	/* KE: public value and shared secret lengths */
	KE_NA(IKEV2_GROUP_MODP_768, "modp768", NULL, IKEV1_GROUP_MODP_768, 96, 96,
	      "MODP-768 (group 1) is not implemented: broken (RFC 8247 §2.4)"),
	KE(IKEV2_GROUP_MODP_1024, "modp1024", NULL, IKEV1_GROUP_MODP_1024, 128, 128),
	KE(IKEV2_GROUP_MODP_1536, "modp1536", NULL, IKEV1_GROUP_MODP_1536, 192, 192),
	KE(IKEV2_GROUP_MODP_2048, "modp2048", NULL, IKEV1_GROUP_MODP_2048, 256, 256),
	KE(IKEV2_GROUP_MODP_3072, "modp3072", NULL, IKEV1_GROUP_MODP_3072, 384, 384),
	KE(IKEV2_GROUP_MODP_4096, "modp4096", NULL, IKEV1_GROUP_MODP_4096, 512, 512),
	KE(IKEV2_GROUP_MODP_6144, "modp6144", NULL, IKEV1_GROUP_MODP_6144, 768, 768),
	KE(IKEV2_GROUP_MODP_8192, "modp8192", NULL, IKEV1_GROUP_MODP_8192, 1024, 1024),
	KE(IKEV2_GROUP_ECP_256, "ecp256", NULL, IKEV1_GROUP_ECP_256, 64, 32),
	KE(IKEV2_GROUP_ECP_384, "ecp384", NULL, IKEV1_GROUP_ECP_384, 96, 48),
	KE(IKEV2_GROUP_ECP_521, "ecp521", NULL, IKEV1_GROUP_ECP_521, 132, 66),
	KE_NA(IKEV2_GROUP_MODP_1024_160, "modp1024s160", NULL, IKEV1_GROUP_MODP_1024_160, 128, 128,
	      "RFC 5114 MODP groups are not implemented (RFC 8247 §2.4: SHOULD NOT)"),
	KE_NA(IKEV2_GROUP_MODP_2048_224, "modp2048s224", NULL, IKEV1_GROUP_MODP_2048_224, 256, 256,
	      "RFC 5114 MODP groups are not implemented (RFC 8247 §2.4: SHOULD NOT)"),
	KE_NA(IKEV2_GROUP_MODP_2048_256, "modp2048s256", NULL, IKEV1_GROUP_MODP_2048_256, 256, 256,
	      "RFC 5114 MODP groups are not implemented (RFC 8247 §2.4: SHOULD NOT)"),
	KE(IKEV2_GROUP_ECP_192, "ecp192", NULL, IKEV1_GROUP_ECP_192, 48, 24),
	KE(IKEV2_GROUP_ECP_224, "ecp224", NULL, IKEV1_GROUP_ECP_224, 56, 28),
	KE_NA(IKEV2_GROUP_BRAINPOOL_P224, "ecp224bp", NULL, IKEV1_GROUP_BRAINPOOL_P224, 56, 28,
	      "brainpoolP224r1 is not implemented by mbedTLS 2.28"),
	KE(IKEV2_GROUP_BRAINPOOL_P256, "ecp256bp", NULL, IKEV1_GROUP_BRAINPOOL_P256, 64, 32),
	KE(IKEV2_GROUP_BRAINPOOL_P384, "ecp384bp", NULL, IKEV1_GROUP_BRAINPOOL_P384, 96, 48),
	KE(IKEV2_GROUP_BRAINPOOL_P512, "ecp512bp", NULL, IKEV1_GROUP_BRAINPOOL_P512, 128, 64),
	KE(IKEV2_GROUP_CURVE25519, "x25519", "curve25519", 0, 32, 32),
	KE(IKEV2_GROUP_CURVE448, "x448", "curve448", 0, 56, 56),
};

enum { N = sizeof(table) / sizeof(table[0]) };

const struct oc_transform *oc_transform_at(size_t i)
{
	return i < N ? &table[i] : NULL;
}

const struct oc_transform *oc_transform_find(unsigned type, unsigned id, unsigned key_bits)
{
	for (size_t i = 0; i < N; i++)
		if (table[i].type == type && table[i].id == id &&
		    (table[i].key_bits == key_bits || key_bits == 0))
			return &table[i];
	return NULL;
}

static bool word_in(const char *list, const char *w)
{
	size_t n = strlen(w);
	while (list && *list) {
		const char *end = strchr(list, ' ');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		if (len == n && strncasecmp(list, w, n) == 0)
			return true;
		list = end ? end + 1 : NULL;
	}
	return false;
}

const struct oc_transform *oc_transform_by_keyword(const char *kw)
{
	for (size_t i = 0; i < N; i++)
		if (strcasecmp(table[i].keyword, kw) == 0 || word_in(table[i].aliases, kw))
			return &table[i];
	return NULL;
}

const struct oc_transform *oc_transform_ikev1(unsigned type, unsigned value, unsigned key_bits)
{
	for (size_t i = 0; i < N; i++) {
		const struct oc_transform *t = &table[i];
		if (t->type != type || t->v1 == 0 || t->v1 != value)
			continue;
		/* IKEv1 sends no key length for 3DES; AES without one means 128 (RFC 3602 §5). */
		if (type == IKEV2_TT_ENCR && t->key_bits &&
		    t->key_bits != (key_bits ? key_bits : 128))
			continue;
		return t;
	}
	return NULL;
}

bool oc_transform_available(const struct oc_transform *t)
{
	if (!t || t->unavailable)
		return false;
	switch (t->type) {
	case IKEV2_TT_ENCR: return oc_provider_for(OC_KIND_CIPHER, t->alg) != NULL;
	case IKEV2_TT_PRF:
	case IKEV2_TT_INTEG: return oc_provider_for(OC_KIND_MAC, t->alg) != NULL;
	case IKEV2_TT_KE: return oc_provider_for(OC_KIND_KE, t->id) != NULL;
	}
	return false;
}
