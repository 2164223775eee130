/* libFuzzer target: the IKEv2 engine (lib/ikev2) as a responder, fed
 * datagrams from anyone.
 *
 * One responder engine (192.0.2.2, inline crypto, deterministic RNG) with
 * two PSK conns is made once: "alpha" for 192.0.2.1
 * (aes128gcm16-prfsha256-x25519) and "beta" for any other address
 * (aes256-sha256-ecp256, aes128-sha1-x25519).  Each input is one datagram:
 *
 *   byte 0   bit 0: arrives on port 4500 (from port 4500) behind the
 *                   non-ESP marker the harness puts in front;
 *            bit 1: comes from 198.51.100.7 (conn beta) instead of
 *                   192.0.2.1 (alpha);
 *            bit 2: with bit 0, no marker is added (the input is the whole
 *                   UDP payload on 4500: keepalive, ESP, marker);
 *   rest     the UDP payload.
 *
 * It goes to ike_engine_recv; every output is drained (GET_SPI answered at
 * once) and every datagram sent must parse, be an IKE_SA_INIT response,
 * and go back to the sender from the address it came to.  Every
 * FE_REAP_EVERY inputs the clock jumps an hour ahead: every half-open SA
 * must be reaped, the engine's memory count must be back at the empty
 * engine's, and the heap must have got back what the SAs counted
 * (fuzz_engine.h).  The RNG restarts then, so the responder's SPIs and
 * nonces repeat from one period to the next.
 *
 * The engine keeps state between inputs (half-open SAs, the cookie
 * threshold of 10): a crash may need the inputs before it in the same
 * period; libFuzzer's crash file holds the last one only. */
#include "fuzz_engine.h"

enum { FE_REAP_EVERY = 64, FE_RNG_SEED = 0x5eed0002 };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fe_node R;
static struct ike_conn alpha, beta;
static struct fe_world W;
static unsigned long inputs;
static struct ike_endpoint in_local, in_remote;
static uint8_t buf[FE_DGRAM + 8];

/* Every datagram of the responder answers the input's sender. */
static bool check_send(void *ctx, int from, const struct ike_out *o, const uint8_t *ike,
		       size_t ike_len, const struct ikev2_msg *m)
{
	(void)ctx;
	(void)from;
	(void)ike;
	(void)ike_len;
	FUZZ_CHECK(m->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT,
		   "an unauthenticated peer got a %u exchange message", m->hdr.exchange);
	FUZZ_CHECK((m->hdr.flags & (IKEV2_FLAG_RESPONSE | IKEV2_FLAG_INITIATOR)) ==
			   IKEV2_FLAG_RESPONSE,
		   "responder sent flags 0x%02x", m->hdr.flags);
	FUZZ_CHECK(memcmp(&o->u.send.remote, &in_remote, sizeof(in_remote)) == 0 &&
			   memcmp(&o->u.send.local, &in_local, sizeof(in_local)) == 0,
		   "answer does not go back the way the request came");
	return false;
}

static void reap_all(void)
{
	struct fe_probe p;

	fe_probe_begin(&p, &R);
	W.now += 3600 * 1000;
	ike_engine_tick(R.e, W.now);
	fe_drain(&W);
	FUZZ_CHECK(ike_engine_sa_count(R.e) == 0 && ike_engine_half_open(R.e) == 0,
		   "%zu SAs (%zu half-open) survive an hour without a peer",
		   ike_engine_sa_count(R.e), ike_engine_half_open(R.e));
	fe_probe_end(&p, &R);
	R.rng = FE_RNG_SEED;
}

/* ------------------------------------------------------------ seeds */

struct capture {
	const char *dir, *prefix;
	uint8_t flags;
	unsigned n;
};

static bool capture_send(void *ctx, int from, const struct ike_out *o, const uint8_t *ike,
			 size_t ike_len, const struct ikev2_msg *m)
{
	struct capture *c = ctx;
	char name[128];
	uint8_t f = c->flags;

	(void)o;
	snprintf(name, sizeof(name), "%s-%u-%s-%s", c->prefix, c->n++, from ? "r" : "i",
		 m->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT ? "init" : "sk");
	fe_seed_write(c->dir, name, &f, 1, ike, ike_len);
	return true;
}

/* A handshake between two fresh engines; every datagram becomes a seed. */
static void seed_handshake(const char *dir, const char *prefix, uint8_t flags, const char *iaddr,
			   const char *ike)
{
	struct fe_node i, r;
	struct ike_conn ci, cr;
	struct fe_world w = { .now = 1000000, .n = { &i, &r }, .on_send = capture_send };
	struct capture c = { .dir = dir, .prefix = prefix, .flags = flags };

	w.ctx = &c;
	fe_node_new(&i, 0, iaddr, 11);
	fe_node_new(&r, 1, "192.0.2.2", 12);
	fe_conn(&ci, "i", iaddr, "192.0.2.2", ike, "aes128gcm16,aes128-sha256", "10.1.0.0/16",
		"10.2.0.0/16");
	fe_conn(&cr, "r", "192.0.2.2", iaddr, ike, "aes128gcm16,aes128-sha256", "10.2.0.0/16",
		"10.1.0.0/16");
	ike_engine_add_conn(i.e, &ci);
	ike_engine_add_conn(r.e, &cr);
	FUZZ_CHECK(ike_engine_initiate(i.e, w.now, &ci) != 0, "initiate failed");
	fe_pump(&w);
	FUZZ_CHECK(i.up == 1 && r.up == 1, "seed handshake %s did not come up", prefix);
	fe_node_free(&i);
	fe_node_free(&r);
}

/* charon's IKE_SA_INIT request (testsuite/engine/test_ike_charon.c, from
 * testsuite/data/captures/ikev2-psk.pcap frame 1). */
static const uint8_t charon_init[] = {
	0x9c, 0xe5, 0xca, 0xe2, 0x78, 0x73, 0x48, 0xa9, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x21, 0x20, 0x22, 0x08, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xfc, 0x22, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x24,
	0x01, 0x01, 0x00, 0x03, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x14,
	0x80, 0x0e, 0x00, 0x80, 0x03, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x08, 0x04, 0x00, 0x00, 0x1f, 0x28, 0x00, 0x00, 0x28,
	0x00, 0x1f, 0x00, 0x00, 0x5c, 0x8c, 0xa5, 0x51, 0x8f, 0xb7, 0x3e, 0x89,
	0xb6, 0xab, 0xfa, 0x22, 0xd7, 0x10, 0x5d, 0xc4, 0x25, 0x44, 0x9c, 0xf0,
	0x58, 0x8f, 0x03, 0xd3, 0x4f, 0x70, 0x9b, 0x5b, 0xf4, 0x79, 0x62, 0x45,
	0x29, 0x00, 0x00, 0x24, 0xfb, 0xf7, 0x0f, 0x02, 0xfd, 0xcd, 0xae, 0x22,
	0x54, 0x59, 0xda, 0x57, 0xa0, 0x31, 0xb0, 0xf3, 0xfc, 0x1d, 0xc8, 0xba,
	0x6d, 0x83, 0x1e, 0xda, 0x13, 0x3c, 0x10, 0x9c, 0x6a, 0x60, 0x5a, 0xb6,
	0x29, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x04, 0x7a, 0x2d, 0xee, 0xe0,
	0xb3, 0xc2, 0x6d, 0x49, 0xa8, 0x8c, 0xd9, 0xad, 0xc1, 0xc7, 0x94, 0xc4,
	0x22, 0xcd, 0xce, 0x43, 0x29, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x05,
	0x8d, 0x4d, 0xf7, 0x6d, 0x7c, 0x90, 0x73, 0x0f, 0x8e, 0x1b, 0xbd, 0x81,
	0xaf, 0x06, 0x87, 0x7c, 0x09, 0xba, 0x8e, 0x8c, 0x29, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x40, 0x2e, 0x29, 0x00, 0x00, 0x10, 0x00, 0x00, 0x40, 0x2f,
	0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05, 0x2b, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x40, 0x16, 0x00, 0x00, 0x00, 0x14, 0x88, 0x2f, 0xe5, 0x6d,
	0x6f, 0xd2, 0x0d, 0xbc, 0x22, 0x51, 0x61, 0x3b, 0x2e, 0xbe, 0x5b, 0xeb,
};

static void write_seeds(const char *dir)
{
	static const uint8_t keepalive[] = { 0x05, 0xff };
	static const uint8_t esp[] = { 0x05, 0xc0, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01 };
	uint8_t f;

	seed_handshake(dir, "hs-alpha", 0x00, "192.0.2.1", "aes128gcm16-prfsha256-x25519");
	seed_handshake(dir, "hs-alpha-natt", 0x01, "192.0.2.1", "aes128gcm16-prfsha256-x25519");
	seed_handshake(dir, "hs-beta", 0x02, "198.51.100.7", "aes256-sha256-ecp256");
	seed_handshake(dir, "hs-beta-x25519", 0x02, "198.51.100.7", "aes128-sha1-x25519");
	f = 0x00;
	fe_seed_write(dir, "charon-init", &f, 1, charon_init, sizeof(charon_init));
	f = 0x02;
	fe_seed_write(dir, "charon-init-beta", &f, 1, charon_init, sizeof(charon_init));
	f = 0x01;
	fe_seed_write(dir, "charon-init-natt", &f, 1, charon_init, sizeof(charon_init));
	fe_seed_write(dir, "natt-keepalive", keepalive, sizeof(keepalive), NULL, 0);
	fe_seed_write(dir, "natt-esp", esp, sizeof(esp), NULL, 0);
}

/* ---------------------------------------------------------- libFuzzer */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("FUZZ_ENGINE_SEEDS");

	(void)argc;
	(void)argv;
	if (seeds) {
		write_seeds(seeds);
		exit(0);
	}
	fe_node_new(&R, 1, "192.0.2.2", FE_RNG_SEED);
	fe_conn(&alpha, "alpha", "192.0.2.2", "192.0.2.1", "aes128gcm16-prfsha256-x25519",
		"aes128gcm16", "10.2.0.0/16", "10.1.0.0/16");
	fe_conn(&beta, "beta", "192.0.2.2", "%any", "aes256-sha256-ecp256,aes128-sha1-x25519",
		"aes128-sha256,aes256gcm16", "10.2.0.0/16", "10.9.0.0/16");
	FUZZ_CHECK(ike_engine_add_conn(R.e, &alpha) == 0 && ike_engine_add_conn(R.e, &beta) == 0,
		   "ike_engine_add_conn failed");
	W.now = 1000000;
	W.n[1] = &R;
	W.on_send = check_send;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t flags;
	size_t len;

	if (size < 1 || size > FE_DGRAM)
		return 0;
	flags = data[0];
	data++;
	size--;
	ike_endpoint_parse("192.0.2.2", (flags & 1) ? 4500 : 500, &in_local);
	ike_endpoint_parse((flags & 2) ? "198.51.100.7" : "192.0.2.1", (flags & 1) ? 4500 : 500,
			   &in_remote);
	if ((flags & 5) == 1) {
		/* The non-ESP marker, then the IKE message. */
		memset(buf, 0, 4);
		memcpy(buf + 4, data, size);
		len = size + 4;
	} else {
		memcpy(buf, data, size);
		len = size;
	}
	W.now += 7;
	ike_engine_recv(R.e, W.now, &in_local, &in_remote, buf, len);
	fe_drain(&W);
	fe_check_memory(&R);
	if (++inputs % FE_REAP_EVERY == 0)
		reap_all();
	return 0;
}
