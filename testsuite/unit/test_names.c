/*
 * test_names.c - protocol numbers (ikev1_const.h, ikev2_const.h) and their
 * names (ike_names.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ike_names.h"
#include "ikev1_const.h"
#include "ikev2_const.h"

/* assert_string_equal() must not see NULL */
#define assert_name(expr, expected)                                                      \
	do {                                                                             \
		const char *name_ = (expr);                                              \
		assert_non_null(name_);                                                  \
		assert_string_equal(name_, (expected));                                  \
	} while (0)

/* The numbers other code relies on, checked against the registries. */
static void test_v2_numbers(void **state)
{
	(void)state;
	assert_int_equal(IKEV2_VERSION, 0x20);
	assert_int_equal(IKEV2_FLAG_INITIATOR, 0x08);
	assert_int_equal(IKEV2_FLAG_RESPONSE, 0x20);
	assert_int_equal(IKE_ATTR_AF, 0x8000);
	assert_int_equal(IKEV2_EXCH_IKE_SA_INIT, 34);
	assert_int_equal(IKEV2_EXCH_INFORMATIONAL, 37);
	assert_int_equal(IKEV2_EXCH_GSA_INBAND_REKEY, 42);
	assert_int_equal(IKEV2_EXCH_IKE_INTERMEDIATE, 43);
	assert_int_equal(IKEV2_EXCH_IKE_FOLLOWUP_KE, 44);
	assert_int_equal(IKEV2_PL_SA, 33);
	assert_int_equal(IKEV2_PL_SK, 46);
	assert_int_equal(IKEV2_PL_SKF, 53);
	assert_int_equal(IKEV2_PL_PS, 54);

	/* Notify types, RFC 7296 §3.10.1 and later RFCs */
	assert_int_equal(IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, 1);
	assert_int_equal(IKEV2_N_INVALID_IKE_SPI, 4);
	assert_int_equal(IKEV2_N_INVALID_SYNTAX, 7);
	assert_int_equal(IKEV2_N_NO_PROPOSAL_CHOSEN, 14);
	assert_int_equal(IKEV2_N_INVALID_KE_PAYLOAD, 17);
	assert_int_equal(IKEV2_N_AUTHENTICATION_FAILED, 24);
	assert_int_equal(IKEV2_N_TS_UNACCEPTABLE, 38);
	assert_int_equal(IKEV2_N_TEMPORARY_FAILURE, 43);
	assert_int_equal(IKEV2_N_CHILD_SA_NOT_FOUND, 44);
	assert_int_equal(IKEV2_N_STATE_NOT_FOUND, 47);
	assert_int_equal(IKEV2_N_INITIAL_CONTACT, 16384);
	assert_int_equal(IKEV2_N_NAT_DETECTION_SOURCE_IP, 16388);
	assert_int_equal(IKEV2_N_NAT_DETECTION_DESTINATION_IP, 16389);
	assert_int_equal(IKEV2_N_COOKIE, 16390);
	assert_int_equal(IKEV2_N_USE_TRANSPORT_MODE, 16391);
	assert_int_equal(IKEV2_N_REKEY_SA, 16393);
	assert_int_equal(IKEV2_N_MOBIKE_SUPPORTED, 16396);
	assert_int_equal(IKEV2_N_REDIRECT, 16407);
	assert_int_equal(IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, 16430);
	assert_int_equal(IKEV2_N_SIGNATURE_HASH_ALGORITHMS, 16431);
	assert_int_equal(IKEV2_N_USE_PPK, 16435);
	assert_int_equal(IKEV2_N_INTERMEDIATE_EXCHANGE_SUPPORTED, 16438);
	assert_int_equal(IKEV2_N_ADDITIONAL_KEY_EXCHANGE, 16441);
	assert_int_equal(IKEV2_N_USE_AGGFRAG, 16442);
	assert_int_equal(IKEV2_N_SUPPORTED_AUTH_METHODS, 16443);

	assert_int_equal(IKEV2_TT_ESN, 5);
	assert_int_equal(IKEV2_TT_ADDKE1, 6);
	assert_int_equal(IKEV2_TT_ADDKE7, 12);
	assert_int_equal(IKEV2_ENCR_AES_GCM_16, 20);
	assert_int_equal(IKEV2_ENCR_CHACHA20_POLY1305, 28);
	assert_int_equal(IKEV2_PRF_HMAC_SHA2_256, 5);
	assert_int_equal(IKEV2_INTEG_HMAC_SHA2_512_256, 14);
	assert_int_equal(IKEV2_GROUP_MODP_2048, 14);
	assert_int_equal(IKEV2_GROUP_CURVE25519, 31);
	assert_int_equal(IKEV2_GROUP_ML_KEM_768, 36);
	assert_int_equal(IKEV2_ATTR_KEY_LENGTH, 14);
	assert_int_equal(IKEV2_AUTH_DIGITAL_SIGNATURE, 14);
	assert_int_equal(IKEV2_CERT_HASH_URL_X509, 12);
	assert_int_equal(IKEV2_TS_SECLABEL, 10);
	assert_int_equal(IKEV2_CFG_ATTR_INTERNAL_IP6_SUBNET, 15);
	assert_int_equal(IKEV2_HASH_IDENTITY, 5);
}

static void test_v2_names(void **state)
{
	(void)state;
	assert_name(ikev2_exchange_name(IKEV2_EXCH_IKE_SA_INIT), "IKE_SA_INIT");
	assert_name(ikev2_exchange_name(36), "CREATE_CHILD_SA");
	assert_name(ikev2_exchange_name(43), "IKE_INTERMEDIATE");
	assert_name(ikev2_payload_name(IKEV2_PL_SA), "Security Association");
	assert_name(ikev2_payload_name(IKEV2_PL_SKF), "Encrypted and Authenticated Fragment");
	assert_name(ikev2_payload_short(IKEV2_PL_NONCE), "No");
	assert_name(ikev2_payload_short(IKEV2_PL_NOTIFY), "N");
	assert_name(ikev2_payload_short(IKEV2_PL_IDR), "IDr");
	assert_name(ikev2_payload_short(IKEV2_PL_TSI), "TSi");
	assert_name(ikev2_payload_short(IKEV2_PL_IDG), "IDg");
	assert_name(ikev2_payload_short(IKEV2_PL_PS), "PS");
	assert_name(ikev2_notify_name(16388), "NAT_DETECTION_SOURCE_IP");
	assert_name(ikev2_notify_name(IKEV2_N_INVALID_SYNTAX), "INVALID_SYNTAX");
	assert_name(ikev2_notify_name(IKEV2_N_USE_ASSIGNED_HOA), "USE_ASSIGNED_HoA");
	assert_name(ikev2_notify_name(16429), "GROUP_SENDER");
	assert_name(ikev2_notify_name(16446), "PPK_IDENTITY_KEY");
	assert_name(ikev2_transform_type_name(IKEV2_TT_INTEG), "INTEG");
	assert_name(ikev2_transform_type_name(9), "ADDKE4");
	assert_name(ikev2_transform_id_name(IKEV2_TT_ENCR, 20), "ENCR_AES_GCM_16");
	assert_name(ikev2_transform_id_name(IKEV2_TT_ENCR, IKEV2_ENCR_3DES), "ENCR_3DES");
	assert_name(ikev2_transform_id_name(IKEV2_TT_PRF, 8), "PRF_AES128_CMAC");
	assert_name(ikev2_transform_id_name(IKEV2_TT_INTEG, 12), "INTEG_HMAC_SHA2_256_128");
	assert_name(ikev2_transform_id_name(IKEV2_TT_INTEG, 0), "INTEG_NONE");
	assert_name(ikev2_transform_id_name(IKEV2_TT_KE, 19), "GROUP_ECP_256");
	assert_name(ikev2_transform_id_name(IKEV2_TT_ADDKE2, 36), "GROUP_ML_KEM_768");
	assert_name(ikev2_transform_id_name(IKEV2_TT_ESN, 1), "ESN_YES");
	assert_name(ikev2_protocol_name(IKEV2_PROTO_ESP), "ESP");
	assert_name(ikev2_auth_method_name(2), "PSK");
	assert_name(ikev2_auth_method_name(13), "NULL");
	assert_name(ikev2_id_type_name(IKEV2_ID_FQDN), "ID_FQDN");
	assert_name(ikev2_id_type_name(13), "ID_NULL");
	assert_name(ikev2_cert_encoding_name(4), "X509_SIG");
	assert_name(ikev2_ts_type_name(7), "TS_IPV4_ADDR_RANGE");
	assert_name(ikev2_cfg_type_name(IKEV2_CFG_REPLY), "CFG_REPLY");
	assert_name(ikev2_cfg_attr_name(1), "INTERNAL_IP4_ADDRESS");
	assert_name(ikev2_cfg_attr_name(25), "INTERNAL_DNS_DOMAIN");
	assert_name(ikev2_hash_name(IKEV2_HASH_SHA2_384), "SHA2_384");
}

static void test_v2_unknown(void **state)
{
	(void)state;
	assert_null(ikev2_exchange_name(0));
	assert_null(ikev2_exchange_name(33));
	assert_null(ikev2_exchange_name(45));
	assert_null(ikev2_exchange_name(240));
	assert_null(ikev2_payload_name(1));
	assert_null(ikev2_payload_short(55));
	assert_null(ikev2_notify_name(0));
	assert_null(ikev2_notify_name(2));
	assert_null(ikev2_notify_name(50));
	assert_null(ikev2_notify_name(8192));
	assert_null(ikev2_notify_name(16448));
	assert_null(ikev2_notify_name(40960));
	assert_null(ikev2_transform_type_name(0));
	assert_null(ikev2_transform_type_name(15));
	assert_null(ikev2_transform_id_name(IKEV2_TT_ENCR, 10));
	assert_null(ikev2_transform_id_name(IKEV2_TT_ENCR, 17));
	assert_null(ikev2_transform_id_name(IKEV2_TT_KE, 3));
	assert_null(ikev2_transform_id_name(IKEV2_TT_KE, 1024));
	assert_null(ikev2_transform_id_name(99, 1));
	assert_null(ikev2_auth_method_name(4));
	assert_null(ikev2_id_type_name(4));
	assert_null(ikev2_cert_encoding_name(5));
	assert_null(ikev2_ts_type_name(6));
	assert_null(ikev2_cfg_type_name(0));
	assert_null(ikev2_cfg_attr_name(30));
	assert_null(ikev2_hash_name(0));
	assert_null(ikev2_protocol_name(7));
}

/* Every known notify has a distinct, non-empty name and the expected count:
 * 25 Error Types and 64 Status Types (16384..16447). */
static void test_v2_notify_table(void **state)
{
	const char *seen[128];
	unsigned v, n = 0, errors = 0, i;

	(void)state;
	for (v = 0; v <= 0xffff; v++) {
		const char *name = ikev2_notify_name(v);

		if (name == NULL)
			continue;
		assert_true(name[0] != '\0');
		assert_true(n < sizeof(seen) / sizeof(seen[0]));
		for (i = 0; i < n; i++)
			assert_true(strcmp(seen[i], name) != 0);
		seen[n++] = name;
		if (ikev2_notify_is_error(v))
			errors++;
		else
			assert_in_range(v, 16384, 16447);
	}
	assert_int_equal(errors, 25);
	assert_int_equal(n, 25 + 64);
}

static void test_v2_notify_is_error(void **state)
{
	(void)state;
	assert_true(ikev2_notify_is_error(IKEV2_N_NO_PROPOSAL_CHOSEN));
	assert_true(ikev2_notify_is_error(16383));
	assert_false(ikev2_notify_is_error(16384));
	assert_false(ikev2_notify_is_error(IKEV2_N_COOKIE));
}

static void test_v1_numbers(void **state)
{
	(void)state;
	assert_int_equal(IKEV1_VERSION, 0x10);
	assert_int_equal(IKEV1_EXCH_MAIN, 2);
	assert_int_equal(IKEV1_EXCH_AGGRESSIVE, 4);
	assert_int_equal(IKEV1_EXCH_TRANSACTION, 6);
	assert_int_equal(IKEV1_EXCH_QUICK, 32);
	assert_int_equal(IKEV1_PL_NATD, 20);
	assert_int_equal(IKEV1_PL_NATD_DRAFT, 130);
	assert_int_equal(IKEV1_PL_FRAG, 132);
	assert_int_equal(IKEV1_N_PAYLOAD_MALFORMED, 16);
	assert_int_equal(IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS, 30);
	assert_int_equal(IKEV1_N_CONNECTED, 16384);
	assert_int_equal(IKEV1_N_RESPONDER_LIFETIME, 24576);
	assert_int_equal(IKEV1_N_INITIAL_CONTACT, 24578);
	/* RFC 3706 Dead Peer Detection */
	assert_int_equal(IKEV1_N_R_U_THERE, 36136);
	assert_int_equal(IKEV1_N_R_U_THERE_ACK, 36137);
	/* draft-beaulieu-ike-xauth-02 */
	assert_int_equal(IKEV1_XAUTH_TYPE, 16520);
	assert_int_equal(IKEV1_XAUTH_USER_NAME, 16521);
	assert_int_equal(IKEV1_XAUTH_USER_PASSWORD, 16522);
	assert_int_equal(IKEV1_XAUTH_PASSCODE, 16523);
	assert_int_equal(IKEV1_XAUTH_MESSAGE, 16524);
	assert_int_equal(IKEV1_XAUTH_CHALLENGE, 16525);
	assert_int_equal(IKEV1_XAUTH_DOMAIN, 16526);
	assert_int_equal(IKEV1_XAUTH_STATUS, 16527);
	assert_int_equal(IKEV1_XAUTH_NEXT_PIN, 16528);
	assert_int_equal(IKEV1_XAUTH_ANSWER, 16529);
	assert_int_equal(IKEV1_AUTH_XAUTH_INIT_PSK, 65001);
	assert_int_equal(IKEV1_AUTH_XAUTH_RESP_RSA_ENC_REV, 65010);
	assert_int_equal(IKEV1_AUTH_HYBRID_INIT_RSA, 64221);
	assert_int_equal(IKEV1_UNITY_BANNER, 28672);
	assert_int_equal(IKEV1_UNITY_DDNS_HOSTNAME, 28682);
	assert_int_equal(IKEV1_ENCAP_UDP_TUNNEL_RFC, 3);
	assert_int_equal(IKEV1_ENCAP_UDP_TRANSPORT_DRAFT, 61444);
	assert_int_equal(IKEV1_ESP_AES, 12);
	assert_int_equal(IKEV1_ESP_AES_GCM_16, 20);
	assert_int_equal(IKEV1_AH_SHA2_256, 5);
	assert_int_equal(IKEV1_ENCR_AES_CBC, 7);
	assert_int_equal(IKEV1_ENCR_IDEA_CBC, IKEV1_ENCR_IDEA);
	assert_int_equal(IKEV1_HASH_SHA2_512, 6);
	assert_int_equal(IKEV1_AUTH_ALG_AES_XCBC_MAC, 9);
	assert_int_equal(IKEV1_ID_KEY_ID, 11);
	assert_int_equal(IKEV1_GROUP_MODP_2048, IKEV2_GROUP_MODP_2048);
	assert_int_equal(IKEV1_GROUP_BRAINPOOL_P512, IKEV2_GROUP_BRAINPOOL_P512);
}

static void test_v1_names(void **state)
{
	(void)state;
	assert_name(ikev1_exchange_name(IKEV1_EXCH_MAIN), "MAIN");
	assert_name(ikev1_exchange_name(32), "QUICK");
	assert_name(ikev1_payload_name(IKEV1_PL_VID), "Vendor ID");
	assert_name(ikev1_payload_short(IKEV1_PL_NATD), "NAT-D");
	assert_name(ikev1_payload_short(IKEV1_PL_NONCE), "NONCE");
	assert_name(ikev1_notify_name(36136), "R_U_THERE");
	assert_name(ikev1_notify_name(36137), "R_U_THERE_ACK");
	assert_name(ikev1_notify_name(14), "NO_PROPOSAL_CHOSEN");
	assert_name(ikev1_notify_name(24578), "INITIAL_CONTACT");
	assert_name(ikev1_notify_name(40501), "UNITY_LOAD_BALANCE");
	assert_name(ikev1_protocol_name(IKEV1_PROTO_IPCOMP), "IPCOMP");
	assert_name(ikev1_transform_id_name(IKEV1_PROTO_ISAKMP, 1), "KEY_IKE");
	assert_name(ikev1_transform_id_name(IKEV1_PROTO_ESP, 12), "ESP_AES");
	assert_name(ikev1_transform_id_name(IKEV1_PROTO_AH, 3), "AH_SHA");
	assert_name(ikev1_transform_id_name(IKEV1_PROTO_IPCOMP, 2), "IPCOMP_DEFLATE");
	assert_name(ikev1_attr_name(IKEV1_ATTR_LIFE_DURATION), "LIFE_DURATION");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_ENCRYPTION_ALGORITHM, 7), "ENCR_AES_CBC");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_ENCRYPTION_ALGORITHM, 3), "ENCR_BLOWFISH_CBC");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_HASH_ALGORITHM, 2), "HASH_SHA");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_AUTHENTICATION_METHOD, 65001),
		    "AUTH_XAUTH_INIT_PSK");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_AUTHENTICATION_METHOD, 1), "AUTH_PSK");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_GROUP_DESCRIPTION, 14), "GROUP_MODP_2048");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_GROUP_TYPE, 2), "GROUP_TYPE_ECP");
	assert_name(ikev1_attr_value_name(IKEV1_ATTR_LIFE_TYPE, 1), "LIFE_SECONDS");
	assert_name(ikev1_ipsec_attr_name(4), "ENCAPSULATION_MODE");
	assert_name(ikev1_ipsec_attr_value_name(IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, 61443),
		    "ENCAP_UDP_TUNNEL_DRAFT");
	assert_name(ikev1_ipsec_attr_value_name(IKEV1_IPSEC_ATTR_AUTH_ALGORITHM, 5),
		    "AUTH_ALG_HMAC_SHA2_256");
	assert_name(ikev1_ipsec_attr_value_name(IKEV1_IPSEC_ATTR_SA_LIFE_TYPE, 2),
		    "LIFE_KILOBYTES");
	assert_name(ikev1_id_type_name(IKEV1_ID_USER_FQDN), "ID_USER_FQDN");
	assert_name(ikev1_cert_encoding_name(IKEV1_CERT_X509_SIG), "X509_SIG");
	assert_name(ikev1_cfg_type_name(IKEV1_CFG_ACK), "CFG_ACK");
	assert_name(ikev1_cfg_attr_name(IKEV1_CFG_ATTR_INTERNAL_IP4_DNS), "INTERNAL_IP4_DNS");
	assert_name(ikev1_cfg_attr_name(16521), "XAUTH_USER_NAME");
	assert_name(ikev1_cfg_attr_name(16527), "XAUTH_STATUS");
	assert_name(ikev1_cfg_attr_name(28672), "UNITY_BANNER");
	assert_name(ikev1_cfg_attr_name(28676), "UNITY_SPLIT_INCLUDE");
}

static void test_v1_unknown(void **state)
{
	(void)state;
	assert_null(ikev1_exchange_name(7));
	assert_null(ikev1_exchange_name(34));
	assert_null(ikev1_payload_name(23));
	assert_null(ikev1_payload_short(133));
	assert_null(ikev1_notify_name(0));
	assert_null(ikev1_notify_name(31));
	assert_null(ikev1_notify_name(24579));
	assert_null(ikev1_notify_name(36138));
	assert_null(ikev1_protocol_name(0));
	assert_null(ikev1_transform_id_name(IKEV1_PROTO_AH, 1));
	assert_null(ikev1_transform_id_name(IKEV1_PROTO_ESP, 17));
	assert_null(ikev1_transform_id_name(9, 1));
	assert_null(ikev1_attr_name(17));
	assert_null(ikev1_attr_value_name(IKEV1_ATTR_ENCRYPTION_ALGORITHM, 9));
	assert_null(ikev1_attr_value_name(IKEV1_ATTR_AUTHENTICATION_METHOD, 6));
	assert_null(ikev1_attr_value_name(IKEV1_ATTR_GROUP_DESCRIPTION, 31));
	assert_null(ikev1_attr_value_name(IKEV1_ATTR_KEY_LENGTH, 128));
	assert_null(ikev1_ipsec_attr_name(16));
	assert_null(ikev1_ipsec_attr_value_name(IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, 5));
	assert_null(ikev1_ipsec_attr_value_name(IKEV1_IPSEC_ATTR_KEY_LENGTH, 256));
	assert_null(ikev1_id_type_name(13));
	assert_null(ikev1_cert_encoding_name(11));
	assert_null(ikev1_cfg_type_name(5));
	assert_null(ikev1_cfg_attr_name(16));
	assert_null(ikev1_cfg_attr_name(16530));
	assert_null(ikev1_cfg_attr_name(28683));
}

static void test_name_or_number(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(ike_name_or_number("COOKIE", 16390, buf), "COOKIE");
	assert_string_equal(ike_name_or_number(NULL, 0, buf), "0");
	assert_string_equal(ike_name_or_number(NULL, 7, buf), "7");
	assert_string_equal(ike_name_or_number(ikev2_notify_name(40961), 40961, buf), "40961");
	assert_ptr_equal(ike_name_or_number(NULL, 12345, buf), buf);
	assert_string_equal(buf, "12345");
	assert_string_equal(ike_name_or_number(NULL, 4294967295u, buf), "4294967295");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_numbers),
		cmocka_unit_test(test_v2_names),
		cmocka_unit_test(test_v2_unknown),
		cmocka_unit_test(test_v2_notify_table),
		cmocka_unit_test(test_v2_notify_is_error),
		cmocka_unit_test(test_v1_numbers),
		cmocka_unit_test(test_v1_names),
		cmocka_unit_test(test_v1_unknown),
		cmocka_unit_test(test_name_or_number),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
