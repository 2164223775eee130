/*
 * ikev1_const.h - IKEv1 / ISAKMP protocol numbers.
 *
 * One plain C enum per registry: ISAKMP (RFC 2408), the IPsec DOI
 * (RFC 2407), IKE phase-1 attributes (RFC 2409 Appendix A), NAT traversal
 * (RFC 3947), Dead Peer Detection (RFC 3706), Mode Config
 * (draft-ietf-ipsec-isakmp-mode-cfg-05), XAUTH (draft-beaulieu-ike-xauth-02)
 * and the Cisco Unity extensions as commonly documented.  The IANA copies
 * are the "isakmp-registry" and "ipsec-registry" registries.
 *
 * Name lookups for these numbers live in ike_names.h.
 */
#ifndef OSPREY_IKEV1_CONST_H
#define OSPREY_IKEV1_CONST_H

/* The AF (attribute format) bit of a data attribute's type field: set means
 * TV, clear means TLV (RFC 2408 §3.3).  Shared with ikev2_const.h. */
#ifndef OSPREY_IKE_ATTR_AF_DEFINED
#define OSPREY_IKE_ATTR_AF_DEFINED
enum { IKE_ATTR_AF = 0x8000 };
#endif

/* Version octet of the ISAKMP header: major 1, minor 0 (RFC 2408 §3.1). */
enum { IKEV1_VERSION = 0x10 };

/* ISAKMP header flags (RFC 2408 §3.1). */
enum ikev1_flag {
	IKEV1_FLAG_ENCRYPTION = 0x01, /* E: payloads after the header are encrypted */
	IKEV1_FLAG_COMMIT = 0x02,     /* C: commit bit */
	IKEV1_FLAG_AUTH_ONLY = 0x04,  /* A: authentication only */
};

/* Next Payload Types (RFC 2408 §3.1; GDOI RFC 6407; NAT-T RFC 3947).
 * 23-127 unassigned, 128-255 private use. */
enum ikev1_payload_type {
	IKEV1_PL_NONE = 0,
	IKEV1_PL_SA = 1,           /* Security Association (RFC 2408 §3.4) */
	IKEV1_PL_P = 2,            /* Proposal (§3.5) */
	IKEV1_PL_T = 3,            /* Transform (§3.6) */
	IKEV1_PL_KE = 4,           /* Key Exchange (§3.7) */
	IKEV1_PL_ID = 5,           /* Identification (§3.8) */
	IKEV1_PL_CERT = 6,         /* Certificate (§3.9) */
	IKEV1_PL_CR = 7,           /* Certificate Request (§3.10) */
	IKEV1_PL_HASH = 8,         /* Hash (§3.11) */
	IKEV1_PL_SIG = 9,          /* Signature (§3.12) */
	IKEV1_PL_NONCE = 10,       /* Nonce (§3.13) */
	IKEV1_PL_N = 11,           /* Notification (§3.14) */
	IKEV1_PL_D = 12,           /* Delete (§3.15) */
	IKEV1_PL_VID = 13,         /* Vendor ID (§3.16) */
	IKEV1_PL_ATTR = 14,        /* Attributes (Mode Config / XAUTH) */
	IKEV1_PL_SAK = 15,         /* SA KEK (GDOI, RFC 6407) */
	IKEV1_PL_SAT = 16,         /* SA TEK (RFC 6407) */
	IKEV1_PL_KD = 17,          /* Key Download (RFC 6407) */
	IKEV1_PL_SEQ = 18,         /* Sequence Number (RFC 6407) */
	IKEV1_PL_POP = 19,         /* Proof of Possession (RFC 3547) */
	IKEV1_PL_NATD = 20,        /* NAT Discovery (RFC 3947) */
	IKEV1_PL_NATOA = 21,       /* NAT Original Address (RFC 3947) */
	IKEV1_PL_GAP = 22,         /* Group Associated Policy (RFC 6407) */
	IKEV1_PL_NATD_DRAFT = 130, /* NAT-D, draft-ietf-ipsec-nat-t-ike-00..03 */
	IKEV1_PL_NATOA_DRAFT = 131, /* NAT-OA, same drafts */
	IKEV1_PL_FRAG = 132,       /* IKE fragment (Cisco/Microsoft, private use) */
};

/* Exchange Types (RFC 2408 §3.1; Quick Mode and New Group Mode are from
 * RFC 2409; Transaction is from the Mode Config draft).
 * 7-31 reserved, 34-239 DOI specific, 240-255 private use. */
enum ikev1_exchange {
	IKEV1_EXCH_NONE = 0,
	IKEV1_EXCH_BASE = 1,
	IKEV1_EXCH_MAIN = 2,          /* Identity Protection */
	IKEV1_EXCH_AUTH_ONLY = 3,     /* Authentication Only */
	IKEV1_EXCH_AGGRESSIVE = 4,
	IKEV1_EXCH_INFORMATIONAL = 5,
	IKEV1_EXCH_TRANSACTION = 6,   /* Mode Config / XAUTH */
	IKEV1_EXCH_QUICK = 32,        /* Quick Mode */
	IKEV1_EXCH_NEW_GROUP = 33,    /* New Group Mode */
};

/* Domain of Interpretation (RFC 2408 §3.4 and Appendix A; GDOI RFC 6407). */
enum ikev1_doi {
	IKEV1_DOI_ISAKMP = 0,
	IKEV1_DOI_IPSEC = 1,  /* RFC 2407 */
	IKEV1_DOI_GDOI = 2,   /* RFC 6407 */
};

/* IPsec DOI Situation bits (RFC 2407 §4.2). */
enum ikev1_situation {
	IKEV1_SIT_IDENTITY_ONLY = 0x01,
	IKEV1_SIT_SECRECY = 0x02,
	IKEV1_SIT_INTEGRITY = 0x04,
};

/* IPsec DOI Security Protocol Identifiers (RFC 2407 §4.4.1).  6-200
 * unassigned, 201-255 private use. */
enum ikev1_protocol {
	IKEV1_PROTO_ISAKMP = 1,
	IKEV1_PROTO_AH = 2,
	IKEV1_PROTO_ESP = 3,
	IKEV1_PROTO_IPCOMP = 4,
	IKEV1_PROTO_GIGABEAM_RADIO = 5, /* RFC 4705 */
};

/* IPsec ISAKMP Transform Identifiers (RFC 2407 §4.4.2). */
enum ikev1_isakmp_transform {
	IKEV1_KEY_IKE = 1,
};

/* IPsec AH Transform Identifiers (RFC 2407 §4.4.3).  0-1 reserved,
 * 14-248 unassigned, 249-255 private use. */
enum ikev1_ah_transform {
	IKEV1_AH_MD5 = 2,
	IKEV1_AH_SHA = 3,
	IKEV1_AH_DES = 4,
	IKEV1_AH_SHA2_256 = 5,      /* RFC 4868 */
	IKEV1_AH_SHA2_384 = 6,      /* RFC 4868 */
	IKEV1_AH_SHA2_512 = 7,      /* RFC 4868 */
	IKEV1_AH_RIPEMD = 8,        /* RFC 2857 */
	IKEV1_AH_AES_XCBC_MAC = 9,  /* RFC 3566 */
	IKEV1_AH_RSA = 10,          /* RFC 4359 */
	IKEV1_AH_AES_128_GMAC = 11, /* RFC 4543 */
	IKEV1_AH_AES_192_GMAC = 12, /* RFC 4543 */
	IKEV1_AH_AES_256_GMAC = 13, /* RFC 4543 */
};

/* IPsec ESP Transform Identifiers (RFC 2407 §4.4.4).  0 reserved,
 * 17 unassigned, 24-248 unassigned, 249-255 private use. */
enum ikev1_esp_transform {
	IKEV1_ESP_DES_IV64 = 1,
	IKEV1_ESP_DES = 2,
	IKEV1_ESP_3DES = 3,
	IKEV1_ESP_RC5 = 4,
	IKEV1_ESP_IDEA = 5,
	IKEV1_ESP_CAST = 6,
	IKEV1_ESP_BLOWFISH = 7,
	IKEV1_ESP_3IDEA = 8,
	IKEV1_ESP_DES_IV32 = 9,
	IKEV1_ESP_RC4 = 10,
	IKEV1_ESP_NULL = 11,
	IKEV1_ESP_AES = 12,                 /* AES-CBC, RFC 3602 */
	IKEV1_ESP_AES_CTR = 13,             /* RFC 3686 */
	IKEV1_ESP_AES_CCM_8 = 14,           /* RFC 4309 */
	IKEV1_ESP_AES_CCM_12 = 15,          /* RFC 4309 */
	IKEV1_ESP_AES_CCM_16 = 16,          /* RFC 4309 */
	IKEV1_ESP_AES_GCM_8 = 18,           /* RFC 4106 */
	IKEV1_ESP_AES_GCM_12 = 19,          /* RFC 4106 */
	IKEV1_ESP_AES_GCM_16 = 20,          /* RFC 4106 */
	IKEV1_ESP_SEED_CBC = 21,            /* RFC 4196 */
	IKEV1_ESP_CAMELLIA = 22,            /* RFC 4312 */
	IKEV1_ESP_NULL_AUTH_AES_GMAC = 23,  /* RFC 4543 */
};

/* IPsec IPCOMP Transform Identifiers (RFC 2407 §4.4.5). */
enum ikev1_ipcomp_transform {
	IKEV1_IPCOMP_OUI = 1,
	IKEV1_IPCOMP_DEFLATE = 2, /* RFC 2394 */
	IKEV1_IPCOMP_LZS = 3,     /* RFC 2395 */
	IKEV1_IPCOMP_LZJH = 4,    /* RFC 3051 */
};

/* IKE (phase 1) attribute classes (RFC 2409 Appendix A).  17-16383
 * unassigned, 16384-32767 private use.  "B" classes are basic (TV) and "V"
 * classes variable (TLV) per the RFC. */
enum ikev1_attr_type {
	IKEV1_ATTR_ENCRYPTION_ALGORITHM = 1, /* B */
	IKEV1_ATTR_HASH_ALGORITHM = 2,       /* B */
	IKEV1_ATTR_AUTHENTICATION_METHOD = 3, /* B */
	IKEV1_ATTR_GROUP_DESCRIPTION = 4,    /* B */
	IKEV1_ATTR_GROUP_TYPE = 5,           /* B */
	IKEV1_ATTR_GROUP_PRIME = 6,          /* V, prime / irreducible polynomial */
	IKEV1_ATTR_GROUP_GENERATOR_ONE = 7,  /* V */
	IKEV1_ATTR_GROUP_GENERATOR_TWO = 8,  /* V */
	IKEV1_ATTR_GROUP_CURVE_A = 9,        /* V */
	IKEV1_ATTR_GROUP_CURVE_B = 10,       /* V */
	IKEV1_ATTR_LIFE_TYPE = 11,           /* B */
	IKEV1_ATTR_LIFE_DURATION = 12,       /* V */
	IKEV1_ATTR_PRF = 13,                 /* B, no values assigned */
	IKEV1_ATTR_KEY_LENGTH = 14,          /* B */
	IKEV1_ATTR_FIELD_SIZE = 15,          /* B */
	IKEV1_ATTR_GROUP_ORDER = 16,         /* V */
};

/* Encryption Algorithm attribute values (RFC 2409 Appendix A; AES RFC 3602,
 * Camellia RFC 4312).  The short names are the primary ones; the *_CBC
 * spellings follow the IANA registry text. */
enum ikev1_encr {
	IKEV1_ENCR_DES_CBC = 1,
	IKEV1_ENCR_IDEA = 2,
	IKEV1_ENCR_BLOWFISH = 3,
	IKEV1_ENCR_RC5 = 4,          /* RC5-R16-B64-CBC */
	IKEV1_ENCR_3DES_CBC = 5,
	IKEV1_ENCR_CAST = 6,
	IKEV1_ENCR_AES_CBC = 7,      /* RFC 3602 */
	IKEV1_ENCR_CAMELLIA_CBC = 8, /* RFC 4312 */
	IKEV1_ENCR_IDEA_CBC = IKEV1_ENCR_IDEA,
	IKEV1_ENCR_BLOWFISH_CBC = IKEV1_ENCR_BLOWFISH,
	IKEV1_ENCR_RC5_R16_B64_CBC = IKEV1_ENCR_RC5,
	IKEV1_ENCR_CAST_CBC = IKEV1_ENCR_CAST,
};

/* Hash Algorithm attribute values (RFC 2409 Appendix A; SHA-2 RFC 4868). */
enum ikev1_hash {
	IKEV1_HASH_MD5 = 1,
	IKEV1_HASH_SHA = 2,
	IKEV1_HASH_TIGER = 3,
	IKEV1_HASH_SHA2_256 = 4,
	IKEV1_HASH_SHA2_384 = 5,
	IKEV1_HASH_SHA2_512 = 6,
};

/* Authentication Method attribute values (RFC 2409 Appendix A; ECDSA
 * RFC 4754; hybrid auth draft-ietf-ipsec-isakmp-hybrid-auth-05; XAUTH
 * draft-beaulieu-ike-xauth-02).  6-8 are reserved (El-Gamal and
 * plain ECDSA were never specified), 65001-65010 are the XAUTH variants of
 * methods 1-5 (initiator / responder). */
enum ikev1_auth_method {
	IKEV1_AUTH_PSK = 1,
	IKEV1_AUTH_DSS_SIG = 2,
	IKEV1_AUTH_RSA_SIG = 3,
	IKEV1_AUTH_RSA_ENC = 4,
	IKEV1_AUTH_RSA_ENC_REV = 5,
	IKEV1_AUTH_ECDSA_SHA256 = 9,   /* P-256, RFC 4754 */
	IKEV1_AUTH_ECDSA_SHA384 = 10,  /* P-384, RFC 4754 */
	IKEV1_AUTH_ECDSA_SHA512 = 11,  /* P-521, RFC 4754 */
	IKEV1_AUTH_HYBRID_INIT_RSA = 64221,
	IKEV1_AUTH_HYBRID_RESP_RSA = 64222,
	IKEV1_AUTH_HYBRID_INIT_DSS = 64223,
	IKEV1_AUTH_HYBRID_RESP_DSS = 64224,
	IKEV1_AUTH_XAUTH_INIT_PSK = 65001,
	IKEV1_AUTH_XAUTH_RESP_PSK = 65002,
	IKEV1_AUTH_XAUTH_INIT_DSS = 65003,
	IKEV1_AUTH_XAUTH_RESP_DSS = 65004,
	IKEV1_AUTH_XAUTH_INIT_RSA = 65005,
	IKEV1_AUTH_XAUTH_RESP_RSA = 65006,
	IKEV1_AUTH_XAUTH_INIT_RSA_ENC = 65007,
	IKEV1_AUTH_XAUTH_RESP_RSA_ENC = 65008,
	IKEV1_AUTH_XAUTH_INIT_RSA_ENC_REV = 65009,
	IKEV1_AUTH_XAUTH_RESP_RSA_ENC_REV = 65010,
};

/* Group Description attribute values, phase 1 and phase 2 (RFC 2409 §6 and
 * Appendix A; the numbers are shared with IKEv2 Transform Type 4 where both
 * define them).  IKEv1 keeps the EC2N groups 3, 4 and 6-13; the IKEv2-only
 * values from 31 up are not registered for IKEv1. */
enum ikev1_group {
	IKEV1_GROUP_MODP_768 = 1,        /* RFC 2409 §6.1 */
	IKEV1_GROUP_MODP_1024 = 2,       /* RFC 2409 §6.2 */
	IKEV1_GROUP_EC2N_155 = 3,        /* RFC 2409 §6.3, GF[2^155] */
	IKEV1_GROUP_EC2N_185 = 4,        /* RFC 2409 §6.4, GF[2^185] */
	IKEV1_GROUP_MODP_1536 = 5,       /* RFC 3526 */
	IKEV1_GROUP_EC2N_163A = 6,       /* GF[2^163] */
	IKEV1_GROUP_EC2N_163B = 7,       /* GF[2^163] */
	IKEV1_GROUP_EC2N_283A = 8,       /* GF[2^283] */
	IKEV1_GROUP_EC2N_283B = 9,       /* GF[2^283] */
	IKEV1_GROUP_EC2N_409A = 10,      /* GF[2^409] */
	IKEV1_GROUP_EC2N_409B = 11,      /* GF[2^409] */
	IKEV1_GROUP_EC2N_571A = 12,      /* GF[2^571] */
	IKEV1_GROUP_EC2N_571B = 13,      /* GF[2^571] */
	IKEV1_GROUP_MODP_2048 = 14,      /* RFC 3526 */
	IKEV1_GROUP_MODP_3072 = 15,      /* RFC 3526 */
	IKEV1_GROUP_MODP_4096 = 16,      /* RFC 3526 */
	IKEV1_GROUP_MODP_6144 = 17,      /* RFC 3526 */
	IKEV1_GROUP_MODP_8192 = 18,      /* RFC 3526 */
	IKEV1_GROUP_ECP_256 = 19,        /* RFC 5903 */
	IKEV1_GROUP_ECP_384 = 20,        /* RFC 5903 */
	IKEV1_GROUP_ECP_521 = 21,        /* RFC 5903 */
	IKEV1_GROUP_MODP_1024_160 = 22,  /* RFC 5114 */
	IKEV1_GROUP_MODP_2048_224 = 23,  /* RFC 5114 */
	IKEV1_GROUP_MODP_2048_256 = 24,  /* RFC 5114 */
	IKEV1_GROUP_ECP_192 = 25,        /* RFC 5114 */
	IKEV1_GROUP_ECP_224 = 26,        /* RFC 5114 */
	IKEV1_GROUP_BRAINPOOL_P224 = 27, /* RFC 6954 */
	IKEV1_GROUP_BRAINPOOL_P256 = 28, /* RFC 6954 */
	IKEV1_GROUP_BRAINPOOL_P384 = 29, /* RFC 6954 */
	IKEV1_GROUP_BRAINPOOL_P512 = 30, /* RFC 6954 */
};

/* Group Type attribute values (RFC 2409 Appendix A). */
enum ikev1_group_type {
	IKEV1_GROUP_TYPE_MODP = 1,
	IKEV1_GROUP_TYPE_ECP = 2,
	IKEV1_GROUP_TYPE_EC2N = 3,
};

/* Life Type values, for both the phase-1 Life Type attribute (RFC 2409
 * Appendix A) and the IPsec SA Life Type attribute (RFC 2407 §4.5). */
enum ikev1_life_type {
	IKEV1_LIFE_SECONDS = 1,
	IKEV1_LIFE_KILOBYTES = 2,
};

/* IPsec DOI SA attributes, phase 2 (RFC 2407 §4.5).  16-32000 unassigned,
 * 32001-32767 private use. */
enum ikev1_ipsec_attr_type {
	IKEV1_IPSEC_ATTR_SA_LIFE_TYPE = 1,
	IKEV1_IPSEC_ATTR_SA_LIFE_DURATION = 2,
	IKEV1_IPSEC_ATTR_GROUP_DESCRIPTION = 3,
	IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE = 4,
	IKEV1_IPSEC_ATTR_AUTH_ALGORITHM = 5,
	IKEV1_IPSEC_ATTR_KEY_LENGTH = 6,
	IKEV1_IPSEC_ATTR_KEY_ROUNDS = 7,
	IKEV1_IPSEC_ATTR_COMP_DICT_SIZE = 8,
	IKEV1_IPSEC_ATTR_COMP_PRIVATE_ALG = 9,
	IKEV1_IPSEC_ATTR_ECN_TUNNEL = 10,        /* RFC 3168 */
	IKEV1_IPSEC_ATTR_EXT_SEQ_NUM = 11,       /* RFC 4304 */
	IKEV1_IPSEC_ATTR_AUTH_KEY_LENGTH = 12,   /* RFC 4359 */
	IKEV1_IPSEC_ATTR_SIG_ENC_ALGORITHM = 13, /* RFC 4359 */
	IKEV1_IPSEC_ATTR_ADDR_PRESERVATION = 14, /* RFC 6407 */
	IKEV1_IPSEC_ATTR_SA_DIRECTION = 15,      /* RFC 6407 */
};

/* Encapsulation Mode values (RFC 2407 §4.5; UDP modes RFC 3947; the
 * 61443/61444 values are the pre-RFC NAT-T drafts, in private use). */
enum ikev1_encap_mode {
	IKEV1_ENCAP_TUNNEL = 1,
	IKEV1_ENCAP_TRANSPORT = 2,
	IKEV1_ENCAP_UDP_TUNNEL_RFC = 3,
	IKEV1_ENCAP_UDP_TRANSPORT_RFC = 4,
	IKEV1_ENCAP_UDP_TUNNEL_DRAFT = 61443,
	IKEV1_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

/* Authentication Algorithm values of the IPsec SA attribute (RFC 2407
 * §4.5).  14-61439 unassigned, 61440-65535 private use. */
enum ikev1_auth_alg {
	IKEV1_AUTH_ALG_HMAC_MD5 = 1,
	IKEV1_AUTH_ALG_HMAC_SHA = 2,
	IKEV1_AUTH_ALG_DES_MAC = 3,
	IKEV1_AUTH_ALG_KPDK = 4,
	IKEV1_AUTH_ALG_HMAC_SHA2_256 = 5, /* RFC 4868 */
	IKEV1_AUTH_ALG_HMAC_SHA2_384 = 6, /* RFC 4868 */
	IKEV1_AUTH_ALG_HMAC_SHA2_512 = 7, /* RFC 4868 */
	IKEV1_AUTH_ALG_HMAC_RIPEMD = 8,   /* RFC 2857 */
	IKEV1_AUTH_ALG_AES_XCBC_MAC = 9,  /* RFC 3566 */
	IKEV1_AUTH_ALG_SIG_RSA = 10,      /* RFC 4359 */
	IKEV1_AUTH_ALG_AES_128_GMAC = 11, /* RFC 4543 */
	IKEV1_AUTH_ALG_AES_192_GMAC = 12, /* RFC 4543 */
	IKEV1_AUTH_ALG_AES_256_GMAC = 13, /* RFC 4543 */
};

/* ECN Tunnel attribute values (RFC 3168). */
enum ikev1_ecn_tunnel {
	IKEV1_ECN_ALLOWED = 1,
	IKEV1_ECN_FORBIDDEN = 2,
};

/* Extended (64-bit) Sequence Number attribute values (RFC 4304). */
enum ikev1_ext_seq {
	IKEV1_EXT_SEQ_64BIT = 1,
};

/* Signature Encoding Algorithm attribute values (RFC 4359). */
enum ikev1_sig_enc {
	IKEV1_SIG_ENC_RSASSA_PKCS1_V1_5 = 1,
	IKEV1_SIG_ENC_RSASSA_PSS = 2,
};

/* Address Preservation attribute values (RFC 6407). */
enum ikev1_addr_preservation {
	IKEV1_ADDR_PRESERVE_NONE = 1,
	IKEV1_ADDR_PRESERVE_SOURCE_ONLY = 2,
	IKEV1_ADDR_PRESERVE_DESTINATION_ONLY = 3,
	IKEV1_ADDR_PRESERVE_SOURCE_AND_DESTINATION = 4,
};

/* SA Direction attribute values (RFC 6407). */
enum ikev1_sa_direction {
	IKEV1_SA_DIRECTION_SENDER_ONLY = 1,
	IKEV1_SA_DIRECTION_RECEIVER_ONLY = 2,
	IKEV1_SA_DIRECTION_SYMMETRIC = 3,
};

/* IPsec DOI Identification Types (RFC 2407 §4.6.2.1; ID_LIST RFC 3554).
 * 13-248 unassigned, 249-255 private use. */
enum ikev1_id_type {
	IKEV1_ID_IPV4_ADDR = 1,
	IKEV1_ID_FQDN = 2,
	IKEV1_ID_USER_FQDN = 3,
	IKEV1_ID_IPV4_ADDR_SUBNET = 4,
	IKEV1_ID_IPV6_ADDR = 5,
	IKEV1_ID_IPV6_ADDR_SUBNET = 6,
	IKEV1_ID_IPV4_ADDR_RANGE = 7,
	IKEV1_ID_IPV6_ADDR_RANGE = 8,
	IKEV1_ID_DER_ASN1_DN = 9,
	IKEV1_ID_DER_ASN1_GN = 10,
	IKEV1_ID_KEY_ID = 11,
	IKEV1_ID_LIST = 12, /* RFC 3554 */
};

/* Certificate Encodings (RFC 2408 §3.9).  11-255 reserved. */
enum ikev1_cert_encoding {
	IKEV1_CERT_NONE = 0,
	IKEV1_CERT_PKCS7_X509 = 1,     /* PKCS #7 wrapped X.509 certificate */
	IKEV1_CERT_PGP = 2,            /* PGP certificate */
	IKEV1_CERT_DNS_SIGNED_KEY = 3, /* DNS signed key */
	IKEV1_CERT_X509_SIG = 4,       /* X.509 certificate - signature */
	IKEV1_CERT_X509_KE = 5,        /* X.509 certificate - key exchange */
	IKEV1_CERT_KERBEROS = 6,       /* Kerberos tokens */
	IKEV1_CERT_CRL = 7,            /* certificate revocation list */
	IKEV1_CERT_ARL = 8,            /* authority revocation list */
	IKEV1_CERT_SPKI = 9,           /* SPKI certificate */
	IKEV1_CERT_X509_ATTR = 10,     /* X.509 certificate - attribute */
};

/* Notify Message Types (RFC 2408 §3.14.1).  The RFC spells the names with
 * hyphens; here they use underscores.  Errors: 1-30 (31-8191 reserved,
 * 8192-16383 private use).  Status: 16384 (16385-24575 reserved),
 * 24576-32767 DOI specific (RFC 2407 §4.6.3), 32768-40959 private use,
 * 40960-65535 reserved. */
enum ikev1_notify_type {
	IKEV1_N_INVALID_PAYLOAD_TYPE = 1,
	IKEV1_N_DOI_NOT_SUPPORTED = 2,
	IKEV1_N_SITUATION_NOT_SUPPORTED = 3,
	IKEV1_N_INVALID_COOKIE = 4,
	IKEV1_N_INVALID_MAJOR_VERSION = 5,
	IKEV1_N_INVALID_MINOR_VERSION = 6,
	IKEV1_N_INVALID_EXCHANGE_TYPE = 7,
	IKEV1_N_INVALID_FLAGS = 8,
	IKEV1_N_INVALID_MESSAGE_ID = 9,
	IKEV1_N_INVALID_PROTOCOL_ID = 10,
	IKEV1_N_INVALID_SPI = 11,
	IKEV1_N_INVALID_TRANSFORM_ID = 12,
	IKEV1_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	IKEV1_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV1_N_BAD_PROPOSAL_SYNTAX = 15,
	IKEV1_N_PAYLOAD_MALFORMED = 16,
	IKEV1_N_INVALID_KEY_INFORMATION = 17,
	IKEV1_N_INVALID_ID_INFORMATION = 18,
	IKEV1_N_INVALID_CERT_ENCODING = 19,
	IKEV1_N_INVALID_CERTIFICATE = 20,
	IKEV1_N_CERT_TYPE_UNSUPPORTED = 21,
	IKEV1_N_INVALID_CERT_AUTHORITY = 22,
	IKEV1_N_INVALID_HASH_INFORMATION = 23,
	IKEV1_N_AUTHENTICATION_FAILED = 24,
	IKEV1_N_INVALID_SIGNATURE = 25,
	IKEV1_N_ADDRESS_NOTIFICATION = 26,
	IKEV1_N_NOTIFY_SA_LIFETIME = 27,
	IKEV1_N_CERTIFICATE_UNAVAILABLE = 28,
	IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
	IKEV1_N_CONNECTED = 16384,
	IKEV1_N_RESPONDER_LIFETIME = 24576, /* RFC 2407 §4.6.3.1 */
	IKEV1_N_REPLAY_STATUS = 24577,      /* RFC 2407 §4.6.3.2 */
	IKEV1_N_INITIAL_CONTACT = 24578,    /* RFC 2407 §4.6.3.3 */
	IKEV1_N_R_U_THERE = 36136,          /* RFC 3706 (DPD) */
	IKEV1_N_R_U_THERE_ACK = 36137,      /* RFC 3706 (DPD) */
	/* Microsoft extensions, private use ([MS-IKEE] §2.2.6) */
	IKEV1_N_MS_NOTIFY_STATUS = 40003,     /* 0x9C43 */
	IKEV1_N_MS_NOTIFY_DOS_COOKIE = 40004, /* 0x9C44 */
	IKEV1_N_MS_EXCHANGE_INFO = 40005,     /* 0x9C45 */
	/* Cisco Unity, private use */
	IKEV1_N_UNITY_LOAD_BALANCE = 40501,
	IKEV1_N_UNITY_GROUP_HASH = 40503,
};

/* First status notify; 1-16383 are errors (RFC 2408 §3.14.1). */
enum { IKEV1_N_STATUS_MIN = 16384 };

/* Mode Config message types in the Attribute payload
 * (draft-ietf-ipsec-isakmp-mode-cfg-05).  5-127 reserved,
 * 128-255 private use. */
enum ikev1_cfg_type {
	IKEV1_CFG_REQUEST = 1,
	IKEV1_CFG_REPLY = 2,
	IKEV1_CFG_SET = 3,
	IKEV1_CFG_ACK = 4,
};

/* Mode Config attribute types (draft-ietf-ipsec-isakmp-mode-cfg-05).
 * 16-16383 reserved, 16384-32767 private use (XAUTH and Unity live there). */
enum ikev1_cfg_attr_type {
	IKEV1_CFG_ATTR_INTERNAL_IP4_ADDRESS = 1,
	IKEV1_CFG_ATTR_INTERNAL_IP4_NETMASK = 2,
	IKEV1_CFG_ATTR_INTERNAL_IP4_DNS = 3,
	IKEV1_CFG_ATTR_INTERNAL_IP4_NBNS = 4,
	IKEV1_CFG_ATTR_INTERNAL_ADDRESS_EXPIRY = 5,
	IKEV1_CFG_ATTR_INTERNAL_IP4_DHCP = 6,
	IKEV1_CFG_ATTR_APPLICATION_VERSION = 7,
	IKEV1_CFG_ATTR_INTERNAL_IP6_ADDRESS = 8,
	IKEV1_CFG_ATTR_INTERNAL_IP6_NETMASK = 9,
	IKEV1_CFG_ATTR_INTERNAL_IP6_DNS = 10,
	IKEV1_CFG_ATTR_INTERNAL_IP6_NBNS = 11,
	IKEV1_CFG_ATTR_INTERNAL_IP6_DHCP = 12,
	IKEV1_CFG_ATTR_INTERNAL_IP4_SUBNET = 13,
	IKEV1_CFG_ATTR_SUPPORTED_ATTRIBUTES = 14,
	IKEV1_CFG_ATTR_INTERNAL_IP6_SUBNET = 15,
};

/* XAUTH attribute types, carried in Mode Config
 * (draft-beaulieu-ike-xauth-02). */
enum ikev1_xauth_attr {
	IKEV1_XAUTH_TYPE = 16520,
	IKEV1_XAUTH_USER_NAME = 16521,
	IKEV1_XAUTH_USER_PASSWORD = 16522,
	IKEV1_XAUTH_PASSCODE = 16523,
	IKEV1_XAUTH_MESSAGE = 16524,
	IKEV1_XAUTH_CHALLENGE = 16525,
	IKEV1_XAUTH_DOMAIN = 16526,
	IKEV1_XAUTH_STATUS = 16527,
	IKEV1_XAUTH_NEXT_PIN = 16528,
	IKEV1_XAUTH_ANSWER = 16529,
};

/* Values of the XAUTH_TYPE attribute (draft-beaulieu-ike-xauth-02). */
enum ikev1_xauth_type {
	IKEV1_XAUTH_TYPE_GENERIC = 0,
	IKEV1_XAUTH_TYPE_RADIUS_CHAP = 1,
	IKEV1_XAUTH_TYPE_OTP = 2,
	IKEV1_XAUTH_TYPE_SKEY = 3,
};

/* Values of the XAUTH_STATUS attribute (draft-beaulieu-ike-xauth-02). */
enum ikev1_xauth_status {
	IKEV1_XAUTH_STATUS_FAIL = 0,
	IKEV1_XAUTH_STATUS_OK = 1,
};

/* Cisco Unity Mode Config attribute types (vendor extension, private-use
 * range; no RFC).  28675 is also seen as SPLIT_DOMAIN and 28678 as
 * SPLIT_EXCLUDE in other tools. */
enum ikev1_unity_attr {
	IKEV1_UNITY_BANNER = 28672,
	IKEV1_UNITY_SAVE_PASSWD = 28673,
	IKEV1_UNITY_DEF_DOMAIN = 28674,
	IKEV1_UNITY_SPLIT_DNS_NAME = 28675,
	IKEV1_UNITY_SPLIT_INCLUDE = 28676,
	IKEV1_UNITY_NATT_PORT = 28677,
	IKEV1_UNITY_LOCAL_LAN = 28678,
	IKEV1_UNITY_PFS = 28679,
	IKEV1_UNITY_FW_TYPE = 28680,
	IKEV1_UNITY_BACKUP_SERVERS = 28681,
	IKEV1_UNITY_DDNS_HOSTNAME = 28682,
};

#endif /* OSPREY_IKEV1_CONST_H */
