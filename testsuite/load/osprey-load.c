/* osprey-load: an IKEv2 load generator built on osprey's own engine.
 *
 * Three modes:
 *
 *   osprey-load [options] HOST[:PORT]      (default: initiator over UDP)
 *     One engine (inline crypto, this thread) initiates N IKE SAs, each with
 *     one CHILD SA, from one source address and port (the responder tells
 *     them apart by SPI), at a target rate with at most -c half-open at a
 *     time.  Kernel actions are answered locally (SPIs from a counter, SAs
 *     and policies only counted).  Prints established / failed (by reason) /
 *     elapsed / SAs per second / setup latency, its own CPU time, and with
 *     --pid the responder's CPU time (utime+stime, /proc/PID/stat) and
 *     resident memory (VmRSS, /proc/PID/status) before and after.
 *
 *   osprey-load --serve [options] ADDR[:PORT]
 *     A responder: one engine (inline crypto, one thread) over UDP, kernel
 *     actions answered locally.  It is NOT ospreyd: it is the engine alone
 *     with a minimal socket loop, for profiling (perf record -p) and as a
 *     stand-in when ospreyd cannot drive the engine yet.  SIGUSR1 prints the
 *     engine's counts and memory; SIGTERM prints them and exits.
 *
 *   osprey-load --inproc [options]
 *     Two engines in one process, datagrams handed over in memory (as
 *     testsuite/engine/sim.c does), no sockets.  The responder's CPU time is
 *     measured with the thread CPU clock around its calls only, and its
 *     memory with the engine's own accounting (ike_engine_memory).
 *
 * Safety: datagrams go only to 127.0.0.0/8, or to any address when this
 * process runs in a network namespace other than PID 1's (one the harness
 * made).  IPv4 only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ike_names.h"
#include "ikev2/engine.h"

/* ---- options ---- */

static struct {
	unsigned long n;
	double rate;          /* SAs per second, 0: unlimited */
	unsigned long conc;   /* max half-open */
	const char *proposal, *esp, *psk, *id, *remote_id;
	const char *ts_local, *ts_remote;
	double timeout;       /* seconds per SA */
	double run_timeout;   /* seconds for the whole run, 0: none */
	const char *target;   /* HOST[:PORT] */
	const char *bind_addr;
	uint16_t local_port, natt_port;
	long pid;
	int mode;             /* 0 initiate, 1 serve, 2 inproc */
	bool verbose;
	double settle;        /* seconds to wait before the "after" sample */
} opt = {
	.n = 1000, .rate = 500, .conc = 100,
	.proposal = "aes128gcm16-prfsha256-x25519", .esp = "aes128gcm16",
	.psk = "osprey-load-psk-not-secret", .id = "load.osprey.test", .remote_id = NULL,
	.ts_local = "10.201.0.1/32", .ts_remote = "10.202.0.0/16",
	.timeout = 30, .run_timeout = 0, .local_port = 500, .natt_port = 4500, .pid = 0,
	.settle = 0.5,
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: osprey-load [options] HOST[:PORT]     initiate N IKE SAs against a responder\n"
"       osprey-load --serve [options] ADDR[:PORT]  engine-only responder over UDP\n"
"       osprey-load --inproc [options]        both engines in process, no sockets\n"
"\n"
"  -n N               IKE SAs to open, each with one CHILD SA (1000)\n"
"  -r RATE            target SAs started per second, 0 = unlimited (500)\n"
"  -c N               at most N half-open SAs at a time (100)\n"
"  --proposal P       IKE proposal (aes128gcm16-prfsha256-x25519)\n"
"  --esp P            ESP proposal (aes128gcm16)\n"
"  --psk SECRET       pre-shared key\n"
"  --id ID            our identity (load.osprey.test)\n"
"  --remote-id ID     identity required of the peer (any)\n"
"  --ts-local TS      initiator's TS (10.201.0.1/32); --serve/--inproc: remote TS\n"
"  --ts-remote TS     responder's TS (10.202.0.0/16)\n"
"  --timeout SEC      an SA not up by then counts as failed (30)\n"
"  --run-timeout SEC  stop the whole run after SEC (none)\n"
"  --bind ADDR        local address (0.0.0.0)\n"
"  --port P           local IKE port (500); --natt-port P (4500)\n"
"  --pid PID          the responder's process: CPU time and VmRSS before/after\n"
"  --settle SEC       wait before the 'after' sample (0.5)\n"
"  -v                 print engine log lines\n");
}

/* ---- small helpers ---- */

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long self_rss_kib(void);

struct proc_sample {
	bool ok;
	double utime, stime; /* seconds */
	long rss_kib;
	int threads;
};

static void sample_proc(long pid, struct proc_sample *s)
{
	char path[64], buf[4096], *p;
	FILE *f;
	size_t len;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = 0;
	p = strrchr(buf, ')'); /* comm may hold spaces */
	if (!p)
		return;
	{
		unsigned long long ut = 0, st = 0;
		long thr = 0;
		/* after ')': state(3) ppid pgrp session tty tpgid flags minflt
		 * cminflt majflt cmajflt utime(14) stime(15) cutime cstime
		 * priority nice num_threads(20) */
		if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %ld",
			   &ut, &st, &thr) != 3)
			return;
		long hz = sysconf(_SC_CLK_TCK);
		s->utime = (double)ut / (double)hz;
		s->stime = (double)st / (double)hz;
		s->threads = (int)thr;
	}
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "VmRSS:", 6))
			s->rss_kib = strtol(buf + 6, NULL, 10);
	fclose(f);
	s->ok = true;
}

static long self_rss_kib(void)
{
	struct proc_sample s;
	sample_proc((long)getpid(), &s);
	return s.rss_kib;
}

/* Are we inside a named network namespace (`ip netns add`, as the harness
 * makes them)?  /proc/1/ns/net may be unreadable in containers, so compare
 * with the namespaces under /run/netns. */
static bool in_private_netns(void)
{
	struct stat self, st;
	DIR *d;
	struct dirent *de;
	bool found = false;

	if (stat("/proc/self/ns/net", &self) != 0)
		return false;
	if (stat("/proc/1/ns/net", &st) == 0 && (st.st_ino != self.st_ino || st.st_dev != self.st_dev))
		return true;
	d = opendir("/run/netns");
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char path[300];
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		found = stat(path, &st) == 0 && st.st_ino == self.st_ino && st.st_dev == self.st_dev;
	}
	closedir(d);
	return found;
}

static int parse_hostport(const char *s, uint16_t defport, struct ike_endpoint *ep)
{
	char buf[128], *c;
	unsigned long port = defport;

	snprintf(buf, sizeof(buf), "%s", s);
	c = strrchr(buf, ':');
	if (c) {
		*c = 0;
		port = strtoul(c + 1, NULL, 10);
		if (!port || port > 65535)
			return -1;
	}
	if (ike_endpoint_parse(buf, (uint16_t)port, ep) != 0 || ep->family != 4)
		return -1;
	return 0;
}

static void ep_to_sin(const struct ike_endpoint *ep, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(ep->port);
	memcpy(&sin->sin_addr, ep->addr, 4);
}

static void sin_to_ep(const struct sockaddr_in *sin, struct ike_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = 4;
	ep->port = ntohs(sin->sin_port);
	memcpy(ep->addr, &sin->sin_addr, 4);
}

static int udp_socket(const struct ike_endpoint *local)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int sz = 8 << 20, one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	ep_to_sin(local, &sin);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- conns ---- */

static void die(const char *what, const char *why)
{
	fprintf(stderr, "osprey-load: %s: %s\n", what, why);
	exit(2);
}

static void make_conn(struct ike_conn *c, bool initiator, const struct ike_endpoint *local,
		      const struct ike_endpoint *remote)
{
	char err[256];
	struct ike_child_cfg *ch;

	ike_conn_init(c, initiator ? "load" : "load-resp");
	if (local)
		c->local = *local;
	if (remote)
		c->remote = *remote;
	c->psk = (const uint8_t *)opt.psk;
	c->psk_len = strlen(opt.psk);
	c->initial_contact = false; /* it would make the responder drop our other SAs */
	if (initiator && opt.id && oc_id_from_string(opt.id, &c->local_id) != 0)
		die("--id", opt.id);
	if (initiator && opt.remote_id && oc_id_from_string(opt.remote_id, &c->remote_id) != 0)
		die("--remote-id", opt.remote_id);
	if (ike_conn_add_ike_proposal(c, opt.proposal, err, sizeof(err)) != 0)
		die("--proposal", err);
	ch = ike_conn_add_child(c, "net");
	if (ike_child_add_esp_proposal(ch, opt.esp, err, sizeof(err)) != 0)
		die("--esp", err);
	if (ike_ts_add(ch, true, initiator ? opt.ts_local : opt.ts_remote) != 0 ||
	    ike_ts_add(ch, false, initiator ? opt.ts_remote : opt.ts_local) != 0)
		die("traffic selectors", "cannot parse");
	if (!initiator)
		c->half_open_ms = (uint32_t)(opt.timeout * 1000);
}

static struct ike_engine *make_engine(bool responder)
{
	struct ike_engine_cfg cfg;

	ike_engine_cfg_init(&cfg);
	cfg.inline_crypto = true;
	cfg.natt_port = opt.natt_port;
	if (responder) {
		cfg.cookie_threshold = UINT32_MAX; /* the load comes from one address */
		cfg.max_half_open = 1000000;
	}
	return ike_engine_new(&cfg);
}

/* ---- per-SA bookkeeping (initiator) ---- */

enum { ST_PENDING, ST_IKE_UP, ST_DONE, ST_FAILED };

struct sa_rec {
	uint64_t uid;
	double start;
	uint8_t st;
};

static struct sa_rec *recs;
static uint32_t *uid_tab; /* open addressing: index + 1 */
static size_t uid_mask;
static unsigned long n_started, n_up, n_failed, n_halfopen;
static double *lat; /* setup latencies of established SAs */

struct reason { char text[80]; unsigned long count; };
static struct reason reasons[32];
static unsigned n_reasons;

static void add_reason(const char *text)
{
	for (unsigned i = 0; i < n_reasons; i++)
		if (!strcmp(reasons[i].text, text)) {
			reasons[i].count++;
			return;
		}
	if (n_reasons < 32) {
		snprintf(reasons[n_reasons].text, sizeof(reasons[0].text), "%s", text);
		reasons[n_reasons++].count = 1;
	} else {
		reasons[31].count++;
	}
}

static void uid_put(uint64_t uid, uint32_t idx)
{
	size_t h = (size_t)(uid * 0x9e3779b97f4a7c15ULL) & uid_mask;
	while (uid_tab[h])
		h = (h + 1) & uid_mask;
	uid_tab[h] = idx + 1;
}

static struct sa_rec *uid_get(uint64_t uid)
{
	size_t h = (size_t)(uid * 0x9e3779b97f4a7c15ULL) & uid_mask;
	while (uid_tab[h]) {
		if (recs[uid_tab[h] - 1].uid == uid)
			return &recs[uid_tab[h] - 1];
		h = (h + 1) & uid_mask;
	}
	return NULL;
}

static void rec_fail(struct sa_rec *r, const char *why)
{
	if (r->st == ST_DONE || r->st == ST_FAILED)
		return;
	if (r->st == ST_PENDING)
		n_halfopen--;
	r->st = ST_FAILED;
	n_failed++;
	add_reason(why);
}

static void reason_of(const struct ike_event *ev, const char *prefix, char *buf, size_t len)
{
	if (ev->notify) {
		const char *nm = ikev2_notify_name(ev->notify);
		snprintf(buf, len, "%s%s", prefix, nm ? nm : "notify");
		return;
	}
	/* Drop numbers so one reason stays one line. */
	char t[64];
	size_t k = 0;
	for (const char *p = ev->text; *p && k < sizeof(t) - 1; p++)
		if (!(*p >= '0' && *p <= '9'))
			t[k++] = *p;
	t[k] = 0;
	snprintf(buf, len, "%s%s", prefix, t);
}

static unsigned long k_spis, k_add_sa, k_policies;
static uint32_t next_spi = 0x10000;

static void on_event(const struct ike_event *ev, double now)
{
	struct sa_rec *r = ev->ike_uid ? uid_get(ev->ike_uid) : NULL;
	char why[96];

	if (opt.verbose)
		fprintf(stderr, "[%" PRIu64 "] %s\n", ev->ike_uid, ev->text);
	if (!r)
		return;
	switch (ev->kind) {
	case IKE_EV_IKE_UP:
		if (r->st == ST_PENDING) {
			r->st = ST_IKE_UP;
			n_halfopen--;
		}
		break;
	case IKE_EV_CHILD_UP:
		if (r->st == ST_PENDING)
			n_halfopen--;
		if (r->st == ST_PENDING || r->st == ST_IKE_UP) {
			r->st = ST_DONE;
			lat[n_up++] = now - r->start;
		}
		break;
	case IKE_EV_CHILD_FAILED:
		reason_of(ev, "CHILD_SA: ", why, sizeof(why));
		rec_fail(r, why);
		break;
	case IKE_EV_IKE_FAILED:
		reason_of(ev, "IKE_SA: ", why, sizeof(why));
		rec_fail(r, why);
		break;
	case IKE_EV_IKE_DOWN:
		rec_fail(r, "IKE_SA down before its CHILD_SA");
		break;
	default:
		break;
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---- initiator over UDP ---- */

static int fd500 = -1, fd4500 = -1;
static unsigned long n_sent, n_recv, n_send_err;

static void drain(struct ike_engine *e, double now)
{
	struct ike_out *o;

	while ((o = ike_engine_poll(e))) {
		switch (o->kind) {
		case IKE_OUT_SEND: {
			struct sockaddr_in sin;
			int fd = o->u.send.local.port == opt.natt_port ? fd4500 : fd500;
			ep_to_sin(&o->u.send.remote, &sin);
			if (sendto(fd, o->u.send.data, o->u.send.len, 0, (struct sockaddr *)&sin,
				   sizeof(sin)) < 0)
				n_send_err++;
			else
				n_sent++;
			break;
		}
		case IKE_OUT_KERNEL:
			switch (o->u.kernel.op) {
			case IKE_KERNEL_GET_SPI:
				k_spis++;
				ike_engine_kernel_spi(e, (uint64_t)(now * 1000), o->u.kernel.req,
						      0xc0000000u | next_spi++);
				break;
			case IKE_KERNEL_ADD_SA: k_add_sa++; break;
			case IKE_KERNEL_ADD_POLICY: k_policies++; break;
			default: break;
			}
			break;
		case IKE_OUT_JOB: /* not with inline crypto; run it anyway */
			ike_job_run(o->u.job);
			ike_engine_job_done(e, (uint64_t)(now * 1000), o->u.job);
			break;
		case IKE_OUT_EVENT:
			on_event(&o->u.event, now);
			break;
		}
		ike_out_free(o);
	}
}

static void recv_all(struct ike_engine *e, int fd, const struct ike_endpoint *local_tpl)
{
	uint8_t buf[9000];

	for (int k = 0; k < 256; k++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t len = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		struct ike_endpoint remote;
		if (len < 0)
			return;
		n_recv++;
		sin_to_ep(&from, &remote);
		double now = mono_s();
		ike_engine_recv(e, (uint64_t)(now * 1000), local_tpl, &remote, buf, (size_t)len);
		drain(e, now);
	}
}

static void print_proc_delta(const char *who, const struct proc_sample *a, const struct proc_sample *b,
			     unsigned long n)
{
	double cpu = (b->utime + b->stime) - (a->utime + a->stime);
	long rss = b->rss_kib - a->rss_kib;

	printf("%s CPU:        %.2f s (user %.2f, sys %.2f)\n", who, cpu, b->utime - a->utime,
	       b->stime - a->stime);
	printf("%s RSS:        %ld KiB -> %ld KiB (+%ld KiB), %d threads\n", who, a->rss_kib,
	       b->rss_kib, rss, b->threads);
	if (n) {
		printf("%s CPU per SA: %.0f us\n", who, cpu * 1e6 / (double)n);
		printf("%s RSS per SA: %.0f bytes (%.2f KiB)\n", who, (double)rss * 1024.0 / (double)n,
		       (double)rss / (double)n);
	}
}

static void report(double elapsed, double cpu_self, long rss_self0)
{
	printf("established:         %lu of %lu (IKE_SA + CHILD_SA)\n", n_up, opt.n);
	printf("failed:              %lu\n", n_failed);
	for (unsigned i = 0; i < n_reasons; i++)
		printf("  %-40s %lu\n", reasons[i].text, reasons[i].count);
	if (n_started > n_up + n_failed)
		printf("  %-40s %lu\n", "unfinished at end of run", n_started - n_up - n_failed);
	if (n_started < opt.n)
		printf("  %-40s %lu\n", "never started", opt.n - n_started);
	printf("elapsed:             %.2f s\n", elapsed);
	printf("rate:                %.1f established SAs/s (target %s%.0f/s, concurrency %lu)\n",
	       elapsed > 0 ? (double)n_up / elapsed : 0.0, opt.rate > 0 ? "" : "unlimited ",
	       opt.rate, opt.conc);
	if (n_up) {
		qsort(lat, n_up, sizeof(lat[0]), cmp_d);
		printf("setup latency:       p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
		       lat[n_up / 2] * 1e3, lat[n_up * 9 / 10] * 1e3, lat[n_up * 99 / 100] * 1e3,
		       lat[n_up - 1] * 1e3);
	}
	printf("datagrams:           %lu sent, %lu received, %lu send errors\n", n_sent, n_recv,
	       n_send_err);
	printf("load tool CPU:       %.2f s = %.0f%% of one core%s; RSS %ld -> %ld KiB\n", cpu_self,
	       elapsed > 0 ? 100.0 * cpu_self / elapsed : 0.0,
	       elapsed > 0 && cpu_self / elapsed > 0.9 ? " (SATURATED: the tool may be the bottleneck)" : "",
	       rss_self0, self_rss_kib());
}

/* The responder's CPU per SA in tenths of the run: shows whether its cost
 * grows with the number of SAs it holds. */
enum { SLICES = 10 };
static struct proc_sample slice_at[SLICES + 1];
static unsigned long slice_up[SLICES + 1];
static unsigned n_slices;

static void slice_check(void)
{
	unsigned long step = opt.n / SLICES;

	if (!opt.pid || !step || n_slices > SLICES)
		return;
	if (n_up >= step * n_slices) {
		sample_proc(opt.pid, &slice_at[n_slices]);
		slice_up[n_slices++] = n_up;
	}
}

static void print_slices(void)
{
	if (n_slices < 2)
		return;
	printf("responder CPU per SA by tenth of the run (us):");
	for (unsigned i = 1; i < n_slices; i++) {
		double cpu = slice_at[i].utime + slice_at[i].stime - slice_at[i - 1].utime -
			     slice_at[i - 1].stime;
		unsigned long k = slice_up[i] - slice_up[i - 1];
		printf(" %.0f", k ? cpu * 1e6 / (double)k : 0.0);
	}
	printf("\n");
}

static int run_initiator(void)
{
	struct ike_endpoint target, local = { 0 }, local_natt;
	struct ike_conn conn;
	struct ike_engine *e;
	struct proc_sample before, after;
	double t0, tend, cpu0, last_scan = 0;
	long rss_self0;

	if (!opt.target || parse_hostport(opt.target, 500, &target) != 0)
		die("target", "need an IPv4 HOST[:PORT]");
	if (target.addr[0] != 127 && !in_private_netns())
		die("target", "only 127.0.0.0/8, unless run inside a network namespace made for the test");
	if (ike_endpoint_parse(opt.bind_addr ? opt.bind_addr : "0.0.0.0", opt.local_port, &local) != 0)
		die("--bind", "bad address");
	local_natt = local;
	local_natt.port = opt.natt_port;
	fd500 = udp_socket(&local);
	fd4500 = udp_socket(&local_natt);
	if (fd500 < 0 || fd4500 < 0)
		die("bind", strerror(errno));
	/* The conn's local address: the one the kernel picks for the target. */
	{
		struct sockaddr_in sin, me;
		socklen_t ml = sizeof(me);
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		ep_to_sin(&target, &sin);
		if (s < 0 || connect(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
		    getsockname(s, (struct sockaddr *)&me, &ml) != 0)
			die("route to target", strerror(errno));
		close(s);
		memcpy(local.addr, &me.sin_addr, 4);
		memcpy(local_natt.addr, &me.sin_addr, 4);
	}
	make_conn(&conn, true, &local, &target);
	e = make_engine(false);
	if (ike_engine_add_conn(e, &conn) != 0)
		die("engine", "add conn");

	recs = calloc(opt.n, sizeof(*recs));
	lat = calloc(opt.n, sizeof(*lat));
	for (uid_mask = 1; uid_mask < opt.n * 2; uid_mask <<= 1)
		;
	uid_tab = calloc(uid_mask, sizeof(*uid_tab));
	uid_mask--;
	if (!recs || !lat || !uid_tab)
		die("memory", "out of memory");

	if (opt.pid)
		sample_proc(opt.pid, &before);
	if (opt.pid && !before.ok)
		die("--pid", "cannot read /proc/PID");
	rss_self0 = self_rss_kib();
	cpu0 = self_cpu_s();
	t0 = mono_s();
	tend = opt.run_timeout > 0 ? t0 + opt.run_timeout : 1e300;

	for (;;) {
		double now = mono_s();
		slice_check();
		if (n_up + n_failed >= opt.n || now >= tend)
			break;
		/* start new SAs */
		while (n_started < opt.n && n_halfopen < opt.conc &&
		       (opt.rate <= 0 || now >= t0 + (double)n_started / opt.rate)) {
			struct sa_rec *r = &recs[n_started];
			r->start = now;
			r->st = ST_PENDING;
			r->uid = ike_engine_initiate(e, (uint64_t)(now * 1000), &conn);
			n_halfopen++;
			if (!r->uid) {
				n_started++;
				rec_fail(r, "initiate failed");
				continue;
			}
			uid_put(r->uid, (uint32_t)n_started);
			n_started++;
			drain(e, now);
		}
		/* per-SA timeouts, every 100 ms */
		if (now - last_scan > 0.1) {
			last_scan = now;
			for (unsigned long i = 0; i < n_started; i++) {
				struct sa_rec *r = &recs[i];
				if ((r->st == ST_PENDING || r->st == ST_IKE_UP) && now - r->start > opt.timeout) {
					rec_fail(r, r->st == ST_PENDING ? "timeout (no IKE_SA)" : "timeout (no CHILD_SA)");
					ike_engine_delete_ike(e, (uint64_t)(now * 1000), r->uid);
					drain(e, now);
				}
			}
		}
		/* wait */
		double wake = now + 0.05;
		if (n_started < opt.n && n_halfopen < opt.conc && opt.rate > 0 &&
		    t0 + (double)n_started / opt.rate < wake)
			wake = t0 + (double)n_started / opt.rate;
		uint64_t nt = ike_engine_next_timer(e);
		if (nt != UINT64_MAX && (double)nt / 1000.0 < wake)
			wake = (double)nt / 1000.0;
		int ms = (int)((wake - now) * 1000.0);
		if (ms < 0)
			ms = 0;
		struct pollfd pf[2] = { { fd500, POLLIN, 0 }, { fd4500, POLLIN, 0 } };
		if (poll(pf, 2, ms) > 0) {
			if (pf[0].revents & POLLIN)
				recv_all(e, fd500, &local);
			if (pf[1].revents & POLLIN)
				recv_all(e, fd4500, &local_natt);
		}
		now = mono_s();
		if (ike_engine_next_timer(e) <= (uint64_t)(now * 1000)) {
			ike_engine_tick(e, (uint64_t)(now * 1000));
			drain(e, now);
		}
	}
	double elapsed = mono_s() - t0;
	double cpu_self = self_cpu_s() - cpu0;

	if (opt.pid) {
		if (opt.settle > 0)
			usleep((useconds_t)(opt.settle * 1e6));
		sample_proc(opt.pid, &after);
	}
	printf("osprey-load: %lu IKE SAs against %s, proposal %s, ESP %s, PSK, id %s\n", opt.n,
	       opt.target, opt.proposal, opt.esp, opt.id);
	report(elapsed, cpu_self, rss_self0);
	printf("local kernel stubs:  %lu SPIs, %lu SAs, %lu policies\n", k_spis, k_add_sa, k_policies);
	if (opt.pid) {
		if (after.ok) {
			print_proc_delta("responder", &before, &after, n_up);
			print_slices();
		}
		else
			printf("responder: process %ld gone before the 'after' sample\n", opt.pid);
	}
	/* The SAs stay up on the responder; we vanish without deleting. */
	ike_engine_free(e);
	return n_up == opt.n ? 0 : 1;
}

/* ---- responder over UDP (--serve) ---- */

static volatile sig_atomic_t got_usr1, got_term;
static void on_sig(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static unsigned long s_up, s_child_up, s_failed;

static void serve_drain(struct ike_engine *e, uint64_t now)
{
	struct ike_out *o;

	while ((o = ike_engine_poll(e))) {
		switch (o->kind) {
		case IKE_OUT_SEND: {
			struct sockaddr_in sin;
			int fd = o->u.send.local.port == opt.natt_port ? fd4500 : fd500;
			ep_to_sin(&o->u.send.remote, &sin);
			if (sendto(fd, o->u.send.data, o->u.send.len, 0, (struct sockaddr *)&sin,
				   sizeof(sin)) < 0)
				n_send_err++;
			else
				n_sent++;
			break;
		}
		case IKE_OUT_KERNEL:
			if (o->u.kernel.op == IKE_KERNEL_GET_SPI)
				ike_engine_kernel_spi(e, now, o->u.kernel.req, 0xc0000000u | next_spi++);
			break;
		case IKE_OUT_JOB:
			ike_job_run(o->u.job);
			ike_engine_job_done(e, now, o->u.job);
			break;
		case IKE_OUT_EVENT:
			if (opt.verbose)
				fprintf(stderr, "[%" PRIu64 "] %s\n", o->u.event.ike_uid, o->u.event.text);
			if (o->u.event.kind == IKE_EV_IKE_UP)
				s_up++;
			else if (o->u.event.kind == IKE_EV_CHILD_UP)
				s_child_up++;
			else if (o->u.event.kind == IKE_EV_IKE_FAILED || o->u.event.kind == IKE_EV_CHILD_FAILED)
				s_failed++;
			break;
		}
		ike_out_free(o);
	}
}

static void serve_report(struct ike_engine *e)
{
	size_t n = ike_engine_sa_count(e), mem = ike_engine_memory(e);
	fprintf(stderr,
		"osprey-load --serve: %zu IKE SAs (%lu up, %lu CHILD up, %lu failed), engine memory %zu bytes"
		" = %.0f bytes per IKE SA + CHILD SA; sizeof ike_sa %zu, ike_child %zu; VmRSS %ld KiB\n",
		n, s_up, s_child_up, s_failed, mem, n ? (double)mem / (double)n : 0.0,
		ike_engine_sizeof_sa(), ike_engine_sizeof_child(), self_rss_kib());
}

static int run_serve(void)
{
	struct ike_endpoint local, local_natt;
	struct ike_conn conn;
	struct ike_engine *e;
	struct sigaction sa = { .sa_handler = on_sig };

	if (!opt.target || parse_hostport(opt.target, opt.local_port, &local) != 0)
		die("--serve", "need an IPv4 ADDR[:PORT]");
	if (local.addr[0] != 127 && !in_private_netns())
		die("--serve", "only 127.0.0.0/8, unless run inside a network namespace made for the test");
	local_natt = local;
	local_natt.port = opt.natt_port;
	fd500 = udp_socket(&local);
	fd4500 = udp_socket(&local_natt);
	if (fd500 < 0 || fd4500 < 0)
		die("bind", strerror(errno));
	make_conn(&conn, false, NULL, NULL);
	e = make_engine(true);
	if (ike_engine_add_conn(e, &conn) != 0)
		die("engine", "add conn");
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "osprey-load --serve: listening on %s (NAT-T port %u), pid %ld\n", opt.target,
		opt.natt_port, (long)getpid());
	while (!got_term) {
		uint64_t now = mono_ms(), nt = ike_engine_next_timer(e);
		int ms = 1000;
		if (nt != UINT64_MAX)
			ms = nt <= now ? 0 : (nt - now < 1000 ? (int)(nt - now) : 1000);
		struct pollfd pf[2] = { { fd500, POLLIN, 0 }, { fd4500, POLLIN, 0 } };
		if (poll(pf, 2, ms) > 0) {
			for (int i = 0; i < 2; i++) {
				if (!(pf[i].revents & POLLIN))
					continue;
				for (int k = 0; k < 256; k++) {
					uint8_t buf[9000];
					struct sockaddr_in from;
					socklen_t fl = sizeof(from);
					struct ike_endpoint remote;
					ssize_t len = recvfrom(pf[i].fd, buf, sizeof(buf), 0,
							       (struct sockaddr *)&from, &fl);
					if (len < 0)
						break;
					sin_to_ep(&from, &remote);
					now = mono_ms();
					ike_engine_recv(e, now, i ? &local_natt : &local, &remote, buf,
							(size_t)len);
					serve_drain(e, now);
				}
			}
		}
		now = mono_ms();
		if (ike_engine_next_timer(e) <= now) {
			ike_engine_tick(e, now);
			serve_drain(e, now);
		}
		if (got_usr1) {
			got_usr1 = 0;
			serve_report(e);
		}
	}
	serve_report(e);
	ike_engine_free(e);
	return 0;
}

/* ---- both engines in process (--inproc) ---- */

struct pkt {
	struct pkt *next;
	struct ike_endpoint src, dst;
	size_t len;
	uint8_t data[];
};

struct pq { struct pkt *head, **tail; };

static void pq_push(struct pq *q, const struct ike_out *o)
{
	struct pkt *p = malloc(sizeof(*p) + o->u.send.len);
	if (!p)
		die("memory", "out of memory");
	p->next = NULL;
	p->src = o->u.send.local;
	p->dst = o->u.send.remote;
	p->len = o->u.send.len;
	memcpy(p->data, o->u.send.data, p->len);
	*q->tail = p;
	q->tail = &p->next;
}

static struct pkt *pq_pop(struct pq *q)
{
	struct pkt *p = q->head;
	if (p) {
		q->head = p->next;
		if (!q->head)
			q->tail = &q->head;
	}
	return p;
}

static void inproc_drain(struct ike_engine *e, struct pq *out, uint64_t now, bool initiator)
{
	struct ike_out *o;

	while ((o = ike_engine_poll(e))) {
		switch (o->kind) {
		case IKE_OUT_SEND:
			pq_push(out, o);
			break;
		case IKE_OUT_KERNEL:
			if (o->u.kernel.op == IKE_KERNEL_GET_SPI)
				ike_engine_kernel_spi(e, now, o->u.kernel.req, 0xc0000000u | next_spi++);
			break;
		case IKE_OUT_JOB:
			ike_job_run(o->u.job);
			ike_engine_job_done(e, now, o->u.job);
			break;
		case IKE_OUT_EVENT:
			if (opt.verbose)
				fprintf(stderr, "[%c %" PRIu64 "] %s\n", initiator ? 'i' : 'r',
					o->u.event.ike_uid, o->u.event.text);
			if (initiator)
				on_event(&o->u.event, (double)now / 1000.0);
			else if (o->u.event.kind == IKE_EV_IKE_FAILED ||
				 o->u.event.kind == IKE_EV_CHILD_FAILED)
				s_failed++;
			else if (o->u.event.kind == IKE_EV_CHILD_UP)
				s_child_up++;
			break;
		}
		ike_out_free(o);
	}
}

static int run_inproc(void)
{
	struct ike_endpoint ia, ra;
	struct ike_conn ic, rc;
	struct ike_engine *ei, *er;
	struct pq to_r = { NULL, &to_r.head }, to_i = { NULL, &to_i.head };
	uint64_t now = 1000000;
	double resp_cpu = 0, t0, cpu0;
	long rss0;

	ike_endpoint_parse("192.0.2.1", 500, &ia);
	ike_endpoint_parse("192.0.2.2", 500, &ra);
	make_conn(&ic, true, &ia, &ra);
	make_conn(&rc, false, NULL, NULL);
	ei = make_engine(false);
	er = make_engine(true);
	ike_engine_add_conn(ei, &ic);
	ike_engine_add_conn(er, &rc);
	recs = calloc(opt.n, sizeof(*recs));
	lat = calloc(opt.n, sizeof(*lat));
	for (uid_mask = 1; uid_mask < opt.n * 2; uid_mask <<= 1)
		;
	uid_tab = calloc(uid_mask, sizeof(*uid_tab));
	uid_mask--;
	rss0 = self_rss_kib();
	cpu0 = self_cpu_s();
	t0 = mono_s();

	while (n_up + n_failed < opt.n) {
		bool any = false;
		now++;
		while (n_started < opt.n && n_halfopen < opt.conc) {
			struct sa_rec *r = &recs[n_started];
			r->start = (double)now / 1000.0;
			r->uid = ike_engine_initiate(ei, now, &ic);
			n_halfopen++;
			if (r->uid)
				uid_put(r->uid, (uint32_t)n_started);
			n_started++;
			if (!r->uid)
				rec_fail(r, "initiate failed");
			inproc_drain(ei, &to_r, now, true);
			any = true;
		}
		struct pkt *p;
		while ((p = pq_pop(&to_r))) {
			double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
			ike_engine_recv(er, now, &p->dst, &p->src, p->data, p->len);
			inproc_drain(er, &to_i, now, false);
			resp_cpu += clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
			free(p);
			any = true;
		}
		while ((p = pq_pop(&to_i))) {
			ike_engine_recv(ei, now, &p->dst, &p->src, p->data, p->len);
			inproc_drain(ei, &to_r, now, true);
			free(p);
			any = true;
		}
		if (!any) {
			fprintf(stderr, "osprey-load --inproc: stalled with %lu half-open\n", n_halfopen);
			break;
		}
	}
	double elapsed = mono_s() - t0, cpu_all = self_cpu_s() - cpu0;
	size_t nr = ike_engine_sa_count(er), mem = ike_engine_memory(er), mem_i = ike_engine_memory(ei);
	size_t mx = 0, mn = SIZE_MAX;
	struct ike_sa_info info;
	for (size_t i = 0; ike_engine_sa_at(er, i, &info) == 0; i++) {
		if (info.memory > mx)
			mx = info.memory;
		if (info.memory < mn)
			mn = info.memory;
	}
	printf("osprey-load --inproc (IN-PROCESS engine pair, no sockets, NOT ospreyd): %lu IKE SAs,"
	       " proposal %s, ESP %s, PSK\n", opt.n, opt.proposal, opt.esp);
	printf("established:         %lu of %lu (IKE_SA + CHILD_SA); responder saw %lu CHILD_SAs up, %lu failures\n",
	       n_up, opt.n, s_child_up, s_failed);
	printf("failed:              %lu\n", n_failed);
	for (unsigned i = 0; i < n_reasons; i++)
		printf("  %-40s %lu\n", reasons[i].text, reasons[i].count);
	printf("elapsed:             %.2f s wall for both sides = %.1f SAs/s (both engines on one thread)\n",
	       elapsed, elapsed > 0 ? (double)n_up / elapsed : 0.0);
	printf("process CPU:         %.2f s (initiator + responder)\n", cpu_all);
	printf("responder CPU:       %.2f s = %.0f us per SA (thread CPU clock around the responder's calls)\n",
	       resp_cpu, n_up ? resp_cpu * 1e6 / (double)n_up : 0.0);
	printf("responder memory:    %zu IKE SAs, engine accounting %zu bytes = %.0f bytes per IKE SA + CHILD SA"
	       " (min %zu, max %zu)\n", nr, mem, nr ? (double)mem / (double)nr : 0.0, mn == SIZE_MAX ? 0 : mn, mx);
	printf("initiator memory:    engine accounting %zu bytes = %.0f bytes per SA\n", mem_i,
	       n_up ? (double)mem_i / (double)n_up : 0.0);
	printf("sizeof:              struct ike_sa %zu, struct ike_child %zu\n", ike_engine_sizeof_sa(),
	       ike_engine_sizeof_child());
	printf("process RSS:         %ld -> %ld KiB (both engines; %.0f bytes per SA pair incl. malloc overhead)\n",
	       rss0, self_rss_kib(), n_up ? (double)(self_rss_kib() - rss0) * 1024.0 / (double)n_up : 0.0);
	ike_engine_free(ei);
	ike_engine_free(er);
	return n_up == opt.n ? 0 : 1;
}

int main(int argc, char **argv)
{
	enum { O_PROP = 256, O_ESP, O_PSK, O_ID, O_RID, O_TSL, O_TSR, O_TMO, O_RTMO, O_BIND, O_PORT,
	       O_NATT, O_PID, O_SERVE, O_INPROC, O_SETTLE };
	static const struct option lo[] = {
		{ "proposal", 1, NULL, O_PROP }, { "esp", 1, NULL, O_ESP }, { "psk", 1, NULL, O_PSK },
		{ "id", 1, NULL, O_ID }, { "remote-id", 1, NULL, O_RID }, { "ts-local", 1, NULL, O_TSL },
		{ "ts-remote", 1, NULL, O_TSR }, { "timeout", 1, NULL, O_TMO },
		{ "run-timeout", 1, NULL, O_RTMO }, { "bind", 1, NULL, O_BIND },
		{ "port", 1, NULL, O_PORT }, { "natt-port", 1, NULL, O_NATT }, { "pid", 1, NULL, O_PID },
		{ "serve", 0, NULL, O_SERVE }, { "inproc", 0, NULL, O_INPROC },
		{ "settle", 1, NULL, O_SETTLE }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:r:c:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'n': opt.n = strtoul(optarg, NULL, 10); break;
		case 'r': opt.rate = strtod(optarg, NULL); break;
		case 'c': opt.conc = strtoul(optarg, NULL, 10); break;
		case 'v': opt.verbose = true; break;
		case O_PROP: opt.proposal = optarg; break;
		case O_ESP: opt.esp = optarg; break;
		case O_PSK: opt.psk = optarg; break;
		case O_ID: opt.id = optarg; break;
		case O_RID: opt.remote_id = optarg; break;
		case O_TSL: opt.ts_local = optarg; break;
		case O_TSR: opt.ts_remote = optarg; break;
		case O_TMO: opt.timeout = strtod(optarg, NULL); break;
		case O_RTMO: opt.run_timeout = strtod(optarg, NULL); break;
		case O_BIND: opt.bind_addr = optarg; break;
		case O_PORT: opt.local_port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case O_NATT: opt.natt_port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case O_PID: opt.pid = strtol(optarg, NULL, 10); break;
		case O_SERVE: opt.mode = 1; break;
		case O_INPROC: opt.mode = 2; break;
		case O_SETTLE: opt.settle = strtod(optarg, NULL); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		opt.target = argv[optind];
	if (!opt.n || !opt.conc || opt.n > 10000000)
		die("-n/-c", "must be positive");
	setvbuf(stdout, NULL, _IOLBF, 0);
	switch (opt.mode) {
	case 1: return run_serve();
	case 2: return run_inproc();
	default: return run_initiator();
	}
}
