/* kat.h - helpers for the crypto known-answer tests. */
#ifndef OSPREY_TEST_KAT_H
#define OSPREY_TEST_KAT_H

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes hex as RFCs print it (spaces and newlines ignored) into a
 * malloc'd buffer; *len gets the octet count. */
static inline uint8_t *kat_hex(const char *s, size_t *len)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *out = calloc(1, cap);
	int hi = -1;
	for (; *s; s++) {
		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		int v = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	*len = n;
	return out;
}

#endif
