/* Internal to the sample catalogue: the test data shared by the IKEv2
 * (samples_v2.c) and IKEv1 (samples_v1.c) messages, and the build function
 * of every sample, which samples.c lists in the table. */
#ifndef OSPREY_SAMPLES_INT_H
#define OSPREY_SAMPLES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "samples.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The SPIs of the IKEv2 SA and the cookies of the IKEv1 SA in every sample. */
#define SAMPLE_V2_SPI_I 0x8a3f1c2b5d6e7f01ULL
#define SAMPLE_V2_SPI_R 0x42c5e6d7a8b9f012ULL
#define SAMPLE_V1_CKY_I 0xd1e2f3a4b5c6d7e8ULL
#define SAMPLE_V1_CKY_R 0x5a6b7c8d9eafb0c1ULL

/* Key exchange values, nonces and other opaque bytes (samples.c). */
extern const uint8_t sample_nonce_i[32];
extern const uint8_t sample_nonce_r[32];
extern const uint8_t sample_x25519_i[32];
extern const uint8_t sample_x25519_r[32];
extern const uint8_t sample_modp2048_i[256];
extern const uint8_t sample_modp2048_r[256];
extern const uint8_t sample_natd_v2_i_src[20];
extern const uint8_t sample_natd_v2_i_dst[20];
extern const uint8_t sample_natd_v2_r_src[20];
extern const uint8_t sample_natd_v2_r_dst[20];
extern const uint8_t sample_natd_v1_a[32];
extern const uint8_t sample_natd_v1_b[32];
extern const uint8_t sample_cert_gw[446];
extern const uint8_t sample_dn_gw[62];
extern const uint8_t sample_dn_alice[53];
extern const uint8_t sample_dn_ca[62];
extern const uint8_t sample_ca_keyid[20];
extern const uint8_t sample_rsa_sig[256];
extern const uint8_t sample_ecdsa_sig[64];
extern const uint8_t sample_digsig_auth[84];
extern const uint8_t sample_prf_out[32];
extern const uint8_t sample_cookie[36];
extern const uint8_t sample_vid_osprey[16];
extern const uint8_t sample_sk_body[112];
extern const uint8_t sample_v1_ciphertext[80];
extern const uint8_t sample_frag_data[96];

/* IKEv2 samples (samples_v2.c), in exchange order. */
int sample_v2_init_request(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_response(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_invalid_ke_response(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_request_modp2048(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_cookie_response(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_cookie_retry(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_no_proposal_response(uint8_t *out, size_t cap, size_t *len);
int sample_v2_init_request_unknown_payload(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_psk(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_psk(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_rsa_transport(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_ecdsa_transport(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_digsig_ipv6(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_digsig_ipv6(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_eap(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_eap_identity(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_eap_identity(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_eap_md5(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_eap_md5(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_eap_success(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_request_eap_auth(uint8_t *out, size_t cap, size_t *len);
int sample_v2_auth_response_eap_auth(uint8_t *out, size_t cap, size_t *len);
int sample_v2_child_request_rekey_esp(uint8_t *out, size_t cap, size_t *len);
int sample_v2_child_response_rekey_esp(uint8_t *out, size_t cap, size_t *len);
int sample_v2_child_request_rekey_ike(uint8_t *out, size_t cap, size_t *len);
int sample_v2_info_request_delete_ike(uint8_t *out, size_t cap, size_t *len);
int sample_v2_info_request_delete_esp(uint8_t *out, size_t cap, size_t *len);
int sample_v2_info_request_empty(uint8_t *out, size_t cap, size_t *len);
int sample_v2_info_response_empty(uint8_t *out, size_t cap, size_t *len);
int sample_v2_info_request_mobike_update(uint8_t *out, size_t cap, size_t *len);
int sample_v2_sk_auth_request(uint8_t *out, size_t cap, size_t *len);
int sample_v2_sk_auth_response(uint8_t *out, size_t cap, size_t *len);
int sample_v2_sk_child_request(uint8_t *out, size_t cap, size_t *len);
int sample_v2_sk_info_request_delete(uint8_t *out, size_t cap, size_t *len);
int sample_v2_sk_info_response_empty(uint8_t *out, size_t cap, size_t *len);
int sample_v2_skf_auth_request_1(uint8_t *out, size_t cap, size_t *len);
int sample_v2_skf_auth_request_2(uint8_t *out, size_t cap, size_t *len);
int sample_v2_skf_auth_request_3(uint8_t *out, size_t cap, size_t *len);

/* IKEv1 samples (samples_v1.c), in exchange order. */
int sample_v1_main_1(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_2(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_3(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_4(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_3_draft_natd(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_5_psk(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_6_psk(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_5_cert(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_6_sig(uint8_t *out, size_t cap, size_t *len);
int sample_v1_main_5_encrypted(uint8_t *out, size_t cap, size_t *len);
int sample_v1_aggressive_1(uint8_t *out, size_t cap, size_t *len);
int sample_v1_aggressive_2(uint8_t *out, size_t cap, size_t *len);
int sample_v1_aggressive_3(uint8_t *out, size_t cap, size_t *len);
int sample_v1_quick_1(uint8_t *out, size_t cap, size_t *len);
int sample_v1_quick_2(uint8_t *out, size_t cap, size_t *len);
int sample_v1_quick_1_ipv6_ipcomp(uint8_t *out, size_t cap, size_t *len);
int sample_v1_quick_3(uint8_t *out, size_t cap, size_t *len);
int sample_v1_quick_1_encrypted(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_initial_contact(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_r_u_there(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_r_u_there_ack(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_delete_esp(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_delete_isakmp(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_no_proposal_chosen(uint8_t *out, size_t cap, size_t *len);
int sample_v1_info_private_payload(uint8_t *out, size_t cap, size_t *len);
int sample_v1_xauth_request(uint8_t *out, size_t cap, size_t *len);
int sample_v1_xauth_reply(uint8_t *out, size_t cap, size_t *len);
int sample_v1_xauth_set_status(uint8_t *out, size_t cap, size_t *len);
int sample_v1_xauth_ack_status(uint8_t *out, size_t cap, size_t *len);
int sample_v1_modecfg_request(uint8_t *out, size_t cap, size_t *len);
int sample_v1_modecfg_set(uint8_t *out, size_t cap, size_t *len);
int sample_v1_modecfg_ack(uint8_t *out, size_t cap, size_t *len);
int sample_v1_fragment_1(uint8_t *out, size_t cap, size_t *len);
int sample_v1_fragment_2_last(uint8_t *out, size_t cap, size_t *len);

#endif
