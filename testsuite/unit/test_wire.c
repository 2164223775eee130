/* The byte reader, writer, arena and NAT-T classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "natt.h"
#include "wire.h"

static void reader_stops_at_end(void **state)
{
	const uint8_t buf[] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
	struct wire_reader r = wire_reader_init(buf, sizeof(buf));
	uint16_t v16;
	uint32_t v32;
	const uint8_t *p;

	assert_true(wire_get_u16(&r, &v16));
	assert_int_equal(v16, 0x0102);
	assert_false(wire_get_u32(&r, &v32)); /* 3 left */
	assert_int_equal(r.off, 2);           /* a failed read consumes nothing */
	assert_false(wire_get_ref(&r, 4, &p));
	assert_true(wire_get_ref(&r, 3, &p));
	assert_ptr_equal(p, buf + 2);
	assert_int_equal(wire_left(&r), 0);
	assert_false(wire_skip(&r, 1));
	assert_true(wire_skip(&r, 0));
}

static void writer_flags_overflow(void **state)
{
	uint8_t buf[6];
	struct wire_writer w = wire_writer_init(buf, sizeof(buf));

	wire_put_u32(&w, 0xdeadbeef);
	wire_put_u16(&w, 0);
	wire_patch_u16(&w, 4, 0x1234);
	assert_false(w.overflow);
	assert_memory_equal(buf, "\xde\xad\xbe\xef\x12\x34", 6);
	wire_put_u8(&w, 1);
	assert_true(w.overflow);
	assert_int_equal(w.len, 6);
}

static void arena_has_a_hard_bound(void **state)
{
	_Alignas(8) uint8_t mem[64];
	struct ike_arena a = ike_arena_init(mem, sizeof(mem));
	uint8_t *p = ike_arena_alloc(&a, 3);
	uint8_t *q = ike_arena_alloc(&a, 8);

	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal((uintptr_t)q % 8, 0);
	assert_null(ike_arena_alloc(&a, 64));
	assert_null(ike_arena_array(&a, SIZE_MAX / 2, 4)); /* multiplication overflow */
	assert_non_null(ike_arena_alloc(&a, 48));
}

static void natt_classifies_port_4500(void **state)
{
	const uint8_t keepalive[] = { 0xff };
	const uint8_t ike[] = { 0, 0, 0, 0, 0x11, 0x22 };
	const uint8_t esp[] = { 0, 0, 0x10, 0x01, 0, 0, 0, 1 };
	const uint8_t shortd[] = { 0, 0 };
	uint8_t out[16];
	size_t off = 99;

	assert_int_equal(natt_classify(keepalive, 1, &off), NATT_KEEPALIVE);
	assert_int_equal(natt_classify(ike, sizeof(ike), &off), NATT_IKE);
	assert_int_equal(off, 4);
	assert_int_equal(natt_classify(esp, sizeof(esp), &off), NATT_ESP);
	assert_int_equal(natt_classify(shortd, sizeof(shortd), &off), NATT_INVALID);
	assert_int_equal(natt_wrap_ike(out, sizeof(out), ike + 4, 2), 6);
	assert_memory_equal(out, ike, 6);
	assert_int_equal(natt_wrap_ike(out, 5, ike + 4, 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_stops_at_end),
		cmocka_unit_test(writer_flags_overflow),
		cmocka_unit_test(arena_has_a_hard_bound),
		cmocka_unit_test(natt_classifies_port_4500),
	};
	return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
