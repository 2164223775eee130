/* Counters shown by `ospreyctl stats`.  Exchanges, retransmits, cookies and
 * drops are the IKEv2 engine's (copied in by engine_glue.c when asked);
 * failures are counted from the engine's events; the control-socket
 * counters by ctl_server.c. */
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
	DROP_WRONG_STATE, DROP_INTEGRITY, DROP_COUNT
};

struct osprey_stats {
	uint64_t exchanges[EX_COUNT];		/* both roles */
	/* IKEv2 by role: requests we sent / requests we answered
	 * (EX_IKE_SA_INIT .. EX_INFORMATIONAL). */
	uint64_t initiated[EX_INFORMATIONAL + 1], responded[EX_INFORMATIONAL + 1];
	uint64_t responses_resent;		/* cached responses to retransmitted requests */
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
