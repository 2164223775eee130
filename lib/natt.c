#include "natt.h"

#include <string.h>

enum natt_kind natt_classify(const uint8_t *buf, size_t len, size_t *ike_off)
{
	/* RFC 3948 §2.3: a keepalive is exactly one octet, 0xFF. */
	if (len == 1 && buf[0] == NATT_KEEPALIVE_BYTE)
		return NATT_KEEPALIVE;
	if (len < NATT_NON_ESP_MARKER_LEN)
		return NATT_INVALID;
	/* §2.2: ESP's SPI is never zero, so four zero octets mark IKE. */
	if (buf[0] | buf[1] | buf[2] | buf[3])
		return NATT_ESP;
	if (ike_off)
		*ike_off = NATT_NON_ESP_MARKER_LEN;
	return NATT_IKE;
}

size_t natt_wrap_ike(uint8_t *out, size_t cap, const uint8_t *ike, size_t len)
{
	if (cap < NATT_NON_ESP_MARKER_LEN || cap - NATT_NON_ESP_MARKER_LEN < len)
		return 0;
	memset(out, 0, NATT_NON_ESP_MARKER_LEN);
	memmove(out + NATT_NON_ESP_MARKER_LEN, ike, len);
	return len + NATT_NON_ESP_MARKER_LEN;
}

const char *natt_kind_name(enum natt_kind k)
{
	switch (k) {
	case NATT_INVALID: return "invalid";
	case NATT_KEEPALIVE: return "NAT-keepalive";
	case NATT_IKE: return "IKE";
	case NATT_ESP: return "ESP";
	}
	return "?";
}
