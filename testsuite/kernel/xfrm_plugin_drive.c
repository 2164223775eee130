/* Drives kernel-xfrm directly, without ospreyd or IKE: for
 * testsuite/kernel/xfrm_host_test.py (policies, traps, ACQUIRE, errors on
 * this host) and the VM scenario kernel-xfrm-marks (ESP SAs with marks and
 * interface ids, counters).
 *
 * It opens the plugin (which flushes osprey's stale state), then reads one
 * command per line on stdin and answers each with exactly one line on
 * stdout, "ok ..." or "error: ..."; the plugin's log goes to stderr.
 *
 *   spi src=A dst=B                    -> ok spi c1234567 (ALLOCSPI, inbound)
 *   sa add|del dir=in|out spi=HEX src=A dst=B reqid=N [mark=V/M] [if_id=N]
 *                                         (AES-GCM-16 128, key made from spi)
 *   policy add|del dir=in|out ts_src=NET ts_dst=NET src=A dst=B reqid=N
 *                  [mark=V/M] [if_id=N] [trap=1] [mode=transport]
 *   stats spi=HEX dst=A [mark=V/M]     -> ok bytes B packets P add_time T use_time U
 *   udp src=A dst=B port=N [mark=N]    -> ok (one datagram, for an ACQUIRE)
 *   acquire [ms=N]                     -> ok acquire reqid N TS -> TS sa A -> B
 *   list                               -> ok {list-kernel JSON}
 *   quit                               (closing the plugin flushes its state)
 */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ikev2_const.h"
#include "kernel.h"
#include "log.h"

static const struct kernel_ops *ops = &kernel_xfrm_ops;
static void *ctx;

/* The value of key=... in the words of a command line, or NULL. */
static const char *arg(char **w, int n, const char *key)
{
	size_t kl = strlen(key);

	for (int i = 0; i < n; i++)
		if (!strncmp(w[i], key, kl) && w[i][kl] == '=')
			return w[i] + kl + 1;
	return NULL;
}

static unsigned long num(char **w, int n, const char *key)
{
	const char *v = arg(w, n, key);

	return v ? strtoul(v, NULL, 0) : 0;
}

/* The fields of an SA or policy action from key=value words. */
static int action(char **w, int n, struct ike_kernel *k, char *err, size_t len)
{
	const char *v;

	memset(k, 0, sizeof(*k));
	k->proto = IKEV2_PROTO_ESP;
	k->dir = (v = arg(w, n, "dir")) && !strcmp(v, "in") ? IKE_DIR_IN : IKE_DIR_OUT;
	k->mode = (v = arg(w, n, "mode")) && !strcmp(v, "transport") ? IKE_MODE_TRANSPORT :
		IKE_MODE_TUNNEL;
	k->reqid = (uint32_t)num(w, n, "reqid");
	k->if_id = (uint32_t)num(w, n, "if_id");
	k->trap = num(w, n, "trap") != 0;
	if ((v = arg(w, n, "spi")))
		k->spi = (uint32_t)strtoul(v, NULL, 16);
	if ((v = arg(w, n, "mark"))) {
		char *slash;

		k->mark = (uint32_t)strtoul(v, &slash, 0);
		k->mark_mask = *slash == '/' ? (uint32_t)strtoul(slash + 1, NULL, 0) : 0xffffffffu;
	}
	if (((v = arg(w, n, "src")) && ike_endpoint_parse(v, 500, &k->src)) ||
	    ((v = arg(w, n, "dst")) && ike_endpoint_parse(v, 500, &k->dst)) ||
	    ((v = arg(w, n, "ts_src")) && ike_ts_parse(v, &k->ts_src)) ||
	    ((v = arg(w, n, "ts_dst")) && ike_ts_parse(v, &k->ts_dst))) {
		snprintf(err, len, "cannot parse %s", v);
		return -1;
	}
	return 0;
}

/* AES-GCM-16 with a 128-bit key: key and salt made from the SPI, so that
 * both ends of the test compute the same SA on their own.  Test keys only. */
static void test_keys(struct ike_kernel *k)
{
	k->encr_id = IKEV2_ENCR_AES_GCM_16;
	k->encr_bits = 128;
	k->enc_key_len = 20;
	for (unsigned i = 0; i < k->enc_key_len; i++)
		k->enc_key[i] = (uint8_t)((k->spi >> (8 * (i % 4))) + 17 * i);
	k->life_seconds = 3600;
}

static int got_acquire;

static void on_event(void *a, const struct kernel_event *ev)
{
	char *out = a, s[96], d[96], es[INET6_ADDRSTRLEN], ed[INET6_ADDRSTRLEN];

	if (ev->kind != KERNEL_EV_ACQUIRE || got_acquire)
		return;
	ike_ts_format(&ev->ts_src, s, sizeof(s));
	ike_ts_format(&ev->ts_dst, d, sizeof(d));
	inet_ntop(ev->src.family == 6 ? AF_INET6 : AF_INET, ev->src.addr, es, sizeof(es));
	inet_ntop(ev->dst.family == 6 ? AF_INET6 : AF_INET, ev->dst.addr, ed, sizeof(ed));
	snprintf(out, 512, "ok acquire reqid %u %s -> %s sa %s -> %s", ev->reqid, s, d, es, ed);
	got_acquire = 1;
}

static void wait_acquire(unsigned ms, char *out)
{
	int fd = ops->event_fd(ctx);

	got_acquire = 0;
	snprintf(out, 512, "error: no ACQUIRE within %u ms", ms);
	for (unsigned t = 0; t < ms && !got_acquire && fd >= 0; t += 50) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		if (poll(&pf, 1, 50) > 0)
			ops->read_events(ctx, on_event, out);
	}
}

static void send_udp(char **w, int n, char *out)
{
	struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET };
	const char *a = arg(w, n, "src"), *b = arg(w, n, "dst");
	int s = socket(AF_INET, SOCK_DGRAM, 0), mark = (int)num(w, n, "mark");

	if (s >= 0 && mark)
		(void)setsockopt(s, SOL_SOCKET, SO_MARK, &mark, sizeof(mark));
	dst.sin_port = htons((uint16_t)num(w, n, "port"));
	if (s < 0 || !a || !b || inet_pton(AF_INET, a, &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, b, &dst.sin_addr) != 1 ||
	    bind(s, (struct sockaddr *)&src, sizeof(src)) < 0)
		snprintf(out, 512, "error: udp needs src=, dst= (IPv4, src local) and port=");
	else {
		(void)sendto(s, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&dst, sizeof(dst));
		snprintf(out, 512, "ok");
	}
	if (s >= 0)
		close(s);
}

static void command(char **w, int n, char *out)
{
	struct ike_kernel k;
	char err[400];
	int rc = 0;

	snprintf(out, 512, "ok");
	if (n >= 2 && (!strcmp(w[0], "sa") || !strcmp(w[0], "policy"))) {
		bool add = !strcmp(w[1], "add");

		if (action(w + 2, n - 2, &k, err, sizeof(err)))
			rc = -1;
		else if (!strcmp(w[0], "sa")) {
			test_keys(&k);
			rc = add ? ops->add_sa(ctx, &k, err, sizeof(err)) :
				ops->del_sa(ctx, &k, err, sizeof(err));
		} else {
			rc = add ? ops->add_policy(ctx, &k, err, sizeof(err)) :
				ops->del_policy(ctx, &k, err, sizeof(err));
		}
	} else if (n >= 1 && !strcmp(w[0], "spi")) {
		uint32_t spi;

		rc = action(w + 1, n - 1, &k, err, sizeof(err));
		if (!rc)
			rc = ops->get_spi(ctx, &k, &spi, err, sizeof(err));
		if (!rc)
			snprintf(out, 512, "ok spi %08x", spi);
	} else if (n >= 1 && !strcmp(w[0], "stats")) {
		struct kernel_sa_stats st;

		rc = action(w + 1, n - 1, &k, err, sizeof(err));
		if (!rc)
			rc = ops->sa_stats(ctx, &k, &st, err, sizeof(err));
		if (!rc)
			snprintf(out, 512, "ok bytes %llu packets %llu add_time %llu use_time %llu",
				 (unsigned long long)st.bytes, (unsigned long long)st.packets,
				 (unsigned long long)st.add_time, (unsigned long long)st.use_time);
	} else if (n >= 1 && !strcmp(w[0], "udp")) {
		send_udp(w + 1, n - 1, out);
	} else if (n >= 1 && !strcmp(w[0], "acquire")) {
		unsigned long ms = num(w + 1, n - 1, "ms");

		wait_acquire(ms ? (unsigned)ms : 5000, out);
	} else if (n >= 1 && !strcmp(w[0], "list")) {
		json_object *j = ops->list(ctx);

		snprintf(out, 4096, "ok %s", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
		json_object_put(j);
	} else {
		snprintf(err, sizeof(err), "unknown command");
		rc = -1;
	}
	if (rc)
		snprintf(out, 512, "error: %s", err);
}

int main(void)
{
	struct conf_kernel cfg = { .backend = (char *)"xfrm" };
	char line[1024], out[4096], err[256];

	log_set_level(LOG_KERNEL, LVL_DEBUG);
	ctx = ops->open(&cfg, err, sizeof(err));
	if (!ctx) {
		printf("error: open: %s\n", err);
		return 1;
	}
	printf("ok open\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		char *w[32], *save = NULL;
		int n = 0;

		for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 32;
		     t = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = t;
		if (n == 0)
			continue;
		if (!strcmp(w[0], "quit"))
			break;
		command(w, n, out);
		printf("%s\n", out);
		fflush(stdout);
	}
	ops->close(ctx);
	printf("ok closed\n");
	return 0;
}
