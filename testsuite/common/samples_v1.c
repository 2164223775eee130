/* IKEv1 sample messages (RFC 2408, RFC 2409, IPsec DOI RFC 2407), built from
 * models with ikev1_build().
 *
 * The same two hosts as the IKEv2 samples: main mode with a PSK and NAT
 * traversal (RFC 3947), main mode with certificates, aggressive mode with
 * XAUTH, quick mode with UDP encapsulation and NAT-OA, informational
 * exchanges (INITIAL-CONTACT, DPD R-U-THERE per RFC 3706, deletes), Mode
 * Config / XAUTH transactions and Cisco-style fragments.
 *
 * From main mode message 5 on, IKEv1 encrypts everything after the header
 * (RFC 2408 §3.1). Most samples carry those payloads in the clear so decoders
 * see every payload type; the *-encrypted ones carry opaque ciphertext. */
#include <stdbool.h>
#include <string.h>

#include "ikev1_codec.h"
#include "samples_int.h"

/* A pointer and its size, for the helpers' (data, len) parameters. */
#define BLOB(a) (a), sizeof(a)
#define STR(s) (s), (sizeof(s) - 1)

/* Data attributes (RFC 2408 §3.3): basic (TV) and variable (TLV). */
#define TV(t, v) { .type = (t), .tv = true, .value = (v) }
#define TLV(t, d) { .type = (t), .data = (d), .len = sizeof(d) }
#define TLV_EMPTY(t) { .type = (t) }
#define ATTRS(a) { ARRAY_LEN(a), (a) }

/* ---- helpers ---------------------------------------------------------- */

static struct ike_hdr hdr(uint8_t exchange, uint8_t flags, uint32_t msgid)
{
	return (struct ike_hdr){
		.ispi = SAMPLE_V1_CKY_I, .rspi = SAMPLE_V1_CKY_R, .version = IKEV1_VERSION,
		.exchange = exchange, .flags = flags, .msgid = msgid,
	};
}

/* The first message of a phase 1 exchange has no responder cookie yet. */
static struct ike_hdr first_hdr(uint8_t exchange)
{
	struct ike_hdr h = hdr(exchange, 0, 0);

	h.rspi = 0;
	return h;
}

static int emit(struct ike_hdr h, struct ikev1_payload *pl, size_t n, uint8_t *out, size_t cap,
		size_t *len)
{
	struct ikev1_msg m = { .hdr = h, .chain = { .count = n, .pl = pl } };

	return ikev1_build(&m, out, cap, len, NULL);
}

/* KE, HASH, SIG, NONCE, VID and NAT-D are one opaque value each. */
static struct ikev1_payload blob(uint8_t type, const uint8_t *data, size_t len)
{
	struct ikev1_payload p = { .type = type };
	struct ikev1_blob b = { data, len };

	switch (type) {
	case IKEV1_PL_KE: p.u.ke = b; break;
	case IKEV1_PL_HASH: p.u.hash = b; break;
	case IKEV1_PL_SIG: p.u.sig = b; break;
	case IKEV1_PL_NONCE: p.u.nonce = b; break;
	case IKEV1_PL_VID: p.u.vid = b; break;
	default: p.u.natd = b; break;
	}
	return p;
}

/* The IPsec DOI with the identity-only situation (RFC 2407 §4.2). */
static struct ikev1_payload sa(struct ikev1_proposal *proposals, size_t n)
{
	return (struct ikev1_payload){
		.type = IKEV1_PL_SA,
		.u.sa = { IKEV1_DOI_IPSEC, IKEV1_SIT_IDENTITY_ONLY, n, proposals },
	};
}

/* RFC 2407 §4.6.2: the ID carries the protocol and port it applies to. */
static struct ikev1_payload id(uint8_t type, uint8_t protocol, uint16_t port, const void *data,
			       size_t len)
{
	return (struct ikev1_payload){
		.type = IKEV1_PL_ID, .u.id = { type, protocol, port, data, len },
	};
}

/* CERT and CR */
static struct ikev1_payload cert(uint8_t pt, uint8_t encoding, const uint8_t *data, size_t len)
{
	return (struct ikev1_payload){ .type = pt, .u.cert = { encoding, data, len } };
}

static struct ikev1_payload notify(uint8_t protocol, const uint8_t *spi, uint8_t spi_size,
				   uint16_t type, const void *data, size_t len)
{
	return (struct ikev1_payload){
		.type = IKEV1_PL_N,
		.u.notify = { IKEV1_DOI_IPSEC, protocol, spi_size, type, spi, data, len },
	};
}

static struct ikev1_payload del(uint8_t protocol, uint8_t spi_size, uint16_t nspis,
				const uint8_t *spis)
{
	return (struct ikev1_payload){
		.type = IKEV1_PL_D, .u.del = { IKEV1_DOI_IPSEC, protocol, spi_size, nspis, spis },
	};
}

/* NAT-OA (RFC 3947 §5.2): an IPv4 or IPv6 address. */
static struct ikev1_payload natoa(uint8_t pt, const uint8_t *addr, size_t len)
{
	struct ikev1_payload p = { .type = pt };

	p.u.natoa.id_type = len == 16 ? IKEV1_ID_IPV6_ADDR : IKEV1_ID_IPV4_ADDR;
	p.u.natoa.len = len;
	memcpy(p.u.natoa.addr, addr, len);
	return p;
}

/* The Mode Config / XAUTH attribute payload. */
static struct ikev1_payload attrp(uint8_t type, uint16_t identifier, struct ike_attr *attrs,
				  size_t n)
{
	return (struct ikev1_payload){
		.type = IKEV1_PL_ATTR, .u.attr = { type, identifier, { n, attrs } },
	};
}

/* ---- proposals and identities ----------------------------------------- */

/* Lifetimes too long for a basic attribute travel as 4-byte TLVs (RFC 2409
 * Appendix A says life durations are variable-length). */
static const uint8_t life_1day[4] = { 0x00, 0x01, 0x51, 0x80 };   /* 86400 s */
static const uint8_t life_1hour[4] = { 0x00, 0x00, 0x0e, 0x10 };  /* 3600 s */
static const uint8_t life_4500mb[4] = { 0x00, 0x46, 0x50, 0x00 }; /* 4608000 KB */

/* Phase 1 (RFC 2409 Appendix A). */
static struct ike_attr p1_aes256[] = {
	TV(IKEV1_ATTR_ENCRYPTION_ALGORITHM, IKEV1_ENCR_AES_CBC),
	TV(IKEV1_ATTR_KEY_LENGTH, 256),
	TV(IKEV1_ATTR_HASH_ALGORITHM, IKEV1_HASH_SHA2_256),
	TV(IKEV1_ATTR_AUTHENTICATION_METHOD, IKEV1_AUTH_PSK),
	TV(IKEV1_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_2048),
	TV(IKEV1_ATTR_LIFE_TYPE, IKEV1_LIFE_SECONDS),
	TLV(IKEV1_ATTR_LIFE_DURATION, life_1day),
};
static struct ike_attr p1_aes128[] = {
	TV(IKEV1_ATTR_ENCRYPTION_ALGORITHM, IKEV1_ENCR_AES_CBC),
	TV(IKEV1_ATTR_KEY_LENGTH, 128),
	TV(IKEV1_ATTR_HASH_ALGORITHM, IKEV1_HASH_SHA),
	TV(IKEV1_ATTR_AUTHENTICATION_METHOD, IKEV1_AUTH_PSK),
	TV(IKEV1_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_2048),
	TV(IKEV1_ATTR_LIFE_TYPE, IKEV1_LIFE_SECONDS),
	TV(IKEV1_ATTR_LIFE_DURATION, 28800),
};
static struct ike_attr p1_3des[] = {
	TV(IKEV1_ATTR_ENCRYPTION_ALGORITHM, IKEV1_ENCR_3DES_CBC),
	TV(IKEV1_ATTR_HASH_ALGORITHM, IKEV1_HASH_SHA),
	TV(IKEV1_ATTR_AUTHENTICATION_METHOD, IKEV1_AUTH_PSK),
	TV(IKEV1_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_1024),
	TV(IKEV1_ATTR_LIFE_TYPE, IKEV1_LIFE_SECONDS),
	TLV(IKEV1_ATTR_LIFE_DURATION, life_1day),
};
static struct ike_attr p1_xauth[] = {
	TV(IKEV1_ATTR_ENCRYPTION_ALGORITHM, IKEV1_ENCR_AES_CBC),
	TV(IKEV1_ATTR_KEY_LENGTH, 256),
	TV(IKEV1_ATTR_HASH_ALGORITHM, IKEV1_HASH_SHA2_256),
	TV(IKEV1_ATTR_AUTHENTICATION_METHOD, IKEV1_AUTH_XAUTH_INIT_PSK),
	TV(IKEV1_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_2048),
	TV(IKEV1_ATTR_LIFE_TYPE, IKEV1_LIFE_SECONDS),
	TLV(IKEV1_ATTR_LIFE_DURATION, life_1day),
};
static struct ikev1_transform p1_offer[] = {
	{ .num = 1, .id = IKEV1_KEY_IKE, .attrs = ATTRS(p1_aes256) },
	{ .num = 2, .id = IKEV1_KEY_IKE, .attrs = ATTRS(p1_aes128) },
	{ .num = 3, .id = IKEV1_KEY_IKE, .attrs = ATTRS(p1_3des) },
};
static struct ikev1_transform p1_xauth_offer[] = {
	{ .num = 1, .id = IKEV1_KEY_IKE, .attrs = ATTRS(p1_xauth) },
};
/* The ISAKMP SA proposal has no SPI: the cookies name it (RFC 2408 §3.5). */
static struct ikev1_proposal p1_offer_prop[] = {
	{ .num = 1, .protocol = IKEV1_PROTO_ISAKMP, .ntransforms = ARRAY_LEN(p1_offer),
	  .transforms = p1_offer },
};
/* The responder returns the one transform it accepted. */
static struct ikev1_proposal p1_chosen_prop[] = {
	{ .num = 1, .protocol = IKEV1_PROTO_ISAKMP, .ntransforms = 1, .transforms = p1_offer },
};
static struct ikev1_proposal p1_xauth_prop[] = {
	{ .num = 1, .protocol = IKEV1_PROTO_ISAKMP, .ntransforms = ARRAY_LEN(p1_xauth_offer),
	  .transforms = p1_xauth_offer },
};

/* Phase 2, IPsec DOI attributes (RFC 2407 §4.5), UDP-encapsulated tunnel
 * mode (RFC 3947 §5.1) with PFS. */
static struct ike_attr p2_aes[] = {
	TV(IKEV1_IPSEC_ATTR_SA_LIFE_TYPE, IKEV1_LIFE_SECONDS),
	TLV(IKEV1_IPSEC_ATTR_SA_LIFE_DURATION, life_1hour),
	TV(IKEV1_IPSEC_ATTR_SA_LIFE_TYPE, IKEV1_LIFE_KILOBYTES),
	TLV(IKEV1_IPSEC_ATTR_SA_LIFE_DURATION, life_4500mb),
	TV(IKEV1_IPSEC_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_2048),
	TV(IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, IKEV1_ENCAP_UDP_TUNNEL_RFC),
	TV(IKEV1_IPSEC_ATTR_AUTH_ALGORITHM, IKEV1_AUTH_ALG_HMAC_SHA2_256),
	TV(IKEV1_IPSEC_ATTR_KEY_LENGTH, 256),
};
static struct ike_attr p2_3des[] = {
	TV(IKEV1_IPSEC_ATTR_SA_LIFE_TYPE, IKEV1_LIFE_SECONDS),
	TLV(IKEV1_IPSEC_ATTR_SA_LIFE_DURATION, life_1hour),
	TV(IKEV1_IPSEC_ATTR_GROUP_DESCRIPTION, IKEV1_GROUP_MODP_2048),
	TV(IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, IKEV1_ENCAP_UDP_TUNNEL_RFC),
	TV(IKEV1_IPSEC_ATTR_AUTH_ALGORITHM, IKEV1_AUTH_ALG_HMAC_SHA),
};
static struct ike_attr p2_tunnel[] = {
	TV(IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, IKEV1_ENCAP_TUNNEL),
	TV(IKEV1_IPSEC_ATTR_AUTH_ALGORITHM, IKEV1_AUTH_ALG_HMAC_SHA2_256),
	TV(IKEV1_IPSEC_ATTR_KEY_LENGTH, 128),
};
static struct ike_attr p2_ipcomp[] = {
	TV(IKEV1_IPSEC_ATTR_ENCAPSULATION_MODE, IKEV1_ENCAP_TUNNEL),
};
static struct ikev1_transform esp_aes[] = {
	{ .num = 1, .id = IKEV1_ESP_AES, .attrs = ATTRS(p2_aes) },
};
static struct ikev1_transform esp_3des[] = {
	{ .num = 1, .id = IKEV1_ESP_3DES, .attrs = ATTRS(p2_3des) },
};
static struct ikev1_transform esp_aes_tunnel[] = {
	{ .num = 1, .id = IKEV1_ESP_AES, .attrs = ATTRS(p2_tunnel) },
};
static struct ikev1_transform ipcomp_deflate[] = {
	{ .num = 1, .id = IKEV1_IPCOMP_DEFLATE, .attrs = ATTRS(p2_ipcomp) },
};

/* ESP SPIs are 4 bytes; IPComp sends its 2-byte CPI (RFC 2407 §4.4.5). */
static const uint8_t esp_spi_i[4] = { 0x0c, 0x9e, 0x34, 0x11 };
static const uint8_t esp_spi_r[4] = { 0xa5, 0x20, 0x7d, 0x68 };
static const uint8_t ipcomp_cpi[2] = { 0x4e, 0x21 };

/* Two alternatives, numbered 1 and 2 (RFC 2408 §4.2). */
static struct ikev1_proposal p2_offer[] = {
	{ .num = 1, .protocol = IKEV1_PROTO_ESP, .spi_size = 4, .spi = esp_spi_i,
	  .ntransforms = ARRAY_LEN(esp_aes), .transforms = esp_aes },
	{ .num = 2, .protocol = IKEV1_PROTO_ESP, .spi_size = 4, .spi = esp_spi_i,
	  .ntransforms = ARRAY_LEN(esp_3des), .transforms = esp_3des },
};
static struct ikev1_proposal p2_chosen[] = {
	{ .num = 1, .protocol = IKEV1_PROTO_ESP, .spi_size = 4, .spi = esp_spi_r,
	  .ntransforms = ARRAY_LEN(esp_aes), .transforms = esp_aes },
};
/* ESP AND IPComp: two proposals sharing number 1 (RFC 2408 §4.2). */
static struct ikev1_proposal p2_esp_and_ipcomp[] = {
	{ .num = 1, .protocol = IKEV1_PROTO_ESP, .spi_size = 4, .spi = esp_spi_i,
	  .ntransforms = ARRAY_LEN(esp_aes_tunnel), .transforms = esp_aes_tunnel },
	{ .num = 1, .protocol = IKEV1_PROTO_IPCOMP, .spi_size = 2, .spi = ipcomp_cpi,
	  .ntransforms = ARRAY_LEN(ipcomp_deflate), .transforms = ipcomp_deflate },
};

static const char fqdn_gw[] = "gw.example.org";
static const char key_id_group[] = "osprey-group";
static const uint8_t ipv4_i[4] = { 192, 0, 2, 10 };
static const uint8_t ipv4_r[4] = { 198, 51, 100, 1 };
static const uint8_t ipv4_i_private[4] = { 192, 168, 1, 10 };
/* Quick mode IDs: address and mask (RFC 2407 §4.6.2.1). */
static const uint8_t subnet_i[8] = { 10, 1, 0, 0, 255, 255, 255, 0 };
static const uint8_t subnet_r[8] = { 10, 0, 0, 0, 255, 255, 0, 0 };
static const uint8_t subnet6_i[32] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0a, [16] = 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t subnet6_r[32] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x53, [16] = 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t ipv6_i_private[16] = { 0xfd, 0x00, 0x00, 0x0a, [15] = 0x10 };

/* Vendor IDs: MD5("RFC 3947") (RFC 3947 §3), MD5 of the draft-02 name, the
 * DPD ID from RFC 3706 §5.1, the XAUTH ID and MD5("FRAGMENTATION"). */
static const uint8_t vid_rfc3947[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
					 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static const uint8_t vid_natt_draft02[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
					      0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };
static const uint8_t vid_dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				     0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
static const uint8_t vid_xauth[8] = { 0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12 };
static const uint8_t vid_frag[16] = { 0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
				      0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3 };

/* The ISAKMP SA's SPI is the cookie pair (RFC 2408 §3.14, RFC 3706 §5). */
static const uint8_t cookie_pair[16] = { 0xd1, 0xe2, 0xf3, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8,
					 0x5a, 0x6b, 0x7c, 0x8d, 0x9e, 0xaf, 0xb0, 0xc1 };

/* ---- main mode (RFC 2409 §5) ------------------------------------------ */

int sample_v1_main_1(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		sa(p1_offer_prop, ARRAY_LEN(p1_offer_prop)),
		blob(IKEV1_PL_VID, BLOB(vid_rfc3947)),
		blob(IKEV1_PL_VID, BLOB(vid_natt_draft02)),
		blob(IKEV1_PL_VID, BLOB(vid_dpd)),
		blob(IKEV1_PL_VID, BLOB(vid_frag)),
		blob(IKEV1_PL_VID, BLOB(vid_xauth)),
	};

	return emit(first_hdr(IKEV1_EXCH_MAIN), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_main_2(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		sa(p1_chosen_prop, ARRAY_LEN(p1_chosen_prop)),
		blob(IKEV1_PL_VID, BLOB(vid_rfc3947)),
		blob(IKEV1_PL_VID, BLOB(vid_dpd)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* NAT-D: first the hash of the peer's address, then our own (RFC 3947 §3.2). */
int sample_v1_main_3(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_i)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_i)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_a)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_b)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_main_4(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_r)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_r)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_b)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_a)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* With a peer that only announced draft-02, NAT-D is private type 130. */
int sample_v1_main_3_draft_natd(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_i)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_i)),
		blob(IKEV1_PL_NATD_DRAFT, BLOB(sample_natd_v1_a)),
		blob(IKEV1_PL_NATD_DRAFT, BLOB(sample_natd_v1_b)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* RFC 2407 §4.6.2: a phase 1 ID names UDP port 500 (or 0). */
int sample_v1_main_5_psk(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		id(IKEV1_ID_IPV4_ADDR, 17, 500, BLOB(ipv4_i)),
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		notify(IKEV1_PROTO_ISAKMP, BLOB(cookie_pair), IKEV1_N_INITIAL_CONTACT, NULL, 0),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_main_6_psk(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		id(IKEV1_ID_FQDN, 17, 500, STR(fqdn_gw)),
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* Signature authentication: the gateway sends its certificate, asks for one
 * from the CA it trusts (CR names the CA's DN, RFC 2408 §3.10) and signs. */
int sample_v1_main_5_cert(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		id(IKEV1_ID_DER_ASN1_DN, 0, 0, BLOB(sample_dn_gw)),
		cert(IKEV1_PL_CERT, IKEV1_CERT_X509_SIG, BLOB(sample_cert_gw)),
		cert(IKEV1_PL_CR, IKEV1_CERT_X509_SIG, BLOB(sample_dn_ca)),
		blob(IKEV1_PL_SIG, BLOB(sample_ecdsa_sig)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_main_6_sig(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		id(IKEV1_ID_DER_ASN1_DN, 0, 0, BLOB(sample_dn_alice)),
		blob(IKEV1_PL_SIG, BLOB(sample_rsa_sig)),
	};

	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* As sent: the header names ID as the first (encrypted) payload. */
int sample_v1_main_5_encrypted(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_msg m = {
		.hdr = hdr(IKEV1_EXCH_MAIN, IKEV1_FLAG_ENCRYPTION, 0),
		.encrypted = sample_v1_ciphertext,
		.encrypted_len = sizeof(sample_v1_ciphertext),
	};

	m.hdr.next_payload = IKEV1_PL_ID;
	return ikev1_build(&m, out, cap, len, NULL);
}

/* ---- aggressive mode (RFC 2409 §5) ------------------------------------ */

/* A Cisco-style remote access client: group name as KEY_ID, XAUTH. */
int sample_v1_aggressive_1(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		sa(p1_xauth_prop, ARRAY_LEN(p1_xauth_prop)),
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_i)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_i)),
		id(IKEV1_ID_KEY_ID, 0, 0, STR(key_id_group)),
		blob(IKEV1_PL_VID, BLOB(vid_rfc3947)),
		blob(IKEV1_PL_VID, BLOB(vid_xauth)),
		blob(IKEV1_PL_VID, BLOB(vid_dpd)),
	};

	return emit(first_hdr(IKEV1_EXCH_AGGRESSIVE), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_aggressive_2(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		sa(p1_xauth_prop, ARRAY_LEN(p1_xauth_prop)),
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_r)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_r)),
		id(IKEV1_ID_IPV4_ADDR, 17, 500, BLOB(ipv4_r)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_b)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_a)),
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		blob(IKEV1_PL_VID, BLOB(vid_rfc3947)),
		blob(IKEV1_PL_VID, BLOB(vid_dpd)),
	};

	return emit(hdr(IKEV1_EXCH_AGGRESSIVE, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* RFC 3947 §4: with a NAT detected, the third message moves to port 4500. */
int sample_v1_aggressive_3(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_a)),
		blob(IKEV1_PL_NATD, BLOB(sample_natd_v1_b)),
	};

	return emit(hdr(IKEV1_EXCH_AGGRESSIVE, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* ---- quick mode (RFC 2409 §5.5) --------------------------------------- */

#define QM_MSGID 0x6b8b4567

/* HASH(1), SA, Ni, KE (PFS), IDci, IDcr, and the NAT-OA payloads of RFC 3947
 * §5.1: the initiator's address before the NAT, and the responder's. */
int sample_v1_quick_1(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		sa(p2_offer, ARRAY_LEN(p2_offer)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_i)),
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_i)),
		id(IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, BLOB(subnet_i)),
		id(IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, BLOB(subnet_r)),
		natoa(IKEV1_PL_NATOA, BLOB(ipv4_i_private)),
		natoa(IKEV1_PL_NATOA, BLOB(ipv4_r)),
	};

	return emit(hdr(IKEV1_EXCH_QUICK, 0, QM_MSGID), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_quick_2(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		sa(p2_chosen, ARRAY_LEN(p2_chosen)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_r)),
		blob(IKEV1_PL_KE, BLOB(sample_modp2048_r)),
		id(IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, BLOB(subnet_i)),
		id(IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, BLOB(subnet_r)),
		natoa(IKEV1_PL_NATOA, BLOB(ipv4_i)),
		natoa(IKEV1_PL_NATOA, BLOB(ipv4_r)),
	};

	return emit(hdr(IKEV1_EXCH_QUICK, 0, QM_MSGID), pl, ARRAY_LEN(pl), out, cap, len);
}

/* IPv6 subnets, ESP with IPComp, and a draft-style NAT-OA (type 131) with an
 * IPv6 address; no PFS. */
int sample_v1_quick_1_ipv6_ipcomp(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		sa(p2_esp_and_ipcomp, ARRAY_LEN(p2_esp_and_ipcomp)),
		blob(IKEV1_PL_NONCE, BLOB(sample_nonce_i)),
		id(IKEV1_ID_IPV6_ADDR_SUBNET, 0, 0, BLOB(subnet6_i)),
		id(IKEV1_ID_IPV6_ADDR_SUBNET, 0, 0, BLOB(subnet6_r)),
		natoa(IKEV1_PL_NATOA_DRAFT, BLOB(ipv6_i_private)),
	};

	return emit(hdr(IKEV1_EXCH_QUICK, 0, 0x2e1f4a07), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_quick_3(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
	};

	return emit(hdr(IKEV1_EXCH_QUICK, 0, QM_MSGID), pl, ARRAY_LEN(pl), out, cap, len);
}

/* As sent: every quick mode message starts with HASH (RFC 2409 §5.5). */
int sample_v1_quick_1_encrypted(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_msg m = {
		.hdr = hdr(IKEV1_EXCH_QUICK, IKEV1_FLAG_ENCRYPTION, QM_MSGID),
		.encrypted = sample_v1_ciphertext,
		.encrypted_len = 64,
	};

	m.hdr.next_payload = IKEV1_PL_HASH;
	return ikev1_build(&m, out, cap, len, NULL);
}

/* ---- informational (RFC 2408 §4.8, RFC 2409 §5.7) --------------------- */

int sample_v1_info_initial_contact(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		notify(IKEV1_PROTO_ISAKMP, BLOB(cookie_pair), IKEV1_N_INITIAL_CONTACT, NULL, 0),
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0x1c0ffee1), pl, ARRAY_LEN(pl), out, cap,
		    len);
}

/* RFC 3706 §5: the notify data is a 32-bit sequence number. */
int sample_v1_info_r_u_there(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t seq[4] = { 0x00, 0x00, 0x3a, 0x97 };
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		notify(IKEV1_PROTO_ISAKMP, BLOB(cookie_pair), IKEV1_N_R_U_THERE, BLOB(seq)),
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0x51d2e3f4), pl, ARRAY_LEN(pl), out, cap,
		    len);
}

int sample_v1_info_r_u_there_ack(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t seq[4] = { 0x00, 0x00, 0x3a, 0x97 };
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		notify(IKEV1_PROTO_ISAKMP, BLOB(cookie_pair), IKEV1_N_R_U_THERE_ACK, BLOB(seq)),
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0x0a4b9c2d), pl, ARRAY_LEN(pl), out, cap,
		    len);
}

int sample_v1_info_delete_esp(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t spis[8] = { 0x0c, 0x9e, 0x34, 0x11, 0xa5, 0x20, 0x7d, 0x68 };
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		del(IKEV1_PROTO_ESP, 4, 2, spis),
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0x3f08a1b2), pl, ARRAY_LEN(pl), out, cap,
		    len);
}

/* Deleting the ISAKMP SA names it by its cookie pair (RFC 2408 §3.15). */
int sample_v1_info_delete_isakmp(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		del(IKEV1_PROTO_ISAKMP, 16, 1, cookie_pair),
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0x77c3d9e5), pl, ARRAY_LEN(pl), out, cap,
		    len);
}

/* The answer to an unacceptable main mode 1: unauthenticated, no HASH. */
int sample_v1_info_no_proposal_chosen(uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		notify(IKEV1_PROTO_ISAKMP, NULL, 0, IKEV1_N_NO_PROPOSAL_CHOSEN, NULL, 0),
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

/* A private-use payload type (RFC 2408 §3.1) the codec keeps as raw bytes. */
int sample_v1_info_private_payload(uint8_t *out, size_t cap, size_t *len)
{
	static const uint8_t private_body[] = "osprey private payload";
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		{ .type = 200, .body = private_body, .body_len = sizeof(private_body) },
	};

	return emit(hdr(IKEV1_EXCH_INFORMATIONAL, 0, 0x12345678), pl, ARRAY_LEN(pl), out, cap,
		    len);
}

/* ---- transaction: XAUTH and Mode Config ------------------------------- */

/* XAUTH (draft-beaulieu-ike-xauth-02 §4): the gateway asks for a user name
 * and password; empty TLVs ask, filled ones answer. */
static const char xauth_user[] = "alice";
static const char xauth_password[] = "correct horse battery staple";
static struct ike_attr xauth_request[] = {
	TV(IKEV1_XAUTH_TYPE, IKEV1_XAUTH_TYPE_GENERIC),
	TLV_EMPTY(IKEV1_XAUTH_USER_NAME),
	TLV_EMPTY(IKEV1_XAUTH_USER_PASSWORD),
};
static struct ike_attr xauth_reply[] = {
	TV(IKEV1_XAUTH_TYPE, IKEV1_XAUTH_TYPE_GENERIC),
	{ .type = IKEV1_XAUTH_USER_NAME, .data = (const uint8_t *)xauth_user,
	  .len = sizeof(xauth_user) - 1 },
	{ .type = IKEV1_XAUTH_USER_PASSWORD, .data = (const uint8_t *)xauth_password,
	  .len = sizeof(xauth_password) - 1 },
};
static struct ike_attr xauth_status_ok[] = {
	TV(IKEV1_XAUTH_STATUS, IKEV1_XAUTH_STATUS_OK),
};

static int emit_attr(uint32_t msgid, uint8_t type, uint16_t identifier, struct ike_attr *attrs,
		     size_t n, uint8_t *out, size_t cap, size_t *len)
{
	struct ikev1_payload pl[] = {
		blob(IKEV1_PL_HASH, BLOB(sample_prf_out)),
		attrp(type, identifier, attrs, n),
	};

	return emit(hdr(IKEV1_EXCH_TRANSACTION, 0, msgid), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_xauth_request(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x5ab3c2d1, IKEV1_CFG_REQUEST, 0x2c1f, xauth_request,
			 ARRAY_LEN(xauth_request), out, cap, len);
}

int sample_v1_xauth_reply(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x5ab3c2d1, IKEV1_CFG_REPLY, 0x2c1f, xauth_reply, ARRAY_LEN(xauth_reply),
			 out, cap, len);
}

int sample_v1_xauth_set_status(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x6e72f013, IKEV1_CFG_SET, 0x7a30, xauth_status_ok,
			 ARRAY_LEN(xauth_status_ok), out, cap, len);
}

int sample_v1_xauth_ack_status(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x6e72f013, IKEV1_CFG_ACK, 0x7a30, xauth_status_ok,
			 ARRAY_LEN(xauth_status_ok), out, cap, len);
}

/* Mode Config (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2). */
static const char app_version[] = "osprey 0.1.0";
static const uint8_t vip4[4] = { 10, 1, 0, 5 };
static const uint8_t netmask[4] = { 255, 255, 255, 0 };
static const uint8_t dns[4] = { 10, 0, 0, 53 };
static struct ike_attr cfg_request[] = {
	TLV_EMPTY(IKEV1_CFG_ATTR_INTERNAL_IP4_ADDRESS),
	TLV_EMPTY(IKEV1_CFG_ATTR_INTERNAL_IP4_NETMASK),
	TLV_EMPTY(IKEV1_CFG_ATTR_INTERNAL_IP4_DNS),
	{ .type = IKEV1_CFG_ATTR_APPLICATION_VERSION, .data = (const uint8_t *)app_version,
	  .len = sizeof(app_version) - 1 },
};
static struct ike_attr cfg_set[] = {
	TLV(IKEV1_CFG_ATTR_INTERNAL_IP4_ADDRESS, vip4),
	TLV(IKEV1_CFG_ATTR_INTERNAL_IP4_NETMASK, netmask),
	TLV(IKEV1_CFG_ATTR_INTERNAL_IP4_DNS, dns),
};
static struct ike_attr cfg_ack[] = {
	TLV_EMPTY(IKEV1_CFG_ATTR_INTERNAL_IP4_ADDRESS),
	TLV_EMPTY(IKEV1_CFG_ATTR_INTERNAL_IP4_NETMASK),
	TLV_EMPTY(IKEV1_CFG_ATTR_INTERNAL_IP4_DNS),
};

int sample_v1_modecfg_request(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x0de1a2b3, IKEV1_CFG_REQUEST, 0x0e55, cfg_request,
			 ARRAY_LEN(cfg_request), out, cap, len);
}

/* Push mode: the gateway sets the address, the client acknowledges. */
int sample_v1_modecfg_set(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x4f9e8d7c, IKEV1_CFG_SET, 0x4d21, cfg_set, ARRAY_LEN(cfg_set), out, cap,
			 len);
}

int sample_v1_modecfg_ack(uint8_t *out, size_t cap, size_t *len)
{
	return emit_attr(0x4f9e8d7c, IKEV1_CFG_ACK, 0x4d21, cfg_ack, ARRAY_LEN(cfg_ack), out, cap,
			 len);
}

/* ---- Cisco-style fragments (private payload type 132) ----------------- */

/* Each fragment carries a piece of the original message, header included;
 * here the encrypted main mode 5 above, cut in two (fragment ID 1). */
#define FRAG_SPLIT 64

static int emit_frag(uint8_t number, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t whole[256];
	size_t whole_len = 0;
	struct ikev1_payload pl[] = {
		{ .type = IKEV1_PL_FRAG, .u.frag = { .id = 1, .number = number } },
	};

	if (sample_v1_main_5_encrypted(whole, sizeof(whole), &whole_len) != 0)
		return -1;
	if (number == 1) {
		pl[0].u.frag.data = whole;
		pl[0].u.frag.len = FRAG_SPLIT;
	} else {
		pl[0].u.frag.flags = IKEV1_FRAG_LAST;
		pl[0].u.frag.data = whole + FRAG_SPLIT;
		pl[0].u.frag.len = whole_len - FRAG_SPLIT;
	}
	return emit(hdr(IKEV1_EXCH_MAIN, 0, 0), pl, ARRAY_LEN(pl), out, cap, len);
}

int sample_v1_fragment_1(uint8_t *out, size_t cap, size_t *len)
{
	return emit_frag(1, out, cap, len);
}

int sample_v1_fragment_2_last(uint8_t *out, size_t cap, size_t *len)
{
	return emit_frag(2, out, cap, len);
}
