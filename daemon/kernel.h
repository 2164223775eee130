/* The kernel interface: where CHILD SAs and their policies go.
 *
 * A backend is a plugin built into ospreyd and chosen by kernel.backend in
 * the configuration.  It receives the engine's kernel actions (struct
 * ike_kernel, lib/ikev2/engine.h) one by one, on the event loop's thread.
 *
 *   xfrm    the Linux kernel through XFRM netlink (plugins/kernel-xfrm)
 *   dryrun  records every SA and policy it is asked to install and installs
 *           nothing (plugins/kernel-dryrun): for tests and load measurement
 *           on hosts without ESP.
 */
#ifndef OSPREY_DAEMON_KERNEL_H
#define OSPREY_DAEMON_KERNEL_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "ikev2/engine.h"

/* What the kernel tells the engine (kernel_ops.read_events). */
enum kernel_event_kind {
	KERNEL_EV_SOFT_EXPIRE,	/* -> ike_engine_kernel_soft_expire(spi): rekey */
	KERNEL_EV_HARD_EXPIRE,	/* -> ike_engine_kernel_expire(spi): delete */
	KERNEL_EV_ACQUIRE,	/* a trap policy matched: start the CHILD SA of reqid */
};

struct kernel_event {
	enum kernel_event_kind kind;
	uint32_t reqid;		/* the engine's reqid */
	uint32_t spi;		/* EXPIRE: the SA's SPI (network order value as a number) */
	uint8_t proto;		/* IKEV2_PROTO_ESP / _AH */
	struct ike_endpoint src, dst;	/* EXPIRE: the SA's; ACQUIRE: the template's */
	struct ike_ts ts_src, ts_dst;	/* ACQUIRE: the packet's selector */
};

/* Traffic of one SA (kernel_ops.sa_stats). */
struct kernel_sa_stats {
	uint64_t bytes, packets;
	uint64_t add_time, use_time;	/* unix seconds; use_time 0: never used */
};

struct kernel_ops {
	const char *name;
	/* NULL with a sentence in err when the backend cannot start. */
	void *(*open)(const struct conf_kernel *cfg, char *err, size_t errlen);
	void (*close)(void *ctx);
	/* Allocates an inbound SPI (network order value as a number). */
	int (*get_spi)(void *ctx, const struct ike_kernel *k, uint32_t *spi, char *err,
		       size_t errlen);
	int (*add_sa)(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
	int (*del_sa)(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
	int (*add_policy)(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
	int (*del_policy)(void *ctx, const struct ike_kernel *k, char *err, size_t errlen);
	/* What is installed, for `ospreyctl list-kernel`:
	 * {"backend": NAME, "sas": [...], "policies": [...], ...}. */
	json_object *(*list)(void *ctx);
	/* Kernel events (optional, NULL when the backend has none): the loop
	 * watches event_fd (-1: none) for reading and then calls read_events,
	 * which handles what is pending without blocking and calls fn once per
	 * event that concerns osprey's own state. */
	/* The counters of the SA k names (spi, dst, proto, mark), for
	 * `ospreyctl list-sas` and idle detection (optional). */
	int (*sa_stats)(void *ctx, const struct ike_kernel *k, struct kernel_sa_stats *st,
			char *err, size_t errlen);
	/* A virtual IP (RFC 7296 §3.15) on interface ifname (NULL: the one
	 * the kernel routes the peer through), added / removed (optional). */
	int (*add_vip)(void *ctx, const struct ike_endpoint *addr, const char *ifname,
		       char *err, size_t errlen);
	int (*del_vip)(void *ctx, const struct ike_endpoint *addr, const char *ifname,
		       char *err, size_t errlen);
	int (*event_fd)(void *ctx);
	void (*read_events)(void *ctx, void (*fn)(void *arg, const struct kernel_event *ev),
			    void *arg);
};

/* The backend called name, or NULL when this build has none by that name. */
const struct kernel_ops *kernel_backend(const char *name);

/* A transform's keyword ("aes128gcm16", "sha256", "x25519"), or "ID/BITS"
 * when unknown; type is an IKEV2_TT_* value. */
const char *kernel_alg_name(unsigned type, unsigned id, unsigned bits, char *buf, size_t len);

/* Backends (one per plugin). */
extern const struct kernel_ops kernel_dryrun_ops;
extern const struct kernel_ops kernel_xfrm_ops;

#endif
