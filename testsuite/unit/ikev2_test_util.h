/* Helpers shared by the IKEv2 codec tests (test_ikev2_codec.c for the
 * catalogue and decoded values, test_ikev2_malformed.c for rejected input). */
#ifndef OSPREY_IKEV2_TEST_UTIL_H
#define OSPREY_IKEV2_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_error.h"
#include "ike_names.h"
#include "ikev2_codec.h"
#include "msg_equal.h"
#include "samples.h"
#include "samples_int.h"

#define MAX_MSG 4096
#define ARENA_SIZE 65536

/* Two arenas, for comparing two parsed models. uint64_t keeps them aligned. */
static uint64_t arena_a_mem[ARENA_SIZE / 8], arena_b_mem[ARENA_SIZE / 8];

static inline struct ike_arena arena_a(void)
{
	return ike_arena_init(arena_a_mem, sizeof(arena_a_mem));
}

static inline struct ike_arena arena_b(void)
{
	return ike_arena_init(arena_b_mem, sizeof(arena_b_mem));
}

/* A heap copy of exactly len bytes, so ASan reports any read past the end. */
static inline uint8_t *exact_copy(const uint8_t *buf, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, buf, len);
	return p;
}

static inline const char *describe(const struct ike_error *err)
{
	static char line[256];

	ike_error_format(err, line, sizeof(line));
	return line;
}

static inline const struct sample *find_sample(const char *name)
{
	size_t i;

	for (i = 0; i < samples_count; i++)
		if (strcmp(samples[i].name, name) == 0)
			return &samples[i];
	fail_msg("no sample named %s", name);
	return NULL;
}

static inline size_t build_sample(const struct sample *s, uint8_t *buf, size_t cap)
{
	size_t len = 0;

	if (s->build(buf, cap, &len) != 0)
		fail_msg("%s: building the sample failed", s->name);
	return len;
}

/* A named sample, built and parsed; the model points into buf. */
struct parsed {
	uint8_t buf[MAX_MSG];
	size_t len;
	struct ikev2_msg msg;
};

static inline void parse_sample(const char *name, struct parsed *p)
{
	struct ike_arena a = arena_a();
	struct ike_error err = { 0 };

	p->len = build_sample(find_sample(name), p->buf, sizeof(p->buf));
	if (ikev2_parse(p->buf, p->len, &a, &p->msg, &err) != 0)
		fail_msg("%s: %s", name, describe(&err));
}

/* The i-th payload, which must be of type t. */
static inline const struct ikev2_payload *pl_at(const struct ikev2_msg *m, size_t i, uint8_t t)
{
	assert_true(i < m->chain.count);
	assert_int_equal(m->chain.pl[i].type, t);
	return &m->chain.pl[i];
}

static inline void assert_ts4(const struct ikev2_ts *ts, uint8_t proto, uint16_t sport, uint16_t eport,
		       const uint8_t start[4], const uint8_t end[4])
{
	assert_int_equal(ts->type, IKEV2_TS_IPV4_ADDR_RANGE);
	assert_int_equal(ts->ip_proto, proto);
	assert_int_equal(ts->start_port, sport);
	assert_int_equal(ts->end_port, eport);
	assert_memory_equal(ts->start, start, 4);
	assert_memory_equal(ts->end, end, 4);
}


#endif
