/* What a parser found wrong with a message, precisely enough to log and to
 * answer: which version, which payload, which field, at which offset. */
#ifndef OSPREY_IKE_ERROR_H
#define OSPREY_IKE_ERROR_H

#include <stddef.h>
#include <stdint.h>

enum ike_perr {
	IKE_PERR_OK = 0,
	IKE_PERR_TRUNCATED,            /* the field runs past the end of its container */
	IKE_PERR_BAD_LENGTH,           /* a length field is impossible (too short, inconsistent) */
	IKE_PERR_BAD_VERSION,          /* the header's major version is not ours */
	IKE_PERR_BAD_VALUE,            /* a field holds a value the RFC forbids */
	IKE_PERR_TOO_MANY,             /* more elements than the parse arena can hold */
	IKE_PERR_UNSUPPORTED_CRITICAL, /* unknown payload with the critical bit (IKEv2 §2.5) */
	IKE_PERR_BAD_CHAIN,            /* payload chain broken (SK not last, trailing bytes, ...) */
	IKE_PERR_NO_SPACE,             /* builder: output buffer too small */
	IKE_PERR_INVALID_MODEL,        /* builder: the message model is inconsistent */
};

struct ike_error {
	enum ike_perr code;
	uint8_t version;      /* 1 or 2 */
	uint8_t payload;      /* payload type being read; 0 for the header */
	const char *field;    /* static text naming the field, e.g. "proposal length" */
	size_t offset;        /* offset of that field from the start of the message */
	uint32_t value;       /* the offending value where one exists */
};

const char *ike_perr_name(enum ike_perr code);

/* Writes a one-line description such as
 * "IKEv2 SA payload: field 'proposal length' at offset 56 has bad length (value 300)".
 * Returns what snprintf returns. */
int ike_error_format(const struct ike_error *e, char *buf, size_t len);

/* The notify type to send back for this error: UNSUPPORTED_CRITICAL_PAYLOAD or
 * INVALID_SYNTAX for IKEv2 (RFC 7296 §2.5, §3.10.1), PAYLOAD_MALFORMED or
 * INVALID_PAYLOAD_TYPE for IKEv1 (RFC 2408 §3.14.1). */
uint16_t ike_error_notify(const struct ike_error *e);

/* Records an error (only the first one counts) and returns -1 for tail calls. */
int ike_fail(struct ike_error *e, enum ike_perr code, uint8_t version, uint8_t payload,
	     const char *field, size_t offset, uint32_t value);

#endif
