/* The IKEv2 engine: a sans-I/O state machine for RFC 7296.
 *
 * DESIGN
 *
 * The engine is a plain object (struct ike_engine) that owns every IKE SA and
 * CHILD SA of one daemon.  It does no I/O and reads no clock: the caller
 * feeds it inputs and polls its outputs, like ngtcp2 / nghttp2.
 *
 *   inputs                                   outputs (ike_engine_poll)
 *   ------                                   -------------------------
 *   ike_engine_recv(now, local, remote, b)   IKE_OUT_SEND    datagram + addresses
 *   ike_engine_tick(now)                     IKE_OUT_KERNEL  get SPI, add/del SA,
 *   ike_engine_initiate(now, conn)                           add/del policy
 *   ike_engine_delete_ike/child, _dpd(...)   IKE_OUT_JOB     crypto for a worker
 *   ike_engine_kernel_spi(now, req, spi)     IKE_OUT_EVENT   log line / state event
 *   ike_engine_kernel_spi_error / _sa_error
 *   ike_engine_kernel_expire(now, spi)
 *   ike_engine_kernel_soft_expire(now, spi)
 *   ike_engine_acquire(now, conn, ci, reqid, packet selectors)
 *   ike_engine_rekey_child / _rekey_ike
 *   ike_engine_job_done(now, job)            ike_engine_next_timer(): deadline
 *
 * Time is a monotonic millisecond count given with every input; it never goes
 * backwards inside the engine (an earlier value is taken as the last one).
 * The caller arms one timer at ike_engine_next_timer() and calls
 * ike_engine_tick() when it fires.
 *
 * Datagrams out are exactly the UDP payload to write: on the NAT-T port the
 * non-ESP marker is already in front.  Datagrams in are the UDP payload as
 * read; the engine strips the marker and swallows NAT keepalives when the
 * local port is the NAT-T port.
 *
 * Kernel actions are plain structs (struct ike_kernel).  SPIs for CHILD SAs
 * come from the kernel: the engine emits IKE_KERNEL_GET_SPI with a request id
 * and continues when the caller answers with ike_engine_kernel_spi().
 *
 * Expensive crypto (key exchange: key generation and shared secret; AUTH
 * signatures and the peer's certificate chain and signature check) is a job
 * (struct ike_job) the caller runs with ike_job_run() on any thread - it
 * touches nothing but the job - and hands back with ike_engine_job_done().
 * With cfg.inline_crypto the engine runs jobs itself (tests, small setups).
 * A job whose IKE SA died meanwhile is dropped on return.
 *
 * Handlers are restartable: a request that needs something not yet there
 * (an SPI, a KE result) is parked in its IKE SA as received (the decrypted
 * payloads) and handled again from the start when the missing piece arrives.
 * Retransmissions of a parked request are ignored; the peer's retransmission
 * timer covers a lost kernel/worker answer.
 *
 * Randomness for SPIs, nonces and the cookie secret comes from cfg.rng, so
 * tests can make the engine deterministic (KE private values and IVs come
 * from lib/crypto's per-thread DRBG).
 *
 * Memory: an IKE SA keeps only what it needs once established (keys, SPIs,
 * addresses, message IDs, the last response for retransmitted requests);
 * handshake state (nonces, KE, the IKE_SA_INIT messages for AUTH) lives in
 * a separate allocation freed after IKE_AUTH.  Every allocation an SA makes
 * is counted in it (ike_engine_sa_memory()).
 *
 * Files: engine.c (object, SA table, inputs, timers, outputs), msg.c
 * (building, protecting, sending, retransmitting, response cache), frag.c
 * (RFC 7383 fragments out and reassembly in), prop.c
 * (SA payloads, proposal selection), ts.c (traffic selectors, §2.9),
 * init.c (IKE_SA_INIT), auth.c (IKE_AUTH), sig.c (signature AUTH jobs,
 * CERT / CERTREQ, chain and identity checks), child.c (CHILD SA keys and
 * kernel actions, CREATE_CHILD_SA), info.c (INFORMATIONAL), job.c (kernel
 * SPIs, crypto jobs), natd.c (NAT detection, cookies), conn.c (config model
 * helpers), conn_set.c (conns added, removed, replaced; local tasks),
 * stats.c (counters), introspect.c (SA info for tests and ospreyctl),
 * rekey.c (rekeying CHILD SAs and the IKE SA, collisions), lifetime.c
 * (rekey and expiry timers, policies across rekeys), hs.c (handshake
 * state, parked messages), acquire.c (CHILD SAs of trap policies), dpd.c
 * (dead peer detection).
 *
 * Rekeying (rekey.c): a CHILD SA is rekeyed by a CREATE_CHILD_SA with
 * N(REKEY_SA) (§2.8); its new SAs are installed (IKE_KERNEL_ADD_SA, same
 * reqid, the policies stay) before the old ones are deleted by an
 * INFORMATIONAL Delete, sent by the rekey's initiator.  Simultaneous rekeys
 * both complete; the SA made by the exchange with the lowest nonce is
 * deleted by its initiator (§2.8.1).  The IKE SA is rekeyed with SA(IKE),
 * KE, Ni (§1.3.2): a new IKE SA (new uid, message IDs from 0, keys from the
 * old SK_d, §2.18) takes over the CHILD SAs, then the old one is deleted.
 *
 * Dead peer detection (dpd.c, conn->dpd_delay_ms): an established IKE SA
 * that received nothing authentic for dpd_delay_ms (and has no request of
 * its own out) sends an empty INFORMATIONAL.  Any request of ours that goes
 * unanswered after the retransmissions on an established SA ends it as a
 * dead peer: IKE_FAILED "peer not responding (dead peer)", the CHILD SAs'
 * DEL_SA / DEL_POLICY, IKE_DOWN "IKE_SA deleted: dead peer, ...".  So an SA
 * with a dead peer ends dpd_delay + the retransmission span (165 s by
 * default) after the last message from it.
 *
 * AH (RFC 4302): a child config with proto IKEV2_PROTO_AH proposes and
 * accepts only AH (integrity and ESN transforms, §3.3.3; an ESP proposal
 * for it, or AH for an ESP child, is NO_PROPOSAL_CHOSEN); its KEYMAT holds
 * integrity keys only (§2.17); its kernel actions, Delete payloads and
 * REKEY_SA notifies carry protocol AH.
 */
#ifndef OSPREY_IKEV2_ENGINE_H
#define OSPREY_IKEV2_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev2/conn.h"

struct ike_engine;
struct oc_ke;

/* Randomness: fill buf with n bytes, 0 on success. */
struct ike_rng {
	int (*fn)(void *ctx, void *buf, size_t n);
	void *ctx;
};

struct ike_engine_cfg {
	struct ike_rng rng;          /* NULL fn: lib/crypto's oc_random */
	bool inline_crypto;          /* run crypto jobs inside the engine */
	uint32_t cookie_threshold;   /* half-open SAs before cookies are demanded (10) */
	uint16_t natt_port;          /* 4500 */
	uint32_t max_half_open;      /* refuse new SAs beyond this (1000) */
	/* RFC 7383 reassembly limits: a message whose fragments exceed them, or
	 * that is not complete in time, is dropped (and logged). */
	uint16_t frag_max_count;     /* fragments per message (32, at most 64) */
	uint32_t frag_max_bytes;     /* reassembled inner payloads (8192) */
	uint32_t frag_timeout_ms;    /* from the first fragment (10000) */
	/* After a CHILD SA rekey the old inbound SA stays in the kernel this
	 * long (linger.c): the peer may still send on its old outbound SA
	 * until it has our Delete, and packets are in flight.  Counted from
	 * the answer to our Delete, or from the peer's Delete.  0: at once
	 * (5000, strongSwan's delete_rekeyed_delay). */
	uint32_t delete_rekeyed_delay_ms;
};

/* ---- outputs ---- */

enum ike_kernel_op {
	IKE_KERNEL_GET_SPI,  /* allocate an inbound ESP SPI; answer ike_engine_kernel_spi */
	IKE_KERNEL_ADD_SA,
	IKE_KERNEL_DEL_SA,
	IKE_KERNEL_ADD_POLICY,
	IKE_KERNEL_DEL_POLICY,
};

enum ike_dir { IKE_DIR_IN, IKE_DIR_OUT };

struct ike_kernel {
	enum ike_kernel_op op;
	uint64_t ike_uid;    /* the IKE SA it belongs to */
	uint32_t child_id;   /* CHILD SA unique id */
	uint32_t req;        /* GET_SPI: request id to answer with */
	uint32_t reqid;      /* links SAs and policies (like XFRM reqid) */
	enum ike_dir dir;
	uint8_t proto;       /* IKEV2_PROTO_ESP, or IKEV2_PROTO_AH (encr_id 0, no enc_key) */
	uint32_t spi;        /* network order value as a number */
	struct ike_endpoint src, dst; /* SA endpoints; ports matter with encap */
	enum ike_mode mode;
	bool encap;          /* UDP encapsulation (RFC 3948) with src/dst ports */
	bool esn;
	bool tfc_ok;         /* peer accepts TFC padding */
	uint16_t encr_id, encr_bits, integ_id; /* IKEv2 transform IDs */
	uint8_t enc_key_len, integ_key_len;
	uint8_t enc_key[36], integ_key[64];    /* key | salt for AEAD and CTR */
	uint32_t life_seconds;   /* hard lifetime */
	uint32_t soft_seconds;   /* soft lifetime (rekey time with jitter), 0 none */
	uint64_t life_bytes, life_packets;
	uint64_t soft_bytes, soft_packets;     /* 0: the backend's default (90 % of hard) */
	struct ike_ts ts_src, ts_dst;          /* ADD/DEL_POLICY */
	/* XFRM mark (value/mask, mask 0: none) and interface id (0: none) of
	 * this direction's SA or policy, from the child config's mark_in /
	 * mark_out / if_id_in / if_id_out (route-based VPNs). */
	uint32_t mark, mark_mask, if_id;
	/* ADD/DEL_POLICY: a trap policy (start_action = trap).  Never set by
	 * the engine: the daemon installs traps itself (ike_uid 0); reqid is
	 * the one it passes to ike_engine_acquire. */
	bool trap;
};

enum ike_event_kind {
	IKE_EV_LOG,
	IKE_EV_IKE_UP,
	IKE_EV_IKE_DOWN,
	IKE_EV_CHILD_UP,
	IKE_EV_CHILD_DOWN,
	IKE_EV_CHILD_FAILED,
	IKE_EV_IKE_FAILED,
	/* Initiator: the responder assigned us virtual IP ev.vip (cp.c).
	 * Comes before the kernel actions of the CHILD SA that uses it, so
	 * the address can be on an interface before its policies and routes
	 * are installed.  It goes with the IKE SA (IKE_DOWN); an IKE SA
	 * rekey keeps it (IKE_UP with old_ike_uid). */
	IKE_EV_VIP,
};

enum ike_log_level { IKE_LOG_ERROR, IKE_LOG_INFO, IKE_LOG_DEBUG };

struct ike_event {
	enum ike_event_kind kind;
	enum ike_log_level level;
	uint64_t ike_uid;  /* 0: not about one IKE SA */
	uint32_t child_id;
	uint16_t notify;   /* FAILED: the notify sent or received, if any */
	int child_cfg;     /* CHILD_*: index in conn->children, -1 unknown */
	/* IKE_UP of a rekeyed IKE SA: the old one's uid (its CHILD SAs moved
	 * here, same ids); CHILD_UP of a rekeyed CHILD SA: the old id. */
	uint64_t old_ike_uid;
	uint32_t old_child_id;
	struct ike_endpoint vip;  /* IKE_EV_VIP */
	const struct ike_conn *conn;
	/* IKE_FAILED / IKE_DOWN of an established IKE SA whose peer stopped
	 * answering (dead peer detection or any other request, §1.4). */
	bool dead_peer;
	char text[256];
};

enum ike_job_kind { IKE_JOB_KE, IKE_JOB_SIGN, IKE_JOB_VERIFY };
struct ike_sig_job;

/* IKE_JOB_KE: a key exchange: generate our key pair (if ke is NULL) and,
 * when the peer's public value is there, the shared secret.
 * IKE_JOB_SIGN / IKE_JOB_VERIFY: our AUTH signature, or the check of the
 * peer's (certificate chain against the conn's CAs, identity, signature);
 * the details are engine-private (sig). */
struct ike_job {
	enum ike_job_kind kind;
	uint64_t ike_uid;
	uint32_t id;
	uint16_t group;
	struct oc_ke *ke;        /* in/out */
	uint8_t *peer;           /* peer's public value, or NULL */
	size_t peer_len;
	uint8_t *secret;         /* out: shared secret (secret_len) */
	size_t secret_len;
	struct ike_sig_job *sig; /* SIGN / VERIFY */
	int result;              /* out: 0 or an OC_E* code */
};

enum ike_out_kind { IKE_OUT_SEND, IKE_OUT_KERNEL, IKE_OUT_JOB, IKE_OUT_EVENT };

struct ike_out {
	enum ike_out_kind kind;
	struct ike_out *next;    /* queue link, engine-private */
	union {
		struct {
			struct ike_endpoint local, remote;
			size_t len;
			uint8_t *data;  /* points into this allocation */
		} send;
		struct ike_kernel kernel;
		struct ike_job *job;  /* caller runs it, returns it with job_done */
		struct ike_event event;
	} u;
};

/* ---- the engine ---- */

void ike_engine_cfg_init(struct ike_engine_cfg *cfg);
struct ike_engine *ike_engine_new(const struct ike_engine_cfg *cfg);
/* Frees everything without sending anything (the daemon deletes first). */
void ike_engine_free(struct ike_engine *e);

/* Connections the engine may use as responder (and initiate).  The engine
 * keeps the pointer. */
int ike_engine_add_conn(struct ike_engine *e, const struct ike_conn *c);

/* Reload (conn_set.c).  The engine does not compare configurations: the
 * caller says which conns are gone and which changed (the daemon's
 * conf_diff: any setting of the conn differs).
 *
 * ike_engine_remove_conn: c no longer answers peers, and every IKE SA made
 * from it (or being authenticated for it) goes: an established one is
 * deleted with an INFORMATIONAL Delete (§1.4.1; its CHILD SAs' kernel state
 * goes with IKE_KERNEL_DEL_SA / DEL_POLICY when the exchange ends, or when
 * the peer does not answer), one still being set up is dropped at once.
 * Returns the number of IKE SAs affected, -1 when c is not in the engine.
 *
 * ike_engine_replace_conn: a changed conn.  nc takes old's place (the same
 * rank in responder selection) for every new IKE SA; existing IKE SAs of
 * old keep running on old's settings until they end (a CREATE_CHILD_SA on
 * them uses old's child configs).  nc NULL: old only stops answering.
 *
 * Either way the caller keeps the old conn alive until
 * ike_engine_conn_refs() says no SA uses it and no crypto job handed out
 * (IKE_OUT_JOB) is still running. */
int ike_engine_remove_conn(struct ike_engine *e, uint64_t now, const struct ike_conn *c);
int ike_engine_replace_conn(struct ike_engine *e, const struct ike_conn *old,
			    const struct ike_conn *nc);
size_t ike_engine_conn_refs(const struct ike_engine *e, const struct ike_conn *c);

void ike_engine_recv(struct ike_engine *e, uint64_t now, const struct ike_endpoint *local,
		     const struct ike_endpoint *remote, const uint8_t *buf, size_t len);
void ike_engine_tick(struct ike_engine *e, uint64_t now);
/* Starts an IKE SA with the conn's first child; returns its unique id, 0 on
 * error. */
uint64_t ike_engine_initiate(struct ike_engine *e, uint64_t now, const struct ike_conn *c);
/* An additional CHILD SA (CREATE_CHILD_SA) for child config index ci. */
int ike_engine_create_child(struct ike_engine *e, uint64_t now, uint64_t ike_uid, unsigned ci);
int ike_engine_delete_child(struct ike_engine *e, uint64_t now, uint64_t ike_uid, uint32_t child_id);
int ike_engine_delete_ike(struct ike_engine *e, uint64_t now, uint64_t ike_uid);
/* Empty INFORMATIONAL (liveness check, §1.4). */
int ike_engine_dpd(struct ike_engine *e, uint64_t now, uint64_t ike_uid);
/* Traffic from the peer arrived on a CHILD SA of IKE SA ike_uid (the
 * kernel's counters of an inbound SA moved): the peer is alive, so dead
 * peer detection waits another dpd_delay before it asks (as if an IKE
 * message had come).  No output. */
void ike_engine_peer_traffic(struct ike_engine *e, uint64_t now, uint64_t ike_uid);

void ike_engine_kernel_spi(struct ike_engine *e, uint64_t now, uint32_t req, uint32_t spi);
/* The kernel could not allocate the SPI of GET_SPI request req (why: for
 * the log line).  The half-made CHILD SA is given up: as responder the
 * peer gets NO_PROPOSAL_CHOSEN in the IKE_AUTH response (the IKE SA stands,
 * §1.2) or TEMPORARY_FAILURE to a CREATE_CHILD_SA (retry later, §2.25); as
 * initiator a CREATE_CHILD_SA is not sent (CHILD_FAILED event) and an IKE
 * SA not yet authenticated is dropped (IKE_FAILED event). */
void ike_engine_kernel_spi_error(struct ike_engine *e, uint64_t now, uint32_t req,
				 const char *why);
/* The kernel refused to install (IKE_KERNEL_ADD_SA / ADD_POLICY) part of
 * CHILD SA child_id of IKE SA ike_uid (why: for the log line).  The
 * half-made CHILD SA is deleted: DEL_SA / DEL_POLICY for what was emitted,
 * an INFORMATIONAL Delete of its SPI to the peer, a CHILD_FAILED event.
 * Nothing when the CHILD SA is not there any more.
 *
 * Details (job.c): the kernel deletes come at once (DEL_SA for both
 * directions, the refused one included: a "not found" for it is to be
 * ignored); the policies only when no other CHILD SA of the reqid holds
 * them (a rekey's new SA shares its predecessor's); the Delete goes when
 * the IKE SA's window is free, and the CHILD SA (marked failed: not
 * rekeyed, counted by no ACQUIRE dedupe) stays listed until then.  Call it
 * once per refused action: later calls for the same CHILD SA do nothing.
 * The IKE SA and its other CHILD SAs stay.  An ike_uid whose CHILD SAs
 * moved to a rekeyed successor is followed. */
void ike_engine_kernel_sa_error(struct ike_engine *e, uint64_t now, uint64_t ike_uid,
				uint32_t child_id, const char *why);
/* A trap policy of conn c, child config ci, matched a packet (XFRM
 * ACQUIRE).  reqid is the trap's (the CHILD SA gets it, so the trap's
 * template finds its SAs); src/dst the packet's selector (may be NULL): it
 * goes first in TSi/TSr so the responder can narrow (§2.9).  Starts the
 * CHILD SA: CREATE_CHILD_SA on an established IKE SA of c, else a new IKE
 * SA.  Nothing when a CHILD SA of reqid is up or being negotiated.
 * Returns the IKE SA's unique id, 0 when nothing was started.
 *
 * Details (acquire.c): reqid must not be 0.  "Being negotiated" covers a
 * CREATE_CHILD_SA or IKE_AUTH in flight with reqid and an ACQUIRE already
 * queued; a CHILD SA the kernel refused (ike_engine_kernel_sa_error) does
 * not count.  With an IKE SA of c that we are still setting up, the CHILD
 * SA is queued on it (a CREATE_CHILD_SA once it is up; its uid returned).
 * Our responder narrows (ts.c) to the intersections of the offered and the
 * configured selectors, without those inside another one: a packet inside
 * a configured range yields that range. */
uint64_t ike_engine_acquire(struct ike_engine *e, uint64_t now, const struct ike_conn *c,
			    unsigned ci, uint32_t reqid, const struct ike_ts *src,
			    const struct ike_ts *dst);
/* The kernel's hard expiry of an SA (inbound or outbound SPI): delete
 * the CHILD SA. */
void ike_engine_kernel_expire(struct ike_engine *e, uint64_t now, uint32_t spi);
/* The kernel's soft expiry: rekey the CHILD SA (nothing when it is being
 * rekeyed or was rekeyed already). */
void ike_engine_kernel_soft_expire(struct ike_engine *e, uint64_t now, uint32_t spi);
/* Rekey a CHILD SA (CREATE_CHILD_SA with REKEY_SA) / the IKE SA now; 0 when
 * queued, -1 when the SA is not there or not established. */
int ike_engine_rekey_child(struct ike_engine *e, uint64_t now, uint64_t ike_uid, uint32_t child_id);
int ike_engine_rekey_ike(struct ike_engine *e, uint64_t now, uint64_t ike_uid);

/* Runs a job (any thread); then hand it back with ike_engine_job_done. */
void ike_job_run(struct ike_job *j);
void ike_engine_job_done(struct ike_engine *e, uint64_t now, struct ike_job *j);
void ike_job_free(struct ike_job *j);

/* Next output, or NULL.  Free it with ike_out_free (a job inside stays
 * alive: it goes back with ike_engine_job_done). */
struct ike_out *ike_engine_poll(struct ike_engine *e);
void ike_out_free(struct ike_out *o);

/* Deadline of the earliest timer, UINT64_MAX when none. */
uint64_t ike_engine_next_timer(const struct ike_engine *e);

/* ---- introspection (tests, ospreyctl) ---- */

enum ike_sa_state {
	IKE_SA_INIT_SENT = 1, IKE_SA_INIT_WAIT, IKE_SA_AUTH_SENT, IKE_SA_AUTH_WAIT,
	IKE_SA_ESTABLISHED, IKE_SA_DELETING, IKE_SA_DEAD,
};

struct ike_sa_info {
	uint64_t uid;
	uint64_t ispi, rspi;
	bool initiator;
	enum ike_sa_state state;
	const struct ike_conn *conn;
	struct ike_endpoint local, remote;
	bool nat_local, nat_remote;
	uint16_t encr_id, encr_bits, prf_id, integ_id, group;
	uint32_t msgid_out, msgid_in;
	uint64_t rekey_at, expire_at; /* engine clock (ms), 0: none */
	unsigned nchildren;
	size_t memory;           /* bytes allocated by this SA (incl. children) */
	/* Virtual IPs (§3.15): as initiator the ones assigned to us, as
	 * responder the ones we leased to the peer; family 0: none. */
	struct ike_endpoint vip[2];
};

struct ike_child_info {
	uint32_t id;
	uint8_t cfg_index;       /* index in the IKE SA's conn->children */
	uint32_t spi_in, spi_out;
	enum ike_mode mode;
	bool encap;
	uint16_t encr_id, integ_id, group;
	uint32_t reqid;
	uint64_t rekey_at, expire_at; /* engine clock (ms), 0: none */
	bool superseded;         /* rekeyed: waits for its Delete */
	uint8_t n_local_ts, n_remote_ts;
	struct ike_ts local_ts[IKE_CONN_MAX_TS], remote_ts[IKE_CONN_MAX_TS];
};

size_t ike_engine_sa_count(const struct ike_engine *e);
size_t ike_engine_half_open(const struct ike_engine *e);
int ike_engine_sa_info(const struct ike_engine *e, uint64_t uid, struct ike_sa_info *out);
/* The idx-th IKE SA (any order) or -1.  O(idx): walk with
 * ike_engine_foreach_sa instead. */
int ike_engine_sa_at(const struct ike_engine *e, size_t idx, struct ike_sa_info *out);
int ike_engine_child_info(const struct ike_engine *e, uint64_t uid, unsigned idx,
			  struct ike_child_info *out);
/* Every live IKE SA in one pass (O(n) for all), with its CHILD SAs
 * (children[0..n-1]); the pointers are valid during the call only and fn
 * must not call into the engine.  A non-zero return from fn stops the walk.
 * Returns the number of SAs visited. */
typedef int (*ike_sa_visit_fn)(void *ctx, const struct ike_sa_info *sa,
			       const struct ike_child_info *children, unsigned n);
size_t ike_engine_foreach_sa(const struct ike_engine *e, ike_sa_visit_fn fn, void *ctx);
size_t ike_engine_memory(const struct ike_engine *e);

/* ---- counters (stats.c) ---- */

enum ike_exch_stat { IKE_XS_IKE_SA_INIT, IKE_XS_IKE_AUTH, IKE_XS_CREATE_CHILD_SA,
		     IKE_XS_INFORMATIONAL, IKE_XS_COUNT };
/* Why an incoming datagram was dropped without being handled. */
enum ike_drop_reason {
	IKE_DROP_MALFORMED,       /* header or payloads do not parse (before any key) */
	IKE_DROP_UNKNOWN_SPI,     /* no IKE SA with these SPIs / role (§2.21.4) */
	IKE_DROP_INTEGRITY,       /* integrity check of SK / SKF failed (§2.21.2) */
	IKE_DROP_WRONG_STATE,     /* message ID out of window, unexpected response or state */
	IKE_DROP_TOO_LARGE,       /* above IKE_MAX_MSG */
	IKE_DROP_HALF_OPEN_LIMIT, /* IKE_SA_INIT beyond cfg.max_half_open */
	IKE_DROP_BAD_COOKIE,      /* IKE_SA_INIT with a wrong COOKIE (a new one is sent) */
	IKE_DROP_COUNT
};
struct ike_engine_stats {
	uint64_t initiated[IKE_XS_COUNT]; /* requests we sent (IKE_SA_INIT again after
					     COOKIE / INVALID_KE counts again) */
	uint64_t responded[IKE_XS_COUNT]; /* requests we answered (stateless IKE_SA_INIT
					     answers too; cached re-sends not) */
	uint64_t retransmits;             /* our requests sent again (timer) */
	uint64_t responses_resent;        /* cached responses for retransmitted requests */
	uint64_t cookies_sent;
	uint64_t dropped[IKE_DROP_COUNT];
};
void ike_engine_get_stats(const struct ike_engine *e, struct ike_engine_stats *out);
const char *ike_exch_stat_name(enum ike_exch_stat x);   /* "ike_sa_init" ... */
const char *ike_drop_reason_name(enum ike_drop_reason r); /* "malformed" ... */

/* sizeof the per-SA structs (for the memory report). */
size_t ike_engine_sizeof_sa(void);
size_t ike_engine_sizeof_child(void);

#endif
