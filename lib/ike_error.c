#include "ike_error.h"

#include <stdio.h>

#include "ike_names.h"
#include "ikev1_const.h"
#include "ikev2_const.h"

const char *ike_perr_name(enum ike_perr code)
{
	switch (code) {
	case IKE_PERR_OK: return "no error";
	case IKE_PERR_TRUNCATED: return "truncated";
	case IKE_PERR_BAD_LENGTH: return "bad length";
	case IKE_PERR_BAD_VERSION: return "unsupported version";
	case IKE_PERR_BAD_VALUE: return "invalid value";
	case IKE_PERR_TOO_MANY: return "too many elements";
	case IKE_PERR_UNSUPPORTED_CRITICAL: return "unsupported critical payload";
	case IKE_PERR_BAD_CHAIN: return "broken payload chain";
	case IKE_PERR_NO_SPACE: return "output buffer too small";
	case IKE_PERR_INVALID_MODEL: return "inconsistent message model";
	}
	return "unknown error";
}

int ike_error_format(const struct ike_error *e, char *buf, size_t len)
{
	char num[16];
	const char *pl;

	if (e->payload == 0)
		pl = "header";
	else if (e->version == 1)
		pl = ike_name_or_number(ikev1_payload_name(e->payload), e->payload, num);
	else
		pl = ike_name_or_number(ikev2_payload_name(e->payload), e->payload, num);
	return snprintf(buf, len, "IKEv%u %s%s: field '%s' at offset %zu: %s (value %u)",
			e->version, pl, e->payload ? " payload" : "",
			e->field ? e->field : "?", e->offset, ike_perr_name(e->code), e->value);
}

uint16_t ike_error_notify(const struct ike_error *e)
{
	if (e->version == 1)
		return e->code == IKE_PERR_UNSUPPORTED_CRITICAL ? IKEV1_N_INVALID_PAYLOAD_TYPE
								: IKEV1_N_PAYLOAD_MALFORMED;
	return e->code == IKE_PERR_UNSUPPORTED_CRITICAL ? IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD
							: IKEV2_N_INVALID_SYNTAX;
}

int ike_fail(struct ike_error *e, enum ike_perr code, uint8_t version, uint8_t payload,
	     const char *field, size_t offset, uint32_t value)
{
	if (e && e->code == IKE_PERR_OK) {
		e->code = code;
		e->version = version;
		e->payload = payload;
		e->field = field;
		e->offset = offset;
		e->value = value;
	}
	return -1;
}
