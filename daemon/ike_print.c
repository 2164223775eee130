#include "ike_print.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <sys/socket.h>

#include "ike_names.h"

#define NAME(fn, v) ike_name_or_number(fn(v), (v), (char[16]){ 0 })

/* Long values are shortened: an operator wants to see that a value is there
 * and how long it is, not 512 bytes of KE. */
static void hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i, shown = n > 16 ? 16 : n;

	for (i = 0; i < shown; i++)
		fprintf(f, "%02x", p[i]);
	if (shown < n)
		fprintf(f, "... (%zu bytes)", n);
}

static void print_addr(FILE *f, int family, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	fputs(inet_ntop(family, a, s, sizeof(s)) ? s : "?", f);
}

static void print_attrs(FILE *f, const struct ike_attr_list *l, int v1_phase1, int v1_ipsec)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		const struct ike_attr *a = &l->attrs[i];
		const char *name = v1_phase1 ? ikev1_attr_name(a->type)
				   : v1_ipsec ? ikev1_ipsec_attr_name(a->type)
				   : a->type == IKEV2_ATTR_KEY_LENGTH ? "KEY_LENGTH" : NULL;
		char num[16];

		fprintf(f, " %s=", ike_name_or_number(name, a->type, num));
		if (a->tv) {
			const char *vname = v1_phase1 ? ikev1_attr_value_name(a->type, a->value)
					    : v1_ipsec ? ikev1_ipsec_attr_value_name(a->type, a->value)
					    : NULL;
			if (vname)
				fputs(vname, f);
			else
				fprintf(f, "%u", a->value);
		} else {
			uint64_t v;

			if (ike_attr_get_uint(a, &v))
				fprintf(f, "%" PRIu64, v);
			else
				hex(f, a->data, a->len);
		}
	}
}

static void print_ts(FILE *f, const struct ikev2_ts *ts)
{
	int family = ts->type == IKEV2_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;

	if (ts->type != IKEV2_TS_IPV4_ADDR_RANGE && ts->type != IKEV2_TS_IPV6_ADDR_RANGE) {
		fprintf(f, "%s ", NAME(ikev2_ts_type_name, ts->type));
		hex(f, ts->data, ts->len);
		return;
	}
	print_addr(f, family, ts->start);
	fputs("-", f);
	print_addr(f, family, ts->end);
	fprintf(f, " proto %u ports %u-%u", ts->ip_proto, ts->start_port, ts->end_port);
}

static void print_id(FILE *f, uint8_t type, const uint8_t *data, size_t len, int v1)
{
	fprintf(f, "%s ", v1 ? NAME(ikev1_id_type_name, type) : NAME(ikev2_id_type_name, type));
	if (type == IKEV2_ID_IPV4_ADDR && len == 4)
		print_addr(f, AF_INET, data);
	else if (type == (v1 ? IKEV1_ID_IPV6_ADDR : IKEV2_ID_IPV6_ADDR) && len == 16)
		print_addr(f, AF_INET6, data);
	else if (type == IKEV2_ID_FQDN || type == IKEV2_ID_RFC822_ADDR)
		fprintf(f, "'%.*s'", (int)(len > 255 ? 255 : len), (const char *)data);
	else
		hex(f, data, len);
}

static void print_v2_payload(FILE *f, const struct ikev2_payload *p, const char *in)
{
	size_t i, t;

	fprintf(f, "%s%s%s:", in, NAME(ikev2_payload_short, p->type), p->critical ? " (critical)" : "");
	switch (p->type) {
	case IKEV2_PL_SA:
		for (i = 0; i < p->u.sa.nproposals; i++) {
			const struct ikev2_proposal *pr = &p->u.sa.proposals[i];

			fprintf(f, "\n%s  proposal %u %s", in, pr->num,
				NAME(ikev2_protocol_name, pr->protocol));
			if (pr->spi_size) {
				fputs(" SPI ", f);
				hex(f, pr->spi, pr->spi_size);
			}
			fputs(":", f);
			for (t = 0; t < pr->ntransforms; t++) {
				const struct ikev2_transform *tr = &pr->transforms[t];
				const char *n = ikev2_transform_id_name(tr->type, tr->id);

				/* The ID names carry their kind ("ENCR_AES_CBC"); only an
				 * unknown ID needs its transform type spelled out. */
				if (n)
					fprintf(f, " %s", n);
				else
					fprintf(f, " %s/%u", NAME(ikev2_transform_type_name, tr->type),
						tr->id);
				print_attrs(f, &tr->attrs, 0, 0);
			}
		}
		break;
	case IKEV2_PL_KE:
		fprintf(f, " group %s, ",
			ike_name_or_number(ikev2_transform_id_name(IKEV2_TT_KE, p->u.ke.group),
					   p->u.ke.group, (char[16]){ 0 }));
		hex(f, p->u.ke.data, p->u.ke.len);
		break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		fputs(" ", f);
		print_id(f, p->u.id.type, p->u.id.data, p->u.id.len, 0);
		break;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		fprintf(f, " %s, ", NAME(ikev2_cert_encoding_name, p->u.cert.encoding));
		hex(f, p->u.cert.data, p->u.cert.len);
		break;
	case IKEV2_PL_AUTH:
		fprintf(f, " %s, ", NAME(ikev2_auth_method_name, p->u.auth.method));
		hex(f, p->u.auth.data, p->u.auth.len);
		break;
	case IKEV2_PL_NOTIFY:
		fprintf(f, " %s", NAME(ikev2_notify_name, p->u.notify.type));
		if (p->u.notify.protocol)
			fprintf(f, " %s", NAME(ikev2_protocol_name, p->u.notify.protocol));
		if (p->u.notify.spi_size) {
			fputs(" SPI ", f);
			hex(f, p->u.notify.spi, p->u.notify.spi_size);
		}
		if (p->u.notify.len) {
			fputs(" data ", f);
			hex(f, p->u.notify.data, p->u.notify.len);
		}
		break;
	case IKEV2_PL_DELETE:
		fprintf(f, " %s, %u SPI(s)", NAME(ikev2_protocol_name, p->u.del.protocol),
			p->u.del.nspis);
		for (i = 0; i < p->u.del.nspis && i < 8; i++) {
			fputs(" ", f);
			hex(f, p->u.del.spis + i * p->u.del.spi_size, p->u.del.spi_size);
		}
		break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		for (i = 0; i < p->u.ts.count; i++) {
			fputs(i ? ", " : " ", f);
			print_ts(f, &p->u.ts.ts[i]);
		}
		break;
	case IKEV2_PL_SK:
		fprintf(f, " first inner %s, %zu encrypted bytes",
			NAME(ikev2_payload_short, p->u.sk.first_inner), p->u.sk.len);
		break;
	case IKEV2_PL_SKF:
		fprintf(f, " fragment %u of %u, first inner %s, %zu encrypted bytes", p->u.skf.number,
			p->u.skf.total, NAME(ikev2_payload_short, p->u.skf.first_inner), p->u.skf.len);
		break;
	case IKEV2_PL_CP:
		fprintf(f, " %s", NAME(ikev2_cfg_type_name, p->u.cp.type));
		for (i = 0; i < p->u.cp.nattrs; i++) {
			fprintf(f, " %s", NAME(ikev2_cfg_attr_name, p->u.cp.attrs[i].type));
			if (p->u.cp.attrs[i].len) {
				fputs("=", f);
				hex(f, p->u.cp.attrs[i].data, p->u.cp.attrs[i].len);
			}
		}
		break;
	case IKEV2_PL_EAP:
		fprintf(f, " code %u id %u", p->u.eap.code, p->u.eap.identifier);
		if (p->u.eap.code == IKEV2_EAP_REQUEST || p->u.eap.code == IKEV2_EAP_RESPONSE)
			fprintf(f, " type %u, %zu bytes", p->u.eap.type, p->u.eap.len);
		break;
	default:
		fputs(" ", f);
		hex(f, p->body, p->body_len);
		break;
	}
	fputs("\n", f);
}

void ikev2_print_chain(FILE *f, const struct ikev2_chain *c, const char *indent)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		print_v2_payload(f, &c->pl[i], indent);
}

void ikev2_print_msg(FILE *f, const struct ikev2_msg *m)
{
	char line[1024];

	ikev2_msg_summary(m, line, sizeof(line));
	fprintf(f, "  %s\n", line);
	fprintf(f, "  SPIi %016" PRIx64 " SPIr %016" PRIx64 " flags%s%s%s\n", m->hdr.ispi,
		m->hdr.rspi, (m->hdr.flags & IKEV2_FLAG_INITIATOR) ? " initiator" : "",
		(m->hdr.flags & IKEV2_FLAG_RESPONSE) ? " response" : "",
		(m->hdr.flags & IKEV2_FLAG_VERSION) ? " version" : "");
	ikev2_print_chain(f, &m->chain, "    ");
}

static void print_v1_payload(FILE *f, const struct ikev1_payload *p, const char *in)
{
	size_t i, t;

	fprintf(f, "%s%s:", in, NAME(ikev1_payload_short, p->type));
	switch (p->type) {
	case IKEV1_PL_SA:
		fprintf(f, " DOI %u situation %u", p->u.sa.doi, p->u.sa.situation);
		for (i = 0; i < p->u.sa.nproposals; i++) {
			const struct ikev1_proposal *pr = &p->u.sa.proposals[i];
			int phase1 = pr->protocol == IKEV1_PROTO_ISAKMP;

			fprintf(f, "\n%s  proposal %u %s", in, pr->num,
				NAME(ikev1_protocol_name, pr->protocol));
			if (pr->spi_size) {
				fputs(" SPI ", f);
				hex(f, pr->spi, pr->spi_size);
			}
			for (t = 0; t < pr->ntransforms; t++) {
				const struct ikev1_transform *tr = &pr->transforms[t];
				const char *n = ikev1_transform_id_name(pr->protocol, tr->id);

				fprintf(f, "\n%s    transform %u %s:", in, tr->num, n ? n : "?");
				print_attrs(f, &tr->attrs, phase1, !phase1);
			}
		}
		break;
	case IKEV1_PL_ID:
		fputs(" ", f);
		print_id(f, p->u.id.type, p->u.id.data, p->u.id.len, 1);
		fprintf(f, " protocol %u port %u", p->u.id.protocol, p->u.id.port);
		break;
	case IKEV1_PL_CERT:
	case IKEV1_PL_CR:
		fprintf(f, " %s, ", NAME(ikev1_cert_encoding_name, p->u.cert.encoding));
		hex(f, p->u.cert.data, p->u.cert.len);
		break;
	case IKEV1_PL_N:
		fprintf(f, " %s %s", NAME(ikev1_notify_name, p->u.notify.type),
			NAME(ikev1_protocol_name, p->u.notify.protocol));
		if (p->u.notify.spi_size) {
			fputs(" SPI ", f);
			hex(f, p->u.notify.spi, p->u.notify.spi_size);
		}
		if (p->u.notify.len) {
			fputs(" data ", f);
			hex(f, p->u.notify.data, p->u.notify.len);
		}
		break;
	case IKEV1_PL_D:
		fprintf(f, " %s, %u SPI(s)", NAME(ikev1_protocol_name, p->u.del.protocol),
			p->u.del.nspis);
		for (i = 0; i < p->u.del.nspis && i < 8; i++) {
			fputs(" ", f);
			hex(f, p->u.del.spis + i * p->u.del.spi_size, p->u.del.spi_size);
		}
		break;
	case IKEV1_PL_NATOA:
	case IKEV1_PL_NATOA_DRAFT:
		fputs(" ", f);
		print_addr(f, p->u.natoa.len == 16 ? AF_INET6 : AF_INET, p->u.natoa.addr);
		break;
	case IKEV1_PL_ATTR:
		fprintf(f, " %s id %u", NAME(ikev1_cfg_type_name, p->u.attr.type),
			p->u.attr.identifier);
		for (i = 0; i < p->u.attr.attrs.count; i++) {
			const struct ike_attr *a = &p->u.attr.attrs.attrs[i];

			fprintf(f, " %s", NAME(ikev1_cfg_attr_name, a->type));
			if (a->tv)
				fprintf(f, "=%u", a->value);
			else if (a->len) {
				fputs("=", f);
				hex(f, a->data, a->len);
			}
		}
		break;
	case IKEV1_PL_FRAG:
		fprintf(f, " id %u number %u%s, %zu bytes", p->u.frag.id, p->u.frag.number,
			(p->u.frag.flags & IKEV1_FRAG_LAST) ? " (last)" : "", p->u.frag.len);
		break;
	default:
		fputs(" ", f);
		hex(f, p->body, p->body_len);
		break;
	}
	fputs("\n", f);
}

void ikev1_print_chain(FILE *f, const struct ikev1_chain *c, const char *indent)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		print_v1_payload(f, &c->pl[i], indent);
}

void ikev1_print_msg(FILE *f, const struct ikev1_msg *m)
{
	char line[1024];

	ikev1_msg_summary(m, line, sizeof(line));
	fprintf(f, "  %s\n", line);
	fprintf(f, "  CKY-I %016" PRIx64 " CKY-R %016" PRIx64 " flags%s%s%s\n", m->hdr.ispi,
		m->hdr.rspi, (m->hdr.flags & IKEV1_FLAG_ENCRYPTION) ? " encrypted" : "",
		(m->hdr.flags & IKEV1_FLAG_COMMIT) ? " commit" : "",
		(m->hdr.flags & IKEV1_FLAG_AUTH_ONLY) ? " auth-only" : "");
	ikev1_print_chain(f, &m->chain, "    ");
}
