/* mkpcap OUT.pcap OUT.json: the osprey side of the tshark oracle.
 *
 * Every message of the sample catalogue (testsuite/common/samples.h) is built
 * with osprey's codec and written into a pcap as an Ethernet/IP/UDP frame, on
 * port 500 or behind the non-ESP marker on port 4500. Some messages are also
 * sent over IPv6, and one NAT-keepalive datagram is added. The same bytes are
 * then parsed back with osprey's codec, and OUT.json records, frame by frame,
 * what osprey's model says they contain. compare.py checks that tshark, whose
 * IKE dissector was written by other people, reads the same. */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_error.h"
#include "ikev1_codec.h"
#include "ikev2_codec.h"
#include "natt.h"
#include "samples.h"

#define MSG_CAP 65000
#define FRAME_CAP 65600
#define ETH_LEN 14
#define IPV4_LEN 20
#define IPV6_LEN 40
#define UDP_LEN 8

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x02 };
/* Documentation addresses (RFC 5737, RFC 3849). */
static const uint8_t ip4_a[4] = { 192, 0, 2, 1 };
static const uint8_t ip4_b[4] = { 198, 51, 100, 2 };
static const uint8_t ip6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t ip6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };

struct frame_ctx {
	pcap_dumper_t *dumper;
	json_object *frames;
	unsigned number; /* pcap frame number, from 1 like tshark's */
};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "mkpcap: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

/* ---- JSON helpers ------------------------------------------------------ */

static void put_int(json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void put_bool(json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

static void put_str(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

static void put_strn(json_object *o, const char *key, const uint8_t *s, size_t len)
{
	json_object_object_add(o, key, json_object_new_string_len((const char *)s, (int)len));
}

static json_object *json_hex(const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	json_object *o;
	char *s = malloc(2 * len + 1);
	size_t i;

	if (!s)
		die("out of memory", NULL);
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * len] = '\0';
	o = json_object_new_string(s);
	free(s);
	return o;
}

static void put_hex(json_object *o, const char *key, const uint8_t *p, size_t len)
{
	json_object_object_add(o, key, json_hex(p, len));
}

static void put_u64_hex(json_object *o, const char *key, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	put_hex(o, key, b, 8);
}

static void put_addr(json_object *o, const char *key, int family, const uint8_t *addr)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, s, sizeof(s)))
		die("inet_ntop", strerror(errno));
	put_str(o, key, s);
}

static json_object *attrs_json(const struct ike_attr_list *l)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < l->count; i++) {
		const struct ike_attr *at = &l->attrs[i];
		json_object *o = json_object_new_object();

		put_int(o, "type", at->type);
		put_bool(o, "tv", at->tv);
		if (at->tv) {
			put_int(o, "value", at->value);
		} else {
			put_int(o, "len", at->len);
			put_hex(o, "data", at->data, at->len);
		}
		json_object_array_add(a, o);
	}
	return a;
}

/* The identification data in the forms tshark shows them. */
static void id_data_json(json_object *o, uint8_t type, const uint8_t *d, size_t len)
{
	size_t i;

	put_hex(o, "data", d, len);
	switch (type) {
	case 1: /* ID_IPV4_ADDR in both versions */
		if (len == 4)
			put_addr(o, "ipv4", AF_INET, d);
		break;
	case 2: /* ID_FQDN */
	case 3: /* ID_RFC822_ADDR / ID_USER_FQDN */
		/* As a string only when it is printable ASCII, which is how
		 * tshark shows it unescaped (and what JSON holds as is). */
		for (i = 0; i < len; i++)
			if (d[i] < 0x20 || d[i] > 0x7e)
				break;
		if (i == len)
			put_strn(o, "fqdn", d, len);
		break;
	case 4: /* IKEv1 ID_IPV4_ADDR_SUBNET */
	case 7: /* IKEv1 ID_IPV4_ADDR_RANGE */
		if (len == 8) {
			put_addr(o, "ipv4", AF_INET, d);
			put_addr(o, "ipv4_2", AF_INET, d + 4);
		}
		break;
	case 5: /* ID_IPV6_ADDR */
		if (len == 16)
			put_addr(o, "ipv6", AF_INET6, d);
		break;
	case 6: /* IKEv1 ID_IPV6_ADDR_SUBNET */
	case 8: /* IKEv1 ID_IPV6_ADDR_RANGE */
		if (len == 32) {
			put_addr(o, "ipv6", AF_INET6, d);
			put_addr(o, "ipv6_2", AF_INET6, d + 16);
		}
		break;
	default:
		break;
	}
}

/* ---- IKEv2 model to JSON ---------------------------------------------- */

static void v2_payload_json(json_object *o, const struct ikev2_payload *p)
{
	size_t i, j;

	switch (p->type) {
	case IKEV2_PL_SA: {
		json_object *props = json_object_new_array();

		for (i = 0; i < p->u.sa.nproposals; i++) {
			const struct ikev2_proposal *pr = &p->u.sa.proposals[i];
			json_object *po = json_object_new_object(), *trs = json_object_new_array();

			put_int(po, "num", pr->num);
			put_int(po, "protocol", pr->protocol);
			put_int(po, "spi_size", pr->spi_size);
			put_hex(po, "spi", pr->spi, pr->spi_size);
			for (j = 0; j < pr->ntransforms; j++) {
				const struct ikev2_transform *t = &pr->transforms[j];
				json_object *to = json_object_new_object();

				put_int(to, "type", t->type);
				put_int(to, "id", t->id);
				json_object_object_add(to, "attrs", attrs_json(&t->attrs));
				json_object_array_add(trs, to);
			}
			json_object_object_add(po, "transforms", trs);
			json_object_array_add(props, po);
		}
		json_object_object_add(o, "proposals", props);
		break;
	}
	case IKEV2_PL_KE:
		put_int(o, "group", p->u.ke.group);
		put_hex(o, "data", p->u.ke.data, p->u.ke.len);
		break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		put_int(o, "id_type", p->u.id.type);
		id_data_json(o, p->u.id.type, p->u.id.data, p->u.id.len);
		break;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		put_int(o, "encoding", p->u.cert.encoding);
		put_hex(o, "data", p->u.cert.data, p->u.cert.len);
		break;
	case IKEV2_PL_AUTH:
		put_int(o, "method", p->u.auth.method);
		put_hex(o, "data", p->u.auth.data, p->u.auth.len);
		break;
	case IKEV2_PL_NONCE:
		put_hex(o, "data", p->u.nonce.data, p->u.nonce.len);
		break;
	case IKEV2_PL_NOTIFY:
		put_int(o, "protocol", p->u.notify.protocol);
		put_int(o, "spi_size", p->u.notify.spi_size);
		put_hex(o, "spi", p->u.notify.spi, p->u.notify.spi_size);
		put_int(o, "notify_type", p->u.notify.type);
		put_hex(o, "data", p->u.notify.data, p->u.notify.len);
		break;
	case IKEV2_PL_DELETE: {
		json_object *spis = json_object_new_array();

		put_int(o, "protocol", p->u.del.protocol);
		put_int(o, "spi_size", p->u.del.spi_size);
		put_int(o, "nspis", p->u.del.nspis);
		for (i = 0; i < p->u.del.nspis; i++)
			json_object_array_add(spis, json_hex(p->u.del.spis + i * p->u.del.spi_size,
							     p->u.del.spi_size));
		json_object_object_add(o, "spis", spis);
		break;
	}
	case IKEV2_PL_VENDOR:
		put_hex(o, "data", p->u.vendor.data, p->u.vendor.len);
		break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR: {
		json_object *tss = json_object_new_array();

		for (i = 0; i < p->u.ts.count; i++) {
			const struct ikev2_ts *ts = &p->u.ts.ts[i];
			json_object *to = json_object_new_object();
			int fam = ts->type == IKEV2_TS_IPV4_ADDR_RANGE ? AF_INET
				  : ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? AF_INET6 : 0;

			put_int(to, "type", ts->type);
			put_int(to, "ip_proto", ts->ip_proto);
			if (fam) {
				put_int(to, "start_port", ts->start_port);
				put_int(to, "end_port", ts->end_port);
				put_addr(to, "start", fam, ts->start);
				put_addr(to, "end", fam, ts->end);
			} else {
				put_hex(to, "data", ts->data, ts->len);
			}
			json_object_array_add(tss, to);
		}
		json_object_object_add(o, "selectors", tss);
		break;
	}
	case IKEV2_PL_SK:
		put_int(o, "first_inner", p->u.sk.first_inner);
		put_hex(o, "data", p->u.sk.data, p->u.sk.len);
		break;
	case IKEV2_PL_SKF:
		put_int(o, "first_inner", p->u.skf.first_inner);
		put_int(o, "number", p->u.skf.number);
		put_int(o, "total", p->u.skf.total);
		put_hex(o, "data", p->u.skf.data, p->u.skf.len);
		break;
	case IKEV2_PL_CP: {
		json_object *attrs = json_object_new_array();

		put_int(o, "cfg_type", p->u.cp.type);
		for (i = 0; i < p->u.cp.nattrs; i++) {
			json_object *ao = json_object_new_object();

			put_int(ao, "type", p->u.cp.attrs[i].type);
			put_int(ao, "len", p->u.cp.attrs[i].len);
			put_hex(ao, "data", p->u.cp.attrs[i].data, p->u.cp.attrs[i].len);
			json_object_array_add(attrs, ao);
		}
		json_object_object_add(o, "attrs", attrs);
		break;
	}
	case IKEV2_PL_EAP: {
		bool typed = p->u.eap.code == IKEV2_EAP_REQUEST || p->u.eap.code == IKEV2_EAP_RESPONSE;

		put_int(o, "code", p->u.eap.code);
		put_int(o, "identifier", p->u.eap.identifier);
		if (typed)
			put_int(o, "eap_type", p->u.eap.type);
		put_int(o, "eap_length", (int64_t)(4 + (typed ? 1 : 0) + p->u.eap.len));
		put_hex(o, "data", p->u.eap.data, p->u.eap.len);
		break;
	}
	default:
		put_hex(o, "body", p->body, p->body_len);
		break;
	}
}

static void v2_json(json_object *f, const struct ikev2_msg *m)
{
	json_object *pls = json_object_new_array();
	size_t i;

	put_u64_hex(f, "ispi", m->hdr.ispi);
	put_u64_hex(f, "rspi", m->hdr.rspi);
	put_int(f, "next_payload", m->hdr.next_payload);
	put_int(f, "version_byte", m->hdr.version);
	put_int(f, "exchange", m->hdr.exchange);
	put_int(f, "flags", m->hdr.flags);
	put_int(f, "msgid", m->hdr.msgid);
	put_int(f, "length", m->hdr.length);
	for (i = 0; i < m->chain.count; i++) {
		const struct ikev2_payload *p = &m->chain.pl[i];
		json_object *o = json_object_new_object();
		uint8_t next = i + 1 < m->chain.count ? m->chain.pl[i + 1].type : 0;

		if (p->type == IKEV2_PL_SK)
			next = p->u.sk.first_inner;
		else if (p->type == IKEV2_PL_SKF)
			next = p->u.skf.first_inner;
		put_int(o, "type", p->type);
		put_int(o, "next", next);
		put_bool(o, "critical", p->critical);
		put_int(o, "length", (int64_t)(p->body_len + IKEV2_PAYLOAD_HDR_LEN));
		v2_payload_json(o, p);
		json_object_array_add(pls, o);
	}
	json_object_object_add(f, "payloads", pls);
}

/* ---- IKEv1 model to JSON ---------------------------------------------- */

static void v1_payload_json(json_object *o, const struct ikev1_payload *p)
{
	size_t i, j;

	switch (p->type) {
	case IKEV1_PL_SA: {
		json_object *props = json_object_new_array();

		put_int(o, "doi", p->u.sa.doi);
		put_int(o, "situation", p->u.sa.situation);
		for (i = 0; i < p->u.sa.nproposals; i++) {
			const struct ikev1_proposal *pr = &p->u.sa.proposals[i];
			json_object *po = json_object_new_object(), *trs = json_object_new_array();

			put_int(po, "num", pr->num);
			put_int(po, "protocol", pr->protocol);
			put_int(po, "spi_size", pr->spi_size);
			put_hex(po, "spi", pr->spi, pr->spi_size);
			for (j = 0; j < pr->ntransforms; j++) {
				const struct ikev1_transform *t = &pr->transforms[j];
				json_object *to = json_object_new_object();

				put_int(to, "num", t->num);
				put_int(to, "id", t->id);
				json_object_object_add(to, "attrs", attrs_json(&t->attrs));
				json_object_array_add(trs, to);
			}
			json_object_object_add(po, "transforms", trs);
			json_object_array_add(props, po);
		}
		json_object_object_add(o, "proposals", props);
		break;
	}
	case IKEV1_PL_KE:
	case IKEV1_PL_HASH:
	case IKEV1_PL_SIG:
	case IKEV1_PL_NONCE:
	case IKEV1_PL_VID:
	case IKEV1_PL_NATD:
	case IKEV1_PL_NATD_DRAFT:
		put_hex(o, "data", p->u.ke.data, p->u.ke.len);
		break;
	case IKEV1_PL_ID:
		put_int(o, "id_type", p->u.id.type);
		put_int(o, "protocol", p->u.id.protocol);
		put_int(o, "port", p->u.id.port);
		id_data_json(o, p->u.id.type, p->u.id.data, p->u.id.len);
		break;
	case IKEV1_PL_CERT:
	case IKEV1_PL_CR:
		put_int(o, "encoding", p->u.cert.encoding);
		put_hex(o, "data", p->u.cert.data, p->u.cert.len);
		break;
	case IKEV1_PL_N:
		put_int(o, "doi", p->u.notify.doi);
		put_int(o, "protocol", p->u.notify.protocol);
		put_int(o, "spi_size", p->u.notify.spi_size);
		put_hex(o, "spi", p->u.notify.spi, p->u.notify.spi_size);
		put_int(o, "notify_type", p->u.notify.type);
		put_hex(o, "data", p->u.notify.data, p->u.notify.len);
		break;
	case IKEV1_PL_D: {
		json_object *spis = json_object_new_array();

		put_int(o, "doi", p->u.del.doi);
		put_int(o, "protocol", p->u.del.protocol);
		put_int(o, "spi_size", p->u.del.spi_size);
		put_int(o, "nspis", p->u.del.nspis);
		for (i = 0; i < p->u.del.nspis; i++)
			json_object_array_add(spis, json_hex(p->u.del.spis + i * p->u.del.spi_size,
							     p->u.del.spi_size));
		json_object_object_add(o, "spis", spis);
		break;
	}
	case IKEV1_PL_NATOA:
	case IKEV1_PL_NATOA_DRAFT:
		put_int(o, "id_type", p->u.natoa.id_type);
		put_addr(o, "addr", p->u.natoa.len == 4 ? AF_INET : AF_INET6, p->u.natoa.addr);
		break;
	case IKEV1_PL_ATTR:
		put_int(o, "cfg_type", p->u.attr.type);
		put_int(o, "identifier", p->u.attr.identifier);
		json_object_object_add(o, "attrs", attrs_json(&p->u.attr.attrs));
		break;
	case IKEV1_PL_FRAG:
		put_int(o, "frag_id", p->u.frag.id);
		put_int(o, "number", p->u.frag.number);
		put_int(o, "frag_flags", p->u.frag.flags);
		put_bool(o, "last", p->u.frag.flags & IKEV1_FRAG_LAST);
		put_hex(o, "data", p->u.frag.data, p->u.frag.len);
		break;
	default:
		put_hex(o, "body", p->body, p->body_len);
		break;
	}
}

static void v1_json(json_object *f, const struct ikev1_msg *m)
{
	json_object *pls = json_object_new_array();
	size_t i;

	put_u64_hex(f, "ispi", m->hdr.ispi);
	put_u64_hex(f, "rspi", m->hdr.rspi);
	put_int(f, "next_payload", m->hdr.next_payload);
	put_int(f, "version_byte", m->hdr.version);
	put_int(f, "exchange", m->hdr.exchange);
	put_int(f, "flags", m->hdr.flags);
	put_int(f, "msgid", m->hdr.msgid);
	put_int(f, "length", m->hdr.length);
	if (m->encrypted) {
		put_hex(f, "encrypted", m->encrypted, m->encrypted_len);
	}
	for (i = 0; i < m->chain.count; i++) {
		const struct ikev1_payload *p = &m->chain.pl[i];
		json_object *o = json_object_new_object();

		put_int(o, "type", p->type);
		put_int(o, "next", i + 1 < m->chain.count ? m->chain.pl[i + 1].type : 0);
		put_int(o, "length", (int64_t)(p->body_len + IKEV1_PAYLOAD_HDR_LEN));
		v1_payload_json(o, p);
		json_object_array_add(pls, o);
	}
	json_object_object_add(f, "payloads", pls);
}

/* ---- packets ----------------------------------------------------------- */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Wraps a UDP payload in Ethernet, IPv4 or IPv6 and UDP with valid checksums
 * (IPv6 forbids a zero UDP checksum, RFC 8200 §8.1), and writes it out.
 * reverse: from responder to initiator. */
static void emit(struct frame_ctx *fc, bool ipv6, bool reverse, uint16_t port,
		 const uint8_t *payload, size_t len)
{
	static uint8_t frame[FRAME_CAP];
	size_t iplen = ipv6 ? IPV6_LEN : IPV4_LEN, udplen = UDP_LEN + len;
	uint8_t *ip = frame + ETH_LEN, *udp = ip + iplen;
	struct pcap_pkthdr h;
	uint32_t sum;

	if (ETH_LEN + iplen + udplen > sizeof(frame) || udplen > 0xffff)
		die("message too long for one datagram", NULL);
	memcpy(frame, reverse ? mac_a : mac_b, 6);
	memcpy(frame + 6, reverse ? mac_b : mac_a, 6);
	put16(frame + 12, ipv6 ? 0x86dd : 0x0800);

	if (ipv6) {
		memset(ip, 0, IPV6_LEN);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)udplen);
		ip[6] = 17; /* UDP */
		ip[7] = 64;
		memcpy(ip + 8, reverse ? ip6_b : ip6_a, 16);
		memcpy(ip + 24, reverse ? ip6_a : ip6_b, 16);
	} else {
		if (IPV4_LEN + udplen > 0xffff)
			die("message too long for IPv4", NULL);
		memset(ip, 0, IPV4_LEN);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(IPV4_LEN + udplen));
		put16(ip + 4, (uint16_t)fc->number); /* identification */
		put16(ip + 6, 0x4000);               /* DF */
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, reverse ? ip4_b : ip4_a, 4);
		memcpy(ip + 16, reverse ? ip4_a : ip4_b, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, IPV4_LEN)));
	}

	put16(udp, port);
	put16(udp + 2, port);
	put16(udp + 4, (uint16_t)udplen);
	put16(udp + 6, 0);
	memcpy(udp + UDP_LEN, payload, len);
	/* pseudo-header: addresses, protocol, UDP length */
	sum = csum_add(0, ipv6 ? ip + 8 : ip + 12, ipv6 ? 32 : 8);
	sum += 17 + (uint32_t)udplen;
	sum = csum_add(sum, udp, udplen);
	{
		uint16_t c = csum_fold(sum);

		put16(udp + 6, c ? c : 0xffff);
	}

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1700000000 + fc->number;
	h.ts.tv_usec = 0;
	h.caplen = h.len = (bpf_u_int32)(ETH_LEN + iplen + udplen);
	pcap_dump((u_char *)fc->dumper, &h, frame);
	fc->number++;
}

static json_object *frame_json(struct frame_ctx *fc, const char *name, const char *kind, bool ipv6,
			       uint16_t port, bool marker)
{
	json_object *f = json_object_new_object();

	put_int(f, "frame", fc->number);
	put_str(f, "name", name);
	put_str(f, "kind", kind);
	put_int(f, "ip", ipv6 ? 6 : 4);
	put_int(f, "port", port);
	put_bool(f, "non_esp_marker", marker);
	return f;
}

/* Builds one sample, writes its frame and its JSON record. */
static void emit_sample(struct frame_ctx *fc, const struct sample *s, bool ipv6)
{
	static uint8_t msg[MSG_CAP], dgram[MSG_CAP + NATT_NON_ESP_MARKER_LEN];
	static uint64_t arena_mem[(1 << 20) / sizeof(uint64_t)]; /* 8-byte aligned */
	struct ike_arena arena = ike_arena_init(arena_mem, sizeof(arena_mem));
	struct ike_error err;
	char name[256], ebuf[256];
	size_t len = 0, dlen;
	bool marker = s->port == 4500, reverse = false;
	json_object *f;

	if (s->build(msg, sizeof(msg), &len))
		die("sample does not build", s->name);
	if (marker) {
		dlen = natt_wrap_ike(dgram, sizeof(dgram), msg, len);
		if (!dlen)
			die("natt_wrap_ike failed", s->name);
	} else {
		memcpy(dgram, msg, len);
		dlen = len;
	}
	snprintf(name, sizeof(name), "%s%s", s->name, ipv6 ? "@ipv6" : "");
	f = frame_json(fc, name, "ike", ipv6, s->port, marker);
	put_int(f, "version", s->version);

	/* Re-parse what will go on the wire, as a receiver would: from the
	 * datagram, through the non-ESP marker when there is one. */
	memset(&err, 0, sizeof(err));
	if (marker) {
		size_t off = 0;

		if (natt_classify(dgram, dlen, &off) != NATT_IKE || off != NATT_NON_ESP_MARKER_LEN)
			die("natt_classify does not see IKE", s->name);
	}
	if (s->version == 2) {
		struct ikev2_msg m;

		memset(&m, 0, sizeof(m));
		if (ikev2_parse(msg, len, &arena, &m, &err)) {
			ike_error_format(&err, ebuf, sizeof(ebuf));
			fprintf(stderr, "mkpcap: %s: %s\n", s->name, ebuf);
			die("osprey cannot parse its own message", s->name);
		}
		reverse = m.hdr.flags & IKEV2_FLAG_RESPONSE;
		v2_json(f, &m);
	} else {
		struct ikev1_msg m;

		memset(&m, 0, sizeof(m));
		if (ikev1_parse(msg, len, &arena, &m, &err)) {
			ike_error_format(&err, ebuf, sizeof(ebuf));
			fprintf(stderr, "mkpcap: %s: %s\n", s->name, ebuf);
			die("osprey cannot parse its own message", s->name);
		}
		v1_json(f, &m);
	}
	json_object_array_add(fc->frames, f);
	emit(fc, ipv6, reverse, s->port, dgram, dlen);
}

int main(int argc, char **argv)
{
	struct frame_ctx fc = { .number = 1 };
	pcap_t *dead;
	json_object *root;
	size_t i;
	const struct sample *v6_500 = NULL, *v6_4500 = NULL;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OUT.pcap OUT.json\n", argv[0]);
		return 2;
	}
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead)
		die("pcap_open_dead failed", NULL);
	fc.dumper = pcap_dump_open(dead, argv[1]);
	if (!fc.dumper)
		die(argv[1], pcap_geterr(dead));
	root = json_object_new_object();
	fc.frames = json_object_new_array();

	for (i = 0; i < samples_count; i++) {
		const struct sample *s = &samples[i];

		if (s->port != 500 && s->port != 4500)
			die("sample on a port other than 500 or 4500", s->name);
		if (s->version != 1 && s->version != 2)
			die("sample of unknown version", s->name);
		emit_sample(&fc, s, false);
		if (s->port == 500 && !v6_500)
			v6_500 = s;
		if (s->port == 4500 && !v6_4500)
			v6_4500 = s;
	}

	/* The same messages over IPv6: one on port 500, one behind the marker. */
	if (v6_500)
		emit_sample(&fc, v6_500, true);
	if (v6_4500)
		emit_sample(&fc, v6_4500, true);

	/* A NAT-keepalive (RFC 3948 §2.3): one 0xFF octet on port 4500. */
	{
		uint8_t ka = NATT_KEEPALIVE_BYTE;
		json_object *f;

		if (natt_classify(&ka, 1, NULL) != NATT_KEEPALIVE)
			die("natt_classify does not see a keepalive", NULL);
		f = frame_json(&fc, "nat-keepalive", "keepalive", false, 4500, false);
		json_object_array_add(fc.frames, f);
		emit(&fc, false, false, 4500, &ka, 1);
	}

	pcap_dump_close(fc.dumper);
	pcap_close(dead);

	put_int(root, "frame_count", (int64_t)fc.number - 1);
	json_object_object_add(root, "frames", fc.frames);
	if (json_object_to_file_ext(argv[2], root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)) {
		fprintf(stderr, "mkpcap: %s: %s\n", argv[2], json_util_get_last_err());
		json_object_put(root);
		return 1;
	}
	json_object_put(root);
	return 0;
}
