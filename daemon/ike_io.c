/* IKE sockets (ike_io.h). */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/ipsec.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ike_io.h"
#include "log.h"
#include "util.h"

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

#define MAX_DGRAM 65536

struct ike_sock {
	int fd;
	int family;		/* AF_INET / AF_INET6 */
	uint16_t port;
	bool encap;
	struct event *ev;
	struct ike_io *io;
};

struct ike_io {
	struct ike_sock socks[4];
	size_t n;
	ike_io_recv_fn fn;
	void *arg;
	struct ike_io_stats stats;
	uint8_t buf[MAX_DGRAM];
};

/* Per-socket policies that let IKE bypass every IPsec policy (XFRM), as
 * each IKE daemon does for its own sockets. */
static int set_bypass(int fd, int family, char *err, size_t errlen)
{
	int level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int opt = family == AF_INET ? IP_XFRM_POLICY : IPV6_XFRM_POLICY;
	struct xfrm_userpolicy_info pol;

	memset(&pol, 0, sizeof(pol));
	pol.action = XFRM_POLICY_ALLOW;
	pol.sel.family = (uint16_t)family;
	pol.lft.soft_byte_limit = XFRM_INF;
	pol.lft.hard_byte_limit = XFRM_INF;
	pol.lft.soft_packet_limit = XFRM_INF;
	pol.lft.hard_packet_limit = XFRM_INF;
	for (int dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		pol.dir = (uint8_t)dir;
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)) < 0) {
			snprintf(err, errlen, "IPsec bypass policy (%s): %s",
				 dir == XFRM_POLICY_IN ? "in" : "out", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void to_endpoint(const struct sockaddr_storage *ss, struct ike_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		ep->family = 4;
		ep->port = ntohs(s->sin_port);
		memcpy(ep->addr, &s->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		if (IN6_IS_ADDR_V4MAPPED(&s->sin6_addr)) {
			ep->family = 4;
			memcpy(ep->addr, s->sin6_addr.s6_addr + 12, 4);
		} else {
			ep->family = 6;
			memcpy(ep->addr, &s->sin6_addr, 16);
		}
		ep->port = ntohs(s->sin6_port);
	}
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct ike_sock *s = arg;
	struct ike_io *io = s->io;

	/* A bounded batch: other sockets and timers get their turn. */
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		union {
			char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				 CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} cbuf;
		struct iovec iov = { io->buf, sizeof(io->buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
		};
		struct ike_endpoint local = { 0 }, remote;
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				olog(LOG_NET, LVL_WARNING, "receiving on port %u: %s", s->port,
				     strerror(errno));
			return;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			io->stats.rx_truncated++;
			continue;
		}
		to_endpoint(&from, &remote);
		local.family = s->family == AF_INET ? 4 : 6;
		local.port = s->port;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				local.family = 4;
				memcpy(local.addr, &pi.ipi_addr, 4);
			} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				local.family = 6;
				memcpy(local.addr, &pi.ipi6_addr, 16);
			}
		}
		io->stats.rx++;
		io->stats.rx_bytes += (uint64_t)n;
		io->fn(io->arg, &local, &remote, io->buf, (size_t)n);
	}
}

static int open_one(struct ike_io *io, struct event_base *base, int family, uint16_t port,
		    bool encap, char *err, size_t errlen)
{
	struct ike_sock *s = &io->socks[io->n];
	struct sockaddr_storage ss;
	socklen_t sl;
	int on = 1, fd;
	char why[200];

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		sl = sizeof(*a);
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0)
			goto sockerr;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		sl = sizeof(*a);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
			goto sockerr;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
		goto sockerr;
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		goto sockerr;
	if (encap) {
		int type = UDP_ENCAP_ESPINUDP;

		if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) < 0) {
			snprintf(err, errlen, "UDP_ENCAP_ESPINUDP: %s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (set_bypass(fd, family, why, sizeof(why))) {
		/* Without it IKE could be tunnelled by our own policies. */
		snprintf(err, errlen, "%s", why);
		close(fd);
		return -1;
	}
	s->fd = fd;
	s->family = family;
	s->port = port;
	s->encap = encap;
	s->io = io;
	s->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_read, s);
	if (!s->ev || event_add(s->ev, NULL)) {
		snprintf(err, errlen, "cannot watch the socket");
		if (s->ev)
			event_free(s->ev);
		close(fd);
		return -1;
	}
	io->n++;
	return 0;
sockerr:
	snprintf(err, errlen, "%s", strerror(errno));
	close(fd);
	return -1;
}

struct ike_io *ike_io_open(struct event_base *base, uint16_t ike_port, uint16_t nat_port,
			   ike_io_recv_fn fn, void *arg, char *err, size_t errlen)
{
	struct ike_io *io = xcalloc(1, sizeof(*io));
	static const int fams[] = { AF_INET, AF_INET6 };
	char why[256];

	io->fn = fn;
	io->arg = arg;
	err[0] = '\0';
	for (int p = 0; p < 2; p++)
		for (int f = 0; f < 2; f++) {
			uint16_t port = p ? nat_port : ike_port;

			if (open_one(io, base, fams[f], port, p == 1, why, sizeof(why)) == 0) {
				olog(LOG_NET, LVL_INFO, "listening on %s port %u%s",
				     fams[f] == AF_INET ? "IPv4" : "IPv6", port,
				     p ? " (NAT-T, UDP encapsulation)" : "");
				continue;
			}
			olog(LOG_NET, LVL_ERROR, "cannot open the IKE socket on %s port %u: %s",
			     fams[f] == AF_INET ? "IPv4" : "IPv6", port, why);
			snprintf(err + strlen(err), errlen - strlen(err), "%s%s port %u: %s",
				 *err ? "; " : "", fams[f] == AF_INET ? "IPv4" : "IPv6", port, why);
		}
	if (!io->n) {
		free(io);
		return NULL;
	}
	return io;
}

void ike_io_close(struct ike_io *io)
{
	if (!io)
		return;
	for (size_t i = 0; i < io->n; i++) {
		event_free(io->socks[i].ev);
		close(io->socks[i].fd);
	}
	free(io);
}

static bool unspecified(const struct ike_endpoint *ep)
{
	static const uint8_t zero[16];

	return !ep->family || !memcmp(ep->addr, zero, ep->family == 4 ? 4 : 16);
}

int ike_io_send(struct ike_io *io, const struct ike_endpoint *local,
		const struct ike_endpoint *remote, const uint8_t *buf, size_t len)
{
	int family = remote->family == 4 ? AF_INET : AF_INET6;
	struct ike_sock *s = NULL;
	struct sockaddr_storage to;
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = { .msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1 };
	char a[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < io->n; i++)
		if (io->socks[i].family == family && io->socks[i].port == local->port)
			s = &io->socks[i];
	if (!s) {
		io->stats.tx_errors++;
		olog(LOG_NET, LVL_WARNING, "no IKE socket for IPv%d port %u: datagram not sent",
		     remote->family, local->port);
		return -1;
	}
	memset(&to, 0, sizeof(to));
	memset(&cbuf, 0, sizeof(cbuf));
	if (family == AF_INET) {
		struct sockaddr_in *t = (struct sockaddr_in *)&to;

		t->sin_family = AF_INET;
		t->sin_port = htons(remote->port);
		memcpy(&t->sin_addr, remote->addr, 4);
		mh.msg_namelen = sizeof(*t);
		if (!unspecified(local)) {
			struct cmsghdr *c;
			struct in_pktinfo pi = { 0 };

			memcpy(&pi.ipi_spec_dst, local->addr, 4);
			mh.msg_control = cbuf.buf;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	} else {
		struct sockaddr_in6 *t = (struct sockaddr_in6 *)&to;

		t->sin6_family = AF_INET6;
		t->sin6_port = htons(remote->port);
		memcpy(&t->sin6_addr, remote->addr, 16);
		mh.msg_namelen = sizeof(*t);
		if (!unspecified(local)) {
			struct cmsghdr *c;
			struct in6_pktinfo pi = { 0 };

			memcpy(&pi.ipi6_addr, local->addr, 16);
			mh.msg_control = cbuf.buf;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	}
	if (sendmsg(s->fd, &mh, MSG_DONTWAIT) < 0) {
		io->stats.tx_errors++;
		inet_ntop(family, remote->addr, a, sizeof(a));
		olog(LOG_NET, LVL_WARNING, "sending %zu bytes to %s port %u: %s", len, a,
		     remote->port, strerror(errno));
		return -1;
	}
	io->stats.tx++;
	io->stats.tx_bytes += len;
	return 0;
}

const struct ike_io_stats *ike_io_stats(const struct ike_io *io)
{
	return &io->stats;
}

void ike_io_describe(const struct ike_io *io, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < io->n && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s:%u%s", off ? " " : "",
				 io->socks[i].family == AF_INET ? "0.0.0.0" : "[::]",
				 io->socks[i].port, io->socks[i].encap ? "(encap)" : "");

		if (n < 0)
			break;
		off += (size_t)n;
	}
}
