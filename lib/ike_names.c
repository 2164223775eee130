/*
 * ike_names.c - names for the IKEv1 and IKEv2 protocol numbers.
 *
 * Each registry is a small static table of { value, name } pairs, searched
 * linearly.  The NM() macro builds every pair from the enum constant itself,
 * so a name can never drift away from its number: NM(IKEV2_N_, COOKIE) is
 * { IKEV2_N_COOKIE, "COOKIE" }.  See ike_names.h for the naming rule.
 */
#include "ike_names.h"

#include <limits.h>
#include <stddef.h>

#include "ikev1_const.h"
#include "ikev2_const.h"

struct ike_name {
	unsigned value;
	const char *name;
};

#define NM(prefix, suffix) { prefix##suffix, #suffix }
#define LOOKUP(table, v) lookup((table), sizeof(table) / sizeof((table)[0]), (v))

static const char *lookup(const struct ike_name *t, size_t n, unsigned v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* IKEv2                                                                */
/* ------------------------------------------------------------------ */

static const struct ike_name v2_exchanges[] = {
	NM(IKEV2_EXCH_, IKE_SA_INIT),
	NM(IKEV2_EXCH_, IKE_AUTH),
	NM(IKEV2_EXCH_, CREATE_CHILD_SA),
	NM(IKEV2_EXCH_, INFORMATIONAL),
	NM(IKEV2_EXCH_, IKE_SESSION_RESUME),
	NM(IKEV2_EXCH_, GSA_AUTH),
	NM(IKEV2_EXCH_, GSA_REGISTRATION),
	NM(IKEV2_EXCH_, GSA_REKEY),
	NM(IKEV2_EXCH_, GSA_INBAND_REKEY),
	NM(IKEV2_EXCH_, IKE_INTERMEDIATE),
	NM(IKEV2_EXCH_, IKE_FOLLOWUP_KE),
};

/* Long names as in the IANA "IKEv2 Payload Types" registry. */
static const struct ike_name v2_payloads[] = {
	{ IKEV2_PL_NONE, "No Next Payload" },
	{ IKEV2_PL_SA, "Security Association" },
	{ IKEV2_PL_KE, "Key Exchange" },
	{ IKEV2_PL_IDI, "Identification - Initiator" },
	{ IKEV2_PL_IDR, "Identification - Responder" },
	{ IKEV2_PL_CERT, "Certificate" },
	{ IKEV2_PL_CERTREQ, "Certificate Request" },
	{ IKEV2_PL_AUTH, "Authentication" },
	{ IKEV2_PL_NONCE, "Nonce" },
	{ IKEV2_PL_NOTIFY, "Notify" },
	{ IKEV2_PL_DELETE, "Delete" },
	{ IKEV2_PL_VENDOR, "Vendor ID" },
	{ IKEV2_PL_TSI, "Traffic Selector - Initiator" },
	{ IKEV2_PL_TSR, "Traffic Selector - Responder" },
	{ IKEV2_PL_SK, "Encrypted and Authenticated" },
	{ IKEV2_PL_CP, "Configuration" },
	{ IKEV2_PL_EAP, "Extensible Authentication" },
	{ IKEV2_PL_GSPM, "Generic Secure Password Methods" },
	{ IKEV2_PL_IDG, "Group Identification" },
	{ IKEV2_PL_GSA, "Group Security Association" },
	{ IKEV2_PL_KD, "Key Download" },
	{ IKEV2_PL_SKF, "Encrypted and Authenticated Fragment" },
	{ IKEV2_PL_PS, "Puzzle Solution" },
};

/* Short notation, as used in RFC 7296 message diagrams and in logs. */
static const struct ike_name v2_payloads_short[] = {
	{ IKEV2_PL_NONE, "NONE" },
	{ IKEV2_PL_SA, "SA" },
	{ IKEV2_PL_KE, "KE" },
	{ IKEV2_PL_IDI, "IDi" },
	{ IKEV2_PL_IDR, "IDr" },
	{ IKEV2_PL_CERT, "CERT" },
	{ IKEV2_PL_CERTREQ, "CERTREQ" },
	{ IKEV2_PL_AUTH, "AUTH" },
	{ IKEV2_PL_NONCE, "No" },
	{ IKEV2_PL_NOTIFY, "N" },
	{ IKEV2_PL_DELETE, "D" },
	{ IKEV2_PL_VENDOR, "V" },
	{ IKEV2_PL_TSI, "TSi" },
	{ IKEV2_PL_TSR, "TSr" },
	{ IKEV2_PL_SK, "SK" },
	{ IKEV2_PL_CP, "CP" },
	{ IKEV2_PL_EAP, "EAP" },
	{ IKEV2_PL_GSPM, "GSPM" },
	{ IKEV2_PL_IDG, "IDg" },
	{ IKEV2_PL_GSA, "GSA" },
	{ IKEV2_PL_KD, "KD" },
	{ IKEV2_PL_SKF, "SKF" },
	{ IKEV2_PL_PS, "PS" },
};

static const struct ike_name v2_notifies[] = {
	/* Error Types */
	NM(IKEV2_N_, UNSUPPORTED_CRITICAL_PAYLOAD),
	NM(IKEV2_N_, INVALID_IKE_SPI),
	NM(IKEV2_N_, INVALID_MAJOR_VERSION),
	NM(IKEV2_N_, INVALID_SYNTAX),
	NM(IKEV2_N_, INVALID_MESSAGE_ID),
	NM(IKEV2_N_, INVALID_SPI),
	NM(IKEV2_N_, NO_PROPOSAL_CHOSEN),
	NM(IKEV2_N_, INVALID_KE_PAYLOAD),
	NM(IKEV2_N_, AUTHENTICATION_FAILED),
	NM(IKEV2_N_, SINGLE_PAIR_REQUIRED),
	NM(IKEV2_N_, NO_ADDITIONAL_SAS),
	NM(IKEV2_N_, INTERNAL_ADDRESS_FAILURE),
	NM(IKEV2_N_, FAILED_CP_REQUIRED),
	NM(IKEV2_N_, TS_UNACCEPTABLE),
	NM(IKEV2_N_, INVALID_SELECTORS),
	NM(IKEV2_N_, UNACCEPTABLE_ADDRESSES),
	NM(IKEV2_N_, UNEXPECTED_NAT_DETECTED),
	NM(IKEV2_N_, USE_ASSIGNED_HoA),
	NM(IKEV2_N_, TEMPORARY_FAILURE),
	NM(IKEV2_N_, CHILD_SA_NOT_FOUND),
	NM(IKEV2_N_, INVALID_GROUP_ID),
	NM(IKEV2_N_, AUTHORIZATION_FAILED),
	NM(IKEV2_N_, STATE_NOT_FOUND),
	NM(IKEV2_N_, TS_MAX_QUEUE),
	NM(IKEV2_N_, REGISTRATION_FAILED),
	/* Status Types */
	NM(IKEV2_N_, INITIAL_CONTACT),
	NM(IKEV2_N_, SET_WINDOW_SIZE),
	NM(IKEV2_N_, ADDITIONAL_TS_POSSIBLE),
	NM(IKEV2_N_, IPCOMP_SUPPORTED),
	NM(IKEV2_N_, NAT_DETECTION_SOURCE_IP),
	NM(IKEV2_N_, NAT_DETECTION_DESTINATION_IP),
	NM(IKEV2_N_, COOKIE),
	NM(IKEV2_N_, USE_TRANSPORT_MODE),
	NM(IKEV2_N_, HTTP_CERT_LOOKUP_SUPPORTED),
	NM(IKEV2_N_, REKEY_SA),
	NM(IKEV2_N_, ESP_TFC_PADDING_NOT_SUPPORTED),
	NM(IKEV2_N_, NON_FIRST_FRAGMENTS_ALSO),
	NM(IKEV2_N_, MOBIKE_SUPPORTED),
	NM(IKEV2_N_, ADDITIONAL_IP4_ADDRESS),
	NM(IKEV2_N_, ADDITIONAL_IP6_ADDRESS),
	NM(IKEV2_N_, NO_ADDITIONAL_ADDRESSES),
	NM(IKEV2_N_, UPDATE_SA_ADDRESSES),
	NM(IKEV2_N_, COOKIE2),
	NM(IKEV2_N_, NO_NATS_ALLOWED),
	NM(IKEV2_N_, AUTH_LIFETIME),
	NM(IKEV2_N_, MULTIPLE_AUTH_SUPPORTED),
	NM(IKEV2_N_, ANOTHER_AUTH_FOLLOWS),
	NM(IKEV2_N_, REDIRECT_SUPPORTED),
	NM(IKEV2_N_, REDIRECT),
	NM(IKEV2_N_, REDIRECTED_FROM),
	NM(IKEV2_N_, TICKET_LT_OPAQUE),
	NM(IKEV2_N_, TICKET_REQUEST),
	NM(IKEV2_N_, TICKET_ACK),
	NM(IKEV2_N_, TICKET_NACK),
	NM(IKEV2_N_, TICKET_OPAQUE),
	NM(IKEV2_N_, LINK_ID),
	NM(IKEV2_N_, USE_WESP_MODE),
	NM(IKEV2_N_, ROHC_SUPPORTED),
	NM(IKEV2_N_, EAP_ONLY_AUTHENTICATION),
	NM(IKEV2_N_, CHILDLESS_IKEV2_SUPPORTED),
	NM(IKEV2_N_, QUICK_CRASH_DETECTION),
	NM(IKEV2_N_, IKEV2_MESSAGE_ID_SYNC_SUPPORTED),
	NM(IKEV2_N_, IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED),
	NM(IKEV2_N_, IKEV2_MESSAGE_ID_SYNC),
	NM(IKEV2_N_, IPSEC_REPLAY_COUNTER_SYNC),
	NM(IKEV2_N_, SECURE_PASSWORD_METHODS),
	NM(IKEV2_N_, PSK_PERSIST),
	NM(IKEV2_N_, PSK_CONFIRM),
	NM(IKEV2_N_, ERX_SUPPORTED),
	NM(IKEV2_N_, IFOM_CAPABILITY),
	NM(IKEV2_N_, GROUP_SENDER),
	NM(IKEV2_N_, IKEV2_FRAGMENTATION_SUPPORTED),
	NM(IKEV2_N_, SIGNATURE_HASH_ALGORITHMS),
	NM(IKEV2_N_, CLONE_IKE_SA_SUPPORTED),
	NM(IKEV2_N_, CLONE_IKE_SA),
	NM(IKEV2_N_, PUZZLE),
	NM(IKEV2_N_, USE_PPK),
	NM(IKEV2_N_, PPK_IDENTITY),
	NM(IKEV2_N_, NO_PPK_AUTH),
	NM(IKEV2_N_, INTERMEDIATE_EXCHANGE_SUPPORTED),
	NM(IKEV2_N_, IP4_ALLOWED),
	NM(IKEV2_N_, IP6_ALLOWED),
	NM(IKEV2_N_, ADDITIONAL_KEY_EXCHANGE),
	NM(IKEV2_N_, USE_AGGFRAG),
	NM(IKEV2_N_, SUPPORTED_AUTH_METHODS),
	NM(IKEV2_N_, SA_RESOURCE_INFO),
	NM(IKEV2_N_, USE_PPK_INT),
	NM(IKEV2_N_, PPK_IDENTITY_KEY),
	NM(IKEV2_N_, IKE_SA_INIT_FULL_TRANSCRIPT_AUTH),
};

static const struct ike_name v2_transform_types[] = {
	NM(IKEV2_TT_, ENCR),
	NM(IKEV2_TT_, PRF),
	NM(IKEV2_TT_, INTEG),
	NM(IKEV2_TT_, KE),
	NM(IKEV2_TT_, ESN),
	NM(IKEV2_TT_, ADDKE1),
	NM(IKEV2_TT_, ADDKE2),
	NM(IKEV2_TT_, ADDKE3),
	NM(IKEV2_TT_, ADDKE4),
	NM(IKEV2_TT_, ADDKE5),
	NM(IKEV2_TT_, ADDKE6),
	NM(IKEV2_TT_, ADDKE7),
	NM(IKEV2_TT_, KWA),
	NM(IKEV2_TT_, GCAUTH),
};

static const struct ike_name v2_encr[] = {
	NM(IKEV2_, ENCR_DES_IV64),
	NM(IKEV2_, ENCR_DES),
	NM(IKEV2_, ENCR_3DES),
	NM(IKEV2_, ENCR_RC5),
	NM(IKEV2_, ENCR_IDEA),
	NM(IKEV2_, ENCR_CAST),
	NM(IKEV2_, ENCR_BLOWFISH),
	NM(IKEV2_, ENCR_3IDEA),
	NM(IKEV2_, ENCR_DES_IV32),
	NM(IKEV2_, ENCR_NULL),
	NM(IKEV2_, ENCR_AES_CBC),
	NM(IKEV2_, ENCR_AES_CTR),
	NM(IKEV2_, ENCR_AES_CCM_8),
	NM(IKEV2_, ENCR_AES_CCM_12),
	NM(IKEV2_, ENCR_AES_CCM_16),
	NM(IKEV2_, ENCR_AES_GCM_8),
	NM(IKEV2_, ENCR_AES_GCM_12),
	NM(IKEV2_, ENCR_AES_GCM_16),
	NM(IKEV2_, ENCR_NULL_AUTH_AES_GMAC),
	NM(IKEV2_, ENCR_CAMELLIA_CBC),
	NM(IKEV2_, ENCR_CAMELLIA_CTR),
	NM(IKEV2_, ENCR_CAMELLIA_CCM_8),
	NM(IKEV2_, ENCR_CAMELLIA_CCM_12),
	NM(IKEV2_, ENCR_CAMELLIA_CCM_16),
	NM(IKEV2_, ENCR_CHACHA20_POLY1305),
	NM(IKEV2_, ENCR_AES_CCM_8_IIV),
	NM(IKEV2_, ENCR_AES_GCM_16_IIV),
	NM(IKEV2_, ENCR_CHACHA20_POLY1305_IIV),
	NM(IKEV2_, ENCR_KUZNYECHIK_MGM_KTREE),
	NM(IKEV2_, ENCR_MAGMA_MGM_KTREE),
	NM(IKEV2_, ENCR_KUZNYECHIK_MGM_MAC_KTREE),
	NM(IKEV2_, ENCR_MAGMA_MGM_MAC_KTREE),
};

static const struct ike_name v2_prf[] = {
	NM(IKEV2_, PRF_HMAC_MD5),
	NM(IKEV2_, PRF_HMAC_SHA1),
	NM(IKEV2_, PRF_HMAC_TIGER),
	NM(IKEV2_, PRF_AES128_XCBC),
	NM(IKEV2_, PRF_HMAC_SHA2_256),
	NM(IKEV2_, PRF_HMAC_SHA2_384),
	NM(IKEV2_, PRF_HMAC_SHA2_512),
	NM(IKEV2_, PRF_AES128_CMAC),
	NM(IKEV2_, PRF_HMAC_STREEBOG_512),
};

static const struct ike_name v2_integ[] = {
	NM(IKEV2_, INTEG_NONE),
	NM(IKEV2_, INTEG_HMAC_MD5_96),
	NM(IKEV2_, INTEG_HMAC_SHA1_96),
	NM(IKEV2_, INTEG_DES_MAC),
	NM(IKEV2_, INTEG_KPDK_MD5),
	NM(IKEV2_, INTEG_AES_XCBC_96),
	NM(IKEV2_, INTEG_HMAC_MD5_128),
	NM(IKEV2_, INTEG_HMAC_SHA1_160),
	NM(IKEV2_, INTEG_AES_CMAC_96),
	NM(IKEV2_, INTEG_AES_128_GMAC),
	NM(IKEV2_, INTEG_AES_192_GMAC),
	NM(IKEV2_, INTEG_AES_256_GMAC),
	NM(IKEV2_, INTEG_HMAC_SHA2_256_128),
	NM(IKEV2_, INTEG_HMAC_SHA2_384_192),
	NM(IKEV2_, INTEG_HMAC_SHA2_512_256),
};

static const struct ike_name v2_groups[] = {
	NM(IKEV2_, GROUP_NONE),
	NM(IKEV2_, GROUP_MODP_768),
	NM(IKEV2_, GROUP_MODP_1024),
	NM(IKEV2_, GROUP_MODP_1536),
	NM(IKEV2_, GROUP_MODP_2048),
	NM(IKEV2_, GROUP_MODP_3072),
	NM(IKEV2_, GROUP_MODP_4096),
	NM(IKEV2_, GROUP_MODP_6144),
	NM(IKEV2_, GROUP_MODP_8192),
	NM(IKEV2_, GROUP_ECP_256),
	NM(IKEV2_, GROUP_ECP_384),
	NM(IKEV2_, GROUP_ECP_521),
	NM(IKEV2_, GROUP_MODP_1024_160),
	NM(IKEV2_, GROUP_MODP_2048_224),
	NM(IKEV2_, GROUP_MODP_2048_256),
	NM(IKEV2_, GROUP_ECP_192),
	NM(IKEV2_, GROUP_ECP_224),
	NM(IKEV2_, GROUP_BRAINPOOL_P224),
	NM(IKEV2_, GROUP_BRAINPOOL_P256),
	NM(IKEV2_, GROUP_BRAINPOOL_P384),
	NM(IKEV2_, GROUP_BRAINPOOL_P512),
	NM(IKEV2_, GROUP_CURVE25519),
	NM(IKEV2_, GROUP_CURVE448),
	NM(IKEV2_, GROUP_GOST3410_2012_256),
	NM(IKEV2_, GROUP_GOST3410_2012_512),
	NM(IKEV2_, GROUP_ML_KEM_512),
	NM(IKEV2_, GROUP_ML_KEM_768),
	NM(IKEV2_, GROUP_ML_KEM_1024),
};

static const struct ike_name v2_esn[] = {
	NM(IKEV2_, ESN_NONE),
	NM(IKEV2_, ESN_YES),
	NM(IKEV2_, ESN_32BIT_UNSPECIFIED),
};

static const struct ike_name v2_kwa[] = {
	NM(IKEV2_, KWA_KW_5649_128),
	NM(IKEV2_, KWA_KW_5649_192),
	NM(IKEV2_, KWA_KW_5649_256),
	NM(IKEV2_, KWA_KW_ARX),
};

static const struct ike_name v2_gcauth[] = {
	NM(IKEV2_, GCAUTH_IMPLICIT),
	NM(IKEV2_, GCAUTH_DIGITAL_SIGNATURE),
};

static const struct ike_name v2_protocols[] = {
	NM(IKEV2_PROTO_, NONE),
	NM(IKEV2_PROTO_, IKE),
	NM(IKEV2_PROTO_, AH),
	NM(IKEV2_PROTO_, ESP),
	NM(IKEV2_PROTO_, FC_ESP_HEADER),
	NM(IKEV2_PROTO_, FC_CT_AUTHENTICATION),
	NM(IKEV2_PROTO_, GIKE_UPDATE),
};

static const struct ike_name v2_auth_methods[] = {
	NM(IKEV2_AUTH_, RSA_SIG),
	NM(IKEV2_AUTH_, PSK),
	NM(IKEV2_AUTH_, DSS),
	NM(IKEV2_AUTH_, ECDSA_SHA256_P256),
	NM(IKEV2_AUTH_, ECDSA_SHA384_P384),
	NM(IKEV2_AUTH_, ECDSA_SHA512_P521),
	NM(IKEV2_AUTH_, GSPAM),
	NM(IKEV2_AUTH_, NULL),
	NM(IKEV2_AUTH_, DIGITAL_SIGNATURE),
};

static const struct ike_name v2_id_types[] = {
	NM(IKEV2_, ID_IPV4_ADDR),
	NM(IKEV2_, ID_FQDN),
	NM(IKEV2_, ID_RFC822_ADDR),
	NM(IKEV2_, ID_IPV6_ADDR),
	NM(IKEV2_, ID_DER_ASN1_DN),
	NM(IKEV2_, ID_DER_ASN1_GN),
	NM(IKEV2_, ID_KEY_ID),
	NM(IKEV2_, ID_FC_NAME),
	NM(IKEV2_, ID_NULL),
};

static const struct ike_name v2_cert_encodings[] = {
	NM(IKEV2_CERT_, PKCS7_X509),
	NM(IKEV2_CERT_, PGP),
	NM(IKEV2_CERT_, DNS_SIGNED_KEY),
	NM(IKEV2_CERT_, X509_SIG),
	NM(IKEV2_CERT_, KERBEROS_TOKEN),
	NM(IKEV2_CERT_, CRL),
	NM(IKEV2_CERT_, ARL),
	NM(IKEV2_CERT_, SPKI),
	NM(IKEV2_CERT_, X509_ATTR),
	NM(IKEV2_CERT_, RAW_RSA_KEY),
	NM(IKEV2_CERT_, HASH_URL_X509),
	NM(IKEV2_CERT_, HASH_URL_BUNDLE),
	NM(IKEV2_CERT_, OCSP_CONTENT),
	NM(IKEV2_CERT_, RAW_PUBLIC_KEY),
};

static const struct ike_name v2_ts_types[] = {
	NM(IKEV2_, TS_IPV4_ADDR_RANGE),
	NM(IKEV2_, TS_IPV6_ADDR_RANGE),
	NM(IKEV2_, TS_FC_ADDR_RANGE),
	NM(IKEV2_, TS_SECLABEL),
};

static const struct ike_name v2_cfg_types[] = {
	NM(IKEV2_, CFG_REQUEST),
	NM(IKEV2_, CFG_REPLY),
	NM(IKEV2_, CFG_SET),
	NM(IKEV2_, CFG_ACK),
};

static const struct ike_name v2_cfg_attrs[] = {
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP4_ADDRESS),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP4_NETMASK),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP4_DNS),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP4_NBNS),
	NM(IKEV2_CFG_ATTR_, INTERNAL_ADDRESS_EXPIRY),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP4_DHCP),
	NM(IKEV2_CFG_ATTR_, APPLICATION_VERSION),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_ADDRESS),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_NETMASK),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_DNS),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_NBNS),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_DHCP),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP4_SUBNET),
	NM(IKEV2_CFG_ATTR_, SUPPORTED_ATTRIBUTES),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_SUBNET),
	NM(IKEV2_CFG_ATTR_, MIP6_HOME_PREFIX),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_LINK),
	NM(IKEV2_CFG_ATTR_, INTERNAL_IP6_PREFIX),
	NM(IKEV2_CFG_ATTR_, HOME_AGENT_ADDRESS),
	NM(IKEV2_CFG_ATTR_, P_CSCF_IP4_ADDRESS),
	NM(IKEV2_CFG_ATTR_, P_CSCF_IP6_ADDRESS),
	NM(IKEV2_CFG_ATTR_, FTT_KAT),
	NM(IKEV2_CFG_ATTR_, EXTERNAL_SOURCE_IP4_NAT_INFO),
	NM(IKEV2_CFG_ATTR_, TIMEOUT_PERIOD_FOR_LIVENESS_CHECK),
	NM(IKEV2_CFG_ATTR_, INTERNAL_DNS_DOMAIN),
	NM(IKEV2_CFG_ATTR_, INTERNAL_DNSSEC_TA),
	NM(IKEV2_CFG_ATTR_, ENCDNS_IP4),
	NM(IKEV2_CFG_ATTR_, ENCDNS_IP6),
	NM(IKEV2_CFG_ATTR_, ENCDNS_DIGEST_INFO),
};

static const struct ike_name v2_hashes[] = {
	NM(IKEV2_HASH_, SHA1),
	NM(IKEV2_HASH_, SHA2_256),
	NM(IKEV2_HASH_, SHA2_384),
	NM(IKEV2_HASH_, SHA2_512),
	NM(IKEV2_HASH_, IDENTITY),
	NM(IKEV2_HASH_, STREEBOG_256),
	NM(IKEV2_HASH_, STREEBOG_512),
};

const char *ikev2_exchange_name(unsigned exchange)
{
	return LOOKUP(v2_exchanges, exchange);
}

const char *ikev2_payload_name(unsigned payload)
{
	return LOOKUP(v2_payloads, payload);
}

const char *ikev2_payload_short(unsigned payload)
{
	return LOOKUP(v2_payloads_short, payload);
}

const char *ikev2_notify_name(unsigned type)
{
	return LOOKUP(v2_notifies, type);
}

int ikev2_notify_is_error(unsigned t)
{
	return t < IKEV2_N_STATUS_MIN;
}

const char *ikev2_transform_type_name(unsigned type)
{
	return LOOKUP(v2_transform_types, type);
}

const char *ikev2_transform_id_name(unsigned type, unsigned id)
{
	switch (type) {
	case IKEV2_TT_ENCR:
		return LOOKUP(v2_encr, id);
	case IKEV2_TT_PRF:
		return LOOKUP(v2_prf, id);
	case IKEV2_TT_INTEG:
		return LOOKUP(v2_integ, id);
	case IKEV2_TT_KE:
	case IKEV2_TT_ADDKE1:
	case IKEV2_TT_ADDKE2:
	case IKEV2_TT_ADDKE3:
	case IKEV2_TT_ADDKE4:
	case IKEV2_TT_ADDKE5:
	case IKEV2_TT_ADDKE6:
	case IKEV2_TT_ADDKE7:
		return LOOKUP(v2_groups, id);
	case IKEV2_TT_ESN:
		return LOOKUP(v2_esn, id);
	case IKEV2_TT_KWA:
		return LOOKUP(v2_kwa, id);
	case IKEV2_TT_GCAUTH:
		return LOOKUP(v2_gcauth, id);
	default:
		return NULL;
	}
}

const char *ikev2_protocol_name(unsigned proto)
{
	return LOOKUP(v2_protocols, proto);
}

const char *ikev2_auth_method_name(unsigned method)
{
	return LOOKUP(v2_auth_methods, method);
}

const char *ikev2_id_type_name(unsigned type)
{
	return LOOKUP(v2_id_types, type);
}

const char *ikev2_cert_encoding_name(unsigned encoding)
{
	return LOOKUP(v2_cert_encodings, encoding);
}

const char *ikev2_ts_type_name(unsigned type)
{
	return LOOKUP(v2_ts_types, type);
}

const char *ikev2_cfg_type_name(unsigned type)
{
	return LOOKUP(v2_cfg_types, type);
}

const char *ikev2_cfg_attr_name(unsigned type)
{
	return LOOKUP(v2_cfg_attrs, type);
}

const char *ikev2_hash_name(unsigned hash)
{
	return LOOKUP(v2_hashes, hash);
}

/* ------------------------------------------------------------------ */
/* IKEv1                                                                */
/* ------------------------------------------------------------------ */

static const struct ike_name v1_exchanges[] = {
	NM(IKEV1_EXCH_, NONE),
	NM(IKEV1_EXCH_, BASE),
	NM(IKEV1_EXCH_, MAIN),
	NM(IKEV1_EXCH_, AUTH_ONLY),
	NM(IKEV1_EXCH_, AGGRESSIVE),
	NM(IKEV1_EXCH_, INFORMATIONAL),
	NM(IKEV1_EXCH_, TRANSACTION),
	NM(IKEV1_EXCH_, QUICK),
	NM(IKEV1_EXCH_, NEW_GROUP),
};

static const struct ike_name v1_payloads[] = {
	{ IKEV1_PL_NONE, "No Next Payload" },
	{ IKEV1_PL_SA, "Security Association" },
	{ IKEV1_PL_P, "Proposal" },
	{ IKEV1_PL_T, "Transform" },
	{ IKEV1_PL_KE, "Key Exchange" },
	{ IKEV1_PL_ID, "Identification" },
	{ IKEV1_PL_CERT, "Certificate" },
	{ IKEV1_PL_CR, "Certificate Request" },
	{ IKEV1_PL_HASH, "Hash" },
	{ IKEV1_PL_SIG, "Signature" },
	{ IKEV1_PL_NONCE, "Nonce" },
	{ IKEV1_PL_N, "Notification" },
	{ IKEV1_PL_D, "Delete" },
	{ IKEV1_PL_VID, "Vendor ID" },
	{ IKEV1_PL_ATTR, "Attributes" },
	{ IKEV1_PL_SAK, "SA KEK" },
	{ IKEV1_PL_SAT, "SA TEK" },
	{ IKEV1_PL_KD, "Key Download" },
	{ IKEV1_PL_SEQ, "Sequence Number" },
	{ IKEV1_PL_POP, "Proof of Possession" },
	{ IKEV1_PL_NATD, "NAT Discovery" },
	{ IKEV1_PL_NATOA, "NAT Original Address" },
	{ IKEV1_PL_GAP, "Group Associated Policy" },
	{ IKEV1_PL_NATD_DRAFT, "NAT Discovery (draft)" },
	{ IKEV1_PL_NATOA_DRAFT, "NAT Original Address (draft)" },
	{ IKEV1_PL_FRAG, "IKE Fragment" },
};

static const struct ike_name v1_payloads_short[] = {
	{ IKEV1_PL_NONE, "NONE" },
	{ IKEV1_PL_SA, "SA" },
	{ IKEV1_PL_P, "P" },
	{ IKEV1_PL_T, "T" },
	{ IKEV1_PL_KE, "KE" },
	{ IKEV1_PL_ID, "ID" },
	{ IKEV1_PL_CERT, "CERT" },
	{ IKEV1_PL_CR, "CR" },
	{ IKEV1_PL_HASH, "HASH" },
	{ IKEV1_PL_SIG, "SIG" },
	{ IKEV1_PL_NONCE, "NONCE" },
	{ IKEV1_PL_N, "N" },
	{ IKEV1_PL_D, "D" },
	{ IKEV1_PL_VID, "VID" },
	{ IKEV1_PL_ATTR, "ATTR" },
	{ IKEV1_PL_SAK, "SAK" },
	{ IKEV1_PL_SAT, "SAT" },
	{ IKEV1_PL_KD, "KD" },
	{ IKEV1_PL_SEQ, "SEQ" },
	{ IKEV1_PL_POP, "POP" },
	{ IKEV1_PL_NATD, "NAT-D" },
	{ IKEV1_PL_NATOA, "NAT-OA" },
	{ IKEV1_PL_GAP, "GAP" },
	{ IKEV1_PL_NATD_DRAFT, "NAT-D(draft)" },
	{ IKEV1_PL_NATOA_DRAFT, "NAT-OA(draft)" },
	{ IKEV1_PL_FRAG, "FRAG" },
};

static const struct ike_name v1_notifies[] = {
	NM(IKEV1_N_, INVALID_PAYLOAD_TYPE),
	NM(IKEV1_N_, DOI_NOT_SUPPORTED),
	NM(IKEV1_N_, SITUATION_NOT_SUPPORTED),
	NM(IKEV1_N_, INVALID_COOKIE),
	NM(IKEV1_N_, INVALID_MAJOR_VERSION),
	NM(IKEV1_N_, INVALID_MINOR_VERSION),
	NM(IKEV1_N_, INVALID_EXCHANGE_TYPE),
	NM(IKEV1_N_, INVALID_FLAGS),
	NM(IKEV1_N_, INVALID_MESSAGE_ID),
	NM(IKEV1_N_, INVALID_PROTOCOL_ID),
	NM(IKEV1_N_, INVALID_SPI),
	NM(IKEV1_N_, INVALID_TRANSFORM_ID),
	NM(IKEV1_N_, ATTRIBUTES_NOT_SUPPORTED),
	NM(IKEV1_N_, NO_PROPOSAL_CHOSEN),
	NM(IKEV1_N_, BAD_PROPOSAL_SYNTAX),
	NM(IKEV1_N_, PAYLOAD_MALFORMED),
	NM(IKEV1_N_, INVALID_KEY_INFORMATION),
	NM(IKEV1_N_, INVALID_ID_INFORMATION),
	NM(IKEV1_N_, INVALID_CERT_ENCODING),
	NM(IKEV1_N_, INVALID_CERTIFICATE),
	NM(IKEV1_N_, CERT_TYPE_UNSUPPORTED),
	NM(IKEV1_N_, INVALID_CERT_AUTHORITY),
	NM(IKEV1_N_, INVALID_HASH_INFORMATION),
	NM(IKEV1_N_, AUTHENTICATION_FAILED),
	NM(IKEV1_N_, INVALID_SIGNATURE),
	NM(IKEV1_N_, ADDRESS_NOTIFICATION),
	NM(IKEV1_N_, NOTIFY_SA_LIFETIME),
	NM(IKEV1_N_, CERTIFICATE_UNAVAILABLE),
	NM(IKEV1_N_, UNSUPPORTED_EXCHANGE_TYPE),
	NM(IKEV1_N_, UNEQUAL_PAYLOAD_LENGTHS),
	NM(IKEV1_N_, CONNECTED),
	NM(IKEV1_N_, RESPONDER_LIFETIME),
	NM(IKEV1_N_, REPLAY_STATUS),
	NM(IKEV1_N_, INITIAL_CONTACT),
	NM(IKEV1_N_, R_U_THERE),
	NM(IKEV1_N_, R_U_THERE_ACK),
	NM(IKEV1_N_, MS_NOTIFY_STATUS),
	NM(IKEV1_N_, MS_NOTIFY_DOS_COOKIE),
	NM(IKEV1_N_, MS_EXCHANGE_INFO),
	NM(IKEV1_N_, UNITY_LOAD_BALANCE),
	NM(IKEV1_N_, UNITY_GROUP_HASH),
};

static const struct ike_name v1_protocols[] = {
	NM(IKEV1_PROTO_, ISAKMP),
	NM(IKEV1_PROTO_, AH),
	NM(IKEV1_PROTO_, ESP),
	NM(IKEV1_PROTO_, IPCOMP),
	NM(IKEV1_PROTO_, GIGABEAM_RADIO),
};

static const struct ike_name v1_isakmp_transforms[] = {
	NM(IKEV1_, KEY_IKE),
};

static const struct ike_name v1_ah_transforms[] = {
	NM(IKEV1_, AH_MD5),
	NM(IKEV1_, AH_SHA),
	NM(IKEV1_, AH_DES),
	NM(IKEV1_, AH_SHA2_256),
	NM(IKEV1_, AH_SHA2_384),
	NM(IKEV1_, AH_SHA2_512),
	NM(IKEV1_, AH_RIPEMD),
	NM(IKEV1_, AH_AES_XCBC_MAC),
	NM(IKEV1_, AH_RSA),
	NM(IKEV1_, AH_AES_128_GMAC),
	NM(IKEV1_, AH_AES_192_GMAC),
	NM(IKEV1_, AH_AES_256_GMAC),
};

static const struct ike_name v1_esp_transforms[] = {
	NM(IKEV1_, ESP_DES_IV64),
	NM(IKEV1_, ESP_DES),
	NM(IKEV1_, ESP_3DES),
	NM(IKEV1_, ESP_RC5),
	NM(IKEV1_, ESP_IDEA),
	NM(IKEV1_, ESP_CAST),
	NM(IKEV1_, ESP_BLOWFISH),
	NM(IKEV1_, ESP_3IDEA),
	NM(IKEV1_, ESP_DES_IV32),
	NM(IKEV1_, ESP_RC4),
	NM(IKEV1_, ESP_NULL),
	NM(IKEV1_, ESP_AES),
	NM(IKEV1_, ESP_AES_CTR),
	NM(IKEV1_, ESP_AES_CCM_8),
	NM(IKEV1_, ESP_AES_CCM_12),
	NM(IKEV1_, ESP_AES_CCM_16),
	NM(IKEV1_, ESP_AES_GCM_8),
	NM(IKEV1_, ESP_AES_GCM_12),
	NM(IKEV1_, ESP_AES_GCM_16),
	NM(IKEV1_, ESP_SEED_CBC),
	NM(IKEV1_, ESP_CAMELLIA),
	NM(IKEV1_, ESP_NULL_AUTH_AES_GMAC),
};

static const struct ike_name v1_ipcomp_transforms[] = {
	NM(IKEV1_, IPCOMP_OUI),
	NM(IKEV1_, IPCOMP_DEFLATE),
	NM(IKEV1_, IPCOMP_LZS),
	NM(IKEV1_, IPCOMP_LZJH),
};

static const struct ike_name v1_attrs[] = {
	NM(IKEV1_ATTR_, ENCRYPTION_ALGORITHM),
	NM(IKEV1_ATTR_, HASH_ALGORITHM),
	NM(IKEV1_ATTR_, AUTHENTICATION_METHOD),
	NM(IKEV1_ATTR_, GROUP_DESCRIPTION),
	NM(IKEV1_ATTR_, GROUP_TYPE),
	NM(IKEV1_ATTR_, GROUP_PRIME),
	NM(IKEV1_ATTR_, GROUP_GENERATOR_ONE),
	NM(IKEV1_ATTR_, GROUP_GENERATOR_TWO),
	NM(IKEV1_ATTR_, GROUP_CURVE_A),
	NM(IKEV1_ATTR_, GROUP_CURVE_B),
	NM(IKEV1_ATTR_, LIFE_TYPE),
	NM(IKEV1_ATTR_, LIFE_DURATION),
	NM(IKEV1_ATTR_, PRF),
	NM(IKEV1_ATTR_, KEY_LENGTH),
	NM(IKEV1_ATTR_, FIELD_SIZE),
	NM(IKEV1_ATTR_, GROUP_ORDER),
};

/* The *_CBC spellings are used for the names, as in the IANA registry. */
static const struct ike_name v1_encr[] = {
	NM(IKEV1_, ENCR_DES_CBC),
	NM(IKEV1_, ENCR_IDEA_CBC),
	NM(IKEV1_, ENCR_BLOWFISH_CBC),
	NM(IKEV1_, ENCR_RC5_R16_B64_CBC),
	NM(IKEV1_, ENCR_3DES_CBC),
	NM(IKEV1_, ENCR_CAST_CBC),
	NM(IKEV1_, ENCR_AES_CBC),
	NM(IKEV1_, ENCR_CAMELLIA_CBC),
};

static const struct ike_name v1_hashes[] = {
	NM(IKEV1_, HASH_MD5),
	NM(IKEV1_, HASH_SHA),
	NM(IKEV1_, HASH_TIGER),
	NM(IKEV1_, HASH_SHA2_256),
	NM(IKEV1_, HASH_SHA2_384),
	NM(IKEV1_, HASH_SHA2_512),
};

static const struct ike_name v1_auth_methods[] = {
	NM(IKEV1_, AUTH_PSK),
	NM(IKEV1_, AUTH_DSS_SIG),
	NM(IKEV1_, AUTH_RSA_SIG),
	NM(IKEV1_, AUTH_RSA_ENC),
	NM(IKEV1_, AUTH_RSA_ENC_REV),
	NM(IKEV1_, AUTH_ECDSA_SHA256),
	NM(IKEV1_, AUTH_ECDSA_SHA384),
	NM(IKEV1_, AUTH_ECDSA_SHA512),
	NM(IKEV1_, AUTH_HYBRID_INIT_RSA),
	NM(IKEV1_, AUTH_HYBRID_RESP_RSA),
	NM(IKEV1_, AUTH_HYBRID_INIT_DSS),
	NM(IKEV1_, AUTH_HYBRID_RESP_DSS),
	NM(IKEV1_, AUTH_XAUTH_INIT_PSK),
	NM(IKEV1_, AUTH_XAUTH_RESP_PSK),
	NM(IKEV1_, AUTH_XAUTH_INIT_DSS),
	NM(IKEV1_, AUTH_XAUTH_RESP_DSS),
	NM(IKEV1_, AUTH_XAUTH_INIT_RSA),
	NM(IKEV1_, AUTH_XAUTH_RESP_RSA),
	NM(IKEV1_, AUTH_XAUTH_INIT_RSA_ENC),
	NM(IKEV1_, AUTH_XAUTH_RESP_RSA_ENC),
	NM(IKEV1_, AUTH_XAUTH_INIT_RSA_ENC_REV),
	NM(IKEV1_, AUTH_XAUTH_RESP_RSA_ENC_REV),
};

static const struct ike_name v1_groups[] = {
	NM(IKEV1_, GROUP_MODP_768),
	NM(IKEV1_, GROUP_MODP_1024),
	NM(IKEV1_, GROUP_EC2N_155),
	NM(IKEV1_, GROUP_EC2N_185),
	NM(IKEV1_, GROUP_MODP_1536),
	NM(IKEV1_, GROUP_EC2N_163A),
	NM(IKEV1_, GROUP_EC2N_163B),
	NM(IKEV1_, GROUP_EC2N_283A),
	NM(IKEV1_, GROUP_EC2N_283B),
	NM(IKEV1_, GROUP_EC2N_409A),
	NM(IKEV1_, GROUP_EC2N_409B),
	NM(IKEV1_, GROUP_EC2N_571A),
	NM(IKEV1_, GROUP_EC2N_571B),
	NM(IKEV1_, GROUP_MODP_2048),
	NM(IKEV1_, GROUP_MODP_3072),
	NM(IKEV1_, GROUP_MODP_4096),
	NM(IKEV1_, GROUP_MODP_6144),
	NM(IKEV1_, GROUP_MODP_8192),
	NM(IKEV1_, GROUP_ECP_256),
	NM(IKEV1_, GROUP_ECP_384),
	NM(IKEV1_, GROUP_ECP_521),
	NM(IKEV1_, GROUP_MODP_1024_160),
	NM(IKEV1_, GROUP_MODP_2048_224),
	NM(IKEV1_, GROUP_MODP_2048_256),
	NM(IKEV1_, GROUP_ECP_192),
	NM(IKEV1_, GROUP_ECP_224),
	NM(IKEV1_, GROUP_BRAINPOOL_P224),
	NM(IKEV1_, GROUP_BRAINPOOL_P256),
	NM(IKEV1_, GROUP_BRAINPOOL_P384),
	NM(IKEV1_, GROUP_BRAINPOOL_P512),
};

static const struct ike_name v1_group_types[] = {
	NM(IKEV1_, GROUP_TYPE_MODP),
	NM(IKEV1_, GROUP_TYPE_ECP),
	NM(IKEV1_, GROUP_TYPE_EC2N),
};

static const struct ike_name v1_life_types[] = {
	NM(IKEV1_, LIFE_SECONDS),
	NM(IKEV1_, LIFE_KILOBYTES),
};

static const struct ike_name v1_ipsec_attrs[] = {
	NM(IKEV1_IPSEC_ATTR_, SA_LIFE_TYPE),
	NM(IKEV1_IPSEC_ATTR_, SA_LIFE_DURATION),
	NM(IKEV1_IPSEC_ATTR_, GROUP_DESCRIPTION),
	NM(IKEV1_IPSEC_ATTR_, ENCAPSULATION_MODE),
	NM(IKEV1_IPSEC_ATTR_, AUTH_ALGORITHM),
	NM(IKEV1_IPSEC_ATTR_, KEY_LENGTH),
	NM(IKEV1_IPSEC_ATTR_, KEY_ROUNDS),
	NM(IKEV1_IPSEC_ATTR_, COMP_DICT_SIZE),
	NM(IKEV1_IPSEC_ATTR_, COMP_PRIVATE_ALG),
	NM(IKEV1_IPSEC_ATTR_, ECN_TUNNEL),
	NM(IKEV1_IPSEC_ATTR_, EXT_SEQ_NUM),
	NM(IKEV1_IPSEC_ATTR_, AUTH_KEY_LENGTH),
	NM(IKEV1_IPSEC_ATTR_, SIG_ENC_ALGORITHM),
	NM(IKEV1_IPSEC_ATTR_, ADDR_PRESERVATION),
	NM(IKEV1_IPSEC_ATTR_, SA_DIRECTION),
};

static const struct ike_name v1_encap_modes[] = {
	NM(IKEV1_, ENCAP_TUNNEL),
	NM(IKEV1_, ENCAP_TRANSPORT),
	NM(IKEV1_, ENCAP_UDP_TUNNEL_RFC),
	NM(IKEV1_, ENCAP_UDP_TRANSPORT_RFC),
	NM(IKEV1_, ENCAP_UDP_TUNNEL_DRAFT),
	NM(IKEV1_, ENCAP_UDP_TRANSPORT_DRAFT),
};

static const struct ike_name v1_auth_algs[] = {
	NM(IKEV1_, AUTH_ALG_HMAC_MD5),
	NM(IKEV1_, AUTH_ALG_HMAC_SHA),
	NM(IKEV1_, AUTH_ALG_DES_MAC),
	NM(IKEV1_, AUTH_ALG_KPDK),
	NM(IKEV1_, AUTH_ALG_HMAC_SHA2_256),
	NM(IKEV1_, AUTH_ALG_HMAC_SHA2_384),
	NM(IKEV1_, AUTH_ALG_HMAC_SHA2_512),
	NM(IKEV1_, AUTH_ALG_HMAC_RIPEMD),
	NM(IKEV1_, AUTH_ALG_AES_XCBC_MAC),
	NM(IKEV1_, AUTH_ALG_SIG_RSA),
	NM(IKEV1_, AUTH_ALG_AES_128_GMAC),
	NM(IKEV1_, AUTH_ALG_AES_192_GMAC),
	NM(IKEV1_, AUTH_ALG_AES_256_GMAC),
};

static const struct ike_name v1_ecn_tunnel[] = {
	NM(IKEV1_, ECN_ALLOWED),
	NM(IKEV1_, ECN_FORBIDDEN),
};

static const struct ike_name v1_ext_seq[] = {
	NM(IKEV1_, EXT_SEQ_64BIT),
};

static const struct ike_name v1_sig_enc[] = {
	NM(IKEV1_, SIG_ENC_RSASSA_PKCS1_V1_5),
	NM(IKEV1_, SIG_ENC_RSASSA_PSS),
};

static const struct ike_name v1_addr_preservation[] = {
	NM(IKEV1_, ADDR_PRESERVE_NONE),
	NM(IKEV1_, ADDR_PRESERVE_SOURCE_ONLY),
	NM(IKEV1_, ADDR_PRESERVE_DESTINATION_ONLY),
	NM(IKEV1_, ADDR_PRESERVE_SOURCE_AND_DESTINATION),
};

static const struct ike_name v1_sa_direction[] = {
	NM(IKEV1_, SA_DIRECTION_SENDER_ONLY),
	NM(IKEV1_, SA_DIRECTION_RECEIVER_ONLY),
	NM(IKEV1_, SA_DIRECTION_SYMMETRIC),
};

static const struct ike_name v1_id_types[] = {
	NM(IKEV1_, ID_IPV4_ADDR),
	NM(IKEV1_, ID_FQDN),
	NM(IKEV1_, ID_USER_FQDN),
	NM(IKEV1_, ID_IPV4_ADDR_SUBNET),
	NM(IKEV1_, ID_IPV6_ADDR),
	NM(IKEV1_, ID_IPV6_ADDR_SUBNET),
	NM(IKEV1_, ID_IPV4_ADDR_RANGE),
	NM(IKEV1_, ID_IPV6_ADDR_RANGE),
	NM(IKEV1_, ID_DER_ASN1_DN),
	NM(IKEV1_, ID_DER_ASN1_GN),
	NM(IKEV1_, ID_KEY_ID),
	NM(IKEV1_, ID_LIST),
};

static const struct ike_name v1_cert_encodings[] = {
	NM(IKEV1_CERT_, NONE),
	NM(IKEV1_CERT_, PKCS7_X509),
	NM(IKEV1_CERT_, PGP),
	NM(IKEV1_CERT_, DNS_SIGNED_KEY),
	NM(IKEV1_CERT_, X509_SIG),
	NM(IKEV1_CERT_, X509_KE),
	NM(IKEV1_CERT_, KERBEROS),
	NM(IKEV1_CERT_, CRL),
	NM(IKEV1_CERT_, ARL),
	NM(IKEV1_CERT_, SPKI),
	NM(IKEV1_CERT_, X509_ATTR),
};

static const struct ike_name v1_cfg_types[] = {
	NM(IKEV1_, CFG_REQUEST),
	NM(IKEV1_, CFG_REPLY),
	NM(IKEV1_, CFG_SET),
	NM(IKEV1_, CFG_ACK),
};

static const struct ike_name v1_cfg_attrs[] = {
	/* Mode Config */
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP4_ADDRESS),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP4_NETMASK),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP4_DNS),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP4_NBNS),
	NM(IKEV1_CFG_ATTR_, INTERNAL_ADDRESS_EXPIRY),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP4_DHCP),
	NM(IKEV1_CFG_ATTR_, APPLICATION_VERSION),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP6_ADDRESS),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP6_NETMASK),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP6_DNS),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP6_NBNS),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP6_DHCP),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP4_SUBNET),
	NM(IKEV1_CFG_ATTR_, SUPPORTED_ATTRIBUTES),
	NM(IKEV1_CFG_ATTR_, INTERNAL_IP6_SUBNET),
	/* XAUTH */
	NM(IKEV1_, XAUTH_TYPE),
	NM(IKEV1_, XAUTH_USER_NAME),
	NM(IKEV1_, XAUTH_USER_PASSWORD),
	NM(IKEV1_, XAUTH_PASSCODE),
	NM(IKEV1_, XAUTH_MESSAGE),
	NM(IKEV1_, XAUTH_CHALLENGE),
	NM(IKEV1_, XAUTH_DOMAIN),
	NM(IKEV1_, XAUTH_STATUS),
	NM(IKEV1_, XAUTH_NEXT_PIN),
	NM(IKEV1_, XAUTH_ANSWER),
	/* Cisco Unity */
	NM(IKEV1_, UNITY_BANNER),
	NM(IKEV1_, UNITY_SAVE_PASSWD),
	NM(IKEV1_, UNITY_DEF_DOMAIN),
	NM(IKEV1_, UNITY_SPLIT_DNS_NAME),
	NM(IKEV1_, UNITY_SPLIT_INCLUDE),
	NM(IKEV1_, UNITY_NATT_PORT),
	NM(IKEV1_, UNITY_LOCAL_LAN),
	NM(IKEV1_, UNITY_PFS),
	NM(IKEV1_, UNITY_FW_TYPE),
	NM(IKEV1_, UNITY_BACKUP_SERVERS),
	NM(IKEV1_, UNITY_DDNS_HOSTNAME),
};

const char *ikev1_exchange_name(unsigned exchange)
{
	return LOOKUP(v1_exchanges, exchange);
}

const char *ikev1_payload_name(unsigned payload)
{
	return LOOKUP(v1_payloads, payload);
}

const char *ikev1_payload_short(unsigned payload)
{
	return LOOKUP(v1_payloads_short, payload);
}

const char *ikev1_notify_name(unsigned type)
{
	return LOOKUP(v1_notifies, type);
}

const char *ikev1_protocol_name(unsigned proto)
{
	return LOOKUP(v1_protocols, proto);
}

const char *ikev1_transform_id_name(unsigned proto, unsigned id)
{
	switch (proto) {
	case IKEV1_PROTO_ISAKMP:
		return LOOKUP(v1_isakmp_transforms, id);
	case IKEV1_PROTO_AH:
		return LOOKUP(v1_ah_transforms, id);
	case IKEV1_PROTO_ESP:
		return LOOKUP(v1_esp_transforms, id);
	case IKEV1_PROTO_IPCOMP:
		return LOOKUP(v1_ipcomp_transforms, id);
	default:
		return NULL;
	}
}

const char *ikev1_attr_name(unsigned type)
{
	return LOOKUP(v1_attrs, type);
}

const char *ikev1_attr_value_name(unsigned type, unsigned value)
{
	switch (type) {
	case IKEV1_ATTR_ENCRYPTION_ALGORITHM:
		return LOOKUP(v1_encr, value);
	case IKEV1_ATTR_HASH_ALGORITHM:
		return LOOKUP(v1_hashes, value);
	case IKEV1_ATTR_AUTHENTICATION_METHOD:
		return LOOKUP(v1_auth_methods, value);
	case IKEV1_ATTR_GROUP_DESCRIPTION:
		return LOOKUP(v1_groups, value);
	case IKEV1_ATTR_GROUP_TYPE:
		return LOOKUP(v1_group_types, value);
	case IKEV1_ATTR_LIFE_TYPE:
		return LOOKUP(v1_life_types, value);
	default:
		return NULL;
	}
}

const char *ikev1_ipsec_attr_name(unsigned type)
{
	return LOOKUP(v1_ipsec_attrs, type);
}

const char *ikev1_ipsec_attr_value_name(unsigned type, unsigned value)
{
	switch (type) {
	case IKEV1_IPSEC_ATTR_SA_LIFE_TYPE:
		return LOOKUP(v1_life_types, value);
	case IKEV1_IPSEC_ATTR_GROUP_DESCRIPTION:
		return LOOKUP(v1_groups, value);
	case IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE:
		return LOOKUP(v1_encap_modes, value);
	case IKEV1_IPSEC_ATTR_AUTH_ALGORITHM:
		return LOOKUP(v1_auth_algs, value);
	case IKEV1_IPSEC_ATTR_ECN_TUNNEL:
		return LOOKUP(v1_ecn_tunnel, value);
	case IKEV1_IPSEC_ATTR_EXT_SEQ_NUM:
		return LOOKUP(v1_ext_seq, value);
	case IKEV1_IPSEC_ATTR_SIG_ENC_ALGORITHM:
		return LOOKUP(v1_sig_enc, value);
	case IKEV1_IPSEC_ATTR_ADDR_PRESERVATION:
		return LOOKUP(v1_addr_preservation, value);
	case IKEV1_IPSEC_ATTR_SA_DIRECTION:
		return LOOKUP(v1_sa_direction, value);
	default:
		return NULL;
	}
}

const char *ikev1_id_type_name(unsigned type)
{
	return LOOKUP(v1_id_types, type);
}

const char *ikev1_cert_encoding_name(unsigned encoding)
{
	return LOOKUP(v1_cert_encodings, encoding);
}

const char *ikev1_cfg_type_name(unsigned type)
{
	return LOOKUP(v1_cfg_types, type);
}

const char *ikev1_cfg_attr_name(unsigned type)
{
	return LOOKUP(v1_cfg_attrs, type);
}

/* ------------------------------------------------------------------ */

_Static_assert(UINT_MAX <= 0xFFFFFFFFu, "a decimal unsigned must fit in 16 bytes");

const char *ike_name_or_number(const char *name, unsigned value, char buf[static 16])
{
	char tmp[16];
	size_t n = 0, i;

	if (name != NULL)
		return name;
	do {
		tmp[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}
