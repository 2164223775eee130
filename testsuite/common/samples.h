/* A catalogue of IKEv1 and IKEv2 messages built with osprey's codec: the
 * round-trip tests, the tshark oracle and the fuzz seed corpus all use it, so
 * every payload type is exercised by all three. */
#ifndef OSPREY_SAMPLES_H
#define OSPREY_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

struct sample {
	const char *name;  /* unique, file-name safe, e.g. "v2-ike-sa-init-request" */
	uint8_t version;   /* 1 or 2 */
	uint16_t port;     /* UDP port it travels on: 500, or 4500 (sent behind the non-ESP marker) */
	/* Builds the message (without any non-ESP marker) with ikev2_build() or
	 * ikev1_build(); returns 0 and sets *len on success. */
	int (*build)(uint8_t *out, size_t cap, size_t *len);
};

extern const struct sample samples[];
extern const size_t samples_count;

#endif
