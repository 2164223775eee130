/* libFuzzer target: the IKEv2 engine (lib/ikev2) behind the SK payload:
 * IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL with fuzzed plaintext,
 * properly encrypted and integrity-protected, as only an authenticated
 * peer (or one that got past IKE_SA_INIT) can send them.
 *
 * Two pairs of engines (initiator 192.0.2.1, responder 192.0.2.2, inline
 * crypto, deterministic RNG, the same PSK conns: IKE aes128-sha256-x25519,
 * child "net" aes128gcm16 / aes128-sha256, child "pfs"
 * aes128gcm16-x25519) are set up in memory:
 *   - EST: IKE_SA_INIT and IKE_AUTH done, one CHILD SA up;
 *   - AUTH: IKE_SA_INIT done, the initiator's IKE_AUTH request held back,
 *     so the responder waits in IKE_SA_AUTH_WAIT.
 * The harness takes the initiator's SK keys (SK_ei/SK_ai and SK_er/SK_ar),
 * SPIs and message IDs from the engine internals (ikev2/internal.h).
 *
 * Each input:
 *   byte 0   exchange: 33..63 as is, anything else 35 + byte % 3
 *            (IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL);
 *   byte 1   bit 0     a response (to a request the responder makes first);
 *            bits 1-3  response: which request the responder makes first
 *                      if it has none outstanding: 0 liveness check,
 *                      1 CREATE_CHILD_SA "pfs", 2 CREATE_CHILD_SA "net",
 *                      3 delete its first CHILD SA, 4 delete the IKE SA,
 *                      5-7 liveness check;
 *            bit 3     IKE_AUTH request: replace IDi and AUTH in the input
 *                      with the initiator's real ones (so the PSK AUTH
 *                      verifies and the CHILD SA part runs);
 *            bit 4     sent to port 4500 from 4500 with the non-ESP marker;
 *            bits 5-6  message ID: 1 one below, 2 one above the expected
 *                      (0, 3: the expected one);
 *            bit 7     in RFC 7383 fragments (SKF): 2 to 4 of them (by the
 *                      chain's length), each sealed alone, sent in order
 *                      (the last two swapped when the length is odd);
 *   rest     the plaintext inner chain: its first byte is the type of the
 *            first inner payload (the SK payload's next-payload field), the
 *            rest the payloads (an empty rest: no payloads).
 * The harness seals the chain (or each fragment) with lib/crypto's oc_sk_seal under the
 * initiator's keys and delivers it to the responder: an IKE_AUTH request
 * to AUTH's, everything else to EST's.  When a responder's SA is gone (a
 * Delete, a failed AUTH, a malformed IKE_AUTH) or grows beyond
 * FE_MAX_CHILDREN, the pair is set up again (counted; printed at exit).
 *
 * Every FE_TICK_EVERY inputs EST's responder clock moves 5 s and its timers
 * run (retransmissions of its own requests, giving up, reassembly
 * timeouts).
 *
 * Invariants (fuzz_engine.h, plus): every datagram the responder sends
 * parses, and its SK payload opens under SK_er/SK_ar to an inner chain
 * that parses; when the responder's last SA is freed its memory count is
 * back at the empty engine's and the heap got back what the SA counted. */
#include "fuzz_engine.h"
#include "ike_names.h"

enum { FE_MAX_CHILDREN = 8, FE_TICK_EVERY = 64 };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FE_IKE "aes128-sha256-x25519"
#define FE_ESP "aes128gcm16,aes128-sha256"
#define FE_PFS "aes128gcm16-x25519"

struct pair {
	const char *name;
	struct fe_node i, r;
	struct ike_conn ci, cr;
	struct fe_world w;
	bool up;
	bool hold_auth;         /* keep the initiator's IKE_AUTH request */
	struct oc_sk to_r, from_r;
	uint64_t ispi, rspi;
	/* AUTH: the initiator's IKE_AUTH request in plain */
	uint8_t auth_first;
	uint8_t auth_plain[IKE_MAX_MSG];
	size_t auth_len;
	unsigned setups;
};

static struct pair EST = { .name = "EST" }, AUTH = { .name = "AUTH", .hold_auth = true };
static unsigned long inputs;
static uint8_t plain[IKE_MAX_MSG], dgram[FE_DGRAM + 8], opened[FE_DGRAM];

/* Seed writing (FUZZ_ENGINE_SEEDS). */
static const char *seed_dir;
static int seed_kind = -1; /* the responder request being answered, -1 none */
static unsigned seed_n;

static void seed_out(const char *what, uint8_t exch, uint8_t flags, uint8_t first,
		     const uint8_t *p, size_t n)
{
	uint8_t head[3] = { exch, flags, first };
	char name[96];

	snprintf(name, sizeof(name), "%02u-%s", seed_n++, what);
	fe_seed_write(seed_dir, name, head, 3, p, n);
}

/* Opens the SK payload of m (sent by `from`) with keys sk into opened[]
 * and checks the inner chain; returns its length, or (size_t)-1 when m
 * has no SK payload (fragments, IKE_SA_INIT). */
static size_t open_sk(const struct oc_sk *sk, const uint8_t *ike, const struct ikev2_msg *m,
		      uint8_t *first)
{
	const struct ikev2_payload *p = ikev2_find(&m->chain, IKEV2_PL_SK);
	struct ike_arena a = ike_arena_init(fe_arena, sizeof(fe_arena));
	struct ike_error err = { 0 };
	struct ikev2_chain c;
	size_t plen = 0;
	int rc;

	if (!p || !sk->encr)
		return (size_t)-1;
	rc = oc_sk_open(sk, ike, (size_t)(p->u.sk.data - ike), p->u.sk.data, p->u.sk.len, opened,
			&plen);
	FUZZ_CHECK(rc == 0, "engine sent an SK payload that does not open (%d)", rc);
	*first = p->u.sk.first_inner;
	if (ikev2_parse_chain(*first, opened, plen, IKEV2_HDR_LEN + 4, &a, &c, &err) != 0) {
		char text[256];

		fuzz_error_text(&err, text, sizeof(text));
		FUZZ_CHECK(0, "engine sent an inner chain that does not parse: %s", text);
	}
	return plen;
}

static bool pair_send(void *ctx, int from, const struct ike_out *o, const uint8_t *ike,
		      size_t ike_len, const struct ikev2_msg *m)
{
	struct pair *p = ctx;
	struct ike_sa *sa = fe_first_sa(from ? &p->r : &p->i);
	uint8_t first = 0;
	size_t n;

	(void)o;
	(void)ike_len;
	if (!p->up) {
		/* Setting up: deliver, except AUTH's IKE_AUTH request. */
		if (p->hold_auth && from == 0 && m->hdr.exchange == IKEV2_EXCH_IKE_AUTH &&
		    !(m->hdr.flags & IKEV2_FLAG_RESPONSE)) {
			n = sa ? open_sk(&sa->sk_out, ike, m, &first) : (size_t)-1;
			FUZZ_CHECK(n != (size_t)-1, "initiator's IKE_AUTH request has no SK payload");
			p->auth_first = first;
			p->auth_len = n;
			memcpy(p->auth_plain, opened, n);
			if (seed_dir) {
				seed_out("auth-request", IKEV2_EXCH_IKE_AUTH, 0, first, opened, n);
				seed_out("auth-request-fixup", IKEV2_EXCH_IKE_AUTH, 8, first, opened,
					 n);
				seed_out("auth-request-fixup-frag", IKEV2_EXCH_IKE_AUTH, 0x88, first,
					 opened, n);
			}
			return false;
		}
		return true;
	}
	if (seed_dir) {
		/* Writing seeds: the initiator's messages in the input format. */
		if (from == 0 && sa && m->hdr.exchange != IKEV2_EXCH_IKE_SA_INIT) {
			bool resp = m->hdr.flags & IKEV2_FLAG_RESPONSE;
			char what[64];

			n = open_sk(&sa->sk_out, ike, m, &first);
			if (n != (size_t)-1 && (!resp || seed_kind >= 0)) {
				snprintf(what, sizeof(what), "%s-%s", resp ? "response" : "request",
					 ikev2_exchange_name(m->hdr.exchange));
				seed_out(what, m->hdr.exchange,
					 resp ? (uint8_t)(1 | seed_kind << 1) : 0, first, opened, n);
				if (!resp) {
					strcat(what, "-frag");
					seed_out(what, m->hdr.exchange, 0x80, first, opened, n);
				}
			}
		}
		return true;
	}
	/* Fuzzing: what the responder sends must open under its keys. */
	if (from == 1 && m->hdr.ispi == p->ispi && m->hdr.rspi == p->rspi)
		(void)open_sk(&p->from_r, ike, m, &first);
	return false;
}

static void pair_down(struct pair *p)
{
	if (p->i.e)
		fe_node_free(&p->i);
	if (p->r.e)
		fe_node_free(&p->r);
	oc_sk_wipe(&p->to_r);
	oc_sk_wipe(&p->from_r);
	p->up = false;
}

static void pair_setup(struct pair *p)
{
	struct ike_sa *sa;

	pair_down(p);
	p->setups++;
	fe_node_new(&p->i, 0, "192.0.2.1", 0x1111);
	fe_node_new(&p->r, 1, "192.0.2.2", 0x2222);
	memset(&p->w, 0, sizeof(p->w));
	p->w.now = 1000000;
	p->w.n[0] = &p->i;
	p->w.n[1] = &p->r;
	p->w.on_send = pair_send;
	p->w.ctx = p;
	FUZZ_CHECK(ike_engine_add_conn(p->i.e, &p->ci) == 0 && ike_engine_add_conn(p->r.e, &p->cr) == 0,
		   "ike_engine_add_conn failed");
	FUZZ_CHECK(ike_engine_initiate(p->i.e, p->w.now, &p->ci) != 0, "initiate failed");
	fe_pump(&p->w);
	sa = fe_first_sa(&p->i);
	FUZZ_CHECK(sa && fe_first_sa(&p->r), "%s: no IKE SA after the handshake", p->name);
	if (p->hold_auth)
		FUZZ_CHECK(fe_first_sa(&p->r)->state == IKE_SA_AUTH_WAIT && p->auth_len,
			   "%s: responder not waiting for IKE_AUTH", p->name);
	else
		FUZZ_CHECK(p->i.up == 1 && p->r.up == 1 && p->r.child_up == 1,
			   "%s: handshake did not come up", p->name);
	p->to_r = sa->sk_out;
	p->from_r = sa->sk_in;
	p->ispi = sa->ispi;
	p->rspi = sa->rspi;
	p->up = true;
}

/* Is the responder still usable for the next input? */
static bool pair_ok(struct pair *p)
{
	struct ike_sa *sa;

	if (!p->up || ike_engine_sa_count(p->r.e) != 1)
		return false;
	sa = fe_first_sa(&p->r);
	if (!sa)
		return false;
	if (p->hold_auth)
		return sa->state == IKE_SA_AUTH_WAIT && sa->msgid_in == 1 && !sa->parked;
	if (sa->state != IKE_SA_ESTABLISHED && sa->state != IKE_SA_DELETING)
		return false;
	unsigned nch = 0;
	for (struct ike_child *ch = sa->children; ch; ch = ch->next)
		nch++;
	return nch <= FE_MAX_CHILDREN && sa->mem < 64 * 1024;
}

/* The responder starts a request of its own (kind as in byte 1). */
static void responder_request(struct pair *p, unsigned kind)
{
	struct ike_sa *sa = fe_first_sa(&p->r);
	struct ike_child_info ci;

	if (!sa || sa->req)
		return;
	switch (kind) {
	case 1:
	case 2:
		(void)ike_engine_create_child(p->r.e, p->w.now, sa->uid, kind == 1 ? 1 : 0);
		break;
	case 3:
		if (ike_engine_child_info(p->r.e, sa->uid, 0, &ci) == 0)
			(void)ike_engine_delete_child(p->r.e, p->w.now, sa->uid, ci.id);
		break;
	case 4:
		(void)ike_engine_delete_ike(p->r.e, p->w.now, sa->uid);
		break;
	default:
		(void)ike_engine_dpd(p->r.e, p->w.now, sa->uid);
		break;
	}
	fe_drain(&p->w);
}

/* IKE_AUTH fix-up: the initiator's own IDi and AUTH in place of the
 * input's, so that the PSK AUTH verifies.  Returns the new length, or 0
 * when the input's chain does not parse (then it goes as it is). */
static size_t fixup_auth(struct pair *p, uint8_t first, uint8_t *buf, size_t len)
{
	static _Alignas(8) uint8_t a1[IKE_ARENA], a2[IKE_ARENA];
	static uint8_t out[IKE_MAX_MSG];
	struct ike_arena ain = ike_arena_init(a1, sizeof(a1)), aref = ike_arena_init(a2, sizeof(a2));
	struct ike_error err = { 0 };
	struct ikev2_chain c, ref;
	const struct ikev2_payload *id, *auth;
	size_t olen = 0;

	if (ikev2_parse_chain(first, buf, len, IKEV2_HDR_LEN + 4, &ain, &c, &err) != 0)
		return 0;
	if (ikev2_parse_chain(p->auth_first, p->auth_plain, p->auth_len, IKEV2_HDR_LEN + 4, &aref,
			      &ref, &err) != 0)
		return 0;
	id = ikev2_find(&ref, IKEV2_PL_IDI);
	auth = ikev2_find(&ref, IKEV2_PL_AUTH);
	FUZZ_CHECK(id && auth, "initiator's IKE_AUTH has no IDi or AUTH");
	for (size_t k = 0; k < c.count; k++) {
		struct ikev2_payload *pl = (struct ikev2_payload *)&c.pl[k];

		if (pl->type == IKEV2_PL_IDI)
			pl->u.id = id->u.id;
		else if (pl->type == IKEV2_PL_AUTH)
			pl->u.auth = auth->u.auth;
	}
	if (ikev2_build_chain(&c, out, sizeof(out), &olen, &err) != 0 || olen > len + 512 ||
	    olen > IKE_MAX_MSG)
		return 0;
	memcpy(buf, out, olen);
	return olen;
}

/* Writes one protected message into dgram (after the marker when natt):
 * header, SK payload (nfrag 0) or SKF payload number num of nfrag, the
 * sealed chain.  Returns the datagram's length, 0 when too big. */
static size_t seal_one(struct pair *p, uint8_t exch, uint8_t hflags, uint32_t msgid, bool natt,
		       uint8_t first, const uint8_t *chain, size_t clen, unsigned num,
		       unsigned nfrag)
{
	size_t sealed = oc_sk_sealed_len(&p->to_r, clen);
	size_t off = natt ? 4 : 0, shdr = nfrag ? 8 : 4, total = IKEV2_HDR_LEN + shdr + sealed;
	uint8_t *h = dgram + off;

	if (total > IKE_MAX_MSG)
		return 0;
	memset(dgram, 0, off);
	for (int k = 0; k < 8; k++) {
		h[k] = (uint8_t)(p->ispi >> (56 - 8 * k));
		h[8 + k] = (uint8_t)(p->rspi >> (56 - 8 * k));
	}
	h[16] = nfrag ? IKEV2_PL_SKF : IKEV2_PL_SK;
	h[17] = 0x20;
	h[18] = exch;
	h[19] = hflags;
	h[20] = (uint8_t)(msgid >> 24);
	h[21] = (uint8_t)(msgid >> 16);
	h[22] = (uint8_t)(msgid >> 8);
	h[23] = (uint8_t)msgid;
	h[24] = (uint8_t)(total >> 24);
	h[25] = (uint8_t)(total >> 16);
	h[26] = (uint8_t)(total >> 8);
	h[27] = (uint8_t)total;
	h[28] = num <= 1 ? first : IKEV2_PL_NONE;
	h[29] = 0;
	h[30] = (uint8_t)((shdr + sealed) >> 8);
	h[31] = (uint8_t)(shdr + sealed);
	if (nfrag) {
		h[32] = (uint8_t)(num >> 8);
		h[33] = (uint8_t)num;
		h[34] = (uint8_t)(nfrag >> 8);
		h[35] = (uint8_t)nfrag;
	}
	FUZZ_CHECK(oc_sk_seal(&p->to_r, h, IKEV2_HDR_LEN + shdr, chain, clen,
			      h + IKEV2_HDR_LEN + shdr, sealed) == 0,
		   "oc_sk_seal failed");
	return off + total;
}

/* Seals first | chain into a message (or nfrag fragments) to the
 * responder and delivers it. */
static void deliver(struct pair *p, uint8_t exch, uint8_t hflags, uint32_t msgid, bool natt,
		    unsigned nfrag, uint8_t first, const uint8_t *chain, size_t clen)
{
	struct ike_endpoint local, remote;
	struct fe_probe pr;
	unsigned order[4] = { 1, 2, 3, 4 };

	ike_endpoint_parse("192.0.2.2", natt ? 4500 : 500, &local);
	ike_endpoint_parse("192.0.2.1", natt ? 4500 : 500, &remote);
	fe_probe_begin(&pr, &p->r);
	if (nfrag > 1 && (clen & 1)) {
		order[nfrag - 2] = nfrag;
		order[nfrag - 1] = nfrag - 1;
	}
	for (unsigned k = 0; k < (nfrag ? nfrag : 1); k++) {
		unsigned num = nfrag ? order[k] : 0;
		size_t from = nfrag ? clen * (num - 1) / nfrag : 0;
		size_t to = nfrag ? clen * num / nfrag : clen;
		size_t len = seal_one(p, exch, hflags, msgid, natt, first, chain + from, to - from,
				      num, nfrag);

		if (!len)
			break;
		p->w.now += 10;
		ike_engine_recv(p->r.e, p->w.now, &local, &remote, dgram, len);
		fe_drain(&p->w);
	}
	fe_probe_end(&pr, &p->r);
}

static void conns(struct pair *p)
{
	fe_conn(&p->ci, "i", "192.0.2.1", "192.0.2.2", FE_IKE, FE_ESP, "10.1.0.0/16", "10.2.0.0/16");
	fe_conn_pfs_child(&p->ci, FE_PFS, "10.3.0.0/16", "10.4.0.0/16");
	fe_conn(&p->cr, "r", "192.0.2.2", "192.0.2.1", FE_IKE, FE_ESP, "10.2.0.0/16", "10.1.0.0/16");
	fe_conn_pfs_child(&p->cr, FE_PFS, "10.4.0.0/16", "10.3.0.0/16");
}

static void report(void)
{
	fprintf(stderr, "engine_sk: %lu inputs, set up EST %u times, AUTH %u times\n", inputs,
		EST.setups, AUTH.setups);
}

/* Seeds: the initiator's messages of real exchanges, in the input format. */
static void write_seeds(void)
{
	struct pair *p = &EST;
	struct ike_sa *si, *sr;
	struct ike_child_info ci;

	pair_setup(&AUTH); /* writes the IKE_AUTH request */
	pair_setup(p);
	si = fe_first_sa(&p->i);
	FUZZ_CHECK(si, "no SA");
	/* The initiator asks, the responder answers. */
	FUZZ_CHECK(ike_engine_create_child(p->i.e, p->w.now, si->uid, 1) == 0, "create_child");
	fe_pump(&p->w);
	FUZZ_CHECK(ike_engine_create_child(p->i.e, p->w.now, si->uid, 0) == 0, "create_child");
	fe_pump(&p->w);
	FUZZ_CHECK(ike_engine_dpd(p->i.e, p->w.now, si->uid) == 0, "dpd");
	fe_pump(&p->w);
	if (ike_engine_child_info(p->i.e, si->uid, 1, &ci) == 0) {
		FUZZ_CHECK(ike_engine_delete_child(p->i.e, p->w.now, si->uid, ci.id) == 0, "delete");
		fe_pump(&p->w);
	}
	/* The responder asks, the initiator answers (byte 1 says which). */
	sr = fe_first_sa(&p->r);
	for (int kind = 0; kind <= 3; kind++) {
		seed_kind = kind;
		responder_request(p, (unsigned)kind);
		fe_pump(&p->w);
	}
	seed_kind = 4;
	FUZZ_CHECK(ike_engine_delete_ike(p->r.e, p->w.now, sr->uid) == 0, "delete_ike");
	fe_pump(&p->w);
	seed_kind = -1;
	/* The initiator deletes the IKE SA. */
	pair_setup(p);
	si = fe_first_sa(&p->i);
	FUZZ_CHECK(ike_engine_delete_ike(p->i.e, p->w.now, si->uid) == 0, "delete_ike");
	fe_pump(&p->w);
	pair_down(p);
	pair_down(&AUTH);
	{
		/* The initiator's answer to a Delete of the IKE SA: empty (it is
		 * gone before the harness could read it). */
		static const uint8_t del_ike_resp[] = { IKEV2_EXCH_INFORMATIONAL, 1 | 4 << 1, 0 };
		static const uint8_t unknown[] = { 40, 0, 0 };

		seed_out("response-INFORMATIONAL-delete-ike", del_ike_resp[0], del_ike_resp[1], 0,
			 NULL, 0);
		seed_out("request-unknown-exchange", unknown[0], unknown[1], 0, NULL, 0);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conns(&EST);
	conns(&AUTH);
	seed_dir = getenv("FUZZ_ENGINE_SEEDS");
	if (seed_dir) {
		write_seeds();
		exit(0);
	}
	pair_setup(&EST);
	pair_setup(&AUTH);
	atexit(report);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b, flags, exch, first = IKEV2_PL_NONE, hflags;
	size_t clen = 0;
	struct pair *p;
	struct ike_sa *sa;
	uint32_t msgid;
	bool response;

	if (size < 2 || size > IKE_MAX_MSG)
		return 0;
	inputs++;
	b = data[0];
	flags = data[1];
	exch = (b >= 33 && b < 64) ? b : (uint8_t)(35 + b % 3);
	response = flags & 1;
	if (size > 2) {
		first = data[2];
		clen = size - 3;
		memcpy(plain, data + 3, clen);
	}
	p = (!response && exch == IKEV2_EXCH_IKE_AUTH) ? &AUTH : &EST;
	if (!pair_ok(p))
		pair_setup(p);
	sa = fe_first_sa(&p->r);
	if (response) {
		responder_request(p, (flags >> 1) & 7);
		if (!pair_ok(p) || !(sa = fe_first_sa(&p->r)) || !sa->req)
			return 0;
		msgid = sa->msgid_out - 1;
		hflags = IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE;
	} else {
		msgid = sa->msgid_in;
		hflags = IKEV2_FLAG_INITIATOR;
		if (p == &AUTH && (flags & 8) && clen) {
			size_t n = fixup_auth(p, first, plain, clen);

			if (n)
				clen = n;
		}
	}
	switch ((flags >> 5) & 3) {
	case 1: msgid--; break;
	case 2: msgid++; break;
	default: break;
	}
	deliver(p, exch, hflags, msgid, flags & 0x10, (flags & 0x80) ? 2 + (unsigned)(clen % 3) : 0,
		first, plain, clen);
	if (inputs % FE_TICK_EVERY == 0 && EST.up) {
		/* Timers: the responder's retransmissions (and giving up),
		 * fragment reassembly timeouts. */
		struct fe_probe pr;

		fe_probe_begin(&pr, &EST.r);
		EST.w.now += 5000;
		ike_engine_tick(EST.r.e, EST.w.now);
		fe_drain(&EST.w);
		fe_probe_end(&pr, &EST.r);
	}
	return 0;
}
