/* Counters shown by `ospreyctl stats`. The network and IKE counters are
 * incremented by the engine and the socket layer once they exist; the
 * control-socket counters are live today. */
#ifndef OSPREY_DAEMON_STATS_H
#define OSPREY_DAEMON_STATS_H

#include <json-c/json.h>
#include <stdint.h>

enum stat_exchange {
	EX_IKE_SA_INIT, EX_IKE_AUTH, EX_CREATE_CHILD_SA, EX_INFORMATIONAL,
	EX_MAIN_MODE, EX_AGGRESSIVE_MODE, EX_QUICK_MODE, EX_V1_INFORMATIONAL, EX_COUNT
};

enum stat_failure {
	FAIL_NO_PROPOSAL, FAIL_AUTH, FAIL_TS_UNACCEPTABLE, FAIL_INVALID_KE, FAIL_TIMEOUT,
	FAIL_INVALID_SYNTAX, FAIL_PEER_DELETED, FAIL_INTERNAL, FAIL_COUNT
};

enum stat_drop {
	DROP_MALFORMED, DROP_UNKNOWN_SPI, DROP_RATE_LIMITED, DROP_BAD_COOKIE, DROP_TOO_LARGE,
	DROP_WRONG_STATE, DROP_COUNT
};

struct osprey_stats {
	uint64_t exchanges[EX_COUNT];
	uint64_t failures[FAIL_COUNT];
	uint64_t dropped[DROP_COUNT];
	uint64_t retransmits;
	uint64_t cookies_sent;
	/* control socket */
	uint64_t ctl_requests, ctl_bad_requests, ctl_refused, ctl_timeouts;
};

extern const char *const stat_exchange_names[EX_COUNT];
extern const char *const stat_failure_names[FAIL_COUNT];
extern const char *const stat_drop_names[DROP_COUNT];

json_object *stats_to_json(const struct osprey_stats *s);

#endif
