/* The lib-side model of a configured connection (struct ike_conn).
 *
 * The daemon's configuration (daemon/) is mapped into these plain structs;
 * the engine never parses text.  Proposals are lib/crypto's parsed form
 * (oc_proposal_parse), identities lib/crypto's (oc_id_from_string).  A conn
 * is owned by the caller and must outlive every IKE SA made from it. */
#ifndef OSPREY_IKEV2_CONN_H
#define OSPREY_IKEV2_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/identity.h"
#include "crypto/proposal.h"
#include "crypto/pubkey.h"
#include "crypto/x509.h"

/* An IP address and UDP port.  family 0 means "any" in a configured
 * address (then port 0 means any port too). */
struct ike_endpoint {
	uint8_t family; /* 0, 4 or 6 */
	uint16_t port;
	uint8_t addr[16];
};

/* One traffic selector (RFC 7296 §3.13.1) in a form both the config and the
 * engine use: an address range, an IP protocol (0 = any) and a port range. */
struct ike_ts {
	uint8_t family; /* 4 or 6 */
	uint8_t proto;
	uint16_t port_lo, port_hi;
	uint8_t start[16], end[16];
};

enum ike_auth_method { IKE_AUTH_PSK = 1, IKE_AUTH_PUBKEY };
enum ike_mode { IKE_MODE_TUNNEL = 0, IKE_MODE_TRANSPORT };
/* Which signature AUTH method to use (§3.8): AUTO is RFC 7427 (14) when the
 * peer sent SIGNATURE_HASH_ALGORITHMS with a hash in common, else the
 * classic method of the key (RSA: 1, ECDSA: 9/10/11, RFC 4754). */
enum ike_sig_mode { IKE_SIG_AUTO = 0, IKE_SIG_CLASSIC, IKE_SIG_RFC7427 };

struct ike_pool;

enum { IKE_CONN_MAX_PROPOSALS = 4, IKE_CONN_MAX_TS = 4, IKE_CONN_MAX_CHILDREN = 4 };

struct ike_child_cfg {
	char name[32];
	struct ike_ts local_ts[IKE_CONN_MAX_TS], remote_ts[IKE_CONN_MAX_TS];
	uint8_t n_local_ts, n_remote_ts;
	enum ike_mode mode;
	/* ESP proposals; KE transforms in them mean PFS for CREATE_CHILD_SA
	 * (they are left out of the IKE_AUTH exchange, §1.2). */
	struct oc_proposal esp[IKE_CONN_MAX_PROPOSALS];
	uint8_t n_esp;
	bool no_tfc_padding;   /* send ESP_TFC_PADDING_NOT_SUPPORTED */
	uint32_t life_seconds; /* handed to the kernel as the hard lifetime */
	uint64_t life_bytes, life_packets;
	/* The kernel's soft limits (its soft EXPIRE rekeys); 0: 90 % of the
	 * hard limit. */
	uint64_t rekey_bytes, rekey_packets;
	/* Rekeying (strongSwan's rekey_time / rand_time): the CHILD SA is
	 * rekeyed rekey_seconds minus a random 0..rand_seconds after it came
	 * up (0: never by timer; the kernel's soft expiry still rekeys).  The
	 * kernel gets that value as the soft lifetime. */
	uint32_t rekey_seconds, rand_seconds;
	/* IKEV2_PROTO_ESP (default) or IKEV2_PROTO_AH: then the proposals in
	 * esp[] carry integrity (and ESN) transforms only (set proto before
	 * ike_child_add_esp_proposal: it parses them as AH then). */
	uint8_t proto;
	/* XFRM marks (value/mask) and interface ids handed to the kernel with
	 * the inbound / outbound SA and policies (0: none). */
	uint32_t mark_in, mark_in_mask, mark_out, mark_out_mask;
	uint32_t if_id_in, if_id_out;
};

struct ike_conn {
	char name[32];
	struct ike_endpoint local, remote; /* family 0: any */
	struct oc_id local_id, remote_id;  /* remote_id type OC_ID_ANY: any */
	enum ike_auth_method local_auth, remote_auth;
	const uint8_t *psk; /* owned by the caller */
	size_t psk_len;
	const struct oc_key *privkey;      /* IKE_AUTH_PUBKEY: ours */
	const struct oc_key *peer_pubkey;  /* IKE_AUTH_PUBKEY: the peer's (raw key) */
	const uint8_t *cert_der;           /* our certificate, sent in CERT (when no certs) */
	size_t cert_len;
	/* Certificates (RFC 7296 §3.6, §3.7), owned by the caller: */
	const mbedtls_x509_crt *certs;     /* ours: end entity first, then intermediates */
	struct oc_trust *trust;            /* CAs (and CRLs) the peer's chain must reach;
					      their key hashes go out in CERTREQ.  Read
					      by crypto workers: not changed while SAs run */
	enum ike_sig_mode sig_mode;
	bool rsa_pss;                      /* RFC 7427 with RSA: RSASSA-PSS, else PKCS#1 v1.5 */

	struct oc_proposal ike[IKE_CONN_MAX_PROPOSALS];
	uint8_t n_ike;
	struct ike_child_cfg children[IKE_CONN_MAX_CHILDREN];
	uint8_t n_children;

	/* Retransmission (§2.1): timeout_ms * factor^n before retry n+1. */
	uint32_t rto_ms;      /* 4000 */
	double rto_factor;    /* 1.8 */
	uint8_t rto_tries;    /* 5 */
	uint32_t half_open_ms; /* responder: drop an SA not authenticated by then (30000) */

	bool encap;           /* force UDP encapsulation (fake a NAT) */
	uint32_t keepalive_ms; /* NAT keepalive interval while behind a NAT (20000) */
	uint16_t frag_size;   /* RFC 7383 fragment size (1280); 0 disables */
	bool initial_contact; /* initiator: send INITIAL_CONTACT (true) */
	/* IKE SA lifetime: rekeyed ike_rekey_seconds minus a random
	 * 0..ike_rand_seconds after it came up; deleted at ike_life_seconds
	 * when not rekeyed by then.  0: never. */
	uint32_t ike_rekey_seconds, ike_rand_seconds, ike_life_seconds;
	/* Dead peer detection (§1.4, strongSwan's dpd_delay): an empty
	 * INFORMATIONAL when nothing came from the peer for dpd_delay_ms;
	 * an unanswered one (after the retransmissions) ends the IKE SA with
	 * an IKE_DOWN event whose text says "dead peer" (after IKE_FAILED
	 * "peer not responding (dead peer)").  0: off. */
	uint32_t dpd_delay_ms;
	/* Virtual IPs (§2.19, §3.15; cp.c).  Initiator: the address families
	 * (4, 6) to ask an address for in CP(CFG_REQUEST); its CHILD SAs'
	 * local selectors are narrowed to the address received.  Responder:
	 * pools (pool.h, owned by the caller) leasing an address to a peer
	 * that asks, first pool of the family first; the peer's CHILD SA
	 * selectors are narrowed to its address, and a peer that asks for
	 * none gets FAILED_CP_REQUIRED instead of a CHILD SA. */
	uint8_t vip_families[2];
	uint8_t n_vips;
	struct ike_pool *pools[2];
	uint8_t n_pools;
};

/* Defaults as documented above; name copied (truncated). */
void ike_conn_init(struct ike_conn *c, const char *name);
/* Appends a proposal string; 0 or OC_EINVAL with a message in err. */
int ike_conn_add_ike_proposal(struct ike_conn *c, const char *s, char *err, size_t errlen);
struct ike_child_cfg *ike_conn_add_child(struct ike_conn *c, const char *name);
int ike_child_add_esp_proposal(struct ike_child_cfg *ch, const char *s, char *err, size_t errlen);
/* "10.0.0.0/24", "10.0.0.1", "2001:db8::/64", optionally "[proto/port]" as
 * in "10.0.0.0/24[tcp/80]" or "[17/500]".  0 or -1. */
int ike_ts_parse(const char *s, struct ike_ts *ts);
int ike_ts_add(struct ike_child_cfg *ch, bool local, const char *s);
/* "192.0.2.1", "2001:db8::1", "%any"; port given separately. */
int ike_endpoint_parse(const char *s, uint16_t port, struct ike_endpoint *ep);
int ike_endpoint_format(const struct ike_endpoint *ep, char *buf, size_t len);
int ike_ts_format(const struct ike_ts *ts, char *buf, size_t len);

struct ike_kernel;
/* The child config's XFRM mark and interface id for k->dir, into k (the
 * engine's SA and policy actions, the daemon's traps and counter reads). */
void ike_kernel_set_marks(struct ike_kernel *k, const struct ike_child_cfg *cc);

#endif
