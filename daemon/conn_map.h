/* From the daemon's configuration (conf.h) to the engine's connection model
 * (lib/ikev2/conn.h). */
#ifndef OSPREY_DAEMON_CONN_MAP_H
#define OSPREY_DAEMON_CONN_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "conn_pki.h"
#include "ikev2/conn.h"

/* One mapped connection.  The PSK is a copy owned here (wiped on free);
 * so are the certificates, keys and trust store ike points to. */
struct mapped_conn {
	struct ike_conn ike;
	uint8_t *psk;
	size_t psk_len;
	struct conn_pki pki;
	bool start;		/* a child has start_action = start */
	bool retired;		/* removed or replaced by a reload */
	/* Per child config (index as in ike.children): */
	bool trap[IKE_CONN_MAX_CHILDREN];		/* start_action = trap */
	enum dpd_action dpd_action[IKE_CONN_MAX_CHILDREN];
	uint32_t trap_reqid[IKE_CONN_MAX_CHILDREN];	/* installed trap (traps.c), 0: none */
};

/* Maps cn; 0, or -1 with the reason in err (e.g. IKEv1, a certificate or
 * key that does not load, a host name instead of an address). */
int conn_map(const struct osp_config *cfg, const struct conf_conn *cn, struct mapped_conn *out,
	     char *err, size_t errlen);
void mapped_conn_wipe(struct mapped_conn *m);
/* Index of the engine's child config named name, or -1. */
int conn_child_index(const struct ike_conn *c, const char *name);

#endif
