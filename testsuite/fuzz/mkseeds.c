/* Writes the seed corpus of the fuzz targets from the sample catalogue
 * (testsuite/common/samples.h):
 *
 *   DIR/ikev2/<sample>        every IKEv2 sample, a bare IKE message
 *   DIR/ikev2/<sample>.chain  its payload chain: the first payload's type
 *                             byte, then the payloads (fuzz_ikev2's second
 *                             reading of an input)
 *   DIR/ikev1/<sample>        every IKEv1 sample, and <sample>.chain likewise
 *   DIR/natt/<sample>         every sample behind the non-ESP marker, plus a
 *                             NAT-keepalive and an ESP-in-UDP datagram
 *   DIR/frame/<link>-<sample> a few samples in link-layer frames: Ethernet
 *                             with IPv4, a VLAN tag, a QinQ pair with IPv6,
 *                             Linux SLL and SLL2, IPv6 with extension
 *                             headers, BSD loopback, raw IPv4 with options;
 *                             the first byte selects the link type
 *                             (fuzz_frame.h)
 *
 * Usage: mkseeds DIR (the four directories must exist). Files are written
 * anew; nothing is removed. testsuite/fuzz/mkcorpus runs this. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_frame.h"
#include "natt.h"
#include "samples.h"

#define MAX_MSG 65536
#define MAX_FRAME (MAX_MSG + 256)

static const char *outdir;
static unsigned written;

static void write_file(const char *sub, const char *prefix, const char *name,
		       const char *suffix, const uint8_t *buf, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s%s%s", outdir, sub, prefix, name, suffix);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mkseeds: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	written++;
}

/* ------------------------------------------------------------ frames */

static const uint8_t ip4_src[4] = { 192, 0, 2, 1 };       /* RFC 5737 */
static const uint8_t ip4_dst[4] = { 198, 51, 100, 2 };
static const uint8_t ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }; /* RFC 3849 */
static const uint8_t ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* UDP header and payload at p; the checksum over the pseudo-header. */
static size_t put_udp(uint8_t *p, int v6, uint16_t port, const uint8_t *pl, size_t len)
{
	uint32_t s = 0;
	uint16_t c;

	put16(p, port);
	put16(p + 2, port);
	put16(p + 4, (unsigned)(8 + len));
	put16(p + 6, 0);
	memcpy(p + 8, pl, len);
	if (v6) {
		s = sum16(s, ip6_src, 16);
		s = sum16(s, ip6_dst, 16);
	} else {
		s = sum16(s, ip4_src, 4);
		s = sum16(s, ip4_dst, 4);
	}
	s += 17 + (uint32_t)(8 + len);
	c = fold(sum16(s, p, 8 + len));
	put16(p + 6, c ? c : 0xffff);
	return 8 + len;
}

/* IPv4 (with a 4-byte NOP/EOL option when opts) and UDP. */
static size_t put_ipv4(uint8_t *p, int opts, uint16_t port, const uint8_t *pl, size_t len)
{
	size_t ihl = opts ? 24 : 20;

	memset(p, 0, ihl);
	p[0] = (uint8_t)(0x40 | ihl / 4);
	put16(p + 2, (unsigned)(ihl + 8 + len));
	put16(p + 4, 0x1234);
	put16(p + 6, 0x4000); /* DF */
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, ip4_src, 4);
	memcpy(p + 16, ip4_dst, 4);
	if (opts)
		p[20] = p[21] = p[22] = 1; /* NOP, NOP, NOP, then EOL */
	put16(p + 10, fold(sum16(0, p, ihl)));
	return ihl + put_udp(p + ihl, 0, port, pl, len);
}

/* IPv6, with a hop-by-hop and a destination options header when ext. */
static size_t put_ipv6(uint8_t *p, int ext, uint16_t port, const uint8_t *pl, size_t len)
{
	size_t off = 40;

	memset(p, 0, 40);
	p[0] = 0x60;
	p[6] = ext ? 0 /* hop-by-hop */ : 17;
	p[7] = 64;
	memcpy(p + 8, ip6_src, 16);
	memcpy(p + 24, ip6_dst, 16);
	if (ext) {
		/* Hop-by-hop: next = destination options, 8 bytes, PadN. */
		memset(p + off, 0, 8);
		p[off] = 60;
		p[off + 2] = 1;
		p[off + 3] = 4;
		off += 8;
		/* Destination options: next = UDP, 16 bytes, PadN. */
		memset(p + off, 0, 16);
		p[off] = 17;
		p[off + 1] = 1;
		p[off + 2] = 1;
		p[off + 3] = 12;
		off += 16;
	}
	off += put_udp(p + off, 1, port, pl, len);
	put16(p + 4, (unsigned)(off - 40));
	return off;
}

enum link {
	L_ETH_IPV4,
	L_ETH_VLAN_IPV4,
	L_ETH_QINQ_IPV6,
	L_SLL_IPV4,
	L_SLL2_IPV6,
	L_RAW_IPV6_EXT,
	L_NULL_IPV4,
	L_IPV4_OPTS,
	L_IPV6,
	L_COUNT
};

static const char *const link_names[L_COUNT] = {
	"eth-ipv4", "eth-vlan-ipv4", "eth-qinq-ipv6", "sll-ipv4", "sll2-ipv6",
	"raw-ipv6-ext", "null-ipv4", "ipv4-opts", "ipv6",
};

/* A frame for the frame target: the link-type index byte, then the frame. */
static size_t make_frame(uint8_t *f, enum link l, uint16_t port, const uint8_t *pl, size_t len)
{
	uint8_t *p = f + 1;
	size_t n = 0;

	switch (l) {
	case L_ETH_IPV4:
	case L_ETH_VLAN_IPV4:
	case L_ETH_QINQ_IPV6:
		f[0] = FUZZ_DLT_EN10MB;
		memcpy(p, mac_b, 6);
		memcpy(p + 6, mac_a, 6);
		n = 12;
		if (l == L_ETH_QINQ_IPV6) {
			put16(p + n, 0x88a8);
			put16(p + n + 2, 100);
			n += 4;
		}
		if (l != L_ETH_IPV4) {
			put16(p + n, 0x8100);
			put16(p + n + 2, 0x2000 | 42); /* PCP 1, VID 42 */
			n += 4;
		}
		if (l == L_ETH_QINQ_IPV6) {
			put16(p + n, 0x86dd);
			return 1 + n + 2 + put_ipv6(p + n + 2, 0, port, pl, len);
		}
		put16(p + n, 0x0800);
		return 1 + n + 2 + put_ipv4(p + n + 2, 0, port, pl, len);
	case L_SLL_IPV4:
		/* packet type, ARPHRD_ETHER, address length, address, protocol */
		f[0] = FUZZ_DLT_LINUX_SLL;
		memset(p, 0, 16);
		put16(p, 0); /* to us */
		put16(p + 2, 1);
		put16(p + 4, 6);
		memcpy(p + 6, mac_a, 6);
		put16(p + 14, 0x0800);
		return 1 + 16 + put_ipv4(p + 16, 0, port, pl, len);
	case L_SLL2_IPV6:
		/* protocol, reserved, ifindex, ARPHRD, packet type, address len, address */
		f[0] = FUZZ_DLT_LINUX_SLL2;
		memset(p, 0, 20);
		put16(p, 0x86dd);
		p[7] = 2; /* interface index 2 */
		put16(p + 8, 1);
		p[10] = 4; /* outgoing */
		p[11] = 6;
		memcpy(p + 12, mac_a, 6);
		return 1 + 20 + put_ipv6(p + 20, 0, port, pl, len);
	case L_RAW_IPV6_EXT:
		f[0] = FUZZ_DLT_RAW;
		return 1 + put_ipv6(p, 1, port, pl, len);
	case L_NULL_IPV4:
		f[0] = FUZZ_DLT_NULL;
		p[0] = 2; /* AF_INET, little-endian host */
		p[1] = p[2] = p[3] = 0;
		return 1 + 4 + put_ipv4(p + 4, 0, port, pl, len);
	case L_IPV4_OPTS:
		f[0] = FUZZ_DLT_IPV4;
		return 1 + put_ipv4(p, 1, port, pl, len);
	case L_IPV6:
		f[0] = FUZZ_DLT_IPV6;
		return 1 + put_ipv6(p, 0, port, pl, len);
	case L_COUNT:
		break;
	}
	return 0;
}

/* Samples that go into frames: a few, of both versions and both ports. */
static int framed(const struct sample *s, unsigned *v1, unsigned *v2, unsigned *natt)
{
	if (s->port == 4500)
		return (*natt)++ < 2;
	if (s->version == 1)
		return (*v1)++ < 2;
	return (*v2)++ < 2;
}

int main(int argc, char **argv)
{
	static uint8_t msg[MAX_MSG], buf[MAX_MSG + 8], frame[MAX_FRAME];
	unsigned nv1 = 0, nv2 = 0, nnatt = 0;
	size_t i, len, n;
	int l;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	outdir = argv[1];
	for (i = 0; i < samples_count; i++) {
		const struct sample *s = &samples[i];
		const char *sub = s->version == 1 ? "ikev1" : "ikev2";

		if (s->build(msg, sizeof(msg), &len) != 0 || len < 28) {
			fprintf(stderr, "mkseeds: sample %s does not build\n", s->name);
			return 1;
		}
		write_file(sub, "", s->name, "", msg, len);
		/* The chain: the header's next-payload byte, then the payloads. */
		buf[0] = msg[16];
		memcpy(buf + 1, msg + 28, len - 28);
		write_file(sub, "", s->name, ".chain", buf, len - 27);
		n = natt_wrap_ike(buf, sizeof(buf), msg, len);
		write_file("natt", "", s->name, "", buf, n);
		if (framed(s, &nv1, &nv2, &nnatt)) {
			const uint8_t *pl = s->port == 4500 ? buf : msg;
			size_t pllen = s->port == 4500 ? n : len;

			for (l = 0; l < L_COUNT; l++) {
				char prefix[64];

				snprintf(prefix, sizeof(prefix), "%s-", link_names[l]);
				n = make_frame(frame, (enum link)l, s->port, pl, pllen);
				write_file("frame", prefix, s->name, "", frame, n);
			}
		}
	}
	{
		static const uint8_t keepalive[] = { NATT_KEEPALIVE_BYTE };
		/* SPI 0x0000c0de, sequence 1, then bytes standing for the rest. */
		static const uint8_t esp[] = { 0, 0, 0xc0, 0xde, 0, 0, 0, 1,
					       0x5e, 0x11, 0xf0, 0x0d, 0xde, 0xad, 0xbe, 0xef };

		write_file("natt", "", "nat-keepalive", "", keepalive, sizeof(keepalive));
		write_file("natt", "", "esp-in-udp", "", esp, sizeof(esp));
		/* The same datagrams in frames. */
		n = make_frame(frame, L_ETH_IPV4, 4500, keepalive, sizeof(keepalive));
		write_file("frame", "", "eth-ipv4-nat-keepalive", "", frame, n);
		n = make_frame(frame, L_SLL2_IPV6, 4500, esp, sizeof(esp));
		write_file("frame", "", "sll2-ipv6-esp-in-udp", "", frame, n);
	}
	printf("mkseeds: %u files from %zu samples in %s\n", written, samples_count, outdir);
	return 0;
}
