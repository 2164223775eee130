/* IKEv2 sample messages (RFC 7296), built from models with ikev2_build().
 *
 * The story they tell: an initiator at 192.0.2.10 behind a NAT talks to a
 * gateway at 198.51.100.1. IKE_SA_INIT (with the cookie and INVALID_KE
 * detours), IKE_AUTH with a PSK, with RSA / ECDSA / RFC 7427 signatures and
 * with EAP, CREATE_CHILD_SA rekeys, INFORMATIONAL deletes and MOBIKE, and the
 * same exchanges protected by SK and fragmented by SKF (RFC 7383).
 *
 * IKE_AUTH and its successors are normally inside an SK payload; most samples
 * here carry those payloads in the clear so the decoders see every payload
 * type, and the SK/SKF samples carry opaque IV | ciphertext | ICV bytes. */
#include <stdbool.h>

#include "ikev2_codec.h"
#include "samples_int.h"

/* Header flags by role (RFC 7296 §3.1): the original initiator sets I,
 * responses set R. */
#define I_REQ IKEV2_FLAG_INITIATOR
#define R_RESP IKEV2_FLAG_RESPONSE
#define R_REQ 0
#define I_RESP (IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE)

/* A pointer and its size, for the helpers' (data, len) parameters. */
#define BLOB(a) (a), sizeof(a)

/* ---- helpers ---------------------------------------------------------- */

static struct ike_hdr hdr(uint8_t exchange, uint8_t flags, uint32_t msgid)
{
	return (struct ike_hdr){
		.ispi = SAMPLE_V2_SPI_I, .rspi = SAMPLE_V2_SPI_R, .version = IKEV2_VERSION,
		.exchange = exchange, .flags = flags, .msgid = msgid,
	};
}

/* The first IKE_SA_INIT messages, and stateless answers to them, carry a
 * zero responder SPI (§2.6, §3.1). */
static struct ike_hdr init_hdr(uint8_t flags)
{
	struct ike_hdr h = hdr(IKEV2_EXCH_IKE_SA_INIT, flags, 0);

	h.rspi = 0;
	return h;
}

static int emit(struct ike_hdr h, struct ikev2_payload *pl, size_t n, uint8_t *out, size_t cap,
		size_t *len)
{
	struct ikev2_msg m = { .hdr = h, .chain = { .count = n, .pl = pl } };

	return ikev2_build(&m, out, cap, len, NULL);
}

static struct ikev2_payload notify(uint16_t type, const void *data, size_t len)
{
	return (struct ikev2_payload){
		.type = IKEV2_PL_NOTIFY, .u.notify = { .type = type, .data = data, .len = len },
	};
}

/* A notify about a Child SA names it by protocol and SPI (§3.10). */
static struct ikev2_payload notify_spi(uint8_t protocol, const uint8_t *spi, uint8_t spi_size,
				       uint16_t type)
{
	return (struct ikev2_payload){
		.type = IKEV2_PL_NOTIFY,
		.u.notify = { .protocol = protocol, .spi_size = spi_size, .type = type, .spi = spi },
	};
}

static struct ikev2_payload blob(uint8_t type, const uint8_t *data, size_t len)
{
	struct ikev2_payload p = { .type = type };

	if (type == IKEV2_PL_NONCE)
		p.u.nonce = (struct ikev2_blob){ data, len };
	else
		p.u.vendor = (struct ikev2_blob){ data, len };
	return p;
}

static struct ikev2_payload sa(struct ikev2_proposal *proposals, size_t n)
{
	return (struct ikev2_payload){ .type = IKEV2_PL_SA, .u.sa = { n, proposals } };
}

static struct ikev2_payload ke(uint16_t group, const uint8_t *data, size_t len)
{
	return (struct ikev2_payload){ .type = IKEV2_PL_KE, .u.ke = { group, data, len } };
}

static struct ikev2_payload id(uint8_t pt, uint8_t type, const void *data, size_t len)
{
	return (struct ikev2_payload){ .type = pt, .u.id = { type, data, len } };
}

/* CERT and CERTREQ */
static struct ikev2_payload cert(uint8_t pt, uint8_t encoding, const uint8_t *data, size_t len)
{
	return (struct ikev2_payload){ .type = pt, .u.cert = { encoding, data, len } };
}

static struct ikev2_payload auth(uint8_t method, const uint8_t *data, size_t len)
{
	return (struct ikev2_payload){ .type = IKEV2_PL_AUTH, .u.auth = { method, data, len } };
}

static struct ikev2_payload ts(uint8_t pt, struct ikev2_ts *sel, size_t n)
{
	return (struct ikev2_payload){ .type = pt, .u.ts = { n, sel } };
}

static struct ikev2_payload cp(uint8_t type, struct ikev2_cfg_attr *attrs, size_t n)
{
	return (struct ikev2_payload){ .type = IKEV2_PL_CP, .u.cp = { type, n, attrs } };
}

static struct ikev2_payload eap(uint8_t code, uint8_t identifier, uint8_t type, const void *data,
				size_t len)
{
	return (struct ikev2_payload){
		.type = IKEV2_PL_EAP, .u.eap = { code, identifier, type, data, len },
	};
}

static struct ikev2_payload del(uint8_t protocol, uint8_t spi_size, uint16_t nspis,
				const uint8_t *spis)
{
	return (struct ikev2_payload){
		.type = IKEV2_PL_DELETE, .u.del = { protocol, spi_size, nspis, spis },
	};
}

/* ---- proposals, selectors, configuration ------------------------------ */

/* Transform attribute Key Length, always in TV form (§3.3.5). */
static struct ike_attr key128[] = { { .type = IKEV2_ATTR_KEY_LENGTH, .tv = true, .value = 128 } };
static struct ike_attr key256[] = { { .type = IKEV2_ATTR_KEY_LENGTH, .tv = true, .value = 256 } };
#define KEY(bits) { ARRAY_LEN(key##bits), key##bits }

/* The initiator's IKE SA offer: a CBC suite and an AEAD suite (§3.3.6). */
static struct ikev2_transform ike_cbc_offer[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_CBC, .attrs = KEY(256) },
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_CBC, .attrs = KEY(128) },
	{ .type = IKEV2_TT_PRF, .id = IKEV2_PRF_HMAC_SHA2_256 },
	{ .type = IKEV2_TT_PRF, .id = IKEV2_PRF_HMAC_SHA2_384 },
	{ .type = IKEV2_TT_INTEG, .id = IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_CURVE25519 },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_ECP_256 },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_MODP_2048 },
};
static struct ikev2_transform ike_aead_offer[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .attrs = KEY(256) },
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_CHACHA20_POLY1305 },
	{ .type = IKEV2_TT_PRF, .id = IKEV2_PRF_HMAC_SHA2_256 },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_CURVE25519 },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_MODP_2048 },
};
static struct ikev2_proposal ike_offer[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_IKE, .ntransforms = ARRAY_LEN(ike_cbc_offer),
	  .transforms = ike_cbc_offer },
	{ .num = 2, .protocol = IKEV2_PROTO_IKE, .ntransforms = ARRAY_LEN(ike_aead_offer),
	  .transforms = ike_aead_offer },
};

/* The responder's choice: one transform of each type (§2.7). */
static struct ikev2_transform ike_cbc_chosen[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_CBC, .attrs = KEY(256) },
	{ .type = IKEV2_TT_PRF, .id = IKEV2_PRF_HMAC_SHA2_256 },
	{ .type = IKEV2_TT_INTEG, .id = IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_CURVE25519 },
};
static struct ikev2_proposal ike_chosen[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_IKE, .ntransforms = ARRAY_LEN(ike_cbc_chosen),
	  .transforms = ike_cbc_chosen },
};

/* Rekeying the IKE SA: the proposal carries the new 8-byte SPI (§1.3.2). */
static const uint8_t new_ike_spi[8] = { 0x9b, 0x17, 0x44, 0xe0, 0x3c, 0x5d, 0x21, 0x86 };
static struct ikev2_proposal ike_rekey[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_IKE, .spi_size = 8, .spi = new_ike_spi,
	  .ntransforms = ARRAY_LEN(ike_aead_offer), .transforms = ike_aead_offer },
};

/* ESP SAs carry a 4-byte SPI (§3.3.1). */
static const uint8_t esp_spi_i[4] = { 0xc4, 0x1f, 0x00, 0x2a };
static const uint8_t esp_spi_r[4] = { 0xcd, 0x93, 0x71, 0x05 };
static const uint8_t esp_spi_new[4] = { 0xc7, 0x62, 0x0b, 0xde };

static struct ikev2_transform esp_gcm[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .attrs = KEY(256) },
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .attrs = KEY(128) },
	{ .type = IKEV2_TT_ESN, .id = IKEV2_ESN_NONE },
};
static struct ikev2_transform esp_cbc[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_CBC, .attrs = KEY(128) },
	{ .type = IKEV2_TT_INTEG, .id = IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ .type = IKEV2_TT_INTEG, .id = IKEV2_INTEG_HMAC_SHA1_96 },
	{ .type = IKEV2_TT_ESN, .id = IKEV2_ESN_NONE },
	{ .type = IKEV2_TT_ESN, .id = IKEV2_ESN_YES },
};
static struct ikev2_transform esp_gcm_chosen[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .attrs = KEY(256) },
	{ .type = IKEV2_TT_ESN, .id = IKEV2_ESN_NONE },
};
/* With PFS, a Child SA rekey offers a key exchange method too (§1.3.1). */
static struct ikev2_transform esp_gcm_pfs[] = {
	{ .type = IKEV2_TT_ENCR, .id = IKEV2_ENCR_AES_GCM_16, .attrs = KEY(256) },
	{ .type = IKEV2_TT_KE, .id = IKEV2_GROUP_CURVE25519 },
	{ .type = IKEV2_TT_ESN, .id = IKEV2_ESN_NONE },
};
static struct ikev2_proposal esp_offer[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4, .spi = esp_spi_i,
	  .ntransforms = ARRAY_LEN(esp_gcm), .transforms = esp_gcm },
	{ .num = 2, .protocol = IKEV2_PROTO_ESP, .spi_size = 4, .spi = esp_spi_i,
	  .ntransforms = ARRAY_LEN(esp_cbc), .transforms = esp_cbc },
};
static struct ikev2_proposal esp_chosen[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4, .spi = esp_spi_r,
	  .ntransforms = ARRAY_LEN(esp_gcm_chosen), .transforms = esp_gcm_chosen },
};
static struct ikev2_proposal esp_rekey_offer[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4, .spi = esp_spi_new,
	  .ntransforms = ARRAY_LEN(esp_gcm_pfs), .transforms = esp_gcm_pfs },
};
static struct ikev2_proposal esp_rekey_chosen[] = {
	{ .num = 1, .protocol = IKEV2_PROTO_ESP, .spi_size = 4, .spi = esp_spi_r,
	  .ntransforms = ARRAY_LEN(esp_gcm_pfs), .transforms = esp_gcm_pfs },
};

/* Traffic selectors (§3.13.1). */
#define V6_ONES { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
		  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
static struct ikev2_ts ts_anything[] = {
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .end_port = 65535, .end = { 255, 255, 255, 255 } },
	{ .type = IKEV2_TS_IPV6_ADDR_RANGE, .end_port = 65535, .end = V6_ONES },
};
static struct ikev2_ts ts_virtual_ip[] = {
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .end_port = 65535,
	  .start = { 10, 1, 0, 5 }, .end = { 10, 1, 0, 5 } },
};
static struct ikev2_ts ts_gw_lan[] = {
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .end_port = 65535,
	  .start = { 10, 0, 0, 0 }, .end = { 10, 0, 255, 255 } },
};
/* Transport mode between the two hosts: UDP to port 1701 and TCP to 443. */
static struct ikev2_ts ts_host_i[] = {
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .ip_proto = 17, .end_port = 65535,
	  .start = { 192, 0, 2, 10 }, .end = { 192, 0, 2, 10 } },
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .ip_proto = 6, .end_port = 65535,
	  .start = { 192, 0, 2, 10 }, .end = { 192, 0, 2, 10 } },
};
static struct ikev2_ts ts_host_r[] = {
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .ip_proto = 17, .start_port = 1701, .end_port = 1701,
	  .start = { 198, 51, 100, 1 }, .end = { 198, 51, 100, 1 } },
	{ .type = IKEV2_TS_IPV4_ADDR_RANGE, .ip_proto = 6, .start_port = 443, .end_port = 443,
	  .start = { 198, 51, 100, 1 }, .end = { 198, 51, 100, 1 } },
};
/* IPv6: 2001:db8:a::/64 to the DNS servers in 2001:db8:53::/120 (UDP 53). */
static struct ikev2_ts ts_v6_i[] = {
	{ .type = IKEV2_TS_IPV6_ADDR_RANGE, .end_port = 65535,
	  .start = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a },
	  .end = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		   0xff, 0xff } },
};
static struct ikev2_ts ts_v6_r[] = {
	{ .type = IKEV2_TS_IPV6_ADDR_RANGE, .ip_proto = 17, .start_port = 53, .end_port = 53,
	  .start = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x53 },
	  .end = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x53, [15] = 0xff } },
};

/* Configuration payload (§3.15): empty attributes ask, filled ones answer. */
static struct ikev2_cfg_attr cfg_request[] = {
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS },
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP4_DNS },
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS },
};
static const uint8_t vip4[4] = { 10, 1, 0, 5 };
static const uint8_t dns1[4] = { 10, 0, 0, 53 };
static const uint8_t dns2[4] = { 10, 0, 0, 54 };
/* INTERNAL_IP6_ADDRESS: 16-byte address and a prefix length (§3.15.1). */
static const uint8_t vip6[17] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [15] = 5, [16] = 64 };
static struct ikev2_cfg_attr cfg_reply[] = {
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP4_ADDRESS, .data = vip4, .len = 4 },
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP4_DNS, .data = dns1, .len = 4 },
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP4_DNS, .data = dns2, .len = 4 },
	{ .type = IKEV2_CFG_ATTR_INTERNAL_IP6_ADDRESS, .data = vip6, .len = 17 },
};

/* Identities (§3.5). */
static const char fqdn_client[] = "client.example.org";
static const char fqdn_gw[] = "gw.example.org";
static const char rfc822_alice[] = "alice@example.org";
static const char key_id_alice[] = "alice-key-01";
static const uint8_t ipv4_gw[4] = { 198, 51, 100, 1 };
static const uint8_t ipv6_gw[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
#define STR(s) (s), (sizeof(s) - 1)

/* Notify data. */
static const uint8_t group_modp2048[2] = { 0, IKEV2_GROUP_MODP_2048 };
/* RFC 7427 §4: the hash algorithms the sender can verify with. */
static const uint8_t sig_hashes[6] = { 0, IKEV2_HASH_SHA2_256, 0, IKEV2_HASH_SHA2_384,
				       0, IKEV2_HASH_SHA2_512 };
static const uint8_t cookie2[16] = { 0x5e, 0x11, 0xa7, 0x02, 0x93, 0xcb, 0x40, 0x6f,
				     0x18, 0xd5, 0x7e, 0x21, 0xb0, 0x6a, 0x3c, 0x99 };

/* ---- IKE_SA_INIT ------------------------------------------------------ */

int sample_v2_init_request(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		sa(ike_offer, ARRAY_LEN(ike_offer)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_i)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_i)),
		notify(IKEV2_N_NAT_DETECTION_SOURCE_IP, BLOB(sample_natd_v2_i_src)),
		notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP, BLOB(sample_natd_v2_i_dst)),
		notify(IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0),
		notify(IKEV2_N_SIGNATURE_HASH_ALGORITHMS, BLOB(sig_hashes)),
		blob(IKEV2_PL_VENDOR, BLOB(sample_vid_osprey)),
	};

	return emit(init_hdr(I_REQ), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_init_response(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		sa(ike_chosen, ARRAY_LEN(ike_chosen)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_r)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_r)),
		notify(IKEV2_N_NAT_DETECTION_SOURCE_IP, BLOB(sample_natd_v2_r_src)),
		notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP, BLOB(sample_natd_v2_r_dst)),
		cert(IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, BLOB(sample_ca_keyid)),
		notify(IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0),
		notify(IKEV2_N_SIGNATURE_HASH_ALGORITHMS, BLOB(sig_hashes)),
		blob(IKEV2_PL_VENDOR, BLOB(sample_vid_osprey)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_SA_INIT, R_RESP, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* §1.3: the responder wants another group and names it. */
int sample_v2_init_invalid_ke_response(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		notify(IKEV2_N_INVALID_KE_PAYLOAD, BLOB(group_modp2048)),
	};

	return emit(init_hdr(R_RESP), pl, ARRAY_LEN(pl), out, cap, len);
}

/* The retry after INVALID_KE_PAYLOAD, with a 256-byte MODP-2048 value. */
int sample_v2_init_request_modp2048(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		sa(ike_offer, ARRAY_LEN(ike_offer)),
		ke(IKEV2_GROUP_MODP_2048, BLOB(sample_modp2048_i)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_i)),
		notify(IKEV2_N_NAT_DETECTION_SOURCE_IP, BLOB(sample_natd_v2_i_src)),
		notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP, BLOB(sample_natd_v2_i_dst)),
	};

	return emit(init_hdr(I_REQ), pl, ARRAY_LEN(pl), out, cap, len);
}

/* §2.6: a responder under load answers with a cookie only. */
int sample_v2_init_cookie_response(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		notify(IKEV2_N_COOKIE, BLOB(sample_cookie)),
	};

	return emit(init_hdr(R_RESP), pl, ARRAY_LEN(pl), out, cap, len);
}

/* §2.6: the retry starts with the cookie, then repeats the first request. */
int sample_v2_init_cookie_retry(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		notify(IKEV2_N_COOKIE, BLOB(sample_cookie)),
		sa(ike_offer, ARRAY_LEN(ike_offer)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_i)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_i)),
		notify(IKEV2_N_NAT_DETECTION_SOURCE_IP, BLOB(sample_natd_v2_i_src)),
		notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP, BLOB(sample_natd_v2_i_dst)),
	};

	return emit(init_hdr(I_REQ), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_init_no_proposal_response(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		notify(IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0),
	};

	return emit(init_hdr(R_RESP), pl, ARRAY_LEN(pl), out, cap, len);
}

/* A private-use payload type (§3.2) without the critical bit: a receiver
 * that does not know it skips it (§2.5), and the codec keeps its body. */
int sample_v2_init_request_unknown_payload(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t private_body[] = "osprey private payload";
	struct ikev2_payload pl[] = {
		sa(ike_offer, ARRAY_LEN(ike_offer)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_i)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_i)),
		{ .type = 200, .body = private_body, .body_len = sizeof(private_body) },
		notify(IKEV2_N_NAT_DETECTION_SOURCE_IP, BLOB(sample_natd_v2_i_src)),
		notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP, BLOB(sample_natd_v2_i_dst)),
	};

	return emit(init_hdr(I_REQ), pl, ARRAY_LEN(pl), out, cap, len);
}

/* ---- IKE_AUTH in the clear -------------------------------------------- */

/* A road warrior with a PSK asks for a virtual IP (§2.19); the NAT was
 * detected, so this travels on port 4500. */
int sample_v2_auth_request_psk(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDI, IKEV2_ID_FQDN, STR(fqdn_client)),
		notify(IKEV2_N_INITIAL_CONTACT, NULL, 0),
		id(IKEV2_PL_IDR, IKEV2_ID_IPV4_ADDR, BLOB(ipv4_gw)),
		auth(IKEV2_AUTH_PSK, BLOB(sample_prf_out)),
		cp(IKEV2_CFG_REQUEST, cfg_request, ARRAY_LEN(cfg_request)),
		sa(esp_offer, ARRAY_LEN(esp_offer)),
		ts(IKEV2_PL_TSI, ts_anything, ARRAY_LEN(ts_anything)),
		ts(IKEV2_PL_TSR, ts_anything, ARRAY_LEN(ts_anything)),
		notify(IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL, 0),
		notify(IKEV2_N_MOBIKE_SUPPORTED, NULL, 0),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_auth_response_psk(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDR, IKEV2_ID_IPV4_ADDR, BLOB(ipv4_gw)),
		auth(IKEV2_AUTH_PSK, BLOB(sample_prf_out)),
		cp(IKEV2_CFG_REPLY, cfg_reply, ARRAY_LEN(cfg_reply)),
		sa(esp_chosen, ARRAY_LEN(esp_chosen)),
		ts(IKEV2_PL_TSI, ts_virtual_ip, ARRAY_LEN(ts_virtual_ip)),
		ts(IKEV2_PL_TSR, ts_gw_lan, ARRAY_LEN(ts_gw_lan)),
		notify(IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL, 0),
		notify(IKEV2_N_MOBIKE_SUPPORTED, NULL, 0),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

/* Host to host in transport mode (§1.3.1), RSA signature, identities as DNs. */
int sample_v2_auth_request_rsa_transport(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDI, IKEV2_ID_DER_ASN1_DN, BLOB(sample_dn_alice)),
		cert(IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, BLOB(sample_ca_keyid)),
		id(IKEV2_PL_IDR, IKEV2_ID_DER_ASN1_DN, BLOB(sample_dn_gw)),
		auth(IKEV2_AUTH_RSA_SIG, BLOB(sample_rsa_sig)),
		notify(IKEV2_N_USE_TRANSPORT_MODE, NULL, 0),
		sa(esp_offer, ARRAY_LEN(esp_offer)),
		ts(IKEV2_PL_TSI, ts_host_i, ARRAY_LEN(ts_host_i)),
		ts(IKEV2_PL_TSR, ts_host_r, ARRAY_LEN(ts_host_r)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_auth_response_ecdsa_transport(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDR, IKEV2_ID_DER_ASN1_DN, BLOB(sample_dn_gw)),
		cert(IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, BLOB(sample_cert_gw)),
		auth(IKEV2_AUTH_ECDSA_SHA256_P256, BLOB(sample_ecdsa_sig)),
		notify(IKEV2_N_USE_TRANSPORT_MODE, NULL, 0),
		sa(esp_chosen, ARRAY_LEN(esp_chosen)),
		ts(IKEV2_PL_TSI, ts_host_i, ARRAY_LEN(ts_host_i)),
		ts(IKEV2_PL_TSR, ts_host_r, ARRAY_LEN(ts_host_r)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

/* RFC 7427 signature authentication over IPv6. */
int sample_v2_auth_request_digsig_ipv6(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDI, IKEV2_ID_RFC822_ADDR, STR(rfc822_alice)),
		id(IKEV2_PL_IDR, IKEV2_ID_IPV6_ADDR, BLOB(ipv6_gw)),
		auth(IKEV2_AUTH_DIGITAL_SIGNATURE, BLOB(sample_digsig_auth)),
		sa(esp_offer, ARRAY_LEN(esp_offer)),
		ts(IKEV2_PL_TSI, ts_v6_i, ARRAY_LEN(ts_v6_i)),
		ts(IKEV2_PL_TSR, ts_v6_r, ARRAY_LEN(ts_v6_r)),
		notify(IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, NULL, 0),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_auth_response_digsig_ipv6(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDR, IKEV2_ID_IPV6_ADDR, BLOB(ipv6_gw)),
		cert(IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, BLOB(sample_cert_gw)),
		auth(IKEV2_AUTH_DIGITAL_SIGNATURE, BLOB(sample_digsig_auth)),
		sa(esp_chosen, ARRAY_LEN(esp_chosen)),
		ts(IKEV2_PL_TSI, ts_v6_i, ARRAY_LEN(ts_v6_i)),
		ts(IKEV2_PL_TSR, ts_v6_r, ARRAY_LEN(ts_v6_r)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

/* ---- IKE_AUTH with EAP (§2.16) ---------------------------------------- */

/* No AUTH payload: the initiator wants EAP. */
int sample_v2_auth_request_eap(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDI, IKEV2_ID_KEY_ID, STR(key_id_alice)),
		id(IKEV2_PL_IDR, IKEV2_ID_FQDN, STR(fqdn_gw)),
		cp(IKEV2_CFG_REQUEST, cfg_request, ARRAY_LEN(cfg_request)),
		sa(esp_offer, ARRAY_LEN(esp_offer)),
		ts(IKEV2_PL_TSI, ts_anything, ARRAY_LEN(ts_anything)),
		ts(IKEV2_PL_TSR, ts_anything, ARRAY_LEN(ts_anything)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

/* EAP type 1 is Identity, type 4 MD5-Challenge (RFC 3748 §5). */
#define EAP_IDENTITY 1
#define EAP_MD5_CHALLENGE 4

int sample_v2_auth_response_eap_identity(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		id(IKEV2_PL_IDR, IKEV2_ID_FQDN, STR(fqdn_gw)),
		cert(IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, BLOB(sample_cert_gw)),
		auth(IKEV2_AUTH_ECDSA_SHA256_P256, BLOB(sample_ecdsa_sig)),
		eap(IKEV2_EAP_REQUEST, 1, EAP_IDENTITY, NULL, 0),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_auth_request_eap_identity(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		eap(IKEV2_EAP_RESPONSE, 1, EAP_IDENTITY, STR(rfc822_alice)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 2), pl, ARRAY_LEN(pl), out, cap, len);
}

/* RFC 3748 §5.4: Value-Size, Value (the challenge), Name. */
int sample_v2_auth_response_eap_md5(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t challenge[] = {
		16, 0x8d, 0x3f, 0x61, 0x02, 0xe5, 0x9a, 0x4c, 0x77, 0x10, 0xbe, 0x2d, 0x95, 0x6a,
		0x03, 0xf1, 0xc8, 'g', 'w',
	};
	struct ikev2_payload pl[] = {
		eap(IKEV2_EAP_REQUEST, 2, EAP_MD5_CHALLENGE, BLOB(challenge)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 2), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_auth_request_eap_md5(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t response[] = {
		16, 0x27, 0xd0, 0x4a, 0x91, 0x6e, 0x08, 0xb3, 0x5c, 0xf2, 0x1d, 0x84, 0x39, 0xa7,
		0x60, 0x0b, 0xee,
	};
	struct ikev2_payload pl[] = {
		eap(IKEV2_EAP_RESPONSE, 2, EAP_MD5_CHALLENGE, BLOB(response)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 3), pl, ARRAY_LEN(pl), out, cap, len);
}

/* Success and Failure carry no type (RFC 3748 §4.2). */
int sample_v2_auth_response_eap_success(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		eap(IKEV2_EAP_SUCCESS, 2, 0, NULL, 0),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 3), pl, ARRAY_LEN(pl), out, cap, len);
}

/* After EAP both sides authenticate with the MSK as the shared key (§2.16). */
int sample_v2_auth_request_eap_auth(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		auth(IKEV2_AUTH_PSK, BLOB(sample_prf_out)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 4), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_auth_response_eap_auth(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		auth(IKEV2_AUTH_PSK, BLOB(sample_prf_out)),
		cp(IKEV2_CFG_REPLY, cfg_reply, ARRAY_LEN(cfg_reply)),
		sa(esp_chosen, ARRAY_LEN(esp_chosen)),
		ts(IKEV2_PL_TSI, ts_virtual_ip, ARRAY_LEN(ts_virtual_ip)),
		ts(IKEV2_PL_TSR, ts_gw_lan, ARRAY_LEN(ts_gw_lan)),
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, R_RESP, 4), pl, ARRAY_LEN(pl), out, cap, len);
}

/* ---- CREATE_CHILD_SA in the clear (§1.3) ------------------------------ */

/* Rekeying a Child SA names the old one in REKEY_SA (§1.3.3). */
int sample_v2_child_request_rekey_esp(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		notify_spi(IKEV2_PROTO_ESP, BLOB(esp_spi_i), IKEV2_N_REKEY_SA),
		sa(esp_rekey_offer, ARRAY_LEN(esp_rekey_offer)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_i)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_i)),
		ts(IKEV2_PL_TSI, ts_virtual_ip, ARRAY_LEN(ts_virtual_ip)),
		ts(IKEV2_PL_TSR, ts_gw_lan, ARRAY_LEN(ts_gw_lan)),
	};

	return emit(hdr(IKEV2_EXCH_CREATE_CHILD_SA, I_REQ, 5), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_child_response_rekey_esp(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		sa(esp_rekey_chosen, ARRAY_LEN(esp_rekey_chosen)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_r)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_r)),
		ts(IKEV2_PL_TSI, ts_virtual_ip, ARRAY_LEN(ts_virtual_ip)),
		ts(IKEV2_PL_TSR, ts_gw_lan, ARRAY_LEN(ts_gw_lan)),
	};

	return emit(hdr(IKEV2_EXCH_CREATE_CHILD_SA, R_RESP, 5), pl, ARRAY_LEN(pl), out, cap, len);
}

/* Rekeying the IKE SA (§1.3.2): SA, Ni, KEi, no selectors. */
int sample_v2_child_request_rekey_ike(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		sa(ike_rekey, ARRAY_LEN(ike_rekey)),
		blob(IKEV2_PL_NONCE, BLOB(sample_nonce_i)),
		ke(IKEV2_GROUP_CURVE25519, BLOB(sample_x25519_i)),
	};

	return emit(hdr(IKEV2_EXCH_CREATE_CHILD_SA, I_REQ, 6), pl, ARRAY_LEN(pl), out, cap, len);
}

/* ---- INFORMATIONAL in the clear (§1.4) -------------------------------- */

/* Deleting the IKE SA: protocol IKE, no SPIs (§3.11). */
int sample_v2_info_request_delete_ike(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		del(IKEV2_PROTO_IKE, 0, 0, NULL),
	};

	return emit(hdr(IKEV2_EXCH_INFORMATIONAL, I_REQ, 7), pl, ARRAY_LEN(pl), out, cap, len);
}

/* The responder deletes three of its inbound ESP SAs at once. */
int sample_v2_info_request_delete_esp(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t spis[12] = {
		0xcd, 0x93, 0x71, 0x05, 0xcd, 0x93, 0x71, 0x06, 0xcd, 0x93, 0x71, 0x07,
	};
	struct ikev2_payload pl[] = {
		del(IKEV2_PROTO_ESP, 4, 3, spis),
	};

	return emit(hdr(IKEV2_EXCH_INFORMATIONAL, R_REQ, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* A liveness check is an empty INFORMATIONAL request (§1.4). */
int sample_v2_info_request_empty(uint8_t *out, size_t cap, size_t *len)
{
	return emit(hdr(IKEV2_EXCH_INFORMATIONAL, R_REQ, 1), NULL, 0, out, cap, len);
}

int sample_v2_info_response_empty(uint8_t *out, size_t cap, size_t *len)
{
	return emit(hdr(IKEV2_EXCH_INFORMATIONAL, I_RESP, 1), NULL, 0, out, cap, len);
}

/* MOBIKE address update (RFC 4555 §3.5) after the initiator moved. */
int sample_v2_info_request_mobike_update(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		notify(IKEV2_N_UPDATE_SA_ADDRESSES, NULL, 0),
		notify(IKEV2_N_NAT_DETECTION_SOURCE_IP, BLOB(sample_natd_v2_r_dst)),
		notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP, BLOB(sample_natd_v2_r_src)),
		notify(IKEV2_N_COOKIE2, BLOB(cookie2)),
	};

	return emit(hdr(IKEV2_EXCH_INFORMATIONAL, I_REQ, 8), pl, ARRAY_LEN(pl), out, cap, len);
}

/* ---- protected messages: SK (§3.14) and SKF (RFC 7383) ---------------- */

static int send_sk(uint8_t exchange, uint8_t flags, uint32_t msgid, uint8_t first_inner,
		   const uint8_t *data, size_t data_len, uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		{ .type = IKEV2_PL_SK, .u.sk = { first_inner, data, data_len } },
	};

	return emit(hdr(exchange, flags, msgid), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_sk_auth_request(uint8_t *out, size_t cap, size_t *len)
{
	return send_sk(IKEV2_EXCH_IKE_AUTH, I_REQ, 1, IKEV2_PL_IDI, BLOB(sample_sk_body), out,
		       cap, len);
}

int sample_v2_sk_auth_response(uint8_t *out, size_t cap, size_t *len)
{
	return send_sk(IKEV2_EXCH_IKE_AUTH, R_RESP, 1, IKEV2_PL_IDR, BLOB(sample_sk_body), out,
		       cap, len);
}

int sample_v2_sk_child_request(uint8_t *out, size_t cap, size_t *len)
{
	return send_sk(IKEV2_EXCH_CREATE_CHILD_SA, I_REQ, 2, IKEV2_PL_NOTIFY,
		       BLOB(sample_sk_body), out, cap, len);
}

int sample_v2_sk_info_request_delete(uint8_t *out, size_t cap, size_t *len)
{
	return send_sk(IKEV2_EXCH_INFORMATIONAL, I_REQ, 3, IKEV2_PL_DELETE, sample_sk_body, 64,
		       out, cap, len);
}

/* An empty inner chain: the SK's next payload is 0 (§3.14). */
int sample_v2_sk_info_response_empty(uint8_t *out, size_t cap, size_t *len)
{
	return send_sk(IKEV2_EXCH_INFORMATIONAL, R_RESP, 3, IKEV2_PL_NONE, sample_sk_body, 48,
		       out, cap, len);
}

/* RFC 7383 §2.5: only the first fragment names the first inner payload. */
static int send_skf(uint16_t number, uint16_t total, uint8_t first_inner, const uint8_t *data,
		    size_t data_len, uint8_t *out, size_t cap, size_t *len)
{
	struct ikev2_payload pl[] = {
		{ .type = IKEV2_PL_SKF,
		  .u.skf = { first_inner, number, total, data, data_len } },
	};

	return emit(hdr(IKEV2_EXCH_IKE_AUTH, I_REQ, 1), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v2_skf_auth_request_1(uint8_t *out, size_t cap, size_t *len)
{
	return send_skf(1, 3, IKEV2_PL_IDI, BLOB(sample_frag_data), out, cap, len);
}

int sample_v2_skf_auth_request_2(uint8_t *out, size_t cap, size_t *len)
{
	return send_skf(2, 3, IKEV2_PL_NONE, BLOB(sample_frag_data), out, cap, len);
}

int sample_v2_skf_auth_request_3(uint8_t *out, size_t cap, size_t *len)
{
	return send_skf(3, 3, IKEV2_PL_NONE, sample_frag_data, 64, out, cap, len);
}
