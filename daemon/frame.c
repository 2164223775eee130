#include "frame.h"

#include <netinet/in.h>
#include <pcap/dlt.h>
#include <string.h>
#include <sys/socket.h>

#include "wire.h"

#define ETHERTYPE_IP4 0x0800
#define ETHERTYPE_IP6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8

static enum frame_result udp(const uint8_t *p, size_t len, struct udp_view *out)
{
	uint16_t ulen;

	if (len < 8)
		return FRAME_MALFORMED;
	ulen = wire_load_u16(p + 4);
	if (ulen < 8 || ulen > len)
		return FRAME_MALFORMED;
	out->sport = wire_load_u16(p);
	out->dport = wire_load_u16(p + 2);
	out->payload = p + 8;
	out->len = ulen - 8u;
	return FRAME_UDP;
}

static enum frame_result ipv4(const uint8_t *p, size_t len, struct udp_view *out)
{
	size_t ihl, tot;
	uint16_t frag;

	if (len < 20 || (p[0] >> 4) != 4)
		return FRAME_MALFORMED;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = wire_load_u16(p + 2);
	if (ihl < 20 || tot < ihl || tot > len)
		return FRAME_MALFORMED;
	if (p[9] != IPPROTO_UDP)
		return FRAME_NOT_UDP;
	frag = wire_load_u16(p + 6);
	if (frag & 0x3fff) /* MF set or a non-zero offset */
		return FRAME_FRAGMENT;
	out->family = AF_INET;
	memset(out->src, 0, sizeof(out->src));
	memset(out->dst, 0, sizeof(out->dst));
	memcpy(out->src, p + 12, 4);
	memcpy(out->dst, p + 16, 4);
	return udp(p + ihl, tot - ihl, out);
}

static enum frame_result ipv6(const uint8_t *p, size_t len, struct udp_view *out)
{
	size_t plen, off = 40;
	uint8_t next;

	if (len < 40 || (p[0] >> 4) != 6)
		return FRAME_MALFORMED;
	plen = wire_load_u16(p + 4);
	if (plen > len - 40)
		return FRAME_MALFORMED;
	len = 40 + plen;
	next = p[6];
	/* Walk the extension headers that may stand before UDP (RFC 8200 §4). */
	for (;;) {
		if (next == IPPROTO_UDP)
			break;
		if (next == IPPROTO_FRAGMENT)
			return FRAME_FRAGMENT;
		if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_DSTOPTS)
			return FRAME_NOT_UDP;
		if (len - off < 8)
			return FRAME_MALFORMED;
		next = p[off];
		off += 8 + (size_t)p[off + 1] * 8;
		if (off > len)
			return FRAME_MALFORMED;
	}
	out->family = AF_INET6;
	memcpy(out->src, p + 8, 16);
	memcpy(out->dst, p + 24, 16);
	return udp(p + off, len - off, out);
}

static enum frame_result by_ethertype(uint16_t type, const uint8_t *p, size_t len,
				      struct udp_view *out)
{
	if (type == ETHERTYPE_IP4)
		return ipv4(p, len, out);
	if (type == ETHERTYPE_IP6)
		return ipv6(p, len, out);
	return FRAME_NOT_UDP;
}

enum frame_result frame_find_udp(int dlt, const uint8_t *f, size_t len, struct udp_view *out)
{
	switch (dlt) {
	case DLT_EN10MB: {
		size_t off = 12;
		uint16_t type;

		if (len < 14)
			return FRAME_MALFORMED;
		type = wire_load_u16(f + off);
		while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
			off += 4;
			if (len < off + 2)
				return FRAME_MALFORMED;
			type = wire_load_u16(f + off);
		}
		return by_ethertype(type, f + off + 2, len - off - 2, out);
	}
	case DLT_LINUX_SLL:
		if (len < 16)
			return FRAME_MALFORMED;
		return by_ethertype(wire_load_u16(f + 14), f + 16, len - 16, out);
	case DLT_LINUX_SLL2:
		if (len < 20)
			return FRAME_MALFORMED;
		return by_ethertype(wire_load_u16(f), f + 20, len - 20, out);
	case DLT_NULL:
		if (len < 4)
			return FRAME_MALFORMED;
		/* The BSD loopback header is a host-order address family; read the
		 * IP version instead of guessing the byte order. */
		f += 4;
		len -= 4;
		/* fall through */
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (len < 1)
			return FRAME_MALFORMED;
		return (f[0] >> 4) == 6 ? ipv6(f, len, out) : ipv4(f, len, out);
	default:
		return FRAME_UNKNOWN_LINK;
	}
}
