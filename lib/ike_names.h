/*
 * ike_names.h - names for the IKEv1 and IKEv2 protocol numbers.
 *
 * Every function maps one registry of ikev2_const.h / ikev1_const.h to a
 * static string, and returns NULL for a value it does not know (reserved,
 * unassigned, private use).  Nothing here allocates or does I/O.
 *
 * Naming rule: the returned string is the enum constant with a fixed,
 * per-table prefix removed.  The prefixes are chosen so that the result is
 * the IANA identifier wherever IANA has an identifier-style name:
 *
 *   function                    prefix removed      example result
 *   ikev2_exchange_name         IKEV2_EXCH_         "IKE_SA_INIT"
 *   ikev2_notify_name           IKEV2_N_            "NAT_DETECTION_SOURCE_IP"
 *   ikev2_transform_type_name   IKEV2_TT_           "ENCR", "ADDKE1"
 *   ikev2_transform_id_name     IKEV2_              "ENCR_AES_GCM_16",
 *                                                   "PRF_HMAC_SHA2_256",
 *                                                   "INTEG_HMAC_SHA2_256_128",
 *                                                   "GROUP_CURVE25519",
 *                                                   "ESN_YES"
 *   ikev2_protocol_name         IKEV2_PROTO_        "ESP"
 *   ikev2_auth_method_name      IKEV2_AUTH_         "DIGITAL_SIGNATURE"
 *   ikev2_id_type_name          IKEV2_              "ID_FQDN"
 *   ikev2_cert_encoding_name    IKEV2_CERT_         "X509_SIG"
 *   ikev2_ts_type_name          IKEV2_              "TS_IPV4_ADDR_RANGE"
 *   ikev2_cfg_type_name         IKEV2_              "CFG_REQUEST"
 *   ikev2_cfg_attr_name         IKEV2_CFG_ATTR_     "INTERNAL_IP4_ADDRESS"
 *   ikev2_hash_name             IKEV2_HASH_         "SHA2_256"
 *
 *   ikev1_exchange_name         IKEV1_EXCH_         "MAIN", "QUICK"
 *   ikev1_notify_name           IKEV1_N_            "R_U_THERE"
 *   ikev1_protocol_name         IKEV1_PROTO_        "ESP"
 *   ikev1_transform_id_name     IKEV1_              "KEY_IKE", "ESP_AES",
 *                                                   "AH_SHA", "IPCOMP_DEFLATE"
 *   ikev1_attr_name             IKEV1_ATTR_         "ENCRYPTION_ALGORITHM"
 *   ikev1_attr_value_name       IKEV1_              "ENCR_AES_CBC", "HASH_SHA",
 *                                                   "AUTH_XAUTH_INIT_PSK",
 *                                                   "GROUP_MODP_2048",
 *                                                   "GROUP_TYPE_ECP",
 *                                                   "LIFE_SECONDS"
 *   ikev1_ipsec_attr_name       IKEV1_IPSEC_ATTR_   "ENCAPSULATION_MODE"
 *   ikev1_ipsec_attr_value_name IKEV1_              "ENCAP_TUNNEL",
 *                                                   "AUTH_ALG_HMAC_SHA2_256"
 *   ikev1_id_type_name          IKEV1_              "ID_USER_FQDN"
 *   ikev1_cert_encoding_name    IKEV1_CERT_         "X509_SIG"
 *   ikev1_cfg_type_name         IKEV1_              "CFG_REPLY"
 *   ikev1_cfg_attr_name         IKEV1_CFG_ATTR_     "INTERNAL_IP4_DNS"
 *                               IKEV1_ (XAUTH)      "XAUTH_USER_NAME"
 *                               IKEV1_ (Unity)      "UNITY_BANNER"
 *
 * In short: a value *inside a transform or attribute* keeps its kind
 * ("ENCR_", "GROUP_", "AUTH_ALG_", ...) so the string is unambiguous on
 * its own; everything else is the bare registry name.  IKEv1 notify names
 * use underscores where RFC 2408 uses hyphens ("INVALID_PAYLOAD_TYPE").
 *
 * Payload names are the exception: *_payload_name() gives the long
 * registry description ("Security Association") and *_payload_short() the
 * notation used in message summaries ("SA", "No", "N", "TSi", ...).
 */
#ifndef OSPREY_IKE_NAMES_H
#define OSPREY_IKE_NAMES_H

/* IKEv2 (ikev2_const.h) */
const char *ikev2_exchange_name(unsigned exchange);
const char *ikev2_payload_name(unsigned payload);
const char *ikev2_payload_short(unsigned payload);
const char *ikev2_notify_name(unsigned type);
const char *ikev2_transform_type_name(unsigned type);
/* type is an IKEV2_TT_*; ADDKE1..ADDKE7 use the KE method (IKEV2_GROUP_*)
 * table, like IKEV2_TT_KE. */
const char *ikev2_transform_id_name(unsigned type, unsigned id);
const char *ikev2_protocol_name(unsigned proto);
const char *ikev2_auth_method_name(unsigned method);
const char *ikev2_id_type_name(unsigned type);
const char *ikev2_cert_encoding_name(unsigned encoding);
const char *ikev2_ts_type_name(unsigned type);
const char *ikev2_cfg_type_name(unsigned type);
/* type without the reserved top bit */
const char *ikev2_cfg_attr_name(unsigned type);
const char *ikev2_hash_name(unsigned hash);

/* Nonzero when t is a Notify Error Type (t < 16384, RFC 7296 §3.10.1). */
int ikev2_notify_is_error(unsigned t);

/* IKEv1 (ikev1_const.h) */
const char *ikev1_exchange_name(unsigned exchange);
const char *ikev1_payload_name(unsigned payload);
const char *ikev1_payload_short(unsigned payload);
const char *ikev1_notify_name(unsigned type);
const char *ikev1_protocol_name(unsigned proto);
/* proto is an IKEV1_PROTO_* (ISAKMP, AH, ESP, IPCOMP). */
const char *ikev1_transform_id_name(unsigned proto, unsigned id);
/* Phase-1 (RFC 2409 Appendix A) attribute types, without the AF bit. */
const char *ikev1_attr_name(unsigned type);
/* Values of the phase-1 attributes that have registered values: encryption,
 * hash, authentication method, group description, group type, life type. */
const char *ikev1_attr_value_name(unsigned type, unsigned value);
/* Phase-2 IPsec DOI (RFC 2407 §4.5) attribute types, without the AF bit. */
const char *ikev1_ipsec_attr_name(unsigned type);
/* Values of the IPsec DOI attributes that have registered values: SA life
 * type, group description, encapsulation mode, authentication algorithm,
 * ECN tunnel, extended sequence number, signature encoding, address
 * preservation, SA direction. */
const char *ikev1_ipsec_attr_value_name(unsigned type, unsigned value);
const char *ikev1_id_type_name(unsigned type);
const char *ikev1_cert_encoding_name(unsigned encoding);
const char *ikev1_cfg_type_name(unsigned type);
/* Mode Config, XAUTH and Cisco Unity attribute types, without the AF bit. */
const char *ikev1_cfg_attr_name(unsigned type);

/*
 * For log lines: returns name when it is not NULL, otherwise writes value in
 * decimal into buf and returns buf.  Typical use:
 *	char num[16];
 *	ike_name_or_number(ikev2_notify_name(t), t, num);
 */
const char *ike_name_or_number(const char *name, unsigned value, char buf[static 16]);

#endif /* OSPREY_IKE_NAMES_H */
