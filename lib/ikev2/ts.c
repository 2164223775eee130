/* Traffic selectors (§3.13) and their narrowing (§2.9): the responder
 * answers with the intersection of what was proposed and what its policy
 * allows; the initiator accepts only a subset of what it proposed. */
#include "ikev2/internal.h"

#include <string.h>

static size_t alen(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

void ts_to_wire(const struct ike_ts *in, struct ikev2_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->type = in->family == 4 ? IKEV2_TS_IPV4_ADDR_RANGE : IKEV2_TS_IPV6_ADDR_RANGE;
	out->ip_proto = in->proto;
	out->start_port = in->port_lo;
	out->end_port = in->port_hi;
	memcpy(out->start, in->start, alen(in->family));
	memcpy(out->end, in->end, alen(in->family));
}

bool ts_from_wire(const struct ikev2_ts *in, struct ike_ts *out)
{
	memset(out, 0, sizeof(*out));
	if (in->type == IKEV2_TS_IPV4_ADDR_RANGE)
		out->family = 4;
	else if (in->type == IKEV2_TS_IPV6_ADDR_RANGE)
		out->family = 6;
	else
		return false; /* other selector types: not ours to narrow */
	out->proto = in->ip_proto;
	out->port_lo = in->start_port;
	out->port_hi = in->end_port;
	memcpy(out->start, in->start, alen(out->family));
	memcpy(out->end, in->end, alen(out->family));
	return true;
}

/* The intersection of two selectors; false when empty. */
static bool intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	size_t n = alen(a->family);

	if (a->family != b->family)
		return false;
	if (a->proto && b->proto && a->proto != b->proto)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	out->proto = a->proto ? a->proto : b->proto;
	out->port_lo = a->port_lo > b->port_lo ? a->port_lo : b->port_lo;
	out->port_hi = a->port_hi < b->port_hi ? a->port_hi : b->port_hi;
	if (out->port_lo > out->port_hi)
		return false;
	memcpy(out->start, memcmp(a->start, b->start, n) > 0 ? a->start : b->start, n);
	memcpy(out->end, memcmp(a->end, b->end, n) < 0 ? a->end : b->end, n);
	return memcmp(out->start, out->end, n) <= 0;
}

/* Is small inside big (addresses, protocol and ports)? */
static bool ts_inside(const struct ike_ts *small, const struct ike_ts *big)
{
	struct ike_ts r;

	return intersect(small, big, &r) && memcmp(&r, small, sizeof(r)) == 0;
}

/* Every non-empty intersection of peer[] with ours[], without duplicates. */
static size_t ts_intersect_all(const struct ikev2_ts_list *peer, const struct ike_ts *ours,
			       size_t nours, struct ike_ts *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < peer->count; i++) {
		struct ike_ts p;
		if (!ts_from_wire(&peer->ts[i], &p))
			continue;
		for (size_t k = 0; k < nours && n < max; k++) {
			struct ike_ts r;
			bool dup = false;
			if (!intersect(&p, &ours[k], &r))
				continue;
			for (size_t d = 0; d < n; d++)
				dup |= memcmp(&out[d], &r, sizeof(r)) == 0;
			if (!dup)
				out[n++] = r;
		}
	}
	return n;
}

/* The peer's first selector may be the packet that triggered the SA (an
 * ACQUIRE, §2.9), followed by its configured ranges.  Intersections that
 * lie inside another intersection are dropped: the SA then gets our
 * configured range holding the packet, not that range plus the packet's
 * own selector (overlapping policies).  When none of our ranges holds the
 * packet the result is whatever intersects (the packet's flow is then not
 * covered; the initiator's trap keeps it). */
size_t ts_narrow(const struct ikev2_ts_list *peer, const struct ike_ts *ours, size_t nours,
		 struct ike_ts *out, size_t max)
{
	struct ike_ts all[2 * IKE_CONN_MAX_TS * IKE_CONN_MAX_TS];
	size_t n = ts_intersect_all(peer, ours, nours, all, sizeof(all) / sizeof(all[0])), k = 0;

	for (size_t i = 0; i < n; i++) {
		bool inside = false;
		for (size_t j = 0; j < n && !inside; j++)
			inside = j != i && ts_inside(&all[i], &all[j]);
		if (!inside && k < max)
			out[k++] = all[i];
	}
	return k;
}

bool ts_subset(const struct ikev2_ts_list *got, const struct ike_ts *offered, size_t noffered)
{
	if (got->count == 0)
		return false;
	for (size_t i = 0; i < got->count; i++) {
		struct ike_ts g;
		bool inside = false;
		if (!ts_from_wire(&got->ts[i], &g))
			return false;
		for (size_t k = 0; k < noffered && !inside; k++)
			inside = ts_inside(&g, &offered[k]);
		if (!inside)
			return false;
	}
	return true;
}

bool ts_list_add(struct ike_arena *a, struct ikev2_ts_list *l, const struct ike_ts *ts, size_t n)
{
	l->count = n;
	l->ts = ike_arena_array(a, n ? n : 1, sizeof(*l->ts));
	if (!l->ts)
		return false;
	for (size_t i = 0; i < n; i++)
		ts_to_wire(&ts[i], &l->ts[i]);
	return true;
}
