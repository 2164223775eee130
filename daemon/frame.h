/* Finding the UDP datagram inside a captured link-layer frame (for
 * `ospreyctl decode`). Pure parsing over caller memory; bounds-checked. */
#ifndef OSPREY_FRAME_H
#define OSPREY_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct udp_view {
	int family;              /* AF_INET or AF_INET6 */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	const uint8_t *payload;
	size_t len;
};

enum frame_result {
	FRAME_UDP = 0,     /* *out is filled */
	FRAME_NOT_UDP,     /* another protocol: skip quietly */
	FRAME_FRAGMENT,    /* an IP fragment: not reassembled */
	FRAME_MALFORMED,   /* truncated or inconsistent headers */
	FRAME_UNKNOWN_LINK /* a link type we do not read */
};

/* dlt is the pcap link type (DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
 * DLT_NULL, DLT_IPV4, DLT_IPV6). */
enum frame_result frame_find_udp(int dlt, const uint8_t *frame, size_t len, struct udp_view *out);

#endif
