/* A deterministic world for two IKEv2 engines: a simulated network (delay,
 * drop, duplicate, reorder), a simulated kernel (SPIs, SAs, policies), a
 * crypto worker queue, and a clock that only moves when told. */
#ifndef OSPREY_TEST_ENGINE_SIM_H
#define OSPREY_TEST_ENGINE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev2/engine.h"

enum { SIM_MAX_PKT = 256, SIM_MAX_KSA = 64, SIM_MAX_JOBS = 16 };

struct sim_pkt {
	uint64_t at;
	int to; /* engine index */
	struct ike_endpoint src, dst;
	size_t len;
	uint8_t data[4096];
};

struct sim_ksa {
	uint32_t spi;
	enum ike_dir dir;
	bool encap;
	enum ike_mode mode;
	uint16_t encr_id, integ_id;
	uint8_t proto;               /* IKEV2_PROTO_ESP / _AH */
	uint32_t reqid;
	uint8_t key[36 + 64];        /* encryption key then integrity key */
	size_t keylen;
	uint8_t enc_key_len, integ_key_len;
};

struct sim;

struct sim_node {
	struct ike_engine *e;
	struct ike_endpoint addr;    /* its address, port 500 */
	struct sim_ksa sas[SIM_MAX_KSA];
	size_t nsas;
	int policies;                /* == npol */
	struct { uint32_t reqid; enum ike_dir dir; struct ike_ts src, dst; } pol[SIM_MAX_KSA];
	int del_policy_missing;      /* DEL_POLICY of a policy the kernel does not have */
	uint8_t last_policy_proto;   /* proto of the last ADD_POLICY */
	/* The kernel refuses an ADD_SA / ADD_POLICY when this returns true;
	 * the sim then calls ike_engine_kernel_sa_error (once per refusal,
	 * as the daemon does). */
	bool (*refuse)(struct sim *s, int node, const struct ike_kernel *k);
	int refused, sa_errors_called;
	int del_sa_missing;          /* DEL_SA of an SA the kernel does not have */
	/* Every ADD_SA / DEL_SA in order (make-before-break checks). */
	struct { enum ike_kernel_op op; uint32_t spi; enum ike_dir dir; } klog[512];
	unsigned nklog;
	uint32_t last_soft;          /* soft_seconds of the last ADD_SA */
	/* When this node's outbound SAs were deleted (a ring; check_flow). */
	struct { uint32_t spi; uint64_t at; } out_gone[64];
	unsigned nout_gone;
	uint32_t next_spi;
	bool hold_spi;               /* do not answer GET_SPI until released */
	uint32_t held_req;
	bool fail_spi;               /* answer GET_SPI with ike_engine_kernel_spi_error */
	int last_child_cfg;          /* child_cfg of the last CHILD_UP event */
	int up, down, child_up, child_down, child_failed, failed;
	uint16_t last_notify;        /* notify of the last FAILED event */
	uint64_t last_old_ike;       /* old_ike_uid of the last IKE_UP (rekey) */
	int ike_rekeyed, child_rekeyed; /* UP events that replaced an SA */
	int sent, keepalives;
	struct ike_endpoint vip;     /* address of the last IKE_EV_VIP */
	int vip_events;
	int policies_at_vip;         /* policies installed when it came */
	size_t max_len;              /* largest datagram sent */
	uint64_t rng_state;
	struct ike_job *jobs[SIM_MAX_JOBS]; /* async crypto: waiting for a worker */
	size_t njobs;
	bool verbose;
	char log[64][256];           /* the last 64 event texts (a ring) */
	unsigned nlog;
};

struct sim {
	uint64_t now;
	struct sim_node n[2];
	struct sim_pkt *q[SIM_MAX_PKT];
	size_t nq;
	uint64_t seed;
	unsigned drop_pm, dup_pm;   /* per mille */
	unsigned delay_ms, jitter_ms;
	bool async_crypto;
	bool verbose;
	bool nat;                   /* a NAT rewrites node 0's source port 500 -> 40500 */
	/* Drops a datagram from node `from` when it returns true. */
	bool (*filter)(struct sim *s, int from, const uint8_t *data, size_t len);
	int filtered;
	/* Data-path model: with check_flow, after every ADD_SA / DEL_SA each
	 * outbound SA of one node must have its inbound SA (same SPI) on the
	 * other ("no packet can be sent that the peer cannot receive"), and an
	 * inbound SA whose peer had it as outbound SA must stay linger_min_ms
	 * after the peer deleted that one (packets in flight). */
	bool check_flow;
	unsigned linger_min_ms;
	int flow_violations, linger_violations;
	char flow_first[200];       /* the first violation, for the test's log */
	int delivered, dropped;
	/* Last datagram each way (for inspection). */
	uint8_t last[2][4096];
	size_t last_len[2];
};

void sim_init(struct sim *s, uint64_t seed, bool async_crypto);
/* With a hook to change each node's engine configuration. */
void sim_init_cfg(struct sim *s, uint64_t seed, bool async_crypto,
		  void (*tweak)(int node, struct ike_engine_cfg *cfg));
void sim_free(struct sim *s);
/* Runs until nothing is left to do or the clock passes now + max_ms. */
void sim_run(struct sim *s, uint64_t max_ms);
/* Delivers outputs and packets until node's condition holds or time runs out. */
bool sim_run_until(struct sim *s, uint64_t max_ms, bool (*cond)(struct sim *s));
void sim_drain(struct sim *s);

/* Conn helpers: node 0 is 192.0.2.1, node 1 is 192.0.2.2. */
void sim_conn(struct ike_conn *c, const char *name, int me, const char *ike, const char *esp,
	      const char *lts, const char *rts);
/* Another child config (proto IKEV2_PROTO_ESP / _AH); 0 or -1. */
int sim_add_child(struct ike_conn *c, const char *name, uint8_t proto, const char *props,
		  const char *lts, const char *rts);
size_t sim_state_count(struct sim *s, int node, enum ike_sa_state st);
uint64_t sim_first_uid(struct sim *s, int node);
bool sim_both_up(struct sim *s);
/* The uid of node's only established IKE SA (0: none or several). */
uint64_t sim_est_uid(struct sim *s, int node);
/* CHILD SA idx of that IKE SA; its CHILD SA count. */
bool sim_child(struct sim *s, int node, unsigned idx, struct ike_child_info *c);
unsigned sim_nchildren(struct sim *s, int node);
/* The kernel expires node's SA itself (hard): removed from the simulated
 * kernel, then reported with ike_engine_kernel_expire. */
void sim_kernel_expire(struct sim *s, int node, uint32_t spi, enum ike_dir dir);
/* node's kernel SA with this SPI and direction, or NULL. */
const struct sim_ksa *sim_ksa_find(struct sim *s, int node, uint32_t spi, enum ike_dir dir);
/* Both sides agree: one IKE SA each (the same SPIs, nothing else left),
 * want_children CHILD SAs with crossing SPIs, none waiting for a Delete,
 * and the kernels hold exactly their SAs and policies. */
bool sim_consistent(struct sim *s, unsigned want_children);
/* Did node log a line containing text (among the last 64)? */
bool sim_log_has(struct sim *s, int node, const char *text);

#endif
