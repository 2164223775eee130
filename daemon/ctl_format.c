/* ospreyctl's human-readable output. Tables are plain columns separated by
 * two spaces, so they stay readable in any terminal and in a log. */
#define _GNU_SOURCE
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl_format.h"
#include "util.h"

#define MAX_COLS 10

struct table {
	size_t ncols, nrows;
	char **cells;		/* nrows * ncols */
};

static void table_row(struct table *t, ...)
{
	va_list ap;

	t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
	va_start(ap, t);
	for (size_t i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		t->cells[t->nrows * t->ncols + i] = xstrdup(s ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

static void table_print(struct table *t, FILE *out)
{
	size_t w[MAX_COLS] = { 0 };

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);

			if (l > w[c])
				w[c] = l;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		size_t last = t->ncols;

		while (last > 1 && !*t->cells[r * t->ncols + last - 1])
			last--;
		for (size_t c = 0; c < last; c++)
			fprintf(out, c + 1 < last ? "%-*s  " : "%-*s", c + 1 < last ? (int)w[c] : 0,
				t->cells[r * t->ncols + c]);
		fputc('\n', out);
	}
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *gs(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static int64_t gi(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v ? json_object_get_int64(v) : 0;
}

static size_t alen(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* The strings of array a joined with sep. */
static void join(json_object *a, const char *sep, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < alen(a); i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? sep : "",
			 json_object_get_string(json_object_array_get_idx(a, i)));
}

void fmt_duration(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "never");
	else if (s < 60)
		snprintf(buf, len, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRId64 "h %" PRId64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRId64 "d %" PRId64 "h", s / 86400, s % 86400 / 3600);
}

void fmt_bytes(uint64_t b, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = -1;

	if (b < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", b);
		return;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
}

void fmt_status(json_object *r, FILE *out)
{
	char up[32];

	fmt_duration(gi(r, "uptime"), up, sizeof(up));
	fprintf(out, "ospreyd %s, pid %" PRId64 ", up %s\n", gs(r, "version"), gi(r, "pid"), up);
	fprintf(out, "  config:       %s\n", gs(r, "config"));
	fprintf(out, "  control:      %s (%" PRId64 " client%s, %" PRId64 " watching)\n",
		gs(r, "control_socket"), gi(r, "control_clients"),
		gi(r, "control_clients") == 1 ? "" : "s", gi(r, "watchers"));
	fprintf(out, "  connections:  %" PRId64 "\n", gi(r, "connections"));
	fprintf(out, "  IKE SAs:      %" PRId64 "\n", gi(r, "ike_sas"));
	fprintf(out, "  CHILD SAs:    %" PRId64 "\n", gi(r, "child_sas"));
	if (!json_object_get_boolean(get(r, "ike_engine"))) {
		fprintf(out, "  IKE engine:   not running (no kernel backend; no SA can be "
			"negotiated)\n");
		return;
	}
	r = get(r, "engine");
	fprintf(out, "  IKE engine:   running, kernel backend %s, %" PRId64 " crypto threads\n",
		gs(r, "kernel_backend"), gi(r, "crypto_threads"));
	fprintf(out, "  sockets:      %s\n", gs(r, "sockets"));
	fprintf(out, "  datagrams:    %" PRId64 " in, %" PRId64 " out\n", gi(r, "datagrams_in"),
		gi(r, "datagrams_out"));
}

void fmt_kernel(json_object *r, FILE *out)
{
	json_object *a = get(r, "sas"), *p = get(r, "policies");
	bool keys = json_object_get_boolean(get(r, "record_keys"));
	struct table t = { keys ? 8 : 7, 0, NULL };

	fprintf(out, "kernel backend %s%s\n", gs(r, "backend"),
		!strcmp(gs(r, "backend"), "dryrun") ? " (records only: nothing is installed)" : "");
	if (!alen(a) && !alen(p)) {
		fprintf(out, "no SAs, no policies\n");
		return;
	}
	table_row(&t, "SPI", "DIR", "SRC", "DST", "ENCR", "INTEG", "REQID", keys ? "KEYS" : NULL);
	for (size_t i = 0; i < alen(a); i++) {
		json_object *o = json_object_array_get_idx(a, i);
		char reqid[16], kb[300];

		snprintf(reqid, sizeof(reqid), "%" PRId64, gi(o, "reqid"));
		snprintf(kb, sizeof(kb), "%s%s%s", gs(o, "enc_key"), *gs(o, "integ_key") ? "/" : "",
			 gs(o, "integ_key"));
		table_row(&t, gs(o, "spi"), gs(o, "dir"), gs(o, "src"), gs(o, "dst"), gs(o, "encr"),
			  gs(o, "integ"), reqid, keys ? kb : NULL);
	}
	table_print(&t, out);
	if (!alen(p))
		return;
	t = (struct table){ 5, 0, NULL };
	fputc('\n', out);
	table_row(&t, "DIR", "SRC", "DST", "MODE", "REQID");
	for (size_t i = 0; i < alen(p); i++) {
		json_object *o = json_object_array_get_idx(p, i);
		char reqid[16];

		snprintf(reqid, sizeof(reqid), "%" PRId64, gi(o, "reqid"));
		table_row(&t, gs(o, "dir"), gs(o, "src"), gs(o, "dst"), gs(o, "mode"), reqid);
	}
	table_print(&t, out);
}

void fmt_conns(json_object *r, FILE *out)
{
	json_object *a = get(r, "connections");
	struct table t = { .ncols = 7 };

	if (!alen(a)) {
		fprintf(out, "no connections configured\n");
		return;
	}
	table_row(&t, "NAME", "IKE", "LOCAL", "REMOTE", "AUTH", "CHILDREN", "PROPOSALS");
	for (size_t i = 0; i < alen(a); i++) {
		json_object *c = json_object_array_get_idx(a, i), *ch = get(c, "children");
		char ver[8], local[256], remote[256], auth[64], kids[512] = "", props[512];

		snprintf(ver, sizeof(ver), "v%" PRId64, gi(c, "version"));
		join(get(c, "local_addrs"), ",", local, sizeof(local));
		join(get(c, "remote_addrs"), ",", remote, sizeof(remote));
		snprintf(auth, sizeof(auth), "%s/%s", gs(get(c, "local"), "auth"),
			 gs(get(c, "remote"), "auth"));
		for (size_t j = 0; j < alen(ch); j++) {
			json_object *k = json_object_array_get_idx(ch, j);
			const char *sa = gs(k, "start_action");

			snprintf(kids + strlen(kids), sizeof(kids) - strlen(kids), "%s%s(%s%s%s)",
				 j ? " " : "", gs(k, "name"), gs(k, "mode"),
				 strcmp(sa, "none") ? "," : "", strcmp(sa, "none") ? sa : "");
		}
		join(get(c, "proposals"), ",", props, sizeof(props));
		table_row(&t, gs(c, "name"), ver, local, remote, auth, *kids ? kids : "-", props);
	}
	table_print(&t, out);
}

static void algs(json_object *o, char *buf, size_t len)
{
	const char *parts[] = { gs(o, "encr"), gs(o, "integ"), gs(o, "prf"), gs(o, "dh") };

	buf[0] = '\0';
	for (size_t i = 0; i < 4; i++)
		if (*parts[i])
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", *buf ? "/" : "",
				 parts[i]);
}

void fmt_sas(json_object *r, FILE *out)
{
	json_object *a = get(r, "ike_sas");
	struct table t = { .ncols = 9 };

	if (!alen(a)) {
		fprintf(out, "no IKE SAs\n");
		return;
	}
	table_row(&t, "SA", "NAME", "STATE", "PEER / SELECTORS", "IDENTITIES", "ALGORITHMS",
		  "SPIS", "TRAFFIC IN / OUT", "REKEY / EXPIRE");
	for (size_t i = 0; i < alen(a); i++) {
		json_object *s = json_object_array_get_idx(a, i), *ch = get(s, "child_sas");
		char id[32], peer[128], ids[600], al[160], spis[48], when[64], rk[24], ex[24];

		snprintf(id, sizeof(id), "#%" PRId64, gi(s, "unique_id"));
		snprintf(peer, sizeof(peer), "%s[%" PRId64 "]", gs(s, "remote_addr"),
			 gi(s, "remote_port"));
		snprintf(ids, sizeof(ids), "%s - %s", gs(s, "local_id"), gs(s, "remote_id"));
		if (get(s, "vips")) /* virtual IPs: ours (initiator) or the peer's */
			snprintf(peer + strlen(peer), sizeof(peer) - strlen(peer), " vip %s",
				 gs(s, "vips"));
		algs(s, al, sizeof(al));
		snprintf(spis, sizeof(spis), "%s_i %s_r", gs(s, "spi_i"), gs(s, "spi_r"));
		fmt_duration(gi(s, "rekey_in"), rk, sizeof(rk));
		fmt_duration(gi(s, "expire_in"), ex, sizeof(ex));
		snprintf(when, sizeof(when), "%s / %s", rk, ex);
		table_row(&t, id, gs(s, "conn"), gs(s, "state"), peer, ids, al, spis, "", when);
		for (size_t j = 0; j < alen(ch); j++) {
			json_object *c = json_object_array_get_idx(ch, j);
			char cid[32], sel[600], bi[24], bo[24], traffic[96], mode[48];

			snprintf(cid, sizeof(cid), "  #%" PRId64, gi(c, "unique_id"));
			snprintf(sel, sizeof(sel), "%s === %s", gs(c, "local_ts"), gs(c, "remote_ts"));
			snprintf(mode, sizeof(mode), "%s %s", gs(c, "state"), gs(c, "mode"));
			algs(c, al, sizeof(al));
			snprintf(spis, sizeof(spis), "%s_in %s_out", gs(c, "spi_in"), gs(c, "spi_out"));
			fmt_bytes((uint64_t)gi(c, "bytes_in"), bi, sizeof(bi));
			fmt_bytes((uint64_t)gi(c, "bytes_out"), bo, sizeof(bo));
			snprintf(traffic, sizeof(traffic), "%s (%" PRId64 " pkts) / %s (%" PRId64
				 " pkts)", bi, gi(c, "packets_in"), bo, gi(c, "packets_out"));
			if (gi(c, "idle") >= 0) {
				size_t l = strlen(traffic);

				snprintf(traffic + l, sizeof(traffic) - l, ", idle %" PRId64 "s",
					 gi(c, "idle"));
			}
			fmt_duration(gi(c, "rekey_in"), rk, sizeof(rk));
			fmt_duration(gi(c, "expire_in"), ex, sizeof(ex));
			snprintf(when, sizeof(when), "%s / %s", rk, ex);
			table_row(&t, cid, gs(c, "name"), mode, sel, "", al, spis, traffic, when);
		}
	}
	table_print(&t, out);
}

static void counters(json_object *g, const char *title, struct table *t)
{
	table_row(t, title, "");
	json_object_object_foreach(g, k, v) {
		char n[32], name[80];

		snprintf(n, sizeof(n), "%" PRId64, json_object_get_int64(v));
		snprintf(name, sizeof(name), "  %s", k);
		table_row(t, name, n);
	}
}

void fmt_stats(json_object *r, FILE *out)
{
	struct table t = { .ncols = 2 };
	char n[32];

	counters(get(r, "exchanges"), "exchanges", &t);
	if (get(r, "exchanges_initiated"))
		counters(get(r, "exchanges_initiated"), "exchanges initiated (IKEv2)", &t);
	if (get(r, "exchanges_responded"))
		counters(get(r, "exchanges_responded"), "exchanges responded (IKEv2)", &t);
	counters(get(r, "failures"), "failures", &t);
	counters(get(r, "dropped"), "packets dropped", &t);
	snprintf(n, sizeof(n), "%" PRId64, gi(r, "retransmits"));
	table_row(&t, "retransmits", n);
	snprintf(n, sizeof(n), "%" PRId64, gi(r, "cookies_sent"));
	table_row(&t, "cookies sent", n);
	snprintf(n, sizeof(n), "%" PRId64, gi(r, "responses_resent"));
	table_row(&t, "responses resent", n);
	counters(get(r, "control"), "control socket", &t);
	table_print(&t, out);
}

void fmt_levels(json_object *r, FILE *out)
{
	struct table t = { .ncols = 2 };

	table_row(&t, "SUBSYSTEM", "LEVEL");
	json_object_object_foreach(r, k, v)
		table_row(&t, k, json_object_get_string(v));
	table_print(&t, out);
}

void fmt_reload(json_object *r, FILE *out)
{
	char buf[1024];

	fprintf(out, "configuration reloaded\n");
	join(get(r, "added"), ", ", buf, sizeof(buf));
	fprintf(out, "  added:      %s\n", *buf ? buf : "-");
	join(get(r, "removed"), ", ", buf, sizeof(buf));
	fprintf(out, "  removed:    %s\n", *buf ? buf : "-");
	join(get(r, "changed"), ", ", buf, sizeof(buf));
	fprintf(out, "  changed:    %s (new settings apply to new SAs)\n", *buf ? buf : "-");
	fprintf(out, "  unchanged:  %" PRId64 "\n", gi(r, "unchanged"));
}

void fmt_event(json_object *ev, FILE *out)
{
	json_object *d = get(ev, "data");
	time_t t = (time_t)gi(ev, "time");
	const char *type = gs(ev, "event");
	char ts[16], buf[1024];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
	if (!strcmp(type, "log")) {
		fprintf(out, "%s %-7s %s %s: %s\n", ts, type, gs(d, "subsystem"), gs(d, "level"),
			gs(d, "message"));
	} else if (!strcmp(type, "reload")) {
		if (!json_object_get_boolean(get(d, "ok"))) {
			fprintf(out, "%s %-7s rejected (%zu errors); previous configuration kept\n", ts,
				type, alen(get(d, "errors")));
			return;
		}
		join(get(d, "added"), ",", buf, sizeof(buf));
		fprintf(out, "%s %-7s added [%s]", ts, type, buf);
		join(get(d, "removed"), ",", buf, sizeof(buf));
		fprintf(out, " removed [%s]", buf);
		join(get(d, "changed"), ",", buf, sizeof(buf));
		fprintf(out, " changed [%s]\n", buf);
	} else {
		fprintf(out, "%s %-7s %s\n", ts, type,
			json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
	}
}

void fmt_error(json_object *reply, FILE *out)
{
	json_object *errs = get(reply, "errors");

	fprintf(out, "error: %s\n", gs(reply, "error"));
	for (size_t i = 0; i < alen(errs); i++)
		fprintf(out, "  %s\n", gs(json_object_array_get_idx(errs, i), "text"));
}
