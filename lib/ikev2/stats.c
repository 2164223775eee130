/* Exchange and drop counters (engine.h: counters). */
#include "ikev2/internal.h"

#include <string.h>

int ike_xs_index(uint8_t exchange)
{
	switch (exchange) {
	case IKEV2_EXCH_IKE_SA_INIT: return IKE_XS_IKE_SA_INIT;
	case IKEV2_EXCH_IKE_AUTH: return IKE_XS_IKE_AUTH;
	case IKEV2_EXCH_CREATE_CHILD_SA: return IKE_XS_CREATE_CHILD_SA;
	case IKEV2_EXCH_INFORMATIONAL: return IKE_XS_INFORMATIONAL;
	}
	return -1;
}

void ike_engine_get_stats(const struct ike_engine *e, struct ike_engine_stats *out)
{
	*out = e->stats;
}

const char *ike_exch_stat_name(enum ike_exch_stat x)
{
	static const char *const names[IKE_XS_COUNT] = {
		"ike_sa_init", "ike_auth", "create_child_sa", "informational"
	};

	return (unsigned)x < IKE_XS_COUNT ? names[x] : "?";
}

const char *ike_drop_reason_name(enum ike_drop_reason r)
{
	static const char *const names[IKE_DROP_COUNT] = {
		"malformed", "unknown_spi", "integrity", "wrong_state", "too_large",
		"half_open_limit", "bad_cookie"
	};

	return (unsigned)r < IKE_DROP_COUNT ? names[r] : "?";
}
