/* `ospreyctl decode`: the IKE messages of a capture, as osprey's codec reads them. */
#include "decode.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <string.h>

#include "frame.h"
#include "ike_print.h"
#include "natt.h"

#define IKE_PORT 500
#define NATT_PORT 4500

/* Enough for the largest IKE message osprey accepts (64 KiB) many times over. */
static _Alignas(8) unsigned char arena_mem[256 * 1024];

static void print_error(FILE *out, const struct ike_error *e)
{
	char msg[256];

	ike_error_format(e, msg, sizeof(msg));
	fprintf(out, "  MALFORMED: %s\n", msg);
}

void decode_datagram(FILE *out, const unsigned char *buf, size_t len, int natt,
		     struct decode_stats *st)
{
	struct ike_arena arena = ike_arena_init(arena_mem, sizeof(arena_mem));
	struct ike_error err = { 0 };
	size_t off = 0;

	if (natt) {
		switch (natt_classify(buf, len, &off)) {
		case NATT_KEEPALIVE:
			fprintf(out, "  NAT-keepalive\n");
			st->keepalives++;
			return;
		case NATT_ESP:
			fprintf(out, "  ESP in UDP, SPI %08x\n",
				(unsigned)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3]);
			st->esp++;
			return;
		case NATT_INVALID:
			fprintf(out, "  MALFORMED: %zu-byte datagram on port 4500\n", len);
			st->malformed++;
			return;
		case NATT_IKE:
			break;
		}
		buf += off;
		len -= off;
	}
	if (len > 17 && (buf[17] >> 4) == 1) {
		struct ikev1_msg m;

		if (ikev1_parse(buf, len, &arena, &m, &err)) {
			print_error(out, &err);
			st->malformed++;
			return;
		}
		ikev1_print_msg(out, &m);
	} else {
		struct ikev2_msg m;

		if (ikev2_parse(buf, len, &arena, &m, &err)) {
			print_error(out, &err);
			st->malformed++;
			return;
		}
		ikev2_print_msg(out, &m);
	}
	st->ike++;
}

static void print_endpoint(FILE *out, const struct udp_view *u, const uint8_t *a, uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(u->family, a, s, sizeof(s));
	fprintf(out, u->family == AF_INET6 ? "[%s]:%u" : "%s:%u", s, port);
}

int decode_pcap(const char *path, FILE *out, struct decode_stats *st)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const unsigned char *frame;
	pcap_t *p;
	int dlt, rc;

	memset(st, 0, sizeof(*st));
	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "ospreyctl: cannot read capture %s: %s\n", path, errbuf);
		return -1;
	}
	dlt = pcap_datalink(p);
	while ((rc = pcap_next_ex(p, &h, &frame)) == 1) {
		struct udp_view u;
		enum frame_result fr;

		st->packets++;
		fr = frame_find_udp(dlt, frame, h->caplen, &u);
		if (fr != FRAME_UDP) {
			if (fr == FRAME_UNKNOWN_LINK) {
				fprintf(stderr, "ospreyctl: %s: link type %s is not supported\n", path,
					pcap_datalink_val_to_name(dlt));
				pcap_close(p);
				return -1;
			}
			st->other++;
			continue;
		}
		if (u.sport != IKE_PORT && u.dport != IKE_PORT && u.sport != NATT_PORT &&
		    u.dport != NATT_PORT) {
			st->other++;
			continue;
		}
		fprintf(out, "#%u %ld.%06ld ", st->packets, (long)h->ts.tv_sec, (long)h->ts.tv_usec);
		print_endpoint(out, &u, u.src, u.sport);
		fputs(" -> ", out);
		print_endpoint(out, &u, u.dst, u.dport);
		fprintf(out, " (%zu bytes)\n", u.len);
		decode_datagram(out, u.payload, u.len, u.sport == NATT_PORT || u.dport == NATT_PORT, st);
	}
	if (rc == -1) {
		fprintf(stderr, "ospreyctl: error reading %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
}
