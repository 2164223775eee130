/* The fixed ISAKMP header shared by IKEv1 (RFC 2408 §3.1, where the SPIs are
 * called cookies) and IKEv2 (RFC 7296 §3.1): same 28 bytes, same offsets. */
#ifndef OSPREY_IKE_HDR_H
#define OSPREY_IKE_HDR_H

#include <stddef.h>
#include <stdint.h>

#include "ike_error.h"
#include "wire.h"

#define IKE_HDR_LEN 28

struct ike_hdr {
	uint64_t ispi;        /* IKEv1: initiator cookie */
	uint64_t rspi;        /* IKEv1: responder cookie */
	uint8_t next_payload; /* as parsed; builders derive it (except IKEv1 encrypted bodies) */
	uint8_t version;      /* major << 4 | minor */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;      /* as parsed; builders derive it */
};

/* Reads the header, checks the major version and that the length field
 * equals the datagram length. */
int ike_hdr_parse(const uint8_t *buf, size_t len, uint8_t major, struct ike_hdr *h,
		  struct ike_error *err);

/* Writes the header with the given next payload and a zero length;
 * ike_hdr_set_length() fills the length once the message is complete. */
void ike_hdr_put(struct wire_writer *w, const struct ike_hdr *h, uint8_t next,
		 uint8_t default_version);
void ike_hdr_set_length(struct wire_writer *w);

#endif
