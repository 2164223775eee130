/* The IKEv2 wire codec (RFC 7296 §3): one model of a message, a parser that
 * fills it from bytes and a builder that writes it back.
 *
 * The parser never copies payload data: every data pointer in a parsed model
 * points into the caller's buffer, which must outlive the model. Arrays
 * (proposals, transforms, selectors, attributes, payloads) come from a
 * caller-supplied arena, so parsing does no malloc and memory has a bound.
 *
 * The SK payload (§3.14) and SKF payload (RFC 7383 §2.5) are always last in
 * the outer chain; their data is IV | ciphertext | ICV as received. After
 * decryption the engine parses the inner chain with ikev2_parse_chain(),
 * passing the SK's first_inner type. To send, the engine builds the inner
 * chain with ikev2_build_chain(), encrypts it, and builds the outer message
 * with an SK payload holding the result. */
#ifndef OSPREY_IKEV2_CODEC_H
#define OSPREY_IKEV2_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_attr.h"
#include "ike_error.h"
#include "ike_hdr.h"
#include "ikev2_const.h"
#include "wire.h"

#define IKEV2_HDR_LEN IKE_HDR_LEN
#define IKEV2_PAYLOAD_HDR_LEN 4
#define IKEV2_CRITICAL 0x80

/* §3.3.2 */
struct ikev2_transform {
	uint8_t type;
	uint16_t id;
	struct ike_attr_list attrs;
};

/* §3.3.1 */
struct ikev2_proposal {
	uint8_t num;
	uint8_t protocol;
	uint8_t spi_size;
	const uint8_t *spi;
	size_t ntransforms;
	struct ikev2_transform *transforms;
};

struct ikev2_sa {
	size_t nproposals;
	struct ikev2_proposal *proposals;
};

/* §3.4 */
struct ikev2_ke {
	uint16_t group;
	const uint8_t *data;
	size_t len;
};

/* §3.5: IDi, IDr */
struct ikev2_id {
	uint8_t type;
	const uint8_t *data;
	size_t len;
};

/* §3.6, §3.7: CERT, CERTREQ */
struct ikev2_cert {
	uint8_t encoding;
	const uint8_t *data;
	size_t len;
};

/* §3.8 */
struct ikev2_auth {
	uint8_t method;
	const uint8_t *data;
	size_t len;
};

/* Nonce (§3.9), Vendor ID (§3.12) and unknown payloads. */
struct ikev2_blob {
	const uint8_t *data;
	size_t len;
};

/* §3.10 */
struct ikev2_notify {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

/* §3.11 */
struct ikev2_delete {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t nspis;
	const uint8_t *spis; /* nspis * spi_size bytes */
};

/* §3.13.1. Address ranges are decoded; other selector types (TS_FC_ADDR_RANGE,
 * TS_SECLABEL) keep their second byte in ip_proto and the rest in data. */
struct ikev2_ts {
	uint8_t type;
	uint8_t ip_proto;
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];
	uint8_t end[16];
	const uint8_t *data;
	uint16_t len;
};

struct ikev2_ts_list {
	size_t count;
	struct ikev2_ts *ts;
};

/* §3.14 */
struct ikev2_sk {
	uint8_t first_inner;
	const uint8_t *data; /* IV | encrypted inner chain + padding | ICV */
	size_t len;
};

/* RFC 7383 §2.5 */
struct ikev2_skf {
	uint8_t first_inner; /* non-zero only in fragment 1 */
	uint16_t number;
	uint16_t total;
	const uint8_t *data;
	size_t len;
};

/* §3.15.1 */
struct ikev2_cfg_attr {
	uint16_t type; /* 15 bits */
	const uint8_t *data;
	uint16_t len;
};

/* §3.15 */
struct ikev2_cp {
	uint8_t type;
	size_t nattrs;
	struct ikev2_cfg_attr *attrs;
};

/* §3.16 with RFC 3748 §4: the EAP header is decoded, the rest kept. */
struct ikev2_eap {
	uint8_t code;
	uint8_t identifier;
	uint8_t type;         /* only for Request and Response */
	const uint8_t *data;  /* type data */
	size_t len;
};

struct ikev2_payload {
	uint8_t type;
	bool critical;
	/* Parser: the body after the generic header. Builder: the body written for
	 * payload types without a model (unknown, GSPM, ...). */
	const uint8_t *body;
	size_t body_len;
	union {
		struct ikev2_sa sa;
		struct ikev2_ke ke;
		struct ikev2_id id;
		struct ikev2_cert cert;
		struct ikev2_auth auth;
		struct ikev2_blob nonce;
		struct ikev2_notify notify;
		struct ikev2_delete del;
		struct ikev2_blob vendor;
		struct ikev2_ts_list ts;
		struct ikev2_sk sk;
		struct ikev2_cp cp;
		struct ikev2_eap eap;
		struct ikev2_skf skf;
	} u;
};

struct ikev2_chain {
	size_t count;
	struct ikev2_payload *pl;
};

struct ikev2_msg {
	struct ike_hdr hdr;
	struct ikev2_chain chain;
};

/* The fixed header only (§3.1): for routing a datagram before a full parse.
 * Checks the major version and that the length field equals len. */
int ikev2_parse_header(const uint8_t *buf, size_t len, struct ike_hdr *hdr,
		       struct ike_error *err);

/* Header and outer payload chain. */
int ikev2_parse(const uint8_t *buf, size_t len, struct ike_arena *arena, struct ikev2_msg *msg,
		struct ike_error *err);

/* A payload chain starting with type first (the inner chain of a decrypted SK).
 * base_off is the chain's offset in the message, for error reports. */
int ikev2_parse_chain(uint8_t first, const uint8_t *buf, size_t len, size_t base_off,
		      struct ike_arena *arena, struct ikev2_chain *chain, struct ike_error *err);

/* Writes the message; next-payload and length fields are derived from the model.
 * On success *out_len is the message length. */
int ikev2_build(const struct ikev2_msg *msg, uint8_t *out, size_t cap, size_t *out_len,
		struct ike_error *err);
int ikev2_build_chain(const struct ikev2_chain *chain, uint8_t *out, size_t cap, size_t *out_len,
		      struct ike_error *err);

/* True for payload types the codec models (the rest travel as raw bodies). */
bool ikev2_payload_known(uint8_t type);

const struct ikev2_payload *ikev2_find(const struct ikev2_chain *c, uint8_t type);
const struct ikev2_payload *ikev2_find_notify(const struct ikev2_chain *c, uint16_t ntype);

/* One line in the style operators know: "IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) ]". */
int ikev2_msg_summary(const struct ikev2_msg *msg, char *buf, size_t len);
int ikev2_chain_summary(const struct ikev2_chain *c, char *buf, size_t len);

#endif
