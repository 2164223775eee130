/* Helper of xfrm_host_test.py, run inside its network namespace: opens
 * kernel-xfrm, installs an out policy 10.1.0.0/24 -> 10.2.0.0/24 for engine
 * reqid 42 (no SA: this host has no ESP anyway), sends one UDP datagram that
 * matches it, and prints the kernel's ACQUIRE as kernel-xfrm's event socket
 * reads it: "acquire reqid 42 10.1.0.1..10.1.0.1 -> 10.2.0.1..10.2.0.1".
 * Exit 0 when the event came within 5 s. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ikev2_const.h"
#include "kernel.h"
#include "log.h"

static int got;

static void on_event(void *arg, const struct kernel_event *ev)
{
	char s[96], d[96];

	(void)arg;
	if (ev->kind != KERNEL_EV_ACQUIRE)
		return;
	ike_ts_format(&ev->ts_src, s, sizeof(s));
	ike_ts_format(&ev->ts_dst, d, sizeof(d));
	printf("acquire reqid %u %s -> %s\n", ev->reqid, s, d);
	got = ev->reqid == 42;
}

int main(void)
{
	const struct kernel_ops *k = &kernel_xfrm_ops;
	struct conf_kernel cfg = { .backend = (char *)"xfrm" };
	struct ike_kernel p;
	struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET,
		.sin_port = htons(9) };
	char err[256];
	void *ctx;
	int fd, s;

	ctx = k->open(&cfg, err, sizeof(err));
	if (!ctx) {
		printf("open: %s\n", err);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.op = IKE_KERNEL_ADD_POLICY;
	p.reqid = 42;
	p.dir = IKE_DIR_OUT;
	p.proto = IKEV2_PROTO_ESP;
	p.mode = IKE_MODE_TUNNEL;
	ike_endpoint_parse("192.0.2.1", 500, &p.src);
	ike_endpoint_parse("192.0.2.2", 500, &p.dst);
	ike_ts_parse("10.1.0.0/24", &p.ts_src);
	ike_ts_parse("10.2.0.0/24", &p.ts_dst);
	if (k->add_policy(ctx, &p, err, sizeof(err))) {
		printf("add policy: %s\n", err);
		k->close(ctx);
		return 1;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, "10.1.0.1", &src.sin_addr);
	inet_pton(AF_INET, "10.2.0.1", &dst.sin_addr);
	if (s < 0 || bind(s, (struct sockaddr *)&src, sizeof(src)) < 0)
		perror("socket/bind");
	else
		(void)sendto(s, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&dst, sizeof(dst));
	fd = k->event_fd(ctx);
	for (int i = 0; i < 50 && !got && fd >= 0; i++) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		if (poll(&pf, 1, 100) > 0)
			k->read_events(ctx, on_event, NULL);
	}
	if (s >= 0)
		close(s);
	k->del_policy(ctx, &p, err, sizeof(err));
	k->close(ctx);
	if (!got)
		printf("no ACQUIRE within 5 s\n");
	return got ? 0 : 1;
}
