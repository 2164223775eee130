/* Bounds-checked big-endian reading and writing of network buffers.
 *
 * Every parser in osprey reads through a wire_reader and every builder writes
 * through a wire_writer, so no code indexes a packet buffer by hand. */
#ifndef OSPREY_WIRE_H
#define OSPREY_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wire_reader {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

static inline struct wire_reader wire_reader_init(const uint8_t *buf, size_t len)
{
	return (struct wire_reader){ .buf = buf, .len = len, .off = 0 };
}

static inline size_t wire_left(const struct wire_reader *r)
{
	return r->len - r->off;
}

bool wire_get_u8(struct wire_reader *r, uint8_t *v);
bool wire_get_u16(struct wire_reader *r, uint16_t *v);
bool wire_get_u32(struct wire_reader *r, uint32_t *v);
bool wire_get_u64(struct wire_reader *r, uint64_t *v);
/* Points *p at the next n bytes (no copy) and advances. */
bool wire_get_ref(struct wire_reader *r, size_t n, const uint8_t **p);
bool wire_get_copy(struct wire_reader *r, void *dst, size_t n);
bool wire_skip(struct wire_reader *r, size_t n);

/* A writer into caller-owned memory. Writes past the capacity set overflow
 * and are dropped, so a builder checks once at the end. */
struct wire_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline struct wire_writer wire_writer_init(uint8_t *buf, size_t cap)
{
	return (struct wire_writer){ .buf = buf, .cap = cap, .len = 0, .overflow = false };
}

void wire_put_u8(struct wire_writer *w, uint8_t v);
void wire_put_u16(struct wire_writer *w, uint16_t v);
void wire_put_u32(struct wire_writer *w, uint32_t v);
void wire_put_u64(struct wire_writer *w, uint64_t v);
void wire_put_bytes(struct wire_writer *w, const void *p, size_t n);
void wire_put_zero(struct wire_writer *w, size_t n);
/* Patches a 16-bit field written earlier (a length known only afterwards). */
void wire_patch_u16(struct wire_writer *w, size_t off, uint16_t v);
void wire_patch_u32(struct wire_writer *w, size_t off, uint32_t v);
void wire_patch_u8(struct wire_writer *w, size_t off, uint8_t v);

static inline uint16_t wire_load_u16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t wire_load_u32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* A bump allocator over caller memory: a parsed message's arrays live here,
 * so parsing does no malloc and its memory use has a hard bound. */
struct ike_arena {
	uint8_t *base;
	size_t cap;
	size_t used;
};

static inline struct ike_arena ike_arena_init(void *mem, size_t cap)
{
	return (struct ike_arena){ .base = mem, .cap = cap, .used = 0 };
}

/* Zeroed, 8-byte aligned; NULL when the arena is exhausted. */
void *ike_arena_alloc(struct ike_arena *a, size_t n);
/* Space for count elements of size each; NULL on overflow or exhaustion. */
void *ike_arena_array(struct ike_arena *a, size_t count, size_t size);

#endif
