/* The IKE sockets: UDP on the IKE port (500) and the NAT-T port (4500),
 * IPv4 and IPv6.  Each socket learns the local address of what it receives
 * (IP_PKTINFO / IPV6_RECVPKTINFO) and sends from the address and port an SA
 * uses; the NAT-T sockets carry UDP_ENCAP_ESPINUDP so the kernel takes ESP
 * off them, and every socket has an IPsec bypass policy in both directions
 * so IKE itself never goes into a tunnel. */
#ifndef OSPREY_DAEMON_IKE_IO_H
#define OSPREY_DAEMON_IKE_IO_H

#include <event2/event.h>
#include <stddef.h>
#include <stdint.h>

#include "ikev2/conn.h"

struct ike_io;

/* A datagram received: the UDP payload as read. */
typedef void (*ike_io_recv_fn)(void *arg, const struct ike_endpoint *local,
			       const struct ike_endpoint *remote, const uint8_t *buf, size_t len);

struct ike_io_stats {
	uint64_t rx, tx, rx_bytes, tx_bytes, tx_errors, rx_truncated;
};

/* Opens what it can: a port or family that cannot be bound is logged (an
 * error) and left out.  Returns NULL only when no socket at all could be
 * opened, with the reasons in err. */
struct ike_io *ike_io_open(struct event_base *base, uint16_t ike_port, uint16_t nat_port,
			   ike_io_recv_fn fn, void *arg, char *err, size_t errlen);
void ike_io_close(struct ike_io *io);
/* Sends from local (family 0 or an unspecified address: the kernel picks
 * the source; the port picks the socket).  0, or -1 (logged). */
int ike_io_send(struct ike_io *io, const struct ike_endpoint *local,
		const struct ike_endpoint *remote, const uint8_t *buf, size_t len);
const struct ike_io_stats *ike_io_stats(const struct ike_io *io);
/* "0.0.0.0:500 [::]:500 0.0.0.0:4500 (encap) ..." for status. */
void ike_io_describe(const struct ike_io *io, char *buf, size_t len);

#endif
