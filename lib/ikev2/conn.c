/* Helpers to fill the connection model (conn.h): defaults, proposals,
 * traffic selectors and addresses from their usual text forms. */
#include "ikev2/conn.h"
#include "ikev2/internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2_const.h"

void ike_kernel_set_marks(struct ike_kernel *k, const struct ike_child_cfg *cc)
{
	bool in = k->dir == IKE_DIR_IN;

	k->mark = in ? cc->mark_in : cc->mark_out;
	k->mark_mask = in ? cc->mark_in_mask : cc->mark_out_mask;
	k->if_id = in ? cc->if_id_in : cc->if_id_out;
}

void ike_conn_init(struct ike_conn *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->local_auth = c->remote_auth = IKE_AUTH_PSK;
	c->rto_ms = 4000;      /* strongSwan's retransmit_timeout */
	c->rto_factor = 1.8;   /* retransmit_base */
	c->rto_tries = 5;      /* retransmit_tries */
	c->half_open_ms = 30000;
	c->keepalive_ms = 20000;
	c->frag_size = 1280;
	c->initial_contact = true;
}

int ike_conn_add_ike_proposal(struct ike_conn *c, const char *s, char *err, size_t errlen)
{
	if (c->n_ike >= IKE_CONN_MAX_PROPOSALS) {
		snprintf(err, errlen, "too many IKE proposals");
		return -1;
	}
	if (oc_proposal_parse(s, OC_PROTO_IKE, &c->ike[c->n_ike], err, errlen) != 0)
		return -1;
	c->n_ike++;
	return 0;
}

struct ike_child_cfg *ike_conn_add_child(struct ike_conn *c, const char *name)
{
	struct ike_child_cfg *ch;

	if (c->n_children >= IKE_CONN_MAX_CHILDREN)
		return NULL;
	ch = &c->children[c->n_children++];
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	ch->life_seconds = 3600;
	ch->proto = IKEV2_PROTO_ESP;
	return ch;
}

int ike_child_add_esp_proposal(struct ike_child_cfg *ch, const char *s, char *err, size_t errlen)
{
	if (ch->n_esp >= IKE_CONN_MAX_PROPOSALS) {
		snprintf(err, errlen, "too many ESP proposals");
		return -1;
	}
	/* AH proposals are integrity (and ESN, KE) only: ch->proto must be
	 * set before its proposals are added. */
	if (oc_proposal_parse(s, ch->proto == IKEV2_PROTO_AH ? OC_PROTO_AH : OC_PROTO_ESP,
			      &ch->esp[ch->n_esp], err, errlen) != 0)
		return -1;
	ch->n_esp++;
	return 0;
}

static int parse_addr(const char *s, uint8_t *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = 6;
		return 0;
	}
	return -1;
}

int ike_endpoint_parse(const char *s, uint16_t port, struct ike_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->port = port;
	if (strcmp(s, "%any") == 0)
		return 0;
	return parse_addr(s, &ep->family, ep->addr);
}

int ike_endpoint_format(const struct ike_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "%any";

	if (ep->family)
		inet_ntop(ep->family == 4 ? AF_INET : AF_INET6, ep->addr, a, sizeof(a));
	return snprintf(buf, len, ep->family == 6 ? "[%s]:%u" : "%s:%u", a, ep->port);
}

int ike_ts_parse(const char *s, struct ike_ts *ts)
{
	char a[64];
	const char *br = strchr(s, '['), *slash;
	size_t n = br ? (size_t)(br - s) : strlen(s);
	unsigned prefix, len;

	memset(ts, 0, sizeof(*ts));
	ts->port_hi = 0xffff;
	if (n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = 0;
	slash = strchr(a, '/');
	if (slash)
		a[slash - a] = 0;
	if (parse_addr(a, &ts->family, ts->start) != 0)
		return -1;
	len = ts->family == 4 ? 4 : 16;
	prefix = slash ? (unsigned)strtoul(slash + 1, NULL, 10) : len * 8;
	if (prefix > len * 8)
		return -1;
	memcpy(ts->end, ts->start, len);
	for (unsigned bit = prefix; bit < len * 8; bit++) {
		ts->start[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
		ts->end[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	}
	if (br) {
		/* [proto/port]: proto a number or tcp/udp/icmp, port a number */
		char proto[16] = "", port[16] = "";
		if (sscanf(br, "[%15[^]/]/%15[^]]", proto, port) < 1)
			return -1;
		ts->proto = strcmp(proto, "tcp") == 0 ? 6 : strcmp(proto, "udp") == 0 ? 17
			  : strcmp(proto, "icmp") == 0 ? 1 : (uint8_t)strtoul(proto, NULL, 10);
		if (port[0])
			ts->port_lo = ts->port_hi = (uint16_t)strtoul(port, NULL, 10);
	}
	return 0;
}

int ike_ts_add(struct ike_child_cfg *ch, bool local, const char *s)
{
	uint8_t *n = local ? &ch->n_local_ts : &ch->n_remote_ts;
	struct ike_ts *arr = local ? ch->local_ts : ch->remote_ts;

	if (*n >= IKE_CONN_MAX_TS || ike_ts_parse(s, &arr[*n]) != 0)
		return -1;
	(*n)++;
	return 0;
}

int ike_ts_format(const struct ike_ts *ts, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int af = ts->family == 4 ? AF_INET : AF_INET6;

	inet_ntop(af, ts->start, a, sizeof(a));
	inet_ntop(af, ts->end, b, sizeof(b));
	if (ts->proto == 0 && ts->port_lo == 0 && ts->port_hi == 0xffff)
		return snprintf(buf, len, "%s..%s", a, b);
	return snprintf(buf, len, "%s..%s[%u/%u-%u]", a, b, ts->proto, ts->port_lo, ts->port_hi);
}

/* ---- the engine's conns by address (init.c, auth.c) ---- */

bool ike_ep_match(const struct ike_endpoint *cfg, const struct ike_endpoint *ep)
{
	if (cfg->family == 0)
		return true;
	if (cfg->family != ep->family)
		return false;
	return memcmp(cfg->addr, ep->addr, cfg->family == 4 ? 4 : 16) == 0;
}

const struct ike_conn *ike_conn_by_addr(struct ike_engine *e, const struct ike_endpoint *local,
					const struct ike_endpoint *remote, size_t start)
{
	for (size_t i = start; i < e->nconns; i++)
		if (ike_ep_match(&e->conns[i]->local, local) && ike_ep_match(&e->conns[i]->remote, remote))
			return e->conns[i];
	return NULL;
}
