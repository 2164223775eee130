/* Counters as JSON. */
#define _GNU_SOURCE
#include "config.h"

#include "stats.h"

const char *const stat_exchange_names[EX_COUNT] = {
	"ike_sa_init", "ike_auth", "create_child_sa", "informational",
	"main_mode", "aggressive_mode", "quick_mode", "v1_informational"
};
const char *const stat_failure_names[FAIL_COUNT] = {
	"no_proposal_chosen", "authentication_failed", "ts_unacceptable", "invalid_ke",
	"timeout", "invalid_syntax", "deleted_by_peer", "internal"
};
const char *const stat_drop_names[DROP_COUNT] = {
	"malformed", "unknown_spi", "rate_limited", "bad_cookie", "too_large", "wrong_state",
	"integrity"
};

static json_object *group(const uint64_t *v, const char *const *names, int n)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < n; i++)
		json_object_object_add(o, names[i], json_object_new_int64((int64_t)v[i]));
	return o;
}

json_object *stats_to_json(const struct osprey_stats *s)
{
	json_object *o = json_object_new_object(), *ctl = json_object_new_object();

	json_object_object_add(o, "exchanges", group(s->exchanges, stat_exchange_names, EX_COUNT));
	json_object_object_add(o, "exchanges_initiated",
			       group(s->initiated, stat_exchange_names, EX_INFORMATIONAL + 1));
	json_object_object_add(o, "exchanges_responded",
			       group(s->responded, stat_exchange_names, EX_INFORMATIONAL + 1));
	json_object_object_add(o, "failures", group(s->failures, stat_failure_names, FAIL_COUNT));
	json_object_object_add(o, "dropped", group(s->dropped, stat_drop_names, DROP_COUNT));
	json_object_object_add(o, "retransmits", json_object_new_int64((int64_t)s->retransmits));
	json_object_object_add(o, "cookies_sent", json_object_new_int64((int64_t)s->cookies_sent));
	json_object_object_add(o, "responses_resent",
			       json_object_new_int64((int64_t)s->responses_resent));
	json_object_object_add(ctl, "requests", json_object_new_int64((int64_t)s->ctl_requests));
	json_object_object_add(ctl, "bad_requests",
			       json_object_new_int64((int64_t)s->ctl_bad_requests));
	json_object_object_add(ctl, "refused", json_object_new_int64((int64_t)s->ctl_refused));
	json_object_object_add(ctl, "timeouts", json_object_new_int64((int64_t)s->ctl_timeouts));
	json_object_object_add(o, "control", ctl);
	return o;
}
