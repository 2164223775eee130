/* ospreyctl: osprey's command-line tool. It talks to ospreyd over the control
 * socket (one JSON object per line each way) and decodes captures offline. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "conf.h"
#include "ctl_format.h"
#include "decode.h"

struct ctl_opts {
	const char *socket;
	bool json;
	int timeout_ms;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ospreyctl [--json] [--socket PATH] [--timeout SECONDS] COMMAND [ARGS]\n"
		"\n"
		"commands talking to ospreyd:\n"
		"  status                     daemon state and SA counts\n"
		"  list-conns                 configured connections\n"
		"  list-sas [CONN]            IKE and CHILD SAs\n"
		"  initiate CONN [CHILD]      start a connection\n"
		"  terminate CONN | --ike-sa ID   close SAs\n"
		"  rekey [--child] CONN | --ike-sa ID\n"
		"                             rekey IKE SAs (--child: their CHILD SAs)\n"
		"  reload                     reload the configuration\n"
		"  log-level [SUBSYS LEVEL]   show or set log levels (SUBSYS may be 'all')\n"
		"  stats                      counters\n"
		"  list-kernel                SAs and policies the kernel backend holds\n"
		"  watch                      follow events until interrupted\n"
		"\n"
		"offline commands:\n"
		"  decode FILE.pcap           print the IKEv1/IKEv2 messages of a capture (pcap or pcapng)\n"
		"  version                    print the version\n"
		"\n"
		"--json prints the daemon's reply as JSON. The socket defaults to %s\n"
		"(or $OSPREY_CTL_SOCKET). Exit status: 0 done, 1 failed, 2 usage error.\n"
		"decode exits 0 when every IKE message decoded, 3 when some were malformed\n"
		"(each is reported with the payload, field and offset at fault), 1 on errors.\n",
		OSPREY_CTL_DEFAULT);
}

static int cmd_decode(int argc, char **argv)
{
	struct decode_stats st;

	if (argc != 2) {
		fprintf(stderr, "ospreyctl decode: expected one capture file\n");
		return 1;
	}
	if (decode_pcap(argv[1], stdout, &st))
		return 1;
	printf("%u frames: %u IKE messages, %u malformed, %u NAT-keepalives, %u ESP-in-UDP, "
	       "%u other\n", st.packets, st.ike, st.malformed, st.keepalives, st.esp, st.other);
	return st.malformed ? 3 : 0;
}

static int ctl_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "ospreyctl: socket path %s is too long\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		fprintf(stderr, "ospreyctl: cannot connect to %s: %s%s\n", path, strerror(e),
			e == ENOENT || e == ECONNREFUSED ? " (is ospreyd running?)" :
			e == EACCES ? " (run as root or as a member of the control group)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Reads one line into *buf (grown as needed); timeout_ms < 0 waits forever.
 * Returns the line length, 0 at end of stream, -1 on timeout or error. */
static ssize_t read_line(int fd, char **buf, size_t *cap, size_t *have, int timeout_ms)
{
	for (;;) {
		char *nl = *have ? memchr(*buf, '\n', *have) : NULL;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - *buf);
			return (ssize_t)len + 1;
		}
		if (*have + 4096 > *cap) {
			*cap = (*cap + 4096) * 2;
			*buf = realloc(*buf, *cap);
			if (!*buf)
				abort();
		}
		n = poll(&p, 1, timeout_ms);
		if (n == 0) {
			fprintf(stderr, "ospreyctl: no reply from ospreyd within %d s\n",
				timeout_ms / 1000);
			return -1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		n = n < 0 ? -1 : read(fd, *buf + *have, *cap - *have - 1);
		if (n < 0) {
			fprintf(stderr, "ospreyctl: reading the reply: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		*have += (size_t)n;
	}
}

static void consume(char *buf, size_t *have, size_t len)
{
	memmove(buf, buf + len, *have - len);
	*have -= len;
}

static json_object *parse_reply(char *line, size_t len)
{
	json_object *r;

	line[len - 1] = '\0';
	r = json_tokener_parse(line);
	if (!r || !json_object_is_type(r, json_type_object)) {
		fprintf(stderr, "ospreyctl: ospreyd sent something that is not a JSON object\n");
		json_object_put(r);
		return NULL;
	}
	return r;
}

/* Returns 0, 1 when ospreyd closed the connection first (it may have said
 * why, e.g. too many clients: the caller reads that), or -1. */
static int send_request(int fd, json_object *req)
{
	const char *text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(text), off = 0;

	while (off <= len) {
		/* MSG_NOSIGNAL: a closed connection is an error to report, not SIGPIPE. */
		ssize_t n = off < len ? send(fd, text + off, len - off, MSG_NOSIGNAL) :
			send(fd, "\n", 1, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return 1;
		if (n < 0) {
			fprintf(stderr, "ospreyctl: sending the request: %s\n", strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

static void print_result(const char *cmd, json_object *result)
{
	if (!strcmp(cmd, "status"))
		fmt_status(result, stdout);
	else if (!strcmp(cmd, "list-conns"))
		fmt_conns(result, stdout);
	else if (!strcmp(cmd, "list-sas"))
		fmt_sas(result, stdout);
	else if (!strcmp(cmd, "stats"))
		fmt_stats(result, stdout);
	else if (!strcmp(cmd, "list-kernel"))
		fmt_kernel(result, stdout);
	else if (!strcmp(cmd, "log-level"))
		fmt_levels(result, stdout);
	else if (!strcmp(cmd, "reload"))
		fmt_reload(result, stdout);
	else if (!strcmp(cmd, "watch"))
		fprintf(stdout, "watching ospreyd events (Ctrl-C to stop)\n");
	else
		printf("%s: done\n", cmd);
	fflush(stdout);
}

static int run_command(const struct ctl_opts *o, const char *cmd, json_object *req)
{
	char *buf = NULL;
	size_t cap = 0, have = 0;
	ssize_t len;
	json_object *reply, *ok, *result = NULL;
	int fd = ctl_connect(o->socket), rc = 1;

	if (fd < 0)
		return 1;
	if (send_request(fd, req) < 0)
		goto out;
	len = read_line(fd, &buf, &cap, &have, o->timeout_ms);
	if (len == 0)
		fprintf(stderr, "ospreyctl: ospreyd closed the connection without replying\n");
	if (len <= 0 || !(reply = parse_reply(buf, (size_t)len)))
		goto out;
	consume(buf, &have, (size_t)len);
	json_object_object_get_ex(reply, "result", &result);
	if (!json_object_object_get_ex(reply, "ok", &ok) || !json_object_get_boolean(ok)) {
		if (o->json)
			printf("%s\n", json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY));
		else
			fmt_error(reply, stderr);
		json_object_put(reply);
		goto out;
	}
	if (o->json)	/* watch streams one JSON object per line, its first reply too */
		printf("%s\n", json_object_to_json_string_ext(reply, strcmp(cmd, "watch") ?
							     JSON_C_TO_STRING_PRETTY :
							     JSON_C_TO_STRING_PLAIN));
	else
		print_result(cmd, result);
	json_object_put(reply);
	rc = 0;
	if (strcmp(cmd, "watch"))
		goto out;
	fflush(stdout);
	while ((len = read_line(fd, &buf, &cap, &have, -1)) > 0) {
		json_object *ev = parse_reply(buf, (size_t)len);

		consume(buf, &have, (size_t)len);
		if (!ev)
			continue;
		if (o->json)
			printf("%s\n", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
		else
			fmt_event(ev, stdout);
		fflush(stdout);
		json_object_put(ev);
	}
out:
	free(buf);
	close(fd);
	return rc;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ospreyctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see ospreyctl help)\n");
	return 2;
}

/* Builds the request for cmd from its arguments; NULL after a usage error. */
static json_object *build_request(const char *cmd, int argc, char **argv, int *rc)
{
	json_object *req = json_object_new_object();
	char *end;

	*rc = 2;
	json_object_object_add(req, "command", json_object_new_string(cmd));
	if (!strcmp(cmd, "status") || !strcmp(cmd, "list-conns") || !strcmp(cmd, "reload") ||
	    !strcmp(cmd, "stats") || !strcmp(cmd, "watch") || !strcmp(cmd, "list-kernel")) {
		if (argc == 0)
			return req;
	} else if (!strcmp(cmd, "list-sas")) {
		if (argc <= 1) {
			if (argc)
				json_object_object_add(req, "name", json_object_new_string(argv[0]));
			return req;
		}
	} else if (!strcmp(cmd, "initiate")) {
		if (argc == 1 || argc == 2) {
			json_object_object_add(req, "name", json_object_new_string(argv[0]));
			if (argc == 2)
				json_object_object_add(req, "child", json_object_new_string(argv[1]));
			return req;
		}
	} else if (!strcmp(cmd, "terminate") || !strcmp(cmd, "rekey")) {
		if (!strcmp(cmd, "rekey") && argc >= 1 && !strcmp(argv[0], "--child")) {
			json_object_object_add(req, "child", json_object_new_boolean(1));
			argc--;
			argv++;
		}
		if (argc == 2 && !strcmp(argv[0], "--ike-sa")) {
			long long id = strtoll(argv[1], &end, 10);

			if (*end || !*argv[1] || id < 0) {
				usage_error("--ike-sa needs a number, not '%s'", argv[1]);
				json_object_put(req);
				return NULL;
			}
			json_object_object_add(req, "ike_sa", json_object_new_int64(id));
			return req;
		}
		if (argc == 1 && argv[0][0] != '-') {
			json_object_object_add(req, "name", json_object_new_string(argv[0]));
			return req;
		}
	} else if (!strcmp(cmd, "log-level")) {
		if (argc == 0 || argc == 2) {
			if (argc == 2) {
				json_object_object_add(req, "subsystem", json_object_new_string(argv[0]));
				json_object_object_add(req, "level", json_object_new_string(argv[1]));
			}
			return req;
		}
	} else {
		json_object_put(req);
		fprintf(stderr, "ospreyctl: unknown command '%s'\n", cmd);
		usage(stderr);
		return NULL;
	}
	json_object_put(req);
	usage_error("wrong arguments for '%s'", cmd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct ctl_opts o = { .timeout_ms = 30000 };
	char **args = calloc((size_t)argc + 1, sizeof(char *));
	int n = 0, rc;
	json_object *req;

	if (argc < 2) {
		usage(stderr);
		free(args);
		return 1;
	}
	if (!strcmp(argv[1], "decode")) {
		free(args);
		return cmd_decode(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("ospreyctl %s\n", PACKAGE_VERSION);
		free(args);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		free(args);
		return 0;
	}
	o.socket = getenv("OSPREY_CTL_SOCKET");
	if (!o.socket || !*o.socket)
		o.socket = OSPREY_CTL_DEFAULT;
	/* Options may come before or after the command. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
			o.json = true;
		} else if ((!strcmp(argv[i], "--socket") || !strcmp(argv[i], "-s")) && i + 1 < argc) {
			o.socket = argv[++i];
		} else if (!strncmp(argv[i], "--socket=", 9)) {
			o.socket = argv[i] + 9;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			char *end;
			long t = strtol(argv[++i], &end, 10);

			if (*end || t <= 0 || t > 3600) {
				free(args);
				return usage_error("--timeout needs seconds (1 to 3600), not '%s'",
						   argv[i]);
			}
			o.timeout_ms = (int)t * 1000;
		} else {
			args[n++] = argv[i];
		}
	}
	if (n == 0) {
		free(args);
		return usage_error("%s", "no command given");
	}
	req = build_request(args[0], n - 1, args + 1, &rc);
	if (req) {
		rc = run_command(&o, args[0], req);
		json_object_put(req);
	}
	free(args);
	return rc;
}
