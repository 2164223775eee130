/* Engine internals shared by the files of lib/ikev2 (see engine.h DESIGN). */
#ifndef OSPREY_IKEV2_INTERNAL_H
#define OSPREY_IKEV2_INTERNAL_H

#include "crypto/ikev2_kdf.h"
#include "crypto/ke.h"
#include "crypto/sk.h"
#include "crypto/transforms.h"
#include "crypto/x509.h"
#include "ikev2/engine.h"
#include "ikev2_codec.h"

enum { IKE_NONCE_LEN = 32, IKE_MAX_MSG = 8192, IKE_ARENA = 32768, IKE_NATD_LEN = 20,
       IKE_FRAG_MAX = 64 };

/* A negotiated suite (§3.3): transforms from the registry. */
struct ike_suite {
	const struct oc_transform *encr, *integ, *prf;
	uint16_t group;
	bool esn;
};

struct ike_child {
	struct ike_child *next;
	uint32_t id;
	uint32_t reqid;
	uint32_t spi_in, spi_out;
	uint8_t cfg_index;
	uint8_t n_local_ts, n_remote_ts;
	bool transport, encap, tfc_ok, installed;
	bool policies;      /* owns the kernel policies of its reqid (rekey.c) */
	bool superseded;    /* rekeyed: the old SA waits for its Delete */
	bool failed;        /* the kernel refused it: kernel state gone, Delete queued */
	struct ike_held_out *held; /* rekey responder: outbound SA not installed yet (linger.c) */
	bool out_never;     /* its outbound SA is held back or was never installed */
	uint16_t encr_id, encr_bits, integ_id, group;
	uint64_t rekey_at, expire_at; /* engine clock (ms); 0: none */
	struct ike_ts *ts;  /* n_local_ts then n_remote_ts, one allocation */
};

/* Kernel state that outlives or waits for its moment around a CHILD SA
 * rekey (linger.c). */
struct ike_held_out {
	struct ike_kernel add;      /* the ADD_SA of the outbound SA, with its keys */
	uint32_t replaces;          /* the CHILD SA id whose Delete releases it */
	uint64_t at;                /* fallback: installed by then anyway (engine ms) */
};

struct ike_linger {
	struct ike_linger *next;
	uint64_t at;                /* DEL_SA then (engine ms); 0: when our Delete is answered */
	uint64_t wait_uid;          /* at 0: the IKE SA our Delete went on (it may move on) */
	struct ike_kernel del;      /* the DEL_SA of an old inbound SA */
};

/* Handshake state: from IKE_SA_INIT to the end of IKE_AUTH, and for a
 * CREATE_CHILD_SA in flight.  Freed when no longer needed. */
struct ike_hs {
	uint8_t ni[256], nr[256];
	uint16_t ni_len, nr_len;      /* nonces are 16..256 octets (§3.9) */
	uint8_t prop_num;             /* responder: the peer's chosen proposal number */
	uint8_t init_tries;           /* initiator: COOKIE / INVALID_KE retries */
	struct oc_ke *ke;             /* our key exchange */
	uint8_t *gir;                 /* shared secret */
	size_t gir_len;
	uint32_t job_id;              /* the KE job in flight, 0 none */
	bool ke_pending;
	uint8_t *init_req, *init_resp; /* IKE_SA_INIT messages (for AUTH, §2.15) */
	size_t init_req_len, init_resp_len;
	uint8_t *cookie;              /* initiator: the responder's cookie */
	size_t cookie_len;
	uint8_t sk_pi[OC_MAX_PRF], sk_pr[OC_MAX_PRF];
	uint32_t spi_req;             /* GET_SPI in flight, 0 none */
	uint32_t spi_in;              /* the child's inbound SPI once allocated */
	bool spi_failed;              /* the kernel could not allocate it */
	uint8_t child_cfg;            /* child config index of the child being made */
	uint16_t child_group;         /* CREATE_CHILD_SA: PFS group (0 none) */
	uint8_t peer_hashes[16];      /* peer's SIGNATURE_HASH_ALGORITHMS data (RFC 7427 §4) */
	uint8_t peer_hashes_len;      /* 0: the peer did not send the notify */
	uint8_t *certreq;             /* initiator: CERTREQ data of the IKE_SA_INIT response */
	size_t certreq_len;
	/* Signature AUTH as crypto jobs (sig.c): our AUTH data once signed,
	 * and the outcome of verifying the peer's, each for auth_conn. */
	uint32_t sign_job, verify_job; /* in flight, 0 none */
	const struct ike_conn *auth_conn;
	uint8_t *my_auth;
	size_t my_auth_len;
	uint8_t my_method;
	bool verified;                /* verify_rc / verify_why are there */
	int verify_rc;
	char verify_why[224];
	bool ccsa;                    /* this hs serves our CREATE_CHILD_SA */
	/* Rekeying (rekey.c) */
	uint32_t rekey_child;         /* CHILD SA id being rekeyed, 0 none */
	bool rekey_ike;               /* CREATE_CHILD_SA rekeying the IKE SA */
	uint32_t reqid;               /* kernel reqid for the new CHILD SA, 0: new one */
	uint64_t new_spi;             /* IKE rekey: our SPI of the new IKE SA */
	struct ike_suite new_suite;   /* IKE rekey responder: chosen suite */
	/* Collision (§2.8.1, §2.8.2): we answered the peer's rekey of the
	 * same SA while ours was in flight; the lowest nonce of its exchange
	 * and what it made (CHILD SA id or IKE SA uid). */
	bool coll;
	uint8_t coll_nonce[256];
	uint16_t coll_nonce_len;
	uint32_t coll_child;
	uint64_t coll_uid;
	/* ACQUIRE (acquire.c): the triggering packet's selectors, first in
	 * TSi (pkt_ts[0], bit 0 of pkt_have) and TSr (pkt_ts[1], bit 1), §2.9. */
	struct ike_ts pkt_ts[2];
	uint8_t pkt_have;
};

/* A CHILD SA asked for by ike_engine_acquire, waiting for the window of
 * its IKE SA (TASK_ACQUIRE, arg reqid). */
struct ike_acq {
	struct ike_acq *next;
	uint32_t reqid;
	uint8_t ci;
	uint8_t pkt_have;
	struct ike_ts pkt_ts[2];
};

/* Fragments of one message being reassembled (RFC 7383 §2.6), decrypted. */
struct ike_frags {
	uint32_t msgid;
	uint16_t total, have;
	uint8_t first;              /* first inner payload (from fragment 1) */
	uint64_t deadline;
	size_t bytes;
	uint8_t *part[IKE_FRAG_MAX];
	uint16_t part_len[IKE_FRAG_MAX];
};

/* A request parked until a missing input arrives (engine.h DESIGN). */
struct ike_parked {
	struct ike_hdr hdr;
	uint8_t first;
	size_t len;
	uint8_t data[];   /* the decrypted inner chain (or the whole IKE_SA_INIT) */
};

struct ike_sa {
	struct ike_sa *next;          /* engine list */
	struct ike_sa *hnext;         /* SPI hash chain */
	struct ike_sa *unext;         /* unique id hash chain */
	uint64_t uid;
	uint64_t ispi, rspi;
	const struct ike_conn *conn;
	enum ike_sa_state state;
	bool initiator;
	bool nat_local, nat_remote;   /* NAT in front of us / the peer */
	bool peer_dead;               /* ended because the peer stopped answering (msg.c) */
	bool frag_ok;                 /* peer sent IKEV2_FRAGMENTATION_SUPPORTED */
	bool natt;                    /* moved to the NAT-T port */
	struct ike_endpoint local, remote;
	struct ike_suite suite;
	uint8_t sk_d[OC_MAX_PRF];
	struct oc_sk sk_out, sk_in;

	/* Message IDs, window 1 (§2.3) */
	uint32_t msgid_out;           /* next request we send */
	uint32_t msgid_in;            /* next request we expect */
	uint8_t *req;                 /* outstanding request datagram, or NULL */
	size_t req_len;
	uint8_t req_exch;
	uint8_t req_tries;
	uint64_t req_deadline;
	uint8_t *resp;                /* last response sent, for retransmits */
	size_t resp_len;

	uint64_t half_open_deadline;
	uint64_t keepalive_deadline;
	uint64_t last_recv;           /* last authentic message from the peer (DPD, dpd.c) */
	uint64_t last_now;
	struct ike_hs *hs;
	struct ike_parked *parked;
	/* Responder side of a CREATE_CHILD_SA, beside our own exchange in hs
	 * (collisions, §2.8.1): its handshake state and parked request. */
	struct ike_hs *rhs;
	struct ike_parked *rparked;
	uint64_t rekey_at, expire_at; /* IKE SA rekey / hard end (engine ms); 0 none */
	uint64_t rekeyed_deadline;    /* superseded by a rekey: gone by then */
	uint64_t successor;           /* uid of the IKE SA that took the CHILD SAs */
	bool delete_sent;             /* our Delete of this IKE SA is the request out */
	struct ike_frags *frags[2];   /* reassembly: [0] requests, [1] responses */
	struct ike_child *children;
	uint32_t next_child_id;
	/* Local requests waiting for the window (§2.3). */
	struct { uint8_t kind; uint32_t arg; } tasks[8];
	uint8_t ntasks;
	struct ike_acq *acqs;         /* pending acquires (acquire.c) */
	struct ike_linger *lingers;   /* old inbound SAs of rekeyed CHILD SAs (linger.c) */
	size_t mem;                   /* bytes allocated for this SA */
	struct ike_cp *cp;            /* virtual IPs (cp.c), NULL: none */
};

enum ike_task_kind { TASK_CREATE_CHILD = 1, TASK_DELETE_CHILD, TASK_DELETE_IKE, TASK_DPD,
		     TASK_REKEY_CHILD, TASK_REKEY_IKE, TASK_ACQUIRE,
		     TASK_REDELETE /* arg: our inbound SPI of a lingering SA (linger.c) */ };

struct ike_engine {
	struct ike_engine_cfg cfg;
	const struct ike_conn **conns;
	size_t nconns;
	struct ike_sa *sas;
	struct ike_sa *hash[256];
	struct ike_sa *uhash[1024];     /* by uid */
	struct ike_engine_stats stats;
	size_t nsas, half_open;
	uint64_t next_uid;
	uint32_t next_req, next_job, next_reqid;
	uint64_t now;
	uint8_t cookie_secret[32];
	struct ike_out *out_head, **out_tail;
	struct ike_job *done_head[64];  /* inline jobs completed, not yet delivered */
	size_t ndone;
	uint8_t in_first;               /* the input's decrypted chain: first type, */
	size_t in_plen;                 /* and length in plain (for ike_park) */
	size_t mem;
	/* Scratch, reused for every message: the engine is single threaded. */
	uint8_t arena[IKE_ARENA];      /* parsed messages */
	uint8_t barena[IKE_ARENA / 2]; /* models of messages being built */
	uint8_t plain[IKE_MAX_MSG];    /* decrypted inner chain of the input */
	uint8_t bplain[IKE_MAX_MSG];   /* inner chain being encrypted */
	uint8_t buf[2 * IKE_MAX_MSG];  /* message being sent (or its fragments) */
	uint8_t wrap[IKE_MAX_MSG + 4]; /* with the non-ESP marker */
};

/* Counter helpers (stats.c). */
#define IKE_DROP(e, r) ((e)->stats.dropped[(r)]++)
int ike_xs_index(uint8_t exchange); /* -1 for other exchanges */

/* engine.c */
struct ike_out *ike_out_new(struct ike_engine *e, enum ike_out_kind k, size_t extra);
/* Continues whatever was waiting for an SPI or a crypto job. */
void ike_resume(struct ike_engine *e, struct ike_sa *sa);
/* End of every input: inline job completions, then dead SAs freed. */
void ike_finish_input(struct ike_engine *e);
bool ike_sa_half_open(const struct ike_sa *sa);
/* job.c: delivers the jobs run inline (cfg.inline_crypto). */
void ike_jobs_deliver_inline(struct ike_engine *e);
/* Runs j inline or hands it out (IKE_OUT_JOB); frees it on failure. */
int ike_submit_job(struct ike_engine *e, struct ike_job *j);
void *sa_alloc(struct ike_sa *sa, size_t n);
void sa_free(struct ike_sa *sa, void *p, size_t n);
void ike_log(struct ike_engine *e, struct ike_sa *sa, enum ike_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ike_event(struct ike_engine *e, struct ike_sa *sa, enum ike_event_kind k, uint32_t child,
	       uint16_t notify, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void ike_emit_kernel(struct ike_engine *e, const struct ike_kernel *k);
/* The output queued last (to add details to an event just made). */
struct ike_out *ike_out_last(struct ike_engine *e);
void ike_emit_send(struct ike_engine *e, const struct ike_endpoint *local,
		   const struct ike_endpoint *remote, const uint8_t *buf, size_t len);
struct ike_sa *ike_sa_new(struct ike_engine *e, const struct ike_conn *c, bool initiator);
void ike_sa_hash(struct ike_engine *e, struct ike_sa *sa);
/* Marks the SA dead: kernel deletes for its children, events; freed later. */
void ike_sa_destroy(struct ike_engine *e, struct ike_sa *sa, const char *why);
struct ike_sa *ike_sa_by_uid(struct ike_engine *e, uint64_t uid);
int ike_random(struct ike_engine *e, void *buf, size_t n);
struct ike_hs *ike_hs_get(struct ike_sa *sa);
void ike_hs_free(struct ike_sa *sa);
/* The responder-side handshake state (sa->rhs) of a CREATE_CHILD_SA. */
struct ike_hs *ike_rhs_get(struct ike_sa *sa);
void ike_rhs_free(struct ike_sa *sa);
void ike_hs_release(struct ike_sa *sa, struct ike_hs **hp);
int ike_park(struct ike_sa *sa, const struct ike_hdr *h, uint8_t first, const uint8_t *p, size_t n);
void ike_unpark(struct ike_sa *sa);
int ike_park_to(struct ike_sa *sa, struct ike_parked **pp, const struct ike_hdr *h, uint8_t first,
		const uint8_t *p, size_t n);
void ike_unpark_from(struct ike_sa *sa, struct ike_parked **pp);
/* Requests an SPI from the kernel; the answer lands in sa->hs->spi_in. */
void ike_request_spi(struct ike_engine *e, struct ike_sa *sa);
void ike_request_spi_hs(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs);
/* Starts a KE job for hs (peer value optional). */
int ike_start_ke(struct ike_engine *e, struct ike_sa *sa, uint16_t group, const uint8_t *peer,
		 size_t plen);
int ike_start_ke_hs(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs, uint16_t group,
		    const uint8_t *peer, size_t plen);
void ike_run_tasks(struct ike_engine *e, struct ike_sa *sa);
int ike_queue_task(struct ike_sa *sa, uint8_t kind, uint32_t arg);
uint32_t ike_new_reqid(struct ike_engine *e);
/* A new IKE SA as initiator whose IKE_AUTH carries child config ci with
 * kernel reqid (0: a new one) and, from an ACQUIRE, the packet's
 * selectors (acq may be NULL); returns its uid, 0 on error. */
uint64_t ike_initiate(struct ike_engine *e, const struct ike_conn *c, unsigned ci,
		      const struct ike_acq *acq);
const struct ike_conn *ike_conn_by_addr(struct ike_engine *e, const struct ike_endpoint *local,
					const struct ike_endpoint *remote, size_t start);
bool ike_ep_match(const struct ike_endpoint *cfg, const struct ike_endpoint *ep);

/* msg.c: a message being built */
struct ike_mb {
	struct ikev2_payload pl[24];
	size_t n;
};
/* An arena over e->barena for the models of one message being built. */
struct ike_arena ike_build_arena(struct ike_engine *e);
struct ikev2_payload *mb_add(struct ike_mb *m, uint8_t type);
void mb_notify(struct ike_mb *m, uint8_t proto, uint16_t type, const void *data, size_t len);
/* Sends a request (new message id) and arms retransmission. */
int ike_send_request(struct ike_engine *e, struct ike_sa *sa, uint8_t exch, struct ike_mb *m);
/* Sends the response to the request with header h and caches it. */
int ike_send_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
		      struct ike_mb *m);
/* Unencrypted message (IKE_SA_INIT) into e->buf; returns length or 0. */
size_t ike_build_plain(struct ike_engine *e, const struct ike_hdr *h, struct ike_mb *m);
/* Sends bytes from the SA's current endpoints (adds the non-ESP marker). */
void ike_sa_send(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf, size_t len);
/* Stateless reply to an IKE_SA_INIT request (COOKIE, INVALID_KE, NO_PROPOSAL). */
void ike_send_plain_notify(struct ike_engine *e, const struct ike_hdr *req,
			   const struct ike_endpoint *local, const struct ike_endpoint *remote,
			   uint16_t type, const void *data, size_t len);
/* Decrypts a message's SK payload into e->plain and parses the inner chain. */
int ike_decrypt(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf, size_t len,
		const struct ikev2_msg *outer, struct ikev2_chain *inner, uint8_t *first,
		size_t *plen);
/* Parses the inner chain in e->plain (-2 and a log line when malformed). */
int ike_parse_inner(struct ike_engine *e, struct ike_sa *sa, uint8_t first, size_t plen,
		    struct ikev2_chain *inner);
void ike_retransmit_check(struct ike_engine *e, struct ike_sa *sa, uint64_t now);
void ike_clear_request(struct ike_sa *sa);

/* prop.c */
int prop_build_sa(struct ike_arena *a, const struct oc_proposal *props, size_t n,
		  enum oc_proto proto, uint32_t spi, bool with_ke, struct ikev2_sa *out);
/* Picks our first configured proposal the peer also offered (§2.7); fills
 * suite and *num (the peer's proposal number) and *peer_spi. */
int prop_select(const struct ikev2_sa *peer, const struct oc_proposal *ours, size_t n,
		uint8_t protocol, bool need_ke, uint16_t group_hint, struct ike_suite *suite,
		uint8_t *num, uint32_t *peer_spi);
/* One-transform-per-type SA payload for the chosen suite (responder). */
int prop_build_chosen(struct ike_arena *a, const struct ike_suite *s, uint8_t protocol,
		      uint8_t num, uint32_t spi, struct ikev2_sa *out);
/* "IKE:AES_CBC_128/HMAC_SHA2_256_128/..., ..." for logs. */
void prop_format_peer(const struct ikev2_sa *peer, char *buf, size_t len);
void prop_format_ours(const struct oc_proposal *p, size_t n, char *buf, size_t len);
/* Is group among the KE transforms of any of our proposals? */
bool prop_has_group(const struct oc_proposal *p, size_t n, uint16_t group);
uint16_t prop_first_group(const struct oc_proposal *p, size_t n);

/* ts.c */
void ts_to_wire(const struct ike_ts *in, struct ikev2_ts *out);
bool ts_from_wire(const struct ikev2_ts *in, struct ike_ts *out);
/* §2.9 narrowing: intersect each of peer[] with each of ours[]; results into
 * out (at most max).  Returns the count. */
size_t ts_narrow(const struct ikev2_ts_list *peer, const struct ike_ts *ours, size_t nours,
		 struct ike_ts *out, size_t max);
/* Is every one of got[] inside one of offered[]? */
bool ts_subset(const struct ikev2_ts_list *got, const struct ike_ts *offered, size_t noffered);
bool ts_list_add(struct ike_arena *a, struct ikev2_ts_list *l, const struct ike_ts *ts, size_t n);

/* natd.c */
void natd_hash(uint64_t ispi, uint64_t rspi, const struct ike_endpoint *ep, uint8_t out[20]);
void cookie_make(const struct ike_engine *e, const uint8_t *ni, size_t nilen,
		 const struct ike_endpoint *remote, uint64_t ispi, uint8_t out[20]);

/* init.c */
void init_handle_request(struct ike_engine *e, const uint8_t *buf, size_t len,
			 const struct ikev2_msg *m, const struct ike_endpoint *local,
			 const struct ike_endpoint *remote);
void init_resume_responder(struct ike_engine *e, struct ike_sa *sa);
void init_handle_response(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
			  size_t len, const struct ikev2_msg *m);
void init_resume_initiator(struct ike_engine *e, struct ike_sa *sa);
int init_derive_keys(struct ike_engine *e, struct ike_sa *sa);
/* Initiator: send (or resend after COOKIE / INVALID_KE) IKE_SA_INIT. */
void init_send(struct ike_engine *e, struct ike_sa *sa);

/* auth.c */
void auth_send_request(struct ike_engine *e, struct ike_sa *sa);
void auth_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			 const struct ikev2_chain *c);
void auth_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c);

/* child.c */
/* Selects the CHILD SA proposal and narrows TSs as responder; returns 0 or
 * the notify to answer with.  On success adds SA, TSi, TSr (and
 * USE_TRANSPORT_MODE) to m and installs the child.  hs gives the inbound
 * SPI and the reqid (0: a new one); only_ci >= 0 limits the child config
 * (a rekey). */
uint16_t child_respond(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
		       const struct ikev2_chain *c, struct ike_mb *m, const uint8_t *ni,
		       size_t nilen, const uint8_t *nr, size_t nrlen, const uint8_t *gir,
		       size_t girlen, bool ike_auth, int only_ci);
/* Adds SA, TSi, TSr, notifies for a new child to a request; like (a CHILD
 * SA being rekeyed) gives the traffic selectors, else the config's. */
int child_offer(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m, unsigned cfg,
		uint32_t spi, bool ike_auth, const struct ike_child *like);
/* Initiator: the response's SA, TS; installs or fails.  hs gives the
 * inbound SPI, the reqid (0: new) and the CHILD SA rekeyed (0: none). */
int child_accept(struct ike_engine *e, struct ike_sa *sa, struct ike_hs *hs,
		 const struct ikev2_chain *c, unsigned cfg, const uint8_t *ni, size_t nilen,
		 const uint8_t *nr, size_t nrlen, const uint8_t *gir, size_t girlen, bool ike_auth);
struct ike_child *child_by_id(struct ike_sa *sa, uint32_t id);
/* Removes a CHILD SA (kernel state, event) and frees it. */
void child_remove(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch, const char *why);
/* Picks the child config's PFS group (0 none). */
uint16_t child_pfs_group(const struct ike_child_cfg *cc);
void child_delete_kernel(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch);
void child_free(struct ike_sa *sa, struct ike_child *ch);
struct ike_child *child_by_spi(struct ike_sa *sa, uint32_t spi, bool inbound);
void ccsa_send_request(struct ike_engine *e, struct ike_sa *sa, unsigned cfg);
void ccsa_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			 const struct ikev2_chain *c);
void ccsa_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c);

/* rekey.c: rekeying CHILD SAs (§2.8) and the IKE SA (§2.18), collisions
 * (§2.8.1, §2.8.2), lifetimes (rekey and hard end, with jitter). */
void rekey_child_start(struct ike_engine *e, struct ike_sa *sa, uint32_t child_id);
void rekey_ike_start(struct ike_engine *e, struct ike_sa *sa);
/* Our CREATE_CHILD_SA request for hs (an additional CHILD SA or a rekey). */
void rekey_send(struct ike_engine *e, struct ike_sa *sa);
/* The peer's CREATE_CHILD_SA carrying SA(IKE): handled here (returns
 * true), else false. */
bool rekey_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c);
/* The response to our rekey: true when it was one. */
bool rekey_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			   const struct ikev2_chain *c);
/* lifetime.c: set the timers of a new CHILD SA / an IKE SA just up. */
void rekey_child_times(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch);
void rekey_ike_times(struct ike_engine *e, struct ike_sa *sa);
void rekey_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now);
uint64_t rekey_deadline(const struct ike_sa *sa);
/* Kernel policies of a reqid stay with one CHILD SA of it (make before
 * break): may ch install / must it remove them? */
bool rekey_policy_install(struct ike_sa *sa, struct ike_child *ch);
bool rekey_policy_remove(struct ike_sa *sa, struct ike_child *ch);
/* An IKE SA going while its rekey collided: its CHILD SAs move to the
 * IKE SA the peer made. */
void rekey_on_destroy(struct ike_engine *e, struct ike_sa *sa);
/* CREATE_CHILD_SA request with REKEY_SA: -1 answered (error), 0 not a
 * rekey, 1 a rekey of CHILD SA *old (sa->rhs knows it). */
int rekey_child_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			const struct ikev2_chain *c, struct ike_child **old);
/* Responder: the new CHILD SA (sa->children) replaces the old one. */
void rekey_child_answered(struct ike_engine *e, struct ike_sa *sa, const uint8_t *ni, size_t nilen,
			  const uint8_t *nr, size_t nrlen);

/* linger.c: the kernel side of a CHILD SA rekey without packet loss.
 * The rekey's responder holds its new outbound SA back until the old CHILD
 * SA goes (the initiator's Delete proves it has the new inbound SA); the
 * old inbound SA stays for cfg.delete_rekeyed_delay_ms after its CHILD SA
 * went (the peer sends on it until it has processed the Delete). */
void linger_hold_out(struct ike_engine *e, struct ike_sa *sa, struct ike_child *ch,
		     const struct ike_kernel *add, uint32_t replaces);
/* Installs the held outbound SA of every CHILD SA replacing old_id. */
void linger_release_for(struct ike_engine *e, struct ike_sa *sa, uint32_t old_id);
/* Forgets ch's held outbound SA (never installed: nothing to delete). */
void linger_drop_out(struct ike_sa *sa, struct ike_child *ch);
/* Keeps the DEL_SA of an old inbound SA for later; false: emit it now. */
bool linger_add(struct ike_engine *e, struct ike_sa *sa, const struct ike_kernel *del);
/* Our Delete of the CHILD SA with inbound SPI spi went out: its inbound SA
 * waits for the answer before its delay starts. */
void linger_wait_answer(struct ike_sa *sa, uint32_t spi);
/* An INFORMATIONAL answer came on sa (or sa goes, no answer will come):
 * the delays waiting for it start, wherever the CHILD SAs moved. */
void linger_answered(struct ike_engine *e, struct ike_sa *sa);
/* sa goes: a Delete of ours it carried unanswered may be lost with it; it
 * is sent again on the IKE SA that took the CHILD SAs (TASK_REDELETE). */
void linger_orphaned(struct ike_engine *e, struct ike_sa *sa);
/* The IKE SA goes: every lingering SA goes at once. */
void linger_flush(struct ike_engine *e, struct ike_sa *sa);
/* IKE rekey: the lingering SAs move along with the CHILD SAs. */
void linger_move(struct ike_sa *from, struct ike_sa *to);
/* The protocol of sa's lingering SA with inbound SPI spi (0: none). */
uint8_t linger_proto(const struct ike_sa *sa, uint32_t spi);
/* The kernel expired a lingering SA itself: forget it; true if it was one. */
bool linger_forget(struct ike_engine *e, uint32_t spi, bool remove);
void linger_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now);
uint64_t linger_deadline(const struct ike_sa *sa);
void linger_free_all(struct ike_sa *sa);
/* rekey.c: how long the peer may retransmit a request (§2.1). */
uint64_t ike_retransmit_span(const struct ike_conn *c);

/* sig.c: signature AUTH (§2.15, RFC 4754, RFC 7427) and certificates
 * (§3.6, §3.7) as crypto jobs. */
struct ike_sig_job {
	const struct ike_conn *conn;  /* the conn the job serves (engine side) */
	bool verify;
	/* sign */
	const struct oc_key *key;
	unsigned method;
	int hash;                     /* enum oc_hash */
	bool pss;
	/* verify: a raw public key, or the peer's certificates checked against
	 * trust and its identity */
	const struct oc_key *pubkey;
	struct oc_trust *trust;
	struct oc_id id;
	uint8_t *certs;               /* DER certificates back to back */
	uint16_t cert_len[8];
	uint8_t ncerts;
	/* both */
	uint8_t *octets;              /* signed octets (§2.15) */
	size_t octets_len;
	uint8_t auth[1040];           /* sign: out; verify: the peer's AUTH data */
	size_t auth_len;
	char why[224];                /* verify: the reason it failed */
};
void sig_job_run(struct ike_sig_job *s, int *result);
void sig_job_free(struct ike_sig_job *s);
/* Engine side of a finished SIGN / VERIFY job: stores the result in hs. */
void sig_job_deliver(struct ike_engine *e, struct ike_sa *sa, struct ike_job *j);
/* Starts the job signing our AUTH for the current conn (0 or -1). */
int sig_start_sign(struct ike_engine *e, struct ike_sa *sa, const uint8_t *octets, size_t len);
/* Starts verifying the peer's AUTH: certificates from chain c, identity
 * peer, AUTH payload ap. */
int sig_start_verify(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c,
		     const struct oc_id *peer, const struct ikev2_payload *ap, const uint8_t *octets,
		     size_t len);
/* Adds our CERT payloads (chosen by the peer's CERTREQ data, §3.7) to m. */
void sig_add_certs(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m, const uint8_t *req,
		   size_t reqlen);
/* Adds a CERTREQ with our CAs' key hashes when we verify certificates;
 * buf must live until the message is built. */
void sig_add_certreq(struct ike_sa *sa, struct ike_mb *m, uint8_t *buf, size_t cap);
/* Concatenated X509_SIG CERTREQ data of a chain into buf (returns length). */
size_t sig_certreq_data(const struct ikev2_chain *c, uint8_t *buf, size_t cap);

/* frag.c (RFC 7383) */
/* Must a message of msglen octets go out in fragments? */
bool frag_needed(const struct ike_engine *e, const struct ike_sa *sa, uint8_t exchange,
		 size_t msglen);
/* The inner chain plain (plen) as SKF fragments back to back in e->buf;
 * returns their total length, 0 on error. */
size_t frag_build(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h, uint8_t first,
		  const uint8_t *plain, size_t plen);
/* A received SKF message: 0 when the message is complete (its inner chain
 * in e->plain, *first, *plen), 1 when kept or dropped (logged), -1 when
 * its integrity check fails. */
int frag_input(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
	       const struct ikev2_msg *m, uint8_t *first, size_t *plen);
void frag_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now);
uint64_t frag_deadline(const struct ike_sa *sa);
void frag_free(struct ike_sa *sa);

/* acquire.c: CHILD SAs started by a trap policy (ike_engine_acquire). */
void acquire_run(struct ike_engine *e, struct ike_sa *sa, uint32_t reqid);
void acquire_move(struct ike_sa *from, struct ike_sa *to);
void acquire_free_all(struct ike_sa *sa);
/* The packet's selectors of hs go first in front of the n configured ones
 * in out (room for n + 1); returns the count. */
size_t acquire_ts(const struct ike_hs *hs, int which, const struct ike_ts *cfg, size_t n,
		  struct ike_ts *out);

/* dpd.c: dead peer detection (§1.4, conn->dpd_delay_ms). */
void dpd_tick(struct ike_engine *e, struct ike_sa *sa, uint64_t now);
uint64_t dpd_deadline(const struct ike_sa *sa);

/* The wire protocol (IKEV2_PROTO_ESP / _AH) of a child config, and its
 * proposals' lib/crypto protocol. */
uint8_t child_cfg_proto(const struct ike_child_cfg *cc);

/* info.c */
void info_handle_request(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			 const struct ikev2_chain *c);
void info_handle_response(struct ike_engine *e, struct ike_sa *sa, const struct ike_hdr *h,
			  const struct ikev2_chain *c);
void info_send_delete_child(struct ike_engine *e, struct ike_sa *sa, uint32_t child_id);
/* Sends the Delete of a lingering SA again (TASK_REDELETE, linger.c). */
void info_send_delete_spi(struct ike_engine *e, struct ike_sa *sa, uint32_t spi);
void info_send_delete_ike(struct ike_engine *e, struct ike_sa *sa);
void info_send_empty(struct ike_engine *e, struct ike_sa *sa);
void info_send_notify(struct ike_engine *e, struct ike_sa *sa, uint16_t type);

/* cp.c: configuration payloads for virtual IPs (§2.19, §3.15). */
struct ike_cp;
/* Initiator: CP(CFG_REQUEST) into IKE_AUTH when the conn asks for a VIP. */
void cp_request(struct ike_engine *e, struct ike_sa *sa, struct ike_mb *m);
/* Responder: leases addresses, adds CP(CFG_REPLY); 0 or the notify to
 * answer instead of a CHILD SA (INTERNAL_ADDRESS_FAILURE,
 * FAILED_CP_REQUIRED). */
uint16_t cp_respond(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c,
		    struct ike_mb *m, const struct oc_id *peer);
/* Initiator: the CFG_REPLY; emits IKE_EV_VIP.  -1 when we asked and got
 * nothing usable (the CHILD SA fails). */
int cp_accept(struct ike_engine *e, struct ike_sa *sa, const struct ikev2_chain *c);
/* Selectors of our local (or the remote) side narrowed to the initiator's
 * virtual IPs when it has them (else copied); out holds max.  cp_ts: the
 * child config's. */
size_t cp_narrow(const struct ike_sa *sa, bool local, const struct ike_ts *ts, size_t n,
		 struct ike_ts *out, size_t max);
size_t cp_ts(const struct ike_sa *sa, const struct ike_child_cfg *cc, bool local,
	     struct ike_ts *out);
/* An IKE SA rekey: nw holds old's virtual IPs (and leases) too. */
void cp_rekeyed(struct ike_sa *old, struct ike_sa *nw);
/* The IKE SA goes: leases back to their pools.  cp_free: its memory. */
void cp_release(struct ike_engine *e, struct ike_sa *sa);
void cp_free(struct ike_sa *sa);
void cp_info(const struct ike_sa *sa, struct ike_sa_info *o);

#endif
