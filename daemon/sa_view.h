/* What the daemon shows about SAs. The IKE engine (issue 5) fills a table of
 * these; until it exists the table stays empty and list-sas says so. The
 * control protocol and ospreyctl only ever see this view, never engine state. */
#ifndef OSPREY_DAEMON_SA_VIEW_H
#define OSPREY_DAEMON_SA_VIEW_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct child_sa_view {
	char name[64];
	uint32_t unique_id;
	char state[24];		/* "INSTALLED", "REKEYING", ... */
	char mode[12];		/* "tunnel" / "transport" */
	uint32_t spi_in, spi_out;
	char encr[32], integ[32], dh[32];	/* integ "" for AEAD, dh "" without PFS */
	uint64_t bytes_in, bytes_out, packets_in, packets_out;	/* the kernel's counters */
	int64_t idle;		/* seconds since the last packet; -1: none yet / unknown */
	int64_t rekey_in, expire_in;	/* seconds from now; -1: never */
	char local_ts[256], remote_ts[256];
};

struct ike_sa_view {
	char conn[64];
	uint64_t unique_id;
	int version;
	char state[24];		/* "ESTABLISHED", "CONNECTING", ... */
	bool initiator;
	char local_addr[48], remote_addr[48];
	uint16_t local_port, remote_port;
	char local_id[256], remote_id[256];
	uint64_t spi_i, spi_r;
	char encr[32], integ[32], prf[32], dh[32];
	int64_t established;	/* seconds since established; -1: not yet */
	int64_t rekey_in, expire_in;
	/* Virtual IPs (RFC 7296 §3.15): as initiator ours, as responder the
	 * ones leased to the peer; "" / "a, b". */
	char vips[96];
	struct child_sa_view *children;
	size_t n_children;
};

struct sa_table {
	struct ike_sa_view *v;
	size_t n;
};

size_t sa_table_child_count(const struct sa_table *t);
json_object *ike_sa_view_to_json(const struct ike_sa_view *sa);
/* {"ike_sas": [...]}, optionally only those of connection conn. */
json_object *sa_table_to_json(const struct sa_table *t, const char *conn);

#endif
