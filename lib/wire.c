#include "wire.h"

#include <string.h>

bool wire_get_u8(struct wire_reader *r, uint8_t *v)
{
	if (wire_left(r) < 1)
		return false;
	*v = r->buf[r->off++];
	return true;
}

bool wire_get_u16(struct wire_reader *r, uint16_t *v)
{
	if (wire_left(r) < 2)
		return false;
	*v = wire_load_u16(r->buf + r->off);
	r->off += 2;
	return true;
}

bool wire_get_u32(struct wire_reader *r, uint32_t *v)
{
	if (wire_left(r) < 4)
		return false;
	*v = wire_load_u32(r->buf + r->off);
	r->off += 4;
	return true;
}

bool wire_get_u64(struct wire_reader *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (wire_left(r) < 8)
		return false;
	wire_get_u32(r, &hi);
	wire_get_u32(r, &lo);
	*v = ((uint64_t)hi << 32) | lo;
	return true;
}

bool wire_get_ref(struct wire_reader *r, size_t n, const uint8_t **p)
{
	if (wire_left(r) < n)
		return false;
	*p = r->buf + r->off;
	r->off += n;
	return true;
}

bool wire_get_copy(struct wire_reader *r, void *dst, size_t n)
{
	const uint8_t *p;

	if (!wire_get_ref(r, n, &p))
		return false;
	if (n)
		memcpy(dst, p, n);
	return true;
}

bool wire_skip(struct wire_reader *r, size_t n)
{
	const uint8_t *p;

	return wire_get_ref(r, n, &p);
}

static uint8_t *wire_room(struct wire_writer *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void wire_put_u8(struct wire_writer *w, uint8_t v)
{
	uint8_t *p = wire_room(w, 1);

	if (p)
		p[0] = v;
}

void wire_put_u16(struct wire_writer *w, uint16_t v)
{
	uint8_t *p = wire_room(w, 2);

	if (p) {
		p[0] = v >> 8;
		p[1] = v & 0xff;
	}
}

void wire_put_u32(struct wire_writer *w, uint32_t v)
{
	uint8_t *p = wire_room(w, 4);

	if (p) {
		p[0] = v >> 24;
		p[1] = (v >> 16) & 0xff;
		p[2] = (v >> 8) & 0xff;
		p[3] = v & 0xff;
	}
}

void wire_put_u64(struct wire_writer *w, uint64_t v)
{
	wire_put_u32(w, (uint32_t)(v >> 32));
	wire_put_u32(w, (uint32_t)v);
}

void wire_put_bytes(struct wire_writer *w, const void *src, size_t n)
{
	uint8_t *p = wire_room(w, n);

	if (p && n)
		memcpy(p, src, n);
}

void wire_put_zero(struct wire_writer *w, size_t n)
{
	uint8_t *p = wire_room(w, n);

	if (p && n)
		memset(p, 0, n);
}

void wire_patch_u8(struct wire_writer *w, size_t off, uint8_t v)
{
	if (!w->overflow && off + 1 <= w->len)
		w->buf[off] = v;
}

void wire_patch_u16(struct wire_writer *w, size_t off, uint16_t v)
{
	if (!w->overflow && off + 2 <= w->len) {
		w->buf[off] = v >> 8;
		w->buf[off + 1] = v & 0xff;
	}
}

void wire_patch_u32(struct wire_writer *w, size_t off, uint32_t v)
{
	if (!w->overflow && off + 4 <= w->len) {
		w->buf[off] = v >> 24;
		w->buf[off + 1] = (v >> 16) & 0xff;
		w->buf[off + 2] = (v >> 8) & 0xff;
		w->buf[off + 3] = v & 0xff;
	}
}

void *ike_arena_alloc(struct ike_arena *a, size_t n)
{
	size_t start = (a->used + 7) & ~(size_t)7;
	void *p;

	if (start > a->cap || a->cap - start < n)
		return NULL;
	p = a->base + start;
	a->used = start + n;
	memset(p, 0, n);
	return p;
}

void *ike_arena_array(struct ike_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return ike_arena_alloc(a, count * size);
}
