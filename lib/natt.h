/* UDP encapsulation on port 4500 (RFC 3948): telling IKE, ESP and NAT-keepalive
 * datagrams apart, and adding the non-ESP marker to IKE messages. */
#ifndef OSPREY_NATT_H
#define OSPREY_NATT_H

#include <stddef.h>
#include <stdint.h>

#define NATT_NON_ESP_MARKER_LEN 4
#define NATT_KEEPALIVE_BYTE 0xff /* RFC 3948 §2.3 */

enum natt_kind {
	NATT_INVALID,   /* too short to be anything */
	NATT_KEEPALIVE, /* the single 0xFF octet */
	NATT_IKE,       /* non-ESP marker then an IKE message */
	NATT_ESP,       /* a non-zero SPI: ESP in UDP, the kernel's business */
};

/* Classifies a datagram received on port 4500. For NATT_IKE, *ike_off is the
 * offset of the IKE header. */
enum natt_kind natt_classify(const uint8_t *buf, size_t len, size_t *ike_off);

/* Writes the non-ESP marker followed by the IKE message; returns the datagram
 * length, or 0 when cap is too small. */
size_t natt_wrap_ike(uint8_t *out, size_t cap, const uint8_t *ike, size_t len);

const char *natt_kind_name(enum natt_kind k);

#endif
