/* The IKEv1 / ISAKMP wire codec: RFC 2408 §3 payloads with the IPsec DOI
 * (RFC 2407 §4.6), NAT-T payloads (RFC 3947 §3.2, §5.2, and the draft
 * numbers 130/131), the Mode Config / XAUTH attribute payload
 * (draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2) and Cisco-style IKE fragments.
 *
 * Same contract as the IKEv2 codec: zero-copy data pointers into the caller's
 * buffer, arrays from a caller arena, first error reported with its payload,
 * field and offset.
 *
 * With the encryption flag set, everything after the header is ciphertext:
 * ikev1_parse() then stops after the header and hands back the ciphertext;
 * the engine decrypts and calls ikev1_parse_chain() on the plaintext, whose
 * first payload type is the header's next_payload (RFC 2408 §3.1). IKEv1
 * pads the plaintext to the cipher's block size, so that call accepts
 * trailing padding when told to. */
#ifndef OSPREY_IKEV1_CODEC_H
#define OSPREY_IKEV1_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_attr.h"
#include "ike_error.h"
#include "ike_hdr.h"
#include "ikev1_const.h"
#include "wire.h"

#define IKEV1_HDR_LEN IKE_HDR_LEN
#define IKEV1_PAYLOAD_HDR_LEN 4

/* RFC 2408 §3.6 */
struct ikev1_transform {
	uint8_t num;
	uint8_t id;
	struct ike_attr_list attrs;
};

/* RFC 2408 §3.5 */
struct ikev1_proposal {
	uint8_t num;
	uint8_t protocol;
	uint8_t spi_size;
	const uint8_t *spi;
	size_t ntransforms;
	struct ikev1_transform *transforms;
};

/* RFC 2408 §3.4 with the IPsec DOI's 32-bit situation (RFC 2407 §4.6.1). */
struct ikev1_sa {
	uint32_t doi;
	uint32_t situation;
	size_t nproposals;
	struct ikev1_proposal *proposals;
};

/* RFC 2407 §4.6.2 */
struct ikev1_id {
	uint8_t type;
	uint8_t protocol;
	uint16_t port;
	const uint8_t *data;
	size_t len;
};

/* CERT (§3.9) and CR (§3.10) */
struct ikev1_cert {
	uint8_t encoding;
	const uint8_t *data;
	size_t len;
};

/* KE, HASH, SIG, NONCE, VID, NAT-D and unknown payloads. */
struct ikev1_blob {
	const uint8_t *data;
	size_t len;
};

/* §3.14 */
struct ikev1_notify {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

/* §3.15 */
struct ikev1_delete {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t nspis;
	const uint8_t *spis;
};

/* NAT original address, RFC 3947 §5.2 */
struct ikev1_natoa {
	uint8_t id_type; /* ID_IPV4_ADDR or ID_IPV6_ADDR */
	uint8_t addr[16];
	size_t len;      /* 4 or 16 */
};

/* The attribute payload of Mode Config and XAUTH (mode-cfg draft §3.2). */
struct ikev1_attrp {
	uint8_t type; /* ISAKMP_CFG_REQUEST/REPLY/SET/ACK */
	uint16_t identifier;
	struct ike_attr_list attrs;
};

/* Cisco-style IKE fragment: fragment id, number (from 1), flags (bit 0: last). */
struct ikev1_frag {
	uint16_t id;
	uint8_t number;
	uint8_t flags;
	const uint8_t *data;
	size_t len;
};
#define IKEV1_FRAG_LAST 0x01

struct ikev1_payload {
	uint8_t type;
	const uint8_t *body; /* parser: body after the generic header; builder: unknown types */
	size_t body_len;
	union {
		struct ikev1_sa sa;
		struct ikev1_blob ke, hash, sig, nonce, vid, natd;
		struct ikev1_id id;
		struct ikev1_cert cert;
		struct ikev1_notify notify;
		struct ikev1_delete del;
		struct ikev1_natoa natoa;
		struct ikev1_attrp attr;
		struct ikev1_frag frag;
	} u;
};

struct ikev1_chain {
	size_t count;
	struct ikev1_payload *pl;
};

struct ikev1_msg {
	struct ike_hdr hdr;
	struct ikev1_chain chain;      /* empty while the body is encrypted */
	const uint8_t *encrypted;      /* with IKEV1_FLAG_ENCRYPTION: the ciphertext */
	size_t encrypted_len;
};

/* Accept bytes after the last payload (cipher padding of a decrypted body). */
#define IKEV1_PARSE_ALLOW_PADDING 0x1

int ikev1_parse_header(const uint8_t *buf, size_t len, struct ike_hdr *hdr,
		       struct ike_error *err);
int ikev1_parse(const uint8_t *buf, size_t len, struct ike_arena *arena, struct ikev1_msg *msg,
		struct ike_error *err);
int ikev1_parse_chain(uint8_t first, const uint8_t *buf, size_t len, size_t base_off,
		      unsigned flags, struct ike_arena *arena, struct ikev1_chain *chain,
		      struct ike_error *err);

/* Writes the message. Unencrypted: next-payload and lengths come from the
 * model. Encrypted (encrypted != NULL): header plus the ciphertext, with
 * hdr.next_payload naming the first payload inside it. */
int ikev1_build(const struct ikev1_msg *msg, uint8_t *out, size_t cap, size_t *out_len,
		struct ike_error *err);
int ikev1_build_chain(const struct ikev1_chain *chain, uint8_t *out, size_t cap, size_t *out_len,
		      struct ike_error *err);

bool ikev1_payload_known(uint8_t type);
const struct ikev1_payload *ikev1_find(const struct ikev1_chain *c, uint8_t type);
const struct ikev1_payload *ikev1_find_notify(const struct ikev1_chain *c, uint16_t ntype);

/* "ID_PROT 0 [ SA V V ]" style one-liner. */
int ikev1_msg_summary(const struct ikev1_msg *msg, char *buf, size_t len);
int ikev1_chain_summary(const struct ikev1_chain *c, char *buf, size_t len);

#endif
