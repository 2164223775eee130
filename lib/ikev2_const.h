/*
 * ikev2_const.h - IKEv2 protocol numbers.
 *
 * One plain C enum per IANA "Internet Key Exchange Version 2 (IKEv2)
 * Parameters" registry (https://www.iana.org/assignments/ikev2-parameters).
 * Only assigned values are listed; reserved, unassigned and private-use
 * ranges are described in comments.  The base protocol is RFC 7296; every
 * later value names the RFC (or draft) that registered it.
 *
 * Name lookups for these numbers live in ike_names.h.
 */
#ifndef OSPREY_IKEV2_CONST_H
#define OSPREY_IKEV2_CONST_H

/* The AF (attribute format) bit of a data attribute's type field: set means
 * TV (the 16-bit length field holds the value), clear means TLV.
 * RFC 2408 §3.3, RFC 7296 §3.3.5.  Shared with ikev1_const.h. */
#ifndef OSPREY_IKE_ATTR_AF_DEFINED
#define OSPREY_IKE_ATTR_AF_DEFINED
enum { IKE_ATTR_AF = 0x8000 };
#endif

/* Version octet of the IKE header: major 2, minor 0 (RFC 7296 §3.1). */
enum { IKEV2_VERSION = 0x20 };

/* IKE header flags (RFC 7296 §3.1).  Bits 0-2 and 6-7 are reserved. */
enum ikev2_flag {
	IKEV2_FLAG_INITIATOR = 0x08, /* I: sent by the original initiator */
	IKEV2_FLAG_VERSION = 0x10,   /* V: sender can speak a higher major version */
	IKEV2_FLAG_RESPONSE = 0x20,  /* R: message is a response */
};

/* IKEv2 Exchange Types (RFC 7296 §3.1).  0-33 reserved, 45-239 unassigned,
 * 240-255 private use. */
enum ikev2_exchange {
	IKEV2_EXCH_IKE_SA_INIT = 34,        /* RFC 7296 */
	IKEV2_EXCH_IKE_AUTH = 35,           /* RFC 7296 */
	IKEV2_EXCH_CREATE_CHILD_SA = 36,    /* RFC 7296 */
	IKEV2_EXCH_INFORMATIONAL = 37,      /* RFC 7296 */
	IKEV2_EXCH_IKE_SESSION_RESUME = 38, /* RFC 5723 */
	IKEV2_EXCH_GSA_AUTH = 39,           /* RFC 9838 (G-IKEv2) */
	IKEV2_EXCH_GSA_REGISTRATION = 40,   /* RFC 9838 */
	IKEV2_EXCH_GSA_REKEY = 41,          /* RFC 9838 */
	IKEV2_EXCH_GSA_INBAND_REKEY = 42,   /* RFC 9838 */
	IKEV2_EXCH_IKE_INTERMEDIATE = 43,   /* RFC 9242 */
	IKEV2_EXCH_IKE_FOLLOWUP_KE = 44,    /* RFC 9370 */
};

/* IKEv2 Payload Types (RFC 7296 §3.2).  1-32 reserved (IKEv1 values),
 * 55-127 unassigned, 128-255 private use. */
enum ikev2_payload_type {
	IKEV2_PL_NONE = 0,     /* No Next Payload */
	IKEV2_PL_SA = 33,      /* Security Association (RFC 7296 §3.3) */
	IKEV2_PL_KE = 34,      /* Key Exchange (§3.4) */
	IKEV2_PL_IDI = 35,     /* Identification - Initiator (§3.5) */
	IKEV2_PL_IDR = 36,     /* Identification - Responder (§3.5) */
	IKEV2_PL_CERT = 37,    /* Certificate (§3.6) */
	IKEV2_PL_CERTREQ = 38, /* Certificate Request (§3.7) */
	IKEV2_PL_AUTH = 39,    /* Authentication (§3.8) */
	IKEV2_PL_NONCE = 40,   /* Nonce Ni/Nr (§3.9) */
	IKEV2_PL_NOTIFY = 41,  /* Notify (§3.10) */
	IKEV2_PL_DELETE = 42,  /* Delete (§3.11) */
	IKEV2_PL_VENDOR = 43,  /* Vendor ID (§3.12) */
	IKEV2_PL_TSI = 44,     /* Traffic Selector - Initiator (§3.13) */
	IKEV2_PL_TSR = 45,     /* Traffic Selector - Responder (§3.13) */
	IKEV2_PL_SK = 46,      /* Encrypted and Authenticated (§3.14) */
	IKEV2_PL_CP = 47,      /* Configuration (§3.15) */
	IKEV2_PL_EAP = 48,     /* Extensible Authentication (§3.16) */
	IKEV2_PL_GSPM = 49,    /* Generic Secure Password Methods (RFC 6467) */
	IKEV2_PL_IDG = 50,     /* Group Identification (RFC 9838) */
	IKEV2_PL_GSA = 51,     /* Group Security Association (RFC 9838) */
	IKEV2_PL_KD = 52,      /* Key Download (RFC 9838) */
	IKEV2_PL_SKF = 53,     /* Encrypted and Authenticated Fragment (RFC 7383) */
	IKEV2_PL_PS = 54,      /* Puzzle Solution (RFC 8019) */
};

/* Security Protocol Identifiers (RFC 7296 §3.3.1).  Also used in Notify and
 * Delete payloads, where 0 means "no protocol / the IKE SA".  7-200
 * unassigned, 201-255 private use. */
enum ikev2_protocol {
	IKEV2_PROTO_NONE = 0,
	IKEV2_PROTO_IKE = 1,                  /* RFC 7296 */
	IKEV2_PROTO_AH = 2,                   /* RFC 7296 */
	IKEV2_PROTO_ESP = 3,                  /* RFC 7296 */
	IKEV2_PROTO_FC_ESP_HEADER = 4,        /* RFC 4595 */
	IKEV2_PROTO_FC_CT_AUTHENTICATION = 5, /* RFC 4595 */
	IKEV2_PROTO_GIKE_UPDATE = 6,          /* RFC 9838 */
};

/* Transform Type Values (RFC 7296 §3.3.2; RFC 9370 for ADDKE1-7).
 * Type 5 was "Extended Sequence Numbers (ESN)" and is now called "Sequence
 * Numbers" (RFC 9827).  15-240 unassigned, 241-255 private use. */
enum ikev2_transform_type {
	IKEV2_TT_ENCR = 1,    /* Encryption Algorithm */
	IKEV2_TT_PRF = 2,     /* Pseudorandom Function */
	IKEV2_TT_INTEG = 3,   /* Integrity Algorithm */
	IKEV2_TT_KE = 4,      /* Key Exchange Method (formerly D-H group) */
	IKEV2_TT_ESN = 5,     /* (Extended) Sequence Numbers */
	IKEV2_TT_ADDKE1 = 6,  /* Additional Key Exchange 1 (RFC 9370) */
	IKEV2_TT_ADDKE2 = 7,  /* RFC 9370 */
	IKEV2_TT_ADDKE3 = 8,  /* RFC 9370 */
	IKEV2_TT_ADDKE4 = 9,  /* RFC 9370 */
	IKEV2_TT_ADDKE5 = 10, /* RFC 9370 */
	IKEV2_TT_ADDKE6 = 11, /* RFC 9370 */
	IKEV2_TT_ADDKE7 = 12, /* RFC 9370 */
	IKEV2_TT_KWA = 13,    /* Key Wrap Algorithm (RFC 9838) */
	IKEV2_TT_GCAUTH = 14, /* Group Controller Authentication Method (RFC 9838) */
};

/* Transform Type 1 - Encryption Algorithm Transform IDs (RFC 7296 §3.3.2).
 * 0 reserved, 10 reserved, 17 unassigned, 22 reserved (IEEE P1619 XTS-AES),
 * 36-1023 unassigned, 1024-65535 private use. */
enum ikev2_encr {
	IKEV2_ENCR_DES_IV64 = 1,                  /* RFC 1827 */
	IKEV2_ENCR_DES = 2,                       /* RFC 2405 */
	IKEV2_ENCR_3DES = 3,                      /* RFC 2451 */
	IKEV2_ENCR_RC5 = 4,                       /* RFC 2451 */
	IKEV2_ENCR_IDEA = 5,                      /* RFC 2451 */
	IKEV2_ENCR_CAST = 6,                      /* RFC 2451 */
	IKEV2_ENCR_BLOWFISH = 7,                  /* RFC 2451 */
	IKEV2_ENCR_3IDEA = 8,                     /* RFC 2451 */
	IKEV2_ENCR_DES_IV32 = 9,
	IKEV2_ENCR_NULL = 11,                     /* RFC 2410 */
	IKEV2_ENCR_AES_CBC = 12,                  /* RFC 3602 */
	IKEV2_ENCR_AES_CTR = 13,                  /* RFC 5930 */
	IKEV2_ENCR_AES_CCM_8 = 14,                /* RFC 5282, 8-octet ICV */
	IKEV2_ENCR_AES_CCM_12 = 15,               /* RFC 5282 */
	IKEV2_ENCR_AES_CCM_16 = 16,               /* RFC 5282 */
	IKEV2_ENCR_AES_GCM_8 = 18,                /* RFC 5282, 8-octet ICV */
	IKEV2_ENCR_AES_GCM_12 = 19,               /* RFC 5282 */
	IKEV2_ENCR_AES_GCM_16 = 20,               /* RFC 5282 */
	IKEV2_ENCR_NULL_AUTH_AES_GMAC = 21,       /* RFC 4543 */
	IKEV2_ENCR_CAMELLIA_CBC = 23,             /* RFC 5529 */
	IKEV2_ENCR_CAMELLIA_CTR = 24,             /* RFC 5529 */
	IKEV2_ENCR_CAMELLIA_CCM_8 = 25,           /* RFC 5529 */
	IKEV2_ENCR_CAMELLIA_CCM_12 = 26,          /* RFC 5529 */
	IKEV2_ENCR_CAMELLIA_CCM_16 = 27,          /* RFC 5529 */
	IKEV2_ENCR_CHACHA20_POLY1305 = 28,        /* RFC 7634 */
	IKEV2_ENCR_AES_CCM_8_IIV = 29,            /* RFC 8750 */
	IKEV2_ENCR_AES_GCM_16_IIV = 30,           /* RFC 8750 */
	IKEV2_ENCR_CHACHA20_POLY1305_IIV = 31,    /* RFC 8750 */
	IKEV2_ENCR_KUZNYECHIK_MGM_KTREE = 32,     /* RFC 9227 */
	IKEV2_ENCR_MAGMA_MGM_KTREE = 33,          /* RFC 9227 */
	IKEV2_ENCR_KUZNYECHIK_MGM_MAC_KTREE = 34, /* RFC 9227 */
	IKEV2_ENCR_MAGMA_MGM_MAC_KTREE = 35,      /* RFC 9227 */
};

/* Transform Type 2 - Pseudorandom Function Transform IDs (RFC 7296 §3.3.2).
 * 10-1023 unassigned, 1024-65535 private use. */
enum ikev2_prf {
	IKEV2_PRF_HMAC_MD5 = 1,           /* RFC 2104 */
	IKEV2_PRF_HMAC_SHA1 = 2,          /* RFC 2104 */
	IKEV2_PRF_HMAC_TIGER = 3,
	IKEV2_PRF_AES128_XCBC = 4,        /* RFC 4434 */
	IKEV2_PRF_HMAC_SHA2_256 = 5,      /* RFC 4868 */
	IKEV2_PRF_HMAC_SHA2_384 = 6,      /* RFC 4868 */
	IKEV2_PRF_HMAC_SHA2_512 = 7,      /* RFC 4868 */
	IKEV2_PRF_AES128_CMAC = 8,        /* RFC 4615 */
	IKEV2_PRF_HMAC_STREEBOG_512 = 9,  /* RFC 9385 */
};

/* Transform Type 3 - Integrity Algorithm Transform IDs (RFC 7296 §3.3.2).
 * IANA spells these AUTH_*; here they are IKEV2_INTEG_*.
 * 15-1023 unassigned, 1024-65535 private use. */
enum ikev2_integ {
	IKEV2_INTEG_NONE = 0,
	IKEV2_INTEG_HMAC_MD5_96 = 1,        /* RFC 2403 */
	IKEV2_INTEG_HMAC_SHA1_96 = 2,       /* RFC 2404 */
	IKEV2_INTEG_DES_MAC = 3,
	IKEV2_INTEG_KPDK_MD5 = 4,           /* RFC 1826 */
	IKEV2_INTEG_AES_XCBC_96 = 5,        /* RFC 3566 */
	IKEV2_INTEG_HMAC_MD5_128 = 6,       /* RFC 4595 */
	IKEV2_INTEG_HMAC_SHA1_160 = 7,      /* RFC 4595 */
	IKEV2_INTEG_AES_CMAC_96 = 8,        /* RFC 4494 */
	IKEV2_INTEG_AES_128_GMAC = 9,       /* RFC 4543 */
	IKEV2_INTEG_AES_192_GMAC = 10,      /* RFC 4543 */
	IKEV2_INTEG_AES_256_GMAC = 11,      /* RFC 4543 */
	IKEV2_INTEG_HMAC_SHA2_256_128 = 12, /* RFC 4868 */
	IKEV2_INTEG_HMAC_SHA2_384_192 = 13, /* RFC 4868 */
	IKEV2_INTEG_HMAC_SHA2_512_256 = 14, /* RFC 4868 */
};

/* Transform Type 4 - Key Exchange Method Transform IDs (RFC 7296 §3.3.2,
 * "Diffie-Hellman Group" before RFC 9370).  Also the values of the ADDKE1-7
 * transform types and of the KE payload's group field.  3-4 reserved,
 * 6-13 unassigned, 38-1023 unassigned, 1024-65535 private use. */
enum ikev2_group {
	IKEV2_GROUP_NONE = 0,
	IKEV2_GROUP_MODP_768 = 1,           /* RFC 2409 group 1 */
	IKEV2_GROUP_MODP_1024 = 2,          /* RFC 2409 group 2 */
	IKEV2_GROUP_MODP_1536 = 5,          /* RFC 3526 */
	IKEV2_GROUP_MODP_2048 = 14,         /* RFC 3526 */
	IKEV2_GROUP_MODP_3072 = 15,         /* RFC 3526 */
	IKEV2_GROUP_MODP_4096 = 16,         /* RFC 3526 */
	IKEV2_GROUP_MODP_6144 = 17,         /* RFC 3526 */
	IKEV2_GROUP_MODP_8192 = 18,         /* RFC 3526 */
	IKEV2_GROUP_ECP_256 = 19,           /* RFC 5903 */
	IKEV2_GROUP_ECP_384 = 20,           /* RFC 5903 */
	IKEV2_GROUP_ECP_521 = 21,           /* RFC 5903 */
	IKEV2_GROUP_MODP_1024_160 = 22,     /* RFC 5114, 160-bit prime order subgroup */
	IKEV2_GROUP_MODP_2048_224 = 23,     /* RFC 5114 */
	IKEV2_GROUP_MODP_2048_256 = 24,     /* RFC 5114 */
	IKEV2_GROUP_ECP_192 = 25,           /* RFC 5114 */
	IKEV2_GROUP_ECP_224 = 26,           /* RFC 5114 */
	IKEV2_GROUP_BRAINPOOL_P224 = 27,    /* RFC 6954, brainpoolP224r1 */
	IKEV2_GROUP_BRAINPOOL_P256 = 28,    /* RFC 6954 */
	IKEV2_GROUP_BRAINPOOL_P384 = 29,    /* RFC 6954 */
	IKEV2_GROUP_BRAINPOOL_P512 = 30,    /* RFC 6954 */
	IKEV2_GROUP_CURVE25519 = 31,        /* RFC 8031 */
	IKEV2_GROUP_CURVE448 = 32,          /* RFC 8031 */
	IKEV2_GROUP_GOST3410_2012_256 = 33, /* RFC 9385 */
	IKEV2_GROUP_GOST3410_2012_512 = 34, /* RFC 9385 */
	IKEV2_GROUP_ML_KEM_512 = 35,        /* draft-ietf-ipsecme-ikev2-mlkem */
	IKEV2_GROUP_ML_KEM_768 = 36,        /* draft-ietf-ipsecme-ikev2-mlkem */
	IKEV2_GROUP_ML_KEM_1024 = 37,       /* draft-ietf-ipsecme-ikev2-mlkem */
};

/* Transform Type 5 - (Extended) Sequence Numbers Transform IDs
 * (RFC 7296 §3.3.2; renamed by RFC 9827, value 2 added by RFC 9838). */
enum ikev2_esn {
	IKEV2_ESN_NONE = 0, /* 32-bit sequential numbers */
	IKEV2_ESN_YES = 1,  /* partially transmitted 64-bit sequential numbers */
	IKEV2_ESN_32BIT_UNSPECIFIED = 2, /* 32-bit unspecified numbers (RFC 9838) */
};

/* Transform Type 13 - Key Wrap Algorithm Transform IDs (RFC 9838). */
enum ikev2_kwa {
	IKEV2_KWA_KW_5649_128 = 1, /* AES key wrap, RFC 5649 */
	IKEV2_KWA_KW_5649_192 = 2,
	IKEV2_KWA_KW_5649_256 = 3,
	IKEV2_KWA_KW_ARX = 4,
};

/* Transform Type 14 - Group Controller Authentication Method Transform IDs
 * (RFC 9838). */
enum ikev2_gcauth {
	IKEV2_GCAUTH_IMPLICIT = 1,
	IKEV2_GCAUTH_DIGITAL_SIGNATURE = 2,
};

/* IKEv2 Transform Attribute Types (RFC 7296 §3.3.5).  Only Key Length is
 * assigned for plain IKEv2; it is always sent in TV format (IKE_ATTR_AF). */
enum ikev2_transform_attr {
	IKEV2_ATTR_KEY_LENGTH = 14, /* key length in bits */
};

/* IKEv2 Authentication Method (RFC 7296 §3.8).  4-8 unassigned,
 * 15-200 unassigned, 201-255 private use. */
enum ikev2_auth_method {
	IKEV2_AUTH_RSA_SIG = 1,              /* RSA Digital Signature */
	IKEV2_AUTH_PSK = 2,                  /* Shared Key Message Integrity Code */
	IKEV2_AUTH_DSS = 3,                  /* DSS Digital Signature */
	IKEV2_AUTH_ECDSA_SHA256_P256 = 9,    /* RFC 4754 */
	IKEV2_AUTH_ECDSA_SHA384_P384 = 10,   /* RFC 4754 */
	IKEV2_AUTH_ECDSA_SHA512_P521 = 11,   /* RFC 4754 */
	IKEV2_AUTH_GSPAM = 12,               /* Generic Secure Password Auth, RFC 6467 */
	IKEV2_AUTH_NULL = 13,                /* RFC 7619 */
	IKEV2_AUTH_DIGITAL_SIGNATURE = 14,   /* RFC 7427 */
};

/* IKEv2 Identification Payload ID Types (RFC 7296 §3.5).  4, 6-8 unassigned,
 * 14-200 unassigned, 201-255 private use. */
enum ikev2_id_type {
	IKEV2_ID_IPV4_ADDR = 1,
	IKEV2_ID_FQDN = 2,
	IKEV2_ID_RFC822_ADDR = 3,
	IKEV2_ID_IPV6_ADDR = 5,
	IKEV2_ID_DER_ASN1_DN = 9,
	IKEV2_ID_DER_ASN1_GN = 10,
	IKEV2_ID_KEY_ID = 11,
	IKEV2_ID_FC_NAME = 12, /* RFC 4595 */
	IKEV2_ID_NULL = 13,    /* RFC 7619 */
};

/* IKEv2 Certificate Encodings (RFC 7296 §3.6).  5 reserved,
 * 16-200 unassigned, 201-255 private use. */
enum ikev2_cert_encoding {
	IKEV2_CERT_PKCS7_X509 = 1,       /* PKCS #7 wrapped X.509 certificate */
	IKEV2_CERT_PGP = 2,              /* PGP certificate */
	IKEV2_CERT_DNS_SIGNED_KEY = 3,   /* DNS signed key */
	IKEV2_CERT_X509_SIG = 4,         /* X.509 certificate - signature */
	IKEV2_CERT_KERBEROS_TOKEN = 6,   /* Kerberos token */
	IKEV2_CERT_CRL = 7,              /* certificate revocation list */
	IKEV2_CERT_ARL = 8,              /* authority revocation list */
	IKEV2_CERT_SPKI = 9,             /* SPKI certificate */
	IKEV2_CERT_X509_ATTR = 10,       /* X.509 certificate - attribute */
	IKEV2_CERT_RAW_RSA_KEY = 11,     /* raw RSA key (deprecated) */
	IKEV2_CERT_HASH_URL_X509 = 12,   /* hash and URL of X.509 certificate */
	IKEV2_CERT_HASH_URL_BUNDLE = 13, /* hash and URL of X.509 bundle */
	IKEV2_CERT_OCSP_CONTENT = 14,    /* RFC 4806 */
	IKEV2_CERT_RAW_PUBLIC_KEY = 15,  /* RFC 7670 */
};

/* IKEv2 Notify Message Types (RFC 7296 §3.10.1).  0-16383 are Error Types
 * (8192-16383 private use), 16384-65535 are Status Types (40960-65535
 * private use).  See ikev2_notify_is_error(). */
enum ikev2_notify_type {
	/* Error Types.  2-3, 6, 8, 10, 12-13, 15-16, 18-23, 25-33 reserved;
	 * 50-8191 unassigned. */
	IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1, /* RFC 7296 */
	IKEV2_N_INVALID_IKE_SPI = 4,              /* RFC 7296 */
	IKEV2_N_INVALID_MAJOR_VERSION = 5,        /* RFC 7296 */
	IKEV2_N_INVALID_SYNTAX = 7,               /* RFC 7296 */
	IKEV2_N_INVALID_MESSAGE_ID = 9,           /* RFC 7296 */
	IKEV2_N_INVALID_SPI = 11,                 /* RFC 7296 */
	IKEV2_N_NO_PROPOSAL_CHOSEN = 14,          /* RFC 7296 */
	IKEV2_N_INVALID_KE_PAYLOAD = 17,          /* RFC 7296 */
	IKEV2_N_AUTHENTICATION_FAILED = 24,       /* RFC 7296 */
	IKEV2_N_SINGLE_PAIR_REQUIRED = 34,        /* RFC 7296 */
	IKEV2_N_NO_ADDITIONAL_SAS = 35,           /* RFC 7296 */
	IKEV2_N_INTERNAL_ADDRESS_FAILURE = 36,    /* RFC 7296 */
	IKEV2_N_FAILED_CP_REQUIRED = 37,          /* RFC 7296 */
	IKEV2_N_TS_UNACCEPTABLE = 38,             /* RFC 7296 */
	IKEV2_N_INVALID_SELECTORS = 39,           /* RFC 7296 */
	IKEV2_N_UNACCEPTABLE_ADDRESSES = 40,      /* RFC 4555 */
	IKEV2_N_UNEXPECTED_NAT_DETECTED = 41,     /* RFC 4555 */
	IKEV2_N_USE_ASSIGNED_HoA = 42,            /* RFC 5026 (IANA spelling) */
	IKEV2_N_USE_ASSIGNED_HOA = 42,            /* upper-case alias */
	IKEV2_N_TEMPORARY_FAILURE = 43,           /* RFC 7296 */
	IKEV2_N_CHILD_SA_NOT_FOUND = 44,          /* RFC 7296 */
	IKEV2_N_INVALID_GROUP_ID = 45,            /* RFC 9838 */
	IKEV2_N_AUTHORIZATION_FAILED = 46,        /* RFC 9838 */
	IKEV2_N_STATE_NOT_FOUND = 47,             /* RFC 9370 */
	IKEV2_N_TS_MAX_QUEUE = 48,                /* RFC 9611 */
	IKEV2_N_REGISTRATION_FAILED = 49,         /* RFC 9838 */

	/* Status Types.  16448-40959 unassigned. */
	IKEV2_N_INITIAL_CONTACT = 16384,                     /* RFC 7296 */
	IKEV2_N_SET_WINDOW_SIZE = 16385,                     /* RFC 7296 */
	IKEV2_N_ADDITIONAL_TS_POSSIBLE = 16386,              /* RFC 7296 */
	IKEV2_N_IPCOMP_SUPPORTED = 16387,                    /* RFC 7296 */
	IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,             /* RFC 7296 */
	IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,        /* RFC 7296 */
	IKEV2_N_COOKIE = 16390,                              /* RFC 7296 */
	IKEV2_N_USE_TRANSPORT_MODE = 16391,                  /* RFC 7296 */
	IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,          /* RFC 7296 */
	IKEV2_N_REKEY_SA = 16393,                            /* RFC 7296 */
	IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,       /* RFC 7296 */
	IKEV2_N_NON_FIRST_FRAGMENTS_ALSO = 16395,            /* RFC 7296 */
	IKEV2_N_MOBIKE_SUPPORTED = 16396,                    /* RFC 4555 */
	IKEV2_N_ADDITIONAL_IP4_ADDRESS = 16397,              /* RFC 4555 */
	IKEV2_N_ADDITIONAL_IP6_ADDRESS = 16398,              /* RFC 4555 */
	IKEV2_N_NO_ADDITIONAL_ADDRESSES = 16399,             /* RFC 4555 */
	IKEV2_N_UPDATE_SA_ADDRESSES = 16400,                 /* RFC 4555 */
	IKEV2_N_COOKIE2 = 16401,                             /* RFC 4555 */
	IKEV2_N_NO_NATS_ALLOWED = 16402,                     /* RFC 4555 */
	IKEV2_N_AUTH_LIFETIME = 16403,                       /* RFC 4478 */
	IKEV2_N_MULTIPLE_AUTH_SUPPORTED = 16404,             /* RFC 4739 */
	IKEV2_N_ANOTHER_AUTH_FOLLOWS = 16405,                /* RFC 4739 */
	IKEV2_N_REDIRECT_SUPPORTED = 16406,                  /* RFC 5685 */
	IKEV2_N_REDIRECT = 16407,                            /* RFC 5685 */
	IKEV2_N_REDIRECTED_FROM = 16408,                     /* RFC 5685 */
	IKEV2_N_TICKET_LT_OPAQUE = 16409,                    /* RFC 5723 */
	IKEV2_N_TICKET_REQUEST = 16410,                      /* RFC 5723 */
	IKEV2_N_TICKET_ACK = 16411,                          /* RFC 5723 */
	IKEV2_N_TICKET_NACK = 16412,                         /* RFC 5723 */
	IKEV2_N_TICKET_OPAQUE = 16413,                       /* RFC 5723 */
	IKEV2_N_LINK_ID = 16414,                             /* RFC 5739 */
	IKEV2_N_USE_WESP_MODE = 16415,                       /* RFC 5840 */
	IKEV2_N_ROHC_SUPPORTED = 16416,                      /* RFC 5857 */
	IKEV2_N_EAP_ONLY_AUTHENTICATION = 16417,             /* RFC 5998 */
	IKEV2_N_CHILDLESS_IKEV2_SUPPORTED = 16418,           /* RFC 6023 */
	IKEV2_N_QUICK_CRASH_DETECTION = 16419,               /* RFC 6290 */
	IKEV2_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420,     /* RFC 6311 */
	IKEV2_N_IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED = 16421, /* RFC 6311 */
	IKEV2_N_IKEV2_MESSAGE_ID_SYNC = 16422,               /* RFC 6311 */
	IKEV2_N_IPSEC_REPLAY_COUNTER_SYNC = 16423,           /* RFC 6311 */
	IKEV2_N_SECURE_PASSWORD_METHODS = 16424,             /* RFC 6467 */
	IKEV2_N_PSK_PERSIST = 16425,                         /* RFC 6631 */
	IKEV2_N_PSK_CONFIRM = 16426,                         /* RFC 6631 */
	IKEV2_N_ERX_SUPPORTED = 16427,                       /* RFC 6867 */
	IKEV2_N_IFOM_CAPABILITY = 16428,                     /* 3GPP TS 24.303 */
	IKEV2_N_GROUP_SENDER = 16429,                        /* RFC 9838 (was SENDER_REQUEST_ID) */
	IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,       /* RFC 7383 */
	IKEV2_N_SIGNATURE_HASH_ALGORITHMS = 16431,           /* RFC 7427 */
	IKEV2_N_CLONE_IKE_SA_SUPPORTED = 16432,              /* RFC 7791 */
	IKEV2_N_CLONE_IKE_SA = 16433,                        /* RFC 7791 */
	IKEV2_N_PUZZLE = 16434,                              /* RFC 8019 */
	IKEV2_N_USE_PPK = 16435,                             /* RFC 8784 */
	IKEV2_N_PPK_IDENTITY = 16436,                        /* RFC 8784 */
	IKEV2_N_NO_PPK_AUTH = 16437,                         /* RFC 8784 */
	IKEV2_N_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438,     /* RFC 9242 */
	IKEV2_N_IP4_ALLOWED = 16439,                         /* RFC 8983 */
	IKEV2_N_IP6_ALLOWED = 16440,                         /* RFC 8983 */
	IKEV2_N_ADDITIONAL_KEY_EXCHANGE = 16441,             /* RFC 9370 */
	IKEV2_N_USE_AGGFRAG = 16442,                         /* RFC 9347 */
	IKEV2_N_SUPPORTED_AUTH_METHODS = 16443,              /* RFC 9593 */
	IKEV2_N_SA_RESOURCE_INFO = 16444,                    /* RFC 9611 */
	IKEV2_N_USE_PPK_INT = 16445,                         /* RFC 9867 */
	IKEV2_N_PPK_IDENTITY_KEY = 16446,                    /* RFC 9867 */
	/* draft-ietf-ipsecme-ikev2-downgrade-prevention (early allocation) */
	IKEV2_N_IKE_SA_INIT_FULL_TRANSCRIPT_AUTH = 16447,
};

/* First Status Type; everything below is an Error Type (RFC 7296 §3.10.1). */
enum { IKEV2_N_STATUS_MIN = 16384 };

/* IKEv2 Notification IPCOMP Transform IDs, carried in N(IPCOMP_SUPPORTED)
 * (RFC 7296 §3.10.1). */
enum ikev2_ipcomp {
	IKEV2_IPCOMP_OUI = 1,
	IKEV2_IPCOMP_DEFLATE = 2, /* RFC 2394 */
	IKEV2_IPCOMP_LZS = 3,     /* RFC 2395 */
	IKEV2_IPCOMP_LZJH = 4,    /* RFC 3051 */
};

/* IKEv2 Gateway Identity Types, carried in N(REDIRECT) and
 * N(REDIRECTED_FROM) (RFC 5685). */
enum ikev2_gw_id_type {
	IKEV2_GW_ID_IPV4 = 1,
	IKEV2_GW_ID_IPV6 = 2,
	IKEV2_GW_ID_FQDN = 3,
};

/* IKEv2 Post-quantum Preshared Key ID Types, carried in N(PPK_IDENTITY)
 * (RFC 8784). */
enum ikev2_ppk_id_type {
	IKEV2_PPK_ID_OPAQUE = 1,
	IKEV2_PPK_ID_FIXED = 2,
};

/* IKEv2 Traffic Selector Types (RFC 7296 §3.13.1).  0-6 reserved,
 * 11-240 unassigned, 241-255 private use. */
enum ikev2_ts_type {
	IKEV2_TS_IPV4_ADDR_RANGE = 7,
	IKEV2_TS_IPV6_ADDR_RANGE = 8,
	IKEV2_TS_FC_ADDR_RANGE = 9, /* RFC 4595 */
	IKEV2_TS_SECLABEL = 10,     /* RFC 9478 */
};

/* IKEv2 Configuration Payload CFG Types (RFC 7296 §3.15).  5-127
 * unassigned, 128-255 private use. */
enum ikev2_cfg_type {
	IKEV2_CFG_REQUEST = 1,
	IKEV2_CFG_REPLY = 2,
	IKEV2_CFG_SET = 3,
	IKEV2_CFG_ACK = 4,
};

/* IKEv2 Configuration Payload Attribute Types (RFC 7296 §3.15.1).  The top
 * bit of the 16-bit type field is reserved, so types are 15 bits wide.
 * 5, 9 and 11 were assigned by RFC 4306 and are now reserved; they are kept
 * here so old peers can be logged.  30-16383 unassigned, 16384-32767
 * private use. */
enum ikev2_cfg_attr_type {
	IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS = 1,
	IKEV2_CFG_ATTR_INTERNAL_IP4_NETMASK = 2,
	IKEV2_CFG_ATTR_INTERNAL_IP4_DNS = 3,
	IKEV2_CFG_ATTR_INTERNAL_IP4_NBNS = 4,
	IKEV2_CFG_ATTR_INTERNAL_ADDRESS_EXPIRY = 5, /* RFC 4306, now reserved */
	IKEV2_CFG_ATTR_INTERNAL_IP4_DHCP = 6,
	IKEV2_CFG_ATTR_APPLICATION_VERSION = 7,
	IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS = 8,
	IKEV2_CFG_ATTR_INTERNAL_IP6_NETMASK = 9,    /* RFC 4306, now reserved */
	IKEV2_CFG_ATTR_INTERNAL_IP6_DNS = 10,
	IKEV2_CFG_ATTR_INTERNAL_IP6_NBNS = 11,      /* RFC 4306, now reserved */
	IKEV2_CFG_ATTR_INTERNAL_IP6_DHCP = 12,
	IKEV2_CFG_ATTR_INTERNAL_IP4_SUBNET = 13,
	IKEV2_CFG_ATTR_SUPPORTED_ATTRIBUTES = 14,
	IKEV2_CFG_ATTR_INTERNAL_IP6_SUBNET = 15,
	IKEV2_CFG_ATTR_MIP6_HOME_PREFIX = 16,                   /* RFC 5026 */
	IKEV2_CFG_ATTR_INTERNAL_IP6_LINK = 17,                  /* RFC 5739 */
	IKEV2_CFG_ATTR_INTERNAL_IP6_PREFIX = 18,                /* RFC 5739 */
	IKEV2_CFG_ATTR_HOME_AGENT_ADDRESS = 19,                 /* 3GPP TS 24.302 */
	IKEV2_CFG_ATTR_P_CSCF_IP4_ADDRESS = 20,                 /* RFC 7651 */
	IKEV2_CFG_ATTR_P_CSCF_IP6_ADDRESS = 21,                 /* RFC 7651 */
	IKEV2_CFG_ATTR_FTT_KAT = 22,                            /* 3GPP TS 24.302 */
	IKEV2_CFG_ATTR_EXTERNAL_SOURCE_IP4_NAT_INFO = 23,       /* 3GPP TS 24.502 */
	IKEV2_CFG_ATTR_TIMEOUT_PERIOD_FOR_LIVENESS_CHECK = 24,  /* 3GPP TS 24.302 */
	IKEV2_CFG_ATTR_INTERNAL_DNS_DOMAIN = 25,                /* RFC 8598 */
	IKEV2_CFG_ATTR_INTERNAL_DNSSEC_TA = 26,                 /* RFC 8598 */
	IKEV2_CFG_ATTR_ENCDNS_IP4 = 27,                         /* RFC 9464 */
	IKEV2_CFG_ATTR_ENCDNS_IP6 = 28,                         /* RFC 9464 */
	IKEV2_CFG_ATTR_ENCDNS_DIGEST_INFO = 29,                 /* RFC 9464 */
};

/* IKEv2 Hash Algorithms, carried in N(SIGNATURE_HASH_ALGORITHMS)
 * (RFC 7427 §4).  8-1023 unassigned, 1024-65535 private use. */
enum ikev2_hash {
	IKEV2_HASH_SHA1 = 1,         /* RFC 7427 */
	IKEV2_HASH_SHA2_256 = 2,     /* RFC 7427 */
	IKEV2_HASH_SHA2_384 = 3,     /* RFC 7427 */
	IKEV2_HASH_SHA2_512 = 4,     /* RFC 7427 */
	IKEV2_HASH_IDENTITY = 5,     /* RFC 8420 */
	IKEV2_HASH_STREEBOG_256 = 6, /* RFC 9385 */
	IKEV2_HASH_STREEBOG_512 = 7, /* RFC 9385 */
};

/* EAP Codes of the message inside the EAP payload (RFC 3748 §4; RFC 7296
 * §3.16; 5 and 6 are EAP re-authentication, RFC 6696). */
enum ikev2_eap_code {
	IKEV2_EAP_REQUEST = 1,
	IKEV2_EAP_RESPONSE = 2,
	IKEV2_EAP_SUCCESS = 3,
	IKEV2_EAP_FAILURE = 4,
	IKEV2_EAP_INITIATE = 5, /* RFC 6696 */
	IKEV2_EAP_FINISH = 6,   /* RFC 6696 */
};

#endif /* OSPREY_IKEV2_CONST_H */
