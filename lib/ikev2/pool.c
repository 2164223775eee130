/* Address pools for virtual IPs (pool.h). */
#define _GNU_SOURCE
#include "ikev2/pool.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lease {
	uint32_t offset;       /* from the pool's first address */
	uint32_t refs;         /* IKE SAs holding it; 0: offline */
	uint64_t released;     /* release sequence number (offline order) */
	uint8_t id_type;
	uint16_t id_len;
	uint8_t *id_data;
};

struct ike_pool {
	char name[64];
	uint8_t family;
	uint8_t first[16];     /* first address handed out */
	uint32_t size;
	uint32_t next_unused;  /* offsets below were leased at least once */
	uint64_t release_seq;
	struct lease *leases;  /* one per offset leased so far */
	size_t nleases, cap;
};

static size_t alen(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

/* out = a + off (big-endian numbers of n octets). */
static void addr_add(const uint8_t *a, uint32_t off, uint8_t *out, size_t n)
{
	uint64_t carry = off;

	memcpy(out, a, n);
	for (size_t i = n; i-- > 0 && carry;) {
		carry += out[i];
		out[i] = (uint8_t)carry;
		carry >>= 8;
	}
}

/* b - a when it fits 32 bits and a <= b, else UINT32_MAX (or 0 when b < a). */
static uint64_t addr_diff(const uint8_t *a, const uint8_t *b, size_t n, int *neg)
{
	uint64_t d = 0;
	int borrow = 0;
	uint8_t r[16];

	for (size_t i = n; i-- > 0;) {
		int v = b[i] - a[i] - borrow;
		borrow = v < 0;
		r[i] = (uint8_t)(v + (borrow ? 256 : 0));
	}
	*neg = borrow;
	for (size_t i = 0; i < n; i++) {
		if (i < n - 4 && r[i])
			return UINT32_MAX;
		if (i >= n - 4)
			d = d << 8 | r[i];
	}
	return d;
}

static int parse_addr(const char *s, uint8_t *family, uint8_t *addr)
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

/* first/last of range text (pool.h); -1 with err. */
static int parse_range(const char *range, uint8_t *family, uint8_t *first, uint8_t *last,
		       char *err, size_t errlen)
{
	char buf[128], *sep;
	uint8_t f2;

	if (strlen(range) >= sizeof(buf))
		goto bad;
	strcpy(buf, range);
	if ((sep = strchr(buf, '/'))) {
		char *end;
		long plen;
		size_t n, bits;

		*sep++ = 0;
		plen = strtol(sep, &end, 10);
		if (parse_addr(buf, family, first) || *end || end == sep || plen < 0)
			goto bad;
		n = alen(*family);
		bits = n * 8;
		if ((size_t)plen > bits)
			goto bad;
		memcpy(last, first, 16);
		for (size_t b = (size_t)plen; b < bits; b++) {
			first[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
			last[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		}
		/* The subnet's own address is no host's (for IPv6 the
		 * Subnet-Router anycast, RFC 4291 §2.6.1); IPv4 broadcast
		 * neither.  /31 and /32 (/127, /128) have no such addresses. */
		if (bits - (size_t)plen >= 2) {
			addr_add(first, 1, first, n);
			if (*family == 4) {
				uint32_t v;
				memcpy(&v, last, 4);
				v = htonl(ntohl(v) - 1);
				memcpy(last, &v, 4);
			}
		}
		return 0;
	}
	if ((sep = strchr(buf, '-'))) {
		*sep++ = 0;
		if (parse_addr(buf, family, first) || parse_addr(sep, &f2, last) || f2 != *family)
			goto bad;
		return 0;
	}
	if (parse_addr(buf, family, first))
		goto bad;
	memcpy(last, first, 16);
	return 0;
bad:
	snprintf(err, errlen, "'%s' is no address range (use \"10.3.0.0/28\", "
		 "\"10.3.0.1-10.3.0.9\" or one address)", range);
	return -1;
}

struct ike_pool *ike_pool_new(const char *name, const char *range, char *err, size_t errlen)
{
	struct ike_pool *p;
	uint8_t family, first[16], last[16];
	uint64_t d;
	int neg;

	if (parse_range(range, &family, first, last, err, errlen))
		return NULL;
	d = addr_diff(first, last, alen(family), &neg);
	if (neg) {
		snprintf(err, errlen, "address range '%s' ends before it starts", range);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->family = family;
	memcpy(p->first, first, 16);
	p->size = d + 1 > IKE_POOL_MAX ? IKE_POOL_MAX : (uint32_t)(d + 1);
	return p;
}

void ike_pool_free(struct ike_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nleases; i++)
		free(p->leases[i].id_data);
	free(p->leases);
	free(p);
}

const char *ike_pool_name(const struct ike_pool *p)
{
	return p->name;
}

uint8_t ike_pool_family(const struct ike_pool *p)
{
	return p->family;
}

uint32_t ike_pool_size(const struct ike_pool *p)
{
	return p->size;
}

static uint32_t count(const struct ike_pool *p, bool online)
{
	uint32_t n = 0;

	for (size_t i = 0; i < p->nleases; i++)
		n += (p->leases[i].refs > 0) == online;
	return n;
}

uint32_t ike_pool_online(const struct ike_pool *p)
{
	return count(p, true);
}

uint32_t ike_pool_offline(const struct ike_pool *p)
{
	return count(p, false);
}

static bool same_id(const struct lease *l, const struct oc_id *id)
{
	return l->id_type == id->type && l->id_len == id->len &&
	       memcmp(l->id_data, id->data, id->len) == 0;
}

static void fill(const struct ike_pool *p, const struct lease *l, struct ike_endpoint *out)
{
	memset(out, 0, sizeof(*out));
	out->family = p->family;
	addr_add(p->first, l->offset, out->addr, alen(p->family));
}

static int set_owner(struct lease *l, const struct oc_id *id)
{
	uint8_t *d = malloc(id->len ? id->len : 1);

	if (!d)
		return -1;
	memcpy(d, id->data, id->len);
	free(l->id_data);
	l->id_data = d;
	l->id_type = id->type;
	l->id_len = (uint16_t)id->len;
	return 0;
}

int ike_pool_acquire(struct ike_pool *p, const struct oc_id *id, struct ike_endpoint *out)
{
	struct lease *l = NULL;

	for (size_t i = 0; i < p->nleases && !l; i++)
		if (same_id(&p->leases[i], id))
			l = &p->leases[i];
	if (!l && p->next_unused < p->size) {
		if (p->nleases == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 16;
			struct lease *n = realloc(p->leases, cap * sizeof(*n));
			if (!n)
				return -1;
			p->leases = n;
			p->cap = cap;
		}
		l = &p->leases[p->nleases];
		memset(l, 0, sizeof(*l));
		if (set_owner(l, id))
			return -1;
		l->offset = p->next_unused++;
		p->nleases++;
	}
	if (!l) {
		/* Every address was leased once: take over the offline lease
		 * released longest ago. */
		for (size_t i = 0; i < p->nleases; i++)
			if (!p->leases[i].refs && (!l || p->leases[i].released < l->released))
				l = &p->leases[i];
		if (!l || set_owner(l, id))
			return -1;
	}
	l->refs++;
	fill(p, l, out);
	return 0;
}

static struct lease *by_addr(const struct ike_pool *p, const struct ike_endpoint *addr)
{
	uint64_t off;
	int neg;

	if (addr->family != p->family)
		return NULL;
	off = addr_diff(p->first, addr->addr, alen(p->family), &neg);
	if (neg || off >= p->size)
		return NULL;
	for (size_t i = 0; i < p->nleases; i++)
		if (p->leases[i].offset == off)
			return &p->leases[i];
	return NULL;
}

int ike_pool_ref(struct ike_pool *p, const struct ike_endpoint *addr)
{
	struct lease *l = by_addr(p, addr);

	if (!l || !l->refs)
		return -1;
	l->refs++;
	return 0;
}

void ike_pool_release(struct ike_pool *p, const struct ike_endpoint *addr)
{
	struct lease *l = by_addr(p, addr);

	if (!l || !l->refs)
		return;
	if (--l->refs == 0)
		l->released = ++p->release_seq;
}

int ike_pool_owner(const struct ike_pool *p, const struct ike_endpoint *addr, struct oc_id *out)
{
	const struct lease *l = by_addr(p, addr);

	if (!l)
		return -1;
	memset(out, 0, sizeof(*out));
	out->type = l->id_type;
	out->len = l->id_len;
	memcpy(out->data, l->id_data, l->id_len);
	return 0;
}
